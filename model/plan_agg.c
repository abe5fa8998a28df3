/* Workloads the solver cannot tell apart, merged into one column family
 * (docs/formulation.md, "Reduction before the solver", step 6).
 *
 * Two workloads are interchangeable when they are active in the same
 * periods at the same shares and have the same columns: the same
 * candidates and blocks with the same coefficients and costs (so the
 * same kind, eligible venues, speeds, prices, targets and closed-loop
 * tightening). k of them become one: the first one's columns with every
 * coefficient and cost times k, meaning all k at the same shares. Any
 * plan of the k gives, averaged over them, a plan of the merged columns
 * at the same cost (every row is linear and treats them alike), so the
 * optimum is the same; the merged plan is split back by giving each of
 * the k the merged shares. Under --objective time, flexible workloads
 * stay apart (their time weight is per workload). */
#include "plan_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The fields of a column the solver sees, but its workload. */
static bool same_col(const struct xcol *a, const struct xcol *b)
{
	if (a->c != b->c || a->b != b->b || a->dh != b->dh ||
	    a->kwh != b->kwh || a->pool_dh != b->pool_dh ||
	    a->peak != b->peak || a->rgu != b->rgu || a->paid != b->paid ||
	    a->moved != b->moved || a->devices != b->devices)
		return false;
	for (int k = 0; k < MODEL_NCOSTS; k++)
		if (a->cost[k] != b->cost[k])
			return false;
	return true;
}

static bool same_opt(const double *v, size_t a, size_t b)
{
	return !v || v[a] == v[b];
}

/* Whether workloads a and b, columns [first[a], first[a + 1]) and
 * [first[b], first[b + 1]), are interchangeable. */
static bool same_workload(const struct plan_model *m, const size_t *first,
			  size_t a, size_t b)
{
	const struct wl *x = &m->wls[a], *y = &m->wls[b];
	size_t n = first[a + 1] - first[a];

	if (x->periodic != y->periodic || x->peak != y->peak ||
	    x->first != y->first || x->last != y->last ||
	    x->w->pinned || y->w->pinned || x->w->kind != y->w->kind ||
	    n != first[b + 1] - first[b] ||
	    !same_opt(m->opt->headroom, a, b) ||
	    !same_opt(m->opt->finish_early, a, b) ||
	    !same_opt(m->opt->queue_share, a, b))
		return false;
	/* --objective time weighs flexible work by its block, per workload:
	 * a weight plan_glpk.c does not scale by the class's size */
	if (!x->periodic && m->opt->objective == MODEL_OBJECTIVE_TIME)
		return false;
	if (memcmp(x->frac, y->frac, (size_t)m->nperiods * sizeof(*x->frac)))
		return false;
	/* rows of their own that columns do not show: an entity's budget,
	 * demand due by period (the same shares and flexibility keep one
	 * row for all), a venue for all sessions; and the waiting priced
	 * per workload (delay_cost) */
	if (x->w->entity != y->w->entity || x->flexp != y->flexp ||
	    !x->share != !y->share ||
	    (x->share && memcmp(x->share, y->share,
				(size_t)m->nperiods * sizeof(*x->share))) ||
	    plan_one_venue(m, a) || plan_one_venue(m, b) ||
	    plan_delay_weight(m, x, 0) > 0 || plan_delay_weight(m, y, 0) > 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!same_col(&m->x[first[a] + i], &m->x[first[b] + i]))
			return false;
	return true;
}

/* FNV-1a's step on 8 bytes at a time (a byte at a time was most of the
 * merging's time at 400 workloads). */
static uint64_t mix(uint64_t h, const void *v, size_t n)
{
	const unsigned char *p = v;

	for (size_t j = 0; j < n; j += 8) {
		uint64_t word = 0;

		memcpy(&word, p + j, n - j < 8 ? n - j : 8);
		h = (h ^ word) * 1099511628211u;
		h ^= h >> 29;
	}
	return h;
}

/* A hash over the columns' fields but the workload: equal workloads
 * hash alike, so only workloads of one hash are compared. Field by
 * field: a struct's padding is not part of its value. */
static uint64_t hash_cols(const struct plan_model *m, size_t from, size_t to)
{
	uint64_t h = 14695981039346656037u;

	for (size_t i = from; i < to; i++) {
		const struct xcol *x = &m->x[i];
		int cb[2] = {x->c, x->b};

		h = mix(h, cb, sizeof(cb));
		h = mix(h, &x->dh, sizeof(x->dh));
		h = mix(h, &x->peak, sizeof(x->peak));
		h = mix(h, x->cost, sizeof(x->cost));
	}
	return h;
}

struct whash {
	uint64_t h;
	size_t w;
};

static int cmp_whash(const void *pa, const void *pb)
{
	const struct whash *a = pa, *b = pb;

	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return a->w < b->w ? -1 : a->w > b->w;
}

/* group[w]: the first workload of w's class (w itself when alone). */
static void find_groups(const struct plan_model *m, const size_t *first,
			int *group)
{
	struct whash *e = util_xcalloc(m->nwls + 1, sizeof(*e));

	for (size_t w = 0; w < m->nwls; w++) {
		e[w] = (struct whash){hash_cols(m, first[w], first[w + 1]), w};
		group[w] = (int)w;
	}
	qsort(e, m->nwls, sizeof(*e), cmp_whash);
	for (size_t i = 0; i < m->nwls; i++) {
		size_t w = e[i].w;

		/* the lowest index of an equal class before it, by hash run */
		for (size_t j = i; j-- > 0 && e[j].h == e[i].h;)
			if (group[e[j].w] == (int)e[j].w &&
			    same_workload(m, first, e[j].w, w)) {
				group[w] = (int)e[j].w;
				break;
			}
	}
	free(e);
}

void plan_aggregate(struct plan_model *m)
{
	size_t *first = util_xcalloc(m->nwls + 2, sizeof(*first)), kept = 0;

	m->group = util_xcalloc(m->nwls + 1, sizeof(*m->group));
	m->mult = util_xcalloc(m->nwls + 1, sizeof(*m->mult));
	/* plan_columns makes each workload's columns in one run */
	for (size_t i = 0; i < m->nx; i++)
		first[m->x[i].w + 1] = i + 1;
	for (size_t w = 1; w <= m->nwls; w++)
		if (first[w] < first[w - 1])
			first[w] = first[w - 1];
	find_groups(m, first, m->group);
	for (size_t w = 0; w < m->nwls; w++)
		m->mult[m->group[w]]++;
	m->x_unit = util_xcalloc(m->nx + 1, sizeof(*m->x_unit));
	for (size_t i = 0; i < m->nx; i++) {
		struct xcol x = m->x[i];
		double k = m->mult[x.w];

		if (m->group[x.w] != x.w)
			continue; /* its class's first stands for it */
		m->x_unit[kept] = x;
		x.dh *= k;
		x.kwh *= k;
		x.pool_dh *= k;
		x.peak *= k;
		x.rgu *= k;
		x.moved *= k;
		for (int c = 0; c < MODEL_NCOSTS; c++)
			x.cost[c] *= k;
		m->x[kept++] = x;
	}
	m->nx = kept;
	free(first);
}
