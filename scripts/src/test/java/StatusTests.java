import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** status.java's one screen against fabric8's mock API server and DynamoDB Local, with parts missing or unreachable. */
class StatusTests {

    static DynamoDbLocal dynamo;
    static String dynamoUrl;
    static FakeAwsCredentials credentials;

    LogsTests.Cluster cluster;
    @TempDir
    Path tmp;

    @BeforeAll
    static void fakeCredentialsAndDynamoDbLocal() throws Exception {
        credentials = FakeAwsCredentials.install();
        dynamo = DynamoDbLocal.start();
        dynamoUrl = dynamo.url;
        dynamo.createTable("music", "uuid");
        dynamo.client.putItem(b -> b.tableName("music").item(Map.of("uuid", AttributeValue.fromS("1"), "Artist", AttributeValue.fromS("Queen"))));
        dynamo.client.putItem(b -> b.tableName("music").item(Map.of("uuid", AttributeValue.fromS("2"), "Artist", AttributeValue.fromS("ABBA"))));
    }

    @AfterAll
    static void restore() throws Exception {
        if (dynamo != null) {
            dynamo.close();
        }
        credentials.restore();
    }

    @BeforeEach
    void start() throws IOException {
        cluster = LogsTests.Cluster.start(tmp);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    LogsTests.Run status(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--region", "us-east-1"));
        if (!all.contains("--kubeconfig")) {
            all.addAll(List.of("--kubeconfig", cluster.kubeconfig.toString()));
        }
        if (!all.contains("--dynamodb-endpoint-url") && !all.contains("--no-aws")) {
            all.addAll(List.of("--dynamodb-endpoint-url", dynamoUrl));
        }
        return LogsTests.run(new status(), all.toArray(String[]::new));
    }

    void pod(String name, String component, boolean ready, int restarts, String waitingReason) {
        ContainerState state = waitingReason == null ? new ContainerStateBuilder().withNewRunning().endRunning().build()
                : new ContainerStateBuilder().withNewWaiting().withReason(waitingReason).withMessage("back-off").endWaiting().build();
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("music")
                .addToLabels("app.kubernetes.io/name", component).endMetadata()
                .withNewSpec().addNewContainer().withName(component).withImage("ghcr.io/owner/" + component + ":1").endContainer().endSpec()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .addNewContainerStatus().withName(component).withReady(ready).withRestartCount(restarts).withState(state).endContainerStatus()
                .endStatus().build();
        cluster.client.pods().inNamespace("music").resource(pod).create();
    }

    void application(String name, String sync, String health) {
        GenericKubernetesResource app = new GenericKubernetesResourceBuilder().withApiVersion("argoproj.io/v1alpha1").withKind("Application")
                .withNewMetadata().withName(name).withNamespace("argocd").endMetadata().build();
        app.setAdditionalProperty("spec", Map.of("project", "default"));
        app.setAdditionalProperty("status", Map.of("sync", Map.of("status", sync, "revision", "3f9c2d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e"),
                "health", Map.of("status", health)));
        cluster.client.genericKubernetesResources(status.APPLICATIONS).inNamespace("argocd").resource(app).create();
    }

    void gatewayLoadBalancer(String hostname) {
        cluster.client.services().inNamespace("music").resource(new ServiceBuilder().withNewMetadata().withName("gateway").withNamespace("music").endMetadata()
                .withNewSpec().withType("LoadBalancer").addNewPort().withPort(443).withNodePort(30080).endPort().endSpec()
                .withNewStatus().withNewLoadBalancer().addNewIngress().withHostname(hostname).endIngress().endLoadBalancer().endStatus()
                .build()).create();
    }

    void healthyApp() {
        pod("s1-aaa", "s1", true, 0, null);
        pod("s1-bbb", "s1", true, 0, null);
        pod("s2-aaa", "s2", true, 0, null);
        pod("s2-bbb", "s2", false, 4, "CrashLoopBackOff");
        pod("db-aaa", "db", true, 1, null);
        pod("gateway-aaa", "gateway", true, 0, null);
    }

    @Test
    void everythingReachableFitsOnOneScreen() {
        healthyApp();
        application("music", "Synced", "Healthy");
        application("music-apps", "OutOfSync", "Degraded");
        gatewayLoadBalancer("k8s-music-gateway-123.us-east-1.elb.amazonaws.com");

        LogsTests.Run r = status();

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        String url = cluster.server.url("/").replaceAll("/$", "");
        assertThat(r.out()).startsWith("Kubernetes: context 'mock-context', server " + url + "/, namespace music");
        assertThat(r.out().lines().map(String::stripTrailing).toList()).containsSubsequence(
                "Pods in music:",
                "  COMPONENT  READY  RESTARTS  PROBLEMS",
                "  s1         2/2    0",
                "  s2         1/2    4         s2-bbb: CrashLoopBackOff",
                "  db         1/1    1",
                "  loader     -      -         no pods (runs as a Job when loading data)",
                "  gateway    1/1    0",
                "Argo CD applications in argocd:",
                "  NAME                 SYNC       HEALTH       REVISION",
                "  music                Synced     Healthy      3f9c2d1",
                "  music-apps           OutOfSync  Degraded     3f9c2d1",
                "Entry point: https://k8s-music-gateway-123.us-east-1.elb.amazonaws.com (Service gateway, LoadBalancer)",
                "DynamoDB tables (us-east-1, " + dynamoUrl + "):",
                "  TABLE                STATUS       ITEMS       SIZE  BILLING",
                "Everything answered.");
        assertThat(r.out()).containsPattern("  music +ACTIVE +2 +\\d+ B  on-demand");
    }

    @Test
    void dynamoDbUnreachableStillShowsTheCluster() throws IOException {
        healthyApp();
        int closed = TestPorts.free();

        LogsTests.Run r = status("--dynamodb-endpoint-url", "http://127.0.0.1:" + closed);

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("  s2         1/2    4         s2-bbb: CrashLoopBackOff")
                .contains("Argo CD: no Applications in namespace argocd")
                .contains("Entry point: none (no Service 'gateway' and no Ingress in music)")
                .contains("DynamoDB (us-east-1, http://127.0.0.1:" + closed + "): not available")
                .contains("Not reachable: DynamoDB: Cannot reach the AWS endpoint for DynamoDB tables");
        assertThat(r.err()).contains("1 part(s) could not be checked");
    }

    @Test
    void noArgoCdCrdIsANoteNotAFailure() {
        healthyApp();
        cluster.server.expect().get().withPath("/apis/argoproj.io/v1alpha1/namespaces/argocd/applications")
                .andReturn(404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404,"
                        + "\"message\":\"the server could not find the requested resource\"}").always();
        cluster.client.services().inNamespace("music").resource(new ServiceBuilder().withNewMetadata().withName("gateway").endMetadata()
                .withNewSpec().withType("NodePort").addNewPort().withPort(80).withNodePort(30080).endPort().endSpec().build()).create();

        LogsTests.Run r = status();

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("Argo CD: not installed (no applications.argoproj.io resources)")
                .contains("Entry point: NodePort 30080 on any node (Service gateway; on minikube: minikube service gateway -n music --url)")
                .contains("Note: Argo CD is not installed in this cluster")
                .contains("  music ")
                .doesNotContain("Not reachable");
    }

    @Test
    void kubernetesUnreachableStillShowsDynamoDb() throws IOException {
        int closed = TestPorts.free();
        Path kubeconfig = LogsTests.Cluster.kubeconfig(tmp, "http://127.0.0.1:" + closed, "gone-cluster", "music");

        LogsTests.Run r = status("--kubeconfig", kubeconfig.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("Kubernetes: context 'gone-cluster', server http://127.0.0.1:" + closed + "/, namespace music")
                .contains("  pods: not available")
                .contains("DynamoDB tables (us-east-1, " + dynamoUrl + "):")
                .contains("Not reachable: Kubernetes: Cannot reach the Kubernetes API server http://127.0.0.1:" + closed + "/ of context 'gone-cluster'");
        assertThat(r.out()).doesNotContain("Argo CD").doesNotContain("\tat ");
    }

    @Test
    void noAwsSkipsDynamoDbAndEmptyNamespaceSaysNoPods() {
        LogsTests.Run r = status("--no-aws", "--namespace", "music");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("  s1         -      -         no pods").contains("DynamoDB: not checked (--no-aws)");
    }

    @Test
    void helpShowsAnExample() {
        LogsTests.Run r = LogsTests.run(new status(), "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("jbang scripts/status.java").contains("--dynamodb-endpoint-url");
        assertThat(LogsTests.run(new status(), "--bogus").exit()).isEqualTo(2);
    }
}
