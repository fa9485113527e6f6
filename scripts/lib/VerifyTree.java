import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The rendered GitOps tree for scripts/verify.java: every kustomization under overlays/ and clusters/
 * rendered with the real kustomize, grouped into units (overlays/minikube, clusters/eks, ...), each
 * object remembered with the source file it most likely came from.
 */
public final class VerifyTree {

    /** One problem: where, which object, which field, which rule, and what to do about it. */
    public record Finding(String file, String object, String field, String rule, String fix, List<String> units) {
        public Finding(String file, String object, String field, String rule, String fix) {
            this(file, object, field, rule, fix, List.of());
        }

        public String line() {
            return String.join(" · ", file, object, field, rule, fix) + (units.isEmpty() ? "" : " [" + String.join(", ", units) + "]");
        }

        /** The same problem seen in several units: one finding naming them all. */
        public static List<Finding> merge(List<Finding> findings) {
            Map<List<String>, Finding> merged = new LinkedHashMap<>();
            for (Finding f : findings) {
                List<String> key = List.of(f.file, f.object, f.field, f.rule, f.fix);
                Finding seen = merged.get(key);
                List<String> units = new ArrayList<>(seen == null ? List.of() : seen.units);
                f.units.stream().filter(u -> !units.contains(u)).forEach(units::add);
                merged.put(key, new Finding(f.file, f.object, f.field, f.rule, f.fix, List.copyOf(units)));
            }
            return List.copyOf(merged.values());
        }
    }

    /** A rendered object of one unit. {@code valuesOutsideGit}: a Secret generated from git-ignored files or their *.example stand-ins. */
    public record Resource(String unit, String render, String file, Map<String, Object> body, boolean valuesOutsideGit) {
        public String kind() { return str(body, "kind"); }
        public String name() { return str(body, "metadata", "name"); }
        public String id() { return kind() + "/" + name(); }
        /** The id as written in git: a generated ConfigMap or Secret without the hash suffix kustomize adds to its name. */
        public String shownId() { return kind() + "/" + (name() == null ? null : generatedName(kind(), name())); }
        public Finding finding(String field, String rule, String fix) {
            return new Finding(file, shownId(), field, rule, fix, List.of(unit));
        }
    }

    /** A deployable unit: one folder under overlays/ or clusters/ and the kustomizations below it. */
    public record Unit(String name, List<Resource> resources) {
        public List<Resource> ofKind(String... kinds) {
            return resources.stream().filter(r -> List.of(kinds).contains(r.kind())).toList();
        }
    }

    /** kustomize or node could not run at all: not a finding about the tree. */
    public static final class ToolMissing extends RuntimeException {
        public ToolMissing(String message) { super(message); }
    }

    public static final List<String> ROOTS = List.of("overlays", "clusters");

    private final Path repo;
    private final List<String> kustomize;
    private final Map<String, List<String>> sources;

    public VerifyTree(Path repo) {
        this.repo = repo;
        this.kustomize = findKustomize();
        this.sources = indexSources(repo);
    }

    public Path repo() { return repo; }

