/* What a plan says beyond its placement (docs/formulation.md,
 * "Explanations"): the devices each assignment holds at its peak, the
 * runner-up venue of each assignment and what it would cost more, and,
 * for a plan that cannot exist, the first period some work cannot be
 * served, the workload and the shortfall. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plan_int.h"

static size_t workload_index(const struct plan_model *m,
			     const struct model_plan_assignment *a)
{
	return (size_t)(a->w - m->s->workloads);
}

/* Pooled work holds its peak (extract_col); other work the busiest
 * period's device-hours over the hours it is active then, and at least
 * one job's devices while it runs. */
void plan_peak_devices(const struct plan_model *m, struct model_plan *p)
{
	for (size_t i = 0; i < p->nassign; i++) {
		struct model_plan_assignment *a = &p->assign[i];
		const struct wl *x = &m->wls[workload_index(m, a)];
		double most = 0;

		a->peak_devices = a->devices;
		if (x->peak || a->w->pinned)
			continue;
		for (int t = x->first; t <= x->last; t++)
			if (x->frac[t] > 0)
				most = fmax(most, a->period_device_hours[t] /
							  (m->period_h *
							   x->frac[t]));
		if (ceil(most - 1e-6) > a->peak_devices)
			a->peak_devices = (int)ceil(most - 1e-6);
	}
}

/* The runner-up of an assignment: of the venues other than its own that
 * could hold its share of the work alone (room), the one where the
 * whole work costs least by itself (alone, plan_cols.c), ties to the
 * first candidate. Its extra cost is the share of that re-price minus
 * what the assignment costs in the plan. */
/* The share of w's work p has on academic clusters, but for assignment
 * skip: with the closed loop's cap on them (queue_share), what is left
 * for another academic venue is the cap minus it. */
static double academic_share(const struct model_plan *p,
			     const struct model_workload *w,
			     const struct model_plan_assignment *skip)
{
	double sum = 0;

	for (size_t i = 0; i < p->nassign; i++)
		if (p->assign[i].w == w && &p->assign[i] != skip &&
		    p->assign[i].family == PRICING_ACADEMIC)
			sum += p->assign[i].share;
	return sum;
}

/* What assignment a of workload w costs against its runner-up: what the
 * plan attributes to it, but on edge boards, which are bought for its
 * sites and would not be without it, its share of the re-price on its
 * own venue, the boards it needs included (a pool's devices stay the
 * pool's, docs/formulation.md). */
static double own_cost(const struct plan_model *m,
		       const struct model_plan_assignment *a, size_t w)
{
	if (a->family != PRICING_EDGE)
		return a->cost;
	for (size_t c = 0; c < m->ncands; c++)
		if (!strcmp(m->cands[c].name, a->venue) &&
		    m->alone[w * m->ncands + c] >= 0)
			return a->share * m->alone[w * m->ncands + c];
	return a->cost;
}

void plan_runner_up(const struct plan_model *m, struct model_plan *p)
{
	for (size_t i = 0; i < p->nassign; i++) {
		struct model_plan_assignment *a = &p->assign[i];
		size_t w = workload_index(m, a), best = m->ncands;
		double cap = m->opt->queue_share
				     ? m->opt->queue_share[w] -
					       academic_share(p, a->w, a)
				     : 1;

		for (size_t c = 0; c < m->ncands; c++) {
			size_t at = w * m->ncands + c;

			if (m->alone[at] < 0 ||
			    m->room[at] < a->share - 1e-9 ||
			    !strcmp(m->cands[c].name, a->venue) ||
			    (m->cands[c].kind == CAND_ACADEMIC &&
			     cap < a->share - 1e-9))
				continue;
			if (best == m->ncands ||
			    m->alone[at] < m->alone[w * m->ncands + best])
				best = c;
		}
		if (best == m->ncands)
			continue;
		a->runner_up = util_xstrdup(m->cands[best].name);
		a->runner_up_extra = a->share * m->alone[w * m->ncands + best] -
				     own_cost(m, a, w);
	}
}

/* One unserved piece of work in the elastic solution. */
struct short_work {
	size_t w;
	int b;	      /* its block; for a whole window, the last one */
	bool due;     /* work due by the end of block b (timed work) */
	bool window;  /* flexible work short over its whole window */
	double slack; /* the slack of its row */
};

static int block_of(const struct plan_model *m, int t)
{
	int b = 0;

	while (b + 1 < m->nblocks && m->block_start[b + 1] <= t)
		b++;
	return b;
}

