package dev.music.common.ratelimit;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-address token buckets (Bucket4j) on the routes a service names; a request over the limit gets 429 JSON with
 * {@code Retry-After} before it costs a password hash or a DynamoDB call. The buckets of each route live in a
 * Caffeine cache bounded in size and idle time, so many addresses cannot grow the memory without bound.
 */
public final class RateLimits extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(RateLimits.class);

	/** Requests with {@code method} to exactly one of {@code paths}: {@code capacity} per {@code period}. */
	public record Rule(String name, String method, List<String> paths, int capacity, Duration period) {

		boolean matches(HttpServletRequest request) {
			return this.method.equals(request.getMethod()) && this.paths.contains(request.getRequestURI());
		}

	}

	private record Limited(Rule rule, Cache<String, Bucket> buckets) {
	}

	private final List<Limited> limited;

	public RateLimits(List<Rule> rules, int maxAddresses) {
		this.limited = rules.stream()
			.map((rule) -> new Limited(rule, Caffeine.newBuilder()
				.maximumSize(maxAddresses)
				.expireAfterAccess(rule.period().multipliedBy(2))
				.<String, Bucket>build()))
			.toList();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		for (Limited l : this.limited) {
			if (l.rule().matches(request)) {
				String address = ClientAddress.of(request);
				ConsumptionProbe probe = l.buckets().get(address, (a) -> bucket(l.rule())).tryConsumeAndReturnRemaining(1);
				if (!probe.isConsumed()) {
					long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
					log.info("rate limit {} reached for {}: 429, retry after {} s", l.rule().name(), address, seconds);
					response.setStatus(429);
					response.setHeader("Retry-After", String.valueOf(seconds));
					response.setContentType(MediaType.APPLICATION_JSON_VALUE);
					response.getWriter()
						.write("{\"error\":\"too many " + l.rule().name() + " requests from your address; retry after "
								+ seconds + " s\"}");
					return;
				}
			}
		}
		chain.doFilter(request, response);
	}

	/** Registered right after the access log, so a 429 is logged and comes before authentication. */
	public static org.springframework.boot.web.servlet.FilterRegistrationBean<RateLimits> registration(List<Rule> rules,
			int maxAddresses) {
		var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(new RateLimits(rules, maxAddresses));
		registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	private static Bucket bucket(Rule rule) {
		return Bucket.builder()
			.addLimit(Bandwidth.builder().capacity(rule.capacity()).refillGreedy(rule.capacity(), rule.period()).build())
			.build();
	}

}
