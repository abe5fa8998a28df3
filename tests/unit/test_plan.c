/* The planner on small models whose optimum is known on paper: one
 * accelerator X1, rented at 1/h (spot 0.5/h) or bought for 4000 with a
 * one-year life and free power. */
#include <glpk.h>
#include <string.h>
#include <unistd.h>

#include "test_model.h"

static const char catalog_text[] =
	"catalog: paper\n"
	"accelerators:\n"
	"  - {name: X1, vendor: T, class: datacenter, memory_gb: 80,\n"
	"     bandwidth_gbs: 1000, tdp_w: 500, tflops: {bf16: 100},\n"
	"     source: test, as_of: 2026-01-01}\n"
	"offers:\n"
	"  - {id: rent-x1, family: cloud, provider: p, accelerator: X1,\n"
	"     price_hour: 1.0, provision_min: 1, source: t, as_of: 2026-01-01}\n"
	"  - {id: spot-x1, family: cloud-spot, provider: p, accelerator: X1,\n"
	"     price_hour: 0.5, preemption_per_hour: 0.1, provision_min: 1,\n"
	"     source: t, as_of: 2026-01-01}\n"
	"  - {id: buy-x1, family: onprem, provider: own, accelerator: X1,\n"
	"     capex: 4000, lifetime_years: 1, power_w: 1000,\n"
	"     maintenance_pct_year: 0, lead_time_weeks: 0,\n"
	"     electricity_kwh: 0, pue: 1, source: t, as_of: 2026-01-01}\n";

static int setup(void **state)
{
	struct util_diags d;
	int rc;

	(void)state;
	util_diags_init(&d);
	pricing_catalog_init(&catalog);
	rc = pricing_catalog_load_buffer(&catalog, "paper.yaml", catalog_text,
					 strlen(catalog_text), &d);
	for (size_t i = 0; i < d.n; i++)
		print_error("%d:%d: %s\n", d.v[i].line, d.v[i].col,
			    d.v[i].msg);
	util_diags_release(&d);
	return rc;
}

/* Plans a scenario given as text; fails the test if it does not load. */
static void plan(const char *text, struct model_scenario *s,
		 struct model_plan *p)
{
	struct model_plan_opts opt = {.family = -1};
	struct util_err err;

	load_scenario(text, s);
	if (model_plan(s, &opt, p, &err))
		fail_msg("plan: %s", err.msg);
}

static double share_on(const struct model_plan *p, const char *venue)
{
	double share = 0;

	for (size_t i = 0; i < p->nassign; i++)
		if (!strcmp(p->assign[i].venue, venue))
			share += p->assign[i].share;
	return share;
}

static void done(struct model_scenario *s, struct model_plan *p, char *text)
{
	model_plan_release(p);
	model_scenario_release(s);
	free(text);
}

static char *research(const char *hours, const char *allow, const char *extra)
{
	return util_xasprintf(
		"scenario: t\nhorizon: 1y\nperiod: month\n%s"
		"venues:\n  allow: [%s]\n"
		"  onprem: {buy: {X1: {max: 10, lead_time: 0s}}}\n"
		"performance: {onprem_availability: 1}\n"
		"workloads:\n  - name: r\n    kind: research\n"
		"    max_wait: none\n" /* the pool may be planned full */
		"    gpu_hours: %s X1\n",
		extra, allow, hours);
}

/* Renting costs 1 per hour; a device costs 4000 and works 8760 h. Below
 * 4000 hours renting wins; above, one device, and past 8760 hours the
 * rest is rented rather than a second device bought. */
static void test_buy_or_rent(void **state)
{
	static const struct {
		const char *hours;
		long bought;
		double total;
	} cases[] = {{"3000", 0, 3000}, {"6000", 1, 4000},
		     {"10000", 1, 4000 + 10000 - 8760}};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *text = research(cases[i].hours, "cloud, onprem", "");
		struct model_scenario s;
		struct model_plan p;

		plan(text, &s, &p);
		assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
		assert_near(p.total_cost, cases[i].total, 1e-6);
		assert_int_equal(p.nbuy, cases[i].bought ? 1 : 0);
		if (p.nbuy)
			assert_int_equal(p.buy[0].count, cases[i].bought);
		/* what the solver minimised is the total here: no fixed cost */
		assert_near(p.objective, p.total_cost, 1e-9);
		done(&s, &p, text);
	}
}

/* Spot costs 0.5/h but reworks 0.1 x (1/2 + 1/6) = 1/15 of the work: it
 * wins a 100-hour job when the deadline leaves room for the rework, and is
 * ruled out when it does not. */
static void test_spot_needs_slack(void **state)
{
	static const struct {
		const char *deadline;
		const char *venue;
		double total;
	} cases[] = {{"200h", "spot-x1", 100 * 0.5 * (1 + 1.0 / 15)},
		     {"104h", "rent-x1", 100}};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *text = util_xasprintf(
			"scenario: t\nhorizon: 1y\nperiod: month\n"
			"venues: {allow: [cloud, cloud-spot]}\n"
			"workloads:\n  - name: job\n    kind: research\n"
			"    jobs: {count: 1, gpus: 1, hours: 100 X1}\n"
			"    deadline: %s\n",
			cases[i].deadline);
		struct model_scenario s;
		struct model_plan p;

		plan(text, &s, &p);
		assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
		assert_near(share_on(&p, cases[i].venue), 1, 1e-9);
		assert_near(p.total_cost, cases[i].total, 1e-6);
		done(&s, &p, text);
	}
}

/* Owned devices burn 10/h of power, renting costs 1/h: renting wins,
 * unless the workload is sovereign. */
static void test_sovereign(void **state)
{
	static const char *const extras[] = {"", "constraints: {sovereign: "
						 "[r]}\n"};

	(void)state;
	for (int i = 0; i < 2; i++) {
		char *text = util_xasprintf(
			"scenario: t\nhorizon: 1y\n%s"
			"venues:\n  allow: [cloud, onprem]\n"
			"  onprem: {owned: {X1: 2}, electricity: 10/kWh}\n"
			"workloads:\n  - name: r\n    kind: research\n"
			"    gpu_hours: 1000 X1\n",
			extras[i]);
		struct model_scenario s;
		struct model_plan p;

		plan(text, &s, &p);
		assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
		assert_near(share_on(&p, i ? "buy-x1" : "rent-x1"), 1,
			    1e-9);
		/* owned: 1000 h x (500 W x 0.8 busy + 500 W host) x 10 */
		assert_near(p.total_cost, i ? 1000 * 0.9 * 10.0 : 1000, 1e-6);
		done(&s, &p, text);
	}
}

/* Residency: X1 rented in Canada at 2/h and in France at 1.5/h beside
 * the paper's 1/h offer in no known country, and an owned device in the
 * scenario's country (0.9 kWh an hour at 1.5/kWh: 1.35/h). The rule picks
 * the cheapest venue in its countries; a rule no venue meets leaves no
 * plan, and the reason names the rule. */
