package dev.music.db.item;

import java.util.Map;

/** The inputs of db's functions. Every record is already validated by the time a function sees it. */
public final class Requests {

	private Requests() {
	}

	/** One item by key. */
	public record Key(ObjectType type, String id) {
	}

	/** A new item (the id is made by db) or a loaded item (the id is the caller's). */
	public record Item(ObjectType type, String id, Map<String, String> fields) {
	}

	/** Some fields of an existing item. */
	public record Change(ObjectType type, String id, Map<String, String> fields) {
	}

	/** A page of items, starting after {@code after} (or at the start when it is {@code null}). */
	public record Page(ObjectType type, int limit, String after) {
	}

}
