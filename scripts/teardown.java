///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS org.slf4j:slf4j-api:2.0.17
//DEPS org.slf4j:slf4j-nop:2.0.17
//DEPS io.fabric8:kubernetes-client:7.8.0
//DEPS org.snakeyaml:snakeyaml-engine:3.0.1
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.4
//DEPS software.amazon.awssdk:bom:2.54.15@pom
//DEPS software.amazon.awssdk:eks:2.50.2
//DEPS software.amazon.awssdk:ec2:2.54.15
//DEPS software.amazon.awssdk:elasticloadbalancingv2:2.41.18
//DEPS software.amazon.awssdk:dynamodb:2.54.15
//DEPS software.amazon.awssdk:pricing:2.40.2
//SOURCES cost.java
//SOURCES lib/AwsAccess.java
//SOURCES lib/Tty.java
//SOURCES lib/Components.java
//SOURCES lib/KubeAccess.java
//SOURCES lib/VerifyTree.java
//SOURCES lib/BootstrapTree.java
//SOURCES lib/BootstrapCluster.java
//SOURCES lib/BootstrapRequests.java
//SOURCES lib/TeardownApps.java
//SOURCES status.java
//DESCRIPTION Back to zero cost in one command, in the order that leaves nothing billing: jbang scripts/teardown.java eks

import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

@Command(name = "teardown", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Removes what bootstrap.java made, in the order that leaves nothing billing:",
            "1 root      delete the app of apps, orphaning what it manages (so it re-creates",
            "            nothing you delete next)",
            "2 music     delete the music Application and wait until Argo CD has deleted what",
            "            it deployed, the gateway's load balancer included; says what happens",
            "            to the DynamoDB tables",
            "3 the rest  the other Applications but Argo CD, then wait until no load balancer",
            "            Service and no volume claim is left",
            "4 cluster   minikube delete, or eksctl delete cluster -f clusters/eks/cluster.yaml",
            "            (asks first; --yes does not)",
            "5 bill      eks: cost.java over the region; exit 3 when anything still bills"},
        footer = {"", "Examples:",
            "  jbang scripts/teardown.java minikube",
            "  jbang scripts/teardown.java eks --yes --region us-east-1",
            "  jbang scripts/teardown.java eks --dry-run",
            "", "Exit codes: 0 gone and nothing bills; 1 a step failed (the message says which);",
            "2 usage error, or eks without --yes and no terminal to ask; 3 the cluster is",
            "gone but something still bills (the list above says what)."})
public class teardown implements Callable<Integer> {

    @Parameters(paramLabel = "CLUSTER", description = "minikube or eks")
    String cluster;

    @Option(names = {"-y", "--yes"}, description = "Do not ask before deleting the EKS cluster.")
    boolean yes;

    @Option(names = "--dry-run", description = "Print the steps and what each would delete; change nothing.")
    boolean dryRun;

    @Option(names = "--keep-cluster", description = "Stop after step 3: the cluster stays (empty of the app).")
    boolean keepCluster;

    @Option(names = "--skip-apps", description = "The cluster's API is gone already: skip steps 1-3.")
    boolean skipApps;

