package dev.music.system;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.music.common.web.HttpCalls;
import dev.music.common.web.HttpCalls.Answer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes keep streaming through s2 while db, or DynamoDB Local behind it, is stopped and started again. Errors
 * may happen only while it is down, they are 503s, every acknowledged write is there afterwards, and no write is
 * stored twice.
 */
class FaultTests {

	@Test
	void dbStoppedAndRestarted() throws Exception {
		int dbPort = ServiceProcess.freePort();
		try (ServiceProcess dynamo = AppProcesses.dynamoDbLocal("fault-db-dynamodb")) {
			dbStoppedAndRestarted(dbPort, AppProcesses.db(dynamo.port()));
		}
	}

	private void dbStoppedAndRestarted(int dbPort, Map<String, String> dbEnv) throws Exception {
		int s1Port = ServiceProcess.freePort();
		try (ServiceProcess db = ServiceProcess.service("db", dbPort, "/api/v1/datastore", dbEnv).start();
				ServiceProcess s1 = ServiceProcess.service("s1", s1Port, "/api/v1/user", AppProcesses.s1(dbPort)).start();
				ServiceProcess s2 = ServiceProcess.service("s2", ServiceProcess.freePort(), "/api/v1/music",
						AppProcesses.s2(dbPort, s1Port)).start()) {
			ready(db, s1, s2);
			WriteStream stream = new WriteStream(s2.port(), token(s1)).start();
			Thread.sleep(2_000);
			long downFrom = System.nanoTime();
			db.stop();
			Thread.sleep(2_000);
			try (ServiceProcess again = ServiceProcess.service("db", dbPort, "/api/v1/datastore", dbEnv).start()) {
				again.awaitReady(AppProcesses.START);
				long upAt = System.nanoTime();
				Thread.sleep(2_000);
				check(stream.stop(), downFrom, upAt, new HttpCalls(dbPort), "db");
			}
		}
	}

	@Test
	void dynamoDbLocalStoppedAndRestarted() throws Exception {
		int dynamoPort = ServiceProcess.freePort();
		Path dynamoData = ServiceProcess.WORK.resolve("fault-dynamodb-" + dynamoPort);
		int dbPort = ServiceProcess.freePort();
		int s1Port = ServiceProcess.freePort();
		Map<String, String> dbEnv = new HashMap<>(AppProcesses.db(dynamoPort));
		dbEnv.put("DB_DYNAMODB_CALL_TIMEOUT", "PT5S");
		dbEnv.put("DB_DYNAMODB_ATTEMPT_TIMEOUT", "PT2S");
		try (ServiceProcess dynamo = ServiceProcess.dynamoDbLocal(dynamoPort, dynamoData).start()) {
			dynamo.awaitReady(AppProcesses.START);
			try (ServiceProcess db = ServiceProcess.service("db", dbPort, "/api/v1/datastore", dbEnv).start();
					ServiceProcess s1 = ServiceProcess.service("s1", s1Port, "/api/v1/user", AppProcesses.s1(dbPort)).start();
					ServiceProcess s2 = ServiceProcess.service("s2", ServiceProcess.freePort(), "/api/v1/music",
							AppProcesses.s2(dbPort, s1Port)).start()) {
				ready(db, s1, s2);
				WriteStream stream = new WriteStream(s2.port(), token(s1)).start();
				Thread.sleep(2_000);
				long downFrom = System.nanoTime();
				dynamo.stop();
				Thread.sleep(2_000);
				try (ServiceProcess again = ServiceProcess.dynamoDbLocal(dynamoPort, dynamoData).start()) {
					again.awaitReady(AppProcesses.START);
					db.awaitReady(AppProcesses.START);
					long upAt = System.nanoTime();
					Thread.sleep(2_000);
					check(stream.stop(), downFrom, upAt, new HttpCalls(dbPort), "DynamoDB Local");
				}
			}
		}
	}

	private static void ready(ServiceProcess... processes) throws Exception {
		for (ServiceProcess process : processes) {
			process.awaitReady(AppProcesses.START);
		}
	}

	private static String token(ServiceProcess s1) {
		HttpCalls users = new HttpCalls(s1.port());
		return AppProcesses.login(users, AppProcesses.signup(users, "Tina", "onlytina@tomtomclub.com"));
	}

	private static void check(List<WriteStream.Write> writes, long downFrom, long upAt, HttpCalls datastore, String what) {
		List<WriteStream.Write> acknowledged = writes.stream().filter((w) -> w.status() == 200).toList();
		List<WriteStream.Write> failed = writes.stream().filter((w) -> w.status() != 200).toList();
		System.out.printf("%s stopped and restarted: %d writes, %d acknowledged, %d failed (statuses %s)%n", what,
				writes.size(), acknowledged.size(), failed.size(),
				failed.stream().map(WriteStream.Write::status).distinct().toList());

		assertThat(failed).as("the outage was seen by the stream").isNotEmpty();
		assertThat(failed).as("errors only while %s was down", what)
			.allSatisfy((w) -> assertThat(w.endedNanos()).isBetween(downFrom, upAt + 3_000_000_000L));
		assertThat(failed).as("errors are 503s").allSatisfy((w) -> assertThat(w.status()).isEqualTo(503));
		assertThat(acknowledged.stream().filter((w) -> w.endedNanos() > upAt)).as("writes succeed again").isNotEmpty();

		Map<String, Integer> stored = new HashMap<>();
		String next = null;
		do {
			Answer page = datastore.get("/api/v1/datastore/list?objtype=music&limit=100" + ((next != null) ? "&next=" + next : ""),
					AppProcesses.as("s2"));
			assertThat(page.status()).isEqualTo(200);
			for (JsonNode item : page.json().path("Items")) {
				stored.merge(item.path("SongTitle").asString(), 1, Integer::sum);
			}
			next = page.json().path("next").isString() ? page.json().path("next").asString() : null;
		}
		while (next != null);
		long lost = acknowledged.stream().filter((w) -> !stored.containsKey(w.title())).count();
		System.out.printf("%s: %d lost acknowledged writes, %d stored twice%n", what, lost,
				stored.values().stream().filter((n) -> n > 1).count());
		assertThat(lost).as("acknowledged writes lost").isZero();
		assertThat(stored).as("no write stored twice").allSatisfy((title, count) -> assertThat(count).isEqualTo(1));
	}

}
