package dev.music.system;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import dev.music.common.auth.TestIssuer;
import dev.music.common.web.HttpCalls;
import dev.music.common.web.HttpCalls.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on identity and access against the real db, s1 and s2: forged and broken tokens, one user acting on
 * another's record or song, a service asking db for what is not its own, no credential at all, a burst of logins.
 * Each asserts the status and that nothing stored changed (every song, and both users with their password hashes).
 */
class AuthTests {

	static final String SAMPLE_SONG = "1a6c9a5e-2f5d-4e6b-9c8d-7e6f5a4b3c2d";

	static Stack stack;

	static HttpCalls users;

	static HttpCalls music;

	static HttpCalls db;

	static String alice;

	static String bob;

	static String aliceToken;

	static String bobsSong;

	@BeforeAll
	static void twoUsersAndTheirSongs() throws Exception {
		stack = Stack.get();
		users = new HttpCalls(stack.s1.port());
		music = new HttpCalls(stack.s2.port());
		db = new HttpCalls(stack.db.port());
		assertThat(db.send("POST", "/api/v1/datastore/load", "{\"objtype\":\"music\",\"uuid\":\"" + SAMPLE_SONG
				+ "\",\"Artist\":\"Sample\",\"SongTitle\":\"Loaded\"}", AppProcesses.as("loader")).status()).isEqualTo(200);
		alice = AppProcesses.signup(users, "Alice", "alice@example.org");
		bob = AppProcesses.signup(users, "Bob", "bob@example.org");
		aliceToken = AppProcesses.login(users, alice);
		bobsSong = music.send("POST", "/api/v1/music/", "{\"Artist\":\"Bob\",\"SongTitle\":\"Mine\"}", "Authorization",
				"Bearer " + AppProcesses.login(users, bob)).json().path("music_id").asString();
	}

	static Map<String, String> stored() {
		return Stored.snapshot(db, List.of(alice, bob));
	}

	@Test
	void forgedExpiredAndForeignTokensAre401EverywhereAndChangeNothing() throws Exception {
		Map<String, String> before = stored();
		String jwks = users.get("/api/v1/user/.well-known/jwks.json").body();
		Instant now = Instant.now();
		TestIssuer s1Key = AppProcesses.S1_KEYS;
		Map<String, String> hostile = Map.of(
				"alg confusion: HS256 keyed with s1's public JWK", TestIssuer.hs256(jwks, alice),
				"alg none", s1Key.algNone(alice),
				"unknown kid", s1Key.tokenWithKid(alice, "not-published"),
				"expired", s1Key.token(alice, (c) -> c.issueTime(Date.from(now.minusSeconds(7200)))
					.notBeforeTime(Date.from(now.minusSeconds(7200)))
					.expirationTime(Date.from(now.minusSeconds(3600)))),
				"issued in the future", s1Key.token(alice, (c) -> c.issueTime(Date.from(now.plusSeconds(900)))
					.notBeforeTime(Date.from(now.plusSeconds(900)))
					.expirationTime(Date.from(now.plusSeconds(1800)))),
				"another issuer", s1Key.token(alice, (c) -> c.issuer("https://accounts.example.com")),
				"another audience", s1Key.token(alice, (c) -> c.audience("db")),
				"another key", new TestIssuer("music-s1", "music").token(alice));
		assertThat(music.get("/api/v1/music/" + SAMPLE_SONG, "Authorization", "Bearer " + s1Key.token(alice)).status())
			.as("the same key with good claims passes, so each refusal is the claim's").isEqualTo(200);
		hostile.forEach((what, token) -> {
			String[] auth = { "Authorization", "Bearer " + token };
			for (Answer answer : List.of(music.get("/api/v1/music/" + SAMPLE_SONG, auth),
					music.send("POST", "/api/v1/music/", "{\"Artist\":\"x\",\"SongTitle\":\"y\"}", auth),
					music.send("DELETE", "/api/v1/music/" + bobsSong, null, auth),
					users.send("PUT", "/api/v1/user/" + alice, "{\"fname\":\"M\",\"lname\":\"M\",\"email\":\"m@m\"}", auth),
					users.send("DELETE", "/api/v1/user/" + alice, null, auth))) {
				assertThat(answer.status()).as(what).isEqualTo(401);
				assertThat(answer.body()).as(what).doesNotContain("music-s1").doesNotContain("example.com");
			}
		});
		assertThat(stored()).isEqualTo(before);
	}

