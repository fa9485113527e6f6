import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rules of scripts/verify.java for a cluster folder (clusters/<cluster>): who may change what through Argo CD (root in
 * its own project, explicit kind lists, CODEOWNERS), Grafana without cluster-wide Secret reads, Prometheus on a
 * volume, and eksctl's cluster.yaml: control-plane logs and endpoint, IAM scoped to the tables the app uses, the EBS
 * and load balancer add-ons' identities, an autoscaler and enough pod capacity for the app at its maximum scale.
 */
public final class VerifyCluster {

    static final Set<String> LOGS = Set.of("api", "audit", "authenticator");
    static final List<String> CODEOWNED = List.of("/clusters/", "/overlays/eks/", "/base/aws/", "/.github/");
    /** Pods of the platform at its minimum scale, besides the app (Argo CD 6, add-ons 5, monitoring 6, kube-system 4): clusters/eks/README.md. */
    static final int PLATFORM_PODS = 21;
    /** DaemonSet pods on every node (aws-node, kube-proxy, ebs-csi-node, eks-pod-identity-agent, node-exporter). */
    static final int DAEMONSET_PODS = 5;
    /** Pods per node without prefix delegation (VPC CNI: ENIs x (IPs per ENI - 1) + 2). */
    static final Map<String, Integer> ENI_PODS = Map.of("t3.medium", 17, "t3.large", 35, "t3.xlarge", 58, "m5.large", 29, "m5.xlarge", 58,
            "m6i.large", 29, "m7i.large", 29, "c5.large", 29);

    private final VerifyTree tree;
    private final Path repo;
    private final Map<String, VerifyTree.Unit> units = new HashMap<>();
    private final List<VerifyTree.Finding> findings = new ArrayList<>();

    /** @param rendered units already rendered by this run; an Application's path outside them is rendered here */
    public VerifyCluster(VerifyTree tree, List<VerifyTree.Unit> rendered) {
        this.tree = tree;
        this.repo = tree.repo();
        rendered.forEach(u -> units.put(u.name(), u));
    }

    public List<VerifyTree.Finding> check(VerifyTree.Unit unit) {
        if (unit.ofKind("Application").isEmpty()) return findings;
        projects(unit);
        codeOwners(unit);
        for (VerifyTree.Resource app : unit.ofKind("Application")) {
            if ("kube-prometheus-stack".equals(VerifyTree.str(app.body(), "spec", "source", "chart"))) monitoring(unit, app);
        }
        Path clusterYaml = repo.resolve(unit.name()).resolve("cluster.yaml");
        if (Files.isRegularFile(clusterYaml)) eksctl(unit, VerifyTree.loadYaml(clusterYaml), unit.name() + "/cluster.yaml");
        return findings;
    }

    // ---------------------------------------------------------------- Argo CD access

    private void projects(VerifyTree.Unit unit) {
        String rootProject = unit.ofKind("Application").stream()
                .filter(a -> unit.name().equals(VerifyTree.str(a.body(), "spec", "source", "path")))
                .map(a -> VerifyTree.str(a.body(), "spec", "project")).findFirst().orElse(null);
        for (VerifyTree.Resource p : unit.ofKind("AppProject")) {
            List<Map<String, Object>> kinds = VerifyTree.maps(p.body(), "spec", "namespaceResourceWhitelist");
            boolean argoKinds = kinds.stream().anyMatch(k -> "argoproj.io".equals(k.get("group")));
            if (p.name().equals(rootProject)) {
                boolean onlyArgo = !kinds.isEmpty() && kinds.stream().allMatch(k -> "argoproj.io".equals(k.get("group"))
                        && List.of("Application", "AppProject").contains(String.valueOf(k.get("kind"))));
                boolean onlyArgocd = VerifyTree.maps(p.body(), "spec", "destinations").stream().allMatch(d -> "argocd".equals(d.get("namespace")));
                if (!onlyArgo || !onlyArgocd || !VerifyTree.maps(p.body(), "spec", "clusterResourceWhitelist").isEmpty()) {
                    add(p, "spec", "argo-access", "the app of apps' project may keep only Applications and AppProjects (argoproj.io), only in namespace "
                            + "argocd, and no cluster-scoped kind: give root a project of its own (appproject-root.yaml)");
                }
            } else if (kinds.isEmpty()) {
                add(p, "spec.namespaceResourceWhitelist", "argo-access", "list the namespaced kinds this project's Applications render; "
                        + "without the list every kind is allowed (Secrets, RoleBindings, Applications)");
            } else if (argoKinds) {
                add(p, "spec.namespaceResourceWhitelist", "argo-access", "only root's project may create Applications or AppProjects: one here "
                        + "could give itself any project");
            }
        }
    }

