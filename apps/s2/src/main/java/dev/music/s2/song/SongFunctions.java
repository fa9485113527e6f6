package dev.music.s2.song;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.music.common.datastore.DatastoreClient;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * s2's business logic, one Spring Cloud Function bean per operation; songs live in db. db keeps who created a song
 * ({@code owner_id}, never shown on a read); songs the loader loaded have none.
 */
@Configuration(proxyBeanMethods = false)
public class SongFunctions {

	static final String OBJTYPE = "music";

	static final String OWNER = "owner_id";

	/** A page request: at most {@code limit} songs after the {@code next} token ({@code null}: from the start). */
	public record SongPage(int limit, String next) {
	}

	/** A song and who adds it ({@code null} under AUTH_COMPAT, where nobody is known). */
	public record Creation(NewSong song, String owner) {
	}

	/** A song to delete, by whom ({@code null} under AUTH_COMPAT: no owner check). */
	public record Deletion(String id, String by) {
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
	Function<Creation, String> createSong(DatastoreClient db) {
		return (creation) -> {
			Map<String, String> fields = creation.song().fields();
			if (creation.owner() != null) {
				fields.put(OWNER, creation.owner());
			}
			return db.write(OBJTYPE, "music_id", fields);
		};
	}

	/** Deleted, not found, or not the caller's to delete. */
	@Bean
	Function<Deletion, DatastoreClient.Deletion> deleteSong(DatastoreClient db) {
		return (deletion) -> db.delete(OBJTYPE, deletion.id(), deletion.by());
	}

}
