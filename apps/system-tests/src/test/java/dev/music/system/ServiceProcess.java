package dev.music.system;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the app's processes (a service jar, or a standalone DynamoDB Local) started for real, with its output
 * in a log file, stopped with SIGTERM like Kubernetes does.
 */
final class ServiceProcess implements AutoCloseable {

	static final Path APPS = Path.of(System.getProperty("apps.dir", "apps"));

	static final Path WORK = Path.of(System.getProperty("work.dir", "target/system-tests"));

	private final String name;

	private final List<String> command;

	private final Map<String, String> env;

	private final int port;

	private final String readiness;

	private final Path log;

	private Process process;

	private ServiceProcess(String name, List<String> command, Map<String, String> env, int port, String readiness) {
		this.name = name;
		this.command = command;
		this.env = env;
		this.port = port;
		this.readiness = readiness;
		this.log = WORK.resolve(name + "-" + port + ".log");
	}

	/** The management port (actuator) the settings gave this service; 0 when none. */
	int managementPort() {
		return Integer.parseInt(this.env.getOrDefault("MANAGEMENT_SERVER_PORT", "0"));
	}

	/** A service jar ({@code db}, {@code s1}, {@code s2}) on {@code port}, with these settings. */
	static ServiceProcess service(String name, int port, String prefix, Map<String, String> env) {
		Path jar = APPS.resolve(name).resolve("target").resolve(name + ".jar");
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar + " is missing: build it with ./mvnw -pl apps/" + name + " -am package");
		}
		Map<String, String> all = new java.util.HashMap<>(env);
		all.put("SERVER_PORT", String.valueOf(port));
		return new ServiceProcess(name, List.of(java(), "-jar", jar.toString()), all, port, prefix + "/readiness");
	}

	/** DynamoDB Local as its own server process, keeping data in {@code dataDir}. */
	static ServiceProcess dynamoDbLocal(int port, Path dataDir) throws IOException {
		String classpath = Files.readString(Path.of("target", "dynamodb-local.classpath")).strip();
		Files.createDirectories(dataDir);
		return new ServiceProcess("dynamodb-local", List.of(java(), "-XX:+UseSerialGC", "-Xmx256m", "-cp", classpath,
				"com.amazonaws.services.dynamodbv2.local.main.ServerRunner", "-port", String.valueOf(port), "-sharedDb", "-disableTelemetry",
				"-dbPath", dataDir.toString()), Map.of(), port, null);
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	ServiceProcess start() throws IOException {
		Files.createDirectories(WORK);
		ProcessBuilder builder = new ProcessBuilder(this.command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()));
		builder.environment().putAll(this.env);
		this.process = builder.start();
		return this;
	}

	/** Waits until the readiness route answers 200 (or, for DynamoDB Local, the port accepts connections). */
	ServiceProcess awaitReady(Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with " + this.process.exitValue() + "; see " + this.log);
			}
			if (ready()) {
				return this;
			}
			Thread.sleep(100);
		}
		throw new IllegalStateException(this.name + " was not ready within " + timeout + "; see " + this.log);
	}

	/** SIGTERM, then waits for the process to end; returns its exit code. */
	int stop() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
		return this.process.exitValue();
	}

	String log() throws IOException {
		return Files.readString(this.log);
	}

	int port() {
		return this.port;
	}

	long pid() {
		return this.process.pid();
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		}
	}

	private boolean ready() {
		if (this.readiness == null) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}
		try {
			HttpURLConnection connection = (HttpURLConnection) URI
				.create("http://127.0.0.1:" + this.port + this.readiness)
				.toURL()
				.openConnection();
			connection.setConnectTimeout(200);
			connection.setReadTimeout(2000);
			int status = connection.getResponseCode();
			connection.disconnect();
			return status == 200;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	static List<String> lines(String text, String containing) {
		List<String> found = new ArrayList<>();
		text.lines().filter((line) -> line.contains(containing)).forEach(found::add);
		return found;
	}

}
