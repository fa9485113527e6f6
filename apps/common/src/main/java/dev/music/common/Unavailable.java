package dev.music.common;

/**
 * A dependency (the db service, DynamoDB) did not answer in time or answered that it is overloaded. Callers
 * may retry later; nothing was changed on our side by the failed attempt, or the attempt is safe to repeat.
 */
public class Unavailable extends RuntimeException {

	/** {@code message} is "what: detail"; only "what" is shown to callers, the detail goes to the log. */
	public Unavailable(String message, Throwable cause) {
		super(message, cause);
	}

	/** What is unavailable, without the detail (host names, table names) that only the log may show. */
	public String publicMessage() {
		String message = String.valueOf(getMessage());
		int colon = message.indexOf(": ");
		return (colon > 0) ? message.substring(0, colon) : message;
	}

}
