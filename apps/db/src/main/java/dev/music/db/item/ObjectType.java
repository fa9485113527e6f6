package dev.music.db.item;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.music.common.InvalidInput;

/**
 * The two kinds of object db stores: exactly these, with exactly these fields. Private fields (who created a song,
 * a user's password hash) are stored with the item but never shown on a read or a list.
 */
public enum ObjectType {

	MUSIC("music", "music_id", List.of("Artist", "SongTitle"), List.of("owner_id")),

	USER("user", "user_id", List.of("fname", "lname", "email"), List.of("password_hash"));

	private final String wireName;

	private final String keyName;

	private final List<String> fields;

	private final List<String> privateFields;

	ObjectType(String wireName, String keyName, List<String> fields, List<String> privateFields) {
		this.wireName = wireName;
		this.keyName = keyName;
		this.fields = fields;
		this.privateFields = privateFields;
	}

	/** {@code music} or {@code user}; anything else is {@link InvalidInput}. */
	public static ObjectType parse(String text) {
		for (ObjectType type : values()) {
			if (type.wireName.equals(text)) {
				return type;
			}
		}
		throw new InvalidInput("objtype must be 'music' or 'user'");
	}

	public String wireName() {
		return this.wireName;
	}

	/** The key attribute: {@code music_id} or {@code user_id}. */
	public String keyName() {
		return this.keyName;
	}

	/** The fields a read shows, in their usual order. */
	public List<String> fields() {
		return this.fields;
	}

	/** Fields stored with the item that no read or list shows. */
	public List<String> privateFields() {
		return this.privateFields;
	}

	/**
	 * Refuses fields this type does not have, and, when {@code complete}, missing or blank ones (private fields are
	 * optional); a partial change must still name at least one field.
	 */
	public void check(Map<String, String> values, boolean complete) {
		Set<String> unknown = new TreeSet<>(values.keySet());
		this.fields.forEach(unknown::remove);
		this.privateFields.forEach(unknown::remove);
		if (!unknown.isEmpty()) {
			throw new InvalidInput("unknown field(s) " + unknown + " for objtype " + this.wireName + "; allowed: "
					+ this.fields + " and " + this.privateFields);
		}
		for (String field : this.privateFields) {
			if (values.containsKey(field) && values.get(field).isBlank()) {
				throw new InvalidInput("field '" + field + "' must not be blank");
			}
		}
		for (String field : this.fields) {
			String value = values.get(field);
			if ((complete && value == null) || (value != null && value.isBlank())) {
				throw new InvalidInput("field '" + field + "' is required and must not be blank");
			}
		}
		if (values.isEmpty()) {
			throw new InvalidInput("name at least one of " + this.fields);
		}
	}

}