    /** Every folder holding a kustomization (not a Component) under overlays/ and clusters/, or under the given folders. */
    public List<Path> kustomizations(List<String> only) {
        List<Path> starts = (only == null || only.isEmpty()) ? ROOTS.stream().map(repo::resolve).toList()
                : only.stream().map(repo::resolve).toList();
        List<Path> found = new ArrayList<>();
        for (Path start : starts) {
            if (!Files.isDirectory(start)) continue;
            try (Stream<Path> walk = Files.walk(start)) {
                walk.filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                        .filter(p -> !isComponent(p))
                        .map(Path::getParent)
                        .sorted()
                        .forEach(found::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    /** Renders the kustomizations and groups their objects into units; render failures become findings. */
    public List<Unit> render(List<Path> dirs, List<Finding> findings) {
        Map<String, List<Resource>> units = new LinkedHashMap<>();
        for (Path dir : dirs) {
            String rel = rel(dir);
            String unit = unitOf(rel);
            List<Resource> list = units.computeIfAbsent(unit, u -> new ArrayList<>());
            Path buildDir = dir;
            boolean examples = false;
            List<String> missing = missingGeneratorFiles(dir);
            if (!missing.isEmpty()) {
                if (missing.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f + ".example")))) {
                    buildDir = copyWithExamples(dir, missing);
                    examples = true;
                } else {
                    findings.add(new Finding(rel + "/kustomization.yaml", "-", "secretGenerator", "render",
                            "create " + String.join(", ", missing) + " (or commit a " + missing.get(0)
                                    + ".example with the keys and no values)"));
                    continue;
                }
            }
            // Secrets whose values come from git-ignored files (or their committed .example stand-ins) are not "in git"
            boolean secretsOutsideGit = examples || secretInputsIgnoredByGit(dir);
            String out;
            try {
                out = run(buildDir);
            } catch (RenderFailed e) {
                findings.add(new Finding(rel + "/kustomization.yaml", "-", "-", "render",
                        "fix the kustomization so `kubectl kustomize " + rel + "` works: " + e.getMessage()));
                continue;
            } finally {
                if (examples) deleteTree(buildDir);
            }
            for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(out)) {
                if (!(doc instanceof Map<?, ?> m)) continue;
                @SuppressWarnings("unchecked") Map<String, Object> body = (Map<String, Object>) m;
                Resource r0 = new Resource(unit, rel, null, body, false);
                boolean secretFromExamples = secretsOutsideGit && "Secret".equals(r0.kind());
                list.add(new Resource(unit, rel, sourceOf(r0, rel), body, secretFromExamples));
            }
        }
        return units.entrySet().stream().map(e -> new Unit(e.getKey(), e.getValue())).toList();
    }

    /** overlays/minikube/secrets belongs to unit overlays/minikube. */
    static String unitOf(String rel) {
        String[] parts = rel.split("/");
        return parts.length >= 2 ? parts[0] + "/" + parts[1] : rel;
    }