/* Periods [t0, t1] of block b as "week 3" or "weeks 3-6" (1-based). */
static void periods_text(const struct plan_model *m, int b, char *buf,
			 size_t n)
{
	const char *unit = model_period_names[m->s->period];
	int t0 = m->block_start[b] + 1, t1 = m->block_start[b + 1];

	if (t1 > t0)
		snprintf(buf, n, "%ss %d-%d", unit, t0, t1);
	else
		snprintf(buf, n, "%s %d", unit, t0);
}

/* The first time in [from, to) (s from time 0) that w holds devices
 * at once: a teaching session (model_session_at), the daily start of
 * a service that runs part of the day; -1 when none or not known (a
 * service around the clock, batch work). */
static double first_start(const struct model_scenario *s,
			  const struct model_workload *w, double from,
			  double to)
{
	double at = -1;

	if (from < w->start)
		from = w->start;
	if (w->kind == MODEL_TEACHING && w->teaching.per_week > 0) {
		long n = lround(w->teaching.per_week * (double)w->teaching.weeks);
		/* sessions are in time order and in their course week's
		 * window: start a window before from's */
		long k = (long)fmax(floor((from - w->start) / MODEL_WEEK) - 1,
				    0) *
			 (long)floor(w->teaching.per_week);

		for (; k < n && at < from - 1e-6; k++)
			at = model_session_at(s, w, k);
		if (at < from - 1e-6)
			at = -1;
	} else if (w->kind == MODEL_INFERENCE &&
		   w->inference.hours_per_day < 24) {
		at = floor(from / MODEL_DAY) * MODEL_DAY +
		     w->inference.daily_start * 60.0;
		if (at < from - 1e-6)
			at += MODEL_DAY;
	}
	return at >= from - 1e-6 && at < to ? at : -1;
}

/* "week 1" (periods_text), and ", Monday 09:00" when w's first start of
 * work held at once in block b is known (first_start). */
static void when_text(const struct plan_model *m, const struct wl *x, int b,
		      char *buf, size_t n)
{
	static const char *const day[] = {"Monday",   "Tuesday", "Wednesday",
					  "Thursday", "Friday",  "Saturday",
					  "Sunday"};
	double at = x->peak ? first_start(m->s, x->w,
					  m->block_start[b] * m->period_s,
					  m->block_start[b + 1] * m->period_s)
			    : -1;
	size_t len;
	long minute;

	periods_text(m, b, buf, n);
	if (at < 0)
		return;
	minute = lround(at / 60);
	len = strlen(buf);
	snprintf(buf + len, n - len, ", %s %02ld:%02ld",
		 day[(minute / (24 * 60) + m->s->weekday0) % 7], minute / 60 % 24,
		 minute % 60);
}

/* The share of block b's demand of w that its demand row asks for (1
 * for periodic work, the work that comes in b for timed work). */
static double row_demand(const struct plan_model *m, const struct wl *x,
			 int b)
{
	if (x->periodic || !x->share) /* flexible: its row is the window */
		return 1;
	return plan_arrived(x, m->block_start[b + 1] - 1) -
	       plan_arrived(x, m->block_start[b] - 1);
}

/* The column of w in block b (b < 0: its whole window, any of its
 * columns) that carries most of it in val, else the first on a pool,
 * else the first; nx if none. */
static size_t main_column(const struct plan_model *m, const double *val,
			  size_t w, int b)
{
	size_t best = m->nx, pool = m->nx, first = m->nx;

	for (size_t i = 0; i < m->nx; i++) {
		const struct xcol *x = &m->x[i];

		if ((size_t)x->w != w || (b >= 0 && x->b != b && x->b >= 0))
			continue;
		if (first == m->nx)
			first = i;
		if (pool == m->nx && m->cands[x->c].kind == CAND_POOL)
			pool = i;
		if (val[i + 1] > 1e-9 &&
		    (best == m->nx || val[i + 1] > val[best + 1]))
			best = i;
	}
	return best < m->nx ? best : pool < m->nx ? pool : first;
}

/* Devices of pool k working in block b: owned in service, and bought
 * (whole units of the elastic solution) arrived by then. */
static void pool_devices(const struct plan_model *m, const double *val,
			 const struct cand *k, int b, double *owned,
			 double *bought)
{
	*owned = plan_in_service(m, k, b) < 1 ? 0 : (double)k->owned;
	*bought = 0;
	for (int g = 0; k->int_col && g < k->ngroups; g++)
		if (m->block_start[b] >= k->gstart[g])
			*bought += floor(val[k->gcol[g]] + 1e-6) *
				   (double)k->unit;
}

