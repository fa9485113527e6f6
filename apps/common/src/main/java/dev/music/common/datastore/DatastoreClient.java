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

	public DatastoreClient(DatastoreProperties properties) {
		this.properties = properties;
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
		return HttpRequest.newBuilder(URI.create(this.base + pathAndQuery))
			.timeout(this.properties.requestTimeout())
			.header("Accept", "application/json");
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
