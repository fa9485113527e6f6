import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * dev.java as a developer runs it, on free ports so it never collides with a stack already running here: it starts
 * DynamoDB Local, the REAL db, s1 and s2 jars (built by ./mvnw verify before this module) and the entry point, each as
 * its own process, answers through the entry point, restarts a component that was killed, and leaves no process or
 * listener behind after SIGTERM.
 */
class DevTests {

    static final Path ROOT = Path.of(System.getProperty("repo.root", "../")).toAbsolutePath().normalize();
    static final String SONG = "6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea";
    static final String USER = "b66f61e7-4fad-402f-aaad-101e3e2522d3";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @BeforeAll
    static void jarsAreBuilt() {
        for (String service : List.of("db", "s1", "s2")) {
            Path jar = ROOT.resolve("apps/" + service + "/target/" + service + ".jar");
            assertThat(jar).as("%s is missing: build it with ./mvnw -q -B -ntp package -DskipTests -pl apps/db,apps/s1,apps/s2 -am"
                    + " (./mvnw verify builds it before the scripts module)", jar).isRegularFile();
        }
    }

    @Test
    void startsEverythingAnswersThroughTheEntryPointAndStopsWithNothingLeft() throws Exception {
        int[] ports = freePorts(5);
        String gw = "http://127.0.0.1:" + ports[0];
        // compatibility mode: any Authorization header passes, as with the old course services
        Stack stack = start(ports, "--in-memory", "--compat-auth");
        List<ProcessHandle> children;
        try {
            stack.awaitReady();
            children = stack.process.descendants().toList();
            assertThat(children).as("the dynamodb-local, db, s1, s2 and gateway processes").hasSizeGreaterThanOrEqualTo(5);

            // the README's check, through the entry point, with the sample data the loader put there
            HttpResponse<String> song = send("GET", gw + "/api/v1/music/" + SONG, "Bearer x", null);
            assertThat(song.statusCode()).isEqualTo(200);
            assertThat(song.body()).contains("\"Artist\":\"Taylor Swift\"", "The Last Great American Dynasty");
            assertThat(song.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));

            // a real token from s1 through the entry point, used on s2
            HttpResponse<String> login = send("PUT", gw + "/api/v1/user/login", null, "{\"uid\":\"" + USER + "\"}");
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body().split("\\.")).hasSize(3);
            assertThat(send("GET", gw + "/api/v1/music/" + SONG, "Bearer " + login.body().strip(), null).statusCode()).isEqualTo(200);
            assertThat(send("GET", gw + "/api/v1/user/" + USER, "Bearer " + login.body().strip(), null).body())
                    .contains("starchild@pfunk.org");

            // request bodies and error statuses pass through unchanged
            HttpResponse<String> created = send("POST", gw + "/api/v1/music/", "Bearer x",
                    "{\"Artist\":\"Gang of Four\",\"SongTitle\":\"Isle of Dogs\"}");
            assertThat(created.statusCode()).isEqualTo(200);
            assertThat(created.body()).matches("\\{\"music_id\":\"[0-9a-f-]{36}\"}");
            assertThat(send("GET", gw + "/api/v1/music/" + SONG, null, null).statusCode()).isEqualTo(401);
            HttpResponse<String> noRoute = send("GET", gw + "/api/v1/datastore/health", null, null);
            assertThat(noRoute.statusCode()).isEqualTo(404);
            assertThat(noRoute.body()).isEqualTo("{\"error\":\"no route\"}");

            // mcli, one command at a time, against the entry point
            Mcli read = mcli("--url", gw, "--login", USER, "read", SONG);
            assertThat(read.code).as(read.err).isZero();
            assertThat(read.out).contains(SONG + "  Taylor Swift  The Last Great American Dynasty");
            Mcli create = mcli("--url", gw, "--token", "x", "create", "Carla Bley", "Ida Lupino");
            assertThat(create.code).as(create.err).isZero();
            String id = create.out.strip().replace("created ", "");
            assertThat(mcli("--url", gw, "--token", "x", "delete", id).out).isEqualTo("deleted " + id + "\n");
            Mcli gone = mcli("--url", gw, "--token", "x", "read", id);
            assertThat(gone.code).isEqualTo(1);
            assertThat(gone.err).isEqualTo("not found (404): no song " + id + ".\n");

