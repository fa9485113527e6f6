package dev.music.s1.login;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import dev.music.common.auth.AuthProperties;
import dev.music.common.auth.JsonAuthErrors;
import dev.music.common.auth.ServiceSecurity;
import dev.music.common.auth.TokenDecoders;
import dev.music.common.ratelimit.RateLimitProperties;
import dev.music.common.ratelimit.RateLimits;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * s1's keys, tokens and security filter chain: signup, login, logoff, the JWK set and the probes are open; reading,
 * changing and deleting a user need a token s1 signed. Login and signup are rate limited per client address.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SigningProperties.class)
public class LoginSecurity {

	static final String PREFIX = "/api/v1/user";

	@Bean
	SigningKeys signingKeys(SigningProperties properties) {
		return SigningKeys.load(properties);
	}

	@Bean
	TokenIssuer tokenIssuer(SigningKeys keys, AuthProperties auth, SigningProperties signing) {
		return new TokenIssuer(keys, auth.issuer(), auth.audience(), signing.tokenTtl(), Clock.systemUTC());
	}

	@Bean
	Passwords passwords(@Value("${auth.password-concurrency:2}") int concurrency) {
		return new Passwords(concurrency);
	}

	/** s1 checks its own tokens with its published keys: exactly what s2 gets from the JWK set. */
	@Bean
	JwtDecoder userTokenDecoder(SigningKeys keys, AuthProperties auth) {
		return TokenDecoders.decoder(new ImmutableJWKSet<>(keys.publicKeys()), Set.of(JWSAlgorithm.ES256),
				TokenDecoders.issuer(auth.issuer()), auth.audience(), SigningProperties.MAX_TTL, Clock.systemUTC());
	}

	@Bean
	SecurityFilterChain s1Security(HttpSecurity http, JwtDecoder decoder, AuthProperties auth, JsonAuthErrors errors)
			throws Exception {
		return ServiceSecurity.chain(http, decoder, auth.compat(), errors, (open) -> open
			.requestMatchers(HttpMethod.POST, PREFIX, PREFIX + "/")
			.permitAll()
			.requestMatchers(HttpMethod.PUT, PREFIX + "/login", PREFIX + "/logoff")
			.permitAll()
			.requestMatchers(HttpMethod.GET, PREFIX + "/.well-known/jwks.json", PREFIX + "/health", PREFIX + "/readiness")
			.permitAll());
	}

	@Bean
	FilterRegistrationBean<RateLimits> s1RateLimits(RateLimitProperties limits) {
		return RateLimits.registration(List.of(
				new RateLimits.Rule("login", "PUT", List.of(PREFIX + "/login"), limits.loginPerMinute(),
						java.time.Duration.ofMinutes(1)),
				new RateLimits.Rule("signup", "POST", List.of(PREFIX, PREFIX + "/"), limits.signupPerHour(),
						java.time.Duration.ofHours(1))),
				limits.maxAddresses());
	}

}
