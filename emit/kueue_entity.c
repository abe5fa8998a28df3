/* Kueue for a pool shared by entities (docs/emit.md#kueue-entities,
 * seed 004): a Namespace, a LocalQueue and a ClusterQueue per entity,
 * the ClusterQueues in one cohort; each one's nominal quota is its
 * entity's share of the pool in the plan, it may borrow the rest and
 * lends what it leaves idle; fair sharing weighs the entities; an
 * entity with a priority gets a WorkloadPriorityClass. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit_int.h"

/* Makes name unique among taken[0..n) with "-2", "-3"... */
static void unique(char (*taken)[64], size_t n, char name[64])
{
	char base[64];
	bool clash = true;

	snprintf(base, sizeof(base), "%s", name);
	for (int i = 2; clash; i++) {
		clash = false;
		for (size_t j = 0; j < n && !clash; j++)
			clash = !strcmp(taken[j], name);
		if (clash) {
			char suffix[16];
			int len = snprintf(suffix, sizeof(suffix), "-%d", i);

			snprintf(name, 64, "%.*s%s", 63 - len, base, suffix);
		}
	}
}

/* Makes the name at offset off of ents[e] unique among those of
 * ents[0..e). */
static void unique_among(struct emit_entity *ents, size_t e, size_t off)
{
	char (*v)[64] = util_xcalloc(e + 1, 64);

	for (size_t i = 0; i < e; i++)
		memcpy(v[i], (char *)&ents[i] + off, 64);
	unique(v, e, (char *)&ents[e] + off);
	free(v);
}

void emit_kueue_entity_names(struct emit_k8s *k)
{
	const struct model_scenario *s = k->s;
	size_t n = s->nentities;

	k->ents = util_xcalloc(n + 1, sizeof(*k->ents));
	for (size_t a = 0; a < k->p->nassign; a++) {
		const struct model_plan_assignment *x = &k->p->assign[a];

		if (x->w->entity >= 0 && emit_k8s_in_pool(k, x))
			k->ents[x->w->entity].used = true;
	}
	for (size_t e = 0; e < n; e++) {
		struct emit_entity *t = &k->ents[e];
		const struct model_entity *en = &s->entities[e];
		char cq[64];

		/* DNS-1123 labels; entities whose names differ only by
		 * case or punctuation, or that a long name truncates
		 * alike, get "-2", "-3" */
		emit_k8s_name(en->name, NULL, t->ns);
		unique_among(k->ents, e, offsetof(struct emit_entity, ns));
		snprintf(cq, sizeof(cq), "%s", t->ns);
		emit_k8s_name(s->name, cq, t->cq);
		if (k->inhouse) {
			char own[64];

			memcpy(own, t->cq, sizeof(own));
			emit_k8s_name(own, "inhouse", t->cq);
		}
		unique_among(k->ents, e, offsetof(struct emit_entity, cq));
		if (en->has_priority) {
			emit_k8s_name(t->ns, "priority", t->prio);
			unique_among(k->ents, e,
				     offsetof(struct emit_entity, prio));
		}
	}
}

/* The pool's whole GPUs of flavour f shared out between the entities in
 * proportion to their device-hours on it in the plan (by weight when
 * none has any), by largest remainder so that they add up. */
