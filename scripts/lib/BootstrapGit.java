import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether Argo CD will see what this working tree holds: it reads the pushed repository, not the folder, so the
 * files it renders (clusters, overlays, base, scripts) must be committed and the branch pushed before bootstrap
 * hands the cluster to git. Asks the git command line; outside a git work tree it cannot tell and says so.
 */
public final class BootstrapGit {

    static final List<String> PATHS = List.of("clusters", "overlays", "base", "scripts");

    private BootstrapGit() {
    }

    /** Null when committed and pushed; else one sentence of what is missing. {@code note} gets what could not be checked. */
    public static String unpushed(Path repo, List<String> note) {
        Result top = git(repo, "rev-parse", "--is-inside-work-tree");
        if (top.code != 0) {
            note.add("not a git work tree, so bootstrap cannot tell whether Argo CD sees these files: push them before it syncs");
            return null;
        }
        List<String> status = new ArrayList<>(List.of("status", "--porcelain", "--"));
        status.addAll(PATHS);
        Result dirty = git(repo, status.toArray(String[]::new));
        if (!dirty.out.isBlank()) {
            return "uncommitted changes in " + String.join(", ", dirty.out.lines().map(l -> l.substring(Math.min(3, l.length()))).limit(4).toList())
                    + (dirty.out.lines().count() > 4 ? ", ..." : "");
        }
        Result upstream = git(repo, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}");
        if (upstream.code != 0) {
            note.add("the branch has no upstream, so bootstrap cannot tell whether it is pushed");
            return null;
        }
        Result ahead = git(repo, "rev-list", "--count", "@{u}..HEAD");
        if (ahead.code == 0 && !ahead.out.strip().equals("0")) {
            return ahead.out.strip() + " commit(s) not pushed to " + upstream.out.strip();
        }
        return null;
    }

    /**
     * Null when the remote of the current branch has {@code revision} (the branch repository.yaml makes Argo CD follow,
     * e.g. deploy/minikube, which the release keeps up to date but someone must push once), or when it cannot tell
     * (then {@code note} says so); else the command that creates it.
     */
    public static String missingBranch(Path repo, String revision, List<String> note) {
        if (revision.isBlank() || revision.equals("HEAD") || revision.matches("[0-9a-f]{7,40}")) {
            return null;
        }
        Result upstream = git(repo, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}");
        if (upstream.code != 0 || !upstream.out.contains("/")) {
            return null; // unpushed() has said that it cannot tell
        }
        String remote = upstream.out.strip().substring(0, upstream.out.strip().indexOf('/'));
        Result heads = git(repo, "ls-remote", "--heads", remote, revision);
        if (heads.code != 0) {
            note.add("cannot reach " + remote + " to check that it has branch " + revision + ", which Argo CD follows");
            return null;
        }
        return heads.out.isBlank() ? "git push " + remote + " HEAD:" + revision : null;
    }

    record Result(int code, String out) {
    }

    static Result git(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(1, "");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(1, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(1, "");
        }
    }
}
