package dev.music.db.item;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import dev.music.db.store.ItemStore;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** db's business logic, one Spring Cloud Function bean per operation. */
@Configuration(proxyBeanMethods = false)
public class ItemFunctions {

	/** The item, or an empty list when there is none. */
	@Bean
	Function<Requests.Key, List<Map<String, String>>> readItem(ItemStore store) {
		return (key) -> store.get(key.type(), key.id()).map(List::of).orElse(List.of());
	}

	@Bean
	Function<Requests.Page, ItemStore.Page> listItems(ItemStore store) {
		return (page) -> store.scan(page.type(), page.limit(), page.after());
	}

	/** Stores a new item under a new random UUID and returns that id. */
	@Bean
	Function<Requests.Item, String> writeItem(ItemStore store) {
		return (item) -> {
			String id = UUID.randomUUID().toString();
			store.putNew(item.type(), id, item.fields());
			return id;
		};
	}

	/** {@code false} when there is no such item. */
	@Bean
	Function<Requests.Change, Boolean> updateItem(ItemStore store) {
		return (change) -> store.update(change.type(), change.id(), change.fields());
	}

	/** Deleted, not found, or (with an owner) created by someone else. */
	@Bean
	Function<Requests.Deletion, ItemStore.Deletion> deleteItem(ItemStore store) {
		return (deletion) -> store.delete(deletion.type(), deletion.id(), deletion.owner());
	}

	/** A user's id and password hash (no hash when the user has no password), or empty when there is no such user. */
	@Bean
	Function<String, Optional<Map<String, String>>> readCredential(ItemStore store) {
		return (id) -> store.getWithPrivate(ObjectType.USER, id).map((user) -> {
			Map<String, String> credential = new LinkedHashMap<>();
			credential.put("user_id", user.get("user_id"));
			if (user.containsKey("password_hash")) {
				credential.put("password_hash", user.get("password_hash"));
			}
			return credential;
		});
	}

	/** Stores an item under the caller's id; says whether it was created, updated or already so. */
	@Bean
	Function<Requests.Item, ItemStore.Outcome> loadItem(ItemStore store) {
		return (item) -> store.load(item.type(), item.id(), item.fields());
	}

}
