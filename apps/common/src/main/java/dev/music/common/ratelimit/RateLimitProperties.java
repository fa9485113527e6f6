package dev.music.common.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Requests one client address may make, per route (s1: login and signup; s2: the song list, a DynamoDB Scan each).
 * Each is a token bucket: that many at once, refilled evenly over the period.
 *
 * @param loginPerMinute {@code PUT /api/v1/user/login} ({@code RATE_LIMIT_LOGIN_PER_MINUTE})
 * @param signupPerHour {@code POST /api/v1/user} ({@code RATE_LIMIT_SIGNUP_PER_HOUR})
 * @param listPerMinute {@code GET /api/v1/music} ({@code RATE_LIMIT_LIST_PER_MINUTE})
 * @param maxAddresses how many addresses' buckets are kept per route; the least recently seen go first
 * ({@code RATE_LIMIT_MAX_ADDRESSES})
 */
@ConfigurationProperties("ratelimit")
public record RateLimitProperties(@DefaultValue("10") int loginPerMinute, @DefaultValue("20") int signupPerHour,
		@DefaultValue("120") int listPerMinute, @DefaultValue("10000") int maxAddresses) {
}
