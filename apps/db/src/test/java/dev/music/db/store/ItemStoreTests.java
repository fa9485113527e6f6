package dev.music.db.store;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import dev.music.common.Unavailable;
import dev.music.db.item.ObjectType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Integration tests against DynamoDB Local, Amazon's engine, running in this JVM. */
class ItemStoreTests {

	private static AmazonDynamoDBLocal local;

	private static ItemStore store;

	private static Tables tables;

	private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@BeforeAll
	static void start() {
		local = DynamoDBEmbedded.create(true);
		DynamoProperties properties = new DynamoProperties("us-east-1", "", true, "music",
				"user", Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5));
		tables = new Tables(local.dynamoDbClient(), properties);
		tables.afterPropertiesSet();
		store = new ItemStore(local.dynamoDbClient(), tables, new DynamoMetrics(registry));
	}

	@AfterAll
	static void stop() {
		local.shutdown();
	}

	@Test
	void createsTheTablesOnceAndIsReady() {
		tables.afterPropertiesSet();
		assertThat(tables.ready()).isTrue();
		assertThat(local.dynamoDbClient().listTables().tableNames()).contains("music", "user");
	}

	@Test
	void storesReadsUpdatesAndDeletes() {
		String id = "22e47f97-11ca-4c3c-8e77-f3068fddaf6e";
		store.putNew(ObjectType.MUSIC, id, Map.of("Artist", "Sini Sabotage", "SongTitle", "Mun Planeeta"));
		assertThat(store.get(ObjectType.MUSIC, id)).contains(
				Map.of("music_id", id, "Artist", "Sini Sabotage", "SongTitle", "Mun Planeeta"));
		assertThat(store.update(ObjectType.MUSIC, id, Map.of("SongTitle", "Mun planeeta"))).isTrue();
		assertThat(store.get(ObjectType.MUSIC, id).orElseThrow()).containsEntry("SongTitle", "Mun planeeta")
			.containsEntry("Artist", "Sini Sabotage");
		assertThat(store.delete(ObjectType.MUSIC, id)).isTrue();
		assertThat(store.get(ObjectType.MUSIC, id)).isEmpty();
		assertThat(store.delete(ObjectType.MUSIC, id)).isFalse();
		assertThat(store.update(ObjectType.MUSIC, id, Map.of("SongTitle", "x"))).isFalse();
		assertThat(store.get(ObjectType.MUSIC, id)).as("an update of a missing item must not create it").isEmpty();
	}

	@Test
	void putNewNeverOverwrites() {
		String id = "0894ddc7-0c84-4f13-a037-ddcaa1134ec8";
		store.putNew(ObjectType.MUSIC, id, Map.of("Artist", "Carla Bley Trio", "SongTitle", "Utviklingssang"));
		assertThatThrownBy(() -> store.putNew(ObjectType.MUSIC, id, Map.of("Artist", "x", "SongTitle", "y")))
			.isInstanceOf(RuntimeException.class);
		assertThat(store.get(ObjectType.MUSIC, id).orElseThrow()).containsEntry("Artist", "Carla Bley Trio");
	}

	@Test
	void loadSaysCreatedUnchangedUpdated() {
		String id = "b66f61e7-4fad-402f-aaad-101e3e2522d3";
		Map<String, String> george = Map.of("fname", "George", "lname", "Clinton", "email", "starchild@pfunk.org");
		assertThat(store.load(ObjectType.USER, id, george)).isEqualTo(ItemStore.Outcome.CREATED);
		assertThat(store.load(ObjectType.USER, id, george)).isEqualTo(ItemStore.Outcome.UNCHANGED);
		assertThat(store.load(ObjectType.USER, id, Map.of("fname", "G", "lname", "Clinton", "email", "starchild@pfunk.org")))
			.isEqualTo(ItemStore.Outcome.UPDATED);
	}

	@Test
	void scansEveryItemExactlyOnceAcrossPages() {
		Set<String> written = new HashSet<>();
		for (int i = 0; i < 7; i++) {
			String id = String.format("00000000-0000-4000-8000-%012d", i);
			store.load(ObjectType.USER, id, Map.of("fname", "f" + i, "lname", "l", "email", "e@x"));
			written.add(id);
		}
		Set<String> seen = new HashSet<>();
		String next = null;
		int pages = 0;
		do {
			ItemStore.Page page = store.scan(ObjectType.USER, 3, next);
			page.items().forEach((item) -> assertThat(seen.add(item.get("user_id"))).isTrue());
			next = page.next();
			pages++;
		}
		while (next != null && pages < 20);
		assertThat(seen).containsAll(written);
		assertThat(pages).isGreaterThan(2);
	}

	@Test
	void aMissingTableIsUnavailableAndNotReady() {
		DynamoProperties properties = new DynamoProperties("us-east-1", "", false, "nope",
				"nope2", Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5));
		Tables missing = new Tables(local.dynamoDbClient(), properties);
		ItemStore broken = new ItemStore(local.dynamoDbClient(), missing, new DynamoMetrics(registry));
		assertThatThrownBy(() -> broken.get(ObjectType.MUSIC, "22e47f97-11ca-4c3c-8e77-f3068fddaf6e"))
			.isInstanceOf(Unavailable.class)
			.hasMessageContaining("nope");
		assertThat(missing.ready()).isFalse();
		assertThat(registry.get("dynamodb.calls").tags("operation", "GetItem", "table", "nope", "outcome", "no_table")
			.timer().count()).isEqualTo(1);
	}

	@Test
	void aTableDeletedUnderARunningDbIsCreatedAgainAndDbIsReadyAgain() {
		DynamoProperties properties = new DynamoProperties("us-east-1", "", true,
				"gone-music", "gone-user", Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5));
		Tables own = new Tables(local.dynamoDbClient(), properties);
		own.afterPropertiesSet();
		ItemStore running = new ItemStore(local.dynamoDbClient(), own, new DynamoMetrics(registry));
		local.dynamoDbClient().deleteTable((r) -> r.tableName("gone-music"));
		assertThat(local.dynamoDbClient().listTables().tableNames()).doesNotContain("gone-music");

		// the next readiness check (the cache of the last one has expired for a new instance) finds it gone
		Tables probe = new Tables(local.dynamoDbClient(), properties);
		assertThat(probe.ready()).isTrue();
		assertThat(local.dynamoDbClient().listTables().tableNames()).contains("gone-music", "gone-user");
		String id = "5a0f6a4e-8f0e-4b8e-9d3c-3c1b2a6e7f10";
		running.putNew(ObjectType.MUSIC, id, Map.of("Artist", "Broadcast", "SongTitle", "Tears in the Typing Pool"));
		assertThat(running.get(ObjectType.MUSIC, id)).isPresent();
	}

	@Test
	void aMissingTableThatDbDoesNotOwnIsNeverCreated() {
		DynamoProperties properties = new DynamoProperties("us-east-1", "", false,
				"managed-music", "managed-user", Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5));
		Tables managed = new Tables(local.dynamoDbClient(), properties);
		assertThat(managed.ready()).isFalse();
		assertThat(local.dynamoDbClient().listTables().tableNames()).doesNotContain("managed-music", "managed-user");
	}

	@Test
	void timesEveryCallByOperationAndOutcome() {
		String id = "bb9e9105-6224-4a60-aabd-8d29cc4b1349";
		store.putNew(ObjectType.MUSIC, id, Map.of("Artist", "Gang of Four", "SongTitle", "Isle of Dogs"));
		store.update(ObjectType.MUSIC, "00000000-0000-4000-8000-000000000999", Map.of("Artist", "x"));
		assertThat(registry.get("dynamodb.calls").tags("operation", "PutItem", "table", "music", "outcome", "success")
			.timer().count()).isPositive();
		assertThat(registry.get("dynamodb.calls").tags("operation", "UpdateItem", "outcome", "condition_failed")
			.timer().count()).isEqualTo(1);
	}

}
