import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** loader.java without a real db: CSV handling, the retry/backoff rules, and its HTTP calls against a stub server. */
class LoaderTests {

    static final Path ROOT = Path.of(System.getProperty("repo.root", "../")).toAbsolutePath().normalize();
    static final String TOKEN = "t0ken-that-must-never-be-printed";

    @TempDir
    Path dir;

    final List<Stub> stubs = new ArrayList<>();

    @AfterEach
    void stopStubs() {
        stubs.forEach(s -> s.server.stop(0));
    }

    // ---- CSV ------------------------------------------------------------------------------------------------

    @Test
    void readsTheCourseSampleFiles() {
        List<loader.Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        loader.Csv.read(ROOT.resolve("scripts/data/users.csv"), loader.Kind.USER, rows, problems);
        loader.Csv.read(ROOT.resolve("scripts/data/music.csv"), loader.Kind.MUSIC, rows, problems);
        assertThat(problems).isEmpty();
        assertThat(loader.count(rows, loader.Kind.USER)).isEqualTo(4);
        assertThat(loader.count(rows, loader.Kind.MUSIC)).isEqualTo(6);
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.uuid()).isEqualTo("6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea");
            assertThat(r.fields()).containsEntry("Artist", "Taylor Swift")
                    .containsEntry("SongTitle", "The Last Great American Dynasty");
            assertThat(r.line()).isEqualTo(2);
        });
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.uuid()).isEqualTo("b66f61e7-4fad-402f-aaad-101e3e2522d3");
            assertThat(r.fields()).containsEntry("fname", "George").containsEntry("email", "starchild@pfunk.org");
        });
    }

    @Test
    void readsQuotedFieldsCrlfAndAByteOrderMark() throws IOException {
        Path csv = write("songs.csv", "\uFEFFArtist,SongTitle,UUID\r\n"
                + "\"Earth, Wind & Fire\",\"She said \"\"hi\"\"\",11111111-1111-1111-1111-111111111111\r\n"
                + "Two Lines,\"first\nsecond\",22222222-2222-2222-2222-222222222222\r\n"
                + "\r\n"
                + "  Spaced  ,  Title ,33333333-3333-3333-3333-333333333333");
        List<loader.Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        loader.Csv.read(csv, loader.Kind.MUSIC, rows, problems);
        assertThat(problems).isEmpty();
        assertThat(rows).extracting(r -> r.fields().get("Artist"))
                .containsExactly("Earth, Wind & Fire", "Two Lines", "Spaced");
        assertThat(rows.get(0).fields().get("SongTitle")).isEqualTo("She said \"hi\"");
        assertThat(rows.get(1).fields().get("SongTitle")).isEqualTo("first\nsecond");
        assertThat(rows).extracting(loader.Row::line).containsExactly(2, 3, 6);
    }

    @Test
    void reportsEachBadRowWithFileAndLineAndKeepsTheRest() throws IOException {
        Path csv = write("users.csv", """
                fname,lname,email,UUID
                Ada,Lovelace,ada@example.org,aaaaaaaa-0000-0000-0000-000000000001
                too,few,fields
                ,Empty,first@example.org,aaaaaaaa-0000-0000-0000-000000000003

                Bad,Uuid,bad@example.org,not-a-uuid
                Dup,Licate,dup@example.org,AAAAAAAA-0000-0000-0000-000000000001
                Grace,Hopper,grace@example.org,aaaaaaaa-0000-0000-0000-000000000007
                """);
        List<loader.Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        loader.Csv.read(csv, loader.Kind.USER, rows, problems);
        assertThat(rows).extracting(r -> r.fields().get("fname")).containsExactly("Ada", "Grace");
        assertThat(problems).containsExactly(
                csv + ":3: expected 4 fields (fname,lname,email,UUID), found 3",
                csv + ":4: fname is empty",
                csv + ":6: UUID 'not-a-uuid' is not a UUID like 6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea",
                csv + ":7: UUID AAAAAAAA-0000-0000-0000-000000000001 is already on line 2");
    }

    @Test
    void refusesAFileWithoutTheExpectedColumnsOrWithAnOpenQuote() throws IOException {
        Path noUuid = write("music.csv", "Artist,SongTitle\nA,B\n");
        assertThatThrownBy(() -> loader.Csv.read(noUuid, loader.Kind.MUSIC, new ArrayList<>(), new ArrayList<>()))
                .isInstanceOf(loader.Fatal.class)
                .hasMessage(noUuid + ":1: the header has no column UUID; expected Artist,SongTitle,UUID.");
        Path open = write("open.csv", "Artist,SongTitle,UUID\nA,B,x\n\"C,D,y\n");
        assertThatThrownBy(() -> loader.Csv.read(open, loader.Kind.MUSIC, new ArrayList<>(), new ArrayList<>()))
                .hasMessage(open + ":3: a quoted field is not closed; end it with \"");
        Path missing = dir.resolve("nothere.csv");
        assertThatThrownBy(() -> loader.Csv.read(missing, loader.Kind.MUSIC, new ArrayList<>(), new ArrayList<>()))
                .hasMessageContaining("no such file").hasMessageContaining("--music-file");
    }

    // ---- backoff --------------------------------------------------------------------------------------------

    @Test
    void backsOffExponentiallyUpToFiveSecondsAndGivesUpWhenTheBudgetIsSpent() throws Exception {
        long[] now = {0};
        List<Duration> sleeps = new ArrayList<>();
        loader.Backoff backoff = new loader.Backoff(Duration.ofSeconds(20), d -> {
            sleeps.add(d);
            now[0] += d.toNanos();
        }, () -> now[0]);
        assertThatThrownBy(() -> backoff.call("db at x", () -> {
            throw new loader.Retryable("503 busy", null);
        })).isInstanceOf(loader.Fatal.class)
                .hasMessage("gave up after 20 s: db at x did not answer (last: 503 busy); check that it is running"
                        + " and ready, or wait longer with --max-wait (LOADER_MAX_WAIT).");
        assertThat(sleeps).extracting(Duration::toMillis).containsExactly(200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L);
        assertThat(sleeps.stream().mapToLong(Duration::toMillis).sum()).isLessThanOrEqualTo(20_000);
    }

    @Test
    void honoursRetryAfterAndReturnsOnceTheCallSucceeds() throws Exception {
        List<Duration> sleeps = new ArrayList<>();
        loader.Backoff backoff = new loader.Backoff(Duration.ofSeconds(60), sleeps::add, System::nanoTime);
        int[] calls = {0};
        String result = backoff.call("db", () -> {
            calls[0]++;
            if (calls[0] == 1) {
                throw new loader.Retryable("503", Duration.ofSeconds(2));
            }
            if (calls[0] == 2) {
                throw new loader.Retryable("429", Duration.ofSeconds(600));
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    // ---- against a stub db ----------------------------------------------------------------------------------

    @Test
    void loadsThroughDbWithItsBearerTokenAndRetriesOn503And429() throws Exception {
        List<Integer> script = new CopyOnWriteArrayList<>(List.of(503, 429));
        Stub db = stub(body -> {
            if (!script.isEmpty()) {
                int status = script.remove(0);
                return new Answer(status, "{\"http_status_code\":" + status + ",\"reason\":\"busy\"}", "0");
            }
            return new Answer(200, "{\"music_id\":\"x\",\"result\":\"created\"}", null);
        });
        Path music = write("music.csv", "Artist,SongTitle,UUID\nNina Simone,Sinnerman,44444444-4444-4444-4444-444444444444");
        Run r = run("--url", db.url(), "--token", TOKEN, "--users-file", "", "--music-file", music.toString(),
                "--max-wait", "20");
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("loading 0 users and 1 songs into db at " + db.url())
                .endsWith("created 1, updated 0, unchanged 0, failed 0\n");
        assertThat(db.requests).hasSize(3);
        Request last = db.requests.get(2);
        assertThat(last.path).isEqualTo("/api/v1/datastore/load");
        assertThat(last.authorization).isEqualTo("Bearer " + TOKEN);
        assertThat(last.body).isEqualTo("{\"objtype\":\"music\",\"uuid\":\"44444444-4444-4444-4444-444444444444\","
                + "\"Artist\":\"Nina Simone\",\"SongTitle\":\"Sinnerman\"}");
        assertThat(r.out + r.err).doesNotContain(TOKEN);
    }

    @Test
    void countsCreatedUpdatedUnchangedAndReportsARefusedRowWithItsLine() throws Exception {
        Stub db = stub(body -> {
            if (body.contains("\"uuid\":\"00000000-0000-0000-0000-000000000002\"")) {
                return new Answer(400, "{\"http_status_code\":400,\"reason\":\"email is not an email\"}", null);
            }
            String result = body.contains("Ada") ? "created" : body.contains("Grace") ? "updated" : "unchanged";
            return new Answer(200, "{\"user_id\":\"x\",\"result\":\"" + result + "\"}", null);
        });
        Path users = write("users.csv", """
                fname,lname,email,UUID
                Ada,Lovelace,ada@example.org,00000000-0000-0000-0000-000000000001
                Bad,Mail,nope,00000000-0000-0000-0000-000000000002
                Grace,Hopper,grace@example.org,00000000-0000-0000-0000-000000000003
                Alan,Turing,alan@example.org,00000000-0000-0000-0000-000000000004
                broken,row
                """);
        Run r = run("--url", db.url(), "--token", TOKEN, "--users-file", users.toString(), "--music-file", "");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains(users + ":3: db refused the row (400): email is not an email")
                .contains(users + ":6: expected 4 fields");
        assertThat(r.out).endsWith("created 1, updated 1, unchanged 1, failed 2\n");
        assertThat(db.requests).hasSize(4);
    }

    @Test
    void givesUpWithAClearMessageWhenDbKeepsAnswering503() throws Exception {
        Stub db = stub(body -> new Answer(503, "{\"error\":\"DynamoDB does not answer\"}", null));
        long start = System.nanoTime();
        Run r = run("--url", db.url(), "--token", TOKEN, "--max-wait", "2");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("gave up after 2 s: db at " + db.url()
                + " did not answer (last: 503 DynamoDB does not answer)");
        assertThat(r.out).endsWith("created 0, updated 0, unchanged 0, failed 10\n");
        assertThat(seconds).isLessThan(6);
        assertThat(db.requests.size()).isBetween(2, 10);
    }

    @Test
    void givesUpWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = run("--url", "http://127.0.0.1:" + port, "--token", TOKEN, "--max-wait", "1");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("gave up after 1 s: db at http://127.0.0.1:" + port
                + " did not answer (last: connection refused)");
    }

    @Test
    void stopsAtOnceWhenDbRefusesTheTokenAndNeverPrintsIt() throws Exception {
        Stub db = stub(body -> new Answer(401, "{\"http_status_code\":401,\"reason\":\"bad credentials\"}", null));
        Run r = run("--url", db.url(), "--token", TOKEN);
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("db refused the loader token (401)");
        assertThat(db.requests).hasSize(1);
        assertThat(r.out + r.err).doesNotContain(TOKEN);
    }

    @Test
    void withoutATokenItIsAUsageError() {
        Run r = run("--url", "http://127.0.0.1:9", "--token", "");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("no loader token");
    }

    @Test
    void nextToTheLocalStackItUsesItsTokenFileWithNoOptions() throws Exception {
        Stub db = stub(body -> new Answer(200, "{\"music_id\":\"x\",\"result\":\"unchanged\"}", null));
        Path clone = Files.createDirectories(dir.resolve("clone"));
        Files.createDirectories(clone.resolve(".data/callers"));
        Files.writeString(clone.resolve(".data/callers/loader.token"), TOKEN + "\n");
        Path music = write("one.csv", "Artist,SongTitle,UUID\nA,B,55555555-5555-5555-5555-555555555555\n");
        Run r = runProcessIn(clone, Map.of(), "--url", db.url(), "--users-file", "", "--music-file", music.toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("unchanged 1");
        assertThat(db.requests).singleElement().extracting(Request::authorization)
                .isEqualTo("Bearer " + TOKEN);
        assertThat(r.out + r.err).doesNotContain(TOKEN);
    }

    @Test
    void withoutATokenTheErrorNamesTheLocalStacksFile() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("no-stack"));
        Run r = runProcessIn(empty, Map.of(), "--url", "http://localhost:9", "--users-file", "", "--music-file", "");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("no loader token").contains(".data/callers/loader.token").contains("scripts/dev.java");
    }

    @Test
    void aRemoteUrlNeverPicksUpTheLocalTokenFile() throws Exception {
        Path clone = Files.createDirectories(dir.resolve("remote"));
        Files.createDirectories(clone.resolve(".data/callers"));
        Files.writeString(clone.resolve(".data/callers/loader.token"), TOKEN + "\n");
        Run r = runProcessIn(clone, Map.of(), "--url", "http://db.music.svc:30002", "--users-file", "", "--music-file", "");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("no loader token");
    }

    @Test
    void takesEverySettingFromEnvironmentVariablesAndOptionsWin() throws Exception {
        Stub fromEnv = stub(body -> new Answer(200, "{\"music_id\":\"x\",\"result\":\"unchanged\"}", null));
        Stub fromOption = stub(body -> new Answer(200, "{\"music_id\":\"x\",\"result\":\"created\"}", null));
        Path music = write("m.csv", "Artist,SongTitle,UUID\nA,B,55555555-5555-5555-5555-555555555555\n");
        Path tokenFile = write("token", TOKEN + "\n");
        Map<String, String> env = Map.of("LOADER_URL", fromEnv.url(), "LOADER_TOKEN_FILE", tokenFile.toString(),
                "LOADER_USERS_FILE", "", "LOADER_MUSIC_FILE", music.toString(), "LOADER_MAX_WAIT", "1");

        Run viaEnv = runProcess(env);
        assertThat(viaEnv.code).as(viaEnv.err).isZero();
        assertThat(viaEnv.out).contains("created 0, updated 0, unchanged 1, failed 0");
        assertThat(fromEnv.requests).hasSize(1);
        assertThat(fromEnv.requests.get(0).authorization).isEqualTo("Bearer " + TOKEN);

        Run viaOption = runProcess(env, "--url", fromOption.url());
        assertThat(viaOption.code).as(viaOption.err).isZero();
        assertThat(viaOption.out).contains("created 1, updated 0, unchanged 0, failed 0");
        assertThat(fromOption.requests).hasSize(1);
        assertThat(fromEnv.requests).hasSize(1);
        assertThat(viaEnv.out + viaEnv.err + viaOption.out + viaOption.err).doesNotContain(TOKEN);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** In process, from the repo root's point of view (default file paths are relative to it). */
    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new loader());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        String[] withFiles = args;
        if (!List.of(args).contains("--users-file")) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--users-file", ROOT.resolve("scripts/data/users.csv").toString(),
                    "--music-file", ROOT.resolve("scripts/data/music.csv").toString()));
            withFiles = all.toArray(String[]::new);
        }
        int code = cmd.execute(withFiles);
        return new Run(code, out.toString(), err.toString());
    }

    /** As its own JVM, so environment variables can be set. */
    static Run runProcess(Map<String, String> env, String... args) throws Exception {
        return runProcessIn(ROOT, env, args);
    }

    static Run runProcessIn(Path workingDir, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "loader"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LOADER_"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile("loader", ".out");
        Path err = Files.createTempFile("loader", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("loader did not finish in 60 s");
        }
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    Stub stub(Function<String, Answer> answer) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Stub stub = new Stub(server, new CopyOnWriteArrayList<>());
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            stub.requests.add(new Request(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            Answer a = answer.apply(body);
            byte[] bytes = a.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (a.retryAfter != null) {
                exchange.getResponseHeaders().set("Retry-After", a.retryAfter);
            }
            exchange.sendResponseHeaders(a.status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        stubs.add(stub);
        return stub;
    }

    record Stub(HttpServer server, List<Request> requests) {
        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }
    }

    record Request(String path, String authorization, String body) {}

    record Answer(int status, String body, String retryAfter) {}

    record Run(int code, String out, String err) {}
}
