package dev.music.s1.user;

import java.util.Map;

import dev.music.common.datastore.DatastoreStub;
import dev.music.common.web.HttpCalls;
import dev.music.common.web.HttpCalls.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AUTH_COMPAT keeps the course's contract: signup without a password, uid-only login, any Authorization header, no
 * per-object rules, the same statuses and bodies.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "auth.compat=true")
class CompatAuthTests {

	static final String GEORGE = "b66f61e7-4fad-402f-aaad-101e3e2522d3";

	static final DatastoreStub db = new DatastoreStub();

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("datastore.url", db::url);
	}

	@AfterAll
	static void stopDb() {
		db.close();
	}

	@LocalServerPort
	int port;

	HttpCalls http;

	@BeforeEach
	void setUp() {
		this.http = new HttpCalls(this.port);
		db.table("user").clear();
		db.put("user", GEORGE, Map.of("fname", "George", "lname", "Clinton", "email", "starchild@pfunk.org"));
	}

	@Test
	void theCourseFlowWorksUnchanged() {
		Answer created = this.http.send("POST", "/api/v1/user", "{\"fname\":\"Leon\",\"lname\":\"B\",\"email\":\"bix@aa.org\"}");
		assertThat(created.status()).isEqualTo(200);
		assertThat(created.json().propertyNames()).containsExactly("user_id");
		Answer login = this.http.send("PUT", "/api/v1/user/login", "{\"uid\":\"" + GEORGE + "\"}");
		assertThat(login.status()).isEqualTo(200);
		assertThat(login.header("Content-Type").orElseThrow()).startsWith("text/plain");
		assertThat(login.body()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
		String other = created.json().path("user_id").asString();
		assertThat(this.http.get("/api/v1/user/" + other, "Authorization", "anything").status()).isEqualTo(200);
		assertThat(this.http.send("PUT", "/api/v1/user/" + other, "{\"fname\":\"L\",\"lname\":\"B\",\"email\":\"b@a\"}",
				"Authorization", "Bearer x").status()).isEqualTo(200);
		assertThat(this.http.send("DELETE", "/api/v1/user/" + other, null, "Authorization", "x").status()).isEqualTo(200);
	}

	@Test
	void theCourseErrorsAreUnchanged() {
		Answer unknown = this.http.send("PUT", "/api/v1/user/login", "{\"uid\":\"75ebc062-a808-4a0f-a79b-8ac568564bfe\"}");
		assertThat(unknown.status()).isEqualTo(401);
		assertThat(unknown.body()).isEqualTo("{\"error\":\"unknown user\"}");
		Answer missing = this.http.get("/api/v1/user/" + GEORGE);
		assertThat(missing.status()).isEqualTo(401);
		assertThat(missing.body()).isEqualTo("{\"error\":\"missing auth\"}");
		assertThat(this.http.get("/api/v1/user/75ebc062-a808-4a0f-a79b-8ac568564bfe", "Authorization", "x").status())
			.isEqualTo(404);
	}

}
