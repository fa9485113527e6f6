///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS org.slf4j:slf4j-api:2.0.17
//DEPS org.slf4j:slf4j-nop:2.0.17
//DEPS io.fabric8:kubernetes-client:7.8.0
//DEPS com.nimbusds:nimbus-jose-jwt:10.4
//SOURCES lib/LocalIssuer.java
//DESCRIPTION Build the real images, run overlays/minikube's containers with podman and use the app: sudo ./jbang scripts/e2e.java

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "e2e", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Proves the images and the minikube overlay together, without a cluster:",
            "1. prepares podman, a registry on 127.0.0.1 and the stand-in images",
            "   (scripts/e2e/prepare.sh; cached after the first run);",
            "2. builds db, s1, s2, loader with the release's JKube profile (only the base image",
            "   and the registry overridden) and pushes them to that registry;",
            "3. renders the overlay and runs each Deployment's container as described:",
            "   image, command/args, env from ConfigMaps and generated Secrets, ports,",
            "   user, read-only root filesystem with its emptyDirs, memory/CPU limits,",
            "   on one podman network where every Service name resolves;",
            "4. waits for the probes, runs the loader Job, then uses the app through",
            "   the entry point (forwarded to 127.0.0.1 like the NodePort), replaces",
            "   DynamoDB Local's container and checks the data and db's recovery;",
            "5. reports image size, time to ready and RSS, and removes all it started.",
            "Needs root (rootful podman). The network has no way out: containers reach",
            "only each other.", ""},
        footer = {"", "Examples:",
            "  sudo ./jbang scripts/e2e.java",
            "  sudo ./jbang scripts/e2e.java --skip-build --keep",
            "      (reuse the images of the last build; stay up until Enter)",
            "",
            "Exit codes: 0 every check passed; 1 a step failed (the message says which,",
            "and where its log is); 2 usage error."})
public class e2e implements Callable<Integer> {

    /** Third-party images the overlay uses, each mapped to the local stand-in built by scripts/e2e/images/<name>. */
    static final Map<String, String> STAND_INS = Map.of(
            "docker.io/amazon/dynamodb-local:2.6.1", "dynamodb-local",
            "docker.io/nginxinc/nginx-unprivileged:1.28.0-alpine", "gateway");
    /** The images this repo builds with JKube (ghcr.io/<owner>/<name>:<tag> in the overlays): never a stand-in. */
    static final List<String> SERVICES = List.of("db", "s1", "s2", "loader");
    /** The Spring Boot services, which the release gives a class data sharing archive (the loader is a one-shot Job). */
    static final List<String> CDS = List.of("db", "s1", "s2");
    static final String SAMPLE_SONG = "6ecfafd0-8a35-4af6-a9e2-cbd79b3abeea";
    static final String SAMPLE_USER = "b66f61e7-4fad-402f-aaad-101e3e2522d3";

    @Spec
    CommandSpec spec;

    @Option(names = "--overlay", paramLabel = "DIR", defaultValue = "overlays/minikube",
            description = "Kustomization to run, relative to the repository (default: ${DEFAULT-VALUE})")
    String overlay;

    @Option(names = "--secrets", paramLabel = "DIR", defaultValue = "overlays/minikube/secrets",
            description = "Secret generator folder; e2e fills every *.env.example there with random values and makes a fresh"
                    + " EC key for every *.pem.example, in a temporary copy (default: ${DEFAULT-VALUE})")
    String secrets;

    @Option(names = "--skip-build", description = "Use the service images the last build pushed to the local registry (tag in target/e2e/image-tag)")
    boolean skipBuild;

    @Option(names = "--no-cds", description = "Skip the class data sharing training run the release workflow does before the image build")
    boolean noCds;

