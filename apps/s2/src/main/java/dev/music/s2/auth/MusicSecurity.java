package dev.music.s2.auth;

import java.net.MalformedURLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import dev.music.common.auth.AuthProperties;
import dev.music.common.auth.JsonAuthErrors;
import dev.music.common.auth.ServiceSecurity;
import dev.music.common.auth.TokenDecoders;
import dev.music.common.ratelimit.RateLimitProperties;
import dev.music.common.ratelimit.RateLimits;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * s2's security filter chain: every route but the probes needs a user token, checked against s1's published keys
 * (cached; an unknown {@code kid} refetches, rate limited; the last keys are kept through an s1 outage). The song
 * list, a DynamoDB Scan per call, is rate limited per client address.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UserKeysProperties.class)
public class MusicSecurity {

	static final String PREFIX = "/api/v1/music";

	@Bean
	JwtDecoder userTokenDecoder(UserKeysProperties keys, AuthProperties auth) throws MalformedURLException {
		JWKSource<SecurityContext> source = JWKSourceBuilder
			.<SecurityContext>create(keys.uri().toURL(), new DefaultResourceRetriever(1000, 2000, 64 * 1024))
			.cache(keys.cacheTtl().toMillis(), 2000)
			.rateLimited(keys.refreshMinInterval().toMillis())
			.outageTolerant(keys.outageTolerance().toMillis())
			.build();
		return TokenDecoders.decoder(source, Set.of(JWSAlgorithm.ES256), TokenDecoders.issuer(auth.issuer()),
				auth.audience(), Duration.ofHours(1), Clock.systemUTC());
	}

	@Bean
	SecurityFilterChain s2Security(HttpSecurity http, JwtDecoder decoder, AuthProperties auth, JsonAuthErrors errors)
			throws Exception {
		return ServiceSecurity.chain(http, decoder, auth.compat(), errors, (open) -> open
			.requestMatchers(HttpMethod.GET, PREFIX + "/health", PREFIX + "/readiness")
			.permitAll());
	}

	@Bean
	FilterRegistrationBean<RateLimits> s2RateLimits(RateLimitProperties limits) {
		return RateLimits.registration(List.of(new RateLimits.Rule("list", "GET", List.of(PREFIX, PREFIX + "/"),
				limits.listPerMinute(), Duration.ofMinutes(1))), limits.maxAddresses());
	}

}
