/* The figures of a report, from a comparison's plans and simulations:
 * money paid over time with the break-even between buying and renting,
 * the cost components, and the request latencies of the chosen option
 * (docs/report.md). Nothing is planned or simulated again here. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_int.h"

/* A new series of n points in f; returns its index. */
static size_t series(struct report_fig *f, const char *title, size_t n)
{
	size_t i = f->p.nseries++;

	UTIL_BUG_ON(i >= REPORT_MAX_SERIES);
	f->x[i] = util_xcalloc(n + 1, sizeof(double));
	f->y[i] = util_xcalloc(n + 1, sizeof(double));
	f->titles[i] = util_xstrdup(title);
	f->series[i] = (struct report_series){f->titles[i], f->x[i], f->y[i],
					      n};
	f->p.series = f->series;
	return i;
}

static void missing(struct report_fig *f, const char *why)
{
	free(f->missing);
	f->missing = util_xstrdup(why);
}

/* The option the page details: the verdict's, else the hybrid, else
 * the first with a plan. */
static int chosen(const struct advise_compare *c)
{
	if (c->cheapest >= 0)
		return c->cheapest;
	if (!c->by_strategy && c->col[PRICING_NFAMILIES].feasible)
		return PRICING_NFAMILIES;
	for (int i = 0; i < c->ncol; i++)
		if (c->col[i].feasible)
			return i;
	return -1;
}

/* The cheapest rented family alone with a plan, or -1. */
static int cheapest_rent(const struct advise_compare *c)
{
	static const int rented[] = {PRICING_CLOUD, PRICING_CLOUD_SPOT,
				     PRICING_GPUAAS, PRICING_DECENTRALIZED};
	int best = -1;

	for (size_t i = 0; i < UTIL_ARRAY_SIZE(rented); i++) {
		const struct advise_column *k = &c->col[rented[i]];

		if (k->feasible &&
		    (best < 0 || k->total_cost < c->col[best].total_cost))
			best = rented[i];
	}
	return best;
}

/* No break-even in n periods, with what the cash alone hides: buying
 * can still cost less in total, its devices keeping a residual value
 * (paid - total) at the end, which the totals count (edge boards bought
 * for two years of a five-year life). */
static char *no_break_even(const struct advise_compare *c, double paid,
			   int buy_col, int rent_col, size_t n)
{
	const struct advise_column *b = &c->col[buy_col], *r = &c->col[rent_col];
	const char *per = model_period_names[c->s->period], *cur = c->s->currency;
	char tb[48], tr[48], kept[48];

	if (!(b->total_cost < r->total_cost))
		return util_xasprintf("no break-even within the horizon: "
				      "buying (%s) still costs more than "
				      "renting (%s) after %zu %ss",
				      b->name, r->name, n, per);
	return util_xasprintf(
		"no break-even within the horizon: buying (%s) still costs "
		"more cash than renting (%s) after %zu %ss, but buying costs "
		"less over the horizon (%s against %s): its devices keep %s of "
		"residual value at the end, which the totals count",
		b->name, r->name, n, per,
		util_fmt_money(tb, sizeof(tb), b->total_cost, cur, false),
		util_fmt_money(tr, sizeof(tr), r->total_cost, cur, false),
		util_fmt_money(kept, sizeof(kept), paid - b->total_cost, cur,
			       false));
}

/* The first period from which buying has cost no more than renting, in
 * words, marked on the figure when it falls inside the horizon. */
static char *break_even(const struct advise_compare *c, struct report_fig *f,
			size_t buy, size_t rent, int buy_col, int rent_col)
{
	const char *bn = c->col[buy_col].name;
	const double *b = f->y[buy], *r = f->y[rent];
	size_t n = f->series[buy].n;
	const char *per = model_period_names[c->s->period];

	if (b[0] <= r[0])
		return util_xasprintf("buying (%s) costs no more than "
				      "renting (%s) from the first %s", bn,
				      c->col[rent_col].name, per);
	for (size_t t = 1; t < n; t++) {
		if (b[t] <= r[t]) {
			f->p.mark_x = (double)(t + 1);
			f->p.mark_y = b[t];
			snprintf(f->mark, sizeof(f->mark),
				 "break-even in %s %zu", per, t + 1);
			f->p.mark_label = f->mark;
			return util_xasprintf("break-even in %s %zu: from "
					      "then on, buying (%s) has cost "
					      "less than renting (%s)",
					      per, t + 1, bn,
					      c->col[rent_col].name);
		}
	}
	return no_break_even(c, b[n - 1], buy_col, rent_col, n);
}

