// Validates what `gpuplan emit` wrote, offline, against the allocators'
// own schemas (tests/data/SOURCES.md): Kubernetes Jobs and Deployments
// with Kubernetes' standalone-strict JSON schemas of v1.30.0 and v1.32.2,
// Kueue objects with Kueue's CRDs (a pinned commit and v0.19.2), every
// object closed (an unknown field is an error); SkyPilot tasks with
// sky-task.schema.json (no upstream JSON schema exists); plans with
// docs/plan.schema.json. Then, per directory holding a kueue.yaml, the
// admissibility check: every queued Job's pods (parallelism of them) fit
// the ClusterQueue's quota of some flavour whose node labels agree with
// the pods' node selector, and every flavour has node labels.
// Prints one line per problem; exit 1 if any.
// Usage: node validate.mjs [--allow-deprecated] FILE...
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2019 from "ajv/dist/2019.js";
import { parseAllDocuments, parse } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const data = join(here, "../../data/schemas");
const ajv = new Ajv2019({ allErrors: true, strict: false, validateFormats: false });
const compile = (s) => ajv.compile(s);
const json = (p) => JSON.parse(readFileSync(p, "utf8"));
const gz = (p) => JSON.parse(gunzipSync(readFileSync(p)).toString("utf8"));

// Closes every object schema that lists its properties and says nothing
// of others (a CRD leaves them open unless told otherwise), the way the
// API server prunes and strict decoding rejects unknown fields.
function closed(s) {
  if (Array.isArray(s)) return s.map(closed);
  if (s === null || typeof s !== "object") return s;
  const o = {};
  for (const [k, v] of Object.entries(s)) o[k] = closed(v);
  if (o.properties && o.additionalProperties === undefined &&
      !o["x-kubernetes-preserve-unknown-fields"])
    o.additionalProperties = false;
  return o;
}

// Kueue: kind -> [{source, version, deprecated, validate}]
const kueue = {};
for (const dir of ["kueue", "kueue-v0.19.2"])
  for (const f of ["clusterqueues", "localqueues", "resourceflavors", "workloadpriorityclasses"]) {
    const crd = parse(readFileSync(join(data, dir, f + ".yaml"), "utf8"));
    for (const v of crd.spec.versions) {
      const kind = crd.spec.names.kind;
      const s = closed(v.schema.openAPIV3Schema);
      // apiVersion and kind must be these
      s.properties.apiVersion = { const: `${crd.spec.group}/${v.name}` };
      s.properties.kind = { const: kind };
      // spec is required of the kinds that have one (a
      // WorkloadPriorityClass has its value at the top)
      s.required = [...new Set([...(s.required || []), "apiVersion", "kind",
        ...(s.properties.spec ? ["spec"] : [])])];
      (kueue[`${crd.spec.group}/${v.name} ${kind}`] ||= []).push({
        source: dir, deprecated: !!v.deprecated, validate: compile(s),
      });
    }
  }
const k8s = {};
for (const ver of ["v1.30.0", "v1.32.2"])
  for (const [kind, f] of [["Job", "job-batch-v1"], ["Deployment", "deployment-apps-v1"]])
    (k8s[kind] ||= []).push({ source: ver, validate: compile(gz(join(data, "k8s", ver, f + ".json.gz"))) });
const sky = compile(json(join(here, "sky-task.schema.json")));
const namespace = compile(json(join(here, "namespace.schema.json")));
const plan = compile(json(join(here, "../../../docs/plan.schema.json")));
let bad = 0;
let allowDeprecated = false;

function report(file, what, errors) {
  for (const e of errors) {
    console.log(`${file}: ${what}: ${e.instancePath || "/"} ${e.message}`);
    bad++;
  }
}

function check(file, doc) {
  if (file.endsWith(".json"))
    return plan(doc) || report(file, "plan", plan.errors);
  if (typeof doc.apiVersion === "string" && doc.apiVersion.startsWith("kueue.x-k8s.io/")) {
    const vs = kueue[`${doc.apiVersion} ${doc.kind}`];
    if (!vs)
      return report(file, doc.kind, [{ message: `no CRD serves ${doc.apiVersion} ${doc.kind}` }]);
    for (const v of vs) {
      if (v.deprecated && !allowDeprecated)
        report(file, doc.kind, [{ message: `${doc.apiVersion} is deprecated (Kueue ${v.source})` }]);
      if (!v.validate(doc)) report(file, `${doc.kind} (Kueue ${v.source})`, v.validate.errors);
    }
    return;
  }
  if (doc.apiVersion === "v1" && doc.kind === "Namespace")
    return namespace(doc) || report(file, "Namespace", namespace.errors);
  if (doc.kind in k8s) {
    for (const v of k8s[doc.kind])
      if (!v.validate(doc)) report(file, `${doc.kind} (Kubernetes ${v.source})`, v.validate.errors);
    return;
  }
  if (doc.resources || doc.run) {
    if (!sky(doc)) return report(file, "SkyPilot task", sky.errors);
    return skyRules(file, doc);
  }
  report(file, "unknown", [{ instancePath: "", message: "not a known object" }]);
}

// What SkyPilot's schema cannot say: no candidate widens the task to any
// host (when one names a region, all do; every Vast offer has one); no instance type pinned on a
// marketplace (Vast rebuilds them daily); a service is a SkyServe one.
function skyRules(file, doc) {
  const c = doc.resources.any_of || [doc.resources];
  const regional = c.filter((r) => r.infra && r.infra.includes("/"));
  if (c.some((r) => r.infra === "vast") || (regional.length && regional.length < c.length))
    report(file, "SkyPilot task", [{ instancePath: "/resources/any_of", message: "a candidate without a region widens the task to any host" }]);
  for (const r of c)
    if (r.instance_type && /^vast(\/|$)/.test(r.infra || ""))
      report(file, "SkyPilot task", [{ instancePath: "/resources/any_of", message: `instance type ${r.instance_type} pinned on a marketplace` }]);
  if (/serve/.test(doc.run || "") && (!doc.service || !doc.resources.ports))
    report(file, "SkyPilot task", [{ message: "a service without 'service:' and 'ports'" }]);
}

