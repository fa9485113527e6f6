import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * teardown.java against fabric8's mock API server, after a bootstrap.java run with a fake Helm, with a thread
 * playing Argo CD's resources finalizer (it deletes what an Application deployed, then lets the Application go)
 * and a fake command line in place of minikube and eksctl; the bill step against CostTests' AWS stub.
 */
class TeardownTests {

    @TempDir
    Path tmp;
    Path repo;
    LogsTests.Cluster cluster;
    final List<String> commands = new CopyOnWriteArrayList<>();
    Thread argo;

    @BeforeEach
    void start() throws IOException {
        repo = tmp.resolve("repo");
        BootstrapTests.copyRepo(repo);
        cluster = LogsTests.Cluster.start(tmp);
        cluster.client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n").endMetadata().withNewStatus()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addToAllocatable("cpu", new Quantity("4")).addToAllocatable("memory", new Quantity("8Gi")).endStatus().build()).create();
    }

    @AfterEach
    void stop() {
        if (argo != null) argo.interrupt();
        cluster.close();
    }

    /** bootstrap.java's result, plus what the music Application deploys that bills: the gateway Service. */
    void bootstrapped(String name) {
        if ("minikube".equals(name)) {
            bootstrap b = new bootstrap();
            b.helm = (chart, kubeconfig, t) -> { };
            LogsTests.Run r = LogsTests.run(b, "--repo", repo.toString(), "--kubeconfig", cluster.kubeconfig.toString(), "--owner", "octocat", "--no-wait", name);
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
        } else { // the mock's address is no EKS endpoint, so bootstrap's preflight would refuse: apply what it applies
            BootstrapCluster k = new BootstrapCluster(cluster.client, "argocd");
            BootstrapTree.read(repo, name).objects().forEach(o -> k.apply(o, false));
        }
        cluster.client.services().inNamespace("music").resource(new ServiceBuilder().withNewMetadata().withName("gateway").withNamespace("music").endMetadata()
                .withNewSpec().withType("eks".equals(name) ? "LoadBalancer" : "NodePort").addNewPort().withPort(80).endPort().endSpec().build()).create();
    }

