import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argo CD rules of scripts/verify.java: Applications point at paths that exist and render, into
 * projects that exist and allow what they deploy; charts are pinned; AppProjects use no '*'; Argo CD's
 * own chart matches the README's bootstrap command; sync policies heal; hooks and waves are well-formed.
 */
public final class VerifyArgo {

    private static final Pattern EXACT_VERSION = Pattern.compile("v?\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.-]+)?");
    private static final Set<String> HOOKS = Set.of("PreSync", "Sync", "PostSync", "SyncFail", "PostDelete", "Skip");
    private static final Set<String> DELETE_POLICIES = Set.of("HookSucceeded", "HookFailed", "BeforeHookCreation");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "APIService", "PersistentVolume", "StorageClass", "PriorityClass",
            "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "IngressClass", "Node");
    static final String WAVE = "argocd.argoproj.io/sync-wave";
    static final String HOOK = "argocd.argoproj.io/hook";
    static final String DELETE_POLICY = "argocd.argoproj.io/hook-delete-policy";

    private final VerifyTree tree;
    private final Map<String, VerifyTree.Unit> rendered;
    private final List<VerifyTree.Finding> findings = new ArrayList<>();

    /** @param rendered units already rendered by this run, by name (their paths need no second render) */
    public VerifyArgo(VerifyTree tree, List<VerifyTree.Unit> rendered) {
        this.tree = tree;
        this.rendered = new HashMap<>();
        rendered.forEach(u -> this.rendered.put(u.name(), u));
    }

    public List<VerifyTree.Finding> check(VerifyTree.Unit unit) {
        for (VerifyTree.Resource r : unit.resources()) hooksAndWaves(unit, r);
        for (VerifyTree.Resource p : unit.ofKind("AppProject")) noWildcards(p);
        for (VerifyTree.Resource app : unit.ofKind("Application")) application(unit, app);
        if (!unit.ofKind("Application").isEmpty()) bootstrapRelease(unit);
        return findings;
    }

    // ---------------------------------------------------------------- hooks and waves

    private void hooksAndWaves(VerifyTree.Unit unit, VerifyTree.Resource r) {
        Map<String, Object> ann = VerifyTree.map(r.body(), "metadata", "annotations");
        Object wave = ann.get(WAVE);
        if (wave != null && !String.valueOf(wave).matches("-?\\d+")) {
            add(r, "metadata.annotations." + WAVE, "argo-wave", "the sync wave must be an integer in quotes, e.g. \"1\"");
        }
        Object hook = ann.get(HOOK);
        if (hook != null) {
            for (String h : String.valueOf(hook).split(",")) {
                if (!HOOKS.contains(h.strip())) add(r, "metadata.annotations." + HOOK, "argo-hook", "unknown hook " + h.strip() + ": use one of " + String.join(", ", HOOKS.stream().sorted().toList()));
            }
            Object policy = ann.get(DELETE_POLICY);
            if (policy == null) {
                add(r, "metadata.annotations." + DELETE_POLICY, "argo-hook", "set a hook delete policy (BeforeHookCreation lets the hook run again on the next sync)");
            } else {
                for (String p : String.valueOf(policy).split(",")) {
                    if (!DELETE_POLICIES.contains(p.strip())) add(r, "metadata.annotations." + DELETE_POLICY, "argo-hook", "unknown delete policy " + p.strip() + ": use one of " + String.join(", ", DELETE_POLICIES.stream().sorted().toList()));
                }
            }
        }
        if (hook == null && VerifyTree.podTemplate(r) != null) {
            // a workload must not start before the settings it reads
            int own = wave(r);
            for (VerifyTree.Resource dep : dependencies(unit, r)) {
                if (dep.body().get("metadata") != null && VerifyTree.map(dep.body(), "metadata", "annotations").get(HOOK) == null && wave(dep) > own) {
                    add(r, "metadata.annotations." + WAVE, "argo-wave", "wave " + own + " runs before " + dep.shownId() + " (wave " + wave(dep) + ") that it needs: give it a later wave");
                }
            }
        }
    }

