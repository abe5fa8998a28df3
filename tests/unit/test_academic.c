/* Academic allocations are fair-share rates (docs/academic.md): 20,000
 * A100-hours on 10 RGU-years of Narval (4 RGU an A100: 2.5 A100 at the
 * fair share) take at least 8,000 hours at the share, or 8,000 / the
 * burst factor when the account runs above it; the planner spreads the
 * work over the months the allocation's rate needs, and the simulated
 * queue waits are hours, not seconds. */
#include "../../sim/sim.h"
#include "test_model.h"

static const char narval[] =
	"scenario: t\nhorizon: 2y\nperiod: month\n"
	"venues:\n  allow: [academic]\n"
	"  academic: {allocation: 10 RGU-years, clusters: [narval]}\n"
	"workloads:\n  - name: r\n    kind: research\n"
	"    gpu_hours: 20000 A100\n    submission: burst\n";

/* The fair-share time: allocation / RGU per device = devices at once. */
#define SHARE_DEVICES (10.0 / 4.0)
#define FAIR_SHARE_H (20000 / SHARE_DEVICES)

static void test_planner_rate(void **state)
{
	struct model_scenario s;
	struct model_plan p = {0};
	struct model_plan_opts opt = {.family = -1};
	struct util_err err;
	int last = -1;

	(void)state;
	load_scenario(narval, &s);
	assert_int_equal(model_plan(&s, &opt, &p, &err), 0);
	assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
	assert_int_equal(p.nassign, 1);
	for (size_t t = 0; t < p.nperiods; t++)
		if (p.assign[0].period_device_hours[t] > 1e-6)
			last = (int)t;
	/* a month holds 730 h x 2.5 A100 = 1,825 A100-hours */
	print_message("planner: the work spreads over %d months (fair share "
		      "%.1f)\n", last + 1, FAIR_SHARE_H / 730);
	assert_true(last + 1 >= (int)ceil(FAIR_SHARE_H / 730 - 1e-9));
	model_plan_release(&p);
	model_scenario_release(&s);
}

static void test_simulator_rate(void **state)
{
	struct model_scenario s;
	struct model_plan p = {0};
	struct model_plan_opts opt = {.family = -1};
	struct sim_opts so = {.seed = 1, .replications = 4, .jobs = 1};
	struct sim_result r;
	struct util_err err;
	double burst;

	(void)state;
	load_scenario(narval, &s);
	burst = model_const(&s, MODEL_K_ACADEMIC_BURST);
	assert_int_equal(model_plan(&s, &opt, &p, &err), 0);
	assert_int_equal(sim_simulate(&s, &p, &so, &r, &err), 0);
	print_message("simulator: %.0f h to finish (fair share %.0f h, with "
		      "the burst factor %.0f h); wait p50 %.1f h\n",
		      r.wl[0].completion_h.mean, FAIR_SHARE_H,
		      FAIR_SHARE_H / burst, r.wl[0].wait_s.p50.mean / 3600);
	assert_true(r.wl[0].completion_h.mean >= FAIR_SHARE_H / burst);
	assert_true(r.wl[0].completion_h.mean <= FAIR_SHARE_H * 1.5);
	/* the first jobs wait in the queue for hours (p50 2 h at the share) */
	assert_true(r.wl[0].wait_s.p50.mean >= 3600);
	sim_result_release(&r);
	model_plan_release(&p);
	model_scenario_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_planner_rate),
		cmocka_unit_test(test_simulator_rate),
	};

	return cmocka_run_group_tests(tests, setup_default_catalog,
				      teardown_catalog);
}