            // logs: prefixed on the console, one file per component
            assertThat(stack.out()).contains("s2     | ").contains("db     | ").contains("loader | created 10, updated 0, unchanged 0, failed 0");
            assertThat(Files.readString(dir.resolve("logs/s2.log"))).contains("Unique code: ");
            assertThat(Files.readString(dir.resolve("logs/gateway.log"))).contains("GET /api/v1/music/" + SONG + " 200 ");
            assertThat(Files.readString(dir.resolve("logs/db.log"))).contains("POST /api/v1/datastore/load 200");

            // kill -9 of db: s2 answers 503 JSON with Retry-After meanwhile, dev.java says so in one line and restarts db
            ProcessHandle db = children.stream().filter(c -> c.info().commandLine().orElse("").contains("db.jar")).findFirst().orElseThrow();
            db.destroyForcibly();
            HttpResponse<String> down = awaitStatus(503, "http://127.0.0.1:" + ports[2] + "/api/v1/music/" + SONG, Duration.ofSeconds(30));
            assertThat(down.headers().firstValue("Retry-After")).isPresent();
            assertThat(down.body()).startsWith("{\"error\":");
            awaitStatus(200, gw + "/api/v1/music/" + SONG, Duration.ofSeconds(120));
            assertThat(stack.out().lines().filter(l -> l.startsWith("dev: ")).toList())
                    .containsExactly("dev: db exited (code 137), restart 1 in 10 s; log: " + dir.resolve("logs/db.log"));
            children = stack.process.descendants().toList();

            // secrets for the local stack: owner-only files, never printed
            Path key = dir.resolve("data/s1-signing.pem");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
            for (String caller : List.of("s1", "s2", "loader")) {
                Path token = dir.resolve("data/callers/" + caller + ".token");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
                assertThat(stack.out() + stack.err()).doesNotContain(Files.readString(token).strip());
            }
            assertThat(stack.out() + stack.err()).doesNotContain(Files.readString(key).lines().skip(1).findFirst().orElseThrow());

