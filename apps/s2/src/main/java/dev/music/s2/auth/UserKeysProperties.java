package dev.music.s2.auth;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where s2 gets the public keys that check user tokens: s1's JWK set. s2 holds no private key.
 *
 * @param uri s1's JWK set ({@code AUTH_JWKS_URI})
 * @param cacheTtl how long a fetched key set is used before it is fetched again; an unknown {@code kid} fetches at
 * once, at most every {@code refreshMinInterval} ({@code AUTH_JWKS_CACHE_TTL})
 * @param refreshMinInterval least time between two fetches ({@code AUTH_JWKS_REFRESH_MIN_INTERVAL})
 * @param outageTolerance how long the last key set is still used while s1 does not answer
 * ({@code AUTH_JWKS_OUTAGE_TOLERANCE})
 */
@ConfigurationProperties("auth.jwks")
public record UserKeysProperties(
		@DefaultValue("http://localhost:30000/api/v1/user/.well-known/jwks.json") URI uri,
		@DefaultValue("PT5M") Duration cacheTtl, @DefaultValue("PT10S") Duration refreshMinInterval,
		@DefaultValue("PT1H") Duration outageTolerance) {
}
