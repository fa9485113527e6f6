package dev.music.db.caller;

import java.io.IOException;
import java.net.URI;
import java.net.URL;

import com.nimbusds.jose.util.ResourceRetriever;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;

/**
 * The {@code iss} check when the issuer is not configured: Kubernetes names it in its OpenID discovery document
 * ({@code /.well-known/openid-configuration} on the API server), fetched over the same TLS as the keys, on first
 * use and again after a failure. While it cannot be read, tokens cannot be checked: a 503, not a 401.
 */
final class DiscoveredIssuer implements OAuth2TokenValidator<Jwt> {

	private final URL discovery;

	private final ResourceRetriever retriever;

	private volatile JwtIssuerValidator validator;

	DiscoveredIssuer(URI jwksUri, ResourceRetriever retriever) throws IOException {
		this.discovery = jwksUri.resolve("/.well-known/openid-configuration").toURL();
		this.retriever = retriever;
	}

	@Override
	public OAuth2TokenValidatorResult validate(Jwt token) {
		JwtIssuerValidator current = this.validator;
		if (current == null) {
			current = new JwtIssuerValidator(fetch());
			this.validator = current;
		}
		return current.validate(token);
	}

	private String fetch() {
		try {
			JsonNode document = JsonMapper.builder().build().readTree(this.retriever.retrieveResource(this.discovery).getContent());
			String issuer = document.path("issuer").asString("");
			if (issuer.isBlank()) {
				throw new JwtException("the discovery document " + this.discovery + " names no issuer");
			}
			return issuer;
		}
		catch (IOException | RuntimeException ex) {
			if (ex instanceof JwtException jwt) {
				throw jwt;
			}
			throw new JwtException("cannot read the callers' issuer from " + this.discovery + ": " + ex.getMessage(), ex);
		}
	}

}