static void apportion(struct emit_k8s *k, size_t f, double n)
{
	const struct model_scenario *s = k->s;
	double *dh = util_xcalloc(s->nentities + 1, sizeof(double));
	double sum = 0, given = 0;

	for (size_t a = 0; a < k->p->nassign; a++) {
		const struct model_plan_assignment *x = &k->p->assign[a];
		int e = x->w->entity;

		if (e >= 0 && emit_k8s_in_pool(k, x) &&
		    !strcmp(x->accel, k->pool[f]))
			dh[e] += emit_device_hours(x);
	}
	for (size_t e = 0; e < s->nentities; e++)
		sum += k->ents[e].used ? dh[e] : 0;
	for (size_t e = 0; e < s->nentities; e++) {
		if (!k->ents[e].used)
			dh[e] = 0;
		else if (sum <= 0)
			dh[e] = s->entities[e].weight;
	}
	sum = 0;
	for (size_t e = 0; e < s->nentities; e++) {
		sum += dh[e];
		given += dh[e] > 0;
	}
	/* one GPU each for the entities that use the flavour, when there
	 * are enough; the rest in proportion */
	if (given > n)
		given = 0;
	for (size_t e = 0; e < s->nentities && sum > 0; e++) {
		double one = given > 0 && dh[e] > 0;

		k->ents[e].gpus[f] = one + floor((n - given) * dh[e] / sum);
	}
	given = 0;
	for (size_t e = 0; e < s->nentities; e++)
		given += k->ents[e].gpus[f];
	while (given < n && sum > 0) { /* the largest remainders, in order */
		size_t best = 0;
		double rem = -1;

		for (size_t e = 0; e < s->nentities; e++) {
			double r = n * dh[e] / sum - k->ents[e].gpus[f];
			/* (the remainders of the proportional part) */

			if (dh[e] > 0 && r > rem) {
				rem = r;
				best = e;
			}
		}
		k->ents[best].gpus[f] += 1;
		given += 1;
	}
	free(dh);
}

int emit_kueue_entity_quotas(struct emit_k8s *k, struct util_err *err)
{
	for (size_t f = 0; f < k->npool; f++) {
		const char *mig;
		double sliced, n = emit_pool_devices(k, k->pool[f], &sliced,
						     &mig);

		if (mig)
			return util_err_set(err, UTIL_E_INPUT,
					    "the plan slices %s into MIG "
					    "instances for teaching: Kueue "
					    "queues per entity do not share "
					    "MIG slices yet (remove "
					    "'entities:' for one queue)",
					    k->pool[f]);
		apportion(k, f, n);
	}
	return 0;
}

static void namespace(const struct emit_entity *t, struct util_buf *b)
{
	util_buf_puts(b, "---\napiVersion: v1\nkind: Namespace\n"
			 "metadata:\n  name: ");
	emit_yaml_str(b, t->ns);
	util_buf_puts(b, "\n  labels:\n"
			 "    app.kubernetes.io/managed-by: gpuplan\n");
}

static void priority_class(const struct model_entity *en,
			   const struct emit_entity *t, const char *api,
			   struct util_buf *b)
{
	char *d = util_xasprintf("gpuplan: the priority of entity '%s'",
				 en->name);

	util_buf_printf(b, "---\napiVersion: %s\nkind: WorkloadPriorityClass\n"
			"metadata:\n  name: ", api);
	emit_yaml_str(b, t->prio);
	util_buf_printf(b, "\nvalue: %ld\ndescription: ", en->priority);
	emit_yaml_str(b, d);
	util_buf_puts(b, "\n");
	free(d);
}

/* Pool indices in e's order: its `flavors:` first, then the others
 * fastest first. */
static size_t flavour_order(const struct emit_k8s *k,
			    const struct model_entity *en, size_t *order)
{
	bool *done = util_xcalloc(k->npool + 1, sizeof(bool));
	size_t n = 0;

	for (size_t i = 0; i < en->nflavors; i++)
		for (size_t f = 0; f < k->npool; f++)
			if (!done[f] && !strcmp(en->flavors[i], k->pool[f])) {
				done[f] = true;
				order[n++] = f;
			}
	for (size_t f = 0; f < k->npool; f++)
		if (!done[f])
			order[n++] = f;
	free(done);
	return n;
}

static void quota(struct util_buf *b, const char *res, double nominal,
		  double total, const char *unit)
{
	util_buf_printf(b, "      - name: %s\n"
			"        nominalQuota: %.0f%s\n"
			"        borrowingLimit: %.0f%s\n"
			"        lendingLimit: %.0f%s\n",
			res, nominal, unit, total - nominal, unit, nominal,
			unit);
}

