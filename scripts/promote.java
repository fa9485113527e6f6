///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DESCRIPTION Set a service's image tag in the overlays: jbang scripts/promote.java s2 3f1c2e9 --overlay minikube

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

@Command(name = "promote", mixinStandardHelpOptions = true,
        description = {
                "Sets newTag (or digest, or both: <tag>@<digest>) of the images: entry named <service> in",
                "overlays/<overlay>/kustomization.yaml.",
                "Only that one value changes; comments, order and every other byte of the file stay as they were.",
                "Argo CD deploys the change once it is committed and pushed."},
        footer = {"",
                "Examples:",
                "  jbang scripts/promote.java s2 3f1c2e94b0d7a8c6e5f4d3c2b1a09f8e7d6c5b4a",
                "  jbang scripts/promote.java music 1.4.0 --overlay all",
                "  jbang scripts/promote.java db <commit sha>@sha256:<64 hex digits> --overlay eks",
                "  jbang scripts/promote.java loader <commit sha> --overlay eks/sample-data",
                "  jbang scripts/promote.java s2 --overlay all     (prints the current tags)",
                "Exit codes: 0 done (or already at that tag), 1 an overlay file is missing or has no entry"
                        + " for the service, 2 usage error (unknown service, invalid tag, unknown overlay)."})
public class promote implements Callable<Integer> {

    static final Map<String, String> SERVICES = Map.of(
            "db", "db", "datastore", "db",
            "s1", "s1", "users", "s1",
            "s2", "s2", "music", "s2",
            "loader", "loader");

