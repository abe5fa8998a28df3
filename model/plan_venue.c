/* Teaching sessions on one venue in the GLPK model (docs/formulation.md,
 * Sessions on one venue): the venue binaries, the rows that keep a
 * course whole, and the capacity rows in venue space that tighten
 * their relaxation. */
#include <stdlib.h>
#include <string.h>

#include "plan_glpk_int.h"

/* Whether w's sessions must stay on one venue and have a choice to
 * make: columns on two venues or more. */
static bool needs_one_venue(const struct plan_model *m, size_t w)
{
	const int *venue = m->venue;
	int first = -1;

	if (!m->one_venue || !plan_one_venue(m, w))
		return false;
	for (size_t i = 0; i < m->nx; i++) {
		if ((size_t)m->x[i].w != w || !plan_venue_open(m, &m->x[i]))
			continue;
		if (first >= 0 && venue[m->x[i].c] != first)
			return true;
		first = venue[m->x[i].c];
	}
	return false;
}

/* one[w]:       sum_v y[w,v] = 1, y binary: one venue v for w's sessions
 * whole[w,v,b]: sum_{c in v} x[w,c,b] - y[w,v] <= 0
 * for a teaching workload with one_venue (its occurrences are workloads
 * of their own, so each semester may choose another venue). One row per
 * venue and block, not per column: fewer rows, and a tighter relaxation
 * (y[w,v] is at least w's whole share on v in each block). */
void plan_one_venue_rows(const struct plan_model *m, glp_prob *lp,
			 struct rows *r)
{
	size_t nb = (size_t)m->nblocks + 1; /* the last: columns of no block */
	int *row = util_xcalloc(m->ncands * nb + 1, sizeof(*row));
	char nm[256];

	for (size_t w = 0; w < m->nwls; w++) {
		if (!needs_one_venue(m, w))
			continue;
		plan_lp_name(nm, sizeof(nm), "one%zu_%s", w, m->wls[w].w->name);
		r->one[w] = plan_new_row(lp, r, GLP_FX, 1, 1, nm);
		memset(row, 0, (m->ncands * nb + 1) * sizeof(*row));
		for (size_t i = 0; i < m->nx; i++) {
			const struct xcol *x = &m->x[i];
			size_t v = (size_t)m->venue[x->c];
			size_t b = x->b < 0 ? nb - 1 : (size_t)x->b;
			int *k = &row[v * nb + b];

			if ((size_t)x->w != w || !plan_venue_open(m, x))
				continue;
			if (!*k) {
				plan_lp_name(
				    nm, sizeof(nm), "whole%zu_%s_%s_b%d", w,
				    m->wls[w].w->name, m->cands[v].name, x->b);
				*k = plan_new_row(lp, r, GLP_UP, 0, 0, nm);
			}
			r->whole[i] = *k;
		}
	}
	free(row);
}

/* y[w,v] in {0,1}: the venue of a teaching workload's sessions, one per
 * venue it has columns on, in each of its whole rows (one_venue_rows) */
void plan_one_venue_columns(const struct plan_model *m, glp_prob *lp,
			    const struct rows *r, struct triplets *t)
{
	unsigned char *done = util_xcalloc((size_t)r->n + 1, 1);
	const int *venue = m->venue;
	char nm[256];

	for (size_t w = 0; w < m->nwls; w++) {
		int *y = &r->ycol[w * m->ncands];

		if (r->one[w] <= 0)
			continue;
		for (size_t i = 0; i < m->nx; i++) {
			int c = venue[m->x[i].c], k = r->whole[i];

			if ((size_t)m->x[i].w != w || k <= 0)
				continue;
			if (!y[c]) {
				y[c] = glp_add_cols(lp, 1);
				plan_lp_name(nm, sizeof(nm), "y%zu_%s_%s", w,
					     m->wls[w].w->name,
					     m->cands[c].name);
				glp_set_col_name(lp, y[c], nm);
				glp_set_col_kind(lp, y[c], GLP_BV);
				plan_put(t, r->one[w], y[c], 1);
			}
			if (!done[k])
				plan_put(t, k, y[c], -1);
			done[k] = 1;
		}
	}
	free(done);
}

/* Whether course w holds y[w,v] and its whole share on v in block b
 * meets capacity rows (venue_rows) */
static bool venue_course(const struct plan_model *m, const struct rows *r,
			 const unsigned char *free_room, size_t w, size_t v,
			 size_t b)
{
	size_t i = w * m->ncands + v;

	return r->ycol[i] > 0 && !free_room[i] && m->wls[w].periodic &&
	       r->demand[w * (size_t)m->nblocks + b] > 0;
}

