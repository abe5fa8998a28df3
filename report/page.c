/* The report as blocks (docs/report.md): the question, the verdict, the
 * options, cost over time, the cost breakdown, waits and latencies
 * against their targets, owned pools, sensitivity, what was ruled out,
 * the assumptions and the commands to deploy. A section that cannot be
 * computed for a scenario says so. The texts are plain; the renderers
 * escape them. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "report_int.h"

static struct report_block *add(struct report_page *pg,
				enum report_block_kind kind, const char *fmt,
				...) UTIL_PRINTF(3, 4);
static struct report_block *add(struct report_page *pg,
				enum report_block_kind kind, const char *fmt,
				...)
{
	struct report_block *b;
	struct util_buf t;
	va_list ap;

	UTIL_GROW(pg->v, pg->n + 1, pg->alloc);
	b = &pg->v[pg->n++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	util_buf_init(&t);
	va_start(ap, fmt);
	util_buf_vprintf(&t, fmt, ap);
	va_end(ap);
	b->text = util_buf_detach(&t);
	return b;
}

/* An empty table of ncols columns, its header the first row of cells;
 * numeric: bit per column, figures aligned right. */
static struct report_block *table(struct report_page *pg, unsigned numeric,
				  size_t ncols)
{
	struct report_block *b = add(pg, RB_TABLE, "%s", "");

	UTIL_BUG_ON(ncols > REPORT_MAX_COLS);
	b->ncols = ncols;
	b->numeric = numeric;
	return b;
}

/* Appends one cell to the last row of t, starting a row when full. */
static void cell(struct report_block *t, const char *fmt, ...)
	UTIL_PRINTF(2, 3);
static void cell(struct report_block *t, const char *fmt, ...)
{
	size_t n = t->ncells;
	struct util_buf b;
	va_list ap;

	UTIL_GROW(t->cells, n + 1, t->alloc);
	util_buf_init(&b);
	va_start(ap, fmt);
	util_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	t->cells[n] = util_buf_detach(&b);
	t->ncells++;
	t->nrows = t->ncells / t->ncols;
}

/* Appends plain cells, up to a NULL, to t. */
static void cells(struct report_block *t, ...)
{
	const char *c;
	va_list ap;

	va_start(ap, t);
	while ((c = va_arg(ap, const char *)))
		cell(t, "%s", c);
	va_end(ap);
}

/* ---- figures in words people read ---- */

/* Money as every command writes it (util_fmt_money): "49,151 USD",
 * "769 USD", "12.50 USD": the page showed cents up to 999.99 where
 * compare rounds from 100 ("768.71 CAD" against compare's "769 CAD"). */
static void money(char *buf, size_t n, double v, const char *cur)
{
	util_fmt_money(buf, n, v, cur, false);
}

/* v with three significant digits and, when ci >= 0, its spread to the
 * same decimals: "6.46 ± 2.60", "50.1 ± 0.0", "5", "1642"; then the
 * unit. */
static void with_spread(char *buf, size_t n, double v, double ci,
			const char *unit)
{
	int d = v ? 2 - (int)floor(log10(fabs(v))) : 2;

	d = d < 0 ? 0 : d > 9 ? 9 : d;
	if (ci >= 0)
		snprintf(buf, n, "%.*f %s ± %.*f", d, v, unit, d, ci);
	else if (fabs(v) < 1000) /* "5 min", "42 d": as people set them */
		snprintf(buf, n, "%.3g %s", v, unit);
	else
		snprintf(buf, n, "%.0f %s", v, unit);
}

/* A duration in the unit that reads best, with its spread in the same
 * unit when ci >= 0: "6.46 s ± 2.60", "1.38 h", "35.8 d". */
static void duration(char *buf, size_t n, double s, double ci)
{
	static const struct {
		double size;
		const char *unit;
	} units[] = {{86400, "d"}, {3600, "h"}, {60, "min"}, {1, "s"},
		     {1e-3, "ms"}, {1e-6, "µs"}};
	size_t u = 0;

	if (s == 0) {
		snprintf(buf, n, "0 s");
		return;
	}
	while (u + 1 < UTIL_ARRAY_SIZE(units) && fabs(s) < units[u].size)
		u++;
	with_spread(buf, n, s / units[u].size,
		    ci >= 0 ? ci / units[u].size : -1, units[u].unit);
}

