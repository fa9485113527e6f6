package dev.music.db.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.music.common.Unavailable;
import dev.music.db.item.ObjectType;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import org.springframework.stereotype.Component;

/**
 * Items in DynamoDB: one table per {@link ObjectType}, a string key, string attributes. The API speaks plain
 * maps, so nothing outside this package sees the SDK. An unreachable or throttling DynamoDB becomes
 * {@link Unavailable}; a missing table too, since it is an operations problem, not the caller's.
 */
@Component
public class ItemStore {

	/** A page of items and the key to continue after ({@code null} on the last page). */
	public record Page(List<Map<String, String>> items, String next) {
	}

	/** What {@link #load} did. */
	public enum Outcome {

		CREATED, UPDATED, UNCHANGED

	}

	private final DynamoDbClient dynamo;

	private final Tables tables;

	private final DynamoMetrics metrics;

	ItemStore(DynamoDbClient dynamo, Tables tables, DynamoMetrics metrics) {
		this.dynamo = dynamo;
		this.tables = tables;
		this.metrics = metrics;
	}

	public Optional<Map<String, String>> get(ObjectType type, String id) {
		Map<String, AttributeValue> item = call(type, "GetItem", () -> this.dynamo
			.getItem((r) -> r.tableName(this.tables.name(type)).key(key(type, id)).consistentRead(true))
			.item());
		return (item == null || item.isEmpty()) ? Optional.empty() : Optional.of(plain(type, item));
	}

	public Page scan(ObjectType type, int limit, String after) {
		ScanResponse response = call(type, "Scan", () -> this.dynamo.scan((r) -> {
			r.tableName(this.tables.name(type)).limit(limit);
			if (after != null) {
				r.exclusiveStartKey(key(type, after));
			}
		}));
		List<Map<String, String>> items = new ArrayList<>();
		response.items().forEach((item) -> items.add(plain(type, item)));
		Map<String, AttributeValue> last = response.lastEvaluatedKey();
		String next = (last == null || last.isEmpty()) ? null : last.get(type.keyName()).s();
		return new Page(items, next);
	}

	/**
	 * Stores a new item; the id must not exist yet. When the SDK retries an attempt whose first try was applied
	 * but whose answer was lost, the condition fails on our own item: that is success, not a conflict.
	 */
	public void putNew(ObjectType type, String id, Map<String, String> fields) {
		Map<String, AttributeValue> item = attributes(type, id, fields);
		try {
			call(type, "PutItem", () -> this.dynamo.putItem((r) -> r.tableName(this.tables.name(type))
				.item(item)
				.conditionExpression("attribute_not_exists(#k)")
				.expressionAttributeNames(Map.of("#k", type.keyName()))));
		}
		catch (ConditionalCheckFailedException ex) {
			if (!get(type, id).equals(Optional.of(plain(type, item)))) {
				throw new IllegalStateException("item " + id + " already exists in " + this.tables.name(type), ex);
			}
		}
	}

	/** Sets the given fields of an existing item; {@code false} when there is none. */
	public boolean update(ObjectType type, String id, Map<String, String> fields) {
		Map<String, String> names = new LinkedHashMap<>();
		Map<String, AttributeValue> values = new LinkedHashMap<>();
		List<String> sets = new ArrayList<>();
		names.put("#k", type.keyName());
		int i = 0;
		for (Map.Entry<String, String> field : fields.entrySet()) {
			names.put("#f" + i, field.getKey());
			values.put(":v" + i, AttributeValue.fromS(field.getValue()));
			sets.add("#f" + i + " = :v" + i);
			i++;
		}
		try {
			call(type, "UpdateItem", () -> this.dynamo.updateItem((r) -> r.tableName(this.tables.name(type))
				.key(key(type, id))
				.updateExpression("SET " + String.join(", ", sets))
				.conditionExpression("attribute_exists(#k)")
				.expressionAttributeNames(names)
				.expressionAttributeValues(values)));
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
	}

	/** {@code false} when there was no such item. */
	public boolean delete(ObjectType type, String id) {
		Map<String, AttributeValue> old = call(type, "DeleteItem", () -> this.dynamo
			.deleteItem((r) -> r.tableName(this.tables.name(type)).key(key(type, id)).returnValues(ReturnValue.ALL_OLD))
			.attributes());
		return old != null && !old.isEmpty();
	}

	/** Stores the item under the caller's id, whatever was there; says what changed. */
	public Outcome load(ObjectType type, String id, Map<String, String> fields) {
		Map<String, AttributeValue> item = attributes(type, id, fields);
		Map<String, AttributeValue> old = call(type, "PutItem", () -> this.dynamo
			.putItem((r) -> r.tableName(this.tables.name(type)).item(item).returnValues(ReturnValue.ALL_OLD))
			.attributes());
		if (old == null || old.isEmpty()) {
			return Outcome.CREATED;
		}
		return old.equals(item) ? Outcome.UNCHANGED : Outcome.UPDATED;
	}

	private <T> T call(ObjectType type, String operation, Supplier<T> call) {
		String table = this.tables.name(type);
		long start = System.nanoTime();
		String outcome = "error";
		try {
			T result = call.get();
			outcome = "success";
			return result;
		}
		catch (ConditionalCheckFailedException ex) {
			outcome = "condition_failed";
			throw ex;
		}
		catch (ResourceNotFoundException ex) {
			outcome = "no_table";
			throw new Unavailable("DynamoDB table " + table + " does not exist", ex);
		}
		catch (SdkClientException ex) {
			outcome = "unreachable";
			throw new Unavailable("DynamoDB unavailable", ex);
		}
		catch (DynamoDbException ex) {
			if (ex.isThrottlingException() || ex.statusCode() >= 500) {
				outcome = ex.isThrottlingException() ? "throttled" : "server_error";
				throw new Unavailable("DynamoDB unavailable", ex);
			}
			throw ex;
		}
		finally {
			this.metrics.record(operation, table, outcome, System.nanoTime() - start);
		}
	}

	private static Map<String, AttributeValue> key(ObjectType type, String id) {
		return Map.of(type.keyName(), AttributeValue.fromS(id));
	}

	private static Map<String, AttributeValue> attributes(ObjectType type, String id, Map<String, String> fields) {
		Map<String, AttributeValue> item = new LinkedHashMap<>();
		item.put(type.keyName(), AttributeValue.fromS(id));
		fields.forEach((name, value) -> item.put(name, AttributeValue.fromS(value)));
		return item;
	}

	/** The key first, then the type's fields in their usual order; attributes of other types are not shown. */
	private static Map<String, String> plain(ObjectType type, Map<String, AttributeValue> item) {
		Map<String, String> plain = new LinkedHashMap<>();
		plain.put(type.keyName(), item.get(type.keyName()).s());
		for (String field : type.fields()) {
			AttributeValue value = item.get(field);
			if (value != null && value.s() != null) {
				plain.put(field, value.s());
			}
		}
		return plain;
	}

}