/* The x columns in a capacity row (a pool's or edge board's peak row, a
 * rented offer's max_devices), bucketed by venue and block:
 * list[start[k]..start[k+1]) for k = venue * nblocks + b. Caller frees
 * both. */
static size_t *capacity_buckets(const struct plan_model *m,
				const struct rows *r, size_t **start_out)
{
	size_t nb = (size_t)m->nblocks, nk = m->ncands * nb;
	size_t *start = util_xcalloc(nk + 2, sizeof(size_t));
	size_t *list = util_xcalloc(m->nx + 1, sizeof(size_t));

	/* start[k + 2] counts bucket k; prefix sums make start[k + 1]
	 * bucket k's first slot, and filling moves it to its end */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < m->nx; i++) {
			const struct xcol *x = &m->x[i];
			size_t k;

			if (x->b < 0 || !m->wls[x->w].peak ||
			    r->peak[(size_t)x->c * nb + (size_t)x->b] <= 0)
				continue;
			k = (size_t)m->venue[x->c] * nb + (size_t)x->b;
			if (pass == 0)
				start[k + 2]++;
			else
				list[start[k + 1]++] = i;
		}
		for (size_t k = 2; pass == 0 && k < nk + 2; k++)
			start[k] += start[k - 1];
	}
	*start_out = start;
	return list;
}

/* The purchases of candidate c that work in block b, weighted: -lam u.
 * Returns whether there are some. */
