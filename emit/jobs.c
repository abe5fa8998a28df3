/* The batch jobs of a plan's assignment, shared by the Slurm and
 * Kubernetes emitters: how many, how big, how long, how many at once. */
#include <ctype.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include "emit_int.h"

#define DEFAULT_CPUS 8	 /* per GPU, when the catalog gives no bundle */
#define DEFAULT_MEM_GB 64
#define ONPREM_MAX_H (7 * 24.0) /* partition limit of an on-prem pool */

void emit_type_name(const char *accel, char *out, size_t n)
{
	size_t k = 0;

	for (; *accel && k + 1 < n; accel++)
		if (isalnum((unsigned char)*accel))
			out[k++] = (char)tolower((unsigned char)*accel);
	out[k] = '\0';
}

int emit_slice_g(const char *profile)
{
	if (!isdigit((unsigned char)profile[0]) || profile[1] != 'g' ||
	    profile[2] != '.')
		return 0;
	return profile[0] - '0';
}

double emit_job_share(const struct emit_job *j, double per_gpu)
{
	if (j->slice)
		return ceil(per_gpu * emit_slice_g(j->slice) / 7);
	return per_gpu * j->gpus;
}

const struct model_option *emit_option(const struct model_estimate *e,
				       const struct model_scenario *s,
				       const struct model_workload *w,
				       const char *accel)
{
	const struct model_workload_estimate *we =
		&e->wl[(size_t)(w - s->workloads)];
	const struct model_option *best = NULL;

	for (size_t i = 0; i < we->nopts; i++)
		if (we->opts[i].fits && !strcmp(we->opts[i].accel->name, accel) &&
		    (!best || we->opts[i].device_hours < best->device_hours))
			best = &we->opts[i];
	return best;
}

long emit_service_gpus(const struct model_scenario *s,
		       const struct model_estimate *e,
		       const struct model_plan_assignment *a)
{
	const struct model_option *o = model_plan_option(e, s, a);

	if (a->w->kind != MODEL_INFERENCE || !a->w->inference.output_tokens ||
	    a->w->inference.service_time > 0 || !o || o->tp < 2)
		return 1;
	return o->tp;
}

long emit_service_replicas(const struct model_scenario *s,
			   const struct model_estimate *e,
			   const struct model_plan_assignment *a)
{
	long g = emit_service_gpus(s, e, a);
	long n = ((a->devices < 1 ? 1 : a->devices) + g - 1) / g;

	return n < 1 ? 1 : n;
}

static double window_h(const struct model_scenario *s,
		       const struct model_workload *w)
{
	double end = w->deadline > 0 ? w->deadline : s->horizon;

	return fmax(end - w->start, 3600) / 3600;
}

const struct pricing_offer *emit_onprem_offer(const struct model_scenario *s,
						const char *accel)
{
	return model_onprem_offer(s, accel);
}

double emit_device_hours(const struct model_plan_assignment *a)
{
	return round(a->device_hours * 1000) / 1000;
}

bool emit_job_make(const struct model_scenario *s,
		     const struct model_estimate *e,
		     const struct model_plan_assignment *a, struct emit_job *j)
{
	const struct pricing_offer *o = a->offer ? a->offer
						 : emit_onprem_offer(s, a->accel);
	/* the in-house service runs on the organisation's servers: their
	 * bundle */
	if (a->offer && !strcasecmp(a->offer->provider, "in-house") &&
	    emit_onprem_offer(s, a->accel))
		o = emit_onprem_offer(s, a->accel);
	const struct model_workload *w = a->w;
	const struct model_option *opt = model_plan_option(e, s, a);
	double dh = emit_device_hours(a);

	memset(j, 0, sizeof(*j));
	j->a = a;
	j->cluster = a->family == PRICING_ACADEMIC && o && o->cluster
			     ? o->cluster
			     : "onprem";
	j->offer = o;
	emit_type_name(a->accel, j->type_buf, sizeof(j->type_buf));
	j->type = o && o->slurm_gpu_type ? o->slurm_gpu_type : j->type_buf;
	j->mig = o ? o->slurm_mig_prefix : NULL;
	j->cpus = o && o->slurm_cpus_per_gpu > 0 ? o->slurm_cpus_per_gpu
						 : DEFAULT_CPUS;
	j->mem = o && o->slurm_mem_gb_per_gpu > 0 ? o->slurm_mem_gb_per_gpu
						  : DEFAULT_MEM_GB;
	j->walltime = a->family == PRICING_ACADEMIC && o
			      ? o->term[PRICING_WALLTIME_H]
			      : ONPREM_MAX_H;
	j->gpus = 1;
	j->count = 1;
	switch (w->kind) {
	case MODEL_TEACHING: /* a job per student, for a session */
		j->count = lround(w->teaching.students * a->share);
		j->hours = w->teaching.duration / 3600 + 0.25;
		if (opt && emit_slice_g(opt->slice) > 0)
			j->slice = opt->slice;
		break;
	case MODEL_RESEARCH:
		if (w->research.job_count > 0) {
			j->gpus = (int)w->research.job_gpus;
			j->count = lround(w->research.job_count * a->share);
		} else {
			j->count = (long)ceil(dh / 24);
		}
		j->count = j->count < 1 ? 1 : j->count;
		j->hours = dh / (double)j->count / j->gpus;
		break;
	case MODEL_FINETUNE: /* one run; submitted for each run */
		j->gpus = opt ? opt->devices : 1;
		j->hours = dh / fmax(w->finetune.runs_rate *
					     window_h(s, w) * 3600,
				     1) /
			   j->gpus;
		break;
	default:
		return false;
	}
	j->count = j->count < 1 ? 1 : j->count;
	j->throttle = (long)ceil(dh / window_h(s, w) / j->gpus);
	j->throttle = j->throttle < 1 ? 1
		      : j->throttle > j->count ? j->count
					       : j->throttle;
	if (w->kind == MODEL_TEACHING)
		j->throttle = j->count;
	j->per_task = 1;
	j->units = j->count;
	return true;
}


int emit_mig_per_gpu(const struct model_scenario *s, const char *accel,
		     const char *profile)
{
	const struct pricing_accel *a =
		pricing_catalog_find_accel(&s->catalog, accel);
	const char *dot = strchr(profile, '.');
	int g = emit_slice_g(profile), per;
	double mem = dot ? strtod(dot + 1, NULL) : 0;

	if (g <= 0)
		return 0;
	per = 7 / g;
	/* the slices' memory within the GPU's (141 GB holds two 71 GB) */
	if (a && mem > 0 && (int)((a->memory_gb + 2) / mem) < per)
		per = (int)((a->memory_gb + 2) / mem);
	return per < 1 ? 1 : per;
}