static const struct sim_workload_result *wl_result(
	const struct advise_column *c, size_t w)
{
	return c->feasible && w < c->r.sim.nwl ? &c->r.sim.wl[w] : NULL;
}

enum key { KEY_NONE, KEY_LATENCY, KEY_WAIT, KEY_COMPLETION };

/* A workload's key figure: p99 latency, else p95 wait, else the time to
 * its result; a fine-tune's is its time to result, as compare's rows
 * give it (compare has no wait row for one: the report read "postdoc-
 * lora, p95 wait 2.17 d" where compare said "time to result 11.6 h"). */
static enum key key_of(const struct sim_workload_result *r,
		       enum model_kind kind)
{
	if (!r)
		return KEY_NONE;
	if (r->has_latency)
		return KEY_LATENCY;
	if (kind == MODEL_FINETUNE && r->has_completion)
		return KEY_COMPLETION;
	return r->has_wait ? KEY_WAIT
	       : r->has_completion ? KEY_COMPLETION
				   : KEY_NONE;
}

static void key_figure(const struct advise_column *c, size_t w, char *b,
		       size_t n)
{
	const struct sim_workload_result *r = wl_result(c, w);

	snprintf(b, n, "-");
	switch (key_of(r, c->s->workloads[w].kind)) {
	case KEY_LATENCY:
		duration(b, n, r->latency_ms.p99.mean / 1e3,
			 r->latency_ms.p99.ci95 / 1e3);
		break;
	case KEY_WAIT:
		duration(b, n, r->wait_s.p95.mean, r->wait_s.p95.ci95);
		break;
	case KEY_COMPLETION:
		duration(b, n, r->completion_h.mean * 3600,
			 r->completion_h.ci95 * 3600);
		break;
	case KEY_NONE:
		break;
	}
}

static const char *key_name(const struct sim_workload_result *r,
			    enum model_kind kind)
{
	static const char *const names[] = {
		[KEY_NONE] = "", [KEY_LATENCY] = "p99 latency",
		[KEY_WAIT] = "p95 wait", [KEY_COMPLETION] = "time to result"};

	return names[key_of(r, kind)];
}

/* The in-house column shows only for a scenario that names the family
 * (venues.allow), as in compare's table. */
static bool shown(const struct advise_compare *c, int i)
{
	return c->by_strategy || i != PRICING_INHOUSE ||
	       (c->s->venues.allow & (1u << PRICING_INHOUSE));
}

/* ---- sections ---- */

/* The horizon in periods, as the plans count them. */
static size_t periods(const struct advise_compare *c)
{
	size_t n = 0;

	for (int i = 0; i < c->ncol; i++)
		if (c->col[i].r.plan.nperiods > n)
			n = c->col[i].r.plan.nperiods;
	return n;
}

static void question(const struct report *r, struct report_page *pg)
{
	const struct model_scenario *s = r->c->s;
	struct util_buf b;

	add(pg, RB_TITLE, "%s: where to run it, and what it costs",
	    s->name ? s->name : "scenario");
	if (s->description && *s->description)
		add(pg, RB_PARA, "%s", s->description);
	util_buf_init(&b);
	for (size_t w = 0; w < s->nworkloads; w++)
		util_buf_printf(&b, "%s%s (%s)", w ? ", " : "",
				s->workloads[w].name,
				model_kind_names[s->workloads[w].kind]);
	add(pg, RB_PARA, "The question: how to run %zu workload%s (%s) over "
	    "%zu %ss, priced in %s, at the least cost that meets every "
	    "target. Compared: %s. Simulated figures are means ± 95%% "
	    "confidence over %d replications (seed %llu).",
	    s->nworkloads, s->nworkloads == 1 ? "" : "s", util_buf_str(&b),
	    periods(r->c),
	    model_period_names[s->period], s->currency,
	    r->c->by_strategy ? "the scenario's strategies"
			      : "every venue family alone, and the "
				"optimiser's mix of them (hybrid)",
	    r->o->sim.replications, (unsigned long long)r->o->sim.seed);
	util_buf_release(&b);
	if (s->nstrategies && !r->c->by_strategy)
		add(pg, RB_NOTE, "The scenario names %zu strategies; this "
		    "report compares venue families. 'gpuplan report "
		    "--by strategy' (the default) compares the strategies.",
		    s->nstrategies);
}

