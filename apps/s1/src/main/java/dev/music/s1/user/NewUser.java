package dev.music.s1.user;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import dev.music.common.InvalidInput;

/** A user's fields: all required, names at most 100 characters, an email address at most 254. */
public record NewUser(String fname, String lname, String email) {

	private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

	public NewUser {
		require("fname", fname, 100);
		require("lname", lname, 100);
		require("email", email, 254);
		if (!EMAIL.matcher(email).matches()) {
			throw new InvalidInput("field 'email' must be an email address");
		}
	}

	static NewUser of(Map<String, String> fields) {
		return new NewUser(fields.get("fname"), fields.get("lname"), fields.get("email"));
	}

	/** A new, modifiable map of the three fields. */
	Map<String, String> fields() {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("fname", this.fname);
		fields.put("lname", this.lname);
		fields.put("email", this.email);
		return fields;
	}

	private static void require(String field, String value, int max) {
		if (value == null || value.isBlank()) {
			throw new InvalidInput("field '" + field + "' is required and must not be blank");
		}
		if (value.length() > max) {
			throw new InvalidInput("field '" + field + "' is longer than " + max + " characters");
		}
	}

}
