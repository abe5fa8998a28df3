/* The plan as a GLPK problem (docs/formulation.md): every row and column
 * declared first, at offsets computed arithmetically, then every
 * coefficient loaded with one glp_load_matrix. One small function per
 * constraint family, headed by the formula it builds. */
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plan_glpk_int.h"

#define TIME_TIE 1e-9 /* money per period of delay, for ties only */

void plan_put(struct triplets *t, int row, int col, double v)
{
	if (v == 0)
		return;
	UTIL_BUG_ON(!isfinite(v));
	if (t->n + 2 > t->alloc) {
		t->alloc = util_grow_size(t->alloc, t->n + 2);
		t->ia = util_xreallocarray(t->ia, t->alloc, sizeof(int));
		t->ja = util_xreallocarray(t->ja, t->alloc, sizeof(int));
		t->ar = util_xreallocarray(t->ar, t->alloc, sizeof(double));
	}
	t->n++; /* GLPK's arrays start at 1 */
	t->ia[t->n] = row;
	t->ja[t->n] = col;
	t->ar[t->n] = v;
}

/* Names in CPLEX LP format: letters, digits and _ . only. */
void plan_lp_name(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	for (char *p = buf; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.'))
			*p = '_';
}

int plan_new_row(glp_prob *lp, struct rows *r, int type, double lb, double ub,
		 const char *nm)
{
	int i = glp_add_rows(lp, 1);

	glp_set_row_name(lp, i, nm);
	glp_set_row_bnds(lp, i, type, lb, ub);
	r->n = i;
	return i;
}

static int *row_array(size_t n)
{
	int *v = util_xcalloc(n + 1, sizeof(int));

	for (size_t i = 0; i < n; i++)
		v[i] = -1;
	return v;
}

static bool has_kind(const struct plan_model *m, enum cand_kind k,
		     enum pricing_family f)
{
	for (size_t c = 0; c < m->ncands; c++)
		if (m->cands[c].kind == k &&
		    (k != CAND_RENT || m->cands[c].family == f))
			return true;
	return false;
}

/* Whether flexible work w is held to its share of each block. */
static bool per_block_demand(const struct wl *x)
{
	return x->periodic || (x->share && x->flexp == 0);
}

#define arrived plan_arrived

/* What block b must serve of x (its demand row's right-hand side), or
 * -1 when x has no demand row for b */
static double block_demand(const struct plan_model *m, const struct wl *x,
			   int b)
{
	int t0 = m->block_start[b];

	if (!per_block_demand(x) || t0 < x->first || t0 > x->last ||
	    x->frac[t0] <= 0)
		return -1;
	if (x->periodic)
		return 1;
	return arrived(x, m->block_start[b + 1] - 1) - arrived(x, t0 - 1);
}

/* demand[w,b]:  sum_c x[w,c,b] = 1    for each block b of a periodic w
 *               sum_c x[w,c,b] = D(end b) - D(start b - 1) for a timed
 *               w without flexibility (its share of block b)
 * demand[w]:    sum_{c,b} x[w,c,b] = 1 for a flexible w */
static void demand_rows(const struct plan_model *m, glp_prob *lp,
			struct rows *r)
{
	char nm[256];

	for (size_t w = 0; w < m->nwls; w++) {
		const struct wl *x = &m->wls[w];

		if (m->group && m->group[w] != (int)w)
			continue; /* merged: its group's rows are its own */
		for (int b = 0; b < m->nblocks; b++) {
			double d = block_demand(m, x, b);

			if (d < 0)
				continue;
			plan_lp_name(nm, sizeof(nm), "demand%zu_%s_b%d", w,
				     x->w->name, b);
			r->demand[w * m->nblocks + b] =
			    plan_new_row(lp, r, GLP_FX, d, d, nm);
		}
		if (!per_block_demand(x)) {
			plan_lp_name(nm, sizeof(nm), "demand%zu_%s", w,
				     x->w->name);
			r->demand[w * m->nblocks] =
			    plan_new_row(lp, r, GLP_FX, 1, 1, nm);
		}
	}
}

/* due[w,b]: D(end b - flexp) <= sum_{c, b' <= b} x[w,c,b'] <= D(end b)
 * for timed work that may wait flexp periods: no work before it comes,
 * none later than flexp periods after (docs/formulation.md) */
static void due_rows(const struct plan_model *m, glp_prob *lp,
		     struct rows *r)
{
	char nm[256];

	for (size_t w = 0; w < m->nwls; w++) {
		const struct wl *x = &m->wls[w];

		if (!x->share || per_block_demand(x))
			continue;
		if (m->group && m->group[w] != (int)w)
			continue; /* merged: its group's rows are its own */
		for (int b = 0; b < m->nblocks; b++) {
			int e = m->block_start[b + 1] - 1;
			double lo = arrived(x, e - x->flexp),
			       hi = arrived(x, e);

			if (m->block_start[b] > x->last)
				break;
			if (lo < 1e-12 && hi > 1 - 1e-12)
				continue; /* says nothing */
			plan_lp_name(nm, sizeof(nm), "due%zu_%s_b%d", w,
				     x->w->name, b);
			r->due[w * m->nblocks + b] =
			    hi - lo < 1e-12
				? plan_new_row(lp, r, GLP_FX, hi, hi, nm)
				: plan_new_row(lp, r, GLP_DB, lo, hi, nm);
			if (lo > 1 - 1e-12)
				break; /* all of it served by then */
		}
	}
}

/* hours[c,b]: sum dh x - A H len n[c] (b >= avail) <= A H len owned[c]
 * peak[c,b]:  sum peak x - n[c] (b >= avail) <= owned[c]
 * for on-prem pools (A: availability) and, peak only, edge boards;
 * peak[c,b]:  sum peak x <= max_devices(c) for rented offers */
static void pool_rows(const struct plan_model *m, glp_prob *lp,
		      struct rows *r)
{
	double avail = model_const(m->s, MODEL_K_ONPREM_AVAILABILITY);
	char nm[256];

	for (size_t c = 0; c < m->ncands; c++) {
		const struct cand *k = &m->cands[c];

		for (int b = 0; b < m->nblocks; b++) {
			double h = avail * m->period_h * plan_block_len(m, b);
			/* owned devices past their life serve no more: the
			 * hours of the block before, no peak across it */
			double f = k->kind == CAND_POOL ? plan_in_service(m, k, b)
							: 1;

			if (k->kind == CAND_POOL) {
				plan_lp_name(nm, sizeof(nm), "hours%zu_%s_b%d",
					     c, k->name, b);
				r->hours[c * m->nblocks + b] = plan_new_row(
				    lp, r, GLP_UP, 0, h * k->owned * f, nm);
			}
			if (k->kind == CAND_POOL || k->kind == CAND_EDGE) {
				plan_lp_name(nm, sizeof(nm), "peak%zu_%s_b%d",
					     c, k->name, b);
				r->peak[c * m->nblocks + b] = plan_new_row(
				    lp, r, GLP_UP, 0,
				    f < 1 ? 0 : (double)k->owned, nm);
			}
			if (k->kind == CAND_RENT && !m->no_caps &&
			    model_offer_limit(m->s, k->offer) > 0) {
				plan_lp_name(nm, sizeof(nm), "limit%zu_%s_b%d",
					     c, k->name, b);
				r->peak[c * m->nblocks + b] = plan_new_row(
				    lp, r, GLP_UP, 0,
				    model_offer_limit(m->s, k->offer), nm);
			}
			if (k->kind == CAND_COMMIT) {
				plan_lp_name(nm, sizeof(nm), "commit%zu_%s_b%d",
					     c, k->name, b);
				r->commit[c * m->nblocks + b] =
				    plan_new_row(lp, r, GLP_UP, 0, 0, nm);
			}
		}
	}
}

/* rgu[b]:      sum RGU dh x <= allocation (RGU-years) x H len: the
 *              allocation is a yearly rate, not a bank
 * rgu_peak[b]: sum RGU peak x (teaching, inference) <= allocation
 * market[b]:   sum dh x (decentralized) <= max_gpus H len
 * link[b]:     sum moved x (on-prem) <= link x period x len */
static void cap_rows(const struct plan_model *m, glp_prob *lp,
		     struct rows *r)
{
	const struct model_venues *v = &m->s->venues;
	bool academic = has_kind(m, CAND_ACADEMIC, PRICING_ACADEMIC);
	char nm[64];

	for (int b = 0; b < m->nblocks; b++) {
		int len = plan_block_len(m, b);

		if (academic) {
			snprintf(nm, sizeof(nm), "rgu_b%d", b);
			r->rgu[b] =
			    plan_new_row(lp, r, GLP_UP, 0,
					 v->rgu_years * m->period_h * len, nm);
			snprintf(nm, sizeof(nm), "rgu_peak_b%d", b);
			r->rgu_peak[b] =
			    plan_new_row(lp, r, GLP_UP, 0, v->rgu_years, nm);
		}
		if (v->market_max_gpus > 0 && !m->no_caps &&
		    has_kind(m, CAND_RENT, PRICING_DECENTRALIZED)) {
			snprintf(nm, sizeof(nm), "market_b%d", b);
			r->market[b] = plan_new_row(
			    lp, r, GLP_UP, 0,
			    v->market_max_gpus * m->period_h * len, nm);
		}
		if (v->link > 0 && !m->no_caps &&
		    has_kind(m, CAND_POOL, PRICING_ONPREM)) {
			snprintf(nm, sizeof(nm), "link_b%d", b);
			r->link[b] = plan_new_row(
			    lp, r, GLP_UP, 0, v->link * m->period_s * len, nm);
		}
	}
}

/* queue[w]:  sum_{c academic, b} weight(w,b) x[w,c,b] <= q[w]
 * the closed loop's cap on the share of w's work on academic queues
 * (model_plan_opts.queue_share), for each w it caps below 1; weight is
 * what the column counts toward the share (plan_share_weight): the
 * demand rows of every w add up to 1 so weighted */
static void queue_rows(const struct plan_model *m, glp_prob *lp,
		       struct rows *r)
{
	char nm[256];

	if (!m->opt->queue_share ||
	    !has_kind(m, CAND_ACADEMIC, PRICING_ACADEMIC))
		return;
	for (size_t w = 0; w < m->nwls; w++) {
		const struct wl *x = &m->wls[w];

		if ((m->group && m->group[w] != (int)w) ||
		    m->opt->queue_share[w] >= 1)
			continue;
		plan_lp_name(nm, sizeof(nm), "queue%zu_%s", w, x->w->name);
		r->queue[w] =
		    plan_new_row(lp, r, GLP_UP, 0, m->opt->queue_share[w], nm);
	}
}

/* entity[e]:  sum_{w of e, c, b} cost[w,c,b] x[w,c,b] <= budget[e]
 * What a workload costs is what the plan attributes to it (its x
 * columns: rent, energy, storage, transfers); the pool's fixed costs and
 * purchases belong to no entity (docs/formulation.md). */
static void entity_rows(const struct plan_model *m, glp_prob *lp,
			struct rows *r)
{
	char nm[128];

	for (size_t e = 0; e < m->s->nentities; e++) {
		const struct model_entity *en = &m->s->entities[e];

		if (en->budget < 0)
			continue;
		plan_lp_name(nm, sizeof(nm), "entity%zu_%s_budget", e,
			     en->name);
		r->entity[e] = plan_new_row(lp, r, GLP_UP, 0, en->budget, nm);
	}
}

/* budget:  total cost <= budget - fixed costs
 * cap[b]:  cost of one period of block b (capex in period 0) <= cap */
static void budget_rows(const struct plan_model *m, glp_prob *lp,
			struct rows *r)
{
	const struct model_constraints *k = &m->s->constraints;
	char nm[64];

	if (m->no_budget)
		return;
	if (k->budget >= 0)
		r->budget = plan_new_row(lp, r, GLP_UP, 0, k->budget - m->fixed,
					 "budget");
	for (int b = 0; k->spend_cap >= 0 && b < m->nblocks; b++) {
		snprintf(nm, sizeof(nm), "cap_b%d", b);
		r->cap[b] =
		    plan_new_row(lp, r, GLP_UP, 0,
				 k->spend_cap - m->fixed / m->nperiods, nm);
	}
	entity_rows(m, lp, r);
}

static double col_cost(const struct xcol *x)
{
	double sum = 0;

	for (int k = 0; k < MODEL_NCOSTS; k++)
		sum += x->cost[k];
	return sum;
}

/* With --objective time, flexible work done in later periods costs: the
 * weight of a share is the end of its block, in periods, per unit of
 * work, so the optimum finishes work as early as the budget and the
 * capacities allow; money only breaks ties. */
static double objective(const struct plan_model *m, const struct xcol *x,
			double cost)
{
	if (m->elastic) /* only the slack counts */
		return 0;
	if (m->opt->objective != MODEL_OBJECTIVE_TIME) /* and waiting */
		return cost - plan_delay_weight(m, &m->wls[x->w], x->b);
	if (m->wls[x->w].periodic || x->b < 0)
		return TIME_TIE * cost;
	return m->block_start[x->b + 1] + TIME_TIE * cost;
}

/* x[w,c,b] in [0, 1]: its rows and its cost. */
static void x_columns(const struct plan_model *m, glp_prob *lp,
		      const struct rows *r, struct triplets *t)
{
	char nm[256];

	for (size_t i = 0; i < m->nx; i++) {
		const struct xcol *x = &m->x[i];
		const struct cand *k = &m->cands[x->c];
		const struct wl *w = &m->wls[x->w];
		int j = (int)i + 1, nb = m->nblocks;
		int cb = x->c * nb + x->b, b = x->b;
		double cost = col_cost(x);

		if (b >= 0)
			plan_lp_name(nm, sizeof(nm), "x%zu_%s_%s_b%d", i,
				     w->w->name, k->name, b);
		else
			plan_lp_name(nm, sizeof(nm), "x%zu_%s_%s_all", i,
				     w->w->name, k->name);
		glp_set_col_name(lp, j, nm);
		if (plan_venue_open(m, x))
			glp_set_col_bnds(lp, j, GLP_DB, 0, 1);
		else /* a venue left behind by the first solve */
			glp_set_col_bnds(lp, j, GLP_FX, 0, 0);
		glp_set_obj_coef(lp, j, objective(m, x, cost));
		plan_put(t,
			 r->demand[x->w * nb + (per_block_demand(w) ? b : 0)],
			 j, 1);
		for (int d = b; w->share && d >= 0 && d < nb; d++)
			if (r->due[x->w * nb + d] > 0)
				plan_put(t, r->due[x->w * nb + d], j, 1);
		if (b >= 0 && r->hours[cb] > 0)
			plan_put(t, r->hours[cb], j, x->pool_dh);
		if (b >= 0 && r->peak[cb] > 0 && w->peak)
			plan_put(t, r->peak[cb], j, x->peak);
		if (b >= 0 && r->commit[cb] > 0)
			plan_put(t, r->commit[cb], j, x->dh * x->paid);
		if (b >= 0 && r->rgu[b] > 0)
			plan_put(t, r->rgu[b], j, x->rgu);
		if (b >= 0 && r->rgu_peak[b] > 0 && w->peak &&
		    k->kind == CAND_ACADEMIC)
			plan_put(t, r->rgu_peak[b], j,
				 x->peak * k->offer->term[PRICING_RGU]);
		if (b >= 0 && r->market[b] > 0 &&
		    k->family == PRICING_DECENTRALIZED)
			plan_put(t, r->market[b], j, x->dh);
		if (b >= 0 && r->link[b] > 0)
			plan_put(t, r->link[b], j, x->moved);
		if (r->budget > 0)
			plan_put(t, r->budget, j, cost);
		if (w->w->entity >= 0 && r->entity[w->w->entity] > 0)
			plan_put(t, r->entity[w->w->entity], j, cost);
		if (b >= 0 && r->cap[b] > 0)
			plan_put(t, r->cap[b], j, cost / plan_block_len(m, b));
		if (r->whole[i] > 0)
			plan_put(t, r->whole[i], j, 1);
		if (r->queue[x->w] > 0 && k->kind == CAND_ACADEMIC)
			plan_put(t, r->queue[x->w], j,
				 b >= 0 ? plan_share_weight(m, w, b) : 1);
	}
}

/* buy[c]: sum_g n[c,g] <= max / unit for a pool bought over several
 * dates (one date: the column's bounds); a forced min is bought at the
 * first date (buy_bounds) */
static void buy_rows(struct plan_model *m, glp_prob *lp, struct rows *r)
{
	char nm[256];

	for (size_t c = 0; c < m->ncands; c++) {
		const struct cand *k = &m->cands[c];
		double lo, hi;

		if (k->kind != CAND_POOL || k->buy_max == 0 || k->ngroups < 2)
			continue;
		lo = (double)(k->buy_min / k->unit);
		hi = (double)(k->buy_max / k->unit);
		if (m->no_caps || k->buy_max < 0)
			continue;
		plan_lp_name(nm, sizeof(nm), "buy%zu_%s", c, k->name);
		r->buy[c] =
		    plan_new_row(lp, r, hi > lo ? GLP_UP : GLP_FX, hi, hi, nm);
	}
}

/* The bounds of purchase column j: min..max units when it is the pool's
 * only date (a forced min stays forced without maxima), else >= 0 with
 * the buy row holding them. */
static void buy_bounds(const struct plan_model *m, glp_prob *lp, int j,
		       const struct cand *k)
{
	double lo = (double)(k->buy_min / k->unit),
	       hi = (double)(k->buy_max / k->unit);

	if (k->ngroups > 1 && j == k->gcol[0]) /* min: at the first date */
		glp_set_col_bnds(lp, j, GLP_LO, lo, 0);
	else if (k->ngroups > 1)
		glp_set_col_bnds(lp, j, GLP_LO, 0, 0);
	else if (k->buy_max > k->buy_min && !m->no_caps)
		glp_set_col_bnds(lp, j, GLP_DB, lo, hi);
	else if (k->buy_max > 0 && !m->no_caps)
		glp_set_col_bnds(lp, j, GLP_FX, lo, 0);
	else
		glp_set_col_bnds(lp, j, GLP_LO, lo, 0);
}

/* n[c,g] in Z: units of `unit` devices bought for pool c working from
 * period gstart[g] (or boards, edge), in the capacity rows of the
 * blocks from then, paid (net capex and maintenance) from its order
 * date; r[c] >= 0: devices committed for the horizon (cloud) */
static void buy_column(struct plan_model *m, glp_prob *lp,
		       const struct rows *r, struct triplets *t, size_t c,
		       int g)
{
	double avail = model_const(m->s, MODEL_K_ONPREM_AVAILABILITY);
	struct cand *k = &m->cands[c];
	double u = (double)k->unit;
	double left = 1 - plan_order_time(m, k, g) / m->s->horizon;
	/* colocation fees from the devices' arrival */
	double hosted = k->hosting * plan_hosted_s(m, k, g);
	double fixed = u * (left * (k->capex_net + k->maintenance) + hosted);
	/* budgets count cash: a device bought is paid in full */
	double cash = u * (k->capex + left * k->maintenance + hosted);
	int j = glp_add_cols(lp, 1);
	int paid = (int)(plan_order_time(m, k, g) / m->period_s);
	char nm[256];

	k->gcol[g] = j;
	if (g == 0) {
		k->int_col = j;
		plan_lp_name(nm, sizeof(nm), "n%zu_%s", c, k->name);
	} else {
		plan_lp_name(nm, sizeof(nm), "n%zu_%s_p%d", c, k->name,
			     k->gstart[g]);
	}
	glp_set_col_name(lp, j, nm);
	buy_bounds(m, lp, j, k);
	glp_set_col_kind(lp, j, GLP_IV);
	glp_set_obj_coef(lp, j, m->elastic ? 0
				: m->opt->objective == MODEL_OBJECTIVE_TIME
					? TIME_TIE * fixed
					: fixed);
	if (r->budget > 0)
		plan_put(t, r->budget, j, cash);
	if (r->buy[c] > 0)
		plan_put(t, r->buy[c], j, 1);
	for (int b = 0; b < m->nblocks; b++) {
		int cb = (int)c * m->nblocks + b;
		double h = m->period_h * plan_block_len(m, b);
		bool arrived = m->block_start[b] >= k->gstart[g];
		bool pays = paid >= m->block_start[b] &&
			    paid < m->block_start[b + 1];

		if (r->hours[cb] > 0 && arrived)
			plan_put(t, r->hours[cb], j, -avail * h * u);
		if (r->peak[cb] > 0 && arrived)
			plan_put(t, r->peak[cb], j, -u);
		if (r->cap[b] > 0) { /* capex in its order's period */
			double v = pays ? k->capex : 0;

			if (m->block_start[b + 1] > paid)
				v += left * k->maintenance /
				     (m->nperiods - paid);
			if (arrived) /* a period's fees */
				v += k->hosting * m->period_s;
			plan_put(t, r->cap[b], j, u * v);
		}
	}
}

static void commit_column(struct plan_model *m, glp_prob *lp,
			  const struct rows *r, struct triplets *t, size_t c)
{
	struct cand *k = &m->cands[c];
	int j = glp_add_cols(lp, 1);
	char nm[256];

	k->int_col = j;
	plan_lp_name(nm, sizeof(nm), "r%zu_%s", c, k->name);
	glp_set_col_name(lp, j, nm);
	glp_set_col_bnds(lp, j, GLP_LO, 0, 0);
	glp_set_obj_coef(lp, j, m->elastic ? 0
				: m->opt->objective == MODEL_OBJECTIVE_TIME
					? TIME_TIE * k->commit_fixed
					: k->commit_fixed);
	if (r->budget > 0)
		plan_put(t, r->budget, j, k->commit_fixed);
	for (int b = 0; b < m->nblocks; b++) {
		int cb = (int)c * m->nblocks + b;
		double h = m->period_h * plan_block_len(m, b);

		if (r->commit[cb] > 0)
			plan_put(t, r->commit[cb], j, -h);
		if (r->cap[b] > 0)
			plan_put(t, r->cap[b], j,
				 k->commit_fixed / m->nperiods);
	}
}

static void int_columns(struct plan_model *m, glp_prob *lp,
			const struct rows *r, struct triplets *t)
{
	for (size_t c = 0; c < m->ncands; c++) {
		const struct cand *k = &m->cands[c];
		bool buy = (k->kind == CAND_POOL && k->buy_max != 0) ||
			   k->kind == CAND_EDGE;

		if (k->kind == CAND_COMMIT)
			commit_column(m, lp, r, t, c);
		for (int g = 0; buy && g < k->ngroups; g++)
			buy_column(m, lp, r, t, c, g);
	}
}

/* e[row] >= 0 in each demand and due row, for the diagnosis of an
 * infeasible plan (m->elastic): min sum len(b) e[w,b] (a periodic
 * workload's slack counts once per period of its block) tells which
 * work cannot be served when (plan_explain.c) */
static int slack_column(glp_prob *lp, struct triplets *t, int row,
			double weight)
{
	char nm[64];
	int j = glp_add_cols(lp, 1);

	snprintf(nm, sizeof(nm), "e%d", row);
	glp_set_col_name(lp, j, nm);
	glp_set_col_bnds(lp, j, GLP_LO, 0, 0);
	glp_set_obj_coef(lp, j, weight);
	plan_put(t, row, j, 1);
	return j;
}

static void slack_columns(struct plan_model *m, glp_prob *lp,
			  const struct rows *r, struct triplets *t)
{
	size_t n = m->nwls * (size_t)m->nblocks;

	free(m->slack);
	free(m->slack_due);
	m->slack = util_xcalloc(n + 1, sizeof(int));
	m->slack_due = util_xcalloc(n + 1, sizeof(int));
	for (size_t i = 0; i < n; i++) {
		int b = (int)(i % (size_t)m->nblocks);
		bool periodic = m->wls[i / (size_t)m->nblocks].periodic;

		if (r->demand[i] > 0)
			m->slack[i] = slack_column(
				lp, t, r->demand[i],
				periodic ? plan_block_len(m, b) : 1);
		if (r->due[i] > 0)
			m->slack_due[i] = slack_column(lp, t, r->due[i], 1);
	}
}

/* A starting basis for a cold solve (docs/formulation.md, Solving): in
 * each demand row, its cheapest open column is basic in place of the
 * row's slack; every other row's slack is basic and every other column
 * at its lower bound. Each x column is in one demand row only, so the
 * basis is triangular, hence regular; it meets every demand, at the
 * cheapest venue of each, and the primal simplex starts from there. */
static void crash_basis(struct plan_model *m, glp_prob *lp,
			const struct rows *r)
{
	int nr = glp_get_num_rows(lp);
	int *best = util_xcalloc((size_t)nr + 1, sizeof(int));

	free(m->x_demand);
	m->x_demand = util_xcalloc(m->nx + 1, sizeof(int));
	for (size_t i = 0; i < m->nx; i++) {
		const struct xcol *x = &m->x[i];
		int j = (int)i + 1;
		int row = r->demand[x->w * m->nblocks +
				    (per_block_demand(&m->wls[x->w]) ? x->b
								      : 0)];

		m->x_demand[i] = row > 0 ? row : 0;
		if (row <= 0 || glp_get_col_type(lp, j) == GLP_FX)
			continue;
		if (!best[row] || glp_get_obj_coef(lp, j) <
					  glp_get_obj_coef(lp, best[row]))
			best[row] = j;
	}
	glp_std_basis(lp);
	for (int i = 1; i <= nr; i++)
		if (best[i]) {
			glp_set_row_stat(lp, i, GLP_NS);
			glp_set_col_stat(lp, best[i], GLP_BS);
		}
	free(best);
}

static void rows_release(struct rows *r)
{
	free(r->demand);
	free(r->due);
	free(r->hours);
	free(r->peak);
	free(r->commit);
	free(r->rgu);
	free(r->rgu_peak);
	free(r->market);
	free(r->link);
	free(r->cap);
	free(r->entity);
	free(r->buy);
	free(r->one);
	free(r->whole);
	free(r->ycol);
	free(r->queue);
}

struct scratch {
	struct rows r;
	struct triplets t;
};

/* Frees what plan_build holds; also called by plan_model_release when a
 * GLPK error jumped out of plan_build. */
static void scratch_free(void *p)
{
	struct scratch *sc = p;

	free(sc->t.ia);
	free(sc->t.ja);
	free(sc->t.ar);
	rows_release(&sc->r);
	free(sc);
}

int plan_build(struct plan_model *m, glp_prob *lp)
{
	size_t cb = m->ncands * (size_t)m->nblocks;
	struct scratch *sc = util_xcalloc(1, sizeof(*sc));
	struct rows *r = &sc->r;

	m->scratch = sc;
	m->scratch_free = scratch_free;
	*r = (struct rows){.demand = row_array(m->nwls * (size_t)m->nblocks),
			   .due = row_array(m->nwls * (size_t)m->nblocks),
			   .hours = row_array(cb),
			   .peak = row_array(cb),
			   .commit = row_array(cb),
			   .market = row_array(m->nblocks),
			   .rgu = row_array(m->nblocks),
			   .rgu_peak = row_array(m->nblocks),
			   .link = row_array(m->nblocks),
			   .cap = row_array(m->nblocks),
			   .entity = row_array(m->s->nentities),
			   .buy = row_array(m->ncands),
			   .one = row_array(m->nwls),
			   .queue = row_array(m->nwls),
			   .whole = row_array(m->nx),
			   .ycol = util_xcalloc(m->nwls * m->ncands + 1,
						sizeof(int)),
			   .budget = -1};
	glp_set_prob_name(lp, "gpuplan");
	glp_set_obj_name(lp, "cost");
	glp_set_obj_dir(lp, GLP_MIN);
	demand_rows(m, lp, r);
	due_rows(m, lp, r);
	pool_rows(m, lp, r);
	cap_rows(m, lp, r);
	budget_rows(m, lp, r);
	buy_rows(m, lp, r);
	plan_one_venue_rows(m, lp, r);
	queue_rows(m, lp, r);
	if (m->nx)
		glp_add_cols(lp, (int)m->nx);
	x_columns(m, lp, r, &sc->t);
	int_columns(m, lp, r, &sc->t);
	plan_one_venue_columns(m, lp, r, &sc->t);
	plan_venue_rows(m, lp, r, &sc->t);
	if (m->elastic)
		slack_columns(m, lp, r, &sc->t);
	glp_load_matrix(lp, (int)sc->t.n, sc->t.ia, sc->t.ja, sc->t.ar);
	crash_basis(m, lp, r);
	free(m->one_row);
	m->one_row = util_xcalloc(m->nwls + 1, sizeof(int));
	m->none = 0;
	for (size_t w = 0; w < m->nwls; w++)
		if (r->one[w] > 0)
			m->one_row[m->none++] = r->one[w];
	m->scratch = NULL;
	scratch_free(sc);
	return 0;
}
