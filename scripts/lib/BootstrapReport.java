import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * bootstrap's last step: where the entry point is, a first request through it, how to open Argo CD and Grafana
 * (commands that read the passwords, never the passwords), and on EKS what runs and costs (cost.java itself).
 * Also the EKS preflight's AWS identity.
 */
public final class BootstrapReport {

    static final String SAMPLE_SONG = "6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea";

    private final PrintWriter out;
    private final BootstrapTree tree;
    private final String region;
    private final String awsEndpoint;

    private final boolean dryRun;

    public BootstrapReport(PrintWriter out, BootstrapTree tree, String region, String awsEndpoint, boolean dryRun) {
        this.dryRun = dryRun;
        this.out = out;
        this.tree = tree;
        this.region = region;
        this.awsEndpoint = awsEndpoint;
    }

    public void print(KubernetesClient client) {
        String url = entryPoint(client);
        out.println("  entry point: " + url);
        String base = url.startsWith("http") ? url : "http://localhost:8080";
        out.println("  first requests (sign up, log in, read the sample song the loader stores):");
        out.println("    curl -s -X POST -H 'Content-Type: application/json' -d '{\"fname\":\"Ada\",\"lname\":\"Lovelace\",\"email\":\"ada@example.org\",\"password\":\"<a password>\"}' " + base + "/api/v1/user");
        out.println("    TOKEN=$(curl -s -X PUT -d '{\"uid\":\"<the user_id it printed>\",\"password\":\"<the password>\"}' " + base + "/api/v1/user/login)");
        out.println("    curl -H \"Authorization: Bearer $TOKEN\" " + base + "/api/v1/music/" + SAMPLE_SONG);
        String argo = tree.argocd().namespace();
        out.println("  Argo CD: kubectl -n " + argo + " port-forward svc/" + tree.argocd().release() + "-server 8443:443, https://localhost:8443, user admin,");
        out.println("    password: kubectl -n " + argo + " get secret argocd-initial-admin-secret -o jsonpath='{.data.password}' | base64 -d");
        for (BootstrapTree.App app : tree.applications()) {
            if (app.chart() != null && "kube-prometheus-stack".equals(app.chart().chart())) {
                String ns = app.namespace();
                out.println("  Grafana: kubectl -n " + ns + " port-forward svc/" + app.chart().release() + "-grafana 3000:80, http://localhost:3000, user admin,");
                out.println("    password: kubectl -n " + ns + " get secret grafana-admin -o jsonpath='{.data.admin-password}' | base64 -d");
            }
        }
        out.println("  status: jbang scripts/status.java; logs: jbang scripts/logs.java s2 --errors; teardown: jbang scripts/teardown.java " + tree.cluster());
        if ("eks".equals(tree.cluster()) && dryRun) {
            out.println("  would print what runs in AWS and what it costs per hour and per 30 days (cost.java)");
        } else if ("eks".equals(tree.cluster())) {
            out.println("  what runs in AWS and what it costs (cost.java):");
            out.flush();
            List<String> args = new ArrayList<>(List.of("--no-price-api"));
            if (region != null) args.addAll(List.of("--region", region));
            if (awsEndpoint != null) args.addAll(List.of("--endpoint-url", awsEndpoint));
            CommandLine cost = new CommandLine(new cost());
            cost.setOut(out);
            cost.setErr(out);
            cost.execute(args.toArray(String[]::new));
        }
        out.flush();
    }

    private String entryPoint(KubernetesClient client) {
        Service gateway = client == null ? null : client.services().inNamespace(Components.NAMESPACE).withName("gateway").get();
        if (gateway == null) {
            return "eks".equals(tree.cluster()) ? "kubectl -n music get svc gateway (the load balancer's address, 2-3 minutes after the sync)"
                    : "minikube service gateway -n music --url (or kubectl -n music port-forward svc/gateway 8080:80)";
        }
        String described = status.describe(gateway, Components.NAMESPACE);
        return described + ("NodePort".equals(gateway.getSpec().getType()) ? "; or kubectl -n music port-forward svc/gateway 8080:" + gateway.getSpec().getPorts().get(0).getPort() : "");
    }

    /** The AWS account and region bootstrap works in; IllegalStateException with one sentence when there is none. */
    public static String identity(String region, String endpoint, boolean dryRun) {
        AwsAccess aws;
        try {
            aws = AwsAccess.of(region, endpoint, null);
        } catch (IllegalArgumentException e) {
            return failure(e.getMessage(), dryRun);
        }
        try (StsClient sts = aws.configure(StsClient.builder(), Duration.ofSeconds(15), false, false).build()) {
            GetCallerIdentityResponse id = sts.getCallerIdentity();
            return "account " + id.account() + " as " + id.arn() + ", region " + aws.region().id();
        } catch (RuntimeException e) {
            return failure(AwsAccess.explain(e, "the AWS identity (sts get-caller-identity)"), dryRun);
        }
    }

    private static String failure(String sentence, boolean dryRun) {
        if (dryRun) return "not checked: " + sentence;
        throw new IllegalStateException(sentence);
    }

    static String json(Object values) {
        try {
            return new ObjectMapper().writeValueAsString(values);
        } catch (JsonProcessingException e) {
            return String.valueOf(values);
        }
    }
}
