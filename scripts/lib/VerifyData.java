import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Rules of scripts/verify.java that keep data and configuration safe, within one unit: DynamoDB tables survive any
 * commit (point-in-time recovery, deletion protection, ACK retain, no Argo CD prune or cascade); a unit with real
 * tables never re-seeds sample data on a sync; no image fetches code when it runs; DynamoDB Local keeps its data on
 * a PersistentVolumeClaim; every ConfigMap a pod reads is generated, so a change rolls the pods.
 */
public final class VerifyData {

    static final String DELETION_POLICY = "services.k8s.aws/deletion-policy";
    static final String SYNC_OPTIONS = "argocd.argoproj.io/sync-options";
    /** Images that download their program when the container starts (a JDK, Maven dependencies): never in a cluster. */
    static final Pattern RUNTIME_DOWNLOAD = Pattern.compile("jbangdev/|(^|/)jbang(:|@|$)");
    private static final Pattern HASHED = Pattern.compile(".*-[24-9bcdfghkmt]{10}$");

    private final List<VerifyTree.Finding> findings = new ArrayList<>();

    public List<VerifyTree.Finding> check(VerifyTree.Unit unit) {
        boolean realData = !unit.ofKind("Table").isEmpty();
        for (VerifyTree.Resource t : unit.ofKind("Table")) table(t);
        for (VerifyTree.Resource r : unit.resources()) {
            if (VerifyTree.podTemplate(r) == null) continue;
            for (Map.Entry<String, Map<String, Object>> c : VerifyTree.containers(r).entrySet()) {
                String image = String.valueOf(c.getValue().get("image"));
                if (RUNTIME_DOWNLOAD.matcher(image).find()) {
                    add(r, c.getKey() + ".image", "image-runtime-download", "image " + image + " fetches its program and dependencies when it starts "
                            + "(a JDK, //DEPS from Maven Central): build an image that holds them (the loader: apps/loader) and drop the egress it needs");
                }
                if (image.contains("dynamodb-local")) dynamoDbLocal(r, c.getKey(), c.getValue());
            }
            if (realData && r.render().equals(unit.name()) && isLoader(r)) {
                add(r, "-", "sample-data", unit.name() + " has real DynamoDB tables: do not let Argo CD (re)load sample data on a sync; "
                        + "apply the loader on request (overlays/eks/sample-data) or run scripts/loader.java from a laptop");
            }
            if (realData && "PostSync".equals(VerifyTree.map(r.body(), "metadata", "annotations").get(VerifyArgo.HOOK)) && r.kind().equals("Job")) {
                add(r, "metadata.annotations." + VerifyArgo.HOOK, "sample-data", "no PostSync Job where the data is real: it runs on every sync");
            }
            configRolls(unit, r);
        }
        return findings;
    }

    static boolean isLoader(VerifyTree.Resource r) {
        return "loader".equals(VerifyTree.str(VerifyTree.podTemplate(r), "metadata", "labels", "app.kubernetes.io/name"));
    }

    private void table(VerifyTree.Resource t) {
        Map<String, Object> spec = VerifyTree.map(t.body(), "spec");
        Map<String, Object> ann = VerifyTree.map(t.body(), "metadata", "annotations");
        if (!Boolean.TRUE.equals(spec.get("deletionProtectionEnabled"))) {
            add(t, "spec.deletionProtectionEnabled", "table-protection", "set deletionProtectionEnabled: true, so DeleteTable fails until someone turns it off in AWS");
        }
        if (!Boolean.TRUE.equals(VerifyTree.at(spec, "continuousBackups", "pointInTimeRecoveryEnabled"))) {
            add(t, "spec.continuousBackups.pointInTimeRecoveryEnabled", "table-protection", "set continuousBackups.pointInTimeRecoveryEnabled: true "
                    + "(restore any second of the last 35 days; drill in base/aws/README.md)");
        }
        if (!"retain".equals(ann.get(DELETION_POLICY))) {
            add(t, "metadata.annotations." + DELETION_POLICY, "table-protection", "annotate " + DELETION_POLICY + ": retain, so deleting the object keeps the table");
        }
        List<String> options = List.of(String.valueOf(ann.getOrDefault(SYNC_OPTIONS, "")).replace(" ", "").split(","));
        if (!options.contains("Prune=false") || !options.contains("Delete=false")) {
            add(t, "metadata.annotations." + SYNC_OPTIONS, "table-protection", "annotate " + SYNC_OPTIONS + ": Prune=false,Delete=false, so Argo CD "
                    + "neither prunes the table when it leaves git nor deletes it with the Application");
        }
    }

