import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

/**
 * verify.java's rules for running the app in production (issue 16): each test breaks a copy of the tree the way a
 * regression would and asserts the finding line, so removing a safeguard fails ./mvnw verify.
 */
class VerifyProductionTests extends VerifyFixture {

    static final String C0 = "spec.template.spec.containers[0]";

    @Test
    void probesWaitAtLeastTwoSecondsAndNetworkPoliciesNamePortNumbers() throws IOException {
        edit("base/s2/deployment.yaml", "            periodSeconds: 5\n            timeoutSeconds: 2\n", "            periodSeconds: 5\n");
        edit("base/gateway/deployment.yaml", "            periodSeconds: 10\n            timeoutSeconds: 2\n", "            periodSeconds: 10\n            timeoutSeconds: 1\n");
        edit("base/s1/networkpolicy.yaml", "        - port: 30000", "        - port: http");
        Run run = verify("overlays/minikube");
        assertThat(run.code()).isEqualTo(1);
        assertFinding(run, "base/s2/deployment.yaml", "Deployment/s2", C0 + ".readinessProbe.timeoutSeconds", "probes");
        assertFinding(run, "base/gateway/deployment.yaml", "Deployment/gateway", C0 + ".livenessProbe.timeoutSeconds", "probes");
        assertFinding(run, "base/s1/networkpolicy.yaml", "NetworkPolicy/s1", "spec.ingress[0].ports[0].port", "numeric-port");
        assertThat(run.lines()).filteredOn(l -> l.contains(" · numeric-port · ")).hasSize(1);
    }

    @Test
    void tablesSurviveEveryCommitAndTheirNamesAreCoveredByIam() throws IOException {
        edit("base/aws/table-music.yaml", "  deletionProtectionEnabled: true\n", "");
        edit("base/aws/table-music.yaml", "    pointInTimeRecoveryEnabled: true", "    pointInTimeRecoveryEnabled: false");
        edit("base/aws/table-user.yaml", "    services.k8s.aws/deletion-policy: retain\n", "");
        edit("base/aws/table-user.yaml", "Prune=false,Delete=false", "Prune=false");
        edit("base/aws/table-user.yaml", "  tableName: music-users", "  tableName: users");
        edit("overlays/eks/db-aws.patch.yaml", "  DB_MUSIC_TABLE: music-songs", "  DB_MUSIC_TABLE: songs");
        Run run = verify("overlays/eks", "clusters/eks");
        assertThat(run.code()).isEqualTo(1);
        assertFinding(run, "base/aws/table-music.yaml", "Table/music", "spec.deletionProtectionEnabled", "table-protection");
        assertFinding(run, "base/aws/table-music.yaml", "Table/music", "spec.continuousBackups.pointInTimeRecoveryEnabled", "table-protection");
        assertFinding(run, "base/aws/table-user.yaml", "Table/user", "metadata.annotations.services.k8s.aws/deletion-policy", "table-protection");
        assertFinding(run, "base/aws/table-user.yaml", "Table/user", "metadata.annotations.argocd.argoproj.io/sync-options", "table-protection");
        assertFinding(run, "base/aws/table-user.yaml", "Table/user", "spec.tableName", "iam-scope");
        assertFinding(run, "base/db/configmap.properties", "ConfigMap/db", "data.DB_MUSIC_TABLE", "iam-scope");
        assertThat(run.lines()).noneSatisfy(l -> assertThat(l).contains("data.DB_USER_TABLE"));
    }

    @Test
    void anIamPolicyForEveryTableIsAFinding() throws IOException {
        edit("clusters/eks/cluster.yaml", "              - arn:aws:dynamodb:us-east-1:*:table/music-*\n    # the ACK", "              - arn:aws:dynamodb:us-east-1:*:table/*\n    # the ACK");
        Run run = verify("overlays/eks", "clusters/eks");
        assertThat(run.code()).isEqualTo(1);
        assertFinding(run, "clusters/eks/cluster.yaml", "ClusterConfig/music", "iam.podIdentityAssociations[db]", "iam-scope");
    }

