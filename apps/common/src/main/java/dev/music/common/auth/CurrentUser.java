package dev.music.common.auth;

import java.util.Optional;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** Who sent the current request: the verified token's subject; empty under AUTH_COMPAT, where nobody is known. */
public final class CurrentUser {

	private CurrentUser() {
	}

	public static Optional<String> id() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof JwtAuthenticationToken token) {
			return Optional.ofNullable(token.getToken().getSubject());
		}
		return Optional.empty();
	}

}
