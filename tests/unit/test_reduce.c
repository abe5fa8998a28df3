/* The reduction before the solver (docs/formulation.md, steps 5 and 6:
 * dominated columns dropped, interchangeable workloads merged) against
 * the plain model (model_plan_opts.no_reduce): the same optimum, every
 * workload's demand met, and merged workloads split back alike. The
 * embedded catalog gives many rented offers to dominate. Warm starts
 * (model_plan_opts.warm) against cold plans: the same optimum. */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../advise/advise.h"
#include "../../model/plan_int.h"
#include "test_model.h"

/* Two pairs of identical workloads (cam-a/cam-b, phd-a/phd-b), a course,
 * a fine-tuning stream, owned and buyable pools and an allocation. */
static const char scenario[] =
	"scenario: reduce\n"
	"horizon: 1y\n"
	"period: week\n"
	"constraints: {budget: 5M}\n"
	"venues:\n"
	"  allow: [cloud, cloud-spot, gpuaas, onprem, academic, edge]\n"
	"  onprem:\n"
	"    owned: {L40S: 4}\n"
	"    buy: {L40S: {max: 16, lead_time: 6w}}\n"
	"  academic: {allocation: 5 RGU-years}\n"
	"workloads:\n"
	"  - name: course\n"
	"    kind: teaching\n"
	"    students: 60\n"
	"    start: 4w\n"
	"    sessions: {per_week: 2, duration: 3h, weeks: 12}\n"
	"    per_student: {gpu_memory: 16GB, compute: 0.25 L40S}\n"
	"    start_within: 10min\n"
	"    one_venue: false\n" /* the LP alone: warm starts, colgen */
	"  - name: phd-a\n"
	"    kind: research\n"
	"    gpu_hours: 3000 A100\n"
	"    start: 2w\n"
	"  - name: phd-b\n"
	"    kind: research\n"
	"    gpu_hours: 3000 A100\n"
	"    start: 2w\n"
	"  - name: tune\n"
	"    kind: finetune\n"
	"    model: {params: 7B, method: lora, precision: bf16, "
	"seq_len: 4096}\n"
	"    tokens: 50M\n"
	"    runs: 2/month\n"
	"  - name: cam-a\n"
	"    kind: inference\n"
	"    model: {compute: 8.7GFLOP, params: 11M, precision: int8}\n"
	"    sites: 3\n"
	"    rate: 20/s\n"
	"    latency_p99: 100ms\n"
	"  - name: cam-b\n"
	"    kind: inference\n"
	"    model: {compute: 8.7GFLOP, params: 11M, precision: int8}\n"
	"    sites: 3\n"
	"    rate: 20/s\n"
	"    latency_p99: 100ms\n";

static void plan(const struct model_scenario *s, bool no_reduce,
		 enum model_objective objective, struct model_plan *p)
{
	struct model_plan_opts opt = {.family = -1, .objective = objective,
				      .no_reduce = no_reduce};
	struct util_err err;

	if (model_plan(s, &opt, p, &err))
		fail_msg("plan: %s", err.msg);
	assert_int_equal(p->status, MODEL_PLAN_OPTIMAL);
}

static double share_of(const struct model_plan *p, const char *w)
{
	double share = 0;

	for (size_t i = 0; i < p->nassign; i++)
		if (!strcmp(p->assign[i].w->name, w))
			share += p->assign[i].share;
	return share;
}

/* The assignments of workload a, in order, as b's: venue, share, cost. */
static void assert_split_alike(const struct model_plan *p, const char *a,
			       const char *b)
{
	size_t ia = 0, ib = 0;

	for (;;) {
		while (ia < p->nassign && strcmp(p->assign[ia].w->name, a))
			ia++;
		while (ib < p->nassign && strcmp(p->assign[ib].w->name, b))
			ib++;
		if (ia == p->nassign || ib == p->nassign)
			break;
		assert_string_equal(p->assign[ia].venue, p->assign[ib].venue);
		assert_true(p->assign[ia].share == p->assign[ib].share);
		assert_true(p->assign[ia].cost == p->assign[ib].cost);
		ia++;
		ib++;
	}
	assert_int_equal(ia, p->nassign);
	assert_int_equal(ib, p->nassign);
}

