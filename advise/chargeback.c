/* Chargeback (issue 25, docs/chargeback.md): the hourly rate per
 * accelerator that recovers an on-prem pool's full cost at a plan's
 * utilisation, and the showback of each entity (or workload) month by
 * month under those rates. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "advise.h"

const char *const advise_rule_names[2] = {"device-hours", "reference-speed"};

/* A device-hour of accel in reference hours: its speed on LLM training
 * next to an H100 (model/perf_speed.c, MLPerf Training), else on vision
 * training, else 1 (then *known is false). */
static double reference_speed(const char *accel, bool *known)
{
	double v = model_class_speed(accel, MODEL_CLASS_LLM_TRAIN);

	if (v <= 0)
		v = model_class_speed(accel, MODEL_CLASS_VISION_TRAIN);
	*known = v > 0;
	return v > 0 ? v : 1;
}

/* Staff, overhead and storage go to the pools in proportion to their
 * capex (the value of the hardware they look after), or to their devices
 * when no pool has any capex. */
static void share_fixed(struct advise_chargeback *cb, double fixed,
			double storage)
{
	double capex = 0, devices = 0;

	for (size_t i = 0; i < cb->nrates; i++) {
		capex += cb->rates[i].capex;
		devices += (double)cb->rates[i].devices;
	}
	for (size_t i = 0; i < cb->nrates; i++) {
		struct advise_rate *r = &cb->rates[i];

		double share = capex > 0      ? r->capex / capex
			       : devices > 0 ? (double)r->devices / devices
					     : 0;

		r->fixed = fixed * share;
		r->storage = storage * share;
	}
}

static void pool_costs(const struct model_scenario *s,
		       struct advise_chargeback *cb)
{
	double capex, maint, fixed;

	model_committed(s, &capex, &maint, &fixed);
	cb->storage = model_onprem_storage(s, &cb->storage_byte_s);
	cb->nrates = cb->pools.n;
	cb->rates = util_xcalloc(cb->nrates + 1, sizeof(*cb->rates));
	for (size_t i = 0; i < cb->nrates; i++) {
		const struct model_pool *p = &cb->pools.v[i];
		struct advise_rate *r = &cb->rates[i];

		r->accel = p->accel;
		r->devices = p->owned + p->bought;
		r->capex = p->committed_capex + p->capex;
		r->maintenance = p->committed_maintenance + p->maintenance;
		r->running = p->running;
		r->hosting = p->hosting;
		r->used = p->used_total;
		r->avail = p->avail_total;
		r->speed = reference_speed(p->accel, &r->speed_known);
	}
	share_fixed(cb, fixed - cb->storage, cb->storage);
	for (size_t i = 0; i < cb->nrates; i++) {
		struct advise_rate *r = &cb->rates[i];

		r->cost = r->capex + r->maintenance + r->running + r->fixed +
			  r->storage + r->hosting;
		cb->total_cost += r->cost;
	}
}

/* Money per billed unit that recovers cost (1 + margin) over units;
 * INFINITY when nothing is billed. */
static double recover(double cost, double margin, double units)
{
	return units > 0 ? cost * (1 + margin) / units : INFINITY;
}

static void rates(struct advise_chargeback *cb)
{
	double cost = 0, ref_used = 0, ref_avail = 0;

	for (size_t i = 0; i < cb->nrates; i++) {
		struct advise_rate *r = &cb->rates[i];

		cost += r->cost;
		ref_used += r->used * r->speed;
		ref_avail += r->avail * r->speed;
		r->utilisation = r->avail > 0 ? r->used / r->avail : 0;
		if (cb->rule == ADVISE_RULE_DEVICE_HOURS) {
			r->rate = recover(r->cost, cb->margin, r->used);
			r->rate_reasonable =
				recover(r->cost, cb->margin,
					r->avail * ADVISE_REASONABLE_USE);
		}
		r->absurd = r->utilisation < MODEL_POOL_IDLE;
	}
	if (cb->rule != ADVISE_RULE_REFERENCE_SPEED)
		return;
	/* one price per reference hour over every pool: a device-hour of
	 * each accelerator costs its speed in reference hours */
	cb->ref_rate = recover(cost, cb->margin, ref_used);
	for (size_t i = 0; i < cb->nrates; i++) {
		struct advise_rate *r = &cb->rates[i];

		r->rate = cb->ref_rate * r->speed;
		r->rate_reasonable =
			recover(cost, cb->margin,
				ref_avail * ADVISE_REASONABLE_USE) *
			r->speed;
	}
}

/* The simulation's use of each pool: the on-prem pool of the same
 * accelerator (none: unused), and the rates that recover the cost over
 * those device-hours under cb's rule. */
static void sim_rates(const struct sim_result *sim,
		      struct advise_chargeback *cb)
{
	double cost = 0, ref_used = 0;

