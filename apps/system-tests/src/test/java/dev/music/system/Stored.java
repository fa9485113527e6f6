package dev.music.system;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.music.common.web.HttpCalls;
import tools.jackson.databind.JsonNode;

/**
 * Everything db stores, read as the loader's neighbours would: songs and users, with their private fields, so a
 * test can assert that nothing stored changed. db shows no one a whole user table, so users are read one by one.
 */
final class Stored {

	private Stored() {
	}

	/** One page of a list, as the service that owns the type. */
	static JsonNode page(HttpCalls db, String objtype, String next) {
		return db.get("/api/v1/datastore/list?objtype=" + objtype + "&limit=100" + ((next != null) ? "&next=" + next : ""),
				AppProcesses.as(objtype.equals("music") ? "s2" : "s1")).json();
	}

	/** Every song (public fields) and each of these users (with the password hash), by type/id. */
	static Map<String, String> snapshot(HttpCalls db, List<String> userIds) {
		Map<String, String> items = new TreeMap<>();
		String next = null;
		do {
			JsonNode page = db.get("/api/v1/datastore/list?objtype=music&limit=100" + ((next != null) ? "&next=" + next : ""),
					AppProcesses.as("s2")).json();
			for (JsonNode item : page.path("Items")) {
				items.put("music/" + item.path("music_id").asString(), item.toString());
			}
			next = page.path("next").isString() ? page.path("next").asString() : null;
		}
		while (next != null);
		for (String id : userIds) {
			items.put("user/" + id, db.get("/api/v1/datastore/read?objtype=user&objkey=" + id, AppProcesses.as("s1")).body()
					+ db.get("/api/v1/datastore/credential?objtype=user&objkey=" + id, AppProcesses.as("s1")).body());
		}
		return items;
	}

}
