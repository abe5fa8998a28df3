/* A research workload's demand over time: `monthly:` (12 weights),
 * `growth:` (5%/month), `flexible:` (how long work may wait) and
 * `delay_cost:` (what waiting costs). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scenario_int.h"

/* The months of the horizon, counted as the demand counts them (months
 * of 1/12 year, a part month counting whole). */
static int horizon_months(const struct model_scenario *s)
{
	return (int)ceil(s->horizon / MODEL_MONTH - 1e-6);
}

static int load_monthly(struct sload *l, struct util_ymap *m,
			struct model_workload *w)
{
	const yaml_node_t *n = util_ymap_get(m, "monthly");
	int hm = horizon_months(l->s);
	bool whole = hm > 12 && hm <= MODEL_MONTHLY_MAX;
	char what[80], alt[96] = "";
	size_t len;
	double sum = 0;
	int rc = 0;

	if (!n)
		return 0;
	len = n->type == YAML_SEQUENCE_NODE ? util_yseq_len(n) : 0;
	if (n->type == YAML_SEQUENCE_NODE)
		snprintf(what, sizeof(what), "%zu", len);
	else
		util_ydescribe(n, what, sizeof(what));
	if (whole)
		snprintf(alt, sizeof(alt), ", or of %d, one for each "
			 "month of the horizon", hm);
	if (n->type != YAML_SEQUENCE_NODE ||
	    (len != 12 && !(whole && len == (size_t)hm)))
		return util_ymap_err(m, n, "'monthly' in %s must be a list of "
				     "12 weights, one per month from the start "
				     "of the horizon (e.g. [1, 1, 2, ...])%s, "
				     "got %s", m->ctx, alt,
				     what);
	for (size_t i = 0; i < len; i++) {
		const yaml_node_t *it = util_yseq_item(m->y, n, i);
		const char *v = util_yscalar(it);
		struct util_err e = {0};

		if (!v || model_units_parse(v, MODEL_DIM_NUMBER, 0,
					    &w->monthly[i], &e) < 0) {
			rc = util_yerr(m->y, m->d, it, "month %zu of 'monthly' "
				       "in %s: expected a weight, a number >= 0"
				       "%s%s", i + 1, m->ctx, v ? ": " : "",
				       v ? e.msg : "");
			continue;
		}
		sum += w->monthly[i];
	}
	if (!rc && !(sum > 0))
		rc = util_ymap_err(m, n, "'monthly' in %s: every weight is 0 "
				   "(give the months the work comes in a "
				   "weight > 0)", m->ctx);
	w->nmonthly = (int)len;
	w->shaped = true;
	return rc ? UTIL_E_INPUT : 0;
}

/* "5%/month", "-2%/month", "20%/year" into a growth per month. */
static int load_growth(struct util_ymap *m, struct model_workload *w)
{
	const yaml_node_t *n = util_ymap_get(m, "growth");
	const char *v = n ? util_yscalar(n) : NULL;
	const char *slash = v ? strchr(v, '/') : NULL;
	char num[64];
	double g;
	struct util_err e = {0};

	if (!n)
		return 0;
	if (!slash || (size_t)(slash - v) >= sizeof(num))
		return util_ymap_err(m, n, "'growth' in %s: expected a rate "
				     "per month or per year, e.g. '5%%/month' "
				     "or '20%%/year'", m->ctx);
	memcpy(num, v, (size_t)(slash - v));
	num[slash - v] = 0;
	if (model_units_parse(num, MODEL_DIM_FRACTION, MODEL_UNITS_NEGATIVE,
			      &g, &e) < 0)
		return util_ymap_err(m, n, "'growth' in %s: %s (expected e.g. "
				     "'5%%/month')", m->ctx, e.msg);
	if (!(g > -1))
		return util_ymap_err(m, n, "'growth' in %s must be above "
				     "-100%% (demand cannot fall below "
				     "nothing)", m->ctx);
	if (!strcmp(slash + 1, "year") || !strcmp(slash + 1, "y"))
		g = pow(1 + g, 1.0 / 12) - 1;
	else if (strcmp(slash + 1, "month") && strcmp(slash + 1, "mo"))
		return util_ymap_err(m, n, "'growth' in %s: unknown period "
				     "'%s' (expected '/month' or '/year')",
				     m->ctx, slash + 1);
	if (!w->shaped) {
		for (int i = 0; i < 12; i++)
			w->monthly[i] = 1;
		w->nmonthly = 12;
	}
	w->growth = g;
	w->shaped = true;
	return 0;
}

int model_load_demand(struct sload *l, struct util_ymap *m,
		      struct model_workload *w)
{
	int rc = 0, f, dc;

	rc |= load_monthly(l, m, w);
	rc |= load_growth(m, w);
	f = sl_qty(m, "flexible", 0, MODEL_DIM_DURATION, 0, &w->flexible);
	if (f < 0)
		rc = UTIL_E_INPUT;
	w->flexible_set = f == 1;
	dc = sl_money(l, m, "delay_cost", MODEL_DIM_MONEY_PER_TIME,
		      &w->delay_cost);
	if (dc < 0)
		rc = UTIL_E_INPUT;
	if (dc == 1 && !(w->flexible > 0) && w->deadline < 0)
		rc = util_ymap_err(m, util_ymap_get(m, "delay_cost"),
				   "%s: 'delay_cost' prices the waiting that "
				   "'flexible' allows, and it has none: give "
				   "'flexible' (e.g. '2mo')", m->ctx);
	if (w->shaped && w->research.profile == MODEL_APPLIED &&
	    w->research.stream_rate > 0)
		rc = util_ymap_err(m, m->node, "%s: 'monthly' and 'growth' "
				   "shape a total of work ('gpu_hours', "
				   "'jobs' or 'batch'), not a 'stream'",
				   m->ctx);
	return rc ? UTIL_E_INPUT : 0;
}
