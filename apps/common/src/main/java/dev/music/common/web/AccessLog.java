package dev.music.common.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One line per request on the {@code access} logger: method, path, status, milliseconds. The log tooling
 * (scripts/logs.java) and the alert descriptions rely on this shape.
 */
public class AccessLog extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger("access");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String id = RequestIds.fromHeader(request.getHeader(RequestIds.HEADER));
		MDC.put(RequestIds.MDC_KEY, id);
		response.setHeader(RequestIds.HEADER, id);
		long start = System.nanoTime();
		try {
			chain.doFilter(request, response);
		}
		finally {
			long millis = (System.nanoTime() - start) / 1_000_000;
			log.info("{} {} {} {}ms", request.getMethod(), request.getRequestURI(), response.getStatus(), millis);
			MDC.remove(RequestIds.MDC_KEY);
		}
	}

}