	cb->has_sim = true;
	for (size_t i = 0; i < cb->nrates; i++) {
		struct advise_rate *r = &cb->rates[i];
		double had = 0;

		for (size_t k = 0; k < sim->npools; k++)
			if (!strcmp(sim->pools[k].accel, r->accel)) {
				r->sim_used = sim->pools[k].busy_h.mean;
				had = sim->pools[k].devices_h.mean;
			}
		r->sim_utilisation = had > 0 ? r->sim_used / had : 0;
		r->sim_rate = recover(r->cost, cb->margin, r->sim_used);
		cost += r->cost;
		ref_used += r->sim_used * r->speed;
	}
	if (cb->rule != ADVISE_RULE_REFERENCE_SPEED)
		return;
	cb->sim_ref_rate = recover(cost, cb->margin, ref_used);
	for (size_t i = 0; i < cb->nrates; i++)
		cb->rates[i].sim_rate = cb->sim_ref_rate * cb->rates[i].speed;
}

/* The showback's groups: the scenario's entities, else its workloads. */
static void groups(const struct model_scenario *s,
		   struct advise_chargeback *cb)
{
	size_t ne = model_scenario_entity_count(s);

	cb->by_entity = ne > 0;
	cb->ngroups = cb->by_entity ? ne : s->nworkloads;
	cb->groups = util_xcalloc(cb->ngroups + 1, sizeof(*cb->groups));
	for (size_t g = 0; g < cb->ngroups; g++)
		cb->groups[g] = cb->by_entity
					? model_scenario_entity(s, g)->name
					: s->workloads[g].name;
}

static size_t group_of(const struct model_scenario *s,
		       const struct advise_chargeback *cb,
		       const struct model_workload *w)
{
	size_t wi = (size_t)(w - s->workloads);

	return cb->by_entity ? (size_t)w->entity : wi;
}

static void showback(const struct model_scenario *s,
		     const struct model_plan *p, struct advise_chargeback *cb)
{
	size_t nm = cb->nmonths, nr = cb->nrates;
	double *m = util_xcalloc(nm, sizeof(double));

	cb->dh = util_xcalloc(cb->ngroups * nm * nr + 1, sizeof(double));
	cb->charge = util_xcalloc(cb->ngroups * nm + 1, sizeof(double));
	for (size_t i = 0; i < p->nassign; i++) {
		const struct model_plan_assignment *a = &p->assign[i];
		size_t g = group_of(s, cb, a->w), r;

		if (a->family != PRICING_ONPREM)
			continue;
		for (r = 0; r < nr && strcmp(cb->rates[r].accel, a->accel);
		     r++)
			;
		UTIL_BUG_ON(r >= nr || g >= cb->ngroups);
		model_fold_months(s, a->period_device_hours, p->nperiods,
				  p->period_s, m);
		for (size_t k = 0; k < nm; k++) {
			cb->dh[(g * nm + k) * nr + r] += m[k];
			if (isfinite(cb->rates[r].bill_rate))
				cb->charge[g * nm + k] +=
					m[k] * cb->rates[r].bill_rate;
		}
	}
	for (size_t k = 0; k < cb->ngroups * nm; k++)
		cb->recovered += cb->charge[k];
	free(m);
}

int advise_chargeback(const struct model_scenario *s,
		      const struct model_plan *p,
		      const struct advise_chargeback_opts *o,
		      struct advise_chargeback *out, struct util_err *err)
{
	memset(out, 0, sizeof(*out));
	out->rule = o->rule;
	out->margin = o->margin;
	if (p->status != MODEL_PLAN_OPTIMAL &&
	    p->status != MODEL_PLAN_FEASIBLE)
		return util_err_set(err, UTIL_E_INPUT, "no plan to charge "
				    "back: %s", p->why ? p->why : "none found");
	if (o->simulated && !o->sim)
		return util_err_set(err, UTIL_E_INPUT, "no simulation to "
				    "charge back at its utilisation");
	model_plan_pools(s, p, &out->pools);
	if (!out->pools.n)
		return util_err_set(err, UTIL_E_INPUT, "scenario '%s' has no "
				    "on-prem pool to charge back (give "
				    "venues.onprem.owned or buy)", s->name);
	out->nmonths = out->pools.nmonths;
	pool_costs(s, out);
	rates(out);
	if (o->sim)
		sim_rates(o->sim, out);
	out->simulated = o->sim && o->simulated;
	for (size_t i = 0; i < out->nrates; i++)
		out->rates[i].bill_rate = out->simulated
						  ? out->rates[i].sim_rate
						  : out->rates[i].rate;
	groups(s, out);
	showback(s, p, out);
	return 0;
}

void advise_chargeback_release(struct advise_chargeback *cb)
{
	model_pools_release(&cb->pools);
	free(cb->rates);
	free(cb->groups);
	free(cb->dh);
	free(cb->charge);
	memset(cb, 0, sizeof(*cb));
}
