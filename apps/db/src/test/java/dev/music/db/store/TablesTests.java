package dev.music.db.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

import static org.assertj.core.api.Assertions.assertThat;

/** Creating the tables at start-up, on DynamoDB Local (Amazon's engine, in this JVM). */
class TablesTests {

	private AmazonDynamoDBLocal local;

	@BeforeEach
	void start() {
		this.local = DynamoDBEmbedded.create(true);
	}

	@AfterEach
	void stop() {
		this.local.shutdown();
	}

	@Test
	void createsMissingTablesAndAcceptsExistingOnes() {
		new Tables(this.local.dynamoDbClient(), properties()).afterPropertiesSet();
		Tables again = new Tables(this.local.dynamoDbClient(), properties());
		again.afterPropertiesSet();
		assertThat(again.ready()).isTrue();
		assertThat(this.local.dynamoDbClient().listTables().tableNames()).containsExactlyInAnyOrder("music", "user");
	}

	/**
	 * A table that appears between db's DescribeTable and its CreateTable (another db, or an earlier attempt of the
	 * same call that timed out after DynamoDB had applied it) is taken as created: the start goes on.
	 */
	@Test
	void aTableCreatedMeanwhileDoesNotFailTheStart() {
		new Tables(this.local.dynamoDbClient(), properties()).afterPropertiesSet();
		StaleDescribe stale = new StaleDescribe(this.local.dynamoDbClient());

		Tables tables = new Tables(stale, properties());
		tables.afterPropertiesSet();

		assertThat(stale.creates.get()).isEqualTo(2);
		assertThat(tables.ready()).isTrue();
	}

	private static DynamoProperties properties() {
		return new DynamoProperties("us-east-1", "", true, "music", "user", Duration.ofSeconds(2), Duration.ofSeconds(1),
				Duration.ofSeconds(5));
	}

	/** The real client, except that each table's first DescribeTable says it does not exist yet. */
	private static final class StaleDescribe implements DynamoDbClient {

		private final DynamoDbClient real;

		private final java.util.Set<String> described = java.util.concurrent.ConcurrentHashMap.newKeySet();

		final AtomicInteger creates = new AtomicInteger();

		StaleDescribe(DynamoDbClient real) {
			this.real = real;
		}

		@Override
		public DescribeTableResponse describeTable(DescribeTableRequest request) {
			if (this.described.add(request.tableName())) {
				throw ResourceNotFoundException.builder().message("not yet").build();
			}
			return this.real.describeTable(request);
		}

		@Override
		public CreateTableResponse createTable(CreateTableRequest request) {
			this.creates.incrementAndGet();
			return this.real.createTable(request);
		}

		@Override
		public DynamoDbWaiter waiter() {
			return DynamoDbWaiter.builder().client(this).build();
		}

		@Override
		public String serviceName() {
			return this.real.serviceName();
		}

		@Override
		public void close() {
		}

	}

}
