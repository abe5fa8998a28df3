/* Scaling of a large model before its cold LP (docs/formulation.md,
 * Solving): geometric-mean passes over rows and columns, then
 * equilibration, factors rounded to powers of two, on a copy of the
 * matrix in arrays. GLPK's glp_scale_prob does the same kind of scaling
 * on its linked rows and columns, whose cache misses made it grow much
 * faster than the model: measured on bench/gen.sh problems, 0.017 s at
 * 20,000 columns, 0.26 s at 86,000, 0.72 s at 129,000 (a fifth of the
 * cold LP). */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>

#include "plan_int.h"

/* Geometric-mean passes at most, and the least improvement of the
 * matrix's max/min |a_ij| ratio a pass must bring to go on (as GLPK's
 * defaults for glp_scale_prob: 15 and 0.10; not tuned). */
#define GM_PASSES 15
#define GM_GAIN 0.10

struct csc {
	int m, n;
	int *start; /* column j's entries: [start[j], start[j + 1]) */
	int *row;
	double *val; /* |a_ij| */
};

static void csc_read(glp_prob *lp, struct csc *a)
{
	int nz = glp_get_num_nz(lp), k = 0;
	int *ind;
	double *val;

	a->m = glp_get_num_rows(lp);
	a->n = glp_get_num_cols(lp);
	a->start = util_xcalloc((size_t)a->n + 2, sizeof(int));
	a->row = util_xcalloc((size_t)nz + 1, sizeof(int));
	a->val = util_xcalloc((size_t)nz + 1, sizeof(double));
	ind = util_xcalloc((size_t)a->m + 1, sizeof(int));
	val = util_xcalloc((size_t)a->m + 1, sizeof(double));
	for (int j = 1; j <= a->n; j++) {
		int len = glp_get_mat_col(lp, j, ind, val);

		a->start[j] = k;
		for (int q = 1; q <= len; q++)
			if (val[q] != 0) {
				a->row[k] = ind[q];
				a->val[k++] = fabs(val[q]);
			}
	}
	a->start[a->n + 1] = k;
	free(ind);
	free(val);
}

/* max / min of the scaled |a_ij| over the matrix (1 if empty). */
static double ratio(const struct csc *a, const double *r, const double *s)
{
	double lo = HUGE_VAL, hi = 0;

	for (int j = 1; j <= a->n; j++)
		for (int k = a->start[j]; k < a->start[j + 1]; k++) {
			double v = a->val[k] * r[a->row[k]] * s[j];

			lo = fmin(lo, v);
			hi = fmax(hi, v);
		}
	return hi > 0 ? hi / lo : 1;
}

/* One geometric-mean pass: each row's factor from the smallest and
 * largest of its scaled entries, then each column's. */
static void gm_pass(const struct csc *a, double *r, double *s, double *lo,
		    double *hi)
{
	for (int i = 1; i <= a->m; i++) {
		lo[i] = HUGE_VAL;
		hi[i] = 0;
	}
	for (int j = 1; j <= a->n; j++)
		for (int k = a->start[j]; k < a->start[j + 1]; k++) {
			double v = a->val[k] * s[j];
			int i = a->row[k];

			lo[i] = fmin(lo[i], v);
			hi[i] = fmax(hi[i], v);
		}
	for (int i = 1; i <= a->m; i++)
		if (hi[i] > 0)
			r[i] = 1 / sqrt(lo[i] * hi[i]);
	for (int j = 1; j <= a->n; j++) {
		double cl = HUGE_VAL, ch = 0;

		for (int k = a->start[j]; k < a->start[j + 1]; k++) {
			double v = a->val[k] * r[a->row[k]];

			cl = fmin(cl, v);
			ch = fmax(ch, v);
		}
		if (ch > 0)
			s[j] = 1 / sqrt(cl * ch);
	}
}

/* Equilibration: each row's largest scaled entry to 1, then each
 * column's. */
static void eq_pass(const struct csc *a, double *r, double *s, double *hi)
{
	for (int i = 1; i <= a->m; i++)
		hi[i] = 0;
	for (int j = 1; j <= a->n; j++)
		for (int k = a->start[j]; k < a->start[j + 1]; k++)
			hi[a->row[k]] = fmax(hi[a->row[k]],
					     a->val[k] * s[j] * r[a->row[k]]);
	for (int i = 1; i <= a->m; i++)
		if (hi[i] > 0)
			r[i] /= hi[i];
	for (int j = 1; j <= a->n; j++) {
		double ch = 0;

		for (int k = a->start[j]; k < a->start[j + 1]; k++)
			ch = fmax(ch, a->val[k] * r[a->row[k]] * s[j]);
		if (ch > 0)
			s[j] /= ch;
	}
}

/* The power of two nearest f in log scale: scaling by it is exact. */
static double pow2(double f)
{
	return ldexp(1, (int)lround(log2(f)));
}

void plan_scale(glp_prob *lp)
{
	struct csc a;
	double *r, *s, *lo, *hi, last;

	csc_read(lp, &a);
	r = util_xcalloc((size_t)a.m + 1, sizeof(double));
	s = util_xcalloc((size_t)a.n + 1, sizeof(double));
	lo = util_xcalloc((size_t)a.m + 1, sizeof(double));
	hi = util_xcalloc((size_t)a.m + 1, sizeof(double));
	for (int i = 1; i <= a.m; i++)
		r[i] = 1;
	for (int j = 1; j <= a.n; j++)
		s[j] = 1;
	last = ratio(&a, r, s);
	for (int pass = 0; pass < GM_PASSES; pass++) {
		double now;

		gm_pass(&a, r, s, lo, hi);
		now = ratio(&a, r, s);
		if (now > last * (1 - GM_GAIN))
			break;
		last = now;
	}
	eq_pass(&a, r, s, hi);
	for (int i = 1; i <= a.m; i++)
		glp_set_rii(lp, i, pow2(r[i]));
	for (int j = 1; j <= a.n; j++)
		glp_set_sjj(lp, j, pow2(s[j]));
	free(r);
	free(s);
	free(lo);
	free(hi);
	free(a.start);
	free(a.row);
	free(a.val);
}