            // the actuator is on each port + 1000 only
            assertThat(send("GET", "http://127.0.0.1:" + ports[2] + "/actuator/prometheus", null, null).statusCode()).isEqualTo(404);
            assertThat(send("GET", "http://127.0.0.1:" + (ports[2] + 1000) + "/actuator/prometheus", null, null).body())
                    .contains("http_server_requests_seconds");
        } catch (Throwable t) {
            stack.kill();
            throw t;
        }

        stack.process.destroy(); // SIGTERM, as Ctrl-C or a process manager would
        assertThat(stack.process.waitFor(60, TimeUnit.SECONDS)).as("dev.java stops within 60 s of SIGTERM").isTrue();
        for (ProcessHandle child : children) {
            child.onExit().get(5, TimeUnit.SECONDS);
            assertThat(child.isAlive()).as("child %s after dev.java stopped", child.pid()).isFalse();
        }
        for (int port : ports) {
            assertThat(dev.free(port)).as("nothing listens on port %d any more", port).isTrue();
        }
    }

    @Test
    void keepsTheDataOnDiskBetweenRunsAndLoadsTheSamplesOnlyOnce() throws Exception {
        int[] ports = freePorts(5);
        String gw = "http://127.0.0.1:" + ports[0];
        String id;
        Stack first = start(ports, "--compat-auth");
        try {
            first.awaitReady();
            // all 10 new; on an overloaded machine db's SDK may retry a PutItem that timed out after DynamoDB Local
            // applied it, and the retry then finds the row unchanged
            java.util.regex.Matcher loaded = java.util.regex.Pattern
                    .compile("sample data loaded: created (\\d+), updated 0, unchanged (\\d+), failed 0").matcher(first.out());
            assertThat(loaded.find()).as(first.out()).isTrue();
            assertThat(Integer.parseInt(loaded.group(1)) + Integer.parseInt(loaded.group(2))).isEqualTo(10);
            HttpResponse<String> created = send("POST", gw + "/api/v1/music/", "Bearer x",
                    "{\"Artist\":\"Sun Ra\",\"SongTitle\":\"Space Is the Place\"}");
            assertThat(created.statusCode()).isEqualTo(200);
            id = created.body().replaceAll(".*\"music_id\":\"([^\"]+)\".*", "$1");
        } finally {
            first.process.destroy();
            assertThat(first.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(dir.resolve("data/dynamodb")).isDirectory().isNotEmptyDirectory();

        // by default tokens are enforced as in the cluster: signup and password login, ES256 with a published kid,
        // per-object 403s, db only for its callers, login bursts limited
        Stack second = start(ports, "--fail-fast");
        try {
            second.awaitReady();
            assertThat(second.out()).contains("sample data loaded: created 0, updated 0, unchanged 10, failed 0")
                    .doesNotContain("curl -H 'Authorization: Bearer x'").contains("\"password\":");
            assertThat(send("GET", gw + "/api/v1/music/" + id, "Bearer x", null).statusCode()).isEqualTo(401);
            assertThat(send("PUT", gw + "/api/v1/user/login", null, "{\"uid\":\"" + USER + "\"}").statusCode())
                    .as("sample users have no password").isEqualTo(401);
            String alice = send("POST", gw + "/api/v1/user", null, "{\"fname\":\"Alice\",\"lname\":\"A\",\"email\":\"a@example.org\","
                    + "\"password\":\"correct horse battery\"}").body().replaceAll(".*\"user_id\":\"([^\"]+)\".*", "$1");
            HttpResponse<String> login = send("PUT", gw + "/api/v1/user/login", null,
                    "{\"uid\":\"" + alice + "\",\"password\":\"correct horse battery\"}");
            assertThat(login.statusCode()).isEqualTo(200);
            String jwt = login.body().strip();
            String header = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]));
            String kid = header.replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
            assertThat(header).contains("\"alg\":\"ES256\"");
            assertThat(send("GET", gw + "/api/v1/user/.well-known/jwks.json", null, null).body()).contains("\"kid\":\"" + kid + "\"");
            assertThat(send("GET", gw + "/api/v1/music/" + id, "Bearer " + jwt, null).body()).contains("Space Is the Place");
            assertThat(send("GET", gw + "/api/v1/user/" + USER, "Bearer " + jwt, null).statusCode()).isEqualTo(403);
            assertThat(send("DELETE", gw + "/api/v1/music/" + SONG, "Bearer " + jwt, null).statusCode()).isEqualTo(403);
            assertThat(send("GET", "http://127.0.0.1:" + ports[3] + "/api/v1/datastore/read?objtype=music&objkey=" + SONG, null, null)
                    .statusCode()).as("db without a credential").isEqualTo(401);
            int limited = 0;
            for (int i = 0; i < 30; i++) {
                limited += send("PUT", gw + "/api/v1/user/login", null, "{\"uid\":\"" + alice + "\",\"password\":\"nope nope nope\"}")
                        .statusCode() == 429 ? 1 : 0;
            }
            assertThat(limited).as("a burst of logins through the entry point").isGreaterThanOrEqualTo(15);

            // --fail-fast: the first component that exits stops everything, as dev.java did before it restarted them
            second.process.descendants().filter(c -> c.info().commandLine().orElse("").contains("s1.jar")).findFirst().orElseThrow()
                    .destroyForcibly();
            assertThat(second.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.process.exitValue()).isEqualTo(1);
            assertThat(second.err()).isEqualTo("dev: s1 exited (code 137) while running: see " + dir.resolve("logs/s1.log")
                    + "; stopped the rest (--fail-fast).\n");
        } finally {
            second.process.destroy();
            assertThat(second.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aBusyPortIsNamedBeforeAnythingStarts() throws Exception {
        int[] ports = freePorts(5);
        try (ServerSocket busy = new ServerSocket(ports[3])) {
            Stack stack = start(ports, "--in-memory");
            assertThat(stack.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(stack.process.exitValue()).isEqualTo(1);
            assertThat(stack.err()).isEqualTo("dev: port " + ports[3] + " (db) is busy: stop what listens there (an earlier"
                    + " dev.java? see `ss -ltnp 'sport = :" + ports[3] + "'`) or pick another port with --db-port.\n");
            assertThat(stack.out()).isEmpty();
        }
    }

    @Test
    void aComponentThatCannotStartStopsEverythingWithOneSentence() throws Exception {
        int[] ports = freePorts(5);
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/dynamodb"), "a file where db wants its data folder");
        Stack stack = start(ports); // on disk, so DynamoDB Local cannot use .../dynamodb and exits
        try {
            assertThat(stack.process.waitFor(240, TimeUnit.SECONDS)).as("dev.java gives up").isTrue();
        } finally {
            stack.kill();
        }
        assertThat(stack.process.exitValue()).isEqualTo(1);
        assertThat(stack.err()).isEqualTo("dev: dynamodb-local exited (code 0) before it was ready: see its last log lines above or "
                + dir.resolve("logs/dynamodb-local.log") + ".\n");
        assertThat(stack.out()).contains("dynamodb-local| Invalid directory for database creation.");
        for (int port : ports) {
            assertThat(dev.free(port)).as("nothing listens on port %d", port).isTrue();
        }
    }

    @Test
    void compatAuthIsOneOptionWithOneDefault() {
        dev byDefault = new dev();
        new CommandLine(byDefault).parseArgs();
        assertThat(byDefault.compatAuth).isEqualTo(Boolean.parseBoolean(dev.COMPAT_AUTH_DEFAULT));
        dev off = new dev();
        new CommandLine(off).parseArgs("--no-compat-auth");
        assertThat(off.compatAuth).isFalse();
        dev on = new dev();
        new CommandLine(on).parseArgs("--compat-auth");
        assertThat(on.compatAuth).isTrue();
    }

    @Test
    void aJarIsStaleWhenMissingOrOlderThanAnyOfItsSources() throws Exception {
        Path jar = dir.resolve("s2.jar");
        Path src = Files.createDirectories(dir.resolve("src/main/java"));
        Path source = Files.writeString(src.resolve("A.java"), "class A {}");
        assertThat(dev.stale(jar, List.of(src))).isTrue();
        Files.writeString(jar, "jar");
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().minusSeconds(60)));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(30)));
        assertThat(dev.stale(jar, List.of(src, dir.resolve("no-such-pom.xml")))).isFalse();
        Files.setLastModifiedTime(source, FileTime.from(Instant.now()));
        assertThat(dev.stale(jar, List.of(src))).isTrue();
        assertThat(dev.inputs(ROOT, "s2")).contains(ROOT.resolve("apps/common/src/main"), ROOT.resolve("apps/s2/pom.xml"));
    }

    @Test
    void runsWithJBangThroughTheWrapper() throws Exception {
        for (String script : List.of("dev", "loader", "mcli")) {
            JbangTests.Result r = JbangTests.exec(ROOT, java.util.Map.of("JBANG_WRAPPER_IGNORE_PATH", "true"),
                    List.of(ROOT.resolve("jbang").toString(), "scripts/" + script + ".java", "--help"));
            assertThat(r.code()).as("./jbang scripts/%s.java --help: %s", script, r.err()).isZero();
            assertThat(r.out()).startsWith("Usage: " + script).contains("Example");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** dev.java in its own JVM (so SIGTERM and its shutdown hook are real), on the given ports. */
    Stack start(int[] ports, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev",
                "--port", String.valueOf(ports[0]), "--s1-port", String.valueOf(ports[1]),
                "--s2-port", String.valueOf(ports[2]), "--db-port", String.valueOf(ports[3]),
                "--dynamodb-port", String.valueOf(ports[4]),
                "--data-dir", dir.resolve("data").toString(), "--log-dir", dir.resolve("logs").toString(),
                "--skip-build", "--timeout", "240"));
        command.addAll(List.of(extra));
        Path out = dir.resolve("dev.out");
        Path err = dir.resolve("dev.err");
        Process p = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Stack(p, out, err);
    }

    record Stack(Process process, Path outFile, Path errFile) {
        String out() throws IOException {
            return Files.readString(outFile);
        }

        String err() throws IOException {
            return Files.readString(errFile);
        }

        void awaitReady() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (!out().contains("Ctrl-C stops everything.")) {
                assertThat(process.isAlive()).as("dev.java exited before it was ready:%n%s%n%s", tail(out()), err()).isTrue();
                assertThat(System.nanoTime()).as("dev.java not ready within 300 s:%n%s", tail(out())).isLessThan(deadline);
                Thread.sleep(250);
            }
            System.out.println("[DevTests] " + out().lines().filter(l -> l.contains("ready in")).findFirst().orElse(""));
        }

        void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }

        static String tail(String text) {
            List<String> lines = text.lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
    }

    static HttpResponse<String> send(String method, String url, String authorization, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls the URL (with a compat token) until it answers {@code status}; that answer. */
    static HttpResponse<String> awaitStatus(int status, String url, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                HttpResponse<String> r = send("GET", url, "Bearer x", null);
                if (r.statusCode() == status) {
                    return r;
                }
            } catch (IOException notAnswering) {
                // the entry point or the service is restarting
            }
            assertThat(System.nanoTime()).as("%s answered %d within %s", url, status, within).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    record Mcli(int code, String out, String err) {}

    static Mcli mcli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new mcli());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Mcli(code, out.toString(), err.toString());
    }

    /** Free ports whose management port (+ 1000, as dev.java gives each service) is free too. */
    static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; ) {
                ServerSocket s = new ServerSocket(0);
                sockets.add(s);
                int port = s.getLocalPort();
                if (port < 64000 && dev.free(port + 1000)) {
                    ports[i++] = port;
                }
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }
}