    @Test
    void eksNeverSyncsSampleDataAndNoImageFetchesCodeWhenItRuns() throws IOException {
        edit("overlays/eks/kustomization.yaml", "  - ../../base/aws\n", "  - ../../base/aws\n  - ../../base/loader\n");
        edit("overlays/eks/kustomization.yaml", "images:\n", "images:\n  - name: loader\n    newName: ghcr.io/example-org/loader\n    newTag: 0.1.0\n");
        edit("base/loader/job.yaml", "          image: loader", "          image: docker.io/jbangdev/jbang-action:0.132.1");
        edit("base/loader/networkpolicy.yaml", "        - port: 30002\n", "        - port: 30002\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n      ports:\n        - port: 443\n");
        Run run = verify("overlays/eks", "overlays/minikube");
        assertThat(run.code()).isEqualTo(1);
        assertFinding(run, "base/loader/job.yaml", "Job/loader", "-", "sample-data");
        assertFinding(run, "base/loader/job.yaml", "Job/loader", C0 + ".image", "image-runtime-download");
        assertFinding(run, "base/loader/networkpolicy.yaml", "NetworkPolicy/loader", "spec.egress[1].to[0].ipBlock", "network-policy-egress");
        // the same Job is fine on minikube as a hook, with its own image; db's egress to AWS is fine on eks
        assertThat(run.lines()).noneSatisfy(l -> assertThat(l).contains("sample-data").contains("[overlays/minikube]"));
        assertThat(run.lines()).noneSatisfy(l -> assertThat(l).contains("NetworkPolicy/db-egress"));
    }

    @Test
    void aPostSyncJobWhereTheDataIsRealIsAFinding() throws IOException {
        write("overlays/eks/sample-data/loader-postsync.patch.yaml", "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: loader\n  annotations:\n"
                + "    argocd.argoproj.io/hook: PostSync\n    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation\n");
        edit("overlays/eks/sample-data/kustomization.yaml", "namespace: music\n", "namespace: music\npatches:\n  - path: loader-postsync.patch.yaml\n");
        Run run = verify("overlays/eks");
        assertThat(run.code()).isEqualTo(1);
        assertFinding(run, "base/loader/job.yaml", "Job/loader", "metadata.annotations.argocd.argoproj.io/hook", "sample-data");
    }

    @Test
    void dynamoDbLocalKeepsItsDataOnAClaimAndEveryConfigMapAPodReadsIsGenerated() throws IOException {
        edit("base/dynamodb-local/deployment.yaml", "            - -dbPath\n            - /data\n", "            - -inMemory\n");
        write("base/s2/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s2-extra\ndata:\n  GREETING: hello\n");
        edit("base/s2/kustomization.yaml", "  - deployment.yaml\n", "  - configmap.yaml\n  - deployment.yaml\n");
        edit("base/s2/deployment.yaml", "            - configMapRef:\n                name: s2\n", "            - configMapRef:\n                name: s2\n            - configMapRef:\n                name: s2-extra\n");
        edit("base/dynamodb-local/persistentvolumeclaim.yaml", "  name: dynamodb-local", "  name: dynamodb-local-data");
        Run run = verify("overlays/minikube");
        assertThat(run.code()).isEqualTo(1);
        assertFinding(run, "base/dynamodb-local/deployment.yaml", "Deployment/dynamodb-local", C0 + ".args", "persistent-data");
        assertFinding(run, "base/s2/deployment.yaml", "Deployment/s2", "spec.template.spec", "config-rolls");
        assertFinding(run, "base/dynamodb-local/deployment.yaml", "Deployment/dynamodb-local", "spec.template.spec.volumes[1].persistentVolumeClaim", "reference");
        assertThat(run.lines()).filteredOn(l -> l.contains(" · config-rolls · ")).hasSize(1);
    }

    @Test
    void theEntryPointServesTlsOnlyToItsSourceRangesAndDrains() throws IOException {
        edit("overlays/eks/gateway-tls.patch.yaml", "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000", "REPLACE-ME");
        edit("overlays/eks/gateway-tls.patch.yaml", "    - name: https\n", "    - name: http\n      port: 80\n      targetPort: http\n    - name: https\n");
        edit("overlays/eks/gateway-tls.patch.yaml", "  loadBalancerSourceRanges:\n    - 203.0.113.0/24\n", "");
        edit("base/gateway/deployment.yaml", "            preStop:\n              sleep:\n                seconds: 15\n", "            postStart:\n              sleep:\n                seconds: 1\n");
        edit("base/gateway/nginx.conf", "    add_header Strict-Transport-Security \"max-age=31536000; includeSubDomains\" always;\n", "");
        Run run = verify("overlays/eks");
        assertThat(run.code()).isEqualTo(1);
        String svc = "overlays/eks/kustomization.yaml";
        assertThat(run.lines()).anySatisfy(l -> assertThat(l).contains("Service/gateway · metadata.annotations.service.beta.kubernetes.io/aws-load-balancer-ssl-cert · tls · "));
        assertThat(run.lines()).anySatisfy(l -> assertThat(l).contains("Service/gateway · spec.ports[0] · tls · ").contains("port 80"));
        assertThat(run.lines()).anySatisfy(l -> assertThat(l).contains("Service/gateway · spec.loadBalancerSourceRanges · tls · "));
        assertFinding(run, "base/gateway/deployment.yaml", "Deployment/gateway", C0 + ".lifecycle.preStop", "drain");
        assertFinding(run, "base/gateway/nginx.conf", "ConfigMap/gateway", "data.nginx.conf", "tls");
        assertThat(svc).isNotEmpty();
    }

