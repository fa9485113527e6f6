package dev.music.s1.user;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.music.common.datastore.DatastoreClient;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** s1's user operations, one Spring Cloud Function bean each; users live in db. */
@Configuration(proxyBeanMethods = false)
public class UserFunctions {

	public static final String OBJTYPE = "user";

	/** Replaces a user's fields; {@code id} names the user. */
	public record UserChange(String id, NewUser user) {
	}

	/** The user with this id, or an empty list. */
	@Bean
	Function<String, List<Map<String, String>>> readUser(DatastoreClient db) {
		return (id) -> db.read(OBJTYPE, id);
	}

	/** Adds the user and returns the new id. */
	@Bean
	Function<NewUser, String> createUser(DatastoreClient db) {
		return (user) -> db.write(OBJTYPE, "user_id", user.fields());
	}

	/** {@code false} when there is no such user. */
	@Bean
	Function<UserChange, Boolean> updateUser(DatastoreClient db) {
		return (change) -> db.update(OBJTYPE, change.id(), change.user().fields());
	}

	/** {@code false} when there was no such user. */
	@Bean
	Function<String, Boolean> deleteUser(DatastoreClient db) {
		return (id) -> db.delete(OBJTYPE, id);
	}

}