static void cluster_queue(const struct emit_k8s *k, size_t e,
			  const char *api, const char *cohort,
			  struct util_buf *b)
{
	const struct model_entity *en = &k->s->entities[e];
	const struct emit_entity *t = &k->ents[e];
	size_t order[16], n = flavour_order(k, en, order);
	bool beta1 = strstr(api, "v1beta1") != NULL;

	util_buf_printf(b, "---\napiVersion: %s\nkind: ClusterQueue\n"
			"metadata:\n  name: ", api);
	emit_yaml_str(b, t->cq);
	util_buf_printf(b, "\nspec:\n  %s: ", beta1 ? "cohort" : "cohortName");
	emit_yaml_str(b, cohort);
	util_buf_puts(b, "\n  namespaceSelector:\n    matchLabels:\n"
			 "      kubernetes.io/metadata.name: ");
	emit_yaml_str(b, t->ns);
	util_buf_printf(b, "\n  queueingStrategy: BestEffortFIFO\n"
			"  fairSharing:\n    weight: \"%g\"\n"
			"  flavorFungibility:\n"
			"    whenCanBorrow: TryNextFlavor\n"
			"    whenCanPreempt: TryNextFlavor\n"
			"  preemption:\n"
			"    reclaimWithinCohort: Any\n"
			"    withinClusterQueue: LowerPriority\n"
			"  resourceGroups:\n"
			"  - coveredResources: [\"cpu\", \"memory\", "
			"\"nvidia.com/gpu\"]\n    flavors:\n",
			en->weight);
	for (size_t i = 0; i < n; i++) {
		size_t f = order[i];
		const char *mig;
		double sliced, total = emit_pool_devices(k, k->pool[f],
							 &sliced, &mig);
		double cpus, mem, g = t->gpus[f];
		char name[64];

		emit_pool_bundle(k, k->pool[f], &cpus, &mem);
		emit_k8s_name(k->pool[f], NULL, name);
		util_buf_puts(b, "    - name: ");
		emit_yaml_str(b, name);
		emit_comment(b, "  # ", "%.0f of the pool's %.0f %s by the "
			     "plan's device-hours", g, total, k->pool[f]);
		util_buf_puts(b, "      resources:\n");
		quota(b, "cpu", g * cpus, total * cpus, "");
		quota(b, "memory", g * mem, total * mem, "Gi");
		quota(b, "nvidia.com/gpu", g, total, "");
	}
}

static void local_queue(const struct emit_k8s *k, const struct emit_entity *t,
			const char *api, struct util_buf *b)
{
	util_buf_printf(b, "---\napiVersion: %s\nkind: LocalQueue\n"
			"metadata:\n  name: ", api);
	emit_yaml_str(b, k->inhouse ? "inhouse" : "onprem");
	util_buf_puts(b, "\n  namespace: ");
	emit_yaml_str(b, t->ns);
	util_buf_puts(b, "\nspec:\n  clusterQueue: ");
	emit_yaml_str(b, t->cq);
	util_buf_puts(b, "\n");
}

void emit_kueue_entity_objects(const struct emit_k8s *k, const char *api,
			       const char *cohort, bool head,
			       struct util_buf *b)
{
	const struct model_scenario *s = k->s;

	for (size_t e = 0; head && e < s->nentities; e++)
		if (k->ents[e].used)
			namespace(&k->ents[e], b);
	for (size_t e = 0; head && e < s->nentities; e++)
		if (k->ents[e].used && k->ents[e].prio[0])
			priority_class(&s->entities[e], &k->ents[e], api, b);
	for (size_t e = 0; e < s->nentities; e++)
		if (k->ents[e].used)
			cluster_queue(k, e, api, cohort, b);
	for (size_t e = 0; head && e < s->nentities; e++)
		if (k->ents[e].used)
			local_queue(k, &k->ents[e], api, b);
}
