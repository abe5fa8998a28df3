/* Kubernetes objects for the plan's on-prem work (research/ecosystem.md
 * section 1b): a Job per batch assignment (an indexed Job when it is an
 * array), a Deployment per inference service; GPUs as nvidia.com/gpu
 * limits (nvidia.com/mig-<profile> for a teaching slice), the pool's
 * nodes chosen by their nvidia.com/gpu.product label, the GPU taint
 * tolerated. With a queue (emit/kueue.c) the objects carry Kueue's label
 * and Jobs start suspended. */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "emit_int.h"

#define IMAGE "nvcr.io/nvidia/pytorch:24.05-py3"
#define TTL_S 86400 /* finished Jobs are removed after a day */
#define BACKOFF 3

void emit_k8s_name(const char *a, const char *b, char out[64])
{
	size_t k = 0;
	char prev = '-';

	for (int part = 0; part < 2; part++) {
		const char *s = part ? b : a;

		if (part && s && k && prev != '-')
			out[k++] = prev = '-';
		for (; s && *s && k < 63; s++) {
			char c = isalnum((unsigned char)*s)
					 ? (char)tolower((unsigned char)*s)
					 : '-';

			if (c == '-' && prev == '-')
				continue;
			out[k++] = prev = c;
		}
	}
	while (k && out[k - 1] == '-')
		k--;
	out[k] = '\0';
}

/* The pool's product label for accel, or NULL. */
static const char *product(const struct model_scenario *s, const char *accel)
{
	const struct pricing_offer *o = emit_onprem_offer(s, accel);

	return o ? o->k8s_gpu_product : NULL;
}

/* A pod template at two spaces of indent under a controller's spec. */
static void pod(const struct emit_k8s *k, const struct emit_job *j,
		const char *name, bool job, struct util_buf *b)
{
	const char *label = product(k->s, j->a->accel);
	bool mig = j->slice != NULL;

	util_buf_puts(b, "  template:\n    metadata:\n      labels:\n"
		      "        app.kubernetes.io/name: ");
	emit_yaml_str(b, name);
	util_buf_puts(b, "\n        app.kubernetes.io/managed-by: gpuplan\n"
		      "    spec:\n");
	if (job)
		util_buf_puts(b, "      restartPolicy: Never\n");
	if (label && !emit_kueue_flexible(k, j->a->w)) {
		util_buf_puts(b, "      nodeSelector:\n"
			      "        nvidia.com/gpu.product: ");
		emit_yaml_str(b, label);
		util_buf_puts(b, "\n");
	}
	util_buf_printf(b, "      tolerations:\n"
			"      - key: nvidia.com/gpu\n"
			"        operator: Exists\n"
			"        effect: NoSchedule\n"
			"      containers:\n"
			"      - name: %s\n"
			"        # gpuplan: the workload's own image and command\n"
			"        image: %s\n"
			"        command: [\"python\", \"%s\"]\n",
			job ? "train" : "serve", IMAGE,
			job ? "train.py" : "serve.py");
	util_buf_puts(b, "        resources:\n          limits:\n");
	if (mig) {
		char *key = util_xasprintf("nvidia.com/mig-%s", j->slice);

		util_buf_puts(b, "            ");
		emit_yaml_str(b, key);
		util_buf_puts(b, ": 1\n");
		free(key);
	} else
		util_buf_printf(b, "            nvidia.com/gpu: %d\n", j->gpus);
	util_buf_printf(b, "            cpu: \"%.0f\"\n"
			"            memory: %.0fGi\n",
			emit_job_share(j, j->cpus), emit_job_share(j, j->mem));
}

