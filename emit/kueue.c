/* Kueue objects for the on-prem pool (research/ecosystem.md section 1b,
 * seed 004): a ResourceFlavor per GPU type, one ClusterQueue holding the
 * plan's devices as quotas, its flavours in order of speed with flavour
 * fungibility (work that fits the smaller GPUs takes them when the big
 * ones are busy), a LocalQueue per workload; then the workloads, labelled
 * with their queue. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "emit_int.h"

#define GROUP "kueue.x-k8s.io/"
#define DEFAULT_API "v1beta2" /* the storage version since Kueue 0.16 */

static bool allowed(const struct model_workload *w, const char *accel)
{
	if (!w->naccelerators)
		return true;
	for (size_t i = 0; i < w->naccelerators; i++)
		if (!strcmp(w->accelerators[i], accel))
			return true;
	return false;
}

static bool fits(const struct emit_k8s *k, const struct model_workload *w,
		 const char *accel)
{
	return allowed(w, accel) && emit_option(k->e, k->s, w, accel);
}

bool emit_kueue_flexible(const struct emit_k8s *k,
			 const struct model_workload *w)
{
	size_t n = 0;

	if (!k->queue || w->kind == MODEL_INFERENCE)
		return false;
	for (size_t i = 0; i < k->npool; i++)
		n += fits(k, w, k->pool[i]);
	return n > 1;
}

void emit_kueue_min_bundle(const struct emit_k8s *k,
			   const struct model_workload *w, double *cpus,
			   double *mem)
{
	for (size_t i = 0; i < k->npool; i++) {
		double c, m;

		if (!fits(k, w, k->pool[i]))
			continue;
		emit_pool_bundle(k, k->pool[i], &c, &m);
		*cpus = fmin(*cpus, c);
		*mem = fmin(*mem, m);
	}
}

static double speed(const struct model_scenario *s, const char *accel)
{
	const struct pricing_accel *a =
		pricing_catalog_find_accel(&s->catalog, accel);

	if (!a)
		return 0;
	return a->tflops[PRICING_BF16] > 0 ? a->tflops[PRICING_BF16]
					   : a->tflops[PRICING_FP32];
}

static void add_pool(struct emit_k8s *k, const char *accel)
{
	const struct pricing_offer *o = emit_onprem_offer(k->s, accel);
	size_t i = 0;

	if (!o || !o->k8s_gpu_product) /* no label: no flavour can select it */
		return;
	for (size_t j = 0; j < k->npool; j++)
		if (!strcmp(k->pool[j], accel))
			return;
	if (k->npool == sizeof(k->pool) / sizeof(k->pool[0]))
		return;
	while (i < k->npool && speed(k->s, k->pool[i]) >= speed(k->s, accel))
		i++;
	memmove(&k->pool[i + 1], &k->pool[i],
		(k->npool - i) * sizeof(k->pool[0]));
	k->pool[i] = accel;
	k->npool++;
}

/* A purchase for the pool: not an edge device at a site. */
static bool pool_buy(const struct model_plan_purchase *b)
{
	return !b->offer || b->offer->family == PRICING_ONPREM;
}

void emit_k8s_pool(struct emit_k8s *k)
{
	k->npool = 0;
	if (k->inhouse) { /* the accelerators the plan uses of the service */
		for (size_t i = 0; i < k->p->nassign; i++)
			if (emit_k8s_in_pool(k, &k->p->assign[i]))
				add_pool(k, k->p->assign[i].accel);
		return;
	}
	for (size_t i = 0; i < k->s->venues.nowned; i++)
		add_pool(k, k->s->venues.owned[i].accel);
	for (size_t i = 0; i < k->p->nbuy; i++)
		if (pool_buy(&k->p->buy[i]))
			add_pool(k, k->p->buy[i].accel);
}

/* The MIG profile teaching uses on accel, or NULL; *slices the
 * students at once, *whole the most GPUs a job of other work takes. */
