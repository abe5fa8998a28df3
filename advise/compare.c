/* gpuplan compare: seed 000's table computed for the scenario's own
 * workloads: every venue family planned on its own, plus the optimiser's
 * free choice (hybrid), each plan simulated. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "advise_int.h"

static void figures(const struct model_scenario *s,
		    struct advise_column *c)
{
	const struct model_plan *p = &c->r.plan;
	double net = p->cost[MODEL_COST_CAPEX];
	double months = s->horizon / MODEL_MONTH;

	c->total_cost = p->total_cost;
	c->initial_cost = model_plan_cash_capex(p);
	c->monthly_cost = (p->total_cost - net) / months;
	c->transfer_cost = p->cost[MODEL_COST_STORAGE] +
			   p->cost[MODEL_COST_EGRESS];
	for (size_t i = 0; i < p->nassign; i++) {
		c->device_hours += p->assign[i].device_hours;
		c->energy_kwh += p->assign[i].energy_kwh;
	}
	c->cost_per_gpu_hour = c->device_hours > 0
				       ? c->total_cost / c->device_hours
				       : 0;
}

int advise_column_run(const struct model_scenario *s,
		      const struct advise_loop_opts *o, int f, const char *name,
		      struct advise_column *c, struct util_err *err)
{
	struct advise_loop_opts lo = *o;
	int rc;

	lo.plan.family = f < PRICING_NFAMILIES ? f : -1;
	c->name = name;
	c->s = s;
	c->maintenance = advise_maintenance[f];
	rc = advise_loop(s, &lo, &c->r, err);
	if (!rc)
		advise_column_fill(s, f, name, c);
	return rc;
}

/* Maintenance in words for a plan over several families (the mix, a
 * strategy): the most demanding of the families its work is on; the
 * devices owned, when none of its work is on them, are looked after all
 * the same (their upkeep is committed). */
static const char *mix_maintenance(const struct model_scenario *s,
				   const struct model_plan *p)
{
	bool edge = false, owned = false;

	for (size_t i = 0; i < p->nassign; i++) {
		if (p->assign[i].share <= 0)
			continue;
		if (p->assign[i].family == PRICING_ONPREM)
			return advise_maintenance[PRICING_ONPREM];
		edge |= p->assign[i].family == PRICING_EDGE;
	}
	/* Boards bought for the sites are looked after as boards, not as a
	 * pool of servers. */
	for (size_t i = 0; i < p->nbuy; i++)
		if (p->buy[i].offer->family != PRICING_EDGE)
			return advise_maintenance[PRICING_ONPREM];
	if (edge)
		return advise_maintenance[PRICING_EDGE];
	for (size_t i = 0; i < s->venues.nowned; i++)
		owned |= s->venues.owned[i].amount > 0;
	return owned ? "the owned devices' only (committed)"
		     : "none: the providers'";
}

void advise_column_fill(const struct model_scenario *s, int f,
			const char *name, struct advise_column *c)
{
	c->name = name;
	c->s = s;
	c->maintenance = advise_maintenance[f];
	if (f >= PRICING_NFAMILIES && (c->r.plan.status == MODEL_PLAN_OPTIMAL ||
				       c->r.plan.status == MODEL_PLAN_FEASIBLE))
		c->maintenance = mix_maintenance(s, &c->r.plan);
	advise_scalability(s, f, &c->r.plan, c->scalability,
			   sizeof(c->scalability));
	c->feasible = c->r.plan.status == MODEL_PLAN_OPTIMAL ||
		      c->r.plan.status == MODEL_PLAN_FEASIBLE;
	if (!c->feasible) {
		c->status = ADVISE_RULED_OUT;
		c->why = advise_ruled_out(c->r.plan.why ? c->r.plan.why
							: "no plan within the "
							  "time limit",
					  f < PRICING_NFAMILIES ? f : -1);
		return;
	}
	c->status = c->r.checks.missed ? ADVISE_MISSES : ADVISE_MEETS;
	figures(s, c);
}

/* No column meets every target and the closest stopped for lack of
 * rounds: its loop again with more of them (twice as many, at least 3
 * more, at most 20); when that meets every target, what it took goes to
 * out->need. */
static int what_it_needs(const struct advise_loop_opts *o,
			 struct advise_compare *out, struct util_err *err)
{
	const struct model_scenario *s;
	int i = advise_closest(out), rounds = o->rounds > 0 ? o->rounds
							  : ADVISE_ROUNDS;
	struct advise_loop_opts lo = *o;
	struct advise_result r;
	int rc;

	for (int k = 0; k < out->ncol; k++)
		if (out->col[k].status == ADVISE_MEETS)
			return 0;
	if (i < 0 || !out->col[i].r.exhausted)
		return 0;
	s = out->col[i].s;
	lo.plan.family = i < PRICING_NFAMILIES && !out->by_strategy ? i : -1;
	lo.rounds = rounds * 2 > rounds + 3 ? rounds * 2 : rounds + 3;
	if (lo.rounds > 20)
		lo.rounds = 20;
	rc = advise_loop(s, &lo, &r, err);
	if (!rc && (r.plan.status == MODEL_PLAN_OPTIMAL ||
		    r.plan.status == MODEL_PLAN_FEASIBLE) && !r.checks.missed) {
		char m[64], d[64];

		out->need = util_xasprintf(
			"with %d rounds it would meet them at %s (%s), "
			"tightened: %s", r.rounds,
			util_fmt_money(m, sizeof(m), r.plan.total_cost,
				       s->currency, false),
			util_fmt_money(d, sizeof(d),
				       r.plan.total_cost -
					       out->col[i].total_cost,
				       NULL, true),
			r.tightened ? r.tightened : "nothing");
	}
	advise_result_release(&r);
	return rc;
}

int advise_compare(const struct model_scenario *s,
		   const struct advise_loop_opts *o, struct advise_compare *out,
		   struct util_err *err)
{
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->s = s;
	out->ncol = ADVISE_COLUMNS;
	for (int f = 0; f < ADVISE_COLUMNS && !rc; f++)
		rc = advise_column_run(s, o, f,
				       f < PRICING_NFAMILIES
					       ? pricing_family_names[f]
					       : "hybrid",
				       &out->col[f], err);
	if (rc)
		return rc;
	return advise_compare_finish(o, out, err);
}

int advise_compare_finish(const struct advise_loop_opts *o,
			  struct advise_compare *out, struct util_err *err)
{
	int rc = what_it_needs(o, out, err);

	if (rc)
		return rc;
	advise_verdict(out);
	return 0;
}

void advise_compare_release(struct advise_compare *c)
{
	for (int i = 0; i < ADVISE_MAX_COLUMNS; i++) {
		advise_result_release(&c->col[i].r);
		free(c->col[i].why);
	}
	free(c->verdict);
	free(c->need);
	memset(c, 0, sizeof(*c));
}
