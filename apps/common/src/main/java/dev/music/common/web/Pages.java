package dev.music.common.web;

import dev.music.common.InvalidInput;

import org.springframework.web.servlet.function.ServerRequest;

/** The paging parameters of list routes: {@code limit} (1 to {@value #MAX}, default {@value #DEFAULT}) and {@code next}. */
public final class Pages {

	public static final int DEFAULT = 20;

	public static final int MAX = 100;

	private Pages() {
	}

	public static int limit(ServerRequest request) {
		String text = request.param("limit").orElse(null);
		if (text == null) {
			return DEFAULT;
		}
		try {
			int limit = Integer.parseInt(text);
			if (limit >= 1 && limit <= MAX) {
				return limit;
			}
		}
		catch (NumberFormatException ex) {
			// fall through to the message below
		}
		throw new InvalidInput("limit must be a whole number from 1 to " + MAX);
	}

	/** The token of the page to continue from (the last id seen), or {@code null} for the first page. */
	public static String next(ServerRequest request) {
		return request.param("next").map((next) -> Ids.uuid("next", next)).orElse(null);
	}

}