static const char *mig_use(const struct emit_k8s *k, const char *accel,
			   long *slices, int *whole)
{
	const char *profile = NULL;

	*slices = 0;
	*whole = 0;
	for (size_t i = 0; i < k->p->nassign; i++) {
		const struct model_plan_assignment *a = &k->p->assign[i];
		const struct model_option *o;
		struct emit_job j;

		if (!emit_k8s_in_pool(k, a) || !fits(k, a->w, accel))
			continue;
		if (!emit_job_make(k->s, k->e, a, &j)) {
			if (!strcmp(a->accel, accel) && *whole < 1)
				*whole = 1;
			continue;
		}
		o = emit_option(k->e, k->s, a->w, accel);
		if (!strcmp(a->accel, accel) && a->w->kind == MODEL_TEACHING &&
		    o && emit_slice_g(o->slice) > 0 &&
		    (!profile || !strcmp(profile, o->slice))) {
			profile = o->slice;
			*slices += j.count;
		} else if (!strcmp(a->accel, accel) ||
			   emit_kueue_flexible(k, a->w)) {
			if (j.gpus > *whole)
				*whole = j.gpus;
		}
	}
	return profile;
}

double emit_pool_devices(const struct emit_k8s *k, const char *accel,
			 double *sliced, const char **profile)
{
	double n = 0;
	long slices;
	int whole, per;

	if (k->inhouse) /* the service: the plan's peak use of it */
		for (size_t i = 0; i < k->p->nassign; i++) {
			const struct model_plan_assignment *a =
				&k->p->assign[i];

			if (emit_k8s_in_pool(k, a) && !strcmp(a->accel, accel))
				n += a->devices;
		}
	for (size_t i = 0; !k->inhouse && i < k->s->venues.nowned; i++) {
		struct model_owned_cost c;

		if (strcmp(k->s->venues.owned[i].accel, accel))
			continue;
		/* devices retired by this version's date are not quota */
		model_owned_cost(k->s, i, &c);
		if (k->upto == INT_MAX ||
		    c.end_of_life > k->upto * k->p->period_s)
			n += k->s->venues.owned[i].amount;
	}
	for (size_t i = 0; !k->inhouse && i < k->p->nbuy; i++)
		if (pool_buy(&k->p->buy[i]) &&
		    !strcmp(k->p->buy[i].accel, accel) &&
		    k->p->buy[i].available_period <= k->upto)
			n += (double)k->p->buy[i].count;
	n = floor(n);
	*profile = mig_use(k, accel, &slices, &whole);
	*sliced = 0;
	if (*profile) {
		/* enough devices for the students at once, leaving the
		 * widest job of other work its whole GPUs */
		per = emit_mig_per_gpu(k->s, accel, *profile);
		*sliced = ceil((double)slices / per);
		if (*sliced > n - whole)
			*sliced = n - whole;
		if (*sliced < 1)
			*sliced = n >= 1 ? 1 : 0;
	}
	return n;
}

void emit_pool_bundle(const struct emit_k8s *k, const char *accel,
		      double *cpus, double *mem)
{
	const struct pricing_offer *o = emit_onprem_offer(k->s, accel);

	*cpus = o && o->slurm_cpus_per_gpu > 0 ? o->slurm_cpus_per_gpu : 8;
	*mem = o && o->slurm_mem_gb_per_gpu > 0 ? o->slurm_mem_gb_per_gpu : 64;
}

/* The pods of j that one flavour, accel, holds at once. */
static long flavour_cap(const struct emit_k8s *k, const struct emit_job *j,
			const char *accel)
{
	const char *profile;
	double sliced, n = emit_pool_devices(k, accel, &sliced, &profile);
	double cpus, mem, gpu_cap, cap;

	emit_pool_bundle(k, accel, &cpus, &mem);
	if (j->slice)
		gpu_cap = profile && !strcmp(profile, j->slice)
				  ? sliced * emit_mig_per_gpu(k->s, accel,
							     profile)
				  : 0;
	else
		gpu_cap = floor((n - sliced) / j->gpus);
	cap = gpu_cap;
	cap = fmin(cap, floor(n * cpus / emit_job_share(j, j->cpus) + 1e-9));
	cap = fmin(cap, floor(n * mem / emit_job_share(j, j->mem) + 1e-9));
	return cap < 0 ? 0 : (long)cap;
}

