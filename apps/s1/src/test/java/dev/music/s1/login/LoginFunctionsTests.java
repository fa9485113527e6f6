package dev.music.s1.login;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import dev.music.common.Unauthorized;
import dev.music.common.auth.Tokens;
import dev.music.common.datastore.DatastoreClient;
import dev.music.common.datastore.DatastoreProperties;
import dev.music.common.datastore.DatastoreStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoginFunctionsTests {

	private final DatastoreStub db = new DatastoreStub();

	private final Tokens tokens = new Tokens("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8),
			"music-s1", "music", Duration.ofMinutes(5), Clock.systemUTC());

	private final Function<String, String> login = new LoginFunctions().login(
			new DatastoreClient(new DatastoreProperties(this.db.url(), Duration.ofSeconds(1), Duration.ofSeconds(2), 0)),
			this.tokens);

	@AfterEach
	void stop() {
		this.db.close();
	}

	@Test
	void aKnownUserGetsATokenForThemselves() {
		this.db.put("user", "75ebc062-a808-4a0f-a79b-8ac568564bfe",
				Map.of("fname", "Tina", "lname", "Weymouth", "email", "onlytina@tomtomclub.com"));
		String token = this.login.apply("75ebc062-a808-4a0f-a79b-8ac568564bfe");
		assertThat(this.tokens.verify(token)).isEqualTo("75ebc062-a808-4a0f-a79b-8ac568564bfe");
	}

	@Test
	void anUnknownUserIsUnauthorized() {
		assertThatThrownBy(() -> this.login.apply("2e4c0d7e-b0e6-4739-b044-ee1d45872a7c"))
			.isInstanceOf(Unauthorized.class);
	}

}
