package dev.music.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.music.common.datastore.DatastoreStub;
import dev.music.common.web.HttpCalls;
import dev.music.common.web.HttpCalls.Answer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * s2 gets SIGTERM (what Kubernetes sends a pod that is being replaced) while requests are in flight: every
 * request it had accepted completes with 200 and its write is stored; new connections are refused afterwards.
 */
class GracefulShutdownTests {

	static final int IN_FLIGHT = 12;

	@Test
	void requestsInFlightCompleteBeforeTheProcessEnds() throws Exception {
		try (DatastoreStub db = new DatastoreStub();
				ServiceProcess s2 = ServiceProcess.service("s2", ServiceProcess.freePort(), "/api/v1/music",
						Map.of("JAVA_TOOL_OPTIONS", AppProcesses.JVM, "DB_URL", db.url().toString(), "AUTH_COMPAT", "true",
								"MANAGEMENT_SERVER_PORT", String.valueOf(ServiceProcess.freePort())))
					.start()) {
			s2.awaitReady(AppProcesses.START);
			db.delay(1_500);
			HttpCalls music = new HttpCalls(s2.port());
			ExecutorService clients = Executors.newFixedThreadPool(IN_FLIGHT);
			List<Future<Answer>> answers = new ArrayList<>();
			for (int i = 0; i < IN_FLIGHT; i++) {
				String body = "{\"Artist\":\"graceful\",\"SongTitle\":\"in flight " + i + "\"}";
				answers.add(clients.submit(() -> music.send("POST", "/api/v1/music/", body, "Authorization", "Bearer x")));
			}
			while (db.requests() < IN_FLIGHT) {
				Thread.sleep(20);
			}
			long start = System.nanoTime();
			s2.stop();
			System.out.printf("s2 stopped %d ms after SIGTERM with %d requests in flight%n",
					(System.nanoTime() - start) / 1_000_000, IN_FLIGHT);
			for (Future<Answer> answer : answers) {
				assertThat(answer.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
			}
			clients.shutdown();
			assertThat(db.table("music")).hasSize(IN_FLIGHT);
			assertThat(s2.log()).contains("Graceful shutdown complete");
			assertThatThrownBy(() -> music.get("/api/v1/music/health")).isInstanceOf(IllegalStateException.class);
		}
	}

}
