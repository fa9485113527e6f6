package dev.music.common.auth;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.music.common.web.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401, 403 and 503 answers of the security filter chain, as JSON like every other error. A 401 body says only
 * what the caller can act on (no header, not a bearer token, a token that does not pass); why a token failed
 * (signature, key id, issuer, audience, time) goes to the log next to the request id, never to the caller.
 */
public class JsonAuthErrors implements AuthenticationEntryPoint, AccessDeniedHandler {

	private static final Logger log = LoggerFactory.getLogger(JsonAuthErrors.class);

	/** How a service shapes an error body; db's /load keeps the course's shape. */
	public interface Shape {

		Map<String, Object> body(HttpServletRequest request, int status, String message);

	}

	/** The usual {@code {"error": ...}}, with the request id on a 503. */
	public static final Shape ERROR = (request, status, message) -> {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", message);
		if (status >= 500) {
			body.put("request_id", RequestIds.current());
		}
		return body;
	};

	private static final String RETRY_AFTER_SECONDS = "2";

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final Shape shape;

	public JsonAuthErrors(Shape shape) {
		this.shape = shape;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
			throws IOException {
		if (failure instanceof KeysUnavailable) {
			log.warn("{} {}: cannot check the token now (request id {}): {}", request.getMethod(), request.getRequestURI(),
					RequestIds.current(), describe(failure));
			response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
			write(request, response, 503, "cannot check credentials right now; retry shortly");
			return;
		}
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		String message;
		if (header == null || header.isBlank()) {
			message = "missing auth";
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"music\"");
		}
		else {
			message = header.regionMatches(true, 0, "Bearer ", 0, 7) ? "invalid or expired token"
					: "Authorization must be 'Bearer <token>'";
			log.info("{} {}: token refused (request id {}): {}", request.getMethod(), request.getRequestURI(),
					RequestIds.current(), describe(failure));
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"music\", error=\"invalid_token\"");
		}
		write(request, response, 401, message);
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
			throws IOException {
		write(request, response, 403, "forbidden");
	}

	private void write(HttpServletRequest request, HttpServletResponse response, int status, String message)
			throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.getOutputStream().write(this.mapper.writeValueAsBytes(this.shape.body(request, status, message)));
	}

	private static String describe(Throwable failure) {
		StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
		String last = failure.getMessage();
		for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
			if (cause.getMessage() != null && (last == null || !last.contains(cause.getMessage()))) {
				text.append(" <- ").append(cause.getMessage());
			}
			last = cause.getMessage();
		}
		return text.toString();
	}

}