static void verdict(const struct report *r, struct report_page *pg)
{
	add(pg, RB_SECTION, "Verdict");
	add(pg, RB_VERDICT, "%s", r->c->verdict ? r->c->verdict : "");
	if (r->c->need)
		add(pg, RB_PARA, "%s", r->c->need);
}


/* Options as rows: a phone scrolls a wide table sideways. */
static void options(const struct report *r, struct report_page *pg)
{
	const struct advise_compare *c = r->c;
	const struct model_scenario *s = c->s;
	size_t nw = s->nworkloads < REPORT_MAX_COLS - 7 ? s->nworkloads
						       : REPORT_MAX_COLS - 7;
	struct report_block *t;
	char b[128];

	add(pg, RB_SECTION, "Options");
	t = table(pg, 0x3cu | (((1u << nw) - 1) << 6), 7 + nw);
	cells(t, "option", "status", "upfront", "per month", "total",
	      "per GPU-hour", (const char *)NULL);
	for (size_t w = 0; w < nw; w++) {
		const struct sim_workload_result *k =
			r->chosen >= 0 ? wl_result(&c->col[r->chosen], w)
				       : NULL;

		const char *kn = key_name(k, s->workloads[w].kind);

		cell(t, "%s%s%s", s->workloads[w].name, *kn ? ", " : "", kn);
	}
	cell(t, "targets");
	for (int i = 0; i < c->ncol; i++) {
		const struct advise_column *k = &c->col[i];
		struct util_buf m;

		if (!shown(c, i))
			continue;
		cells(t, k->name, advise_status_names[k->status],
		      (const char *)NULL);
		if (!k->feasible) {
			for (size_t j = 2; j < 6 + nw; j++)
				cell(t, "-");
			cell(t, "why: see 'Ruled out' below");
			continue;
		}
		money(b, sizeof(b), k->initial_cost, s->currency);
		cell(t, "%s", b);
		money(b, sizeof(b), k->monthly_cost, s->currency);
		cell(t, "%s", b);
		money(b, sizeof(b), k->total_cost, s->currency);
		cell(t, "%s", b);
		money(b, sizeof(b), k->cost_per_gpu_hour, s->currency);
		cell(t, "%s", b);
		for (size_t w = 0; w < nw; w++) {
			key_figure(k, w, b, sizeof(b));
			cell(t, "%s", b);
		}
		util_buf_init(&m);
		advise_column_misses(s, k, 4, &m);
		cell(t, "%s", m.len ? util_buf_str(&m) : "all met");
		util_buf_release(&m);
	}
}

/* A figure, or a note saying why it is not there. */
static void figure(const struct report *r, struct report_page *pg, int fig,
		   const char *caption)
{
	if (r->fig[fig].missing) {
		add(pg, RB_NOTE, "Not drawn: %s.", r->fig[fig].missing);
		return;
	}
	add(pg, RB_FIGURE, "%s", caption)->fig = fig;
}

/* What every option pays alike (owned devices' upkeep, depreciation,
 * fixed costs), as compare lists them under its table: the totals above
 * hold some and not others, so a manager reads both. */
static void committed(const struct report *r, struct report_page *pg)
{
	struct report_committed line[REPORT_NCOMMITTED];
	size_t n = report_committed(r->c->s, line);
	struct report_block *t;
	char b[64];

	if (!n)
		return;
	add(pg, RB_PARA, "Committed costs, the same in every option: paid "
	    "whatever is decided, some inside the totals above and some "
	    "outside them.");
	t = table(pg, 1u << 2, 3);
	cells(t, "cost", "in the totals", "amount", NULL);
	for (size_t i = 0; i < n; i++) {
		money(b, sizeof(b), line[i].amount, r->c->s->currency);
		cell(t, "%s%s", line[i].what, line[i].note);
		cell(t, "%s", line[i].in_total ? "yes" : "no");
		cell(t, "%s", b);
	}
}

