import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Schema rule of scripts/verify.java: every rendered object against the pinned, offline schemas of
 * scripts/verify/ (npm packages kubernetes-models and @kubernetes-models/argo-cd, and the CRD schemas
 * in scripts/verify/crds/). Installs the packages into scripts/verify/node_modules (git-ignored) on
 * first use with npm ci, from the committed package-lock.json.
 */
public final class VerifySchema {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path tools;

    /** @param tools the scripts/verify folder (package.json, package-lock.json, validate.mjs, crds/) */
    public VerifySchema(Path tools) {
        this.tools = tools;
    }

    public List<VerifyTree.Finding> check(List<VerifyTree.Resource> resources) {
        if (resources.isEmpty()) return List.of();
        install();
        try {
            Path input = Files.createTempFile("verify-objects", ".json");
            try {
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("objects", resources.stream().map(VerifySchema::redacted).toList());
                payload.put("crds", crdSchemas());
                JSON.writeValue(input.toFile(), payload);
                JsonNode out = JSON.readTree(node(input));
                List<VerifyTree.Finding> findings = new ArrayList<>();
                for (JsonNode f : out) {
                    VerifyTree.Resource r = resources.get(f.get("index").asInt());
                    findings.add(r.finding(field(f.get("path").asText()), "schema/" + f.get("rule").asText(), fix(f)));
                }
                return findings;
            } finally {
                Files.deleteIfExists(input);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Secret values never leave this process: the schema check sees the keys only. */
    static Map<String, Object> redacted(VerifyTree.Resource r) {
        if (!"Secret".equals(r.kind())) return r.body();
        Map<String, Object> copy = new LinkedHashMap<>(r.body());
        for (String field : List.of("data", "stringData")) {
            if (copy.get(field) instanceof Map<?, ?> m) {
                Map<String, Object> keys = new LinkedHashMap<>();
                m.keySet().forEach(k -> keys.put(String.valueOf(k), ""));
                copy.put(field, keys);
            }
        }
        return copy;
    }

    private static String fix(JsonNode f) {
        String msg = f.get("message").asText();
        return f.get("rule").asText().equals("unknown-field") ? msg + ": fix the spelling or remove it (the API server would reject or drop it)" : msg;
    }

    /** JSON pointer /spec/template/spec/containers/0/imagee -> spec.template.spec.containers[0].imagee */
    static String field(String pointer) {
        if (pointer.isEmpty() || pointer.equals("/")) return "-";
        StringBuilder sb = new StringBuilder();
        for (String part : pointer.substring(1).split("/")) {
            part = part.replace("~1", "/").replace("~0", "~");
            if (part.matches("\\d+")) sb.append('[').append(part).append(']');
            else sb.append(sb.length() == 0 ? "" : ".").append(part);
        }
        return sb.toString();
    }

    /** "group/version/Kind" -> openAPIV3Schema of every CRD in crds/. */
    Map<String, Object> crdSchemas() {
        Map<String, Object> out = new LinkedHashMap<>();
        Path dir = tools.resolve("crds");
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                Map<String, Object> crd = VerifyTree.loadYaml(f);
                String group = VerifyTree.str(crd, "spec", "group");
                String kind = VerifyTree.str(crd, "spec", "names", "kind");
                for (Map<String, Object> v : VerifyTree.maps(crd, "spec", "versions")) {
                    out.put(group + "/" + v.get("name") + "/" + kind, VerifyTree.at(v, "schema", "openAPIV3Schema"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    // ---------------------------------------------------------------- node and npm

    /** npm ci from the committed lock file, unless node_modules already matches it. */
    public void install() {
        Path modules = tools.resolve("node_modules");
        Path stamp = modules.resolve(".verify-lock-sha256");
        String want = sha256(tools.resolve("package-lock.json"));
        try {
            if (Files.isRegularFile(stamp) && Files.readString(stamp).strip().equals(want)) return;
        } catch (IOException e) {
            // reinstall
        }
        if (!VerifyTree.onPath("npm") || !VerifyTree.onPath("node")) {
            throw new VerifyTree.ToolMissing("node and npm are needed for the schema check: install Node.js 20 or newer and run verify again");
        }
        System.err.println("verify: installing the pinned schemas into " + modules + " (npm ci, once)");
        int code = exec(List.of("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"), 600, null);
        if (code != 0) {
            throw new VerifyTree.ToolMissing("npm ci in " + tools + " failed: check that the npm registry is reachable, then run verify again");
        }
        try {
            Files.writeString(stamp, want);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String node(Path input) throws IOException {
        Path out = Files.createTempFile("verify-findings", ".json");
        try {
            int code = exec(List.of("node", tools.resolve("validate.mjs").toString(), input.toString()), 300, out);
            if (code != 0) {
                throw new VerifyTree.ToolMissing("the schema check (node " + tools.resolve("validate.mjs") + ") failed with exit code " + code
                        + ": delete " + tools.resolve("node_modules") + " and run verify again");
            }
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private int exec(List<String> cmd, int seconds, Path stdout) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(tools.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.redirectOutput(stdout == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(stdout.toFile()));
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
