import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The local stack in one place: its five components, their ports, environment, JVM flags and start commands, and how
 * to tell they are ready. {@code dev.java} and {@code bench.java --start} start it through this class, so they run the
 * same thing. Like the minikube overlay, every component is its own process: DynamoDB Local ({@code dynamodb-local},
 * Amazon's engine as a server), {@code db}, {@code s1}, {@code s2}, and the entry point {@code gateway}
 * ({@link LocalGateway}). Each process writes its output to {@code <logDir>/<name>.log}, as a container's goes to its
 * log file. Tokens are checked as in the cluster: s1 signs with {@code <dataDir>/s1-signing.pem}, s2 checks with s1's
 * JWK set, db's callers present tokens of a local issuer ({@link LocalIssuer}, {@code <dataDir>/callers/}); each
 * service's actuator is on its port + 1000. Pulled in with {@code //SOURCES lib/LocalStack.java} (and
 * {@code lib/LocalGateway.java}, {@code lib/LocalIssuer.java}).
 */
final class LocalStack {

    /** JVM flags of db, s1, s2 and DynamoDB Local: the serial collector and a bounded heap keep each under 300 MB RSS. */
    static final String SERVICE_JVM = "-XX:+UseSerialGC -Xms32m -Xmx256m";
    /** The entry point needs little heap. */
    static final String GATEWAY_JVM = "-XX:+UseSerialGC -Xms16m -Xmx64m";
    static final String DYNAMODB_LOCAL = "dynamodb-local";
    static final String DYNAMODB_MAIN = "com.amazonaws.services.dynamodbv2.local.main.ServerRunner";

    /** One process of the stack: its name, port and what answers 200 when it is ready (null: the port accepts). */
    record Component(String name, int port, String readiness) {
        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        /** The actuator's port of db, s1 and s2 (the port + 1000), or -1. */
        int managementPort() {
            return List.of("db", "s1", "s2").contains(name) ? port + 1000 : -1;
        }
    }

    /**
     * What varies between runs: the ports by component name, where the jars, data and logs are, DynamoDB Local in
     * memory or on disk, s1/s2's AUTH_COMPAT, the services' JVM flags and the java to run.
     */
    record Settings(Map<String, Integer> ports, Function<String, Path> jar, Path dataDir, Path logDir, boolean inMemory,
            boolean compatAuth, String serviceJvm, String java) {

        /** dev.java's defaults: the ports of the README, jars where Maven builds them. */
        static Map<String, Integer> defaultPorts() {
            Map<String, Integer> ports = new LinkedHashMap<>();
            ports.put("gateway", 8080);
            ports.put("s1", 30000);
            ports.put("s2", 30001);
            ports.put("db", 30002);
            ports.put(DYNAMODB_LOCAL, 8000);
            return ports;
        }

        static Function<String, Path> builtJars(Path root) {
            return name -> root.resolve("apps/" + name + "/target/" + name + ".jar");
        }
    }

    final Settings settings;
    final Path keyFile;
    final LocalIssuer issuer;

    /**
     * s1's signing key (kept across runs: tokens survive a restart) and a new issuer for db's callers, with a token
     * file for each caller; {@link #refreshCallerTokens()} renews them, as kubelet does.
     */
    LocalStack(Settings settings) throws IOException {
        this.settings = settings;
        Files.createDirectories(settings.dataDir);
        this.keyFile = LocalIssuer.signingKey(settings.dataDir.resolve("s1-signing.pem"));
        this.issuer = LocalIssuer.create(settings.dataDir.resolve("callers"));
        refreshCallerTokens();
    }

    /** Every caller of db gets a fresh token file well before the last one expires. */
    void refreshCallerTokens() {
        for (String account : List.of("s1", "s2", "loader")) {
            issuer.writeToken(account);
        }
    }

