///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS org.slf4j:slf4j-api:2.0.17
//DEPS org.slf4j:slf4j-nop:2.0.17
//DEPS io.fabric8:kubernetes-client:7.8.0
//DEPS software.amazon.awssdk:bom:2.54.15@pom
//DEPS software.amazon.awssdk:dynamodb:2.54.15
//SOURCES lib/Components.java
//SOURCES lib/KubeAccess.java
//SOURCES lib/AwsAccess.java
//SOURCES lib/Tty.java
//DESCRIPTION Everything at a glance - pods, Argo CD, entry point, DynamoDB tables: jbang scripts/status.java

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true, version = "status 1.0",
        description = {
            "One screen: the kube context and namespace, each component's pods (ready/total, restarts, why not ready),",
            "the Argo CD Applications with sync and health status, the entry point's address, and the DynamoDB tables.",
            "Shows whatever part is reachable and says which part is not."},
        footer = {"", "Examples:",
            "  jbang scripts/status.java                # current context, namespace music",
            "  jbang scripts/status.java --context minikube --no-aws",
            "  jbang scripts/status.java --dynamodb-endpoint-url http://localhost:8000",
            "", "Exit codes: 0 every part answered; 1 a part could not be reached or read",
            "(the rest is still shown); 2 usage error."})
