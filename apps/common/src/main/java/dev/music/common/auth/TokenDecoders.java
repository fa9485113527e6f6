package dev.music.common.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * The one way this app checks a JWT, for user tokens (s1, s2) and callers' service-account tokens (db): the
 * signature with a public key from a JWK set, only the asymmetric algorithms named (so {@code alg: none} and HS256
 * signed with a public key are refused), a known {@code kid}, {@code iss}, {@code aud}, {@code exp} present and not
 * past, {@code iat} present and {@code nbf} not in the future, a lifetime of at most {@code maxLifetime}, a subject.
 * Nimbus does the cryptography; Spring Security's validators the claims.
 */
public final class TokenDecoders {

	/** Allowed clock difference between the signer and the verifier. */
	public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

	private TokenDecoders() {
	}

	public static NimbusJwtDecoder decoder(JWKSource<SecurityContext> keys, Set<JWSAlgorithm> algorithms,
			OAuth2TokenValidator<Jwt> issuer, String audience, Duration maxLifetime, Clock clock) {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, unknownWhenRateLimited(keys)));
		// the claims are checked by the validators below, with the same clock and skew
		processor.setJWTClaimsSetVerifier((claims, context) -> {
		});
		NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
		// iss as the string it is: Spring's default turns it into a URL when it can, which for a plain name
		// ("music-s1") throws and catches an IllegalArgumentException on every request (HotPathTests)
		decoder.setClaimSetConverter(MappedJwtClaimSetConverter.withDefaults(Map.of(JwtClaimNames.ISS, (iss) -> iss)));
		JwtTimestampValidator timestamps = new JwtTimestampValidator(CLOCK_SKEW);
		timestamps.setAllowEmptyExpiryClaim(false);
		timestamps.setClock(clock);
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(List.of(timestamps, issuedAt(clock), issuer,
				new JwtAudienceValidator(audience), lifetime(maxLifetime), TokenDecoders::subject)));
		return decoder;
	}

	/**
	 * An unknown {@code kid} makes the key source fetch the key set again, at most so often; a token with an unknown
	 * {@code kid} in between is simply unknown (401), not a key source failure (503).
	 */
	private static JWKSource<SecurityContext> unknownWhenRateLimited(JWKSource<SecurityContext> keys) {
		return (selector, context) -> {
			try {
				return keys.get(selector, context);
			}
			catch (RateLimitReachedException ex) {
				return List.of();
			}
		};
	}

	public static OAuth2TokenValidator<Jwt> issuer(String issuer) {
		return new JwtIssuerValidator(issuer);
	}

	/**
	 * {@code iat} present and not in the future. (Spring's JwtIssuedAtValidator also refuses a token issued more than the
	 * skew ago, a freshness rule for proofs, not for tokens that live up to an hour.)
	 */
	private static OAuth2TokenValidator<Jwt> issuedAt(Clock clock) {
		return (jwt) -> {
			Instant issued = jwt.getIssuedAt();
			if (issued == null || issued.isAfter(clock.instant().plus(CLOCK_SKEW))) {
				return invalid("the token has no iat, or one in the future");
			}
			return OAuth2TokenValidatorResult.success();
		};
	}

	private static OAuth2TokenValidator<Jwt> lifetime(Duration max) {
		return (jwt) -> {
			Instant issued = jwt.getIssuedAt();
			Instant expires = jwt.getExpiresAt();
			if (issued == null || expires == null || Duration.between(issued, expires).compareTo(max) > 0) {
				return invalid("the token lives longer than " + max);
			}
			return OAuth2TokenValidatorResult.success();
		};
	}

	private static OAuth2TokenValidatorResult subject(Jwt jwt) {
		return (jwt.getSubject() == null || jwt.getSubject().isBlank()) ? invalid("the token has no subject")
				: OAuth2TokenValidatorResult.success();
	}

	static OAuth2TokenValidatorResult invalid(String description) {
		return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", description, null));
	}

}
