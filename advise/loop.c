/* The closed loop (docs/targets.md): plan, simulate the plan, check every
 * target; when one is missed, tighten the model for the workload that
 * missed and plan again, up to a number of rounds. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "advise_int.h"

/* How much more capacity a round asks for a workload that missed. */
#define STEP 1.25
#define MAX_HEADROOM 64.0
#define TEACH_LEAD_S 300.0 /* teaching: asked this much earlier a round */

/* The on-prem venue of workload w in p, or NULL. */
static const char *pool_of(const struct model_plan *p,
			   const struct model_workload *w)
{
	for (size_t i = 0; i < p->nassign; i++)
		if (p->assign[i].w == w &&
		    p->assign[i].family == PRICING_ONPREM)
			return p->assign[i].venue;
	return NULL;
}

static void note(struct util_buf *b, const char *fmt, ...) UTIL_PRINTF(2, 3);

static void note(struct util_buf *b, const char *fmt, ...)
{
	va_list ap;

	if (b->len)
		util_buf_puts(b, "; ");
	va_start(ap, fmt);
	util_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* Batch work that waits on a pool: every batch workload sharing that
 * pool gets more room (a lower utilisation ceiling). */
static bool tighten_pool(const struct model_scenario *s,
			 const struct model_plan *p, size_t w, double *h,
			 bool *done)
{
	const char *venue = pool_of(p, &s->workloads[w]);
	bool any = false;

	if (!venue)
		return false;
	for (size_t i = 0; i < p->nassign; i++) {
		const struct model_plan_assignment *a = &p->assign[i];
		size_t k = (size_t)(a->w - s->workloads);

		if (strcmp(a->venue, venue) || done[k] ||
		    a->w->kind == MODEL_INFERENCE ||
		    a->w->kind == MODEL_TEACHING || h[k] >= MAX_HEADROOM)
			continue;
		h[k] *= STEP;
		done[k] = any = true;
	}
	return any;
}

/* Students wait for rented or academic devices: ask for them 5 minutes
 * earlier before each session (up to a session's length). */
static bool tighten_teaching(const struct model_scenario *s,
			     const struct model_plan *p, size_t w, double *h)
{
	const struct model_workload *wl = &s->workloads[w];
	bool remote = false;

	for (size_t i = 0; i < p->nassign; i++)
		remote |= p->assign[i].w == wl &&
			  p->assign[i].family != PRICING_ONPREM &&
			  p->assign[i].family != PRICING_EDGE;
	if (!remote || h[w] >= 2)
		return false;
	h[w] = fmin(h[w] + TEACH_LEAD_S / wl->teaching.duration, 2);
	return true;
}

/* Raises the headroom of each workload that missed a target where a
 * knob exists. Returns whether anything changed. */
static bool tighten(const struct model_scenario *s, const struct model_plan *p,
		    const struct advise_checks *c, double *h)
{
	bool *done = util_xcalloc(s->nworkloads + 1, sizeof(bool)), any = false;
	const char *accel;
	double fastest;

	for (size_t i = 0; i < c->n; i++) {
		size_t w = c->v[i].w;
		const struct model_workload *wl = &s->workloads[w];

		if (c->v[i].met || done[w])
			continue;
		if (wl->kind == MODEL_INFERENCE &&
		    advise_latency_unreachable(s, w, &fastest, &accel))
			continue; /* more devices will not help */
		if (wl->kind == MODEL_INFERENCE && h[w] < MAX_HEADROOM) {
			h[w] *= c->v[i].share > 0.1 ? 2 : STEP;
			done[w] = any = true;
		} else if (wl->kind == MODEL_TEACHING) {
			any |= tighten_teaching(s, p, w, h);
			done[w] = true;
		} else {
			any |= tighten_pool(s, p, w, h, done);
		}
	}
	free(done);
	return any;
}

/* Batch workloads that share one headroom value, named together. */
static void describe_batch(const struct model_scenario *s, const double *h,
			   struct util_buf *b)
{
	bool *told = util_xcalloc(s->nworkloads + 1, sizeof(bool));

	for (size_t w = 0; w < s->nworkloads; w++) {
		enum model_kind k = s->workloads[w].kind;
		size_t n = 0;

		if (told[w] || h[w] <= 1 || k == MODEL_INFERENCE ||
		    k == MODEL_TEACHING)
			continue;
		util_buf_puts(b, b->len ? "; " : "");
		for (size_t v = w; v < s->nworkloads; v++) {
			k = s->workloads[v].kind;
			if (h[v] != h[w] || k == MODEL_INFERENCE ||
			    k == MODEL_TEACHING)
				continue;
			told[v] = true;
			util_buf_printf(b, "%s%s", n++ ? ", " : "",
					s->workloads[v].name);
		}
		util_buf_printf(b, ": hours counted %.3gx on the on-prem pool "
				"(a lower utilisation ceiling)", h[w]);
	}
	free(told);
}

/* What the headroom h of the plan kept means, workload by workload. */
static void describe(const struct model_scenario *s, const double *h,
		     struct util_buf *b)
{
	for (size_t w = 0; w < s->nworkloads; w++) {
		const struct model_workload *wl = &s->workloads[w];

		if (h[w] <= 1)
			continue;
		if (wl->kind == MODEL_INFERENCE)
			note(b, "%s: sized for %.3gx its request rate",
			     wl->name, h[w]);
		else if (wl->kind == MODEL_TEACHING)
			note(b, "%s: devices asked for %.0f min before each "
			     "session", wl->name,
			     (h[w] - 1) * wl->teaching.duration / 60);
	}
	describe_batch(s, h, b);
}

static bool planned(const struct model_plan *p)
{
	return p->status == MODEL_PLAN_OPTIMAL ||
	       p->status == MODEL_PLAN_FEASIBLE;
}

/* One round: plan with headroom h, simulate and check when there is a
 * plan. On the first round, when the pools' utilisation ceilings leave no
 * plan, plans without them (r->cornered). */
static int round_once(const struct model_scenario *s,
		      const struct advise_loop_opts *o, const double *h,
		      bool first, struct advise_result *r,
		      struct util_err *err)
{
	struct model_plan_opts po = o->plan;
	int rc;

	po.headroom = h;
	po.best_effort = true;
	rc = model_plan(s, &po, &r->plan, err);
	if (!rc && r->plan.status == MODEL_PLAN_INFEASIBLE && first) {
		/* the pools' utilisation ceilings may be what leaves no plan:
		 * plan without them, and let the simulation show the waits */
		struct model_plan full;

		po.no_ceilings = true;
		rc = model_plan(s, &po, &full, err);
		if (!rc && planned(&full)) {
			model_plan_release(&r->plan);
			r->plan = full;
			r->cornered = true;
		} else {
			model_plan_release(&full);
		}
	}
	if (rc || !planned(&r->plan))
		return rc;
	rc = sim_simulate(s, &r->plan, &o->sim, &r->sim, err);
	if (!rc)
		advise_check_targets(&r->sim, &r->checks);
	return rc;
}

static void result_clear(struct advise_result *r)
{
	model_plan_release(&r->plan);
	sim_result_release(&r->sim);
	advise_checks_release(&r->checks);
}

int advise_loop(const struct model_scenario *s,
		const struct advise_loop_opts *o, struct advise_result *out,
		struct util_err *err)
{
	double *h = util_xcalloc(s->nworkloads + 1, sizeof(double));
	double *used = util_xcalloc(s->nworkloads + 1, sizeof(double));
	struct util_buf why;
	struct advise_result next;
	int rc, max = o->rounds > 0 ? o->rounds : ADVISE_ROUNDS;

	memset(out, 0, sizeof(*out));
	util_buf_init(&why);
	for (size_t w = 0; w < s->nworkloads; w++)
		h[w] = used[w] = 1;
	out->rounds = 1;
	rc = round_once(s, o, h, true, out, err);
	while (!rc && planned(&out->plan) && out->checks.missed &&
	       tighten(s, &out->plan, &out->checks, h)) {
		if (out->rounds >= max) {
			out->exhausted = true;
			break;
		}
		memset(&next, 0, sizeof(next));
		rc = round_once(s, o, h, false, &next, err);
		if (rc || !planned(&next.plan)) { /* keep the last plan */
			out->cornered = !rc;
			result_clear(&next);
			break;
		}
		result_clear(out);
		next.rounds = out->rounds + 1;
		*out = next;
		memcpy(used, h, s->nworkloads * sizeof(*h));
	}
	describe(s, used, &why);
	out->tightened = why.len ? util_buf_detach(&why) : NULL;
	util_buf_release(&why);
	free(h);
	free(used);
	return rc;
}

void advise_result_release(struct advise_result *r)
{
	result_clear(r);
	free(r->tightened);
	memset(r, 0, sizeof(*r));
}

void advise_loop_defaults(struct advise_loop_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->plan.family = -1;
	o->sim.seed = 1;
	o->sim.replications = 20;
	o->sim.jobs = 1;
	o->rounds = ADVISE_ROUNDS;
}

int advise_plan(const struct model_scenario *s,
		const struct advise_loop_opts *o, struct model_plan *out,
		struct util_err *err)
{
	struct advise_result r;
	int rc = advise_loop(s, o, &r, err);

	*out = r.plan;
	memset(&r.plan, 0, sizeof(r.plan));
	advise_result_release(&r);
	return rc;
}