    @Option(names = "--ready-timeout", paramLabel = "SECONDS", defaultValue = "180",
            description = "How long a started container may take to pass its readiness probe (default: ${DEFAULT-VALUE})")
    int readyTimeout;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "-1",
            description = "Host port on 127.0.0.1 for the entry point (default: its Service's nodePort if free, else any free port)")
    int port;

    @Option(names = "--keep", description = "After the checks, keep everything running until Enter (or Ctrl-C), then clean up")
    boolean keep;

    public static void main(String[] args) {
        System.exit(new CommandLine(new e2e()).execute(args));
    }

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (readyTimeout < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--ready-timeout must be at least 1 second");
        }
        Path repo;
        try {
            repo = repoRoot();
        } catch (Fail ex) {
            err.println("e2e: " + ex.getMessage());
            return 1;
        }
        Run run = new Run(repo, out);
        Thread hook = new Thread(run::cleanup, "e2e-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            run.main(this);
            return 0;
        } catch (Fail ex) {
            out.println("e2e: " + run.passed + " passed, 1 failed");
            out.flush();
            err.println("e2e: " + ex.getMessage());
            return 1;
        } finally {
            run.cleanup();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("scripts/e2e/prepare.sh")) && Files.isRegularFile(d.resolve("mvnw"))) {
                return d;
            }
        }
        throw new Fail("run e2e from inside the repository (no scripts/e2e/prepare.sh above " + dir + ").");
    }

    /** A failure the user can act on: one sentence, no stack trace. */
    static final class Fail extends RuntimeException {
        Fail(String message) {
            super(message, null, false, false);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // One run: the steps, what they started, and the cleanup.

    static final class Run {
        final Path repo;
        final java.io.PrintWriter out;
        final String id = "e2e-" + ProcessHandle.current().pid();
        final String network = "music-" + id;
        final Path logs;
        final List<String> containers = new ArrayList<>(); // guarded by itself: the Ctrl-C hook reads it
        final Map<String, Long> readyMillis = new LinkedHashMap<>();
        final Map<String, Integer> restarts = new LinkedHashMap<>();
        int passed; // checks passed so far: a pod ready, the Job done, a request answered as expected, the unique code, liveness
        static final int MAX_RESTARTS = 3;
        final AtomicBoolean cleaned = new AtomicBoolean();
        Path work;
        boolean networkCreated;
        Forwarder forwarder;
        long registryPid = -1;
        Plan plan;

        Run(Path repo, java.io.PrintWriter out) {
            this.repo = repo;
            this.out = out;
            this.logs = repo.resolve("target/e2e");
        }

        void say(String line) {
            out.println("e2e: " + line);
            out.flush();
        }

        void main(e2e opts) {
            long t0 = System.nanoTime();
            if (!"0".equals(Sh.run(List.of("id", "-u"), null, Duration.ofSeconds(5)).out.strip())) {
                throw new Fail("e2e needs root for rootful podman and debootstrap: run it with sudo (CI runs as root).");
            }
            try {
                Files.createDirectories(logs);
                work = Files.createTempDirectory("music-" + id + "-");
            } catch (IOException ex) {
                throw new Fail("cannot create the work folders (" + ex.getMessage() + "): check that " + logs + " and /tmp are writable.");
            }
            say("1/5 preparing podman, the registry on 127.0.0.1 and the stand-in images (cached after the first run)");
            long t = System.nanoTime();
            Map<String, String> prep = prepare();
            // after prepare(): on a new machine podman exists only once prepare.sh has installed it
            removeLeftovers();
            String registry = prep.get("E2E_REGISTRY");
            say("    ready in " + secs(t));

            Path tagFile = logs.resolve("image-tag");
            String tag = imageTag();
            if (opts.skipBuild && Files.isRegularFile(tagFile)) {
                tag = readString(tagFile).strip();
            }
            Map<String, String> built = new LinkedHashMap<>();
            for (String svc : SERVICES) {
                built.put(svc, registry + "/e2e/" + svc + ":" + tag);
            }
            t = System.nanoTime();
            if (opts.skipBuild) {
                say("2/5 using the images the last build pushed, tag " + tag + " (--skip-build)");
            } else {
                say("2/5 building " + String.join(", ", SERVICES) + " with JKube (profile image, base " + prep.get("E2E_IMAGE_JRE") + ") and pushing to " + registry);
                buildImages(prep.get("E2E_IMAGE_JRE"), registry, tag, !opts.noCds);
                writeString(tagFile, tag + "\n");
                say("    built and pushed in " + secs(t));
            }

            say("3/5 rendering " + opts.overlay + " and starting its containers on network " + network);
            List<HasMetadata> objects = new ArrayList<>(render(repo.resolve(opts.overlay)));
            objects.addAll(renderSecrets(repo.resolve(opts.secrets)));
            Map<String, String> images = new TreeMap<>();
            plan = Plan.of(objects, image -> localImage(image, built, prep));
            plan.warnings.forEach(w -> say("    note: " + w));
            for (Plan.Workload w : plan.workloads) {
                images.put(w.manifestImage(), w.image());
            }
            images.forEach((from, to) -> say("    image " + from + " -> " + to));
            pull(images.values());
            startAll(opts.readyTimeout);

            say("4/5 running the loader Job, then using the app through the entry point");
            runJob();
            forwarder = Forwarder.start(entryPort(opts.port), ip(plan.entry.workload()), plan.entry.targetPort());
            String base = "http://127.0.0.1:" + forwarder.port();
            say("    entry point " + base + " -> " + plan.entry.service() + " (" + plan.entry.workload() + ":" + plan.entry.targetPort() + ")");
            String token = new Drive(base, this).all();
            storeOutage(base, token, opts.readyTimeout);
            checkLiveness();

            say("5/5 report");
            report(prep);
            say("passed in " + secs(t0) + "; container logs in " + repo.relativize(logs) + "/");
            say(passed + " passed, 0 failed");
            if (opts.keep) {
                say("--keep: the app stays up at " + base + " until you press Enter (or Ctrl-C)");
                try {
                    System.in.read();
                } catch (IOException ignored) {
                    // fall through to the cleanup
                }
            }
        }

        Map<String, String> prepare() {
            Path log = logs.resolve("prepare.log");
            Sh.Result r = Sh.run(List.of("bash", repo.resolve("scripts/e2e/prepare.sh").toString()), repo,
                    Duration.ofMinutes(30), log, true);
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : r.out.split("\n")) {
                int eq = line.indexOf('=');
                if (line.startsWith("E2E_") && eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1).strip());
                }
            }
            String pid = values.getOrDefault("E2E_REGISTRY_PID", "");
            if (!pid.isBlank()) {
                registryPid = Long.parseLong(pid);
            }
            if (r.exit != 0) {
                throw new Fail("preparing podman, the registry or the base images failed (see the lines above and " + repo.relativize(log) + ").");
            }
            for (String key : List.of("E2E_REGISTRY", "E2E_IMAGE_JRE", "E2E_IMAGE_DYNAMODB_LOCAL", "E2E_IMAGE_GATEWAY")) {
                if (!values.containsKey(key)) {
                    throw new Fail("scripts/e2e/prepare.sh did not print " + key + ": fix the script so that it prints every image it prepares.");
                }
            }
            return values;
        }

        String imageTag() {
            Sh.Result r = Sh.run(List.of("git", "rev-parse", "--short=12", "HEAD"), repo, Duration.ofSeconds(10));
            return r.exit == 0 ? "e2e-" + r.out.strip() : "e2e-local";
        }

        /** The release workflow's steps (.github/workflows/release.yml), with the base image and registry overridden. */
        void buildImages(String base, String registry, String tag, boolean cds) {
            List<String> props = List.of("-Pimage", "-Dimage.base=" + base, "-Dimage.registry=" + registry,
                    "-Dimage.owner=e2e", "-Dimage.tag=" + tag, "-Dimage.revision=" + tag.substring(4));
            String modules = SERVICES.stream().map(s -> "apps/" + s).collect(Collectors.joining(","));
            Path log = logs.resolve("build.log");
            mvn(Stream.concat(Stream.of("-B", "-ntp", "-pl", modules, "-am", "verify", "-DskipTests"), props.stream()).toList(), log,
                    "packaging the services");
            if (cds) {
                for (String svc : CDS) {
                    trainCds(base, svc);
                }
            }
            forgetJibLayers();
            // "package" before the plugin goals: without a lifecycle phase the reactor never packages common, and Maven
            // would look for it in ~/.m2, where only an earlier "mvn install" could have put it
            mvn(Stream.concat(Stream.of("-B", "-ntp", "-pl", modules, "-am", "package", "k8s:build", "k8s:push", "-DskipTests"),
                    props.stream()).toList(), log,
                    "building and pushing the images with JKube");
        }

        /**
         * Jib keeps the application layers it built in one cache per machine and reuses a layer when its files have the
         * same paths and modification times. The CDS step above sets every file's time to 1 s after the epoch (the time
         * Jib gives files in the image, which the archive must match), so a second run from the same folder would reuse
         * the first run's layer and ship its old jars. Nothing here wants those layers: drop them before every build.
         */
        void forgetJibLayers() {
            Path cache = Path.of(System.getProperty("java.io.tmpdir"), "jib-core-application-layers-cache");
            if (!Files.isDirectory(cache)) {
                return;
            }
            try (Stream<Path> files = Files.walk(cache)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (IOException ex) {
                throw new Fail("cannot empty Jib's layer cache " + cache + " (" + ex.getMessage() + "): remove it by hand, or a build "
                        + "would reuse stale layers.");
            }
        }

        void mvn(List<String> args, Path log, String what) {
            List<String> cmd = new ArrayList<>();
            cmd.add(repo.resolve("mvnw").toString());
            cmd.addAll(args);
            Sh.Result r = Sh.run(cmd, repo, Duration.ofMinutes(30), log, false);
            if (r.exit != 0) {
                tail(log, 25).forEach(l -> say("    | " + l));
                throw new Fail(what + " failed: see " + repo.relativize(log) + ".");
            }
        }

        /** Like the release job: one start of the app in the base image writes /app/<service>.jsa; a failure only warns. */
        void trainCds(String base, String svc) {
            Path dir = repo.resolve("apps/" + svc + "/target/image");
            long t = System.nanoTime();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(1000));
                }
            } catch (IOException ex) {
                throw new Fail("cannot prepare " + dir + " for the CDS training run (" + ex.getMessage() + "): run without --skip-build.");
            }
            Sh.Result r = Podman.run(List.of("run", "--rm", "--network", "none", "-u", "0:0", "-v", dir + ":/app", "-w", "/tmp",
                    "-e", "DB_DYNAMODB_ENDPOINT=http://127.0.0.1:9", "-e", "DB_CREATE_TABLES=false", Podman.NOFILE, Podman.NPROC, "--tls-verify=false", base,
                    "java", "-XX:ArchiveClassesAtExit=/app/" + svc + ".jsa", "-Dspring.context.exit=onRefresh", "-jar", "/app/" + svc + ".jar"),
                    Duration.ofMinutes(5));
            if (r.exit != 0) {
                try {
                    Files.deleteIfExists(dir.resolve(svc + ".jsa"));
                } catch (IOException ignored) {
                    // the image then simply has no archive
                }
                String why = (r.out + "\n" + r.err).lines().filter(l -> l.contains("[error") || l.startsWith("Error")).findFirst()
                        .orElse(lastLine(r.out + "\n" + r.err));
                say("    warning: no CDS archive for " + svc + " (the image works, it only starts slower): " + why.strip());
            } else {
                say("    CDS archive for " + svc + " in " + secs(t));
            }
        }

        List<HasMetadata> render(Path dir) {
            Sh.Result r = Sh.run(List.of("kubectl", "kustomize", dir.toString()), repo, Duration.ofMinutes(2));
            if (r.exit != 0) {
                throw new Fail("`kubectl kustomize " + repo.relativize(dir) + "` failed: " + lastLine(r.err) + " (fix the kustomization, then run e2e again).");
            }
            return parse(r.out);
        }

        /** Renders the overlay's secret generator on a temporary copy whose *.env files hold fresh random values. */
        List<HasMetadata> renderSecrets(Path dir) {
            if (!Files.isRegularFile(dir.resolve("kustomization.yaml"))) {
                throw new Fail("no secret generator at " + repo.relativize(dir) + "/kustomization.yaml: pass the folder with --secrets.");
            }
            Path copy = work.resolve("secrets");
            try {
                Files.createDirectories(copy);
                Files.copy(dir.resolve("kustomization.yaml"), copy.resolve("kustomization.yaml"));
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path example : files.filter(p -> p.getFileName().toString().endsWith(".example")).toList()) {
                        String name = example.getFileName().toString().replace(".example", "");
                        if (name.endsWith(".env")) {
                            Files.writeString(copy.resolve(name), randomEnv(Files.readString(example)));
                        } else if (name.endsWith(".pem")) {
                            LocalIssuer.signingKey(copy.resolve(name)); // a fresh EC P-256 key, as the README's openssl line makes
                        }
                    }
                }
            } catch (IOException ex) {
                throw new Fail("cannot copy the secret generator (" + ex.getMessage() + "): check " + work + ".");
            }
            return render(copy);
        }

        String localImage(String image, Map<String, String> built, Map<String, String> prep) {
            String standIn = STAND_INS.get(image);
            if (standIn != null) {
                return prep.get("E2E_IMAGE_" + standIn.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            }
            Matcher m = Pattern.compile("ghcr\\.io/[^/]+/([a-z0-9]+):[^/]+").matcher(image);
            if (m.matches() && built.containsKey(m.group(1))) {
                return built.get(m.group(1));
            }
            throw new Fail("the overlay uses image " + image + ", which has no local stand-in: add it to STAND_INS in scripts/e2e.java "
                    + "with a recipe in scripts/e2e/images/.");
        }

        void pull(java.util.Collection<String> images) {
            for (String image : new java.util.TreeSet<>(images)) {
                Sh.Result r = Podman.run(List.of("pull", "--quiet", "--tls-verify=false", image), Duration.ofMinutes(5));
                if (r.exit != 0) {
                    throw new Fail("cannot pull " + image + " from the local registry (" + lastLine(r.err) + "): run without --skip-build, "
                            + "or check the registry's log in ~/.cache/music-e2e/registry.log.");
                }
            }
        }

        void removeLeftovers() {
            Sh.Result r = Podman.run(List.of("ps", "-a", "--filter", "label=dev.music.e2e.run", "--format", "{{.Names}} {{.Labels}}"),
                    Duration.ofSeconds(30));
            for (String line : r.out.split("\n")) {
                Matcher m = Pattern.compile("^(\\S+) .*dev\\.music\\.e2e\\.run:e2e-(\\d+)").matcher(line);
                if (m.find() && ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty()) {
                    Podman.run(List.of("rm", "-f", "-t", "2", m.group(1)), Duration.ofSeconds(60));
                    Podman.run(List.of("network", "rm", "-f", "music-e2e-" + m.group(2)), Duration.ofSeconds(30));
                }
            }
        }

        void startAll(int readyTimeout) {
            Sh.Result net = Podman.run(List.of("network", "create", "--internal", "--label", "dev.music.e2e.run=" + id, network),
                    Duration.ofSeconds(30));
            if (net.exit != 0) {
                throw new Fail("cannot create the podman network " + network + ": " + lastLine(net.err));
            }
            networkCreated = true;
            Map<Integer, List<Plan.Workload>> waves = new TreeMap<>();
            for (Plan.Workload w : plan.workloads) {
                if (!w.job()) {
                    waves.computeIfAbsent(w.wave(), k -> new ArrayList<>()).add(w);
                }
            }
            for (var wave : waves.entrySet()) {
                Map<String, Long> started = new LinkedHashMap<>();
                for (Plan.Workload w : wave.getValue()) {
                    start(w, "-d");
                    started.put(w.name(), System.nanoTime());
                }
                for (Plan.Workload w : wave.getValue()) {
                    new Prober(this, w).awaitReady(readyTimeout);
                    long ms = (System.nanoTime() - started.get(w.name())) / 1_000_000;
                    readyMillis.put(w.name(), ms);
                    passed++;
                    say("    " + w.name() + " ready in " + String.format("%.1f s", ms / 1000.0) + " (sync wave " + wave.getKey() + ")");
                }
            }
        }

        void start(Plan.Workload w, String mode) {
            checkNonRoot(w, imageUser(w.image()));
            Path dir = work.resolve(w.name());
            try {
                w.writeFiles(dir);
            } catch (IOException ex) {
                throw new Fail("cannot write the mounted files of " + w.name() + " (" + ex.getMessage() + "): check " + work + ".");
            }
            String name = id + "-" + w.name();
            List<String> args = new ArrayList<>(List.of("run", mode, "--name", name, "--label", "dev.music.e2e.run=" + id));
            args.addAll(w.podmanArgs(network, dir));
            synchronized (containers) {
                if (cleaned.get()) {
                    throw new Fail("stopped.");
                }
                if (!containers.contains(name)) {
                    containers.add(name);
                }
            }
            Sh.Result r = Podman.run(args, Duration.ofMinutes(2));
            if (cleaned.get()) {
                Podman.run(List.of("rm", "-f", "-t", "0", name), Duration.ofMinutes(1));
                throw new Fail("stopped.");
            }
            if (r.exit != 0) {
                throw new Fail("image " + w.image() + " does not start as " + w.name() + ": " + lastLine(r.err));
            }
        }

        String imageUser(String image) {
            return Podman.run(List.of("image", "inspect", "--format", "{{.Config.User}}", image), Duration.ofSeconds(30)).out.strip();
        }

        void checkNonRoot(Plan.Workload w, String imageUser) {
            String problem = Plan.nonRootProblem(w, imageUser);
            if (problem != null) {
                throw new Fail("image " + w.image() + " does not start as " + w.name() + ": " + problem);
            }
        }

        void runJob() {
            for (Plan.Workload w : plan.workloads) {
                if (!w.job()) {
                    continue;
                }
                long t = System.nanoTime();
                start(w, "-d");
                String name = id + "-" + w.name();
                long deadline = w.deadlineSeconds() > 0 ? w.deadlineSeconds() : 900;
                Sh.Result r = Podman.run(List.of("wait", name), Duration.ofSeconds(deadline));
                String logText = containerLog(w.name());
                if (r.exit != 0 || !r.out.strip().equals("0")) {
                    save(w.name(), logText);
                    String why = r.exit != 0 ? "did not finish within " + deadline + " s (activeDeadlineSeconds)"
                            : "exited with code " + r.out.strip();
                    throw new Fail("the " + w.name() + " Job's container " + why + ": " + failureReason(logText) + " (full log: "
                            + repo.relativize(logs.resolve(w.name() + ".log")) + ").");
                }
                readyMillis.put(w.name(), (System.nanoTime() - t) / 1_000_000);
                passed++;
                String summary = logText.lines().filter(l -> l.matches(".*created \\d+, updated \\d+.*")).reduce((a, b) -> b)
                        .orElse(lastLine(logText));
                say("    " + w.name() + " Job completed in " + secs(t) + ": " + summary.strip());
            }
        }

        /**
         * DynamoDB Local's container is removed and a new one started, as when its pod is deleted: the data loaded
         * before is still there (its PersistentVolumeClaim), and db, never restarted, is Ready again by itself.
         */
        /** {@code token}: the Authorization header of the user {@link Drive#all} signed up, to read the sample song afterwards. */
        void storeOutage(String base, String token, int readyTimeout) {
            Plan.Workload store = workload("dynamodb-local");
            Plan.Workload db = workload("db");
            if (store == null || db == null || db.readiness() == null) {
                say("    no dynamodb-local and db with a readiness probe in this overlay: the DynamoDB Local outage is skipped");
                return;
            }
            String dbLog = repo.relativize(logs.resolve("db.log")).toString();
            String dbStarted = startedAt("db");
            int dbRestarts = restarts.getOrDefault("db", 0);
            Podman.run(List.of("rm", "-f", "-t", "0", id + "-dynamodb-local"), Duration.ofMinutes(1));
            Prober dbProbe = new Prober(this, db);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (dbProbe.once(db.readiness()) == null) {
                if (System.nanoTime() > deadline) {
                    throw new Fail("db's readiness probe still passed 30 s after DynamoDB Local's container was removed: it must "
                            + "follow DynamoDB, or Kubernetes keeps sending requests db cannot answer (see " + dbLog + ").");
                }
                sleep(500);
            }
            say("    DynamoDB Local's container removed (as when its pod is deleted): db not ready (" + dbProbe.once(db.readiness()) + ")");
            long t = System.nanoTime();
            start(store, "-d");
            new Prober(this, store).awaitReady(readyTimeout);
            if (!dbProbe.poll(db.readiness(), readyTimeout)) {
                throw new Fail("db did not become ready again within " + readyTimeout + " s after DynamoDB Local came back (last: "
                        + dbProbe.last + "): it must recover by itself, without a restart (see " + dbLog + ").");
            }
            if (!startedAt("db").equals(dbStarted) || restarts.getOrDefault("db", 0) != dbRestarts) {
                throw new Fail("db had to restart to recover from the DynamoDB Local outage: it must become ready again by itself (see " + dbLog + ").");
            }
            passed++;
            say("    a new DynamoDB Local container started; db ready again by itself " + secs(t) + " later, not restarted");
            Map<String, String> sample = Drive.csvRow(repo.resolve("scripts/data/music.csv"), SAMPLE_SONG);
            new Drive(base, this).expect("GET", "/api/v1/music/" + SAMPLE_SONG, token, null, 200, "s2",
                    "\"" + sample.get("SongTitle") + "\"");
            say("    the sample data loaded before the outage is still there (DynamoDB Local's PersistentVolumeClaim)");
        }

        Plan.Workload workload(String name) {
            return plan.workloads.stream().filter(w -> w.name().equals(name)).findFirst().orElse(null);
        }

        String startedAt(String workload) {
            return Podman.run(List.of("inspect", "--format", "{{.State.StartedAt}}", id + "-" + workload), Duration.ofSeconds(30)).out.strip();
        }

        int entryPort(int wanted) {
            if (wanted >= 0) {
                return wanted;
            }
            int nodePort = plan.entry.nodePort();
            if (nodePort > 0) {
                try (ServerSocket probe = new ServerSocket()) {
                    probe.bind(new InetSocketAddress("127.0.0.1", nodePort));
                    return nodePort;
                } catch (IOException busy) {
                    return 0;
                }
            }
            return 0;
        }

        String ip(String workload) {
            Sh.Result r = Podman.run(List.of("inspect", "--format",
                    "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}", id + "-" + workload), Duration.ofSeconds(30));
            String ip = r.out.strip();
            if (r.exit != 0 || ip.isEmpty()) {
                throw new Fail("container " + workload + " has no address on " + network + ": is it still running? See `podman ps -a`.");
            }
            return ip;
        }

        /**
         * Like kubelet with restartPolicy Always: a Deployment's container that exited is started again after 10, 20, 40 s,
         * at most MAX_RESTARTS times. Returns true when it restarted the container (the probe budget starts over).
         */
        boolean ensureRunning(Plan.Workload w) {
            Sh.Result r = Podman.run(List.of("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", id + "-" + w.name()),
                    Duration.ofSeconds(30));
            String[] state = r.out.strip().split(" ");
            if (r.exit == 0 && "running".equals(state[0])) {
                return false;
            }
            int count = restarts.getOrDefault(w.name(), 0);
            if (w.job() || r.exit != 0 || count >= MAX_RESTARTS) {
                String text = containerLog(w.name());
                save(w.name(), text);
                throw new Fail("image of " + w.name() + " does not start: the container "
                        + (state.length > 1 ? "exited with code " + state[1] : "is gone") + (count > 0 ? " after " + count + " restarts" : "")
                        + ": " + failureReason(text) + " (full log: " + repo.relativize(logs.resolve(w.name() + ".log")) + ").");
            }
            long backoff = 10L << count;
            restarts.put(w.name(), count + 1);
            say("    " + w.name() + " exited with code " + state[1] + " (" + lastLine(failureReason(containerLog(w.name()))) + "); restarting it in "
                    + backoff + " s, like kubelet (restart " + (count + 1) + " of at most " + MAX_RESTARTS + ")");
            sleep(backoff * 1000);
            Sh.Result start = Podman.run(List.of("start", id + "-" + w.name()), Duration.ofMinutes(1));
            if (start.exit != 0) {
                throw new Fail("image of " + w.name() + " does not start again after it exited: " + lastLine(start.err));
            }
            return true;
        }

        /** The container is still running; if not, a failure that says how it ended. */
        void assertRunning(String workload) {
            Sh.Result r = Podman.run(List.of("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", id + "-" + workload),
                    Duration.ofSeconds(30));
            String[] state = r.out.strip().split(" ");
            if (r.exit != 0 || !"running".equals(state[0])) {
                String text = containerLog(workload);
                save(workload, text);
                throw new Fail("image of " + workload + " does not start: the container "
                        + (state.length > 1 ? "exited with code " + state[1] : "is gone") + ": " + failureReason(text)
                        + " (full log: " + repo.relativize(logs.resolve(workload + ".log")) + ").");
            }
        }

        void checkLiveness() {
            for (Plan.Workload w : plan.workloads) {
                if (!w.job() && w.liveness() != null) {
                    assertRunning(w.name());
                    String result = new Prober(this, w).once(w.liveness());
                    if (result != null) {
                        throw new Fail(w.name() + "'s liveness probe " + w.liveness().describe() + " fails after the test requests (" + result
                                + "): Kubernetes would restart it; see " + repo.relativize(logs.resolve(w.name() + ".log")) + ".");
                    }
                    passed++;
                }
            }
            say("    every liveness probe still passes");
        }

        String containerLog(String workload) {
            Sh.Result r = Podman.run(List.of("logs", id + "-" + workload), Duration.ofSeconds(30));
            return r.out + r.err;
        }

        void save(String workload, String text) {
            try {
                Files.writeString(logs.resolve(workload + ".log"), text);
            } catch (IOException ex) {
                say("    warning: cannot save " + workload + "'s log: " + ex.getMessage());
            }
        }

        void saveLogs() {
            if (plan != null) {
                for (Plan.Workload w : plan.workloads) {
                    if (containers.contains(id + "-" + w.name())) {
                        save(w.name(), containerLog(w.name()));
                    }
                }
            }
        }

        void report(Map<String, String> prep) {
            String registry = prep.get("E2E_REGISTRY");
            out.println(String.format("%-15s %-52s %8s %8s %8s %9s %8s %9s", "component", "image", "size MB", "pull MB", "ready s",
                    "restarts", "RSS MiB", "limit MiB"));
            for (Plan.Workload w : plan.workloads) {
                long size = parseLong(Podman.run(List.of("image", "inspect", "--format", "{{.Size}}", w.image()), Duration.ofSeconds(30)).out);
                long pull = Registry.pullBytes(registry, w.image());
                String rss = "-";
                if (!w.job()) {
                    long pid = parseLong(Podman.run(List.of("inspect", "--format", "{{.State.Pid}}", id + "-" + w.name()), Duration.ofSeconds(30)).out);
                    long kb = rssKb(pid);
                    rss = kb < 0 ? "-" : String.format("%.0f", kb / 1024.0);
                }
                Long ready = readyMillis.get(w.name());
                out.println(String.format("%-15s %-52s %8.0f %8s %8s %9s %8s %9s", w.name() + (w.job() ? " (Job)" : ""), w.image(), size / 1e6,
                        pull < 0 ? "-" : String.format("%.0f", pull / 1e6),
                        ready == null ? "-" : String.format("%.1f", ready / 1000.0), w.job() ? "-" : restarts.getOrDefault(w.name(), 0), rss,
                        w.memoryBytes() == null ? "-" : String.valueOf(w.memoryBytes() / (1024 * 1024))));
            }
            out.println("(size: unpacked in podman's storage; pull: compressed layers in the registry; ready: first container start to"
                    + " readiness probe pass, for the Job: start to exit 0; RSS: the container's main process after the test requests)");
            restarts.forEach((name, n) -> say("    warning: " + name + " needed " + n + " restart(s) before it was ready: on a cluster that is "
                    + "CrashLoopBackOff for a while; see " + repo.relativize(logs.resolve(name + ".log"))));
            out.flush();
        }

        /** Removes what this run started; runs once, from the end of call() or from the Ctrl-C hook. Saves every container's log first. */
        void cleanup() {
            if (!cleaned.compareAndSet(false, true)) {
                return;
            }
            quietly(() -> {
                if (forwarder != null) {
                    forwarder.close();
                }
            });
            List<String> started;
            synchronized (containers) {
                started = new ArrayList<>(containers);
            }
            if (!started.isEmpty()) {
                quietly(this::saveLogs);
                List<String> rm = new ArrayList<>(List.of("rm", "-f", "-t", "3"));
                rm.addAll(started);
                quietly(() -> Podman.run(rm, Duration.ofMinutes(2)));
            }
            if (networkCreated) {
                quietly(() -> Podman.run(List.of("network", "rm", "-f", network), Duration.ofSeconds(60)));
            }
            if (work != null) {
                quietly(() -> deleteTree(work));
            }
            if (registryPid > 0) {
                quietly(() -> ProcessHandle.of(registryPid).ifPresent(ProcessHandle::destroy));
            }
        }

        static void quietly(Runnable step) {
            try {
                step.run();
            } catch (RuntimeException ex) {
                System.err.println("e2e: cleanup step failed (" + ex.getMessage() + "): check `podman ps -a` and `podman network ls`.");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The translation from rendered manifests to podman (pure: no process is started here).

    static final class Plan {
        final List<Workload> workloads = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        Entry entry;

        /** Where the host reaches the app: the NodePort/LoadBalancer Service and its pod's container port. */
        record Entry(String service, String workload, int targetPort, int nodePort) {
        }

        record Tmpfs(String path, Long sizeBytes) {
        }

        /** A read-only ConfigMap/Secret file or folder, or (writable) a PersistentVolumeClaim's folder shared by the run. */
        record FileMount(String hostPath, String containerPath, boolean directory, boolean writable) {
        }

        record FileContent(String path, byte[] content, int mode, Long gid) {
        }

        record Probe(String type, String path, int port, List<String> command, int initialDelay, int period, int timeout,
                int failureThreshold) {
            String describe() {
                return switch (type) {
                    case "http" -> "GET " + path + " on port " + port;
                    case "tcp" -> "TCP connect to port " + port;
                    default -> "exec " + String.join(" ", command);
                };
            }
        }

        record Workload(String name, boolean job, int wave, String manifestImage, String image, List<String> entrypoint,
                List<String> args, Map<String, String> env, String workdir, Long uid, Long gid, List<Long> groups,
                Boolean runAsNonRoot, boolean readOnly, boolean noNewPrivileges, List<String> capDrop, List<String> capAdd,
                String seccomp, Long memoryBytes, String cpus, List<Tmpfs> tmpfs, List<FileMount> mounts, List<FileContent> files,
                Map<String, Integer> ports, List<String> aliases, Probe startup, Probe readiness, Probe liveness, long deadlineSeconds) {

            /** podman run arguments after `run -d --name ... --label ...`; dir holds this workload's env file and mounted files. */
            List<String> podmanArgs(String network, Path dir) {
                List<String> a = new ArrayList<>();
                a.add("--network");
                a.add(network);
                for (String alias : aliases) {
                    a.add("--network-alias");
                    a.add(alias);
                }
                a.add("--hostname");
                a.add(name);
                a.add(Podman.NOFILE);
                a.add(Podman.NPROC);
                a.add("--pull=never");
                if (uid != null || gid != null) {
                    a.add("--user");
                    a.add((uid == null ? "" : uid.toString()) + (gid == null ? "" : ":" + gid));
                }
                for (Long g : groups) {
                    a.add("--group-add");
                    a.add(g.toString());
                }
                if (readOnly) {
                    a.add("--read-only");
                    a.add("--read-only-tmpfs=false");
                }
                if (noNewPrivileges) {
                    a.add("--security-opt");
                    a.add("no-new-privileges");
                }
                if ("Unconfined".equals(seccomp)) {
                    a.add("--security-opt");
                    a.add("seccomp=unconfined");
                }
                for (String c : capDrop) {
                    a.add("--cap-drop");
                    a.add(c);
                }
                for (String c : capAdd) {
                    a.add("--cap-add");
                    a.add(c);
                }
                if (memoryBytes != null) {
                    a.add("--memory");
                    a.add(memoryBytes.toString());
                    a.add("--memory-swap");
                    a.add(memoryBytes.toString());
                }
                if (cpus != null) {
                    a.add("--cpus");
                    a.add(cpus);
                }
                if (!env.isEmpty()) {
                    a.add("--env-file");
                    a.add(dir.resolve("env").toString());
                }
                for (Tmpfs t : tmpfs) {
                    a.add("--tmpfs");
                    a.add(t.path() + ":rw,exec,nosuid,nodev,mode=1777" + (t.sizeBytes() == null ? "" : ",size=" + t.sizeBytes()));
                }
                for (FileMount m : mounts) {
                    a.add("-v");
                    a.add(dir.resolve(m.hostPath()).normalize() + ":" + m.containerPath() + (m.writable() ? ":rw" : ":ro"));
                }
                if (workdir != null) {
                    a.add("--workdir");
                    a.add(workdir);
                }
                if (entrypoint != null) {
                    a.add("--entrypoint");
                    a.add(json(entrypoint));
                }
                a.add(image);
                if (args != null) {
                    a.addAll(args);
                }
                return a;
            }

            /** The env file (never on a command line: it holds Secret values) and the ConfigMap/Secret volume files. */
            void writeFiles(Path dir) throws IOException {
                Files.createDirectories(dir);
                if (!env.isEmpty()) {
                    StringBuilder sb = new StringBuilder();
                    env.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
                    Path envFile = dir.resolve("env");
                    Files.writeString(envFile, sb);
                    Files.setPosixFilePermissions(envFile, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
                }
                for (FileContent f : files) {
                    Path p = dir.resolve(f.path());
                    Files.createDirectories(p.getParent());
                    Files.write(p, f.content());
                    Files.setPosixFilePermissions(p, perms(f.mode()));
                    if (f.gid() != null) {
                        Files.setAttribute(p, "unix:gid", f.gid().intValue());
                    }
                }
                for (FileMount m : mounts) {
                    Path p = dir.resolve(m.hostPath()).normalize();
                    if (m.writable()) {
                        // like a fresh volume of minikube's hostpath provisioner: writable for the pod's user; kept when
                        // the container goes, so a new container of the same pod finds its data
                        Files.createDirectories(p);
                        Files.setPosixFilePermissions(p, perms(0777));
                        continue;
                    }
                    if (m.directory()) {
                        Files.createDirectories(p);
                        try (Stream<Path> all = Files.walk(p)) {
                            for (Path d : all.filter(Files::isDirectory).toList()) {
                                Files.setPosixFilePermissions(d, perms(0755));
                            }
                        }
                    }
                }
            }
        }

        interface ImageMap {
            String local(String manifestImage);
        }

        /** Where db's callers' key set goes in its container when e2e stands in for the cluster's token issuer. */
        static final String ISSUER_DIR = "/var/run/secrets/music/e2e-issuer";

        /** e2e's stand-in for the cluster's ServiceAccount token issuer (there is no API server here). */
        final LocalIssuer issuer = LocalIssuer.inMemory();

        static Plan of(List<HasMetadata> objects, ImageMap images) {
            Plan plan = new Plan();
            Map<String, ConfigMap> configMaps = new LinkedHashMap<>();
            Map<String, Secret> secrets = new LinkedHashMap<>();
            List<Service> services = new ArrayList<>();
            for (HasMetadata o : objects) {
                if (o instanceof ConfigMap c) {
                    configMaps.put(c.getMetadata().getName(), c);
                } else if (o instanceof Secret s) {
                    secrets.put(s.getMetadata().getName(), s);
                } else if (o instanceof Service s) {
                    services.add(s);
                }
            }
            Sources sources = new Sources(configMaps, secrets);
            for (HasMetadata o : objects) {
                if (o instanceof Deployment d) {
                    plan.add(d, d.getSpec().getTemplate(), false, 0, services, sources, images);
                } else if (o instanceof Job j) {
                    Long deadline = j.getSpec().getActiveDeadlineSeconds();
                    plan.add(j, j.getSpec().getTemplate(), true, deadline == null ? 0 : deadline, services, sources, images);
                }
            }
            plan.workloads.sort(Comparator.comparing(Workload::job).thenComparing(Workload::wave).thenComparing(Workload::name));
            if (plan.workloads.stream().noneMatch(w -> !w.job())) {
                throw new Fail("the rendered overlay has no Deployment: check the kustomization's resources.");
            }
            for (Service s : services) {
                String type = s.getSpec().getType();
                if ("NodePort".equals(type) || "LoadBalancer".equals(type)) {
                    ServicePort p = s.getSpec().getPorts().get(0);
                    Workload w = plan.selected(s);
                    if (w == null) {
                        throw new Fail("Service " + s.getMetadata().getName() + " selects no pod of the overlay: check its selector.");
                    }
                    plan.entry = new Entry(s.getMetadata().getName(), w.name(), targetPort(s, p, w),
                            p.getNodePort() == null ? 0 : p.getNodePort());
                }
            }
            if (plan.entry == null) {
                throw new Fail("the overlay has no NodePort or LoadBalancer Service, so there is no entry point to test.");
            }
            return plan;
        }

        Workload selected(Service s) {
            return workloads.stream().filter(w -> w.aliases().contains(s.getMetadata().getName())).findFirst().orElse(null);
        }

        static int targetPort(Service s, ServicePort p, Workload w) {
            IntOrString target = p.getTargetPort() == null ? new IntOrString(p.getPort()) : p.getTargetPort();
            if (target.getStrVal() != null) {
                Integer port = w.ports().get(target.getStrVal());
                if (port == null) {
                    throw new Fail("Service " + s.getMetadata().getName() + " targets port '" + target.getStrVal() + "', which container "
                            + w.name() + " does not declare: name the containerPort or fix targetPort.");
                }
                return port;
            }
            return target.getIntVal();
        }

        void add(HasMetadata owner, PodTemplateSpec template, boolean job, long deadline, List<Service> services, Sources sources,
                ImageMap images) {
            String name = owner.getMetadata().getName();
            var pod = template.getSpec();
            if (pod.getContainers().size() != 1 || (pod.getInitContainers() != null && !pod.getInitContainers().isEmpty())) {
                throw new Fail(owner.getKind() + " " + name + " has " + pod.getContainers().size() + " containers and "
                        + (pod.getInitContainers() == null ? 0 : pod.getInitContainers().size())
                        + " init containers; e2e runs exactly one container per pod: extend scripts/e2e.java.");
            }
            Container c = pod.getContainers().get(0);
            String where = owner.getKind() + " " + name;
            Map<String, String> labels = template.getMetadata() == null || template.getMetadata().getLabels() == null ? Map.of()
                    : template.getMetadata().getLabels();
            Map<String, Integer> ports = new LinkedHashMap<>();
            if (c.getPorts() != null) {
                c.getPorts().forEach(p -> ports.put(p.getName() == null ? String.valueOf(p.getContainerPort()) : p.getName(), p.getContainerPort()));
            }
            List<String> aliases = new ArrayList<>();
            String ns = owner.getMetadata().getNamespace() == null ? "default" : owner.getMetadata().getNamespace();
            for (Service s : services) {
                Map<String, String> sel = s.getSpec().getSelector();
                if (!job && sel != null && !sel.isEmpty() && labels.entrySet().containsAll(sel.entrySet())) {
                    String svc = s.getMetadata().getName();
                    aliases.addAll(List.of(svc, svc + "." + ns, svc + "." + ns + ".svc", svc + "." + ns + ".svc.cluster.local"));
                    for (ServicePort p : s.getSpec().getPorts()) {
                        IntOrString t = p.getTargetPort();
                        Integer target = t == null ? p.getPort() : t.getStrVal() != null ? ports.get(t.getStrVal()) : t.getIntVal();
                        boolean external = "NodePort".equals(s.getSpec().getType()) || "LoadBalancer".equals(s.getSpec().getType());
                        if (target != null && !target.equals(p.getPort()) && !external) {
                            warnings.add("Service " + svc + " maps port " + p.getPort() + " to " + target
                                    + ", which a podman network alias cannot: clients in the network must use " + target);
                        }
                    }
                }
            }

            Map<String, String> env = new LinkedHashMap<>();
            if (c.getEnvFrom() != null) {
                for (EnvFromSource from : c.getEnvFrom()) {
                    String prefix = from.getPrefix() == null ? "" : from.getPrefix();
                    if (from.getConfigMapRef() != null) {
                        sources.configMapData(from.getConfigMapRef().getName(), Boolean.TRUE.equals(from.getConfigMapRef().getOptional()), where)
                                .forEach((k, v) -> env.put(prefix + k, v));
                    }
                    if (from.getSecretRef() != null) {
                        sources.secretData(from.getSecretRef().getName(), Boolean.TRUE.equals(from.getSecretRef().getOptional()), where)
                                .forEach((k, v) -> env.put(prefix + k, new String(v, StandardCharsets.UTF_8)));
                    }
                }
            }
            if (c.getEnv() != null) {
                for (EnvVar e : c.getEnv()) {
                    String value = envValue(e, owner, sources, where, env);
                    if (value != null) {
                        env.put(e.getName(), value);
                    }
                }
            }
            env.forEach((k, v) -> {
                if (v.contains("\n")) {
                    throw new Fail(where + " sets " + k + " to a value with a line break, which podman's env file cannot carry: "
                            + "mount it as a file instead.");
                }
            });

            PodSecurityContext psc = pod.getSecurityContext() == null ? new PodSecurityContext() : pod.getSecurityContext();
            SecurityContext sc = c.getSecurityContext() == null ? new SecurityContext() : c.getSecurityContext();
            Long uid = first(sc.getRunAsUser(), psc.getRunAsUser());
            Long gid = first(sc.getRunAsGroup(), psc.getRunAsGroup());
            Boolean nonRoot = first(sc.getRunAsNonRoot(), psc.getRunAsNonRoot());
            List<Long> groups = new ArrayList<>();
            if (psc.getFsGroup() != null) {
                groups.add(psc.getFsGroup());
            }
            if (psc.getSupplementalGroups() != null) {
                groups.addAll(psc.getSupplementalGroups());
            }
            var seccomp = first(sc.getSeccompProfile(), psc.getSeccompProfile());
            String seccompType = seccomp == null ? null : seccomp.getType();
            if ("Localhost".equals(seccompType)) {
                throw new Fail(where + " uses a Localhost seccomp profile, which e2e cannot load: use RuntimeDefault.");
            }
            if (Boolean.TRUE.equals(sc.getPrivileged())) {
                throw new Fail(where + " asks for a privileged container, which the restricted profile forbids: remove privileged.");
            }
            List<String> drop = sc.getCapabilities() == null || sc.getCapabilities().getDrop() == null ? List.of() : sc.getCapabilities().getDrop();
            List<String> capAdd = sc.getCapabilities() == null || sc.getCapabilities().getAdd() == null ? List.of() : sc.getCapabilities().getAdd();

            Map<String, Volume> volumes = new LinkedHashMap<>();
            if (pod.getVolumes() != null) {
                pod.getVolumes().forEach(v -> volumes.put(v.getName(), v));
            }
            List<Tmpfs> tmpfs = new ArrayList<>();
            List<FileMount> mounts = new ArrayList<>();
            List<FileContent> files = new ArrayList<>();
            if (c.getVolumeMounts() != null) {
                for (VolumeMount m : c.getVolumeMounts()) {
                    Volume v = volumes.get(m.getName());
                    if (v == null) {
                        throw new Fail(where + " mounts volume " + m.getName() + ", which the pod does not declare: add it to volumes.");
                    }
                    mount(where, m, v, psc.getFsGroup(), sources, tmpfs, mounts, files, issuer, ns,
                            pod.getServiceAccountName() == null ? "default" : pod.getServiceAccountName());
                }
            }
            if (env.getOrDefault("DB_CALLER_JWKS_URI", "").startsWith("https://kubernetes.default.svc")) {
                // the cluster's keys come from its API server, which e2e has not: db trusts e2e's issuer, whose tokens
                // e2e projects into the callers' pods, so the check is the same code with other keys
                env.put("DB_CALLER_JWKS_URI", "file:" + ISSUER_DIR + "/jwks.json");
                env.put("DB_CALLER_ISSUER", LocalIssuer.ISSUER);
                env.remove("DB_CALLER_JWKS_TOKEN_FILE");
                env.remove("DB_CALLER_JWKS_CA_FILE");
                files.add(new FileContent("volumes/e2e-issuer/jwks.json", issuer.jwksJson().getBytes(StandardCharsets.UTF_8), 0444,
                        psc.getFsGroup()));
                mounts.add(new FileMount("volumes/e2e-issuer", ISSUER_DIR, true, false));
                warnings.add(where + ": the cluster's ServiceAccount token issuer -> e2e's own (DB_CALLER_JWKS_URI=file:" + ISSUER_DIR
                        + "/jwks.json); projected tokens are e2e's too");
            }
            Map<String, Quantity> limits = c.getResources() == null || c.getResources().getLimits() == null ? Map.of()
                    : c.getResources().getLimits();
            Long memory = limits.containsKey("memory") ? Quantity.getAmountInBytes(limits.get("memory")).longValue() : null;
            String cpus = limits.containsKey("cpu") ? limits.get("cpu").getNumericalAmount().stripTrailingZeros().toPlainString() : null;

            Map<String, String> vars = env;
            List<String> entrypoint = c.getCommand() == null || c.getCommand().isEmpty() ? null : expand(c.getCommand(), vars);
            List<String> args = c.getArgs() == null || c.getArgs().isEmpty() ? null : expand(c.getArgs(), vars);
            String image = images.local(c.getImage());
            int wave = 0;
            Map<String, String> annotations = owner.getMetadata().getAnnotations();
            if (annotations != null && annotations.containsKey("argocd.argoproj.io/sync-wave")) {
                wave = Integer.parseInt(annotations.get("argocd.argoproj.io/sync-wave").strip());
            }
            workloads.add(new Workload(name, job, wave, c.getImage(), image, entrypoint, args, env, c.getWorkingDir(), uid, gid, groups,
                    nonRoot, Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem()), Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation()),
                    drop, capAdd, seccompType, memory, cpus, tmpfs, mounts, files, ports, aliases,
                    probe(where, c.getStartupProbe(), ports), probe(where, c.getReadinessProbe(), ports), probe(where, c.getLivenessProbe(), ports),
                    deadline));
        }

        static String envValue(EnvVar e, HasMetadata owner, Sources sources, String where, Map<String, String> defined) {
            if (e.getValueFrom() == null) {
                return e.getValue() == null ? "" : expand(List.of(e.getValue()), defined).get(0);
            }
            var from = e.getValueFrom();
            if (from.getConfigMapKeyRef() != null) {
                var ref = from.getConfigMapKeyRef();
                boolean optional = Boolean.TRUE.equals(ref.getOptional());
                String v = sources.configMapData(ref.getName(), optional, where).get(ref.getKey());
                if (v == null && !optional) {
                    throw new Fail(where + " needs key " + ref.getKey() + " of ConfigMap " + ref.getName()
                            + ", which the overlay does not define: the pod would stay in CreateContainerConfigError.");
                }
                return v;
            }
            if (from.getSecretKeyRef() != null) {
                var ref = from.getSecretKeyRef();
                boolean optional = Boolean.TRUE.equals(ref.getOptional());
                byte[] v = sources.secretData(ref.getName(), optional, where).get(ref.getKey());
                if (v == null && !optional) {
                    throw new Fail(where + " needs key " + ref.getKey() + " of Secret " + ref.getName()
                            + ", which the overlay's secret generator does not define: the pod would stay in CreateContainerConfigError.");
                }
                return v == null ? null : new String(v, StandardCharsets.UTF_8);
            }
            if (from.getFieldRef() != null) {
                return switch (from.getFieldRef().getFieldPath()) {
                    case "metadata.name" -> owner.getMetadata().getName();
                    case "metadata.namespace" -> owner.getMetadata().getNamespace();
                    default -> throw new Fail(where + " reads field " + from.getFieldRef().getFieldPath()
                            + " into " + e.getName() + ", which e2e cannot provide: extend scripts/e2e.java.");
                };
            }
            throw new Fail(where + " sets " + e.getName() + " from a source e2e does not support: use a value, ConfigMap or Secret key.");
        }

        static void mount(String where, VolumeMount m, Volume v, Long fsGroup, Sources sources, List<Tmpfs> tmpfs, List<FileMount> mounts,
                List<FileContent> files, LocalIssuer issuer, String namespace, String serviceAccount) {
            String sub = m.getSubPath() == null || m.getSubPath().isEmpty() ? null : m.getSubPath();
            if (v.getProjected() != null) {
                projected(where, m, v, fsGroup, sources, mounts, files, issuer, namespace, serviceAccount);
                return;
            }
            if (v.getEmptyDir() != null) {
                if (sub != null) {
                    throw new Fail(where + " mounts a subPath of emptyDir " + v.getName() + ", which e2e does not support: mount the whole volume.");
                }
                Quantity size = v.getEmptyDir().getSizeLimit();
                tmpfs.add(new Tmpfs(m.getMountPath(), size == null ? null : Quantity.getAmountInBytes(size).longValue()));
                return;
            }
            if (v.getPersistentVolumeClaim() != null) {
                if (sub != null) {
                    throw new Fail(where + " mounts a subPath of claim " + v.getPersistentVolumeClaim().getClaimName()
                            + ", which e2e does not support: mount the whole volume.");
                }
                // one folder per claim for the whole run, next to the workloads' folders: it outlives any container
                mounts.add(new FileMount("../claims/" + v.getPersistentVolumeClaim().getClaimName(), m.getMountPath(), true,
                        !Boolean.TRUE.equals(m.getReadOnly()) && !Boolean.TRUE.equals(v.getPersistentVolumeClaim().getReadOnly())));
                return;
            }
            Map<String, byte[]> data;
            List<KeyToPath> items;
            Integer defaultMode;
            Long gid = null;
            if (v.getConfigMap() != null) {
                var cm = v.getConfigMap();
                Map<String, String> text = sources.configMapData(cm.getName(), Boolean.TRUE.equals(cm.getOptional()), where);
                data = new LinkedHashMap<>();
                text.forEach((k, val) -> data.put(k, val.getBytes(StandardCharsets.UTF_8)));
                items = cm.getItems();
                defaultMode = cm.getDefaultMode();
                gid = fsGroup;
            } else if (v.getSecret() != null) {
                var s = v.getSecret();
                data = sources.secretData(s.getSecretName(), Boolean.TRUE.equals(s.getOptional()), where);
                items = s.getItems();
                defaultMode = s.getDefaultMode();
                gid = fsGroup;
            } else {
                throw new Fail(where + " mounts volume " + v.getName() + " of a kind e2e does not support (only emptyDir, configMap, secret, "
                        + "projected, persistentVolumeClaim).");
            }
            int mode = defaultMode == null ? 0644 : defaultMode;
            String dir = "volumes/" + v.getName();
            List<KeyToPath> keys = items == null || items.isEmpty()
                    ? data.keySet().stream().map(k -> new KeyToPath(k, null, k)).toList() : items;
            for (KeyToPath item : keys) {
                byte[] content = data.get(item.getKey());
                if (content == null) {
                    throw new Fail(where + " mounts key " + item.getKey() + " of volume " + v.getName()
                            + ", which its ConfigMap/Secret does not define: the pod would not start.");
                }
                files.add(new FileContent(dir + "/" + item.getPath(), content, item.getMode() == null ? mode : item.getMode(), gid));
            }
            if (sub != null) {
                if (files.stream().noneMatch(f -> f.path().equals(dir + "/" + sub))) {
                    throw new Fail(where + " mounts subPath " + sub + " of volume " + v.getName() + ", which holds no such file.");
                }
                mounts.add(new FileMount(dir + "/" + sub, m.getMountPath(), false, false));
            } else {
                mounts.add(new FileMount(dir, m.getMountPath(), true, false));
            }
        }

        /**
         * A projected volume as kubelet fills it: ServiceAccount tokens (from e2e's issuer, for the pod's ServiceAccount
         * and the audience asked for; readable by the fsGroup, or, without one, by the container's user, which kubelet
         * makes the owner and e2e cannot), ConfigMap and Secret keys. kube-root-ca.crt, which Kubernetes puts in every
         * namespace, is a placeholder: nothing here talks to an API server.
         */
        static void projected(String where, VolumeMount m, Volume v, Long fsGroup, Sources sources, List<FileMount> mounts,
                List<FileContent> files, LocalIssuer issuer, String namespace, String serviceAccount) {
            if (m.getSubPath() != null && !m.getSubPath().isEmpty()) {
                throw new Fail(where + " mounts a subPath of projected volume " + v.getName() + ", which e2e does not support: mount the whole volume.");
            }
            String dir = "volumes/" + v.getName();
            int mode = v.getProjected().getDefaultMode() == null ? 0644 : v.getProjected().getDefaultMode();
            for (var source : v.getProjected().getSources()) {
                if (source.getServiceAccountToken() != null) {
                    var t = source.getServiceAccountToken();
                    String audience = t.getAudience() == null || t.getAudience().isBlank() ? "https://kubernetes.default.svc" : t.getAudience();
                    files.add(new FileContent(dir + "/" + t.getPath(), issuer.token(namespace, serviceAccount, audience)
                            .getBytes(StandardCharsets.UTF_8), fsGroup != null ? 0440 : 0444, fsGroup));
                } else if (source.getConfigMap() != null || source.getSecret() != null) {
                    boolean cm = source.getConfigMap() != null;
                    String name = cm ? source.getConfigMap().getName() : source.getSecret().getName();
                    List<KeyToPath> items = cm ? source.getConfigMap().getItems() : source.getSecret().getItems();
                    Map<String, byte[]> data = new LinkedHashMap<>();
                    if (cm && name.equals("kube-root-ca.crt")) {
                        data.put("ca.crt", "# the cluster CA: Kubernetes provides it; e2e has no API server\n".getBytes(StandardCharsets.UTF_8));
                    } else if (cm) {
                        sources.configMapData(name, Boolean.TRUE.equals(source.getConfigMap().getOptional()), where)
                                .forEach((k, val) -> data.put(k, val.getBytes(StandardCharsets.UTF_8)));
                    } else {
                        data.putAll(sources.secretData(name, Boolean.TRUE.equals(source.getSecret().getOptional()), where));
                    }
                    List<KeyToPath> keys = items == null || items.isEmpty()
                            ? data.keySet().stream().map(k -> new KeyToPath(k, null, k)).toList() : items;
                    for (KeyToPath item : keys) {
                        byte[] content = data.get(item.getKey());
                        if (content == null) {
                            throw new Fail(where + " projects key " + item.getKey() + " of " + name + " into volume " + v.getName()
                                    + ", which it does not define: the pod would not start.");
                        }
                        files.add(new FileContent(dir + "/" + item.getPath(), content, item.getMode() == null ? mode : item.getMode(), fsGroup));
                    }
                } else {
                    throw new Fail(where + " projects a source into volume " + v.getName()
                            + " that e2e does not support (only serviceAccountToken, configMap, secret).");
                }
            }
            mounts.add(new FileMount(dir, m.getMountPath(), true, false));
        }

        static Probe probe(String where, io.fabric8.kubernetes.api.model.Probe p, Map<String, Integer> ports) {
            if (p == null) {
                return null;
            }
            int delay = p.getInitialDelaySeconds() == null ? 0 : p.getInitialDelaySeconds();
            int period = p.getPeriodSeconds() == null ? 10 : p.getPeriodSeconds();
            int timeout = p.getTimeoutSeconds() == null ? 1 : p.getTimeoutSeconds();
            int failures = p.getFailureThreshold() == null ? 3 : p.getFailureThreshold();
            if (p.getHttpGet() != null) {
                if ("HTTPS".equals(p.getHttpGet().getScheme())) {
                    throw new Fail(where + " has an HTTPS probe, which e2e does not support: probe over HTTP.");
                }
                return new Probe("http", p.getHttpGet().getPath() == null ? "/" : p.getHttpGet().getPath(),
                        port(where, p.getHttpGet().getPort(), ports), null, delay, period, timeout, failures);
            }
            if (p.getTcpSocket() != null) {
                return new Probe("tcp", null, port(where, p.getTcpSocket().getPort(), ports), null, delay, period, timeout, failures);
            }
            if (p.getExec() != null) {
                return new Probe("exec", null, 0, p.getExec().getCommand(), delay, period, timeout, failures);
            }
            throw new Fail(where + " has a probe of a kind e2e does not support (only httpGet, tcpSocket, exec).");
        }

        static int port(String where, IntOrString port, Map<String, Integer> ports) {
            if (port.getStrVal() != null) {
                Integer p = ports.get(port.getStrVal());
                if (p == null) {
                    throw new Fail(where + "'s probe uses port '" + port.getStrVal() + "', which the container does not declare: "
                            + "name the containerPort or fix the probe.");
                }
                return p;
            }
            return port.getIntVal();
        }

        /** Kubernetes' $(VAR) expansion in command, args and env values; $$ escapes; unknown references stay as they are. */
        static List<String> expand(List<String> values, Map<String, String> vars) {
            Pattern ref = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");
            List<String> result = new ArrayList<>();
            for (String v : values) {
                Matcher m = ref.matcher(v);
                StringBuilder sb = new StringBuilder();
                while (m.find()) {
                    String rep = m.group(1) == null ? "\\$" : vars.containsKey(m.group(1)) ? vars.get(m.group(1)) : m.group();
                    m.appendReplacement(sb, Matcher.quoteReplacement(rep.equals("\\$") ? "$" : rep));
                }
                m.appendTail(sb);
                result.add(sb.toString());
            }
            return result;
        }

        /** Why kubelet would refuse to start this container under runAsNonRoot, or null when it may start. */
        static String nonRootProblem(Workload w, String imageUser) {
            if (!Boolean.TRUE.equals(w.runAsNonRoot())) {
                return null;
            }
            if (w.uid() != null) {
                return w.uid() == 0 ? "runAsNonRoot is set but runAsUser is 0" : null;
            }
            String user = imageUser == null ? "" : imageUser.strip();
            String uid = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
            if (uid.isEmpty() || uid.equals("0") || uid.equals("root")) {
                return "runAsNonRoot is set and the image runs as root (set runAsUser or a non-root USER in the image)";
            }
            if (!uid.chars().allMatch(Character::isDigit)) {
                return "runAsNonRoot is set and the image's user '" + uid + "' is not numeric, so it cannot be checked (set runAsUser)";
            }
            return null;
        }

        static <T> T first(T a, T b) {
            return a != null ? a : b;
        }
    }

    /** The ConfigMaps and Secrets of the rendered overlay. */
    record Sources(Map<String, ConfigMap> configMaps, Map<String, Secret> secrets) {
        Map<String, String> configMapData(String name, boolean optional, String where) {
            ConfigMap c = configMaps.get(name);
            if (c == null) {
                if (optional) {
                    return Map.of();
                }
                throw new Fail(where + " uses ConfigMap " + name + ", which the overlay does not define: the pod would not start.");
            }
            Map<String, String> data = new LinkedHashMap<>();
            if (c.getData() != null) {
                data.putAll(c.getData());
            }
            return data;
        }

        Map<String, byte[]> secretData(String name, boolean optional, String where) {
            Secret s = secrets.get(name);
            if (s == null) {
                if (optional) {
                    return Map.of();
                }
                throw new Fail(where + " uses Secret " + name + ", which neither the overlay nor its secret generator defines: the pod would not start.");
            }
            Map<String, byte[]> data = new LinkedHashMap<>();
            if (s.getData() != null) {
                s.getData().forEach((k, v) -> data.put(k, Base64.getMimeDecoder().decode(v)));
            }
            if (s.getStringData() != null) {
                s.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
            }
            return data;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Probes, like kubelet's: from the host to the container's address on the podman network.

    static final class Prober {
        final Run run;
        final Plan.Workload w;
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        Prober(Run run, Plan.Workload w) {
            this.run = run;
            this.w = w;
        }

        void awaitReady(int readyTimeout) {
            String logPath = run.repo.relativize(run.logs.resolve(w.name() + ".log")).toString();
            if (w.startup() != null) {
                Plan.Probe p = w.startup();
                int budget = p.initialDelay() + p.period() * p.failureThreshold();
                if (!poll(p, budget)) {
                    run.save(w.name(), run.containerLog(w.name()));
                    throw new Fail(w.name() + "'s startup probe " + p.describe() + " did not pass within " + budget + " s ("
                            + p.failureThreshold() + " x " + p.period() + " s; last: " + last + "): see " + logPath + ".");
                }
            }
            if (w.readiness() != null) {
                Plan.Probe p = w.readiness();
                if (!poll(p, (w.startup() == null ? p.initialDelay() : 0) + readyTimeout)) {
                    run.save(w.name(), run.containerLog(w.name()));
                    throw new Fail(w.name() + "'s readiness probe " + p.describe() + " never passed within " + readyTimeout + " s (last: " + last
                            + "): see " + logPath + ".");
                }
            } else if (w.startup() == null) {
                run.ensureRunning(w);
            }
        }

        String last = "not run";

        boolean poll(Plan.Probe p, int budgetSeconds) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(budgetSeconds);
            sleep(p.initialDelay() * 1000L);
            while (true) {
                if (run.ensureRunning(w)) {
                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(budgetSeconds);
                    sleep(p.initialDelay() * 1000L);
                    continue;
                }
                last = once(p);
                if (last == null) {
                    return true;
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                // poll faster than the probe period (at most 1 s apart), so time to ready is measured, not rounded up to the period
                sleep(Math.min(1000L, p.period() * 1000L));
            }
        }

        /** null when the probe passes, else what went wrong. */
        String once(Plan.Probe p) {
            try {
                switch (p.type()) {
                    case "http" -> {
                        var req = HttpRequest.newBuilder(URI.create("http://" + run.ip(w.name()) + ":" + p.port() + p.path()))
                                .timeout(Duration.ofSeconds(Math.max(1, p.timeout()))).header("User-Agent", "kube-probe/e2e").GET().build();
                        int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                        return status >= 200 && status < 400 ? null : "HTTP " + status;
                    }
                    case "tcp" -> {
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress(run.ip(w.name()), p.port()), Math.max(1, p.timeout()) * 1000);
                            return null;
                        }
                    }
                    default -> {
                        List<String> cmd = new ArrayList<>(List.of("exec", run.id + "-" + w.name()));
                        cmd.addAll(p.command());
                        Sh.Result r = Podman.run(cmd, Duration.ofSeconds(Math.max(1, p.timeout()) + 5L));
                        return r.exit == 0 ? null : "exit code " + r.exit;
                    }
                }
            } catch (IOException ex) {
                return ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : " " + ex.getMessage());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new Fail("interrupted while probing " + w.name() + ".");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // What a user does through the entry point.

    static final class Drive {
        final String base;
        final Run run;
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        Drive(String base, Run run) {
            this.base = base;
            this.run = run;
        }

        record Reply(int status, String body) {
        }

        /** Every request of the run; returns the Authorization header of the user it signed up. */
        String all() {
            String song = "/api/v1/music/" + SAMPLE_SONG;
            Map<String, String> sample = csvRow(run.repo.resolve("scripts/data/music.csv"), SAMPLE_SONG);
            expect("GET", song, null, null, 401, "s2", "missing auth");
            expect("GET", song, "Bearer forged.token.value", null, 401, "s2", null);
            // signup and password login, as the README's quick start; the sample users have no password
            String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
            Reply signup = expect("POST", "/api/v1/user", null, "{\"fname\":\"E2e\",\"lname\":\"Run\",\"email\":\"e2e@example.org\","
                    + "\"password\":\"" + password + "\"}", 200, "s1", "user_id");
            String userId = signup.body().replaceAll(".*\"user_id\"\\s*:\\s*\"([0-9a-f-]{36})\".*", "$1").strip();
            expect("PUT", "/api/v1/user/login", null, "{\"uid\":\"" + SAMPLE_USER + "\",\"password\":\"" + password + "\"}", 401, "s1",
                    "wrong user id or password");
            Reply login = expect("PUT", "/api/v1/user/login", null, "{\"uid\":\"" + userId + "\",\"password\":\"" + password + "\"}",
                    200, "s1", null);
            String token = "Bearer " + login.body().strip();
            expect("GET", "/api/v1/user/" + userId, token, null, 200, "s1", "\"e2e@example.org\"");
            expect("GET", "/api/v1/user/" + SAMPLE_USER, token, null, 403, "s1", "your own user");
            expect("GET", "/api/v1/user/.well-known/jwks.json", null, null, 200, "s1", "\"kid\"");
            expect("GET", song, token, null, 200, "s2", "\"" + sample.get("SongTitle") + "\"");
            expect("DELETE", song, token, null, 403, "s2", "only the user who added a song");
            String title = "e2e " + run.id;
            Reply created = expect("POST", "/api/v1/music/", token, "{\"Artist\":\"e2e\",\"SongTitle\":\"" + title + "\"}", 200, "s2", "music_id");
            Matcher id = Pattern.compile("\"music_id\"\\s*:\\s*\"([0-9a-f-]{36})\"").matcher(created.body());
            if (!id.find()) {
                throw new Fail("request failed: POST /api/v1/music/ answered " + created.body() + " without a music_id: see "
                        + run.repo.relativize(run.logs.resolve("s2.log")) + ".");
            }
            String mine = "/api/v1/music/" + id.group(1);
            expect("GET", mine, token, null, 200, "s2", title);
            expect("DELETE", mine, token, null, 200, "s2", null);
            expect("GET", mine, token, null, 404, "s2", "\"Count\":0");
            expect("GET", "/api/v1/music/test", token, null, 500, "s2", null);
            String unique = run.containerLog("s2").lines().filter(l -> l.contains("Unique code:")).findFirst().orElse(null);
            if (unique == null) {
                throw new Fail("the s2 container's log has no 'Unique code:' line: check s2's start-up logging (see "
                        + run.repo.relativize(run.logs.resolve("s2.log")) + ").");
            }
            run.passed++;
            run.say("    find-the-bug: /api/v1/music/test answered 500, s2 logged: "
                    + unique.substring(unique.indexOf("Unique code:")).strip());
            return token;
        }

        Reply expect(String method, String path, String auth, String body, int status, String component, String contains) {
            var req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                req.header("Content-Type", "application/json");
            }
            if (auth != null) {
                req.header("Authorization", auth);
            }
            String shown = method + " " + path.replace(SAMPLE_SONG, "<sample song>").replace(SAMPLE_USER, "<sample user>")
                    .replaceAll("/api/v1/user/[0-9a-f-]{36}", "/api/v1/user/<new user>")
                    + (auth == null ? "" : auth.contains("forged") ? " (forged token)" : " (token)");
            Reply reply;
            try {
                HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
                reply = new Reply(r.statusCode(), r.body());
            } catch (IOException ex) {
                throw new Fail("request failed: " + shown + " through the entry point: " + ex + ".");
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new Fail("interrupted during " + shown + ".");
            }
            boolean ok = reply.status() == status && (contains == null || reply.body().contains(contains));
            String brief = reply.body().length() > 160 ? reply.body().substring(0, 160) + "..." : reply.body();
            if (path.endsWith("/login") && reply.status() == 200) {
                brief = "<token>";
            }
            if (!ok) {
                throw new Fail("request failed: " + shown + " answered " + reply.status() + " " + brief.strip()
                        + " (expected " + status + (contains == null ? "" : " with " + contains) + "): see "
                        + run.repo.relativize(run.logs.resolve(component + ".log")) + ".");
            }
            run.say("    " + shown + " -> " + reply.status());
            run.passed++;
            return reply;
        }

        static Map<String, String> csvRow(Path csv, String uuid) {
            try {
                List<String> lines = Files.readAllLines(csv);
                String[] header = lines.get(0).split(",");
                for (String line : lines.subList(1, lines.size())) {
                    String[] cells = line.split(",", -1);
                    if (line.contains(uuid) && cells.length == header.length) {
                        Map<String, String> row = new LinkedHashMap<>();
                        for (int i = 0; i < header.length; i++) {
                            row.put(header[i].strip(), cells[i].strip());
                        }
                        return row;
                    }
                }
            } catch (IOException ex) {
                throw new Fail("cannot read " + csv + ": " + ex.getMessage());
            }
            throw new Fail(csv.getFileName() + " has no row " + uuid + ": the sample data changed; update SAMPLE_SONG/SAMPLE_USER in scripts/e2e.java.");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Small helpers.

    /** 127.0.0.1:port -> container address:port, the stand-in for the NodePort. */
    static final class Forwarder implements AutoCloseable {
        final ServerSocket server;
        final Thread acceptor;

        private Forwarder(ServerSocket server, String host, int port) {
            this.server = server;
            this.acceptor = new Thread(() -> accept(host, port), "e2e-forwarder");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        static Forwarder start(int localPort, String host, int port) {
            try {
                ServerSocket s = new ServerSocket();
                s.bind(new InetSocketAddress("127.0.0.1", localPort));
                return new Forwarder(s, host, port);
            } catch (IOException ex) {
                throw new Fail("cannot listen on 127.0.0.1:" + localPort + " for the entry point (" + ex.getMessage() + "): pick another with --port.");
            }
        }

        int port() {
            return server.getLocalPort();
        }

        void accept(String host, int port) {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket();
                    upstream.connect(new InetSocketAddress(host, port), 5000);
                    pipe(client, upstream);
                    pipe(upstream, client);
                } catch (IOException ex) {
                    // closed, or one connection failed: the client sees a reset
                }
            }
        }

        static void pipe(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                try (InputStream in = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                    in.transferTo(o);
                } catch (IOException ignored) {
                    // the other side closed
                } finally {
                    try {
                        to.shutdownOutput();
                    } catch (IOException ignored) {
                        // already closed
                    }
                }
            }, "e2e-pipe");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    static final class Podman {
        static final String NOFILE = "--ulimit=nofile=20000:20000";
        static final String NPROC = "--ulimit=nproc=32768:32768";

        static Sh.Result run(List<String> args, Duration timeout) {
            List<String> cmd = new ArrayList<>(List.of("podman", "--runtime", "runc"));
            cmd.addAll(args);
            return Sh.run(cmd, null, timeout);
        }
    }

    static final class Registry {
        /** Sum of the compressed layer sizes of image in the local registry, or -1. */
        static long pullBytes(String registry, String image) {
            if (!image.startsWith(registry + "/")) {
                return -1;
            }
            String rest = image.substring(registry.length() + 1);
            int colon = rest.lastIndexOf(':');
            try {
                var req = HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/" + rest.substring(0, colon) + "/manifests/" + rest.substring(colon + 1)))
                        .header("Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json")
                        .timeout(Duration.ofSeconds(10)).build();
                String body = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).body();
                int layers = body.indexOf("\"layers\"");
                if (layers < 0) {
                    return -1;
                }
                long sum = 0;
                Matcher m = Pattern.compile("\"size\"\\s*:\\s*(\\d+)").matcher(body.substring(layers));
                while (m.find()) {
                    sum += Long.parseLong(m.group(1));
                }
                return sum;
            } catch (IOException | RuntimeException ex) {
                return -1;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }

    static final class Sh {
        record Result(int exit, String out, String err) {
        }

        static Result run(List<String> cmd, Path dir, Duration timeout) {
            return run(cmd, dir, timeout, null, false);
        }

        /** Runs cmd; with a log, stdout and stderr are appended to it; with showErr, stderr also goes to this process's stderr. */
        static Result run(List<String> cmd, Path dir, Duration timeout, Path log, boolean showErr) {
            Path outFile = null;
            Path errFile = null;
            try {
                outFile = Files.createTempFile("e2e-out", ".txt");
                errFile = Files.createTempFile("e2e-err", ".txt");
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                if (dir != null) {
                    pb.directory(dir.toFile());
                }
                pb.redirectOutput(outFile.toFile());
                pb.redirectError(showErr ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.to(errFile.toFile()));
                Process p;
                try {
                    p = pb.start();
                } catch (IOException ex) {
                    throw new Fail("cannot run " + cmd.get(0) + " (" + ex.getMessage() + "): install it (scripts/e2e/prepare.sh does) and try again.");
                }
                boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!done) {
                    p.descendants().forEach(ProcessHandle::destroy);
                    p.destroy();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
                String out = Files.readString(outFile);
                String err = Files.readString(errFile);
                if (log != null) {
                    Files.writeString(log, "$ " + String.join(" ", cmd) + "\n" + out + err, StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                }
                return new Result(done ? p.exitValue() : 124, out, done ? err : err + "\ntimed out after " + timeout.toSeconds() + " s");
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new Fail("interrupted while running " + cmd.get(0) + ".");
            } finally {
                for (Path f : new Path[] {outFile, errFile}) {
                    if (f != null) {
                        try {
                            Files.deleteIfExists(f);
                        } catch (IOException ignored) {
                            // a temp file
                        }
                    }
                }
            }
        }
    }

    static List<HasMetadata> parse(String yaml) {
        Object o = new KubernetesSerialization().unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        List<HasMetadata> result = new ArrayList<>();
        if (o instanceof List<?> list) {
            for (Object x : list) {
                if (x instanceof HasMetadata h) {
                    result.add(h);
                }
            }
        } else if (o instanceof HasMetadata h) {
            result.add(h);
        }
        return result;
    }

    /** key=<64 random hex digits> for every key of an .env.example file (comments and blank lines dropped). */
    static String randomEnv(String example) {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (String line : example.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String key = l.contains("=") ? l.substring(0, l.indexOf('=')).strip() : l;
            byte[] value = new byte[32];
            random.nextBytes(value);
            sb.append(key).append('=').append(HexFormat.of().formatHex(value)).append('\n');
        }
        return sb.toString();
    }

    static String json(List<String> values) {
        return values.stream().map(v -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(",", "[", "]"));
    }

    static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> set = java.util.EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(order[i]);
            }
        }
        return set;
    }

    static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException ex) {
            throw new Fail("cannot read " + file + " (" + ex.getMessage() + "): delete it and run again.");
        }
    }

    static void writeString(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException ex) {
            throw new Fail("cannot write " + file + " (" + ex.getMessage() + "): check that the folder is writable.");
        }
    }

    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException ex) {
            return -1;
        }
        return -1;
    }

    static long parseLong(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException ex) {
            return -1;
        }
    }

    static String secs(long startNanos) {
        return String.format("%.0f s", (System.nanoTime() - startNanos) / 1e9);
    }

    /** The most telling line of a crashed JVM's log: Spring Boot's failure description, else an exception line, else the last line. */
    static String failureReason(String log) {
        List<String> lines = log.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).equals("Description:")) {
                return lines.get(i + 1);
            }
        }
        return lines.stream().filter(l -> l.matches("^(Exception|Error|Caused by).*")).reduce((a, b) -> b).orElse(lastLine(log));
    }

    static String lastLine(String text) {
        List<String> lines = text == null ? List.of() : text.strip().lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1).strip();
    }

    static List<String> tail(Path file, int n) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException ex) {
            return List.of();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new Fail("interrupted.");
        }
    }

    static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // already gone
        }
    }
}
