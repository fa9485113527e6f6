// Schema check for scripts/verify.java, run with the pinned packages of package.json (offline).
// Reads {"objects": [...], "crds": {"group/version/Kind": openAPIV3Schema}} from the file named by
// argv[2] and prints a JSON array of findings: {"index", "path", "rule", "message"}.
//  - built-in kinds and Argo CD kinds: the ajv validators shipped in kubernetes-models and
//    @kubernetes-models/* (types, required fields, enums), plus unknown fields found by walking
//    the packages' TypeScript interfaces (the validators alone let unknown fields through);
//  - kinds whose CRD schema is in crds/: ajv on that schema with unknown fields forbidden, as the
//    API server's pruning would silently drop them.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));
const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
// model packages tried in order for apiVersion group/version and kind
const modelPackages = Object.keys(JSON.parse(readFileSync(join(here, "package.json"), "utf8")).dependencies)
  .filter((name) => name === "kubernetes-models" || name.startsWith("@kubernetes-models/"));

const findings = [];
const add = (index, path, rule, message) => findings.push({ index, path: path || "/", rule, message });

function moduleCandidates(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return modelPackages.map((pkg) => (group ? `${pkg}/${group}/${version}/${kind}` : `${pkg}/${version}/${kind}`));
}

async function loadModel(apiVersion, kind) {
  for (const spec of moduleCandidates(apiVersion, kind)) {
    try {
      const mod = await import(spec);
      if (mod[kind]) return { spec, model: mod[kind] };
    } catch (e) {
      if (e.code !== "ERR_MODULE_NOT_FOUND" && e.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw e;
    }
  }
  return null;
}

// ---- CRD schemas: forbid unknown fields, understand the x-kubernetes extensions ----
function strict(schema) {
  if (Array.isArray(schema)) return schema.map(strict);
  if (!schema || typeof schema !== "object") return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) out[k] = ["enum", "required", "default", "example"].includes(k) ? v : strict(v);
  if (out["x-kubernetes-int-or-string"]) {
    delete out.type;
    out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  if (out.properties && !out["x-kubernetes-preserve-unknown-fields"] && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  if (out.nullable) {
    out.type = out.type ? [].concat(out.type, "null") : undefined;
    delete out.nullable;
  }
  return out;
}

function crdSchema(schema) {
  const s = strict(schema);
  s.properties = { ...(s.properties || {}), apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" } };
  return s;
}

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });

function ajvMessage(e) {
  if (e.keyword === "additionalProperties") return { path: `${e.instancePath}/${e.params.additionalProperty}`, rule: "unknown-field", message: `unknown field "${e.params.additionalProperty}"` };
  if (e.keyword === "required") return { path: e.instancePath, rule: "required", message: `missing required field "${e.params.missingProperty}"` };
  if (e.keyword === "enum") return { path: e.instancePath, rule: "enum", message: `must be one of ${e.params.allowedValues.join(", ")}` };
  if (e.keyword === "type") return { path: e.instancePath, rule: "type", message: `must be ${e.params.type}` };
  return { path: e.instancePath, rule: "schema", message: e.message };
}

// ---- unknown fields: walk the value along the TypeScript interface of the model ----
function makeChecker(modules) {
  const file = join(here, "__verify_types__.ts");
  const text = modules.map((m, i) => `import type { I${m.kind} as T${i} } from "${m.spec}";\nexport type X${i} = T${i};\n`).join("");
  const options = { noEmit: true, skipLibCheck: true, types: [], module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022 };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang) => (name === file ? ts.createSourceFile(name, text, lang) : getSourceFile(name, lang));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const types = source.statements.filter(ts.isTypeAliasDeclaration).map((s) => checker.getTypeAtLocation(s.name));
  return { checker, source, types };
}

function walkUnknown({ checker, source }, type, value, path, index) {
  if (value === null || typeof value !== "object") return;
  type = checker.getNonNullableType(type);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
  const members = type.isUnion() ? type.types.filter((t) => t.flags & ts.TypeFlags.Object) : [type];
  if (members.length === 0) return;
  if (Array.isArray(value)) {
    const element = members.map((t) => t.getNumberIndexType()).find(Boolean);
    if (element) value.forEach((v, i) => walkUnknown({ checker, source }, element, v, `${path}/${i}`, index));
    return;
  }
  const stringIndex = members.map((t) => t.getStringIndexType()).find(Boolean);
  const known = members.some((t) => checker.getPropertiesOfType(t).length > 0);
  if (!known && !stringIndex) return; // an open object: nothing to say
  for (const [key, v] of Object.entries(value)) {
    const prop = members.map((t) => t.getProperty(key)).find(Boolean);
    if (prop) walkUnknown({ checker, source }, checker.getTypeOfSymbolAtLocation(prop, source), v, `${path}/${key}`, index);
    else if (stringIndex) walkUnknown({ checker, source }, stringIndex, v, `${path}/${key}`, index);
    else add(index, `${path}/${key}`, "unknown-field", `unknown field "${key}"`);
  }
}

const modelsByKey = new Map();
const checked = [];
for (const [index, obj] of input.objects.entries()) {
  if (!obj || typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") {
    add(index, "/", "required", "missing apiVersion or kind");
    continue;
  }
  const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
  const crd = input.crds[`${group}/${version}/${obj.kind}`];
  if (crd) {
    const validate = ajv.compile(crdSchema(crd));
    if (!validate(obj)) for (const e of validate.errors) { const m = ajvMessage(e); add(index, m.path, m.rule, m.message); }
    continue;
  }
  const key = `${obj.apiVersion}/${obj.kind}`;
  if (!modelsByKey.has(key)) modelsByKey.set(key, await loadModel(obj.apiVersion, obj.kind));
  const found = modelsByKey.get(key);
  if (!found) {
    add(index, "/", "no-schema", `no schema for ${obj.apiVersion} ${obj.kind}: add its CRD to scripts/verify/crds/ or a model package to scripts/verify/package.json`);
    continue;
  }
  try {
    new found.model(obj).validate();
  } catch (e) {
    if (!e.errors) throw e;
    for (const err of e.errors) { const m = ajvMessage(err); add(index, m.path, m.rule, m.message); }
  }
  checked.push({ index, obj, key });
}

if (checked.length > 0) {
  const modules = [...modelsByKey.entries()].filter(([, v]) => v).map(([key, v]) => ({ key, spec: v.spec, kind: key.split("/").pop() }));
  const tc = makeChecker(modules);
  const typeOf = new Map(modules.map((m, i) => [m.key, tc.types[i]]));
  for (const { index, obj, key } of checked) walkUnknown(tc, typeOf.get(key), obj, "", index);
}

process.stdout.write(JSON.stringify(findings));
