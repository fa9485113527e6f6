package dev.music.common.datastore;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.music.common.InvalidInput;
import dev.music.common.Unavailable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatastoreClientTests {

	private final DatastoreStub stub = new DatastoreStub();

	private final DatastoreClient client = new DatastoreClient(
			new DatastoreProperties(this.stub.url(), Duration.ofMillis(500), Duration.ofSeconds(2), 2, ""));

	@AfterEach
	void stop() {
		this.stub.close();
	}

	@Test
	void writesReadsUpdatesAndDeletes() {
		String id = this.client.write("music", "music_id", Map.of("Artist", "A", "SongTitle", "T"));
		assertThat(this.client.read("music", id)).containsExactly(Map.of("music_id", id, "Artist", "A", "SongTitle", "T"));
		assertThat(this.client.update("music", id, Map.of("Artist", "B"))).isTrue();
		assertThat(this.client.read("music", id).get(0)).containsEntry("Artist", "B");
		assertThat(this.client.delete("music", id)).isTrue();
		assertThat(this.client.delete("music", id)).isFalse();
		assertThat(this.client.read("music", id)).isEmpty();
		assertThat(this.client.update("music", id, Map.of("Artist", "C"))).isFalse();
	}

	@Test
	void listsPageByPage() {
		for (int i = 0; i < 5; i++) {
			this.client.write("music", "music_id", Map.of("Artist", "A" + i, "SongTitle", "T"));
		}
		DatastoreClient.Page first = this.client.list("music", 3, null);
		assertThat(first.items()).hasSize(3);
		DatastoreClient.Page second = this.client.list("music", 3, first.next());
		assertThat(second.items()).hasSize(2);
		assertThat(second.next()).isNull();
	}

	@Test
	void unreachableDbIsUnavailableAfterBoundedRetries() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		DatastoreClient down = new DatastoreClient(new DatastoreProperties(URI.create("http://127.0.0.1:" + closedPort),
				Duration.ofMillis(200), Duration.ofSeconds(1), 2, ""));
		assertThatThrownBy(() -> down.write("music", "music_id", Map.of("Artist", "A", "SongTitle", "T")))
			.isInstanceOf(Unavailable.class)
			.hasMessageContaining("cannot connect");
	}

	@Test
	void readsAreRetriedOn503ButWritesAreNot() {
		this.stub.failWith(503);
		assertThatThrownBy(() -> this.client.read("music", "6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea"))
			.isInstanceOf(Unavailable.class);
		assertThat(this.stub.requests()).isEqualTo(3);
		assertThatThrownBy(() -> this.client.write("music", "music_id", Map.of("Artist", "A", "SongTitle", "T")))
			.isInstanceOf(Unavailable.class);
		assertThat(this.stub.requests()).isEqualTo(4);
	}

	@Test
	void recoversWhenDbComesBack() {
		this.stub.stop();
		assertThatThrownBy(() -> this.client.read("music", "6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea"))
			.isInstanceOf(Unavailable.class);
		this.stub.restart();
		assertThat(this.client.read("music", "6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea")).isEmpty();
	}

	@Test
	void badRequestFromDbIsInvalidInputWithItsMessage() {
		this.stub.failWith(400);
		assertThatThrownBy(() -> this.client.write("music", "music_id", Map.of("Artist", "A")))
			.isInstanceOf(InvalidInput.class)
			.hasMessage("stub failure");
	}

	@Test
	void sendsTheCallerTokenFromItsFileAndTheRequestId(@TempDir Path dir) throws Exception {
		Path token = dir.resolve("db.token");
		Files.writeString(token, "eyJ.caller.token\n");
		DatastoreClient withToken = new DatastoreClient(
				new DatastoreProperties(this.stub.url(), Duration.ofMillis(500), Duration.ofSeconds(2), 0, token.toString()));
		MDC.put("request_id", "req-42");
		try {
			withToken.read("music", "6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea");
		}
		finally {
			MDC.remove("request_id");
		}
		assertThat(this.stub.lastHeaders()).containsEntry("Authorization", "Bearer eyJ.caller.token")
			.containsEntry("X-Request-Id", "req-42");
		this.client.read("music", "6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea");
		assertThat(this.stub.lastHeaders()).as("no token file, no header; outside a request, no id").isEmpty();
	}

	@Test
	void aRefusedCredentialIsAnErrorThatNamesTheTokenFileButNotTheToken() {
		this.stub.failWith(401);
		assertThatThrownBy(() -> this.client.read("music", "6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea"))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("DB_TOKEN_FILE");
	}

	@Test
	void readsAUsersPasswordHashOnlyThroughTheCredentialRoute() {
		this.stub.put("user", "b66f61e7-4fad-402f-aaad-101e3e2522d3",
				Map.of("fname", "G", "lname", "C", "email", "g@c", "password_hash", "$argon2id$x"));
		this.stub.put("user", "75ebc062-a808-4a0f-a79b-8ac568564bfe", Map.of("fname", "T", "lname", "W", "email", "t@w"));
		assertThat(this.client.read("user", "b66f61e7-4fad-402f-aaad-101e3e2522d3").get(0)).doesNotContainKey("password_hash");
		assertThat(this.client.credential("b66f61e7-4fad-402f-aaad-101e3e2522d3")).contains("$argon2id$x");
		assertThat(this.client.credential("75ebc062-a808-4a0f-a79b-8ac568564bfe")).isEmpty();
		assertThat(this.client.credential("2e4c0d7e-b0e6-4739-b044-ee1d45872a7c")).isEmpty();
	}

	@Test
	void deletesOnlyWhatTheOwnerCreated() {
		String id = this.client.write("music", "music_id", Map.of("Artist", "A", "SongTitle", "T", "owner_id", "alice"));
		assertThat(this.client.delete("music", id, "mallory")).isEqualTo(DatastoreClient.Deletion.NOT_OWNER);
		assertThat(this.client.read("music", id)).hasSize(1);
		assertThat(this.client.delete("music", id, "alice")).isEqualTo(DatastoreClient.Deletion.DELETED);
		assertThat(this.client.delete("music", id, "alice")).isEqualTo(DatastoreClient.Deletion.NOT_FOUND);
	}

}
