package dev.music.system;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.music.common.web.HttpCalls;
import dev.music.common.web.HttpCalls.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and broken input on every route of s1, s2 and db, against the real services over DynamoDB Local: each
 * is refused with a 4xx JSON error (never a 5xx, a stack trace or a class name), and nothing stored changes.
 */
class HostileInputTests {

	static final String SONG = "6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea";

	static final String HUGE = "{\"Artist\":\"" + "x".repeat(40_000) + "\",\"SongTitle\":\"t\"}";

	static final String LONG = "y".repeat(600);

	static Stack stack;

	static String user;

	static String token;

	@BeforeAll
	static void start() throws Exception {
		stack = Stack.get();
		HttpCalls db = new HttpCalls(stack.db.port());
		db.send("POST", "/api/v1/datastore/load", "{\"objtype\":\"music\",\"uuid\":\"" + SONG
				+ "\",\"Artist\":\"Taylor Swift\",\"SongTitle\":\"The Last Great American Dynasty\"}", AppProcesses.as("loader"));
		HttpCalls users = new HttpCalls(stack.s1.port());
		user = AppProcesses.signup(users, "George", "starchild@pfunk.org");
		token = AppProcesses.login(users, user);
	}

	/** service, method, path ({user} is replaced), body (null: none), expected status. */
	static Stream<Arguments> hostile() {
		return Stream.of(
				// s2: music
				Arguments.of("s2", "POST", "/api/v1/music/", "{\"Artist\":\"a\",", 400),
				Arguments.of("s2", "POST", "/api/v1/music/", "{\"Artist\":[1],\"SongTitle\":{}}", 400),
				Arguments.of("s2", "POST", "/api/v1/music/", "{\"Artist\":true,\"SongTitle\":1.5}", 400),
				Arguments.of("s2", "POST", "/api/v1/music/", HUGE, 413),
				Arguments.of("s2", "POST", "/api/v1/music/", "{\"Artist\":\"" + LONG + "\",\"SongTitle\":\"t\"}", 400),
				Arguments.of("s2", "POST", "/api/v1/music/", "{\"Artist\":\"a\",\"SongTitle\":\"t\",\"music_id\":\"" + SONG + "\"}", 400),
				Arguments.of("s2", "POST", "/api/v1/music/", "{\"Artist\":\"\\ud800\",\"SongTitle\":\"t\"}", 400),
				Arguments.of("s2", "GET", "/api/v1/music/..%2F..%2Fetc%2Fpasswd", null, 400),
				Arguments.of("s2", "GET", "/api/v1/music/%2e%2e", null, 400),
				Arguments.of("s2", "GET", "/api/v1/music/６ecfafd0-8a35-4af6-a9e2-cbd79b3abeea", null, 400),
				Arguments.of("s2", "GET", "/api/v1/music/" + SONG + "'%20OR%201=1", null, 400),
				Arguments.of("s2", "DELETE", "/api/v1/music/*", null, 400),
				Arguments.of("s2", "GET", "/api/v1/music/?limit=-1", null, 400),
				Arguments.of("s2", "GET", "/api/v1/music/?next=..%2F", null, 400),
				// s1: users
				Arguments.of("s1", "POST", "/api/v1/user/", "[\"fname\"]", 400),
				Arguments.of("s1", "POST", "/api/v1/user/", "{\"fname\":\"a\",\"lname\":\"b\",\"email\":\"a@b\",\"role\":\"admin\"}", 400),
				Arguments.of("s1", "POST", "/api/v1/user/", "{\"fname\":\"" + LONG + "\",\"lname\":\"b\",\"email\":\"a@b\"}", 400),
				Arguments.of("s1", "POST", "/api/v1/user/", HUGE, 413),
				Arguments.of("s1", "PUT", "/api/v1/user/{user}", "{\"fname\":null,\"lname\":\"b\",\"email\":\"a@b\"}", 400),
				Arguments.of("s1", "PUT", "/api/v1/user/{user}", "{\"fname\":\"a\",\"lname\":\"b\",\"email\":\"a@b\"} trailing", 400),
				Arguments.of("s1", "GET", "/api/v1/user/..%2F{user}", null, 400),
				Arguments.of("s1", "DELETE", "/api/v1/user/{user}%00", null, 400),
				Arguments.of("s1", "PUT", "/api/v1/user/login", "{\"uid\":5}", 400),
				Arguments.of("s1", "PUT", "/api/v1/user/login", "{\"uid\":\"../../{user}\"}", 400),
				Arguments.of("s1", "PUT", "/api/v1/user/logoff", "not json at all", 400),
				// db: datastore
				Arguments.of("db", "GET", "/api/v1/datastore/read?objtype=Music&objkey=" + SONG, null, 400),
				Arguments.of("db", "GET", "/api/v1/datastore/read?objtype=music&objkey=" + SONG + "%2F..", null, 400),
				Arguments.of("db", "GET", "/api/v1/datastore/list?objtype=__proto__", null, 400),
				Arguments.of("db", "POST", "/api/v1/datastore/write", "{\"objtype\":\"music\",\"Artist\":\"a\",\"SongTitle\":\"t\",\"fname\":\"x\"}", 400),
				Arguments.of("db", "POST", "/api/v1/datastore/write", "{\"objtype\":[\"music\"],\"Artist\":\"a\",\"SongTitle\":\"t\"}", 400),
				Arguments.of("db", "PUT", "/api/v1/datastore/update?objtype=user&objkey={user}", "{\"user_id\":\"" + SONG + "\"}", 400),
				Arguments.of("db", "DELETE", "/api/v1/datastore/delete?objtype=songs&objkey=" + SONG, null, 400),
				Arguments.of("db", "POST", "/api/v1/datastore/load", "{\"objtype\":\"music\",\"uuid\":\"" + SONG + "\",\"Artist\":\"x\",\"SongTitle\":\"y\"}", 403),
				Arguments.of("db", "GET", "/api/v1/datastore/credential?objtype=music&objkey=" + SONG, null, 400));
	}

