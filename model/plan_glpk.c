/* The plan as a GLPK problem (docs/formulation.md): every row and column
 * declared first, at offsets computed arithmetically, then every
 * coefficient loaded with one glp_load_matrix. One small function per
 * constraint family, headed by the formula it builds. */
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plan_int.h"

#define TIME_TIE 1e-9 /* money per period of delay, for ties only */

struct triplets {
	int *ia, *ja;
	double *ar;
	size_t n, alloc;
};

static void put(struct triplets *t, int row, int col, double v)
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
static void name(char *buf, size_t size, const char *fmt, ...)
	UTIL_PRINTF(3, 4);
static void name(char *buf, size_t size, const char *fmt, ...)
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

/* Row offsets of each family; -1 where a row does not exist. */
struct rows {
	int *demand; /* [w * nblocks + b]; flexible: [w * nblocks] */
	int *hours, *peak, *commit; /* [c * nblocks + b] */
	int budget;
	int *rgu, *rgu_peak, *market, *link, *cap; /* [b] */
	int *entity; /* [e]: an entity's budget */
	int n;
};

static int new_row(glp_prob *lp, struct rows *r, int type, double lb,
		   double ub, const char *nm)
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

/* demand[w,b]:  sum_c x[w,c,b] = 1    for each block b of a periodic w
 * demand[w]:    sum_{c,b} x[w,c,b] = 1 for a flexible w */
static void demand_rows(const struct plan_model *m, glp_prob *lp,
			struct rows *r)
{
	char nm[256];

