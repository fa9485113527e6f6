///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS software.amazon.awssdk:dynamodb:2.54.15
//DEPS com.nimbusds:nimbus-jose-jwt:10.4
//SOURCES loader.java
//SOURCES lib/DevGateway.java
//SOURCES lib/LocalIssuer.java
//DESCRIPTION Run the whole app on this machine, entry point on http://localhost:8080: ./jbang scripts/dev.java

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dev", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs the whole app on this machine: db (embedded DynamoDB Local, data kept in .data/dynamodb), s1, s2,",
            "and an entry point that routes /api/v1/user/** to s1 and /api/v1/music/** to s2. Tokens are checked as",
            "in the cluster: s1 signs with .data/s1-signing.pem, s2 checks with s1's JWK set, and db's callers present",
            "tokens from a local issuer (.data/callers/), refreshed every 10 minutes. Actuator: each port + 1000.",
            "Builds the jars that are missing or older than their sources, waits until everything is ready, loads",
            "the sample data, and shows every log line prefixed with its component (also in .dev/logs/<component>.log).",
            "Ctrl-C (or SIGTERM) stops everything it started.", ""},
        footer = {"", "Examples:",
            "  ./jbang scripts/dev.java",
            "  ./jbang scripts/dev.java --in-memory --port 9090",
            "",
            "Exit codes: 1 a port is busy, the build failed, or a component exited or was not ready in time;",
            "2 usage error. Stopped with Ctrl-C or SIGTERM it exits as the signal says (130 or 143)."})
public class dev implements Callable<Integer> {

    /** AUTH_COMPAT for s1 and s2: off, so the local stack checks tokens like the cluster; --compat-auth turns it on. */
    static final String COMPAT_AUTH_DEFAULT = "false";

    static final String SAMPLE_SONG = "6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea";
    static final String SAMPLE_USER = "b66f61e7-4fad-402f-aaad-101e3e2522d3";
    static final String BUILD = "./mvnw -q -B -ntp package -DskipTests -am -pl ";

    @Spec
    CommandSpec spec;

    @Option(names = "--in-memory", description = "Keep DynamoDB Local's data in memory only (lost at stop)")
    boolean inMemory;

    @Option(names = "--compat-auth", negatable = true, defaultValue = COMPAT_AUTH_DEFAULT, fallbackValue = "true",
            description = "AUTH_COMPAT for s1/s2: accept any non-empty Authorization header, as the old course services did, for old clients and load tests (default: ${DEFAULT-VALUE}: only tokens from s1's login pass)")
    boolean compatAuth;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Entry point port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--s1-port", paramLabel = "PORT", defaultValue = "30000", description = "s1 port (default: ${DEFAULT-VALUE})")
    int s1Port;

    @Option(names = "--s2-port", paramLabel = "PORT", defaultValue = "30001", description = "s2 port (default: ${DEFAULT-VALUE})")
    int s2Port;

