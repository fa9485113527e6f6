///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS com.nimbusds:nimbus-jose-jwt:10.4
//SOURCES lib/LocalIssuer.java
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
            "Drives GET /api/v1/music/{id} and GET /api/v1/user/{id} over the sample",
            "ids (scripts/data/*.csv) at a fixed number of keep-alive connections",
            "(closed loop: each connection sends its next request when the answer is",
            "in). Signs up its own user and logs in first (POST /api/v1/user, PUT",
            "/api/v1/user/login) and sends the token, so it works with and without",
            "AUTH_COMPAT; the user scenario reads that user (a user may read only",
            "their own record). Each scenario warms up, then is",
            "measured. Reports req/s, p50/p90/p99/max latency and errors, and for",
            "every service listening on this machine its max RSS while measured and",
            "its CPU per request; as text (stdout, bench.txt), bench.json and a chart",
            "(bench.svg) in --out. Start the app first (./jbang scripts/dev.java),",
            "point --url at a deployment, or let --start run it.", ""},
        footer = {"", "Examples:",
            "  ./jbang scripts/bench.java",
            "  ./jbang scripts/bench.java --url http://localhost:8080 --scenario music",
            "  ./jbang scripts/bench.java --start --warmup 60 --target-rps 2000 \\",
            "      --target-p99 30 --target-rss 300",
            "",
            "Exit codes: 0 done (and every --target met); 1 the app could not be",
            "reached, login failed or no request succeeded; 2 usage error; 3 a",
            "--target-rps/--target-p99/--target-rss was missed or a request failed."})
public class bench implements Callable<Integer> {

