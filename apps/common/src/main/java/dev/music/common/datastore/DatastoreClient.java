package dev.music.common.datastore;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.music.common.InvalidInput;
import dev.music.common.Unavailable;
import dev.music.common.web.RequestIds;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The db service's HTTP API as s1 and s2 see it. Connections are pooled and reused by the JDK client. A request
 * that could not be delivered (connection refused) is retried whatever its method, because db never saw it;
 * reads are also retried after a timeout or a 503. Anything else is not retried, so a write is never applied
 * twice. When db stays unreachable the caller gets {@link Unavailable}.
 */
public final class DatastoreClient {

	/** One page of items and the token for the next page ({@code null} on the last page). */
	public record Page(List<Map<String, String>> items, String next) {
	}

	private static final TypeReference<List<Map<String, String>>> ITEMS = new TypeReference<>() {
	};

	private static final long BACKOFF_MILLIS = 100;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final HttpClient http;

	private final DatastoreProperties properties;

	private final String base;

	private final CallerToken token;

	/** What {@link #delete(String, String, String)} did. */
	public enum Deletion {

		DELETED, NOT_FOUND, NOT_OWNER

	}

	public DatastoreClient(DatastoreProperties properties) {
		this.properties = properties;
		this.token = new CallerToken(properties.tokenFile());
		this.base = properties.url().toString().replaceAll("/+$", "") + "/api/v1/datastore";
		// Direct executor: the client's selector thread completes the response itself instead of handing it to a
		// pool thread first, one thread hop less per call (the JFR profile of s2 showed the client's
		// CompletableFuture hand-offs as its largest item). Safe because every body handler here only collects
		// bytes and never blocks.
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(properties.connectTimeout())
			.executor(Runnable::run)
			.build();
	}

	/** The item, or an empty list when there is none. */
	public List<Map<String, String>> read(String objtype, String key) {
		HttpResponse<byte[]> response = send(get("/read?objtype=" + objtype + "&objkey=" + encode(key)), true);
		if (response.statusCode() == 404) {
			return List.of();
		}
		return this.mapper.convertValue(expectOk(response).path("Items"), ITEMS);
	}

	/** A user's stored password hash; empty when there is no such user or the user has no password. */
	public java.util.Optional<String> credential(String userId) {
		HttpResponse<byte[]> response = send(get("/credential?objtype=user&objkey=" + encode(userId)), true);
		if (response.statusCode() == 404) {
			return java.util.Optional.empty();
		}
		JsonNode hash = expectOk(response).path("password_hash");
		return hash.isString() ? java.util.Optional.of(hash.stringValue()) : java.util.Optional.empty();
	}

	public Page list(String objtype, int limit, String next) {
		String query = "/list?objtype=" + objtype + "&limit=" + limit + ((next != null) ? "&next=" + encode(next) : "");
		JsonNode body = expectOk(send(get(query), true));
		String nextToken = body.path("next").isString() ? body.path("next").stringValue() : null;
		return new Page(this.mapper.convertValue(body.path("Items"), ITEMS), nextToken);
	}

	/** Stores a new item and returns the id db gave it. */
	public String write(String objtype, String idField, Map<String, String> fields) {
		Map<String, String> body = new LinkedHashMap<>();
		body.put("objtype", objtype);
		body.putAll(fields);
		HttpRequest request = request("/write").POST(json(body)).build();
		return expectOk(send(request, false)).path(idField).asString();
	}

	/** {@code false} when there is no such item. */
	public boolean update(String objtype, String key, Map<String, String> fields) {
		HttpRequest request = request("/update?objtype=" + objtype + "&objkey=" + encode(key)).PUT(json(fields)).build();
		return found(send(request, false));
	}

	/** {@code false} when there was no such item. */
	public boolean delete(String objtype, String key) {
		HttpRequest request = request("/delete?objtype=" + objtype + "&objkey=" + encode(key)).DELETE().build();
		return found(send(request, false));
	}