static void test_residency(void **state)
{
	static const struct {
		const char *rule, *country, *venue;
		double cost; /* 0: infeasible */
	} cases[] = {
		{"", "CA", "rent-x1", 100},
		{"    residency: CA\n", "", "rent-ca", 200},
		{"    residency: eu\n", "", "rent-fr", 150},
		{"    residency: [DE, FR]\n", "", "rent-fr", 150},
		{"    residency: US\n", "", NULL, 0},
		/* on premises in Canada, cheaper than renting there */
		{"    residency: CA\n", "CA", "buy-x1", 100 * 1.35},
		{"", "", NULL, -1}, /* constraints.residency for everyone */
	};

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(cases); i++) {
		bool global = cases[i].cost < 0;
		char *text = util_xasprintf(
			"scenario: t\nhorizon: 1y\n%s%s%s%s"
			"catalog:\n  offers:\n"
			"    - {id: rent-ca, family: cloud, provider: p, "
			"country: ca, accelerator: X1, price_hour: 2, "
			"source: t, as_of: 2026-01-01}\n"
			"    - {id: rent-fr, family: cloud, provider: p, "
			"country: FR, accelerator: X1, price_hour: 1.5, "
			"source: t, as_of: 2026-01-01}\n"
			"venues:\n  allow: [cloud, onprem]\n"
			"  onprem: {owned: {X1: 1}, electricity: 1.5/kWh}\n"
			"workloads:\n  - name: r\n    kind: research\n"
			"    max_wait: none\n    gpu_hours: 100 X1\n%s",
			cases[i].country[0] ? "country: " : "",
			cases[i].country, cases[i].country[0] ? "\n" : "",
			global ? "constraints: {residency: [FR]}\n" : "",
			cases[i].rule);
		struct model_scenario s;
		struct model_plan p;

		plan(text, &s, &p);
		if (global) {
			assert_int_equal(s.workloads[0].residency.ncountries,
					 1);
			assert_near(share_on(&p, "rent-fr"), 1, 1e-9);
		} else if (!cases[i].venue) {
			assert_int_equal(p.status, MODEL_PLAN_INFEASIBLE);
			assert_non_null(strstr(p.why, "outside US, where 'r' "
						      "must stay (residency)"));
		} else {
			assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
			assert_near(share_on(&p, cases[i].venue), 1, 1e-9);
			assert_near(p.total_cost, cases[i].cost, 1e-6);
		}
		done(&s, &p, text);
	}
}

/* Sessions on one venue: 20 students x 0.5 X1 need 10 devices at once;
 * 4 owned (free power) are cheaper than renting, so with one_venue:
 * false the LP puts 40% of each session on them and the rest on the
 * rented offer. By default (a scenario of at most MODEL_WHOLE_COURSES
 * courses) and with one_venue: true the whole session goes to the one
 * venue that can hold it, the rented offer. With a cap of 8 rented
 * devices no venue can hold it, and the reason says so, with the venue
 * that holds the most (16 of the 20 students) and the shortfall. */
static void test_one_venue(void **state)
{
	static const struct {
		const char *key;
		bool cap;
		double rented; /* share; < 0: infeasible */
	} cases[] = {
		{"", false, 1}, /* the default: whole */
		{"    one_venue: true\n", false, 1},
		{"    one_venue: false\n", false, 0.6},
		{"    one_venue: true\n", true, -1},
		{"", true, -1},
		{"    one_venue: false\n", true, 0.6},
	};

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(cases); i++) {
		char *text = util_xasprintf(
			"scenario: t\nhorizon: 4w\nperiod: week\n%s"
			"venues:\n  allow: [cloud, onprem]\n"
			"  onprem: {owned: {X1: 4}}\n"
			"workloads:\n  - name: c\n    kind: teaching\n"
			"    students: 20\n"
			"    sessions: {per_week: 1, duration: 2h, weeks: 4}\n"
			"    per_student: {gpu_memory: 8GB, compute: 0.5 X1}\n"
			"%s",
			cases[i].cap
				? "catalog:\n  offers:\n"
				  "    - {id: rent-x1, family: cloud, provider: "
				  "p, accelerator: X1, price_hour: 1.0, "
				  "provision_min: 1, max_devices: 8, source: t, "
				  "as_of: 2026-01-01}\n"
				: "",
			cases[i].key);
		struct model_scenario s;
		struct model_plan p;

		plan(text, &s, &p);
		assert_int_equal(s.workloads[0].teaching.one_venue,
				 strstr(cases[i].key, "false") == NULL);
		if (cases[i].rented < 0) {
			assert_int_equal(p.status, MODEL_PLAN_INFEASIBLE);
			assert_non_null(strstr(p.why, "no single venue can "
						      "hold every session of "
						      "'c'"));
			/* the shortfall: 8 rented devices x 2 students */
			assert_non_null(strstr(
			    p.why, "'c': the largest venue, p (cloud), holds "
				   "16 of its 20 students at once: short by 4, "
				   "in every session week from week 1"));
		} else {
			assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
			assert_near(share_on(&p, "rent-x1"), cases[i].rented,
				    1e-6);
		}
		done(&s, &p, text);
	}
}

/* The closed loop's later rounds keep a course on the venue the round
 * before's search chose (model_plan_opts.keep_venues): here a plan that
 * had it on rent-y (two X1 at 3/h, provider q; another size, so not
 * dropped as dearer), where rent-x1 costs 1/h a device, keeps it there
 * (kept); with rechoose it chooses again (rent-x1); a plan made without
 * a venue search keeps nothing. When rent-y gives at most 4 devices at
 * once, the course (10 at once) kept there has no plan, and the plan
 * says it kept venues, for the loop to plan again without them. */
static void test_keep_venues(void **state)
{
	static const char *const caps[] = {"", "", "", ", max_devices: 4"};
	struct model_plan_opts opt = {.family = -1};
	struct model_plan_assignment a = {0};
	struct model_plan prev = {0}, p;
	char venue[] = "rent-y";
	bool rechoose = false;

	(void)state;
	a.venue = venue;
	a.share = 1;
	prev.assign = &a;
	prev.nassign = 1;
	opt.keep_venues = &prev;
	opt.rechoose = &rechoose;
	for (int k = 0; k < 4; k++) {
		char *text = util_xasprintf(
			"scenario: t\nhorizon: 4w\nperiod: week\n"
			"catalog:\n  offers:\n"
			"    - {id: rent-y, family: cloud, provider: q, "
			"accelerator: X1, count: 2, price_hour: 3.0, "
			"provision_min: 1, source: t, as_of: 2026-01-01%s}\n"
			"venues: {allow: [cloud]}\n"
			"workloads:\n  - name: c\n    kind: teaching\n"
			"    students: 20\n"
			"    sessions: {per_week: 1, duration: 2h, weeks: 4}\n"
			"    per_student: {gpu_memory: 8GB, compute: 0.5 X1}\n",
			caps[k]);
		struct model_scenario s;
		struct util_err err;

		load_scenario(text, &s);
		a.w = &s.workloads[0];
		rechoose = k == 1;
		prev.venue_search = k != 2;
		if (model_plan(&s, &opt, &p, &err))
			fail_msg("plan: %s", err.msg);
		assert_int_equal(p.kept, k == 0 || k == 3);
		if (k == 3) {
			assert_int_equal(p.status, MODEL_PLAN_INFEASIBLE);
		} else {
			assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
			assert_near(share_on(&p, k ? "rent-x1" : "rent-y"), 1,
				    1e-9);
			assert_int_equal(p.venue_search, k == 0);
		}
		done(&s, &p, text);
	}
}

/* Two courses at once, three venues: rent-a (X4, 1/h, 12 devices at
 * once), rent-b (X2, 1.3/h, no cap) and the on-prem pool of X3 (6 owned,
 * free power, up to 10 more for 4000 each); X2 to X4 are X1's twins,
 * which only these offers have. Course a needs 10 devices at once,
 * course b 8: rent-a holds one of them, not both, nor can the pool.
 * Each of the nine pairs of venues is planned with the courses held to
 * it (`accelerators:`), and the plan with the three venues open costs
 * the least of them, with each course on one venue. */
