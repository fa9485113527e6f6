package dev.music.s1.login;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys behind s1's tokens: the current one signs; the current, next and previous ones are published in the JWK
 * set, each with its RFC 7638 thumbprint as {@code kid}, so every s1 pod names the same key the same way.
 * Only s1 holds private keys; the JWK set it publishes has the public halves only.
 */
public final class SigningKeys {

	private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

	private final ECKey current;

	private final JWKSet published;

	SigningKeys(ECKey current, List<ECKey> others) {
		this.current = current;
		List<JWK> keys = new ArrayList<>(List.of(current.toPublicJWK()));
		others.forEach((key) -> keys.add(key.toPublicJWK()));
		this.published = new JWKSet(keys);
	}

	static SigningKeys load(SigningProperties properties) {
		List<ECKey> others = new ArrayList<>();
		for (String file : List.of(properties.nextKeyFile(), properties.previousKeyFile())) {
			if (!file.isBlank() && Files.isRegularFile(Path.of(file))) {
				others.add(read(Path.of(file)));
			}
		}
		ECKey current;
		if (properties.keyFile().isBlank()) {
			log.warn("AUTH_SIGNING_KEY_FILE is not set: signing with a random key, so tokens outlive neither this process"
					+ " nor reach another s1");
			current = generate();
		}
		else {
			current = read(Path.of(properties.keyFile()));
		}
		SigningKeys keys = new SigningKeys(current, others);
		log.info("Signing tokens with key {}; publishing {}", current.getKeyID(),
				keys.published.getKeys().stream().map(JWK::getKeyID).toList());
		return keys;
	}

	/** The key that signs, with its private half. */
	ECKey current() {
		return this.current;
	}

	/** What {@code GET /api/v1/user/.well-known/jwks.json} answers: public keys only. */
	public JWKSet publicKeys() {
		return this.published;
	}

	static ECKey generate() {
		try {
			return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.ES256)
				.keyIDFromThumbprint(true)
				.generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("cannot generate an EC P-256 key", ex);
		}
	}

	static ECKey read(Path file) {
		String pem;
		try {
			pem = Files.readString(file, StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new IllegalStateException("signing key file " + file + " cannot be read: " + ex.getMessage(), ex);
		}
		try {
			return fromPem(pem);
		}
		catch (IllegalArgumentException | GeneralSecurityException | JOSEException ex) {
			throw new IllegalStateException("signing key file " + file + " is not an EC P-256 private key in PEM (make one"
					+ " with: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + file.getFileName()
					+ "): " + ex.getMessage(), ex);
		}
	}

	/** A P-256 private key (PKCS#8 or SEC1 PEM) with its public key, which is computed from it (Q = d x G). */
	static ECKey fromPem(String pem) throws GeneralSecurityException, JOSEException {
		ECParameterSpec p256 = Curve.P_256.toECParameterSpec();
		BigInteger d;
		if (pem.contains("-----BEGIN PRIVATE KEY-----")) {
			ECPrivateKey key = (ECPrivateKey) KeyFactory.getInstance("EC")
				.generatePrivate(new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY")));
			if (!key.getParams().getCurve().equals(p256.getCurve())) {
				throw new IllegalArgumentException("the key is not on curve P-256");
			}
			d = key.getS();
		}
		else if (pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
			d = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(der(pem, "EC PRIVATE KEY")).getKey();
		}
		else {
			throw new IllegalArgumentException("no BEGIN PRIVATE KEY or BEGIN EC PRIVATE KEY block");
		}
		var q = ECNamedCurveTable.getParameterSpec("secp256r1").getG().multiply(d).normalize();
		KeyFactory ec = KeyFactory.getInstance("EC");
		ECPublicKey publicKey = (ECPublicKey) ec.generatePublic(new ECPublicKeySpec(
				new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), p256));
		ECPrivateKey privateKey = (ECPrivateKey) ec.generatePrivate(new ECPrivateKeySpec(d, p256));
		return new ECKey.Builder(Curve.P_256, publicKey).privateKey(privateKey)
			.keyUse(KeyUse.SIGNATURE)
			.algorithm(JWSAlgorithm.ES256)
			.keyIDFromThumbprint()
			.build();
	}

	private static byte[] der(String pem, String type) {
		int start = pem.indexOf("-----BEGIN " + type + "-----");
		int end = pem.indexOf("-----END " + type + "-----");
		if (start < 0 || end < start) {
			throw new IllegalArgumentException("no complete " + type + " block");
		}
		String body = pem.substring(start + ("-----BEGIN " + type + "-----").length(), end);
		return Base64.getMimeDecoder().decode(body);
	}

}
