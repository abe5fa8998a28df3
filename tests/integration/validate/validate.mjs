// Validates what `gpuplan emit` wrote, offline: Kubernetes objects with
// kubernetes-models' bundled schemas, Kueue objects with kueue.schema.json,
// SkyPilot tasks with sky-task.schema.json, plans with
// docs/plan.schema.json. Prints one line per problem; exit 1 if any.
// Usage: node validate.mjs FILE...
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2019 from "ajv/dist/2019.js";
import { parseAllDocuments } from "yaml";
import { Job } from "kubernetes-models/batch/v1";
import { Deployment } from "kubernetes-models/apps/v1";

const here = dirname(fileURLToPath(import.meta.url));
const ajv = new Ajv2019({ allErrors: true, strict: false });
const schema = (p) => ajv.compile(JSON.parse(readFileSync(p, "utf8")));
const kueue = schema(join(here, "kueue.schema.json"));
const sky = schema(join(here, "sky-task.schema.json"));
const plan = schema(join(here, "../../../docs/plan.schema.json"));
const k8s = { Job, Deployment };
let bad = 0;

function report(file, what, errors) {
  for (const e of errors) {
    console.log(`${file}: ${what}: ${e.instancePath || "/"} ${e.message}`);
    bad++;
  }
}

function check(file, doc) {
  if (file.endsWith(".json"))
    return plan(doc) || report(file, "plan", plan.errors);
  if (doc.apiVersion && doc.apiVersion.startsWith("kueue.x-k8s.io/"))
    return kueue(doc) || report(file, doc.kind, kueue.errors);
  if (doc.kind in k8s) {
    try {
      new k8s[doc.kind](doc).validate();
    } catch (e) {
      report(file, doc.kind, [{ instancePath: "", message: e.message }]);
    }
    return;
  }
  if (doc.resources || doc.run)
    return sky(doc) || report(file, "SkyPilot task", sky.errors);
  report(file, "unknown", [{ instancePath: "", message: "not a known object" }]);
}

if (process.argv.length < 3) {
  console.log("validate.mjs: no file to validate");
  process.exit(1);
}
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  if (file.endsWith(".json")) {
    check(file, JSON.parse(text));
    continue;
  }
  for (const d of parseAllDocuments(text)) {
    if (d.errors.length) {
      report(file, "YAML", d.errors.map((e) => ({ message: e.message })));
      continue;
    }
    const doc = d.toJS();
    if (doc !== null) check(file, doc);
  }
}
process.exit(bad ? 1 : 0);