    @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context (default: the current one).")
    String context;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "kubeconfig file (default: $KUBECONFIG or ~/.kube/config).")
    String kubeconfig;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600", description = "How long to wait for each deletion (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--region", paramLabel = "REGION", description = "eks: AWS region (default: clusters/eks/cluster.yaml's).")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "eks: send cost.java's AWS calls to this endpoint (a local stub).")
    String endpointUrl;

    @Option(names = "--repo", paramLabel = "DIR", description = "Repository root (default: the nearest parent folder holding clusters/).")
    Path repo;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Tests replace these: the command line (minikube, eksctl), the terminal, the poll interval. */
    interface Commands {
        int run(List<String> command) throws IOException, InterruptedException;
    }

    Commands commands = command -> new ProcessBuilder(command).inheritIO().start().waitFor();
    BooleanSupplier interactive = Tty::interactive;
    BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Duration poll = Duration.ofSeconds(5);

    private PrintWriter out;
    private PrintWriter err;

    public static void main(String... args) {
        System.exit(new CommandLine(new teardown()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        Path root = repo != null ? repo.toAbsolutePath().normalize() : findRepo();
        if (!List.of("minikube", "eks").contains(cluster) || root == null || !Files.isDirectory(root.resolve("clusters").resolve(cluster))) {
            return fail(2, "no folder clusters/" + cluster + ": name minikube or eks, and run inside the repository (or pass --repo).");
        }
        boolean eks = "eks".equals(cluster);
        Path clusterFile = root.resolve("clusters/eks/cluster.yaml");
        if (eks && region == null) region = VerifyTree.str(VerifyTree.loadYaml(clusterFile), "metadata", "region");
        if (eks && !dryRun && !keepCluster && !yes && !interactive.getAsBoolean()) {
            return fail(2, "deleting the EKS cluster needs a confirmation: run again with --yes, or from a terminal.");
        }
        out.println("teardown " + cluster + (dryRun ? " (dry run: nothing is changed)" : ""));
        if (skipApps) {
            out.println("\n[1-3/5] skipped (--skip-apps): load balancers and volumes the app made are not checked in the cluster");
        } else {
            Integer failed = apps(root, eks);
            if (failed != null) return failed;
        }
        if (keepCluster) {
            out.println("\nStopped before step 4 (--keep-cluster): the cluster stays" + (eks ? " and bills: jbang scripts/cost.java shows what" : "") + ".");
            return 0;
        }
        out.println("\n[4/5] cluster");
        List<String> delete = eks ? List.of("eksctl", "delete", "cluster", "-f", clusterFile.toString(), "--wait")
                : List.of("minikube", "delete", "-p", context != null ? context : "minikube");
        if (dryRun) {
            out.println("  would run: " + String.join(" ", delete));
        } else {
            if (eks && !yes && !confirm("Delete EKS cluster " + VerifyTree.str(VerifyTree.loadYaml(clusterFile), "metadata", "name") + " in " + region + " with its nodes and add-ons?")) {
                out.println("  not deleted: nothing more changed.");
                return 1;
            }
            out.println("  " + String.join(" ", delete));
            out.flush();
            int code;
            try {
                code = commands.run(delete);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail(1, "interrupted while " + delete.get(0) + " was deleting the cluster: run teardown again.");
            } catch (IOException e) {
                return fail(1, delete.get(0) + " is not installed: install it" + (eks ? " (https://eksctl.io)" : "") + " or delete the cluster yourself, then run teardown again.");
            }
            if (code != 0) return fail(1, String.join(" ", delete) + " failed (exit " + code + "): see its output above, fix it and run teardown again.");
        }
        out.println("\n[5/5] bill");
        if (!eks) {
            out.println("  minikube: nothing on AWS to check");
            return done();
        }
        if (dryRun) {
            out.println("  would run: jbang scripts/cost.java --region " + region + " --max-hourly 0 (exit 3 when anything still bills)");
            return done();
        }
        List<String> args = new ArrayList<>(List.of("--region", region, "--max-hourly", "0", "--no-price-api"));
        if (endpointUrl != null) args.addAll(List.of("--endpoint-url", endpointUrl));
        CommandLine cost = new CommandLine(new cost());
        cost.setOut(out);
        cost.setErr(err);
        int code = cost.execute(args.toArray(String[]::new));
        if (code == 3) return fail(3, "the cluster is gone but the list above still bills in " + region + ": delete what you do not keep (the retained tables on purpose only).");
        if (code != 0) return fail(1, "could not check what still bills in " + region + " (cost.java exit " + code + "): run jbang scripts/cost.java --region " + region + " yourself.");
        return done();
    }

    /** Steps 1-3; null when they went through. */
    private Integer apps(Path root, boolean eks) {
        KubeAccess access;
        try {
            access = KubeAccess.open(kubeconfig, context, "argocd");
        } catch (IllegalArgumentException e) {
            return fail(1, "No cluster to tear down: " + e.getMessage() + ": pick one with --context, or pass --skip-apps if it is gone already.");
        }
        try (KubernetesClient client = access.client()) {
            BootstrapTree tree = BootstrapTree.read(root, cluster);
            String argocd = tree.argocd().namespace();
            TeardownApps k = new TeardownApps(client, argocd, poll);
            List<String> apps;
            try {
                apps = k.applications();
            } catch (RuntimeException e) {
                return fail(1, KubeAccess.unreachable(e) ? "The API server " + access.server() + " of context '" + access.context()
                        + "' does not answer: start the cluster, or pass --skip-apps if it is gone already." : access.explain(e));
            }
            out.println("  context '" + access.context() + "', Applications: " + (apps.isEmpty() ? "none" : String.join(", ", apps)));

            out.println("\n[1/5] root");
            if (!remove(k, apps, "root", true, "orphaned (what it managed stays, unmanaged)")) return 1;

            out.println("\n[2/5] music");
            String tables = TeardownApps.tables(tree.applications().stream().filter(a -> "music".equals(a.name()) && a.path() != null)
                    .findFirst().map(a -> tree.render(a.path())).orElse(List.of()), region == null ? "<region>" : region);
            if (!remove(k, apps, "music", false, "deleted with what it deployed")) return 1;
            if (!dryRun && !k.await(() -> client.services().inNamespace(Components.NAMESPACE).withName("gateway").get() == null, Duration.ofSeconds(timeout))) {
                return fail(1, "the gateway Service (its load balancer) is still in namespace music after " + timeout + " s: see kubectl -n music describe svc gateway.");
            }
            out.println("  gateway Service and its " + (eks ? "load balancer" : "NodePort") + (dryRun ? " would go with it" : " gone"));
            out.println("  " + tables);

            out.println("\n[3/5] the rest");
            for (String app : apps) {
                if (List.of("root", "music", tree.argocd().application()).contains(app)) continue;
                if (!remove(k, apps, app, false, "deleted with what it deployed")) return 1;
            }
            out.println("  " + tree.argocd().application() + ": kept (Argo CD itself goes with the cluster)");
            if (dryRun) {
                out.println("  would wait until no Service of type LoadBalancer and no PersistentVolumeClaim is left");
                return null;
            }
            if (!k.await(() -> k.billable().isEmpty(), Duration.ofSeconds(timeout))) {
                return fail(1, "still in the cluster after " + timeout + " s, and billing once it is gone: " + String.join(", ", k.billable())
                        + ": delete them (kubectl delete) and run teardown again.");
            }
            out.println("  no load balancer Service and no volume claim left");
        } catch (IllegalStateException | VerifyTree.ToolMissing e) {
            return fail(1, e.getMessage());
        }
        return null;
    }

    private boolean remove(TeardownApps k, List<String> apps, String name, boolean orphan, String what) {
        if (!apps.contains(name)) {
            out.println("  " + name + ": not there");
            return true;
        }
        if (dryRun) {
            out.println("  " + name + ": would be " + what);
            return true;
        }
        k.delete(name, orphan);
        out.flush();
        if (!k.await(() -> !k.exists(name), Duration.ofSeconds(timeout))) {
            fail(1, "Application " + name + " is still there after " + timeout + " s (Argo CD has not finished deleting what it deployed): "
                    + "see kubectl -n argocd get application " + name + " -o yaml, then run teardown again.");
            return false;
        }
        out.println("  " + name + ": " + what);
        return true;
    }

    private boolean confirm(String question) {
        out.print("  " + question + " [y/N] ");
        out.flush();
        try {
            String answer = input.readLine();
            return answer != null && answer.trim().toLowerCase(Locale.ROOT).matches("y|yes");
        } catch (IOException e) {
            return false;
        }
    }

    private int done() {
        out.println("\n" + (dryRun ? "Dry run: nothing was changed." : "Done: the cluster is gone" + ("eks".equals(cluster) ? " and nothing in " + region + " bills." : ".")));
        out.flush();
        return 0;
    }

    private int fail(int code, String sentence) {
        out.flush();
        err.println("teardown: " + sentence);
        err.flush();
        return code;
    }

    private static Path findRepo() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("clusters"))) dir = dir.getParent();
        return dir;
    }
}
