package dev.music.db.caller;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import dev.music.common.auth.JsonAuthErrors;
import dev.music.common.auth.ServiceSecurity;
import dev.music.common.auth.TokenDecoders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * db's security filter chain: every data route needs a caller token (what each caller may do is {@link Caller}'s
 * rule, applied by the routes once they know the object type); the probes and the actuator are open. Tokens are
 * RS256 (Kubernetes) or ES256 (scripts/dev.java's issuer), checked like user tokens by {@link TokenDecoders}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CallerProperties.class)
public class CallerSecurity {

	private static final Logger log = LoggerFactory.getLogger(CallerSecurity.class);

	static final String PREFIX = "/api/v1/datastore";

	/** Kubernetes' projected tokens may live this long (kubelet asks for 10 minutes to an hour here). */
	static final Duration MAX_LIFETIME = Duration.ofHours(1);

	@Bean
	JwtDecoder callerTokenDecoder(CallerProperties callers) throws IOException {
		if (callers.jwksUri().isBlank()) {
			log.warn("DB_CALLER_JWKS_URI is not set: every data route answers 401 until db knows its callers' keys");
			return (token) -> {
				throw new BadJwtException("db has no caller keys (DB_CALLER_JWKS_URI is empty)");
			};
		}
		URI uri = URI.create(callers.jwksUri());
		KeySetRetriever retriever = new KeySetRetriever(callers.jwksTokenFile(), callers.jwksCaFile());
		JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(uri.toURL(), retriever)
			.cache(callers.cacheTtl().toMillis(), 3000)
			.rateLimited(10_000)
			.outageTolerant(Duration.ofHours(1).toMillis())
			.build();
		OAuth2TokenValidator<Jwt> issuer;
		if (!callers.issuer().isBlank()) {
			issuer = TokenDecoders.issuer(callers.issuer());
		}
		else if ("https".equals(uri.getScheme())) {
			issuer = new DiscoveredIssuer(uri, retriever);
		}
		else {
			throw new IllegalStateException("DB_CALLER_ISSUER is empty and " + uri
					+ " has no discovery document: set DB_CALLER_ISSUER to the issuer that signs the callers' tokens");
		}
		log.info("Callers: tokens for audience {} from {} (issuer {}), ServiceAccounts s1, s2, loader of namespace {}",
				callers.audience(), uri, callers.issuer().isBlank() ? "discovered" : callers.issuer(), callers.namespace());
		return TokenDecoders.decoder(keys, Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), issuer, callers.audience(),
				MAX_LIFETIME, Clock.systemUTC());
	}

	@Bean
	SecurityFilterChain dbSecurity(HttpSecurity http, JwtDecoder decoder) throws Exception {
		return ServiceSecurity.chain(http, decoder, false, new JsonAuthErrors(CallerSecurity::body), (open) -> open
			.requestMatchers(HttpMethod.GET, PREFIX + "/health", PREFIX + "/readiness")
			.permitAll());
	}

	/** {@code /load} answers in the course's shape, the rest like every other error. */
	private static Map<String, Object> body(jakarta.servlet.http.HttpServletRequest request, int status, String message) {
		if (!request.getRequestURI().endsWith("/load")) {
			return JsonAuthErrors.ERROR.body(request, status, message);
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("http_status_code", status);
		body.put("reason", message);
		return body;
	}

}
