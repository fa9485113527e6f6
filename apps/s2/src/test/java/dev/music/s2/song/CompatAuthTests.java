package dev.music.s2.song;

import dev.music.common.datastore.DatastoreStub;
import dev.music.common.web.HttpCalls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** With AUTH_COMPAT on, any non-empty Authorization header passes, as with the old course services. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "auth.compat=true")
class CompatAuthTests {

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

	@Test
	void anyHeaderPassesButNoneDoesNot() {
		HttpCalls http = new HttpCalls(this.port);
		assertThat(http.get("/api/v1/music/" + SongRoutesTests.SONG_ID, "Authorization", "Bearer x").status()).isEqualTo(404);
		assertThat(http.get("/api/v1/music/" + SongRoutesTests.SONG_ID).status()).isEqualTo(401);
	}

}
