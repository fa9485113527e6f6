///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS org.slf4j:slf4j-api:2.0.17
//DEPS org.slf4j:slf4j-nop:2.0.17
//DEPS io.fabric8:kubernetes-client:7.8.0
//DEPS org.snakeyaml:snakeyaml-engine:3.0.1
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.4
//DEPS com.marcnuri.helm-java:helm-java:0.0.21
//DEPS software.amazon.awssdk:bom:2.54.15@pom
//DEPS software.amazon.awssdk:dynamodb:2.54.15
//DEPS software.amazon.awssdk:sts:2.54.15
//DEPS software.amazon.awssdk:eks:2.50.2
//DEPS software.amazon.awssdk:ec2:2.54.15
//DEPS software.amazon.awssdk:elasticloadbalancingv2:2.41.18
//DEPS software.amazon.awssdk:pricing:2.40.2
//SOURCES status.java
//SOURCES cost.java
//SOURCES lib/Components.java
//SOURCES lib/KubeAccess.java
//SOURCES lib/AwsAccess.java
//SOURCES lib/Tty.java
//SOURCES lib/VerifyTree.java
//SOURCES lib/BootstrapTree.java
//SOURCES lib/BootstrapRequests.java
//SOURCES lib/BootstrapSecrets.java
//SOURCES lib/BootstrapOwner.java
//SOURCES lib/BootstrapHelm.java
//SOURCES lib/BootstrapCluster.java
//SOURCES lib/BootstrapGit.java
//SOURCES lib/BootstrapReport.java
//DESCRIPTION From a fork to a running cluster in one command: jbang scripts/bootstrap.java --owner <you> minikube

import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "bootstrap", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Takes a cluster from nothing to what clusters/<CLUSTER> says, in seven steps:",
            "1 preflight  kube context and API, Ready nodes, the requests of what the folder",
            "             deploys against their allocatable CPU and memory (the arithmetic is",
            "             printed); for eks also the AWS identity and region",
            "2 owner      --owner: points clusters/*/repository.yaml and the overlays' images",
            "             at your fork and prints the diff (the commit is yours)",
            "3 secrets    makes every Secret the manifests use but git must not hold; existing",
            "             ones are kept unless --rotate; values are never printed or written",
            "4 argocd     installs the chart clusters/<CLUSTER>/application-argocd.yaml names,",
            "             with its values (embedded Helm), so Argo CD adopts itself unchanged",
            "5 apply      applies clusters/<CLUSTER> (AppProjects, Applications, root)",
            "6 wait       one line per Application (sync, health) until all are Synced and",
            "             Healthy; names the first thing that is not",
            "7 report     the entry point, a first curl, Argo CD and Grafana, EKS cost",
            "A second run changes nothing and says so."},
        footer = {"", "Examples:",
            "  jbang scripts/bootstrap.java --dry-run minikube      # the plan; touches nothing",
            "  jbang scripts/bootstrap.java --owner octocat minikube",
            "  jbang scripts/bootstrap.java --context kind-ci --revision $SHA \\",
            "      --repository-url https://github.com/you/music-gitops.git minikube",
            "", "Exit codes: 0 the cluster is as the folder says; 1 a step failed (the message",
            "says which and what to do); 2 usage error; 3 stopped before the apply step",
            "because Argo CD would not see your changes yet: commit and push, run again."})
public class bootstrap implements Callable<Integer> {

    @Parameters(paramLabel = "CLUSTER", description = "minikube or eks: the folder clusters/<CLUSTER> (kind and other local clusters: minikube)")
    String cluster;

    @Option(names = "--owner", paramLabel = "USER", description = "Your GitHub user or organisation: rewrites repository.yaml and the overlays' image names once.")
    String owner;

    @Option(names = "--dry-run", description = "Print every step and every object it would apply (Secrets by name only); change nothing.")
    boolean dryRun;

    @Option(names = "--rotate", description = "Make new values for the Secrets that exist already.")
    boolean rotate;

