package dev.music.common.web;

import java.util.List;

import dev.music.common.Forbidden;
import dev.music.common.Unavailable;
import org.junit.jupiter.api.Test;

import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** What callers see of a failure: the status and a message for them, never the internals the log gets. */
class ErrorResponsesTests {

	@Test
	void a503NamesWhatIsUnavailableButNoTableHostOrEndpoint() throws Exception {
		MockHttpServletResponse dynamo = write(ErrorResponses.of(
				new Unavailable("DynamoDB unavailable: table music-prod does not exist", null), request()));
		assertThat(dynamo.getStatus()).isEqualTo(503);
		assertThat(dynamo.getHeader("Retry-After")).isEqualTo("2");
		assertThat(dynamo.getContentAsString()).contains("DynamoDB unavailable; retry shortly").contains("request_id")
			.doesNotContain("music-prod");
		MockHttpServletResponse db = write(ErrorResponses.of(
				new Unavailable("datastore unavailable: cannot connect to http://db.music.svc:30002", null), request()));
		assertThat(db.getContentAsString()).contains("datastore unavailable; retry shortly").doesNotContain("db.music.svc");
	}

	@Test
	void forbiddenIs403WithItsMessage() throws Exception {
		MockHttpServletResponse response = write(ErrorResponses.of(new Forbidden("you may only read your own user"), request()));
		assertThat(response.getStatus()).isEqualTo(403);
		assertThat(response.getContentAsString()).isEqualTo("{\"error\":\"you may only read your own user\"}");
	}

	private static ServerRequest request() {
		return ServerRequest.create(new MockHttpServletRequest("GET", "/api/v1/music/x"),
				List.of(new JacksonJsonHttpMessageConverter()));
	}

	private static MockHttpServletResponse write(ServerResponse response) throws Exception {
		MockHttpServletRequest servletRequest = new MockHttpServletRequest();
		MockHttpServletResponse servletResponse = new MockHttpServletResponse();
		response.writeTo(servletRequest, servletResponse, () -> List.of(new JacksonJsonHttpMessageConverter()));
		return servletResponse;
	}

}