static char *two_courses(const char *acc_a, const char *acc_b)
{
	return util_xasprintf(
		"scenario: t\nhorizon: 4w\nperiod: week\n"
		"catalog:\n"
		"  accelerators:\n"
		"    - {name: X2, vendor: T, class: datacenter, memory_gb: 80, "
		"bandwidth_gbs: 1000, tdp_w: 500, tflops: {bf16: 100}, "
		"source: t, as_of: 2026-01-01}\n"
		"    - {name: X3, vendor: T, class: datacenter, memory_gb: 80, "
		"bandwidth_gbs: 1000, tdp_w: 500, tflops: {bf16: 100}, "
		"source: t, as_of: 2026-01-01}\n"
		"    - {name: X4, vendor: T, class: datacenter, memory_gb: 80, "
		"bandwidth_gbs: 1000, tdp_w: 500, tflops: {bf16: 100}, "
		"source: t, as_of: 2026-01-01}\n"
		"  offers:\n"
		"    - {id: rent-a, family: cloud, provider: p, accelerator: X4, "
		"price_hour: 1.0, provision_min: 1, max_devices: 12, "
		"source: t, as_of: 2026-01-01}\n"
		"    - {id: rent-b, family: cloud, provider: q, accelerator: X2, "
		"price_hour: 1.3, provision_min: 1, source: t, "
		"as_of: 2026-01-01}\n"
		"    - {id: buy-x3, family: onprem, provider: own, "
		"accelerator: X3, capex: 4000, lifetime_years: 1, "
		"power_w: 1000, maintenance_pct_year: 0, lead_time_weeks: 0, "
		"electricity_kwh: 0, pue: 1, source: t, as_of: 2026-01-01}\n"
		"venues:\n  allow: [cloud, onprem]\n"
		"  onprem: {owned: {X3: 6}, buy: {X3: {max: 10, "
		"lead_time: 0s}}}\n"
		"workloads:\n"
		"  - name: a\n    kind: teaching\n    one_venue: true\n"
		"    students: 20\n"
		"    sessions: {per_week: 2, duration: 3h, weeks: 4}\n"
		"    per_student: {gpu_memory: 8GB, compute: 0.5 X1}\n%s"
		"  - name: b\n    kind: teaching\n    one_venue: true\n"
		"    students: 16\n"
		"    sessions: {per_week: 2, duration: 3h, weeks: 4}\n"
		"    per_student: {gpu_memory: 8GB, compute: 0.5 X1}\n%s",
		acc_a, acc_b);
}

/* How many venues course w is on in p. */
static int venues_of(const struct model_plan *p, const char *w)
{
	int n = 0;

	for (size_t i = 0; i < p->nassign; i++)
		n += !strcmp(p->assign[i].w->name, w) &&
		     p->assign[i].share > 1e-9;
	return n;
}

static void test_one_venue_exhaustive(void **state)
{
	static const char *const only[] = {
		"    accelerators: [X4]\n", "    accelerators: [X2]\n",
		"    accelerators: [X3]\n"};
	static const char any[] = "    accelerators: [X2, X3, X4]\n";
	double best = -1;
	char *text;
	struct model_scenario s;
	struct model_plan p;

	(void)state;
	for (int i = 0; i < 9; i++) {
		text = two_courses(only[i / 3], only[i % 3]);
		plan(text, &s, &p);
		if (p.status == MODEL_PLAN_OPTIMAL &&
		    (best < 0 || p.total_cost < best))
			best = p.total_cost;
		if (i == 0 || i == 8) /* rent-a, the pool: not both */
			assert_int_equal(p.status, MODEL_PLAN_INFEASIBLE);
		done(&s, &p, text);
	}
	text = two_courses(any, any);
	plan(text, &s, &p);
	assert_true(best > 0);
	assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
	assert_near(p.total_cost, best, 1e-6);
	assert_int_equal(venues_of(&p, "a"), 1);
	assert_int_equal(venues_of(&p, "b"), 1);
	done(&s, &p, text);
}

/* Stopped at its first plan (model_plan_opts.first_plan), the search
 * with whole sessions still gives a plan: the rounding's (model/
 * plan_round.c), each course on one venue, no cheaper than the optimum,
 * and its gap to the bound said. A third course of 7 devices makes the
 * relaxation split one (the two alone close without branching). */
static void test_one_venue_first_plan(void **state)
{
	static const char any[] = "    accelerators: [X2, X3, X4]\n";
	char *two = two_courses(any, any);
	char *text = util_xasprintf(
		"%s  - name: c\n    kind: teaching\n    one_venue: true\n"
		"    students: 14\n"
		"    sessions: {per_week: 2, duration: 3h, weeks: 4}\n"
		"    per_student: {gpu_memory: 8GB, compute: 0.5 X1}\n%s",
		two, any);
	struct model_scenario s;
	struct model_plan p[2];
	struct util_err err;

	(void)state;
	load_scenario(text, &s);
	for (int i = 0; i < 2; i++) {
		struct model_plan_opts opt = {.family = -1,
					      .first_plan = i == 1};

		if (model_plan(&s, &opt, &p[i], &err))
			fail_msg("plan: %s", err.msg);
		assert_int_equal(venues_of(&p[i], "a"), 1);
		assert_int_equal(venues_of(&p[i], "b"), 1);
		assert_int_equal(venues_of(&p[i], "c"), 1);
	}
	assert_int_equal(p[0].status, MODEL_PLAN_OPTIMAL);
	assert_int_equal(p[1].status, MODEL_PLAN_FEASIBLE);
	assert_true(p[1].total_cost >= p[0].total_cost - 1e-6);
	assert_true(p[1].gap >= 0 && p[1].gap < 1);
	for (int i = 0; i < 2; i++)
		model_plan_release(&p[i]);
	model_scenario_release(&s);
	free(text);
	free(two);
}

/* The solve with whole sessions starts from the split plan's optimal
 * basis (model/plan.c, whole_sessions), not from scratch (cold_whole):
 * the plan is the same optimum, each course on one venue; with the
 * caller's warm start (o->warm, as the closed loop gives) too. */
static void test_one_venue_warm(void **state)
{
	char *text = two_courses("    accelerators: [X2, X3, X4]\n",
				 "    accelerators: [X2, X3, X4]\n");
	struct model_scenario s;
	struct model_plan p[3];
	struct model_plan_warm *warm = model_plan_warm_new();
	struct util_err err;

	(void)state;
	load_scenario(text, &s);
	for (int i = 0; i < 3; i++) {
		struct model_plan_opts opt = {.family = -1,
					      .cold_whole = i == 1,
					      .warm = i == 2 ? warm : NULL};

		if (model_plan(&s, &opt, &p[i], &err))
			fail_msg("plan: %s", err.msg);
		assert_int_equal(p[i].status, MODEL_PLAN_OPTIMAL);
		assert_true(p[i].integers > 0); /* the second solve's */
		assert_int_equal(venues_of(&p[i], "a"), 1);
		assert_int_equal(venues_of(&p[i], "b"), 1);
	}
	/* another start, another path (21 iterations against 19 from
	 * presolve's start here: on a model this small the warm start saves
	 * none; on bench/gen.sh 400 200, 3,945 against 36,955) */
	assert_int_not_equal(p[0].iterations, p[1].iterations);
	assert_near(p[0].total_cost, p[1].total_cost, 1e-6);
	assert_near(p[2].total_cost, p[1].total_cost, 1e-6);
	assert_int_equal(model_plan_warm_applied(warm), 1);
	for (int i = 0; i < 3; i++)
		model_plan_release(&p[i]);
	model_plan_warm_free(warm);
	model_scenario_release(&s);
	free(text);
}

/* The venue of a split course is the cheapest one that holds it, not the
 * one the split plan used most: 6 owned X1 hold 60% of the 10 devices at
 * once, and 4 more could be bought, but renting all 10 costs less than
 * buying 4. The plan costs what the better of the two one-venue plans
 * (allow: [cloud] and allow: [onprem]) costs. */