static void metadata(const struct emit_k8s *k, const char *name,
		     const struct emit_job *j, struct util_buf *b)
{
	int e = j->a->w->entity;

	util_buf_puts(b, "metadata:\n  name: ");
	emit_yaml_str(b, name);
	if (k->ents && e >= 0) {
		util_buf_puts(b, "\n  namespace: ");
		emit_yaml_str(b, k->ents[e].ns);
	}
	util_buf_puts(b, "\n  labels:\n    app.kubernetes.io/name: ");
	emit_yaml_str(b, name);
	util_buf_puts(b, "\n    app.kubernetes.io/managed-by: gpuplan\n");
	if (k->queue) {
		util_buf_puts(b, "    kueue.x-k8s.io/queue-name: ");
		emit_yaml_str(b, k->queues[j->a->w - k->s->workloads]);
		util_buf_puts(b, "\n");
	}
	if (k->ents && e >= 0 && k->ents[e].prio[0]) {
		util_buf_puts(b, "    kueue.x-k8s.io/priority-class: ");
		emit_yaml_str(b, k->ents[e].prio);
		util_buf_puts(b, "\n");
	}
}

/* A Job's pods at once never exceed what the pool (the ClusterQueue's
 * quota) holds: Kueue admits a Job whole, so a larger parallelism would
 * leave it pending for good. The rest of its completions wait inside the
 * Job, in waves, and a teaching session's deadline allows every wave. */
static void job(const struct emit_k8s *k, const struct emit_job *j,
		const char *name, struct util_buf *b)
{
	long cap = emit_pool_cap(k, j);
	long par = j->throttle < cap ? j->throttle : cap;
	long waves = (j->count + par - 1) / par;

	util_buf_puts(b, "apiVersion: batch/v1\nkind: Job\n");
	metadata(k, name, j, b);
	util_buf_puts(b, "spec:\n");
	if (k->queue)
		util_buf_puts(b, "  suspend: true\n");
	if (par < j->throttle)
		emit_comment(b, "  # ", "gpuplan: %ld at once would exceed "
			     "the pool's %ld; the others wait in the Job "
			     "(%ld waves)", j->throttle, cap, waves);
	if (j->count > 1)
		util_buf_printf(b, "  completionMode: Indexed\n"
				"  completions: %ld\n  parallelism: %ld\n",
				j->count, par);
	util_buf_printf(b, "  backoffLimit: %d\n"
			"  ttlSecondsAfterFinished: %d\n", BACKOFF, TTL_S);
	if (j->a->w->kind == MODEL_TEACHING)
		util_buf_printf(b, "  activeDeadlineSeconds: %.0f\n",
				ceil(j->hours * 3600) * (double)waves);
	pod(k, j, name, true, b);
}

static void deployment(const struct emit_k8s *k, const struct emit_job *j,
		       const char *name, struct util_buf *b)
{
	int up, down;

	util_buf_puts(b, "apiVersion: apps/v1\nkind: Deployment\n");
	metadata(k, name, j, b);
	util_buf_puts(b, "spec:\n");
	if (emit_schedule_window(j->a->w, &up, &down))
		emit_comment(b, "  # ", "gpuplan: the plan counts %g hours a "
			     "day of this service, from %02d:%02d: the "
			     "CronJobs of %s.schedule.yaml scale it to 0 "
			     "outside them (docs/emit.md)",
			     j->a->w->inference.hours_per_day, up / 60,
			     up % 60, name);
	util_buf_printf(b, "  replicas: %ld\n"
			"  strategy:\n    type: Recreate\n"
			"  selector:\n    matchLabels:\n"
			"      app.kubernetes.io/name: ",
			j->count);
	emit_yaml_str(b, name);
	util_buf_puts(b, "\n");
	pod(k, j, name, false, b);
}

/* An inference service as "jobs": a replica per device at the peak, or
 * per engine of an LLM's tensor-parallel group. */