    static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL",
            description = "One base URL for both reads, e.g. the entry point http://localhost:8080 (default: s2 and s1 directly)")
    URI url;

    @Option(names = "--music-url", paramLabel = "URL", defaultValue = "http://127.0.0.1:30001",
            description = "Base URL for the song reads when --url is not given (default: ${DEFAULT-VALUE}, s2)")
    URI musicUrl;

    @Option(names = "--user-url", paramLabel = "URL", defaultValue = "http://127.0.0.1:30000",
            description = "Base URL for the user reads and the login when --url is not given (default: ${DEFAULT-VALUE}, s1)")
    URI userUrl;

    @Option(names = "--scenario", paramLabel = "NAME", split = ",", defaultValue = "music,user",
            description = "Which reads, in order: music, user (default: ${DEFAULT-VALUE})")
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

    @Option(names = "--ports", paramLabel = "NAME=PORT", split = ",", defaultValue = "s1=30000,s2=30001,db=30002",
            description = "Services whose RSS and CPU to read from /proc, by listening port (default: ${DEFAULT-VALUE})")
    Map<String, Integer> ports;

    @Option(names = "--out", paramLabel = "DIR", description = "Where bench.txt, bench.json and bench.svg go (default: .bench)")
    Path out;

    @Option(names = "--label", paramLabel = "TEXT", defaultValue = "",
            description = "A note kept with the results, e.g. the JVM flags under test")
    String label;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "Per-request timeout; a request that takes longer counts as an error (default: ${DEFAULT-VALUE})")
    double timeout;

    @Option(names = "--start", description = "Start db, s1, s2 from apps/<name>/target/<name>.jar (copied to --out),"
            + " one after another, in-memory DynamoDB Local, tokens checked; time each start-up (process start to"
            + " readiness 200), load the sample data, benchmark, stop them")
    boolean start;

    @Option(names = "--jvm-options", paramLabel = "FLAGS", defaultValue = "-XX:+UseSerialGC -Xms32m -Xmx256m",
            description = "JVM flags for --start (default: ${DEFAULT-VALUE})")
    String jvmOptions;

    @Option(names = "--java", paramLabel = "PATH", description = "java for --start (default: the one running bench)")
    Path javaPath;

    @Option(names = "--target-rps", paramLabel = "N", description = "Exit 3 unless every scenario reaches N requests/s")
    Double targetRps;

    @Option(names = "--target-p99", paramLabel = "MS", description = "Exit 3 unless every scenario's p99 is at most MS")
    Double targetP99;

    @Option(names = "--target-rss", paramLabel = "MB", description = "Exit 3 unless every service's max RSS is at most MB")
    Double targetRss;

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
        for (String s : scenarios) {
            if (!s.equals("music") && !s.equals("user")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown --scenario '" + s + "': use music, user or both.");
            }
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
        URI music = url != null ? url : musicUrl;
        URI user = url != null ? url : userUrl;
        Stack stack = null;
        if (start) {
            if (root == null) {
                stderr.println("bench: --start needs the clone (apps/<name>/target/<name>.jar): run it from your clone.");
                return 1;
            }
            stack = new Stack(this, root, outDir, data);
            String failure = stack.start();
            if (failure != null) {
                stack.stop();
                stderr.println(failure);
                return 1;
            }
            music = URI.create("http://127.0.0.1:" + ports.get("s2"));
            user = URI.create("http://127.0.0.1:" + ports.get("s1"));
        }
        try {
            return measure(music, user, ids, outDir, stack);
        } finally {
            if (stack != null) {
                stack.stop();
            }
        }
    }

    Integer measure(URI music, URI user, Map<String, List<String>> ids, Path outDir, Stack stack) throws Exception {
        if (token == null || token.isBlank()) {
            String password = null;
            String who = loginId;
            if (who == null) {
                password = java.util.HexFormat.of().formatHex(java.security.SecureRandom.getSeed(12));
                who = signup(user, password);
                if (who == null) {
                    return 1;
                }
                ids.put("user", List.of(who));
            }
            token = login(user, who, password);
            if (token == null) {
                return 1;
            }
        }
        boolean tty = System.console() != null;
        Instant started = Instant.now();
        Report report = new Report(started, connections, warmup, duration, label, loadAverage());
        if (stack != null) {
            report.startupMillis.putAll(stack.readyMillis);
            report.startupLoad = stack.loadAtStart;
            report.startedWith = stack.describe();
        }
        for (String name : scenarios) {
            URI base = name.equals("music") ? music : user;
            String prefix = name.equals("music") ? "/api/v1/music/" : "/api/v1/user/";
            List<String> paths = ids.get(name).stream().map(id -> prefix + id).toList();
            if (tty) {
                stderr.printf("bench: %s: %.0f s warm-up, then %.0f s measured at %d connections%n", name, warmup, duration, connections);
                stderr.flush();
            }
            Services services = new Services(ports);
            Scenario result = run(name, base, paths, services);
            if (result == null) {
                return 1;
            }
            report.scenarios.add(result);
        }
        report.loadAfter = loadAverage();
        String text = report.text();
        stdout.print(text);
        stdout.flush();
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve("bench.txt"), text);
        Files.writeString(outDir.resolve("bench.json"), report.json());
        Files.writeString(outDir.resolve("bench.svg"), report.svg());
        stdout.println("written: " + outDir.resolve("bench.txt") + ", bench.json, bench.svg");
        stdout.flush();
        List<String> missed = report.missed(targetRps, targetP99, targetRss);
        if (!missed.isEmpty()) {
            stderr.println("bench: missed: " + String.join("; ", missed) + ".");
            return 3;
        }
        return 0;
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
    Scenario run(String name, URI base, List<String> paths, Services services) throws InterruptedException {
        String auth = "Bearer " + token;
        if (warmup > 0) {
            drive(base, paths, auth, (long) (warmup * 1e9), null);
        }
        long cpuBefore = selfCpuTicks();
        services.before();
        Scenario result = new Scenario(name, base.toString());
        Services.Sampler sampler = services.sample();
        long start = System.nanoTime();
        Worker[] workers = drive(base, paths, auth, (long) (duration * 1e9), result);
        long elapsed = System.nanoTime() - start;
        sampler.finish();
        services.after();
        result.finish(workers, elapsed, services, selfCpuTicks() - cpuBefore);
        if (result.ok == 0) {
            stderr.println("bench: no " + name + " read succeeded at " + base + " (" + result.firstError
                    + "): check that the app runs and the sample data is loaded.");
            return null;
        }
        return result;
    }

    Worker[] drive(URI base, List<String> paths, String auth, long nanos, Scenario record) throws InterruptedException {
        Worker[] workers = new Worker[connections];
        CountDownLatch done = new CountDownLatch(connections);
        long start = System.nanoTime();
        long end = start + nanos;
        for (int i = 0; i < connections; i++) {
            workers[i] = new Worker(base, paths, auth, i, start, end, record != null, (int) (timeout * 1000), done);
            Thread t = new Thread(workers[i], "bench-" + i);
            t.setDaemon(true);
            t.start();
        }
        done.await();
        return workers;
    }

    /**
     * db, s1 and s2 started by bench itself (--start): from copies of the jars, so a rebuild in the clone cannot pull
     * classes from under them; one after another, each timed from process start to its readiness 200.
     */
    static final class Stack {
        final bench owner;
        final Path root;
        final Path dir;
        final Path data;
        final Map<String, Long> readyMillis = new LinkedHashMap<>();
        final List<Process> processes = new ArrayList<>();
        double loadAtStart;

        Stack(bench owner, Path root, Path dir, Path data) {
            this.owner = owner;
            this.root = root;
            this.dir = dir;
            this.data = data;
        }

        String describe() {
            return owner.jvmOptions + " (java " + javaBin() + "), DB_IN_MEMORY=true, AUTH_COMPAT=false";
        }

        String javaBin() {
            return owner.javaPath != null ? owner.javaPath.toString() : Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }

        /** Null when all three are ready and loaded, else one sentence saying what to do. */
        String start() throws IOException, InterruptedException {
            Files.createDirectories(dir.resolve("jars"));
            for (String name : List.of("db", "s1", "s2")) {
                Path jar = root.resolve("apps/" + name + "/target/" + name + ".jar");
                if (!Files.isRegularFile(jar) || !owner.ports.containsKey(name)) {
                    return "bench: --start needs " + root.relativize(jar) + " and a port for " + name + " in --ports: build with"
                            + " ./mvnw -q -B -ntp package -DskipTests -pl apps/db,apps/s1,apps/s2 -am.";
                }
                Files.copy(jar, dir.resolve("jars/" + name + ".jar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            // tokens as under dev.java: s1 signs with its own key, db trusts a local issuer's callers
            Files.deleteIfExists(dir.resolve("s1-signing.pem"));
            Path key = LocalIssuer.signingKey(dir.resolve("s1-signing.pem"));
            LocalIssuer issuer = LocalIssuer.create(dir.resolve("callers"));
            loadAtStart = loadAverage();
            Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "bench-stop"));
            for (String name : List.of("db", "s1", "s2")) {
                int port = owner.ports.get(name);
                if (!Services.listeners(Set.of(port)).isEmpty()) {
                    return "bench: port " + port + " (" + name + ") is busy: stop what runs there (dev.java?) or give other --ports.";
                }
                List<String> argv = new ArrayList<>(List.of(javaBin()));
                argv.addAll(Arrays.asList(owner.jvmOptions.trim().split("\\s+")));
                argv.addAll(List.of("-jar", dir.resolve("jars/" + name + ".jar").toString()));
                ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                        .redirectOutput(dir.resolve(name + ".log").toFile());
                Map<String, String> env = pb.environment();
                env.keySet().removeIf(k -> k.startsWith("DB_") || k.startsWith("AUTH_") || k.startsWith("SERVER_")
                        || k.startsWith("MANAGEMENT_"));
                env.put("SERVER_PORT", String.valueOf(port));
                env.put("MANAGEMENT_SERVER_PORT", String.valueOf(port + 1000));
                env.put("DDB_LOCAL_TELEMETRY", "0");
                env.put("DB_IN_MEMORY", "true");
                env.put("DB_DATA_DIR", dir.resolve("dynamodb").toString());
                env.put("DB_CALLER_JWKS_URI", issuer.jwks().toUri().toString());
                env.put("DB_CALLER_ISSUER", LocalIssuer.ISSUER);
                env.put("DB_URL", "http://127.0.0.1:" + owner.ports.get("db"));
                env.put("DB_TOKEN_FILE", issuer.writeToken(name).toString());
                env.put("AUTH_SIGNING_KEY_FILE", key.toString());
                env.put("AUTH_JWKS_URI", "http://127.0.0.1:" + owner.ports.get("s1") + "/api/v1/user/.well-known/jwks.json");
                env.put("AUTH_COMPAT", "false");
                String prefix = switch (name) {
                    case "db" -> "/api/v1/datastore";
                    case "s1" -> "/api/v1/user";
                    default -> "/api/v1/music";
                };
                long t0 = System.nanoTime();
                Process p = pb.start();
                processes.add(p);
                URI base = URI.create("http://127.0.0.1:" + port);
                long deadline = t0 + 120_000_000_000L;
                while (true) {
                    if (!p.isAlive()) {
                        return "bench: " + name + " exited (code " + p.exitValue() + ") while starting: see " + dir.resolve(name + ".log") + ".";
                    }
                    try (Conn c = new Conn(base, 1000)) {
                        if (c.send("GET", prefix + "/readiness", null, null).status() == 200) {
                            break;
                        }
                    } catch (IOException notYet) {
                        // not listening yet
                    }
                    if (System.nanoTime() > deadline) {
                        return "bench: " + name + " was not ready within 120 s: see " + dir.resolve(name + ".log") + ".";
                    }
                    Thread.sleep(20);
                }
                readyMillis.put(name, (System.nanoTime() - t0) / 1_000_000);
            }
            return load(URI.create("http://127.0.0.1:" + owner.ports.get("db")), issuer.token("loader"));
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
                                .append(Report.q(f[f.length - 1].strip()));
                        for (int i = 2; i < file.length; i++) {
                            body.append(',').append(Report.q(file[i])).append(':').append(Report.q(f[i - 2]));
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
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                try {
                    if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                    }
                } catch (InterruptedException ex) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
            processes.clear();
        }
    }

    /** One connection's closed loop: send, wait for the whole answer, record, repeat until the end. */
    static final class Worker implements Runnable {
        final URI base;
        final List<String> paths;
        final String auth;
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

        Worker(URI base, List<String> paths, String auth, int offset, long start, long end, boolean record, int timeoutMillis,
                CountDownLatch done) {
            this.base = base;
            this.paths = paths;
            this.auth = auth;
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
                    String path = paths.get(n % paths.size());
                    long t0 = System.nanoTime();
                    String error = null;
                    try {
                        if (conn == null) {
                            conn = new Conn(base, timeoutMillis);
                        }
                        Response r = conn.send("GET", path, auth, null);
                        if (r.status != 200) {
                            error = "HTTP " + r.status;
                        } else if (!r.body.contains(path.substring(path.lastIndexOf('/') + 1))) {
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
            StringBuilder request = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                    .append(host).append("\r\nAccept: */*\r\nUser-Agent: bench\r\n");
            if (auth != null) {
                request.append("Authorization: ").append(auth).append("\r\n");
            }
            byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                request.append("Content-Type: application/json\r\nContent-Length: ").append(payload.length).append("\r\n");
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

    /** All scenarios of one run, and how to write them. */
    static final class Report {
        final Instant started;
        final int connections;
        final double warmup;
        final double duration;
        final String label;
        final double loadBefore;
        double loadAfter;
        final List<Scenario> scenarios = new ArrayList<>();
        final Map<String, Long> startupMillis = new LinkedHashMap<>();
        double startupLoad = -1;
        String startedWith = "";

        Report(Instant started, int connections, double warmup, double duration, String label, double loadBefore) {
            this.started = started;
            this.connections = connections;
            this.warmup = warmup;
            this.duration = duration;
            this.label = label;
            this.loadBefore = loadBefore;
        }

        String when() {
            return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(started);
        }

        String machine() {
            return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + ", bench on Java " + System.getProperty("java.version");
        }

        String text() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "bench %s, %s; %d connections, %.0f s warm-up, %.0f s measured per scenario;"
                    + " load average %.2f before, %.2f after%n", when(), machine(), connections, warmup, duration, loadBefore, loadAfter));
            if (!label.isBlank()) {
                b.append("label: ").append(label).append('\n');
            }
            if (!startupMillis.isEmpty()) {
                List<String> parts = new ArrayList<>();
                startupMillis.forEach((n, ms) -> parts.add(n + " " + ms + " ms"));
                b.append(String.format(Locale.ROOT, "start-up, process start to readiness 200 (one after another, load average %.2f"
                        + " at the first): %s%n", startupLoad, String.join(", ", parts)));
                b.append("started with: ").append(startedWith).append('\n');
            }
            b.append(String.format(Locale.ROOT, "%-6s %10s %9s %9s %9s %9s %9s  %s%n", "read", "req/s", "p50 ms", "p90 ms",
                    "p99 ms", "max ms", "errors", "url"));
            for (Scenario s : scenarios) {
                b.append(String.format(Locale.ROOT, "%-6s %10.0f %9.1f %9.1f %9.1f %9.1f %9d  %s%n", s.name, s.rps, s.p50, s.p90,
                        s.p99, s.max, s.errors, s.url));
            }
            for (Scenario s : scenarios) {
                if (!s.errorKinds.isEmpty()) {
                    b.append(s.name).append(" errors: ").append(s.errorKinds).append('\n');
                }
                List<String> parts = new ArrayList<>();
                s.rssMaxKb.forEach((name, kb) -> parts.add(String.format(Locale.ROOT, "%s %.0f MB", name, kb / 1024.0)));
                b.append(s.name).append(" max RSS: ").append(parts.isEmpty() ? "n/a (no service listening on --ports here)"
                        : String.join(", ", parts)).append('\n');
                List<String> cpu = new ArrayList<>();
                s.cpuMsPerRequest.forEach((name, ms) -> cpu.add(String.format(Locale.ROOT, "%s %.3f", name, ms)));
                b.append(s.name).append(" CPU ms per request: ").append(String.join(", ", cpu)).append('\n');
            }
            if (!scenarios.isEmpty() && !scenarios.get(0).jvmFlags.isEmpty()) {
                b.append("JVM flags: ");
                List<String> parts = new ArrayList<>();
                scenarios.get(0).jvmFlags.forEach((n, f) -> parts.add(n + " [" + f + "]"));
                b.append(String.join(", ", parts)).append('\n');
            }
            return b.toString();
        }

        List<String> missed(Double targetRps, Double targetP99, Double targetRss) {
            List<String> missed = new ArrayList<>();
            for (Scenario s : scenarios) {
                if (s.errors > 0) {
                    missed.add(String.format(Locale.ROOT, "%s had %d errors", s.name, s.errors));
                }
                if (targetRps != null && s.rps < targetRps) {
                    missed.add(String.format(Locale.ROOT, "%s %.0f req/s < %.0f", s.name, s.rps, targetRps));
                }
                if (targetP99 != null && s.p99 > targetP99) {
                    missed.add(String.format(Locale.ROOT, "%s p99 %.1f ms > %.1f", s.name, s.p99, targetP99));
                }
                if (targetRss != null) {
                    s.rssMaxKb.forEach((name, kb) -> {
                        if (kb / 1024.0 > targetRss) {
                            missed.add(String.format(Locale.ROOT, "%s RSS %.0f MB > %.0f (%s)", name, kb / 1024.0, targetRss, s.name));
                        }
                    });
                }
            }
            return missed;
        }

        String json() {
            StringBuilder b = new StringBuilder("{\n");
            b.append("  \"started\": ").append(q(started.toString())).append(",\n");
            b.append("  \"machine\": ").append(q(machine())).append(",\n");
            b.append("  \"connections\": ").append(connections).append(",\n");
            b.append("  \"warmup_seconds\": ").append(num(warmup)).append(",\n");
            b.append("  \"duration_seconds\": ").append(num(duration)).append(",\n");
            b.append("  \"label\": ").append(q(label)).append(",\n");
            b.append("  \"load_average_before\": ").append(num(loadBefore)).append(",\n");
            b.append("  \"load_average_after\": ").append(num(loadAfter)).append(",\n");
            b.append("  \"startup_ms\": ").append(object(startupMillis, String::valueOf)).append(",\n");
            b.append("  \"startup_load_average\": ").append(num(startupLoad)).append(",\n");
            b.append("  \"started_with\": ").append(q(startedWith)).append(",\n");
            b.append("  \"scenarios\": [");
            for (int i = 0; i < scenarios.size(); i++) {
                Scenario s = scenarios.get(i);
                b.append(i == 0 ? "\n" : ",\n").append("    {\n");
                b.append("      \"name\": ").append(q(s.name)).append(",\n");
                b.append("      \"url\": ").append(q(s.url)).append(",\n");
                b.append("      \"seconds\": ").append(num(s.seconds)).append(",\n");
                b.append("      \"requests\": ").append(s.ok + s.errors).append(",\n");
                b.append("      \"errors\": ").append(s.errors).append(",\n");
                b.append("      \"error_kinds\": ").append(object(s.errorKinds, v -> String.valueOf(v))).append(",\n");
                b.append("      \"rps\": ").append(num(s.rps)).append(",\n");
                b.append("      \"latency_ms\": {\"mean\": ").append(num(s.mean)).append(", \"p50\": ").append(num(s.p50))
                        .append(", \"p90\": ").append(num(s.p90)).append(", \"p99\": ").append(num(s.p99)).append(", \"max\": ")
                        .append(num(s.max)).append("},\n");
                b.append("      \"rss_max_mb\": ").append(object(s.rssMaxKb, kb -> num(kb / 1024.0))).append(",\n");
                b.append("      \"cpu_ms_per_request\": ").append(object(s.cpuMsPerRequest, Report::num)).append(",\n");
                b.append("      \"jvm_flags\": ").append(object(s.jvmFlags, Report::q)).append(",\n");
                b.append("      \"per_second\": {\"rps\": ").append(array(s.perSecondRps)).append(", \"p50_ms\": ")
                        .append(array(s.perSecondP50)).append(", \"p99_ms\": ").append(array(s.perSecondP99)).append("}\n");
                b.append("    }");
            }
            b.append("\n  ]\n}\n");
            return b.toString();
        }

        static <V> String object(Map<String, V> map, java.util.function.Function<V, String> value) {
            List<String> parts = new ArrayList<>();
            map.forEach((k, v) -> parts.add(q(k) + ": " + value.apply(v)));
            return "{" + String.join(", ", parts) + "}";
        }

        static String array(double[] values) {
            List<String> parts = new ArrayList<>();
            for (double v : values) {
                parts.add(num(v));
            }
            return "[" + String.join(", ", parts) + "]";
        }

        static String num(double v) {
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                return "null";
            }
            return String.format(Locale.ROOT, "%.3f", v).replaceAll("\\.?0+$", "");
        }

        static String q(String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            return b.append('"').toString();
        }

        static String esc(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }

        /**
         * Three panels: requests per second over the measured time, p50 and p99 per second, and each service's max
         * RSS. Scenarios follow each other on the time axis.
         */
        String svg() {
            int w = 900;
            int h = 590;
            int left = 60;
            int right = 20;
            int plotW = w - left - right;
            String[] colours = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
            StringBuilder b = new StringBuilder();
            b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                    .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
            b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
            b.append(text(left, 20, 15, "bold", String.format(Locale.ROOT, "bench %s: %d connections, load average %.2f/%.2f",
                    when(), connections, loadBefore, loadAfter)));
            int y = 38;
            for (int i = 0; i < scenarios.size(); i++) {
                Scenario s = scenarios.get(i);
                b.append(text(left, y, 12, "normal", String.format(Locale.ROOT,
                        "%s: %.0f req/s, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms, %d errors", s.name, s.rps, s.p50, s.p90,
                        s.p99, s.max, s.errors)).replace("<text ", "<text fill=\"" + colours[i % colours.length] + "\" "));
                y += 16;
            }
            int total = scenarios.stream().mapToInt(s -> s.perSecondRps.length).sum();
            total = Math.max(total, 1);
            // panel 1: throughput
            int top1 = 90;
            int ph = 150;
            double maxRps = 1;
            double maxLat = 1;
            for (Scenario s : scenarios) {
                for (double v : s.perSecondRps) {
                    maxRps = Math.max(maxRps, v);
                }
                for (double v : s.perSecondP99) {
                    maxLat = Math.max(maxLat, v);
                }
            }
            maxRps = nice(maxRps);
            maxLat = nice(maxLat);
            b.append(axes(left, top1, plotW, ph, maxRps, "requests/s (each second)"));
            b.append(axes(left, top1 + ph + 50, plotW, ph, maxLat, "latency ms: p99 (solid), p50 (dashed)"));
            int offset = 0;
            for (int i = 0; i < scenarios.size(); i++) {
                Scenario s = scenarios.get(i);
                String c = colours[i % colours.length];
                b.append(polyline(s.perSecondRps, offset, total, left, top1, plotW, ph, maxRps, c, ""));
                b.append(polyline(s.perSecondP99, offset, total, left, top1 + ph + 50, plotW, ph, maxLat, c, ""));
                b.append(polyline(s.perSecondP50, offset, total, left, top1 + ph + 50, plotW, ph, maxLat, c, " stroke-dasharray=\"4 3\""));
                double x = left + plotW * (offset + s.perSecondRps.length / 2.0) / total;
                b.append(text(x - 20, top1 + 14, 12, "bold", s.name).replace("<text ", "<text fill=\"" + c + "\" "));
                offset += s.perSecondRps.length;
            }
            b.append(text(left + plotW / 2.0 - 40, top1 + 2 * ph + 50 + 28, 11, "normal", "seconds measured"));
            // panel 3: RSS bars (max over all scenarios)
            Map<String, Long> rss = new LinkedHashMap<>();
            for (Scenario s : scenarios) {
                s.rssMaxKb.forEach((k, v) -> rss.merge(k, v, Math::max));
            }
            int top3 = top1 + 2 * ph + 50 + 45;
            b.append(text(left, top3, 12, "bold", "max RSS while measured (MB)"));
            double maxMb = 300;
            for (long kb : rss.values()) {
                maxMb = Math.max(maxMb, kb / 1024.0);
            }
            int by = top3 + 8;
            if (rss.isEmpty()) {
                b.append(text(left, by + 14, 12, "normal", "n/a: no service listening on the --ports on this machine"));
            }
            for (Map.Entry<String, Long> e : rss.entrySet()) {
                double mb = e.getValue() / 1024.0;
                double bw = (plotW - 120) * mb / maxMb;
                b.append(text(left - 30, by + 11, 12, "normal", e.getKey()));
                b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"#7f7f7f\"/>%n", left, by, bw));
                b.append(text(left + bw + 6, by + 11, 12, "normal", String.format(Locale.ROOT, "%.0f", mb)));
                by += 16;
            }
            if (!rss.isEmpty()) {
                double x300 = left + (plotW - 120) * 300 / maxMb;
                b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d62728\" stroke-dasharray=\"3 3\"/>%n",
                        x300, top3 + 4, x300, by));
                b.append(text(x300 + 4, top3, 11, "normal", "300 MB"));
            }
            if (!startupMillis.isEmpty()) {
                List<String> parts = new ArrayList<>();
                startupMillis.forEach((n, ms) -> parts.add(String.format(Locale.ROOT, "%s %.1f s", n, ms / 1000.0)));
                b.append(text(left, by + 18, 12, "normal", "start-up to readiness (--start): " + String.join(", ", parts)));
            }
            b.append("</svg>\n");
            return b.toString();
        }

        static double nice(double v) {
            double p = Math.pow(10, Math.floor(Math.log10(v)));
            for (double m : new double[] {1, 2, 2.5, 5, 10}) {
                if (m * p >= v * 1.05) {
                    return m * p;
                }
            }
            return 10 * p;
        }

        static String axes(int x, int y, int w, int h, double max, String title) {
            StringBuilder b = new StringBuilder();
            b.append(text(x, y - 6, 12, "bold", title));
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", x, y, w, h));
            for (int i = 0; i <= 4; i++) {
                double v = max * i / 4;
                double ly = y + h - h * i / 4.0;
                b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n", x, ly, x + w, ly));
                b.append(text(x - 6, ly + 4, 11, "normal", num(v)).replace("<text ", "<text text-anchor=\"end\" "));
            }
            return b.toString();
        }

        static String polyline(double[] values, int offset, int total, int x, int y, int w, int h, double max, String colour,
                String extra) {
            if (values.length == 0) {
                return "";
            }
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < values.length; i++) {
                double px = x + w * (offset + i + 0.5) / total;
                double py = y + h - h * Math.min(values[i], max) / max;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
            }
            return "<polyline fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"1.5\"" + extra + " points=\"" + pts.toString().trim()
                    + "\"/>\n";
        }

        static String text(double x, double y, int size, String weight, String s) {
            return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" font-weight=\"%s\">%s</text>%n", x, y, size,
                    weight, esc(s));
        }
    }
}
