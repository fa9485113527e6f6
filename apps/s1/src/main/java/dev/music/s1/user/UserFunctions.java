package dev.music.s1.user;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.music.common.datastore.DatastoreClient;
import dev.music.s1.login.Passwords;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * s1's user operations, one Spring Cloud Function bean each; users live in db. A password is stored only as its
 * Argon2 hash ({@code password_hash}), which db never shows on a read.
 */
@Configuration(proxyBeanMethods = false)
public class UserFunctions {

	public static final String OBJTYPE = "user";

	static final String PASSWORD_HASH = "password_hash";

	/** A new user and their password ({@code null}: none, only under AUTH_COMPAT). */
	public record Signup(NewUser user, String password) {
	}

	/** Replaces a user's fields, and the password when one is given; {@code id} names the user. */
	public record UserChange(String id, NewUser user, String password) {
	}

	/** The user with this id, or an empty list. */
	@Bean
	Function<String, List<Map<String, String>>> readUser(DatastoreClient db) {
		return (id) -> db.read(OBJTYPE, id);
	}

	/** Adds the user and returns the new id. */
	@Bean
	Function<Signup, String> createUser(DatastoreClient db, Passwords passwords) {
		return (signup) -> db.write(OBJTYPE, "user_id", withPassword(signup.user().fields(), signup.password(), passwords));
	}

	/** {@code false} when there is no such user. */
	@Bean
	Function<UserChange, Boolean> updateUser(DatastoreClient db, Passwords passwords) {
		return (change) -> db.update(OBJTYPE, change.id(), withPassword(change.user().fields(), change.password(), passwords));
	}

	/** {@code false} when there was no such user. */
	@Bean
	Function<String, Boolean> deleteUser(DatastoreClient db) {
		return (id) -> db.delete(OBJTYPE, id);
	}

	private static Map<String, String> withPassword(Map<String, String> fields, String password, Passwords passwords) {
		if (password != null) {
			fields.put(PASSWORD_HASH, passwords.hash(password));
		}
		return fields;
	}

}
