package dev.music.common.datastore;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for the db service's HTTP contract, for the HTTP-level tests of s1 and s2: real HTTP on loopback,
 * items in memory. It can answer 503 ({@link #failWith}) or stop and start again on the same port, so callers'
 * error handling and recovery can be tested. The real db is tested against DynamoDB Local in its own module,
 * and the services together in system-tests.
 */
public final class DatastoreStub implements AutoCloseable {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final Map<String, Map<String, Map<String, String>>> tables = new ConcurrentHashMap<>();

	private final AtomicInteger requests = new AtomicInteger();

	private volatile int failWith;

	private volatile long delayMillis;

	private volatile Map<String, String> lastHeaders = Map.of();

	/** The attributes db keeps but never shows on read or list, as db's ObjectType does. */
	private static final List<String> PRIVATE = List.of("owner_id", "password_hash");

	private HttpServer server;

	private int port;

	public DatastoreStub() {
		start(0);
	}

	public URI url() {
		return URI.create("http://127.0.0.1:" + this.port);
	}

	public int port() {
		return this.port;
	}

	/** Requests received so far. */
	public int requests() {
		return this.requests.get();
	}

	/** Wait this long before answering each request, to keep callers' requests in flight. */
	public void delay(long millis) {
		this.delayMillis = millis;
	}

	/** Answer every request with this status (0: behave normally). */
	public void failWith(int status) {
		this.failWith = status;
	}

	public Map<String, Map<String, String>> table(String objtype) {
		return this.tables.computeIfAbsent(objtype, (k) -> new ConcurrentHashMap<>());
	}

	public void put(String objtype, String id, Map<String, String> fields) {
		Map<String, String> item = new LinkedHashMap<>();
		item.put(key(objtype), id);
		item.putAll(fields);
		table(objtype).put(id, item);
	}

	/** Authorization and X-Request-Id of the last request (absent ones missing). */
	public Map<String, String> lastHeaders() {
		return this.lastHeaders;
	}

	public void stop() {
		this.server.stop(0);
	}

	/** Listen again on the same port. */
	public void restart() {
		start(this.port);
	}

	@Override
	public void close() {
		stop();
	}

	private void start(int port) {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		this.port = this.server.getAddress().getPort();
		this.server.createContext("/api/v1/datastore/", this::handle);
		this.server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
		this.server.start();
	}

	private void handle(HttpExchange exchange) throws IOException {
		this.requests.incrementAndGet();
		Map<String, String> headers = new LinkedHashMap<>();
		for (String name : List.of("Authorization", "X-Request-Id")) {
			String value = exchange.getRequestHeaders().getFirst(name);
			if (value != null) {
				headers.put(name, value);
			}
		}
		this.lastHeaders = headers;
		try (exchange) {
			if (this.delayMillis > 0) {
				try {
					Thread.sleep(this.delayMillis);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			if (this.failWith != 0) {
				send(exchange, this.failWith, Map.of("error", "stub failure"));
				return;
			}
			String op = exchange.getRequestURI().getPath().substring("/api/v1/datastore/".length());
			Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
			String objtype = query.get("objtype");
			byte[] body = exchange.getRequestBody().readAllBytes();
			switch (op) {
				case "read" -> {
					Map<String, String> item = shown(table(objtype).get(query.get("objkey")));
					send(exchange, (item != null) ? 200 : 404,
							Map.of("Count", (item != null) ? 1 : 0, "Items", (item != null) ? List.of(item) : List.of()));
				}
				case "credential" -> {
					Map<String, String> item = table("user").get(query.get("objkey"));
					if (item == null) {
						send(exchange, 404, Map.of("error", "no such item"));
						return;
					}
					Map<String, String> answer = new LinkedHashMap<>();
					answer.put("user_id", item.get("user_id"));
					if (item.containsKey("password_hash")) {
						answer.put("password_hash", item.get("password_hash"));
					}
					send(exchange, 200, answer);
				}
				case "list" -> send(exchange, 200, list(objtype, Integer.parseInt(query.get("limit")), query.get("next")));
				case "write" -> {
					Map<String, String> fields = fields(body);
					String type = fields.remove("objtype");
					String id = UUID.randomUUID().toString();
					put(type, id, fields);
					send(exchange, 200, Map.of(key(type), id));
				}
				case "update" -> {
					Map<String, String> item = table(objtype).get(query.get("objkey"));
					if (item == null) {
						send(exchange, 404, Map.of("error", "no such item"));
						return;
					}
					item.putAll(fields(body));
					send(exchange, 200, Map.of());
				}
				case "delete" -> {
					Map<String, String> item = table(objtype).get(query.get("objkey"));
					String owner = query.get("owner");
					if (item != null && owner != null && !owner.equals(item.get("owner_id"))) {
						send(exchange, 412, Map.of("error", "not the owner"));
						return;
					}
					boolean existed = table(objtype).remove(query.get("objkey")) != null;
					send(exchange, existed ? 200 : 404, existed ? Map.of() : Map.of("error", "no such item"));
				}
				default -> send(exchange, 404, Map.of("error", "no route"));
			}
		}
	}

	private Map<String, Object> list(String objtype, int limit, String after) {
		List<String> ids = new ArrayList<>(table(objtype).keySet());
		ids.sort(null);
		int start = (after == null) ? 0 : ids.indexOf(after) + 1;
		List<Map<String, String>> items = new ArrayList<>();
		for (int i = start; i < ids.size() && items.size() < limit; i++) {
			items.add(shown(table(objtype).get(ids.get(i))));
		}
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("Count", items.size());
		answer.put("Items", items);
		if (start + items.size() < ids.size()) {
			answer.put("next", ids.get(start + items.size() - 1));
		}
		return answer;
	}

	private static Map<String, String> shown(Map<String, String> item) {
		if (item == null) {
			return null;
		}
		Map<String, String> shown = new LinkedHashMap<>(item);
		PRIVATE.forEach(shown::remove);
		return shown;
	}

	private Map<String, String> fields(byte[] body) {
		return this.mapper.readValue(body, new TypeReference<LinkedHashMap<String, String>>() {
		});
	}

	private void send(HttpExchange exchange, int status, Object body) throws IOException {
		byte[] bytes = this.mapper.writeValueAsBytes(body);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static String key(String objtype) {
		return "music".equals(objtype) ? "music_id" : "user_id";
	}

	private static Map<String, String> query(String raw) {
		Map<String, String> query = new LinkedHashMap<>();
		if (raw != null) {
			for (String pair : raw.split("&")) {
				String[] kv = pair.split("=", 2);
				query.put(kv[0], (kv.length > 1) ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
			}
		}
		return query;
	}

}
