package dev.music.s1.login;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * s1's signing keys and token lifetime. Each key file is an EC P-256 private key in PEM (PKCS#8
 * {@code BEGIN PRIVATE KEY}, or SEC1 {@code BEGIN EC PRIVATE KEY}); a missing or empty path means none.
 *
 * @param keyFile the key that signs new tokens ({@code AUTH_SIGNING_KEY_FILE}); empty: a random key per process,
 * for tests and a single s1 started by hand
 * @param previousKeyFile the key that signed until the last rotation: published until its last token has expired
 * ({@code AUTH_PREVIOUS_KEY_FILE})
 * @param nextKeyFile the key of the coming rotation: published before it signs, so every verifier knows it in time
 * ({@code AUTH_NEXT_KEY_FILE})
 * @param tokenTtl how long a token is valid, at most {@link #MAX_TTL} ({@code AUTH_TOKEN_TTL})
 */
@ConfigurationProperties("auth.signing")
public record SigningProperties(@DefaultValue("") String keyFile, @DefaultValue("") String previousKeyFile,
		@DefaultValue("") String nextKeyFile, @DefaultValue("PT1H") Duration tokenTtl) {

	public static final Duration MAX_TTL = Duration.ofHours(1);

	public SigningProperties {
		if (tokenTtl.isNegative() || tokenTtl.isZero() || tokenTtl.compareTo(MAX_TTL) > 0) {
			throw new IllegalArgumentException("AUTH_TOKEN_TTL must be more than 0 and at most PT1H, got " + tokenTtl);
		}
	}

}
