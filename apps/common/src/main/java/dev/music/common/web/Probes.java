package dev.music.common.web;

import java.util.Map;
import java.util.function.BooleanSupplier;

import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * {@code <prefix>/health} answers 200 while the process serves HTTP (liveness and startup probes);
 * {@code <prefix>/readiness} answers 200 when {@code ready} says so, 503 otherwise (readiness probe).
 */
public final class Probes {

	private Probes() {
	}

	public static RouterFunction<ServerResponse> routes(String prefix, BooleanSupplier ready) {
		return RouterFunctions.route()
			.GET(prefix + "/health", (request) -> JsonResponses.ok(Map.of("status", "UP")))
			.GET(prefix + "/readiness", (request) -> ready.getAsBoolean()
					? JsonResponses.ok(Map.of("status", "READY"))
					: ErrorResponses.error(HttpStatus.SERVICE_UNAVAILABLE, "not ready"))
			.build();
	}

}