/* "4 owned", "4 owned and 2 bought" on a pool, else what the venues
 * give (have). */
static void have_text(double owned, double bought, bool pool, double have,
		      char *buf, size_t n)
{
	char a[32], b[32];

	if (!pool)
		snprintf(buf, n, "%s available",
			 util_fmt_grouped(a, sizeof(a), have));
	else if (bought > 0)
		snprintf(buf, n, "%s owned and %s bought",
			 util_fmt_grouped(a, sizeof(a), owned),
			 util_fmt_grouped(b, sizeof(b), bought));
	else
		snprintf(buf, n, "%s owned",
			 util_fmt_grouped(a, sizeof(a), owned));
}

/* What could serve w later than block b: the first purchases of its
 * pools, owned devices past their life. */
static void later_text(const struct plan_model *m, size_t w, int b,
		       struct util_buf *out)
{
	const char *unit = model_period_names[m->s->period];
	unsigned char *seen = util_xcalloc(m->ncands + 1, 1);

	for (size_t i = 0; i < m->nx; i++) {
		const struct cand *k = &m->cands[m->x[i].c];

		if ((size_t)m->x[i].w != w || seen[m->x[i].c] ||
		    k->kind != CAND_POOL)
			continue;
		seen[m->x[i].c] = 1;
		if (k->buy_max > 0) /* how many could help, at most */
			util_buf_printf(out, "; up to %ld %s can be bought",
					k->buy_max, k->accel->name);
		if (k->buy_max != 0 && k->ngroups > 0 &&
		    k->gstart[0] > m->block_start[b]) {
			bool weeks = k->lead_s >= 2 * MODEL_WEEK;

			if (k->buy_max > 0)
				util_buf_puts(out, ", arriving");
			else
				util_buf_printf(out, "; %s purchases arrive",
						k->accel->name);
			util_buf_printf(out, " in %s %d at the earliest (lead "
					"time %.0f %s)", unit,
					k->gstart[0] + 1,
					k->lead_s / (weeks ? MODEL_WEEK
							   : MODEL_DAY),
					weeks ? "weeks" : "days");
		}
		if (k->owned > 0 && plan_in_service(m, k, b) < 1)
			util_buf_printf(out, "; the owned %s are past their "
					"end of life", k->accel->name);
	}
	free(seen);
}

#define SHARED_NAMES 3 /* other workloads named on a venue short */

/* The other workloads the elastic solution puts on k in block b: the
 * LP chooses whose work is short when several share a venue. */
static void shared_text(const struct plan_model *m, const double *val,
			size_t w, size_t k, int b, struct util_buf *out)
{
	unsigned char *seen = util_xcalloc(m->nwls + 1, 1);
	int n = 0, more = 0;

	for (size_t i = 0; i < m->nx; i++) {
		const struct xcol *x = &m->x[i];

		if ((size_t)x->c != k || (size_t)x->w == w ||
		    (x->b != b && x->b >= 0) || val[i + 1] < 1e-6 ||
		    seen[x->w])
			continue;
		seen[x->w] = 1;
		if (n++ < SHARED_NAMES)
			util_buf_printf(out, "%s'%s'", n > 1 ? ", " : "; "
					"shared then with ", m->wls[x->w].w->name);
		else
			more++;
	}
	if (more)
		util_buf_printf(out, " and %d more", more);
	free(seen);
}

/* What a short piece of work needs and has on its main venue k. */
struct short_ctx {
	const struct short_work *s;
	const struct wl *x;
	const struct xcol *col; /* for one workload (x_unit) */
	const struct cand *k;
	double need;		/* its row's demand */
	double owned, bought;	/* on a pool */
	const char *when;
};

/* Sessions and services: devices at once. On a pool, in its devices
 * (its hours may bind a little sooner: availability); else the share
 * left unserved. */
static void peak_text(const struct short_ctx *c, struct util_buf *why)
{
	bool pool = c->k->kind == CAND_POOL;
	double f = c->need > 0 ? c->s->slack / c->need : 1;
	double devices = ceil(c->col->peak - 1e-9);
	double missing = pool && devices > c->owned + c->bought
				 ? devices - c->owned - c->bought
				 : ceil(fmin(f, 1) * devices - 1e-6);
	char have[96], need[32], gap[32];

	have_text(c->owned, c->bought, pool, devices - missing, have,
		  sizeof(have));
	util_buf_printf(why, "%s: '%s' needs %s %s at once, %s: short by %s",
			c->when, c->x->w->name,
			util_fmt_grouped(need, sizeof(need), devices),
			c->k->accel->name, have,
			util_fmt_grouped(gap, sizeof(gap), missing));
}

