/* The reduction before the solver (docs/formulation.md, steps 5 and 6:
 * dominated columns dropped, interchangeable workloads merged) against
 * the plain model (model_plan_opts.no_reduce): the same optimum, every
 * workload's demand met, and merged workloads split back alike. The
 * embedded catalog gives many rented offers to dominate. */
#include <math.h>
#include <string.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cost),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_whole_course),
	};

	return cmocka_run_group_tests_name("reduce", tests,
					   setup_default_catalog,
					   teardown_catalog);
}
