package dev.music.s2.song;

import java.io.IOException;
import java.net.ServerSocket;

import dev.music.common.auth.TestIssuer;
import dev.music.common.datastore.DatastoreStub;
import dev.music.common.web.HttpCalls;
import dev.music.common.web.HttpCalls.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** While s1's JWK set cannot be had, a token cannot be checked: 503 with Retry-After, not 401 and not 500. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "auth.compat=false")
class UserKeysTests {

	static final DatastoreStub db = new DatastoreStub();

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) throws IOException {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		registry.add("datastore.url", db::url);
		registry.add("auth.jwks.uri", () -> "http://127.0.0.1:" + closed + "/api/v1/user/.well-known/jwks.json");
	}

	@AfterAll
	static void stop() {
		db.close();
	}

	@LocalServerPort
	int port;

	@Test
	void s1OutOfReachIs503WithRetryAfter() {
		String token = new TestIssuer("music-s1", "music").token("b66f61e7-4fad-402f-aaad-101e3e2522d3");
		Answer answer = new HttpCalls(this.port).get("/api/v1/music/6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea", "Authorization",
				"Bearer " + token);
		assertThat(answer.status()).isEqualTo(503);
		assertThat(answer.header("Retry-After")).contains("2");
		assertThat(answer.json().path("request_id").asString()).isNotBlank();
		assertThat(answer.body()).doesNotContain("127.0.0.1");
		assertThat(db.requests()).isZero();
	}

}
