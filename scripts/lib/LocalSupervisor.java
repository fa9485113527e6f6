import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs the local stack the way kubelet runs pods: starts every component, tells when all are ready, restarts one that
 * exits after a back-off (10 s, 20 s, 40 s ... at most 5 min; back to 10 s once it has run for 10 min) while the others
 * keep running, with one line per restart, and stops everything on request. It also shows every component's log
 * lines on the console, prefixed with the component's name, read from the log files in batches (the services write
 * their log straight to the file: no pipe, no per-line hop through this process). Used by {@code dev.java}.
 */
final class LocalSupervisor {

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(10);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    static final Duration RESET_AFTER = Duration.ofMinutes(10);
    static final Map<String, String> COLOURS = Map.of("db", "36", "s1", "32", "s2", "35", "gateway", "33", "loader", "34",
            LocalStack.DYNAMODB_LOCAL, "37");

    /** One component and its current process. */
    static final class Running {
        final LocalStack.Component component;
        volatile Process process;
        volatile long started;
        volatile long readyAfter;
        int restarts;
        long restartAt;
        long tailPosition;

        Running(LocalStack.Component component) {
            this.component = component;
        }
    }

    final LocalStack stack;
    final Path workDir;
    final PrintWriter console;
    final boolean colour;
    final Object consoleLock = new Object();
    final List<Running> running = new CopyOnWriteArrayList<>();
    volatile boolean stopping;
    Thread tail;

    LocalSupervisor(LocalStack stack, Path workDir, PrintWriter console, boolean colour) {
        this.stack = stack;
        this.workDir = workDir;
        this.console = console;
        this.colour = colour;
    }

    /** Starts every component at once (each waits for what it needs), with fresh log files, and shows their lines. */
    void startAll() throws IOException {
        Files.createDirectories(stack.settings.logDir());
        for (LocalStack.Component c : stack.components()) {
            Files.deleteIfExists(stack.log(c));
            Running r = new Running(c);
            start(r);
            running.add(r);
        }
        tail = new Thread(this::tailLoop, "local-stack-logs");
        tail.setDaemon(true);
        tail.start();
    }

    private void start(Running r) throws IOException {
        r.started = System.nanoTime();
        r.readyAfter = 0;
        r.process = stack.start(r.component, workDir);
    }

    /** Null once every component is ready, else one sentence saying which was not and where to look. */
    String awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean all = true;
            for (Running r : running) {
                if (stopping) {
                    return "dev: stopped before everything was ready.";
                }
                if (r.readyAfter > 0) {
                    continue;
                }
                if (!r.process.isAlive()) {
                    flushTail(true);
                    return "dev: " + r.component.name() + " exited (code " + r.process.exitValue() + ") before it was ready:"
                            + " see its last log lines above or " + stack.log(r.component) + ".";
                }
                if (LocalStack.ready(r.component)) {
                    r.readyAfter = System.nanoTime() - r.started;
                } else {
                    all = false;
                }
            }
            if (all) {
                return null;
            }
            if (System.nanoTime() > deadline) {
                List<String> late = running.stream().filter(r -> r.readyAfter == 0).map(r -> r.component.name()).toList();
                return "dev: " + String.join(", ", late) + " not ready within " + timeout.toSeconds() + " s: see "
                        + stack.settings.logDir().resolve(late.get(0) + ".log") + ", or allow longer with --timeout.";
            }
            Thread.sleep(100);
        }
    }

    /**
     * Restarts what has exited once its back-off has passed; prints one line when a component exits. With
     * {@code failFast} the first exit is returned as one sentence instead (the caller stops everything).
     */
    String check(boolean failFast) throws IOException {
        long now = System.nanoTime();
        for (Running r : running) {
            if (stopping || r.process.isAlive()) {
                if (r.restarts > 0 && r.process.isAlive() && now - r.started > RESET_AFTER.toNanos()) {
                    r.restarts = 0;
                }
                continue;
            }
            if (r.restartAt == 0) {
                String log = stack.settings.logDir().resolve(r.component.name() + ".log").toString();
                if (failFast) {
                    flushTail(true);
                    return "dev: " + r.component.name() + " exited (code " + r.process.exitValue() + ") while running: see "
                            + log + "; stopped the rest (--fail-fast).";
                }
                Duration wait = backoff(r.restarts);
                r.restartAt = now + wait.toNanos();
                r.restarts++;
                say("dev: " + r.component.name() + " exited (code " + r.process.exitValue() + "), restart " + r.restarts
                        + " in " + wait.toSeconds() + " s; log: " + log);
            } else if (now >= r.restartAt) {
                r.restartAt = 0;
                start(r);
            }
        }
        return null;
    }

    /** 10 s, 20 s, 40 s, ... at most {@link #MAX_BACKOFF}, as kubelet's CrashLoopBackOff. */
    static Duration backoff(int restartsSoFar) {
        long seconds = FIRST_BACKOFF.toSeconds() << Math.min(restartsSoFar, 16);
        return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
    }

    /** Stops every component, the entry point first, DynamoDB Local last. Safe to call twice. */
    synchronized void stopAll() {
        stopping = true;
        List<Running> all = new ArrayList<>(running);
        java.util.Collections.reverse(all);
        LocalStack.stop(all.stream().map(r -> r.process).filter(p -> p != null).toList(), Duration.ofSeconds(15));
        flushTail(true);
        running.clear();
    }

    /** One line on the console, whole, never mixed with a component's line. */
    void say(String line) {
        synchronized (consoleLock) {
            console.println(line);
            console.flush();
        }
    }

    /** A line of {@code name} (the loader, which runs in this process) on the console with its prefix. */
    void line(String name, String line) {
        say(prefix(name) + line);
    }

    String prefix(String name) {
        String label = String.format("%-7s|", name);
        return colour ? "\033[" + COLOURS.getOrDefault(name, "37") + "m" + label + "\033[0m " : label + " ";
    }

    private void tailLoop() {
        while (!stopping) {
            flushTail(false);
            try {
                Thread.sleep(200);
            } catch (InterruptedException ex) {
                return;
            }
        }
    }

    /**
     * Prints the lines each log file got since the last call, one console write per batch; {@code all} also prints a
     * last line without its newline (a process that has exited).
     */
    synchronized void flushTail(boolean all) {
        StringBuilder batch = new StringBuilder();
        for (Running r : running) {
            Path file = stack.log(r.component);
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                long length = in.length();
                if (length < r.tailPosition) {
                    r.tailPosition = 0;
                }
                if (length == r.tailPosition) {
                    continue;
                }
                in.seek(r.tailPosition);
                byte[] bytes = new byte[(int) Math.min(length - r.tailPosition, 4 << 20)];
                in.readFully(bytes);
                int end = all ? bytes.length - 1 : lastNewline(bytes);
                if (end < 0) {
                    continue;
                }
                r.tailPosition += end + 1;
                String prefix = prefix(r.component.name());
                new String(bytes, 0, end + 1, StandardCharsets.UTF_8).lines().forEach(l -> batch.append(prefix).append(l).append('\n'));
            } catch (IOException notYet) {
                // no file yet
            }
        }
        if (batch.length() > 0) {
            synchronized (consoleLock) {
                console.print(batch);
                console.flush();
            }
        }
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
