/* Finite rented capacity (docs/formulation.md, limits): a service or a
 * lab that needs more devices at once than an offer gives spreads over
 * offers, or the plan says it cannot; batch work over the limit is named
 * by model_plan_limits and queued by the simulator. */
#include "../../sim/sim.h"
#include "test_model.h"

/* 120 students, one L4-sized share each (the teaching-lab of the shipped
 * scenarios), with GPU-as-a-service offers limited to 40 devices. */
static const char lab[] =
	"scenario: t\nhorizon: 16w\nperiod: week\n"
	"venues:\n  allow: [gpuaas]\n"
	"performance: {max_devices_gpuaas: 40}\n"
	"workloads:\n  - name: lab\n    kind: teaching\n    students: 120\n"
	"    sessions: {per_week: 2, duration: 3h, weeks: 12}\n"
	"    per_student: {gpu_memory: 16GB, compute: 0.25 L40S}\n";

static void test_lab_spreads(void **state)
{
	struct model_scenario s;
	struct model_plan p = {0};
	struct model_plan_opts opt = {.family = -1};
	struct util_err err;

	(void)state;
	load_scenario(lab, &s);
	assert_int_equal(model_plan(&s, &opt, &p, &err), 0);
	assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
	assert_true(p.nassign >= 2); /* 60 L40S do not fit one offer */
	for (size_t i = 0; i < p.nassign; i++) {
		print_message("%s: %d devices\n", p.assign[i].venue,
			      p.assign[i].devices);
		assert_true(p.assign[i].devices <= 40);
	}
	model_plan_release(&p);
	model_scenario_release(&s);
}

/* The same lab with every offer limited to 10 devices: too few in all,
 * and the plan says so. */
static void test_lab_cannot(void **state)
{
	char *text = util_xasprintf("%s", lab);
	struct model_scenario s;
	struct model_plan p = {0};
	struct model_plan_opts opt = {.family = -1};
	struct util_err err;

	(void)state;
	memcpy(strstr(text, "40}"), "2} ", 3);
	load_scenario(text, &s);
	assert_int_equal(model_plan(&s, &opt, &p, &err), 0);
	assert_int_not_equal(p.status, MODEL_PLAN_OPTIMAL);
	assert_non_null(p.why);
	print_message("%s", p.why);
	model_plan_release(&p);
	model_scenario_release(&s);
	free(text);
}

/* 20,000 A100-hours rented on one offer, submitted all at once: the
 * planner names the limit, the simulator runs at most 64 at once, so
 * the work takes at least device-hours / 64. */
static const char sweep[] =
	"scenario: t\nhorizon: 1y\nperiod: month\n"
	"venues:\n  allow: [cloud]\n"
	"workloads:\n  - name: r\n    kind: research\n"
	"    gpu_hours: 20000 A100\n    submission: burst\n";

static void test_batch_queues(void **state)
{
	struct model_scenario s;
	struct model_plan p = {0};
	struct model_plan_opts opt = {.family = -1};
	struct sim_opts so = {.seed = 1, .replications = 2, .jobs = 1};
	struct sim_result r;
	struct util_err err;
	struct util_buf b;
	double dh = 0;

	(void)state;
	load_scenario(sweep, &s);
	assert_int_equal(model_plan(&s, &opt, &p, &err), 0);
	util_buf_init(&b);
	assert_int_equal(model_plan_limits(&s, &p, &b), 1);
	print_message("%s", util_buf_str(&b));
	util_buf_release(&b);
	for (size_t i = 0; i < p.nassign; i++)
		dh += p.assign[i].device_hours;
	assert_int_equal(sim_simulate(&s, &p, &so, &r, &err), 0);
	print_message("simulated %.0f h; %.0f device-hours / 64 = %.0f h\n",
		      r.wl[0].completion_h.mean, dh, dh / 64);
	assert_true(r.wl[0].completion_h.mean >= dh / 64);
	sim_result_release(&r);
	model_plan_release(&p);
	model_scenario_release(&s);
}

/* The limit lines of text's plan into b (initialised here); how many. */
static size_t limits_of(const char *text, struct util_buf *b)
{
	struct model_scenario s;
	struct model_plan p = {0};
	struct model_plan_opts opt = {.family = -1};
	struct util_err err;
	size_t n;

	load_scenario(text, &s);
	assert_int_equal(model_plan(&s, &opt, &p, &err), 0);
	util_buf_init(b);
	n = model_plan_limits(&s, &p, b);
	print_message("%s", util_buf_str(b));
	model_plan_release(&p);
	model_scenario_release(&s);
	return n;
}

