package dev.music.db.web;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import dev.music.common.InvalidInput;
import dev.music.common.web.ErrorResponses;
import dev.music.common.web.Functions;
import dev.music.common.web.Ids;
import dev.music.common.web.Items;
import dev.music.common.web.JsonBodies;
import dev.music.common.web.JsonResponses;
import dev.music.common.web.Pages;
import dev.music.common.web.Probes;
import dev.music.db.caller.Caller;
import dev.music.db.caller.Caller.Operation;
import dev.music.db.caller.CallerProperties;
import dev.music.db.item.ObjectType;
import dev.music.db.item.Requests;
import dev.music.db.store.ItemStore;
import dev.music.db.store.Tables;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * db's HTTP API: a thin adapter from requests to the item functions and from outcomes to status codes. The security
 * filter chain ({@code CallerSecurity}) has checked the caller's token; each route then checks that this caller may
 * do this to this object type ({@link Caller}): 403 otherwise.
 */
@Configuration(proxyBeanMethods = false)
public class DatastoreRoutes {

	static final String PREFIX = "/api/v1/datastore";

	/** Every field any object type has, plus the envelope fields of write and load. */
	private static final Set<String> BODY_FIELDS = bodyFields();

	@Bean
	RouterFunction<ServerResponse> datastoreApi(Functions functions, JsonBodies json, Tables tables,
			CallerProperties callers) {
		Function<Requests.Key, List<Map<String, String>>> read = functions.function("readItem");
		Function<Requests.Page, ItemStore.Page> list = functions.function("listItems");
		Function<Requests.Item, String> write = functions.function("writeItem");
		Function<Requests.Change, Boolean> update = functions.function("updateItem");
		Function<Requests.Deletion, ItemStore.Deletion> delete = functions.function("deleteItem");
		Function<String, Optional<Map<String, String>>> credential = functions.function("readCredential");
		Function<Requests.Item, ItemStore.Outcome> load = functions.function("loadItem");
		String namespace = callers.namespace();

		return RouterFunctions.route()
			.GET(PREFIX + "/read", (request) -> {
				Requests.Key key = key(request);
				Caller.require(namespace, Operation.READ, key.type());
				List<Map<String, String>> items = read.apply(key);
				return JsonResponses.of(items.isEmpty() ? HttpStatus.NOT_FOUND : HttpStatus.OK, Items.of(items));
			})
			.GET(PREFIX + "/list", (request) -> {
				Requests.Page page = page(request);
				Caller.require(namespace, Operation.LIST, page.type());
				ItemStore.Page found = list.apply(page);
				return JsonResponses.ok(Items.page(found.items(), found.next()));
			})
			.GET(PREFIX + "/credential", (request) -> {
				Requests.Key key = key(request);
				if (key.type() != ObjectType.USER) {
					throw new InvalidInput("only users have credentials: objtype must be 'user'");
				}
				Caller.require(namespace, Operation.CREDENTIAL, key.type());
				return credential.apply(key.id())
					.map((found) -> JsonResponses.ok(found))
					.orElseGet(() -> ErrorResponses.error(HttpStatus.NOT_FOUND, "no such item"));
			})
			.POST(PREFIX + "/write", (request) -> {
				Map<String, String> body = json.fields(request, BODY_FIELDS, Set.of("objtype"));
				ObjectType type = ObjectType.parse(body.remove("objtype"));
				Caller.require(namespace, Operation.WRITE, type);
				refuse(body, "uuid");
				type.check(body, true);
				String id = write.apply(new Requests.Item(type, null, body));
				return JsonResponses.ok(Map.of(type.keyName(), id));
			})
			.PUT(PREFIX + "/update", (request) -> {
				Requests.Key key = key(request);
				Caller.require(namespace, Operation.UPDATE, key.type());
				Map<String, String> body = json.fields(request, BODY_FIELDS, Set.of());
				refuse(body, "objtype");
				refuse(body, "uuid");
				key.type().check(body, false);
				return found(update.apply(new Requests.Change(key.type(), key.id(), body)));
			})
			.DELETE(PREFIX + "/delete", (request) -> {
				Requests.Key key = key(request);
				Caller.require(namespace, Operation.DELETE, key.type());
				String owner = request.param("owner").map((o) -> Ids.uuid("owner", o)).orElse(null);
				return switch (delete.apply(new Requests.Deletion(key.type(), key.id(), owner))) {
					case DELETED -> JsonResponses.ok(Map.of());
					case NOT_FOUND -> ErrorResponses.error(HttpStatus.NOT_FOUND, "no such item");
					case NOT_OWNER -> ErrorResponses.error(HttpStatus.PRECONDITION_FAILED, "the item has another owner");
				};
			})
			.POST(PREFIX + "/load", (request) -> {
				Map<String, String> body;
				ObjectType type;
				try {
					body = json.fields(request, BODY_FIELDS, Set.of("objtype"));
					type = ObjectType.parse(body.remove("objtype"));
					Caller.require(namespace, Operation.LOAD, type);
					if (!body.containsKey("uuid")) {
						return loadError(HttpStatus.BAD_REQUEST, "Missing uuid");
					}
					String id = Ids.uuid("uuid", body.remove("uuid"));
					refusePrivate(type, body);
					type.check(body, true);
					ItemStore.Outcome outcome = load.apply(new Requests.Item(type, id, body));
					Map<String, String> answer = new LinkedHashMap<>();
					answer.put(type.keyName(), id);
					answer.put("result", outcome.name().toLowerCase());
					return JsonResponses.ok(answer);
				}
				catch (InvalidInput ex) {
					return loadError(HttpStatus.BAD_REQUEST, ex.getMessage());
				}
				catch (dev.music.common.Forbidden ex) {
					return loadError(HttpStatus.FORBIDDEN, ex.getMessage());
				}
			})
			.add(Probes.routes(PREFIX, tables::ready))
			.onError(Throwable.class, ErrorResponses::of)
			.build();
	}

	private static Requests.Key key(ServerRequest request) {
		ObjectType type = ObjectType.parse(request.param("objtype").orElse(null));
		return new Requests.Key(type, Ids.uuid("objkey", request.param("objkey").orElse(null)));
	}

	private static Requests.Page page(ServerRequest request) {
		ObjectType type = ObjectType.parse(request.param("objtype").orElse(null));
		int limit = Pages.limit(request);
		String after = Pages.next(request);
		return new Requests.Page(type, limit, after);
	}

	/** The loader loads what a read shows; owners and password hashes come only from s1 and s2. */
	private static void refusePrivate(ObjectType type, Map<String, String> body) {
		type.privateFields().forEach((field) -> refuse(body, field));
	}

	private static void refuse(Map<String, String> body, String field) {
		if (body.containsKey(field)) {
			throw new InvalidInput("field '" + field + "' is not accepted here");
		}
	}

	private static ServerResponse found(boolean found) {
		return found ? JsonResponses.ok(Map.of())
				: ErrorResponses.error(HttpStatus.NOT_FOUND, "no such item");
	}

	/** {@code /load} answers errors in the course's shape. */
	private static ServerResponse loadError(HttpStatus status, String reason) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("http_status_code", status.value());
		body.put("reason", reason);
		return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
	}

	private static Set<String> bodyFields() {
		Set<String> fields = new HashSet<>(Set.of("objtype", "uuid"));
		for (ObjectType type : ObjectType.values()) {
			fields.addAll(type.fields());
			fields.addAll(type.privateFields());
		}
		return Set.copyOf(fields);
	}

}