    /** OCI distribution spec: a tag is at most 128 characters of [A-Za-z0-9_.-], not starting with . or -. */
    static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}");
    /** An overlay folder, or a kustomization inside one (eks/sample-data: the loader Job EKS runs on request). */
    static final Pattern OVERLAY_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)?");

    @Parameters(index = "0", paramLabel = "<service>", description = "db, s1, s2 or loader (or datastore, users, music)")
    String service;

    @Parameters(index = "1", paramLabel = "<tag>", arity = "0..1",
            description = "image tag (e.g. the commit SHA), digest (sha256:<64 hex>) or both (<tag>@<digest>, what the release writes);"
                    + " without it, prints the overlay's current tag instead of changing it")
    String tag;

    @Option(names = "--overlay", paramLabel = "<name>", defaultValue = "minikube",
            description = "overlay to change: minikube, eks, eks/sample-data (the loader on EKS), any folder under overlays/,"
                    + " or all (the top-level ones; default: ${DEFAULT-VALUE})")
    String overlay;

    @Option(names = "--repo-root", paramLabel = "<dir>",
            description = "repository root holding overlays/ (default: the nearest parent of the current folder that has one)")
    Path repoRoot;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String... args) {
        System.exit(new CommandLine(new promote()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        String name = SERVICES.get(service);
        if (name == null) {
            err.println("Unknown service '" + service + "': use one of db, s1, s2, loader (or datastore, users, music).");
            return 2;
        }
        if (tag != null && !validReference(tag)) {
            err.println("'" + tag + "' is neither an image tag (up to 128 of A-Z a-z 0-9 _ . -, not starting with . or -),"
                    + " a digest (sha256:<64 lowercase hex>) nor both (<tag>@<digest>): pass the commit SHA, a version,"
                    + " or the pushed digest.");
            return 2;
        }
        if (!"all".equals(overlay) && !OVERLAY_NAME.matcher(overlay).matches()) {
            err.println("'" + overlay + "' is not an overlay name: use minikube, eks, eks/sample-data, another folder under overlays/, or all.");
            return 2;
        }
        Path root = repoRoot != null ? repoRoot : findRoot(Path.of("").toAbsolutePath());
        if (root == null || !Files.isDirectory(root.resolve("overlays"))) {
            err.println("No overlays/ folder found" + (repoRoot != null ? " in " + repoRoot : " here or above")
                    + ": run from inside the repository or pass --repo-root <dir>.");
            return 1;
        }
        List<String> known = overlays(root);
        List<String> targets = "all".equals(overlay) ? known : List.of(overlay);
        if (targets.isEmpty()) {
            err.println("No overlays/*/kustomization.yaml in " + root + ": create an overlay first.");
            return 1;
        }

        // Check every target before writing any, so --overlay all changes all overlays or none.
        List<Edit> edits = new ArrayList<>();
        for (String o : targets) {
            Path file = root.resolve("overlays").resolve(o).resolve("kustomization.yaml");
            String shown = "overlays/" + o + "/kustomization.yaml";
            if (!Files.isRegularFile(file)) {
                err.println(shown + " not found: use one of " + String.join(", ", known) + " (or all).");
                return 1;
            }
            String before = Files.readString(file, StandardCharsets.UTF_8);
            try {
                if (tag == null) {
                    String current = rewrite(before, name, "unused").old;
                    out.println(targets.size() == 1 ? current : o + " " + current);
                    continue;
                }
                Rewrite r = rewrite(before, name, tag);
                edits.add(new Edit(file, shown, before, r));
            } catch (IllegalStateException e) {
                err.println(shown + ": " + e.getMessage());
                return 1;
            }
        }
        if (tag == null) {
            return 0;
        }
        for (Edit e : edits) {
            if (e.result.text.equals(e.before)) {
                out.println(e.shown + ": " + name + " already at " + tag);
                continue;
            }
            Path tmp = e.file.resolveSibling(".kustomization.yaml.promote");
            Files.writeString(tmp, e.result.text, StandardCharsets.UTF_8);
            Files.move(tmp, e.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            out.println(e.shown + ": " + name + " " + e.result.old + " -> " + tag);
        }
        return 0;
    }

    /** A tag, a digest, or tag@digest (kustomize then renders name:tag@digest: readable, and pulled by digest). */
    static boolean validReference(String value) {
        int at = value.indexOf('@');
        if (at >= 0) {
            return TAG.matcher(value.substring(0, at)).matches() && DIGEST.matcher(value.substring(at + 1)).matches();
        }
        return value.contains(":") ? DIGEST.matcher(value).matches() : TAG.matcher(value).matches();
    }

    record Edit(Path file, String shown, String before, Rewrite result) {}

    record Rewrite(String text, String old) {}

    static Path findRoot(Path dir) {
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("overlays"))) {
                return d;
            }
        }
        return null;
    }

    static List<String> overlays(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("overlays"))) {
            return s.filter(p -> Files.isRegularFile(p.resolve("kustomization.yaml")))
                    .map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static final Pattern IMAGES_KEY = Pattern.compile("images\\s*:\\s*(#.*)?");
    private static final Pattern ITEM = Pattern.compile("( *)-( +)(.*)");
    private static final Pattern KEY = Pattern.compile("([A-Za-z]+)(\\s*:\\s*)(.*)");
    private static final Set<String> YAML_WORDS = Set.of("y", "n", "yes", "no", "true", "false", "on", "off", "null", "~");

    /**
     * Returns the text with the value of newTag (or digest) replaced in the images: entry named {@code name}.
     * Works on lines, not on a parsed tree, so that nothing else in the file changes.
     */
    static Rewrite rewrite(String text, String name, String value) {
        List<String> lines = splitKeepingEnds(text);
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (IMAGES_KEY.matcher(body(lines.get(i))).matches()) {
                start = i + 1;
                break;
            }
            if (body(lines.get(i)).matches("images\\s*:\\s*\\[.*")) {
                throw new IllegalStateException("images: is written in flow style [..]; write it as a block list"
                        + " (- name: " + name + ") and run again.");
            }
        }
        if (start < 0) {
            throw new IllegalStateException("no top-level images: list; add one with an entry for " + name + ".");
        }
        // The block ends at the next line that starts in column 0 with anything but '-' or '#'.
        int end = start;
        while (end < lines.size()) {
            String b = body(lines.get(end));
            if (!b.isEmpty() && !Character.isWhitespace(b.charAt(0)) && b.charAt(0) != '-' && b.charAt(0) != '#') {
                break;
            }
            end++;
        }
        // Entries: each starts at a '- ' line with the list's indentation.
        int itemIndent = -1;
        List<int[]> entries = new ArrayList<>();
        for (int i = start; i < end; i++) {
            Matcher m = ITEM.matcher(body(lines.get(i)));
            if (m.matches() && (itemIndent < 0 || m.group(1).length() == itemIndent)) {
                itemIndent = m.group(1).length();
                entries.add(new int[] {i, end});
                if (entries.size() > 1) {
                    entries.get(entries.size() - 2)[1] = i;
                }
            }
        }
        for (int[] entry : entries) {
            Map<String, Integer> keys = new java.util.HashMap<>();
            int keyIndent = -1;
            for (int i = entry[0]; i < entry[1]; i++) {
                String b = body(lines.get(i));
                int indent;
                String rest;
                Matcher item = ITEM.matcher(b);
                if (i == entry[0] && item.matches()) {
                    indent = item.group(1).length() + 1 + item.group(2).length();
                    rest = item.group(3);
                    keyIndent = indent;
                } else {
                    indent = b.length() - b.stripLeading().length();
                    rest = b.stripLeading();
                    if (indent != keyIndent) {
                        continue;
                    }
                }
                Matcher k = KEY.matcher(rest);
                if (k.matches()) {
                    keys.put(k.group(1), i);
                }
            }
            Integer nameLine = keys.get("name");
            if (nameLine == null || !name.equals(scalar(valueOf(lines.get(nameLine))))) {
                continue;
            }
            Integer tagLine = keys.get("newTag");
            Integer digestLine = keys.get("digest");
            Integer line = tagLine != null ? tagLine : digestLine;
            if (line == null) {
                throw new IllegalStateException("the images entry for " + name + " has no newTag;"
                        + " add 'newTag: <tag>' under 'name: " + name + "' and run again.");
            }
            String old = tagLine != null && digestLine != null
                    ? scalar(valueOf(lines.get(tagLine))) + "@" + scalar(valueOf(lines.get(digestLine)))
                    : scalar(valueOf(lines.get(line)));
            // the value names the whole reference: a tag alone drops an old digest (which would still pin the old image)
            int at = value.indexOf('@');
            List<String[]> refs = at >= 0 ? List.of(new String[] {"newTag", value.substring(0, at)}, new String[] {"digest", value.substring(at + 1)})
                    : List.<String[]>of(new String[] {value.contains(":") ? "digest" : "newTag", value});
            Integer other = line.equals(tagLine) ? digestLine : null;
            if (other != null) {
                lines.remove((int) other);
                if (other < line) {
                    line--;
                }
            }
            String anchor = lines.get(line);
            lines.set(line, replaceValue(anchor, refs.get(0)[0], refs.get(0)[1]));
            if (refs.size() > 1) {
                String eol = anchor.substring(body(anchor).length());
                lines.add(line + 1, " ".repeat(keyIndent) + refs.get(1)[0] + ": " + refs.get(1)[1] + (eol.isEmpty() ? "\n" : eol));
            }
            return new Rewrite(String.join("", lines), old);
        }
        throw new IllegalStateException("no images entry named " + name + "; add '- name: " + name + "' with newName"
                + " and newTag under images: and run again.");
    }

    /** The line without its line terminator. */
    static String body(String line) {
        return line.replaceAll("[\r\n]+$", "");
    }

    /** The raw text after "key:" on a line, without the line end. */
    static String valueOf(String line) {
        String b = body(line);
        int colon = b.indexOf(':');
        return b.substring(colon + 1);
    }

    /** A YAML scalar as a string: trims, drops a trailing comment and surrounding quotes. */
    static String scalar(String raw) {
        String v = raw.strip();
        if (v.startsWith("\"") || v.startsWith("'")) {
            int close = v.indexOf(v.charAt(0), 1);
            return close > 0 ? v.substring(1, close) : v.substring(1);
        }
        int hash = v.indexOf(" #");
        return (hash >= 0 ? v.substring(0, hash) : v).strip();
    }

    /** Replaces key and value on one line, keeping indentation, "- " prefix, quote style, comment and line end. */
    static String replaceValue(String line, String key, String value) {
        String b = body(line);
        String end = line.substring(b.length());
        Matcher m = Pattern.compile("(\\s*(?:-\\s+)?)([A-Za-z]+)(\\s*:\\s*)(\"[^\"]*\"|'[^']*'|[^#]*?)(\\s*(?:#.*)?)").matcher(b);
        if (!m.matches()) {
            throw new IllegalStateException("cannot read the line '" + b.strip() + "'; write it as 'newTag: <tag>'.");
        }
        String old = m.group(4);
        String quoted;
        if (old.startsWith("\"")) {
            quoted = "\"" + value + "\"";
        } else if (old.startsWith("'")) {
            quoted = "'" + value + "'";
        } else {
            quoted = needsQuotes(value) ? "\"" + value + "\"" : value;
        }
        return m.group(1) + key + m.group(3) + quoted + m.group(5) + end;
    }

    /** True when a plain YAML scalar would not read back as this string (a number, a date, a boolean, null). */
    static boolean needsQuotes(String v) {
        return YAML_WORDS.contains(v.toLowerCase(java.util.Locale.ROOT))
                || v.matches("[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?")
                || v.matches("0[xXoObB][0-9A-Fa-f_]+|\\.(inf|Inf|INF|nan|NaN|NAN)|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*");
    }

    static List<String> splitKeepingEnds(String text) {
        List<String> lines = new ArrayList<>();
        Matcher m = Pattern.compile("[^\n]*\n|[^\n]+$").matcher(text);
        while (m.find()) {
            lines.add(m.group());
        }
        return lines;
    }
}
