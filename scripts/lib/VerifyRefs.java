import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Cross-reference rules of scripts/verify.java, within one unit (an overlay or a cluster, with its
 * secrets/ kustomization): Service selectors and target ports, ServiceAccounts, ConfigMaps and Secrets
 * (and their keys), volume mounts, probe ports, NetworkPolicy selectors and ports, HPA and PDB targets,
 * ServiceMonitor selectors and ports.
 */
public final class VerifyRefs {

    private final List<VerifyTree.Finding> findings = new ArrayList<>();

    public List<VerifyTree.Finding> check(VerifyTree.Unit unit) {
        for (VerifyTree.Resource r : unit.resources()) {
            switch (r.kind()) {
                case "Service" -> service(unit, r);
                case "NetworkPolicy" -> networkPolicy(unit, r);
                case "ServiceMonitor" -> serviceMonitor(unit, r);
                case "HorizontalPodAutoscaler" -> {
                    if (VerifyPolicy.hpaTarget(unit, r) == null) add(r, "spec.scaleTargetRef", "reference", "no " + VerifyTree.str(r.body(), "spec", "scaleTargetRef", "kind") + " named " + VerifyTree.str(r.body(), "spec", "scaleTargetRef", "name") + " in this overlay: fix the name");
                }
                case "PodDisruptionBudget" -> {
                    if (VerifyTree.podsMatching(unit, VerifyTree.map(r.body(), "spec", "selector")).isEmpty()) add(r, "spec.selector", "reference", "the selector matches no pod template: fix the labels");
                }
                default -> { }
            }
            if (VerifyTree.podTemplate(r) != null) pod(unit, r);
        }
        return findings;
    }

    // ---------------------------------------------------------------- Services

    private void service(VerifyTree.Unit unit, VerifyTree.Resource s) {
        Map<String, Object> selector = VerifyTree.map(s.body(), "spec", "selector");
        if (selector.isEmpty()) return; // a Service without selector has manual endpoints
        List<VerifyTree.Resource> pods = VerifyTree.podsMatching(unit, selector);
        if (pods.isEmpty()) {
            add(s, "spec.selector", "reference", "the selector " + selector + " matches no pod template: use the pods' app.kubernetes.io/name label");
            return;
        }
        List<Map<String, Object>> ports = VerifyTree.maps(s.body(), "spec", "ports");
        for (int i = 0; i < ports.size(); i++) {
            Object target = ports.get(i).containsKey("targetPort") ? ports.get(i).get("targetPort") : ports.get(i).get("port");
            for (VerifyTree.Resource p : pods) {
                if (!hasPort(p, target)) add(s, "spec.ports[" + i + "].targetPort", "reference", "targetPort " + target + " is not a containerPort (name or number) of " + p.id() + ": fix one or the other");
            }
        }
    }

    private static boolean hasPort(VerifyTree.Resource pod, Object port) {
        return VerifyTree.containers(pod).values().stream().anyMatch(c -> containerHasPort(c, port));
    }