static void check(enum model_objective objective)
{
	static const char *names[] = {"course", "phd-a", "phd-b",
				      "tune",	"cam-a", "cam-b"};
	struct model_scenario s;
	struct model_plan plain, reduced, again;

	load_scenario(scenario, &s);
	plan(&s, true, objective, &plain);
	plan(&s, false, objective, &reduced);
	plan(&s, false, objective, &again);
	/* the same optimum (the bound is 0.1%; they agree to the
	 * solver's tolerance) */
	assert_true(fabs(reduced.objective - plain.objective) <=
		    1e-6 * fmax(1, fabs(plain.objective)));
	if (objective == MODEL_OBJECTIVE_COST)
		assert_true(fabs(reduced.total_cost - plain.total_cost) <=
			    1e-6 * fmax(1, plain.total_cost));
	/* a smaller model */
	assert_true(reduced.cols < plain.cols);
	assert_true(reduced.rows < plain.rows);
	/* every demand met, the merged ones split back alike */
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		assert_true(fabs(share_of(&reduced, names[i]) - 1) < 1e-6);
	if (objective == MODEL_OBJECTIVE_COST) /* time: flexible ones apart */
		assert_split_alike(&reduced, "phd-a", "phd-b");
	assert_split_alike(&reduced, "cam-a", "cam-b");
	/* deterministic */
	assert_true(reduced.total_cost == again.total_cost);
	assert_int_equal(reduced.nassign, again.nassign);
	model_plan_release(&again);
	model_plan_release(&reduced);
	model_plan_release(&plain);
	model_scenario_release(&s);
}

static void test_cost(void **state)
{
	(void)state;
	check(MODEL_OBJECTIVE_COST);
}

static void test_time(void **state)
{
	(void)state;
	check(MODEL_OBJECTIVE_TIME);
}

/* A course kept on one venue (one_venue) that no single rented offer
 * holds: 120 students need more L4 or L40S at once than one offer gives
 * (max_devices), so the venue's two offers share it. The reduction must
 * keep the dearer offer that a free column elsewhere would dominate: the
 * reduced model has the plain model's optimum. */
static void test_whole_course(void **state)
{
	static const char text[] =
		"scenario: lab\nhorizon: 16w\nperiod: week\n"
		"venues: {allow: [cloud]}\n"
		"workloads:\n  - name: c\n    kind: teaching\n"
		"    students: 120\n"
		"    sessions: {per_week: 2, duration: 3h, weeks: 12}\n"
		"    per_student: {gpu_memory: 16GB, compute: 0.25 L40S}\n"
		"    start_within: 5min\n"
		"    one_venue: true\n";
	struct model_scenario s;
	struct model_plan plain, reduced;

	(void)state;
	load_scenario(text, &s);
	plan(&s, true, MODEL_OBJECTIVE_COST, &plain);
	plan(&s, false, MODEL_OBJECTIVE_COST, &reduced);
	assert_true(fabs(reduced.total_cost - plain.total_cost) <=
		    1e-6 * plain.total_cost);
	assert_true(plain.nassign >= 2); /* two offers of one venue */
	for (size_t i = 1; i < plain.nassign; i++)
		assert_string_equal(plain.assign[i].offer->provider,
				    plain.assign[0].offer->provider);
	model_plan_release(&reduced);
	model_plan_release(&plain);
	model_scenario_release(&s);
}

/* A plan from a kept basis (model_plan_opts.warm), base frozen. */
static void plan_warm(const struct model_scenario *s,
		      struct model_plan_warm *w, struct model_plan *p)
{
	struct model_plan_opts opt = {.family = -1, .warm = w};
	struct util_err err;

	if (model_plan(s, &opt, p, &err))
		fail_msg("plan: %s", err.msg);
	assert_int_equal(p->status, MODEL_PLAN_OPTIMAL);
}

