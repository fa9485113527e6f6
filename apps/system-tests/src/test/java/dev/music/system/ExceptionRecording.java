package dev.music.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of every exception and error a running service constructs ({@code jdk.JavaExceptionThrow},
 * {@code jdk.JavaErrorThrow}, with stack traces), started and stopped with {@code jcmd} around the code under test.
 * Only the JVM's own service threads are left out: {@code jcmd} itself talks to the {@code Attach Listener}, and
 * the first GC notification after start makes Micrometer's GC listener load its classes on the
 * {@code Notification Thread} (class loading throws and catches a {@code ClassNotFoundException} once per class).
 * And Tomcat's {@code EOFException} when a client closes its keep-alive connection is the end of a connection, not
 * a request; a {@code ClassNotFoundException} inside {@code loadClass} happens once per class (the parent loader is
 * asked first), not once per request.
 */
final class ExceptionRecording {

	private static final String SETTINGS = """
			<?xml version="1.0" encoding="UTF-8"?>
			<configuration version="2.0">
			  <event name="jdk.JavaExceptionThrow"><setting name="enabled">true</setting><setting name="stackTrace">true</setting></event>
			  <event name="jdk.JavaErrorThrow"><setting name="enabled">true</setting><setting name="stackTrace">true</setting></event>
			</configuration>
			""";

	private static final List<String> JVM_THREADS = List.of("Notification Thread", "Attach Listener", "JFR ");

	private static final Pattern STARTED = Pattern.compile("Started recording (\\d+)");

	private final ServiceProcess service;

	private final Path file;

	private final String id;

	private ExceptionRecording(ServiceProcess service, Path file, String id) {
		this.service = service;
		this.file = file;
		this.id = id;
	}

	/** Starts recording in {@code service}; no name is given, since jcmd parses a name as a number first. */
	static ExceptionRecording start(ServiceProcess service) throws IOException, InterruptedException {
		Path settings = ServiceProcess.WORK.resolve("exceptions.jfc");
		Files.writeString(settings, SETTINGS);
		Path file = ServiceProcess.WORK.resolve("exceptions-" + service.port() + "-" + System.nanoTime() + ".jfr");
		String out = jcmd(service, "JFR.start", "settings=" + settings, "filename=" + file);
		Matcher started = STARTED.matcher(out);
		if (!started.find()) {
			throw new IllegalStateException("jcmd JFR.start did not start a recording: " + out);
		}
		return new ExceptionRecording(service, file, started.group(1));
	}

	/** Stops the recording and returns one line per exception: its class, message and top frames. */
	List<String> stop() throws IOException, InterruptedException {
		jcmd(this.service, "JFR.stop", "name=" + this.id);
		List<String> thrown = new ArrayList<>();
		for (RecordedEvent event : RecordingFile.readAllEvents(this.file)) {
			if (JVM_THREADS.stream().anyMatch(thread(event)::startsWith) || closedByPeer(event) || classLoading(event)) {
				continue;
			}
			StringBuilder line = new StringBuilder("[").append(thread(event))
				.append("] ")
				.append(event.getClass("thrownClass").getName())
				.append(": ")
				.append(event.getString("message"));
			if (event.getStackTrace() != null) {
				List<RecordedFrame> frames = event.getStackTrace().getFrames();
				frames.stream().skip(Math.min(frames.size(), 4)).limit(8).forEach((frame) -> line.append("\n    at ")
					.append(frame.getMethod().getType().getName())
					.append('.')
					.append(frame.getMethod().getName()));
			}
			thrown.add(line.toString());
		}
		return thrown;
	}

	private static boolean closedByPeer(RecordedEvent event) {
		return event.getClass("thrownClass").getName().equals("java.io.EOFException") && event.getStackTrace() != null
				&& event.getStackTrace().getFrames().stream().anyMatch((frame) -> frame.getMethod().getName().equals("fillReadBuffer"));
	}

	private static boolean classLoading(RecordedEvent event) {
		return event.getClass("thrownClass").getName().equals("java.lang.ClassNotFoundException")
				&& event.getStackTrace() != null && event.getStackTrace()
					.getFrames()
					.stream()
					.anyMatch((frame) -> frame.getMethod().getName().equals("loadClass"));
	}

	private static String thread(RecordedEvent event) {
		return (event.getThread() != null) ? event.getThread().getJavaName() : "?";
	}

	private static String jcmd(ServiceProcess service, String... command) throws IOException, InterruptedException {
		List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
				String.valueOf(service.pid())));
		argv.addAll(List.of(command));
		Process jcmd = new ProcessBuilder(argv).redirectErrorStream(true).start();
		String out = new String(jcmd.getInputStream().readAllBytes());
		if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
			throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + out);
		}
		return out;
	}

}
