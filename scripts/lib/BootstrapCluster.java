import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Kubernetes side of scripts/bootstrap.java and teardown.java, through fabric8: nodes and their allocatable
 * capacity, whether Argo CD's Helm release exists, applying the rendered Argo CD objects (create, or a merge patch
 * when they differ, so a second run changes nothing), and the Applications' sync and health.
 */
public final class BootstrapCluster {

    public static final ResourceDefinitionContext APPLICATIONS = kind("Application", "applications");
    public static final ResourceDefinitionContext APPPROJECTS = kind("AppProject", "appprojects");

    /** The Ready nodes and what they can hold, in cores and bytes. */
    public record Capacity(int nodes, int ready, double cpu, double memory) {
    }

    /** One Application's state; {@code problem} names the first resource that is not Healthy (null when none). */
    public record AppState(String name, String sync, String health, String problem) {
        public boolean done() {
            return "Synced".equals(sync) && "Healthy".equals(health);
        }

        public String line() {
            return String.format(java.util.Locale.ROOT, "%-12s %-10s %-12s%s", name, sync, health, problem == null ? "" : " " + problem);
        }
    }

    private final KubernetesClient client;
    private final String argocdNamespace;

    public BootstrapCluster(KubernetesClient client, String argocdNamespace) {
        this.client = client;
        this.argocdNamespace = argocdNamespace;
    }

    private static ResourceDefinitionContext kind(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("argoproj.io").withVersion("v1alpha1")
                .withKind(kind).withPlural(plural).withNamespaced(true).build();
    }

    /** Lists the nodes: the first call of a run, so an unreachable cluster fails here. */
    public Capacity capacity() {
        List<Node> nodes = client.nodes().list().getItems();
        int ready = 0;
        double cpu = 0;
        double memory = 0;
        for (Node n : nodes) {
            boolean isReady = n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus().getConditions().stream()
                    .anyMatch((NodeCondition c) -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            if (!isReady) continue;
            ready++;
            Map<String, io.fabric8.kubernetes.api.model.Quantity> alloc = n.getStatus().getAllocatable() == null ? Map.of() : n.getStatus().getAllocatable();
            cpu += alloc.containsKey("cpu") ? BootstrapRequests.amount(alloc.get("cpu").toString()) : 0;
            memory += alloc.containsKey("memory") ? BootstrapRequests.amount(alloc.get("memory").toString()) : 0;
        }
        return new Capacity(nodes.size(), ready, cpu, memory);
    }

    /** True when Helm's release record (a Secret labelled owner=helm, name=&lt;release&gt;) is in the namespace. */
    public boolean helmRelease(String release, String namespace) {
        return !client.secrets().inNamespace(namespace).withLabel("owner", "helm").withLabel("name", release).list().getItems().isEmpty();
    }

    /** Whether the Application CRD is served (Argo CD installed). */
    public boolean argoServed() {
        try {
            client.genericKubernetesResources(APPLICATIONS).inNamespace(argocdNamespace).list();
            return true;
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() == 404) return false;
            throw e;
        }
    }

    /** What applying one object would do or did: created, configured, unchanged. */
    public String apply(Map<String, Object> body, boolean dryRun) {
        GenericKubernetesResource desired = new KubernetesSerialization().convertValue(body, GenericKubernetesResource.class);
        ResourceDefinitionContext ctx = "AppProject".equals(desired.getKind()) ? APPPROJECTS : APPLICATIONS;
        String ns = desired.getMetadata().getNamespace() == null ? argocdNamespace : desired.getMetadata().getNamespace();
        var resource = client.genericKubernetesResources(ctx).inNamespace(ns).withName(desired.getMetadata().getName());
        GenericKubernetesResource live = resource.get();
        if (live == null) {
            if (!dryRun) client.genericKubernetesResources(ctx).inNamespace(ns).resource(desired).create();
            return "created";
        }
        if (same(desired, live)) return "unchanged";
        if (!dryRun) {
            Map<String, Object> patch = new LinkedHashMap<>();
            Map<String, Object> meta = new LinkedHashMap<>();
            if (desired.getMetadata().getLabels() != null) meta.put("labels", desired.getMetadata().getLabels());
            if (desired.getMetadata().getAnnotations() != null) meta.put("annotations", desired.getMetadata().getAnnotations());
            patch.put("metadata", meta);
            patch.put("spec", desired.getAdditionalProperties().get("spec"));
            resource.patch(PatchContext.of(PatchType.JSON_MERGE), new KubernetesSerialization().asJson(patch));
        }
        return "configured";
    }

    private static boolean same(GenericKubernetesResource desired, GenericKubernetesResource live) {
        if (!Objects.equals(desired.getAdditionalProperties().get("spec"), live.getAdditionalProperties().get("spec"))) return false;
        return contains(live.getMetadata().getLabels(), desired.getMetadata().getLabels())
                && contains(live.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations());
    }