static void test_one_venue_cheapest(void **state)
{
	static const char *const allow[] = {"cloud, onprem", "cloud",
					    "onprem"};
	double cost[3];

	(void)state;
	for (int i = 0; i < 3; i++) {
		char *text = util_xasprintf(
			"scenario: t\nhorizon: 4w\nperiod: week\n"
			"venues:\n  allow: [%s]\n"
			"  onprem: {owned: {X1: 6}, "
			"buy: {X1: {max: 10, lead_time: 0s}}}\n"
			"workloads:\n  - name: c\n    kind: teaching\n"
			"    students: 20\n"
			"    sessions: {per_week: 1, duration: 2h, weeks: 4}\n"
			"    per_student: {gpu_memory: 8GB, compute: 0.5 X1}\n"
			"    one_venue: true\n",
			allow[i]);
		struct model_scenario s;
		struct model_plan p;

		plan(text, &s, &p);
		assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
		cost[i] = p.total_cost;
		if (i == 0)
			assert_near(share_on(&p, "rent-x1"), 1, 1e-6);
		done(&s, &p, text);
	}
	assert_true(cost[1] < cost[2]);
	assert_near(cost[0], cost[1], 1e-6 * cost[1]);
}

/* The LP relaxation of lp, with or without the rows whose names start
 * with prefix (NULL: all rows). */
static double relaxation(const char *path, const char *prefix)
{
	glp_prob *lp = glp_create_prob();
	glp_smcp sm;
	int n = 0, *del;
	double obj;

	glp_term_out(GLP_OFF);
	assert_int_equal(glp_read_lp(lp, NULL, path), 0);
	del = util_xcalloc((size_t)glp_get_num_rows(lp) + 1, sizeof(int));
	for (int i = 1; prefix && i <= glp_get_num_rows(lp); i++)
		if (!strncmp(glp_get_row_name(lp, i), prefix, strlen(prefix)))
			del[++n] = i;
	if (n)
		glp_del_rows(lp, n, del);
	glp_init_smcp(&sm);
	assert_int_equal(glp_simplex(lp, &sm), 0);
	obj = glp_get_obj_val(lp);
	free(del);
	glp_delete_prob(lp);
	glp_term_out(GLP_ON);
	return obj;
}

/* The venue rows bind (plan_glpk.c, venue_rows): a course of 10 devices
 * at once, 6 owned X1 with up to 10 more to buy, or a rented offer. The
 * LP with y[c, onprem] = 0.6 puts 60% of each session on the 6 owned
 * devices and buys nothing; the hull row (at y = 1, 4 devices bought)
 * makes that share cost its part of 4 devices, which raises the
 * relaxation; the branch and bound's optimum is unchanged. */
static void test_one_venue_hull(void **state)
{
	char path[] = "/tmp/gpuplan-lp-XXXXXX";
	char *text = util_xasprintf(
		"scenario: t\nhorizon: 4w\nperiod: week\n"
		"venues:\n  allow: [cloud, onprem]\n"
		"  onprem: {owned: {X1: 6}, "
		"buy: {X1: {max: 10, lead_time: 0s}}}\n"
		"workloads:\n  - name: c\n    kind: teaching\n"
		"    students: 20\n"
		"    sessions: {per_week: 1, duration: 2h, weeks: 4}\n"
		"    per_student: {gpu_memory: 8GB, compute: 0.5 X1}\n"
		"    one_venue: true\n");
	struct model_plan_opts opt = {.family = -1, .dump_lp = path};
	struct model_scenario s;
	struct model_plan p;
	struct util_err err;
	double with, without;

	(void)state;
	assert_true(mkstemp(path) >= 0);
	load_scenario(text, &s);
	assert_int_equal(model_plan(&s, &opt, &p, &err), 0);
	assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
	assert_near(share_on(&p, "rent-x1"), 1, 1e-6);
	with = relaxation(path, NULL);
	without = relaxation(path, "hull_");
	assert_true(with > without + 1);
	assert_true(with <= p.objective + 1e-6 * p.objective);
	unlink(path);
	done(&s, &p, text);
}

/* The cheapest plan for 6000 hours costs 4000: a budget of 1000 cannot
 * hold it, and the explanation says so. */
static void test_budget(void **state)
{
	char *text = research("6000", "cloud, onprem",
			      "constraints: {budget: 1000}\n");
	struct model_scenario s;
	struct model_plan p;

	(void)state;
	plan(text, &s, &p);
	assert_int_equal(p.status, MODEL_PLAN_INFEASIBLE);
	assert_non_null(p.why);
	assert_non_null(strstr(p.why, "the budget of 1,000 USD is too "
				      "small: the cheapest plan costs "
				      "4,000 USD"));
	done(&s, &p, text);
}

/* Entities' budgets bound their workloads' costs: one owned device (8760
 * free hours) and renting at 1/h for two workloads of 6000 hours, one
 * per entity. 3240 hours must be rented, whoever rents them; a budget of
 * 0 for e1 puts all of e1's work on the device and e2 rents 3240 (which
 * split of the rent a lone budget leaves is the solver's choice among
 * equal costs); 0 for both has no plan, and the message names an
 * entity. */
static char *entities(const char *budget1, const char *budget2)
{
	return util_xasprintf(
		"scenario: t\nhorizon: 1y\nperiod: month\n"
		"venues:\n  allow: [cloud, onprem]\n"
		"  onprem: {owned: {X1: 1}}\n"
		"performance: {onprem_availability: 1}\n"
		"entities:\n  - {name: e1%s}\n  - {name: e2%s}\n"
		"workloads:\n"
		"  - {name: a, entity: e1, kind: research, max_wait: none,\n"
		"     gpu_hours: 6000 X1}\n"
		"  - {name: b, entity: e2, kind: research, max_wait: none,\n"
		"     gpu_hours: 6000 X1}\n",
		budget1, budget2);
}

static void test_entity_budget(void **state)
{
	/* each entity's cost at most its budget (-1: none); with both
	 * budgets the 3240 of rent has one split only */
	static const struct {
		const char *b1, *b2;
		double max1, max2;
	} cases[] = {
		{"", "", -1, -1},
		{", budget: 0", "", 0, -1},
		{"", ", budget: 1000", -1, 1000},
		{", budget: 2240", ", budget: 1000", 2240, 1000},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = entities(cases[i].b1, cases[i].b2);
		struct model_entity_total t[2];
		struct model_scenario s;
		struct model_plan p;

		plan(text, &s, &p);
		assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
		assert_near(p.total_cost, 3240, 0.01);
		model_plan_entity_totals(&s, &p, t);
		assert_near(t[0].cost + t[1].cost, 3240, 0.01);
		assert_near(t[0].device_hours + t[1].device_hours, 12000, 0.01);
		if (cases[i].max1 >= 0)
			assert_true(t[0].cost <= cases[i].max1 + 0.01);
		if (cases[i].max2 >= 0)
			assert_true(t[1].cost <= cases[i].max2 + 0.01);
		done(&s, &p, text);
	}
}

static void test_entity_budget_infeasible(void **state)
{
	char *text = entities(", budget: 0", ", budget: 0");
	struct model_scenario s;
	struct model_plan p;

	(void)state;
	plan(text, &s, &p);
	assert_int_equal(p.status, MODEL_PLAN_INFEASIBLE);
	assert_non_null(p.why);
	assert_non_null(strstr(p.why, "the budget of entity 'e"));
	assert_non_null(strstr(p.why, "(0.00 USD, line "));
	done(&s, &p, text);
}

/* A service needing one device all year: a bought device only works
 * after its lead time of 13 weeks (3 months), the cloud covers the start.
 * 4000 + 3 months x 730 h x 1/h. */
static void test_lead_time(void **state)
{
	static const char text[] =
		"scenario: t\nhorizon: 1y\nperiod: month\n"
		"venues:\n  allow: [cloud, onprem]\n"
		"  onprem: {buy: {X1: {max: 4, lead_time: 13w}}}\n"
		"performance: {onprem_availability: 1}\n"
		"workloads:\n  - name: svc\n    kind: inference\n"
		"    model: {compute: 1GFLOP, params: 1M, precision: bf16}\n"
		"    rate: 100/s\n";
	struct model_scenario s;
	struct model_plan p;

	(void)state;
	plan(text, &s, &p);
	assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
	assert_int_equal(p.nbuy, 1);
	assert_int_equal(p.buy[0].count, 1);
	assert_int_equal(p.buy[0].available_period, 3);
	assert_near(p.total_cost, 4000 + 3 * 730.0, 1e-6);
	assert_near(share_on(&p, "rent-x1"), 0.25, 1e-9);
	for (size_t i = 0; i < p.nassign; i++) /* rent only before month 4 */
		if (!strcmp(p.assign[i].venue, "rent-x1"))
			assert_near(p.assign[i].period_device_hours[3], 0, 0);
	model_plan_release(&p);
	model_scenario_release(&s);
}

