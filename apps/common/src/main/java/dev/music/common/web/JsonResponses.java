package dev.music.common.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * JSON answers with their content type stated. Without one, WebMvc.fn parses the servlet response's missing
 * content type ({@code MediaType.parseMediaType(null)}) and catches the {@code InvalidMediaTypeException}, once
 * per response; stating it costs nothing.
 */
public final class JsonResponses {

	private JsonResponses() {
	}

	public static ServerResponse ok(Object body) {
		return of(HttpStatus.OK, body);
	}

	public static ServerResponse of(HttpStatus status, Object body) {
		return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
	}

}