    @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context (default: the current one).")
    String context;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "kubeconfig file (default: $KUBECONFIG or ~/.kube/config).")
    String kubeconfig;

    @Option(names = "--repository-url", paramLabel = "URL", description = "Point the Applications at this repository instead of repository.yaml's (a test cluster; root is then left out).")
    String repositoryUrl;

    @Option(names = "--revision", paramLabel = "REV", description = "Point the Applications at this commit or branch instead of repository.yaml's (a pull request's commit; root is then left out).")
    String revision;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "900", description = "How long to wait for Synced/Healthy (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--no-wait", description = "Stop after the apply step.")
    boolean noWait;

    @Option(names = "--region", paramLabel = "REGION", description = "eks: AWS region (default: clusters/eks/cluster.yaml's).")
    String region;

    @Option(names = "--repo", paramLabel = "DIR", description = "Repository root (default: the nearest parent folder holding clusters/).")
    Path repo;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Tests replace these: the Helm call, the poll interval, AWS endpoints for the eks preflight. */
    BootstrapHelm helm = BootstrapHelm.embedded();
    Duration poll = Duration.ofSeconds(5);
    String awsEndpoint;

    private PrintWriter out;
    private PrintWriter err;
    /** What this run changed; 0 on a second run. */
    private int changes;
    /** What the preflight found: the Ready nodes' room and the API server's address (null without a cluster). */
    private BootstrapCluster.Capacity capacity;
    private String server;

    static final class Stop extends RuntimeException {
        final int code;

        Stop(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    public static void main(String... args) {
        System.exit(new CommandLine(new bootstrap()).execute(args));
    }

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        try {
            return run();
        } catch (Stop s) {
            out.flush();
            err.println("bootstrap: " + s.getMessage());
            err.flush();
            return s.code;
        } catch (VerifyTree.ToolMissing | IllegalStateException e) {
            out.flush();
            err.println("bootstrap: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private int run() {
        Path root = repo != null ? repo.toAbsolutePath().normalize() : findRepo();
        if (root == null || !Files.isDirectory(root.resolve("clusters").resolve(cluster))) {
            throw new Stop(2, "no folder clusters/" + cluster + (root == null ? "" : " in " + root) + ": name one of minikube, eks, and run inside the repository (or pass --repo).");
        }
        if (timeout < 1) throw new Stop(2, "--timeout must be 1 second or more.");
        if (owner != null && !BootstrapOwner.OWNER.matcher(owner).matches()) {
            throw new Stop(2, "--owner '" + owner + "' is not a GitHub user or organisation name (letters, digits, single hyphens, at most 39).");
        }
        boolean override = repositoryUrl != null || revision != null;
        Path clusterFile = root.resolve("clusters/eks/cluster.yaml");
        if ("eks".equals(cluster) && region == null && Files.isRegularFile(clusterFile)) {
            region = VerifyTree.str(VerifyTree.loadYaml(clusterFile), "metadata", "region");
        }
        BootstrapTree tree = BootstrapTree.read(root, cluster);
        out.println("bootstrap clusters/" + cluster + (dryRun ? " (dry run: nothing is changed)" : ""));

        step(1, "preflight");
        KubernetesClient client = connect(tree);
        try {
            preflight(client, tree, override);
            step(2, "owner");
            tree = owner(root, tree);
            step(3, "secrets");
            secrets(client, tree);
            step(4, "argocd");
            argocd(client, tree);
            step(5, "apply");
            List<String> apps = apply(client, tree, override);
            step(6, "wait");
            if (dryRun || noWait) {
                out.println("  " + (dryRun ? "would wait" : "not waiting (--no-wait)") + " for " + String.join(", ", apps) + " to be Synced and Healthy");
            } else {
                waitFor(client, tree, apps);
            }
            step(7, "report");
            new BootstrapReport(out, tree, region, awsEndpoint, dryRun).print(client);
        } finally {
            if (client != null) client.close();
        }
        out.println();
        out.println(dryRun ? "Dry run: nothing was changed." : changes == 0 ? "Nothing changed: the cluster already is as clusters/" + cluster + " says." : "Done.");
        out.flush();
        return 0;
    }

    private void step(int n, String name) {
        out.println();
        out.println("[" + n + "/7] " + name);
        out.flush();
    }

    /** The cluster, or null in a dry run without one; without one otherwise: one sentence, exit 1. */
    private KubernetesClient connect(BootstrapTree tree) {
        String fix = "start one (minikube start --cpus 2 --memory 6g --cni calico" + ("eks".equals(cluster) ? ", or eksctl create cluster -f clusters/eks/cluster.yaml" : "")
                + ") or pick one with --context, or see the plan with --dry-run";
        KubeAccess access;
        try {
            access = KubeAccess.open(kubeconfig, context, "argocd");
        } catch (IllegalArgumentException e) {
            return noCluster(e.getMessage(), "No cluster to bootstrap: " + e.getMessage() + ": " + fix + ".");
        }
        KubernetesClient client = access.client();
        try {
            BootstrapCluster.Capacity c = new BootstrapCluster(client, "argocd").capacity();
            out.println("  context '" + access.context() + "', API " + access.server() + ": reachable, " + c.ready() + " of " + c.nodes() + " node(s) Ready");
            capacity = c;
            server = access.server();
            return client;
        } catch (RuntimeException e) {
            client.close();
            if (KubeAccess.unreachable(e)) {
                String why = "the API server " + access.server() + " of context '" + access.context() + "' does not answer";
                return noCluster(why, "No cluster to bootstrap: " + why + ": " + fix + ".");
            }
            throw new Stop(1, access.explain(e));
        }
    }

    private KubernetesClient noCluster(String why, String sentence) {
        if (!dryRun) throw new Stop(1, sentence);
        out.println("  no cluster: " + why + "; the plan below assumes an empty one");
        return null;
    }

    private void preflight(KubernetesClient client, BootstrapTree tree, boolean override) {
        if (client != null && server != null) {
            boolean isEks = server.contains(".eks.amazonaws.com");
            if (isEks != "eks".equals(cluster)) {
                throw new Stop(1, "the context's API " + server + (isEks ? " is an EKS cluster: run bootstrap.java eks" : " is not an EKS cluster: run bootstrap.java minikube")
                        + ", or pick the right cluster with --context.");
            }
            if (capacity.ready() == 0) throw new Stop(1, "no node of the cluster is Ready: wait for it (kubectl get nodes) and run bootstrap again.");
        }
        List<BootstrapRequests.Share> shares = BootstrapRequests.of(tree);
        double cpu = 0;
        double memory = 0;
        out.println("  requests of what clusters/" + cluster + " deploys (CPU / memory; a chart's defaults are not counted):");
        for (BootstrapRequests.Share s : shares) {
            out.println("    " + s.line());
            cpu += s.cpu();
            memory += s.memory();
        }
        String sum = BootstrapRequests.cpu(cpu) + " / " + BootstrapRequests.bytes(memory);
        if (capacity == null) {
            out.println("    total " + sum + " (no cluster: allocatable not known)");
        } else {
            boolean fits = cpu <= capacity.cpu() && memory <= capacity.memory();
            out.println(String.format(Locale.ROOT, "    total %s %s allocatable %s / %s on %d Ready node(s): %s (%.0f%% CPU, %.0f%% memory)", sum, fits ? "<=" : ">",
                    BootstrapRequests.cpu(capacity.cpu()), BootstrapRequests.bytes(capacity.memory()), capacity.ready(), fits ? "fits" : "does not fit",
                    100 * cpu / capacity.cpu(), 100 * memory / capacity.memory()));
            if (!fits) {
                throw new Stop(1, "clusters/" + cluster + " requests " + sum + " but the Ready nodes can hold " + BootstrapRequests.cpu(capacity.cpu()) + " / "
                        + BootstrapRequests.bytes(capacity.memory()) + ": give the cluster more (minikube start --cpus 4 --memory 8g, or more nodes in clusters/eks/cluster.yaml).");
            }
        }
        if ("eks".equals(cluster)) out.println("  AWS: " + BootstrapReport.identity(region, awsEndpoint, dryRun));
        String current = BootstrapOwner.current(tree.repo(), cluster);
        if (owner == null && !override && "example-org".equals(current)) {
            String sentence = "clusters/" + cluster + "/repository.yaml still points at example-org: pass --owner <your GitHub user> so Argo CD reads your fork.";
            if (!dryRun) throw new Stop(1, sentence);
            out.println("  note: " + sentence);
        }
    }

    private BootstrapTree owner(Path root, BootstrapTree tree) {
        if (owner == null) {
            out.println("  --owner not given: Argo CD reads " + tree.repositoryUrl() + " at " + tree.revision());
            return tree;
        }
        List<BootstrapOwner.Change> lines = BootstrapOwner.rewrite(root, owner, dryRun);
        if (lines.isEmpty()) {
            out.println("  repository.yaml and the overlays already name " + owner + ": unchanged");
            return tree;
        }
        out.println("  " + (dryRun ? "would change" : "changed") + " " + lines.size() + " line(s); commit and push them yourself:");
        BootstrapOwner.diff(lines).forEach(l -> out.println("    " + l));
        if (dryRun) return tree;
        changes++;
        return BootstrapTree.read(root, cluster);
    }

    private void secrets(KubernetesClient client, BootstrapTree tree) {
        List<BootstrapSecrets.Needed> needed = BootstrapSecrets.needed(tree);
        if (dryRun || client == null) {
            for (BootstrapSecrets.Needed n : needed) out.println("  would make " + n.describe() + (client != null && exists(client, n) ? " - exists, would keep" + (rotate ? " (no: --rotate)" : "") : ""));
            return;
        }
        for (BootstrapSecrets.Outcome o : BootstrapSecrets.apply(client, needed, rotate)) {
            out.println("  " + o.id() + ": " + o.what());
            if (!o.what().startsWith("exists")) changes++;
        }
    }

    private static boolean exists(KubernetesClient client, BootstrapSecrets.Needed n) {
        return client.secrets().inNamespace(n.namespace()).withName(n.name()).get() != null;
    }

    private void argocd(KubernetesClient client, BootstrapTree tree) {
        BootstrapTree.Chart chart = tree.argocd();
        String what = "chart " + chart.chart() + " " + chart.version() + " from " + chart.repoUrl() + " as release " + chart.release() + " in namespace "
                + chart.namespace() + ", values of clusters/" + cluster + "/application-" + chart.application() + ".yaml: " + BootstrapReport.json(chart.values());
        if (client != null && new BootstrapCluster(client, chart.namespace()).helmRelease(chart.release(), chart.namespace())) {
            out.println("  Helm release " + chart.release() + " exists in " + chart.namespace() + ": unchanged (Argo CD keeps itself as git says from here)");
            return;
        }
        if (dryRun) {
            out.println("  would install " + what);
            return;
        }
        out.println("  installing " + what + " (a few minutes)");
        out.flush();
        try {
            helm.install(chart, BootstrapCluster.kubeconfigContents(kubeconfig, context), timeout);
        } catch (RuntimeException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new Stop(1, "installing Argo CD failed: " + m + ": check the network to " + chart.repoUrl() + " and `kubectl -n " + chart.namespace() + " get pods`, then run bootstrap again.");
        }
        out.println("  installed");
        changes++;
    }

    private List<String> apply(KubernetesClient client, BootstrapTree tree, boolean override) {
        String url = repositoryUrl != null ? repositoryUrl : tree.repositoryUrl();
        String rev = revision != null ? revision : tree.revision();
        List<Map<String, Object>> objects = override ? tree.objectsAt(url, rev) : tree.objects();
        if (override) out.println("  Applications at " + url + " " + rev + "; root left out (it would set them back to repository.yaml)");
        if (!override && !dryRun) {
            List<String> notes = new ArrayList<>();
            String missing = BootstrapGit.unpushed(tree.repo(), notes);
            notes.forEach(n -> out.println("  note: " + n));
            if (missing != null) {
                throw new Stop(3, "Argo CD reads " + url + " at " + rev + ", which lacks your local work (" + missing + "): commit and push it "
                        + "(git commit -am \"Point Argo CD at my fork\" && git push), then run bootstrap.java " + cluster + " again.");
            }
            String push = BootstrapGit.missingBranch(tree.repo(), rev, notes);
            if (push != null) {
                throw new Stop(3, "Argo CD follows branch " + rev + " (clusters/" + cluster + "/repository.yaml), which your fork does not have "
                        + "yet: create it once with `" + push + "` (the release keeps it up to date after that), then run bootstrap.java "
                        + cluster + " again.");
            }
        }
        BootstrapCluster k = client == null ? null : new BootstrapCluster(client, tree.argocd().namespace());
        boolean served = k != null && k.argoServed();
        List<String> apps = new ArrayList<>();
        for (Map<String, Object> o : objects) {
            String id = VerifyTree.str(o, "kind") + "/" + VerifyTree.str(o, "metadata", "name");
            String result = served ? k.apply(o, dryRun) : "created";
            out.println("  " + id + " " + (dryRun ? "would be " : "") + result);
            if (!"unchanged".equals(result) && !dryRun) changes++;
            if ("Application".equals(VerifyTree.str(o, "kind"))) apps.add(VerifyTree.str(o, "metadata", "name"));
        }
        return apps;
    }

    private void waitFor(KubernetesClient client, BootstrapTree tree, List<String> apps) {
        BootstrapCluster.AppState first = new BootstrapCluster(client, tree.argocd().namespace()).await(apps, Duration.ofSeconds(timeout), poll, out);
        if (first != null) {
            throw new Stop(1, "after " + timeout + " s Application " + first.name() + " is " + first.sync() + "/" + first.health()
                    + (first.problem() == null ? "" : ": " + first.problem()) + "; see jbang scripts/status.java and kubectl -n argocd get application " + first.name() + " -o yaml.");
        }
        out.println("  all " + apps.size() + " Synced and Healthy");
    }

    private static Path findRepo() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("clusters"))) dir = dir.getParent();
        return dir;
    }
}
