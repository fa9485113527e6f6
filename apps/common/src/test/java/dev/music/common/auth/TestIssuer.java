package dev.music.common.auth;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/**
 * A token issuer for tests: an EC P-256 key with a {@code kid}, tokens with any claims (also broken and hostile
 * ones), its public JWK set as a file or served on loopback. Stands in for s1's keys (user tokens) or for the
 * cluster's ServiceAccount issuer (db's callers).
 */
public final class TestIssuer implements AutoCloseable {

	private final ECKey key;

	private final String issuer;

	private final String audience;

	private final AtomicInteger jwksRequests = new AtomicInteger();

	private HttpServer server;

	public TestIssuer(String issuer, String audience) {
		this(generate(), issuer, audience);
	}

	/** An issuer with this key, e.g. the one a real s1 signs with, to mint tokens with broken claims. */
	public TestIssuer(ECKey key, String issuer, String audience) {
		this.key = key;
		this.issuer = issuer;
		this.audience = audience;
	}

	/** A P-256 key named by its thumbprint, as s1 names its keys. */
	public static ECKey generate() {
		try {
			return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.ES256)
				.keyIDFromThumbprint(true)
				.generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public String issuer() {
		return this.issuer;
	}

	public String kid() {
		return this.key.getKeyID();
	}

	/** A valid token for {@code subject}, five minutes long. */
	public String token(String subject) {
		return token(subject, (claims) -> {
		});
	}

	/** A token for {@code subject} whose claims {@code change} may alter. */
	public String token(String subject, Consumer<JWTClaimsSet.Builder> change) {
		return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid()).build(), claims(subject, change));
	}

	/** A token signed with this issuer's key but naming another {@code kid}. */
	public String tokenWithKid(String subject, String kid) {
		return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(), claims(subject, (c) -> {
		}));
	}

	/** Algorithm confusion: HS256 with the public key's JSON as the shared secret, as an attacker would try. */
	public String hs256WithThePublicKey(String subject) {
		try {
			byte[] secret = this.key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid()).build(),
					claims(subject, (c) -> {
					}));
			jwt.sign(new MACSigner(secret));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Algorithm confusion against a published key set: HS256 keyed with the JWK set's text, no kid needed. */
	public static String hs256(String jwksJson, String subject) {
		try {
			Instant now = Instant.now();
			JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject)
				.issuer("music-s1")
				.audience("music")
				.issueTime(Date.from(now))
				.expirationTime(Date.from(now.plusSeconds(300)))
				.build();
			String kid = JWKSet.parse(jwksJson).getKeys().get(0).getKeyID();
			byte[] secret = JWKSet.parse(jwksJson).getKeys().get(0).toJSONString().getBytes(StandardCharsets.UTF_8);
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims);
			jwt.sign(new MACSigner(secret));
			return jwt.serialize();
		}
		catch (JOSEException | java.text.ParseException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** {@code alg: none}: valid claims, no signature. */
	public String algNone(String subject) {
		Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
		String header = b64.encodeToString(("{\"alg\":\"none\",\"kid\":\"" + kid() + "\"}").getBytes(StandardCharsets.UTF_8));
		String payload = b64.encodeToString(claims(subject, (c) -> {
		}).toString().getBytes(StandardCharsets.UTF_8));
		return header + "." + payload + ".";
	}

	public String jwksJson() {
		return new JWKSet(this.key.toPublicJWK()).toString();
	}

	public Path writeJwks(Path file) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.writeString(file, jwksJson());
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Serves the public JWK set on loopback; returns its URL. */
	public synchronized String serveJwks() {
		if (this.server == null) {
			try {
				this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			this.server.createContext("/jwks.json", (exchange) -> {
				this.jwksRequests.incrementAndGet();
				byte[] body = jwksJson().getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			this.server.start();
		}
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/jwks.json";
	}

	/** How often the served JWK set was fetched. */
	public int jwksRequests() {
		return this.jwksRequests.get();
	}

	@Override
	public synchronized void close() {
		if (this.server != null) {
			this.server.stop(0);
			this.server = null;
		}
	}

	private JWTClaimsSet claims(String subject, Consumer<JWTClaimsSet.Builder> change) {
		Instant now = Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject)
			.issuer(this.issuer)
			.audience(this.audience)
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
			.jwtID(UUID.randomUUID().toString());
		change.accept(claims);
		return claims.build();
	}

	private String sign(JWSHeader header, JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(header, claims);
			jwt.sign(new ECDSASigner(this.key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
