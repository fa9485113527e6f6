///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS software.amazon.awssdk:bom:2.54.15@pom
//DEPS info.picocli:picocli:4.7.7
//DEPS org.eclipse.jetty:jetty-proxy:12.1.10
//DEPS org.eclipse.jetty:jetty-server:12.1.10
//DEPS org.eclipse.jetty:jetty-client:12.1.10
//DEPS com.amazonaws:DynamoDBLocal:2.6.1
//DEPS org.apache.logging.log4j:log4j-api:2.25.4
//DEPS org.apache.logging.log4j:log4j-core:2.25.4
//DEPS org.slf4j:slf4j-api:2.0.17
//DEPS org.slf4j:slf4j-nop:2.0.17
//DEPS com.nimbusds:nimbus-jose-jwt:10.4
//SOURCES lib/LocalIssuer.java
//SOURCES lib/LocalStack.java
//SOURCES lib/LocalGateway.java
//SOURCES lib/BenchReport.java
//SOURCES lib/BenchTargets.java
//SOURCES lib/BenchExceptions.java
//DESCRIPTION Benchmark the song and user reads at 16 connections, with each service's RSS: ./jbang scripts/bench.java

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Drives reads at a fixed number of keep-alive connections (closed loop:",
            "each connection sends its next request when the answer is in), one",
            "scenario after another, each warmed up, then measured:",
            "  music     GET /api/v1/music/{id} straight to s2",
            "  gateway   the same through the entry point (dev.java's gateway)",
            "  user      GET /api/v1/user/{id} straight to s1",
            "  reference DynamoDB Local's own GetItem on the same songs: the fixed",
            "            yardstick that makes two days comparable",
            "Signs up its own user and logs in first (POST /api/v1/user, PUT",
            "/api/v1/user/login) and sends the token; the user scenario reads that",
            "user (a user may read only their own record). Reports",
            "req/s, p50/p90/p99/max latency and errors, and for every component",
            "listening on this machine its max RSS and CPU per request, and the",
            "exceptions each service constructed per successful request (JFR);",
            "as text (stdout, bench.txt), bench.json and bench.svg in --out.",
            "--start runs the local stack itself, as dev.java does (one launcher:",
            "lib/LocalStack.java), one component after another, timing each start",
            "to readiness, and checks the issue's targets unless told otherwise.", ""},
        footer = {"", "Examples:",
            "  ./jbang scripts/bench.java --start --warmup 60",
            "  ./jbang scripts/bench.java --scenario music,gateway",
            "",
            "Exit codes: 0 done (and every target met); 1 the app could not be",
            "reached, login failed or no request succeeded; 2 usage error; 3 a",
            "target was missed or a request failed."})
public class bench implements Callable<Integer> {

