package dev.music.common;

/** The caller is known but may not do this (another user's record, a song someone else created). */
public class Forbidden extends RuntimeException {

	public Forbidden(String message) {
		super(message, null, false, false);
	}

}
