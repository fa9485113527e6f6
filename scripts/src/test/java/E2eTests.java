import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Fast tests of scripts/e2e.java: the translation from rendered manifests to podman arguments, files and probes, on
 * small hand-written manifests and on the real minikube overlay. The full run (podman, images, requests) is
 * `./jbang scripts/e2e.java` itself, which .ci/run calls.
 */
class E2eTests {

    static final Path REPO = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();

    static final String SECRET_VALUE = "s3cr3t-value-never-on-a-command-line";

    static final String APP = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: app, namespace: music}
            data: {SERVER_PORT: "30001", GREETING: "hello"}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: web, namespace: music}
            data: {nginx.conf: "events {}\\n"}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: auth, namespace: music}
            data: {key: %s, token: %s}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: app, namespace: music}
            spec:
              selector: {app.kubernetes.io/name: app}
              ports: [{name: http, port: 30001, targetPort: http}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: front, namespace: music}
            spec:
              type: NodePort
              selector: {app.kubernetes.io/name: app}
              ports: [{name: http, port: 80, targetPort: http, nodePort: 30080}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
              namespace: music
              annotations: {argocd.argoproj.io/sync-wave: "2"}
            spec:
              selector: {matchLabels: {app.kubernetes.io/name: app}}
              template:
                metadata: {labels: {app.kubernetes.io/name: app, app.kubernetes.io/part-of: music}}
                spec:
                  securityContext: {runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, fsGroup: 1000,
                                    seccompProfile: {type: RuntimeDefault}}
                  containers:
                    - name: app
                      image: ghcr.io/someone/s2:abc
                      command: [java]
                      args: ["-Dport=$(SERVER_PORT)", "$$(SERVER_PORT)", "-jar", "/app/s2.jar"]
                      workingDir: /app
                      envFrom: [{configMapRef: {name: app}}]
                      env:
                        - {name: TOKEN, valueFrom: {secretKeyRef: {name: auth, key: token}}}
                        - {name: GREETING, value: "$(GREETING) world"}
                      ports: [{name: http, containerPort: 30001}]
                      resources: {limits: {memory: 512Mi, cpu: 250m}}
                      securityContext:
                        allowPrivilegeEscalation: false
                        readOnlyRootFilesystem: true
                        capabilities: {drop: [ALL]}
                      startupProbe: {httpGet: {path: /health, port: http}, periodSeconds: 3, failureThreshold: 40}
                      readinessProbe: {httpGet: {path: /ready, port: 30001}, periodSeconds: 5}
                      livenessProbe: {tcpSocket: {port: http}}
                      volumeMounts:
                        - {name: tmp, mountPath: /tmp}
                        - {name: config, mountPath: /etc/nginx/nginx.conf, subPath: nginx.conf, readOnly: true}
                        - {name: key, mountPath: /etc/music/auth, readOnly: true}
                  volumes:
                    - {name: tmp, emptyDir: {sizeLimit: 64Mi}}
                    - {name: config, configMap: {name: web}}
                    - {name: key, secret: {secretName: auth, defaultMode: 288, items: [{key: key, path: key}]}}
            """.formatted(b64("0123456789abcdef0123456789abcdef"), b64(SECRET_VALUE));

    static String b64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static e2e.Plan plan(String yaml) {
        return e2e.Plan.of(e2e.parse(yaml), image -> image.startsWith("ghcr.io/") ? "127.0.0.1:5000/e2e/s2:t" : "local/" + image);
    }

    @Test
    void translatesTheManifestIntoPodmanArguments(@TempDir Path dir) {
        e2e.Plan.Workload w = plan(APP).workloads.get(0);
        List<String> args = w.podmanArgs("net", dir);

        assertThat(String.join(" ", args))
                .contains("--network net")
                .contains("--network-alias app ", "--network-alias app.music.svc.cluster.local", "--network-alias front ")
                .contains("--user 1000:1000", "--group-add 1000")
                .contains("--read-only --read-only-tmpfs=false")
                .contains("--security-opt no-new-privileges", "--cap-drop ALL")
                .contains("--memory 536870912 --memory-swap 536870912", "--cpus 0.25")
                .contains("--ulimit=nofile=20000:20000", "--ulimit=nproc=32768:32768", "--pull=never")
                .contains("--tmpfs /tmp:rw,exec,nosuid,nodev,mode=1777,size=67108864")
                .contains("-v " + dir.resolve("volumes/config/nginx.conf") + ":/etc/nginx/nginx.conf:ro")
                .contains("-v " + dir.resolve("volumes/key") + ":/etc/music/auth:ro")
                .contains("--env-file " + dir.resolve("env"))
                .contains("--workdir /app")
                .contains("--entrypoint [\"java\"] 127.0.0.1:5000/e2e/s2:t -Dport=30001 $(SERVER_PORT) -jar /app/s2.jar")
                .doesNotContain(SECRET_VALUE);
        assertThat(w.env()).containsEntry("SERVER_PORT", "30001").containsEntry("TOKEN", SECRET_VALUE)
                .containsEntry("GREETING", "hello world");
        assertThat(w.wave()).isEqualTo(2);
        assertThat(w.manifestImage()).isEqualTo("ghcr.io/someone/s2:abc");
    }

    @Test
    void probesResolveNamedPortsAndKeepTheirTiming() {
        e2e.Plan.Workload w = plan(APP).workloads.get(0);
        assertThat(w.startup()).isEqualTo(new e2e.Plan.Probe("http", "/health", 30001, null, 0, 3, 1, 40));
        assertThat(w.readiness().describe()).isEqualTo("GET /ready on port 30001");
        assertThat(w.liveness()).isEqualTo(new e2e.Plan.Probe("tcp", null, 30001, null, 0, 10, 1, 3));
    }

    @Test
    void theNodePortServiceIsTheEntryPoint() {
        e2e.Plan p = plan(APP);
        assertThat(p.entry).isEqualTo(new e2e.Plan.Entry("front", "app", 30001, 30080));
        assertThat(p.warnings).isEmpty();
    }

    @Test
    void writesTheEnvFileAndVolumeFilesWithKubernetesModes(@TempDir Path dir) throws IOException {
        e2e.Plan.Workload w = plan(APP).workloads.get(0);
        w.writeFiles(dir);

        assertThat(Files.readString(dir.resolve("env"))).contains("TOKEN=" + SECRET_VALUE + "\n", "SERVER_PORT=30001\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("env")))).isEqualTo("rw-------");
        Path key = dir.resolve("volumes/key/key");
        assertThat(Files.readString(key)).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("r--r-----"); // defaultMode 288 = 0440
        assertThat(Files.getAttribute(key, "unix:gid")).isEqualTo(1000); // fsGroup
        assertThat(Files.readString(dir.resolve("volumes/config/nginx.conf"))).isEqualTo("events {}\n");
    }

    @Test
    void aMissingSecretKeyFailsLikeTheKubelet() {
        String broken = APP.replace("key: token}", "key: nope}");
        assertThatThrownBy(() -> plan(broken)).isInstanceOf(e2e.Fail.class)
                .hasMessage("Deployment app needs key nope of Secret auth, which the overlay's secret generator does not define: "
                        + "the pod would stay in CreateContainerConfigError.");
    }

    @Test
    void aMissingConfigMapFails() {
        String broken = APP.replace("configMapRef: {name: app}", "configMapRef: {name: other}");
        assertThatThrownBy(() -> plan(broken)).isInstanceOf(e2e.Fail.class)
                .hasMessageContaining("uses ConfigMap other, which the overlay does not define");
    }

    @Test
    void aProbeOnAnUndeclaredPortFails() {
        String broken = APP.replace("path: /health, port: http", "path: /health, port: metrics");
        assertThatThrownBy(() -> plan(broken)).isInstanceOf(e2e.Fail.class)
                .hasMessageContaining("probe uses port 'metrics', which the container does not declare");
    }

    @Test
    void anImageWithoutStandInFailsWithWhatToDo(@TempDir Path tmp) {
        e2e.Run run = new e2e.Run(tmp, new PrintWriter(new StringWriter()));
        assertThatThrownBy(() -> run.localImage("docker.io/library/redis:7", Map.of(), Map.of()))
                .isInstanceOf(e2e.Fail.class)
                .hasMessage("the overlay uses image docker.io/library/redis:7, which has no local stand-in: add it to STAND_INS in "
                        + "scripts/e2e.java with a recipe in scripts/e2e/images/.");
        assertThat(run.localImage("ghcr.io/example-org/s1:0.1.0", Map.of("s1", "127.0.0.1:5000/e2e/s1:x"), Map.of()))
                .isEqualTo("127.0.0.1:5000/e2e/s1:x");
        assertThat(run.localImage("docker.io/amazon/dynamodb-local:2.6.1", Map.of(),
                Map.of("E2E_IMAGE_DYNAMODB_LOCAL", "127.0.0.1:5000/e2e/dynamodb-local:h"))).isEqualTo("127.0.0.1:5000/e2e/dynamodb-local:h");
    }

    @Test
    void runAsNonRootIsCheckedAgainstTheImageUser() {
        e2e.Plan.Workload w = plan(APP).workloads.get(0);
        assertThat(e2e.Plan.nonRootProblem(w, "")).isNull(); // runAsUser 1000 decides
        e2e.Plan.Workload noUser = plan(APP.replace("runAsUser: 1000, ", "")).workloads.get(0);
        assertThat(e2e.Plan.nonRootProblem(noUser, "1000:1000")).isNull();
        assertThat(e2e.Plan.nonRootProblem(noUser, "")).contains("the image runs as root");
        assertThat(e2e.Plan.nonRootProblem(noUser, "0")).contains("the image runs as root");
        assertThat(e2e.Plan.nonRootProblem(noUser, "nginx")).contains("is not numeric");
    }

    @Test
    void kubernetesVariableExpansion() {
        assertThat(e2e.Plan.expand(List.of("$(A)-$(B)", "$$(A)", "$(UNKNOWN)", "plain"), Map.of("A", "1", "B", "$2")))
                .containsExactly("1-$2", "$(A)", "$(UNKNOWN)", "plain");
    }

    @Test
    void randomSecretValuesForEveryExampleKey() {
        String env = e2e.randomEnv("# the loader token\ntoken=\n\nkey=<64 hex digits>\n");
        List<String> lines = env.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("token=[0-9a-f]{64}");
        assertThat(lines.get(1)).matches("key=[0-9a-f]{64}");
        assertThat(e2e.randomEnv("token=")).isNotEqualTo(e2e.randomEnv("token="));
    }

    @Test
    void failureReasonPrefersSpringBootsDescription() {
        String log = "INFO starting\n\n***\nAPPLICATION FAILED TO START\n***\n\nDescription:\n\ndb could not prepare table 'music'\n\n"
                + "Action:\n\nCheck it\nPicked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage=70\n";
        assertThat(e2e.failureReason(log)).isEqualTo("db could not prepare table 'music'");
        assertThat(e2e.failureReason("a\nError: Unable to access jarfile /app/x.jar\nPicked up JAVA_TOOL_OPTIONS: x"))
                .isEqualTo("Error: Unable to access jarfile /app/x.jar");
    }

    /** The real overlay translates: every image has a local build or stand-in, every pod runs, the gateway is the entry point. */
    @Test
    void theMinikubeOverlayTranslates(@TempDir Path tmp) throws Exception {
        List<HasMetadata> objects = new ArrayList<>(e2e.parse(kustomize(REPO.resolve("overlays/minikube"))));
        Path secrets = tmp.resolve("secrets");
        Files.createDirectories(secrets);
        Path source = REPO.resolve("overlays/minikube/secrets");
        Files.copy(source.resolve("kustomization.yaml"), secrets.resolve("kustomization.yaml"));
        try (var files = Files.list(source)) {
            for (Path example : files.filter(p -> p.toString().endsWith(".pem.example")).toList()) {
                LocalIssuer.signingKey(secrets.resolve(example.getFileName().toString().replace(".example", "")));
            }
        }
        objects.addAll(e2e.parse(kustomize(secrets)));
        List<String> unmapped = new ArrayList<>();
        e2e.Plan p = e2e.Plan.of(objects, image -> {
            boolean service = image.matches("ghcr\\.io/[^/]+/(db|s1|s2|loader):.+");
            if (!service && !e2e.STAND_INS.containsKey(image)) {
                unmapped.add(image);
            }
            return "local/" + image;
        });

        assertThat(unmapped).as("images of the overlay with neither a JKube build nor an entry in e2e.STAND_INS").isEmpty();
        assertThat(p.workloads).extracting(e2e.Plan.Workload::name)
                .containsExactly("dynamodb-local", "db", "s1", "s2", "gateway", "loader");
        assertThat(p.workloads.get(5).job()).isTrue();
        assertThat(p.entry.service()).isEqualTo("gateway");
        assertThat(p.entry.workload()).isEqualTo("gateway");
        for (e2e.Plan.Workload w : p.workloads) {
            assertThat(w.readOnly()).as(w.name() + " read-only root").isTrue();
            assertThat(w.tmpfs()).as(w.name() + " /tmp").extracting(e2e.Plan.Tmpfs::path).contains("/tmp");
            assertThat(w.memoryBytes()).as(w.name() + " memory limit").isNotNull();
            if (!w.job()) {
                assertThat(w.readiness()).as(w.name() + " readiness probe").isNotNull();
                assertThat(w.aliases()).as(w.name() + " Service name").contains(w.name());
            }
        }
        // e2e stands in for the cluster's token issuer: db trusts its key set, the callers get its tokens
        e2e.Plan.Workload db = p.workloads.get(1);
        assertThat(db.env()).containsEntry("DB_CALLER_JWKS_URI", "file:" + e2e.Plan.ISSUER_DIR + "/jwks.json")
                .containsEntry("DB_CALLER_ISSUER", LocalIssuer.ISSUER).containsKey("DB_DYNAMODB_ENDPOINT")
                .doesNotContainKeys("DB_CALLER_JWKS_CA_FILE", "DB_CALLER_JWKS_TOKEN_FILE");
        assertThat(db.mounts()).extracting(e2e.Plan.FileMount::containerPath).contains(e2e.Plan.ISSUER_DIR);
        for (String caller : List.of("s1", "s2", "loader")) {
            e2e.Plan.Workload w = p.workloads.stream().filter(x -> x.name().equals(caller)).findFirst().orElseThrow();
            e2e.Plan.FileContent token = w.files().stream().filter(f -> f.path().endsWith("db-token/token")).findFirst().orElseThrow();
            String claims = new String(java.util.Base64.getUrlDecoder().decode(new String(token.content()).split("\\.")[1]));
            assertThat(claims).as(caller).contains("\"sub\":\"system:serviceaccount:music:" + caller + "\"").contains("\"aud\":\"db\"");
        }
        e2e.Plan.Workload s1 = p.workloads.get(2);
        assertThat(s1.files()).extracting(e2e.Plan.FileContent::path).contains("volumes/signing-key/current.pem");
        assertThat(new String(s1.files().stream().filter(f -> f.path().endsWith("current.pem")).findFirst().orElseThrow().content()))
                .startsWith("-----BEGIN PRIVATE KEY-----");
        // this repo's images are built, never stood in for: the loader is the JKube image, with no mounted script
        assertThat(e2e.SERVICES).contains("loader");
        assertThat(e2e.STAND_INS.keySet()).noneMatch(i -> i.contains("jbang"));
        e2e.Plan.Workload loader = p.workloads.get(5);
        assertThat(loader.manifestImage()).matches("ghcr\\.io/[^/]+/loader:.+");
        assertThat(loader.entrypoint()).isNull();
        assertThat(loader.mounts()).extracting(e2e.Plan.FileMount::containerPath).containsExactly("/var/run/secrets/music/db");
        // DynamoDB Local's data is on its claim, writable, in a folder that outlives the container
        assertThat(p.workloads.get(0).args()).contains("-dbPath", "/data").doesNotContain("-inMemory");
        assertThat(p.workloads.get(0).mounts()).containsExactly(new e2e.Plan.FileMount("../claims/dynamodb-local", "/data", true, true));
    }

    @Test
    void aPersistentVolumeClaimIsAWritableFolderSharedByTheRun(@TempDir Path dir) throws IOException {
        String withClaim = APP.replace("        - {name: tmp, emptyDir: {sizeLimit: 64Mi}}",
                "        - {name: tmp, emptyDir: {sizeLimit: 64Mi}}\n        - {name: data, persistentVolumeClaim: {claimName: store}}")
                .replace("            - {name: tmp, mountPath: /tmp}",
                        "            - {name: tmp, mountPath: /tmp}\n            - {name: data, mountPath: /data}");
        assertThat(withClaim).contains("claimName: store", "mountPath: /data");
        e2e.Plan.Workload w = plan(withClaim).workloads.get(0);
        Path own = dir.resolve("app");
        w.writeFiles(own);
        assertThat(String.join(" ", w.podmanArgs("net", own))).contains("-v " + dir.resolve("claims/store") + ":/data:rw");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("claims/store")))).isEqualTo("rwxrwxrwx");
    }

    @Test
    void helpShowsAnExampleAndBadOptionsAreUsageErrors() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new e2e()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        assertThat(cmd.execute("--help")).isZero();
        assertThat(out.toString()).contains("sudo ./jbang scripts/e2e.java", "Exit codes:");
        assertThat(cmd.execute("--no-such-option")).isEqualTo(2);
        assertThat(cmd.execute("--ready-timeout", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--ready-timeout must be at least 1 second");
    }

    static String kustomize(Path dir) throws Exception {
        Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kubectl kustomize " + dir + ": " + err).isZero();
        return out;
    }
}
