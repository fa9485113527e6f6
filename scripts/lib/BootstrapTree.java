import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code clusters/<name>} deploys, read from its render (scripts/bootstrap.java and teardown.java): the
 * objects to apply, its Applications, Argo CD's own chart and values, the repository it points at, and the
 * rendered objects of every path an Application deploys. One source: nothing here is written twice.
 */
public final class BootstrapTree {

    /** A Helm chart an Application installs, with the values it declares (valuesObject). */
    public record Chart(String application, String repoUrl, String chart, String version, String release,
                        String namespace, Map<String, Object> values) {
        /** The chart reference Helm resolves: {@code oci://host/path/chart} for an OCI repository, else the chart name. */
        public boolean oci() {
            return !repoUrl.contains("://") || repoUrl.startsWith("oci://");
        }
    }

    /** One Application: where it deploys and what (a path of this repository or a chart). */
    public record App(String name, String namespace, String path, Chart chart, boolean fromRepository) {
    }

    public static final String SOURCE_LABEL = "music.gitops/source";

    private final Path repo;
    private final String cluster;
    private final VerifyTree tree;
    private final List<Map<String, Object>> objects;
    private final Map<String, String> repository;
    private final Map<String, List<VerifyTree.Resource>> rendered = new LinkedHashMap<>();

    private BootstrapTree(Path repo, String cluster, VerifyTree tree, List<Map<String, Object>> objects, Map<String, String> repository) {
        this.repo = repo;
        this.cluster = cluster;
        this.tree = tree;
        this.objects = objects;
        this.repository = repository;
    }

    /**
     * Renders {@code clusters/<cluster>} with kustomize.
     *
     * @throws VerifyTree.ToolMissing when neither kubectl nor kustomize is on the PATH
     * @throws IllegalStateException with one sentence when the folder is missing or does not render
     */
    public static BootstrapTree read(Path repo, String cluster) {
        Path dir = repo.resolve("clusters").resolve(cluster);
        if (!Files.isRegularFile(dir.resolve("kustomization.yaml"))) {
            throw new IllegalStateException("clusters/" + cluster + " has no kustomization.yaml: run bootstrap inside the repository, or check the cluster name.");
        }
        VerifyTree tree = new VerifyTree(repo);
        List<VerifyTree.Finding> findings = new ArrayList<>();
        List<VerifyTree.Unit> units = tree.render(List.of(dir), findings);
        if (!findings.isEmpty() || units.isEmpty()) {
            throw new IllegalStateException("clusters/" + cluster + " does not render: run `kubectl kustomize clusters/" + cluster + "` and fix it"
                    + (findings.isEmpty() ? "." : " (" + findings.get(0).fix() + ")."));
        }
        List<Map<String, Object>> objects = units.get(0).resources().stream().map(VerifyTree.Resource::body).toList();
        Map<String, Object> repoFile = VerifyTree.loadYaml(dir.resolve("repository.yaml"));
        Map<String, String> repository = new LinkedHashMap<>();
        repository.put("url", Objects.requireNonNullElse(VerifyTree.str(repoFile, "data", "url"), ""));
        repository.put("revision", Objects.requireNonNullElse(VerifyTree.str(repoFile, "data", "revision"), ""));
        return new BootstrapTree(repo, cluster, tree, objects, repository);
    }

    public String cluster() {
        return cluster;
    }

    public Path repo() {
        return repo;
    }

    /** repository.yaml's url. */
    public String repositoryUrl() {
        return repository.get("url");
    }

    /** repository.yaml's revision (branch, tag or commit). */
    public String revision() {
        return repository.get("revision");
    }

    /** The rendered objects in apply order: AppProjects, then Applications, root last. */
    public List<Map<String, Object>> objects() {
        List<Map<String, Object>> sorted = new ArrayList<>(objects);
        sorted.sort(Comparator.comparingInt(BootstrapTree::order));
        return sorted;
    }

    private static int order(Map<String, Object> o) {
        String kind = VerifyTree.str(o, "kind");
        if ("AppProject".equals(kind)) return 0;
        if ("Application".equals(kind)) return "root".equals(VerifyTree.str(o, "metadata", "name")) ? 2 : 1;
        return 1;
    }

    /**
     * The objects to apply with another repository URL and revision (a pull request's commit): every
     * Application of this repository and the projects' first source repository point there, and root is
     * left out, since it would set them back to repository.yaml.
     */
    public List<Map<String, Object>> objectsAt(String url, String revision) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> o : objects()) {
            if ("Application".equals(VerifyTree.str(o, "kind")) && "root".equals(VerifyTree.str(o, "metadata", "name"))) continue;
            Map<String, Object> copy = deepCopy(o);
            if ("Application".equals(VerifyTree.str(copy, "kind")) && fromRepository(copy)) {
                Map<String, Object> source = VerifyTree.map(copy, "spec", "source");
                source.put("repoURL", url);
                source.put("targetRevision", revision);
            }
            if ("AppProject".equals(VerifyTree.str(copy, "kind"))) {
                @SuppressWarnings("unchecked") List<Object> repos = (List<Object>) VerifyTree.at(copy, "spec", "sourceRepos");
                if (repos != null) repos.replaceAll(r -> repositoryUrl().equals(r) ? url : r);
            }
            out.add(copy);
        }
        return out;
    }

    private static boolean fromRepository(Map<String, Object> app) {
        return "repository".equals(VerifyTree.str(app, "metadata", "labels", SOURCE_LABEL));
    }

    /** The Applications, in the order of the render. */
    public List<App> applications() {
        List<App> apps = new ArrayList<>();
        for (Map<String, Object> o : objects) {
            if (!"Application".equals(VerifyTree.str(o, "kind"))) continue;
            String name = VerifyTree.str(o, "metadata", "name");
            Map<String, Object> source = VerifyTree.map(o, "spec", "source");
            String ns = VerifyTree.str(o, "spec", "destination", "namespace");
            Chart chart = null;
            if (source.get("chart") != null) {
                String release = VerifyTree.str(source, "helm", "releaseName");
                chart = new Chart(name, String.valueOf(source.get("repoURL")), String.valueOf(source.get("chart")),
                        String.valueOf(source.get("targetRevision")), release == null ? name : release, ns,
                        VerifyTree.map(source, "helm", "valuesObject"));
            }
            apps.add(new App(name, ns, VerifyTree.str(source, "path"), chart, fromRepository(o)));
        }
        return apps;
    }

    /** The Application that installs the argo-cd chart: Argo CD itself, as git keeps it. */
    public Chart argocd() {
        return applications().stream().map(App::chart).filter(c -> c != null && "argo-cd".equals(c.chart())).findFirst()
                .orElseThrow(() -> new IllegalStateException("clusters/" + cluster + " has no Application for the argo-cd chart: add one (see clusters/README.md)."));
    }

    /** The rendered objects of a path an Application deploys (rendered once, then remembered). */
    public List<VerifyTree.Resource> render(String path) {
        return rendered.computeIfAbsent(path, p -> {
            List<VerifyTree.Finding> findings = new ArrayList<>();
            List<VerifyTree.Unit> units = tree.render(List.of(repo.resolve(p)), findings);
            if (!findings.isEmpty() || units.isEmpty()) {
                throw new IllegalStateException(p + " does not render: run `kubectl kustomize " + p + "` and fix it.");
            }
            return units.get(0).resources();
        });
    }

    @SuppressWarnings("unchecked")
    static <T> T deepCopy(T node) {
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
            return (T) copy;
        }
        if (node instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(v -> copy.add(deepCopy(v)));
            return (T) copy;
        }
        return node;
    }
}