static void costs(const struct report *r, struct report_page *pg)
{
	const struct advise_compare *c = r->c;
	struct report_block *t;
	char b[64];

	add(pg, RB_SECTION, "Cost over time");
	figure(r, pg, REPORT_FIG_COST_TIME,
	       "Money paid up to the end of each period, per option with a "
	       "plan: purchases when paid, rent and upkeep as they fall.");
	add(pg, RB_PARA, "Break-even: %s.", r->break_even);
	add(pg, RB_SECTION, "Cost breakdown");
	figure(r, pg, REPORT_FIG_BREAKDOWN,
	       "What each option's total is made of, over the horizon.");
	if (r->fig[REPORT_FIG_BREAKDOWN].missing)
		return;
	t = table(pg, ~1u, 1 + r->fig[REPORT_FIG_BREAKDOWN].p.ncategories);
	cell(t, "component");
	for (int i = 0; i < c->ncol; i++)
		if (c->col[i].feasible)
			cell(t, "%s", c->col[i].name);
	for (int k = 0; k < MODEL_NCOSTS; k++) {
		cell(t, "%s", model_cost_names[k]);
		for (int i = 0; i < c->ncol; i++) {
			if (!c->col[i].feasible)
				continue;
			money(b, sizeof(b), c->col[i].r.plan.cost[k],
			      c->s->currency);
			cell(t, "%s", b);
		}
	}
	committed(r, pg);
}


static void targets(const struct report *r, struct report_page *pg)
{
	const struct advise_column *k;
	const struct model_scenario *s = r->c->s;
	struct report_block *t = NULL; /* the targets table, when any */
	char a[64], b[64];

	add(pg, RB_SECTION, "Waits and latencies against the targets");
	if (r->chosen < 0) {
		add(pg, RB_NOTE, "Not computed: no option has a plan, so "
		    "nothing was simulated.");
		return;
	}
	k = &r->c->col[r->chosen];
	add(pg, RB_PARA, "Simulated for option '%s'; a target is met when the "
	    "share of requests, students, jobs or runs past it stays within "
	    "its tolerance.", k->name);
	if (k->r.checks.n) {
		t = table(pg, 0x1cu, 6);
		cells(t, "workload", "target", "limit", "simulated",
		      "share past it (allowed)", "met", (const char *)NULL);
	}
	for (size_t i = 0; i < k->r.checks.n; i++) {
		const struct advise_check *x = &k->r.checks.v[i];

		cells(t, s->workloads[x->w].name,
		      advise_target_names[x->kind], (const char *)NULL);
		duration(a, sizeof(a), x->limit, -1);
		duration(b, sizeof(b), x->figure, -1);
		cells(t, a, b, (const char *)NULL);
		if (x->share >= 0)
			cell(t, "%.3g%% (%.3g%%)", 100 * x->share,
			     100 * x->tolerance);
		else
			cell(t, "-");
		cell(t, "%s", x->met ? "met" : "missed");
	}
	if (!k->r.checks.n)
		add(pg, RB_NOTE, "No target to check: the scenario sets none "
		    "and its workloads have no default one.");
	t = table(pg, 0x1eu, 5);
	cells(t, "workload", "mean wait", "p50 wait", "p95 wait", "p99 wait",
	      (const char *)NULL);
	for (size_t w = 0; w < k->r.sim.nwl; w++) {
		const struct sim_workload_result *x = &k->r.sim.wl[w];
		const struct sim_stat *q[4] = {&x->wait_s.mean, &x->wait_s.p50,
					       &x->wait_s.p95, &x->wait_s.p99};

		if (!x->has_wait)
			continue;
		cell(t, "%s", x->w->name);
		for (int j = 0; j < 4; j++) {
			duration(a, sizeof(a), q[j]->mean, q[j]->ci95);
			cell(t, "%s", a);
		}
	}
	if (t->nrows == 1)
		add(pg, RB_NOTE, "No workload waits for a device in this "
		    "option.");
	figure(r, pg, REPORT_FIG_LATENCY,
	       "Share of requests answered within each latency (log scale).");
}

