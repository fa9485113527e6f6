package dev.music.s2.song;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.music.common.auth.CurrentUser;
import dev.music.common.datastore.DatastoreClient;
import dev.music.common.web.ErrorResponses;
import dev.music.common.web.Functions;
import dev.music.common.web.Ids;
import dev.music.common.web.Items;
import dev.music.common.web.JsonBodies;
import dev.music.common.web.JsonResponses;
import dev.music.common.web.Pages;
import dev.music.common.web.Probes;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * s2's HTTP API: a thin adapter from requests to the song functions and from outcomes to status codes.
 * Every route but the probes needs a user token (checked by {@code MusicSecurity}); only the user who created a song
 * may delete it.
 */
@Configuration(proxyBeanMethods = false)
public class SongRoutes {

	static final String PREFIX = "/api/v1/music";

	private static final Set<String> SONG_FIELDS = Set.of("Artist", "SongTitle");

	@Bean
	RouterFunction<ServerResponse> musicApi(Functions functions, JsonBodies json) {
		Function<String, List<Map<String, String>>> read = functions.function("readSong");
		Function<SongFunctions.SongPage, DatastoreClient.Page> list = functions.function("listSongs");
		Function<SongFunctions.Creation, String> create = functions.function("createSong");
		Function<SongFunctions.Deletion, DatastoreClient.Deletion> delete = functions.function("deleteSong");
		Supplier<Map<String, String>> checkCode = functions.supplier("checkCode");

		HandlerFunction<ServerResponse> listSongs = (request) -> {
			DatastoreClient.Page page = list.apply(page(request));
			return JsonResponses.ok(Items.page(page.items(), page.next()));
		};
		HandlerFunction<ServerResponse> createSong = (request) -> {
			Map<String, String> body = json.fields(request, SONG_FIELDS, SONG_FIELDS);
			NewSong song = new NewSong(body.get("Artist"), body.get("SongTitle"));
			String id = create.apply(new SongFunctions.Creation(song, CurrentUser.id().orElse(null)));
			return JsonResponses.ok(Map.of("music_id", id));
		};
		RouterFunction<ServerResponse> protectedRoutes = RouterFunctions.route()
			.GET(PREFIX + "/test", (request) -> JsonResponses.ok(checkCode.get()))
			.GET(PREFIX, listSongs)
			.GET(PREFIX + "/", listSongs)
			.POST(PREFIX, createSong)
			.POST(PREFIX + "/", createSong)
			.GET(PREFIX + "/{music_id}", (request) -> {
				List<Map<String, String>> items = read.apply(id(request));
				return JsonResponses.of(items.isEmpty() ? HttpStatus.NOT_FOUND : HttpStatus.OK, Items.of(items));
			})
			.DELETE(PREFIX + "/{music_id}", (request) -> deleted(delete.apply(new SongFunctions.Deletion(id(request),
					CurrentUser.id().orElse(null)))))
			.build();
		return RouterFunctions.route()
			.add(Probes.routes(PREFIX, () -> true))
			.add(protectedRoutes)
			.onError(Throwable.class, ErrorResponses::of)
			.build();
	}

	private static ServerResponse deleted(DatastoreClient.Deletion outcome) {
		return switch (outcome) {
			case DELETED -> JsonResponses.ok(Map.of());
			case NOT_FOUND -> ErrorResponses.error(HttpStatus.NOT_FOUND, "no such song");
			case NOT_OWNER -> ErrorResponses.error(HttpStatus.FORBIDDEN,
					"only the user who added a song may delete it (songs of the sample data cannot be deleted)");
		};
	}

	private static String id(ServerRequest request) {
		return Ids.uuid("music_id", request.pathVariable("music_id"));
	}

	private static SongFunctions.SongPage page(ServerRequest request) {
		int limit = Pages.limit(request);
		String next = Pages.next(request);
		return new SongFunctions.SongPage(limit, next);
	}

}
