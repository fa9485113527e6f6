package dev.music.s1.login;

import java.util.Map;
import java.util.function.Function;

import dev.music.common.Unauthorized;
import dev.music.common.auth.AuthProperties;
import dev.music.common.datastore.DatastoreClient;
import dev.music.s1.user.UserFunctions;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Logging in and off. Tokens are signed with s1's private key; s1 and s2 verify them with its public keys. */
@Configuration(proxyBeanMethods = false)
public class LoginFunctions {

	/** The one answer for an unknown user, a user without a password and a wrong or missing password. */
	static final String REFUSED = "wrong user id or password";

	/** A login: the user id and the password ({@code null} when the caller sent none). */
	public record Credentials(String uid, String password) {
	}

	/**
	 * A token for the user whose password this is; {@link Unauthorized} otherwise, the same whatever was wrong. Under
	 * AUTH_COMPAT a login without a password is the course's: any existing user id gets a token.
	 */
	@Bean
	Function<Credentials, String> login(DatastoreClient db, Passwords passwords, TokenIssuer tokens, AuthProperties auth) {
		return (credentials) -> {
			if (auth.compat() && credentials.password() == null) {
				if (db.read(UserFunctions.OBJTYPE, credentials.uid()).isEmpty()) {
					throw new Unauthorized("unknown user");
				}
				return tokens.issue(credentials.uid());
			}
			String hash = db.credential(credentials.uid()).orElse(null);
			if (!passwords.matches(credentials.password(), hash)) {
				throw new Unauthorized(REFUSED);
			}
			return tokens.issue(credentials.uid());
		};
	}

	/**
	 * Logging off is the client forgetting its token: tokens are not stored, so there is nothing to revoke
	 * (they expire after AUTH_TOKEN_TTL, at most an hour). Kept for the clients that call it.
	 */
	@Bean
	Function<String, Map<String, String>> logoff() {
		return (jwt) -> Map.of();
	}

}