/* Warm starts (docs/formulation.md): after each one-parameter move of
 * sensitivity (a family's prices, a workload's size, down and up), the
 * plan from the base plan's basis has the cold plan's optimum, takes
 * fewer simplex iterations, and is the same whatever came before. */
static void test_warm(void **state)
{
	static const char *families[] = {"cloud", "cloud-spot", "gpuaas",
					 "onprem", "academic"};
	struct model_plan_warm *w = model_plan_warm_new();
	struct model_scenario s;
	struct model_plan base, cold;
	long it_warm = 0, it_cold = 0, moves = 0;

	(void)state;
	load_scenario(scenario, &s);
	plan_warm(&s, w, &base);
	plan(&s, false, MODEL_OBJECTIVE_COST, &cold);
	assert_true(base.total_cost == cold.total_cost);
	assert_int_equal(model_plan_warm_applied(w), 0);
	model_plan_warm_freeze(w);
	model_plan_release(&cold);
	for (size_t k = 0; k < 5 + s.nworkloads; k++)
		for (int dir = 0; dir < 2; dir++) {
			struct model_scenario t;
			struct model_plan warm, again;
			struct util_err err;
			double m = dir ? 1.2 : 0.8;
			char path[64];

			load_scenario(scenario, &t);
			if (k < 5) {
				snprintf(path, sizeof(path),
					 "catalog.family.%s.price",
					 families[k]);
				assert_int_equal(model_override_prices(
							 &t, path, m, &err),
						 0);
			} else {
				advise_scale_workload(&t.workloads[k - 5], m);
			}
			plan_warm(&t, w, &warm);
			plan(&t, false, MODEL_OBJECTIVE_COST, &cold);
			assert_true(fabs(warm.objective - cold.objective) <=
				    1e-7 * fmax(1, fabs(cold.objective)));
			assert_true(fabs(warm.total_cost - cold.total_cost) <=
				    1e-7 * fmax(1, cold.total_cost));
			plan_warm(&t, w, &again); /* the frozen basis again */
			assert_true(again.total_cost == warm.total_cost);
			assert_int_equal(again.nassign, warm.nassign);
			it_warm += warm.iterations;
			it_cold += cold.iterations;
			moves++;
			model_plan_release(&again);
			model_plan_release(&warm);
			model_plan_release(&cold);
			model_scenario_release(&t);
		}
	/* every move started from the basis, at a fraction of the work */
	assert_int_equal(model_plan_warm_applied(w), 2 * moves);
	assert_true(it_warm * 4 < it_cold);
	model_plan_release(&base);
	model_scenario_release(&s);
	model_plan_warm_free(w);
}

static int load_text(void *arg, struct model_scenario *s)
{
	(void)arg;
	load_scenario(scenario, s);
	return 0;
}

/* sensitivity's moves on 1 and on 3 processes: the same results, to the
 * bit (each move starts from the base plan's frozen basis), and each
 * one a plan (the swing of a workload's size is a cost). */
static void test_sensitivity_jobs(void **state)
{
	struct model_scenario s;
	struct advise_sensitivity one, three;

	(void)state;
	load_scenario(scenario, &s);
	advise_sensitivity(&s, 0.2, 1, NULL, load_text, NULL, &one);
	advise_sensitivity(&s, 0.2, 3, NULL, load_text, NULL, &three);
	assert_true(one.n > 6);
	assert_int_equal(one.n, three.n);
	assert_true(one.base == three.base);
	assert_memory_equal(one.v, three.v, one.n * sizeof(*one.v));
	for (size_t i = 0; i < one.n; i++)
		assert_false(isnan(one.v[i].cost[0]) || isnan(one.v[i].cost[1]));
	model_scenario_release(&s);
}

/* The cold LP on a restricted set of columns, the others priced in
 * (docs/formulation.md, Solving; model_plan_opts.colgen_min_cols forces
 * it on these small models) against the plain model solved whole: the
 * same optimum. Returns how many columns the pricing put back. */
static long colgen_check(const struct model_scenario *s,
			 enum model_objective objective, double *obj)
{
	struct model_plan_opts o = {.family = -1, .objective = objective,
				    .colgen_min_cols = 1};
	struct model_plan plain, cg, cg_plain;
	struct util_err err;
	long priced;

