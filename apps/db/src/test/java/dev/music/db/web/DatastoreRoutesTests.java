package dev.music.db.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;

import dev.music.common.auth.TestIssuer;
import dev.music.common.web.HttpCalls;
import dev.music.common.web.HttpCalls.Answer;
import dev.music.db.store.DynamoDbLocalServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every db route and status, through real HTTP, on DynamoDB Local (in memory) as db uses it: over HTTP. Callers
 * present tokens from a test issuer that stands in for the cluster's ServiceAccount issuer, as scripts/dev.java's
 * does locally.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DatastoreRoutesTests {

	@DynamicPropertySource
	static void dynamoDb(DynamicPropertyRegistry registry) {
		registry.add("dynamodb.endpoint", () -> {
			try {
				return DynamoDbLocalServer.url();
			}
			catch (Exception ex) {
				throw new IllegalStateException("DynamoDB Local did not start", ex);
			}
		});
	}

	private static final String P = "/api/v1/datastore";

	static final TestIssuer issuer = new TestIssuer("test-cluster", "db");

	static final String[] S1 = { "Authorization", "Bearer " + issuer.token("system:serviceaccount:music:s1") };

	static final String[] S2 = { "Authorization", "Bearer " + issuer.token("system:serviceaccount:music:s2") };

	static final String[] LOADER = { "Authorization", "Bearer " + issuer.token("system:serviceaccount:music:loader") };

	@DynamicPropertySource
	static void callers(DynamicPropertyRegistry registry) throws Exception {
		Path jwks = issuer.writeJwks(Files.createTempDirectory("callers").resolve("jwks.json"));
		registry.add("callers.jwks-uri", () -> jwks.toUri().toString());
		registry.add("callers.issuer", issuer::issuer);
	}

	@LocalManagementPort
	int managementPort;

	private static final String SONG = "{\"objtype\":\"music\",\"Artist\":\"Backxwash\",\"SongTitle\":\"Bad Juju\"}";

	@LocalServerPort
	int port;

	HttpCalls http;

	@BeforeEach
	void client() {
		this.http = new HttpCalls(this.port);
	}

	@Test
	void writeThenReadUpdateDelete() {
		Answer written = this.http.send("POST", P + "/write", SONG, S2);
		assertThat(written.status()).isEqualTo(200);
		String id = written.json().path("music_id").asString();
		assertThat(id).matches("[0-9a-f-]{36}");

		Answer read = this.http.get(P + "/read?objtype=music&objkey=" + id, S2);
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.json().path("Count").asInt()).isEqualTo(1);
		assertThat(read.json().path("Items").get(0).path("SongTitle").asString()).isEqualTo("Bad Juju");

		assertThat(this.http.send("DELETE", P + "/delete?objtype=music&objkey=" + id, null, S2).status()).isEqualTo(200);
		Answer gone = this.http.get(P + "/read?objtype=music&objkey=" + id, S2);
		assertThat(gone.status()).isEqualTo(404);
		assertThat(gone.body()).isEqualTo("{\"Count\":0,\"Items\":[]}");
		assertThat(this.http.send("DELETE", P + "/delete?objtype=music&objkey=" + id, null, S2).status()).isEqualTo(404);
	}

	@Test
	void updatesAUserAndKeepsItsPasswordHashPrivate() {
		Answer written = this.http.send("POST", P + "/write",
				"{\"objtype\":\"user\",\"fname\":\"Nina\",\"lname\":\"Simone\",\"email\":\"n@s\",\"password_hash\":\"$argon2id$h1\"}", S1);
		assertThat(written.status()).isEqualTo(200);
		String id = written.json().path("user_id").asString();
		assertThat(this.http.send("PUT", P + "/update?objtype=user&objkey=" + id, "{\"email\":\"nina@s\"}", S1).status())
			.isEqualTo(200);
		Answer read = this.http.get(P + "/read?objtype=user&objkey=" + id, S1);
		assertThat(read.json().path("Items").get(0).propertyNames()).containsExactlyInAnyOrder("user_id", "fname", "lname",
				"email");
		assertThat(read.body()).contains("nina@s").doesNotContain("argon2");
		Answer credential = this.http.get(P + "/credential?objtype=user&objkey=" + id, S1);
		assertThat(credential.status()).isEqualTo(200);
		assertThat(credential.body()).isEqualTo("{\"user_id\":\"" + id + "\",\"password_hash\":\"$argon2id$h1\"}");
		assertThat(this.http.get(P + "/credential?objtype=user&objkey=26e6462c-eacf-40bb-b4d0-d683966e2624", S1).status())
			.isEqualTo(404);
		assertThat(this.http.send("PUT", P + "/update?objtype=user&objkey=26e6462c-eacf-40bb-b4d0-d683966e2624",
				"{\"email\":\"x@y\"}", S1).status()).isEqualTo(404);
	}

	@Test
	void deletesASongOnlyForItsOwner() {
		String owner = "b66f61e7-4fad-402f-aaad-101e3e2522d3";
		String id = this.http.send("POST", P + "/write",
				"{\"objtype\":\"music\",\"Artist\":\"a\",\"SongTitle\":\"t\",\"owner_id\":\"" + owner + "\"}", S2)
			.json().path("music_id").asString();
		assertThat(this.http.get(P + "/read?objtype=music&objkey=" + id, S2).body()).doesNotContain("owner_id");
		Answer other = this.http.send("DELETE",
				P + "/delete?objtype=music&objkey=" + id + "&owner=75ebc062-a808-4a0f-a79b-8ac568564bfe", null, S2);
		assertThat(other.status()).isEqualTo(412);
		assertThat(this.http.get(P + "/read?objtype=music&objkey=" + id, S2).status()).isEqualTo(200);
		assertThat(this.http.send("DELETE", P + "/delete?objtype=music&objkey=" + id + "&owner=" + owner, null, S2).status())
			.isEqualTo(200);
		assertThat(this.http.send("DELETE", P + "/delete?objtype=music&objkey=" + id + "&owner=" + owner, null, S2).status())
			.isEqualTo(404);
		assertThat(this.http.send("DELETE", P + "/delete?objtype=music&objkey=" + id + "&owner=nope", null, S2).status())
			.isEqualTo(400);
	}

	@Test
	void listsInPages() {
		for (int i = 0; i < 3; i++) {
			this.http.send("POST", P + "/write", "{\"objtype\":\"music\",\"Artist\":\"a" + i + "\",\"SongTitle\":\"t\"}", S2);
		}
		Answer first = this.http.get(P + "/list?objtype=music&limit=2", S2);
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.json().path("Count").asInt()).isEqualTo(2);
		String next = first.json().path("next").asString();
		Answer second = this.http.get(P + "/list?objtype=music&limit=2&next=" + next, S2);
		assertThat(second.status()).isEqualTo(200);
		assertThat(second.json().path("Count").asInt()).isGreaterThanOrEqualTo(1);
	}

	@ParameterizedTest(name = "{0} {1} -> {3}")
	@CsvSource(delimiter = '|', value = { "GET|/read?objtype=songs&objkey=6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea||400",
			"GET|/read?objtype=music&objkey=../../etc/passwd||400", "GET|/read?objtype=music||400",
			"GET|/list?objtype=music&limit=0||400", "GET|/list?objtype=music&limit=abc||400",
			"GET|/list?objtype=music&next=x||400",
			"POST|/write|{\"objtype\":\"music\",\"Artist\":\"a\"}|400",
			"POST|/write|{\"objtype\":\"music\",\"Artist\":\"a\",\"SongTitle\":\"t\",\"fname\":\"x\"}|400",
			"POST|/write|{\"objtype\":\"music\",\"Artist\":1,\"SongTitle\":\"t\"}|400",
			"POST|/write|{\"objtype\":\"album\",\"Artist\":\"a\",\"SongTitle\":\"t\"}|400",
			"POST|/write|{\"Artist\":\"a\",\"SongTitle\":\"t\"}|400", "POST|/write|not json|400",
			"POST|/write|{\"objtype\":\"music\",\"uuid\":\"6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea\",\"Artist\":\"a\",\"SongTitle\":\"t\"}|400",
			"POST|/write|{\"objtype\":\"music\",\"Artist\":\"a\",\"SongTitle\":\"t\",\"owner_id\":\" \"}|400",
			"DELETE|/delete?objtype=music&objkey=nope||400" })
	void refusesBadInputWithAJsonError(String method, String path, String body, int status) {
		Answer answer = this.http.send(method, P + path, body, S2);
		assertThat(answer.status()).isEqualTo(status);
		assertThat(answer.json().path("error").asString()).isNotBlank();
		assertThat(answer.body()).doesNotContain("Exception").doesNotContain("at dev.");
	}

	@Test
	void refusesOversizedBodiesWith413() {
		String big = "{\"objtype\":\"music\",\"Artist\":\"" + "a".repeat(20_000) + "\",\"SongTitle\":\"t\"}";
		Answer answer = this.http.send("POST", P + "/write", big, S2);
		assertThat(answer.status()).isEqualTo(413);
		assertThat(answer.json().path("error").asString()).contains("larger than");
	}

	@Test
	void loadIsIdempotentAndSaysWhatItDid() {
		String body = "{\"objtype\":\"music\",\"uuid\":\"c2573193-f333-49e2-abec-182915747756\",\"Artist\":\"Backxwash\",\"SongTitle\":\"Bad Juju\"}";
		Answer first = this.http.send("POST", P + "/load", body, LOADER);
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.body()).isEqualTo("{\"music_id\":\"c2573193-f333-49e2-abec-182915747756\",\"result\":\"created\"}");
		assertThat(this.http.send("POST", P + "/load", body, LOADER).json().path("result").asString()).isEqualTo("unchanged");
		assertThat(this.http.send("POST", P + "/load", body.replace("Bad Juju", "Bad Juju!"), LOADER).json()
			.path("result").asString()).isEqualTo("updated");
		assertThat(this.http.get(P + "/read?objtype=music&objkey=c2573193-f333-49e2-abec-182915747756", S2).body())
			.contains("Bad Juju!");
	}

	@Test
	void loadingAUserAgainKeepsThePasswordItWasGivenSince() {
		String id = "0b8c1a7e-9e2f-4a0b-8d61-3a4f5e6d7c8b";
		String user = "{\"objtype\":\"user\",\"uuid\":\"" + id + "\",\"fname\":\"G\",\"lname\":\"C\",\"email\":\"g@c\"}";
		assertThat(this.http.send("POST", P + "/load", user, LOADER).status()).isEqualTo(200);
		this.http.send("PUT", P + "/update?objtype=user&objkey=" + id, "{\"password_hash\":\"$argon2id$kept\"}", S1);
		assertThat(this.http.send("POST", P + "/load", user, LOADER).json().path("result").asString()).isEqualTo("unchanged");
		assertThat(this.http.get(P + "/credential?objtype=user&objkey=" + id, S1).body()).contains("$argon2id$kept");
		assertThat(this.http.send("POST", P + "/load", user.replace("}", ",\"password_hash\":\"x\"}"), LOADER).status())
			.as("the loader cannot set a password").isEqualTo(400);
	}

	@Test
	void everyDataRouteNeedsACallerTokenFromTheTrustedIssuer() {
		String song = "6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea";
		String before = this.http.get(P + "/list?objtype=music&limit=100", S2).body();
		TestIssuer stranger = new TestIssuer("test-cluster", "db");
		String[][] refused = { {}, { "Authorization", "Basic c3ZjLWxvYWRlcjp0ZXN0" }, { "Authorization", "Bearer not-a-jwt" },
				{ "Authorization", "Bearer " + stranger.token("system:serviceaccount:music:s2") },
				{ "Authorization", "Bearer " + issuer.token("system:serviceaccount:music:s2", (c) -> c.audience("music")) },
				{ "Authorization", "Bearer " + issuer.token("system:serviceaccount:music:s2", (c) -> c.issuer("elsewhere")) },
				{ "Authorization", "Bearer " + issuer.token("system:serviceaccount:music:s2",
						(c) -> c.expirationTime(Date.from(Instant.now().minusSeconds(120)))) },
				{ "Authorization", "Bearer " + issuer.hs256WithThePublicKey("system:serviceaccount:music:s2") },
				{ "Authorization", "Bearer " + issuer.algNone("system:serviceaccount:music:s2") } };
		for (String[] auth : refused) {
			for (String[] call : new String[][] { { "GET", "/read?objtype=music&objkey=" + song }, { "GET", "/list?objtype=music" },
					{ "POST", "/write" }, { "PUT", "/update?objtype=music&objkey=" + song }, { "DELETE", "/delete?objtype=music&objkey=" + song },
					{ "GET", "/credential?objtype=user&objkey=" + song }, { "POST", "/load" } }) {
				Answer answer = this.http.send(call[0], P + call[1], call[0].startsWith("P") ? SONG : null, auth);
				assertThat(answer.status()).as("%s %s with %s", call[0], call[1], auth.length).isEqualTo(401);
				assertThat(answer.body()).doesNotContain("test-cluster").doesNotContain("elsewhere").doesNotContain("aud");
			}
		}
		Answer load = this.http.send("POST", P + "/load", SONG);
		assertThat(load.json().path("http_status_code").asInt()).as("/load keeps the course's error shape").isEqualTo(401);
		assertThat(this.http.get(P + "/list?objtype=music&limit=100", S2).body()).as("nothing stored changed")
			.isEqualTo(before);
	}

	@Test
	void eachCallerMayTouchOnlyItsOwnObjectType() {
		String user = this.http.send("POST", P + "/write", "{\"objtype\":\"user\",\"fname\":\"T\",\"lname\":\"W\",\"email\":\"t@w\"}", S1)
			.json().path("user_id").asString();
		String before = this.http.get(P + "/read?objtype=user&objkey=" + user, S1).body();
		String[] gateway = { "Authorization", "Bearer " + issuer.token("system:serviceaccount:music:gateway") };
		String[] otherNamespace = { "Authorization", "Bearer " + issuer.token("system:serviceaccount:default:s1") };
		for (String[] call : new String[][] { { "GET", "/read?objtype=user&objkey=" + user }, { "GET", "/list?objtype=user" },
				{ "GET", "/credential?objtype=user&objkey=" + user }, { "DELETE", "/delete?objtype=user&objkey=" + user },
				{ "PUT", "/update?objtype=user&objkey=" + user } }) {
			for (String[] caller : new String[][] { S2, LOADER, gateway, otherNamespace }) {
				Answer answer = this.http.send(call[0], P + call[1], call[0].equals("PUT") ? "{\"fname\":\"X\"}" : null, caller);
				assertThat(answer.status()).as("%s %s", call[0], call[1]).isEqualTo(403);
				assertThat(answer.json().path("error").asString()).contains("may not");
			}
		}
		assertThat(this.http.send("POST", P + "/write", SONG, S1).status()).as("s1 writing songs").isEqualTo(403);
		assertThat(this.http.send("POST", P + "/write", SONG, LOADER).status()).as("the loader outside /load").isEqualTo(403);
		Answer s2Load = this.http.send("POST", P + "/load",
				"{\"objtype\":\"user\",\"uuid\":\"" + user + "\",\"fname\":\"M\",\"lname\":\"M\",\"email\":\"m@m\"}", S2);
		assertThat(s2Load.status()).as("s2 on /load").isEqualTo(403);
		assertThat(s2Load.json().path("http_status_code").asInt()).isEqualTo(403);
		assertThat(this.http.get(P + "/read?objtype=user&objkey=" + user, S1).body()).as("nothing stored changed")
			.isEqualTo(before);
	}

	@Test
	void loadWithoutUuidIsTheCourseError() {
		Answer answer = this.http.send("POST", P + "/load", "{\"objtype\":\"music\",\"Artist\":\"a\",\"SongTitle\":\"t\"}",
				LOADER);
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.body()).isEqualTo("{\"http_status_code\":400,\"reason\":\"Missing uuid\"}");
	}

	@Test
	void probesOnTheAppPortActuatorOnlyOnTheManagementPort() {
		assertThat(this.http.get(P + "/health").status()).isEqualTo(200);
		assertThat(this.http.get(P + "/readiness").status()).isEqualTo(200);
		assertThat(this.http.get("/actuator/prometheus").status()).isEqualTo(404);
		HttpCalls management = new HttpCalls(this.managementPort);
		assertThat(management.get("/actuator/health/liveness").status()).isEqualTo(200);
		assertThat(management.get("/actuator/health/readiness").status()).isEqualTo(200);
		this.http.get(P + "/read?objtype=music&objkey=6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea", S2);
		Answer metrics = management.get("/actuator/prometheus");
		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.body()).contains("http_server_requests_seconds_bucket{")
			.contains("dynamodb_calls_seconds_bucket{")
			.contains("app_build_info{");
	}

	@Test
	void everyResponseCarriesARequestId() {
		assertThat(this.http.get(P + "/health", "X-Request-Id", "abc-123").header("X-Request-Id")).contains("abc-123");
		assertThat(this.http.get(P + "/health", "X-Request-Id", "bad id with spaces").header("X-Request-Id").orElseThrow())
			.matches("[0-9a-f]{16}");
	}

}
