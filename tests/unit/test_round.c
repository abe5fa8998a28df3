/* The rounding that gives branch and bound its first plan with whole
 * sessions (model/plan_round.c, docs/formulation.md, A first plan), on
 * small models built by hand: three courses of 6 devices each, venue 1
 * (10 devices, 1 a course; purchases of 4 devices at 3 each) and venue
 * 2 (10 devices, 2 a course), and venue 3 (no limit, 10 a course). The
 * relaxation shares the venues out fractionally; the rounding must give
 * each course one venue, integral purchases, every row held. */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>

#include "../../model/plan_int.h"
#include "test_model.h"

/* y[course][venue] at column 1 + 3 course + venue; the purchases at
 * column 10 (0 to buy_max); one[course] rows 1 to 3, the capacity of
 * venues 1 and 2 rows 4 and 5. nvenues 2 leaves venue 3 out. */
static glp_prob *courses(int nvenues, int buy_max)
{
	static const double cost[3] = {1, 2, 10};
	glp_prob *lp = glp_create_prob();
	int ind[5];
	double val[5];

	glp_term_out(GLP_OFF);
	glp_set_obj_dir(lp, GLP_MIN);
	glp_add_rows(lp, 5);
	glp_add_cols(lp, 10);
	for (int c = 0; c < 3; c++) {
		glp_set_row_bnds(lp, c + 1, GLP_FX, 1, 1);
		for (int v = 0; v < 3; v++) {
			int j = 1 + 3 * c + v;

			glp_set_col_kind(lp, j, GLP_BV);
			glp_set_obj_coef(lp, j, cost[v]);
			if (v >= nvenues)
				glp_set_col_bnds(lp, j, GLP_FX, 0, 0);
			ind[1] = c + 1;
			val[1] = 1;
			ind[2] = 4 + v;
			val[2] = 6;
			glp_set_mat_col(lp, j, v < 2 ? 2 : 1, ind, val);
		}
	}
	glp_set_row_bnds(lp, 4, GLP_UP, 0, 10);
	glp_set_row_bnds(lp, 5, GLP_UP, 0, 10);
	glp_set_col_kind(lp, 10, GLP_IV);
	glp_set_col_bnds(lp, 10, buy_max ? GLP_DB : GLP_FX, 0, buy_max);
	glp_set_obj_coef(lp, 10, 3);
	ind[1] = 4;
	val[1] = -4;
	glp_set_mat_col(lp, 10, 1, ind, val);
	return lp;
}

/* Whether x holds every row and column bound of lp. */
static bool holds(glp_prob *lp, const double *x)
{
	int ind[11];
	double val[11];

	for (int j = 1; j <= glp_get_num_cols(lp); j++)
		if (x[j] < glp_get_col_lb(lp, j) - 1e-9 ||
		    x[j] > glp_get_col_ub(lp, j) + 1e-9)
			return false;

	for (int i = 1; i <= glp_get_num_rows(lp); i++) {
		int n = glp_get_mat_row(lp, i, ind, val);
		double a = 0;

		for (int k = 1; k <= n; k++)
			a += val[k] * x[ind[k]];
		if (a > glp_get_row_ub(lp, i) + 1e-9 ||
		    (glp_get_row_type(lp, i) == GLP_FX &&
		     a < glp_get_row_lb(lp, i) - 1e-9))
			return false;
	}
	return true;
}

static double round_courses(int nvenues, int buy_max, double *x)
{
	int one[3] = {1, 2, 3};
	struct plan_model m = {.one_row = one, .none = 3};
	glp_prob *lp = courses(nvenues, buy_max);
	double obj = -1;
	glp_smcp sm;

	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	assert_int_equal(glp_simplex(lp, &sm), 0);
	assert_int_equal(glp_get_status(lp), GLP_OPT);
	/* the relaxation splits a course: else this tests nothing */
	assert_true(fabs(glp_get_col_prim(lp, 2) - 1) > 1e-6 ||
		    fabs(glp_get_col_prim(lp, 5) - 1) > 1e-6 ||
		    fabs(glp_get_col_prim(lp, 8) - 1) > 1e-6);
	assert_true(glp_get_col_prim(lp, 2) > -1); /* lp untouched below */
	if (plan_round_whole(&m, lp, x)) {
		assert_true(holds(lp, x));
		obj = 0;
		for (int j = 1; j <= 10; j++) {
			assert_true(x[j] == floor(x[j])); /* exactly */
			obj += glp_get_obj_coef(lp, j) * x[j];
		}
		for (int c = 0; c < 3; c++)
			assert_true(x[1 + 3 * c] + x[2 + 3 * c] +
					    x[3 + 3 * c] ==
				    1);
	}
	/* the model it was given is as it was: bounds and optimum */
	assert_int_equal(glp_get_col_type(lp, 1), GLP_DB);
	assert_int_equal(glp_get_status(lp), GLP_OPT);
	glp_delete_prob(lp);
	return obj;
}

/* No purchases: one course a venue is the only whole plan (13). */
static void test_round_one_each(void **state)
{
	double x[11] = {0};

	(void)state;
	assert_near(round_courses(3, 0, x), 13, 1e-9);
	for (int v = 0; v < 3; v++)
		assert_near(x[1 + v] + x[4 + v] + x[7 + v], 1, 1e-9);
}

/* With purchases: two courses on venue 1 and one unit bought (7) is the
 * optimum; the rounding gives a whole plan at least that dear, and no
 * dearer than one course a venue with nothing bought. */
static void test_round_purchases(void **state)
{
	double x[11] = {0}, obj;

	(void)state;
	obj = round_courses(3, 2, x);
	assert_true(obj >= 7 - 1e-9);
	assert_true(obj <= 13 + 1e-9);
}

/* Venues 1 and 2 hold 20 devices between them, 18 fractionally, but no
 * two courses of 6 fit on one of 10: no whole plan, and it says so. */
static void test_round_none(void **state)
{
	double x[11] = {0};

	(void)state;
	assert_true(round_courses(2, 0, x) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_one_each),
		cmocka_unit_test(test_round_purchases),
		cmocka_unit_test(test_round_none),
	};

	return cmocka_run_group_tests_name("round", tests, NULL, NULL);
}
