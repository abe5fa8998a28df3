/* A plan's money over time, and the cost/time Pareto front. */
#include <math.h>
#include <string.h>

#include "model.h"

/* The cash paid for purchase i. */
static double cash_of(const struct model_plan *p, size_t i)
{
	const double *t = p->buy[i].offer->term;
	double unit = t[PRICING_CAPEX] >= 0
			      ? t[PRICING_CAPEX]
			      : t[PRICING_UNIT_PRICE] /
					(double)p->buy[i].offer->count;

	return unit * (double)p->buy[i].count;
}

/* The period purchase i is paid in: its order's (the first date's
 * purchases are ordered within period 0). */
static size_t paid_period(const struct model_plan *p, size_t i)
{
	double t = fmax(p->buy[i].order_by, 0) / p->period_s;

	return t < (double)p->nperiods ? (size_t)t : p->nperiods - 1;
}

double model_plan_purchase_cash(const struct model_plan *p, size_t i)
{
	return cash_of(p, i);
}

double model_plan_cash_capex(const struct model_plan *p)
{
	double sum = 0;

	for (size_t i = 0; i < p->nbuy; i++)
		if (paid_period(p, i) == 0)
			sum += cash_of(p, i);
	return sum;
}

void model_plan_period_costs(const struct model_plan *p, double *cash)
{
	double fixed = p->cost[MODEL_COST_MAINTENANCE] +
		       p->cost[MODEL_COST_COMMITMENT];

	memset(cash, 0, p->nperiods * sizeof(*cash));
	for (size_t i = 0; i < p->nbuy; i++)
		cash[paid_period(p, i)] += cash_of(p, i);
	for (size_t t = 0; t < p->nperiods; t++)
		cash[t] += fixed / (double)p->nperiods;
	for (size_t i = 0; i < p->nassign; i++) {
		const struct model_plan_assignment *a = &p->assign[i];

		for (size_t t = 0; t < p->nperiods && a->device_hours > 0; t++)
			cash[t] += a->cost * a->period_device_hours[t] /
				   a->device_hours;
	}
}

/* The mean over flexible workloads of the period in which their last
 * work is done (1-based); 0 when there is none. */
static double mean_finish(const struct model_scenario *s,
			  const struct model_plan *p)
{
	double sum = 0;
	int n = 0;

	for (size_t w = 0; w < s->nworkloads; w++) {
		const struct model_workload *wl = &s->workloads[w];
		size_t last = 0;

		if (wl->kind != MODEL_RESEARCH || wl->research.stream_rate > 0)
			continue;
		for (size_t i = 0; i < p->nassign; i++)
			for (size_t t = 0; t < p->nperiods; t++)
				if (p->assign[i].w == wl &&
				    p->assign[i].period_device_hours[t] > 1e-9 &&
				    t + 1 > last)
					last = t + 1;
		sum += (double)last;
		n++;
	}
	return n ? sum / n : 0;
}

static bool planned(const struct model_plan *p)
{
	return p->status == MODEL_PLAN_OPTIMAL ||
	       p->status == MODEL_PLAN_FEASIBLE;
}

/* What a plan pays in all, in cash: what budgets count. */
static double cash_total(const struct model_plan *p)
{
	double *cash = util_xcalloc(p->nperiods + 1, sizeof(*cash)), sum = 0;

	model_plan_period_costs(p, cash);
	for (size_t t = 0; t < p->nperiods; t++)
		sum += cash[t];
	free(cash);
	return sum;
}

/* Whether point j is no better than point i: it costs no less and its
 * work ends no sooner (ties: the later point is the copy). */
static bool dominated(const double *cost, const double *finish, int i,
		      int j)
{
	double tol = 1e-9 * fmax(fabs(cost[i]), 1);

	if (cost[j] < cost[i] - tol || finish[j] < finish[i] - 1e-9)
		return false;
	return i < j || cost[j] > cost[i] + tol || finish[j] > finish[i] + 1e-9;
}

int model_pareto_prune(double *cost, double *finish, int n)
{
	int kept = 0;

	for (int j = 0; j < n; j++) {
		bool out = false;

		for (int i = 0; i < n && !out; i++)
			out = i != j && dominated(cost, finish, i, j);
		if (out)
			continue;
		cost[kept] = cost[j];
		finish[kept++] = finish[j];
	}
	return kept;
}

int model_pareto(const struct model_scenario *s, int points, double *cost,
		 double *finish, int *n, struct util_err *err)
{
	struct model_plan_opts o = {.family = -1};
	struct model_scenario eps = *s; /* shallow: only the budget differs */
	struct model_plan p;
	double cheap = 0, fast = 0;
	int rc = model_plan(s, &o, &p, err);

	*n = 0;
	if (!rc && !planned(&p))
		rc = util_err_set(err, UTIL_E_INFEASIBLE, "no feasible plan");
	if (!rc)
		cheap = cash_total(&p);
	model_plan_release(&p);
	if (rc)
		return rc;
	o.objective = MODEL_OBJECTIVE_TIME;
	rc = model_plan(s, &o, &p, err);
	if (!rc && planned(&p))
		fast = cash_total(&p);
	model_plan_release(&p);
	for (int i = 0; !rc && i < points; i++) {
		/* budgets from the cheapest plan's cost to the fastest's */
		eps.constraints.budget =
			cheap + (fast - cheap) * i / (points > 1 ? points - 1 : 1);
		eps.constraints.budget *= 1 + 1e-9;
		rc = model_plan(&eps, &o, &p, err);
		if (!rc && planned(&p)) {
			cost[*n] = p.total_cost;
			finish[*n] = mean_finish(s, &p);
			(*n)++;
		}
		model_plan_release(&p);
	}
	if (!rc)
		*n = model_pareto_prune(cost, finish, *n);
	return rc;
}
