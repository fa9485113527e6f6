import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import picocli.CommandLine;

/**
 * bench.java, run briefly in-process against a tiny loopback stand-in of s1/s2's read API: login and bearer token,
 * both body framings (Content-Length and chunked), Connection: close, error counting, the RSS of the process
 * listening on a port (this test JVM), and the text, JSON and SVG outputs.
 */
class BenchTests {

    static final Path REPO = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    static final String TOKEN = "stub-token-123";

    HttpServer server;
    int port;
    final Set<String> seenAuth = ConcurrentHashMap.newKeySet();
    final Set<String> seenIds = ConcurrentHashMap.newKeySet();
    final AtomicInteger logins = new AtomicInteger();
    volatile boolean loginFails;
    volatile String password;
    static final String SIGNED_UP = "0b8c1a7e-9e2f-4a0b-8d61-3a4f5e6d7c8b";
    volatile String failingId;

    @TempDir
    Path out;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        byte[] request = exchange.getRequestBody().readAllBytes();
        if (method.equals("POST") && path.equals("/api/v1/user")) {
            String body = new String(request, StandardCharsets.UTF_8);
            password = body.replaceAll(".*\"password\":\"([^\"]+)\".*", "$1");
            send(exchange, 200, "{\"user_id\":\"" + SIGNED_UP + "\"}", false);
            return;
        }
        if (method.equals("PUT") && path.equals("/api/v1/user/login")) {
            logins.incrementAndGet();
            String body = new String(request, StandardCharsets.UTF_8);
            boolean ok = !loginFails && body.contains("\"uid\":\"" + SIGNED_UP + "\"") && password != null
                    && body.contains("\"password\":\"" + password + "\"");
            send(exchange, ok ? 200 : 401, ok ? TOKEN : "{\"error\":\"wrong user id or password\"}", false);
            return;
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        seenAuth.add(String.valueOf(auth));
        if (!("Bearer " + TOKEN).equals(auth)) {
            send(exchange, 401, "{\"error\":\"missing auth\"}", false);
            return;
        }
        String id = path.substring(path.lastIndexOf('/') + 1);
        seenIds.add(id);
        if (id.equals(failingId)) {
            send(exchange, 500, "{\"error\":\"internal error\"}", false);
        } else if (path.startsWith("/api/v1/music/")) {
            // chunked, and the connection closed after each answer, like Tomcat at its keep-alive limit
            exchange.getResponseHeaders().set("Connection", "close");
            send(exchange, 200, "{\"Count\":1,\"Items\":[{\"music_id\":\"" + id + "\",\"Artist\":\"A\",\"SongTitle\":\"T\"}]}", true);
        } else if (path.startsWith("/api/v1/user/")) {
            send(exchange, 200, "{\"Count\":1,\"Items\":[{\"user_id\":\"" + id + "\",\"fname\":\"F\"}]}", false);
        } else {
            send(exchange, 404, "{\"Count\":0,\"Items\":[]}", false);
        }
    }

