package dev.music.common;

/** The caller could not be identified: no credentials, or credentials we cannot verify. */
public class Unauthorized extends RuntimeException {

	public Unauthorized(String message) {
		super(message, null, false, false);
	}

}