static void pools(const struct report *r, struct report_page *pg)
{
	const struct advise_column *k;
	const struct model_scenario *s = r->c->s;
	struct report_block *t = NULL; /* the purchases table, when any */
	char b[64];
	size_t owned = 0;

	add(pg, RB_SECTION, "Owned pools");
	if (r->chosen < 0) {
		add(pg, RB_NOTE, "Not computed: no option has a plan.");
		return;
	}
	k = &r->c->col[r->chosen];
	for (size_t i = 0; i < s->venues.nowned; i++)
		add(pg, RB_PARA, "Owned already: %.0f x %s.",
		    s->venues.owned[i].amount, s->venues.owned[i].accel);
	if (k->r.plan.nbuy) {
		/* the cash at the order, as the cost-over-time figure
		 * shows it, and the share of it the total counts */
		t = table(pg, 0x1cu, 5);
		cells(t, "bought", "offer", "devices", "paid at the order",
		      "in the total (net of residual value)",
		      (const char *)NULL);
	}
	for (size_t i = 0; i < k->r.plan.nbuy; i++) {
		const struct model_plan_purchase *p = &k->r.plan.buy[i];

		cells(t, p->accel, p->offer ? p->offer->id : "-",
		      (const char *)NULL);
		cell(t, "%ld", p->count);
		money(b, sizeof(b), model_plan_purchase_cash(&k->r.plan, i),
		      s->currency);
		cell(t, "%s", b);
		money(b, sizeof(b), p->capex, s->currency);
		cell(t, "%s", b);
	}
	t = table(pg, 0x1cu, 5);
	cells(t, "workload", "pool", "share of its work", "peak devices",
	      "pool's simulated use", (const char *)NULL);
	for (size_t i = 0; i < k->r.plan.nassign; i++) {
		const struct model_plan_assignment *a = &k->r.plan.assign[i];
		const struct sim_workload_result *x = NULL;
		const struct sim_pool_result *pl = NULL;

		if (a->family != PRICING_ONPREM && a->family != PRICING_EDGE)
			continue;
		owned++;
		for (size_t w = 0; w < k->r.sim.nwl; w++)
			if (k->r.sim.wl[w].w == a->w)
				x = &k->r.sim.wl[w];
		for (size_t j = 0; a->family == PRICING_ONPREM &&
				   j < k->r.sim.npools; j++)
			if (!strcmp(k->r.sim.pools[j].accel, a->accel))
				pl = &k->r.sim.pools[j];
		cells(t, a->w->name, a->venue, (const char *)NULL);
		cell(t, "%.0f%%", 100 * a->share);
		cell(t, "%d", a->peak_devices);
		/* an on-prem pool's own use, the same on each of its rows
		 * (busy device-hours over those its devices had): the
		 * workload's mixed its other venues in (62.8% for
		 * department-montreal's A100 used a quarter of the year) */
		if (pl && pl->devices_h.mean > 0)
			with_spread(b, sizeof(b),
				    100 * pl->busy_h.mean / pl->devices_h.mean,
				    100 * pl->busy_h.ci95 / pl->devices_h.mean,
				    "%");
		else if (x)
			with_spread(b, sizeof(b), 100 * x->utilisation.mean,
				    100 * x->utilisation.ci95, "%");
		cell(t, "%s", pl || x ? b : "-");
	}
	if (!owned && !k->r.plan.nbuy)
		add(pg, RB_NOTE, "Option '%s' runs nothing on devices owned or "
		    "bought: no pool to show.", k->name);
}

/* The path as one POSIX shell word, quoted only when it needs it. */
static void shell_word(struct util_buf *b, const char *s)
{
	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuv"
			    "wxyz0123456789._/-+=:,") == strlen(s)) {
		util_buf_puts(b, s);
		return;
	}
	util_buf_puts(b, "'");
	for (; *s; s++)
		util_buf_puts(b, *s == '\'' ? "'\\''" : (char[2]){*s, 0});
	util_buf_puts(b, "'");
}

/* A cost and its change from base, or "no plan". */
static void moved(struct report_block *t, double v, double base,
		  const char *cur)
{
	char b[64];

	if (isnan(v)) {
		cells(t, "no plan", "-", (const char *)NULL);
		return;
	}
	money(b, sizeof(b), v, cur);
	cell(t, "%s", b);
	if (isnan(advise_change_pct(v, base))) /* a base of nothing */
		cell(t, "-");
	else
		cell(t, "%+.1f%%", advise_change_pct(v, base));
}

