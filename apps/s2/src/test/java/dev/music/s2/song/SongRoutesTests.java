package dev.music.s2.song;

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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every s2 route and status through real HTTP, with tokens checked as in the cluster. db is a loopback stub of
 * its HTTP contract, so db failures can be staged; s2 with the real db is tested in system-tests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "auth.compat=false")
@ExtendWith(OutputCaptureExtension.class)
class SongRoutesTests {

	static final String SONG_ID = "6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea";

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
		this.auth = new String[] { "Authorization", "Bearer " + this.tokens.issue("b66f61e7-4fad-402f-aaad-101e3e2522d3") };
		db.failWith(0);
		db.table("music").clear();
		db.put("music", SONG_ID, Map.of("Artist", "Taylor Swift", "SongTitle", "The Last Great American Dynasty"));
	}

	@Test
	void readsASong() {
		Answer answer = this.http.get("/api/v1/music/" + SONG_ID, this.auth);
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.json().path("Count").asInt()).isEqualTo(1);
		assertThat(answer.json().path("Items").get(0).propertyNames()).containsExactlyInAnyOrder("music_id", "Artist",
				"SongTitle");
		assertThat(answer.json().path("Items").get(0).path("SongTitle").asString())
			.isEqualTo("The Last Great American Dynasty");
	}

	@Test
	void anUnknownSongIs404WithTheCourseBody() {
		Answer answer = this.http.get("/api/v1/music/c2573193-f333-49e2-abec-182915747756", this.auth);
		assertThat(answer.status()).isEqualTo(404);
		assertThat(answer.body()).isEqualTo("{\"Count\":0,\"Items\":[]}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1/music", "/api/v1/music/" })
	void createsWithOrWithoutTrailingSlashAndAnswers200(String path) {
		Answer answer = this.http.send("POST", path, "{\"Artist\":\"Gang of Four\",\"SongTitle\":\"Isle of Dogs\"}", this.auth);
		assertThat(answer.status()).isEqualTo(200);
		String id = answer.json().path("music_id").asString();
		assertThat(db.table("music").get(id)).containsEntry("SongTitle", "Isle of Dogs");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1/music", "/api/v1/music/" })
	void listsSongsPageByPage(String path) {
		db.put("music", "0894ddc7-0c84-4f13-a037-ddcaa1134ec8", Map.of("Artist", "Carla Bley Trio", "SongTitle", "U"));
		Answer first = this.http.get(path + "?limit=1", this.auth);
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.json().path("Count").asInt()).isEqualTo(1);
		Answer second = this.http.get(path + "?limit=1&next=" + first.json().path("next").asString(), this.auth);
		assertThat(second.json().path("Count").asInt()).isEqualTo(1);
		assertThat(second.json().has("next")).isFalse();
		assertThat(this.http.get(path + "?limit=1000", this.auth).status()).isEqualTo(400);
	}

	@Test
	void deletesAndThen404() {
		assertThat(this.http.send("DELETE", "/api/v1/music/" + SONG_ID, null, this.auth).status()).isEqualTo(200);
		assertThat(db.table("music")).doesNotContainKey(SONG_ID);
		assertThat(this.http.send("DELETE", "/api/v1/music/" + SONG_ID, null, this.auth).status()).isEqualTo(404);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"Artist\":\"a\"}", "{\"Artist\":\"a\",\"SongTitle\":\"t\",\"music_id\":\"x\"}",
			"{\"Artist\":1,\"SongTitle\":\"t\"}", "{\"Artist\":\"a\",\"SongTitle\":null}", "{broken", "[]", "" })
	void refusesBadSongsWith400AndStoresNothing(String body) {
		Answer answer = this.http.send("POST", "/api/v1/music/", body, this.auth);
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.json().path("error").asString()).isNotBlank();
		assertThat(db.table("music")).hasSize(1);
	}

	@Test
	void refusesNonUuidIds() {
		Answer answer = this.http.get("/api/v1/music/not-a-uuid", this.auth);
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.json().path("error").asString()).contains("UUID");
	}

	@Test
	void refusesHugeBodiesWith413() {
		String huge = "{\"Artist\":\"" + "x".repeat(100_000) + "\",\"SongTitle\":\"t\"}";
		assertThat(this.http.send("POST", "/api/v1/music/", huge, this.auth).status()).isEqualTo(413);
	}

	@Test
	void everyRouteButTheProbesNeedsAuthorization() {
		for (String[] call : new String[][] { { "GET", "/api/v1/music/" + SONG_ID }, { "GET", "/api/v1/music/" },
				{ "POST", "/api/v1/music/" }, { "DELETE", "/api/v1/music/" + SONG_ID }, { "GET", "/api/v1/music/test" } }) {
			Answer answer = this.http.send(call[0], call[1], call[0].equals("POST") ? "{}" : null);
			assertThat(answer.status()).as(call[1]).isEqualTo(401);
			assertThat(answer.body()).isEqualTo("{\"error\":\"missing auth\"}");
			assertThat(answer.header("WWW-Authenticate")).isPresent();
		}
		assertThat(db.table("music")).containsKey(SONG_ID);
		assertThat(this.http.get("/api/v1/music/health").status()).isEqualTo(200);
		assertThat(this.http.get("/api/v1/music/readiness").status()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "Bearer x", "Basic c3ZjOnB3", "Bearer eyJhbGciOiJub25lIn0.eyJ1c2VyX2lkIjoidSJ9.",
			"Bearer eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoidSIsImlzcyI6Im11c2ljLXMxIiwiYXVkIjoibXVzaWMiLCJleHAiOjk5OTk5OTk5OTl9.AAAA" })
	void refusesTokensThatDoNotVerify(String header) {
		Answer answer = this.http.get("/api/v1/music/" + SONG_ID, "Authorization", header);
		assertThat(answer.status()).isEqualTo(401);
		assertThat(answer.json().path("error").asString()).isNotBlank();
		assertThat(answer.header("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
	}

	@Test
	void theFindTheBugTestFailsWith500AndTheStackTraceIsInTheLog(CapturedOutput output) {
		Answer answer = this.http.get("/api/v1/music/test", this.auth);
		assertThat(answer.status()).isEqualTo(500);
		String requestId = answer.json().path("request_id").asString();
		assertThat(requestId).isNotBlank();
		assertThat(answer.body()).doesNotContain("Exception").doesNotContain("at dev.");
		assertThat(output).contains("[" + requestId + "]")
			.contains("java.lang.IllegalStateException: Unique code 163c8374ed28e3fafb4ea1edc82de31d0df2ae299c7d9ea2d00a6b21d51b23d6")
			.contains("at dev.music.s2.exercise.ExerciseFunctions");
	}

	@Test
	void dbDownIs503WithRetryAfterAndRecoversWithoutRestart() {
		db.stop();
		try {
			Answer down = this.http.get("/api/v1/music/" + SONG_ID, this.auth);
			assertThat(down.status()).isEqualTo(503);
			assertThat(down.header("Retry-After")).contains("2");
			assertThat(down.json().path("error").asString()).contains("datastore unavailable");
			assertThat(this.http.send("POST", "/api/v1/music/", "{\"Artist\":\"a\",\"SongTitle\":\"t\"}", this.auth).status())
				.isEqualTo(503);
			assertThat(this.http.get("/api/v1/music/readiness").status()).as("s2 readiness does not follow db").isEqualTo(200);
		}
		finally {
			db.restart();
		}
		assertThat(this.http.get("/api/v1/music/" + SONG_ID, this.auth).status()).isEqualTo(200);
	}

	@Test
	void dbAnswering503Is503() {
		db.failWith(503);
		assertThat(this.http.get("/api/v1/music/" + SONG_ID, this.auth).status()).isEqualTo(503);
		assertThat(this.http.send("DELETE", "/api/v1/music/" + SONG_ID, null, this.auth).status()).isEqualTo(503);
	}

}
