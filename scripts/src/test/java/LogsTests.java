import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class LogsTests {

    static final String NS = "music";
    /** Keeps the mock server's per-request INFO lines out of the build output (strong reference: JUL holds loggers weakly). */
    static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    Cluster cluster;
    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws IOException {
        cluster = Cluster.start(tmp);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    // ------------------------------------------------------------------ shared with StatusTests

    /** fabric8's mock API server in mixed mode (CRUD plus explicit expectations) on loopback, and a kubeconfig for it. */
    static final class Cluster implements AutoCloseable {
        final KubernetesMockServer server;
        final KubernetesClient client;
        final Path kubeconfig;

        private Cluster(KubernetesMockServer server, Path kubeconfig) {
            this.server = server;
            this.client = server.createClient();
            this.kubeconfig = kubeconfig;
        }

        static Cluster start(Path dir) throws IOException {
            Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
            KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                    new KubernetesMixedDispatcher(responses), false);
            server.init(InetAddress.getLoopbackAddress(), 0);
            String url = server.url("/").replaceAll("/$", "");
            return new Cluster(server, kubeconfig(dir, url, "mock-context", NS));
        }

        static Path kubeconfig(Path dir, String serverUrl, String context, String namespace) throws IOException {
            Path file = dir.resolve(context + ".kubeconfig");
            Files.writeString(file, String.join("\n",
                    "apiVersion: v1", "kind: Config",
                    "clusters:", "- name: mock", "  cluster:", "    server: " + serverUrl,
                    "contexts:", "- name: " + context, "  context:", "    cluster: mock", "    user: tester",
                    "    namespace: " + namespace,
                    "current-context: " + context,
                    "users:", "- name: tester", "  user:", "    token: not-a-secret", ""));
            return file;
        }

        Pod pod(String name, String component, String... containers) {
            PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS)
                    .addToLabels("app.kubernetes.io/name", component).addToLabels("app.kubernetes.io/part-of", "music")
                    .endMetadata().withNewSpec().endSpec();
            for (String c : containers) {
                b.editSpec().addNewContainer().withName(c).withImage("ghcr.io/owner/" + c + ":1").endContainer().endSpec();
            }
            return client.pods().inNamespace(NS).resource(b.build()).create();
        }

        /** The log path fabric8 requests (query parameters in the order the client writes them). */
        void log(String pod, String container, String query, String body) {
            server.expect().get().withPath("/api/v1/namespaces/" + NS + "/pods/" + pod + "/log?pretty=false&container="
                    + container + query + "&timestamps=true").andReturn(200, body).always();
        }

        @Override
        public void close() {
            client.close();
            server.destroy();
        }
    }

    record Run(int exit, String out, String err) {
    }

    static Run run(Callable<Integer> command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    Run logs(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--kubeconfig";
        all[args.length + 1] = cluster.kubeconfig.toString();
        all[args.length + 2] = "--color";
        all[args.length + 3] = "never";
        return run(new logs(), all);
    }

    static List<String> lines(String text) {
        return text.lines().toList();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void interleavesSeveralPodsByTimeWithThePodAsPrefix() {
        cluster.pod("s2-aaa", "s2", "s2", "envoy");
        cluster.pod("s2-bbb", "s2", "s2");
        cluster.pod("db-ccc", "db", "db");
        cluster.log("s2-aaa", "s2", "", """
                2025-01-01T10:00:01.000000000Z a first
                2025-01-01T10:00:03.000000000Z a third
                """);
        cluster.log("s2-bbb", "s2", "", """
                2025-01-01T10:00:02.000000000Z b second
                2025-01-01T10:00:04.500000000Z b fourth
                """);
        cluster.log("s2-aaa", "envoy", "", "2025-01-01T10:00:00.000000000Z sidecar line\n");
        cluster.log("db-ccc", "db", "", "2025-01-01T10:00:00.000000000Z db line\n");

        Run r = logs("s2");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(lines(r.out())).as(r.err()).containsExactly(
                "s2-aaa | a first", "s2-bbb | b second", "s2-aaa | a third", "s2-bbb | b fourth");
    }

    @Test
    void aliasAndAllContainersShowEveryContainerWithItsName() {
        cluster.pod("s2-aaa", "s2", "s2", "envoy");
        cluster.log("s2-aaa", "s2", "", "2025-01-01T10:00:01Z app line\n");
        cluster.log("s2-aaa", "envoy", "", "2025-01-01T10:00:00Z sidecar line\n");

        Run r = logs("music", "--all-containers", "--timestamps");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(lines(r.out())).containsExactly(
                "s2-aaa/envoy | 2025-01-01T10:00:00Z sidecar line",
                "s2-aaa/s2    | 2025-01-01T10:00:01Z app line");
    }

    @Test
    void tailSinceAndPreviousAreSentToTheApi() {
        cluster.pod("db-aaa", "db", "db");
        cluster.pod("db-bbb", "db", "db");
        cluster.log("db-aaa", "db", "&previous=true&sinceSeconds=600&tailLines=5",
                "2025-01-01T09:00:00Z crashed run: DynamoDB not reachable\n");
        cluster.server.expect().get()
                .withPath("/api/v1/namespaces/music/pods/db-bbb/log?pretty=false&container=db&previous=true&sinceSeconds=600&tailLines=5&timestamps=true")
                .andReturn(400, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":400,"
                        + "\"message\":\"previous terminated container \\\"db\\\" in pod \\\"db-bbb\\\" not found\"}").always();

        Run r = logs("datastore", "--previous", "--tail", "5", "--since", "10m");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(lines(r.out())).containsExactly("db-aaa | crashed run: DynamoDB not reachable");
        assertThat(r.err()).contains("db-bbb: no previous log (previous terminated container \"db\" in pod \"db-bbb\" not found)");
    }

    @Test
    void previousFailsWhenNoContainerHasOne() {
        cluster.pod("db-aaa", "db", "db");
        cluster.server.expect().get()
                .withPath("/api/v1/namespaces/music/pods/db-aaa/log?pretty=false&container=db&previous=true&timestamps=true")
                .andReturn(400, "{\"kind\":\"Status\",\"code\":400,\"message\":\"previous terminated container not found\"}").always();

        Run r = logs("db", "--previous");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("No logs could be read from 1 container(s) of db").contains("try without --previous");
    }

    static final String S2_LOG = """
            2025-01-01T10:00:00.100Z 2025-01-01T10:00:00.100Z  INFO 1 --- [s2] [main] dev.music.s2.S2Application : Started S2Application in 2.1 seconds
            2025-01-01T10:00:00.200Z 2025-01-01T10:00:00.200Z  INFO 1 --- [s2] [main] dev.music.s2.Exercise : Unique code: 7f3a9c
            2025-01-01T10:00:05.000Z 2025-01-01T10:00:05.000Z  INFO 1 --- [s2] [nio-1] access : GET /api/v1/music/42 200 3ms
            2025-01-01T10:00:06.000Z 2025-01-01T10:00:06.000Z ERROR 1 --- [s2] [nio-2] dev.music.common.Errors : request 9d1e failed
            2025-01-01T10:00:06.000Z java.lang.IllegalStateException: song lookup failed
            2025-01-01T10:00:06.000Z \tat dev.music.s2.ReadSong.apply(ReadSong.java:31)
            2025-01-01T10:00:06.000Z \tat dev.music.s2.Http.get(Http.java:12)
            2025-01-01T10:00:06.000Z Caused by: java.lang.NullPointerException: Cannot invoke "String.length()" because "title" is null
            2025-01-01T10:00:06.000Z \tat dev.music.s2.ReadSong.check(ReadSong.java:44)
            2025-01-01T10:00:06.000Z \t... 5 more
            2025-01-01T10:00:06.100Z 2025-01-01T10:00:06.100Z  INFO 1 --- [s2] [nio-2] access : GET /api/v1/music/43 500 4ms
            2025-01-01T10:00:07.000Z 2025-01-01T10:00:07.000Z  WARN 1 --- [s2] [nio-3] dev.music.s2.Http : slow call
            """;

    @Test
    void errorsPrintsErrorLinesWithTheirWholeStackTraceAndTheUniqueCode() {
        cluster.pod("s2-aaa", "s2", "s2");
        cluster.log("s2-aaa", "s2", "", S2_LOG);

        Run r = logs("s2", "--errors");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(lines(r.out())).containsExactly(
                "s2-aaa | 2025-01-01T10:00:00.200Z  INFO 1 --- [s2] [main] dev.music.s2.Exercise : Unique code: 7f3a9c",
                "s2-aaa | ",
                "s2-aaa | 2025-01-01T10:00:06.000Z ERROR 1 --- [s2] [nio-2] dev.music.common.Errors : request 9d1e failed",
                "s2-aaa | java.lang.IllegalStateException: song lookup failed",
                "s2-aaa | \tat dev.music.s2.ReadSong.apply(ReadSong.java:31)",
                "s2-aaa | \tat dev.music.s2.Http.get(Http.java:12)",
                "s2-aaa | Caused by: java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"title\" is null",
                "s2-aaa | \tat dev.music.s2.ReadSong.check(ReadSong.java:44)",
                "s2-aaa | \t... 5 more");
        assertThat(r.err()).contains("Unique code: 7f3a9c (from s2-aaa)").contains("1 stack trace(s) printed.");
    }

    @Test
    void grepMatchesALineTogetherWithItsStackTrace() {
        cluster.pod("s2-aaa", "s2", "s2");
        cluster.log("s2-aaa", "s2", "", S2_LOG);

        Run r = logs("s2", "--grep", "NullPointer|music/43");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(lines(r.out())).hasSize(8);
        assertThat(lines(r.out()).get(0)).endsWith("request 9d1e failed");
        assertThat(lines(r.out()).get(6)).endsWith("\t... 5 more");
        assertThat(lines(r.out()).get(7)).endsWith("GET /api/v1/music/43 500 4ms");
    }

    @Test
    void colourOnlyWhenAsked() {
        cluster.pod("s2-aaa", "s2", "s2");
        cluster.log("s2-aaa", "s2", "", S2_LOG);

        Run plain = logs("s2");
        Run coloured = run(new logs(), "s2", "--color", "always", "--kubeconfig", cluster.kubeconfig.toString());

        assertThat(plain.out()).doesNotContain("\u001b[");
        assertThat(coloured.out()).contains("\u001b[1;30;43m2025-01-01T10:00:00.200Z  INFO 1 --- [s2] [main] dev.music.s2.Exercise : Unique code: 7f3a9c");
        assertThat(coloured.out()).contains("\u001b[31m\tat dev.music.s2.ReadSong.apply(ReadSong.java:31)");
    }

    @Test
    void noMatchingPodsNamesTheComponentsThatExist() {
        cluster.pod("s2-aaa", "s2", "s2");
        cluster.pod("db-aaa", "db", "db");

        Run r = logs("loader");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("No pods labelled app.kubernetes.io/name=loader in namespace music "
                + "(context 'mock-context'); components with pods there: db, s2.");
    }

    @Test
    void emptyNamespaceSaysSoAndHowToFix() {
        Run r = logs("s1", "--namespace", "elsewhere");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("namespace elsewhere").contains("no other component's pods either");
    }

    @Test
    void unreachableClusterNamesContextAndServer() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Path kubeconfig = Cluster.kubeconfig(tmp, "http://127.0.0.1:" + port, "gone-cluster", NS);

        long start = System.nanoTime();
        Run r = run(new logs(), "s2", "--kubeconfig", kubeconfig.toString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("Cannot reach the Kubernetes API server http://127.0.0.1:" + port)
                .contains("context 'gone-cluster'").doesNotContain("\tat ");
        assertThat(took).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void missingKubeconfigSaysWhatToDo() {
        Run r = run(new logs(), "s2", "--kubeconfig", tmp.resolve("nope.yaml").toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("No usable Kubernetes configuration: the kubeconfig file " + tmp.resolve("nope.yaml")
                + " does not exist; start a cluster (minikube start) or run `aws eks update-kubeconfig`, or pass --kubeconfig"
                + " (or --local for the local stack).");
    }

    @Test
    void badUsageExitsTwo() {
        assertThat(logs("nosuch").exit()).isEqualTo(2);
        assertThat(logs("nosuch").err()).contains("Unknown component 'nosuch': use one of s1|users, s2|music, db|datastore, loader, gateway.");
        assertThat(logs("s2", "--since", "yesterday").exit()).isEqualTo(2);
        assertThat(logs("s2", "--grep", "(").exit()).isEqualTo(2);
        assertThat(logs("s2", "--tail", "many").exit()).isEqualTo(2);
        assertThat(run(new logs()).exit()).isEqualTo(2);
    }

    @Test
    void helpShowsAnExample() {
        Run r = run(new logs(), "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("jbang scripts/logs.java s2 --errors").contains("--follow").contains("--local");
    }

    @Test
    void localReadsTheDevStackLogFile() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("logs"));
        Files.writeString(dir.resolve("s2.log"), S2_LOG.lines().map(l -> l.substring(l.indexOf(' ') + 1))
                .reduce("", (a, b) -> a + b + "\n"));
        Files.writeString(dir.resolve("db.log"), "");

        Run all = run(new logs(), "music", "--local", "--local-dir", dir.toString(), "--color", "never");
        Run errors = run(new logs(), "s2", "--local", "--local-dir", dir.toString(), "--errors", "--color", "never");
        Run missing = run(new logs(), "s1", "--local", "--local-dir", dir.toString());

        assertThat(all.exit()).isZero();
        assertThat(lines(all.out())).hasSize(12).first().asString().startsWith("s2 | 2025-01-01T10:00:00.100Z  INFO");
        assertThat(errors.exit()).isZero();
        assertThat(lines(errors.out())).hasSize(9).contains("s2 | Caused by: java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"title\" is null");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("No local log for s1 at " + dir.resolve("s1.log"))
                .contains("jbang scripts/dev.java").contains("logs there now: db, s2");
    }

    @Test
    void followPicksUpNewPodsAndAnnouncesGoneOnes() throws Exception {
        cluster.pod("s2-old", "s2", "s2");
        for (String pod : List.of("s2-old", "s2-new")) {
            cluster.server.expect().get()
                    .withPath("/api/v1/namespaces/music/pods/" + pod + "/log?pretty=false&container=s2&timestamps=true&follow=true")
                    .andReturn(200, pod.equals("s2-old") ? "2025-01-01T10:00:00Z old pod serving\n" : "2025-01-01T10:01:00Z new pod started\n")
                    .always();
        }

        StringWriter out = new StringWriter();
        logs command = new logs();
        command.pollInterval = Duration.ofMillis(100);
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        int[] exit = {-1};
        Thread t = new Thread(() -> exit[0] = cl.execute("s2", "-f", "--color", "never", "--kubeconfig", cluster.kubeconfig.toString()));
        t.start();
        try {
            await(() -> out.toString().contains("s2-old | old pod serving"));
            cluster.pod("s2-new", "s2", "s2");
            await(() -> out.toString().contains("s2-new | new pod started"));
            cluster.client.pods().inNamespace(NS).withName("s2-old").delete();
            await(() -> out.toString().contains("--- pod s2-old went away"));
        } finally {
            t.interrupt();
            t.join(10_000);
        }
        assertThat(t.isAlive()).isFalse();
        assertThat(exit[0]).isZero();
        List<String> printed = lines(out.toString());
        assertThat(printed).containsSubsequence("s2-old | old pod serving", "--- pod s2-new appeared",
                "s2-new | new pod started", "--- pod s2-old went away");
        assertThat(printed).filteredOn(l -> l.contains("old pod serving")).hasSize(1);
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 15 s");
            }
            Thread.sleep(50);
        }
    }
}