    static int wave(VerifyTree.Resource r) {
        Object w = VerifyTree.map(r.body(), "metadata", "annotations").get(WAVE);
        try {
            return w == null ? 0 : Integer.parseInt(String.valueOf(w).strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** ConfigMaps, Secrets and the ServiceAccount a workload's pods read. */
    private static List<VerifyTree.Resource> dependencies(VerifyTree.Unit unit, VerifyTree.Resource r) {
        Map<String, Object> spec = VerifyTree.map(VerifyTree.podTemplate(r), "spec");
        List<String> ids = new ArrayList<>();
        if (spec.get("serviceAccountName") != null) ids.add("ServiceAccount/" + spec.get("serviceAccountName"));
        for (Map<String, Object> v : VerifyTree.maps(spec, "volumes")) {
            if (VerifyTree.str(v, "configMap", "name") != null) ids.add("ConfigMap/" + VerifyTree.str(v, "configMap", "name"));
            if (VerifyTree.str(v, "secret", "secretName") != null) ids.add("Secret/" + VerifyTree.str(v, "secret", "secretName"));
        }
        for (Map<String, Object> c : VerifyTree.containers(r).values()) {
            for (Map<String, Object> e : VerifyTree.maps(c, "envFrom")) {
                if (VerifyTree.str(e, "configMapRef", "name") != null) ids.add("ConfigMap/" + VerifyTree.str(e, "configMapRef", "name"));
            }
        }
        return unit.resources().stream().filter(x -> ids.contains(x.id())).toList();
    }

    // ---------------------------------------------------------------- AppProjects

    private void noWildcards(VerifyTree.Resource p) {
        Map<String, Object> spec = VerifyTree.map(p.body(), "spec");
        List<?> repos = VerifyTree.list(spec.get("sourceRepos"));
        for (int i = 0; i < repos.size(); i++) {
            if (String.valueOf(repos.get(i)).contains("*")) add(p, "spec.sourceRepos[" + i + "]", "argo-project", "name this repository (and the pinned chart repositories) instead of a wildcard");
        }
        for (String list : List.of("destinations", "clusterResourceWhitelist", "namespaceResourceWhitelist", "sourceNamespaces")) {
            List<?> entries = VerifyTree.list(spec.get(list));
            for (int i = 0; i < entries.size(); i++) {
                if (String.valueOf(entries.get(i)).contains("*")) add(p, "spec." + list + "[" + i + "]", "argo-project", "list the exact namespaces, servers and kinds the project needs instead of '*'");
            }
        }
    }

    // ---------------------------------------------------------------- Applications

    private void application(VerifyTree.Unit unit, VerifyTree.Resource app) {
        Map<String, Object> spec = VerifyTree.map(app.body(), "spec");
        String projectName = String.valueOf(spec.get("project"));
        VerifyTree.Resource project = unit.ofKind("AppProject").stream().filter(p -> projectName.equals(p.name())).findFirst().orElse(null);
        if (project == null) {
            add(app, "spec.project", "argo-project", "no AppProject " + projectName + " in " + unit.name() + ": add it (the 'default' project allows everything)");
        }
        List<Map<String, Object>> sources = new ArrayList<>();
        if (spec.get("source") instanceof Map<?, ?>) sources.add(VerifyTree.map(spec, "source"));
        sources.addAll(VerifyTree.maps(spec, "sources"));
        String destNs = VerifyTree.str(spec, "destination", "namespace");
        for (int i = 0; i < sources.size(); i++) {
            Map<String, Object> src = sources.get(i);
            String field = spec.get("source") instanceof Map<?, ?> && i == 0 ? "spec.source" : "spec.sources[" + (spec.get("source") instanceof Map<?, ?> ? i - 1 : i) + "]";
            String repo = String.valueOf(src.get("repoURL"));
            if (project != null && !VerifyTree.list(VerifyTree.at(project.body(), "spec", "sourceRepos")).contains(repo)) {
                add(app, field + ".repoURL", "argo-project", repo + " is not in the sourceRepos of AppProject " + projectName + ": add it there or fix the URL");
            }
            if (src.get("chart") != null) {
                String rev = String.valueOf(src.get("targetRevision"));
                if (!EXACT_VERSION.matcher(rev).matches()) add(app, field + ".targetRevision", "argo-pinned", "pin chart " + src.get("chart") + " to an exact version (not '" + rev + "')");
            } else if (src.get("path") != null) {
                path(unit, app, project, field, String.valueOf(src.get("path")), destNs);
            }
        }
        if (project != null && destNs != null && !allowsNamespace(project, destNs)) {
            add(app, "spec.destination.namespace", "argo-project", "AppProject " + projectName + " has no destination for namespace " + destNs + ": add it there or fix the namespace");
        }
        syncPolicy(app, spec);
    }

    private void syncPolicy(VerifyTree.Resource app, Map<String, Object> spec) {
        Map<String, Object> automated = VerifyTree.map(spec, "syncPolicy", "automated");
        if (!Boolean.TRUE.equals(automated.get("prune")) || !Boolean.TRUE.equals(automated.get("selfHeal"))) {
            add(app, "spec.syncPolicy.automated", "argo-sync", "set automated sync with prune: true and selfHeal: true, so git stays the truth");
        }
        if (VerifyTree.at(spec, "syncPolicy", "retry", "backoff") == null) {
            add(app, "spec.syncPolicy.retry", "argo-sync", "set retry with a backoff (limit, backoff.duration, factor, maxDuration) so a transient failure heals");
        }
        List<Map<String, Object>> ignores = VerifyTree.maps(spec, "ignoreDifferences");
        for (int i = 0; i < ignores.size(); i++) {
            Map<String, Object> ig = ignores.get(i);
            List<?> pointers = VerifyTree.list(ig.get("jsonPointers"));
            if (ig.get("kind") == null || (pointers.isEmpty() && ig.get("jqPathExpressions") == null && ig.get("managedFieldsManagers") == null)
                    || pointers.contains("/") || pointers.contains("/spec")) {
                add(app, "spec.ignoreDifferences[" + i + "]", "argo-sync", "name the kind and the exact field a controller rewrites (not the whole object or spec)");
            }
        }
    }

    /** A path of this repository: it exists, renders, and the project allows every kind and namespace in it. */
    private void path(VerifyTree.Unit unit, VerifyTree.Resource app, VerifyTree.Resource project, String field, String path, String destNs) {
        Path dir = tree.repo().resolve(path).normalize();
        if (!Files.isRegularFile(dir.resolve("kustomization.yaml"))) {
            add(app, field + ".path", "argo-path", path + " has no kustomization.yaml in this repository: fix the path");
            return;
        }
        VerifyTree.Unit target = rendered.get(VerifyTree.unitOf(path));
        List<VerifyTree.Resource> objects;
        if (target != null && target.resources().stream().anyMatch(r -> r.render().equals(path))) {
            objects = target.resources().stream().filter(r -> r.render().equals(path)).toList();
        } else {
            List<VerifyTree.Finding> renderFindings = new ArrayList<>();
            List<VerifyTree.Unit> units = tree.render(List.of(dir), renderFindings);
            if (!renderFindings.isEmpty()) {
                add(app, field + ".path", "argo-path", path + " does not render: run `kubectl kustomize " + path + "` and fix it");
                return;
            }
            objects = units.isEmpty() ? List.of() : units.get(0).resources();
        }
        if (project == null) return;
        for (VerifyTree.Resource r : objects) {
            String group = groupOf(r);
            boolean cluster = CLUSTER_SCOPED.contains(r.kind());
            String list = cluster ? "clusterResourceWhitelist" : "namespaceResourceWhitelist";
            List<Map<String, Object>> allowed = VerifyTree.maps(project.body(), "spec", list);
            boolean ok = allowed.stream().anyMatch(a -> Objects.equals(String.valueOf(a.get("group")), group) && Objects.equals(String.valueOf(a.get("kind")), r.kind()));
            if (!ok && (cluster || !allowed.isEmpty())) {
                add(app, field + ".path", "argo-project", path + " renders " + r.kind() + " (group '" + group + "'), which AppProject " + project.name() + " does not allow: add it to " + list);
            }
            String ns = VerifyTree.str(r.body(), "metadata", "namespace");
            if (!cluster && ns != null && !allowsNamespace(project, ns)) {
                add(app, field + ".path", "argo-project", path + " renders " + r.id() + " into namespace " + ns + ", which AppProject " + project.name() + " has no destination for");
            }
        }
    }

    private static String groupOf(VerifyTree.Resource r) {
        String apiVersion = VerifyTree.str(r.body(), "apiVersion");
        return apiVersion != null && apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    }

    private static boolean allowsNamespace(VerifyTree.Resource project, String ns) {
        return VerifyTree.maps(project.body(), "spec", "destinations").stream().anyMatch(d -> ns.equals(d.get("namespace")));
    }

    // ---------------------------------------------------------------- Argo CD's own release

    private static final Pattern HELM_VERSION = Pattern.compile("--version[ =](\\S+)");
    private static final Pattern IMAGE_TAG = Pattern.compile("global\\.image\\.tag=(\\S+)");

    /** The Application that installs the argo-cd chart must match every bootstrap command in the READMEs. */
    private void bootstrapRelease(VerifyTree.Unit unit) {
        VerifyTree.Resource argocd = unit.ofKind("Application").stream()
                .filter(a -> "argo-cd".equals(VerifyTree.str(a.body(), "spec", "source", "chart"))).findFirst().orElse(null);
        if (argocd == null) {
            VerifyTree.Resource any = unit.ofKind("Application").get(0);
            add(any, "-", "argo-release", "add an Application for the argo-cd chart at a pinned version, so Argo CD itself is kept in git");
            return;
        }
        String chart = VerifyTree.str(argocd.body(), "spec", "source", "targetRevision");
        String tag = VerifyTree.str(argocd.body(), "spec", "source", "helm", "valuesObject", "global", "image", "tag");
        if (tag == null || !EXACT_VERSION.matcher(tag).matches()) {
            add(argocd, "spec.source.helm.valuesObject.global.image.tag", "argo-release", "pin Argo CD's image tag (global.image.tag) to the release the chart ships, e.g. v3.5.1");
        }
        List<String> commands = new ArrayList<>();
        for (String readme : List.of("README.md", "clusters/README.md", unit.name() + "/README.md")) {
            Path file = tree.repo().resolve(readme);
            if (!Files.isRegularFile(file)) continue;
            try {
                for (String line : Files.readAllLines(file)) {
                    if (line.contains("helm") && line.contains("argo-cd") && line.contains("install")) commands.add(readme + ": " + line.strip());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (commands.isEmpty()) {
            add(argocd, "spec.source.targetRevision", "argo-release", "document the bootstrap command (helm install ... argo-cd --version " + chart + " --set global.image.tag=" + tag + ") in clusters/README.md");
            return;
        }
        for (String cmd : commands) {
            Matcher v = HELM_VERSION.matcher(cmd);
            Matcher t = IMAGE_TAG.matcher(cmd);
            String cmdVersion = v.find() ? v.group(1) : null;
            String cmdTag = t.find() ? t.group(1) : null;
            if (!Objects.equals(cmdVersion, chart) || !Objects.equals(cmdTag, tag)) {
                add(argocd, "spec.source.targetRevision", "argo-release", "the bootstrap command in " + cmd.substring(0, cmd.indexOf(':'))
                        + " installs chart " + cmdVersion + " with image " + cmdTag + ", this Application chart " + chart + " with image " + tag + ": make them the same release");
            }
        }
    }

    private void add(VerifyTree.Resource r, String field, String rule, String fix) {
        findings.add(r.finding(field, rule, fix));
    }
}
