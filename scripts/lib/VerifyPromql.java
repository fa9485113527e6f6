import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Monitoring rules of scripts/verify.java: every PromQL expression of a PrometheusRule and of a Grafana
 * dashboard (a ConfigMap labelled grafana_dashboard) parses with the Prometheus project's own grammar
 * (scripts/verify/promql.mjs); every alert has a severity, a summary and a description that names the
 * command to run first; a dashboard is valid JSON.
 */
public final class VerifyPromql {

    static final String DASHBOARD_LABEL = "grafana_dashboard";
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One expression and where it is. */
    public record Expression(VerifyTree.Resource resource, String field, String expr) { }

    private final Path tools;
    private final List<VerifyTree.Finding> findings = new ArrayList<>();

    /** @param tools the scripts/verify folder (promql.mjs and its installed packages) */
    public VerifyPromql(Path tools) {
        this.tools = tools;
    }

    public List<VerifyTree.Finding> check(List<VerifyTree.Resource> resources) {
        List<Expression> expressions = new ArrayList<>();
        for (VerifyTree.Resource r : resources) {
            if (r.kind().equals("PrometheusRule")) rules(r, expressions);
            if (r.kind().equals("ConfigMap") && VerifyTree.map(r.body(), "metadata", "labels").containsKey(DASHBOARD_LABEL)) dashboard(r, expressions);
        }
        if (!expressions.isEmpty()) {
            JsonNode results = parse(tools, expressions.stream().map(Expression::expr).toList());
            for (int i = 0; i < expressions.size(); i++) {
                Expression e = expressions.get(i);
                for (JsonNode err : results.get(i).get("errors")) {
                    findings.add(e.resource().finding(e.field(), "promql", err.get("message").asText() + ": fix the expression (try it in Prometheus's Graph page)"));
                }
            }
        }
        return findings;
    }

    // ---------------------------------------------------------------- where expressions are

    private void rules(VerifyTree.Resource r, List<Expression> out) {
        List<Map<String, Object>> groups = VerifyTree.maps(r.body(), "spec", "groups");
        for (int g = 0; g < groups.size(); g++) {
            List<Map<String, Object>> rules = VerifyTree.maps(groups.get(g), "rules");
            for (int i = 0; i < rules.size(); i++) {
                Map<String, Object> rule = rules.get(i);
                String field = "spec.groups[" + g + "].rules[" + i + "]";
                if (rule.get("expr") != null) out.add(new Expression(r, field + ".expr", String.valueOf(rule.get("expr"))));
                if (rule.get("alert") != null) alert(r, field, rule);
            }
        }
    }

    private void alert(VerifyTree.Resource r, String field, Map<String, Object> rule) {
        String severity = VerifyTree.str(rule, "labels", "severity");
        if (severity == null || !SEVERITIES.contains(severity)) {
            findings.add(r.finding(field + ".labels.severity", "alert-rule", "give alert " + rule.get("alert") + " a severity label: critical (someone must act now), warning or info"));
        }
        String summary = VerifyTree.str(rule, "annotations", "summary");
        if (summary == null || summary.isBlank()) {
            findings.add(r.finding(field + ".annotations.summary", "alert-rule", "give alert " + rule.get("alert") + " a one-line summary annotation"));
        }
        String description = VerifyTree.str(rule, "annotations", "description");
        if (description == null || !description.matches("(?s).*`[^`]+`.*")) {
            findings.add(r.finding(field + ".annotations.description", "alert-rule", "give alert " + rule.get("alert")
                    + " a description that names the command to run first in backquotes, e.g. `jbang scripts/logs.java s2 --errors`"));
        }
    }

    private void dashboard(VerifyTree.Resource r, List<Expression> out) {
        for (Map.Entry<String, Object> e : VerifyTree.map(r.body(), "data").entrySet()) {
            if (!e.getKey().endsWith(".json")) continue;
            JsonNode dash;
            try {
                dash = JSON.readTree(String.valueOf(e.getValue()));
            } catch (IOException ex) {
                findings.add(r.finding("data." + e.getKey(), "dashboard", "not valid JSON (" + ex.getMessage().lines().findFirst().orElse("") + "): export the dashboard from Grafana again"));
                continue;
            }
            panels(r, "data." + e.getKey() + " panels", dash.path("panels"), out);
        }
    }

    /** Panels and the panels of collapsed rows, each target's expr. */
    private static void panels(VerifyTree.Resource r, String path, JsonNode panels, List<Expression> out) {
        for (int p = 0; p < panels.size(); p++) {
            JsonNode panel = panels.get(p);
            JsonNode targets = panel.path("targets");
            for (int t = 0; t < targets.size(); t++) {
                JsonNode expr = targets.get(t).get("expr");
                if (expr != null && expr.isTextual()) out.add(new Expression(r, path + "[" + p + "].targets[" + t + "].expr", expr.asText()));
            }
            if (panel.has("panels")) panels(r, path + "[" + p + "].panels", panel.get("panels"), out);
        }
    }

    // ---------------------------------------------------------------- node

    /**
     * Runs scripts/verify/promql.mjs (the packages must be installed, see VerifySchema) on the expressions;
     * one result per expression: {"errors": [{"column", "message"}], "metrics": [...]}.
     */
    public static JsonNode parse(Path tools, List<String> expressions) {
        try {
            Path input = Files.createTempFile("verify-promql", ".json");
            Path output = Files.createTempFile("verify-promql", ".out.json");
            try {
                JSON.writeValue(input.toFile(), Map.of("expressions", expressions));
                Process p = new ProcessBuilder("node", tools.resolve("promql.mjs").toString(), input.toString()).directory(tools.toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT).redirectOutput(output.toFile()).start();
                p.getOutputStream().close();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new VerifyTree.ToolMissing("the PromQL check (node " + tools.resolve("promql.mjs") + ") took longer than 120 s");
                }
                if (p.exitValue() != 0) {
                    throw new VerifyTree.ToolMissing("the PromQL check (node " + tools.resolve("promql.mjs") + ") failed with exit code " + p.exitValue()
                            + ": delete " + tools.resolve("node_modules") + " and run verify again");
                }
                JsonNode results = JSON.readTree(output.toFile());
                if (results == null || results.size() != expressions.size()) {
                    throw new VerifyTree.ToolMissing("the PromQL check answered " + (results == null ? 0 : results.size()) + " results for " + expressions.size() + " expressions");
                }
                return results;
            } finally {
                Files.deleteIfExists(input);
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerifyTree.ToolMissing("interrupted");
        }
    }
}
