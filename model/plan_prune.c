/* Columns no optimum needs, dropped before the solver
 * (docs/formulation.md, "Reduction before the solver", step 5).
 *
 * A column is *free* when, besides its demand row, it enters only the
 * budget and the spend cap of its own block, with its cost as
 * coefficient (a rented offer, no market cap or commitment, no link)
 * or capacity rows that can never bind. For each demand row and block,
 * the cheapest free column f dominates every other column d of that
 * demand row that costs at least as much and sits in f's block (or f is
 * the whole window's): moving d's share to f changes no demand, raises
 * no capacity row (every other coefficient of d is >= 0 in a <= row),
 * and lowers or keeps the objective, the budget and the spend cap.
 * So some optimum never uses d, and the optimum value is unchanged. */
#include "plan_int.h"

#include <stdlib.h>

static double total_cost(const struct xcol *x)
{
	double sum = 0;

	for (int k = 0; k < MODEL_NCOSTS; k++)
		sum += x->cost[k];
	return sum;
}

/* The devices a rented offer gives at once, when plan_build adds its
 * limit row for block b (plan_glpk.c, pool_rows); 0: no row. */
static double limit_of(const struct plan_model *m, const struct cand *c)
{
	if (c->kind != CAND_RENT || m->no_caps)
		return 0;
	return model_offer_limit(m->s, c->offer);
}

/* Per candidate and block, whether its limit row can bind: the most the
 * columns in it could ever hold (every share at 1) exceeds the limit. */
static bool *binding_limits(const struct plan_model *m)
{
	size_t nb = (size_t)m->nblocks, n = m->ncands * nb;
	double *most = util_xcalloc(n + 1, sizeof(double));
	bool *bind = util_xcalloc(n + 1, sizeof(bool));

	for (size_t i = 0; i < m->nx; i++) {
		const struct xcol *x = &m->x[i];

		if (x->b >= 0 && m->wls[x->w].peak)
			most[(size_t)x->c * nb + (size_t)x->b] += x->peak;
	}
	for (size_t c = 0; c < m->ncands; c++) {
		double limit = limit_of(m, &m->cands[c]);

		for (size_t b = 0; limit > 0 && b < nb; b++)
			bind[c * nb + b] = most[c * nb + b] > limit;
	}
	free(most);
	return bind;
}

/* Whether x enters no row but its demand, the budget and its block's
 * spend cap, or rows that cannot bind. Mirrors plan_glpk.c's x_columns:
 * a row added there for rented columns must be named here. */
static bool is_free(const struct plan_model *m, const struct xcol *x,
		    const bool *bind)
{
	const struct cand *c = &m->cands[x->c];
	const struct model_venues *v = &m->s->venues;

	if (c->kind != CAND_RENT || x->rgu != 0)
		return false;
	if (x->moved != 0 && v->link > 0 && !m->no_caps)
		return false;
	if (x->b < 0)
		return true;
	if (c->family == PRICING_DECENTRALIZED && v->market_max_gpus > 0 &&
	    !m->no_caps && x->dh != 0)
		return false;
	return !(m->wls[x->w].peak && x->peak != 0 &&
		 bind[(size_t)x->c * (size_t)m->nblocks + (size_t)x->b]);
}

/* Slot of (workload, block) in the per-key tables: block -1, the whole
 * window, first. */
static size_t key(const struct plan_model *m, const struct xcol *x)
{
	return (size_t)x->w * ((size_t)m->nblocks + 1) + (size_t)(x->b + 1);
}

/* Whether column i is dominated by f, the cheapest free column of a key
 * (-1: none; the first of equals). Only a strictly dearer column goes: a
 * column as cheap as f stays, so the solver, not the order of columns,
 * keeps choosing between equally cheap venues as it did unreduced. */
static bool beaten(const double *cost, size_t i, long f)
{
	return f >= 0 && (size_t)f != i && cost[f] < cost[i];
}

/* One pass; returns how many columns it dropped. */
static size_t prune_pass(struct plan_model *m)
{
	size_t nk = m->nwls * ((size_t)m->nblocks + 1), kept = 0;
	double *cost = util_xcalloc(m->nx + 1, sizeof(double));
	long *best = util_xcalloc(nk + 1, sizeof(long));
	bool *bind = binding_limits(m);

	for (size_t k = 0; k < nk; k++)
		best[k] = -1;
	for (size_t i = 0; i < m->nx; i++) {
		size_t k = key(m, &m->x[i]);

		cost[i] = total_cost(&m->x[i]);
		if (is_free(m, &m->x[i], bind) &&
		    (best[k] < 0 || cost[i] < cost[best[k]]))
			best[k] = (long)i;
	}
	for (size_t i = 0; i < m->nx; i++) {
		const struct xcol *x = &m->x[i];
		size_t all = (size_t)x->w * ((size_t)m->nblocks + 1);

		if (beaten(cost, i, best[key(m, x)]) ||
		    (x->b >= 0 && !m->wls[x->w].periodic &&
		     beaten(cost, i, best[all])))
			continue;
		m->x[kept++] = *x;
	}
	kept = m->nx - kept;
	m->nx -= kept;
	free(bind);
	free(best);
	free(cost);
	return kept;
}

/* Dropping columns can leave limit rows that no longer bind, which frees
 * more columns: passes until nothing changes (each keeps the optimum). */
void plan_prune(struct plan_model *m)
{
	while (prune_pass(m) > 0)
		;
}