    private void codeOwners(VerifyTree.Unit unit) {
        Path file = repo.resolve(".github/CODEOWNERS");
        List<String> lines;
        try {
            lines = Files.isRegularFile(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String path : CODEOWNED) {
            boolean owned = lines.stream().map(String::strip).filter(l -> !l.startsWith("#")).anyMatch(l -> l.startsWith(path) && l.split("\\s+").length > 1);
            if (!owned) {
                findings.add(new VerifyTree.Finding(".github/CODEOWNERS", "-", path, "codeowners", "add a line '" + path + " @<team>' so a change to "
                        + path + " needs the platform team's review (branch protection: Require review from Code Owners)", List.of(unit.name())));
            }
        }
    }

    // ---------------------------------------------------------------- monitoring

    private void monitoring(VerifyTree.Unit unit, VerifyTree.Resource app) {
        Map<String, Object> values = VerifyTree.map(app.body(), "spec", "source", "helm", "valuesObject");
        String v = "spec.source.helm.valuesObject.";
        if (!Boolean.TRUE.equals(VerifyTree.at(values, "grafana", "rbac", "namespaced"))) {
            add(app, v + "grafana.rbac.namespaced", "grafana-rbac", "set grafana.rbac.namespaced: true: the chart's ClusterRole lets Grafana read every Secret "
                    + "of the cluster (music/auth-key too)");
        }
        Object ns = VerifyTree.at(values, "grafana", "sidecar", "dashboards", "searchNamespace");
        if (String.valueOf(ns).contains("ALL") || !"configmap".equals(VerifyTree.str(values, "grafana", "sidecar", "dashboards", "resource"))) {
            add(app, v + "grafana.sidecar.dashboards", "grafana-rbac", "name the namespaces the dashboards live in (searchNamespace: [monitoring, music]) and "
                    + "read ConfigMaps only (resource: configmap)");
        }
        if (!Files.isRegularFile(repo.resolve(unit.name()).resolve("cluster.yaml"))) return; // a local cluster may keep metrics in memory
        Map<String, Object> storage = VerifyTree.map(values, "prometheus", "prometheusSpec", "storageSpec");
        String sc = VerifyTree.str(storage, "volumeClaimTemplate", "spec", "storageClassName");
        if (sc == null) {
            add(app, v + "prometheus.prometheusSpec.storageSpec", "persistent-data", "keep Prometheus's data on a volume (storageSpec.volumeClaimTemplate with "
                    + "storageClassName gp3), not on the node's disk");
        } else if (appObjects(unit).stream().noneMatch(r -> r.kind().equals("StorageClass") && sc.equals(r.name()))) {
            add(app, v + "prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName", "persistent-data",
                    "no Application of " + unit.name() + " makes StorageClass " + sc + ": add it (clusters/eks/storage) or fix the name");
        }
    }

    // ---------------------------------------------------------------- eksctl's cluster.yaml

    private void eksctl(VerifyTree.Unit unit, Map<String, Object> c, String file) {
        String id = "ClusterConfig/" + VerifyTree.str(c, "metadata", "name");
        List<?> types = VerifyTree.list(VerifyTree.at(c, "cloudWatch", "clusterLogging", "enableTypes"));
        if (!types.contains("*") && !types.contains("all") && !types.stream().map(String::valueOf).toList().containsAll(LOGS)) {
            add(file, id, "cloudWatch.clusterLogging.enableTypes", "control-plane", "send the api, audit and authenticator logs to CloudWatch: who did what to the cluster");
        }
        if (!Boolean.TRUE.equals(VerifyTree.at(c, "vpc", "clusterEndpoints", "privateAccess"))) {
            add(file, id, "vpc.clusterEndpoints.privateAccess", "control-plane", "turn on the private API endpoint, so nodes and pods reach it inside the VPC");
        }
        List<?> cidrs = VerifyTree.list(VerifyTree.at(c, "vpc", "publicAccessCIDRs"));
        if (!Boolean.FALSE.equals(VerifyTree.at(c, "vpc", "clusterEndpoints", "publicAccess")) && (cidrs.isEmpty() || cidrs.contains("0.0.0.0/0"))) {
            add(file, id, "vpc.publicAccessCIDRs", "control-plane", "limit the public API endpoint to your CIDRs (vpc.publicAccessCIDRs), or turn it off");
        }
        Map<String, Map<String, Object>> addons = new HashMap<>();
        VerifyTree.maps(c, "addons").forEach(a -> addons.put(String.valueOf(a.get("name")), a));
        Map<String, Object> ebs = addons.get("aws-ebs-csi-driver");
        if (ebs == null || (VerifyTree.list(ebs.get("podIdentityAssociations")).isEmpty() && !Boolean.TRUE.equals(ebs.get("useDefaultPodIdentityAssociations")))) {
            add(file, id, "addons", "persistent-data", "add the aws-ebs-csi-driver add-on with a Pod Identity association, so PersistentVolumeClaims get EBS volumes");
        }
        List<Map<String, Object>> identities = VerifyTree.maps(c, "iam", "podIdentityAssociations");
        for (VerifyTree.Resource app : unit.ofKind("Application")) {
            if (!"aws-load-balancer-controller".equals(VerifyTree.str(app.body(), "spec", "source", "chart"))) continue;
            String sa = Objects.requireNonNullElse(VerifyTree.str(app.body(), "spec", "source", "helm", "valuesObject", "serviceAccount", "name"), "aws-load-balancer-controller");
            if (identity(identities, VerifyTree.str(app.body(), "spec", "destination", "namespace"), sa) == null) {
                add(file, id, "iam.podIdentityAssociations", "iam-scope", "add a Pod Identity association for the AWS Load Balancer Controller (" + sa
                        + ", wellKnownPolicies.awsLoadBalancerController)");
            }
        }
        tables(unit, c, file, id, identities);
        capacity(unit, c, file, id, addons);
    }

    /** db's and the ACK controller's IAM resources cover every table the app declares or db is told to use, and name them. */
    private void tables(VerifyTree.Unit unit, Map<String, Object> c, String file, String id, List<Map<String, Object>> identities) {
        String region = VerifyTree.str(c, "metadata", "region");
        List<VerifyTree.Resource> objects = appObjects(unit);
        Set<String> declared = new LinkedHashSet<>();
        objects.stream().filter(r -> r.kind().equals("Table")).forEach(t -> declared.add(VerifyTree.str(t.body(), "spec", "tableName")));
        if (declared.isEmpty()) return;
        Map<String, Object> db = identity(identities, "music", "db");
        Map<String, Object> ack = identities.stream().filter(i -> String.valueOf(i.get("serviceAccountName")).startsWith("ack-dynamodb")).findFirst().orElse(null);
        for (Map<String, Object> who : java.util.Arrays.asList(db, ack)) {
            if (who == null) continue;
            for (String res : resources(who)) {
                if (res.equals("*") || res.endsWith(":table/*")) {
                    add(file, id, "iam.podIdentityAssociations[" + who.get("serviceAccountName") + "]", "iam-scope",
                            "name the tables (or their prefix, table/music-*) instead of " + res);
                }
            }
        }
        for (VerifyTree.Resource t : objects.stream().filter(r -> r.kind().equals("Table")).toList()) {
            String arn = "arn:aws:dynamodb:" + region + ":123456789012:table/" + VerifyTree.str(t.body(), "spec", "tableName");
            if (ack == null || !covered(resources(ack), arn)) {
                add(t, "spec.tableName", "iam-scope", "the ACK controller's IAM policy in " + file + " does not cover " + arn.replace("123456789012", "*")
                        + ": give the table the prefix the policy allows, or widen the policy to it");
            }
        }
        for (VerifyTree.Resource cm : objects.stream().filter(r -> r.kind().equals("ConfigMap") && r.shownId().equals("ConfigMap/db")).toList()) {
            for (String key : List.of("DB_MUSIC_TABLE", "DB_USER_TABLE")) {
                String arn = "arn:aws:dynamodb:" + region + ":123456789012:table/" + VerifyTree.str(cm.body(), "data", key);
                if (db == null || !covered(resources(db), arn)) {
                    add(cm, "data." + key, "iam-scope", "db's IAM policy in " + file + " does not cover " + arn.replace("123456789012", "*")
                            + ": db would get AccessDenied; use a table name with the allowed prefix");
                }
            }
        }
    }

    /** The app at its maximum scale plus one surge per Deployment, with the platform, fits maxSize nodes; an autoscaler adds them. */
    private void capacity(VerifyTree.Unit unit, Map<String, Object> c, String file, String id, Map<String, Map<String, Object>> addons) {
        boolean autoscaler = unit.ofKind("Application").stream().map(a -> VerifyTree.str(a.body(), "spec", "source", "chart"))
                .anyMatch(ch -> "cluster-autoscaler".equals(ch) || "karpenter".equals(ch));
        if (!autoscaler) {
            add(file, id, "managedNodeGroups", "pod-capacity", "add a pinned Cluster Autoscaler (or Karpenter) Application: HPA scale-out and rolling "
                    + "surges stay Pending on a fixed number of nodes");
        }
        List<VerifyTree.Resource> objects = appObjects(unit);
        int app = 0;
        for (VerifyTree.Resource d : objects.stream().filter(r -> r.kind().equals("Deployment")).toList()) {
            Object replicas = VerifyTree.at(d.body(), "spec", "replicas");
            int most = replicas instanceof Integer n ? n : 1;
            for (VerifyTree.Resource h : objects.stream().filter(r -> r.kind().equals("HorizontalPodAutoscaler")).toList()) {
                if (d.name().equals(VerifyTree.str(h.body(), "spec", "scaleTargetRef", "name")) && VerifyTree.at(h.body(), "spec", "maxReplicas") instanceof Integer n) most = n;
            }
            app += most + 1;
        }
        String cni = String.valueOf(VerifyTree.map(addons.get("vpc-cni")).get("configurationValues"));
        boolean prefix = Pattern.compile("\"ENABLE_PREFIX_DELEGATION\"\\s*:\\s*\"true\"").matcher(cni).find();
        int nodes = 0;
        int slots = 0;
        for (Map<String, Object> ng : VerifyTree.maps(c, "managedNodeGroups")) {
            int max = ng.get("maxSize") instanceof Integer n ? n : 0;
            Object perNode = prefix ? ng.get("maxPodsPerNode") : ENI_PODS.get(String.valueOf(ng.get("instanceType")));
            nodes += max;
            slots += max * ((perNode instanceof Integer n ? n : 0) - DAEMONSET_PODS);
        }
        int needed = app + PLATFORM_PODS;
        if (slots < needed) {
            add(file, id, "managedNodeGroups", "pod-capacity", "room for " + Math.max(slots, 0) + " pods on " + nodes + " nodes (" + (prefix ? "maxPodsPerNode" : "VPC CNI limit without prefix delegation")
                    + " minus " + DAEMONSET_PODS + " DaemonSet pods each), but the app at its maximum scale plus one surge per Deployment needs " + app
                    + " and the platform " + PLATFORM_PODS + ": turn on prefix delegation (vpc-cni ENABLE_PREFIX_DELEGATION with maxPodsPerNode), larger nodes or a higher maxSize");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The objects Argo CD deploys from this repository for the cluster: every rendered path of its Applications. */
    private List<VerifyTree.Resource> appObjects(VerifyTree.Unit cluster) {
        List<VerifyTree.Resource> all = new ArrayList<>();
        for (VerifyTree.Resource app : cluster.ofKind("Application")) {
            String path = VerifyTree.str(app.body(), "spec", "source", "path");
            if (path == null || path.equals(cluster.name())) continue;
            VerifyTree.Unit u = units.get(VerifyTree.unitOf(path));
            List<VerifyTree.Resource> objects = u == null ? List.of() : u.resources().stream().filter(r -> r.render().equals(path)).toList();
            if (objects.isEmpty() && Files.isRegularFile(repo.resolve(path).resolve("kustomization.yaml"))) {
                List<VerifyTree.Unit> own = tree.render(List.of(repo.resolve(path)), new ArrayList<>()); // render errors: VerifyArgo reports them
                objects = own.isEmpty() ? List.of() : own.get(0).resources();
            }
            all.addAll(objects);
        }
        return all;
    }

    private static Map<String, Object> identity(List<Map<String, Object>> identities, String namespace, String sa) {
        return identities.stream().filter(i -> Objects.equals(namespace, i.get("namespace")) && sa.equals(i.get("serviceAccountName"))).findFirst().orElse(null);
    }

    private static List<String> resources(Map<String, Object> identity) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> s : VerifyTree.maps(identity, "permissionPolicy", "Statement")) {
            Object r = s.get("Resource");
            if (r instanceof List<?> l) l.forEach(x -> out.add(String.valueOf(x)));
            else if (r != null) out.add(String.valueOf(r));
        }
        return out;
    }

    /** IAM's wildcards: * any run of characters, ? one. */
    static boolean covered(List<String> patterns, String arn) {
        return patterns.stream().anyMatch(p -> arn.matches(Pattern.quote(p).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q")));
    }

    private void add(VerifyTree.Resource r, String field, String rule, String fix) {
        findings.add(r.finding(field, rule, fix));
    }

    private void add(String file, String id, String field, String rule, String fix) {
        findings.add(new VerifyTree.Finding(file, id, field, rule, fix, List.of(file.substring(0, file.lastIndexOf('/')))));
    }
}
