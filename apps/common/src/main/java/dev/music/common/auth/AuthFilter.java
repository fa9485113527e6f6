package dev.music.common.auth;

import dev.music.common.Unauthorized;
import dev.music.common.web.ErrorResponses;

import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The one place that decides whether a request is authenticated. Missing header: 401 "missing auth". In
 * compatibility mode any non-empty header passes; otherwise it must be {@code Bearer <valid token>}. The
 * verified user id is left in the request attribute {@link #USER_ID}.
 */
public final class AuthFilter implements HandlerFilterFunction<ServerResponse, ServerResponse> {

	public static final String USER_ID = AuthFilter.class.getName() + ".userId";

	private final Tokens tokens;

	private final boolean compat;

	public AuthFilter(Tokens tokens, boolean compat) {
		this.tokens = tokens;
		this.compat = compat;
	}

	@Override
	public ServerResponse filter(ServerRequest request, HandlerFunction<ServerResponse> next) throws Exception {
		String header = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
		if (header == null || header.isBlank()) {
			return ErrorResponses.unauthorized("missing auth");
		}
		if (!this.compat) {
			if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
				return ErrorResponses.unauthorized("Authorization must be 'Bearer <token>'");
			}
			try {
				request.attributes().put(USER_ID, this.tokens.verify(header.substring(7).trim()));
			}
			catch (Unauthorized ex) {
				return ErrorResponses.unauthorized(ex.getMessage());
			}
		}
		return next.handle(request);
	}

}