    static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    static final List<String> SCENARIOS = List.of("reference", "music", "gateway", "user");

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL",
            description = "One base URL for the music and user reads, e.g. a deployment's entry point (default: s2 and s1 directly)")
    URI url;

    @Option(names = "--music-url", paramLabel = "URL", defaultValue = "http://127.0.0.1:30001",
            description = "Base URL for the song reads when --url is not given (default: ${DEFAULT-VALUE}, s2)")
    URI musicUrl;

    @Option(names = "--user-url", paramLabel = "URL", defaultValue = "http://127.0.0.1:30000",
            description = "Base URL for the user reads and the login when --url is not given (default: ${DEFAULT-VALUE}, s1)")
    URI userUrl;

    @Option(names = "--gateway-url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
            description = "The entry point, for the gateway scenario (default: ${DEFAULT-VALUE})")
    URI gatewayUrl;

    @Option(names = "--dynamodb-url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8000",
            description = "DynamoDB Local, for the reference scenario (default: ${DEFAULT-VALUE})")
    URI dynamodbUrl;

    @Option(names = "--scenario", paramLabel = "NAME", split = ",",
            description = "Which scenarios, in order: reference, music, gateway, user (default: all four with --start, else music,user)")
    List<String> scenarios;

    @Option(names = {"-c", "--connections"}, paramLabel = "N", defaultValue = "16",
            description = "Concurrent keep-alive connections (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "30",
            description = "Unmeasured load before each scenario, for the JIT (default: ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "30",
            description = "Measured time per scenario (default: ${DEFAULT-VALUE})")
    double duration;

    @Option(names = "--login", paramLabel = "USER_ID",
            description = "User id to log in as with its id alone, which only AUTH_COMPAT accepts (default: sign up a new user)")
    String loginId;

    @Option(names = "--token", paramLabel = "JWT", defaultValue = "${env:BENCH_TOKEN}",
            description = "Use this token instead of logging in [BENCH_TOKEN]")
    String token;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where music.csv and users.csv are (default: scripts/data)")
    Path dataDir;

    @Option(names = "--ports", paramLabel = "NAME=PORT", split = ",",
            defaultValue = "s1=30000,s2=30001,db=30002,gateway=8080,dynamodb-local=8000",
            description = "Components whose RSS and CPU to read from /proc, by listening port; --start uses these ports (default: ${DEFAULT-VALUE})")
    Map<String, Integer> ports;

    @Option(names = "--out", paramLabel = "DIR", description = "Where bench.txt, bench.json and bench.svg go (default: .bench)")
    Path out;

    @Option(names = "--label", paramLabel = "TEXT", defaultValue = "",
            description = "A note kept with the results, e.g. the JVM flags under test")
    String label;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "Per-request timeout; a request that takes longer counts as an error (default: ${DEFAULT-VALUE})")
    double timeout;

    @Option(names = "--start", description = "Start the local stack as dev.java does (DynamoDB Local in memory, db, s1, s2,"
            + " gateway; jars copied to --out), one after another, time each to readiness, load the sample data,"
            + " benchmark, stop it; the targets below apply with the issue's values unless given")
    boolean start;

    @Option(names = "--jvm-options", paramLabel = "FLAGS", defaultValue = LocalStack.SERVICE_JVM,
            description = "JVM flags of db, s1, s2 and DynamoDB Local for --start (default: ${DEFAULT-VALUE})")
    String jvmOptions;

    @Option(names = "--java", paramLabel = "PATH", description = "java for --start (default: the one running bench)")
    Path javaPath;

    @Option(names = "--no-exceptions", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Count the exceptions each service constructs while measured, with JFR through jcmd (default: on)")
    boolean exceptions;

    /** The --target-* options (exit 3 when one is missed); --start applies the issue's values to those not given. */
    @CommandLine.Mixin
    BenchTargets targets = new BenchTargets();

    PrintWriter stdout;
    PrintWriter stderr;

    public static void main(String[] args) {
        System.exit(new CommandLine(new bench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        stdout = spec.commandLine().getOut();
        stderr = spec.commandLine().getErr();
        if (connections < 1 || connections > 1024 || duration <= 0 || warmup < 0 || timeout <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--connections must be 1..1024, --duration and --timeout above 0, --warmup 0 or more.");
        }
        if (scenarios == null) {
            scenarios = start ? SCENARIOS : List.of("music", "user");
        }
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "unknown --scenario '" + s + "': use " + String.join(", ", SCENARIOS) + ".");
            }
        }
        if (start) {
            targets.applyIssueDefaults();
        }
        Path root = root();
        Path data = dataDir != null ? dataDir : (root != null ? root.resolve("scripts/data") : Path.of("scripts/data"));
        Path outDir = out != null ? out : (root != null ? root.resolve(".bench") : Path.of(".bench"));
        Map<String, List<String>> ids = new LinkedHashMap<>();
        try {
            ids.put("music", ids(data.resolve("music.csv")));
            ids.put("user", ids(data.resolve("users.csv")));
        } catch (IOException ex) {
            stderr.println("bench: cannot read the sample ids in " + data + " (" + ex.getMessage()
                    + "): run it from your clone or give --data-dir.");
            return 1;
        }
        Started stack = null;
        if (start) {
            if (root == null) {
                stderr.println("bench: --start needs the clone (apps/<name>/target/<name>.jar): run it from your clone.");
                return 1;
            }
            stack = new Started(this, root, outDir, data);
            String failure = stack.start();
            if (failure != null) {
                stack.stop();
                stderr.println(failure);
                return 1;
            }
        }
        try {
            return measure(ids, outDir, stack);
        } finally {
            if (stack != null) {
                stack.stop();
            }
        }
    }

    /** Where each scenario sends its requests. */
    URI base(String scenario) {
        if (start) {
            return switch (scenario) {
                case "music" -> local("s2");
                case "user" -> local("s1");
                case "gateway" -> local("gateway");
                default -> local(LocalStack.DYNAMODB_LOCAL);
            };
        }
        return switch (scenario) {
            case "music" -> url != null ? url : musicUrl;
            case "user" -> url != null ? url : userUrl;
            case "gateway" -> gatewayUrl;
            default -> dynamodbUrl;
        };
    }

    URI local(String component) {
        return URI.create("http://127.0.0.1:" + ports.get(component));
    }

    Integer measure(Map<String, List<String>> ids, Path outDir, Started stack) throws Exception {
        if ((token == null || token.isBlank()) && scenarios.stream().anyMatch(s -> !s.equals("reference"))) {
            String password = null;
            String who = loginId;
            if (who == null) {
                password = java.util.HexFormat.of().formatHex(java.security.SecureRandom.getSeed(12));
                who = signup(base("user"), password);
                if (who == null) {
                    return 1;
                }
                ids.put("user", List.of(who));
            }
            token = login(base("user"), who, password);
            if (token == null) {
                return 1;
            }
        }
        boolean tty = System.console() != null;
        Instant started = Instant.now();
        BenchReport report = new BenchReport(started, connections, warmup, duration, label, loadAverage());
        if (stack != null) {
            report.startupMillis.putAll(stack.readyMillis);
            report.startupLoad = stack.loadAtStart;
            report.startedWith = stack.describe();
        }
        for (String name : scenarios) {
            if (tty) {
                stderr.printf("bench: %s: %.0f s warm-up, then %.0f s measured at %d connections%n", name, warmup, duration, connections);
                stderr.flush();
            }
            Services services = new Services(ports);
            Scenario result = run(name, load(name, ids), services);
            if (result == null) {
                return 1;
            }
            report.scenarios.add(result);
        }
        report.loadAfter = loadAverage();
        report.targets = targets;
        List<String> missed = targets.missed(report);
        String text = report.text();
        stdout.print(text);
        stdout.flush();
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("bench.txt"), text);
        Files.writeString(outDir.resolve("bench.json"), report.json());
        Files.writeString(outDir.resolve("bench.svg"), report.svg());
        stdout.println("written: " + outDir.resolve("bench.txt") + ", bench.json, bench.svg");
        stdout.flush();
        if (!missed.isEmpty()) {
            stderr.println("bench: missed: " + String.join("; ", missed) + ".");
            return 3;
        }
        return 0;
    }

    /** What one scenario sends: the reads with the token, or DynamoDB Local's GetItem on the same song ids. */
    Load load(String scenario, Map<String, List<String>> ids) {
        URI base = base(scenario);
        String auth = "Bearer " + token;
        return switch (scenario) {
            case "user" -> Load.get(base, ids.get("user").stream().map(id -> "/api/v1/user/" + id).toList(), auth);
            case "reference" -> Load.getItem(base, "music", "music_id", ids.get("music"));
            default -> Load.get(base, ids.get("music").stream().map(id -> "/api/v1/music/" + id).toList(), auth);
        };
    }

    /** The clone's root: the nearest folder at or above the working directory with mvnw and apps/, or null. */
    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("apps"))) {
                return p;
            }
        }
        return null;
    }

    /** The UUIDs of a sample CSV: the last field of each row that has one. */
    static List<String> ids(Path csv) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
            String last = line.substring(line.lastIndexOf(',') + 1).strip();
            if (UUID.matcher(last).matches()) {
                ids.add(last.toLowerCase(Locale.ROOT));
            }
        }
        if (ids.isEmpty()) {
            throw new IOException("no UUIDs in " + csv.getFileName());
        }
        return ids;
    }

    /** A new user with this password (never printed); its id, or null after saying why. */
    String signup(URI base, String password) {
        String body = "{\"fname\":\"Bench\",\"lname\":\"Mark\",\"email\":\"bench@example.org\",\"password\":\"" + password + "\"}";
        try (Conn conn = new Conn(base, (int) (timeout * 1000))) {
            Response response = conn.send("POST", "/api/v1/user", null, body);
            java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"user_id\":\"([0-9a-f-]{36})\"").matcher(response.body);
            if (response.status == 200 && id.find()) {
                return id.group(1);
            }
            stderr.println("bench: signing up a user at " + base + " answered " + response.status
                    + ": start the app first (./jbang scripts/dev.java), or give --token.");
        } catch (IOException ex) {
            stderr.println("bench: cannot sign up at " + base + " (" + ex.getMessage() + "): start the app first"
                    + " (./jbang scripts/dev.java) or give --url / --user-url.");
        }
        return null;
    }

    /** The token from s1's login, or null after saying why. Never printed. */
    String login(URI base, String userId, String password) {
        String body = "{\"uid\":\"" + userId + "\"" + (password == null ? "" : ",\"password\":\"" + password + "\"") + "}";
        try (Conn conn = new Conn(base, (int) (timeout * 1000))) {
            Response response = conn.send("PUT", "/api/v1/user/login", null, body);
            if (response.status == 200 && !response.body.isBlank()) {
                return response.body.strip();
            }
            stderr.println("bench: login as " + userId + " at " + base + " answered " + response.status
                    + ": without --login bench signs up its own user; --login works only under AUTH_COMPAT; or give --token.");
        } catch (IOException ex) {
            stderr.println("bench: cannot log in at " + base + " (" + ex.getMessage() + "): start the app first"
                    + " (./jbang scripts/dev.java) or give --url / --user-url.");
        }
        return null;
    }

    /** Warm-up then measurement of one scenario; null after saying why when nothing answered. */
    Scenario run(String name, Load load, Services services) throws InterruptedException {
        if (warmup > 0) {
            drive(load, (long) (warmup * 1e9), null);
        }
        List<String> watched = switch (name) {
            case "user" -> List.of("s1", "db");
            case "reference" -> List.of();
            default -> List.of("s2", "db");
        };
        Map<String, BenchExceptions> recordings = new LinkedHashMap<>();
        if (exceptions) {
            for (String service : watched) {
                Long pid = services.pids.get(service);
                BenchExceptions recording = pid == null ? null : BenchExceptions.start(pid);
                if (recording != null) {
                    recordings.put(service, recording);
                }
            }
        }
        long cpuBefore = selfCpuTicks();
        services.before();
        Scenario result = new Scenario(name, load.base().toString());
        Services.Sampler sampler = services.sample();
        long start = System.nanoTime();
        Worker[] workers = drive(load, (long) (duration * 1e9), result);
        long elapsed = System.nanoTime() - start;
        sampler.finish();
        services.after();
        recordings.forEach((service, recording) -> result.exceptions.put(service, recording.stop()));
        result.finish(workers, elapsed, services, selfCpuTicks() - cpuBefore);
        if (result.ok == 0) {
            stderr.println("bench: no " + name + " request succeeded at " + load.base() + " (" + result.firstError
                    + "): check that the app runs and the sample data is loaded.");
            return null;
        }
        return result;
    }

    Worker[] drive(Load load, long nanos, Scenario record) throws InterruptedException {
        Worker[] workers = new Worker[connections];
        CountDownLatch done = new CountDownLatch(connections);
        long start = System.nanoTime();
        long end = start + nanos;
        for (int i = 0; i < connections; i++) {
            workers[i] = new Worker(load, i, start, end, record != null, (int) (timeout * 1000), done);
            Thread t = new Thread(workers[i], "bench-" + i);
            t.setDaemon(true);
            t.start();
        }
        done.await();
        return workers;
    }

    /**
     * One scenario's requests: method, paths, optional bodies, extra header lines, and the id each answer must contain.
     */
    record Load(URI base, String method, List<String> paths, List<String> bodies, String headers, List<String> expect) {
        static Load get(URI base, List<String> paths, String auth) {
            return new Load(base, "GET", paths, null, "Authorization: " + auth + "\r\n",
                    paths.stream().map(p -> p.substring(p.lastIndexOf('/') + 1)).toList());
        }

        /**
         * DynamoDB's GetItem as the SDK sends it. DynamoDB Local checks that a request is signed, not the signature,
         * so one fixed header serves every request: no signing work in the load generator.
         */
        static Load getItem(URI base, String table, String key, List<String> ids) {
            String headers = "X-Amz-Target: DynamoDB_20120810.GetItem\r\nX-Amz-Date: 20260101T000000Z\r\n"
                    + "Content-Type: application/x-amz-json-1.0\r\nAuthorization: AWS4-HMAC-SHA256 "
                    + "Credential=bench/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature="
                    + "0".repeat(64) + "\r\n";
            List<String> bodies = ids.stream().map(id -> "{\"TableName\":\"" + table + "\",\"Key\":{\"" + key + "\":{\"S\":\"" + id
                    + "\"}}}").toList();
            return new Load(base, "POST", java.util.Collections.nCopies(ids.size(), "/"), bodies, headers, ids);
        }
    }

    /**
     * The local stack started by bench itself (--start) through the launcher dev.java uses, from copies of the jars (a
     * rebuild in the clone cannot pull classes from under them); one component after another, each timed from process
     * start to its readiness 200.
     */
    static final class Started {
        final bench owner;
        final Path root;
        final Path dir;
        final Path data;
        final Map<String, Long> readyMillis = new LinkedHashMap<>();
        final List<Process> processes = new ArrayList<>();
        LocalStack stack;
        double loadAtStart;

        Started(bench owner, Path root, Path dir, Path data) {
            this.owner = owner;
            this.root = root;
            this.dir = dir;
            this.data = data;
        }

        String describe() {
            return owner.jvmOptions + " (java " + javaBin() + "), gateway " + LocalStack.GATEWAY_JVM
                    + ", DynamoDB Local in memory, AUTH_COMPAT=false";
        }

        String javaBin() {
            return owner.javaPath != null ? owner.javaPath.toString() : Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }

        /** Null when everything is ready and loaded, else one sentence saying what to do. */
        String start() throws IOException, InterruptedException {
            for (String name : List.of("db", "s1", "s2", "gateway", LocalStack.DYNAMODB_LOCAL)) {
                Path jar = LocalStack.Settings.builtJars(root).apply(name);
                boolean isJar = List.of("db", "s1", "s2").contains(name);
                if ((isJar && !Files.isRegularFile(jar)) || !owner.ports.containsKey(name)) {
                    return "bench: --start needs " + (isJar ? root.relativize(jar) + " and " : "") + "a port for " + name
                            + " in --ports: build with ./mvnw -q -B -ntp package -DskipTests -pl apps/db,apps/s1,apps/s2 -am"
                            + " and give every component a port.";
                }
            }
            Files.createDirectories(dir.resolve("jars"));
            for (String name : List.of("db", "s1", "s2")) {
                Files.copy(LocalStack.Settings.builtJars(root).apply(name), dir.resolve("jars/" + name + ".jar"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            stack = new LocalStack(new LocalStack.Settings(owner.ports, name -> dir.resolve("jars/" + name + ".jar"),
                    dir.resolve("data"), dir, true, false, owner.jvmOptions, javaBin()));
            Map.Entry<Integer, String> busy = stack.busy();
            if (busy != null) {
                return "bench: port " + busy.getKey() + " (" + busy.getValue() + ") is busy: stop what runs there (dev.java?) or give other --ports.";
            }
            loadAtStart = loadAverage();
            Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "bench-stop"));
            for (LocalStack.Component c : stack.components()) {
                Files.deleteIfExists(stack.log(c));
                long t0 = System.nanoTime();
                Process p = stack.start(c, root);
                processes.add(p);
                long deadline = t0 + 120_000_000_000L;
                while (!LocalStack.ready(c)) {
                    if (!p.isAlive()) {
                        return "bench: " + c.name() + " exited (code " + p.exitValue() + ") while starting: see " + stack.log(c) + ".";
                    }
                    if (System.nanoTime() > deadline) {
                        return "bench: " + c.name() + " was not ready within 120 s: see " + stack.log(c) + ".";
                    }
                    Thread.sleep(20);
                }
                readyMillis.put(c.name(), (System.nanoTime() - t0) / 1_000_000);
            }
            return load(URI.create("http://127.0.0.1:" + owner.ports.get("db")), stack.issuer.token("loader"));
        }

        /** The sample rows through db's /load, as the loader does; null when every row is in. */
        String load(URI db, String token) throws IOException {
            String basic = "Bearer " + token;
            try (Conn c = new Conn(db, 5000)) {
                for (String[] file : new String[][] {{"music.csv", "music", "Artist", "SongTitle"}, {"users.csv", "user", "fname", "lname", "email"}}) {
                    List<String> lines = Files.readAllLines(data.resolve(file[0]), StandardCharsets.UTF_8);
                    for (String line : lines.subList(1, lines.size())) {
                        String[] f = line.split(",", -1);
                        if (f.length != file.length - 1 || !UUID.matcher(f[f.length - 1].strip()).matches()) {
                            continue;
                        }
                        StringBuilder body = new StringBuilder("{\"objtype\":\"").append(file[1]).append("\",\"uuid\":")
                                .append(BenchReport.q(f[f.length - 1].strip()));
                        for (int i = 2; i < file.length; i++) {
                            body.append(',').append(BenchReport.q(file[i])).append(':').append(BenchReport.q(f[i - 2]));
                        }
                        Response r = c.send("POST", "/api/v1/datastore/load", null, body.append('}').toString(), basic);
                        if (r.status() != 200) {
                            return "bench: loading " + file[0] + " into db answered " + r.status() + ": see " + dir.resolve("db.log") + ".";
                        }
                    }
                }
            }
            return null;
        }

        synchronized void stop() {
            List<Process> all = new ArrayList<>(processes);
            java.util.Collections.reverse(all);
            LocalStack.stop(all, java.time.Duration.ofSeconds(15));
            processes.clear();
        }
    }

    /** One connection's closed loop: send, wait for the whole answer, record, repeat until the end. */
    static final class Worker implements Runnable {
        final Load load;
        final int offset;
        final long start;
        final long end;
        final boolean record;
        final int timeoutMillis;
        final CountDownLatch done;
        long[] latencies = new long[4096];
        int[] seconds = new int[4096];
        int count;
        long ok;
        long errors;
        final Map<String, Long> errorKinds = new LinkedHashMap<>();

        Worker(Load load, int offset, long start, long end, boolean record, int timeoutMillis, CountDownLatch done) {
            this.load = load;
            this.offset = offset;
            this.start = start;
            this.end = end;
            this.record = record;
            this.timeoutMillis = timeoutMillis;
            this.done = done;
        }

        @Override
        public void run() {
            Conn conn = null;
            try {
                for (int n = offset; System.nanoTime() < end; n++) {
                    int i = n % load.paths().size();
                    long t0 = System.nanoTime();
                    String error = null;
                    try {
                        if (conn == null) {
                            conn = new Conn(load.base(), timeoutMillis);
                        }
                        Response r = conn.request(load.method(), load.paths().get(i), load.headers(),
                                load.bodies() == null ? null : load.bodies().get(i));
                        if (r.status != 200) {
                            error = "HTTP " + r.status;
                        } else if (!r.body.contains(load.expect().get(i))) {
                            error = "200 without the id in the body";
                        }
                        if (r.close) {
                            conn.close();
                            conn = null;
                        }
                    } catch (IOException ex) {
                        error = ex.getClass().getSimpleName();
                        if (conn != null) {
                            conn.close();
                            conn = null;
                        }
                        if (ex instanceof java.net.ConnectException) {
                            sleep(50);
                        }
                    }
                    long t1 = System.nanoTime();
                    if (!record) {
                        continue;
                    }
                    if (error == null) {
                        ok++;
                    } else {
                        errors++;
                        errorKinds.merge(error, 1L, Long::sum);
                    }
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                        seconds = Arrays.copyOf(seconds, count * 2);
                    }
                    latencies[count] = t1 - t0;
                    seconds[count] = (int) ((t1 - start) / 1_000_000_000L);
                    count++;
                }
            } finally {
                if (conn != null) {
                    conn.close();
                }
                done.countDown();
            }
        }

        static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    record Response(int status, String body, boolean close) {}

    /** A minimal HTTP/1.1 client on one keep-alive socket: cheap on CPU, so the services get the cores. */
    static final class Conn implements Closeable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final String host;

        Conn(URI base, int timeoutMillis) throws IOException {
            if (!"http".equals(base.getScheme())) {
                throw new IOException("only http:// URLs are supported, not " + base);
            }
            int port = base.getPort() > 0 ? base.getPort() : 80;
            this.host = base.getHost() + ":" + port;
            this.socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(base.getHost(), port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            this.in = new BufferedInputStream(socket.getInputStream(), 16384);
            this.out = socket.getOutputStream();
        }

        Response send(String method, String path, String auth, String body) throws IOException {
            return send(method, path, auth, body, null);
        }

        Response send(String method, String path, String auth, String body, String rawAuthorization) throws IOException {
            if (rawAuthorization != null) {
                auth = rawAuthorization;
            }
            String headers = (auth != null ? "Authorization: " + auth + "\r\n" : "")
                    + (body != null ? "Content-Type: application/json\r\n" : "");
            return request(method, path, headers, body);
        }

        /** {@code headers}: whole header lines, each ending in CRLF. */
        Response request(String method, String path, String headers, String body) throws IOException {
            StringBuilder request = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                    .append(host).append("\r\nAccept: */*\r\nUser-Agent: bench\r\n").append(headers);
            byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                request.append("Content-Length: ").append(payload.length).append("\r\n");
            }
            request.append("\r\n");
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(payload);
            out.flush();
            return read();
        }

        Response read() throws IOException {
            String statusLine = line();
            if (statusLine == null) {
                throw new java.io.EOFException("connection closed before an answer");
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            long length = -1;
            boolean chunked = false;
            boolean close = parts[0].equals("HTTP/1.0");
            for (String h; (h = line()) != null && !h.isEmpty(); ) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close") || (close && !value.equalsIgnoreCase("keep-alive"));
                    default -> { }
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                while (true) {
                    String size = line();
                    if (size == null) {
                        throw new java.io.EOFException("connection closed in a chunked body");
                    }
                    int semi = size.indexOf(';');
                    int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                    if (n == 0) {
                        while ((size = line()) != null && !size.isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    body.write(in.readNBytes(n));
                    line();
                }
            } else if (length >= 0) {
                byte[] bytes = in.readNBytes((int) length);
                if (bytes.length < length) {
                    throw new java.io.EOFException("connection closed in the body");
                }
                body.write(bytes);
            } else if (status != 204 && status != 304) {
                body.write(in.readAllBytes());
                close = true;
            }
            return new Response(status, body.toString(StandardCharsets.UTF_8), close);
        }

        String line() throws IOException {
            StringBuilder b = new StringBuilder(64);
            for (int c; (c = in.read()) != -1; ) {
                if (c == '\n') {
                    int n = b.length();
                    return (n > 0 && b.charAt(n - 1) == '\r') ? b.substring(0, n - 1) : b.toString();
                }
                b.append((char) c);
            }
            return b.length() == 0 ? null : b.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    /** The processes listening on the given ports on this machine, found through /proc. */
    static final class Services {
        final Map<String, Integer> ports;
        final Map<String, Long> pids = new LinkedHashMap<>();
        final Map<String, Long> cpuBefore = new LinkedHashMap<>();
        final Map<String, Long> cpuTicks = new LinkedHashMap<>();
        final Map<String, Long> rssMaxKb = new LinkedHashMap<>();
        final Map<String, String> jvmFlags = new LinkedHashMap<>();

        Services(Map<String, Integer> ports) {
            this.ports = ports;
            Map<Integer, Long> byPort = listeners(new HashSet<>(ports.values()));
            ports.forEach((name, port) -> {
                Long pid = byPort.get(port);
                if (pid != null) {
                    pids.put(name, pid);
                    jvmFlags.put(name, flags(pid));
                }
            });
        }

        void before() {
            pids.forEach((name, pid) -> cpuBefore.put(name, cpuTicks(pid)));
        }

        void after() {
            pids.forEach((name, pid) -> {
                long after = cpuTicks(pid);
                Long before = cpuBefore.get(name);
                if (after >= 0 && before != null && before >= 0) {
                    cpuTicks.put(name, after - before);
                }
                rssMaxKb.merge(name, rssKb(pid), Math::max);
            });
        }

        /** Reads every service's VmRSS once a second (and once at the start) until stopped; keeps the maximum. */
        Sampler sample() {
            Sampler s = new Sampler();
            s.setDaemon(true);
            s.start();
            return s;
        }

        final class Sampler extends Thread {
            volatile boolean running = true;

            Sampler() {
                super("bench-rss");
            }

            @Override
            public void run() {
                while (running) {
                    pids.forEach((name, pid) -> rssMaxKb.merge(name, rssKb(pid), Math::max));
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ex) {
                        return;
                    }
                }
            }

            void finish() throws InterruptedException {
                running = false;
                interrupt();
                join();
            }
        }

        /** port -> pid of the process with a listening TCP socket on it (IPv4 or IPv6). */
        static Map<Integer, Long> listeners(Set<Integer> wanted) {
            Map<Long, Integer> inodes = new LinkedHashMap<>();
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                try {
                    for (String line : Files.readAllLines(Path.of(table))) {
                        String[] f = line.trim().split("\\s+");
                        if (f.length < 10 || !f[3].equals("0A")) {
                            continue;
                        }
                        String local = f[1];
                        int port = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
                        if (wanted.contains(port)) {
                            inodes.put(Long.parseLong(f[9]), port);
                        }
                    }
                } catch (IOException | RuntimeException ex) {
                    // no /proc (not Linux) or no IPv6: no RSS then
                }
            }
            Map<Integer, Long> result = new LinkedHashMap<>();
            if (inodes.isEmpty()) {
                return result;
            }
            try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
                for (Path proc : procs) {
                    try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                        for (Path fd : fds) {
                            String target = Files.readSymbolicLink(fd).toString();
                            if (target.startsWith("socket:[")) {
                                Integer port = inodes.get(Long.parseLong(target.substring(8, target.length() - 1)));
                                if (port != null) {
                                    result.putIfAbsent(port, Long.parseLong(proc.getFileName().toString()));
                                }
                            }
                        }
                    } catch (IOException | RuntimeException ex) {
                        // gone, or not ours to read
                    }
                }
            } catch (IOException ex) {
                // no /proc
            }
            return result;
        }

        static long rssKb(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException ex) {
                // the process is gone
            }
            return -1;
        }

        /** utime + stime of a process, in clock ticks, or -1. */
        static long cpuTicks(long pid) {
            return cpuTicksOf(Path.of("/proc/" + pid + "/stat"));
        }

        static long cpuTicksOf(Path stat) {
            try {
                String s = Files.readString(stat);
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException | RuntimeException ex) {
                return -1;
            }
        }

        /** The -X options of a JVM's command line (what the benchmark ran against); nothing else, no secrets. */
        static String flags(long pid) {
            try {
                String[] args = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).split("\0");
                List<String> flags = new ArrayList<>();
                for (String a : args) {
                    if (a.startsWith("-X") && !a.contains("=/") && !a.contains(":/")) {
                        flags.add(a);
                    }
                }
                return String.join(" ", flags);
            } catch (IOException | RuntimeException ex) {
                return "";
            }
        }
    }

    static long selfCpuTicks() {
        return Services.cpuTicksOf(Path.of("/proc/self/stat"));
    }

    /** The 1-minute load average, or -1 where there is no /proc/loadavg. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException ex) {
            return -1;
        }
    }

    /** One scenario's numbers. */
    static final class Scenario {
        final String name;
        final String url;
        long ok;
        long errors;
        final Map<String, Long> errorKinds = new LinkedHashMap<>();
        String firstError = "no answer";
        double seconds;
        double rps;
        double p50;
        double p90;
        double p99;
        double max;
        double mean;
        double[] perSecondRps = new double[0];
        double[] perSecondP50 = new double[0];
        double[] perSecondP99 = new double[0];
        final Map<String, Long> rssMaxKb = new LinkedHashMap<>();
        final Map<String, Double> cpuMsPerRequest = new LinkedHashMap<>();
        final Map<String, String> jvmFlags = new LinkedHashMap<>();
        /** Exceptions each watched service constructed while measured (JFR), by service; absent when not recorded. */
        final Map<String, List<String>> exceptions = new LinkedHashMap<>();

        Scenario(String name, String url) {
            this.name = name;
            this.url = url;
        }

        void finish(Worker[] workers, long elapsedNanos, Services services, long benchTicks) {
            int total = 0;
            for (Worker w : workers) {
                ok += w.ok;
                errors += w.errors;
                w.errorKinds.forEach((k, v) -> errorKinds.merge(k, v, Long::sum));
                total += w.count;
            }
            if (!errorKinds.isEmpty()) {
                firstError = errorKinds.keySet().iterator().next();
            }
            long[] all = new long[total];
            int buckets = (int) Math.ceil(elapsedNanos / 1e9);
            List<List<Long>> perSecond = new ArrayList<>();
            for (int i = 0; i < buckets; i++) {
                perSecond.add(new ArrayList<>());
            }
            int i = 0;
            for (Worker w : workers) {
                for (int k = 0; k < w.count; k++) {
                    all[i++] = w.latencies[k];
                    int s = Math.min(w.seconds[k], buckets - 1);
                    if (s >= 0) {
                        perSecond.get(s).add(w.latencies[k]);
                    }
                }
            }
            Arrays.sort(all);
            seconds = elapsedNanos / 1e9;
            rps = (ok + errors) / seconds;
            p50 = ms(percentile(all, 50));
            p90 = ms(percentile(all, 90));
            p99 = ms(percentile(all, 99));
            max = total == 0 ? 0 : ms(all[total - 1]);
            mean = total == 0 ? 0 : ms((long) Arrays.stream(all).average().orElse(0));
            // whole seconds only: the last, partial second would show as a dip
            int whole = Math.max(1, (int) Math.floor(seconds));
            perSecondRps = new double[whole];
            perSecondP50 = new double[whole];
            perSecondP99 = new double[whole];
            for (int s = 0; s < whole && s < buckets; s++) {
                long[] l = perSecond.get(s).stream().mapToLong(Long::longValue).sorted().toArray();
                perSecondRps[s] = l.length;
                perSecondP50[s] = ms(percentile(l, 50));
                perSecondP99[s] = ms(percentile(l, 99));
            }
            long requests = Math.max(1, ok + errors);
            double tickMs = 1000.0 / 100; // USER_HZ is 100 on Linux
            services.pids.keySet().forEach(name -> {
                Long kb = services.rssMaxKb.get(name);
                if (kb != null && kb > 0) {
                    rssMaxKb.put(name, kb);
                }
                Long ticks = services.cpuTicks.get(name);
                if (ticks != null) {
                    cpuMsPerRequest.put(name, ticks * tickMs / requests);
                }
            });
            if (benchTicks >= 0) {
                cpuMsPerRequest.put("bench", benchTicks * tickMs / requests);
            }
            jvmFlags.putAll(services.jvmFlags);
        }

        static long percentile(long[] sorted, double p) {
            if (sorted.length == 0) {
                return 0;
            }
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }

        static double ms(long nanos) {
            return nanos / 1e6;
        }
    }
}