    @Option(names = "--db-port", paramLabel = "PORT", defaultValue = "30002", description = "db port (default: ${DEFAULT-VALUE})")
    int dbPort;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".data",
            description = "Where DynamoDB Local's files, s1's signing key and the callers' tokens go (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--log-dir", paramLabel = "DIR", defaultValue = ".dev/logs",
            description = "Where each component's log is written (default: ${DEFAULT-VALUE})")
    Path logDir;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for every component to be ready (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--skip-build", description = "Use the jars as they are; fail if one is missing")
    boolean skipBuild;

    @Option(names = "--skip-load", description = "Do not load the sample data")
    boolean skipLoad;

    /** A component this script runs: its name, port, path prefix and jar; its actuator is on port + 1000. */
    record Service(String name, int port, String prefix, String module) {
        int managementPort() {
            return port + 1000;
        }

        Path jar(Path root) {
            return root.resolve("apps/" + module + "/target/" + module + ".jar");
        }

        String url(String path) {
            return "http://localhost:" + port + prefix + path;
        }
    }

    final List<Running> running = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Object consoleLock = new Object();
    volatile boolean stopping;
    DevGateway gateway;
    LocalIssuer issuer;
    Log gatewayLog;
    boolean colour;
    PrintWriter out;
    PrintWriter err;

    public static void main(String[] args) {
        System.exit(new CommandLine(new dev()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        colour = terminal() && System.getenv("NO_COLOR") == null;
        Path root = root();
        if (root == null) {
            err.println("dev: no repository here (no mvnw and apps/ in " + Path.of("").toAbsolutePath()
                    + " or above): run it from your clone, e.g. ./jbang scripts/dev.java.");
            return 1;
        }
        dataDir = root.resolve(dataDir).normalize();
        logDir = root.resolve(logDir).normalize();
        List<Service> services = List.of(new Service("db", dbPort, "/api/v1/datastore", "db"),
                new Service("s1", s1Port, "/api/v1/user", "s1"), new Service("s2", s2Port, "/api/v1/music", "s2"));

        String busy = busyPort(services);
        if (busy != null) {
            err.println(busy);
            return 1;
        }
        if (!jarsReady(root, services)) {
            return 1;
        }
        Files.createDirectories(logDir);
        // s1's signing key is kept across runs (tokens survive a restart); the callers' issuer is new every run
        Path keyFile = LocalIssuer.signingKey(dataDir.resolve("s1-signing.pem"));
        issuer = LocalIssuer.create(dataDir.resolve("callers"));
        refreshCallerTokens();
        java.util.concurrent.ScheduledExecutorService refresher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dev-tokens");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleAtFixedRate(this::refreshCallerTokens, LocalIssuer.REFRESH.toSeconds(), LocalIssuer.REFRESH.toSeconds(),
                TimeUnit.SECONDS);

        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "dev-stop"));
        gatewayLog = new Log("gateway", logDir, this);
        gateway = DevGateway.start("127.0.0.1", port, List.of(new DevGateway.Route("/api/v1/user", "s1", s1Port),
                new DevGateway.Route("/api/v1/music", "s2", s2Port)), gatewayLog::line);
        gatewayLog.line("entry point on http://localhost:" + port + ": /api/v1/user/** -> s1 (" + s1Port
                + "), /api/v1/music/** -> s2 (" + s2Port + ")");

        for (Service s : services) {
            running.add(start(root, s, keyFile));
        }
        String failure = waitUntilReady(Duration.ofSeconds(timeoutSeconds));
        if (failure != null) {
            stopAll();
            err.println(failure);
            return 1;
        }
        String loaded = skipLoad ? "sample data not loaded (--skip-load)" : load(root, issuer.tokenFile("loader"));
        double seconds = (System.nanoTime() - start) / 1e9;
        banner(seconds, loaded);

        while (!stopping) {
            for (Running r : running) {
                if (!r.process.isAlive() && !stopping) {
                    String message = r.service.name + " exited (code " + r.process.exitValue() + ") while running: see "
                            + root.relativize(r.log.file) + "; stopped the rest.";
                    stopAll();
                    err.println(message);
                    return 1;
                }
            }
            Thread.sleep(300);
        }
        return 0;
    }

    /** The clone's root: the nearest folder at or above the working directory with mvnw and apps/. */
    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("apps"))) {
                return p;
            }
        }
        return null;
    }

    /** Like kubelet: every caller of db gets a fresh token file well before the last one expires. */
    void refreshCallerTokens() {
        for (String account : List.of("s1", "s2", "loader")) {
            issuer.writeToken(account);
        }
    }

    /** One sentence naming the first busy port, or null when every port is free. */
    String busyPort(List<Service> services) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        ports.put(port, "the entry point");
        for (Service s : services) {
            for (Map.Entry<Integer, String> p : Map.of(s.port, s.name, s.managementPort(), s.name + " management").entrySet()) {
                String before = ports.putIfAbsent(p.getKey(), p.getValue());
                if (before != null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "port " + p.getKey() + " is given to both "
                            + before + " and " + p.getValue() + ": give each its own port (management ports are the port + 1000).");
                }
            }
        }
        for (Map.Entry<Integer, String> p : ports.entrySet()) {
            if (!free(p.getKey())) {
                String option = p.getValue().equals("the entry point") ? "--port" : "--" + p.getValue().split(" ")[0] + "-port";
                return "dev: port " + p.getKey() + " (" + p.getValue() + ") is busy: stop what listens there (an earlier"
                        + " dev.java? see `ss -ltnp 'sport = :" + p.getKey() + "'`) or pick another port with " + option + ".";
            }
        }
        return null;
    }

    static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    /** Builds the jars that are missing or older than their sources (unless --skip-build); false after saying why. */
    boolean jarsReady(Path root, List<Service> services) throws IOException, InterruptedException {
        List<String> stale = new ArrayList<>();
        for (Service s : services) {
            Path jar = s.jar(root);
            if (skipBuild ? !Files.isRegularFile(jar) : stale(jar, inputs(root, s.module))) {
                stale.add("apps/" + s.module);
            }
        }
        if (stale.isEmpty()) {
            return true;
        }
        String command = BUILD + String.join(",", stale);
        if (skipBuild) {
            err.println("dev: " + String.join(", ", stale) + " not built (--skip-build): run " + command
                    + ", or run dev.java without --skip-build.");
            return false;
        }
        out.println("dev: building " + String.join(", ", stale) + " (jar missing or older than its sources): " + command);
        out.flush();
        List<String> argv = new ArrayList<>(List.of(root.resolve("mvnw").toString()));
        argv.addAll(List.of(command.substring("./mvnw ".length()).split(" ")));
        Process build = new ProcessBuilder(argv).directory(root.toFile()).inheritIO().start();
        if (build.waitFor() != 0) {
            err.println("dev: the build failed (see Maven's output above): fix it and run dev.java again.");
            return false;
        }
        return true;
    }

    static List<Path> inputs(Path root, String module) {
        return List.of(root.resolve("pom.xml"), root.resolve("apps/common/pom.xml"), root.resolve("apps/common/src/main"),
                root.resolve("apps/" + module + "/pom.xml"), root.resolve("apps/" + module + "/src/main"));
    }

    /** True when the jar is missing or any file under the inputs is newer than it. */
    static boolean stale(Path jar, List<Path> inputs) throws IOException {
        if (!Files.isRegularFile(jar)) {
            return true;
        }
        FileTime built = Files.getLastModifiedTime(jar);
        for (Path input : inputs) {
            if (!Files.exists(input)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(input)) {
                if (files.filter(Files::isRegularFile).anyMatch(f -> newer(f, built))) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean newer(Path file, FileTime than) {
        try {
            return Files.getLastModifiedTime(file).compareTo(than) > 0;
        } catch (IOException ex) {
            return true;
        }
    }

    Running start(Path root, Service s, Path keyFile) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // small, bounded heaps and the serial collector: under load each service stays well under 300 MB
        // (measured with scripts/bench.java; C1-only compilation saved under 0.5 s of start-up but cost 2.3x
        // the CPU per request, see the README's performance section)
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xms32m", "-Xmx256m", "-jar",
                s.jar(root).toString()).directory(root.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("DB_") || k.startsWith("AUTH_") || k.equals("SERVER_PORT")
                || k.equals("MANAGEMENT_SERVER_PORT"));
        env.put("SERVER_PORT", String.valueOf(s.port));
        env.put("MANAGEMENT_SERVER_PORT", String.valueOf(s.managementPort()));
        if (s.name.equals("db")) {
            env.put("DB_DATA_DIR", dataDir.resolve("dynamodb").toString());
            env.put("DB_IN_MEMORY", String.valueOf(inMemory));
            // the callers' tokens are checked as in the cluster, against this run's local issuer
            env.put("DB_CALLER_JWKS_URI", issuer.jwks().toUri().toString());
            env.put("DB_CALLER_ISSUER", LocalIssuer.ISSUER);
        } else {
            env.put("DB_URL", "http://localhost:" + dbPort);
            env.put("DB_TOKEN_FILE", issuer.tokenFile(s.name).toString());
            env.put("AUTH_COMPAT", String.valueOf(compatAuth));
            if (s.name.equals("s1")) {
                env.put("AUTH_SIGNING_KEY_FILE", keyFile.toString());
            } else {
                env.put("AUTH_JWKS_URI", "http://localhost:" + s1Port + "/api/v1/user/.well-known/jwks.json");
            }
        }
        Log log = new Log(s.name, logDir, this);
        Process process = pb.start();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    log.line(line);
                }
            } catch (IOException ex) {
                // the process is gone
            }
        }, s.name + "-log");
        pump.setDaemon(true);
        pump.start();
        return new Running(s, process, pump, log, System.nanoTime());
    }

    /** Null once every component answers 200 on its readiness probe, else one sentence saying which did not. */
    String waitUntilReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean all = true;
            if (stopping) {
                return "dev: stopped before everything was ready.";
            }
            for (Running r : running) {
                if (r.readyAfter > 0) {
                    continue;
                }
                if (!r.process.isAlive()) {
                    return "dev: " + r.service.name + " exited (code " + r.process.exitValue() + ") before it was ready:"
                            + " see its last log lines above or " + r.log.file + ".";
                }
                try {
                    HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(r.service.url("/readiness")))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        r.readyAfter = System.nanoTime() - r.started;
                        continue;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                all = false;
            }
            if (all) {
                return null;
            }
            if (System.nanoTime() > deadline) {
                List<String> late = running.stream().filter(r -> r.readyAfter == 0).map(r -> r.service.name).toList();
                return "dev: " + String.join(", ", late) + " not ready within " + timeout.toSeconds() + " s: see "
                        + logDir.resolve(late.get(0) + ".log") + ", or allow longer with --timeout.";
            }
            Thread.sleep(200);
        }
    }

    /** Runs loader.java in this JVM against db, with the loader's token file; says what it did in one line. */
    String load(Path root, Path tokenFile) {
        Log log = new Log("loader", logDir, this);
        StringWriter text = new StringWriter();
        PrintWriter writer = new PrintWriter(text, true);
        CommandLine loader = new CommandLine(new loader());
        loader.setOut(writer);
        loader.setErr(writer);
        int code = loader.execute("--url", "http://localhost:" + dbPort, "--token-file", tokenFile.toString(), "--max-wait", "30", "--no-progress",
                "--users-file", root.resolve("scripts/data/users.csv").toString(),
                "--music-file", root.resolve("scripts/data/music.csv").toString());
        text.toString().lines().forEach(log::line);
        log.close();
        String last = text.toString().lines().reduce((a, b) -> b).orElse("");
        return code == 0 ? "sample data loaded: " + last
                : "the sample data did not load fully (see the loader lines above); the app runs anyway";
    }

    void banner(double seconds, String loaded) {
        String gw = "http://localhost:" + port;
        StringBuilder b = new StringBuilder();
        b.append(bold(String.format("ready in %.1f s", seconds))).append(" (");
        for (Running r : running) {
            b.append(r == running.get(0) ? "" : ", ").append(r.service.name).append(' ')
                    .append(String.format("%.1f s", r.readyAfter / 1e9));
        }
        b.append("); ").append(loaded).append('\n');
        b.append("  entry point  ").append(gw).append("   /api/v1/user/** -> s1, /api/v1/music/** -> s2\n");
        for (Running r : running) {
            b.append("  ").append(String.format("%-13s", r.service.name)).append(r.service.url("/health"))
                    .append("   metrics http://localhost:").append(r.service.managementPort()).append("/actuator/prometheus\n");
        }
        b.append("  logs         ").append(logDir).append("/<component>.log\n");
        b.append("Try:\n");
        if (compatAuth) {
            b.append("  curl -H 'Authorization: Bearer x' ").append(gw).append("/api/v1/music/").append(SAMPLE_SONG).append('\n');
            b.append("  TOKEN=$(curl -s -X PUT -H 'Content-Type: application/json' -d '{\"uid\":\"").append(SAMPLE_USER)
                    .append("\"}' ").append(gw).append("/api/v1/user/login)\n");
        } else {
            b.append("  UID_=$(curl -s -X POST -H 'Content-Type: application/json' -d '{\"fname\":\"Ada\",\"lname\":\"Lovelace\",")
                    .append("\"email\":\"ada@example.org\",\"password\":\"correct horse battery\"}' ").append(gw)
                    .append("/api/v1/user | sed 's/.*\"user_id\":\"\\([^\"]*\\)\".*/\\1/')\n");
            b.append("  TOKEN=$(curl -s -X PUT -H 'Content-Type: application/json' -d \"{\\\"uid\\\":\\\"$UID_\\\",\\\"password\\\":")
                    .append("\\\"correct horse battery\\\"}\" ").append(gw).append("/api/v1/user/login)\n");
        }
        b.append("  curl -H \"Authorization: Bearer $TOKEN\" ").append(gw).append("/api/v1/music/").append(SAMPLE_SONG).append('\n');
        b.append("  ./jbang scripts/mcli.java --url ").append(gw).append(compatAuth ? " --login " + SAMPLE_USER : " signup Ada Lovelace ada@example.org")
                .append("   (then --login <user id>; both ask for the password)\n");
        b.append("Ctrl-C stops everything.");
        synchronized (consoleLock) {
            out.println(b);
            out.flush();
        }
    }

    /** Stops the entry point and every component: SIGTERM, a grace period, then SIGKILL. Safe to call twice. */
    synchronized void stopAll() {
        stopping = true;
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
        List<Running> all = new ArrayList<>(running);
        running.clear();
        for (Running r : all) {
            r.process.descendants().forEach(ProcessHandle::destroy);
            r.process.destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (Running r : all) {
            try {
                if (!r.process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    r.process.descendants().forEach(ProcessHandle::destroyForcibly);
                    r.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                r.pump.join(2000);
            } catch (InterruptedException ex) {
                r.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            r.log.close();
        }
        if (gatewayLog != null) {
            if (!all.isEmpty()) {
                gatewayLog.line("stopped " + String.join(", ", all.stream().map(r -> r.service.name).toList())
                        + " and the entry point");
            }
            gatewayLog.close();
            gatewayLog = null;
        }
    }

    String bold(String s) {
        return colour ? "\033[1m" + s + "\033[0m" : s;
    }

    static boolean terminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException ex) {
            return true;
        }
    }

    static final class Running {
        final Service service;
        final Process process;
        final Thread pump;
        final Log log;
        final long started;
        volatile long readyAfter;

        Running(Service service, Process process, Thread pump, Log log, long started) {
            this.service = service;
            this.process = process;
            this.pump = pump;
            this.log = log;
            this.started = started;
        }
    }

    /** One component's lines: to .dev/logs/<name>.log as they are, and to the console prefixed with the name. */
    static final class Log {
        static final Map<String, String> COLOURS = Map.of("db", "36", "s1", "32", "s2", "35", "gateway", "33", "loader", "34");
        final Path file;
        final String prefix;
        final dev owner;
        BufferedWriter writer;

        Log(String name, Path dir, dev owner) throws java.io.UncheckedIOException {
            this.file = dir.resolve(name + ".log");
            this.owner = owner;
            String label = String.format("%-7s|", name);
            this.prefix = owner.colour ? "\033[" + COLOURS.getOrDefault(name, "37") + "m" + label + "\033[0m " : label + " ";
            try {
                this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException("cannot write " + file, ex);
            }
        }

        void line(String line) {
            synchronized (owner.consoleLock) {
                owner.out.println(prefix + line);
                owner.out.flush();
            }
            synchronized (this) {
                if (writer != null) {
                    try {
                        if (name().equals("gateway") || name().equals("loader")) {
                            writer.write(LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss.SSS")) + " ");
                        }
                        writer.write(line);
                        writer.newLine();
                        writer.flush();
                    } catch (IOException ex) {
                        writer = null;
                    }
                }
            }
        }

        String name() {
            String n = file.getFileName().toString();
            return n.substring(0, n.length() - ".log".length());
        }

        synchronized void close() {
            try {
                if (writer != null) {
                    writer.close();
                }
            } catch (IOException ignored) {
                // nothing more to write
            }
            writer = null;
        }
    }
}
