/* Sensitivity (docs/sweep.md): each venue family's prices and each
 * workload's size moved by -delta and +delta, the plan made again, and
 * the parameters ranked by how much the total cost moves. The scenario
 * is loaded afresh for every move by the caller's loader (its catalog
 * layers are the caller's), so that nothing moved leaks into the next. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advise.h"

/* The size of a workload that the delta scales, and its name. */
static const char *size_of(const struct model_workload *w)
{
	switch (w->kind) {
	case MODEL_TEACHING:
		return "students";
	case MODEL_RESEARCH:
		return w->research.job_count > 0 ? "jobs" : "gpu_hours";
	case MODEL_FINETUNE:
		return "tokens";
	default:
		return "rate";
	}
}

void advise_scale_workload(struct model_workload *w, double m)
{
	switch (w->kind) {
	case MODEL_TEACHING:
		w->teaching.students =
			lround(fmax((double)w->teaching.students * m, 1));
		break;
	case MODEL_RESEARCH:
		if (w->research.job_count > 0)
			w->research.job_count = lround(
				fmax((double)w->research.job_count * m, 1));
		else
			w->research.gpu_hours.amount *= m;
		w->research.batch_items *= m;
		w->research.stream_rate *= m;
		break;
	case MODEL_FINETUNE:
		w->finetune.tokens *= m;
		break;
	default:
		w->inference.rate *= m;
		break;
	}
}

double advise_plan_cost(const struct model_scenario *s,
			struct model_plan_warm *warm)
{
	struct model_plan_opts po = {.family = -1, .warm = warm};
	struct model_plan p = {0};
	struct util_err err;
	double cost = NAN;

	if (!model_plan(s, &po, &p, &err) &&
	    (p.status == MODEL_PLAN_OPTIMAL || p.status == MODEL_PLAN_FEASIBLE))
		cost = p.total_cost;
	model_plan_release(&p);
	return cost;
}

/* The scenario again, then moved; NAN without a plan or a scenario. */
static double cost_moved(advise_load_fn load, void *arg,
			 const struct advise_param *q, double m,
			 struct model_plan_warm *warm)
{
	struct model_scenario s;
	double cost = NAN;

	if (!load(arg, &s)) {
		struct util_err err;
		char fam[64];

		if (q->family >= 0) {
			snprintf(fam, sizeof(fam), "catalog.family.%s.price",
				 pricing_family_names[q->family]);
			model_override_prices(&s, fam, m, &err);
		} else {
			advise_scale_workload(&s.workloads[q->workload], m);
		}
		cost = advise_plan_cost(&s, warm);
	}
	model_scenario_release(&s);
	return cost;
}

double advise_swing(const struct advise_param *q)
{
	return fabs(q->cost[1] - q->cost[0]);
}

static int by_swing(const void *a, const void *b)
{
	const struct advise_param *x = a, *y = b;
	double d = advise_swing(y) - advise_swing(x);

	if (isnan(d))
		return isnan(advise_swing(x)) - isnan(advise_swing(y));
	return d > 0 ? 1 : d < 0 ? -1 : strcmp(x->name, y->name);
}

static size_t params(const struct model_scenario *s, struct advise_param *q)
{
	size_t n = 0;

	for (int f = 0; f < PRICING_NFAMILIES && n < ADVISE_MAX_PARAMS; f++) {
		bool has = false;

		for (size_t i = 0; i < s->catalog.noffers && !has; i++)
			has = (int)s->catalog.offers[i].family == f;
		if (!has || !(s->venues.allow & (1u << f)))
			continue;
		q[n].family = f;
		snprintf(q[n].name, sizeof(q[n].name), "%s prices",
			 pricing_family_names[f]);
		n++;
	}
	for (size_t i = 0; i < s->nworkloads && n < ADVISE_MAX_PARAMS; i++) {
		q[n].family = -1;
		q[n].workload = i;
		snprintf(q[n].name, sizeof(q[n].name), "%.60s %s",
			 s->workloads[i].name, size_of(&s->workloads[i]));
		n++;
	}
	return n;
}

void advise_sensitivity(const struct model_scenario *s, double delta,
			advise_load_fn load, void *arg,
			struct advise_sensitivity *out)
{
	/* every move starts from the base plan's basis (docs/formulation.md,
	 * Warm starts): the same start whatever the order of the moves */
	struct model_plan_warm *warm = model_plan_warm_new();

	memset(out, 0, sizeof(*out));
	out->delta = delta;
	out->base = advise_plan_cost(s, warm);
	model_plan_warm_freeze(warm);
	out->n = isnan(out->base) ? 0 : params(s, out->v);
	for (size_t i = 0; i < out->n; i++)
		for (int k = 0; k < 2; k++)
			out->v[i].cost[k] = cost_moved(load, arg, &out->v[i],
						       k ? 1 + delta
							 : 1 - delta,
						       warm);
	model_plan_warm_free(warm);
	qsort(out->v, out->n, sizeof(*out->v), by_swing);
}