/* Demand over time (issue 25): 12000 X1-hours with a monthly profile
 * of 1 for six months then 3 are 500 h a month, then 1500, rented as
 * they come; with no profile, 1000 every month; 5%/month growth gives
 * month 11 1.05^11 times month 0. */
static void test_demand_profile(void **state)
{
	static const struct {
		const char *extra;
		double m0, m6, m11;
	} cases[] = {
		{"", 1000, 1000, 1000},
		{"    monthly: [1, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3]\n", 500,
		 1500, 1500},
		{"    growth: 5%/month\n", 12000 / 15.9171265,
		 12000 * 1.34009564 / 15.9171265,
		 12000 * 1.71033936 / 15.9171265},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *base = research("12000", "cloud", "");
		char *text = util_xasprintf("%s%s", base, cases[i].extra);
		struct model_scenario s;
		struct model_plan p;
		const double *pdh;

		plan(text, &s, &p);
		assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
		assert_int_equal(p.nassign, 1);
		pdh = p.assign[0].period_device_hours;
		assert_near(pdh[0], cases[i].m0, 1e-3);
		assert_near(pdh[6], cases[i].m6, 1e-3);
		assert_near(pdh[11], cases[i].m11, 1e-3);
		assert_near(p.total_cost, 12000, 1e-6);
		free(base);
		done(&s, &p, text);
	}
}

/* A weight for each month of a 13-month horizon (what an import of 13
 * months writes): 1300 X1-hours weighed [2, 1 x 11, 0] are 200 h in
 * month 0, 100 in months 1-11 and none in month 12, which 12 weights
 * repeated each year would give month 0's 2 (a second January). */
static void test_demand_whole_horizon(void **state)
{
	char *text = util_xasprintf(
		"scenario: t\nhorizon: 13mo\nperiod: month\n"
		"venues:\n  allow: [cloud]\n"
		"workloads:\n  - name: r\n    kind: research\n"
		"    max_wait: none\n    gpu_hours: 1300 X1\n"
		"    monthly: [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]\n");
	struct model_scenario s;
	struct model_plan p;
	const double *pdh;

	(void)state;
	plan(text, &s, &p);
	assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
	assert_int_equal(p.nassign, 1);
	assert_int_equal(p.nperiods, 13);
	pdh = p.assign[0].period_device_hours;
	assert_near(pdh[0], 200, 1e-3);
	assert_near(pdh[1], 100, 1e-3);
	assert_near(pdh[11], 100, 1e-3);
	assert_near(pdh[12], 0, 1e-3);
	done(&s, &p, text);
}

/* flexible: 2190 X1-hours all come in month 0, and one owned X1 (free to
 * run) gives 730 h a month. Served in month 0, 1460 h are rented at 1/h;
 * with `flexible: 2mo` the pool does it all in months 0-2 for nothing;
 * with 1mo, 1460 h on the pool in months 0-1 and 730 h rented. */
static void test_demand_flexible(void **state)
{
	static const struct {
		const char *flex;
		double rented;
	} cases[] = {{"", 1460}, {"    flexible: 1mo\n", 730},
		     {"    flexible: 2mo\n", 0},
		     /* waiting at 2/h for all the work: a month's wait of
		      * a third of it costs 486.67, more than renting it
		      * (730) for the third served two months late, less
		      * for the one a month late (break-even 3/h) */
		     {"    flexible: 2mo\n    delay_cost: 48/day\n", 730}};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *text = util_xasprintf(
			"scenario: t\nhorizon: 1y\nperiod: month\n"
			"venues:\n  allow: [cloud, onprem]\n"
			"  onprem: {owned: {X1: 1}}\n"
			"performance: {onprem_availability: 1}\n"
			"workloads:\n  - name: r\n    kind: research\n"
			"    max_wait: none\n    gpu_hours: 2190 X1\n"
			"    monthly: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n%s",
			cases[i].flex);
		struct model_scenario s;
		struct model_plan p;

		plan(text, &s, &p);
		assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
		assert_near(p.total_cost, cases[i].rented, 1e-6);
		assert_near(share_on(&p, "rent-x1") * 2190, cases[i].rented,
			    1e-6);
		assert_near(p.delay, i == 3 ? 730.0 * 2 / 3 : 0, 1e-6);
		done(&s, &p, text);
	}
}

/* Purchases over time (issue 25): one owned X1 gives 730 h a month;
 * the work needs 657 h a month for six months, then 1314. A second X1,
 * 12 weeks of lead time, is bought to work from month 7 (the later the
 * cheaper: it is paid from its order), so it must be ordered by
 * 6 x 730 h - 2016 h = 2364 h, in month 4; without it 6 x 584 h have no
 * device in months 7-12. */
static void test_order_by(void **state)
{
	static const char text[] =
		"scenario: t\nhorizon: 1y\nperiod: month\n"
		"venues:\n  allow: [onprem]\n"
		"  onprem: {owned: {X1: 1}, buy: {X1: {max: 4, lead_time: "
		"12w}}}\n"
		"performance: {onprem_availability: 1}\n"
		"workloads:\n  - name: r\n    kind: research\n"
		"    max_wait: none\n    gpu_hours: 11826 X1\n"
		"    monthly: [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]\n";
	struct model_scenario s;
	struct model_plan p;

	(void)state;
	plan(text, &s, &p);
	assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
	assert_int_equal(p.nbuy, 1);
	assert_int_equal(p.buy[0].count, 1);
	assert_int_equal(p.buy[0].available_period, 6);
	assert_near(p.buy[0].order_by, (6 * 730.0 - 12 * 168) * 3600, 1e-6);
	assert_int_equal((int)(p.buy[0].order_by / p.period_s), 3);
	assert_int_equal(p.buy[0].short_first, 6);
	assert_int_equal(p.buy[0].short_last, 11);
	assert_near(p.buy[0].short_dh, 6 * 584.0, 1e-6);
	assert_string_equal(p.buy[0].short_who, "r");
	/* paid from its order, month 4: 4000 x (8760 - 2364) / 8760 */
	assert_near(p.total_cost, 4000 * (8760 - 2364.0) / 8760, 1e-6);
	{ /* the pool saturates in month 7 (0-based 6) without the purchase */
		struct model_pools v;

		model_plan_pools(&s, &p, &v);
		assert_int_equal(v.n, 1);
		assert_int_equal(v.v[0].saturates, 6);
		assert_near(v.v[0].short_dh, 6 * 584.0, 1e-6);
		assert_true(v.v[0].busiest >= 0 && v.v[0].busiest < 12);
		model_pools_release(&v);
	}
	model_plan_release(&p);
	model_scenario_release(&s);
}

/* Bought by the server: unit 8 buys 8 devices for a need of 3. */
static void test_purchase_unit(void **state)
{
	static const char text[] =
		"scenario: t\nhorizon: 1y\nperiod: month\n"
		"venues:\n  allow: [onprem]\n"
		"  onprem: {buy: {X1: {max: 16, lead_time: 0s, unit: 8}}}\n"
		"performance: {onprem_availability: 1}\n"
		"workloads:\n  - name: r\n    kind: research\n"
		"    max_wait: none\n    gpu_hours: 26280 X1\n";
	struct model_scenario s;
	struct model_plan p;

	(void)state;
	plan(text, &s, &p);
	assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
	assert_int_equal(p.nbuy, 1);
	assert_int_equal(p.buy[0].count, 8);
	assert_int_equal(p.buy[0].unit, 8);
	assert_int_equal(p.buy[0].available_period, 0);
	assert_near(p.total_cost, 8 * 4000, 1e-6);
	model_plan_release(&p);
	model_scenario_release(&s);
}