    /** Renews the callers' tokens every {@link LocalIssuer#REFRESH} in a daemon thread. */
    void keepCallerTokensFresh() {
        java.util.concurrent.ScheduledExecutorService refresher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "local-stack-tokens");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleAtFixedRate(this::refreshCallerTokens, LocalIssuer.REFRESH.toSeconds(), LocalIssuer.REFRESH.toSeconds(),
                TimeUnit.SECONDS);
    }

    /** In start order: what each one needs is started before it. */
    List<Component> components() {
        Map<String, Integer> p = settings.ports;
        return List.of(new Component(DYNAMODB_LOCAL, p.get(DYNAMODB_LOCAL), null),
                new Component("db", p.get("db"), "/api/v1/datastore/readiness"),
                new Component("s1", p.get("s1"), "/api/v1/user/readiness"),
                new Component("s2", p.get("s2"), "/api/v1/music/readiness"),
                new Component("gateway", p.get("gateway"), LocalGateway.HEALTH_PATH));
    }

    Component component(String name) {
        return components().stream().filter(c -> c.name.equals(name)).findFirst().orElseThrow();
    }

    Path log(Component c) {
        return settings.logDir.resolve(c.name + ".log");
    }

    /** The command line of a component. */
    List<String> command(Component c) {
        List<String> argv = new ArrayList<>(List.of(settings.java));
        switch (c.name) {
            case DYNAMODB_LOCAL -> {
                argv.addAll(flags(settings.serviceJvm));
                argv.addAll(List.of("-cp", System.getProperty("java.class.path"), DYNAMODB_MAIN, "-port", String.valueOf(c.port),
                        "-sharedDb", "-disableTelemetry"));
                argv.addAll(settings.inMemory ? List.of("-inMemory") : List.of("-dbPath", dynamoDir().toString()));
            }
            case "gateway" -> {
                argv.addAll(flags(GATEWAY_JVM));
                argv.addAll(List.of("-cp", System.getProperty("java.class.path"), "LocalGateway", String.valueOf(c.port)));
                for (LocalGateway.Route r : LocalGateway.routes(settings.ports.get("s1"), settings.ports.get("s2"))) {
                    argv.add(r.prefix() + "=" + r.name() + ":" + r.port());
                }
            }
            default -> {
                argv.addAll(flags(settings.serviceJvm));
                argv.addAll(List.of("-jar", settings.jar.apply(c.name).toString()));
            }
        }
        return argv;
    }

    /** The environment of a component: the machine's, without any DB_/AUTH_/SERVER_/MANAGEMENT_ setting of its own. */
    Map<String, String> environment(Component c, Map<String, String> inherited) {
        Map<String, String> env = new LinkedHashMap<>(inherited);
        env.keySet().removeIf(k -> k.startsWith("DB_") || k.startsWith("AUTH_") || k.startsWith("SERVER_")
                || k.startsWith("MANAGEMENT_"));
        env.put("DDB_LOCAL_TELEMETRY", "0"); // DynamoDB Local 2.x otherwise reports its start to AWS
        if (c.managementPort() > 0) {
            env.put("SERVER_PORT", String.valueOf(c.port));
            env.put("MANAGEMENT_SERVER_PORT", String.valueOf(c.managementPort()));
        }
        switch (c.name) {
            case "db" -> {
                env.put("DB_DYNAMODB_ENDPOINT", "http://127.0.0.1:" + settings.ports.get(DYNAMODB_LOCAL));
                // the callers' tokens are checked as in the cluster, against this run's local issuer
                env.put("DB_CALLER_JWKS_URI", issuer.jwks().toUri().toString());
                env.put("DB_CALLER_ISSUER", LocalIssuer.ISSUER);
            }
            case "s1", "s2" -> {
                env.put("DB_URL", "http://127.0.0.1:" + settings.ports.get("db"));
                env.put("DB_TOKEN_FILE", issuer.tokenFile(c.name).toString());
                env.put("AUTH_COMPAT", String.valueOf(settings.compatAuth));
                if (c.name.equals("s1")) {
                    env.put("AUTH_SIGNING_KEY_FILE", keyFile.toString());
                } else {
                    env.put("AUTH_JWKS_URI", "http://127.0.0.1:" + settings.ports.get("s1") + "/api/v1/user/.well-known/jwks.json");
                }
            }
            default -> { }
        }
        return env;
    }

    /** Starts one component, its output appended to its log file (a restart continues the same file). */
    Process start(Component c, Path workDir) throws IOException {
        Files.createDirectories(settings.logDir);
        if (c.name.equals(DYNAMODB_LOCAL) && !settings.inMemory) {
            prepareDynamoDir();
        }
        ProcessBuilder pb = new ProcessBuilder(command(c)).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(c).toFile()));
        Map<String, String> env = environment(c, System.getenv());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** True when the component answers 200 on its readiness path (DynamoDB Local: accepts connections). */
    static boolean ready(Component c) throws InterruptedException {
        if (c.readiness == null) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", c.port), 500);
                return true;
            } catch (IOException ex) {
                return false;
            }
        }
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(c.url(c.readiness)))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Every port of the stack, each with what listens there ("db", "db management", ...). */
    Map<Integer, String> allPorts() {
        Map<Integer, String> ports = new LinkedHashMap<>();
        for (Component c : components()) {
            ports.put(c.port, c.name);
            if (c.managementPort() > 0) {
                ports.put(c.managementPort(), c.name + " management");
            }
        }
        return ports;
    }

    /** The first port that is taken, with what should listen there, or null. */
    Map.Entry<Integer, String> busy() {
        for (Map.Entry<Integer, String> p : allPorts().entrySet()) {
            if (!free(p.getKey())) {
                return p;
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

    Path dynamoDir() {
        return settings.dataDir.resolve("dynamodb");
    }

    /** DynamoDB Local's folder; data an earlier db kept in-process (dynamodb-local.db) becomes the server's file. */
    private void prepareDynamoDir() throws IOException {
        if (Files.exists(dynamoDir()) && !Files.isDirectory(dynamoDir())) {
            return; // DynamoDB Local says "Invalid directory for database creation" in its log and exits
        }
        Files.createDirectories(dynamoDir());
        Path embedded = dynamoDir().resolve("dynamodb-local.db");
        Path shared = dynamoDir().resolve("shared-local-instance.db");
        if (Files.isRegularFile(embedded) && !Files.exists(shared)) {
            Files.move(embedded, shared);
        }
    }

    /** SIGTERM to every process (and its children), a grace period, then SIGKILL. */
    static void stop(List<Process> processes, Duration grace) {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (Process p : processes) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException ex) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    static List<String> flags(String flags) {
        return flags.isBlank() ? List.of() : Arrays.asList(flags.trim().split("\\s+"));
    }

}
