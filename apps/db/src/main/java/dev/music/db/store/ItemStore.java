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

	/** What {@link #delete(ObjectType, String, String)} did. */
	public enum Deletion {

		DELETED, NOT_FOUND, NOT_OWNER

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

	/** The item with its private fields too (a user's password hash): only for db's credential route. */
	public Optional<Map<String, String>> getWithPrivate(ObjectType type, String id) {
		Map<String, AttributeValue> item = call(type, "GetItem", () -> this.dynamo
			.getItem((r) -> r.tableName(this.tables.name(type)).key(key(type, id)).consistentRead(true))
			.item());
		if (item == null || item.isEmpty()) {
			return Optional.empty();
		}
		Map<String, String> all = plain(type, item);
		for (String field : type.privateFields()) {
			AttributeValue value = item.get(field);
			if (value != null && value.s() != null) {
				all.put(field, value.s());
			}
		}
		return Optional.of(all);
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
		SetExpression set = SetExpression.of(type, fields);
		Map<String, String> names = new LinkedHashMap<>(set.names());
		names.put("#k", type.keyName());
		try {
			call(type, "UpdateItem", () -> this.dynamo.updateItem((r) -> r.tableName(this.tables.name(type))
				.key(key(type, id))
				.updateExpression(set.expression())
				.conditionExpression("attribute_exists(#k)")
				.expressionAttributeNames(names)
				.expressionAttributeValues(set.values())));
			return true;
		}
		catch (ConditionalCheckFailedException ex) {
			return false;
		}
	}

	/**
	 * Deletes the item if {@code owner} created it (any item when {@code owner} is {@code null}), in one conditional
	 * write: the owner cannot change between the check and the delete.
	 */
	public Deletion delete(ObjectType type, String id, String owner) {
		if (owner == null) {
			return delete(type, id) ? Deletion.DELETED : Deletion.NOT_FOUND;
		}
		try {
			call(type, "DeleteItem", () -> this.dynamo.deleteItem((r) -> r.tableName(this.tables.name(type))
				.key(key(type, id))
				.conditionExpression("#o = :o")
				.expressionAttributeNames(Map.of("#o", "owner_id"))
				.expressionAttributeValues(Map.of(":o", AttributeValue.fromS(owner)))));
			return Deletion.DELETED;
		}
		catch (ConditionalCheckFailedException ex) {
			return get(type, id).isPresent() ? Deletion.NOT_OWNER : Deletion.NOT_FOUND;
		}
	}

	/** {@code false} when there was no such item. */
	public boolean delete(ObjectType type, String id) {
		Map<String, AttributeValue> old = call(type, "DeleteItem", () -> this.dynamo
			.deleteItem((r) -> r.tableName(this.tables.name(type)).key(key(type, id)).returnValues(ReturnValue.ALL_OLD))
			.attributes());
		return old != null && !old.isEmpty();
	}

	/**
	 * Stores the item's fields under the caller's id, whatever they were; says what changed. Private fields already
	 * there (a password someone set since) are kept.
	 */
	public Outcome load(ObjectType type, String id, Map<String, String> fields) {
		SetExpression set = SetExpression.of(type, fields);
		Map<String, AttributeValue> old = call(type, "UpdateItem", () -> this.dynamo
			.updateItem((r) -> r.tableName(this.tables.name(type))
				.key(key(type, id))
				.updateExpression(set.expression())
				.expressionAttributeNames(set.names())
				.expressionAttributeValues(set.values())
				.returnValues(ReturnValue.ALL_OLD))
			.attributes());
		if (old == null || old.isEmpty()) {
			return Outcome.CREATED;
		}
		boolean same = fields.entrySet()
			.stream()
			.allMatch((field) -> AttributeValue.fromS(field.getValue()).equals(old.get(field.getKey())));
		return same ? Outcome.UNCHANGED : Outcome.UPDATED;
	}

	/** {@code SET #f0 = :v0, ...} for the given fields. */
	private record SetExpression(String expression, Map<String, String> names, Map<String, AttributeValue> values) {

		static SetExpression of(ObjectType type, Map<String, String> fields) {
			Map<String, String> names = new LinkedHashMap<>();
			Map<String, AttributeValue> values = new LinkedHashMap<>();
			List<String> sets = new ArrayList<>();
			int i = 0;
			for (Map.Entry<String, String> field : fields.entrySet()) {
				names.put("#f" + i, field.getKey());
				values.put(":v" + i, AttributeValue.fromS(field.getValue()));
				sets.add("#f" + i + " = :v" + i);
				i++;
			}
			return new SetExpression("SET " + String.join(", ", sets), names, values);
		}

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
			throw new Unavailable("DynamoDB unavailable: table " + table + " does not exist", ex);
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