static void sensitivity(const struct report *r, struct report_page *pg)
{
	const struct advise_sensitivity *v = r->sens;
	const char *cur = r->c->s->currency;
	struct report_block *t;
	char b[64];

	add(pg, RB_SECTION, "Sensitivity");
	if (r->fig[REPORT_FIG_TORNADO].missing) {
		add(pg, RB_NOTE, "Not computed: %s.",
		    r->fig[REPORT_FIG_TORNADO].missing);
		return;
	}
	money(b, sizeof(b), v->base, cur);
	/* with strategies, of the scenario as written, not of the
	 * verdict's strategy and its overrides */
	add(pg, RB_PARA, "What moves the total cost most%s: each venue "
	    "family's prices and each workload's size moved by -%.0f%% and "
	    "+%.0f%%, the optimiser's plan made again each time, from %s "
	    "(its plan made once, before the closed loop tightens it).",
	    r->c->by_strategy ? ", in the scenario as written (without any "
				"strategy's overrides)"
			      : "",
	    v->delta * 100, v->delta * 100, b);
	figure(r, pg, REPORT_FIG_TORNADO,
	       "Total cost at each end of each parameter, the largest effect "
	       "on top; the dashed line is the plan's own.");
	t = table(pg, 0x3eu, 6);
	cells(t, "parameter", "cost at the low end", "change",
	      "cost at the high end", "change", "swing", (const char *)NULL);
	for (size_t i = 0; i < v->n; i++) {
		cell(t, "%s", v->v[i].name);
		moved(t, v->v[i].cost[0], v->base, cur);
		moved(t, v->v[i].cost[1], v->base, cur);
		if (isnan(advise_swing(&v->v[i]))) {
			cell(t, "-");
		} else {
			money(b, sizeof(b), advise_swing(&v->v[i]), cur);
			cell(t, "%s", b);
		}
	}
}

static void ruled_out(const struct report *r, struct report_page *pg)
{
	const struct advise_compare *c = r->c;
	struct report_block *t;

	add(pg, RB_SECTION, "Ruled out, and why");
	t = table(pg, 0, 2);
	cells(t, "option", "why", (const char *)NULL);
	for (int i = 0; i < c->ncol; i++)
		if (!c->col[i].feasible && shown(c, i))
			cells(t, c->col[i].name,
			      c->col[i].why ? c->col[i].why : "no plan",
			      (const char *)NULL);
	if (t->nrows == 1)
		add(pg, RB_PARA, "No option was ruled out: each has a plan.");
}

/* Whether a source says its figure is not read from a published list:
 * the catalog's words for it, in any case (pricing/catalog.yaml). */
static bool estimated(const char *source)
{
	static const char *const words[] = {"estimate", "recalled",
					    "assum"};

	for (const char *p = source; p && *p; p++)
		for (size_t i = 0; i < UTIL_ARRAY_SIZE(words); i++)
			if (!strncasecmp(p, words[i], strlen(words[i])))
				return true;
	return false;
}

/* The age of the n prices seen against their limits (docs/prices.md):
 * the oldest, and the stalest when some are past their limit. */
static void price_age(const struct report *r, struct report_page *pg,
		      const struct pricing_offer *const *seen, size_t n)
{
	struct pricing_staleness st = {0};
	const struct pricing_offer *worst;
	const char *oldest = NULL;
	time_t now = pricing_now();
	size_t old;

	for (size_t i = 0; i < n; i++) {
		pricing_staleness_add(&st, seen[i]);
		if (seen[i]->as_of &&
		    (!oldest || strcmp(seen[i]->as_of, oldest) < 0))
			oldest = seen[i]->as_of;
	}
	old = pricing_staleness_check(&st, now, r->max_price_age_days, &worst);
	if (old)
		add(pg, RB_NOTE, "Price age: %zu of these prices %s past %s "
		    "age limit (%s); the stalest, %s, dated %s, is %.0f days "
		    "old: check it against the provider's page or refresh it "
		    "(gpuplan prices fetch).", old, old == 1 ? "is" : "are",
		    old == 1 ? "its" : "their",
		    r->max_price_age_days > 0
			    ? "--max-price-age"
			    : "90 days for market and GPU-as-a-service "
			      "prices, 365 for list prices",
		    worst->id, worst->as_of,
		    floor(pricing_as_of_age_days(worst->as_of, now)));
	else if (oldest)
		add(pg, RB_PARA, "Price age: the oldest of these prices is "
		    "dated %s, within its age limit.", oldest);
	pricing_staleness_release(&st);
}

