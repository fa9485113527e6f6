package dev.music.db.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks HTTP Basic {@code svc-loader:<token>} on {@code /load}, in constant time. With no token configured,
 * loading is switched off rather than open.
 */
final class LoaderCredentials {

	private static final Logger log = LoggerFactory.getLogger(LoaderCredentials.class);

	static final String USER = "svc-loader";

	private final byte[] expected;

	LoaderCredentials(String token) {
		this.expected = token.isEmpty() ? null
				: ("Basic " + Base64.getEncoder().encodeToString((USER + ":" + token).getBytes(StandardCharsets.UTF_8)))
					.getBytes(StandardCharsets.UTF_8);
		if (this.expected == null) {
			log.warn("DB_LOADER_TOKEN is empty: /load refuses every call until it is set");
		}
	}

	/** {@code null} when the header is right, otherwise why not. */
	String problem(String authorization) {
		if (this.expected == null) {
			return "loading is disabled: db has no loader token (DB_LOADER_TOKEN)";
		}
		if (authorization == null || authorization.isBlank()) {
			return "missing credentials: use HTTP Basic " + USER + ":<token>";
		}
		if (!MessageDigest.isEqual(this.expected, authorization.trim().getBytes(StandardCharsets.UTF_8))) {
			return "wrong credentials for " + USER;
		}
		return null;
	}

}
