///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS org.snakeyaml:snakeyaml-engine:3.0.1
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.4
//SOURCES lib/VerifyTree.java
//SOURCES lib/VerifySchema.java
//SOURCES lib/VerifyPolicy.java
//SOURCES lib/VerifyRefs.java
//SOURCES lib/VerifyArgo.java
//SOURCES lib/VerifyPromql.java
//SOURCES lib/VerifyData.java
//SOURCES lib/VerifyEdge.java
//SOURCES lib/VerifyCluster.java
//DESCRIPTION Check the Kustomize and Argo CD manifests offline before you push: jbang scripts/verify.java

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {
                "Renders every kustomization under overlays/ and clusters/ with the real",
                "kustomize (kubectl kustomize, or kustomize on the PATH) and checks every",
                "rendered object offline:",
                "  schema  built-in kinds against the Kubernetes API schema; Argo CD and ACK",
                "          kinds against theirs (types, required fields, unknown fields, enums)",
                "  policy  restricted Pod Security, read-only root with an emptyDir /tmp,",
                "          probes, requests and limits, pinned images, no secret values in",
                "          git, replicas/PDB/HPA on eks",
                "  refs    Service selectors and ports, ServiceAccounts, ConfigMaps, Secrets",
                "          and keys, probe ports, NetworkPolicy selectors and ports, HPA/PDB,",
                "          ServiceMonitor selectors and ports, and a NetworkPolicy that lets",
                "          Prometheus in from its namespace",
                "  promql  every PromQL expression of PrometheusRules and Grafana dashboards",
                "          parses (Prometheus's own grammar); alerts have a severity, a summary",
                "          and a description naming the command to run first",
                "  argo    Application paths render, projects exist and allow what they",
                "          deploy, pinned charts, no '*', Argo CD matches the README's",
                "          bootstrap release, hooks and sync waves",
                "  data    tables with PITR, deletion protection, ACK retain, no Argo CD",
                "          prune/cascade; no sample data synced where data is real; no",
                "          image that downloads code; DynamoDB Local on a claim; generated",
                "          ConfigMaps, so config changes roll the pods",
                "  edge    load balancers with TLS only, an ACM certificate and source",
                "          ranges; preStop drain and HSTS behind them; internet egress db only",
                "  cluster root in its own project, explicit kinds, CODEOWNERS, Grafana",
                "          RBAC namespaced, Prometheus on a volume; cluster.yaml: logs,",
                "          endpoints, IAM scoped to the tables, add-on identities, an",
                "          autoscaler and pod capacity at maximum scale",
                "Prints one finding per line: file · kind/name · field · rule · what to do.",
                "Exit codes: 0 no findings; 1 findings, or kustomize/node missing; 2 usage.",
                "Schemas and the PromQL parser: npm packages pinned in",
                "scripts/verify/package-lock.json, installed by verify on first use into",
                "scripts/verify/node_modules (git-ignored)."},
        footer = {"", "Example:", "  jbang scripts/verify.java", "  jbang scripts/verify.java overlays/minikube --format json"})
public class verify implements Callable<Integer> {

    enum Format { text, json }

    @Parameters(arity = "0..*", paramLabel = "FOLDER",
            description = "folders to check, relative to the repository, e.g. overlays/eks (default: overlays and clusters)")
    List<String> folders = new ArrayList<>();

    @Option(names = "--repo", paramLabel = "DIR",
            description = "repository root holding overlays/ (default: the nearest parent of the current folder that has one)")
    Path repo;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    Format format;

    @Spec
    CommandSpec spec;

    public static void main(String... args) {
        System.exit(new CommandLine(new verify()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path root = repo != null ? repo.toAbsolutePath().normalize() : findRepo();
        if (root == null || !Files.isDirectory(root.resolve("overlays"))) {
            err.println("verify: no overlays/ folder found: run verify inside the repository or pass --repo <dir>.");
            return 2;
        }
        for (String f : folders) {
            if (!Files.isDirectory(root.resolve(f))) {
                err.println("verify: " + f + " is not a folder of " + root + ": name a folder such as overlays/minikube.");
                return 2;
            }
        }
        List<VerifyTree.Finding> findings = new ArrayList<>();
        List<VerifyTree.Unit> units;
        int objects = 0;
        try {
            VerifyTree tree = new VerifyTree(root);
            List<Path> dirs = tree.kustomizations(folders);
            if (dirs.isEmpty()) {
                err.println("verify: no kustomization.yaml under " + (folders.isEmpty() ? "overlays/ or clusters/" : String.join(", ", folders)) + ": nothing to check.");
                return 1;
            }
            units = tree.render(dirs, findings);
            List<VerifyTree.Resource> all = units.stream().flatMap(u -> u.resources().stream()).toList();
            objects = all.size();
            VerifySchema schema = new VerifySchema(root.resolve("scripts/verify"));
            findings.addAll(schema.check(all));
            schema.install();
            findings.addAll(new VerifyPromql(root.resolve("scripts/verify")).check(all));
            for (VerifyTree.Unit u : units) {
                findings.addAll(new VerifyPolicy().check(u));
                findings.addAll(new VerifyRefs().check(u));
                findings.addAll(new VerifyArgo(tree, units).check(u));
                findings.addAll(new VerifyData().check(u));
                findings.addAll(new VerifyEdge().check(u));
                findings.addAll(new VerifyCluster(tree, units).check(u));
            }
        } catch (VerifyTree.ToolMissing e) {
            err.println("verify: " + e.getMessage());
            return 1;
        }
        List<VerifyTree.Finding> unique = VerifyTree.Finding.merge(findings);
        print(out, err, units, objects, unique);
        return unique.isEmpty() ? 0 : 1;
    }

    private void print(PrintWriter out, PrintWriter err, List<VerifyTree.Unit> units, int objects, List<VerifyTree.Finding> findings) throws Exception {
        if (format == Format.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("units", units.stream().map(VerifyTree.Unit::name).toList());
            doc.put("objects", objects);
            doc.put("findings", findings);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
        } else {
            findings.forEach(f -> out.println(f.line()));
            out.flush();
            String summary = "verify: " + objects + " objects in " + units.size() + " units ("
                    + String.join(", ", units.stream().map(VerifyTree.Unit::name).toList()) + "), " + findings.size() + " findings";
            (findings.isEmpty() ? out : err).println(summary);
        }
        out.flush();
        err.flush();
    }

    private static Path findRepo() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("overlays"))) dir = dir.getParent();
        return dir;
    }
}
