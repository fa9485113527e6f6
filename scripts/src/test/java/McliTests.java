import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** mcli.java against a stub of s1/s2's documented API: commands, quoting, and what each error status prints. */
class McliTests {

    static final String SONG = "6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea";

    HttpServer server;
    final List<String> seen = new CopyOnWriteArrayList<>();
    volatile Handler next = null;

    interface Handler {
        void handle(HttpExchange exchange, String body) throws IOException;
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " auth=" + auth + " " + body);
            if (next != null) {
                next.handle(exchange, body);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/api/v1/user/login")) {
                send(exchange, 200, "text/plain", "jwt-for-" + body.replaceAll(".*\"uid\":\"([^\"]+)\".*", "$1"));
            } else if (auth == null) {
                send(exchange, 401, "application/json", "{\"error\":\"missing auth\"}");
            } else if (exchange.getRequestMethod().equals("GET") && path.equals("/api/v1/music/" + SONG)) {
                send(exchange, 200, "application/json", "{\"Count\":1,\"Items\":[{\"music_id\":\"" + SONG
                        + "\",\"Artist\":\"Taylor Swift\",\"SongTitle\":\"The Last Great American Dynasty\"}]}");
            } else if (exchange.getRequestMethod().equals("GET") && path.equals("/api/v1/music/")) {
                String query = exchange.getRequestURI().getQuery();
                if (query == null) {
                    send(exchange, 200, "application/json", "{\"Count\":1,\"Items\":[{\"music_id\":\"a\",\"Artist\":\"A\","
                            + "\"SongTitle\":\"First\"}],\"next\":\"a\"}");
                } else {
                    send(exchange, 200, "application/json", "{\"Count\":1,\"Items\":[{\"music_id\":\"b\",\"Artist\":\"Bee\","
                            + "\"SongTitle\":\"Second\"}]}");
                }
            } else if (exchange.getRequestMethod().equals("POST") && path.equals("/api/v1/music/")) {
                send(exchange, 200, "application/json", "{\"music_id\":\"11111111-2222-3333-4444-555555555555\"}");
            } else if (exchange.getRequestMethod().equals("DELETE")) {
                send(exchange, 404, "application/json", "{\"error\":\"no such song\"}");
            } else {
                send(exchange, 404, "application/json", "{\"Count\":0,\"Items\":[]}");
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void readsOneSongAsATableWithTheBearerToken() {
        Run r = run("--token", "abc", "read", SONG);
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).isEqualTo("""
                music_id                              Artist        SongTitle
                6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea  Taylor Swift  The Last Great American Dynasty
                1 song
                """);
        assertThat(seen).containsExactly("GET /api/v1/music/" + SONG + " auth=Bearer abc ");
    }

    @Test
    void readWithoutAnIdListsEveryPage() {
        Run r = run("--token", "abc", "read");
        assertThat(r.code).isZero();
        assertThat(r.out).contains("a         A       First").contains("b         Bee     Second").endsWith("2 songs\n");
        assertThat(seen).hasSize(2);
        assertThat(seen.get(1)).startsWith("GET /api/v1/music/?next=a ");
    }

