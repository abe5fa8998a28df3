/* Whole sessions by rounding (docs/formulation.md, Sessions on one
 * venue, A first plan): before branch and bound, a plan with every
 * course on one venue, found by diving from the LP optimum of the model
 * with venue binaries. Branch and bound starts with it: a time limit
 * then ends with a plan and its gap rather than none (bench/README.md:
 * 100 whole courses found no plan in a minute without it). */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan_int.h"

/* A course's venue binaries: the columns of its one[w] row. */
struct group {
	int n, *col;
	unsigned char *shut; /* y at 0: that venue could not hold it */
	bool fixed;
	double best; /* the largest y at the LP optimum */
	int arg;     /* its index in col */
};

/* The ms left until deadline (util_now_s's, 0: none) into *tm_lim as
 * GLPK takes them (untouched: no limit); whether any are left. */
static bool time_left(double deadline, int *tm_lim)
{
	double left = (deadline - util_now_s()) * 1000;

	if (deadline <= 0)
		return true;
	*tm_lim = (int)fmin(left, 2e9);
	return left >= 1;
}

/* lp from its basis by the dual simplex (only bounds moved since its
 * optimum), from presolve's if that basis fails; within deadline
 * (util_now_s's, 0: none). Whether it found an optimum. */
static bool resolve(glp_prob *lp, double deadline)
{
	glp_smcp sm;
	int rc;

	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	sm.meth = GLP_DUALP;
	if (!time_left(deadline, &sm.tm_lim))
		return false;
	rc = glp_simplex(lp, &sm);
	if ((rc == GLP_EBADB || rc == GLP_ESING || rc == GLP_ECOND ||
	     rc == GLP_EFAIL) &&
	    time_left(deadline, &sm.tm_lim)) { /* what is left now */
		sm.meth = GLP_PRIMAL;
		sm.presolve = GLP_ON;
		rc = glp_simplex(lp, &sm);
	}
	return !rc && glp_get_status(lp) == GLP_OPT;
}

static void look(glp_prob *lp, struct group *g)
{
	g->arg = -1;
	g->best = -1;
	for (int k = 0; k < g->n; k++) {
		double y = glp_get_col_prim(lp, g->col[k]);

		if (!g->shut[k] && y > g->best + 1e-9) {
			g->best = y;
			g->arg = k;
		}
	}
}

/* g on its venue k; k < 0: free again, but for the venues shut */
static void put(glp_prob *lp, struct group *g, int k)
{
	for (int i = 0; i < g->n; i++)
		if (g->shut[i] || (k >= 0 && i != k))
			glp_set_col_bnds(lp, g->col[i], GLP_FX, 0, 0);
		else if (k >= 0)
			glp_set_col_bnds(lp, g->col[i], GLP_FX, 1, 1);
		else
			glp_set_col_bnds(lp, g->col[i], GLP_DB, 0, 1);
	g->fixed = k >= 0;
}

/* the most decided first; then in column order */
static int cmp_group(const void *a, const void *b)
{
	const struct group *x = *(struct group *const *)a;
	const struct group *y = *(struct group *const *)b;

	if (x->best != y->best)
		return x->best > y->best ? -1 : 1;
	return (x->col[0] > y->col[0]) - (x->col[0] < y->col[0]);
}

/* Courses moved to their venue this many at a time: an eighth of those
 * still split (rounded to the nearest, at least one), halved when the
 * LP cannot hold them. A heuristic, and a sensitive one: on
 * bench/gen.sh 400 200 with every course whole it came 2.3% above the
 * root bound in 56 LP solves; rounding the eighth up instead gave 5.4%,
 * starting from all of them and doubling after each success 2.7% in 86
 * (bench/README.md). */
#define DIVE_PART 8

/* One step: the courses whole at the LP optimum kept so; of the others,
 * the most decided first, a batch moved to their largest y; a batch the
 * LP cannot hold undone and halved; a course that cannot move alone has
 * that venue shut. 1: every course whole; 0: go on; -1: no plan. */
