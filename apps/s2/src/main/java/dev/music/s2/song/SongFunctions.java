package dev.music.s2.song;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.music.common.datastore.DatastoreClient;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** s2's business logic, one Spring Cloud Function bean per operation; songs live in db. */
@Configuration(proxyBeanMethods = false)
public class SongFunctions {

	static final String OBJTYPE = "music";

	/** A page request: at most {@code limit} songs after the {@code next} token ({@code null}: from the start). */
	public record SongPage(int limit, String next) {
	}

	/** The song with this id, or an empty list. */
	@Bean
	Function<String, List<Map<String, String>>> readSong(DatastoreClient db) {
		return (id) -> db.read(OBJTYPE, id);
	}

	@Bean
	Function<SongPage, DatastoreClient.Page> listSongs(DatastoreClient db) {
		return (page) -> db.list(OBJTYPE, page.limit(), page.next());
	}

	/** Adds the song and returns its new id. */
	@Bean
	Function<NewSong, String> createSong(DatastoreClient db) {
		return (song) -> db.write(OBJTYPE, "music_id", song.fields());
	}

	/** {@code false} when there was no such song. */
	@Bean
	Function<String, Boolean> deleteSong(DatastoreClient db) {
		return (id) -> db.delete(OBJTYPE, id);
	}

}