static bool venue_purchases(const struct plan_model *m, struct triplets *t,
			    int row, size_t c, int b, double lam)
{
	const struct cand *k = &m->cands[c];
	bool any = false;

	if (!((k->kind == CAND_POOL && k->buy_max != 0) ||
	      k->kind == CAND_EDGE))
		return false;
	for (int g = 0; g < k->ngroups; g++)
		if (k->gcol[g] > 0 && m->block_start[b] >= k->gstart[g]) {
			plan_put(t, row, k->gcol[g], -lam * (double)k->unit);
			any = true;
		}
	return any;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* What venue_rows works with; [w] by workload, [c] by candidate. */
struct venue_ctx {
	const struct plan_model *m;
	glp_prob *lp;
	struct rows *r;
	struct triplets *t;
	unsigned char *free_room; /* [w * ncands + v]: see venue_rows */
	size_t *list, *start;	  /* capacity_buckets */
	double *lam, *sum, *a;	  /* [c], [c], [w] */
	size_t *cnt;		  /* [c] */
	/* the courses of the bucket: need a, column y; n of them */
	double *ka;
	int *ky, *prev_y;
	size_t n, prev_n, prev_k, prev_v;
};

/* Where nothing can be bought, how many of the n courses a[i] y[i] on a
 * venue of capacity cap (venue_rows) fit at once: k, the most whose
 * smallest a add up to cap at most, and one among those over half of it:
 *   count[v,b]:  sum_i y[i] <= k              when k < n
 *   clique[v,b]: sum_{i: a[i] > cap / 2} y[i] <= 1   when two or more
 * (a knapsack's cardinality and clique cuts; each holds at every integer
 * point of the venue row). Not again when the block before said the
 * same of the same courses. */
static void venue_counts(struct venue_ctx *vc, size_t v, size_t b, double cap)
{
	size_t n = vc->n, k = 0, big = 0;
	double *key = util_xcalloc(n + 1, sizeof(double)), sum = 0;
	char nm[256];
	int row;

	memcpy(key, vc->ka, n * sizeof(double));
	qsort(key, n, sizeof(double), cmp_double);
	while (k < n && sum + key[k] <= cap * (1 + 1e-9))
		sum += key[k++];
	for (size_t i = 0; i < n; i++)
		big += vc->ka[i] > cap / 2 * (1 + 1e-9);
	free(key);
	if (vc->prev_v == v && vc->prev_n == n && vc->prev_k == k &&
	    !memcmp(vc->prev_y, vc->ky, n * sizeof(int)))
		return;
	vc->prev_v = v;
	vc->prev_n = n;
	vc->prev_k = k;
	memcpy(vc->prev_y, vc->ky, n * sizeof(int));
	if (k < n) {
		plan_lp_name(nm, sizeof(nm), "count_%s_b%zu",
			     vc->m->cands[v].name, b);
		row = plan_new_row(vc->lp, vc->r, GLP_UP, 0, (double)k, nm);
		for (size_t i = 0; i < n; i++)
			plan_put(vc->t, row, vc->ky[i], 1);
	}
	if (big >= 2 && !(k <= 1 && big == n)) {
		plan_lp_name(nm, sizeof(nm), "clique_%s_b%zu",
			     vc->m->cands[v].name, b);
		row = plan_new_row(vc->lp, vc->r, GLP_UP, 0, 1, nm);
		for (size_t i = 0; i < n; i++)
			if (vc->ka[i] > cap / 2 * (1 + 1e-9))
				plan_put(vc->t, row, vc->ky[i], 1);
	}
}

/* The purchases of bucket [lo, hi)'s candidates that work in block b,
 * weighted, into row: -lam[c] u n[c,g]. Returns whether there are any. */
static bool venue_bought(struct venue_ctx *vc, int row, size_t lo, size_t hi,
			 size_t b)
{
	const struct plan_model *m = vc->m;
	bool any = false;

	for (size_t j = lo; j < hi; j++)
		vc->cnt[m->x[vc->list[j]].c] = 0;
	for (size_t j = lo; j < hi; j++) {
		size_t c = (size_t)m->x[vc->list[j]].c;

		if (!vc->cnt[c]) /* once per candidate */
			any |= venue_purchases(m, vc->t, row, c, (int)b,
					       vc->lam[c]);
		vc->cnt[c] = 1;
	}
	return any;
}

/* The weights lam[c] of bucket [lo, hi)'s candidates (one over their
 * mean peak relative to the first's) and the weighted capacity. */
static double venue_weights(struct venue_ctx *vc, size_t lo, size_t hi,
			    size_t b)
{
	const struct plan_model *m = vc->m;
	size_t c0 = (size_t)m->x[vc->list[lo]].c, nb = (size_t)m->nblocks;
	double cap = 0, mean0;

	for (size_t j = lo; j < hi; j++) {
		vc->sum[m->x[vc->list[j]].c] = 0;
		vc->cnt[m->x[vc->list[j]].c] = 0;
	}
	for (size_t j = lo; j < hi; j++) {
		vc->sum[m->x[vc->list[j]].c] += m->x[vc->list[j]].peak;
		vc->cnt[m->x[vc->list[j]].c]++;
	}
	mean0 = vc->sum[c0] / (double)vc->cnt[c0];
	for (size_t j = lo; j < hi; j++) {
		size_t c = (size_t)m->x[vc->list[j]].c;

		if (vc->cnt[c] == 0) /* done */
			continue;
		vc->lam[c] = vc->sum[c] > 0 && mean0 > 0
				 ? mean0 / (vc->sum[c] / (double)vc->cnt[c])
				 : 1;
		cap += vc->lam[c] *
		       glp_get_row_ub(vc->lp, vc->r->peak[c * nb + b]);
		vc->cnt[c] = 0;
	}
	return cap;
}

/* a[w] of each course of bucket [lo, hi) (-1 for other work), into
 * ka, ky; returns the most the bucket's work can hold at once, weighted
 * (each x at most 1) */
static double venue_needs(struct venue_ctx *vc, size_t v, size_t b, size_t lo,
			  size_t hi)
{
	const struct plan_model *m = vc->m;
	double most = 0;

	for (size_t j = lo; j < hi; j++)
		vc->a[m->x[vc->list[j]].w] = -1;
	for (size_t j = lo; j < hi; j++) {
		const struct xcol *x = &m->x[vc->list[j]];
		double q = vc->lam[x->c] * x->peak;

		if (!venue_course(m, vc->r, vc->free_room, (size_t)x->w, v, b))
			most += q;
		else if (vc->a[x->w] < 0 || q < vc->a[x->w])
			vc->a[x->w] = q;
	}
	vc->n = 0;
	for (size_t j = lo; j < hi; j++) {
		size_t w = (size_t)m->x[vc->list[j]].w;

		if (vc->a[w] < 0)
			continue;
		vc->ka[vc->n] = vc->a[w];
		vc->ky[vc->n++] = vc->r->ycol[w * m->ncands + v];
		most += vc->a[w];
		vc->a[w] = -1; /* once per course */
	}
	return most;
}

/* venue[v,b] and hull[w,v,b] of bucket [lo, hi) (venue_rows), and the
 * counts where nothing can be bought there. */
static void venue_bucket(struct venue_ctx *vc, size_t v, size_t b, size_t lo,
			 size_t hi)
{
	const struct plan_model *m = vc->m;
	double cap = venue_weights(vc, lo, hi, b);
	char nm[256];
	bool bought;
	int row, hull;

	if (venue_needs(vc, v, b, lo, hi) <= cap * (1 + 1e-9))
		return; /* everything fits: says nothing */
	plan_lp_name(nm, sizeof(nm), "venue_%s_b%zu", m->cands[v].name, b);
	row = plan_new_row(vc->lp, vc->r, GLP_UP, 0, cap, nm);
	for (size_t j = lo; j < hi; j++) {
		const struct xcol *x = &m->x[vc->list[j]];

		if (!venue_course(m, vc->r, vc->free_room, (size_t)x->w, v, b))
			plan_put(vc->t, row, (int)vc->list[j] + 1,
				 vc->lam[x->c] * x->peak);
	}
	bought = venue_bought(vc, row, lo, hi, b);
	for (size_t i = 0; i < vc->n; i++) {
		plan_put(vc->t, row, vc->ky[i], vc->ka[i]);
		if (vc->ka[i] <= cap * (1 + 1e-9))
			continue;
		plan_lp_name(nm, sizeof(nm), "hull_%s_b%zu_%zu",
			     m->cands[v].name, b, i);
		hull = plan_new_row(vc->lp, vc->r, GLP_UP, 0, 0, nm);
		plan_put(vc->t, hull, vc->ky[i], vc->ka[i] - cap);
		venue_bought(vc, hull, lo, hi, b);
	}
	if (!bought)
		venue_counts(vc, v, b, cap);
}

/* Capacity in venue space (docs/formulation.md, Sessions on one venue):
 * for each venue v and block b where a course with y[w,v] meets capacity
 * rows (peak[c,b] of pools and edge boards, limit[c,b] of rented offers
 * with max_devices), those rows weighted by lam[c] > 0 and added up, each
 * such course's shares on v replaced by a[w] y[w,v], a[w] the least
 * lam[c] peak[w,c,b] over its columns there:
 *   venue[v,b]: sum_w a[w] y[w,v] + sum_{other work} lam peak x
 *               - sum_{c, g arrived} lam[c] u n[c,g] <= sum_c lam[c] cap[c,b]
 *   hull[w,v,b]: (a[w] - sum_c lam[c] cap[c,b]) y[w,v]
 *               - sum_{c, g arrived} lam[c] u n[c,g] <= 0, when a[w] > sum
 * Both hold at every integer point: with y[w,v] = 1 the course's shares
 * on v add up to 1 (its demand row, the other venues' whole rows), so
 * sum_c lam peak x >= a[w]; with y[w,v] = 0 they are 0. The relaxation
 * is tighter (the hull row is the convex hull of a course alone on v;
 * the venue row with y is at least the capacity rows' sum, y >= x),
 * and the capacity now holds binaries, so the cuts of the branch and
 * bound see what courses cannot share an offer or a pool
 * (bench/README.md). A bucket whose work all fits gets no row. */
void plan_venue_rows(const struct plan_model *m, glp_prob *lp, struct rows *r,
		     struct triplets *t)
{
	size_t nc = m->ncands, nb = (size_t)m->nblocks;
	struct venue_ctx vc = {
	    .m = m, .lp = lp, .r = r, .t = t, .prev_v = (size_t)-1};
	bool any = false;

	for (size_t w = 0; w < m->nwls; w++)
		any |= r->one[w] > 0;
	if (!any || m->elastic) /* slack breaks "shares add up to 1" */
		return;
	/* free_room[w * nc + v]: w has an open column on v in no capacity
	 * row, so its share there has no floor */
	vc.free_room = util_xcalloc(m->nwls * nc + 1, 1);
	for (size_t i = 0; i < m->nx; i++) {
		const struct xcol *x = &m->x[i];

		if (r->one[x->w] > 0 && plan_venue_open(m, x) &&
		    (x->b < 0 ||
		     r->peak[(size_t)x->c * nb + (size_t)x->b] <= 0))
			vc.free_room[(size_t)x->w * nc +
				     (size_t)m->venue[x->c]] = 1;
	}
	vc.list = capacity_buckets(m, r, &vc.start);
	vc.lam = util_xcalloc(nc + 1, sizeof(double));
	vc.sum = util_xcalloc(nc + 1, sizeof(double));
	vc.cnt = util_xcalloc(nc + 1, sizeof(size_t));
	vc.a = util_xcalloc(m->nwls + 1, sizeof(double));
	vc.ka = util_xcalloc(m->nwls + 1, sizeof(double));
	vc.ky = util_xcalloc(m->nwls + 1, sizeof(int));
	vc.prev_y = util_xcalloc(m->nwls + 1, sizeof(int));
	for (size_t k = 0; k < nc * nb; k++) {
		size_t lo = vc.start[k], hi = vc.start[k + 1];

		any = false;
		for (size_t j = lo; j < hi; j++)
			any |= venue_course(m, r, vc.free_room,
					    (size_t)m->x[vc.list[j]].w, k / nb,
					    k % nb);
		if (any)
			venue_bucket(&vc, k / nb, k % nb, lo, hi);
	}
	free(vc.free_room);
	free(vc.list);
	free(vc.start);
	free(vc.lam);
	free(vc.sum);
	free(vc.cnt);
	free(vc.a);
	free(vc.ka);
	free(vc.ky);
	free(vc.prev_y);
}
