/* Which estimated option an assignment of a plan runs: the one the
 * planner took (model/plan_cols.c, best_option), so that the simulator
 * and the emitters run the layout the plan paid for. */
#include <math.h>
#include <string.h>

#include "model.h"

/* Devices one instance of a's offer gives at most, 0: no limit (an
 * on-prem pool, edge boards and academic clusters are not rented by the
 * instance). */
static long instance_devices(const struct model_plan_assignment *a)
{
	if (!a->offer || a->family == PRICING_ONPREM ||
	    a->family == PRICING_ACADEMIC || a->family == PRICING_EDGE ||
	    a->w->kind == MODEL_TEACHING)
		return 0;
	return a->offer->count;
}

double model_option_paid_dh(const struct model_workload *w,
			    const struct model_option *o, long inst)
{
	double n = o->devices;

	if (w->kind != MODEL_FINETUNE || inst <= 0 || n <= 0)
		return o->device_hours;
	return o->device_hours * ceil(n / (double)inst - 1e-9) *
	       (double)inst / n;
}

const struct model_option *
model_plan_option(const struct model_estimate *e,
		  const struct model_scenario *s,
		  const struct model_plan_assignment *a)
{
	const struct model_workload_estimate *we =
		&e->wl[(size_t)(a->w - s->workloads)];
	/* the planner's venues on site: requests reach them without the
	 * round trip */
	bool local = a->family == PRICING_ONPREM || a->family == PRICING_EDGE;
	long inst = instance_devices(a);
	const struct model_option *best = NULL;
	int best_tier = -1;

	for (size_t i = 0; i < we->nopts; i++) {
		const struct model_option *o = &we->opts[i];
		int tier;

		if (!o->fits || strcmp(o->accel->name, a->accel))
			continue;
		/* what the planner requires first, then what it relaxes
		 * when no option meets a latency target (best effort) */
		tier = 2 * (inst <= 0 || o->devices <= inst) +
		       (a->w->kind != MODEL_INFERENCE ||
			(local ? o->meets_latency : o->meets_latency_remote));
		if (tier > best_tier ||
		    (tier == best_tier &&
		     model_option_paid_dh(a->w, o, inst) <
			     model_option_paid_dh(a->w, best, inst))) {
			best = o;
			best_tier = tier;
		}
	}
	return best;
}

/* Whether assignment a serves an LLM with the performance model's
 * engines (not a measured service time). */
static bool llm_engines(const struct model_plan_assignment *a)
{
	return a->w->kind == MODEL_INFERENCE && a->w->inference.output_tokens &&
	       !(a->w->inference.service_time > 0);
}

bool model_plan_engines_of(const struct model_estimate *e,
			   const struct model_scenario *s,
			   const struct model_plan_assignment *a,
			   struct model_plan_engines *out)
{
	const struct model_option *o;

	if (!llm_engines(a) || !(o = model_plan_option(e, s, a)) || o->tp < 1)
		return false;
	out->tp = o->tp;
	out->count = (a->peak_devices + o->tp - 1) / o->tp;
	if (out->count < 1)
		out->count = 1;
	out->sequences = o->batch;
	return true;
}

bool model_plan_has_engines(const struct model_plan *p)
{
	for (size_t i = 0; i < p->nassign; i++)
		if (llm_engines(&p->assign[i]))
			return true;
	return false;
}

bool model_plan_llm_engines(const struct model_scenario *s,
			    const struct model_plan *p, struct util_buf *out)
{
	struct model_estimate e;
	struct util_err err;
	bool any = false;

	if (!model_plan_has_engines(p) ||
	    model_estimate(s, NULL, NULL, &e, &err))
		return false;
	for (size_t i = 0; i < p->nassign; i++) {
		const struct model_plan_assignment *a = &p->assign[i];
		struct model_plan_engines g;

		if (!model_plan_engines_of(&e, s, a, &g))
			continue;
		util_buf_printf(out, "%s  %s on %s: TP%d x %d at peak, %d "
				"sequence%s each\n",
				any ? "" : "LLM engines (the layout, "
					   "docs/perf-model.md):\n",
				a->w->name, a->venue, g.tp, g.count,
				g.sequences, g.sequences == 1 ? "" : "s");
		any = true;
	}
	model_estimate_release(&e);
	return any;
}
