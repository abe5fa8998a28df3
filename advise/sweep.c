/* A sweep (docs/sweep.md): its grid, each --set PATH=V1,V2,... (or A..B
 * step S) a dimension, points numbered 1.. in row-major order, the last
 * --set changing fastest; every value checked alone before the grid
 * runs; and one point planned (and simulated) into its results. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advise.h"

/* "60..240 step 60" -> 60, 120, 180, 240 */
static int range(struct advise_sweep_dim *d, const char *arg,
		 const char *v, struct util_err *err)
{
	const char *dots = strstr(v, "..");
	char a[64], b[64], s[64], *ua, *ub;
	double lo, hi, step;
	int n = 0;

	snprintf(a, sizeof(a), "%.*s", (int)(dots - v), v);
	lo = strtod(a, &ua); /* a unit may follow: 0.10/kWh..0.30/kWh */
	if (sscanf(dots + 2, "%63s step %63s %n", b, s, &n) != 2 ||
	    dots[2 + n] || ua == a || (hi = strtod(b, &ub), ub == b) ||
	    strcmp(ua, ub) || util_parse_double(s, &step) || !isfinite(lo) ||
	    !isfinite(hi))
		return util_err_set(err, UTIL_E_USAGE, "'--set %s': a range is "
				       "'FROM..TO step STEP', FROM and TO "
				       "numbers with the same unit (e.g. "
				       "'60..240 step 60', '0.10/kWh..0.30/kWh "
				       "step 0.05'), got '%s'", arg, v);
	if (step <= 0 || hi < lo || (hi - lo) / step > 10000)
		return util_err_set(err, UTIL_E_USAGE, "'--set %s': the range must go "
				       "up by a positive step, at most 10000 "
				       "values", arg);
	for (long i = 0;; i++) {
		double x = lo + (double)i * step;

		if (x > hi + step * 1e-9)
			break;
		UTIL_GROW(d->values, d->nvalues + 1, d->alloc);
		d->values[d->nvalues++] = util_xasprintf("%.10g%s", x, ua);
	}
	return 0;
}

int advise_sweep_add(struct advise_sweep_grid *g, const char *arg,
		     struct util_err *err)
{
	const char *eq = strchr(arg, '=');
	struct advise_sweep_dim *d;

	if (g->ndims == ADVISE_SWEEP_MAX_DIMS)
		return util_err_set(err, UTIL_E_USAGE, "at most %d --set",
				    ADVISE_SWEEP_MAX_DIMS);
	if (!eq || eq == arg || !eq[1])
		return util_err_set(err, UTIL_E_USAGE, "'--set %s': expected "
				       "PATH=V1,V2,... (e.g. "
				       "workloads.dl-course.students=60,120)",
				       arg);
	UTIL_GROW(g->dims, g->ndims + 1, g->alloc);
	d = &g->dims[g->ndims++];
	memset(d, 0, sizeof(*d));
	d->arg = arg;
	d->path = util_xstrndup(arg, (size_t)(eq - arg));
	for (size_t i = 0; i + 1 < g->ndims; i++)
		if (!strcmp(g->dims[i].path, d->path))
			return util_err_set(err, UTIL_E_USAGE, "'%s' is set twice",
					       d->path);
	if (strstr(eq + 1, ".."))
		return range(d, arg, eq + 1, err);
	for (const char *p = eq + 1;;) {
		/* a list value [a, b] is one value: its commas do not split */
		size_t n = *p == '[' && strchr(p, ']')
				   ? (size_t)(strchr(p, ']') - p) + 1
				   : strcspn(p, ",");

		if (!n)
			return util_err_set(err, UTIL_E_USAGE, "'--set %s': an empty "
					       "value", arg);
		UTIL_GROW(d->values, d->nvalues + 1, d->alloc);
		d->values[d->nvalues++] = util_xstrndup(p, n);
		if (!p[n])
			break;
		if (p[n] != ',')
			return util_err_set(err, UTIL_E_USAGE, "'--set %s': a list "
					       "value is [a, b], then a comma "
					       "or the end", arg);
		p += n + 1;
	}
	return 0;
}

int advise_sweep_size(const struct advise_sweep_grid *g, size_t *n,
		      struct util_err *err)
{
	double total = 1;

	for (size_t i = 0; i < g->ndims; i++)
		total *= (double)g->dims[i].nvalues;
	if (total > ADVISE_SWEEP_MAX_POINTS)
		return util_err_set(err, UTIL_E_USAGE, "%.0f points: at most %d in one "
				       "sweep", total, ADVISE_SWEEP_MAX_POINTS);
	*n = (size_t)total;
	return 0;
}

void advise_sweep_point(const struct advise_sweep_grid *g, size_t index,
			struct model_set *set)
{
	size_t rest = index - 1;

	for (size_t i = g->ndims; i-- > 0;) {
		const struct advise_sweep_dim *d = &g->dims[i];

		set[i].path = d->path;
		set[i].value = d->values[rest % d->nvalues];
		rest /= d->nvalues;
	}
}

void advise_sweep_release(struct advise_sweep_grid *g)
{
	for (size_t i = 0; i < g->ndims; i++) {
		free(g->dims[i].path);
		util_strv_free(g->dims[i].values, g->dims[i].nvalues);
	}
	free(g->dims);
	memset(g, 0, sizeof(*g));
}

