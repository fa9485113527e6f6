package dev.music.s1.user;

import java.util.Base64;
import java.util.Map;

import dev.music.common.auth.TestIssuer;
import dev.music.common.datastore.DatastoreStub;
import dev.music.common.web.HttpCalls;
import dev.music.common.web.HttpCalls.Answer;
import dev.music.s1.login.Passwords;
import dev.music.s1.login.TokenIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every s1 route and status through real HTTP, tokens checked as in the cluster, db a loopback stub. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "auth.compat=false")
class UserRoutesTests {

	static final String GEORGE = "b66f61e7-4fad-402f-aaad-101e3e2522d3";

	static final String TINA = "75ebc062-a808-4a0f-a79b-8ac568564bfe";

	static final String PASSWORD = "one nation under a groove";

	static final DatastoreStub db = new DatastoreStub();

	static final Passwords passwords = new Passwords(2);

	static final String GEORGE_HASH = passwords.hash(PASSWORD);

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("datastore.url", db::url);
		registry.add("datastore.retries", () -> "1");
		registry.add("ratelimit.signup-per-hour", () -> "1000");
	}

	@AfterAll
	static void stopDb() {
		db.close();
	}

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	TokenIssuer tokens;

	HttpCalls http;

	String[] auth;

	@BeforeEach
	void setUp() {
		this.http = new HttpCalls(this.port);
		this.auth = new String[] { "Authorization", "Bearer " + this.tokens.issue(GEORGE) };
		db.failWith(0);
		db.table("user").clear();
		db.put("user", GEORGE,
				Map.of("fname", "George", "lname", "Clinton", "email", "starchild@pfunk.org", "password_hash", GEORGE_HASH));
		db.put("user", TINA, Map.of("fname", "Tina", "lname", "Weymouth", "email", "onlytina@tomtomclub.com"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1/user", "/api/v1/user/" })
	void signsUpWithAPasswordStoredOnlyAsItsArgon2Hash(String path) {
		Answer answer = this.http.send("POST", path,
				"{\"fname\":\"Leon\",\"lname\":\"Beiderbecke\",\"email\":\"bix@aa.org\",\"password\":\"singin the blues\"}");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.json().propertyNames()).containsExactly("user_id");
		Map<String, String> stored = db.table("user").get(answer.json().path("user_id").asString());
		assertThat(stored).containsEntry("email", "bix@aa.org").doesNotContainValue("singin the blues");
		assertThat(stored.get("password_hash")).startsWith("$argon2id$");
		assertThat(passwords.matches("singin the blues", stored.get("password_hash"))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"fname\":\"a\",\"lname\":\"b\",\"email\":\"a@b\"}",
			"{\"fname\":\"a\",\"lname\":\"b\",\"email\":\"a@b\",\"password\":\"short\"}",
			"{\"fname\":\"a\",\"lname\":\"b\",\"email\":\"a@b\",\"password\":1234567890123}",
			"{\"fname\":\"a\",\"lname\":\"b\",\"email\":\"nope\",\"password\":\"long enough now\"}" })
	void signupNeedsAPasswordOf10To128Characters(String body) {
		Answer answer = this.http.send("POST", "/api/v1/user/", body);
		assertThat(answer.status()).isEqualTo(400);
		assertThat(db.table("user")).hasSize(2);
		String tooLong = "{\"fname\":\"a\",\"lname\":\"b\",\"email\":\"a@b\",\"password\":\"" + "p".repeat(129) + "\"}";
		assertThat(this.http.send("POST", "/api/v1/user/", tooLong).json().path("error").asString()).contains("10 to 128");
	}

	@Test
	void readsItsOwnUserWithoutThePasswordHash() {
		Answer answer = this.http.get("/api/v1/user/" + GEORGE, this.auth);
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.json().path("Count").asInt()).isEqualTo(1);
		assertThat(answer.json().path("Items").get(0).propertyNames()).containsExactlyInAnyOrder("user_id", "fname",
				"lname", "email");
		assertThat(answer.body()).doesNotContain("argon2");
		assertThat(db.lastHeaders()).as("s1 forwards the request id to db").containsKey("X-Request-Id");
	}

	@Test
	void updatesItsOwnUserAndItsPassword() {
		String body = "{\"fname\":\"George\",\"lname\":\"Clinton\",\"email\":\"george@pfunk.org\"}";
		assertThat(this.http.send("PUT", "/api/v1/user/" + GEORGE, body, this.auth).status()).isEqualTo(200);
		assertThat(db.table("user").get(GEORGE)).containsEntry("email", "george@pfunk.org")
			.containsEntry("password_hash", GEORGE_HASH);
		assertThat(this.http.send("PUT", "/api/v1/user/" + GEORGE, "{\"fname\":\"G\"}", this.auth).status()).isEqualTo(400);
		String withPassword = body.replace("}", ",\"password\":\"maggot brain forever\"}");
		assertThat(this.http.send("PUT", "/api/v1/user/" + GEORGE, withPassword, this.auth).status()).isEqualTo(200);
		assertThat(passwords.matches("maggot brain forever", db.table("user").get(GEORGE).get("password_hash"))).isTrue();
	}

	@Test
	void deletesItsOwnUserAndThen404() {
		assertThat(this.http.send("DELETE", "/api/v1/user/" + GEORGE, null, this.auth).status()).isEqualTo(200);
		assertThat(db.table("user")).containsOnlyKeys(TINA);
		assertThat(this.http.send("DELETE", "/api/v1/user/" + GEORGE, null, this.auth).status()).isEqualTo(404);
		assertThat(this.http.get("/api/v1/user/" + GEORGE, this.auth).status()).isEqualTo(404);
	}

	@Test
	void userAActingOnUserBIs403AndChangesNothing() {
		Map<String, String> before = Map.copyOf(db.table("user").get(TINA));
		String body = "{\"fname\":\"Mallory\",\"lname\":\"M\",\"email\":\"m@evil.org\",\"password\":\"taken over now\"}";
		for (String[] call : new String[][] { { "GET", null }, { "PUT", body }, { "DELETE", null } }) {
			Answer answer = this.http.send(call[0], "/api/v1/user/" + TINA, call[1], this.auth);
			assertThat(answer.status()).as(call[0]).isEqualTo(403);
			assertThat(answer.json().path("error").asString()).contains("your own user");
			assertThat(answer.body()).doesNotContain("Weymouth");
		}
		Answer unknown = this.http.get("/api/v1/user/2e4c0d7e-b0e6-4739-b044-ee1d45872a7c", this.auth);
		assertThat(unknown.status()).as("no way to tell which other ids exist").isEqualTo(403);
		assertThat(db.table("user").get(TINA)).isEqualTo(before);
	}

	@Test
	void logsInWithThePasswordAndGetsAnEs256TokenWhoseKidIsPublished() {
		Answer answer = this.http.send("PUT", "/api/v1/user/login", "{\"uid\":\"" + GEORGE + "\",\"password\":\"" + PASSWORD + "\"}");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.header("Content-Type").orElseThrow()).startsWith("text/plain");
		JsonNode header = part(answer.body(), 0);
		JsonNode claims = part(answer.body(), 1);
		assertThat(header.path("alg").asString()).isEqualTo("ES256");
		assertThat(claims.path("sub").asString()).isEqualTo(GEORGE);
		assertThat(claims.path("iss").asString()).isEqualTo("music-s1");
		assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3600);
		Answer jwks = this.http.get("/api/v1/user/.well-known/jwks.json");
		assertThat(jwks.status()).isEqualTo(200);
		assertThat(jwks.json().path("keys").get(0).path("kid").asString()).isEqualTo(header.path("kid").asString());
		assertThat(jwks.body()).as("public keys only").doesNotContain("\"d\"");
		assertThat(this.http.get("/api/v1/user/" + GEORGE, "Authorization", "Bearer " + answer.body()).status())
			.isEqualTo(200);
	}

	@Test
	void aWrongOrMissingPasswordAndAnUnknownUserGetTheSame401() {
		String[] bodies = { "{\"uid\":\"" + GEORGE + "\",\"password\":\"not my password\"}", "{\"uid\":\"" + GEORGE + "\"}",
				"{\"uid\":\"" + TINA + "\",\"password\":\"" + PASSWORD + "\"}",
				"{\"uid\":\"2e4c0d7e-b0e6-4739-b044-ee1d45872a7c\",\"password\":\"" + PASSWORD + "\"}" };
		for (String body : bodies) {
			Answer answer = this.http.send("PUT", "/api/v1/user/login", body);
			assertThat(answer.status()).as(body).isEqualTo(401);
			assertThat(answer.body()).as(body).isEqualTo("{\"error\":\"wrong user id or password\"}");
		}
		assertThat(this.http.send("PUT", "/api/v1/user/login", "{\"uid\":\"../x\"}").status()).isEqualTo(400);
		assertThat(this.http.send("PUT", "/api/v1/user/login", "{}").status()).isEqualTo(400);
	}

	@Test
	void aBurstOfLoginsFromOneAddressGets429WithRetryAfterAndOthersStillLogIn() {
		String body = "{\"uid\":\"" + GEORGE + "\",\"password\":\"wrong but well-formed\"}";
		int refused = 0;
		int limited = 0;
		for (int i = 0; i < 300; i++) {
			Answer answer = this.http.send("PUT", "/api/v1/user/login", body, "X-Forwarded-For", "10.9.8.7, 198.51.100.7");
			if (answer.status() == 429) {
				limited++;
				assertThat(answer.header("Retry-After").orElseThrow()).matches("[1-9][0-9]*");
				assertThat(answer.json().path("error").asString()).contains("retry after");
			}
			else {
				assertThat(answer.status()).isEqualTo(401);
				refused++;
			}
		}
		assertThat(refused).as("the bucket's capacity, then only 429s").isLessThanOrEqualTo(10);
		assertThat(limited).isGreaterThanOrEqualTo(290);
		Answer elsewhere = this.http.send("PUT", "/api/v1/user/login",
				"{\"uid\":\"" + GEORGE + "\",\"password\":\"" + PASSWORD + "\"}", "X-Forwarded-For", "198.51.100.8");
		assertThat(elsewhere.status()).as("another address has its own bucket").isEqualTo(200);
		Answer spoofed = this.http.send("PUT", "/api/v1/user/login", body, "X-Forwarded-For", "203.0.113.1, 198.51.100.7");
		assertThat(spoofed.status()).as("only the entry point's own (rightmost) entry counts").isEqualTo(429);
		assertThat(db.table("user").get(GEORGE)).containsEntry("password_hash", GEORGE_HASH);
	}

	@Test
	void logsOff() {
		Answer answer = this.http.send("PUT", "/api/v1/user/logoff", "{\"jwt\":\"x.y.z\"}");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.body()).isEqualTo("{}");
		assertThat(this.http.send("PUT", "/api/v1/user/logoff", "{\"jwt\":1}").status()).isEqualTo(400);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"fname\":\"a\",\"lname\":\"b\"}",
			"{\"fname\":\"a\",\"lname\":\"b\",\"email\":\"nope\",\"password\":\"long enough now\"}",
			"{\"fname\":\"a\",\"lname\":\"b\",\"email\":\"a@b\",\"password\":\"long enough now\",\"admin\":\"true\"}",
			"{\"fname\":\"a\",\"lname\":\"b\",\"email\":\"a@b\",\"password\":\"long enough now\",\"password_hash\":\"x\"}",
			"{\"fname\":true,\"lname\":\"b\",\"email\":\"a@b\",\"password\":\"long enough now\"}", "not json" })
	void refusesBadUsersAndStoresNothing(String body) {
		Answer answer = this.http.send("POST", "/api/v1/user/", body);
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.json().path("error").asString()).isNotBlank();
		assertThat(db.table("user")).hasSize(2);
	}

	@Test
	void guardedRoutesNeedAValidTokenAndSayNoMoreThanThat() {
		TestIssuer other = new TestIssuer("music-s1", "music");
		String[] refused = { "Bearer forged", "Bearer " + other.token(GEORGE), "Bearer " + other.algNone(GEORGE),
				"Basic " + Base64.getEncoder().encodeToString("george:pw".getBytes()) };
		for (String[] call : new String[][] { { "GET", "/api/v1/user/" + GEORGE }, { "PUT", "/api/v1/user/" + GEORGE },
				{ "DELETE", "/api/v1/user/" + GEORGE } }) {
			Answer missing = this.http.send(call[0], call[1], call[0].equals("PUT") ? "{}" : null);
			assertThat(missing.status()).isEqualTo(401);
			assertThat(missing.body()).isEqualTo("{\"error\":\"missing auth\"}");
			for (String header : refused) {
				Answer answer = this.http.send(call[0], call[1], null, "Authorization", header);
				assertThat(answer.status()).as(header).isEqualTo(401);
				assertThat(answer.header("WWW-Authenticate").orElseThrow()).startsWith("Bearer").doesNotContain("iss");
				assertThat(answer.body()).doesNotContain("music-s1").doesNotContain("kid").doesNotContain("Jwt");
			}
		}
		assertThat(db.table("user")).containsKey(GEORGE);
		assertThat(this.http.get("/api/v1/user/health").status()).isEqualTo(200);
		assertThat(this.http.get("/api/v1/user/readiness").status()).isEqualTo(200);
	}

	@Test
	void theActuatorIsOnlyOnTheManagementPort() {
		assertThat(this.http.get("/actuator/prometheus").status()).isEqualTo(404);
		assertThat(new HttpCalls(this.managementPort).get("/actuator/prometheus").body()).contains("http_server_requests");
		assertThat(new HttpCalls(this.managementPort).get("/actuator/health/readiness").status()).isEqualTo(200);
	}

	@Test
	void dbDownIs503WithoutItsAddress() {
		db.failWith(503);
		Answer answer = this.http.get("/api/v1/user/" + GEORGE, this.auth);
		assertThat(answer.status()).isEqualTo(503);
		assertThat(answer.header("Retry-After")).isPresent();
		assertThat(answer.body()).doesNotContain("127.0.0.1").contains("request_id");
		assertThat(this.http.send("PUT", "/api/v1/user/login", "{\"uid\":\"" + GEORGE + "\",\"password\":\"" + PASSWORD + "\"}")
			.status()).isEqualTo(503);
	}

	private static JsonNode part(String jwt, int index) {
		return JsonMapper.builder().build().readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]));
	}

}
