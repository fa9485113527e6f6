package dev.music.s1.login;

import java.util.Map;
import java.util.function.Function;

import dev.music.common.Unauthorized;
import dev.music.common.auth.Tokens;
import dev.music.common.datastore.DatastoreClient;
import dev.music.s1.user.UserFunctions;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Logging in and off. Tokens are signed JWTs; s1 and s2 verify them without calling s1. */
@Configuration(proxyBeanMethods = false)
public class LoginFunctions {

	/** A token for an existing user; {@link Unauthorized} for an unknown one. */
	@Bean
	Function<String, String> login(DatastoreClient db, Tokens tokens) {
		return (userId) -> {
			if (db.read(UserFunctions.OBJTYPE, userId).isEmpty()) {
				throw new Unauthorized("unknown user");
			}
			return tokens.issue(userId);
		};
	}

	/**
	 * Logging off is the client forgetting its token: tokens are not stored, so there is nothing to revoke
	 * (they expire after AUTH_TOKEN_TTL). Kept for the clients that call it.
	 */
	@Bean
	Function<String, Map<String, String>> logoff() {
		return (jwt) -> Map.of();
	}

}
