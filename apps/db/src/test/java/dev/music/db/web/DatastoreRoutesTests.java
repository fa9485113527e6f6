package dev.music.db.web;

import java.util.Base64;

import dev.music.common.web.HttpCalls;
import dev.music.common.web.HttpCalls.Answer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Every db route and status, through real HTTP, on the embedded DynamoDB Local (in memory). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "dynamodb.in-memory=true", "loader.token=test-token" })
class DatastoreRoutesTests {

	private static final String P = "/api/v1/datastore";

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
		Answer written = this.http.send("POST", P + "/write", SONG);
		assertThat(written.status()).isEqualTo(200);
		String id = written.json().path("music_id").asString();
		assertThat(id).matches("[0-9a-f-]{36}");

		Answer read = this.http.get(P + "/read?objtype=music&objkey=" + id);
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.json().path("Count").asInt()).isEqualTo(1);
		assertThat(read.json().path("Items").get(0).path("SongTitle").asString()).isEqualTo("Bad Juju");

		assertThat(this.http.send("PUT", P + "/update?objtype=music&objkey=" + id, "{\"SongTitle\":\"Bad Juju (live)\"}")
			.status()).isEqualTo(200);
		assertThat(this.http.get(P + "/read?objtype=music&objkey=" + id).body()).contains("Bad Juju (live)");

		assertThat(this.http.send("DELETE", P + "/delete?objtype=music&objkey=" + id, null).status()).isEqualTo(200);
		Answer gone = this.http.get(P + "/read?objtype=music&objkey=" + id);
		assertThat(gone.status()).isEqualTo(404);
		assertThat(gone.body()).isEqualTo("{\"Count\":0,\"Items\":[]}");
		assertThat(this.http.send("DELETE", P + "/delete?objtype=music&objkey=" + id, null).status()).isEqualTo(404);
		assertThat(this.http.send("PUT", P + "/update?objtype=music&objkey=" + id, "{\"SongTitle\":\"x\"}").status())
			.isEqualTo(404);
	}

	@Test
	void listsInPages() {
		for (int i = 0; i < 3; i++) {
			this.http.send("POST", P + "/write", "{\"objtype\":\"user\",\"fname\":\"f" + i + "\",\"lname\":\"l\",\"email\":\"e@x\"}");
		}
		Answer first = this.http.get(P + "/list?objtype=user&limit=2");
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.json().path("Count").asInt()).isEqualTo(2);
		String next = first.json().path("next").asString();
		Answer second = this.http.get(P + "/list?objtype=user&limit=2&next=" + next);
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
			"PUT|/update?objtype=music&objkey=6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea|{}|400",
			"PUT|/update?objtype=music&objkey=6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea|{\"objtype\":\"user\"}|400",
			"DELETE|/delete?objtype=music&objkey=nope||400" })
	void refusesBadInputWithAJsonError(String method, String path, String body, int status) {
		Answer answer = this.http.send(method, P + path, body);
		assertThat(answer.status()).isEqualTo(status);
		assertThat(answer.json().path("error").asString()).isNotBlank();
		assertThat(answer.body()).doesNotContain("Exception").doesNotContain("at dev.");
	}

	@Test
	void refusesOversizedBodiesWith413() {
		String big = "{\"objtype\":\"music\",\"Artist\":\"" + "a".repeat(20_000) + "\",\"SongTitle\":\"t\"}";
		Answer answer = this.http.send("POST", P + "/write", big);
		assertThat(answer.status()).isEqualTo(413);
		assertThat(answer.json().path("error").asString()).contains("larger than");
	}

	@Test
	void loadIsIdempotentAndSaysWhatItDid() {
		String body = "{\"objtype\":\"music\",\"uuid\":\"c2573193-f333-49e2-abec-182915747756\",\"Artist\":\"Backxwash\",\"SongTitle\":\"Bad Juju\"}";
		Answer first = this.http.send("POST", P + "/load", body, "Authorization", basic("svc-loader:test-token"));
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.body()).isEqualTo("{\"music_id\":\"c2573193-f333-49e2-abec-182915747756\",\"result\":\"created\"}");
		assertThat(this.http.send("POST", P + "/load", body, "Authorization", basic("svc-loader:test-token")).json()
			.path("result").asString()).isEqualTo("unchanged");
		assertThat(this.http.send("POST", P + "/load", body.replace("Bad Juju", "Bad Juju!"), "Authorization",
				basic("svc-loader:test-token")).json().path("result").asString()).isEqualTo("updated");
		assertThat(this.http.get(P + "/read?objtype=music&objkey=c2573193-f333-49e2-abec-182915747756").body())
			.contains("Bad Juju!");
	}

	@Test
	void loadNeedsTheLoaderCredentials() {
		String body = "{\"objtype\":\"music\",\"uuid\":\"26e6462c-eacf-40bb-b4d0-d683966e2624\",\"Artist\":\"a\",\"SongTitle\":\"t\"}";
		for (String[] auth : new String[][] { {}, { "Authorization", basic("svc-loader:wrong") },
				{ "Authorization", basic("someone:test-token") }, { "Authorization", "Bearer test-token" } }) {
			Answer answer = this.http.send("POST", P + "/load", body, auth);
			assertThat(answer.status()).isEqualTo(401);
			assertThat(answer.json().path("http_status_code").asInt()).isEqualTo(401);
			assertThat(answer.json().path("reason").asString()).isNotBlank().doesNotContain("test-token");
		}
		assertThat(this.http.get(P + "/read?objtype=music&objkey=26e6462c-eacf-40bb-b4d0-d683966e2624").status())
			.as("a refused load stores nothing").isEqualTo(404);
	}

	@Test
	void loadWithoutUuidIsTheCourseError() {
		Answer answer = this.http.send("POST", P + "/load", "{\"objtype\":\"music\",\"Artist\":\"a\",\"SongTitle\":\"t\"}",
				"Authorization", basic("svc-loader:test-token"));
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.body()).isEqualTo("{\"http_status_code\":400,\"reason\":\"Missing uuid\"}");
	}

	@Test
	void probesAndActuatorAnswer() {
		assertThat(this.http.get(P + "/health").status()).isEqualTo(200);
		assertThat(this.http.get(P + "/readiness").status()).isEqualTo(200);
		assertThat(this.http.get("/actuator/health/liveness").status()).isEqualTo(200);
		assertThat(this.http.get("/actuator/health/readiness").status()).isEqualTo(200);
		this.http.get(P + "/read?objtype=music&objkey=6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea");
		Answer metrics = this.http.get("/actuator/prometheus");
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

	private static String basic(String userAndPassword) {
		return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes());
	}

}