// A Kubernetes quantity as a number ("500m", "64Gi", "8").
function quantity(q) {
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(q));
  if (!m) return NaN;
  const mult = { "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12,
    Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 }[m[2]];
  return mult === undefined ? NaN : Number(m[1]) * mult;
}

// What a ClusterQueue can give of one resource of one flavour: its
// nominal quota, plus what it may borrow (borrowingLimit, no limit when
// absent) of what the others of its cohort lend (their lendingLimit, or
// all their nominal quota), when they are idle.
function capacity(cq, cqs, flavor, res) {
  const find = (c) => {
    for (const g of c.spec.resourceGroups || [])
      for (const f of g.flavors)
        if (f.name === flavor)
          for (const r of f.resources) if (r.name === res) return r;
    return null;
  };
  const own = find(cq);
  if (!own) return 0;
  const cohort = cq.spec.cohortName ?? cq.spec.cohort;
  if (!cohort) return quantity(own.nominalQuota);
  let lent = 0;
  for (const o of cqs) {
    if (o === cq || o.metadata.name === cq.metadata.name) continue;
    if ((o.spec.cohortName ?? o.spec.cohort) !== cohort) continue;
    const r = find(o);
    if (r) lent += quantity(r.lendingLimit ?? r.nominalQuota);
  }
  const limit = own.borrowingLimit === undefined ? Infinity : quantity(own.borrowingLimit);
  return quantity(own.nominalQuota) + Math.min(limit, lent);
}

// Kueue admits a Job whole (no partial admission): its parallelism of
// pods must fit one flavour of its ClusterQueue (any version of it in
// the directory: a later one holds devices bought), borrowing from its
// cohort included; its namespace must be one the ClusterQueue accepts.
function admissible(dir, docs) {
  const cqs = docs.filter((d) => d.doc.kind === "ClusterQueue").map((d) => d.doc);
  const rfs = new Map(docs.filter((d) => d.doc.kind === "ResourceFlavor")
    .map((d) => [d.doc.metadata.name, d.doc]));
  const key = (ns, n) => `${ns || "default"}/${n}`;
  const lqs = new Map(docs.filter((d) => d.doc.kind === "LocalQueue")
    .map((d) => [key(d.doc.metadata.namespace, d.doc.metadata.name), d.doc.spec.clusterQueue]));
  for (const [name, rf] of rfs)
    if (!rf.spec || !rf.spec.nodeLabels || !Object.keys(rf.spec.nodeLabels).length)
      report(`${dir}/kueue.yaml`, "ResourceFlavor", [{ message: `${name} has no nodeLabels: it matches every node` }]);
  for (const { file, doc } of docs) {
    if (doc.kind !== "Job") continue;
    const q = doc.metadata.labels && doc.metadata.labels["kueue.x-k8s.io/queue-name"];
    if (!q) continue;
    const ns = doc.metadata.namespace || "default";
    const versions = cqs.filter((c) => c.metadata.name === lqs.get(key(ns, q)));
    if (!versions.length) {
      report(file, "Job", [{ message: `queue ${ns}/${q} leads to no ClusterQueue` }]);
      continue;
    }
    const pods = doc.spec.parallelism ?? 1;
    const podspec = doc.spec.template.spec;
    const need = {};
    for (const c of podspec.containers) {
      const r = { ...(c.resources.limits || {}), ...(c.resources.requests || {}) };
      for (const [k, v] of Object.entries(r)) need[k] = (need[k] || 0) + quantity(v) * pods;
    }
    const sel = podspec.nodeSelector || {};
    let ok = false;
    for (const cq of versions) {
      const want = cq.spec.namespaceSelector && cq.spec.namespaceSelector.matchLabels &&
        cq.spec.namespaceSelector.matchLabels["kubernetes.io/metadata.name"];
      if (want && want !== ns) continue;
      for (const g of cq.spec.resourceGroups)
        for (const f of g.flavors) {
          const labels = (rfs.get(f.name) || { spec: {} }).spec.nodeLabels || {};
          if (Object.entries(sel).some(([k, v]) => k in labels && labels[k] !== v)) continue;
          if (Object.entries(need).every(([k, v]) => g.coveredResources.includes(k) &&
              v <= capacity(cq, cqs, f.name, k) + 1e-9))
            ok = true;
        }
    }
    if (!ok)
      report(file, "Job", [{ message: `not admissible: ${pods} pods asking ${JSON.stringify(need)} fit no flavour of ClusterQueue ${lqs.get(key(ns, q))} in namespace ${ns}` }]);
  }
}

const args = process.argv.slice(2);
if (args[0] === "--allow-deprecated") {
  allowDeprecated = true;
  args.shift();
}
if (!args.length) {
  console.log("validate.mjs: no file to validate");
  process.exit(1);
}
const byDir = new Map();
for (const file of args) {
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
    if (doc === null) continue;
    check(file, doc);
    if (!byDir.has(dirname(file))) byDir.set(dirname(file), []);
    byDir.get(dirname(file)).push({ file, doc });
  }
}
for (const [dir, docs] of byDir)
  if (docs.some((d) => d.doc.kind === "ClusterQueue")) admissible(dir, docs);
process.exit(bad ? 1 : 0);
