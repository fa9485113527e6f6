// PromQL check for scripts/verify.java and the metric-name test of apps/system-tests, with the
// Prometheus project's own grammar (@prometheus-io/lezer-promql, pinned in package.json).
// Reads {"expressions": ["...", ...]} from the file named by argv[2] and prints a JSON array, one entry
// per expression: {"errors": [{"column", "message"}], "metrics": ["metric_name", ...]}.
//  - errors: where the parser had to recover (lezer marks those spots with error nodes);
//  - metrics: the metric names the expression selects (`name{...}` and `{__name__="name"}`).
// Grafana's interval variables ($__rate_interval, $__interval, $__range, ${__...}) are replaced by 5m
// first, as Grafana does before it sends a query; other dashboard variables must sit inside strings.
import { readFileSync } from "node:fs";
import { parser } from "@prometheus-io/lezer-promql";

const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
const GRAFANA_INTERVAL = /\$\{__[a-z_]+\}|\$__[a-z_]+/g;

function unquote(s) {
  try {
    return s.startsWith("`") ? s.slice(1, -1) : JSON.parse(s.startsWith("'") ? `"${s.slice(1, -1).replace(/"/g, '\\"')}"` : s);
  } catch {
    return s.slice(1, -1);
  }
}

function check(raw) {
  const expr = raw.replace(GRAFANA_INTERVAL, "5m");
  const errors = [];
  const metrics = new Set();
  if (expr.trim() === "") return { errors: [{ column: 1, message: "empty expression" }], metrics: [] };
  const tree = parser.parse(expr);
  tree.iterate({
    enter(node) {
      if (node.type.isError) {
        const near = expr.slice(node.from, node.from + 20);
        errors.push({ column: node.from + 1, message: near ? `syntax error at column ${node.from + 1} near '${near}'` : `syntax error at column ${node.from + 1}: the expression ends too early` });
        return false;
      }
      if (node.name === "VectorSelector") {
        const id = node.node.getChild("Identifier");
        if (id) metrics.add(expr.slice(id.from, id.to));
      }
      if (node.name === "UnquotedLabelMatcher" || node.name === "QuotedLabelMatcher") {
        const label = node.node.getChild("LabelName") || node.node.getChild("QuotedLabelName");
        const op = node.node.getChild("MatchOp");
        const value = node.node.getChild("StringLiteral");
        const labelText = label ? expr.slice(label.from, label.to) : "";
        const labelName = /^["'`]/.test(labelText) ? unquote(labelText) : labelText;
        if (labelName === "__name__" && value) {
          const name = unquote(expr.slice(value.from, value.to));
          if (op && expr.slice(op.from, op.to) === "=") metrics.add(name);
          else errors.push({ column: node.from + 1, message: `__name__ must be matched with = (not a regex) so the metric name can be checked: ${expr.slice(node.from, node.to)}` });
        }
      }
      return undefined;
    },
  });
  return { errors, metrics: [...metrics].sort() };
}

process.stdout.write(JSON.stringify(input.expressions.map(check)));