long emit_pool_cap(const struct emit_k8s *k, const struct emit_job *j)
{
	long best = 0;

	for (size_t i = 0; i < k->npool; i++) {
		long c;

		if (strcmp(k->pool[i], j->a->accel) &&
		    !(emit_kueue_flexible(k, j->a->w) &&
		      fits(k, j->a->w, k->pool[i])))
			continue;
		c = flavour_cap(k, j, k->pool[i]);
		if (c > best)
			best = c;
	}
	return best < 1 ? 1 : best;
}

static void flavors(const struct emit_k8s *k, const char *api,
		    struct util_buf *b)
{
	for (size_t i = 0; i < k->npool; i++) {
		const struct pricing_offer *o =
			emit_onprem_offer(k->s, k->pool[i]);
		char name[64];

		emit_k8s_name(k->pool[i], NULL, name);
		util_buf_printf(b, "apiVersion: %s\nkind: ResourceFlavor\n"
				"metadata:\n  name: ", api);
		emit_yaml_str(b, name);
		/* the pool holds only accelerators with a label */
		util_buf_puts(b, "\nspec:\n  nodeLabels:\n"
			      "    nvidia.com/gpu.product: ");
		emit_yaml_str(b, o->k8s_gpu_product);
		util_buf_puts(b, "\n  tolerations:\n"
				 "  - key: nvidia.com/gpu\n"
				 "    operator: Exists\n"
				 "    effect: NoSchedule\n---\n");
	}
}

/* "nvidia.com/mig-<profile>", quoted. */
static void mig_resource(struct util_buf *b, const char *profile)
{
	char *r = util_xasprintf("nvidia.com/mig-%s", profile);

	emit_yaml_str(b, r);
	free(r);
}

static void cluster_queue(const struct emit_k8s *k, const char *api,
			  const char *cq, struct util_buf *b)
{
	const char *mig[16];
	size_t nmig = 0;

	for (size_t i = 0; i < k->npool; i++) {
		const char *m;
		double sliced;
		bool seen = false;

		emit_pool_devices(k, k->pool[i], &sliced, &m);
		for (size_t j = 0; j < nmig; j++)
			seen |= !strcmp(mig[j], m ? m : "");
		if (m && !seen)
			mig[nmig++] = m;
	}
	util_buf_printf(b, "apiVersion: %s\nkind: ClusterQueue\n"
			"metadata:\n  name: ", api);
	emit_yaml_str(b, cq);
	util_buf_puts(b, "\nspec:\n"
			"  namespaceSelector: {}\n"
			"  queueingStrategy: BestEffortFIFO\n"
			"  flavorFungibility:\n"
			"    whenCanBorrow: TryNextFlavor\n"
			"    whenCanPreempt: TryNextFlavor\n"
			"  resourceGroups:\n"
			"  - coveredResources: [\"cpu\", \"memory\", "
			"\"nvidia.com/gpu\"");
	for (size_t m = 0; m < nmig; m++) {
		util_buf_puts(b, ", ");
		mig_resource(b, mig[m]);
	}
	util_buf_puts(b, "]\n    flavors:\n");
	for (size_t i = 0; i < k->npool; i++) {
		const char *own;
		double sliced, n = emit_pool_devices(k, k->pool[i], &sliced,
						     &own);
		double cpus, mem;
		char name[64];

		emit_pool_bundle(k, k->pool[i], &cpus, &mem);
		emit_k8s_name(k->pool[i], NULL, name);
		util_buf_puts(b, "    - name: ");
		emit_yaml_str(b, name);
		if (own)
			emit_comment(b, "  # ", "%.0f of the %.0f GPUs "
				     "sliced into %s for teaching, %.0f whole",
				     sliced, n, own, n - sliced);
		else
			util_buf_puts(b, "\n");
		util_buf_printf(b, "      resources:\n"
				"      - name: cpu\n        nominalQuota: %.0f\n"
				"      - name: memory\n"
				"        nominalQuota: %.0fGi\n"
				"      - name: nvidia.com/gpu\n"
				"        nominalQuota: %.0f\n",
				n * cpus, n * mem, n - sliced);
		for (size_t m = 0; m < nmig; m++) {
			util_buf_puts(b, "      - name: ");
			mig_resource(b, mig[m]);
			util_buf_printf(b, "\n        nominalQuota: %.0f\n",
					own && !strcmp(own, mig[m])
						? sliced * emit_mig_per_gpu(
								   k->s,
								   k->pool[i],
								   own)
						: 0);
		}
	}
}

