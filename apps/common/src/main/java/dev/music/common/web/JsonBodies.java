package dev.music.common.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.music.common.InvalidInput;
import dev.music.common.PayloadTooLarge;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.servlet.function.ServerRequest;

/**
 * Reads request bodies strictly: a size limit, one JSON object, no duplicate keys, string values only, and
 * only the fields the caller may send. Every refusal is an {@link InvalidInput} or {@link PayloadTooLarge}
 * whose message names the field at fault.
 */
public final class JsonBodies {

	private final JsonMapper mapper = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private final int maxBytes;

	private final int maxStringLength;

	public JsonBodies(int maxBytes, int maxStringLength) {
		this.maxBytes = maxBytes;
		this.maxStringLength = maxStringLength;
	}

	/**
	 * The body as a map of string fields, refusing any field not in {@code allowed}. Fields in
	 * {@code required} must be present and non-blank.
	 */
	public Map<String, String> fields(ServerRequest request, Set<String> allowed, Set<String> required) {
		JsonNode body = object(request);
		Set<String> unknown = new TreeSet<>(body.propertyNames());
		unknown.removeAll(allowed);
		if (!unknown.isEmpty()) {
			throw new InvalidInput("unknown field(s) " + unknown + "; allowed: " + new TreeSet<>(allowed));
		}
		Map<String, String> fields = new LinkedHashMap<>();
		for (String name : body.propertyNames()) {
			fields.put(name, string(body, name));
		}
		for (String name : required) {
			if (!fields.containsKey(name) || fields.get(name).isBlank()) {
				throw new InvalidInput("field '" + name + "' is required");
			}
		}
		return fields;
	}

	/** The body, which must be exactly one JSON object. */
	public JsonNode object(ServerRequest request) {
		byte[] bytes = read(request);
		if (bytes.length == 0) {
			throw new InvalidInput("request body is empty; send a JSON object");
		}
		JsonNode node;
		try {
			node = this.mapper.readTree(bytes);
		}
		catch (JacksonException ex) {
			throw new InvalidInput("request body is not valid JSON" + where(ex));
		}
		if (node == null || !node.isObject()) {
			throw new InvalidInput("request body must be a JSON object");
		}
		return node;
	}

	/** The parser's position only: its messages can name internal classes, which callers must not see. */
	private static String where(JacksonException ex) {
		if (ex.getLocation() == null || ex.getLocation().getLineNr() < 1) {
			return "";
		}
		return " (line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr() + ")";
	}

	private String string(JsonNode body, String name) {
		JsonNode value = body.get(name);
		if (!value.isString()) {
			throw new InvalidInput("field '" + name + "' must be a string");
		}
		String text = value.stringValue();
		if (!wellFormed(text)) {
			throw new InvalidInput("field '" + name + "' is not valid Unicode (unpaired surrogate)");
		}
		if (text.length() > this.maxStringLength) {
			throw new InvalidInput("field '" + name + "' is longer than " + this.maxStringLength + " characters");
		}
		return text;
	}

	/** JSON escapes can spell half a surrogate pair, which no UTF-8 store can keep. */
	private static boolean wellFormed(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return false;
			}
		}
		return true;
	}

	private byte[] read(ServerRequest request) {
		long declared = request.headers().contentLength().orElse(-1);
		if (declared > this.maxBytes) {
			throw new PayloadTooLarge(this.maxBytes);
		}
		try (InputStream in = request.servletRequest().getInputStream()) {
			byte[] bytes = in.readNBytes(this.maxBytes + 1);
			if (bytes.length > this.maxBytes) {
				throw new PayloadTooLarge(this.maxBytes);
			}
			return bytes;
		}
		catch (IOException ex) {
			throw new InvalidInput("request body could not be read");
		}
	}

}
