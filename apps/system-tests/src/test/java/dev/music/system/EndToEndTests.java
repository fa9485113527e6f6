package dev.music.system;

import dev.music.common.web.HttpCalls;
import dev.music.common.web.HttpCalls.Answer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** s1 and s2 over the real db over DynamoDB Local, all as separate processes. */
class EndToEndTests {

	static ServiceProcess db;

	static ServiceProcess s1;

	static ServiceProcess s2;

	@BeforeAll
	static void start() throws Exception {
		Stack stack = Stack.get();
		db = stack.db;
		s1 = stack.s1;
		s2 = stack.s2;
	}

	@Test
	void aUserLogsInAndManagesSongsThroughTheRealDatastore() throws Exception {
		HttpCalls users = new HttpCalls(s1.port());
		HttpCalls music = new HttpCalls(s2.port());
		HttpCalls datastore = new HttpCalls(db.port());

		Answer loaded = datastore.send("POST", "/api/v1/datastore/load",
				"{\"objtype\":\"music\",\"uuid\":\"6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea\",\"Artist\":\"Taylor Swift\",\"SongTitle\":\"The Last Great American Dynasty\"}",
				AppProcesses.as("loader"));
		assertThat(loaded.status()).isEqualTo(200);

		String userId = AppProcesses.signup(users, "Louis", "satchmo@nola.gov");
		String[] auth = { "Authorization", "Bearer " + AppProcesses.login(users, userId) };

		assertThat(users.get("/api/v1/user/" + userId, auth).json().path("Items").get(0).path("email").asString())
			.isEqualTo("satchmo@nola.gov");
		Answer song = music.get("/api/v1/music/6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea", auth);
		assertThat(song.status()).isEqualTo(200);
		assertThat(song.json().path("Items").get(0).path("Artist").asString()).isEqualTo("Taylor Swift");

		String created = music.send("POST", "/api/v1/music/", "{\"Artist\":\"William Prince\",\"SongTitle\":\"Reliever\"}", auth)
			.json().path("music_id").asString();
		assertThat(datastore.get("/api/v1/datastore/read?objtype=music&objkey=" + created, AppProcesses.as("s2")).body())
			.contains("Reliever");
		assertThat(music.get("/api/v1/music/?limit=100", auth).json().path("Count").asInt()).isGreaterThanOrEqualTo(2);
		assertThat(music.send("DELETE", "/api/v1/music/" + created, null, auth).status()).isEqualTo(200);
		assertThat(music.get("/api/v1/music/" + created, auth).status()).isEqualTo(404);
		assertThat(music.get("/api/v1/music/" + created, "Authorization", "Bearer not-a-token").status()).isEqualTo(401);
	}

	@Test
	void theFindTheBugFlowShowsTheCodeAndTheStackTraceInTheLog() throws Exception {
		HttpCalls users = new HttpCalls(s1.port());
		String token = AppProcesses.login(users, AppProcesses.signup(users, "Leon", "bix@aa.org"));
		Answer test = new HttpCalls(s2.port()).get("/api/v1/music/test", "Authorization", "Bearer " + token);
		assertThat(test.status()).isEqualTo(500);
		String requestId = test.json().path("request_id").asString();
		Thread.sleep(200);
		String log = s2.log();
		assertThat(ServiceProcess.lines(log, "Unique code: ")).hasSize(1);
		assertThat(log).contains("[" + requestId + "]").contains("at dev.music.s2.exercise.ExerciseFunctions");
		assertThat(ServiceProcess.lines(log, "GET /api/v1/music/test 500")).isNotEmpty();
	}

}
