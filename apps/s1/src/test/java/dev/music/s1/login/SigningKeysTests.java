package dev.music.s1.login;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.music.common.auth.TokenDecoders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningKeysTests {

	@TempDir
	Path dir;

	@Test
	void readsPkcs8AndSec1PemAndNamesTheKeyByItsThumbprint() throws Exception {
		ECPrivateKey key = newKey();
		Path pkcs8 = Files.writeString(this.dir.resolve("a.pem"), pem("PRIVATE KEY", key.getEncoded()));
		Path sec1 = Files.writeString(this.dir.resolve("b.pem"), pem("EC PRIVATE KEY",
				new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS()).getEncoded()));
		String kid = SigningKeys.read(pkcs8).getKeyID();
		assertThat(SigningKeys.read(sec1).getKeyID()).isEqualTo(kid).isEqualTo(SigningKeys.read(pkcs8).computeThumbprint().toString());
		SigningKeys keys = load(pkcs8, null, null);
		String token = issuer(keys).issue("u");
		assertThat(decoder(keys).decode(token).getSubject()).isEqualTo("u");
		assertThat(SignedJWT.parse(token).getHeader().getKeyID()).isEqualTo(kid);
	}

	@Test
	void aTokenSignedWithThePreviousKeyStillPassesAfterRotation() throws Exception {
		Path a = Files.writeString(this.dir.resolve("a.pem"), pem("PRIVATE KEY", newKey().getEncoded()));
		Path b = Files.writeString(this.dir.resolve("b.pem"), pem("PRIVATE KEY", newKey().getEncoded()));
		SigningKeys before = load(a, null, null);
		String signedWithA = issuer(before).issue("alice");

		// step 1: b is announced as the next key; a still signs
		SigningKeys announced = load(a, null, b);
		assertThat(kids(announced)).containsExactly(SigningKeys.read(a).getKeyID(), SigningKeys.read(b).getKeyID());
		assertThat(SignedJWT.parse(issuer(announced).issue("bob")).getHeader().getKeyID()).isEqualTo(SigningKeys.read(a).getKeyID());
		String signedWithB = issuer(load(b, a, null)).issue("bob");
		assertThat(decoder(announced).decode(signedWithB).getSubject()).as("a verifier that knows only the old pods' keys")
			.isEqualTo("bob");

		// step 2: b signs, a is the previous key: both tokens pass
		SigningKeys rotated = load(b, a, null);
		assertThat(decoder(rotated).decode(signedWithA).getSubject()).isEqualTo("alice");
		assertThat(decoder(rotated).decode(signedWithB).getSubject()).isEqualTo("bob");

		// step 3, an hour later: a is gone, and so are its tokens
		SigningKeys done = load(b, null, null);
		assertThatThrownBy(() -> decoder(done).decode(signedWithA)).isInstanceOf(JwtException.class);
		assertThat(done.publicKeys().getKeys()).allSatisfy((k) -> assertThat(k.isPrivate()).isFalse());
	}

	@Test
	void aFileThatIsNoP256KeySaysHowToMakeOne() throws Exception {
		Path junk = Files.writeString(this.dir.resolve("junk.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
		assertThatThrownBy(() -> SigningKeys.read(junk)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256");
		assertThatThrownBy(() -> SigningKeys.read(this.dir.resolve("missing.pem"))).hasMessageContaining("cannot be read");
		assertThatThrownBy(() -> new SigningProperties("", "", "", Duration.ofHours(2))).hasMessageContaining("PT1H");
	}

	private static SigningKeys load(Path current, Path previous, Path next) {
		return SigningKeys.load(new SigningProperties(current.toString(), (previous != null) ? previous.toString() : "",
				(next != null) ? next.toString() : "", Duration.ofHours(1)));
	}

	private static TokenIssuer issuer(SigningKeys keys) {
		return new TokenIssuer(keys, "music-s1", "music", Duration.ofHours(1), Clock.systemUTC());
	}

	private static JwtDecoder decoder(SigningKeys keys) {
		return TokenDecoders.decoder(new ImmutableJWKSet<>(keys.publicKeys()), Set.of(JWSAlgorithm.ES256),
				TokenDecoders.issuer("music-s1"), "music", Duration.ofHours(1), Clock.systemUTC());
	}

	private static List<String> kids(SigningKeys keys) {
		return keys.publicKeys().getKeys().stream().map(JWK::getKeyID).toList();
	}

	static ECPrivateKey newKey() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		return (ECPrivateKey) generator.generateKeyPair().getPrivate();
	}

	static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

}