/* Whether w has work on the pool. */
static bool queued(const struct emit_k8s *k, const struct model_workload *w)
{
	for (size_t a = 0; a < k->p->nassign; a++)
		if (k->p->assign[a].w == w &&
		    emit_k8s_in_pool(k, &k->p->assign[a]))
			return true;
	return false;
}

/* A LocalQueue name per workload with work on the pool, unique after
 * normalisation: "lora.monthly" after "lora_monthly" is "lora-monthly-2";
 * "-inhouse" for the in-house service's (a namespace holds both). */
static void queue_names(struct emit_k8s *k)
{
	for (size_t i = 0; i < k->s->nworkloads; i++) {
		char *q = k->queues[i];
		char base[64];
		bool taken = true;

		q[0] = '\0';
		if (!queued(k, &k->s->workloads[i]))
			continue;
		if (k->ents) { /* its entity's namespace's LocalQueue */
			snprintf(q, 64, "%s", k->inhouse ? "inhouse" : "onprem");
			continue;
		}
		emit_k8s_name(k->s->workloads[i].name,
			      k->inhouse ? "inhouse" : NULL, base);
		snprintf(q, 64, "%s", base);
		for (int n = 2; taken; n++) {
			taken = false;
			for (size_t j = 0; j < i && !taken; j++)
				taken = !strcmp(k->queues[j], q);
			if (taken) {
				char suffix[16];
				int len = snprintf(suffix, sizeof(suffix),
						   "-%d", n);

				snprintf(q, 64, "%.*s%s", 63 - len, base,
					 suffix);
			}
		}
	}
}

static void local_queues(const struct emit_k8s *k, const char *api,
			 const char *cq, struct util_buf *b)
{
	for (size_t i = 0; i < k->s->nworkloads; i++) {
		if (!k->queues[i][0])
			continue;
		util_buf_printf(b, "---\napiVersion: %s\nkind: LocalQueue\n"
				"metadata:\n  name: ", api);
		emit_yaml_str(b, k->queues[i]);
		util_buf_puts(b, "\nspec:\n  clusterQueue: ");
		emit_yaml_str(b, cq);
		util_buf_puts(b, "\n");
	}
}

/* The first period after `after` in which devices bought for the pool
 * arrive, or -1. */
static int next_arrival(const struct emit_k8s *k, int after)
{
	int next = -1;

	for (size_t i = 0; !k->inhouse && i < k->p->nbuy; i++) {
		int t = k->p->buy[i].available_period;

		if (pool_buy(&k->p->buy[i]) && t > after &&
		    (next < 0 || t < next))
			next = t;
	}
	return next;
}

/* The ClusterQueues again for each later arrival of devices bought:
 * "kueue-month-4.yaml", to apply when they arrive. */
static int later_versions(struct emit_k8s *k, const char *api,
			  const char *cq, struct emit_files *out,
			  struct util_err *err)
{
	static const char *const words[3] = {"day", "week", "month"};
	const char *word = words[k->s->period];
	int rc = 0;