    private static boolean contains(Map<String, String> live, Map<String, String> wanted) {
        if (wanted == null || wanted.isEmpty()) return true;
        return live != null && live.entrySet().containsAll(wanted.entrySet());
    }

    /** The state of each named Application; an absent one is reported as Missing. */
    public List<AppState> states(List<String> names) {
        List<AppState> out = new ArrayList<>();
        for (String name : names) {
            GenericKubernetesResource app = client.genericKubernetesResources(APPLICATIONS).inNamespace(argocdNamespace).withName(name).get();
            if (app == null) {
                out.add(new AppState(name, "Missing", "Missing", null));
                continue;
            }
            Object status = app.getAdditionalProperties().get("status");
            String sync = Objects.requireNonNullElse(VerifyTree.str(status, "sync", "status"), "Unknown");
            String health = Objects.requireNonNullElse(VerifyTree.str(status, "health", "status"), "Unknown");
            out.add(new AppState(name, sync, health, "Healthy".equals(health) ? null : problem(status)));
        }
        return out;
    }

    /**
     * Polls the Applications until all are Synced and Healthy, printing a line for each when its state changes.
     *
     * @return null when all are; else the first that is not, at the deadline
     */
    public AppState await(List<String> apps, java.time.Duration timeout, java.time.Duration poll, java.io.PrintWriter out) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> shown = new LinkedHashMap<>();
        while (true) {
            List<AppState> states = states(apps);
            for (AppState s : states) {
                if (!s.line().equals(shown.get(s.name()))) {
                    out.println("  " + s.line());
                    out.flush();
                    shown.put(s.name(), s.line());
                }
            }
            AppState first = states.stream().filter(s -> !s.done()).findFirst().orElse(null);
            if (first == null || System.nanoTime() > deadline) return first;
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return first;
            }
        }
    }

    /** The first resource of the Application that is not Healthy, and for a workload why its pod is not (status.java's reason). */
    private String problem(Object status) {
        for (Map<String, Object> r : VerifyTree.maps(status, "resources")) {
            String health = VerifyTree.str(r, "health", "status");
            if (health == null || "Healthy".equals(health)) continue;
            String kind = VerifyTree.str(r, "kind");
            String ns = VerifyTree.str(r, "namespace");
            String name = VerifyTree.str(r, "name");
            String message = VerifyTree.str(r, "health", "message");
            String why = ns == null ? null : pods(ns, name);
            return kind + " " + (ns == null ? "" : ns + "/") + name + " is " + health
                    + (why != null ? ": " + why : message != null ? ": " + message : "");
        }
        return VerifyTree.maps(status, "conditions").stream().map(c -> VerifyTree.str(c, "message")).filter(Objects::nonNull).findFirst().orElse(null);
    }

    /** Why the pods of a workload named {@code name} are not ready, e.g. {@code pod s2-7d9 ImagePullBackOff}. */
    private String pods(String ns, String name) {
        for (Pod p : client.pods().inNamespace(ns).withLabel(Components.NAME_LABEL, name).list().getItems()) {
            String reason = status.reason(p);
            if (reason != null) return "pod " + p.getMetadata().getName() + " " + reason + hint(reason);
        }
        return null;
    }

    /**
     * The kubeconfig Helm gets, in memory only: the file in use (--kubeconfig, else the first of $KUBECONFIG or
     * ~/.kube/config), its current-context set to {@code context} when one is given.
     */
    @SuppressWarnings("unchecked")
    public static String kubeconfigContents(String kubeconfig, String context) {
        java.nio.file.Path file = kubeconfig != null ? java.nio.file.Path.of(kubeconfig)
                : io.fabric8.kubernetes.client.Config.getKubeconfigFilenames().stream().map(java.nio.file.Path::of)
                        .filter(java.nio.file.Files::isRegularFile).findFirst().orElse(null);
        if (file == null) return null;
        try {
            String text = java.nio.file.Files.readString(file);
            if (context == null) return text;
            Map<String, Object> doc = (Map<String, Object>) new org.snakeyaml.engine.v2.api.Load(
                    org.snakeyaml.engine.v2.api.LoadSettings.builder().build()).loadFromString(text);
            doc.put("current-context", context);
            return new org.snakeyaml.engine.v2.api.Dump(org.snakeyaml.engine.v2.api.DumpSettings.builder().build()).dumpToString(doc);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String hint(String reason) {
        if (reason.contains("ImagePull") || reason.contains("ErrImage")) {
            return " (no such image, or a private one: run the release workflow once and make the GHCR packages public, README \"Release\")";
        }
        if (reason.contains("CrashLoop")) return " (see jbang scripts/logs.java <component> --errors)";
        return "";
    }
}