int advise_sweep_check(const struct advise_source *src,
		       const struct advise_sweep_grid *g, struct util_err *err)
{
	for (size_t i = 0; i < g->ndims; i++)
		for (size_t k = 0; k < g->dims[i].nvalues; k++) {
			struct model_set set = {g->dims[i].path,
						g->dims[i].values[k]};
			struct model_scenario s;
			struct util_diags d;
			struct util_err e = {0};
			int rc;

			util_diags_init(&d);
			rc = advise_source_load(src, &set, 1, &s, &d, &e);
			util_diags_sort(&d);
			if (rc == UTIL_E_USAGE)
				util_err_set(err, rc, "--set %s: %s",
					     g->dims[i].arg, e.msg);
			else if (rc)
				util_err_set(err, UTIL_E_INPUT, "--set %s: the "
					     "value '%s' is rejected: %s",
					     g->dims[i].arg,
					     g->dims[i].values[k],
					     d.n ? d.v[0].msg : "?");
			util_diags_release(&d);
			model_scenario_release(&s);
			if (rc)
				return rc == UTIL_E_USAGE ? UTIL_E_USAGE
							  : UTIL_E_INPUT;
		}
	return 0;
}

/* The families of p's assignments, in the families' order, and its
 * purchases, '+' between them. */
static void plan_summary(const struct model_plan *p,
			 struct advise_sweep_result *out)
{
	char *fam = out->families, *buy = out->buy;
	size_t nf = sizeof(out->families), nb = sizeof(out->buy);

	for (int f = 0; f < PRICING_NFAMILIES; f++)
		for (size_t i = 0; i < p->nassign; i++)
			if ((int)p->assign[i].family == f) {
				snprintf(fam + strlen(fam), nf - strlen(fam),
					 "%s%s", *fam ? "+" : "",
					 pricing_family_names[f]);
				break;
			}
	for (size_t i = 0; i < p->nbuy; i++)
		snprintf(buy + strlen(buy), nb - strlen(buy), "%s%ldx%s",
			 *buy ? "+" : "", p->buy[i].count, p->buy[i].accel);
}

/* The simulation's figures over the workloads: the cost, the largest
 * p95 wait, p99 latency and deadline miss (-1: none has it). The cost is
 * the plan's total with each assignment's planned cost replaced by its
 * workloads' realised cost: what the work costs (rent, energy) is
 * simulated, the devices bought and owned (capex, upkeep) are the
 * plan's, so that the column compares with total_cost across points
 * that buy boards and points that rent. */
static void sim_summary(const struct model_plan *p,
			const struct sim_result *sr,
			struct advise_sweep_result *out)
{
	out->sim_cost = p->total_cost;
	for (size_t i = 0; i < p->nassign; i++)
		out->sim_cost -= p->assign[i].cost;
	out->wait_p95_s = out->latency_p99_ms = out->deadline_miss = -1;
	for (size_t i = 0; i < sr->nwl; i++) {
		const struct sim_workload_result *w = &sr->wl[i];

		out->sim_cost += w->cost.mean;
		if (w->has_wait && w->wait_s.p95.mean > out->wait_p95_s)
			out->wait_p95_s = w->wait_s.p95.mean;
		if (w->has_latency &&
		    w->latency_ms.p99.mean > out->latency_p99_ms)
			out->latency_p99_ms = w->latency_ms.p99.mean;
		if (w->has_deadline &&
		    w->deadline_miss.mean > out->deadline_miss)
			out->deadline_miss = w->deadline_miss.mean;
	}
}

void advise_sweep_run(const struct advise_source *src,
		      const struct model_set *set, size_t nset, bool simulate,
		      struct advise_sweep_result *out)
{
	struct model_plan_opts po = {.family = -1};
	struct model_plan p = {0};
	struct model_scenario s;
	struct util_diags d;
	struct util_err err = {0};

	memset(out, 0, sizeof(*out));
	util_diags_init(&d);
	if (advise_source_load(src, set, nset, &s, &d, &err)) {
		util_diags_sort(&d);
		out->status = "invalid";
		out->message = util_xstrdup(d.n ? d.v[0].msg : err.msg);
	} else if (model_plan(&s, &po, &p, &err)) {
		out->status = "error";
		out->message = util_xstrdup(err.msg);
	} else if (p.status != MODEL_PLAN_OPTIMAL &&
		   p.status != MODEL_PLAN_FEASIBLE) {
		out->status = model_plan_status_names[p.status];
		/* the first line of the reason */
		out->message = util_xstrndup(p.why ? p.why : "",
					     p.why ? strcspn(p.why, "\n") : 0);
	} else {
		out->status = model_plan_status_names[p.status];
		out->planned = true;
		out->total_cost = p.total_cost;
		plan_summary(&p, out);
	}
	if (out->planned && simulate) {
		struct sim_opts so = {.seed = 1, .replications = 10, .jobs = 1};
		struct sim_result sr = {0};

		if (sim_simulate(&s, &p, &so, &sr, &err))
			out->message = util_xstrdup(err.msg);
		else
			sim_summary(&p, &sr, out);
		out->simulated = !out->message;
		sim_result_release(&sr);
	}
	if (!out->message && out->planned &&
	    model_courses_split_by_default(&s))
		/* the points on either side of the threshold plan courses
		 * differently: say which (docs/scenario.md, one_venue) */
		out->message = util_xasprintf(
			"sessions may split: %zu courses, more than %d",
			s.courses, MODEL_WHOLE_COURSES);
	if (!out->message)
		out->message = util_xstrdup("");
	model_plan_release(&p);
	model_scenario_release(&s);
	util_diags_release(&d);
}

void advise_sweep_result_release(struct advise_sweep_result *r)
{
	free(r->message);
	memset(r, 0, sizeof(*r));
}
