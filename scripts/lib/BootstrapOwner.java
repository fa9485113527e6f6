import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * bootstrap.java --owner: points every {@code clusters/*&#47;repository.yaml} at {@code github.com/<owner>/<repo>} and
 * every overlay's images at {@code ghcr.io/<owner>/}, changing only those values, and returns the diff. The
 * commit is left to the person.
 */
public final class BootstrapOwner {

    /** A GitHub user or organisation name: 1-39 of letters, digits and single hyphens, not starting with one. */
    public static final Pattern OWNER = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}");
    private static final Pattern REPOSITORY_URL = Pattern.compile("^(\\s*url:\\s*https://github\\.com/)([^/\\s]+)(/\\S+)\\s*$");
    private static final Pattern IMAGE = Pattern.compile("^(\\s*newName:\\s*ghcr\\.io/)([^/\\s]+)(/\\S+)\\s*$");

    /** One changed line of a file. */
    public record Change(String file, int line, String before, String after) {
    }

    private BootstrapOwner() {
    }

    /** The changes --owner makes; writes them unless {@code dryRun}. Empty when everything already names the owner. */
    public static List<Change> rewrite(Path repo, String owner, boolean dryRun) {
        List<Change> changes = new ArrayList<>();
        for (Path file : files(repo)) {
            try {
                List<String> lines = Files.readAllLines(file);
                boolean changed = false;
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    String after = replace(line, REPOSITORY_URL, owner);
                    after = replace(after, IMAGE, owner.toLowerCase(Locale.ROOT)); // GHCR names are lower case
                    if (!after.equals(line)) {
                        changes.add(new Change(repo.relativize(file).toString().replace('\\', '/'), i + 1, line, after));
                        lines.set(i, after);
                        changed = true;
                    }
                }
                if (changed && !dryRun) Files.writeString(file, String.join("\n", lines) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return changes;
    }

    /** The owner named now: the first repository.yaml's GitHub user, or null. */
    public static String current(Path repo, String cluster) {
        try {
            for (String line : Files.readAllLines(repo.resolve("clusters").resolve(cluster).resolve("repository.yaml"))) {
                Matcher m = REPOSITORY_URL.matcher(line);
                if (m.matches()) return m.group(2);
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** The diff as a person reads it: {@code --- file}, then {@code -old} / {@code +new} per changed line. */
    public static List<String> diff(List<Change> changes) {
        List<String> out = new ArrayList<>();
        String file = null;
        for (Change c : changes) {
            if (!c.file().equals(file)) {
                file = c.file();
                out.add("--- a/" + file);
                out.add("+++ b/" + file);
            }
            out.add("@@ line " + c.line() + " @@");
            out.add("-" + c.before());
            out.add("+" + c.after());
        }
        return out;
    }

    private static String replace(String line, Pattern p, String owner) {
        Matcher m = p.matcher(line);
        return m.matches() && !m.group(2).equals(owner) ? m.group(1) + owner + m.group(3) : line;
    }

    private static List<Path> files(Path repo) {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("clusters", "overlays")) {
            Path start = repo.resolve(dir);
            if (!Files.isDirectory(start)) continue;
            // overlays/<cluster>/kustomization.yaml and the ones below it (overlays/eks/sample-data) name images
            String name = dir.equals("clusters") ? "repository.yaml" : "kustomization.yaml";
            try (Stream<Path> s = Files.walk(start, dir.equals("clusters") ? 2 : 3)) {
                for (Path f : s.filter(p -> p.getFileName().toString().equals(name) && !p.getParent().equals(start)).sorted().toList()) {
                    if (Files.isRegularFile(f)) files.add(f);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }
}
