package dev.music.common.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An HS256 key file for the services' HTTP tests, as the cluster mounts one from a Secret. */
public final class TestKeys {

	private TestKeys() {
	}

	public static Path keyFile() {
		try {
			Path key = Files.createTempFile("auth", ".key");
			Files.writeString(key, "test-key-test-key-test-key-test-key-0123456789");
			key.toFile().deleteOnExit();
			return key;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