    public String rel(Path p) {
        return repo.relativize(p.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    // ---------------------------------------------------------------- kustomize

    private static final class RenderFailed extends Exception {
        RenderFailed(String message) { super(message); }
    }

    private static List<String> findKustomize() {
        if (onPath("kubectl")) return List.of("kubectl", "kustomize");
        if (onPath("kustomize")) return List.of("kustomize", "build");
        throw new ToolMissing("neither kubectl nor kustomize is on the PATH: install kubectl (it includes kustomize) and run verify again");
    }

    static boolean onPath(String tool) {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    private String run(Path dir) throws RenderFailed {
        List<String> cmd = new ArrayList<>(kustomize);
        cmd.add(dir.toString());
        try {
            Path err = Files.createTempFile("verify-kustomize", ".err");
            try {
                Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes());
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new RenderFailed("kustomize took longer than 120 s");
                }
                if (p.exitValue() != 0) {
                    String msg = Files.readString(err).strip().replace('\n', ' ');
                    msg = msg.replaceAll("^Error: ", "").replaceAll("^E\\d+ \\S+\\s+\\d+ \\S+\\] ", "");
                    // nested accumulation errors: the innermost (last) part says what is wrong
                    throw new RenderFailed(msg.length() > 300 ? "..." + msg.substring(msg.length() - 300) : msg);
                }
                return out;
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new RenderFailed(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenderFailed("interrupted");
        }
    }

    // ---------------------------------------------------------------- generators reading git-ignored files

    /** Files named by secretGenerator/configMapGenerator (envs, files) that do not exist. */
    List<String> missingGeneratorFiles(Path dir) {
        Map<String, Object> k = loadYaml(dir.resolve("kustomization.yaml"));
        List<String> missing = new ArrayList<>();
        for (String gen : List.of("secretGenerator", "configMapGenerator")) {
            for (Map<String, Object> g : maps(k.get(gen))) {
                for (Object f : list(g.get("envs"))) check(dir, String.valueOf(f), missing);
                for (Object f : list(g.get("files"))) {
                    String s = String.valueOf(f);
                    check(dir, s.contains("=") ? s.substring(s.indexOf('=') + 1) : s, missing);
                }
            }
        }
        return missing;
    }

    /** True when every secretGenerator reads only files (no literals) that git ignores. */
    boolean secretInputsIgnoredByGit(Path dir) {
        Map<String, Object> k = loadYaml(dir.resolve("kustomization.yaml"));
        List<Map<String, Object>> gens = maps(k.get("secretGenerator"));
        if (gens.isEmpty()) return false;
        List<String> files = new ArrayList<>();
        for (Map<String, Object> g : gens) {
            if (!list(g.get("literals")).isEmpty()) return false;
            for (Object f : list(g.get("envs"))) files.add(String.valueOf(f));
            for (Object f : list(g.get("files"))) {
                String x = String.valueOf(f);
                files.add(x.contains("=") ? x.substring(x.indexOf('=') + 1) : x);
            }
        }
        for (String f : files) {
            try {
                Process p = new ProcessBuilder("git", "check-ignore", "-q", f).directory(dir.toFile())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) return false;
            } catch (IOException e) {
                return false; // no git: cannot tell, so the values count as committed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static void check(Path dir, String file, List<String> missing) {
        if (!Files.exists(dir.resolve(file))) missing.add(file);
    }

    private static Path copyWithExamples(Path dir, List<String> missing) {
        try {
            Path tmp = Files.createTempDirectory("verify-secrets");
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, tmp.resolve(f.getFileName()));
            }
            for (String m : missing) Files.copy(dir.resolve(m + ".example"), tmp.resolve(m));
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }

    private static boolean isComponent(Path kustomization) {
        return "Component".equals(loadYaml(kustomization).get("kind"));
    }

    // ---------------------------------------------------------------- source files of rendered objects

    private static Map<String, List<String>> indexSources(Path repo) {
        Map<String, List<String>> index = new LinkedHashMap<>();
        for (String root : List.of("base", "overlays", "clusters")) {
            Path start = repo.resolve(root);
            if (!Files.isDirectory(start)) continue;
            try {
                Files.walkFileTree(start, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        String n = file.getFileName().toString();
                        if (n.equals("kustomization.yaml")) generated(repo, file, index);
                        if ((n.endsWith(".yaml") || n.endsWith(".yml")) && !n.endsWith(".patch.yaml")
                                && !n.equals("kustomization.yaml")) {
                            try {
                                for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file))) {
                                    if (doc instanceof Map<?, ?> m && m.get("kind") != null && m.get("metadata") instanceof Map<?, ?> md) {
                                        index.computeIfAbsent(m.get("kind") + "/" + md.get("name"), k -> new ArrayList<>()).add(repo.relativize(file).toString().replace('\\', '/'));
                                    }
                                }
                            } catch (IOException | RuntimeException e) {
                                // not YAML we can read: the render will say so
                            }
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return index;
    }

    /** ConfigMaps and Secrets a configMapGenerator/secretGenerator makes: their first input file (env or file), else the kustomization. */
    private static void generated(Path repo, Path kustomization, Map<String, List<String>> index) {
        Map<String, Object> k;
        try {
            k = loadYaml(kustomization);
        } catch (RuntimeException e) {
            return; // the render will say what is wrong
        }
        for (String gen : List.of("configMapGenerator", "secretGenerator")) {
            String kind = gen.startsWith("configMap") ? "ConfigMap" : "Secret";
            for (Map<String, Object> g : maps(k.get(gen))) {
                List<Object> inputs = new ArrayList<>(list(g.get("envs")));
                for (Object f : list(g.get("files"))) inputs.add(String.valueOf(f).replaceFirst("^[^=]*=", ""));
                Path source = inputs.isEmpty() ? kustomization : kustomization.resolveSibling(String.valueOf(inputs.get(0))).normalize();
                index.computeIfAbsent(kind + "/" + g.get("name"), x -> new ArrayList<>()).add(repo.relativize(source).toString().replace('\\', '/'));
            }
        }
    }

    /** The file an object most likely comes from: one under the rendered folder, else its unit, else base/. */
    private String sourceOf(Resource r, String render) {
        List<String> hits = sources.get(r.id());
        if (hits == null && r.name() != null) hits = sources.get(r.shownId());
        if (hits == null) return render + "/kustomization.yaml";
        for (String prefix : List.of(render + "/", unitOf(render) + "/", "base/")) {
            for (String h : hits) if (h.startsWith(prefix)) return h;
        }
        return hits.get(0);
    }

    /** kustomize's name suffix: a hash written in 10 of the characters 2, 4-9, b, c, d, f, g, h, k, m, t. */
    private static final java.util.regex.Pattern HASH_SUFFIX = java.util.regex.Pattern.compile("-[24-9bcdfghkmt]{10}$");

    /** The name a generator was given, for a generated ConfigMap or Secret; other names unchanged. */
    static String generatedName(String kind, String name) {
        return ("ConfigMap".equals(kind) || "Secret".equals(kind)) ? HASH_SUFFIX.matcher(name).replaceFirst("") : name;
    }

    // ---------------------------------------------------------------- workloads

    public static final List<String> WORKLOADS = List.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod");

    /** The pod template's metadata and spec of a workload ({@code {metadata, spec}}), or null for other kinds. */
    public static Map<String, Object> podTemplate(Resource r) {
        return switch (r.kind()) {
            case "Pod" -> r.body();
            case "CronJob" -> map(r.body(), "spec", "jobTemplate", "spec", "template");
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> map(r.body(), "spec", "template");
            default -> null;
        };
    }

    /** The workload's field path to its pod spec, for findings. */
    public static String podPath(Resource r) {
        return switch (r.kind()) {
            case "Pod" -> "spec";
            case "CronJob" -> "spec.jobTemplate.spec.template.spec";
            default -> "spec.template.spec";
        };
    }

    /** Containers and init containers, each with its field path. */
    public static Map<String, Map<String, Object>> containers(Resource r) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        Map<String, Object> spec = map(podTemplate(r), "spec");
        for (String kind : List.of("initContainers", "containers")) {
            List<Map<String, Object>> cs = maps(spec, kind);
            for (int i = 0; i < cs.size(); i++) out.put(podPath(r) + "." + kind + "[" + i + "]", cs.get(i));
        }
        return out;
    }

    /** True when every key/value of the selector is among the labels (an empty selector matches everything). */
    public static boolean matches(Map<String, Object> selector, Map<String, Object> labels) {
        for (Map.Entry<String, Object> e : selector.entrySet()) {
            if (!Objects.equals(String.valueOf(e.getValue()), labels.get(e.getKey()) == null ? null : String.valueOf(labels.get(e.getKey())))) return false;
        }
        return true;
    }

    /** Workloads of the unit whose pod labels match the selector's matchLabels (or a plain label map). */
    public static List<Resource> podsMatching(Unit unit, Map<String, Object> selector) {
        Map<String, Object> labels = selector.containsKey("matchLabels") || selector.containsKey("matchExpressions")
                ? map(selector, "matchLabels") : selector;
        return unit.resources().stream().filter(r -> WORKLOADS.contains(r.kind()))
                .filter(r -> matches(labels, map(podTemplate(r), "metadata", "labels"))).toList();
    }

    // ---------------------------------------------------------------- small helpers over parsed YAML

    @SuppressWarnings("unchecked")
    public static Map<String, Object> loadYaml(Path file) {
        try {
            Object o = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
            return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value at a path of map keys, or null. */
    public static Object at(Object node, String... path) {
        Object cur = node;
        for (String key : path) {
            if (!(cur instanceof Map<?, ?> m)) return null;
            cur = m.get(key);
        }
        return cur;
    }

    public static String str(Object node, String... path) {
        Object v = at(node, path);
        return v == null ? null : String.valueOf(v);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object node, String... path) {
        Object v = at(node, path);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> maps(Object node, String... path) {
        Object v = at(node, path);
        if (!(v instanceof List<?> l)) return List.of();
        return l.stream().filter(x -> x instanceof Map<?, ?>).map(x -> (Map<String, Object>) x).toList();
    }

    public static List<?> list(Object v) {
        return v instanceof List<?> l ? l : List.of();
    }
}
