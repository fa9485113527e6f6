package dev.music.s2.exercise;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The exercise's unique code: hex SHA-256 of the registry owner id followed by the exercise id. */
public final class UniqueCode {

	private UniqueCode() {
	}

	public static String of(String owner, String exerciseId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest((owner + exerciseId).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available in this JRE", ex);
		}
	}

}
