/* A large model's cold LP (docs/formulation.md, Solving): a greedy
 * start, a restricted set of columns and pricing (column generation),
 * then one simplex on the whole model, which proves the optimum. */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>

#include "plan_int.h"

struct restricted {
	int nr, nx;
	int *ind;	     /* scratch for glp_get_mat_col, 1-based */
	double *val;	     /* likewise */
	unsigned char *out;  /* x column j (1-based) left out: fixed at 0 */
	int *basic;	     /* per demand row: its column in the start */
	int nout;
};

struct greedy {
	double *room;	     /* per row: what is left under its upper bound */
	unsigned char *cap;  /* rows the greedy fills (upper bounds) */
	double *fill;	     /* per demand row: the share given so far */
	double *main_share;  /* per demand row: the largest share given */
	int *cheapest;	     /* per demand row: its cheapest open column */
};

static glp_prob *sort_lp;

static int by_cost(const void *a, const void *b)
{
	int i = *(const int *)a, j = *(const int *)b;
	double ci = glp_get_obj_coef(sort_lp, i);
	double cj = glp_get_obj_coef(sort_lp, j);

	return ci < cj ? -1 : ci > cj ? 1 : (i > j) - (i < j);
}

/* The open x columns that have a demand row, cheapest first (ties by
 * column: the order is the same for the same model). */
static int *by_cost_order(const struct plan_model *m, glp_prob *lp, int *n)
{
	int *order = util_xcalloc(m->nx + 1, sizeof(int));

	*n = 0;
	for (size_t i = 0; i < m->nx; i++)
		if (m->x_demand[i] > 0 &&
		    glp_get_col_type(lp, (int)i + 1) != GLP_FX)
			order[(*n)++] = (int)i + 1;
	sort_lp = lp;
	qsort(order, (size_t)*n, sizeof(int), by_cost);
	return order;
}

/* Greedy: columns from the cheapest, each given as much of its demand
 * row's share as every upper-bounded row it enters has room for (x
 * coefficients in those rows are >= 0: capacities, budgets, caps, due
 * rows' upper ends). A column that got a share is kept, and the one that
 * got the largest share of each demand row starts basic: the start is
 * then close to a feasible plan that fills the cheap capacity first. */
static void greedy(const struct plan_model *m, glp_prob *lp,
		   struct restricted *r, struct greedy *g, unsigned char *keep)
{
	int n, *order = by_cost_order(m, lp, &n);

	for (int i = 1; i <= r->nr; i++) {
		int t = glp_get_row_type(lp, i);

		g->cap[i] = t == GLP_UP || t == GLP_DB;
		g->room[i] = g->cap[i] ? glp_get_row_ub(lp, i) : 0;
	}
	for (int k = 0; k < n; k++) {
		int j = order[k], d = m->x_demand[j - 1];
		int len = glp_get_mat_col(lp, j, r->ind, r->val);
		double share = glp_get_row_lb(lp, d) - g->fill[d];

		if (!g->cheapest[d])
			g->cheapest[d] = j;
		for (int q = 1; q <= len; q++)
			if (g->cap[r->ind[q]] && r->val[q] > 0)
				share = fmin(share,
					     g->room[r->ind[q]] / r->val[q]);
		if (share <= 1e-9)
			continue;
		keep[j] = 1;
		g->fill[d] += share;
		if (share > g->main_share[d]) {
			g->main_share[d] = share;
			r->basic[d] = j;
		}
		for (int q = 1; q <= len; q++)
			if (g->cap[r->ind[q]])
				g->room[r->ind[q]] -= r->val[q] * share;
	}
	free(order);
}

/* The restricted model: every column the greedy used and each demand
 * row's cheapest; other x columns fixed at 0. The starting basis: in each
 * demand row one column basic in place of the row's slack (the greedy's
 * largest share, else the cheapest), every other row's slack basic. Each
 * x column is in one demand row only: the basis is triangular, regular. */
static void restrict_model(const struct plan_model *m, glp_prob *lp,
			   struct restricted *r)
{
	struct greedy g = {
		.room = util_xcalloc((size_t)r->nr + 1, sizeof(double)),
		.cap = util_xcalloc((size_t)r->nr + 1, 1),
		.fill = util_xcalloc((size_t)r->nr + 1, sizeof(double)),
		.main_share = util_xcalloc((size_t)r->nr + 1, sizeof(double)),
		.cheapest = util_xcalloc((size_t)r->nr + 1, sizeof(int))};
	unsigned char *keep = util_xcalloc((size_t)r->nx + 1, 1);

	greedy(m, lp, r, &g, keep);
	glp_std_basis(lp);
	for (int d = 1; d <= r->nr; d++) {
		if (!r->basic[d])
			r->basic[d] = g.cheapest[d];
		if (g.cheapest[d])
			keep[g.cheapest[d]] = 1;
	}
	for (int j = 1; j <= r->nx; j++)
		if (m->x_demand[j - 1] > 0 && !keep[j] &&
		    glp_get_col_type(lp, j) == GLP_DB) {
			glp_set_col_bnds(lp, j, GLP_FX, 0, 0);
			r->out[j] = 1;
			r->nout++;
		}
	for (int d = 1; d <= r->nr; d++)
		if (r->basic[d]) {
			glp_set_row_stat(lp, d, GLP_NS);
			glp_set_col_stat(lp, r->basic[d], GLP_BS);
		}
	free(keep);
	free(g.room);
	free(g.cap);
	free(g.fill);
	free(g.main_share);
	free(g.cheapest);
}