	plan(s, true, objective, &plain);
	assert_int_equal(plain.lp_rounds, 0); /* small: solved whole */
	if (model_plan(s, &o, &cg, &err))
		fail_msg("plan: %s", err.msg);
	o.no_reduce = true;
	if (model_plan(s, &o, &cg_plain, &err))
		fail_msg("plan: %s", err.msg);
	assert_int_equal(cg.status, MODEL_PLAN_OPTIMAL);
	assert_int_equal(cg_plain.status, MODEL_PLAN_OPTIMAL);
	assert_true(cg.lp_rounds >= 1 && cg_plain.lp_rounds >= 1);
	assert_true(fabs(cg.objective - plain.objective) <=
		    1e-6 * fmax(1, fabs(plain.objective)));
	assert_true(fabs(cg_plain.objective - plain.objective) <=
		    1e-6 * fmax(1, fabs(plain.objective)));
	priced = cg.lp_priced + cg_plain.lp_priced;
	*obj = plain.objective;
	model_plan_release(&cg_plain);
	model_plan_release(&cg);
	model_plan_release(&plain);
	return priced;
}

static long colgen_against_plain(const char *text,
				 enum model_objective objective, double *obj)
{
	struct model_scenario s;
	long priced;

	load_scenario(text, &s);
	priced = colgen_check(&s, objective, obj);
	model_scenario_release(&s);
	return priced;
}

static void test_colgen(void **state)
{
	double obj;

	(void)state;
	colgen_against_plain(scenario, MODEL_OBJECTIVE_COST, &obj);
	colgen_against_plain(scenario, MODEL_OBJECTIVE_TIME, &obj);
}

/* Six research groups want the two owned L40S and the small allocation,
 * the cheapest venues for all of them: the pool's hours and the
 * allocation bind, and the greedy start gives them to the first ones by
 * cost, not to those that save the most: the pricing must bring the
 * other workloads' pool and cluster columns in. */
#define CROWD_HEAD                                                       \
	"horizon: 1y\n"                                                   \
	"period: week\n"                                                  \
	"venues:\n"                                                       \
	"  allow: [cloud, gpuaas, onprem, academic]\n"                    \
	"  onprem:\n"                                                     \
	"    owned: {L40S: 2}\n"                                          \
	"  academic: {allocation: 1 RGU-years}\n"
/* the six groups; A and B: what the first three and the last three add */
#define CROWD_WORKLOADS(A, B)                                            \
	"workloads:\n"                                                    \
	"  - {name: r1, kind: research, gpu_hours: 1500 A100, start: 1w" A \
	"}\n"                                                             \
	"  - {name: r2, kind: research, gpu_hours: 4000 H100, start: 3w" A \
	"}\n"                                                             \
	"  - {name: r3, kind: research, gpu_hours: 2500 L40S, start: 5w" A \
	"}\n"                                                             \
	"  - {name: r4, kind: research, gpu_hours: 3500 A100, start: 8w" B \
	"}\n"                                                             \
	"  - {name: r5, kind: research, gpu_hours: 6000 L4, start: 2w" B   \
	"}\n"                                                             \
	"  - {name: r6, kind: research, gpu_hours: 2000 H100, start: 10w" B \
	"}\n"

static void test_colgen_capacity(void **state)
{
	static const char crowd[] =
		"scenario: crowd\n" CROWD_HEAD CROWD_WORKLOADS("", "");
	double obj;

	(void)state;
	assert_true(colgen_against_plain(crowd, MODEL_OBJECTIVE_COST, &obj) >
		    0);
}

/* The same groups in two entities, one with a budget that binds: its
 * work must move to the owned pool and the allocation (no entity pays
 * for those), which pushes the other entity's work off them (r4 and r5
 * to a rented L40S). */
