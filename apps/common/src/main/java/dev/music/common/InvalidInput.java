package dev.music.common;

/**
 * The caller sent something we will not accept (bad JSON, a missing or wrong-typed field, an id that is
 * not a UUID). The message is shown to the caller, so it must say what to fix and never echo internals.
 */
public class InvalidInput extends RuntimeException {

	public InvalidInput(String message) {
		super(message, null, false, false);
	}

}