	for (int t = next_arrival(k, 0); t > 0 && !rc;
	     t = next_arrival(k, t)) {
		struct util_buf b;
		char file[64];

		k->upto = t;
		if (k->ents)
			rc = emit_kueue_entity_quotas(k, err);
		if (rc)
			break;
		util_buf_init(&b);
		emit_comment(&b, "# ", "gpuplan: the ClusterQueues from %s %d, "
			     "when the devices the plan buys arrive ('kubectl "
			     "apply -f' it then; until then kueue.yaml's "
			     "quotas hold what is there)", word, t + 1);
		if (k->ents) {
			emit_kueue_entity_objects(k, api, cq, false, &b);
		} else {
			cluster_queue(k, api, cq, &b);
		}
		snprintf(file, sizeof(file), "kueue-%s-%d.yaml", word, t + 1);
		emit_files_add(out, file, &b);
	}
	k->upto = INT_MAX;
	return rc;
}

/* The Kueue objects of one pool and its workloads; *n the workloads. */
static int pool_objects(struct emit_k8s *k, const char *api,
			struct emit_files *out, size_t *n,
			struct util_err *err)
{
	struct util_buf b;
	char cq[64];
	int rc;

	k->queues = util_xcalloc(k->s->nworkloads + 1, sizeof(*k->queues));
	emit_k8s_pool(k);
	if (k->s->nentities)
		emit_kueue_entity_names(k);
	queue_names(k);
	/* Jobs are sized for the whole pool the plan gives, purchases
	 * included; the quotas hold what is there at the start */
	k->upto = INT_MAX;
	rc = emit_k8s_workloads(k, false, n, out, err);
	k->upto = 0;
	if (!rc && k->ents)
		rc = emit_kueue_entity_quotas(k, err);
	if (!rc && *n) {
		emit_k8s_name(k->s->name, k->inhouse ? "inhouse" : "onprem", cq);
		util_buf_init(&b);
		emit_comment(&b, "# ", "gpuplan: Kueue for the %s, "
			     "ClusterQueue %s (%s; 'kubectl apply -f' it "
			     "before the workloads)",
			     k->inhouse ? "in-house GPU service's pool"
					: "on-prem pool",
			     cq, api);
		if (k->ents) {
			flavors(k, api, &b);
			/* the entity objects start with their own "---" */
			if (b.len >= 4 && !strcmp(b.s + b.len - 4, "---\n"))
				b.s[b.len -= 4] = '\0';
			emit_kueue_entity_objects(k, api, cq, true, &b);
		} else {
			flavors(k, api, &b);
			cluster_queue(k, api, cq, &b);
			local_queues(k, api, cq, &b);
		}
		emit_files_add(out, k->inhouse ? "kueue-inhouse.yaml"
					       : "kueue.yaml", &b);
		rc = later_versions(k, api, cq, out, err);
	}
	k->upto = INT_MAX;
	free(k->queues);
	k->queues = NULL;
	free(k->ents);
	k->ents = NULL;
	return rc;
}

int emit_kueue(const struct model_scenario *s, const struct model_plan *p,
	       const struct emit_opts *o, struct emit_files *out,
	       struct util_err *err)
{
	struct model_estimate e;
	struct emit_k8s k = {.s = s, .p = p, .e = &e, .opts = o,
			     .queue = true};
	char *api;
	const char *version = o->kueue_api ? o->kueue_api : DEFAULT_API;
	size_t onprem = 0, inhouse = 0;
	int rc;

	if (strcmp(version, "v1beta2") && strcmp(version, "v1beta1"))
		return util_err_set(err, UTIL_E_USAGE,
				    "unknown Kueue API version '%s': v1beta2 "
				    "or v1beta1", version);
	rc = model_estimate(s, NULL, NULL, &e, err);
	if (rc)
		return rc;
	api = util_xasprintf(GROUP "%s", version);
	rc = pool_objects(&k, api, out, &onprem, err);
	if (!rc) { /* the in-house GPU service: a Kubernetes pool too */
		k.inhouse = true;
		rc = pool_objects(&k, api, out, &inhouse, err);
	}
	if (!rc && !onprem && !inhouse)
		rc = util_err_set(err, UTIL_E_INPUT,
				  "the plan puts no work on the on-prem pool "
				  "nor on the in-house GPU service: nothing "
				  "for Kueue");
	free(api);
	model_estimate_release(&e);
	return rc;
}
