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

	/** An item to delete, only if {@code owner} created it ({@code null}: whoever did). */
	public record Deletion(ObjectType type, String id, String owner) {
	}

	/** A page of items, starting after {@code after} (or at the start when it is {@code null}). */
	public record Page(ObjectType type, int limit, String after) {
	}

}
