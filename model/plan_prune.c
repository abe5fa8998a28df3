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
 * So some optimum never uses d, and the optimum value is unchanged.
 * For a teaching workload whose sessions stay on one venue, f must be on
 * d's venue: moving d's share to another venue would split the sessions. */
#include "plan_int.h"

#include <math.h>
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

/* What one pass over the columns gathers: each column's cost; per
 * candidate and block, whether its limit row can bind (the most the
 * columns in it could ever hold, every share at 1, exceeds the limit);
 * per block, the most devices all limit rows can hold of the work there
 * (each workload's share of the block is at most 1, so at most its
 * largest peak on a rented offer with a limit row). One pass: the
 * column table is large, and reading it is what the pruning costs. */
struct scan {
	double *cost, *limit; /* per column; per candidate (limit_of) */
	bool *bind;
	double *most; /* per block */
};

static void scan(const struct plan_model *m, struct scan *sc)
{
	size_t nb = (size_t)m->nblocks, n = m->ncands * nb;
	double *held = util_xcalloc(n + 1, sizeof(double));
	double *peak = util_xcalloc(m->nwls * nb + 1, sizeof(double));

	sc->cost = util_xcalloc(m->nx + 1, sizeof(double));
	sc->limit = util_xcalloc(m->ncands + 1, sizeof(double));
	sc->bind = util_xcalloc(n + 1, sizeof(bool));
	sc->most = util_xcalloc(nb + 1, sizeof(double));
	for (size_t c = 0; c < m->ncands; c++)
		sc->limit[c] = limit_of(m, &m->cands[c]);
	for (size_t i = 0; i < m->nx; i++) {
		const struct xcol *x = &m->x[i];

		sc->cost[i] = total_cost(x);
		if (x->b >= 0 && m->wls[x->w].peak) {
			double *p = &peak[(size_t)x->w * nb + (size_t)x->b];

			held[(size_t)x->c * nb + (size_t)x->b] += x->peak;
			if (sc->limit[x->c] > 0 && x->peak > *p)
				*p = x->peak;
		}
	}
	for (size_t c = 0; c < m->ncands; c++)
		for (size_t b = 0; sc->limit[c] > 0 && b < nb; b++)
			sc->bind[c * nb + b] = held[c * nb + b] > sc->limit[c];
	for (size_t w = 0; w < m->nwls; w++)
		for (size_t b = 0; b < nb; b++)
			sc->most[b] += peak[w * nb + b];
	free(held);
	free(peak);
}

static void scan_free(struct scan *sc)
{
	free(sc->cost);
	free(sc->limit);
	free(sc->bind);
	free(sc->most);
}

/* Whether x enters no row but its demand, the budget, its block's spend
 * cap and its offer's limit row (bound or not). Mirrors plan_glpk.c's
 * x_columns: a row added there for rented columns must be named here. */
static bool is_rented(const struct plan_model *m, const struct xcol *x)
{
	const struct cand *c = &m->cands[x->c];
	const struct model_venues *v = &m->s->venues;

	if (c->kind != CAND_RENT || x->rgu != 0)
		return false;
	if (x->moved != 0 && v->link > 0 && !m->no_caps)
		return false;
	return x->b < 0 || c->family != PRICING_DECENTRALIZED ||
	       !(v->market_max_gpus > 0) || m->no_caps || x->dh == 0;
}

/* Whether x is in a limit row that can bind. */
static bool in_limit(const struct plan_model *m, const struct xcol *x,
		     const bool *bind)
{
	return x->b >= 0 && m->wls[x->w].peak && x->peak != 0 &&
	       bind[(size_t)x->c * (size_t)m->nblocks + (size_t)x->b];
}

/* ov[w]: the index of w among the teaching workloads kept on one venue,
 * or -1; *n: how many there are. */
static long *one_venue_index(const struct plan_model *m, size_t *n)
{
	long *ov = util_xcalloc(m->nwls + 1, sizeof(long));

	*n = 0;
	for (size_t w = 0; w < m->nwls; w++)
		ov[w] = plan_one_venue(m, w) ? (long)(*n)++ : -1;
	return ov;
}

/* How many keys: (workload, block) and, for a workload kept on one venue,
 * (workload, venue, block) instead. */
