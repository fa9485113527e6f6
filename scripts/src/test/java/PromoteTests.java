import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** promote.java on a small fixture tree: exact bytes, errors, and the rendered overlay (kubectl kustomize). */
class PromoteTests {

    static final String SHA = "3f1c2e94b0d7a8c6e5f4d3c2b1a09f8e7d6c5b4a";

    static final String MINIKUBE = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            # the release workflow rewrites newTag below (scripts/promote.java)
            namespace: music
            resources:
              - ../../base/s2
              - ../../base/s1
            images:
              - name: s1   # users
                newName: ghcr.io/example/s1
                newTag: aaaaaaa
              # music, keep this comment
              - name: s2
                newName: ghcr.io/example/s2
                newTag: "bbbbbbb"     # was the first release
            labels:
              - pairs:
                  newTag: not-an-image
            """;

    static final String EKS = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
            - ../../base/s2
            - ../../base/s1
            images:
            - name: s2
              newName: ghcr.io/example/s2
              newTag: ccccccc
            - newName: ghcr.io/example/s1
              name: s1
              newTag: ddddddd
            """;

    @TempDir
    Path root;

    record Run(int code, String out, String err) {}

    Run promote(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new promote());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--repo-root", root.toString()));
        all.addAll(List.of(args));
        int code = cmd.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    void fixture() throws IOException {
        for (String svc : List.of("s1", "s2")) {
            Path dir = Files.createDirectories(root.resolve("base").resolve(svc));
            Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n  - deployment.yaml\n");
            Files.writeString(dir.resolve("deployment.yaml"), """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: %1$s
                    spec:
                      selector:
                        matchLabels:
                          app.kubernetes.io/name: %1$s
                      template:
                        metadata:
                          labels:
                            app.kubernetes.io/name: %1$s
                        spec:
                          containers:
                            - name: %1$s
                              image: %1$s
                    """.formatted(svc));
        }
        write("minikube", MINIKUBE);
        write("eks", EKS);
    }

    void write(String overlay, String text) throws IOException {
        Path dir = Files.createDirectories(root.resolve("overlays").resolve(overlay));
        Files.writeString(dir.resolve("kustomization.yaml"), text);
    }

    String read(String overlay) throws IOException {
        return Files.readString(root.resolve("overlays").resolve(overlay).resolve("kustomization.yaml"));
    }

    @Test
    void changesOnlyTheNewTagValueOfTheNamedEntry() throws IOException {
        fixture();
        Run r = promote("s2", SHA);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("overlays/minikube/kustomization.yaml: s2 bbbbbbb -> " + SHA);
        assertThat(read("minikube")).isEqualTo(MINIKUBE.replace(
                "    newTag: \"bbbbbbb\"     # was the first release",
                "    newTag: \"" + SHA + "\"     # was the first release"));
        assertThat(read("eks")).as("default overlay is minikube only").isEqualTo(EKS);
    }

    @Test
    void findsTheEntryWhateverTheKeyOrderAndIndentation() throws IOException {
        fixture();
        Run r = promote("users", "v1.2.3", "--overlay", "eks");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(read("eks")).isEqualTo(EKS.replace("  newTag: ddddddd", "  newTag: v1.2.3"));
        assertThat(read("minikube")).isEqualTo(MINIKUBE);
    }

