import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ./jbang wrapper at the repo root, run as a real process on real tiny scripts. */
class JbangTests {

    static final Path ROOT = Path.of(System.getProperty("repo.root", "../")).toAbsolutePath().normalize();
    static final Path WRAPPER = ROOT.resolve("jbang");

    @TempDir
    static Path scripts;

    @BeforeAll
    static void writeScripts() throws IOException {
        Files.writeString(scripts.resolve("echoargs.java"), """
                ///usr/bin/env jbang "$0" "$@" ; exit $?
                class echoargs {
                    public static void main(String[] args) {
                        for (String a : args) System.out.println("[" + a + "]");
                    }
                }
                """);
        Files.writeString(scripts.resolve("exitwith.java"), """
                ///usr/bin/env jbang "$0" "$@" ; exit $?
                class exitwith {
                    public static void main(String[] args) {
                        System.exit(Integer.parseInt(args[0]));
                    }
                }
                """);
    }

    @Test
    void passesArgumentsWithSpacesQuotesAndDollarsUnchanged() throws Exception {
        List<String> args = List.of("two words", "it's", "say \"hi\"", "$HOME", "${PATH}", "`id`", "$(id)",
                "back\\slash", "*", ";exit 3", "line1\nline2", "-Dx=1 -Dy=2", "é ü");
        Result r = run(Map.of(), concat(List.of(scripts.resolve("echoargs.java").toString()), args));
        assertThat(r.code).as(r.err).isZero();
        List<String> expected = new ArrayList<>();
        for (String a : args) expected.add("[" + a + "]");
        assertThat(r.out).isEqualTo(String.join("\n", expected) + "\n");
    }

    @Test
    void passesExitCodesUnchanged() throws Exception {
        for (int code : new int[] {0, 1, 2, 7, 42}) {
            Result r = run(Map.of(), List.of(scripts.resolve("exitwith.java").toString(), String.valueOf(code)));
            assertThat(r.code).as("exit code of a script that exits %d; stderr: %s", code, r.err).isEqualTo(code);
        }
    }

    @Test
    void passesJBangsOwnOutputAndErrors() throws Exception {
        Result version = run(Map.of(), List.of("--version"));
        assertThat(version.code).isZero();
        assertThat(version.out + version.err).contains("0.132.1"); // jbang prints its version on stderr

        Result missing = run(Map.of(), List.of(scripts.resolve("nothere.java").toString()));
        assertThat(missing.code).isNotIn(0, 255);
        assertThat(missing.err).contains("nothere.java");
    }

    @Test
    void defersToJBangOnPath(@TempDir Path bin) throws Exception {
        Path fake = bin.resolve("jbang");
        Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do echo \"fake:$a\"; done\nexit 5\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Result r = runWithPath(bin + ":" + System.getenv("PATH"), List.of("x.java", "a b", "$c"), false);
        assertThat(r.code).isEqualTo(5);
        assertThat(r.out).isEqualTo("fake:x.java\nfake:a b\nfake:$c\n");
    }

    @Test
    void doesNotCallItselfWhenTheRepoRootIsOnPath() throws Exception {
        Result r = runWithPath(ROOT + ":" + System.getenv("PATH"),
                List.of(scripts.resolve("echoargs.java").toString(), "ok"), false);
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).isEqualTo("[ok]\n");
    }

    @Test
    void fetchesJBangOnceIntoDotJbangOnAFreshClone(@TempDir Path clone) throws Exception {
        Path wrapper = freshClone(clone);
        Result first = exec(clone, Map.of("JBANG_WRAPPER_IGNORE_PATH", "true"), List.of(wrapper.toString(), "--version"));
        assertThat(first.code).as(first.err).isZero();
        assertThat(first.err).contains("fetching JBang 0.132.1");
        assertThat(first.err).contains("0.132.1");
        assertThat(clone.resolve(".jbang/jbang-cli-0.132.1-all.jar")).isRegularFile();
        try (var files = Files.list(clone.resolve(".jbang"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("jbang-cli-0.132.1-all.jar");
        }

        Result second = exec(clone, Map.of("JBANG_WRAPPER_IGNORE_PATH", "true"), List.of(wrapper.toString(), "--version"));
        assertThat(second.code).isZero();
        assertThat(second.err).doesNotContain("fetching");
    }

    @Test
    void saysWhatToDoWhenJBangCannotBeFetched(@TempDir Path clone, @TempDir Path emptyRepo) throws Exception {
        Path wrapper = freshClone(clone);
        Result r = exec(clone, Map.of("JBANG_WRAPPER_IGNORE_PATH", "true",
                "MAVEN_ARGS", "-o -Dmaven.repo.local=" + emptyRepo), List.of(wrapper.toString(), "--version"));
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("could not fetch dev.jbang:jbang-cli:0.132.1");
        assertThat(clone.resolve(".jbang/jbang-cli-0.132.1-all.jar")).doesNotExist();
    }

    /** The files of a clone the wrapper needs: itself, the Maven wrapper and the root pom. */
    static Path freshClone(Path clone) throws IOException {
        for (String f : List.of("jbang", "mvnw", "pom.xml", ".mvn/wrapper/maven-wrapper.properties")) {
            Path target = clone.resolve(f);
            Files.createDirectories(target.getParent());
            Files.copy(ROOT.resolve(f), target);
        }
        Files.setPosixFilePermissions(clone.resolve("jbang"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(clone.resolve("mvnw"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return clone.resolve("jbang");
    }

    static Result run(Map<String, String> env, List<String> args) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("JBANG_WRAPPER_IGNORE_PATH", "true");
        return exec(scripts, all, concat(List.of(WRAPPER.toString()), args));
    }

    static Result runWithPath(String path, List<String> args, boolean ignorePath) throws Exception {
        return exec(scripts, Map.of("PATH", path, "JBANG_WRAPPER_IGNORE_PATH", String.valueOf(ignorePath)),
                concat(List.of(WRAPPER.toString()), args));
    }

    static Result exec(Path dir, Map<String, String> env, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().remove("MAVEN_ARGS");
        pb.environment().putAll(env);
        Path out = Files.createTempFile("jbang-out", ".txt");
        Path err = Files.createTempFile("jbang-err", ".txt");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("./jbang did not finish within 5 minutes: " + command);
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    record Result(int code, String out, String err) {}
}