static void test_colgen_budget(void **state)
{
	static const char text[] =
		"scenario: crowd-budget\n" CROWD_HEAD
		"entities:\n"
		"  - {name: lean, budget: 9000}\n"
		"  - {name: rich}\n" CROWD_WORKLOADS(", entity: lean",
						     ", entity: rich");
	static const char crowd[] =
		"scenario: crowd\n" CROWD_HEAD CROWD_WORKLOADS("", "");
	double obj, unbound;

	(void)state;
	colgen_against_plain(text, MODEL_OBJECTIVE_TIME, &obj);
	/* the greedy start fills the entity's budget row as it fills a
	 * capacity, so here the restricted optimum is already the whole
	 * model's (the pricing finds nothing to bring in); the last solve
	 * on the whole model checks it */
	colgen_against_plain(text, MODEL_OBJECTIVE_COST, &obj);
	/* the budget binds: the plan costs more than without it (18,217
	 * against 16,592 USD, the objective) */
	colgen_against_plain(crowd, MODEL_OBJECTIVE_COST, &unbound);
	assert_true(obj > unbound * 1.05);
}

/* The generated problem of tests/data/colgen (`sh bench/gen.sh 16 80 DIR
 * week`): courses and services whose peaks meet offers' max_devices,
 * research, fine-tuning, pools, an allocation. The scenario is read
 * against c, loaded first when load_catalog. */
static void load_generated(struct pricing_catalog *c, bool load_catalog,
			   struct model_scenario *s)
{
	struct util_diags d;
	struct util_err err;
	char *buf;
	size_t n;

	util_diags_init(&d);
	if (load_catalog) {
		pricing_catalog_init(c);
		assert_int_equal(pricing_catalog_load_default(c, &d), 0);
		assert_int_equal(pricing_catalog_load_file(
					 c, "tests/data/colgen/catalog.yaml",
					 &d),
				 0);
	}
	assert_int_equal(util_read_file("tests/data/colgen/scenario.yaml",
					1u << 20, &buf, &n, &err),
			 0);
	assert_int_equal(model_scenario_load_buffer(s, "scenario.yaml", buf,
						    n, c, &d),
			 0);
	free(buf);
	util_diags_release(&d);
}

/* The generated problem, both objectives. */
static void test_colgen_generated(void **state)
{
	struct pricing_catalog c;
	struct model_scenario s;
	double obj;

	(void)state;
	load_generated(&c, true, &s);
	assert_true(colgen_check(&s, MODEL_OBJECTIVE_COST, &obj) > 0);
	colgen_check(&s, MODEL_OBJECTIVE_TIME, &obj);
	model_scenario_release(&s);
	pricing_catalog_release(&c);
}

/* A warm start on restricted columns (plan_colgen_warm, forced by
 * colgen_min_cols on this small model): after each family's prices and
 * each of the first workloads' sizes moved down and up, the plan from
 * the frozen base basis has the cold plain plan's optimum, twice in a
 * row (the second on the column table the first kept), and some price
 * moves start from a basis still primal feasible, on the columns that
 * could enter, with others priced in. */
