package dev.music.common.web;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import org.slf4j.MDC;

/**
 * Every request carries a request id: the caller's {@code X-Request-Id} when it is sane, otherwise a new one.
 * It is in the MDC (so every log line of the request shows it), in the response header, and in 5xx bodies.
 */
public final class RequestIds {

	public static final String HEADER = "X-Request-Id";

	public static final String MDC_KEY = "request_id";

	private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private RequestIds() {
	}

	static String fromHeader(String header) {
		if (header != null && SANE.matcher(header).matches()) {
			return header;
		}
		return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
	}

	/** The current request's id, or "none" outside a request. */
	public static String current() {
		String id = MDC.get(MDC_KEY);
		return (id != null) ? id : "none";
	}

}
