/* The GLPK model's private parts shared by plan_glpk.c and
 * plan_venue.c (teaching sessions on one venue). */
#ifndef GPUPLAN_PLAN_GLPK_INT_H
#define GPUPLAN_PLAN_GLPK_INT_H

#include <glpk.h>

#include "plan_int.h"

/* The coefficients, loaded with one glp_load_matrix (1-based). */
struct triplets {
	int *ia, *ja;
	double *ar;
	size_t n, alloc;
};

/* Row offsets of each family; -1 where a row does not exist. */
struct rows {
	int *demand; /* [w * nblocks + b]; flexible: [w * nblocks] */
	int *due;    /* [w * nblocks + b]: timed work served by block b */
	int *hours, *peak, *commit; /* [c * nblocks + b] */
	int budget;
	int *rgu, *rgu_peak, *market, *link, *cap; /* [b] */
	int *entity; /* [e]: an entity's budget */
	int *buy;    /* [c] */
	int *one;   /* [w]: a teaching workload's venue, -1: free */
	int *queue; /* [w]: its share on academic queues, at most */
	int *whole; /* [x]: its share on a venue not chosen is 0 */
	int *ycol;  /* [w * ncands + v]: the column y[w,v], 0: none */
	int n;
};

/* Adds v at (row, col); nothing for 0. */
void plan_put(struct triplets *t, int row, int col, double v);
/* Names in CPLEX LP format: letters, digits and _ . only. */
void plan_lp_name(char *buf, size_t size, const char *fmt, ...)
	UTIL_PRINTF(3, 4);
/* A new row of type/bounds named nm; sets r->n, returns its index. */
int plan_new_row(glp_prob *lp, struct rows *r, int type, double lb, double ub,
		 const char *nm);

/* Sessions on one venue (plan_venue.c, docs/formulation.md): one[w] and
 * whole[w,v,b] rows, the y[w,v] binaries, and the capacity rows in
 * venue space (venue, hull, count, clique) built after the columns. */
void plan_one_venue_rows(const struct plan_model *m, glp_prob *lp,
			 struct rows *r);
void plan_one_venue_columns(const struct plan_model *m, glp_prob *lp,
			    const struct rows *r, struct triplets *t);
void plan_venue_rows(const struct plan_model *m, glp_prob *lp, struct rows *r,
		     struct triplets *t);

#endif
