///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS software.amazon.awssdk:bom:2.54.15@pom
//DEPS info.picocli:picocli:4.7.7
//DEPS software.amazon.awssdk:dynamodb:2.54.15
//DEPS org.eclipse.jetty:jetty-proxy:12.1.10
//DEPS org.eclipse.jetty:jetty-server:12.1.10
//DEPS org.eclipse.jetty:jetty-client:12.1.10
//DEPS com.amazonaws:DynamoDBLocal:2.6.1
//DEPS org.apache.logging.log4j:log4j-api:2.25.4
//DEPS org.apache.logging.log4j:log4j-core:2.25.4
//DEPS org.slf4j:slf4j-api:2.0.17
//DEPS org.slf4j:slf4j-nop:2.0.17
//DEPS com.nimbusds:nimbus-jose-jwt:10.4
//SOURCES loader.java
//SOURCES lib/LocalIssuer.java
//SOURCES lib/LocalStack.java
//SOURCES lib/LocalGateway.java
//SOURCES lib/LocalSupervisor.java
//DESCRIPTION Run the whole app on this machine, entry point on http://localhost:8080: ./jbang scripts/dev.java

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dev", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs the whole app on this machine, each component its own process as in the cluster: DynamoDB Local",
            "(data kept in .data/dynamodb), db, s1, s2, and the entry point (gateway) that routes /api/v1/user/** to",
            "s1 and /api/v1/music/** to s2 as the cluster's nginx does. Builds the jars that are missing or older than",
            "their sources, waits until everything is ready, loads the sample data, and shows every log line prefixed",
            "with its component (each also in .dev/logs/<component>.log). A component that exits is restarted after",
            "10 s, 20 s, 40 s ... (at most 5 min), as kubelet does, while the others keep answering; one line says so.",
            "Tokens are checked as in the cluster: s1 signs with .data/s1-signing.pem, s2 checks with s1's JWK set, and",
            "db's callers present tokens from a local issuer (.data/callers/), refreshed every 10 minutes. Actuator:",
            "each service's port + 1000. Ctrl-C (or SIGTERM) stops everything it started.", ""},
        footer = {"", "Examples:",
            "  ./jbang scripts/dev.java",
            "  ./jbang scripts/dev.java --in-memory --port 9090",
            "",
            "Exit codes: 1 a port is busy, the build failed, a component was not ready in time, or (with --fail-fast)",
            "a component exited; 2 usage error. Stopped with Ctrl-C or SIGTERM it exits as the signal says (130 or 143)."})
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

    @Option(names = "--dynamodb-port", paramLabel = "PORT", defaultValue = "8000",
            description = "DynamoDB Local port (default: ${DEFAULT-VALUE}, as in minikube)")
    int dynamoPort;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".data",
            description = "Where DynamoDB Local's files, s1's signing key and the callers' tokens go (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--log-dir", paramLabel = "DIR", defaultValue = ".dev/logs",
            description = "Where each component's log is written (default: ${DEFAULT-VALUE})")
    Path logDir;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for every component to be ready (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--fail-fast", description = "Stop everything and exit 1 when a component exits, instead of restarting it (for scripts)")
    boolean failFast;

    @Option(names = "--skip-build", description = "Use the jars as they are; fail if one is missing")
    boolean skipBuild;

    @Option(names = "--skip-load", description = "Do not load the sample data")
    boolean skipLoad;

    PrintWriter out;
    PrintWriter err;
    LocalSupervisor supervisor;

    public static void main(String[] args) {
        System.exit(new CommandLine(new dev()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        Path root = root();
        if (root == null) {
            err.println("dev: no repository here (no mvnw and apps/ in " + Path.of("").toAbsolutePath()
                    + " or above): run it from your clone, e.g. ./jbang scripts/dev.java.");
            return 1;
        }
        LocalStack stack = new LocalStack(new LocalStack.Settings(ports(), LocalStack.Settings.builtJars(root),
                root.resolve(dataDir).normalize(), root.resolve(logDir).normalize(), inMemory, compatAuth,
                LocalStack.SERVICE_JVM, javaBin()));
        Map.Entry<Integer, String> busy = stack.busy();
        if (busy != null) {
            err.println(busyPort(busy.getKey(), busy.getValue()));
            return 1;
        }
        if (!jarsReady(root, List.of("db", "s1", "s2"))) {
            return 1;
        }

        stack.keepCallerTokensFresh();
        supervisor = new LocalSupervisor(stack, root, out, terminal() && System.getenv("NO_COLOR") == null);
        Runtime.getRuntime().addShutdownHook(new Thread(supervisor::stopAll, "dev-stop"));
        supervisor.startAll();
        String failure = supervisor.awaitReady(Duration.ofSeconds(timeoutSeconds));
        if (failure != null) {
            supervisor.stopAll();
            err.println(failure);
            return 1;
        }
        String loaded = skipLoad ? "sample data not loaded (--skip-load)" : load(root, stack);
        banner((System.nanoTime() - start) / 1e9, loaded, stack);

        while (!supervisor.stopping) {
            String exited = supervisor.check(failFast);
            if (exited != null) {
                supervisor.stopAll();
                err.println(exited);
                return 1;
            }
            Thread.sleep(300);
        }
        return 0;
    }

    /** The ports by component, each given once. */
    Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("gateway", port);
        ports.put("s1", s1Port);
        ports.put("s2", s2Port);
        ports.put("db", dbPort);
        ports.put(LocalStack.DYNAMODB_LOCAL, dynamoPort);
        Map<Integer, String> owners = new LinkedHashMap<>();
        ports.forEach((name, p) -> {
            List<Map.Entry<Integer, String>> own = new ArrayList<>(List.of(Map.entry(p, name)));
            if (List.of("db", "s1", "s2").contains(name)) {
                own.add(Map.entry(p + 1000, name + " management"));
            }
            for (Map.Entry<Integer, String> o : own) {
                String before = owners.putIfAbsent(o.getKey(), o.getValue());
                if (before != null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "port " + o.getKey() + " is given to both "
                            + label(before) + " and " + label(o.getValue()) + ": give each its own port (management ports are the port + 1000).");
                }
            }
        });
        return ports;
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

    /** One sentence naming the busy port, what should listen there, and the option that moves it. */
    static String busyPort(int port, String what) {
        String component = what.split(" ")[0];
        String option = switch (component) {
            case "gateway" -> "--port";
            case LocalStack.DYNAMODB_LOCAL -> "--dynamodb-port";
            default -> "--" + component + "-port";
        };
        return "dev: port " + port + " (" + label(what) + ") is busy: stop what listens there (an earlier"
                + " dev.java? see `ss -ltnp 'sport = :" + port + "'`) or pick another port with " + option + ".";
    }

    static String label(String component) {
        return component.equals("gateway") ? "the entry point" : component;
    }

    static boolean free(int port) {
        return LocalStack.free(port);
    }

    String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Builds the jars that are missing or older than their sources (unless --skip-build); false after saying why. */
    boolean jarsReady(Path root, List<String> modules) throws IOException, InterruptedException {
        List<String> stale = new ArrayList<>();
        for (String module : modules) {
            Path jar = LocalStack.Settings.builtJars(root).apply(module);
            if (skipBuild ? !Files.isRegularFile(jar) : stale(jar, inputs(root, module))) {
                stale.add("apps/" + module);
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

    /** Runs loader.java in this JVM against db, with the loader's token file; says what it did in one line. */
    String load(Path root, LocalStack stack) throws IOException {
        StringWriter text = new StringWriter();
        PrintWriter writer = new PrintWriter(text, true);
        CommandLine loader = new CommandLine(new loader());
        loader.setOut(writer);
        loader.setErr(writer);
        int code = loader.execute("--url", "http://localhost:" + dbPort, "--token-file", stack.issuer.tokenFile("loader").toString(), "--max-wait", "30",
                "--no-progress", "--users-file", root.resolve("scripts/data/users.csv").toString(),
                "--music-file", root.resolve("scripts/data/music.csv").toString());
        try (BufferedWriter log = Files.newBufferedWriter(stack.settings.logDir().resolve("loader.log"), StandardCharsets.UTF_8)) {
            for (String line : text.toString().lines().toList()) {
                supervisor.line("loader", line);
                log.write(line);
                log.newLine();
            }
        }
        String last = text.toString().lines().reduce((a, b) -> b).orElse("");
        return code == 0 ? "sample data loaded: " + last
                : "the sample data did not load fully (see the loader lines above); the app runs anyway";
    }

    void banner(double seconds, String loaded, LocalStack stack) {
        String gw = "http://localhost:" + port;
        StringBuilder b = new StringBuilder();
        b.append(bold(String.format("ready in %.1f s", seconds))).append(" (");
        for (LocalSupervisor.Running r : supervisor.running) {
            b.append(r == supervisor.running.get(0) ? "" : ", ").append(r.component.name()).append(' ')
                    .append(String.format("%.1f s", r.readyAfter / 1e9));
        }
        b.append("); ").append(loaded).append('\n');
        b.append("  entry point    ").append(gw).append("   /api/v1/user/** -> s1, /api/v1/music/** -> s2\n");
        for (LocalStack.Component c : stack.components()) {
            if (c.managementPort() > 0) {
                b.append("  ").append(String.format("%-15s", c.name())).append(c.url(c.readiness().replace("/readiness", "/health")))
                        .append("   metrics http://localhost:").append(c.managementPort()).append("/actuator/prometheus\n");
            }
        }
        b.append("  ").append(String.format("%-15s", LocalStack.DYNAMODB_LOCAL)).append("http://localhost:").append(dynamoPort)
                .append(inMemory ? " (in memory)" : " (data in " + stack.dynamoDir() + ")").append('\n');
        b.append("  logs           ").append(stack.settings.logDir()).append("/<component>.log\n");
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
        supervisor.say(b.toString());
    }

    String bold(String s) {
        return supervisor.colour ? "\033[1m" + s + "\033[0m" : s;
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

}