/* A purchase forced by min: 3000 hours cost 3000 rented, yet min: 2 buys
 * two devices (8000) and the work runs on them; a lead time of 13 weeks
 * makes them arrive in month 4. */
static void test_forced_purchase(void **state)
{
	static const struct {
		const char *lead;
		int period;
		double total;
	} cases[] = {{"0s", 0, 8000}, {"13w", 3, -1}};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *text = util_xasprintf(
			"scenario: t\nhorizon: 1y\nperiod: month\n"
			"venues:\n  allow: [cloud, onprem]\n"
			"  onprem: {buy: {X1: {min: 2, max: 3, lead_time: %s}}}\n"
			"performance: {onprem_availability: 1}\n"
			"workloads:\n  - name: r\n    kind: research\n"
			"    max_wait: none\n    gpu_hours: 3000 X1\n",
			cases[i].lead);
		struct model_scenario s;
		struct model_plan p;

		plan(text, &s, &p);
		assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
		assert_int_equal(p.nbuy, 1);
		assert_int_equal(p.buy[0].count, 2);
		assert_int_equal(p.buy[0].available_period, cases[i].period);
		if (cases[i].total > 0)
			assert_near(p.total_cost, cases[i].total, 1e-6);
		else /* the devices at least, whatever waits for them */
			assert_true(p.total_cost >= 8000 - 1e-6);
		done(&s, &p, text);
	}
}

/* A course of 12 students holding an X1 each, 4 X1 owned, purchases
 * ordered now arriving in week 8 (a 7-week lead time): week 1 is short
 * of 8 devices, and the reason names the course, the week and the
 * time of its first session (9:00 on time 0's Monday), the shortfall,
 * how many can be bought (buy.max) and when purchases arrive. */
static void test_infeasible_shortfall(void **state)
{
	static const char text[] =
		"scenario: t\nhorizon: 13w\nperiod: week\n"
		"venues:\n  allow: [onprem]\n"
		"  onprem:\n    owned: {X1: 4}\n"
		"    buy: {X1: {max: 10, lead_time: 7w}}\n"
		"workloads:\n  - name: dl-course\n    kind: teaching\n"
		"    students: 12\n"
		"    sessions: {per_week: 1, duration: 3h, weeks: 13}\n"
		"    per_student: {gpu_memory: 40GB, compute: 1 X1}\n";
	struct model_scenario s;
	struct model_plan p;

	(void)state;
	plan(text, &s, &p);
	assert_int_equal(p.status, MODEL_PLAN_INFEASIBLE);
	assert_non_null(p.why);
	assert_non_null(strstr(p.why, "week 1, Monday 09:00: 'dl-course' "
				      "needs 12 X1 at once, 4 owned: short "
				      "by 8; up to 10 X1 can be bought, "
				      "arriving in week 8"));
	model_plan_release(&p);
	model_scenario_release(&s);
}

/* The same course from 1 September 2027, a Wednesday: its first
 * session is on the Wednesday; starting at 2 days (a Friday), on the
 * Friday; at 3 days (a Saturday), on the Monday after. */
static void test_infeasible_weekday(void **state)
{
	static const char *const starts[] = {"0", "2d", "3d"};
	static const char *const when[] = {"Wednesday 09:00", "Friday 09:00",
					   "Monday 09:00"};
	char text[1024];
	struct model_scenario s;
	struct model_plan p;

	(void)state;
	for (int i = 0; i < 3; i++) {
		snprintf(text, sizeof(text),
			 "scenario: t\nhorizon: 13w\nperiod: week\n"
			 "start_date: 2027-09-01\n"
			 "venues:\n  allow: [onprem]\n"
			 "  onprem:\n    owned: {X1: 4}\n"
			 "workloads:\n  - name: dl-course\n"
			 "    kind: teaching\n    students: 12\n"
			 "    start: %s\n"
			 "    sessions: {per_week: 1, duration: 3h, weeks: 8}\n"
			 "    per_student: {gpu_memory: 40GB, compute: 1 X1}\n",
			 starts[i]);
		plan(text, &s, &p);
		assert_int_equal(p.status, MODEL_PLAN_INFEASIBLE);
		assert_non_null(p.why);
		if (!strstr(p.why, when[i]))
			fail_msg("start %s: no '%s' in: %s", starts[i], when[i],
				 p.why);
		model_plan_release(&p);
		model_scenario_release(&s);
	}
}

/* Batch work is short in device-hours: 30000 X1-hours over 12 months
 * of 730 h come at 2500 a month; 2 owned X1 give 1460, so month 1 is
 * 1040 short. */
static void test_infeasible_batch(void **state)
{
	static const char text[] =
		"scenario: t\nhorizon: 1y\nperiod: month\n"
		"venues:\n  allow: [onprem]\n  onprem: {owned: {X1: 2}}\n"
		"performance: {onprem_availability: 1}\n"
		"workloads:\n  - name: r\n    kind: research\n"
		"    max_wait: none\n    gpu_hours: 30000 X1\n";
	struct model_scenario s;
	struct model_plan p;

	(void)state;
	plan(text, &s, &p);
	assert_int_equal(p.status, MODEL_PLAN_INFEASIBLE);
	assert_non_null(p.why);
	assert_non_null(strstr(p.why, "month 1: 'r' needs 2,500 X1 "
				      "device-hours: short by 1,040 (2 "
				      "owned)\n"));
	model_plan_release(&p);
	model_scenario_release(&s);
}

/* Renting costs 1 per hour, a device 4000 (test_buy_or_rent): 3000
 * hours are rented, and the pool, buying one device for them, is the
 * runner-up at 1000 more; 6000 hours go on a device bought, whose work
 * costs nothing more in the plan (free power), and renting them is the
 * runner-up at 6000 more. 26280 hours rented over 12 months of 730 h
 * keep 3 devices busy at once, jobs of 1 device. */
static void test_runner_up(void **state)
{
	static const struct {
		const char *hours, *allow, *venue, *runner;
		double extra;
		int peak;
	} cases[] = {
		{"3000", "cloud, onprem", "rent-x1", "buy-x1", 1000, 1},
		{"6000", "cloud, onprem", "buy-x1", "rent-x1", 6000, 1},
		{"26280", "cloud", "rent-x1", NULL, 0, 3},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *text = research(cases[i].hours, cases[i].allow, "");
		struct model_scenario s;
		struct model_plan p;

		plan(text, &s, &p);
		assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
		assert_int_equal(p.nassign, 1);
		assert_string_equal(p.assign[0].venue, cases[i].venue);
		assert_int_equal(p.assign[0].devices, 1);
		assert_int_equal(p.assign[0].peak_devices, cases[i].peak);
		if (cases[i].runner) {
			assert_non_null(p.assign[0].runner_up);
			assert_string_equal(p.assign[0].runner_up,
					    cases[i].runner);
			assert_near(p.assign[0].runner_up_extra,
				    cases[i].extra, 1e-6);
		} else {
			assert_null(p.assign[0].runner_up);
		}
		done(&s, &p, text);
	}
}

/* A one-year plan with an edge board E1 at 100 dollars (a one-year
 * life, free power), and four camera sites that need one each. */
#define EDGE_HEAD                                                          \
	"scenario: t\nhorizon: 1y\nperiod: month\n"                          \
	"catalog:\n  accelerators:\n"                                        \
	"    - {name: E1, vendor: T, class: edge, memory_gb: 8,\n"            \
	"       bandwidth_gbs: 100, tdp_w: 10, tflops: {bf16: 10},\n"         \
	"       source: t, as_of: 2026-01-01}\n"                              \
	"  offers:\n"                                                         \
	"    - {id: board, family: edge, provider: e, accelerator: E1,\n"     \
	"       unit_price: 100, power_w: 10, lifetime_years: 1,\n"          \
	"       source: t, as_of: 2026-01-01}\n"
