import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * loader.java against the REAL db service (apps/db/target/db.jar, embedded DynamoDB Local in memory) on a free
 * port. The scripts module is built after apps/ in the reactor, so ./mvnw verify has built the jar; without it
 * these tests fail and say how to build it.
 */
class LoaderDbTests {

    static final Path ROOT = Path.of(System.getProperty("repo.root", "../")).toAbsolutePath().normalize();
    static final Path JAR = ROOT.resolve("apps/db/target/db.jar");
    /** db trusts this run's local issuer, as under scripts/dev.java; the loader presents its token. */
    static final LocalIssuer ISSUER = LocalIssuer.create(tempDir());
    static final String TOKEN = ISSUER.token("loader");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static DynamoDbLocal dynamo;
    static Process db;
    static String url;
    static Path log;

    @TempDir
    Path dir;

    @BeforeAll
    static void startDb() throws Exception {
        assertThat(JAR).as("%s is missing: build it with ./mvnw -q -B -ntp package -DskipTests -pl apps/db -am"
                + " (./mvnw verify builds it before the scripts module)", JAR).isRegularFile();
        dynamo = DynamoDbLocal.start();
        int port = TestPorts.free();
        url = "http://127.0.0.1:" + port;
        log = Files.createTempFile("loader-db", ".log");
        ProcessBuilder pb = new ProcessBuilder(java(), "-XX:TieredStopAtLevel=1", "-jar", JAR.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SERVER_PORT", String.valueOf(port));
        pb.environment().put("DB_DYNAMODB_ENDPOINT", dynamo.url);
        pb.environment().put("DB_CALLER_JWKS_URI", ISSUER.jwks().toUri().toString());
        pb.environment().put("DB_CALLER_ISSUER", LocalIssuer.ISSUER);
        pb.environment().put("MANAGEMENT_SERVER_PORT", String.valueOf(TestPorts.free()));
        db = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (true) {
            assertThat(db.isAlive()).as("db exited with %s before it was ready:%n%s",
                    db.isAlive() ? "-" : db.exitValue(), tail()).isTrue();
            assertThat(System.nanoTime()).as("db not ready within 180 s:%n%s", tail()).isLessThan(deadline);
            try {
                if (get("/api/v1/datastore/readiness").statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void stopDb() throws Exception {
        if (db != null) {
            db.destroy();
            if (!db.waitFor(20, TimeUnit.SECONDS)) {
                db.destroyForcibly().waitFor();
            }
        }
        if (dynamo != null) {
            dynamo.close();
        }
    }

    @Test
    void loadsTheSampleDataAndASecondRunChangesNothing() throws Exception {
        LoaderTests.Run first = run();
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo("loading 4 users and 6 songs into db at " + url + "\n"
                + "created 10, updated 0, unchanged 0, failed 0\n");
        HttpResponse<String> song = get("/api/v1/datastore/read?objtype=music&objkey=6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea");
        assertThat(song.statusCode()).isEqualTo(200);
        assertThat(song.body()).contains("\"Artist\":\"Taylor Swift\"").contains("The Last Great American Dynasty");
        HttpResponse<String> user = get("/api/v1/datastore/read?objtype=user&objkey=b66f61e7-4fad-402f-aaad-101e3e2522d3");
        assertThat(user.body()).contains("starchild@pfunk.org");

        LoaderTests.Run second = run();
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.out()).endsWith("created 0, updated 0, unchanged 10, failed 0\n");
        assertThat(first.out() + first.err() + second.out() + second.err()).doesNotContain(TOKEN);
    }

    @Test
    void reportsBadRowsWithFileAndLineLoadsTheRestAndExitsNonZero() throws Exception {
        Path music = Files.writeString(dir.resolve("music.csv"), """
                Artist,SongTitle,UUID
                Nina Simone,Sinnerman,aaaaaaaa-1111-4111-8111-000000000001
                Missing,Uuid
                ,No Artist,aaaaaaaa-1111-4111-8111-000000000003
                Fela Kuti,Zombie,not-a-uuid
                Fela Kuti,Zombie,aaaaaaaa-1111-4111-8111-000000000005""");
        LoaderTests.Run r = run("--users-file", "", "--music-file", music.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().lines()).containsExactly(
                music + ":3: expected 3 fields (Artist,SongTitle,UUID), found 2",
                music + ":4: Artist is empty",
                music + ":5: UUID 'not-a-uuid' is not a UUID like 6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea");
        assertThat(r.out()).endsWith("created 2, updated 0, unchanged 0, failed 3\n");
        assertThat(get("/api/v1/datastore/read?objtype=music&objkey=aaaaaaaa-1111-4111-8111-000000000005").body())
                .contains("Zombie");

        Files.writeString(music, "Artist,SongTitle,UUID\nNina Simone,Feeling Good,aaaaaaaa-1111-4111-8111-000000000001\n");
        assertThat(run("--users-file", "", "--music-file", music.toString()).out())
                .endsWith("created 0, updated 1, unchanged 0, failed 0\n");
    }

    @Test
    void aWrongTokenStopsAtOnceWithASentenceAndNoToken() {
        LoaderTests.Run r = run("--token", "not-the-token");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("db refused the loader token (401)");
        assertThat(r.out()).endsWith("created 0, updated 0, unchanged 0, failed 10\n");
        assertThat(r.out() + r.err()).doesNotContain("not-the-token").doesNotContain(TOKEN);
    }

    @Test
    void whenDbIsDownItGivesUpWithAClearMessage() throws Exception {
        int closed = TestPorts.free();
        long start = System.nanoTime();
        LoaderTests.Run r = runAt("http://127.0.0.1:" + closed, "--max-wait", "2");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("gave up after 2 s: db at http://127.0.0.1:" + closed + " did not answer (last:"
                + " connection refused); check that it is running and ready, or wait longer with --max-wait"
                + " (LOADER_MAX_WAIT).\n");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
    }

    static LoaderTests.Run run(String... extra) {
        return runAt(url, extra);
    }

    static LoaderTests.Run runAt(String at, String... extra) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new loader());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setOverwrittenOptionsAllowed(true);
        List<String> args = new ArrayList<>(List.of("--url", at, "--token", TOKEN, "--max-wait", "30",
                "--users-file", ROOT.resolve("scripts/data/users.csv").toString(),
                "--music-file", ROOT.resolve("scripts/data/music.csv").toString()));
        args.addAll(List.of(extra));
        int code = cmd.execute(args.toArray(String[]::new));
        return new LoaderTests.Run(code, out.toString(), err.toString());
    }

    /** A read as s1 (users) or s2 (songs) would make it, each with its own token. */
    static HttpResponse<String> get(String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10));
        if (path.contains("objtype=")) {
            request.header("Authorization", "Bearer " + ISSUER.token(path.contains("objtype=user") ? "s1" : "s2"));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("loader-db-callers");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    static String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (java.io.IOException ex) {
            return "(no log: " + ex.getMessage() + ")";
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

}
