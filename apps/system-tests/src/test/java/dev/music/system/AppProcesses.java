package dev.music.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Settings and start-up shared by the system tests: the app as the local stack runs it, tokens checked. */
final class AppProcesses {

	static final Duration START = Duration.ofSeconds(120);

	static final String LOADER_TOKEN = "system-test-loader-token";

	/** Small heaps and a quick JIT: the tests start many JVMs on a small machine. */
	static final String JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m";

	private AppProcesses() {
	}

	static Path keyFile() throws IOException {
		Files.createDirectories(ServiceProcess.WORK);
		Path key = ServiceProcess.WORK.resolve("auth.key");
		Files.writeString(key, "system-test-key-system-test-key-0123456789");
		return key;
	}

	static Map<String, String> db(Path dataDir, String dynamoEndpoint) {
		Map<String, String> env = new HashMap<>();
		env.put("JAVA_TOOL_OPTIONS", JVM);
		env.put("DB_LOADER_TOKEN", LOADER_TOKEN);
		env.put("DB_DATA_DIR", dataDir.toString());
		if (dynamoEndpoint != null) {
			env.put("DB_DYNAMODB_ENDPOINT", dynamoEndpoint);
			env.put("DB_DYNAMODB_EMBEDDED", "false");
		}
		return env;
	}

	static Map<String, String> caller(int dbPort, Path keyFile) {
		return Map.of("JAVA_TOOL_OPTIONS", JVM, "DB_URL", "http://127.0.0.1:" + dbPort, "AUTH_COMPAT", "false",
				"AUTH_KEY_FILE", keyFile.toString());
	}

}
