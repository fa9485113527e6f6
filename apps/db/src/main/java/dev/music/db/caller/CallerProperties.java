package dev.music.db.caller;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call db, and how db checks it. Callers send a JWT with audience {@code db}: in a cluster the projected
 * ServiceAccount token kubelet keeps fresh, checked against the cluster's own keys; locally the same kind of
 * token from scripts/dev.java's issuer. See apps/db/README.md.
 *
 * @param jwksUri the issuer's public keys: {@code https://kubernetes.default.svc/openid/v1/jwks} in a cluster, a
 * {@code file:} URL locally ({@code DB_CALLER_JWKS_URI}); empty: every data route answers 401
 * @param issuer the expected {@code iss} ({@code DB_CALLER_ISSUER}); empty: read it from the OpenID discovery
 * document next to an https key set (the cluster's, whose issuer differs per cluster)
 * @param audience the expected {@code aud} ({@code DB_CALLER_AUDIENCE})
 * @param namespace callers are ServiceAccounts {@code s1}, {@code s2}, {@code loader} of this namespace
 * ({@code DB_CALLER_NAMESPACE})
 * @param jwksTokenFile a bearer token for fetching the key set: the API server wants db's own ServiceAccount token
 * ({@code DB_CALLER_JWKS_TOKEN_FILE})
 * @param jwksCaFile the CA bundle of an https key set: the cluster's CA ({@code DB_CALLER_JWKS_CA_FILE})
 * @param cacheTtl how long fetched keys are used before they are fetched again ({@code DB_CALLER_JWKS_CACHE_TTL})
 */
@ConfigurationProperties("callers")
public record CallerProperties(@DefaultValue("") String jwksUri, @DefaultValue("") String issuer,
		@DefaultValue("db") String audience, @DefaultValue("music") String namespace,
		@DefaultValue("") String jwksTokenFile, @DefaultValue("") String jwksCaFile,
		@DefaultValue("PT5M") Duration cacheTtl) {
}