    /** Argo CD's finalizer, played: once music is being deleted (or gone), its gateway Service goes; then each Application being deleted goes. */
    void argoCdFinalizer() {
        argo = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    finalizeOnce();
                    Thread.sleep(20);
                } catch (InterruptedException | RuntimeException e) {
                    return; // the test is over and the client closed
                }
            }
        });
        argo.start();
    }

    void finalizeOnce() {
        var apps = cluster.client.genericKubernetesResources(BootstrapCluster.APPLICATIONS).inNamespace("argocd");
        GenericKubernetesResource music = apps.withName("music").get();
        if (music == null || music.getMetadata().getDeletionTimestamp() != null) {
            cluster.client.services().inNamespace("music").withName("gateway").delete();
        }
        for (GenericKubernetesResource app : apps.list().getItems()) {
            if (app.getMetadata().getDeletionTimestamp() != null && !app.getMetadata().getFinalizers().isEmpty()) {
                app.getMetadata().setFinalizers(List.of());
                apps.resource(app).update();
            }
        }
    }

    LogsTests.Run teardown(String... args) {
        teardown t = new teardown();
        t.commands = c -> {
            commands.add(String.join(" ", c));
            return 0;
        };
        t.interactive = () -> false;
        t.poll = Duration.ofMillis(20);
        List<String> all = new ArrayList<>(List.of("--repo", repo.toString()));
        if (!List.of(args).contains("--kubeconfig")) all.addAll(List.of("--kubeconfig", cluster.kubeconfig.toString()));
        if (!List.of(args).contains("--timeout")) all.addAll(List.of("--timeout", "5"));
        all.addAll(List.of(args));
        return LogsTests.run(t, all.toArray(String[]::new));
    }

    List<String> writes() throws InterruptedException {
        List<String> lines = new ArrayList<>();
        RecordedRequest r;
        while ((r = cluster.server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            if (!r.getMethod().equals("GET")) lines.add(r.getMethod() + " " + r.getPath().replaceAll("\\?.*", ""));
        }
        return lines;
    }

    @Test
    void minikubeInOrderRootOrphanedThenMusicAndItsGatewayThenTheRestThenTheCluster() throws Exception {
        bootstrapped("minikube");
        writes();
        argoCdFinalizer();
        LogsTests.Run r = teardown("minikube");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).containsSubsequence("[1/5] root", "root: orphaned", "[2/5] music", "music: deleted with what it deployed",
                "gateway Service and its NodePort gone", "no DynamoDB tables", "[3/5] the rest", "monitoring: deleted with what it deployed",
                "argocd: kept", "no load balancer Service and no volume claim left", "[4/5] cluster", "minikube delete -p minikube",
                "[5/5] bill", "Done: the cluster is gone.");
        List<String> deletes = writes().stream().filter(l -> l.startsWith("DELETE /apis")).toList();
        assertThat(deletes).containsSubsequence("DELETE /apis/argoproj.io/v1alpha1/namespaces/argocd/applications/root",
                "DELETE /apis/argoproj.io/v1alpha1/namespaces/argocd/applications/music",
                "DELETE /apis/argoproj.io/v1alpha1/namespaces/argocd/applications/monitoring");
        assertThat(deletes).doesNotContain("DELETE /apis/argoproj.io/v1alpha1/namespaces/argocd/applications/argocd");
        assertThat(commands).containsExactly("minikube delete -p minikube");
    }

    @Test
    void aLoadBalancerThatStaysStopsTheTeardownBeforeTheCluster() {
        bootstrapped("minikube");
        cluster.client.services().inNamespace("other").resource(new ServiceBuilder().withNewMetadata().withName("leftover").withNamespace("other").endMetadata()
                .withNewSpec().withType("LoadBalancer").addNewPort().withPort(80).endPort().endSpec().build()).create();
        argoCdFinalizer();
        LogsTests.Run r = teardown("--timeout", "1", "minikube");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("teardown: still in the cluster after 1 s, and billing once it is gone: Service other/leftover (a load balancer)")
                .doesNotContain("\n");
        assertThat(commands).isEmpty();
    }

    @Test
    void eksWithoutYesAndNoTerminalIsAUsageErrorThatTouchesNothing() throws Exception {
        bootstrapped("eks");
        writes();
        LogsTests.Run r = teardown("eks");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("teardown: deleting the EKS cluster needs a confirmation: run again with --yes, or from a terminal.");
        assertThat(writes()).isEmpty();
        assertThat(commands).isEmpty();
    }

    @Test
    void eksAsksAndANoChangesNothingMore() {
        bootstrapped("eks");
        argoCdFinalizer();
        teardown t = new teardown();
        t.commands = c -> {
            commands.add(String.join(" ", c));
            return 0;
        };
        t.interactive = () -> true;
        t.input = new BufferedReader(new StringReader("n\n"));
        t.poll = Duration.ofMillis(20);
        LogsTests.Run r = LogsTests.run(t, "--repo", repo.toString(), "--kubeconfig", cluster.kubeconfig.toString(), "--timeout", "5", "eks");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("tables music-songs, music-users are retained (deletion-policy retain)")
                .contains("`aws dynamodb delete-table --region us-east-1 --table-name music-songs`").contains("Delete EKS cluster music in us-east-1")
                .contains("not deleted: nothing more changed.");
        assertThat(commands).isEmpty();
    }

    @Test
    void eksBillStepExits3WhileAnythingStillBills() throws Exception {
        FakeAwsCredentials credentials = FakeAwsCredentials.install();
        try (CostTests.AwsStub aws = new CostTests.AwsStub()) {
            LogsTests.Run r = teardown("eks", "--skip-apps", "--yes", "--endpoint-url", aws.url());
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(3);
            assertThat(commands).containsExactly("eksctl delete cluster -f " + repo.resolve("clusters/eks/cluster.yaml") + " --wait");
            assertThat(r.out()).contains("[5/5] bill").contains("eks-cluster");
            assertThat(r.err()).contains("teardown: the cluster is gone but the list above still bills in us-east-1");
        } finally {
            credentials.restore();
        }
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        bootstrapped("minikube");
        writes();
        LogsTests.Run r = teardown("--dry-run", "minikube");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("root: would be orphaned").contains("music: would be deleted").contains("would run: minikube delete -p minikube")
                .contains("Dry run: nothing was changed.");
        assertThat(writes()).isEmpty();
        assertThat(commands).isEmpty();
    }

    @Test
    void anUnreachableClusterIsOneSentence() throws Exception {
        int port = TestPorts.free();
        Path closed = LogsTests.Cluster.kubeconfig(tmp, "http://127.0.0.1:" + port, "gone", "music");
        LogsTests.Run r = teardown("--kubeconfig", closed.toString(), "minikube");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).contains("does not answer").contains("--skip-apps").doesNotContain("\n").doesNotContain("Exception");
        assertThat(commands).isEmpty();
    }
}
