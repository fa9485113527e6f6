import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * A copy of the repository's GitOps tree for verify.java's tests ({@code VerifyTests}, {@code VerifyProductionTests}):
 * each test plants defects in its copy, runs verify on it and asserts the findings.
 */
abstract class VerifyFixture {

    static final Path REPO = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tree;

    record Run(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    @BeforeEach
    void copyTree() throws IOException {
        for (String dir : List.of("base", "overlays", "clusters", "scripts/data")) copy(REPO.resolve(dir), tree.resolve(dir));
        for (String file : List.of("README.md", "scripts/loader.java", ".github/CODEOWNERS")) {
            if (Files.exists(REPO.resolve(file))) {
                Files.createDirectories(tree.resolve(file).getParent());
                Files.copy(REPO.resolve(file), tree.resolve(file));
            }
        }
        // the pinned schemas and their installed packages are shared with the repository (installed once)
        Files.createSymbolicLink(tree.resolve("scripts/verify"), REPO.resolve("scripts/verify"));
    }

    @AfterEach
    void unlinkSchemas() throws IOException {
        Files.deleteIfExists(tree.resolve("scripts/verify"));
    }

    static void copy(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) return;
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                // a developer's real, git-ignored secret files stay out: the copy behaves like a fresh clone
                if (p.getFileName().toString().endsWith(".env") || p.getFileName().toString().endsWith(".pem")) continue;
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    Run verify(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new verify());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("--repo", tree.toString()));
        all.addAll(List.of(args));
        int code = cmd.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    void edit(String file, String from, String to) throws IOException {
        Path p = tree.resolve(file);
        String text = Files.readString(p);
        assertThat(text).as("test setup: %s must contain %s", file, from).contains(from);
        Files.writeString(p, text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
    }

    void write(String file, String text) throws IOException {
        Files.createDirectories(tree.resolve(file).getParent());
        Files.writeString(tree.resolve(file), text);
    }

    static void assertFinding(Run run, String file, String object, String field, String rule) {
        assertThat(run.lines()).as(run.out + run.err)
                .anySatisfy(l -> assertThat(l).startsWith(file + " · " + object + " · " + field + " · " + rule + " · "));
    }
}
