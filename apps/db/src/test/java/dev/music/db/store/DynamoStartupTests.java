package dev.music.db.store;

import java.net.ServerSocket;

import dev.music.db.Application;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class DynamoStartupTests {

	@Test
	void anUnreachableEndpointFailsTheStartWithAnExplanation(CapturedOutput output) throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		SpringApplication app = new SpringApplication(Application.class);
		assertThatThrownBy(() -> app.run("--server.port=0", "--dynamodb.endpoint=http://127.0.0.1:" + closedPort,
				"--dynamodb.api-call-timeout=PT1S", "--dynamodb.api-call-attempt-timeout=PT0.3S",
				"--dynamodb.startup-timeout=PT3S"))
			.hasRootCauseInstanceOf(java.net.ConnectException.class);
		assertThat(output).contains("DynamoDB does not answer yet for table music")
			.contains("db could not prepare DynamoDB table 'music' at http://127.0.0.1:" + closedPort)
			.contains("DB_DYNAMODB_ENDPOINT");
	}

	@Test
	void theAnalysisNamesTableEndpointAndCredentialSourceButNoSecret() {
		DynamoProperties aws = new DynamoProperties("eu-west-1", "", false, "songs", "people",
				java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(5));
		DynamoStartupException ex = new DynamoStartupException("songs", aws, "cannot describe or create the table",
				new RuntimeException("AccessDenied"));
		FailureAnalysis analysis = new DynamoFailureAnalyzer().analyze(ex);
		assertThat(analysis.getDescription()).contains("'songs'", "AWS DynamoDB in eu-west-1", "default credential chain",
				"AccessDenied");
		assertThat(analysis.getAction()).contains("IAM");
	}

}