    @Test
    void rootKeepsOnlyApplicationsAndEveryProjectListsItsKinds() throws IOException {
        edit("clusters/eks/application-root.yaml", "  project: root", "  project: platform");
        edit("clusters/minikube/appproject-platform.yaml", "  namespaceResourceWhitelist:\n", "  namespaceResourceWhitelistt:\n");
        edit("clusters/minikube/appproject-music.yaml", "  namespaceResourceWhitelist:\n", "  namespaceResourceWhitelist:\n    - group: argoproj.io\n      kind: Application\n");
        Files.delete(tree.resolve(".github/CODEOWNERS"));
        write(".github/CODEOWNERS", "/clusters/ @example-org/platform\n# /base/aws/ @example-org/platform\n/.github/\n");
        Run run = verify("clusters/eks", "clusters/minikube");
        assertThat(run.code()).isEqualTo(1);
        assertFinding(run, "clusters/eks/appproject-platform.yaml", "AppProject/platform", "spec", "argo-access");
        assertFinding(run, "clusters/minikube/appproject-music.yaml", "AppProject/music", "spec.namespaceResourceWhitelist", "argo-access");
        assertFinding(run, ".github/CODEOWNERS", "-", "/base/aws/", "codeowners");
        assertFinding(run, ".github/CODEOWNERS", "-", "/overlays/eks/", "codeowners");
        assertFinding(run, ".github/CODEOWNERS", "-", "/.github/", "codeowners");
        assertThat(run.lines()).noneSatisfy(l -> assertThat(l).contains("codeowners").contains("/clusters/ ·"));
    }

    @Test
    void grafanaReadsNoSecretsAndPrometheusKeepsItsDataOnAVolume() throws IOException {
        edit("clusters/eks/application-monitoring.yaml", "          rbac:\n            namespaced: true\n", "");
        edit("clusters/minikube/application-monitoring.yaml", "              resource: configmap\n", "");
        edit("clusters/eks/application-monitoring.yaml", "                  storageClassName: gp3\n", "                  storageClassName: gp2\n");
        Run run = verify("clusters/eks", "clusters/minikube");
        assertThat(run.code()).isEqualTo(1);
        String v = "spec.source.helm.valuesObject.";
        assertFinding(run, "clusters/eks/application-monitoring.yaml", "Application/monitoring", v + "grafana.rbac.namespaced", "grafana-rbac");
        assertFinding(run, "clusters/minikube/application-monitoring.yaml", "Application/monitoring", v + "grafana.sidecar.dashboards", "grafana-rbac");
        assertFinding(run, "clusters/eks/application-monitoring.yaml", "Application/monitoring",
                v + "prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName", "persistent-data");
    }

    @Test
    void clusterYamlLogsTheControlPlaneLimitsItsEndpointAndHasRoomForTheAppAtMaximumScale() throws IOException {
        edit("clusters/eks/cluster.yaml", "      - audit\n", "");
        edit("clusters/eks/cluster.yaml", "    privateAccess: true", "    privateAccess: false");
        edit("clusters/eks/cluster.yaml", "    - 203.0.113.0/24\n", "    - 0.0.0.0/0\n");
        edit("clusters/eks/cluster.yaml", ", \"env\": {\"ENABLE_PREFIX_DELEGATION\": \"true\", \"WARM_PREFIX_TARGET\": \"1\"}", "");
        edit("clusters/eks/cluster.yaml", "    maxSize: 6", "    maxSize: 3");
        edit("clusters/eks/cluster.yaml", "  - name: aws-ebs-csi-driver\n", "  - name: aws-efs-csi-driver\n");
        edit("clusters/eks/kustomization.yaml", "  - application-cluster-autoscaler.yaml\n", "");
        Run run = verify("clusters/eks");
        assertThat(run.code()).isEqualTo(1);
        String f = "clusters/eks/cluster.yaml";
        String c = "ClusterConfig/music";
        assertFinding(run, f, c, "cloudWatch.clusterLogging.enableTypes", "control-plane");
        assertFinding(run, f, c, "vpc.clusterEndpoints.privateAccess", "control-plane");
        assertFinding(run, f, c, "vpc.publicAccessCIDRs", "control-plane");
        assertFinding(run, f, c, "addons", "persistent-data");
        assertThat(run.lines()).anySatisfy(l -> assertThat(l).startsWith(f + " · " + c + " · managedNodeGroups · pod-capacity · ")
                .contains("room for 36 pods on 3 nodes").contains("needs 24"));
        assertThat(run.lines()).anySatisfy(l -> assertThat(l).startsWith(f + " · " + c + " · managedNodeGroups · pod-capacity · ")
                .contains("Cluster Autoscaler"));
    }
}