/* The same work submitted steadily (the default) comes month by month,
 * about 3 devices at once (20,000 h over 8,760), far under 64: no
 * limit to name. Before, every day-long job counted at once: "would run
 * 834 x ... at once", a queue the simulator never formed. Over the
 * limit, it says the hours at the limit are more than the window's to
 * the end of the horizon when they are. */
static void test_steady_no_limit(void **state)
{
	char *text = util_xasprintf("%s", sweep);
	struct util_buf b;
	int at_once = 0;

	(void)state;
	*strstr(text, "    submission") = 0;
	assert_int_equal(limits_of(text, &b), 0);
	util_buf_release(&b);

	/* 2,000,000 A100-hours a year (on L40S, about 200 at once), more
	 * than 64, and more hours at 64 than the 8,760 of the year */
	memcpy(strstr(text, "20000 "), "2e6   ", 6);
	assert_int_equal(limits_of(text, &b), 1);
	assert_non_null(strstr(util_buf_str(&b),
			       "the 8,760 hours from its start to the end of "
			       "the horizon"));
	/* the plan's peak, about 200, not every day-long job (71,000) */
	assert_int_equal(sscanf(strstr(util_buf_str(&b), "would run ") + 10,
				"%d x", &at_once),
			 1);
	assert_true(at_once > 64 && at_once < 300);
	util_buf_release(&b);
	free(text);
}

/* A lab of 12 students on whole L40S, 4 owned: the split plan puts a
 * third on the owned server and says so; with one_venue it is whole and
 * says nothing. */
static void test_split_sessions(void **state)
{
	static const char *const keys[] = {"    one_venue: false\n",
					   "    one_venue: true\n"};

	(void)state;
	for (int k = 0; k < 2; k++) {
		char text[1024];
		struct model_scenario s;
		struct model_plan p = {0};
		struct model_plan_opts opt = {.family = -1};
		struct util_err err;
		struct util_buf b;

		snprintf(text, sizeof(text),
			 "scenario: t\nhorizon: 13w\nperiod: week\n"
			 "venues:\n  allow: [onprem, gpuaas]\n"
			 "  onprem: {owned: {L40S: 4}}\n"
			 "workloads:\n  - name: lab\n    kind: teaching\n"
			 "%s    students: 12\n"
			 "    sessions: {per_week: 2, duration: 3h, weeks: 12}\n"
			 "    per_student: {gpu_memory: 40GB, compute: 1 L40S}\n",
			 keys[k]);
		load_scenario(text, &s);
		assert_int_equal(model_plan(&s, &opt, &p, &err), 0);
		util_buf_init(&b);
		assert_int_equal(model_plan_split_sessions(&s, &p, &b), 1 - k);
		if (!k)
			assert_non_null(strstr(util_buf_str(&b),
					       "split: 'lab' runs its sessions "
					       "on more than one venue ("));
		util_buf_release(&b);
		model_plan_release(&p);
		model_scenario_release(&s);
	}
}

/* The lab above given twice (every 13 weeks), split the same way each
 * time: one line names the course and its occurrences, where a line
 * per occurrence repeated itself; the count is still per occurrence. */
static void test_split_sessions_recurring(void **state)
{
	static const char text[] =
		"scenario: t\nhorizon: 26w\nperiod: week\n"
		"venues:\n  allow: [onprem, gpuaas]\n"
		"  onprem: {owned: {L40S: 4}}\n"
		"workloads:\n  - name: lab\n    kind: teaching\n"
		"    one_venue: false\n    every: 13w\n    students: 12\n"
		"    sessions: {per_week: 2, duration: 3h, weeks: 12}\n"
		"    per_student: {gpu_memory: 40GB, compute: 1 L40S}\n";
	struct model_scenario s;
	struct model_plan p = {0};
	struct model_plan_opts opt = {.family = -1};
	struct util_err err;
	struct util_buf b;

	(void)state;
	load_scenario(text, &s);
	assert_int_equal(model_plan(&s, &opt, &p, &err), 0);
	util_buf_init(&b);
	assert_int_equal(model_plan_split_sessions(&s, &p, &b), 2);
	assert_non_null(strstr(util_buf_str(&b),
			       "split: 'lab' (1, 2) runs its sessions on more "
			       "than one venue ("));
	assert_null(strstr(util_buf_str(&b), "'lab.2'"));
	util_buf_release(&b);
	model_plan_release(&p);
	model_scenario_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lab_spreads),
		cmocka_unit_test(test_lab_cannot),
		cmocka_unit_test(test_batch_queues),
		cmocka_unit_test(test_steady_no_limit),
		cmocka_unit_test(test_split_sessions),
		cmocka_unit_test(test_split_sessions_recurring),
	};

	return cmocka_run_group_tests(tests, setup_default_catalog,
				      teardown_catalog);
}
