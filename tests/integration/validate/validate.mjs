// Validates what `gpuplan emit` wrote, offline, against the allocators'
// own schemas (tests/data/SOURCES.md): Kubernetes Jobs and Deployments
// with Kubernetes' standalone-strict JSON schemas of v1.30.0 and v1.32.2,
// CronJobs, ServiceAccounts, Roles and RoleBindings with those of v1.32.2,
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
// the objects that scale services to their daily hours: v1.32.2 only
for (const [kind, f] of [["CronJob", "cronjob-batch-v1"], ["ServiceAccount", "serviceaccount-v1"],
  ["Role", "role-rbac-v1"], ["RoleBinding", "rolebinding-rbac-v1"]])
  (k8s[kind] ||= []).push({ source: "v1.32.2", validate: compile(gz(join(data, "k8s", "v1.32.2", f + ".json.gz"))) });
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
    return nameRules(file, doc);
  }
  if (doc.resources || doc.run) {
    if (!sky(doc)) return report(file, "SkyPilot task", sky.errors);
    return skyRules(file, doc);
  }
  report(file, "unknown", [{ instancePath: "", message: "not a known object" }]);
}

// What the API server checks beyond the schemas: names are DNS-1123
// labels (a CronJob's at most 52 characters: its Jobs get 11 more), a
// CronJob's schedule has five fields.
function nameRules(file, doc) {
  const n = doc.metadata && doc.metadata.name;
  const max = doc.kind === "CronJob" ? 52 : 63;
  if (typeof n !== "string" || n.length > max || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(n))
    report(file, doc.kind, [{ instancePath: "/metadata/name", message: `'${n}' is not a DNS-1123 label of at most ${max} characters` }]);
  if (doc.kind === "CronJob" && !/^(\S+\s+){4}\S+$/.test(doc.spec.schedule))
    report(file, "CronJob", [{ instancePath: "/spec/schedule", message: `'${doc.spec.schedule}' is not five cron fields` }]);
}

// The scaling objects hang together: every CronJob's ServiceAccount
// exists in its namespace, bound by a RoleBinding to a Role there that
// may get and patch the Deployment the CronJob scales, which exists.
function scalers(docs) {
  const find = (kind, ns, name) => docs.find((d) => d.doc.kind === kind &&
    d.doc.metadata.name === name && (d.doc.metadata.namespace || "default") === ns);
  for (const { file, doc } of docs) {
    if (doc.kind !== "CronJob") continue;
    const ns = doc.metadata.namespace || "default";
    const pod = doc.spec.jobTemplate.spec.template.spec;
    const sa = pod.serviceAccountName;
    const cmd = pod.containers[0].command || [];
    const target = (cmd.find((a) => a.startsWith("deployment/")) || "").slice(11);
    const bad = (m) => report(file, "CronJob", [{ message: m }]);
    if (!find("ServiceAccount", ns, sa)) bad(`no ServiceAccount ${ns}/${sa}`);
    if (!find("Deployment", ns, target)) bad(`it scales ${ns}/${target}, which is not emitted`);
    const rb = docs.find((d) => d.doc.kind === "RoleBinding" && (d.doc.metadata.namespace || "default") === ns &&
      d.doc.subjects.some((x) => x.kind === "ServiceAccount" && x.name === sa && x.namespace === ns));
    const role = rb && rb.doc.roleRef.kind === "Role" && find("Role", ns, rb.doc.roleRef.name);
    const may = role && role.doc.rules.some((r) => r.apiGroups.includes("apps") &&
      r.resources.includes("deployments/scale") && ["get", "patch"].every((v) => r.verbs.includes(v)) &&
      (!r.resourceNames || r.resourceNames.includes(target)));
    if (!may) bad(`ServiceAccount ${ns}/${sa} may not scale deployment ${target}`);
  }
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
for (const [dir, docs] of byDir) {
  if (docs.some((d) => d.doc.kind === "ClusterQueue")) admissible(dir, docs);
  scalers(docs);
}
process.exit(bad ? 1 : 0);