static void test_warm_colgen(void **state)
{
	struct pricing_catalog c;
	struct model_scenario s;
	struct model_plan_warm *w = model_plan_warm_new();
	struct model_plan_opts o = {.family = -1, .warm = w,
				    .colgen_min_cols = 1};
	struct model_plan base;
	struct util_err err;
	long restricted = 0, priced = 0;

	(void)state;
	load_generated(&c, true, &s);
	if (model_plan(&s, &o, &base, &err))
		fail_msg("plan: %s", err.msg);
	model_plan_warm_freeze(w);
	for (size_t k = 0; k < PRICING_NFAMILIES + 4; k++)
		for (int dir = 0; dir < 2; dir++) {
			struct model_scenario t;
			struct model_plan warm, again, cold;
			double m = dir ? 1.2 : 0.8;
			char path[64];

			load_generated(&c, false, &t);
			if (k < PRICING_NFAMILIES) {
				snprintf(path, sizeof(path),
					 "catalog.family.%s.price",
					 pricing_family_names[k]);
				assert_int_equal(model_override_prices(
							 &t, path, m, &err),
						 0);
			} else {
				advise_scale_workload(
					&t.workloads[k - PRICING_NFAMILIES], m);
			}
			if (model_plan(&t, &o, &warm, &err) ||
			    model_plan(&t, &o, &again, &err))
				fail_msg("plan: %s", err.msg);
			plan(&t, true, MODEL_OBJECTIVE_COST, &cold);
			assert_int_equal(warm.status, MODEL_PLAN_OPTIMAL);
			assert_true(fabs(warm.objective - cold.objective) <=
				    1e-7 * fmax(1, fabs(cold.objective)));
			assert_true(again.objective == warm.objective);
			assert_true(again.total_cost == warm.total_cost);
			assert_int_equal(again.nassign, warm.nassign);
			if (k < PRICING_NFAMILIES) {
				restricted += warm.lp_rounds > 0;
				priced += warm.lp_priced;
			}
			model_plan_release(&again);
			model_plan_release(&warm);
			model_plan_release(&cold);
			model_scenario_release(&t);
		}
	assert_int_equal(model_plan_warm_applied(w),
			 4 * (PRICING_NFAMILIES + 4));
	assert_true(restricted > 0 && priced > 0);
	model_plan_release(&base);
	model_plan_warm_free(w);
	model_scenario_release(&s);
	pricing_catalog_release(&c);
}

/* max / min of lp's scaled |a_ij|; *top: the largest. */
static double scaled_ratio(glp_prob *lp, double *top)
{
	int ind[4], n = glp_get_num_cols(lp);
	double val[4], lo = HUGE_VAL, hi = 0;

	for (int j = 1; j <= n; j++) {
		int len = glp_get_mat_col(lp, j, ind, val);

		for (int q = 1; q <= len; q++) {
			double v = fabs(val[q]) * glp_get_rii(lp, ind[q]) *
				   glp_get_sjj(lp, j);

			lo = fmin(lo, v);
			hi = fmax(hi, v);
		}
	}
	*top = hi;
	return hi / lo;
}

static bool power_of_two(double f)
{
	int e;

	return f > 0 && frexp(f, &e) == 0.5;
}

/* plan_scale (a large model's scaling, docs/formulation.md, Solving):
 * on a badly scaled matrix with an empty row and column, every factor a
 * power of two (1 for the empty ones), the spread of the coefficients
 * much smaller, none above 2 (equilibrated to 1, then rounded). */
static void test_scale(void **state)
{
	static const int ia[] = {0, 1, 1, 2, 2, 2, 3};
	static const int ja[] = {0, 1, 2, 1, 2, 3, 3};
	static const double ar[] = {0, 1e4, -1e-2, 5, 3e3, 1e-3, 7};
	glp_prob *lp;
	double before, after, top;

	(void)state;
	lp = glp_create_prob();
	glp_add_rows(lp, 4);
	glp_add_cols(lp, 4);
	glp_load_matrix(lp, 6, ia, ja, ar);
	before = scaled_ratio(lp, &top);
	plan_scale(lp);
	after = scaled_ratio(lp, &top);
	for (int i = 1; i <= 4; i++)
		assert_true(power_of_two(glp_get_rii(lp, i)));
	for (int j = 1; j <= 4; j++)
		assert_true(power_of_two(glp_get_sjj(lp, j)));
	assert_true(glp_get_rii(lp, 4) == 1 && glp_get_sjj(lp, 4) == 1);
	assert_true(after * 100 < before);
	assert_true(top <= 2);
	glp_delete_prob(lp);
	glp_free_env();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cost),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_whole_course),
		cmocka_unit_test(test_warm),
		cmocka_unit_test(test_sensitivity_jobs),
		cmocka_unit_test(test_colgen),
		cmocka_unit_test(test_colgen_capacity),
		cmocka_unit_test(test_colgen_budget),
		cmocka_unit_test(test_colgen_generated),
		cmocka_unit_test(test_warm_colgen),
		cmocka_unit_test(test_scale),
	};

	return cmocka_run_group_tests_name("reduce", tests,
					   setup_default_catalog,
					   teardown_catalog);
}