/* Each offer the chosen plan relies on, once, with its source. */
static void prices(const struct report *r, struct report_page *pg)
{
	const struct model_plan *p = &r->c->col[r->chosen].r.plan;
	const struct pricing_offer *seen[256];
	struct report_block *t = table(pg, 0, 6);
	size_t n = 0;

	cells(t, "offer", "family", "accelerator", "source", "as of",
	      "estimate or assumption", (const char *)NULL);
	for (size_t i = 0; i < p->nassign + p->nbuy; i++) {
		const struct pricing_offer *o =
			i < p->nassign ? p->assign[i].offer
				       : p->buy[i - p->nassign].offer;
		size_t j = 0;

		while (j < n && seen[j] != o)
			j++;
		if (!o || j < n || n == UTIL_ARRAY_SIZE(seen))
			continue;
		seen[n++] = o;
		cells(t, o->id, pricing_family_names[o->family], o->accel,
		      o->source ? o->source : "not given",
		      o->as_of ? o->as_of : "not given",
		      o->estimate || estimated(o->source) ? "yes" : "no",
		      (const char *)NULL);
	}
	if (!n)
		add(pg, RB_NOTE, "The plan relies on no catalog offer (owned "
		    "devices only).");
	else
		price_age(r, pg, seen, n);
}

static void queue_models(const struct report *r, struct report_page *pg)
{
	const struct model_plan *p = &r->c->col[r->chosen].r.plan;
	struct report_block *t = table(pg, 0x6u, 3);

	cells(t, "academic offer", "queue wait p50", "queue wait p90",
	      (const char *)NULL);
	for (size_t i = 0; i < p->nassign; i++) {
		const struct pricing_offer *o = p->assign[i].offer;
		char a[64], b[64];
		size_t j = 0;

		if (!o || o->family != PRICING_ACADEMIC)
			continue;
		while (j < i && p->assign[j].offer != o)
			j++;
		if (j < i) /* one row an offer, however many use it */
			continue;
		duration(a, sizeof(a), o->queue_p50_h * 3600, -1);
		duration(b, sizeof(b), o->queue_p90_h * 3600, -1);
		cells(t, o->id, a, b, (const char *)NULL);
	}
	if (t->nrows == 1)
		add(pg, RB_PARA, "Queue-wait models: the plan uses no academic "
		    "allocation, so no queue-wait model.");
}

static void constants(const struct report *r, struct report_page *pg)
{
	const struct model_scenario *s = r->c->s;
	struct report_block *t = table(pg, 0x2u, 5);

	cells(t, "performance constant", "value", "unit", "set by", "source",
	      (const char *)NULL);
	for (int i = 0; i < MODEL_NCONSTS; i++) {
		const struct model_const_info *k = &model_consts[i];

		cell(t, "%s", k->name);
		cell(t, "%.6g", s->perf[i]);
		cells(t, k->unit ? k->unit : "",
		      s->perf[i] == k->value ? "default" : "the scenario",
		      k->source ? k->source : "", (const char *)NULL);
	}
}

static void assumptions(const struct report *r, struct report_page *pg)
{
	const struct advise_compare *c = r->c;
	const struct pricing_catalog *cat = &c->s->catalog;
	struct util_buf b;

	add(pg, RB_SECTION, "Assumptions");
	util_buf_init(&b);
	for (size_t i = 0; i < cat->norigins; i++)
		util_buf_printf(&b, "%s%s", i ? ", then " : "", cat->origins[i]);
	add(pg, RB_PARA, "Prices and devices: the catalog%s%s.",
	    b.len ? " loaded from " : "", util_buf_str(&b));
	util_buf_release(&b);
	if (c->s->fx_rate > 0)
		add(pg, RB_PARA, "Exchange rate: the catalog's prices were "
		    "multiplied by %.6g to give %s.", c->s->fx_rate,
		    c->s->currency);
	else
		add(pg, RB_PARA, "Exchange rate: none, the catalog is priced "
		    "in %s.", c->s->currency);
	if (r->chosen >= 0) {
		add(pg, RB_PARA, "The offers option '%s' relies on (an "
		    "estimate or assumption: a figure its source does not "
		    "read from a published list):", c->col[r->chosen].name);
		prices(r, pg);
		queue_models(r, pg);
	}
	for (int i = 0; i < c->ncol; i++)
		if (c->col[i].r.tightened)
			add(pg, RB_PARA, "Tightened by the closed loop for '%s' "
			    "(%d round%s): %s.", c->col[i].name,
			    c->col[i].r.rounds, c->col[i].r.rounds == 1 ? "" : "s",
			    c->col[i].r.tightened);
	constants(r, pg);
}

