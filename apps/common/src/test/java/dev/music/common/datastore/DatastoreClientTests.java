package dev.music.common.datastore;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import dev.music.common.InvalidInput;
import dev.music.common.Unavailable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatastoreClientTests {

	private final DatastoreStub stub = new DatastoreStub();

	private final DatastoreClient client = new DatastoreClient(
			new DatastoreProperties(this.stub.url(), Duration.ofMillis(500), Duration.ofSeconds(2), 2));

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
				Duration.ofMillis(200), Duration.ofSeconds(1), 2));
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

}
