import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bootstrap.java against fabric8's mock API server (CRUD) with a copy of the repository's clusters/, overlays/
 * and base/, and a fake in place of the embedded Helm: the order of the steps, a second run that changes
 * nothing, Secrets never in the output or the working tree, no cluster, --dry-run, --owner, the push check.
 */
class BootstrapTests {

    static final Path REPO = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;
    Path repo;
    LogsTests.Cluster cluster;
    final List<String> helmCalls = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        repo = tmp.resolve("repo");
        copyRepo(repo);
        cluster = LogsTests.Cluster.start(tmp);
        node("minikube", "4", "8Gi");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    static void copyRepo(Path to) throws IOException {
        for (String dir : List.of("base", "overlays", "clusters", "scripts/data")) copyTree(REPO.resolve(dir), to.resolve(dir));
        // the repository's own secret files (a developer's .env and .pem) must not reach the copy
        try (Stream<Path> walk = Files.walk(to)) {
            for (Path p : walk.filter(p -> p.getFileName().toString().matches(".*\\.(env|pem)")).toList()) Files.delete(p);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    void node(String name, String cpu, String memory) {
        cluster.client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addToAllocatable("cpu", new Quantity(cpu)).addToAllocatable("memory", new Quantity(memory)).endStatus().build()).create();
    }

    /** Plays Helm: records the call and leaves the release record Helm would leave. */
    BootstrapHelm fakeHelm() {
        return (chart, kubeconfig, timeout) -> {
            helmCalls.add(chart.release() + " " + chart.chart() + " " + chart.version() + " " + chart.namespace() + " " + BootstrapReport.json(chart.values())
                    + (kubeconfig != null && kubeconfig.contains(cluster.server.url("/").replaceAll("/$", "")) ? " (kubeconfig of the cluster)" : ""));
            cluster.client.secrets().inNamespace(chart.namespace()).resource(new SecretBuilder().withNewMetadata().withName("sh.helm.release.v1." + chart.release() + ".v1")
                    .addToLabels("owner", "helm").addToLabels("name", chart.release()).addToLabels("status", "deployed").endMetadata().build()).create();
        };
    }

    LogsTests.Run bootstrap(String... args) {
        bootstrap b = new bootstrap();
        b.helm = fakeHelm();
        b.poll = Duration.ofMillis(50);
        List<String> all = new ArrayList<>(List.of("--repo", repo.toString()));
        if (!List.of(args).contains("--kubeconfig")) all.addAll(List.of("--kubeconfig", cluster.kubeconfig.toString()));
        all.addAll(List.of(args));
        return LogsTests.run(b, all.toArray(String[]::new));
    }

    List<String> requests() throws InterruptedException {
        List<String> lines = new ArrayList<>();
        RecordedRequest r;
        while ((r = cluster.server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) lines.add(r.getMethod() + " " + r.getPath().replaceAll("\\?.*", ""));
        return lines;
    }

    Map<String, String> files() throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(repo)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) all.put(repo.relativize(p).toString(), Files.readString(p));
        }
        return all;
    }

    // ------------------------------------------------------------------ tests

    @Test
    void stepsRunInOrderSecretsThenArgoCdThenTheTreeRootLast() throws Exception {
        LogsTests.Run r = bootstrap("--owner", "octocat", "--no-wait", "minikube");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).containsSubsequence("[1/7] preflight", "[2/7] owner", "[3/7] secrets", "[4/7] argocd", "[5/7] apply", "[6/7] wait", "[7/7] report");
        assertThat(r.out()).contains("1 of 1 node(s) Ready").contains("<= allocatable 4000m / 8.0Gi on 1 Ready node(s): fits");

        List<String> writes = requests().stream().filter(l -> !l.startsWith("GET")).toList();
        assertThat(writes).containsSubsequence(
                "POST /api/v1/namespaces/monitoring/secrets", "POST /api/v1/namespaces/music/secrets",
                "POST /api/v1/namespaces/argocd/secrets", // the fake Helm's release record
                "POST /apis/argoproj.io/v1alpha1/namespaces/argocd/appprojects",
                "POST /apis/argoproj.io/v1alpha1/namespaces/argocd/applications");
        assertThat(writes.get(writes.size() - 1)).isEqualTo("POST /apis/argoproj.io/v1alpha1/namespaces/argocd/applications");
        assertThat(r.out().indexOf("Application/root created")).isGreaterThan(r.out().indexOf("Application/music created"));

        // Argo CD from the one source: application-argocd.yaml's chart, version and values
        assertThat(helmCalls).containsExactly("argocd argo-cd 10.3.3 argocd {\"dex\":{\"enabled\":false},\"global\":{\"image\":{\"tag\":\"v3.5.1\"}}} (kubeconfig of the cluster)");
        GenericKubernetesResource root = cluster.client.genericKubernetesResources(BootstrapCluster.APPLICATIONS).inNamespace("argocd").withName("root").get();
        assertThat(VerifyTree.str(root.getAdditionalProperties(), "spec", "source", "repoURL")).isEqualTo("https://github.com/octocat/music-gitops.git");
        // s1's signing key: an EC P-256 private key in PKCS#8 PEM, as s1 reads it (apps/s1 SigningKeys)
        String pem = new String(Base64.getDecoder().decode(cluster.client.secrets().inNamespace("music").withName("s1-signing-key").get().getData().get("current.pem")));
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        java.security.PrivateKey key = java.security.KeyFactory.getInstance("EC").generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(
                Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""))));
        assertThat(((java.security.interfaces.ECPrivateKey) key).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(cluster.client.secrets().inNamespace("monitoring").withName("grafana-admin").get().getData()).containsKeys("admin-user", "admin-password");
    }

    @Test
    void aSecondRunChangesNothingAndSaysSo() throws Exception {
        assertThat(bootstrap("--owner", "octocat", "--no-wait", "minikube").exit()).isZero();
        Map<String, String> before = cluster.client.secrets().inNamespace("music").withName("s1-signing-key").get().getData();
        requests();

        LogsTests.Run again = bootstrap("--owner", "octocat", "--no-wait", "minikube");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("already name octocat: unchanged").contains("music/s1-signing-key: exists, kept")
                .contains("Helm release argocd exists in argocd: unchanged").contains("Application/root unchanged")
                .contains("Nothing changed: the cluster already is as clusters/minikube says.").doesNotContain(" created");
        assertThat(requests()).allMatch(l -> l.startsWith("GET"));
        assertThat(helmCalls).hasSize(1);
        assertThat(cluster.client.secrets().inNamespace("music").withName("s1-signing-key").get().getData()).isEqualTo(before);

        LogsTests.Run rotated = bootstrap("--owner", "octocat", "--no-wait", "--rotate", "minikube");
        assertThat(rotated.out()).contains("music/s1-signing-key: rotated (current.pem)");
        assertThat(cluster.client.secrets().inNamespace("music").withName("s1-signing-key").get().getData().get("current.pem")).isNotEqualTo(before.get("current.pem"));
    }

    @Test
    void secretValuesAreNeverPrintedNorWrittenIntoTheWorkingTree() throws Exception {
        LogsTests.Run first = bootstrap("--owner", "octocat", "--no-wait", "minikube");
        assertThat(first.exit()).isZero();
        List<String> values = secretValues();
        LogsTests.Run second = bootstrap("--owner", "octocat", "--no-wait", "--rotate", "minikube");
        assertThat(second.exit()).isZero();
        values.addAll(secretValues());
        // s1's key and Grafana's password, each as stored (base64) and as used, after each run
        assertThat(values).hasSize(8).doesNotHaveDuplicates();
        String all = first.out() + first.err() + second.out() + second.err() + String.join("\n", files().values());
        for (String v : values) {
            assertThat(all).doesNotContain(v);
            for (String line : v.lines().filter(l -> l.length() > 20 && !l.startsWith("-----")).toList()) assertThat(all).doesNotContain(line);
        }
        assertThat(files().keySet()).noneMatch(f -> f.endsWith(".env") || f.endsWith(".pem"));
    }

    List<String> secretValues() {
        List<String> values = new ArrayList<>();
        for (Secret s : cluster.client.secrets().inAnyNamespace().list().getItems()) {
            if (!"bootstrap".equals(s.getMetadata().getLabels().get("app.kubernetes.io/managed-by"))) continue;
            s.getData().forEach((k, v) -> {
                String plain = new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
                if (!"admin".equals(plain)) { // the literal user name is no secret
                    values.add(plain);
                    values.add(v);
                }
            });
        }
        return values;
    }

    @Test
    void noClusterIsOneSentenceAndExit1() throws Exception {
        int port = TestPorts.free();
        Path closed = LogsTests.Cluster.kubeconfig(tmp, "http://127.0.0.1:" + port, "gone", "music");
        LogsTests.Run r = bootstrap("--kubeconfig", closed.toString(), "--owner", "octocat", "minikube");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("bootstrap: No cluster to bootstrap: the API server http://127.0.0.1:" + port)
                .contains("minikube start").doesNotContain("Exception").doesNotContain("\n");

        LogsTests.Run none = bootstrap("--kubeconfig", tmp.resolve("missing").toString(), "minikube");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err().strip()).contains("does not exist").doesNotContain("\n");
        assertThat(helmCalls).isEmpty();
    }

    @Test
    void dryRunPrintsThePlanAndTouchesNothing() throws Exception {
        Map<String, String> before = files();
        requests();
        LogsTests.Run r = bootstrap("--dry-run", "--owner", "octocat", "minikube");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("would change 10 line(s)").contains("+  url: https://github.com/octocat/music-gitops.git")
                .contains("+++ b/overlays/eks/sample-data/kustomization.yaml")
                .contains("would make music/s1-signing-key (current.pem: EC P-256 private key 's1-signing', PKCS#8 PEM)").contains("would install chart argo-cd 10.3.3")
                .contains("Application/root would be created").contains("Dry run: nothing was changed.");
        assertThat(requests()).isNotEmpty().allMatch(l -> l.startsWith("GET"));
        assertThat(files()).isEqualTo(before);
        assertThat(helmCalls).isEmpty();

        LogsTests.Run noCluster = bootstrap("--kubeconfig", tmp.resolve("missing").toString(), "--dry-run", "minikube");
        assertThat(noCluster.exit()).isZero();
        assertThat(noCluster.out()).contains("no cluster: ").contains("total 725m / 2.3Gi").contains("argo-cd 10.3.3");
    }

    @Test
    void requestsOverTheAllocatableStopInThePreflight() {
        cluster.client.nodes().withName("minikube").delete();
        node("small", "500m", "1Gi");
        LogsTests.Run r = bootstrap("--owner", "octocat", "minikube");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("> allocatable 500m / 1.0Gi on 1 Ready node(s): does not fit");
        assertThat(r.err()).contains("requests 725m / 2.3Gi but the Ready nodes can hold 500m / 1.0Gi");
        assertThat(cluster.client.secrets().inAnyNamespace().list().getItems()).isEmpty();
    }

    @Test
    void aForkThatStillNamesExampleOrgIsToldToPassOwner() {
        LogsTests.Run r = bootstrap("minikube");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("bootstrap: clusters/minikube/repository.yaml still points at example-org: pass --owner <your GitHub user> so Argo CD reads your fork.");
        assertThat(bootstrap("--owner", "not_valid!", "minikube").exit()).isEqualTo(2);
        assertThat(bootstrap("--owner", "x", "nosuchcluster").exit()).isEqualTo(2);
    }

    @Test
    void unpushedChangesStopBeforeTheApplyStep() throws Exception {
        git("init", "-q");
        git("add", "-A");
        git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "fork");
        LogsTests.Run r = bootstrap("--owner", "octocat", "minikube");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).contains("music/s1-signing-key: created").contains("installed");
        assertThat(r.err()).contains("lacks your local work (uncommitted changes in clusters/eks/repository.yaml")
                .contains("commit and push it").contains("run bootstrap.java minikube again");
        assertThat(cluster.client.genericKubernetesResources(BootstrapCluster.APPLICATIONS).inNamespace("argocd").list().getItems()).isEmpty();
    }

    @Test
    void aForkWithoutTheBranchArgoCdFollowsIsToldToPushItOnce() throws Exception {
        Path origin = tmp.resolve("origin.git");
        git("init", "-q", "-b", "main");
        LogsTests.Run owner = bootstrap("--owner", "octocat", "minikube"); // stops at the apply step: nothing committed yet
        assertThat(owner.exit()).isEqualTo(3);
        git("add", "-A");
        git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "fork");
        Process bare = new ProcessBuilder("git", "init", "-q", "--bare", origin.toString()).start();
        assertThat(bare.waitFor()).isZero();
        git("remote", "add", "origin", origin.toString());
        git("push", "-q", "-u", "origin", "main");

        LogsTests.Run r = bootstrap("minikube");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(3);
        assertThat(r.err()).contains("Argo CD follows branch deploy/minikube").contains("`git push origin HEAD:deploy/minikube`");
        assertThat(cluster.client.genericKubernetesResources(BootstrapCluster.APPLICATIONS).inNamespace("argocd").list().getItems()).isEmpty();

        git("push", "-q", "origin", "HEAD:deploy/minikube");
        LogsTests.Run again = bootstrap("--no-wait", "minikube");
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(cluster.client.genericKubernetesResources(BootstrapCluster.APPLICATIONS).inNamespace("argocd").list().getItems()).isNotEmpty();
    }

    @Test
    void aPullRequestsCommitLeavesRootOut() {
        LogsTests.Run r = bootstrap("--revision", "3f9c2d1e8b7a", "--repository-url", "https://github.com/someone/music-gitops.git", "--no-wait", "minikube");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("root left out").doesNotContain("Application/root");
        GenericKubernetesResource music = cluster.client.genericKubernetesResources(BootstrapCluster.APPLICATIONS).inNamespace("argocd").withName("music").get();
        assertThat(VerifyTree.str(music.getAdditionalProperties(), "spec", "source", "targetRevision")).isEqualTo("3f9c2d1e8b7a");
        GenericKubernetesResource project = cluster.client.genericKubernetesResources(BootstrapCluster.APPPROJECTS).inNamespace("argocd").withName("music").get();
        assertThat(String.valueOf(VerifyTree.at(project.getAdditionalProperties(), "spec", "sourceRepos"))).contains("https://github.com/someone/music-gitops.git");
    }

    @Test
    void theWaitNamesTheFirstThingThatIsNotHealthy() {
        Thread argo = new Thread(() -> {
            for (int i = 0; i < 200; i++) {
                for (GenericKubernetesResource app : cluster.client.genericKubernetesResources(BootstrapCluster.APPLICATIONS).inNamespace("argocd").list().getItems()) {
                    if (app.getAdditionalProperties().get("status") != null) continue;
                    boolean music = "music".equals(app.getMetadata().getName());
                    app.setAdditionalProperty("status", Map.of("sync", Map.of("status", "Synced"), "health", Map.of("status", music ? "Degraded" : "Healthy"),
                            "resources", music ? List.of(Map.of("kind", "Deployment", "namespace", "music", "name", "s2", "health", Map.of("status", "Degraded"))) : List.of()));
                    cluster.client.genericKubernetesResources(BootstrapCluster.APPLICATIONS).inNamespace("argocd").resource(app).update();
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        cluster.client.pods().inNamespace("music").resource(new PodBuilder().withNewMetadata().withName("s2-7d9f").withNamespace("music")
                .addToLabels("app.kubernetes.io/name", "s2").endMetadata().withNewStatus().withPhase("Pending").addNewContainerStatus().withName("s2")
                .withNewState().withNewWaiting().withReason("ImagePullBackOff").endWaiting().endState().endContainerStatus().endStatus().build()).create();
        argo.start();
        LogsTests.Run r = bootstrap("--owner", "octocat", "--timeout", "2", "minikube");
        argo.interrupt();
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("root         Synced     Healthy").contains("music        Synced     Degraded     Deployment music/s2 is Degraded: pod s2-7d9f ImagePullBackOff");
        assertThat(r.err().strip()).startsWith("bootstrap: after 2 s Application music is Synced/Degraded: Deployment music/s2 is Degraded: pod s2-7d9f ImagePullBackOff (no such image")
                .contains("jbang scripts/status.java").doesNotContain("\n");
    }

    @Test
    void everySecretTheRealTreesUseHasAGenerator() {
        for (String name : List.of("minikube", "eks")) {
            List<BootstrapSecrets.Needed> needed = BootstrapSecrets.needed(BootstrapTree.read(REPO, name));
            assertThat(needed).as(name).extracting(BootstrapSecrets.Needed::id).contains("monitoring/grafana-admin").isNotEmpty();
        }
    }

    @Test
    void aSecretWithoutAGeneratorFailsNamingIt() throws IOException {
        Path s1 = repo.resolve("base/s1/deployment.yaml");
        Files.writeString(s1, Files.readString(s1).replace("secretName: s1-signing-key", "secretName: mystery"));
        LogsTests.Run r = bootstrap("--owner", "octocat", "minikube");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("bootstrap: Secret music/mystery, used by Deployment/s1 (overlays/minikube), has no generator: "
                + "add it to GENERATORS in scripts/lib/BootstrapSecrets.java (how each key is made).");
    }

    @Test
    void theEmbeddedHelmRunsAndAnUnreachableChartRepositoryIsOneSentence() throws IOException {
        int port = TestPorts.free();
        Path argocd = repo.resolve("clusters/minikube/application-argocd.yaml");
        Files.writeString(argocd, Files.readString(argocd).replace("https://argoproj.github.io/argo-helm", "http://127.0.0.1:" + port + "/argo-helm"));
        bootstrap b = new bootstrap(); // helm-java itself, not the fake
        LogsTests.Run r = LogsTests.run(b, "--repo", repo.toString(), "--kubeconfig", cluster.kubeconfig.toString(), "--owner", "octocat", "minikube");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("bootstrap: installing Argo CD failed: looks like \"http://127.0.0.1:" + port + "/argo-helm\" is not a valid chart repository")
                .contains("then run bootstrap again.").doesNotContain("\n");
    }

    @Test
    void eksDryRunCountsTheHpaMinimumsAndNamesTheAwsIdentity() throws Exception {
        com.sun.net.httpserver.HttpServer sts = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        sts.createContext("/", x -> {
            byte[] body = ("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
                    + "<Arn>arn:aws:iam::123456789012:user/octocat</Arn><UserId>AIDEXAMPLE</UserId><Account>123456789012</Account>"
                    + "</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "text/xml");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        sts.start();
        FakeAwsCredentials credentials = FakeAwsCredentials.install();
        try {
            bootstrap b = new bootstrap();
            b.helm = fakeHelm();
            b.awsEndpoint = "http://127.0.0.1:" + sts.getAddress().getPort();
            LogsTests.Run r = LogsTests.run(b, "--repo", repo.toString(), "--kubeconfig", tmp.resolve("missing").toString(),
                    "--region", "us-east-1", "--owner", "octocat", "--dry-run", "eks");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("AWS: account 123456789012 as arn:aws:iam::123456789012:user/octocat, region us-east-1")
                    .contains("s1 2 x 100m/384Mi").contains("s2 2 x 100m/384Mi").contains("alertmanager.alertmanagerSpec 2 x 20m/64Mi")
                    .contains("would print what runs in AWS");
        } finally {
            credentials.restore();
            sts.stop(0);
        }
    }

    void git(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", repo.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }
}
