/* gpuplan compare: seed 000's table computed for the scenario's own
 * workloads: every venue family planned on its own, plus the optimiser's
 * free choice (hybrid), each plan simulated. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim.h"

/* Maintenance in words, per family: seed 000, "Maintenance" row. */
static const char *const maintenance[SIM_COMPARE_COLUMNS] = {
	[PRICING_CLOUD] = "none: the provider's",
	[PRICING_CLOUD_SPOT] = "none: the provider's",
	[PRICING_GPUAAS] = "none: the provider's",
	[PRICING_ONPREM] = "high: yours",
	[PRICING_ACADEMIC] = "none: the centre's",
	[PRICING_DECENTRALIZED] = "none: the network's",
	[PRICING_EDGE] = "low: boards to look after",
	[PRICING_INHOUSE] = "none: the pool team's",
	[PRICING_NFAMILIES] = "variable: the mix's",
};

/* The line of a plan's explanation that concerns family f, or its first
 * line: "no venue can run 'w':\n  cloud: <why>\n ..." */
static char *ruled_out(const char *why, int f)
{
	const char *wl = strstr(why, "'"), *line, *end;
	char key[40];

	if (f >= 0 && wl && !strncmp(why, "no venue can run", 16)) {
		snprintf(key, sizeof(key), "\n  %s: ", pricing_family_names[f]);
		line = strstr(why, key);
		if (line) {
			const char *wend = strchr(wl + 1, '\'');

			line += strlen(key);
			end = strchr(line, '\n');
			return util_xasprintf("%.*s: %.*s", (int)(wend - wl + 1),
					      wl, (int)(end ? end - line
							    : (long)strlen(line)),
					      line);
		}
	}
	end = strchr(why, '\n');
	return util_xstrndup(why, end ? (size_t)(end - why) : strlen(why));
}

static double cash_capex(const struct model_plan *p)
{
	double sum = 0;

	for (size_t i = 0; i < p->nbuy; i++) {
		const double *t = p->buy[i].offer->term;
		double unit = t[PRICING_CAPEX] >= 0
				      ? t[PRICING_CAPEX]
				      : t[PRICING_UNIT_PRICE] /
						(double)p->buy[i].offer->count;

		sum += unit * (double)p->buy[i].count;
	}
	return sum;
}

/* How far a family scales, and how fast, in words. */
static void scalability(const struct model_scenario *s, int f,
			const struct model_plan *p, char *buf, size_t n)
{
	const struct model_venues *v = &s->venues;
	long owned = 0, buyable = 0;

	switch (f) {
	case PRICING_ONPREM:
		for (size_t i = 0; i < v->nowned; i++)
			owned += (long)v->owned[i].amount;
		for (size_t i = 0; i < v->nbuy; i++)
			buyable += v->buy[i].max;
		snprintf(buf, n, "%ld owned + up to %ld to buy, weeks of lead "
			 "time", owned, buyable);
		break;
	case PRICING_ACADEMIC:
		snprintf(buf, n, "%.4g RGU-years allocated; queue waits",
			 v->rgu_years);
		break;
	case PRICING_EDGE:
		snprintf(buf, n, "a board per site, bought");
		break;
	case PRICING_DECENTRALIZED:
		snprintf(buf, n, "market supply%s; minutes",
			 v->market_max_gpus ? ", capped" : "");
		break;
	case PRICING_NFAMILIES:
		snprintf(buf, n, "the sum of its parts (%zu venues used)",
			 p->nassign);
		break;
	default:
		snprintf(buf, n, "on demand, in minutes");
	}
}

static void figures(const struct model_scenario *s,
		    struct sim_compare_column *c)
{
	const struct model_plan *p = &c->plan;
	double net = p->cost[MODEL_COST_CAPEX];
	double months = s->horizon / MODEL_MONTH;

	c->total_cost = p->total_cost;
	c->initial_cost = cash_capex(p);
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

static int column(const struct model_scenario *s, const struct sim_opts *o,
		  int f, struct sim_compare_column *c, struct util_err *err)
{
	struct model_plan_opts po = {.family = f < PRICING_NFAMILIES ? f : -1};
	int rc;

	c->name = f < PRICING_NFAMILIES ? pricing_family_names[f] : "hybrid";
	c->maintenance = maintenance[f];
	rc = model_plan(s, &po, &c->plan, err);
	if (rc)
		return rc;
	scalability(s, f, &c->plan, c->scalability, sizeof(c->scalability));
	c->feasible = c->plan.status == MODEL_PLAN_OPTIMAL ||
		      c->plan.status == MODEL_PLAN_FEASIBLE;
	if (!c->feasible) {
		c->why = ruled_out(c->plan.why ? c->plan.why
					       : "no plan within the time "
						 "limit",
				   f < PRICING_NFAMILIES ? f : -1);
		return 0;
	}
	figures(s, c);
	return sim_simulate(s, &c->plan, o, &c->sim, err);
}

/* The cheapest feasible column, and what the cheapest single family
 * gives up against the hybrid plan. */
static void verdict(struct sim_compare *cmp)
{
	const struct sim_compare_column *h = &cmp->col[PRICING_NFAMILIES];
	int best = -1, single = -1;

	for (int i = 0; i < SIM_COMPARE_COLUMNS; i++) {
		const struct sim_compare_column *c = &cmp->col[i];

		if (!c->feasible)
			continue;
		if (best < 0 || c->total_cost < cmp->col[best].total_cost - 0.005)
			best = i;
		if (i < PRICING_NFAMILIES &&
		    (single < 0 ||
		     c->total_cost < cmp->col[single].total_cost - 0.005))
			single = i;
	}
	cmp->cheapest = best;
	if (best < 0) {
		cmp->verdict = util_xstrdup("no option can serve these "
					    "workloads: see why each is ruled "
					    "out");
		return;
	}
	if (single < 0 || !h->feasible)
		cmp->verdict = util_xasprintf(
			"cheapest: %s at %.2f %s; no single venue family "
			"serves every workload", cmp->col[best].name,
			cmp->col[best].total_cost, cmp->s->currency);
	else
		cmp->verdict = util_xasprintf(
			"cheapest: %s at %.2f %s; the cheapest single family, "
			"%s, costs %.2f (%+.0f%%) and keeps everything in one "
			"place", cmp->col[best].name, cmp->col[best].total_cost,
			cmp->s->currency, cmp->col[single].name,
			cmp->col[single].total_cost,
			h->total_cost > 0 ? (cmp->col[single].total_cost /
						     h->total_cost -
					     1) * 100
					  : 0);
}

int sim_compare(const struct model_scenario *s, const struct sim_opts *o,
		struct sim_compare *out, struct util_err *err)
{
	memset(out, 0, sizeof(*out));
	out->s = s;
	for (int f = 0; f < SIM_COMPARE_COLUMNS; f++) {
		int rc = column(s, o, f, &out->col[f], err);

		if (rc)
			return rc;
	}
	verdict(out);
	return 0;
}

void sim_compare_release(struct sim_compare *c)
{
	for (int i = 0; i < SIM_COMPARE_COLUMNS; i++) {
		model_plan_release(&c->col[i].plan);
		sim_result_release(&c->col[i].sim);
		free(c->col[i].why);
	}
	free(c->verdict);
	memset(c, 0, sizeof(*c));
}
