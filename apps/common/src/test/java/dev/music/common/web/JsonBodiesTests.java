package dev.music.common.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.music.common.InvalidInput;
import dev.music.common.PayloadTooLarge;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.function.ServerRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonBodiesTests {

	private static final Set<String> SONG = Set.of("Artist", "SongTitle");

	private final JsonBodies bodies = new JsonBodies(1024, 20);

	@Test
	void readsStringFields() {
		assertThat(this.bodies.fields(request("{\"Artist\":\"Sini Sabotage\",\"SongTitle\":\"Mun Planeeta\"}"), SONG, SONG))
			.isEqualTo(Map.of("Artist", "Sini Sabotage", "SongTitle", "Mun Planeeta"));
	}

	@Test
	void keepsUnicode() {
		assertThat(this.bodies.fields(request("{\"Artist\":\"Björk 🎵\",\"SongTitle\":\"Jóga\"}"), SONG, SONG))
			.containsEntry("Artist", "Björk 🎵");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "{", "[]", "\"text\"", "null", "{\"Artist\":\"a\"} {}", "{\"Artist\":\"a\",\"Artist\":\"b\",\"SongTitle\":\"t\"}",
			"{\"Artist\":5,\"SongTitle\":\"t\"}", "{\"Artist\":[\"a\"],\"SongTitle\":\"t\"}",
			"{\"Artist\":null,\"SongTitle\":\"t\"}", "{\"Artist\":\"a\",\"SongTitle\":\"t\",\"extra\":\"x\"}",
			"{\"Artist\":\"a\"}", "{\"Artist\":\" \",\"SongTitle\":\"t\"}", "{\"Artist\":\"aaaaaaaaaaaaaaaaaaaaa\",\"SongTitle\":\"t\"}",
			"{\"Artist\":\"\\ud800\",\"SongTitle\":\"t\"}", "{\"Artist\":\"a\\udc00b\",\"SongTitle\":\"t\"}" })
	void refusesWithAMessageNotAStackTrace(String body) {
		assertThatThrownBy(() -> this.bodies.fields(request(body), SONG, SONG)).isInstanceOf(InvalidInput.class)
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("Exception").doesNotContain("tools.jackson"));
	}

	@Test
	void refusesBodiesOverTheLimitWithoutReadingThemWhole() {
		String big = "{\"Artist\":\"" + "a".repeat(2000) + "\"}";
		assertThatThrownBy(() -> this.bodies.fields(request(big), SONG, SONG)).isInstanceOf(PayloadTooLarge.class);
		MockHttpServletRequest undeclared = servlet(big);
		undeclared.removeHeader("Content-Length");
		assertThatThrownBy(() -> this.bodies.fields(ServerRequest.create(undeclared, List.of()), SONG, SONG))
			.isInstanceOf(PayloadTooLarge.class);
	}

	private static ServerRequest request(String body) {
		return ServerRequest.create(servlet(body), List.of());
	}

	private static MockHttpServletRequest servlet(String body) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/music/");
		request.setContentType("application/json");
		request.setContent(body.getBytes(StandardCharsets.UTF_8));
		return request;
	}

}