static void cost_over_time(struct report *r)
{
	const struct advise_compare *c = r->c;
	struct report_fig *f = &r->fig[REPORT_FIG_COST_TIME];
	size_t at[ADVISE_MAX_COLUMNS];
	int rent = c->by_strategy ? -1 : cheapest_rent(c);
	/* buying: on-prem servers, else edge boards */
	int buy = c->by_strategy		   ? -1
		  : c->col[PRICING_ONPREM].feasible ? PRICING_ONPREM
		  : c->col[PRICING_EDGE].feasible   ? PRICING_EDGE
						    : -1;

	for (int i = 0; i < c->ncol; i++) {
		const struct model_plan *p = &c->col[i].r.plan;
		size_t k;

		at[i] = SIZE_MAX;
		if (!c->col[i].feasible || !p->nperiods)
			continue;
		k = at[i] = series(f, c->col[i].name, p->nperiods);
		model_plan_period_costs(p, f->y[k]);
		for (size_t t = 0; t < p->nperiods; t++) {
			f->x[k][t] = (double)(t + 1);
			if (t)
				f->y[k][t] += f->y[k][t - 1];
		}
	}
	if (!f->p.nseries)
		missing(f, "no option has a plan: there is no cost to draw");
	f->p.xlabel = model_period_names[c->s->period];
	f->p.ylabel = c->s->currency;
	if (c->by_strategy)
		r->break_even = util_xstrdup(
			"not computed: the break-even compares buying with "
			"renting, and the options here are strategies");
	else if (buy < 0)
		r->break_even = util_xstrdup(
			"not computed: buying alone (on-prem, or edge boards) "
			"has no plan for this scenario (see what was ruled "
			"out)");
	else if (rent < 0)
		r->break_even = util_xstrdup(
			"not computed: no way of renting alone has a plan "
			"for this scenario (see what was ruled out)");
	else
		r->break_even = break_even(c, f, at[buy], at[rent], buy, rent);
}

static void cost_breakdown(struct report *r)
{
	const struct advise_compare *c = r->c;
	struct report_fig *f = &r->fig[REPORT_FIG_BREAKDOWN];
	size_t ok = 0;

	for (int i = 0; i < c->ncol; i++)
		if (c->col[i].feasible)
			f->categories[ok++] = c->col[i].name;
	for (int k = 0; ok && k < MODEL_NCOSTS; k++) {
		double sum = 0;
		size_t s, j = 0;

		for (int i = 0; i < c->ncol; i++)
			sum += c->col[i].feasible ? c->col[i].r.plan.cost[k] : 0;
		if (fabs(sum) < 0.005) /* a component no plan pays */
			continue;
		s = series(f, model_cost_names[k], ok);
		for (int i = 0; i < c->ncol; i++)
			if (c->col[i].feasible)
				f->y[s][j++] = c->col[i].r.plan.cost[k];
	}
	f->p.categories = f->categories;
	f->p.ncategories = ok;
	f->p.xlabel = c->by_strategy ? "strategy" : "venue family";
	f->p.ylabel = c->s->currency;
	if (!f->p.nseries)
		missing(f, "no option has a plan: there is no cost to draw");
}

/* The p99 latency target drawn as a line when one workload has it
 * (several would crowd the figure: the table beside it gives each); a
 * series, so that the axis reaches it. */
static void latency_target(struct report *r, struct report_fig *f)
{
	const struct advise_checks *k = &r->c->col[r->chosen].r.checks;
	const struct advise_check *x = NULL;
	char title[64];
	size_t i;

	for (size_t j = 0; j < k->n; j++) {
		if (k->v[j].kind != ADVISE_LATENCY)
			continue;
		if (x)
			return;
		x = &k->v[j];
	}
	if (!x || f->p.nseries == REPORT_MAX_SERIES)
		return;
	snprintf(title, sizeof(title), "p99 target, %.3g ms", x->limit * 1e3);
	i = series(f, title, 2);
	f->x[i][0] = f->x[i][1] = x->limit * 1e3;
	f->y[i][0] = 0;
	f->y[i][1] = 1;
}

