import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CPU and memory requests of what a cluster folder deploys, for bootstrap's preflight: the workloads of every
 * path an Application renders (replicas, or the HPA's minReplicas where the HPA owns them) and the requests a
 * chart Application sets in its values (times a sibling {@code replicas}). A chart's own defaults are not read.
 */
public final class BootstrapRequests {

    /** One Application's share: the parts (e.g. {@code s1 2 x 100m/384Mi}) and their sums in cores and bytes. */
    public record Share(String application, String source, List<String> parts, double cpu, double memory) {
        public String line() {
            String what = !parts.isEmpty() ? String.join(", ", parts) : source.endsWith("(values)") ? "no requests in its values: counted as 0" : "no pods";
            return String.format(Locale.ROOT, "%-14s %-38s %s = %s / %s", application, source, what, BootstrapRequests.cpu(cpu), bytes(memory));
        }
    }

    private BootstrapRequests() {
    }

    public static List<Share> of(BootstrapTree tree) {
        List<Share> shares = new ArrayList<>();
        for (BootstrapTree.App app : tree.applications()) {
            if (app.path() != null) {
                shares.add(path(app.name(), app.path(), tree.render(app.path())));
            } else if (app.chart() != null) {
                List<String> parts = new ArrayList<>();
                double[] sum = new double[2];
                values("", app.chart().values(), parts, sum);
                shares.add(new Share(app.name(), app.chart().chart() + " " + app.chart().version() + " (values)", parts, sum[0], sum[1]));
            }
        }
        return shares;
    }

    static Share path(String application, String path, List<VerifyTree.Resource> objects) {
        List<String> parts = new ArrayList<>();
        double cpu = 0;
        double memory = 0;
        for (VerifyTree.Resource r : objects) {
            if (VerifyTree.podTemplate(r) == null) continue;
            int replicas = replicas(r, objects);
            double c = 0;
            double m = 0;
            for (Map<String, Object> container : VerifyTree.maps(VerifyTree.podTemplate(r), "spec", "containers")) {
                c += amount(VerifyTree.str(container, "resources", "requests", "cpu"));
                m += amount(VerifyTree.str(container, "resources", "requests", "memory"));
            }
            parts.add(r.name() + " " + (replicas == 1 ? "" : replicas + " x ") + cpu(c) + "/" + bytes(m));
            cpu += replicas * c;
            memory += replicas * m;
        }
        return new Share(application, path, parts, cpu, memory);
    }

    /** A workload's pod count: spec.replicas, else the minReplicas of the HPA that targets it, else 1. */
    static int replicas(VerifyTree.Resource r, List<VerifyTree.Resource> objects) {
        Object replicas = VerifyTree.at(r.body(), "spec", "replicas");
        if (replicas instanceof Number n) return n.intValue();
        for (VerifyTree.Resource h : objects) {
            if ("HorizontalPodAutoscaler".equals(h.kind()) && r.kind().equals(VerifyTree.str(h.body(), "spec", "scaleTargetRef", "kind"))
                    && r.name().equals(VerifyTree.str(h.body(), "spec", "scaleTargetRef", "name"))) {
                Object min = VerifyTree.at(h.body(), "spec", "minReplicas");
                return min instanceof Number n ? n.intValue() : 1;
            }
        }
        return 1;
    }

    @SuppressWarnings("unchecked")
    private static void values(String path, Map<String, Object> node, List<String> parts, double[] sum) {
        Object requests = VerifyTree.at(node, "resources", "requests");
        if (requests instanceof Map<?, ?> req) {
            int replicas = node.get("replicas") instanceof Number n ? n.intValue() : 1;
            double c = amount(req.get("cpu") == null ? null : String.valueOf(req.get("cpu")));
            double m = amount(req.get("memory") == null ? null : String.valueOf(req.get("memory")));
            parts.add(path + " " + (replicas == 1 ? "" : replicas + " x ") + cpu(c) + "/" + bytes(m));
            sum[0] += replicas * c;
            sum[1] += replicas * m;
        }
        for (Map.Entry<String, Object> e : node.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> child && !"resources".equals(e.getKey())) {
                values(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), (Map<String, Object>) child, parts, sum);
            }
        }
    }

    /** A Kubernetes quantity (100m, 384Mi, 1.5Gi, 2) as a number of cores or bytes; null or blank is 0. */
    public static double amount(String quantity) {
        if (quantity == null || quantity.isBlank()) return 0;
        BigDecimal v = Quantity.getAmountInBytes(new Quantity(quantity.strip()));
        return v.doubleValue();
    }

    public static String cpu(double cores) {
        return Math.round(cores * 1000) + "m";
    }

    public static String bytes(double b) {
        double mi = b / (1024 * 1024);
        return mi >= 1024 ? String.format(Locale.ROOT, "%.1fGi", mi / 1024) : Math.round(mi) + "Mi";
    }
}
