package dev.music.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.music.common.auth.TestIssuer;
import dev.music.common.web.HttpCalls;
import dev.music.common.web.HttpCalls.Answer;

/**
 * Settings and start-up shared by the system tests: the app as the local stack runs it, tokens checked. db trusts a
 * test issuer that stands in for the cluster's ServiceAccount issuer (as scripts/dev.java's local issuer does); s1
 * signs with its own key file; s2 checks against s1's JWK set.
 */
final class AppProcesses {

	static final Duration START = Duration.ofSeconds(120);

	/** Small heaps and a quick JIT: the tests start many JVMs on a small machine. */
	static final String JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m";

	static final String PASSWORD = "system test password";

	static final TestIssuer CALLERS = new TestIssuer("system-test-issuer", "db");

	private static final com.nimbusds.jose.jwk.ECKey S1_KEY = TestIssuer.generate();

	/** s1's own key, its issuer and audience: for tokens s1 could have signed but with broken claims. */
	static final TestIssuer S1_KEYS = new TestIssuer(S1_KEY, "music-s1", "music");

	private static final AtomicInteger ADDRESSES = new AtomicInteger();

	private AppProcesses() {
	}

	/** db's settings against the DynamoDB Local on {@code dynamoPort}, as the local stack and minikube run it. */
	static Map<String, String> db(int dynamoPort) throws IOException {
		Map<String, String> env = new HashMap<>();
		env.put("JAVA_TOOL_OPTIONS", JVM);
		env.put("MANAGEMENT_SERVER_PORT", String.valueOf(ServiceProcess.freePort()));
		env.put("DB_CALLER_JWKS_URI", CALLERS.writeJwks(ServiceProcess.WORK.resolve("callers/jwks.json")).toUri().toString());
		env.put("DB_CALLER_ISSUER", CALLERS.issuer());
		env.put("DB_DYNAMODB_ENDPOINT", "http://127.0.0.1:" + dynamoPort);
		return env;
	}

	/** DynamoDB Local on a free port, its data in a fresh folder named {@code name}, ready. */
	static ServiceProcess dynamoDbLocal(String name) throws Exception {
		int port = ServiceProcess.freePort();
		return ServiceProcess.dynamoDbLocal(port, ServiceProcess.WORK.resolve(name + "-" + port)).start().awaitReady(START);
	}

	static Map<String, String> s1(int dbPort) throws IOException {
		Map<String, String> env = caller("s1", dbPort);
		env.put("AUTH_SIGNING_KEY_FILE", signingKey().toString());
		return env;
	}

	static Map<String, String> s2(int dbPort, int s1Port) throws IOException {
		Map<String, String> env = caller("s2", dbPort);
		env.put("AUTH_JWKS_URI", "http://127.0.0.1:" + s1Port + "/api/v1/user/.well-known/jwks.json");
		return env;
	}

	private static Map<String, String> caller(String account, int dbPort) throws IOException {
		Map<String, String> env = new HashMap<>();
		env.put("JAVA_TOOL_OPTIONS", JVM);
		env.put("DB_URL", "http://127.0.0.1:" + dbPort);
		env.put("AUTH_COMPAT", "false");
		env.put("MANAGEMENT_SERVER_PORT", String.valueOf(ServiceProcess.freePort()));
		env.put("DB_TOKEN_FILE", callerToken(account).toString());
		return env;
	}

	/** The token file of ServiceAccount {@code account}, as kubelet would project it. */
	static Path callerToken(String account) throws IOException {
		Path file = ServiceProcess.WORK.resolve("callers/" + account + ".token");
		Files.createDirectories(file.getParent());
		Files.writeString(file, CALLERS.token("system:serviceaccount:music:" + account));
		return file;
	}

	/** {@code Authorization} for db as ServiceAccount {@code account}. */
	static String[] as(String account) {
		return new String[] { "Authorization", "Bearer " + CALLERS.token("system:serviceaccount:music:" + account) };
	}

	/** s1's signing key of this test run, as s1 reads it (PKCS#8 PEM); {@link #S1_KEYS} signs with it too. */
	static synchronized Path signingKey() throws IOException {
		Path key = ServiceProcess.WORK.resolve("s1-signing.pem");
		Files.createDirectories(key.getParent());
		try {
			Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
					+ Base64.getMimeEncoder().encodeToString(S1_KEY.toECPrivateKey().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
		}
		catch (com.nimbusds.jose.JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return key;
	}

	/** A new user with {@link #PASSWORD}; its id. Each call comes from its own address, so no test uses up another's rate limits. */
	static String signup(HttpCalls s1, String fname, String email) {
		Answer answer = s1.send("POST", "/api/v1/user/", "{\"fname\":\"" + fname + "\",\"lname\":\"Test\",\"email\":\"" + email
				+ "\",\"password\":\"" + PASSWORD + "\"}", "X-Forwarded-For", address());
		if (answer.status() != 200) {
			throw new IllegalStateException("signup answered " + answer.status() + ": " + answer.body());
		}
		return answer.json().path("user_id").asString();
	}

	static String login(HttpCalls s1, String userId) {
		Answer answer = s1.send("PUT", "/api/v1/user/login", "{\"uid\":\"" + userId + "\",\"password\":\"" + PASSWORD + "\"}",
				"X-Forwarded-For", address());
		if (answer.status() != 200) {
			throw new IllegalStateException("login answered " + answer.status() + ": " + answer.body());
		}
		return answer.body();
	}

	/** A documentation address (RFC 5737) no other call used. */
	static String address() {
		int n = ADDRESSES.incrementAndGet();
		return "198.18." + (n / 250) + "." + (1 + n % 250);
	}

}