    @Test
    void logsInThroughS1FirstWhenAsked() {
        Run r = run("--login", "b66f61e7-4fad-402f-aaad-101e3e2522d3", "create", "Gang of Four", "Isle of Dogs");
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).isEqualTo("created 11111111-2222-3333-4444-555555555555\n");
        assertThat(seen).containsExactly(
                "PUT /api/v1/user/login auth=null {\"uid\":\"b66f61e7-4fad-402f-aaad-101e3e2522d3\"}",
                "POST /api/v1/music/ auth=Bearer jwt-for-b66f61e7-4fad-402f-aaad-101e3e2522d3"
                        + " {\"Artist\":\"Gang of Four\",\"SongTitle\":\"Isle of Dogs\"}");
    }

    @Test
    void logsInWithThePasswordFromAFileAndNeverPrintsIt(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("pw"), "correct horse battery\n");
        Run r = run("--login", "b66f61e7-4fad-402f-aaad-101e3e2522d3", "--password-file", file.toString(), "read", SONG);
        assertThat(r.code).as(r.err).isZero();
        assertThat(seen.get(0)).isEqualTo("PUT /api/v1/user/login auth=null "
                + "{\"uid\":\"b66f61e7-4fad-402f-aaad-101e3e2522d3\",\"password\":\"correct horse battery\"}");
        assertThat(r.out + r.err).doesNotContain("correct horse battery");
        Run missing = run("--login", "b66f61e7-4fad-402f-aaad-101e3e2522d3", "--password-file", dir.resolve("nope").toString(), "read");
        assertThat(missing.code).isEqualTo(2);
        assertThat(missing.err).contains("cannot read the password file");
    }

    @Test
    void signsUpWithThePasswordFromAFileAndPrintsTheNewId(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        next = (exchange, body) -> send(exchange, 200, "application/json", "{\"user_id\":\"75ebc062-a808-4a0f-a79b-8ac568564bfe\"}");
        Path file = Files.writeString(dir.resolve("pw"), "genius of love 81\n");
        Run r = run("--password-file", file.toString(), "signup", "Tina", "Weymouth", "tina@tomtomclub.com");
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).isEqualTo("signed up 75ebc062-a808-4a0f-a79b-8ac568564bfe; log in with --login 75ebc062-a808-4a0f-a79b-8ac568564bfe\n");
        assertThat(seen).containsExactly("POST /api/v1/user auth=null {\"fname\":\"Tina\",\"lname\":\"Weymouth\","
                + "\"email\":\"tina@tomtomclub.com\",\"password\":\"genius of love 81\"}");
        Run noPassword = run("signup", "Tina", "Weymouth", "tina@tomtomclub.com");
        assertThat(noPassword.code).as("no terminal and no file").isEqualTo(2);
        assertThat(noPassword.err).contains("signup needs a password");
    }

    @Test
    void explains401404500And503InOneLineAndExits1() {
        Run unauthorized = run("read", SONG);
        assertThat(unauthorized.code).isEqualTo(1);
        assertThat(unauthorized.err).startsWith("unauthorized (401): missing auth; log in with --login <user id> and its password");

        Run missing = run("--token", "x", "read", "00000000-0000-0000-0000-000000000000");
        assertThat(missing.code).isEqualTo(1);
        assertThat(missing.err).isEqualTo("not found (404): no song 00000000-0000-0000-0000-000000000000.\n");

        next = (ex, body) -> send(ex, 500, "application/json",
                "{\"error\":\"internal error; quote this request id when reporting it\",\"request_id\":\"abc123\"}");
        Run broken = run("--token", "x", "test");
        assertThat(broken.code).isEqualTo(1);
        assertThat(broken.err).contains("server error (500)").contains("[request id abc123]")
                .contains("jbang scripts/logs.java s2 --grep abc123");

        next = (ex, body) -> send(ex, 503, "application/json", "{\"error\":\"DynamoDB unavailable\"}");
        Run down = run("--token", "x", "read", SONG);
        assertThat(down.code).isEqualTo(1);
        assertThat(down.err).startsWith("unavailable (503): DynamoDB unavailable; db or DynamoDB is down or still starting");
        assertThat(down.err.lines()).hasSize(1);
    }

    @Test
    void saysHowToStartTheAppWhenNothingAnswers() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = runAt("http://127.0.0.1:" + port, "--token", "x", "read");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).isEqualTo("cannot reach http://127.0.0.1:" + port
                + " (connection refused): start the app with ./jbang scripts/dev.java, or pass --url.\n");
    }

    @Test
    void wrongUseIsAUsageError() {
        assertThat(run("frobnicate").code).isEqualTo(2);
        Run r = run("create", "only-one");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("create takes 2 arguments, got 1");
        assertThat(runAt("not a url", "read").code).isEqualTo(2);
        assertThat(seen).isEmpty();
    }

    @Test
    void splitsShellLinesLikeAShell() {
        assertThat(mcli.words("create \"Gang of Four\" 'Isle of Dogs'")).containsExactly("create", "Gang of Four", "Isle of Dogs");
        assertThat(mcli.words("  create  It\\'s \"say \\\"hi\\\"\"  ")).containsExactly("create", "It's", "say \"hi\"");
        assertThat(mcli.words("read")).containsExactly("read");
        assertThat(mcli.words("   ")).isEmpty();
        assertThatThrownBy(() -> mcli.words("create \"open")).hasMessageContaining("quote is not closed");
    }

    @Test
    void theShellReadsCommandsFromStdinUntilQuit() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "mcli", "--url", url(), "--token", "t"));
        Path input = Files.createTempFile("mcli", ".in");
        Files.writeString(input, "read " + SONG + "\ncreate \"Gang of Four\" 'Isle of Dogs'\nbogus\ndelete nope\nquit\nread\n");
        Path out = Files.createTempFile("mcli", ".out");
        Path err = Files.createTempFile("mcli", ".err");
        Process p = new ProcessBuilder(command).redirectInput(input.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(out)).contains("Taylor Swift").contains("created 11111111-2222-3333-4444-555555555555");
        assertThat(Files.readString(err)).contains("unknown command 'bogus'").contains("not found (404): no song nope");
        assertThat(seen).hasSize(3); // nothing after quit
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    Run run(String... args) {
        return runAt(url(), args);
    }

    static Run runAt(String url, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new mcli());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--url", url));
        all.addAll(List.of(args));
        int code = cmd.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    record Run(int code, String out, String err) {}
}
