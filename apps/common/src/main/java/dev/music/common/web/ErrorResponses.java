package dev.music.common.web;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.music.common.Forbidden;
import dev.music.common.InvalidInput;
import dev.music.common.PayloadTooLarge;
import dev.music.common.Unauthorized;
import dev.music.common.Unavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Turns what a function threw into a JSON error response. 4xx bodies carry a message meant for the caller;
 * 5xx bodies carry only a generic message and the request id, and the stack trace goes to the log with the
 * same id, so an operator can find it with {@code scripts/logs.java <component> --grep <id>}.
 */
public final class ErrorResponses {

	private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

	/** Seconds a client should wait before retrying after a 503. */
	static final String RETRY_AFTER_SECONDS = "2";

	private ErrorResponses() {
	}

	public static ServerResponse of(Throwable thrown, ServerRequest request) {
		Throwable ex = unwrap(thrown);
		if (ex instanceof InvalidInput) {
			return error(HttpStatus.BAD_REQUEST, ex.getMessage());
		}
		if (ex instanceof PayloadTooLarge) {
			return error(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage());
		}
		if (ex instanceof Unauthorized) {
			return unauthorized(ex.getMessage());
		}
		if (ex instanceof Forbidden) {
			return error(HttpStatus.FORBIDDEN, ex.getMessage());
		}
		if (ex instanceof Unavailable unavailable) {
			log.warn("{} {} unavailable (request id {}): {}", request.method(), request.path(), RequestIds.current(),
					describe(ex));
			return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header("Retry-After", RETRY_AFTER_SECONDS)
				.contentType(MediaType.APPLICATION_JSON)
				.body(body(unavailable.publicMessage() + "; retry shortly", true));
		}
		log.error("{} {} failed (request id {})", request.method(), request.path(), RequestIds.current(), ex);
		return ServerResponse.status(HttpStatus.INTERNAL_SERVER_ERROR)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body("internal error; quote this request id when reporting it", true));
	}

	public static ServerResponse error(HttpStatus status, String message) {
		return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).body(body(message, false));
	}

	public static ServerResponse unauthorized(String message) {
		return ServerResponse.status(HttpStatus.UNAUTHORIZED)
			.header("WWW-Authenticate", "Bearer realm=\"music\"")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body(message, false));
	}

	private static Map<String, String> body(String message, boolean withRequestId) {
		Map<String, String> body = new LinkedHashMap<>();
		body.put("error", message);
		if (withRequestId) {
			body.put("request_id", RequestIds.current());
		}
		return body;
	}

	/** Function wrappers may wrap what the function threw; the first of our own exceptions wins. */
	private static Throwable unwrap(Throwable thrown) {
		for (Throwable t = thrown; t != null; t = t.getCause()) {
			if (t instanceof InvalidInput || t instanceof PayloadTooLarge || t instanceof Unauthorized
					|| t instanceof Forbidden || t instanceof Unavailable) {
				return t;
			}
		}
		return thrown;
	}

	private static String describe(Throwable ex) {
		return (ex.getCause() != null) ? ex.getMessage() + " (" + ex.getCause().getMessage() + ")" : ex.getMessage();
	}

}