	/**
	 * Deletes the item only if {@code owner} created it ({@code null}: whoever did). db checks and deletes in one
	 * conditional write, so a song cannot change hands between the check and the delete.
	 */
	public Deletion delete(String objtype, String key, String owner) {
		String query = "/delete?objtype=" + objtype + "&objkey=" + encode(key) + ((owner != null) ? "&owner=" + encode(owner) : "");
		HttpResponse<byte[]> response = send(request(query).DELETE().build(), false);
		if (response.statusCode() == 404) {
			return Deletion.NOT_FOUND;
		}
		if (response.statusCode() == 412) {
			return Deletion.NOT_OWNER;
		}
		expectOk(response);
		return Deletion.DELETED;
	}

	private boolean found(HttpResponse<byte[]> response) {
		if (response.statusCode() == 404) {
			return false;
		}
		expectOk(response);
		return true;
	}

	private HttpRequest get(String pathAndQuery) {
		return request(pathAndQuery).GET().build();
	}

	private HttpRequest.Builder request(String pathAndQuery) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.base + pathAndQuery))
			.timeout(this.properties.requestTimeout())
			.header("Accept", "application/json");
		String requestId = RequestIds.current();
		if (!"none".equals(requestId)) {
			// one id finds a request's lines in s1's or s2's log and in db's
			builder.header(RequestIds.HEADER, requestId);
		}
		String authorization = this.token.header();
		if (authorization != null) {
			builder.header("Authorization", authorization);
		}
		return builder;
	}

	private HttpRequest.BodyPublisher json(Object body) {
		return HttpRequest.BodyPublishers.ofByteArray(this.mapper.writeValueAsBytes(body));
	}

	private HttpResponse<byte[]> send(HttpRequest request, boolean idempotent) {
		HttpRequest withType = HttpRequest.newBuilder(request, (name, value) -> true)
			.header("Content-Type", "application/json")
			.build();
		for (int attempt = 0;; attempt++) {
			boolean last = attempt >= this.properties.retries();
			try {
				HttpResponse<byte[]> response = this.http.send(withType, HttpResponse.BodyHandlers.ofByteArray());
				if (response.statusCode() == 503 && idempotent && !last) {
					pause(attempt);
					continue;
				}
				return response;
			}
			catch (ConnectException ex) {
				if (last) {
					throw new Unavailable("datastore unavailable: cannot connect to " + this.properties.url(), ex);
				}
			}
			catch (IOException ex) {
				if (!idempotent || last) {
					throw new Unavailable("datastore unavailable: " + describe(ex), ex);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new Unavailable("datastore call interrupted", ex);
			}
			pause(attempt);
		}
	}

	private JsonNode expectOk(HttpResponse<byte[]> response) {
		int status = response.statusCode();
		if (status == 200) {
			return this.mapper.readTree(response.body());
		}
		String message = message(response);
		if (status == 400) {
			throw new InvalidInput(message);
		}
		if (status == 503 || status == 502 || status == 504) {
			throw new Unavailable("datastore unavailable: " + message, null);
		}
		if (status == 401 || status == 403) {
			throw new IllegalStateException("db refused this service's credential (" + status + ": " + message + "); check "
					+ this.token.describe() + " and that db trusts its issuer");
		}
		throw new IllegalStateException("datastore answered " + status + ": " + message);
	}

	private String message(HttpResponse<byte[]> response) {
		try {
			JsonNode body = this.mapper.readTree(response.body());
			return body.path("error").asString(body.path("reason").asString("status " + response.statusCode()));
		}
		catch (RuntimeException ex) {
			return "status " + response.statusCode();
		}
	}

	private static void pause(int attempt) {
		try {
			Thread.sleep(BACKOFF_MILLIS << attempt);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new Unavailable("datastore call interrupted", ex);
		}
	}

	private static String describe(IOException ex) {
		return (ex instanceof java.net.http.HttpTimeoutException) ? "no answer in time" : "connection failed";
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
