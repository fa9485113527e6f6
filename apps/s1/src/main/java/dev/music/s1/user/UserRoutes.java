package dev.music.s1.user;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.music.common.auth.AuthFilter;
import dev.music.common.web.ErrorResponses;
import dev.music.common.web.Functions;
import dev.music.common.web.Ids;
import dev.music.common.web.Items;
import dev.music.common.web.JsonBodies;
import dev.music.common.web.Probes;

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
 * s1's HTTP API: a thin adapter from requests to the user and login functions. Creating a user, logging in
 * and off are open; reading, changing and deleting a user need an Authorization header ({@link AuthFilter}).
 */
@Configuration(proxyBeanMethods = false)
public class UserRoutes {

	static final String PREFIX = "/api/v1/user";

	private static final Set<String> USER_FIELDS = Set.of("fname", "lname", "email");

	@Bean
	RouterFunction<ServerResponse> userApi(Functions functions, JsonBodies json, AuthFilter auth) {
		Function<String, List<Map<String, String>>> read = functions.function("readUser");
		Function<NewUser, String> create = functions.function("createUser");
		Function<UserFunctions.UserChange, Boolean> update = functions.function("updateUser");
		Function<String, Boolean> delete = functions.function("deleteUser");
		Function<String, String> login = functions.function("login");
		Function<String, Map<String, String>> logoff = functions.function("logoff");

		HandlerFunction<ServerResponse> createUser = (request) -> {
			String id = create.apply(NewUser.of(json.fields(request, USER_FIELDS, USER_FIELDS)));
			return ServerResponse.ok().body(Map.of("user_id", id));
		};
		RouterFunction<ServerResponse> open = RouterFunctions.route()
			.POST(PREFIX, createUser)
			.POST(PREFIX + "/", createUser)
			.PUT(PREFIX + "/login", (request) -> {
				Map<String, String> body = json.fields(request, Set.of("uid"), Set.of("uid"));
				String token = login.apply(Ids.uuid("uid", body.get("uid")));
				return ServerResponse.ok().contentType(MediaType.TEXT_PLAIN).body(token);
			})
			.PUT(PREFIX + "/logoff", (request) -> ServerResponse.ok()
				.body(logoff.apply(json.fields(request, Set.of("jwt"), Set.of("jwt")).get("jwt"))))
			.build();
		RouterFunction<ServerResponse> guarded = RouterFunctions.route()
			.GET(PREFIX + "/{user_id}", (request) -> {
				List<Map<String, String>> items = read.apply(id(request));
				return ServerResponse.status(items.isEmpty() ? HttpStatus.NOT_FOUND : HttpStatus.OK).body(Items.of(items));
			})
			.PUT(PREFIX + "/{user_id}", (request) -> {
				String id = id(request);
				NewUser user = NewUser.of(json.fields(request, USER_FIELDS, USER_FIELDS));
				return found(update.apply(new UserFunctions.UserChange(id, user)));
			})
			.DELETE(PREFIX + "/{user_id}", (request) -> found(delete.apply(id(request))))
			.filter(auth)
			.build();
		return RouterFunctions.route()
			.add(Probes.routes(PREFIX, () -> true))
			.add(open)
			.add(guarded)
			.onError(Throwable.class, ErrorResponses::of)
			.build();
	}

	private static String id(ServerRequest request) {
		return Ids.uuid("user_id", request.pathVariable("user_id"));
	}

	private static ServerResponse found(boolean found) {
		return found ? ServerResponse.ok().body(Map.of()) : ErrorResponses.error(HttpStatus.NOT_FOUND, "no such user");
	}

}