/* Back in the model, nonbasic at 0: x columns are [0, 1] when open
 * (plan_glpk.c, x_columns), and only open ones were left out. */
static void put_back(glp_prob *lp, struct restricted *r, int j)
{
	glp_set_col_bnds(lp, j, GLP_DB, 0, 1);
	glp_set_col_stat(lp, j, GLP_NL);
	r->out[j] = 0;
	r->nout--;
}

/* Prices every column left out with the duals of the restricted optimum
 * and puts back those with a negative reduced cost (they would lower the
 * objective). Returns how many. */
static long price(glp_prob *lp, struct restricted *r, double *dual)
{
	long added = 0;

	for (int i = 1; i <= r->nr; i++)
		dual[i] = glp_get_row_dual(lp, i);
	for (int j = 1; j <= r->nx; j++) {
		double c, d;
		int len;

		if (!r->out[j])
			continue;
		c = glp_get_obj_coef(lp, j);
		d = c;
		len = glp_get_mat_col(lp, j, r->ind, r->val);
		for (int q = 1; q <= len; q++)
			d -= r->val[q] * dual[r->ind[q]];
		if (d < -1e-7 * (1 + fabs(c))) {
			put_back(lp, r, j);
			added++;
		}
	}
	return added;
}

static int simplex(glp_prob *lp, int msg_lev, int tm_lim, double start)
{
	glp_smcp sm;

	glp_init_smcp(&sm);
	sm.msg_lev = msg_lev;
	sm.presolve = GLP_OFF;
	if (tm_lim > 0)
		sm.tm_lim = (int)fmax(
			tm_lim - glp_difftime(glp_time(), start) * 1000, 1);
	return glp_simplex(lp, &sm);
}

/* A warm start's basis, primal feasible (plan_warm.c; a price moved):
 * the open x columns nonbasic at 0 that could not enter at it (reduced
 * cost >= 0, glp_warm_up's duals) are left out, fixed at 0: the basis
 * and the plan it gives stay as they are, and the pricing brings back
 * those that become worth entering. */
static void restrict_warm(const struct plan_model *m, glp_prob *lp,
			  struct restricted *r)
{
	for (int j = 1; j <= r->nx; j++) {
		double c = glp_get_obj_coef(lp, j);

		if (m->x_demand[j - 1] > 0 &&
		    glp_get_col_type(lp, j) == GLP_DB &&
		    glp_get_col_stat(lp, j) == GLP_NL &&
		    glp_get_col_dual(lp, j) >= -1e-7 * (1 + fabs(c))) {
			glp_set_col_bnds(lp, j, GLP_FX, 0, 0);
			r->out[j] = 1;
			r->nout++;
		}
	}
}

/* The restricted solves and the pricing from the start restrict_model
 * or restrict_warm made, then the whole model. */
static int solve_restricted(const struct plan_model *m, glp_prob *lp,
			    bool warm, int msg_lev, int tm_lim, long *rounds,
			    long *added)
{
	double start = glp_time();
	struct restricted r = {.nr = glp_get_num_rows(lp),
			       .nx = (int)m->nx};
	double *dual;
	int rc;

	r.ind = util_xcalloc((size_t)r.nr + 1, sizeof(int));
	r.val = util_xcalloc((size_t)r.nr + 1, sizeof(double));
	r.out = util_xcalloc((size_t)r.nx + 1, 1);
	r.basic = util_xcalloc((size_t)r.nr + 1, sizeof(int));
	dual = util_xcalloc((size_t)r.nr + 1, sizeof(double));
	*rounds = *added = 0;
	if (warm)
		restrict_warm(m, lp, &r);
	else
		restrict_model(m, lp, &r);
	/* until no column left out would lower the objective; a restricted
	 * model without a plan (or a failed solve) goes straight to the
	 * whole model, from where the restricted one stopped */
	for (;;) {
		long k;

		rc = simplex(lp, msg_lev, tm_lim, start);
		++*rounds;
		if (rc || glp_get_status(lp) != GLP_OPT || !r.nout)
			break;
		k = price(lp, &r, dual);
		*added += k;
		if (!k)
			break;
	}
	if (rc != GLP_ETMLIM) {
		for (int j = 1; j <= r.nx; j++)
			if (r.out[j])
				put_back(lp, &r, j);
		/* the whole model, from the restricted optimum: GLPK prices
		 * every column (none improves: 0 iterations), so the optimum
		 * is the whole model's, proven by the simplex itself */
		rc = simplex(lp, msg_lev, tm_lim, start);
	}
	free(r.ind);
	free(r.val);
	free(r.out);
	free(r.basic);
	free(dual);
	return rc;
}

int plan_colgen_simplex(const struct plan_model *m, glp_prob *lp,
			int msg_lev, int tm_lim, long *rounds, long *added)
{
	return solve_restricted(m, lp, false, msg_lev, tm_lim, rounds, added);
}

int plan_colgen_warm(const struct plan_model *m, glp_prob *lp, int msg_lev,
		     int tm_lim, long *rounds, long *added)
{
	return solve_restricted(m, lp, true, msg_lev, tm_lim, rounds, added);
}
