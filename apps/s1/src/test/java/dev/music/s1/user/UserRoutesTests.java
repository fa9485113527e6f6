package dev.music.s1.user;

import java.nio.file.Path;
import java.util.Map;

import dev.music.common.auth.TestKeys;
import dev.music.common.auth.Tokens;
import dev.music.common.datastore.DatastoreStub;
import dev.music.common.web.HttpCalls;
import dev.music.common.web.HttpCalls.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every s1 route and status through real HTTP, tokens checked as in the cluster, db a loopback stub. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "auth.compat=false")
class UserRoutesTests {

	static final String GEORGE = "b66f61e7-4fad-402f-aaad-101e3e2522d3";

	static final DatastoreStub db = new DatastoreStub();

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		Path key = TestKeys.keyFile();
		registry.add("datastore.url", db::url);
		registry.add("datastore.retries", () -> "1");
		registry.add("auth.key-file", key::toString);
	}

	@AfterAll
	static void stopDb() {
		db.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	Tokens tokens;

	HttpCalls http;

	String[] auth;

	@BeforeEach
	void setUp() {
		this.http = new HttpCalls(this.port);
		this.auth = new String[] { "Authorization", "Bearer " + this.tokens.issue(GEORGE) };
		db.failWith(0);
		db.table("user").clear();
		db.put("user", GEORGE, Map.of("fname", "George", "lname", "Clinton", "email", "starchild@pfunk.org"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1/user", "/api/v1/user/" })
	void createsAUserWithoutAuth(String path) {
		Answer answer = this.http.send("POST", path, "{\"fname\":\"Leon\",\"lname\":\"Beiderbecke\",\"email\":\"bix@aa.org\"}");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(db.table("user").get(answer.json().path("user_id").asString())).containsEntry("email", "bix@aa.org");
	}

	@Test
	void readsAUser() {
		Answer answer = this.http.get("/api/v1/user/" + GEORGE, this.auth);
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.json().path("Count").asInt()).isEqualTo(1);
		assertThat(answer.json().path("Items").get(0).propertyNames()).containsExactlyInAnyOrder("user_id", "fname",
				"lname", "email");
		assertThat(answer.json().path("Items").get(0).path("email").asString()).isEqualTo("starchild@pfunk.org");
		assertThat(this.http.get("/api/v1/user/75ebc062-a808-4a0f-a79b-8ac568564bfe", this.auth).status()).isEqualTo(404);
	}

	@Test
	void updatesAUser() {
		String body = "{\"fname\":\"George\",\"lname\":\"Clinton\",\"email\":\"george@pfunk.org\"}";
		assertThat(this.http.send("PUT", "/api/v1/user/" + GEORGE, body, this.auth).status()).isEqualTo(200);
		assertThat(db.table("user").get(GEORGE)).containsEntry("email", "george@pfunk.org");
		assertThat(this.http.send("PUT", "/api/v1/user/75ebc062-a808-4a0f-a79b-8ac568564bfe", body, this.auth).status())
			.isEqualTo(404);
		assertThat(this.http.send("PUT", "/api/v1/user/" + GEORGE, "{\"fname\":\"G\"}", this.auth).status()).isEqualTo(400);
	}

	@Test
	void deletesAUser() {
		assertThat(this.http.send("DELETE", "/api/v1/user/" + GEORGE, null, this.auth).status()).isEqualTo(200);
		assertThat(db.table("user")).isEmpty();
		assertThat(this.http.send("DELETE", "/api/v1/user/" + GEORGE, null, this.auth).status()).isEqualTo(404);
	}

	@Test
	void logsInAKnownUserWithASignedToken() {
		Answer answer = this.http.send("PUT", "/api/v1/user/login", "{\"uid\":\"" + GEORGE + "\"}");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.header("Content-Type").orElseThrow()).startsWith("text/plain");
		assertThat(this.tokens.verify(answer.body())).isEqualTo(GEORGE);
		assertThat(this.http.get("/api/v1/user/" + GEORGE, "Authorization", "Bearer " + answer.body()).status())
			.isEqualTo(200);
	}

	@Test
	void refusesUnknownOrMalformedLogins() {
		Answer unknown = this.http.send("PUT", "/api/v1/user/login", "{\"uid\":\"75ebc062-a808-4a0f-a79b-8ac568564bfe\"}");
		assertThat(unknown.status()).isEqualTo(401);
		assertThat(unknown.json().path("error").asString()).isEqualTo("unknown user");
		assertThat(this.http.send("PUT", "/api/v1/user/login", "{\"uid\":\"../x\"}").status()).isEqualTo(400);
		assertThat(this.http.send("PUT", "/api/v1/user/login", "{}").status()).isEqualTo(400);
	}

	@Test
	void logsOff() {
		Answer answer = this.http.send("PUT", "/api/v1/user/logoff", "{\"jwt\":\"x.y.z\"}");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.body()).isEqualTo("{}");
		assertThat(this.http.send("PUT", "/api/v1/user/logoff", "{\"jwt\":1}").status()).isEqualTo(400);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"fname\":\"a\",\"lname\":\"b\"}", "{\"fname\":\"a\",\"lname\":\"b\",\"email\":\"nope\"}",
			"{\"fname\":\"a\",\"lname\":\"b\",\"email\":\"a@b\",\"admin\":\"true\"}", "{\"fname\":true,\"lname\":\"b\",\"email\":\"a@b\"}",
			"not json" })
	void refusesBadUsersAndStoresNothing(String body) {
		Answer answer = this.http.send("POST", "/api/v1/user/", body);
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.json().path("error").asString()).isNotBlank();
		assertThat(db.table("user")).hasSize(1);
	}

	@Test
	void guardedRoutesNeedAValidToken() {
		for (String[] call : new String[][] { { "GET", "/api/v1/user/" + GEORGE }, { "PUT", "/api/v1/user/" + GEORGE },
				{ "DELETE", "/api/v1/user/" + GEORGE } }) {
			assertThat(this.http.send(call[0], call[1], call[0].equals("PUT") ? "{}" : null).status()).isEqualTo(401);
			assertThat(this.http.send(call[0], call[1], null, "Authorization", "Bearer forged").status()).isEqualTo(401);
		}
		assertThat(db.table("user")).containsKey(GEORGE);
		assertThat(this.http.get("/api/v1/user/health").status()).isEqualTo(200);
		assertThat(this.http.get("/api/v1/user/readiness").status()).isEqualTo(200);
	}

	@Test
	void dbDownIs503() {
		db.failWith(503);
		Answer answer = this.http.get("/api/v1/user/" + GEORGE, this.auth);
		assertThat(answer.status()).isEqualTo(503);
		assertThat(answer.header("Retry-After")).isPresent();
		assertThat(this.http.send("PUT", "/api/v1/user/login", "{\"uid\":\"" + GEORGE + "\"}").status()).isEqualTo(503);
	}

}
