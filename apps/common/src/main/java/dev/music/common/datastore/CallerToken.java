package dev.music.common.datastore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * This service's credential for db: a token file that someone else keeps fresh (kubelet for a projected
 * ServiceAccount token with audience {@code db}; scripts/dev.java and the tests locally). Read again at most every
 * {@link #REREAD}, so a rotated token is picked up without a restart; never logged.
 */
final class CallerToken {

	static final Duration REREAD = Duration.ofSeconds(30);

	private final Path file;

	private String token;

	private long readAt;

	CallerToken(String file) {
		this.file = file.isBlank() ? null : Path.of(file);
	}

	/** {@code Bearer <token>}, or {@code null} when there is no token file (db will answer 401). */
	synchronized String header() {
		if (this.file == null) {
			return null;
		}
		long now = System.nanoTime();
		if (this.token == null || now - this.readAt > REREAD.toNanos()) {
			try {
				this.token = Files.readString(this.file, StandardCharsets.UTF_8).strip();
				this.readAt = now;
			}
			catch (IOException ex) {
				// keep the last token we had; db says 401 if it has expired
				if (this.token == null) {
					return null;
				}
			}
		}
		return "Bearer " + this.token;
	}

	String describe() {
		return (this.file == null) ? "no DB_TOKEN_FILE" : "the token in " + this.file;
	}

}
