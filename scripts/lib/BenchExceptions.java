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
 * Every exception and error one service constructs while a scenario is measured: a JFR recording of
 * {@code jdk.JavaExceptionThrow} and {@code jdk.JavaErrorThrow} started and stopped with {@code jcmd}. Left out, as in
 * system-tests' {@code HotPathTests}: the JVM's own service threads (jcmd's {@code Attach Listener}, Micrometer's GC
 * listener loading its classes on the {@code Notification Thread}), Tomcat's {@code EOFException} when a client
 * closes its keep-alive connection (bench closes its 16 at the end of each scenario), and class loading (a
 * {@code ClassNotFoundException} inside {@code loadClass}: once per class, when the parent loader is asked first).
 */
final class BenchExceptions {

    static final String SETTINGS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <configuration version="2.0">
              <event name="jdk.JavaExceptionThrow"><setting name="enabled">true</setting><setting name="stackTrace">true</setting></event>
              <event name="jdk.JavaErrorThrow"><setting name="enabled">true</setting><setting name="stackTrace">true</setting></event>
            </configuration>
            """;
    static final List<String> JVM_THREADS = List.of("Notification Thread", "Attach Listener", "JFR ");
    static final Pattern STARTED = Pattern.compile("Started recording (\\d+)");

    final long pid;
    final Path file;
    final String id;

    private BenchExceptions(long pid, Path file, String id) {
        this.pid = pid;
        this.file = file;
        this.id = id;
    }

    /** Starts recording in the JVM {@code pid}; null when there is no jcmd (a JRE) or it cannot attach. */
    static BenchExceptions start(long pid) {
        try {
            Path settings = Files.createTempFile("bench-exceptions", ".jfc");
            Files.writeString(settings, SETTINGS);
            Path file = Files.createTempFile("bench-exceptions-" + pid, ".jfr");
            Matcher started = STARTED.matcher(jcmd(pid, "JFR.start", "settings=" + settings, "filename=" + file));
            return started.find() ? new BenchExceptions(pid, file, started.group(1)) : null;
        } catch (IOException | RuntimeException ex) {
            return null;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Stops the recording; one line per exception (class, message, where), or null when it could not be read. */
    List<String> stop() {
        try {
            jcmd(pid, "JFR.stop", "name=" + id);
            List<String> thrown = new ArrayList<>();
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                String thread = event.getThread() != null ? event.getThread().getJavaName() : "?";
                if (JVM_THREADS.stream().anyMatch(thread::startsWith) || closedByPeer(event) || classLoading(event)) {
                    continue;
                }
                String where = "";
                if (event.getStackTrace() != null) {
                    where = event.getStackTrace().getFrames().stream().map(RecordedFrame::getMethod)
                            .filter(m -> !m.getType().getName().startsWith("java.lang."))
                            .findFirst().map(m -> " at " + m.getType().getName() + "." + m.getName()).orElse("");
                }
                thrown.add(event.getClass("thrownClass").getName() + ": " + event.getString("message") + where);
            }
            Files.deleteIfExists(file);
            return thrown;
        } catch (IOException | RuntimeException ex) {
            return null;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static boolean closedByPeer(RecordedEvent event) {
        return event.getClass("thrownClass").getName().equals("java.io.EOFException") && event.getStackTrace() != null
                && event.getStackTrace().getFrames().stream().anyMatch(f -> f.getMethod().getName().equals("fillReadBuffer"));
    }

    static boolean classLoading(RecordedEvent event) {
        return event.getClass("thrownClass").getName().equals("java.lang.ClassNotFoundException") && event.getStackTrace() != null
                && event.getStackTrace().getFrames().stream().anyMatch(f -> f.getMethod().getName().equals("loadClass"));
    }

    static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            throw new IOException("no jcmd in " + jcmd.getParent());
        }
        List<String> argv = new ArrayList<>(List.of(jcmd.toString(), String.valueOf(pid)));
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + command[0] + " failed: " + out.strip());
        }
        return out;
    }
}
