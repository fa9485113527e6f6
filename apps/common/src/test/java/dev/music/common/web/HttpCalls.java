package dev.music.common.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Raw HTTP calls for the services' HTTP-level tests: any method, any body bytes, any headers. */
public final class HttpCalls {

	/** What came back. */
	public record Answer(int status, String body, java.net.http.HttpHeaders headers) {

		public JsonNode json() {
			return JsonMapper.builder().build().readTree(this.body);
		}

		public Optional<String> header(String name) {
			return this.headers.firstValue(name);
		}

	}

	private final HttpClient http = HttpClient.newHttpClient();

	private final String base;

	public HttpCalls(int port) {
		this.base = "http://127.0.0.1:" + port;
	}

	public Answer get(String path, String... headers) {
		return send("GET", path, null, headers);
	}

	/** {@code headers} are name, value pairs; {@code body} {@code null} sends none. */
	public Answer send(String method, String path, String body, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.body(), response.headers());
		}
		catch (IOException ex) {
			throw new IllegalStateException(method + " " + path + " failed: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