    /** DynamoDB Local writes its database (-dbPath) to a PersistentVolumeClaim; -inMemory loses every table on a restart. */
    private void dynamoDbLocal(VerifyTree.Resource r, String path, Map<String, Object> c) {
        List<String> args = new ArrayList<>();
        for (Object a : VerifyTree.list(c.get("args"))) args.add(String.valueOf(a));
        for (Object a : VerifyTree.list(c.get("command"))) args.add(String.valueOf(a));
        int dbPath = args.indexOf("-dbPath");
        if (args.contains("-inMemory") || dbPath < 0 || dbPath + 1 >= args.size()) {
            add(r, path + ".args", "persistent-data", "run DynamoDB Local with -dbPath <dir> on a PersistentVolumeClaim, not -inMemory: a restart must keep the tables");
            return;
        }
        String dir = args.get(dbPath + 1);
        Map<String, Object> spec = VerifyTree.map(VerifyTree.podTemplate(r), "spec");
        boolean onClaim = VerifyTree.maps(c, "volumeMounts").stream().filter(m -> dir.equals(m.get("mountPath")))
                .anyMatch(m -> VerifyTree.maps(spec, "volumes").stream().anyMatch(v -> String.valueOf(v.get("name")).equals(String.valueOf(m.get("name")))
                        && v.containsKey("persistentVolumeClaim")));
        if (!onClaim) {
            add(r, path + ".volumeMounts", "persistent-data", "mount a persistentVolumeClaim volume at " + dir + " (-dbPath), so the data outlives the pod");
        }
    }

    /** A ConfigMap a pod reads must come from a configMapGenerator: its name then changes with its content and the pods roll. */
    private void configRolls(VerifyTree.Unit unit, VerifyTree.Resource r) {
        Map<String, Object> spec = VerifyTree.map(VerifyTree.podTemplate(r), "spec");
        List<String> used = new ArrayList<>();
        for (Map<String, Object> v : VerifyTree.maps(spec, "volumes")) {
            if (VerifyTree.str(v, "configMap", "name") != null) used.add(VerifyTree.str(v, "configMap", "name"));
        }
        for (Map<String, Object> c : VerifyTree.containers(r).values()) {
            for (Map<String, Object> e : VerifyTree.maps(c, "envFrom")) {
                if (VerifyTree.str(e, "configMapRef", "name") != null) used.add(VerifyTree.str(e, "configMapRef", "name"));
            }
            for (Map<String, Object> e : VerifyTree.maps(c, "env")) {
                if (VerifyTree.str(e, "valueFrom", "configMapKeyRef", "name") != null) used.add(VerifyTree.str(e, "valueFrom", "configMapKeyRef", "name"));
            }
        }
        for (String name : used) {
            boolean inUnit = unit.ofKind("ConfigMap").stream().anyMatch(cm -> name.equals(cm.name()));
            if (inUnit && !HASHED.matcher(name).matches()) {
                add(r, VerifyTree.podPath(r), "config-rolls", "ConfigMap " + name + " keeps its name when its content changes, so the pods never see the change: "
                        + "make it with a configMapGenerator (without disableNameSuffixHash)");
            }
        }
    }

    private void add(VerifyTree.Resource r, String field, String rule, String fix) {
        findings.add(r.finding(field, rule, fix));
    }
}