/* emit plans the scenario as written, which is a strategy only when it
 * has no overrides: the others' are listed to write into a copy (emit
 * takes no --set). */
static void strategy_note(const struct model_scenario *s, const char *name,
			  struct report_page *pg)
{
	struct util_buf b;

	for (size_t i = 0; i < s->nstrategies; i++) {
		const struct model_strategy *st = &s->strategies[i];

		if (strcmp(st->name, name) || !st->nset)
			continue;
		util_buf_init(&b);
		for (size_t j = 0; j < st->nset; j++)
			util_buf_printf(&b, "%s%s", j ? ", " : "", st->set[j]);
		add(pg, RB_NOTE, "emit plans the scenario as written, not "
		    "strategy '%s': write its overrides (%s) into a copy of "
		    "the scenario and run these commands on the copy.", name,
		    util_buf_str(&b));
		util_buf_release(&b);
	}
}

/* What the chosen option needs: Slurm for academic and on-prem batch
 * work, Kubernetes and Kueue for an on-prem pool, SkyPilot for rented
 * offers it launches (clouds, GPU-as-a-service, Vast's market). */
static void deploy(const struct report *r, struct report_page *pg)
{
	static const char *const targets[] = {"json", "slurm", "kubernetes",
					      "kueue", "skypilot"};
	const struct advise_column *k;
	bool use[UTIL_ARRAY_SIZE(targets)] = {true};
	struct util_buf b, path;
	const char *plan = "";

	add(pg, RB_SECTION, "Deploy");
	if (r->chosen < 0) {
		add(pg, RB_NOTE, "Nothing to deploy: no option has a plan.");
		return;
	}
	k = &r->c->col[r->chosen];
	for (size_t i = 0; i < k->r.plan.nassign; i++) {
		const struct model_plan_assignment *a = &k->r.plan.assign[i];
		enum pricing_family f = a->family;

		use[1] |= f == PRICING_ACADEMIC || f == PRICING_ONPREM;
		use[2] |= use[3] |= f == PRICING_ONPREM;
		use[4] |= (f == PRICING_CLOUD || f == PRICING_CLOUD_SPOT ||
			   f == PRICING_GPUAAS || f == PRICING_DECENTRALIZED) &&
			  a->offer &&
			  pricing_skypilot_launches(a->offer->provider);
	}
	util_buf_init(&b);
	util_buf_init(&path);
	shell_word(&path, r->path);
	if (!r->c->by_strategy && r->chosen < PRICING_NFAMILIES) {
		util_buf_printf(&b, "gpuplan plan %s --family %s --format json "
				"> plan.json\n", util_buf_str(&path), k->name);
		plan = " --plan plan.json";
	}
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(targets); i++)
		if (use[i])
			util_buf_printf(&b, "gpuplan emit %s%s --to %s --out "
					"deploy-%s\n", util_buf_str(&path),
					plan, targets[i], targets[i]);
	add(pg, RB_PARA, "The files for the allocators option '%s' uses "
	    "(docs/emit.md says what each holds):", k->name);
	add(pg, RB_CODE, "%s", util_buf_str(&b));
	if (r->c->by_strategy)
		strategy_note(r->c->s, k->name, pg);
	util_buf_release(&path);
	util_buf_release(&b);
}

void report_page_build(const struct report *r, struct report_page *pg)
{
	memset(pg, 0, sizeof(*pg));
	question(r, pg);
	verdict(r, pg);
	options(r, pg);
	costs(r, pg);
	targets(r, pg);
	pools(r, pg);
	sensitivity(r, pg);
	ruled_out(r, pg);
	assumptions(r, pg);
	deploy(r, pg);
}

void report_page_release(struct report_page *pg)
{
	for (size_t i = 0; i < pg->n; i++) {
		util_strv_free(pg->v[i].cells, pg->v[i].ncells);
		free(pg->v[i].text);
	}
	free(pg->v);
	memset(pg, 0, sizeof(*pg));
}