#define EDGE_CAMS                                                          \
	"workloads:\n  - name: cams\n    kind: inference\n"                  \
	"    model: {compute: 1GFLOP, params: 1M, precision: bf16}\n"         \
	"    sites: 4\n    rate: 10/s\n    placement: edge\n"

/* Edge boards are bought for the work's sites: four sites on 100-dollar
 * boards (a one-year life, free power) cost 400; the runner-up, the
 * same board at 250, would cost 1000, so 600 more, not the 1000 of its
 * boards against the chosen boards' energy alone. */
static void test_runner_up_edge(void **state)
{
	static const char text[] =
		EDGE_HEAD
		"    - {id: dear, family: edge, provider: f, accelerator: E1,\n"
		"       unit_price: 250, power_w: 10, lifetime_years: 1,\n"
		"       source: t, as_of: 2026-01-01}\n" EDGE_CAMS;
	struct model_scenario s;
	struct model_plan p;

	(void)state;
	plan(text, &s, &p);
	assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
	assert_near(p.total_cost, 400, 1e-6);
	assert_int_equal(p.nassign, 1);
	assert_string_equal(p.assign[0].venue, "board");
	assert_non_null(p.assign[0].runner_up);
	assert_string_equal(p.assign[0].runner_up, "dear");
	assert_near(p.assign[0].runner_up_extra, 600, 1e-6);
	model_plan_release(&p);
	model_scenario_release(&s);
}

/* No venue at all: the reasons per family, in words. */
static void test_no_venue(void **state)
{
	char *text = research("100", "cloud", "constraints: {sovereign: [r]}\n");
	struct model_scenario s;
	struct model_plan p;

	(void)state;
	plan(text, &s, &p);
	assert_int_equal(p.status, MODEL_PLAN_INFEASIBLE);
	assert_non_null(strstr(p.why, "no venue can run 'r'"));
	assert_non_null(strstr(p.why, "cloud: cloud offers are not sovereign"));
	assert_non_null(strstr(p.why, "onprem: not allowed (venues.allow)"));
	done(&s, &p, text);
}

/* Minimising time: renting finishes the 6000 hours in the first month,
 * where buying would take the whole year; the budget allows it. */
static void test_objective_time(void **state)
{
	char *base = research("6000", "cloud, onprem",
			      "constraints: {budget: 20000}\n");
	/* a deadline: work that may be done as soon as capacity allows */
	char *text = util_xasprintf("%s    deadline: 1y\n", base);
	struct model_plan_opts opt = {.family = -1,
				      .objective = MODEL_OBJECTIVE_TIME};
	struct model_scenario s;
	struct model_plan p;
	struct util_err err;

	(void)state;
	load_scenario(text, &s);
	assert_int_equal(model_plan(&s, &opt, &p, &err), 0);
	assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
	assert_near(share_on(&p, "rent-x1"), 1, 1e-9);
	assert_near(p.assign[0].period_device_hours[0], 6000, 1e-6);
	assert_near(p.total_cost, 6000, 1e-6);
	free(base);
	done(&s, &p, text);
}

/* The closed loop's cap on the academic share (queue_share): the
 * allocation is free and would take 8760 of the 20,000 hours; capped at
 * 25%, 5,000 run there and 15,000 are rented at 1 an hour. */
static void test_queue_share(void **state)
{
	static const char text[] =
		"scenario: t\nhorizon: 1y\nperiod: month\n"
		"catalog:\n  offers:\n"
		"    - {id: ac-x1, family: academic, provider: a, cluster: c1,\n"
		"       accelerator: X1, rgu: 1, walltime_h: 168,\n"
		"       queue_wait: {p50_h: 1, p90_h: 2}, source: t,\n"
		"       as_of: 2026-01-01}\n"
		"    - {id: c-x1, family: cloud, provider: p, accelerator: X1,\n"
		"       price_hour: 1, source: t, as_of: 2026-01-01}\n"
		"venues: {allow: [cloud, academic], academic: {allocation: 1 "
		"RGU-year}}\n"
		"workloads:\n  - name: r\n    kind: research\n"
		"    max_wait: none\n    gpu_hours: 20000 X1\n";
	const double cap[] = {0.25};
	struct model_plan_opts opt = {.family = -1, .queue_share = cap};
	struct model_scenario s;
	struct model_plan p;
	struct util_err err;

	(void)state;
	load_scenario(text, &s);
	assert_int_equal(model_plan(&s, &opt, &p, &err), 0);
	assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
	assert_near(share_on(&p, "ac-x1"), 0.25, 1e-6);
	assert_near(p.total_cost, 15000, 1e-3);
	model_plan_release(&p);
	opt.queue_share = NULL; /* uncapped: the allocation's 8760 hours */
	assert_int_equal(model_plan(&s, &opt, &p, &err), 0);
	assert_near(p.total_cost, 20000 - 8760, 1e-3);
	model_plan_release(&p);
	model_scenario_release(&s);
}

/* The closed loop's finish_early plans a deadline's work to end early:
 * the same work in less time, not less work. 200 jobs of 8 X1-hours
 * (1,600 hours at 1 an hour) due in 6 weeks cost 1,600 whether they end
 * at the deadline or 30% of the window before it. */
static void test_finish_early(void **state)
{
	char *text = research("0", "cloud", "");
	char *sweep = util_xasprintf(
		"%.*s    jobs: {count: 200, gpus: 1, hours: 8 X1}\n"
		"    deadline: 6w\n",
		(int)(strstr(text, "    gpu_hours:") - text), text);
	const double early[] = {0.3};
	struct model_plan_opts opt = {.family = -1};
	struct model_scenario s;
	struct model_plan p;
	struct util_err err;

	(void)state;
	load_scenario(sweep, &s);
	assert_int_equal(model_plan(&s, &opt, &p, &err), 0);
	assert_near(p.total_cost, 1600, 1e-6);
	model_plan_release(&p);
	opt.finish_early = early;
	assert_int_equal(model_plan(&s, &opt, &p, &err), 0);
	assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
	assert_near(p.assign[0].device_hours, 1600, 1e-6);
	assert_near(p.total_cost, 1600, 1e-6);
	free(text);
	done(&s, &p, sweep);
}

/* The Pareto front keeps only points no other beats: the budgets that
 * buy no earlier end (university-department's 46,752 at week 6, after
 * 45,708 at week 6) and copies of a point are not on it. */
static void test_pareto_prune(void **state)
{
	static const struct {
		int n, kept;
		double cost[4], finish[4], want_cost[4], want_finish[4];
	} cases[] = {
		{4, 2, {0, 1885, 3770, 11310}, {18, 18, 18, 1.5},
		 {0, 11310}, {18, 1.5}},
		{3, 1, {0, 0, 0}, {18.5, 18.5, 18.5}, {0}, {18.5}},
		{3, 3, {100, 200, 300}, {6, 5, 1}, {100, 200, 300}, {6, 5, 1}},
		/* a dearer plan that ends later is beaten by a cheaper one */
		{3, 2, {100, 300, 200}, {6, 6.5, 5}, {100, 200}, {6, 5}},
	};

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		double cost[4], finish[4];
		int kept;

		memcpy(cost, cases[c].cost, sizeof(cost));
		memcpy(finish, cases[c].finish, sizeof(finish));
		kept = model_pareto_prune(cost, finish, cases[c].n);
		assert_int_equal(kept, cases[c].kept);
		for (int i = 0; i < kept; i++) {
			assert_near(cost[i], cases[c].want_cost[i], 0);
			assert_near(finish[i], cases[c].want_finish[i], 0);
		}
	}
}

