/* Kueue objects for the on-prem pool (research/ecosystem.md section 1b,
 * seed 004): a ResourceFlavor per GPU type, one ClusterQueue holding the
 * plan's devices as quotas, its flavours in order of speed with flavour
 * fungibility (work that fits the smaller GPUs takes them when the big
 * ones are busy), a LocalQueue per workload; then the workloads, labelled
 * with their queue. */
#include <stdio.h>
#include <string.h>

#include "emit_int.h"

#define API "kueue.x-k8s.io/v1beta1"

static bool allowed(const struct model_workload *w, const char *accel)
{
	if (!w->naccelerators)
		return true;
	for (size_t i = 0; i < w->naccelerators; i++)
		if (!strcmp(w->accelerators[i], accel))
			return true;
	return false;
}

bool emit_kueue_flexible(const struct emit_k8s *k,
			 const struct model_workload *w)
{
	size_t fits = 0;

	if (!k->queue || w->kind == MODEL_INFERENCE)
		return false;
	for (size_t i = 0; i < k->npool; i++)
		fits += allowed(w, k->pool[i]) &&
			emit_option(k->e, k->s, w, k->pool[i]);
	return fits > 1;
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
	size_t i = 0;

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

/* Devices of accel in the pool: owned and bought. */
static double devices(const struct emit_k8s *k, const char *accel)
{
	double n = 0;

	for (size_t i = 0; i < k->s->venues.nowned; i++)
		if (!strcmp(k->s->venues.owned[i].accel, accel))
			n += k->s->venues.owned[i].amount;
	for (size_t i = 0; i < k->p->nbuy; i++)
		if (!strcmp(k->p->buy[i].accel, accel))
			n += (double)k->p->buy[i].count;
	return n;
}

/* The MIG profile teaching uses on accel, or NULL. */
static const char *mig_profile(const struct emit_k8s *k, const char *accel)
{
	for (size_t i = 0; i < k->p->nassign; i++) {
		const struct model_plan_assignment *a = &k->p->assign[i];
		const struct model_option *o;

		if (a->family != PRICING_ONPREM || strcmp(a->accel, accel) ||
		    a->w->kind != MODEL_TEACHING)
			continue;
		o = emit_option(k->e, k->s, a->w, accel);
		if (o && emit_slice_g(o->slice) > 0)
			return o->slice;
	}
	return NULL;
}

static void flavors(const struct emit_k8s *k, struct util_buf *b)
{
	for (size_t i = 0; i < k->npool; i++) {
		const struct pricing_offer *o =
			emit_onprem_offer(k->s, k->pool[i]);
		char name[64];

		emit_k8s_name(k->pool[i], NULL, name);
		util_buf_printf(b, "apiVersion: %s\nkind: ResourceFlavor\n"
				"metadata:\n  name: ", API);
		emit_yaml_str(b, name);
		util_buf_puts(b, "\nspec:\n");
		if (o && o->k8s_gpu_product) {
			util_buf_puts(b, "  nodeLabels:\n"
				      "    nvidia.com/gpu.product: ");
			emit_yaml_str(b, o->k8s_gpu_product);
			util_buf_puts(b, "\n");
		}
		util_buf_puts(b, "  tolerations:\n"
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

static void cluster_queue(const struct emit_k8s *k, const char *cq,
			  struct util_buf *b)
{
	const char *mig[16];
	size_t nmig = 0;

	for (size_t i = 0; i < k->npool; i++) {
		const char *m = mig_profile(k, k->pool[i]);
		bool seen = false;

		for (size_t j = 0; j < nmig; j++)
			seen |= !strcmp(mig[j], m ? m : "");
		if (m && !seen)
			mig[nmig++] = m;
	}
	util_buf_printf(b, "apiVersion: %s\nkind: ClusterQueue\n"
			"metadata:\n  name: ", API);
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
		const struct pricing_offer *o =
			emit_onprem_offer(k->s, k->pool[i]);
		const char *own = mig_profile(k, k->pool[i]);
		double n = devices(k, k->pool[i]);
		double cpus = o && o->slurm_cpus_per_gpu > 0
				      ? o->slurm_cpus_per_gpu : 8;
		double mem = o && o->slurm_mem_gb_per_gpu > 0
				     ? o->slurm_mem_gb_per_gpu : 64;
		char name[64];

		emit_k8s_name(k->pool[i], NULL, name);
		util_buf_puts(b, "    - name: ");
		emit_yaml_str(b, name);
		util_buf_printf(b, "\n      resources:\n"
				"      - name: cpu\n        nominalQuota: %.0f\n"
				"      - name: memory\n"
				"        nominalQuota: %.0fGi\n"
				"      - name: nvidia.com/gpu\n"
				"        nominalQuota: %.0f\n",
				n * cpus, n * mem, n);
		for (size_t m = 0; m < nmig; m++) {
			util_buf_puts(b, "      - name: ");
			mig_resource(b, mig[m]);
			util_buf_printf(b, "\n        nominalQuota: %.0f\n",
					own && !strcmp(own, mig[m])
						? n * emit_mig_per_gpu(
							      k->s, k->pool[i],
							      own)
						: 0);
		}
	}
}

static void local_queues(const struct emit_k8s *k, const char *cq,
			 struct util_buf *b)
{
	for (size_t i = 0; i < k->s->nworkloads; i++) {
		const struct model_workload *w = &k->s->workloads[i];
		bool on = false;
		char name[64];

		for (size_t a = 0; a < k->p->nassign && !on; a++)
			on = k->p->assign[a].w == w &&
			     k->p->assign[a].family == PRICING_ONPREM;
		if (!on)
			continue;
		emit_k8s_name(w->name, NULL, name);
		for (size_t j = 0; j < i && on; j++) { /* one queue a name */
			char other[64];

			emit_k8s_name(k->s->workloads[j].name, NULL, other);
			on = strcmp(other, name) != 0;
		}
		if (!on)
			continue;
		util_buf_printf(b, "---\napiVersion: %s\nkind: LocalQueue\n"
				"metadata:\n  name: ", API);
		emit_yaml_str(b, name);
		util_buf_puts(b, "\nspec:\n  clusterQueue: ");
		emit_yaml_str(b, cq);
		util_buf_puts(b, "\n");
	}
}

int emit_kueue(const struct model_scenario *s, const struct model_plan *p,
	       struct emit_files *out, struct util_err *err)
{
	struct model_estimate e;
	struct emit_k8s k = {.s = s, .p = p, .e = &e, .queue = true};
	struct util_buf b;
	char cq[64];
	int rc = model_estimate(s, NULL, NULL, &e, err);

	if (rc)
		return rc;
	for (size_t i = 0; i < s->venues.nowned; i++)
		add_pool(&k, s->venues.owned[i].accel);
	for (size_t i = 0; i < p->nbuy; i++)
		add_pool(&k, p->buy[i].accel);
	rc = emit_k8s_workloads(&k, out, err);
	if (!rc) {
		emit_k8s_name(s->name, "onprem", cq);
		util_buf_init(&b);
		emit_comment(&b, "# ", "gpuplan: Kueue for the on-prem pool, "
			     "ClusterQueue %s (%s; 'kubectl apply -f' it "
			     "before the workloads)", cq, API);
		flavors(&k, &b);
		cluster_queue(&k, cq, &b);
		local_queues(&k, cq, &b);
		emit_files_add(out, "kueue.yaml", &b);
	}
	model_estimate_release(&e);
	return rc;
}
