package dev.music.common;

/**
 * A dependency (the db service, DynamoDB) did not answer in time or answered that it is overloaded. Callers
 * may retry later; nothing was changed on our side by the failed attempt, or the attempt is safe to repeat.
 */
public class Unavailable extends RuntimeException {

	public Unavailable(String message, Throwable cause) {
		super(message, cause);
	}

}
