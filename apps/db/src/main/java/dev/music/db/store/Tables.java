package dev.music.db.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import dev.music.db.item.ObjectType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * The two tables: their names, their creation at start-up when configured (locally and in minikube), and
 * whether DynamoDB answers for them (db's readiness). When db creates the tables, a readiness check that finds one
 * gone creates it again. The readiness answer is cached for a second, so probes
 * and scrapes do not turn into a stream of DescribeTable calls.
 */
@Component
public class Tables implements InitializingBean {

	private static final Logger log = LoggerFactory.getLogger(Tables.class);

	private static final long READY_CACHE_NANOS = Duration.ofSeconds(1).toNanos();

	private final DynamoDbClient dynamo;

	private final DynamoProperties properties;

	private record Check(long atNanos, boolean ready) {
	}

	private final AtomicReference<Check> lastCheck = new AtomicReference<>();

	Tables(DynamoDbClient dynamo, DynamoProperties properties) {
		this.dynamo = dynamo;
		this.properties = properties;
	}

	public String name(ObjectType type) {
		return (type == ObjectType.MUSIC) ? this.properties.musicTable() : this.properties.userTable();
	}

	@Override
	public void afterPropertiesSet() {
		for (ObjectType type : ObjectType.values()) {
			if (this.properties.createTables()) {
				create(type);
			}
			else {
				log.info("Table {} is managed outside db (DB_CREATE_TABLES=false); ready: {}", name(type),
						active(type));
			}
		}
	}

	/** {@code true} when DynamoDB answers and every table is active. */
	public boolean ready() {
		long now = System.nanoTime();
		Check last = this.lastCheck.get();
		if (last != null && now - last.atNanos() < READY_CACHE_NANOS) {
			return last.ready();
		}
		boolean ready = true;
		for (ObjectType type : ObjectType.values()) {
			ready &= active(type);
		}
		this.lastCheck.set(new Check(now, ready));
		return ready;
	}

	private boolean active(ObjectType type) {
		try {
			return this.dynamo.describeTable((r) -> r.tableName(name(type)))
				.table()
				.tableStatus() == TableStatus.ACTIVE;
		}
		catch (ResourceNotFoundException ex) {
			if (!this.properties.createTables()) {
				log.warn("DynamoDB table {} does not exist (DB_CREATE_TABLES=false: it is managed outside db)", name(type));
				return false;
			}
			return recreate(type);
		}
		catch (RuntimeException ex) {
			log.warn("DynamoDB table {} is not ready: {}", name(type), ex.getMessage());
			return false;
		}
	}

	/**
	 * A table db creates itself is gone (DynamoDB Local restarted without its data, or someone deleted it): create it
	 * again, so db becomes ready without a restart. One at a time; a table another caller created meanwhile is fine.
	 */
	private synchronized boolean recreate(ObjectType type) {
		log.warn("DynamoDB table {} is gone: creating it again (DB_CREATE_TABLES=true)", name(type));
		try {
			createOnce(type);
			return true;
		}
		catch (DynamoStartupException ex) {
			log.warn("DynamoDB table {} could not be created again: {}", name(type), ex.getCause().getMessage());
			return false;
		}
	}

	/** Creates the table, retrying with backoff while DynamoDB does not answer, up to the start-up timeout. */
	private void create(ObjectType type) {
		long deadline = System.nanoTime() + this.properties.startupTimeout().toNanos();
		for (long pause = 250;; pause = Math.min(pause * 2, 5_000)) {
			try {
				createOnce(type);
				return;
			}
			catch (DynamoStartupException ex) {
				if (!(ex.getCause() instanceof SdkClientException) || System.nanoTime() + pause * 1_000_000 > deadline) {
					throw ex;
				}
				log.warn("DynamoDB does not answer yet for table {} ({}); trying again in {} ms", name(type),
						ex.getCause().getMessage(), pause);
				sleep(pause);
			}
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for DynamoDB", ex);
		}
	}

	private void createOnce(ObjectType type) {
		String table = name(type);
		try {
			try {
				this.dynamo.describeTable((r) -> r.tableName(table));
				log.info("Table {} exists", table);
				return;
			}
			catch (ResourceNotFoundException ex) {
				// create it below
			}
			try {
				this.dynamo.createTable((r) -> r.tableName(table)
					.billingMode(BillingMode.PAY_PER_REQUEST)
					.attributeDefinitions((a) -> a.attributeName(type.keyName()).attributeType(ScalarAttributeType.S))
					.keySchema((k) -> k.attributeName(type.keyName()).keyType(KeyType.HASH)));
				log.info("Created table {} (key {})", table, type.keyName());
			}
			catch (ResourceInUseException ex) {
				// an attempt that timed out on our side had created it (the SDK retried), or another db pod did
				log.info("Table {} exists (created by an earlier attempt or another db)", table);
			}
			this.dynamo.waiter().waitUntilTableExists((r) -> r.tableName(table));
		}
		catch (RuntimeException ex) {
			throw new DynamoStartupException(table, this.properties, "cannot describe or create the table", ex);
		}
	}

}
