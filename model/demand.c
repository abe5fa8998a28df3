/* Demand over time: how a workload's total work falls over the months of
 * the horizon (`monthly:`, `growth:`) and how long it may wait
 * (`flexible:`), for the planner and the simulator alike. */
#include <math.h>

#include "model.h"

double model_demand_weight(const struct model_workload *w, int month)
{
	int n = w->nmonthly > 12 ? w->nmonthly : 12;

	if (!w->shaped || month < 0)
		return 1;
	/* a list for the whole horizon: a period starting on its last
	 * hair (rounding) keeps the last month's weight */
	return w->monthly[n > 12 ? (month < n ? month : n - 1) : month % 12] *
	       pow(1 + w->growth, month);
}

/* Research given as a total: the other kinds come every period. */
static bool total_work(const struct model_workload *w)
{
	return w->kind == MODEL_RESEARCH &&
	       !(w->research.profile == MODEL_APPLIED &&
		 w->research.stream_rate > 0);
}

bool model_demand_timed(const struct model_workload *w)
{
	if (!total_work(w))
		return false;
	return w->deadline < 0 || w->shaped || w->flexible_set;
}

int model_demand_flex_periods(const struct model_workload *w,
			      double period_s, int n)
{
	double p;

	if (!w->flexible_set)
		return w->deadline > 0 ? n : 0;
	p = floor(w->flexible / period_s + 1e-9);
	return p > n ? n : (int)p;
}

void model_demand_shares(const struct model_workload *w, double end,
			 double period_s, int n, double *share)
{
	double sum = 0;

	for (int t = 0; t < n; t++) {
		double a = fmax(t * period_s, w->start);
		double b = fmin((t + 1) * period_s, end);
		/* the month the period starts in; a hair in so that 730 h
		 * periods land in their own month */
		int month = (int)floor((t * period_s + 1) / MODEL_MONTH);

		share[t] = b > a ? (b - a) / period_s *
					   model_demand_weight(w, month)
				 : 0;
		sum += share[t];
	}
	for (int t = 0; t < n; t++)
		share[t] = sum > 0 ? share[t] / sum : 0;
}
