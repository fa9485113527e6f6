package dev.music.s1.user;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.music.common.Forbidden;
import dev.music.common.auth.AuthProperties;
import dev.music.common.auth.CurrentUser;
import dev.music.common.web.ErrorResponses;
import dev.music.common.web.Functions;
import dev.music.common.web.Ids;
import dev.music.common.web.Items;
import dev.music.common.web.JsonBodies;
import dev.music.common.web.JsonResponses;
import dev.music.common.web.Probes;
import dev.music.s1.login.LoginFunctions;
import dev.music.s1.login.Passwords;
import dev.music.s1.login.SigningKeys;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * s1's HTTP API: a thin adapter from requests to the user and login functions. Signup, login, logoff and the JWK
 * set are open; reading, changing and deleting a user need that user's own token (403 for anyone else's record),
 * checked by the security filter chain ({@code LoginSecurity}).
 */
@Configuration(proxyBeanMethods = false)
public class UserRoutes {

	static final String PREFIX = "/api/v1/user";

	private static final Set<String> USER_FIELDS = Set.of("fname", "lname", "email");

	private static final Set<String> WITH_PASSWORD = Set.of("fname", "lname", "email", "password");

	@Bean
	RouterFunction<ServerResponse> userApi(Functions functions, JsonBodies json, AuthProperties auth, SigningKeys keys) {
		Function<String, List<Map<String, String>>> read = functions.function("readUser");
		Function<UserFunctions.Signup, String> create = functions.function("createUser");
		Function<UserFunctions.UserChange, Boolean> update = functions.function("updateUser");
		Function<String, Boolean> delete = functions.function("deleteUser");
		Function<LoginFunctions.Credentials, String> login = functions.function("login");
		Function<String, Map<String, String>> logoff = functions.function("logoff");
		String jwks = keys.publicKeys().toString();

		HandlerFunction<ServerResponse> createUser = (request) -> {
			Map<String, String> body = json.fields(request, WITH_PASSWORD, auth.compat() ? USER_FIELDS : WITH_PASSWORD);
			String password = body.containsKey("password") ? Passwords.check(body.get("password")) : null;
			String id = create.apply(new UserFunctions.Signup(NewUser.of(body), password));
			return JsonResponses.ok(Map.of("user_id", id));
		};
		RouterFunction<ServerResponse> open = RouterFunctions.route()
			.POST(PREFIX, createUser)
			.POST(PREFIX + "/", createUser)
			.PUT(PREFIX + "/login", (request) -> {
				Map<String, String> body = json.fields(request, Set.of("uid", "password"), Set.of("uid"));
				String token = login.apply(new LoginFunctions.Credentials(Ids.uuid("uid", body.get("uid")), body.get("password")));
				return ServerResponse.ok().contentType(MediaType.TEXT_PLAIN).body(token);
			})
			.PUT(PREFIX + "/logoff", (request) -> JsonResponses
				.ok(logoff.apply(json.fields(request, Set.of("jwt"), Set.of("jwt")).get("jwt"))))
			.GET(PREFIX + "/.well-known/jwks.json", (request) -> ServerResponse.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.header("Cache-Control", "public, max-age=300")
				.body(jwks))
			.build();
		RouterFunction<ServerResponse> guarded = RouterFunctions.route()
			.GET(PREFIX + "/{user_id}", (request) -> {
				List<Map<String, String>> items = read.apply(own(request));
				return JsonResponses.of(items.isEmpty() ? HttpStatus.NOT_FOUND : HttpStatus.OK, Items.of(items));
			})
			.PUT(PREFIX + "/{user_id}", (request) -> {
				String id = own(request);
				Map<String, String> body = json.fields(request, WITH_PASSWORD, USER_FIELDS);
				String password = body.containsKey("password") ? Passwords.check(body.get("password")) : null;
				return found(update.apply(new UserFunctions.UserChange(id, NewUser.of(body), password)));
			})
			.DELETE(PREFIX + "/{user_id}", (request) -> found(delete.apply(own(request))))
			.build();
		return RouterFunctions.route()
			.add(Probes.routes(PREFIX, () -> true))
			.add(open)
			.add(guarded)
			.onError(Throwable.class, ErrorResponses::of)
			.build();
	}

	/** The user id in the path, which must be the caller's own (any, under AUTH_COMPAT). */
	private static String own(ServerRequest request) {
		String id = Ids.uuid("user_id", request.pathVariable("user_id"));
		CurrentUser.id().filter((caller) -> !caller.equals(id)).ifPresent((caller) -> {
			throw new Forbidden("you may only read, change or delete your own user");
		});
		return id;
	}

	private static ServerResponse found(boolean found) {
		return found ? JsonResponses.ok(Map.of()) : ErrorResponses.error(HttpStatus.NOT_FOUND, "no such user");
	}

}
