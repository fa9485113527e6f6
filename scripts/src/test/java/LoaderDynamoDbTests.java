import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** loader.java --dynamodb-endpoint against a real DynamoDB Local server (Amazon's engine, in memory, free port). */
class LoaderDynamoDbTests {

    static final Path ROOT = Path.of(System.getProperty("repo.root", "../")).toAbsolutePath().normalize();
    static DynamoDbLocal local;
    static String endpoint;
    static DynamoDbClient dynamo;

    @TempDir
    Path dir;

    @BeforeAll
    static void startDynamoDbLocal() throws Exception {
        local = DynamoDbLocal.start();
        endpoint = local.url;
        dynamo = local.client;
        // the tables as db creates them (apps/db Tables): one string hash key named after the object type
        local.createTable("t_music", "music_id");
        local.createTable("t_user", "user_id");
    }

    @AfterAll
    static void stop() throws Exception {
        local.close();
    }

    @Test
    void loadsTheSampleDataOnceAndThenFindsItUnchanged() {
        LoaderTests.Run first = run();
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("into DynamoDB at " + endpoint)
                .endsWith("created 10, updated 0, unchanged 0, failed 0\n");
        Map<String, AttributeValue> song = dynamo.getItem(r -> r.tableName("t_music")
                .key(Map.of("music_id", AttributeValue.fromS("6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea")))).item();
        assertThat(song).containsEntry("Artist", AttributeValue.fromS("Taylor Swift"))
                .containsEntry("SongTitle", AttributeValue.fromS("The Last Great American Dynasty")).hasSize(3);
        Map<String, AttributeValue> user = dynamo.getItem(r -> r.tableName("t_user")
                .key(Map.of("user_id", AttributeValue.fromS("b66f61e7-4fad-402f-aaad-101e3e2522d3")))).item();
        assertThat(user).containsEntry("email", AttributeValue.fromS("starchild@pfunk.org"));

        LoaderTests.Run second = run();
        assertThat(second.code()).isZero();
        assertThat(second.out()).endsWith("created 0, updated 0, unchanged 10, failed 0\n");
        assertThat(dynamo.scan(r -> r.tableName("t_music")).count()).isEqualTo(6);
        assertThat(dynamo.scan(r -> r.tableName("t_user")).count()).isEqualTo(4);
    }

    @Test
    void updatesAChangedRowAndReportsABadOne() throws Exception {
        Path music = Files.writeString(dir.resolve("music.csv"), """
                Artist,SongTitle,UUID
                The Band,First Title,99999999-0000-0000-0000-000000000001
                """);
        assertThat(run("--users-file", "", "--music-file", music.toString()).out()).endsWith("created 1, updated 0, unchanged 0, failed 0\n");
        Files.writeString(music, """
                Artist,SongTitle,UUID
                The Band,Second Title,99999999-0000-0000-0000-000000000001
                No Id,Here,
                """);
        LoaderTests.Run r = run("--users-file", "", "--music-file", music.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(music + ":3: UUID '' is not a UUID");
        assertThat(r.out()).endsWith("created 0, updated 1, unchanged 0, failed 1\n");
        assertThat(dynamo.getItem(g -> g.tableName("t_music")
                .key(Map.of("music_id", AttributeValue.fromS("99999999-0000-0000-0000-000000000001")))).item().get("SongTitle").s())
                .isEqualTo("Second Title");
    }

    @Test
    void namesAMissingTable() {
        LoaderTests.Run r = run("--users-file", "", "--music-table", "nosuchtable");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("table 'nosuchtable' does not exist in DynamoDB at " + endpoint);
    }

    @Test
    void givesUpWhenDynamoDbDoesNotAnswer() throws Exception {
        int port = TestPorts.free();
        LoaderTests.Run r = runAt("http://127.0.0.1:" + port, "--max-wait", "1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("gave up after 1 s: DynamoDB at http://127.0.0.1:" + port + " did not answer");
    }

    LoaderTests.Run run(String... extra) {
        return runAt(endpoint, extra);
    }

    LoaderTests.Run runAt(String at, String... extra) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new loader());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setOverwrittenOptionsAllowed(true);
        List<String> args = new java.util.ArrayList<>(List.of("--dynamodb-endpoint", at,
                "--music-table", "t_music", "--user-table", "t_user",
                "--users-file", ROOT.resolve("scripts/data/users.csv").toString(),
                "--music-file", ROOT.resolve("scripts/data/music.csv").toString()));
        args.addAll(List.of(extra)); // picocli: the last value of a repeated option wins
        int code = cmd.execute(args.toArray(String[]::new));
        return new LoaderTests.Run(code, out.toString(), err.toString());
    }

}