    static void send(HttpExchange exchange, int status, String body, boolean chunked) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status == 200 && !body.startsWith("{") ? "text/plain" : "application/json");
        exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    record Run(int code, String out, String err) {}

    Run run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cmd = new CommandLine(new bench());
        cmd.setOut(new PrintWriter(o, true));
        cmd.setErr(new PrintWriter(e, true));
        int code = cmd.execute(args);
        return new Run(code, o.toString(), e.toString());
    }

    List<String> quick(String... extra) {
        List<String> args = new ArrayList<>(List.of("--url", "http://127.0.0.1:" + port, "--warmup", "0.3", "--duration", "1.5",
                "--connections", "4", "--data-dir", REPO.resolve("scripts/data").toString(), "--out", out.toString(),
                "--ports", "stub=" + port + ",nothing=1"));
        args.addAll(List.of(extra));
        return args;
    }

    static List<String> ids(String csv) throws IOException {
        return bench.ids(REPO.resolve("scripts/data/" + csv));
    }

    @Test
    void logsInDrivesBothReadsOverEverySampleIdAndWritesTextJsonAndChart() throws Exception {
        Run r = run(quick("--label", "stub run").toArray(String[]::new));

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(logins.get()).isEqualTo(1);
        assertThat(seenAuth).containsExactly("Bearer " + TOKEN);
        assertThat(seenIds).as("every sample song, and the user bench signed up (a user reads only their own record)")
                .containsAll(ids("music.csv")).contains(SIGNED_UP).doesNotContainAnyElementsOf(ids("users.csv"));
        assertThat(password).as("a random password").matches("[0-9a-f]{24}");
        assertThat(r.out()).containsPattern("(?m)^music +\\d+ ").containsPattern("(?m)^user +\\d+ ")
                .contains("label: stub run").containsPattern("stub \\d+ MB").contains("CPU ms per request: stub ");
        assertThat(r.out()).doesNotContain(TOKEN);
        assertThat(Files.readString(out.resolve("bench.txt"))).isEqualTo(r.out().substring(0, r.out().indexOf("written: ")));

        JsonNode json = new ObjectMapper().readTree(out.resolve("bench.json").toFile());
        assertThat(json.path("connections").asInt()).isEqualTo(4);
        assertThat(json.path("load_average_before").isNumber()).isTrue();
        assertThat(json.path("scenarios")).hasSize(2);
        for (JsonNode s : json.path("scenarios")) {
            assertThat(s.path("requests").asLong()).as(s.toString()).isGreaterThan(20);
            assertThat(s.path("errors").asLong()).isZero();
            assertThat(s.path("rps").asDouble()).isGreaterThan(0);
            JsonNode latency = s.path("latency_ms");
            assertThat(latency.path("p50").asDouble()).isGreaterThan(0).isLessThanOrEqualTo(latency.path("p90").asDouble());
            assertThat(latency.path("p90").asDouble()).isLessThanOrEqualTo(latency.path("p99").asDouble());
            assertThat(latency.path("p99").asDouble()).isLessThanOrEqualTo(latency.path("max").asDouble());
            assertThat(s.path("per_second").path("rps")).hasSize(1);
            // this JVM listens on the stub's port: its RSS is read from /proc; nothing listens on port 1
            assertThat(s.path("rss_max_mb").path("stub").asDouble()).isGreaterThan(10);
            assertThat(s.path("rss_max_mb").has("nothing")).isFalse();
            assertThat(s.path("cpu_ms_per_request").has("bench")).isTrue();
        }
        assertThat(json.path("scenarios").get(0).path("name").asText()).isEqualTo("music");
        assertThat(json.path("scenarios").get(1).path("name").asText()).isEqualTo("user");
        assertThat(json.path("label").asText()).isEqualTo("stub run");

        byte[] svg = Files.readAllBytes(out.resolve("bench.svg"));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(doc.getElementsByTagName("polyline").getLength()).isEqualTo(6);
        assertThat(doc.getDocumentElement().getTextContent()).contains("music:").contains("user:").contains("stub").contains("300 MB");
    }

    @Test
    void countsFailedRequestsAndExitsThree() throws Exception {
        failingId = ids("music.csv").get(0);

        Run r = run(quick("--scenario", "music").toArray(String[]::new));

        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).contains("music errors: {HTTP 500=");
        assertThat(r.err()).startsWith("bench: missed: music without errors: ").doesNotContain("Exception");
        JsonNode s = new ObjectMapper().readTree(out.resolve("bench.json").toFile()).path("scenarios").get(0);
        assertThat(s.path("errors").asLong()).isPositive().isLessThan(s.path("requests").asLong());
        assertThat(s.path("error_kinds").path("HTTP 500").asLong()).isEqualTo(s.path("errors").asLong());
    }

    @Test
    void exitsThreeWhenATargetIsMissedAndZeroWhenMet() {
        Run missed = run(quick("--scenario", "user", "--target-rps", "100000000", "--target-p99", "10000").toArray(String[]::new));
        assertThat(missed.code()).isEqualTo(3);
        assertThat(missed.err()).contains("user >= 100000000 req/s: ").doesNotContain("p99");

        Run met = run(quick("--scenario", "user", "--target-rps", "1", "--target-p99", "10000", "--target-rss", "100000")
                .toArray(String[]::new));
        assertThat(met.code()).as(met.err()).isZero();
    }

    @Test
    void failedLoginExitsOneWithWhatToDo() {
        loginFails = true;

        Run r = run(quick().toArray(String[]::new));

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("bench: login as " + SIGNED_UP).contains("answered 401")
                .contains("--token").doesNotContain("\n");
        assertThat(out.resolve("bench.json")).doesNotExist();
    }

    @Test
    void givenTokenSkipsLogin() {
        Run r = run(quick("--scenario", "user", "--token", TOKEN).toArray(String[]::new));

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(logins.get()).isZero();
        assertThat(seenAuth).containsExactly("Bearer " + TOKEN);
    }

    @Test
    void nothingListeningExitsOne() throws IOException {
        int free;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            free = s.getLocalPort();
        }
        Run r = run("--url", "http://127.0.0.1:" + free, "--duration", "1", "--warmup", "0", "--out", out.toString(),
                "--data-dir", REPO.resolve("scripts/data").toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("bench: cannot sign up at http://127.0.0.1:" + free).contains("dev.java");
    }

    @Test
    void startWithoutAPortForDbExitsOneBeforeStartingAnything() {
        Run r = run("--start", "--ports", "s1=1,s2=2", "--out", out.toString(), "--data-dir", REPO.resolve("scripts/data").toString(),
                "--token", TOKEN);

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("bench: --start needs apps/db/target/db.jar and a port for db in --ports").contains("./mvnw");
        assertThat(out.resolve("auth.key")).doesNotExist();
        assertThat(out.resolve("data")).doesNotExist();
    }

    @Test
    void badUsageExitsTwo() {
        assertThat(run("--connections", "0").code()).isEqualTo(2);
        assertThat(run("--scenario", "songs").code()).isEqualTo(2);
        assertThat(run("--duration", "soon").code()).isEqualTo(2);
    }

    @Test
    void readsOnlyUuidsFromTheSampleCsvs() throws IOException {
        assertThat(ids("music.csv")).hasSize(6).allMatch(id -> bench.UUID.matcher(id).matches());
        assertThat(ids("users.csv")).hasSize(4).first().isEqualTo("b66f61e7-4fad-402f-aaad-101e3e2522d3");
    }
}
