package dev.music.common.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import dev.music.common.Unauthorized;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokensTests {

	private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

	private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);

	private final Tokens tokens = new Tokens(KEY, "music-s1", "music", Duration.ofHours(1), NOW);

	@Test
	void verifiesWhatItIssued() {
		assertThat(this.tokens.verify(this.tokens.issue("b66f61e7-4fad-402f-aaad-101e3e2522d3")))
			.isEqualTo("b66f61e7-4fad-402f-aaad-101e3e2522d3");
	}

	@Test
	void refusesAForgedSignature() {
		Tokens other = new Tokens("another key of at least 32 bytes!!".getBytes(StandardCharsets.UTF_8), "music-s1",
				"music", Duration.ofHours(1), NOW);
		assertThatThrownBy(() -> this.tokens.verify(other.issue("u"))).isInstanceOf(Unauthorized.class)
			.hasMessageContaining("signature");
	}

	@Test
	void refusesATamperedPayload() {
		String[] parts = this.tokens.issue("alice").split("\\.");
		String payload = encode("{\"user_id\":\"mallory\",\"iss\":\"music-s1\",\"aud\":\"music\",\"exp\":9999999999}");
		assertThatThrownBy(() -> this.tokens.verify(parts[0] + "." + payload + "." + parts[2]))
			.isInstanceOf(Unauthorized.class);
	}

	@Test
	void refusesAnExpiredToken() {
		Tokens past = new Tokens(KEY, "music-s1", "music", Duration.ofHours(1), Clock.offset(NOW, Duration.ofHours(-2)));
		assertThatThrownBy(() -> this.tokens.verify(past.issue("u"))).isInstanceOf(Unauthorized.class)
			.hasMessageContaining("expired");
	}

	@Test
	void refusesAnotherAudienceOrIssuer() {
		Tokens otherAudience = new Tokens(KEY, "music-s1", "billing", Duration.ofHours(1), NOW);
		assertThatThrownBy(() -> this.tokens.verify(otherAudience.issue("u"))).hasMessageContaining("audience");
		Tokens otherIssuer = new Tokens(KEY, "evil", "music", Duration.ofHours(1), NOW);
		assertThatThrownBy(() -> this.tokens.verify(otherIssuer.issue("u"))).hasMessageContaining("issuer");
	}

	@Test
	void refusesAlgNoneAndOtherAlgorithms() {
		String payload = encode("{\"user_id\":\"u\",\"iss\":\"music-s1\",\"aud\":\"music\",\"exp\":9999999999}");
		assertThatThrownBy(() -> this.tokens.verify(encode("{\"alg\":\"none\"}") + "." + payload + "."))
			.isInstanceOf(Unauthorized.class)
			.hasMessageContaining("HS256");
		assertThatThrownBy(() -> this.tokens.verify(encode("{\"alg\":\"HS512\"}") + "." + payload + ".c2ln"))
			.hasMessageContaining("HS256");
	}

	@Test
	void refusesMalformedTokens() {
		for (String bad : new String[] { "", "abc", "a.b", "a.b.c.d", "!!!.???.***", encode("[]") + ".e30.sig" }) {
			assertThatThrownBy(() -> this.tokens.verify(bad)).as(bad).isInstanceOf(Unauthorized.class);
		}
	}

	@Test
	void refusesShortKeys() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Tokens(new byte[31], "i", "a", Duration.ofHours(1), NOW))
			.withMessageContaining("32 bytes");
	}

	private static String encode(String json) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

}