	for (size_t w = 0; w < m->nwls; w++) {
		const struct wl *x = &m->wls[w];

		for (int b = 0; b < m->nblocks; b++) {
			int t0 = m->block_start[b];

			if (!x->periodic || t0 < x->first || t0 > x->last ||
			    x->frac[t0] <= 0)
				continue;
			name(nm, sizeof(nm), "demand%zu_%s_b%d", w, x->w->name,
			     b);
			r->demand[w * m->nblocks + b] =
				new_row(lp, r, GLP_FX, 1, 1, nm);
		}
		if (!x->periodic) {
			name(nm, sizeof(nm), "demand%zu_%s", w, x->w->name);
			r->demand[w * m->nblocks] =
				new_row(lp, r, GLP_FX, 1, 1, nm);
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

			if (k->kind == CAND_POOL) {
				name(nm, sizeof(nm), "hours%zu_%s_b%d", c,
				     k->name, b);
				r->hours[c * m->nblocks + b] = new_row(
					lp, r, GLP_UP, 0, h * k->owned, nm);
			}
			if (k->kind == CAND_POOL || k->kind == CAND_EDGE) {
				name(nm, sizeof(nm), "peak%zu_%s_b%d", c,
				     k->name, b);
				r->peak[c * m->nblocks + b] = new_row(
					lp, r, GLP_UP, 0, (double)k->owned, nm);
			}
			if (k->kind == CAND_RENT && !m->no_caps &&
			    model_offer_limit(m->s, k->offer) > 0) {
				name(nm, sizeof(nm), "limit%zu_%s_b%d", c,
				     k->name, b);
				r->peak[c * m->nblocks + b] = new_row(
					lp, r, GLP_UP, 0,
					model_offer_limit(m->s, k->offer), nm);
			}
			if (k->kind == CAND_COMMIT) {
				name(nm, sizeof(nm), "commit%zu_%s_b%d", c,
				     k->name, b);
				r->commit[c * m->nblocks + b] =
					new_row(lp, r, GLP_UP, 0, 0, nm);
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
			r->rgu[b] = new_row(lp, r, GLP_UP, 0,
					    v->rgu_years * m->period_h * len,
					    nm);
			snprintf(nm, sizeof(nm), "rgu_peak_b%d", b);
			r->rgu_peak[b] = new_row(lp, r, GLP_UP, 0,
						 v->rgu_years, nm);
		}
		if (v->market_max_gpus > 0 && !m->no_caps &&
		    has_kind(m, CAND_RENT, PRICING_DECENTRALIZED)) {
			snprintf(nm, sizeof(nm), "market_b%d", b);
			r->market[b] = new_row(lp, r, GLP_UP, 0,
					       v->market_max_gpus *
						       m->period_h * len,
					       nm);
		}
		if (v->link > 0 && !m->no_caps &&
		    has_kind(m, CAND_POOL, PRICING_ONPREM)) {
			snprintf(nm, sizeof(nm), "link_b%d", b);
			r->link[b] = new_row(lp, r, GLP_UP, 0,
					     v->link * m->period_s * len, nm);
		}
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
		name(nm, sizeof(nm), "entity%zu_%s_budget", e, en->name);
		r->entity[e] = new_row(lp, r, GLP_UP, 0, en->budget, nm);
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
		r->budget = new_row(lp, r, GLP_UP, 0, k->budget - m->fixed,
				    "budget");
	for (int b = 0; k->spend_cap >= 0 && b < m->nblocks; b++) {
		snprintf(nm, sizeof(nm), "cap_b%d", b);
		r->cap[b] = new_row(lp, r, GLP_UP, 0,
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
	if (m->opt->objective != MODEL_OBJECTIVE_TIME)
		return cost;
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
			name(nm, sizeof(nm), "x%zu_%s_%s_b%d", i, w->w->name,
			     k->name, b);
		else
			name(nm, sizeof(nm), "x%zu_%s_%s_all", i, w->w->name,
			     k->name);
		glp_set_col_name(lp, j, nm);
		glp_set_col_bnds(lp, j, GLP_DB, 0, 1);
		glp_set_obj_coef(lp, j, objective(m, x, cost));
		put(t, r->demand[x->w * nb + (w->periodic ? b : 0)], j, 1);
		if (b >= 0 && r->hours[cb] > 0)
			put(t, r->hours[cb], j, x->pool_dh);
		if (b >= 0 && r->peak[cb] > 0 && w->peak)
			put(t, r->peak[cb], j, x->peak);
		if (b >= 0 && r->commit[cb] > 0)
			put(t, r->commit[cb], j, x->dh * x->paid);
		if (b >= 0 && r->rgu[b] > 0)
			put(t, r->rgu[b], j, x->rgu);
		if (b >= 0 && r->rgu_peak[b] > 0 && w->peak &&
		    k->kind == CAND_ACADEMIC)
			put(t, r->rgu_peak[b], j,
			    x->peak * k->offer->term[PRICING_RGU]);
		if (b >= 0 && r->market[b] > 0 &&
		    k->family == PRICING_DECENTRALIZED)
			put(t, r->market[b], j, x->dh);
		if (b >= 0 && r->link[b] > 0)
			put(t, r->link[b], j, x->moved);
		if (r->budget > 0)
			put(t, r->budget, j, cost);
		if (w->w->entity >= 0 && r->entity[w->w->entity] > 0)
			put(t, r->entity[w->w->entity], j, cost);
		if (b >= 0 && r->cap[b] > 0)
			put(t, r->cap[b], j, cost / plan_block_len(m, b));
	}
}

/* n[c] in Z, 0..max: devices bought (pools) or boards (edge);
 * r[c] >= 0: devices committed for the horizon (cloud commitments) */
static void int_columns(struct plan_model *m, glp_prob *lp,
			const struct rows *r, struct triplets *t)
{
	double avail = model_const(m->s, MODEL_K_ONPREM_AVAILABILITY);
	char nm[256];

	for (size_t c = 0; c < m->ncands; c++) {
		struct cand *k = &m->cands[c];
		bool buy = (k->kind == CAND_POOL && k->buy_max != 0) ||
			   k->kind == CAND_EDGE;
		double fixed = k->kind == CAND_COMMIT
				       ? k->commit_fixed
				       : k->capex_net + k->maintenance;
		/* budgets count cash: a device bought is paid in full */
		double cash = k->kind == CAND_COMMIT
				      ? k->commit_fixed
				      : k->capex + k->maintenance;
		int j;

		if (!buy && k->kind != CAND_COMMIT)
			continue;
		j = glp_add_cols(lp, 1);
		k->int_col = j;
		name(nm, sizeof(nm), "%s%zu_%s", buy ? "n" : "r", c, k->name);
		glp_set_col_name(lp, j, nm);
		if (buy && k->buy_max > k->buy_min && !m->no_caps)
			glp_set_col_bnds(lp, j, GLP_DB, (double)k->buy_min,
					 (double)k->buy_max);
		else if (buy && k->buy_max > 0 && !m->no_caps)
			glp_set_col_bnds(lp, j, GLP_FX, (double)k->buy_min,
					 0);
		else /* a purchase forced by min stays forced */
			glp_set_col_bnds(lp, j, GLP_LO, (double)k->buy_min, 0);
		if (buy)
			glp_set_col_kind(lp, j, GLP_IV);
		glp_set_obj_coef(lp, j, m->opt->objective == MODEL_OBJECTIVE_TIME
						? TIME_TIE * fixed
						: fixed);
		if (r->budget > 0)
			put(t, r->budget, j, cash);
		for (int b = 0; b < m->nblocks; b++) {
			int cb = (int)c * m->nblocks + b;
			double h = m->period_h * plan_block_len(m, b);
			bool arrived = m->block_start[b] >= k->avail_period;

			if (r->hours[cb] > 0 && arrived)
				put(t, r->hours[cb], j, -avail * h);
			if (r->peak[cb] > 0 && arrived)
				put(t, r->peak[cb], j, -1);
			if (r->commit[cb] > 0)
				put(t, r->commit[cb], j, -h);
			if (r->cap[b] > 0 && buy) /* bought in period 0 */
				put(t, r->cap[b], j,
				    (b == 0 ? k->capex : 0) +
					    k->maintenance / m->nperiods);
			else if (r->cap[b] > 0)
				put(t, r->cap[b], j, fixed / m->nperiods);
		}
	}
}

static void rows_release(struct rows *r)
{
	free(r->demand);
	free(r->hours);
	free(r->peak);
	free(r->commit);
	free(r->rgu);
	free(r->rgu_peak);
	free(r->market);
	free(r->link);
	free(r->cap);
	free(r->entity);
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
			   .hours = row_array(cb),
			   .peak = row_array(cb),
			   .commit = row_array(cb),
			   .market = row_array(m->nblocks),
			   .rgu = row_array(m->nblocks),
			   .rgu_peak = row_array(m->nblocks),
			   .link = row_array(m->nblocks),
			   .cap = row_array(m->nblocks),
			   .entity = row_array(m->s->nentities),
			   .budget = -1};
	glp_set_prob_name(lp, "gpuplan");
	glp_set_obj_name(lp, "cost");
	glp_set_obj_dir(lp, GLP_MIN);
	demand_rows(m, lp, r);
	pool_rows(m, lp, r);
	cap_rows(m, lp, r);
	budget_rows(m, lp, r);
	if (m->nx)
		glp_add_cols(lp, (int)m->nx);
	x_columns(m, lp, r, &sc->t);
	int_columns(m, lp, r, &sc->t);
	glp_load_matrix(lp, (int)sc->t.n, sc->t.ia, sc->t.ja, sc->t.ar);
	m->scratch = NULL;
	scratch_free(sc);
	return 0;
}
