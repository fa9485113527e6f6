package dev.music.db.store;

import java.io.IOException;
import java.net.ServerSocket;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local (Amazon's engine) as a server on a free loopback port, in memory, telemetry off: what db talks to
 * over HTTP in the HTTP-level tests, as it does on the local stack and in minikube. Started once per test JVM.
 */
public final class DynamoDbLocalServer {

	private static String url;

	private DynamoDbLocalServer() {
	}

	/** The endpoint of the one server of this JVM, started on first use and stopped when the JVM ends. */
	public static synchronized String url() throws Exception {
		if (url == null) {
			int port;
			try (ServerSocket socket = new ServerSocket(0)) {
				port = socket.getLocalPort();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(
					new String[] { "-inMemory", "-sharedDb", "-disableTelemetry", "-port", String.valueOf(port) });
			server.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					server.stop();
				}
				catch (Exception ignored) {
					// the JVM ends anyway
				}
			}));
			url = "http://127.0.0.1:" + port;
		}
		return url;
	}

}
