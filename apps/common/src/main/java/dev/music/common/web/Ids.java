package dev.music.common.web;

import java.util.UUID;
import java.util.regex.Pattern;

import dev.music.common.InvalidInput;

/** Ids in paths and query strings are UUIDs in their canonical, lower- or upper-case 36-character form. */
public final class Ids {

	private static final Pattern UUID_TEXT = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	private Ids() {
	}

	/** The id in canonical lower-case form, or {@link InvalidInput} naming the parameter. */
	public static String uuid(String what, String text) {
		if (text == null || !UUID_TEXT.matcher(text).matches()) {
			throw new InvalidInput(what + " must be a UUID like 6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea");
		}
		return UUID.fromString(text).toString();
	}

}
