package dev.music.s1.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Signs user tokens: ES256 with the current key's {@code kid}; {@code sub} (and, for older clients,
 * {@code user_id}) the user id, {@code iss}, {@code aud}, {@code iat} = {@code nbf} = now, {@code exp} at most an
 * hour later, a random {@code jti}.
 */
public final class TokenIssuer {

	private final SigningKeys keys;

	private final String issuer;

	private final String audience;

	private final Duration ttl;

	private final Clock clock;

	public TokenIssuer(SigningKeys keys, String issuer, String audience, Duration ttl, Clock clock) {
		this.keys = keys;
		this.issuer = issuer;
		this.audience = audience;
		this.ttl = ttl;
		this.clock = clock;
	}

	public String issue(String userId) {
		Instant now = this.clock.instant();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(userId)
			.claim("user_id", userId)
			.issuer(this.issuer)
			.audience(this.audience)
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plus(this.ttl)))
			.jwtID(UUID.randomUUID().toString())
			.build();
		JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(this.keys.current().getKeyID())
			.type(JOSEObjectType.JWT)
			.build();
		try {
			SignedJWT jwt = new SignedJWT(header, claims);
			jwt.sign(new ECDSASigner(this.keys.current()));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("cannot sign a token with key " + this.keys.current().getKeyID(), ex);
		}
	}

}
