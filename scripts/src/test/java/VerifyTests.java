import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * verify.java on a copy of the repository's GitOps tree: the clean tree passes, and a defect planted
 * for each rule class is reported with exit code 1. Each test renders the overlays it needs once.
 */
class VerifyTests extends VerifyFixture {

    // ---------------------------------------------------------------- clean tree

    @Test
    void theRepositoryTreePasses() {
        Run run = verify();
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.lines()).as(run.err()).hasSize(1);
        assertThat(run.out()).contains("0 findings").contains("overlays/minikube").contains("overlays/eks");
    }

    @Test
    void jsonFormatListsTheFindings() throws IOException {
        edit("base/s2/deployment.yaml", "          image: s2", "          imagee: s2");
        Run run = verify("overlays/minikube", "--format", "json");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).contains("\"units\" : [ \"overlays/minikube\" ]")
                .contains("\"field\" : \"spec.template.spec.containers[0].imagee\"")
                .contains("\"rule\" : \"schema/unknown-field\"");
    }

    @Test
    void aFolderThatDoesNotExistIsAUsageError() {
        Run run = verify("overlays/nowhere");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("overlays/nowhere is not a folder");
    }

    // ---------------------------------------------------------------- schema

    @Test
    void schemaCatchesUnknownFieldsWrongTypesMissingFieldsAndBadEnums() throws IOException {
        edit("base/s2/deployment.yaml", "          image: s2", "          imagee: s2");
        edit("base/db/deployment.yaml", "  revisionHistoryLimit: 3", "  revisionHistoryLimit: three");
        edit("base/gateway/deployment.yaml", "            - name: http\n              containerPort: 8080",
                "            - name: http\n              protocol: HTTP\n              containerPort: 8080");
        edit("base/s1/networkpolicy.yaml", "  podSelector:", "  podSelectorr:");
        edit("base/aws/table-music.yaml", "billingMode: PAY_PER_REQUEST", "billingMode: FREE");
        edit("base/aws/table-user.yaml", "  tableName: music-users\n", "  tableName: music-users\n  billingModee: PAY_PER_REQUEST\n");
        edit("base/aws/table-user.yaml", "      keyType: HASH\n", "");
        Run run = verify();
        assertThat(run.code()).isEqualTo(1);
        assertFinding(run, "base/s2/deployment.yaml", "Deployment/s2", "spec.template.spec.containers[0].imagee", "schema/unknown-field");
        assertFinding(run, "base/db/deployment.yaml", "Deployment/db", "spec.revisionHistoryLimit", "schema/type");
        assertFinding(run, "base/gateway/deployment.yaml", "Deployment/gateway", "spec.template.spec.containers[0].ports[0].protocol", "schema/enum");
        assertFinding(run, "base/s1/networkpolicy.yaml", "NetworkPolicy/s1", "spec.podSelectorr", "schema/unknown-field");
        assertFinding(run, "base/aws/table-music.yaml", "Table/music", "spec.billingMode", "schema/enum");
        assertFinding(run, "base/aws/table-user.yaml", "Table/user", "spec.billingModee", "schema/unknown-field");
        assertFinding(run, "base/aws/table-user.yaml", "Table/user", "spec.keySchema[0]", "schema/required");
    }

    @Test
    void schemaNamesKindsItHasNoSchemaFor() throws IOException {
        write("base/aws/queue.yaml", "apiVersion: sqs.services.k8s.aws/v1alpha1\nkind: Queue\nmetadata:\n  name: jobs\nspec:\n  queueName: jobs\n");
        edit("base/aws/kustomization.yaml", "  - table-user.yaml", "  - table-user.yaml\n  - queue.yaml");
        Run run = verify("overlays/eks");
        assertThat(run.code()).isEqualTo(1);
        assertFinding(run, "base/aws/queue.yaml", "Queue/jobs", "-", "schema/no-schema");
    }

    // ---------------------------------------------------------------- policy

    @Test
    void policyCatchesPodSecurityProbesResourcesImagesAndSecretsInGit() throws IOException {
        edit("base/s1/deployment.yaml", "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true");
        edit("base/s1/deployment.yaml", "        runAsNonRoot: true\n", "");
        edit("base/s2/deployment.yaml", "              drop:\n                - ALL\n", "              drop:\n                - NET_RAW\n");
        edit("base/gateway/deployment.yaml", "            - name: tmp\n              mountPath: /tmp\n", "");
        edit("base/db/deployment.yaml", "          readinessProbe:\n            httpGet:\n              path: /api/v1/datastore/readiness\n              port: http\n            periodSeconds: 5\n            timeoutSeconds: 2\n            failureThreshold: 2\n", "");
        edit("base/dynamodb-local/deployment.yaml", "            limits:\n              cpu: \"1\"\n              memory: 512Mi\n", "");
        edit("base/dynamodb-local/deployment.yaml", "amazon/dynamodb-local:2.6.1", "amazon/dynamodb-local:latest");
        edit("overlays/minikube/kustomization.yaml", "    newName: ghcr.io/example-org/s2\n    newTag: 0.1.0\n", "    newName: ghcr.io/example-org/s2\n");
        edit("base/loader/job.yaml", "            - name: LOADER_URL\n", "            - name: ADMIN_TOKEN\n              value: s3cr3t\n            - name: LOADER_URL\n");
        edit("overlays/minikube/db-dynamodb-local.patch.yaml", "  DB_CREATE_TABLES: \"true\"\n", "  DB_CREATE_TABLES: \"true\"\n  AWS_SECRET_ACCESS_KEY: abc\n");
        write("base/namespace/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\nstringData:\n  password: hunter2\n");
        edit("base/namespace/kustomization.yaml", "  - namespace.yaml", "  - namespace.yaml\n  - secret.yaml");
        edit("base/gateway/deployment.yaml", "      automountServiceAccountToken: false\n", "");
        Run run = verify("overlays/minikube");
        assertThat(run.code()).isEqualTo(1);
        String c0 = "spec.template.spec.containers[0]";
        assertFinding(run, "base/s1/deployment.yaml", "Deployment/s1", c0 + ".securityContext.allowPrivilegeEscalation", "pod-security");
        assertFinding(run, "base/s1/deployment.yaml", "Deployment/s1", c0 + ".securityContext.runAsNonRoot", "pod-security");
        assertFinding(run, "base/s2/deployment.yaml", "Deployment/s2", c0 + ".securityContext.capabilities.drop", "pod-security");
        assertFinding(run, "base/gateway/deployment.yaml", "Deployment/gateway", c0 + ".volumeMounts", "read-only-root");
        assertFinding(run, "base/gateway/deployment.yaml", "Deployment/gateway", "spec.template.spec.automountServiceAccountToken", "service-account-token");
        assertFinding(run, "base/db/deployment.yaml", "Deployment/db", c0 + ".readinessProbe", "probes");
        assertFinding(run, "base/dynamodb-local/deployment.yaml", "Deployment/dynamodb-local", c0 + ".resources.limits.memory", "resources");
        assertFinding(run, "base/dynamodb-local/deployment.yaml", "Deployment/dynamodb-local", c0 + ".image", "image-pinned");
        assertFinding(run, "base/s2/deployment.yaml", "Deployment/s2", c0 + ".image", "image-pinned");
        assertFinding(run, "base/loader/job.yaml", "Job/loader", c0 + ".env.ADMIN_TOKEN", "secret-literal");
        assertFinding(run, "base/db/configmap.properties", "ConfigMap/db", "data.AWS_SECRET_ACCESS_KEY", "secret-literal");
        assertFinding(run, "base/namespace/secret.yaml", "Secret/leaked", "data", "secret-in-git");
        assertThat(run.out()).doesNotContain("hunter2").doesNotContain("s3cr3t");
    }

    @Test
    void policyHoldsEksToReplicasPdbsAndHpas() throws IOException {
        edit("base/ha/kustomization.yaml", "  - poddisruptionbudget-s1.yaml\n", "");
        edit("base/ha/poddisruptionbudget-gateway.yaml", "minAvailable: 1", "minAvailable: 2");
        edit("base/ha/s2-replicas.patch.yaml", "- op: remove\n  path: /spec/replicas\n", "");
        write("base/ha/db-replicas.patch.yaml", "- op: remove\n  path: /spec/replicas\n");
        Run run = verify("overlays/eks");
        assertThat(run.code()).isEqualTo(1);
        assertFinding(run, "base/s1/deployment.yaml", "Deployment/s1", "-", "high-availability");
        assertFinding(run, "base/ha/poddisruptionbudget-gateway.yaml", "PodDisruptionBudget/gateway", "spec.minAvailable", "high-availability");
        assertFinding(run, "base/s2/deployment.yaml", "Deployment/s2", "spec.replicas", "hpa");
        assertFinding(run, "base/db/deployment.yaml", "Deployment/db", "spec.template.spec.topologySpreadConstraints", "high-availability");
    }

    // ---------------------------------------------------------------- cross-references

    @Test
    void referencesMustResolve() throws IOException {
        edit("base/s1/service.yaml", "  selector:\n    app.kubernetes.io/name: s1", "  selector:\n    app.kubernetes.io/name: users");
        edit("base/s2/service.yaml", "targetPort: http", "targetPort: web");
        edit("base/db/deployment.yaml", "      serviceAccountName: db", "      serviceAccountName: datastore");
        edit("base/s1/deployment.yaml", "secretName: s1-signing-key", "secretName: s1-signing-keys");
        edit("base/s2/deployment.yaml", "            - configMapRef:\n                name: s2", "            - configMapRef:\n                name: music");
        edit("base/gateway/deployment.yaml", "            httpGet:\n              path: /healthz\n              port: http\n            periodSeconds: 2",
                "            httpGet:\n              path: /healthz\n              port: 8081\n            periodSeconds: 2");
        edit("base/dynamodb-local/networkpolicy.yaml", "              app.kubernetes.io/name: db", "              app.kubernetes.io/name: datastore");
        edit("base/s1/networkpolicy.yaml", "        - port: 30002", "        - port: 30003");
        edit("base/loader/job.yaml", "            - name: tmp\n              mountPath", "            - name: temp\n              mountPath");
        Run run = verify("overlays/minikube");
        assertThat(run.code()).isEqualTo(1);
        String c0 = "spec.template.spec.containers[0]";
        assertFinding(run, "base/s1/service.yaml", "Service/s1", "spec.selector", "reference");
        assertFinding(run, "base/s2/service.yaml", "Service/s2", "spec.ports[0].targetPort", "reference");
        assertFinding(run, "base/db/deployment.yaml", "Deployment/db", "spec.template.spec.serviceAccountName", "reference");
        assertFinding(run, "base/s1/deployment.yaml", "Deployment/s1", "spec.template.spec.volumes[1].secret", "reference");
        assertFinding(run, "base/s2/deployment.yaml", "Deployment/s2", c0 + ".envFrom[0].configMapRef", "reference");
        assertFinding(run, "base/gateway/deployment.yaml", "Deployment/gateway", c0 + ".startupProbe.httpGet.port", "reference");
        assertFinding(run, "base/dynamodb-local/networkpolicy.yaml", "NetworkPolicy/dynamodb-local", "spec.ingress[0].from[0].podSelector", "reference");
        assertFinding(run, "base/s1/networkpolicy.yaml", "NetworkPolicy/s1", "spec.egress[0].ports[0].port", "reference");
        assertFinding(run, "base/loader/job.yaml", "Job/loader", c0 + ".volumeMounts", "reference");
    }

    @Test
    void aSecretWithoutItsExampleFileCannotBeChecked() throws IOException {
        Files.delete(tree.resolve("overlays/minikube/secrets/current.pem.example"));
        Run run = verify("overlays/minikube");
        assertThat(run.code()).isEqualTo(1);
        assertFinding(run, "overlays/minikube/secrets/kustomization.yaml", "-", "secretGenerator", "render");
        // and without that Secret s1's signing key mount points at nothing
        assertFinding(run, "base/s1/deployment.yaml", "Deployment/s1", "spec.template.spec.volumes[1].secret", "reference");
    }

    @Test
    void authCompatInARenderedOverlayIsAFinding() throws IOException {
        edit("base/s2/configmap.properties", "DB_URL=http://db:30002\n", "DB_URL=http://db:30002\nAUTH_COMPAT=true\n");
        edit("base/s1/deployment.yaml", "          envFrom:\n", "          env:\n            - name: AUTH_COMPAT\n              value: \"TRUE\"\n          envFrom:\n");
        Run run = verify("overlays/minikube", "overlays/eks");
        assertThat(run.code()).isEqualTo(1);
        assertFinding(run, "base/s2/configmap.properties", "ConfigMap/s2", "data.AUTH_COMPAT", "auth-compat");
        assertFinding(run, "base/s1/deployment.yaml", "Deployment/s1", "spec.template.spec.containers[0].env.AUTH_COMPAT", "auth-compat");
        assertThat(run.lines().stream().filter(l -> l.contains("auth-compat"))).as("both overlays").hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(l -> assertThat(l).contains("--compat-auth"));
    }

    @Test
    void aKustomizationThatDoesNotRenderIsAFinding() throws IOException {
        edit("overlays/minikube/kustomization.yaml", "  - path: gateway-nodeport.patch.yaml", "  - path: gateway-nodeports.patch.yaml");
        Run run = verify("overlays/minikube");
        assertThat(run.code()).isEqualTo(1);
        assertFinding(run, "overlays/minikube/kustomization.yaml", "-", "-", "render");
    }

    // ---------------------------------------------------------------- Argo CD

    @Test
    void argoApplicationsProjectsChartsAndTheBootstrapReleaseAreChecked() throws IOException {
        edit("clusters/minikube/application-music.yaml", "path: overlays/minikube", "path: overlays/minikub");
        edit("clusters/minikube/application-argocd.yaml", "project: platform", "project: default");
        edit("clusters/eks/application-metrics-server.yaml", "targetRevision: 3.13.0", "targetRevision: 3.x");
        edit("clusters/minikube/appproject-platform.yaml", "      namespace: argocd", "      namespace: '*'");
        edit("clusters/eks/appproject-music.yaml", "    - group: dynamodb.services.k8s.aws\n      kind: Table\n", "");
        edit("clusters/eks/application-root.yaml", "      selfHeal: true\n", "");
        edit("clusters/README.md", "--version 10.3.3 --namespace argocd", "--version 10.3.2 --namespace argocd");
        Run run = verify("clusters/minikube", "clusters/eks");
        assertThat(run.code()).isEqualTo(1);
        assertFinding(run, "clusters/minikube/application-music.yaml", "Application/music", "spec.source.path", "argo-path");
        assertFinding(run, "clusters/minikube/application-argocd.yaml", "Application/argocd", "spec.project", "argo-project");
        assertFinding(run, "clusters/eks/application-metrics-server.yaml", "Application/metrics-server", "spec.source.targetRevision", "argo-pinned");
        assertFinding(run, "clusters/minikube/appproject-platform.yaml", "AppProject/platform", "spec.destinations[0]", "argo-project");
        assertFinding(run, "clusters/eks/application-music.yaml", "Application/music", "spec.source.path", "argo-project");
        assertFinding(run, "clusters/eks/application-root.yaml", "Application/root", "spec.syncPolicy.automated", "argo-sync");
        assertFinding(run, "clusters/eks/application-argocd.yaml", "Application/argocd", "spec.source.targetRevision", "argo-release");
        assertThat(run.out()).contains("renders Table (group 'dynamodb.services.k8s.aws'), which AppProject music does not allow")
                .contains("the bootstrap command in clusters/README.md installs chart 10.3.2");
    }

    @Test
    void argoHooksAndWavesMustBeWellFormedAndOrdered() throws IOException {
        edit("overlays/minikube/loader-postsync.patch.yaml", "    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation\n", "");
        edit("base/dynamodb-local/kustomization.yaml", "argocd.argoproj.io/sync-wave: \"0\"", "argocd.argoproj.io/sync-wave: first");
        // db's Deployment before the ConfigMap it reads
        edit("base/kustomization.yaml", "      name: db\n    patch: |-\n      apiVersion: v1\n      kind: Any\n      metadata:\n        name: any\n        annotations:\n          argocd.argoproj.io/sync-wave: \"1\"",
                "      name: db\n    patch: |-\n      apiVersion: v1\n      kind: Any\n      metadata:\n        name: any\n        annotations:\n          argocd.argoproj.io/sync-wave: \"-2\"");
        Run run = verify("overlays/minikube");
        assertThat(run.code()).isEqualTo(1);
        assertFinding(run, "base/loader/job.yaml", "Job/loader", "metadata.annotations.argocd.argoproj.io/hook-delete-policy", "argo-hook");
        assertFinding(run, "base/dynamodb-local/deployment.yaml", "Deployment/dynamodb-local", "metadata.annotations.argocd.argoproj.io/sync-wave", "argo-wave");
        assertThat(run.lines()).anySatisfy(l -> assertThat(l).startsWith("base/db/deployment.yaml · Deployment/db · metadata.annotations.argocd.argoproj.io/sync-wave · argo-wave · ")
                .contains("ConfigMap/db (wave -1)"));
    }

    // ---------------------------------------------------------------- monitoring (base/monitoring)

    @Test
    void monitoringKindsAreCheckedAgainstTheirSchemasTheirServicesAndTheProject() throws IOException {
        edit("base/monitoring/servicemonitor-s1.yaml", "      interval: 30s", "      intervall: 30s");
        edit("base/monitoring/prometheusrule-music.yaml", "          for: 10m", "          for: ten minutes");
        edit("base/monitoring/servicemonitor-s2.yaml", "  selector:\n    matchLabels:\n      app.kubernetes.io/name: s2", "  selector:\n    matchLabels:\n      app.kubernetes.io/name: music");
        edit("base/monitoring/servicemonitor-db.yaml", "    - port: management", "    - port: metrics");
        edit("clusters/minikube/appproject-music.yaml", "    - group: monitoring.coreos.com\n      kind: PrometheusRule\n", "");
        Run run = verify("overlays/minikube", "clusters/minikube");
        assertThat(run.code()).isEqualTo(1);
        assertFinding(run, "base/monitoring/servicemonitor-s1.yaml", "ServiceMonitor/s1", "spec.endpoints[0].intervall", "schema/unknown-field");
        assertFinding(run, "base/monitoring/prometheusrule-music.yaml", "PrometheusRule/music", "spec.groups[1].rules[1].for", "schema/schema");
        assertFinding(run, "base/monitoring/servicemonitor-s2.yaml", "ServiceMonitor/s2", "spec.selector", "reference");
        assertFinding(run, "base/monitoring/servicemonitor-db.yaml", "ServiceMonitor/db", "spec.endpoints[0].port", "reference");
        assertFinding(run, "clusters/minikube/application-music.yaml", "Application/music", "spec.source.path", "argo-project");
        assertThat(run.out()).contains("port metrics is not a port name of Service/db")
                .contains("renders PrometheusRule (group 'monitoring.coreos.com'), which AppProject music does not allow");
    }

    @Test
    void aServiceMonitorWhosePodsPrometheusMayNotReachIsAFinding() throws IOException {
        edit("base/monitoring/kustomization.yaml", "  - networkpolicy-prometheus-s2.yaml\n", "");
        edit("base/monitoring/networkpolicy-prometheus-db.yaml", "        - port: 31002", "        - port: 30002");
        Run run = verify("overlays/eks");
        assertThat(run.code()).isEqualTo(1);
        assertFinding(run, "base/monitoring/servicemonitor-s2.yaml", "ServiceMonitor/s2", "spec.endpoints[0].port", "network-policy");
        assertFinding(run, "base/monitoring/servicemonitor-db.yaml", "ServiceMonitor/db", "spec.endpoints[0].port", "network-policy");
        assertThat(run.lines()).noneSatisfy(l -> assertThat(l).contains("ServiceMonitor/s1"));
    }

    @Test
    void everyPromqlExpressionMustParseAndEveryAlertSaysWhatToRunFirst() throws IOException {
        // a missing parenthesis in a rule, a dangling operator in the dashboard
        edit("base/monitoring/prometheusrule-music.yaml", "[5m])))\n            > 0.030", "[5m]))\n            > 0.030");
        edit("base/monitoring/dashboard-music.json", "(app_build_info{namespace=\\\"music\\\"})", "(app_build_info{namespace=\\\"music\\\"}) +");
        edit("base/monitoring/prometheusrule-music.yaml", "          labels:\n            severity: critical\n", "          labels:\n            severity: page\n");
        edit("base/monitoring/prometheusrule-music.yaml", "Run first:\n              `jbang scripts/logs.java loader`, then `argocd app get music --core` and\n              `kubectl -n music describe job loader`.",
                "Look at the loader's logs.");
        Run run = verify("overlays/minikube");
        assertThat(run.code()).isEqualTo(1);
        assertFinding(run, "base/monitoring/prometheusrule-music.yaml", "PrometheusRule/music", "spec.groups[1].rules[1].expr", "promql");
        assertFinding(run, "base/monitoring/dashboard-music.json", "ConfigMap/grafana-dashboard-music", "data.music.json panels[10].targets[0].expr", "promql");
        assertFinding(run, "base/monitoring/prometheusrule-music.yaml", "PrometheusRule/music", "spec.groups[0].rules[0].labels.severity", "alert-rule");
        assertFinding(run, "base/monitoring/prometheusrule-music.yaml", "PrometheusRule/music", "spec.groups[0].rules[2].annotations.description", "alert-rule");
        assertThat(run.out()).contains("syntax error at column");
        // nothing else: the other expressions still parse
        assertThat(run.lines()).filteredOn(l -> l.contains(" · promql · ")).hasSize(2);
    }

    @Test
    void aDashboardThatIsNotJsonIsAFinding() throws IOException {
        edit("base/monitoring/dashboard-music.json", "\"panels\": [", "\"panels\": [,");
        Run run = verify("overlays/minikube");
        assertThat(run.code()).isEqualTo(1);
        assertFinding(run, "base/monitoring/dashboard-music.json", "ConfigMap/grafana-dashboard-music", "data.music.json", "dashboard");
    }

    @Test
    void theRulesAndTheDashboardOfTheRepositoryParseWithThePrometheusGrammar() throws IOException {
        Path tools = REPO.resolve("scripts/verify");
        new VerifySchema(tools).install();
        List<VerifyTree.Finding> renderFindings = new ArrayList<>();
        List<VerifyTree.Resource> objects = new VerifyTree(REPO).render(List.of(REPO.resolve("overlays/minikube")), renderFindings).get(0).resources();
        assertThat(renderFindings).isEmpty();
        List<String> exprs = new ArrayList<>();
        for (VerifyTree.Resource r : objects) {
            if (r.kind().equals("PrometheusRule")) {
                for (Map<String, Object> g : VerifyTree.maps(r.body(), "spec", "groups")) VerifyTree.maps(g, "rules").forEach(rule -> exprs.add(String.valueOf(rule.get("expr"))));
            }
        }
        int ruleCount = exprs.size();
        String dashboard = String.valueOf(VerifyTree.map(objects.stream().filter(r -> r.id().equals("ConfigMap/grafana-dashboard-music"))
                .findFirst().orElseThrow().body(), "data").get("music.json"));
        for (JsonNode panel : new ObjectMapper().readTree(dashboard).path("panels")) {
            for (JsonNode target : panel.path("targets")) if (target.has("expr")) exprs.add(target.get("expr").asText());
        }
        assertThat(ruleCount).as("alert rules").isGreaterThanOrEqualTo(9);
        assertThat(exprs.size() - ruleCount).as("dashboard queries").isGreaterThanOrEqualTo(11);
        JsonNode results = VerifyPromql.parse(tools, exprs);
        List<String> metrics = new ArrayList<>();
        for (int i = 0; i < exprs.size(); i++) {
            assertThat(results.get(i).get("errors")).as(exprs.get(i)).isEmpty();
            results.get(i).get("metrics").forEach(n -> metrics.add(n.asText()));
        }
        assertThat(metrics).contains("http_server_requests_seconds_bucket", "http_server_requests_seconds_count", "dynamodb_calls_seconds_bucket",
                "app_build_info", "kube_deployment_status_replicas_available", "kube_job_failed", "kube_pod_container_status_restarts_total");
        // and the parser does reject what Prometheus would reject
        JsonNode bad = VerifyPromql.parse(tools, List.of("sum(rate(x[5m])", "rate(x[5m]) +", "up{job=\"a\""));
        bad.forEach(b -> assertThat(b.get("errors")).isNotEmpty());
    }
}