public class status implements Callable<Integer> {

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "The app's namespace (default: the context's, or music when it has none or 'default').")
    String namespace;

    @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context (default: the current context).")
    String context;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account).")
    String kubeconfig;

    @Option(names = "--argocd-namespace", paramLabel = "NS", defaultValue = "argocd", description = "Where Argo CD's Applications live. Default: ${DEFAULT-VALUE}.")
    String argocdNamespace;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region of the DynamoDB tables (default: AWS_REGION or the profile's region).")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "Send AWS calls to this endpoint; AWS_ENDPOINT_URL works too.")
    String endpointUrl;

    @Option(names = "--dynamodb-endpoint-url", paramLabel = "URL", description = "DynamoDB endpoint, e.g. DynamoDB Local at http://localhost:8000.")
    String dynamoDbEndpointUrl;

    @Option(names = "--no-aws", description = "Do not look at DynamoDB (e.g. on minikube without AWS).")
    boolean noAws;

    @Spec
    CommandLine.Model.CommandSpec spec;

    static final ResourceDefinitionContext APPLICATIONS = new ResourceDefinitionContext.Builder()
            .withGroup("argoproj.io").withVersion("v1alpha1").withKind("Application").withPlural("applications").withNamespaced(true).build();

    private PrintWriter out;
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new status()).execute(args));
    }

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        kubernetes();
        out.println();
        dynamoDb();
        out.println();
        if (problems.isEmpty() && notes.isEmpty()) {
            out.println("Everything answered.");
        }
        for (String n : notes) {
            out.println("Note: " + n);
        }
        for (String p : problems) {
            out.println("Not reachable: " + p);
        }
        out.flush();
        if (!problems.isEmpty()) {
            spec.commandLine().getErr().println(problems.size() + " part(s) could not be checked (see 'Not reachable' above).");
            spec.commandLine().getErr().flush();
        }
        return problems.isEmpty() ? 0 : 1;
    }

    // ------------------------------------------------------------------ Kubernetes

    private void kubernetes() {
        KubeAccess access;
        try {
            access = KubeAccess.open(kubeconfig, context, namespace);
        } catch (RuntimeException e) {
            out.println("Kubernetes: no usable configuration: " + e.getMessage());
            problems.add("Kubernetes: start a cluster (minikube start) or run `aws eks update-kubeconfig`, or pass --kubeconfig.");
            return;
        }
        out.println("Kubernetes: context '" + access.context() + "', server " + access.server() + ", namespace " + access.namespace());
        try (KubernetesClient client = access.client()) {
            List<Pod> pods;
            try {
                pods = client.pods().inNamespace(access.namespace()).list().getItems();
            } catch (KubernetesClientException e) {
                out.println("  pods: not available");
                problems.add("Kubernetes: " + access.explain(e));
                return; // the other Kubernetes parts would fail the same way
            }
            pods(pods, access.namespace());
            out.println();
            argoCd(client);
            out.println();
            entryPoint(client, access.namespace());
        }
    }

    private void pods(List<Pod> pods, String ns) {
        Map<String, List<Pod>> byComponent = new LinkedHashMap<>();
        Components.names().forEach(n -> byComponent.put(n, new ArrayList<>()));
        for (Pod p : pods) {
            Map<String, String> labels = p.getMetadata().getLabels();
            String name = labels == null ? null : labels.get(Components.NAME_LABEL);
            if (name != null) {
                byComponent.computeIfAbsent(name, k -> new ArrayList<>()).add(p);
            }
        }
        out.println("Pods in " + ns + ":");
        String format = "  %-10s %-6s %-9s %s%n";
        out.printf(Locale.ROOT, format, "COMPONENT", "READY", "RESTARTS", "PROBLEMS");
        for (Map.Entry<String, List<Pod>> e : byComponent.entrySet()) {
            List<Pod> list = e.getValue();
            if (list.isEmpty()) {
                out.printf(Locale.ROOT, format, e.getKey(), "-", "-", e.getKey().equals("loader") ? "no pods (runs as a Job when loading data)" : "no pods");
                continue;
            }
            long ready = list.stream().filter(status::ready).count();
            int restarts = list.stream().flatMap(p -> statuses(p).stream())
                    .mapToInt(cs -> cs.getRestartCount() == null ? 0 : cs.getRestartCount()).sum();
            Set<String> why = new LinkedHashSet<>();
            for (Pod p : list) {
                String reason = reason(p);
                if (reason != null) {
                    why.add(p.getMetadata().getName() + ": " + reason);
                }
            }
            out.printf(Locale.ROOT, format, e.getKey(), ready + "/" + list.size(), restarts, String.join("; ", why));
        }
    }

    private static List<ContainerStatus> statuses(Pod p) {
        return p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? List.of() : p.getStatus().getContainerStatuses();
    }

    static boolean ready(Pod p) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition c : p.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }

    /** Why a pod is not (yet) fine: a waiting reason (CrashLoopBackOff, ImagePullBackOff), Pending, not ready; null if fine. */
    private static String reason(Pod p) {
        if ("Succeeded".equals(p.getStatus() == null ? null : p.getStatus().getPhase())) {
            return null;
        }
        for (ContainerStatus cs : statuses(p)) {
            if (cs.getState() != null && cs.getState().getWaiting() != null && cs.getState().getWaiting().getReason() != null) {
                return cs.getState().getWaiting().getReason();
            }
            if (cs.getState() != null && cs.getState().getTerminated() != null) {
                return "terminated (" + cs.getState().getTerminated().getReason() + ")";
            }
        }
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        if (phase != null && !"Running".equals(phase)) {
            return phase;
        }
        return ready(p) ? null : "not ready";
    }

    private void argoCd(KubernetesClient client) {
        List<GenericKubernetesResource> apps;
        try {
            apps = client.genericKubernetesResources(APPLICATIONS).inNamespace(argocdNamespace).list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                out.println("Argo CD: not installed (no applications.argoproj.io resources)");
                notes.add("Argo CD is not installed in this cluster: bootstrap it from clusters/<name> (see README).");
            } else if (e.getCode() == 403) {
                out.println("Argo CD: not allowed to list Applications in " + argocdNamespace);
                problems.add("Argo CD: your credentials may not list applications.argoproj.io in namespace " + argocdNamespace + ".");
            } else {
                out.println("Argo CD: not available");
                problems.add("Argo CD: " + e.getMessage().lines().findFirst().orElse("") + ".");
            }
            return;
        }
        if (apps.isEmpty()) {
            out.println("Argo CD: no Applications in namespace " + argocdNamespace);
            return;
        }
        out.println("Argo CD applications in " + argocdNamespace + ":");
        String format = "  %-20s %-10s %-12s %s%n";
        out.printf(Locale.ROOT, format, "NAME", "SYNC", "HEALTH", "REVISION");
        for (GenericKubernetesResource app : apps) {
            String sync = text(app, "status", "sync", "status");
            String health = text(app, "status", "health", "status");
            String revision = text(app, "status", "sync", "revision");
            out.printf(Locale.ROOT, format, app.getMetadata().getName(), sync == null ? "Unknown" : sync, health == null ? "Unknown" : health,
                    revision == null ? "" : revision.substring(0, Math.min(7, revision.length())));
        }
    }

    @SuppressWarnings("unchecked")
    private static String text(GenericKubernetesResource r, String... path) {
        Object node = r.getAdditionalProperties();
        for (String p : path) {
            if (!(node instanceof Map)) {
                return null;
            }
            node = ((Map<String, Object>) node).get(p);
        }
        return node == null ? null : node.toString();
    }

    private void entryPoint(KubernetesClient client, String ns) {
        try {
            Service gateway = client.services().inNamespace(ns).withName("gateway").get();
            if (gateway != null) {
                out.println("Entry point: " + describe(gateway, ns));
                return;
            }
            for (Ingress ing : client.network().v1().ingresses().inNamespace(ns).list().getItems()) {
                String host = null;
                if (ing.getStatus() != null && ing.getStatus().getLoadBalancer() != null && ing.getStatus().getLoadBalancer().getIngress() != null) {
                    for (IngressLoadBalancerIngress i : ing.getStatus().getLoadBalancer().getIngress()) {
                        host = i.getHostname() != null ? i.getHostname() : i.getIp();
                    }
                }
                if (host == null && ing.getSpec() != null && ing.getSpec().getRules() != null && !ing.getSpec().getRules().isEmpty()) {
                    host = ing.getSpec().getRules().get(0).getHost();
                }
                out.println("Entry point: " + (host == null ? "Ingress " + ing.getMetadata().getName() + " has no address yet"
                        : "http://" + host + " (Ingress " + ing.getMetadata().getName() + ")"));
                return;
            }
            out.println("Entry point: none (no Service 'gateway' and no Ingress in " + ns + ")");
        } catch (KubernetesClientException e) {
            out.println("Entry point: not available");
            problems.add("entry point: " + e.getMessage().lines().findFirst().orElse("") + ".");
        }
    }

    static String describe(Service s, String ns) {
        String type = s.getSpec() == null || s.getSpec().getType() == null ? "ClusterIP" : s.getSpec().getType();
        List<ServicePort> ports = s.getSpec() == null || s.getSpec().getPorts() == null ? List.of() : s.getSpec().getPorts();
        ServicePort port = ports.isEmpty() ? null : ports.get(0);
        if ("LoadBalancer".equals(type)) {
            List<LoadBalancerIngress> ingress = s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                    ? null : s.getStatus().getLoadBalancer().getIngress();
            if (ingress == null || ingress.isEmpty()) {
                return "Service gateway (LoadBalancer) has no external address yet (kubectl -n " + ns + " get svc gateway -w)";
            }
            String host = ingress.get(0).getHostname() != null ? ingress.get(0).getHostname() : ingress.get(0).getIp();
            int p = port == null || port.getPort() == null ? 80 : port.getPort();
            // 443: the TLS listener of overlays/eks (the NLB ends TLS; the certificate is for your DNS name, not this one)
            String url = p == 443 ? "https://" + host : "http://" + host + (p == 80 ? "" : ":" + p);
            return url + " (Service gateway, LoadBalancer)";
        }
        if ("NodePort".equals(type) && port != null && port.getNodePort() != null) {
            return "NodePort " + port.getNodePort() + " on any node (Service gateway; on minikube: minikube service gateway -n " + ns + " --url)";
        }
        int p = port == null || port.getPort() == null ? 80 : port.getPort();
        return "Service gateway is " + type + " only: kubectl -n " + ns + " port-forward svc/gateway 8080:" + p + " then http://localhost:8080";
    }

    // ------------------------------------------------------------------ DynamoDB

    private void dynamoDb() {
        if (noAws) {
            out.println("DynamoDB: not checked (--no-aws)");
            return;
        }
        AwsAccess aws;
        try {
            aws = AwsAccess.of(region, endpointUrl, dynamoDbEndpointUrl);
        } catch (IllegalArgumentException e) {
            out.println("DynamoDB: not checked");
            notes.add("DynamoDB: " + e.getMessage());
            return;
        }
        String where = aws.region().id() + (aws.dynamoDbEndpoint() == null ? "" : ", " + aws.dynamoDbEndpoint());
        try (DynamoDbClient dynamo = aws.configure(DynamoDbClient.builder(), Duration.ofSeconds(10), true, false).build()) {
            List<TableDescription> tables = new ArrayList<>();
            for (String name : dynamo.listTablesPaginator(b -> { }).tableNames()) {
                tables.add(dynamo.describeTable(b -> b.tableName(name)).table());
            }
            if (tables.isEmpty()) {
                out.println("DynamoDB tables (" + where + "): none - db creates 'music' and 'user' only when DB_CREATE_TABLES=true");
                return;
            }
            out.println("DynamoDB tables (" + where + "):");
            String format = "  %-20s %-9s %8s %10s  %s%n";
            out.printf(Locale.ROOT, format, "TABLE", "STATUS", "ITEMS", "SIZE", "BILLING");
            for (TableDescription t : tables) {
                boolean onDemand = t.billingModeSummary() != null && t.billingModeSummary().billingMode() == BillingMode.PAY_PER_REQUEST;
                String billing = onDemand ? "on-demand" : "provisioned " + (t.provisionedThroughput() == null ? "?"
                        : t.provisionedThroughput().readCapacityUnits() + " RCU / " + t.provisionedThroughput().writeCapacityUnits() + " WCU");
                out.printf(Locale.ROOT, format, t.tableName(), t.tableStatusAsString(), Objects.requireNonNullElse(t.itemCount(), 0L),
                        size(Objects.requireNonNullElse(t.tableSizeBytes(), 0L)), billing);
            }
        } catch (RuntimeException e) {
            if (AwsAccess.noCredentials(e)) {
                out.println("DynamoDB: not checked (no AWS credentials)");
                notes.add("DynamoDB: no AWS credentials; set AWS_PROFILE or pass --dynamodb-endpoint-url for DynamoDB Local (or --no-aws).");
                return;
            }
            out.println("DynamoDB (" + where + "): not available");
            problems.add("DynamoDB: " + AwsAccess.explain(e, "DynamoDB tables"));
        }
    }

    private static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}
