package dev.music.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.music.common.Unauthorized;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HS256 JSON Web Tokens (RFC 7519) carrying {@code user_id}, {@code iss}, {@code aud}, {@code iat},
 * {@code exp}. Verification accepts exactly {@code alg: HS256}: {@code none} and every other algorithm are
 * refused, the signature is compared in constant time, and expiry, issuer and audience are checked.
 */
public final class Tokens {

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private static final String HEADER = ENCODER
		.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

	/** Allowed clock difference between the signer and the verifier. */
	private static final long LEEWAY_SECONDS = 30;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final SecretKeySpec key;

	private final String issuer;

	private final String audience;

	private final Duration ttl;

	private final Clock clock;

	public Tokens(byte[] key, String issuer, String audience, Duration ttl, Clock clock) {
		if (key.length < 32) {
			throw new IllegalArgumentException("the token key must be at least 32 bytes (256 bits), got " + key.length);
		}
		this.key = new SecretKeySpec(key, "HmacSHA256");
		this.issuer = issuer;
		this.audience = audience;
		this.ttl = ttl;
		this.clock = clock;
	}

	public String issue(String userId) {
		long now = this.clock.instant().getEpochSecond();
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("user_id", userId);
		claims.put("iss", this.issuer);
		claims.put("aud", this.audience);
		claims.put("iat", now);
		claims.put("exp", now + this.ttl.toSeconds());
		claims.put("jti", UUID.randomUUID().toString());
		String payload = ENCODER.encodeToString(this.mapper.writeValueAsBytes(claims));
		String signingInput = HEADER + "." + payload;
		return signingInput + "." + ENCODER.encodeToString(sign(signingInput));
	}

	/** The token's {@code user_id}, or {@link Unauthorized} saying what is wrong with the token. */
	public String verify(String token) {
		String[] parts = token.split("\\.", -1);
		if (parts.length != 3) {
			throw new Unauthorized("malformed token");
		}
		JsonNode header = decode(parts[0]);
		if (!"HS256".equals(header.path("alg").asString(""))) {
			throw new Unauthorized("token algorithm must be HS256");
		}
		byte[] signature;
		try {
			signature = DECODER.decode(parts[2]);
		}
		catch (IllegalArgumentException ex) {
			throw new Unauthorized("malformed token");
		}
		if (!MessageDigest.isEqual(signature, sign(parts[0] + "." + parts[1]))) {
			throw new Unauthorized("token signature does not verify");
		}
		JsonNode claims = decode(parts[1]);
		long now = this.clock.instant().getEpochSecond();
		if (!claims.path("exp").isIntegralNumber() || claims.path("exp").asLong() + LEEWAY_SECONDS < now) {
			throw new Unauthorized("token has expired");
		}
		if (!this.issuer.equals(claims.path("iss").asString(""))) {
			throw new Unauthorized("token issuer is not " + this.issuer);
		}
		if (!this.audience.equals(claims.path("aud").asString(""))) {
			throw new Unauthorized("token audience is not " + this.audience);
		}
		String userId = claims.path("user_id").asString("");
		if (userId.isEmpty()) {
			throw new Unauthorized("token has no user_id");
		}
		return userId;
	}

	private JsonNode decode(String part) {
		try {
			JsonNode node = this.mapper.readTree(DECODER.decode(part));
			if (node == null || !node.isObject()) {
				throw new Unauthorized("malformed token");
			}
			return node;
		}
		catch (IllegalArgumentException | JacksonException ex) {
			throw new Unauthorized("malformed token");
		}
	}

	private byte[] sign(String signingInput) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available in this JRE", ex);
		}
	}

}