static void service(const struct model_scenario *s,
		    const struct model_estimate *e,
		    const struct model_plan_assignment *a, struct emit_job *j)
{
	const struct pricing_offer *o = emit_onprem_offer(s, a->accel);

	memset(j, 0, sizeof(*j));
	j->a = a;
	j->offer = o;
	j->cluster = "onprem";
	j->gpus = (int)emit_service_gpus(s, e, a);
	j->count = emit_service_replicas(s, e, a);
	j->cpus = o && o->slurm_cpus_per_gpu > 0 ? o->slurm_cpus_per_gpu : 8;
	j->mem = o && o->slurm_mem_gb_per_gpu > 0 ? o->slurm_mem_gb_per_gpu
						  : 64;
}

bool emit_k8s_in_pool(const struct emit_k8s *k,
		      const struct model_plan_assignment *a)
{
	if (!k->inhouse)
		return a->family == PRICING_ONPREM;
	return a->family == PRICING_INHOUSE ||
	       (a->family == PRICING_GPUAAS && a->offer &&
		!strcasecmp(a->offer->provider, "in-house"));
}

int emit_k8s_workloads(const struct emit_k8s *k, bool need, size_t *count,
		       struct emit_files *out, struct util_err *err)
{
	size_t n = 0;
	int rc = 0;

	for (size_t i = 0; i < k->p->nassign; i++) {
		const struct model_plan_assignment *a = &k->p->assign[i];
		struct emit_job j;
		struct util_buf b;
		char name[64], file[80], type[32];
		bool batch;

		if (!emit_k8s_in_pool(k, a))
			continue;
		if (!product(k->s, a->accel)) {
			rc = util_err_set(err, UTIL_E_INPUT,
					  "no on-prem offer for %s gives the "
					  "pool's nvidia.com/gpu.product label: "
					  "add 'kubernetes: {gpu_product: ...}' "
					  "to it (docs/catalog.md)", a->accel);
			break;
		}
		batch = emit_job_make(k->s, k->e, a, &j);
		if (!batch)
			service(k->s, k->e, a, &j);
		else if (emit_kueue_flexible(k, a->w))
			emit_kueue_min_bundle(k, a->w, &j.cpus, &j.mem);
		emit_type_name(a->accel, type, sizeof(type));
		if (k->inhouse) /* beside the on-prem pool's */
			snprintf(type + strlen(type),
				 sizeof(type) - strlen(type), "-inhouse");
		emit_k8s_name(a->w->name, type, name);
		emit_unique_name(out, ".yaml", name);
		util_buf_init(&b);
		emit_comment(&b, "# ", "gpuplan: '%s' (%s) on the %s %s "
			     "pool, %.1f%% of its work, %.1f device-hours",
			     a->w->name, model_kind_names[a->w->kind],
			     k->inhouse ? "in-house GPU service's" : "on-prem",
			     a->accel, a->share * 100, a->device_hours);
		if (batch)
			job(k, &j, name, &b);
		else
			deployment(k, &j, name, &b);
		snprintf(file, sizeof(file), "%s.yaml", name);
		emit_files_add(out, file, &b);
		if (!batch)
			emit_schedule(k, a->w, name,
				      k->ents && a->w->entity >= 0
					      ? k->ents[a->w->entity].ns
					      : "default",
				      j.count, out);
		n++;
	}
	if (!rc && !n && need)
		rc = util_err_set(err, UTIL_E_INPUT,
				  "the plan puts no work on the on-prem pool: "
				  "nothing for Kubernetes");
	*count = n;
	return rc;
}

int emit_kubernetes(const struct model_scenario *s,
		    const struct model_plan *p, const struct emit_opts *o,
		    struct emit_files *out, struct util_err *err)
{
	struct model_estimate e;
	struct emit_k8s k = {.s = s, .p = p, .e = &e, .opts = o,
			     .upto = INT_MAX};
	size_t n;
	int rc = model_estimate(s, NULL, NULL, &e, err);

	if (rc)
		return rc;
	emit_k8s_pool(&k);
	rc = emit_k8s_workloads(&k, true, &n, out, err);
	model_estimate_release(&e);
	return rc;
}
