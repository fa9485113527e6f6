package dev.music.common.auth;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * AUTH_COMPAT: any non-empty Authorization header counts as authenticated, as the old course services did. The
 * caller has no identity, so no per-object rule applies. Never in Kubernetes ({@link AuthConfiguration}).
 */
final class CompatAuthentication extends OncePerRequestFilter {

	static final String PRINCIPAL = "compat";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header != null && !header.isBlank()) {
			var context = SecurityContextHolder.getContextHolderStrategy().createEmptyContext();
			context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(PRINCIPAL, null, List.of()));
			SecurityContextHolder.getContextHolderStrategy().setContext(context);
		}
		chain.doFilter(request, response);
	}

}