    private static boolean containerHasPort(Map<String, Object> c, Object port) {
        for (Map<String, Object> p : VerifyTree.maps(c, "ports")) {
            if (Objects.equals(String.valueOf(port), String.valueOf(p.get("name"))) || Objects.equals(String.valueOf(port), String.valueOf(p.get("containerPort")))) return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- ServiceMonitors

    /** A ServiceMonitor selects Services by their labels (not their selector) and scrapes a named Service port. */
    private void serviceMonitor(VerifyTree.Unit unit, VerifyTree.Resource sm) {
        Map<String, Object> selector = VerifyTree.map(sm.body(), "spec", "selector");
        Map<String, Object> labels = VerifyTree.map(selector, "matchLabels");
        List<VerifyTree.Resource> services = unit.ofKind("Service").stream()
                .filter(s -> VerifyTree.matches(labels, VerifyTree.map(s.body(), "metadata", "labels"))).toList();
        if (labels.isEmpty() || services.isEmpty()) {
            add(sm, "spec.selector", "reference", (labels.isEmpty() ? "no matchLabels" : "the selector " + labels + " matches no Service's labels")
                    + ": select the Service by its app.kubernetes.io/name label");
            return;
        }
        List<Map<String, Object>> endpoints = VerifyTree.maps(sm.body(), "spec", "endpoints");
        for (int i = 0; i < endpoints.size(); i++) {
            Object port = endpoints.get(i).get("port");
            Object targetPort = endpoints.get(i).get("targetPort");
            if (port == null && targetPort == null) {
                add(sm, "spec.endpoints[" + i + "].port", "reference", "name the Service port to scrape (port: http)");
                continue;
            }
            for (VerifyTree.Resource s : services) {
                Map<String, Object> servicePort = VerifyTree.maps(s.body(), "spec", "ports").stream()
                        .filter(p -> String.valueOf(port).equals(String.valueOf(p.get("name")))).findFirst().orElse(null);
                if (port != null && servicePort == null) {
                    add(sm, "spec.endpoints[" + i + "].port", "reference", "port " + port + " is not a port name of " + s.id() + ": use the name of its ports entry");
                }
                if (servicePort != null) {
                    Object target = servicePort.containsKey("targetPort") ? servicePort.get("targetPort") : servicePort.get("port");
                    for (VerifyTree.Resource p : VerifyTree.podsMatching(unit, VerifyTree.map(s.body(), "spec", "selector"))) {
                        if (!scrapeAllowed(unit, p, target)) {
                            add(sm, "spec.endpoints[" + i + "].port", "network-policy", "the NetworkPolicies of " + p.id() + " let nothing from another namespace in on port "
                                    + target + ": Prometheus cannot scrape it; add a NetworkPolicy allowing ingress from the monitoring namespace (see base/monitoring)");
                        }
                    }
                }
                if (port == null) {
                    List<VerifyTree.Resource> pods = VerifyTree.podsMatching(unit, VerifyTree.map(s.body(), "spec", "selector"));
                    for (VerifyTree.Resource p : pods) {
                        if (!hasPort(p, targetPort)) add(sm, "spec.endpoints[" + i + "].targetPort", "reference", "targetPort " + targetPort + " is not a containerPort of " + p.id() + ": fix the port");
                    }
                }
            }
        }
    }

    /**
     * True when no NetworkPolicy isolates the pods for ingress, or one that selects them lets a peer from another
     * namespace (a namespaceSelector, an ipBlock, or no from at all) in on the port (or on every port).
     */
    private static boolean scrapeAllowed(VerifyTree.Unit unit, VerifyTree.Resource pod, Object target) {
        Map<String, Object> labels = VerifyTree.map(VerifyTree.podTemplate(pod), "metadata", "labels");
        List<VerifyTree.Resource> policies = unit.ofKind("NetworkPolicy").stream()
                .filter(np -> VerifyTree.matches(VerifyTree.map(np.body(), "spec", "podSelector", "matchLabels"), labels))
                .filter(np -> VerifyTree.list(VerifyTree.at(np.body(), "spec", "policyTypes")).contains("Ingress")
                        || VerifyTree.at(np.body(), "spec", "ingress") != null)
                .toList();
        if (policies.isEmpty()) return true;
        Set<String> names = new HashSet<>(List.of(String.valueOf(target)));
        for (Map<String, Object> c : VerifyTree.containers(pod).values()) {
            for (Map<String, Object> p : VerifyTree.maps(c, "ports")) {
                if (String.valueOf(target).equals(String.valueOf(p.get("name"))) || String.valueOf(target).equals(String.valueOf(p.get("containerPort")))) {
                    names.add(String.valueOf(p.get("name")));
                    names.add(String.valueOf(p.get("containerPort")));
                }
            }
        }
        for (VerifyTree.Resource np : policies) {
            for (Map<String, Object> rule : VerifyTree.maps(np.body(), "spec", "ingress")) {
                List<Map<String, Object>> from = VerifyTree.maps(rule, "from");
                boolean otherNamespace = from.isEmpty() || from.stream().anyMatch(f -> f.containsKey("namespaceSelector") || f.containsKey("ipBlock"));
                List<Map<String, Object>> ports = VerifyTree.maps(rule, "ports");
                boolean port = ports.isEmpty() || ports.stream().anyMatch(p -> p.get("port") == null || names.contains(String.valueOf(p.get("port"))));
                if (otherNamespace && port) return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- pods

    private void pod(VerifyTree.Unit unit, VerifyTree.Resource r) {
        Map<String, Object> spec = VerifyTree.map(VerifyTree.podTemplate(r), "spec");
        String pod = VerifyTree.podPath(r);
        String sa = VerifyTree.str(spec, "serviceAccountName");
        if (sa != null && !sa.equals("default") && find(unit, "ServiceAccount", sa) == null) {
            add(r, pod + ".serviceAccountName", "reference", "no ServiceAccount " + sa + " in this overlay: add it or fix the name");
        }
        Set<String> volumes = new HashSet<>();
        List<Map<String, Object>> vols = VerifyTree.maps(spec, "volumes");
        for (int i = 0; i < vols.size(); i++) {
            Map<String, Object> v = vols.get(i);
            volumes.add(String.valueOf(v.get("name")));
            String field = pod + ".volumes[" + i + "]";
            if (v.get("configMap") instanceof Map<?, ?> cm) source(unit, r, field + ".configMap", "ConfigMap", cm, "name", itemKeys(cm));
            if (v.get("secret") instanceof Map<?, ?> sec) source(unit, r, field + ".secret", "Secret", sec, "secretName", itemKeys(sec));
            String claim = VerifyTree.str(v, "persistentVolumeClaim", "claimName");
            if (claim != null && find(unit, "PersistentVolumeClaim", claim) == null) {
                add(r, field + ".persistentVolumeClaim", "reference", "no PersistentVolumeClaim " + claim + " in this overlay: add it or fix the claimName");
            }
        }
        for (Map.Entry<String, Map<String, Object>> e : VerifyTree.containers(r).entrySet()) {
            String path = e.getKey();
            Map<String, Object> c = e.getValue();
            for (Map<String, Object> m : VerifyTree.maps(c, "volumeMounts")) {
                if (!volumes.contains(String.valueOf(m.get("name")))) add(r, path + ".volumeMounts", "reference", "volume " + m.get("name") + " is mounted but not declared in volumes");
            }
            List<Map<String, Object>> envFrom = VerifyTree.maps(c, "envFrom");
            for (int i = 0; i < envFrom.size(); i++) {
                if (envFrom.get(i).get("configMapRef") instanceof Map<?, ?> ref) source(unit, r, path + ".envFrom[" + i + "].configMapRef", "ConfigMap", ref, "name", List.of());
                if (envFrom.get(i).get("secretRef") instanceof Map<?, ?> ref) source(unit, r, path + ".envFrom[" + i + "].secretRef", "Secret", ref, "name", List.of());
            }
            for (Map<String, Object> env : VerifyTree.maps(c, "env")) {
                String field = path + ".env." + env.get("name");
                if (VerifyTree.at(env, "valueFrom", "configMapKeyRef") instanceof Map<?, ?> ref) source(unit, r, field, "ConfigMap", ref, "name", List.of(String.valueOf(ref.get("key"))));
                if (VerifyTree.at(env, "valueFrom", "secretKeyRef") instanceof Map<?, ?> ref) source(unit, r, field, "Secret", ref, "name", List.of(String.valueOf(ref.get("key"))));
            }
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                for (String handler : List.of("httpGet", "tcpSocket", "grpc")) {
                    Object port = VerifyTree.at(c, probe, handler, "port");
                    if (port != null && !containerHasPort(c, port)) {
                        add(r, path + "." + probe + "." + handler + ".port", "reference", "probe port " + port + " is not a containerPort of this container: declare it in ports or fix the probe");
                    }
                }
            }
        }
    }

    private static List<String> itemKeys(Map<?, ?> source) {
        List<String> keys = new ArrayList<>();
        for (Object item : VerifyTree.list(source.get("items"))) {
            if (item instanceof Map<?, ?> m) keys.add(String.valueOf(m.get("key")));
        }
        return keys;
    }

    /** A ConfigMap or Secret referred to by name (and keys) must be rendered in the unit, unless optional. */
    private void source(VerifyTree.Unit unit, VerifyTree.Resource r, String field, String kind, Map<?, ?> ref, String nameKey, List<String> keys) {
        if (Boolean.TRUE.equals(ref.get("optional"))) return;
        String name = String.valueOf(ref.get(nameKey));
        VerifyTree.Resource target = find(unit, kind, name);
        if (target == null) {
            String how = kind.equals("Secret") ? " (Secrets: a secretGenerator in overlays/<cluster>/secrets/ with a committed *.env.example)" : "";
            add(r, field, "reference", "no " + kind + " " + name + " in this overlay: add it or fix the name" + how);
            return;
        }
        Set<String> present = new HashSet<>(VerifyTree.map(target.body(), "data").keySet());
        present.addAll(VerifyTree.map(target.body(), "stringData").keySet());
        present.addAll(VerifyTree.map(target.body(), "binaryData").keySet());
        for (String key : keys) {
            if (!present.contains(key)) add(r, field, "reference", kind + " " + name + " has no key " + key + ": add the key or fix the reference");
        }
    }

    // ---------------------------------------------------------------- NetworkPolicies

    private void networkPolicy(VerifyTree.Unit unit, VerifyTree.Resource np) {
        Map<String, Object> selector = VerifyTree.map(np.body(), "spec", "podSelector");
        List<VerifyTree.Resource> selected = VerifyTree.podsMatching(unit, selector);
        if (selected.isEmpty()) {
            add(np, "spec.podSelector", "reference", "the podSelector matches no pod template: fix the labels");
            return;
        }
        for (String dir : List.of("ingress", "egress")) {
            List<Map<String, Object>> rules = VerifyTree.maps(np.body(), "spec", dir);
            for (int i = 0; i < rules.size(); i++) {
                String peersKey = dir.equals("ingress") ? "from" : "to";
                List<VerifyTree.Resource> peers = new ArrayList<>();
                boolean external = false;
                List<Map<String, Object>> peerList = VerifyTree.maps(rules.get(i), peersKey);
                for (int j = 0; j < peerList.size(); j++) {
                    Map<String, Object> peer = peerList.get(j);
                    if (peer.containsKey("namespaceSelector") || peer.containsKey("ipBlock") || !peer.containsKey("podSelector")) {
                        external = true;
                        continue;
                    }
                    List<VerifyTree.Resource> m = VerifyTree.podsMatching(unit, VerifyTree.map(peer, "podSelector"));
                    if (m.isEmpty()) add(np, "spec." + dir + "[" + i + "]." + peersKey + "[" + j + "].podSelector", "reference", "the podSelector matches no pod template: fix the labels");
                    peers.addAll(m);
                }
                // ports name the destination's ports: the selected pods for ingress, the peers for egress
                List<VerifyTree.Resource> owners = dir.equals("ingress") ? selected : (external || peerList.isEmpty() ? List.of() : peers);
                List<Map<String, Object>> ports = VerifyTree.maps(rules.get(i), "ports");
                for (int k = 0; k < ports.size(); k++) {
                    Object port = ports.get(k).get("port");
                    if (port == null) continue;
                    for (VerifyTree.Resource o : owners) {
                        if (!hasPort(o, port)) add(np, "spec." + dir + "[" + i + "].ports[" + k + "].port", "reference", "port " + port + " is not a containerPort of " + o.id() + ": fix the port");
                    }
                }
            }
        }
    }

    private static VerifyTree.Resource find(VerifyTree.Unit unit, String kind, String name) {
        return unit.resources().stream().filter(r -> r.kind().equals(kind) && Objects.equals(r.name(), name)).findFirst().orElse(null);
    }

    private void add(VerifyTree.Resource r, String field, String rule, String fix) {
        findings.add(r.finding(field, rule, fix));
    }
}