	@Test
	void userAOnUserBAndOnBsSongIs403AndChangesNothing() {
		Map<String, String> before = stored();
		String[] auth = { "Authorization", "Bearer " + aliceToken };
		assertThat(users.get("/api/v1/user/" + bob, auth).status()).isEqualTo(403);
		assertThat(users.send("PUT", "/api/v1/user/" + bob,
				"{\"fname\":\"M\",\"lname\":\"M\",\"email\":\"m@m\",\"password\":\"taken over now\"}", auth).status()).isEqualTo(403);
		assertThat(users.send("DELETE", "/api/v1/user/" + bob, null, auth).status()).isEqualTo(403);
		assertThat(music.send("DELETE", "/api/v1/music/" + bobsSong, null, auth).status()).isEqualTo(403);
		assertThat(music.send("DELETE", "/api/v1/music/" + SAMPLE_SONG, null, auth).status()).as("a loaded song has no owner")
			.isEqualTo(403);
		assertThat(music.get("/api/v1/music/" + bobsSong, auth).status()).as("any user may read any song").isEqualTo(200);
		assertThat(stored()).isEqualTo(before);
	}

	@Test
	void s2AskingDbForUsersAndCallsWithoutACredentialAreRefusedAndChangeNothing() {
		Map<String, String> before = stored();
		String[] s2 = AppProcesses.as("s2");
		assertThat(db.get("/api/v1/datastore/read?objtype=user&objkey=" + alice, s2).status()).isEqualTo(403);
		assertThat(db.get("/api/v1/datastore/credential?objtype=user&objkey=" + alice, s2).status()).isEqualTo(403);
		assertThat(db.send("DELETE", "/api/v1/datastore/delete?objtype=user&objkey=" + bob, null, s2).status()).isEqualTo(403);
		assertThat(db.send("POST", "/api/v1/datastore/write", "{\"objtype\":\"user\",\"fname\":\"e\",\"lname\":\"v\",\"email\":\"i@l\"}", s2)
			.status()).isEqualTo(403);
		String[] userToken = { "Authorization", "Bearer " + aliceToken };
		for (String[] auth : List.of(new String[0], userToken)) {
			assertThat(db.get("/api/v1/datastore/read?objtype=music&objkey=" + bobsSong, auth).status()).isEqualTo(401);
			assertThat(db.send("DELETE", "/api/v1/datastore/delete?objtype=music&objkey=" + bobsSong, null, auth).status())
				.isEqualTo(401);
			assertThat(db.send("POST", "/api/v1/datastore/load", "{\"objtype\":\"user\",\"uuid\":\"" + alice
					+ "\",\"fname\":\"e\",\"lname\":\"v\",\"email\":\"i@l\"}", auth).status()).isEqualTo(401);
		}
		assertThat(stored()).isEqualTo(before);
	}

	@Test
	void threeHundredLoginsInABurstGet429sAndChangeNothing() {
		Map<String, String> before = stored();
		String body = "{\"uid\":\"" + alice + "\",\"password\":\"" + AppProcesses.PASSWORD + "\"}";
		String address = AppProcesses.address();
		int ok = 0;
		int limited = 0;
		for (int i = 0; i < 300; i++) {
			Answer answer = users.send("PUT", "/api/v1/user/login", body, "X-Forwarded-For", address);
			if (answer.status() == 200) {
				ok++;
			}
			else {
				assertThat(answer.status()).isEqualTo(429);
				assertThat(answer.header("Retry-After")).isPresent();
				assertThat(answer.json().path("error").asString()).isNotBlank();
				limited++;
			}
		}
		System.out.printf("300 logins in a burst from one address: %d answered 200, %d answered 429%n", ok, limited);
		assertThat(ok).isBetween(1, 10);
		assertThat(limited).isEqualTo(300 - ok);
		assertThat(stored()).isEqualTo(before);
	}

}
