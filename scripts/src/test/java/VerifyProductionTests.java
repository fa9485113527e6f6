import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

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
}
