import static java.util.Objects.requireNonNullElse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Policy rules of scripts/verify.java: the restricted Pod Security profile with a writable /tmp,
 * probes, requests and limits, pinned images, no secret values in git, and the replica/PDB/HPA
 * rules of a highly available unit (overlays/eks).
 */
public final class VerifyPolicy {

    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i)(^|_)(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?|KEY)$");
    private static final List<String> LONG_RUNNING = List.of("Deployment", "StatefulSet", "DaemonSet");
    static final int MIN_PROBE_TIMEOUT = 2;

    private final List<VerifyTree.Finding> findings = new ArrayList<>();

    public List<VerifyTree.Finding> check(VerifyTree.Unit unit) {
        for (VerifyTree.Resource r : unit.resources()) {
            if (VerifyTree.podTemplate(r) != null) workload(unit, r);
            if (r.kind().equals("ConfigMap")) configMap(r);
            if (r.kind().equals("NetworkPolicy")) numericPorts(r);
            if (r.kind().equals("Secret") && !r.valuesOutsideGit()) secret(r);
        }
        if (unit.name().endsWith("/eks")) highAvailability(unit);
        hpas(unit);
        return findings;
    }

    // ---------------------------------------------------------------- pods

    private void workload(VerifyTree.Unit unit, VerifyTree.Resource r) {
        Map<String, Object> spec = VerifyTree.map(VerifyTree.podTemplate(r), "spec");
        String pod = VerifyTree.podPath(r);
        Map<String, Object> podSc = VerifyTree.map(spec, "securityContext");
        for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (Boolean.TRUE.equals(spec.get(host))) add(r, pod + "." + host, "pod-security", "remove " + host + ": the restricted profile forbids it");
        }
        for (Map<String, Object> v : VerifyTree.maps(spec, "volumes")) {
            if (v.containsKey("hostPath")) add(r, pod + ".volumes", "pod-security", "replace hostPath volume " + v.get("name") + " with an emptyDir, ConfigMap or PVC");
        }
        if (!Boolean.FALSE.equals(spec.get("automountServiceAccountToken")) && !usesApi(unit, spec)) {
            add(r, pod + ".automountServiceAccountToken", "service-account-token",
                    "set automountServiceAccountToken: false (nothing grants this pod's ServiceAccount any API access)");
        }
        for (Map.Entry<String, Map<String, Object>> e : VerifyTree.containers(r).entrySet()) {
            container(r, e.getKey(), e.getValue(), podSc, spec, LONG_RUNNING.contains(r.kind()) && e.getKey().contains(".containers["));
        }
    }

    private void container(VerifyTree.Resource r, String path, Map<String, Object> c, Map<String, Object> podSc,
                           Map<String, Object> spec, boolean needsProbes) {
        Map<String, Object> sc = VerifyTree.map(c, "securityContext");
        Object nonRoot = sc.containsKey("runAsNonRoot") ? sc.get("runAsNonRoot") : podSc.get("runAsNonRoot");
        if (!Boolean.TRUE.equals(nonRoot)) add(r, path + ".securityContext.runAsNonRoot", "pod-security", "set runAsNonRoot: true (pod or container securityContext)");
        Object runAsUser = sc.containsKey("runAsUser") ? sc.get("runAsUser") : podSc.get("runAsUser");
        if (runAsUser != null && "0".equals(String.valueOf(runAsUser))) add(r, path + ".securityContext.runAsUser", "pod-security", "run as a non-zero user id");
        String seccomp = requireNonNullElse(VerifyTree.str(sc, "seccompProfile", "type"), requireNonNullElse(VerifyTree.str(podSc, "seccompProfile", "type"), ""));
        if (!seccomp.equals("RuntimeDefault") && !seccomp.equals("Localhost")) add(r, path + ".securityContext.seccompProfile", "pod-security", "set seccompProfile.type: RuntimeDefault");
        if (!Boolean.FALSE.equals(sc.get("allowPrivilegeEscalation"))) add(r, path + ".securityContext.allowPrivilegeEscalation", "pod-security", "set allowPrivilegeEscalation: false");
        if (Boolean.TRUE.equals(sc.get("privileged"))) add(r, path + ".securityContext.privileged", "pod-security", "remove privileged: true");
        List<?> drop = VerifyTree.list(VerifyTree.at(sc, "capabilities", "drop"));
        if (!drop.contains("ALL")) add(r, path + ".securityContext.capabilities.drop", "pod-security", "drop ALL capabilities");
        for (Object cap : VerifyTree.list(VerifyTree.at(sc, "capabilities", "add"))) {
            if (!"NET_BIND_SERVICE".equals(cap)) add(r, path + ".securityContext.capabilities.add", "pod-security", "do not add capability " + cap + " (restricted allows only NET_BIND_SERVICE)");
        }
        if (!Boolean.TRUE.equals(sc.get("readOnlyRootFilesystem"))) {
            add(r, path + ".securityContext.readOnlyRootFilesystem", "read-only-root", "set readOnlyRootFilesystem: true and mount an emptyDir at /tmp");
        } else if (!tmpIsEmptyDir(c, spec)) {
            add(r, path + ".volumeMounts", "read-only-root", "mount an emptyDir volume at /tmp (the root filesystem is read-only)");
        }
        if (needsProbes) {
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                if (!c.containsKey(probe)) add(r, path + "." + probe, "probes", "add a " + probe + " on the service's own health endpoint");
            }
        }
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            Object timeout = VerifyTree.at(c, probe, "timeoutSeconds");
            if (c.containsKey(probe) && !(timeout instanceof Integer t && t >= MIN_PROBE_TIMEOUT)) {
                add(r, path + "." + probe + ".timeoutSeconds", "probes", "set timeoutSeconds: " + MIN_PROBE_TIMEOUT
                        + " or more (the default 1 s fails a JVM that a small CPU request throttles, and the pod restarts for nothing)");
            }
        }
        for (String kind : List.of("requests", "limits")) {
            for (String res : List.of("cpu", "memory")) {
                if (VerifyTree.at(c, "resources", kind, res) == null) add(r, path + ".resources." + kind + "." + res, "resources", "set resources." + kind + "." + res);
            }
        }
        image(r, path + ".image", VerifyTree.str(c, "image"));
        for (Map<String, Object> env : VerifyTree.maps(c, "env")) {
            String name = String.valueOf(env.get("name"));
            Object value = env.get("value");
            compat(r, path + ".env." + name, name, value);
            if (value != null && !String.valueOf(value).isEmpty() && SECRET_NAME.matcher(name).find()) {
                add(r, path + ".env." + name, "secret-literal", "take " + name + " from a Secret with valueFrom.secretKeyRef instead of a literal value");
            }
        }
    }

    private static boolean tmpIsEmptyDir(Map<String, Object> c, Map<String, Object> spec) {
        for (Map<String, Object> m : VerifyTree.maps(c, "volumeMounts")) {
            if (!"/tmp".equals(m.get("mountPath"))) continue;
            for (Map<String, Object> v : VerifyTree.maps(spec, "volumes")) {
                if (v.get("name") != null && v.get("name").equals(m.get("name")) && v.containsKey("emptyDir")) return true;
            }
        }
        return false;
    }

    /** A pod needs its token when a RoleBinding or ClusterRoleBinding of the unit names its ServiceAccount. */
    private static boolean usesApi(VerifyTree.Unit unit, Map<String, Object> spec) {
        String sa = requireNonNullElse(VerifyTree.str(spec, "serviceAccountName"), "default");
        return unit.ofKind("RoleBinding", "ClusterRoleBinding").stream()
                .flatMap(b -> VerifyTree.maps(b.body(), "subjects").stream())
                .anyMatch(s -> "ServiceAccount".equals(s.get("kind")) && sa.equals(s.get("name")));
    }

    private void image(VerifyTree.Resource r, String field, String image) {
        if (image == null || image.isBlank()) {
            add(r, field, "image-pinned", "set an image with an immutable tag");
            return;
        }
        if (image.contains("@sha256:")) return;
        String last = image.substring(image.lastIndexOf('/') + 1);
        if (!last.contains(":")) {
            add(r, field, "image-pinned", "image " + image + " has no tag: set an immutable tag (in the overlay's images: entry for the services)");
        } else if (last.endsWith(":latest") || last.endsWith(":stable") || last.endsWith(":main") || last.endsWith(":master")) {
            add(r, field, "image-pinned", "image " + image + " uses a moving tag: pin a release or a commit tag");
        }
    }

    /** Named ports in NetworkPolicies: the AWS VPC CNI's policy agent has mishandled them, so every port is a number. */
    private void numericPorts(VerifyTree.Resource np) {
        for (String dir : List.of("ingress", "egress")) {
            List<Map<String, Object>> rules = VerifyTree.maps(np.body(), "spec", dir);
            for (int i = 0; i < rules.size(); i++) {
                List<Map<String, Object>> ports = VerifyTree.maps(rules.get(i), "ports");
                for (int k = 0; k < ports.size(); k++) {
                    Object port = ports.get(k).get("port");
                    if (port != null && !(port instanceof Integer)) {
                        add(np, "spec." + dir + "[" + i + "].ports[" + k + "].port", "numeric-port", "write the port number instead of '" + port
                                + "' (the AWS VPC CNI policy agent has mishandled named ports), with a comment naming the containerPort it must match");
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- secrets in git

    private void configMap(VerifyTree.Resource r) {
        for (Map.Entry<String, Object> e : VerifyTree.map(r.body(), "data").entrySet()) {
            compat(r, "data." + e.getKey(), e.getKey(), e.getValue());
            if (SECRET_NAME.matcher(e.getKey()).find() && !String.valueOf(e.getValue()).isEmpty()) {
                add(r, "data." + e.getKey(), "secret-literal", "move " + e.getKey() + " to a Secret that is created out of git (see the overlay's secrets/README.md)");
            }
        }
    }

    // ---------------------------------------------------------------- auth compatibility mode

    /** AUTH_COMPAT=true accepts any Authorization header: never in a cluster (the services also refuse to start). */
    private void compat(VerifyTree.Resource r, String field, String name, Object value) {
        if ("AUTH_COMPAT".equals(name) && value != null && "true".equalsIgnoreCase(String.valueOf(value).strip())) {
            add(r, field, "auth-compat", "remove AUTH_COMPAT=true: it accepts any Authorization header and skips per-object"
                    + " rules; it is for a laptop only (./jbang scripts/dev.java --compat-auth)");
        }
    }

    private void secret(VerifyTree.Resource r) {
        if (!VerifyTree.map(r.body(), "data").isEmpty() || !VerifyTree.map(r.body(), "stringData").isEmpty()) {
            add(r, "data", "secret-in-git", "do not commit Secret values: generate the Secret from a git-ignored file (overlays/<cluster>/secrets/) or an external store");
        }
    }

    // ---------------------------------------------------------------- replicas, PDBs, HPAs

    private void highAvailability(VerifyTree.Unit unit) {
        for (VerifyTree.Resource d : unit.ofKind("Deployment")) {
            int replicas = effectiveReplicas(unit, d);
            if (replicas < 2) add(d, "spec.replicas", "high-availability", "run at least 2 replicas (or an HPA with minReplicas >= 2) so a node loss is not an outage");
            List<VerifyTree.Resource> pdbs = pdbsFor(unit, d);
            if (pdbs.isEmpty()) add(d, "-", "high-availability", "add a PodDisruptionBudget selecting this Deployment's pods");
            Object spread = VerifyTree.at(VerifyTree.podTemplate(d), "spec", "topologySpreadConstraints");
            if (spread == null) add(d, "spec.template.spec.topologySpreadConstraints", "high-availability", "spread the pods over zones and nodes with topologySpreadConstraints");
            for (VerifyTree.Resource pdb : pdbs) {
                Object min = VerifyTree.at(pdb.body(), "spec", "minAvailable");
                if (min instanceof Integer n && n >= replicas) {
                    add(pdb, "spec.minAvailable", "high-availability", "minAvailable " + n + " with " + replicas + " replicas blocks every node drain: lower it below the replica count");
                }
                Object maxU = VerifyTree.at(pdb.body(), "spec", "maxUnavailable");
                if (maxU instanceof Integer n && n == 0) add(pdb, "spec.maxUnavailable", "high-availability", "maxUnavailable 0 blocks every node drain: allow at least 1");
            }
        }
    }

    private void hpas(VerifyTree.Unit unit) {
        for (VerifyTree.Resource h : unit.ofKind("HorizontalPodAutoscaler")) {
            Object min = VerifyTree.at(h.body(), "spec", "minReplicas");
            Object max = VerifyTree.at(h.body(), "spec", "maxReplicas");
            if (min instanceof Integer a && max instanceof Integer b && a > b) add(h, "spec.minReplicas", "hpa", "minReplicas must not exceed maxReplicas");
            VerifyTree.Resource target = hpaTarget(unit, h);
            if (target == null) continue; // reported by the reference rules
            if (VerifyTree.at(target.body(), "spec", "replicas") != null) {
                add(target, "spec.replicas", "hpa", "remove spec.replicas: HorizontalPodAutoscaler/" + h.name() + " owns it and Argo CD would keep resetting it");
            }
            boolean cpu = VerifyTree.maps(h.body(), "spec", "metrics").stream().anyMatch(m -> "cpu".equals(VerifyTree.str(m, "resource", "name")));
            if (cpu) {
                for (Map.Entry<String, Map<String, Object>> e : VerifyTree.containers(target).entrySet()) {
                    if (VerifyTree.at(e.getValue(), "resources", "requests", "cpu") == null) {
                        add(target, e.getKey() + ".resources.requests.cpu", "hpa", "set a CPU request: the HPA scales on CPU utilization of the request");
                    }
                }
            }
        }
    }

    static VerifyTree.Resource hpaTarget(VerifyTree.Unit unit, VerifyTree.Resource h) {
        String kind = VerifyTree.str(h.body(), "spec", "scaleTargetRef", "kind");
        String name = VerifyTree.str(h.body(), "spec", "scaleTargetRef", "name");
        return unit.resources().stream().filter(r -> r.kind().equals(kind) && r.name().equals(name)).findFirst().orElse(null);
    }

    private static int effectiveReplicas(VerifyTree.Unit unit, VerifyTree.Resource d) {
        for (VerifyTree.Resource h : unit.ofKind("HorizontalPodAutoscaler")) {
            if (hpaTarget(unit, h) == d) {
                Object min = VerifyTree.at(h.body(), "spec", "minReplicas");
                return min instanceof Integer n ? n : 1;
            }
        }
        Object replicas = VerifyTree.at(d.body(), "spec", "replicas");
        return replicas instanceof Integer n ? n : 1;
    }

    private static List<VerifyTree.Resource> pdbsFor(VerifyTree.Unit unit, VerifyTree.Resource d) {
        Map<String, Object> labels = VerifyTree.map(VerifyTree.podTemplate(d), "metadata", "labels");
        return unit.ofKind("PodDisruptionBudget").stream()
                .filter(p -> VerifyTree.matches(VerifyTree.map(p.body(), "spec", "selector", "matchLabels"), labels)).toList();
    }

    private void add(VerifyTree.Resource r, String field, String rule, String fix) {
        findings.add(r.finding(field, rule, fix));
    }
}