	@ParameterizedTest(name = "{0} {1} {2} -> {4}")
	@MethodSource("hostile")
	void isRefusedWithA4xxJsonErrorAndNothingChanges(String service, String method, String path, String body, int status)
			throws Exception {
		Map<String, String> before = stored();
		HttpCalls http = new HttpCalls(port(service));
		// s1 and s2 get the user's token; db gets the caller credential of the service that owns the object type
		String[] auth = !service.equals("db") ? new String[] { "Authorization", "Bearer " + token }
				: AppProcesses.as((path + body).contains("user") ? "s1" : "s2");
		Answer answer = http.send(method, path.replace("{user}", user), (body != null) ? body.replace("{user}", user) : null,
				auth);
		assertThat(answer.status()).isEqualTo(status);
		assertThat(answer.header("Content-Type").orElse("")).startsWith("application/json");
		JsonNode json = answer.json();
		assertThat(json.has("error") || json.has("reason")).as(answer.body()).isTrue();
		assertThat(answer.body()).doesNotContain("Exception").doesNotContain("tools.jackson").doesNotContain("at dev.")
			.doesNotContain("java.");
		assertThat(stored()).as("nothing stored changed").isEqualTo(before);
	}

	@Test
	void unicodeThatIsValidIsKeptExactly() {
		HttpCalls music = new HttpCalls(stack.s2.port());
		String title = "Mun Planeeta 🎵 — Ääkköset ∑";
		String id = music.send("POST", "/api/v1/music/", "{\"Artist\":\"Sini Sabotage\",\"SongTitle\":\"" + title + "\"}",
				"Authorization", "Bearer " + token).json().path("music_id").asString();
		assertThat(music.get("/api/v1/music/" + id, "Authorization", "Bearer " + token).json().path("Items").get(0)
			.path("SongTitle").asString()).isEqualTo(title);
		music.send("DELETE", "/api/v1/music/" + id, null, "Authorization", "Bearer " + token);
	}

	private static int port(String service) {
		return switch (service) {
			case "s1" -> stack.s1.port();
			case "s2" -> stack.s2.port();
			default -> stack.db.port();
		};
	}

	/** Every song and the test user (with its password hash), by type and id. */
	private static Map<String, String> stored() {
		return Stored.snapshot(new HttpCalls(stack.db.port()), List.of(user));
	}

}