    @Test
    void allChangesEveryOverlay() throws IOException {
        fixture();
        Run r = promote("music", SHA, "--overlay", "all");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines()).hasSize(2);
        assertThat(read("eks")).isEqualTo(EKS.replace("newTag: ccccccc", "newTag: " + SHA));
        assertThat(read("minikube")).contains("newTag: \"" + SHA + "\"").contains("newTag: aaaaaaa");
    }

    @Test
    void aDigestIsWrittenAsDigest() throws IOException {
        fixture();
        String digest = "sha256:" + "0123456789abcdef".repeat(4);
        Run r = promote("s2", digest, "--overlay", "eks");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(read("eks")).isEqualTo(EKS.replace("  newTag: ccccccc", "  digest: " + digest));
        assertThat(render("eks")).contains("image: ghcr.io/example/s2@" + digest);
    }

    @Test
    void tagAndDigestTogetherPinTheDigestAndKeepTheCommitReadable() throws IOException {
        fixture();
        String digest = "sha256:" + "0123456789abcdef".repeat(4);
        Run r = promote("s2", SHA + "@" + digest, "--overlay", "eks");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(read("eks")).isEqualTo(EKS.replace("  newTag: ccccccc\n", "  newTag: " + SHA + "\n  digest: " + digest + "\n"));
        assertThat(render("eks")).contains("image: ghcr.io/example/s2:" + SHA + "@" + digest);
        Run shown = promote("s2", "--overlay", "eks");
        assertThat(shown.out().strip()).isEqualTo(SHA + "@" + digest);
        // the next release replaces both; a tag alone drops the digest, which would still pull the old image
        String next = "sha256:" + "fedcba9876543210".repeat(4);
        assertThat(promote("s2", "abc1234@" + next, "--overlay", "eks").code()).isZero();
        assertThat(read("eks")).contains("  newTag: abc1234\n  digest: " + next + "\n").doesNotContain(digest);
        assertThat(promote("s2", "v3", "--overlay", "eks").code()).isZero();
        assertThat(read("eks")).isEqualTo(EKS.replace("newTag: ccccccc", "newTag: v3"));
    }

    @Test
    void aKustomizationInsideAnOverlayCanBePromoted() throws IOException {
        fixture();
        Path dir = Files.createDirectories(root.resolve("overlays/eks/sample-data"));
        Files.writeString(dir.resolve("kustomization.yaml"), "images:\n  - name: loader\n    newName: ghcr.io/example/loader\n    newTag: old\n");
        Run r = promote("loader", SHA, "--overlay", "eks/sample-data");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(dir.resolve("kustomization.yaml"))).contains("    newTag: " + SHA + "\n");
        assertThat(promote("loader", SHA, "--overlay", "eks/../minikube").code()).isEqualTo(2);
    }

    @Test
    void anAllDigitTagIsQuotedSoYamlKeepsItAString() throws IOException {
        fixture();
        Run r = promote("s2", "1234567", "--overlay", "eks");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(read("eks")).contains("  newTag: \"1234567\"\n");
        assertThat(render("eks")).contains("image: ghcr.io/example/s2:1234567");
    }

    @Test
    void renderedOverlayPointsAtTheNewTagAndNothingElseChanged() throws IOException {
        fixture();
        List<String> before = render("minikube").lines().toList();
        assertThat(promote("s2", SHA).code()).isZero();
        List<String> after = render("minikube").lines().toList();
        assertThat(after).hasSameSizeAs(before);
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            if (!before.get(i).equals(after.get(i))) {
                assertThat(before.get(i)).contains("image: ghcr.io/example/s2:bbbbbbb");
                changed.add(after.get(i));
            }
        }
        assertThat(changed).singleElement().asString().endsWith("image: ghcr.io/example/s2:" + SHA);
        assertThat(after).anyMatch(l -> l.endsWith("image: ghcr.io/example/s1:aaaaaaa"));
    }

    @Test
    void sameTagAgainLeavesTheFileAlone() throws IOException {
        fixture();
        Run r = promote("s1", "aaaaaaa");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("s1 already at aaaaaaa");
        assertThat(read("minikube")).isEqualTo(MINIKUBE);
    }

    @Test
    void keepsWindowsLineEnds() throws IOException {
        fixture();
        write("eks", EKS.replace("\n", "\r\n"));
        assertThat(promote("s2", "v2", "--overlay", "eks").code()).isZero();
        assertThat(read("eks")).isEqualTo(EKS.replace("newTag: ccccccc", "newTag: v2").replace("\n", "\r\n"));
    }

    @Test
    void unknownServiceIsAUsageError() throws IOException {
        fixture();
        Run r = promote("gateway", SHA);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown service 'gateway'").contains("db, s1, s2, loader");
        assertThat(read("minikube")).isEqualTo(MINIKUBE);
    }

    @Test
    void invalidTagsAreUsageErrors() throws IOException {
        fixture();
        for (String bad : List.of("-rc1", ".hidden", "has space", "a/b", "x".repeat(129), "sha256:abc", "latest@x", "@sha256:" + "a".repeat(64),
                "sha256:" + "A".repeat(64))) {
            Run r = promote("--", "s2", bad); // "--" so that picocli takes "-rc1" as the tag, not an option
            assertThat(r.code()).as(bad).isEqualTo(2);
            assertThat(r.err()).as(bad).contains("is neither an image tag").doesNotContain("Exception");
        }
        assertThat(promote("s2", "x".repeat(128)).code()).isZero();
        assertThat(read("eks")).isEqualTo(EKS);
    }

    @Test
    void missingOverlayNamesTheOnesThatExist() throws IOException {
        fixture();
        Run r = promote("s2", SHA, "--overlay", "kind");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("overlays/kind/kustomization.yaml not found").contains("eks, minikube");
        assertThat(promote("s2", SHA, "--overlay", "../base").code()).isEqualTo(2);
    }

    @Test
    void noOverlaysFolderTellsWhereToRun() {
        Run r = promote("s2", SHA);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("No overlays/ folder found").contains("--repo-root");
    }

    @Test
    void missingEntryChangesNoOverlayAtAll() throws IOException {
        fixture();
        write("eks", EKS.replace("- name: s2", "- name: s9"));
        Run r = promote("s2", SHA, "--overlay", "all");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("overlays/eks/kustomization.yaml: no images entry named s2");
        assertThat(read("minikube")).as("all or nothing").isEqualTo(MINIKUBE);
    }

    @Test
    void entryWithoutNewTagIsExplained() throws IOException {
        fixture();
        write("eks", EKS.replace("  newTag: ccccccc\n", ""));
        Run r = promote("s2", SHA, "--overlay", "eks");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("has no newTag");
    }

    @Test
    void withoutATagPrintsTheCurrentOne() throws IOException {
        fixture();
        Run one = promote("s2", "--overlay", "minikube");
        assertThat(one.code()).as(one.err()).isZero();
        assertThat(one.out()).isEqualTo("bbbbbbb" + System.lineSeparator());
        Run all = promote("s1", "--overlay", "all");
        assertThat(all.out().lines()).containsExactly("eks ddddddd", "minikube aaaaaaa");
        assertThat(read("minikube")).isEqualTo(MINIKUBE);
    }

    /** The real overlays of this repository, copied: promoting s2 changes one image line of the rendered overlay. */
    @Test
    void realOverlaysRenderTheNewTagAndNothingElse() throws IOException {
        Path repo = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        assertThat(repo.resolve("overlays")).as("overlays/ in " + repo).isDirectory();
        copyTree(repo, root); // the whole source tree: overlays pull in base/ and base/loader pulls in scripts/
        for (String overlay : List.of("minikube", "eks")) {
            List<String> before = render(overlay).lines().toList();
            String oldTag = promote("s2", "--overlay", overlay).out().strip();
            Run r = promote("s2", SHA, "--overlay", overlay);
            assertThat(r.code()).as(r.err()).isZero();
            List<String> after = render(overlay).lines().toList();
            assertThat(after).as(overlay).hasSameSizeAs(before);
            List<String> changed = new ArrayList<>();
            for (int i = 0; i < before.size(); i++) {
                if (!before.get(i).equals(after.get(i))) {
                    assertThat(before.get(i)).as(overlay).matches("\\s*-? ?image: \\S+/s2:" + java.util.regex.Pattern.quote(oldTag));
                    changed.add(after.get(i));
                }
            }
            assertThat(changed).as(overlay).singleElement().asString().matches("\\s*-? ?image: \\S+/s2:" + SHA);
            String file = "overlays/" + overlay + "/kustomization.yaml";
            String original = Files.readString(repo.resolve(file));
            String now = Files.readString(root.resolve(file));
            assertThat(diffLines(original, now)).as(file).singleElement().asString().contains("newTag: " + SHA);
        }
    }

    static List<String> diffLines(String a, String b) {
        List<String> x = a.lines().toList();
        List<String> y = b.lines().toList();
        assertThat(y).hasSameSizeAs(x);
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            if (!x.get(i).equals(y.get(i))) {
                changed.add(y.get(i));
            }
        }
        return changed;
    }

    static final java.util.Set<String> NOT_COPIED = java.util.Set.of(".git", "target", "node_modules", ".jbang", ".data", ".dev");

    static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path p : files.filter(f -> from.relativize(f).toString().isEmpty()
                    || java.util.stream.StreamSupport.stream(from.relativize(f).spliterator(), false)
                            .noneMatch(part -> NOT_COPIED.contains(part.toString()))).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** Renders an overlay of the fixture with kubectl's built-in kustomize. */
    String render(String overlay) {
        return kustomize(root.resolve("overlays").resolve(overlay));
    }

    static String kustomize(Path dir) {
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as("kubectl kustomize " + dir).isZero();
            return out;
        } catch (IOException e) {
            throw new AssertionError("kubectl is needed on PATH for this test (kubectl kustomize): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
