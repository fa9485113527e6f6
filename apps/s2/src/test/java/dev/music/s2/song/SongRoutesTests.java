package dev.music.s2.song;

import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.stream.Stream;

import dev.music.common.auth.TestIssuer;
import dev.music.common.datastore.DatastoreStub;
import dev.music.common.web.HttpCalls;
import dev.music.common.web.HttpCalls.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every s2 route and status through real HTTP, with tokens checked as in the cluster against a stand-in for s1's
 * JWK set. db is a loopback stub of its HTTP contract, so db failures can be staged; s2 with the real db and s1 is
 * tested in system-tests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "auth.compat=false")
@ExtendWith(OutputCaptureExtension.class)
class SongRoutesTests {

	static final String SONG_ID = "6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea";

	static final String GEORGE = "b66f61e7-4fad-402f-aaad-101e3e2522d3";

	static final String TINA = "75ebc062-a808-4a0f-a79b-8ac568564bfe";

	static final String TINAS_SONG = "0894ddc7-0c84-4f13-a037-ddcaa1134ec8";

	static final DatastoreStub db = new DatastoreStub();

	static final TestIssuer s1 = new TestIssuer("music-s1", "music");

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("datastore.url", db::url);
		registry.add("datastore.retries", () -> "1");
		registry.add("auth.jwks.uri", s1::serveJwks);
		registry.add("ratelimit.list-per-minute", () -> "30");
	}

	@AfterAll
	static void stop() {
		db.close();
		s1.close();
	}

	@LocalServerPort
	int port;

	HttpCalls http;

	String[] auth;

	@BeforeEach
	void setUp() {
		this.http = new HttpCalls(this.port);
		this.auth = new String[] { "Authorization", "Bearer " + s1.token(GEORGE) };
		db.failWith(0);
		db.table("music").clear();
		db.put("music", SONG_ID, Map.of("Artist", "Taylor Swift", "SongTitle", "The Last Great American Dynasty"));
		db.put("music", TINAS_SONG, Map.of("Artist", "Tom Tom Club", "SongTitle", "Genius of Love", "owner_id", TINA));
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
		assertThat(db.table("music").get(id)).containsEntry("SongTitle", "Isle of Dogs").containsEntry("owner_id", GEORGE);
		assertThat(this.http.get("/api/v1/music/" + id, this.auth).json().path("Items").get(0).propertyNames())
			.as("the course's fields only").containsExactlyInAnyOrder("music_id", "Artist", "SongTitle");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1/music", "/api/v1/music/" })
	void listsSongsPageByPage(String path) {
		Answer first = this.http.get(path + "?limit=1", this.auth);
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.json().path("Count").asInt()).isEqualTo(1);
		Answer second = this.http.get(path + "?limit=1&next=" + first.json().path("next").asString(), this.auth);
		assertThat(second.json().path("Count").asInt()).isEqualTo(1);
		assertThat(second.json().has("next")).isFalse();
		assertThat(this.http.get(path + "?limit=1000", this.auth).status()).isEqualTo(400);
	}

	@Test
	void deletesItsOwnSongAndThen404() {
		String id = this.http.send("POST", "/api/v1/music/", "{\"Artist\":\"P-Funk\",\"SongTitle\":\"Flash Light\"}", this.auth)
			.json().path("music_id").asString();
		assertThat(this.http.send("DELETE", "/api/v1/music/" + id, null, this.auth).status()).isEqualTo(200);
		assertThat(db.table("music")).doesNotContainKey(id);
		assertThat(this.http.send("DELETE", "/api/v1/music/" + id, null, this.auth).status()).isEqualTo(404);
	}

	@Test
	void deletingAnotherUsersSongOrASampleSongIs403AndKeepsIt() {
		for (String id : new String[] { TINAS_SONG, SONG_ID }) {
			Answer answer = this.http.send("DELETE", "/api/v1/music/" + id, null, this.auth);
			assertThat(answer.status()).isEqualTo(403);
			assertThat(answer.json().path("error").asString()).contains("only the user who added a song");
		}
		assertThat(db.table("music")).containsKeys(TINAS_SONG, SONG_ID);
		assertThat(this.http.send("DELETE", "/api/v1/music/" + TINAS_SONG, null, "Authorization", "Bearer " + s1.token(TINA))
			.status()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"Artist\":\"a\"}", "{\"Artist\":\"a\",\"SongTitle\":\"t\",\"music_id\":\"x\"}",
			"{\"Artist\":1,\"SongTitle\":\"t\"}", "{\"Artist\":\"a\",\"SongTitle\":null}", "{broken", "[]", "" })
	void refusesBadSongsWith400AndStoresNothing(String body) {
		Answer answer = this.http.send("POST", "/api/v1/music/", body, this.auth);
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.json().path("error").asString()).isNotBlank();
		assertThat(db.table("music")).hasSize(2);
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
	void aBurstOfListsFromOneAddressGets429() {
		int limited = 0;
		for (int i = 0; i < 40; i++) {
			Answer answer = this.http.get("/api/v1/music/", "Authorization", this.auth[1], "X-Forwarded-For", "198.51.100.20");
			if (answer.status() == 429) {
				limited++;
				assertThat(answer.header("Retry-After")).isPresent();
			}
		}
		assertThat(limited).as("30 at once, then about one every 2 s").isBetween(5, 10);
		assertThat(this.http.get("/api/v1/music/", "Authorization", this.auth[1], "X-Forwarded-For", "198.51.100.21").status())
			.isEqualTo(200);
		assertThat(this.http.get("/api/v1/music/" + SONG_ID, "Authorization", this.auth[1], "X-Forwarded-For",
				"198.51.100.20").status()).as("reads by id are not limited").isEqualTo(200);
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

	static Stream<Arguments> hostileTokens() {
		Instant now = Instant.now();
		TestIssuer stranger = new TestIssuer("music-s1", "music");
		return Stream.of(Arguments.of("garbage", "Bearer x"), Arguments.of("Basic", "Basic c3ZjOnB3"),
				Arguments.of("alg none", "Bearer " + s1.algNone(GEORGE)),
				Arguments.of("HS256 signed with the public key", "Bearer " + s1.hs256WithThePublicKey(GEORGE)),
				Arguments.of("unknown kid", "Bearer " + s1.tokenWithKid(GEORGE, "not-a-published-kid")),
				Arguments.of("another key with a known kid", "Bearer " + stranger.tokenWithKid(GEORGE, s1.kid())),
				Arguments.of("expired", "Bearer " + s1.token(GEORGE, (c) -> c.issueTime(Date.from(now.minusSeconds(3600)))
					.notBeforeTime(Date.from(now.minusSeconds(3600)))
					.expirationTime(Date.from(now.minusSeconds(60))))),
				Arguments.of("issued in the future", "Bearer " + s1.token(GEORGE, (c) -> c.issueTime(Date.from(now.plusSeconds(600)))
					.expirationTime(Date.from(now.plusSeconds(900))))),
				Arguments.of("not valid yet", "Bearer " + s1.token(GEORGE, (c) -> c.notBeforeTime(Date.from(now.plusSeconds(600))))),
				Arguments.of("no exp", "Bearer " + s1.token(GEORGE, (c) -> c.expirationTime(null))),
				Arguments.of("lives longer than an hour", "Bearer " + s1.token(GEORGE,
						(c) -> c.expirationTime(Date.from(now.plusSeconds(7200))))),
				Arguments.of("another issuer", "Bearer " + s1.token(GEORGE, (c) -> c.issuer("https://evil.example"))),
				Arguments.of("another audience", "Bearer " + s1.token(GEORGE, (c) -> c.audience("db"))),
				Arguments.of("no subject", "Bearer " + s1.token(null)));
	}

	@Test
	void aTokenIssuedFiftyMinutesAgoStillPasses() {
		Instant issued = Instant.now().minusSeconds(50 * 60);
		String token = s1.token(GEORGE, (c) -> c.issueTime(Date.from(issued))
			.notBeforeTime(Date.from(issued))
			.expirationTime(Date.from(issued.plusSeconds(3600))));
		assertThat(this.http.get("/api/v1/music/" + SONG_ID, "Authorization", "Bearer " + token).status()).isEqualTo(200);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("hostileTokens")
	void refusesTokensThatDoNotVerifyAndChangesNothing(String what, String header) {
		Map<String, Map<String, String>> before = Map.copyOf(db.table("music"));
		for (String[] call : new String[][] { { "GET", "/api/v1/music/" + SONG_ID, null },
				{ "POST", "/api/v1/music/", "{\"Artist\":\"x\",\"SongTitle\":\"y\"}" },
				{ "DELETE", "/api/v1/music/" + TINAS_SONG, null } }) {
			Answer answer = this.http.send(call[0], call[1], call[2], "Authorization", header);
			assertThat(answer.status()).as(call[0]).isEqualTo(401);
			assertThat(answer.json().path("error").asString()).isIn("invalid or expired token",
					"Authorization must be 'Bearer <token>'");
			assertThat(answer.body()).doesNotContain("music-s1").doesNotContain("evil").doesNotContain("aud");
			assertThat(answer.header("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
		}
		assertThat(db.table("music")).isEqualTo(before);
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
			assertThat(down.body()).as("no internal address").doesNotContain("127.0.0.1");
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
