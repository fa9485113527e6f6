package dev.music.s2.song;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.music.common.InvalidInput;

/** A song to add: both fields required, not blank, at most {@value #MAX_LENGTH} characters. */
public record NewSong(String artist, String title) {

	static final int MAX_LENGTH = 200;

	public NewSong {
		require("Artist", artist);
		require("SongTitle", title);
	}

	/** A new, modifiable map of the two fields. */
	Map<String, String> fields() {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("Artist", this.artist);
		fields.put("SongTitle", this.title);
		return fields;
	}

	private static void require(String field, String value) {
		if (value == null || value.isBlank()) {
			throw new InvalidInput("field '" + field + "' is required and must not be blank");
		}
		if (value.length() > MAX_LENGTH) {
			throw new InvalidInput("field '" + field + "' is longer than " + MAX_LENGTH + " characters");
		}
	}

}
