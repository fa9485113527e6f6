package dev.music.common.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What s1 (signs) and s2 (verifies) agree on about user tokens.
 *
 * @param compat accept any non-empty Authorization header and apply no per-object rules, as the old course services
 * did ({@code AUTH_COMPAT}); refused inside Kubernetes
 * @param issuer the {@code iss} claim ({@code AUTH_ISSUER})
 * @param audience the {@code aud} claim ({@code AUTH_AUDIENCE})
 */
@ConfigurationProperties("auth")
public record AuthProperties(@DefaultValue("false") boolean compat, @DefaultValue("music-s1") String issuer,
		@DefaultValue("music") String audience) {
}