static void latency(struct report *r)
{
	struct report_fig *f = &r->fig[REPORT_FIG_LATENCY];
	const struct sim_result *sr;

	f->p.xlabel = "latency (ms)";
	f->p.ylabel = "share of requests";
	f->p.logx = true;
	if (r->chosen < 0) {
		missing(f, "no option has a plan: nothing was simulated");
		return;
	}
	sr = &r->c->col[r->chosen].r.sim;
	for (size_t w = 0; w < sr->nwl; w++) {
		const struct sim_hist *h = sr->wl[w].latency_hist;
		size_t i;

		if (!h || !h->n || f->p.nseries == REPORT_MAX_SERIES)
			continue;
		i = series(f, sr->wl[w].w->name, 199);
		for (int q = 1; q < 200; q++) {
			f->x[i][q - 1] = sim_hist_quantile(h, q / 200.0);
			f->y[i][q - 1] = q / 200.0;
		}
	}
	if (!f->p.nseries)
		missing(f, "the scenario has no inference workload: there are "
			   "no request latencies to draw");
	else
		latency_target(r, f);
}

/* The tornado: per parameter, the total cost at both ends, around the
 * plan's own. */
static void tornado(struct report *r)
{
	const struct advise_sensitivity *v = r->sens;
	struct report_fig *f = &r->fig[REPORT_FIG_TORNADO];
	size_t lo, hi;

	if (!v || isnan(v->base) || !v->n) {
		missing(f, !v ? "the sensitivity was not computed"
			: isnan(v->base)
				? "the optimiser finds no plan for the scenario "
				  "as it is, so there is nothing to move"
				: "no parameter to move");
		return;
	}
	snprintf(f->lo, sizeof(f->lo), "-%.0f%%", v->delta * 100);
	snprintf(f->hi, sizeof(f->hi), "+%.0f%%", v->delta * 100);
	lo = series(f, f->lo, v->n);
	hi = series(f, f->hi, v->n);
	for (size_t i = 0; i < v->n; i++) {
		f->categories[i] = v->v[i].name;
		f->y[lo][i] = isnan(v->v[i].cost[0]) ? v->base : v->v[i].cost[0];
		f->y[hi][i] = isnan(v->v[i].cost[1]) ? v->base : v->v[i].cost[1];
	}
	f->p.ncategories = v->n;
	f->p.categories = f->categories;
	f->p.mark_x = v->base;
	f->p.xlabel = r->c->s->currency;
	f->p.ylabel = "";
}

_Static_assert(ADVISE_MAX_PARAMS >= ADVISE_MAX_COLUMNS,
	       "a figure's categories hold the options and the parameters");

void report_init(struct report *r, const struct advise_compare *c,
		 const struct advise_loop_opts *o,
		 const struct advise_sensitivity *sens, const char *path)
{
	static const enum report_plot_kind kinds[REPORT_NFIGS] = {
		REPORT_COST_OVER_TIME, REPORT_COST_BREAKDOWN,
		REPORT_LATENCY_CDF, REPORT_TORNADO};
	static const char *const titles[REPORT_NFIGS] = {
		"money paid over time", "cost by component",
		"request latency", "total cost with each parameter moved"};

	memset(r, 0, sizeof(*r));
	r->c = c;
	r->o = o;
	r->sens = sens;
	r->path = path;
	r->chosen = chosen(c);
	for (int i = 0; i < REPORT_NFIGS; i++) {
		r->fig[i].p.kind = kinds[i];
		r->fig[i].p.mark_x = NAN;
		snprintf(r->fig[i].title, sizeof(r->fig[i].title), "%s: %s",
			 c->s->name ? c->s->name : "", titles[i]);
		r->fig[i].p.title = r->fig[i].title;
	}
	cost_over_time(r);
	cost_breakdown(r);
	latency(r);
	tornado(r);
}

void report_release(struct report *r)
{
	for (int i = 0; i < REPORT_NFIGS; i++) {
		for (int k = 0; k < REPORT_MAX_SERIES; k++) {
			free(r->fig[i].x[k]);
			free(r->fig[i].y[k]);
			free(r->fig[i].titles[k]);
		}
		free(r->fig[i].missing);
	}
	free(r->break_even);
	memset(r, 0, sizeof(*r));
}