/* Colocation (venues.onprem.hosting): X1 is rated 1 kW (its on-prem
 * power_w). At 100 a kW-month a bought device costs 4000 + 1200 a year,
 * under the 6000 hours rented; at 200 (6400) renting wins. Two owned
 * devices pay 2 x 1 kW x 100 x 12 = 2400 whatever the plan; the power is
 * in the fee, so no energy is billed. */
static void test_colocation(void **state)
{
	static const char fmt[] =
		"scenario: t\nhorizon: 1y\nperiod: month\n"
		"venues:\n  allow: [cloud, onprem]\n"
		"  onprem: {%sbuy: {X1: {max: 10, lead_time: 0s}},\n"
		"           hosting: {kind: colocation, fee: %d/month per kW}}\n"
		"performance: {onprem_availability: 1}\n"
		"workloads:\n  - name: r\n    kind: research\n"
		"    max_wait: none\n    gpu_hours: 6000 X1\n";
	static const struct {
		const char *owned;
		int fee;
		double total, hosting;
		const char *venue;
	} cases[] = {
		{"", 100, 5200, 1200, "buy-x1"},
		{"", 200, 6000, 0, "rent-x1"},
		{"owned: {X1: 2}, ", 100, 2400, 2400, "buy-x1"},
	};

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(cases); i++) {
		char *text = util_xasprintf(fmt, cases[i].owned, cases[i].fee);
		struct model_scenario s;
		struct model_plan p;

		plan(text, &s, &p);
		assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
		assert_near(p.total_cost, cases[i].total, 1e-3);
		assert_near(p.cost[MODEL_COST_HOSTING], cases[i].hosting, 1e-3);
		assert_near(p.cost[MODEL_COST_ENERGY], 0, 0);
		assert_near(share_on(&p, cases[i].venue), 1, 1e-9);
		done(&s, &p, text);
	}
}

/* Each case brings its own offers in the scenario's `catalog:`. */
static const struct {
	const char *what, *text;
	double total;
} cases[] = {
	{"one device of an 8-device instance costs the instance: the 1x "
	 "offer wins",
	 "scenario: t\nhorizon: 1y\nperiod: month\n"
	 "catalog:\n  offers:\n"
	 "    - {id: rent8-x1, family: cloud, provider: q, accelerator: X1,\n"
	 "       count: 8, price_hour: 7, source: t, as_of: 2026-01-01}\n"
	 "venues: {allow: [cloud]}\n"
	 "workloads:\n  - name: svc\n    kind: inference\n"
	 "    model: {compute: 1GFLOP, params: 1M, precision: bf16}\n"
	 "    rate: 100/s\n",
	 8760},
	{"a one-year commitment at 0.6/h beats 1/h on demand for a service",
	 "scenario: t\nhorizon: 1y\nperiod: month\n"
	 "catalog:\n  offers:\n"
	 "    - {id: c-x1, family: cloud, provider: p, accelerator: X1,\n"
	 "       price_hour: 1, commit_1y_hour: 0.6, source: t,\n"
	 "       as_of: 2026-01-01}\n"
	 "venues: {allow: [cloud], cloud: {commitment: 1y}}\n"
	 "workloads:\n  - name: svc\n    kind: inference\n"
	 "    model: {compute: 1GFLOP, params: 1M, precision: bf16}\n"
	 "    rate: 100/s\n",
	 0.6 * 8760},
	{"an allocation of 1 RGU-year gives 8760 X1-hours; the rest is "
	 "rented",
	 "scenario: t\nhorizon: 1y\nperiod: month\n"
	 "catalog:\n  offers:\n"
	 "    - {id: ac-x1, family: academic, provider: a, cluster: c1,\n"
	 "       accelerator: X1, rgu: 1, walltime_h: 168,\n"
	 "       queue_wait: {p50_h: 1, p90_h: 2}, source: t,\n"
	 "       as_of: 2026-01-01}\n"
	 "venues: {allow: [cloud, academic], academic: {allocation: 1 "
	 "RGU-year}}\n"
	 "workloads:\n  - name: r\n    kind: research\n"
	 "    gpu_hours: 20000 X1\n",
	 20000 - 8760},
	{"four sites, one 100-dollar board each, a one-year life",
	 EDGE_HEAD EDGE_CAMS,
	 400},
};

static void test_venues(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct model_scenario s;
		struct model_plan p;

		plan(cases[i].text, &s, &p);
		if (p.status != MODEL_PLAN_OPTIMAL ||
		    fabs(p.total_cost - cases[i].total) > 1e-6 * cases[i].total)
			fail_msg("%s: %s, %.6g instead of %.6g", cases[i].what,
				 model_plan_status_names[p.status],
				 p.total_cost, cases[i].total);
		model_plan_release(&p);
		model_scenario_release(&s);
	}
}

/* Owned devices retire at the end of their life: one X1 bought 6 months
 * before a 1-year horizon with its 1-year life (the catalog's) serves
 * months 1-6 only. 500 X1-hours a month come evenly (6000 over the year);
 * the device gives 730 a month, so months 1-6 run on it and months 7-12
 * rent 6 x 500 hours at 1/h: 3000. */
static void test_owned_retire(void **state)
{
	static const char text[] =
		"scenario: t\nhorizon: 1y\nperiod: month\nstart_date: 2027-01\n"
		"venues:\n  allow: [cloud, onprem]\n"
		"  onprem: {owned: {X1: {count: 1, bought: 2026-07}}}\n"
		"performance: {onprem_availability: 1}\n"
		"workloads:\n"
		"  - {name: a, kind: research, max_wait: none,\n"
		"     gpu_hours: 6000 X1}\n";
	struct model_scenario s;
	struct model_plan p;
	struct model_pools v;

	(void)state;
	plan(text, &s, &p);
	assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
	assert_near(p.cost[MODEL_COST_RENT], 3000, 0.5);
	model_plan_pools(&s, &p, &v);
	assert_int_equal(v.n, 1);
	assert_true(v.v[0].avail[5] > 0);
	assert_near(v.v[0].avail[6], 0, 1e-9);
	assert_true(v.v[0].used[6] < 1e-6);
	model_pools_release(&v);
	model_plan_release(&p);
	model_scenario_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buy_or_rent),
		cmocka_unit_test(test_spot_needs_slack),
		cmocka_unit_test(test_sovereign),
		cmocka_unit_test(test_residency),
		cmocka_unit_test(test_one_venue),
		cmocka_unit_test(test_keep_venues),
		cmocka_unit_test(test_one_venue_cheapest),
		cmocka_unit_test(test_one_venue_exhaustive),
		cmocka_unit_test(test_one_venue_warm),
		cmocka_unit_test(test_one_venue_first_plan),
		cmocka_unit_test(test_one_venue_hull),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_entity_budget),
		cmocka_unit_test(test_entity_budget_infeasible),
		cmocka_unit_test(test_owned_retire),
		cmocka_unit_test(test_lead_time),
		cmocka_unit_test(test_demand_profile),
		cmocka_unit_test(test_demand_whole_horizon),
		cmocka_unit_test(test_demand_flexible),
		cmocka_unit_test(test_order_by),
		cmocka_unit_test(test_purchase_unit),
		cmocka_unit_test(test_forced_purchase),
		cmocka_unit_test(test_no_venue),
		cmocka_unit_test(test_infeasible_shortfall),
		cmocka_unit_test(test_infeasible_weekday),
		cmocka_unit_test(test_infeasible_batch),
		cmocka_unit_test(test_runner_up),
		cmocka_unit_test(test_runner_up_edge),
		cmocka_unit_test(test_venues),
		cmocka_unit_test(test_objective_time),
		cmocka_unit_test(test_queue_share),
		cmocka_unit_test(test_finish_early),
		cmocka_unit_test(test_pareto_prune),
		cmocka_unit_test(test_colocation),
	};

	return cmocka_run_group_tests_name("plan", tests, setup, teardown_catalog);
}
