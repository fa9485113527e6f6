package dev.music.common.auth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Token settings shared by s1 (signs) and s2 (verifies).
 *
 * @param compat accept any non-empty Authorization header, as the old course services did ({@code AUTH_COMPAT})
 * @param keyFile file holding the HS256 key as text, at least 32 bytes ({@code AUTH_KEY_FILE}); when empty a
 * random key is made per process, so tokens verify only in the process that signed them
 * @param issuer the {@code iss} claim ({@code AUTH_ISSUER})
 * @param audience the {@code aud} claim ({@code AUTH_AUDIENCE})
 * @param tokenTtl how long a token is valid ({@code AUTH_TOKEN_TTL})
 */
@ConfigurationProperties("auth")
public record AuthProperties(@DefaultValue("false") boolean compat, @DefaultValue("") String keyFile,
		@DefaultValue("music-s1") String issuer, @DefaultValue("music") String audience,
		@DefaultValue("PT1H") Duration tokenTtl) {
}