static int dive_step(glp_prob *lp, struct group *gs, size_t n,
		     struct group **order, double deadline)
{
	size_t nfrac = 0, batch;

	for (size_t i = 0; i < n; i++) {
		if (gs[i].fixed)
			continue;
		look(lp, &gs[i]);
		if (gs[i].arg < 0)
			return -1;
		if (gs[i].best >= 1 - 1e-7)
			put(lp, &gs[i], gs[i].arg);
		else
			order[nfrac++] = &gs[i];
	}
	if (!nfrac)
		return 1;
	qsort(order, nfrac, sizeof(*order), cmp_group);
	batch = (nfrac + DIVE_PART / 2 - 1) / DIVE_PART;
	for (batch += !batch;; batch /= 2) {
		for (size_t i = 0; i < batch; i++)
			put(lp, order[i], order[i]->arg);
		if (resolve(lp, deadline))
			return 0;
		for (size_t i = 0; i < batch; i++)
			put(lp, order[i], -1);
		if (batch == 1)
			break;
	}
	if (deadline > 0 && util_now_s() >= deadline)
		return -1;
	order[0]->shut[order[0]->arg] = 1;
	put(lp, order[0], -1);
	return resolve(lp, deadline) ? 0 : -1;
}

/* With every venue fixed, the purchases as integers (branch and bound
 * on lp, from its basis). Whether it found a plan. */
static bool purchases(glp_prob *lp, double deadline)
{
	glp_iocp io;
	int rc;

	glp_init_iocp(&io);
	io.msg_lev = GLP_MSG_OFF;
	io.presolve = GLP_OFF;
	if (!time_left(deadline, &io.tm_lim))
		return false;
	rc = glp_intopt(lp, &io);
	return !rc && glp_mip_status(lp) == GLP_OPT;
}

bool plan_round_whole(const struct plan_model *m, glp_prob *src, double *x)
{
	double deadline = m->deadline;
	glp_prob *lp = glp_create_prob();
	int cols = glp_get_num_cols(src), step = -1;
	int *ind = util_xcalloc((size_t)cols + 1, sizeof(int));
	double *val = util_xcalloc((size_t)cols + 1, sizeof(double));
	struct group *gs = util_xcalloc(m->none + 1, sizeof(*gs));
	struct group **order = util_xcalloc(m->none + 1, sizeof(*order));

	glp_copy_prob(lp, src, GLP_OFF);
	for (size_t i = 0; i < m->none; i++) {
		int len = glp_get_mat_row(lp, m->one_row[i], ind, val);

		gs[i].n = len;
		gs[i].col = util_xcalloc((size_t)len + 1, sizeof(int));
		gs[i].shut = util_xcalloc((size_t)len + 1, 1);
		memcpy(gs[i].col, ind + 1, (size_t)len * sizeof(int));
		for (int k = 0; k < len; k++) /* a venue closed already */
			gs[i].shut[k] = glp_get_col_ub(lp, gs[i].col[k]) < 0.5;
	}
	if (resolve(lp, deadline))
		while (!(step = dive_step(lp, gs, m->none, order, deadline)))
			;
	if (step == 1 && !purchases(lp, deadline))
		step = -1;

	for (int j = 1; step == 1 && j <= cols; j++) {
		/* exactly integral, or glp_ios_heur_sol refuses it */
		x[j] = glp_mip_col_val(lp, j);
		if (glp_get_col_kind(lp, j) != GLP_CV)
			x[j] = floor(x[j] + 0.5);
	}
	for (size_t i = 0; i < m->none; i++) {
		free(gs[i].col);
		free(gs[i].shut);
	}
	free(gs);
	free(order);
	free(ind);
	free(val);
	glp_delete_prob(lp);
	return step == 1;
}