static size_t nkeys(const struct plan_model *m, size_t nov)
{
	size_t nb1 = (size_t)m->nblocks + 1;

	return m->nwls * nb1 + nov * m->ncands * nb1;
}

/* Slot of (workload, block) in the per-key tables: block -1, the whole
 * window, first. A workload kept on one venue has a slot per venue and
 * block: a column beats only columns of its own venue there, since
 * moving a share to another venue would split the sessions. */
static size_t key(const struct plan_model *m, const long *ov,
		  const struct xcol *x)
{
	size_t nb1 = (size_t)m->nblocks + 1, b = (size_t)(x->b + 1);

	if (ov[x->w] < 0)
		return (size_t)x->w * nb1 + b;
	return m->nwls * nb1 +
	       ((size_t)ov[x->w] * m->ncands + (size_t)m->venue[x->c]) * nb1 +
	       b;
}

struct entry {
	size_t key, i;
	double cost;
};

static int cmp_entry(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* Per key, the cost above which a column is beaten (docs/formulation.md):
 * the cheapest free column's, or the cost at which the cheapest rented
 * columns in bound limit rows give more devices than all the work of
 * the block could hold there (then one of them has room). */
static double *thresholds(const struct plan_model *m, const long *ov,
			  size_t nov, const struct scan *sc)
{
	size_t nk = nkeys(m, nov), n = 0, n_alloc = 0;
	double *t = util_xcalloc(nk + 1, sizeof(double)), room = 0;
	struct entry *in = NULL, *e;
	size_t *at = util_xcalloc(nk + 2, sizeof(size_t));

	for (size_t k = 0; k < nk; k++)
		t[k] = HUGE_VAL;
	for (size_t i = 0; i < m->nx; i++) {
		const struct xcol *x = &m->x[i];
		size_t k = key(m, ov, x);

		if (!is_rented(m, x))
			continue;
		if (!in_limit(m, x, sc->bind))
			t[k] = fmin(t[k], sc->cost[i]);
		else if (m->wls[x->w].periodic) {
			UTIL_GROW(in, n + 1, n_alloc);
			in[n++] = (struct entry){k, i, sc->cost[i]};
			at[k + 2]++;
		}
	}
	/* by key (counting), then each key's entries by cost and column:
	 * the order cmp_entry gives, without sorting them all at once */
	for (size_t k = 0; k < nk; k++)
		at[k + 2] += at[k + 1];
	e = util_xcalloc(n + 1, sizeof(*e));
	for (size_t j = 0; j < n; j++)
		e[at[in[j].key + 1]++] = in[j];
	for (size_t k = 0; k < nk; k++)
		if (at[k + 1] - at[k] > 1)
			qsort(e + at[k], at[k + 1] - at[k], sizeof(*e),
			      cmp_entry);
	free(in);
	free(at);
	for (size_t j = 0; j < n; j++) {
		const struct xcol *x = &m->x[e[j].i];

		if (j == 0 || e[j].key != e[j - 1].key)
			room = 0;
		room += sc->limit[x->c];
		if (room > sc->most[x->b])
			t[e[j].key] = fmin(t[e[j].key], e[j].cost);
	}
	free(e);
	return t;
}

/* One pass; returns how many columns it dropped. Only strictly dearer
 * columns go: a column as cheap as the one that beats it stays, so the
 * solver, not the order of columns, chooses between equally cheap
 * venues, as it did unreduced. */
static size_t prune_pass(struct plan_model *m)
{
	size_t kept = 0, nb1 = (size_t)m->nblocks + 1, nov;
	struct scan sc;
	double *t;
	long *ov = one_venue_index(m, &nov);

	scan(m, &sc);
	t = thresholds(m, ov, nov, &sc);
	for (size_t i = 0; i < m->nx; i++) {
		const struct xcol *x = &m->x[i];

		if (sc.cost[i] > t[key(m, ov, x)] ||
		    (x->b >= 0 && !m->wls[x->w].periodic && ov[x->w] < 0 &&
		     sc.cost[i] > t[(size_t)x->w * nb1]))
			continue;
		if (kept != i)
			m->x[kept] = *x;
		kept++;
	}
	kept = m->nx - kept;
	m->nx -= kept;
	free(ov);
	free(t);
	scan_free(&sc);
	return kept;
}

void plan_prune(struct plan_model *m)
{
	while (prune_pass(m) > 0)
		;
}