/* Batch work: device-hours. col->dh is a periodic block's work at share
 * 1, else all of it; the slack is in the units of its row. */
static void batch_text(const struct short_ctx *c, struct util_buf *why)
{
	const struct short_work *s = c->s;
	double needed = c->x->periodic || s->window ? c->col->dh
						    : c->need * c->col->dh;
	char dh[48], gap[48], have[96];

	util_fmt_grouped(dh, sizeof(dh), needed);
	util_fmt_grouped(gap, sizeof(gap), s->slack * c->col->dh);
	if (s->due)
		util_buf_printf(why, "%s: '%s' cannot finish the work due by "
				"then on %s: short by %s device-hours",
				c->when, c->x->w->name, c->k->accel->name,
				gap);
	else
		util_buf_printf(why, "%s: '%s' needs %s %s device-hours%s: "
				"short by %s", c->when, c->x->w->name, dh,
				c->k->accel->name,
				s->window ? " within its window" : "", gap);
	if (c->k->kind == CAND_POOL) {
		have_text(c->owned, c->bought, true, 0, have, sizeof(have));
		util_buf_printf(why, " (%s)", have);
	}
}

/* One line for a piece of unserved work. */
static void short_line(const struct plan_model *m, const double *val,
		       const struct short_work *s, struct util_buf *why)
{
	size_t i = main_column(m, val, s->w, s->window ? -1 : s->b);
	char when[96];
	struct short_ctx c = {.s = s, .x = &m->wls[s->w], .when = when,
			      .col = m->x_unit ? &m->x_unit[i] : &m->x[i]};

	c.k = &m->cands[c.col->c];
	c.need = row_demand(m, c.x, s->b);
	when_text(m, c.x, s->b, when, sizeof(when));
	if (c.k->kind == CAND_POOL)
		pool_devices(m, val, c.k, s->b, &c.owned, &c.bought);
	if (c.x->peak)
		peak_text(&c, why);
	else
		batch_text(&c, why);
	shared_text(m, val, s->w, (size_t)c.col->c, s->b, why);
	if (m->mult && m->mult[s->w] > 1)
		util_buf_printf(why, " (and as much for each of %d workloads "
				"like it)", m->mult[s->w] - 1);
	later_text(m, s->w, s->b, why);
	util_buf_puts(why, "\n");
}

/* The unserved work of the elastic solution val, by row. */
static size_t shortfalls(const struct plan_model *m, const double *val,
			 struct short_work *out)
{
	size_t n = 0, nb = (size_t)m->nblocks;

	for (size_t r = 0; r < m->nwls * nb; r++) {
		size_t w = r / nb;
		int b = (int)(r % nb);
		const struct wl *x = &m->wls[w];
		bool whole = !x->periodic && !(x->share && x->flexp == 0);

		if (m->slack[r] && val[m->slack[r]] > 1e-6)
			out[n++] = (struct short_work){
				w, whole ? block_of(m, x->last) : b, false,
				whole, val[m->slack[r]]};
		if (m->slack_due[r] && val[m->slack_due[r]] > 1e-6)
			out[n++] = (struct short_work){w, b, true, false,
						       val[m->slack_due[r]]};
	}
	return n;
}

#define SHORT_LINES 3 /* workloads named for the first period short */

bool plan_explain_shortfall(const struct plan_model *m, const double *val,
			    struct util_buf *why)
{
	size_t nb = (size_t)m->nblocks;
	struct short_work *s = util_xcalloc(2 * m->nwls * nb + 1, sizeof(*s));
	size_t n = shortfalls(m, val, s), said = 0, more = 0;
	int first = m->nblocks;

	for (size_t i = 0; i < n; i++)
		if (s[i].b < first)
			first = s[i].b;
	for (size_t i = 0; i < n; i++) {
		if (s[i].b != first)
			continue;
		if (said < SHORT_LINES && main_column(m, val, s[i].w,
						       s[i].window ? -1
								   : s[i].b) <
						  m->nx)
			short_line(m, val, &s[i], why), said++;
		else
			more++;
	}
	if (more && said)
		util_buf_printf(why, "and %zu more short in that period\n",
				more);
	free(s);
	return said > 0;
}
