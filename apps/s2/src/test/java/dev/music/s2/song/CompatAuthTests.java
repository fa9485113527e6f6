package dev.music.s2.song;

import dev.music.common.datastore.DatastoreStub;
import dev.music.common.web.HttpCalls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With AUTH_COMPAT on, any non-empty Authorization header passes, as with the old course services. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "auth.compat=true")
@org.junit.jupiter.api.extension.ExtendWith(OutputCaptureExtension.class)
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

	@Test
	void anyoneMayDeleteAnySongAsInTheCourse() {
		db.put("music", SongRoutesTests.SONG_ID, java.util.Map.of("Artist", "a", "SongTitle", "t", "owner_id", "someone"));
		HttpCalls http = new HttpCalls(this.port);
		assertThat(http.send("DELETE", "/api/v1/music/" + SongRoutesTests.SONG_ID, null, "Authorization", "x").status())
			.isEqualTo(200);
	}

	@Test
	void refusesToStartInsideKubernetes(CapturedOutput output) {
		SpringApplication app = new SpringApplication(dev.music.s2.Application.class);
		assertThatThrownBy(() -> app.run("--server.port=0", "--management.server.port=0", "--auth.compat=true",
				"--KUBERNETES_SERVICE_HOST=10.96.0.1"))
			.hasRootCauseInstanceOf(dev.music.common.auth.CompatInKubernetes.class);
		assertThat(output).contains("AUTH_COMPAT=true would accept any Authorization header, so this service refuses to start"
				+ " inside Kubernetes (KUBERNETES_SERVICE_HOST is set).");
	}

}
