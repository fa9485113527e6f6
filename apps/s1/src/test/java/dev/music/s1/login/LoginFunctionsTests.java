package dev.music.s1.login;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import dev.music.common.Unauthorized;
import dev.music.common.auth.AuthProperties;
import dev.music.common.auth.TokenDecoders;
import dev.music.common.datastore.DatastoreClient;
import dev.music.common.datastore.DatastoreProperties;
import dev.music.common.datastore.DatastoreStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.JwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoginFunctionsTests {

	static final String TINA = "75ebc062-a808-4a0f-a79b-8ac568564bfe";

	private final DatastoreStub db = new DatastoreStub();

	private final SigningKeys keys = new SigningKeys(SigningKeys.generate(), java.util.List.of());

	private final TokenIssuer tokens = new TokenIssuer(this.keys, "music-s1", "music", Duration.ofMinutes(5),
			Clock.systemUTC());

	private final JwtDecoder decoder = TokenDecoders.decoder(new ImmutableJWKSet<>(this.keys.publicKeys()),
			Set.of(JWSAlgorithm.ES256), TokenDecoders.issuer("music-s1"), "music", Duration.ofHours(1), Clock.systemUTC());

	private final Passwords passwords = new Passwords(1);

	private final DatastoreClient client = new DatastoreClient(
			new DatastoreProperties(this.db.url(), Duration.ofSeconds(1), Duration.ofSeconds(2), 0, ""));

	@AfterEach
	void stop() {
		this.db.close();
	}

	private Function<LoginFunctions.Credentials, String> login(boolean compat) {
		return new LoginFunctions().login(this.client, this.passwords, this.tokens, new AuthProperties(compat, "music-s1", "music"));
	}

	@Test
	void theRightPasswordGetsATokenForThatUser() {
		this.db.put("user", TINA, Map.of("fname", "Tina", "lname", "Weymouth", "email", "t@w", "password_hash",
				this.passwords.hash("genius of love")));
		String token = login(false).apply(new LoginFunctions.Credentials(TINA, "genius of love"));
		assertThat(this.decoder.decode(token).getSubject()).isEqualTo(TINA);
	}

	@Test
	void everyWrongLoginIsTheSameUnauthorized() {
		this.db.put("user", TINA, Map.of("fname", "Tina", "lname", "Weymouth", "email", "t@w", "password_hash",
				this.passwords.hash("genius of love")));
		this.db.put("user", "b66f61e7-4fad-402f-aaad-101e3e2522d3", Map.of("fname", "G", "lname", "C", "email", "g@c"));
		for (LoginFunctions.Credentials wrong : new LoginFunctions.Credentials[] {
				new LoginFunctions.Credentials(TINA, "genius of lovE"), new LoginFunctions.Credentials(TINA, null),
				new LoginFunctions.Credentials("b66f61e7-4fad-402f-aaad-101e3e2522d3", "genius of love"),
				new LoginFunctions.Credentials("2e4c0d7e-b0e6-4739-b044-ee1d45872a7c", "genius of love") }) {
			assertThatThrownBy(() -> login(false).apply(wrong)).isInstanceOf(Unauthorized.class)
				.hasMessage("wrong user id or password");
		}
	}

	@Test
	void compatLogsInAnyExistingUserByIdAlone() {
		this.db.put("user", TINA, Map.of("fname", "Tina", "lname", "Weymouth", "email", "t@w"));
		assertThat(this.decoder.decode(login(true).apply(new LoginFunctions.Credentials(TINA, null))).getSubject())
			.isEqualTo(TINA);
		assertThatThrownBy(() -> login(true).apply(new LoginFunctions.Credentials("2e4c0d7e-b0e6-4739-b044-ee1d45872a7c", null)))
			.hasMessage("unknown user");
	}

}
