package dev.music.common.web;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The course's read shape, {@code {"Count":n,"Items":[...]}}, plus {@code next} (the token for the next page)
 * on list answers that have more.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Items(@JsonProperty("Count") int count, @JsonProperty("Items") List<? extends Map<String, String>> items,
		@JsonProperty("next") String next) {

	public static Items of(List<? extends Map<String, String>> items) {
		return new Items(items.size(), items, null);
	}

	public static Items page(List<? extends Map<String, String>> items, String next) {
		return new Items(items.size(), items, next);
	}

}
