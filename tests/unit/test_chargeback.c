/* Chargeback (advise/chargeback.c, docs/chargeback.md): the rates times
 * the planned device-hours give back the pools' full cost to the cent,
 * with and without a margin, under both rules; owned hardware's
 * depreciation by hand; the idle-pool warning; dates and months. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../advise/advise.h"
#include "test_model.h"

/* 8 H100 bought two years before the start at 30,000 each, worth 5,000
 * after a 5-year life; staff 50k and overhead 10k a year. */
static const char pool_text[] =
	"scenario: t\nstart_date: 2027-01\nhorizon: 1y\nperiod: month\n"
	"venues:\n  allow: [onprem]\n"
	"  onprem:\n"
	"    owned:\n"
	"      H100: {count: 8, price: 30k, bought: 2025-01, life: 5y, "
	"residual: 5k}\n"
	"      L40S: 4\n"
	"    staff: 50k/year\n    overhead: 10k/year\n"
	"    electricity: 0.15/kWh\n    pue: 1.3\n"
	"workloads:\n"
	"  - name: a\n    kind: research\n    gpu_hours: 30000 H100\n"
	"  - name: b\n    kind: research\n    gpu_hours: 6000 H100\n"
	"    start: 6mo\n";

/* The same with work for the L40S too: every pool is used. */
static const char used_text[] =
	"scenario: t\nstart_date: 2027-01\nhorizon: 1y\nperiod: month\n"
	"venues:\n  allow: [onprem]\n"
	"  onprem:\n"
	"    owned:\n"
	"      H100: {count: 8, price: 30k, bought: 2025-01, life: 5y, "
	"residual: 5k}\n"
	"      L40S: 4\n"
	"    staff: 50k/year\n    overhead: 10k/year\n"
	"workloads:\n"
	"  - name: a\n    kind: research\n    gpu_hours: 30000 H100\n"
	"  - name: b\n    kind: research\n    gpu_hours: 6000 H100\n"
	"    start: 6mo\n"
	"  - name: c\n    kind: research\n    gpu_hours: 9000 L40S\n"
	"    accelerators: [L40S]\n";

/* used_text's pool with storage at 20 per TB-month: entity x's quota of
 * 1 TB (its 2 TB dataset does not count) all year, y's 500 GB of
 * datasets (no quota) from month 7, z's 100 GB quota from month 4. */
static const char storage_text[] =
	"scenario: t\nstart_date: 2027-01\nhorizon: 1y\nperiod: month\n"
	"venues:\n  allow: [onprem]\n"
	"  onprem:\n"
	"    owned:\n"
	"      H100: {count: 8, price: 30k, bought: 2025-01, life: 5y, "
	"residual: 5k}\n"
	"      L40S: 4\n"
	"    staff: 50k/year\n    storage_cost: 20/TB-month\n"
	"entities:\n  - name: x\n    storage: 1TB\n  - name: y\n"
	"  - name: z\n    storage: 100GB\n"
	"workloads:\n"
	"  - name: a\n    entity: x\n    kind: research\n"
	"    gpu_hours: 30000 H100\n    dataset: 2TB\n"
	"  - name: b\n    entity: y\n    kind: research\n"
	"    gpu_hours: 6000 H100\n    start: 6mo\n    dataset: 500GB\n"
	"  - name: c\n    entity: z\n    kind: research\n"
	"    gpu_hours: 9000 L40S\n    accelerators: [L40S]\n"
	"    start: 3mo\n";

/* |a - b| within a cent. */
#define assert_cent(a, b) assert_true(fabs((a) - (b)) <= 0.005)

static void plan_of(const char *text, struct model_scenario *s,
		    struct model_plan *p)
{
	struct model_plan_opts po = {.family = -1};
	struct util_err err;

	load_scenario(text, s);
	assert_int_equal(model_plan(s, &po, p, &err), 0);
	assert_int_equal(p->status, MODEL_PLAN_OPTIMAL);
}

/* Every charge of the showback, summed. */
static double charged(const struct advise_chargeback *cb)
{
	double sum = 0;

	for (size_t k = 0; k < cb->ngroups * cb->nmonths; k++)
		sum += cb->charge[k];
	return sum;
}

static void check_recovery(const struct model_scenario *s,
			   const struct model_plan *p, enum advise_rule rule,
			   double margin)
{
	struct advise_chargeback_opts o = {.rule = rule, .margin = margin};
	struct advise_chargeback cb;
	struct util_err err;
	double billed = 0;

	assert_int_equal(advise_chargeback(s, p, &o, &cb, &err), 0);
	for (size_t i = 0; i < cb.nrates; i++)
		if (cb.rates[i].used > 0)
			billed += cb.rates[i].rate * cb.rates[i].used;
	assert_true(cb.total_cost > 0);
	assert_cent(billed, cb.total_cost * (1 + margin));
	assert_cent(charged(&cb), cb.total_cost * (1 + margin));
	assert_cent(cb.recovered, cb.total_cost * (1 + margin));
	advise_chargeback_release(&cb);
}

/* The test: rates x planned device-hours = full cost, to the
 * cent, with and without a margin, under both rules. */
static void test_recovers_to_the_cent(void **state)
{
	struct model_scenario s;
	struct model_plan p;

	(void)state;
	plan_of(used_text, &s, &p);
	check_recovery(&s, &p, ADVISE_RULE_DEVICE_HOURS, 0);
	check_recovery(&s, &p, ADVISE_RULE_DEVICE_HOURS, 0.05);
	check_recovery(&s, &p, ADVISE_RULE_REFERENCE_SPEED, 0);
	check_recovery(&s, &p, ADVISE_RULE_REFERENCE_SPEED, 0.05);
	model_plan_release(&p);
	model_scenario_release(&s);
}

/* Storage (issue 25): 1 TB x 12 months + 0.5 TB x 6 + 0.1 TB x 9 at 20
 * per TB-month = 240 + 60 + 18 = 318, in the pools' cost (shared by
 * capex like staff) and in the committed costs; rates x device-hours
 * still recover every cent of it. */
static void test_storage_recovered(void **state)
{
	struct advise_chargeback_opts o = {0};
	struct advise_chargeback cb;
	struct model_scenario s;
	struct model_plan p;
	struct util_err err;
	double capex, maint, fixed, byte_s, parts = 0;

	(void)state;
	plan_of(storage_text, &s, &p);
	assert_near(model_onprem_storage(&s, &byte_s), 318, 1e-6);
	assert_near(byte_s, (12 + 3 + 0.9) * 1e12 * MODEL_MONTH, 1e9);
	model_committed(&s, &capex, &maint, &fixed);
	assert_near(fixed, 50000 + 318, 1e-6);
	assert_int_equal(advise_chargeback(&s, &p, &o, &cb, &err), 0);
	assert_near(cb.storage, 318, 1e-6);
	for (size_t i = 0; i < cb.nrates; i++) {
		parts += cb.rates[i].storage;
		assert_near(cb.rates[i].storage / 318,
			    cb.rates[i].fixed / 50000, 1e-12);
	}
	assert_near(parts, 318, 1e-6);
	advise_chargeback_release(&cb);
	check_recovery(&s, &p, ADVISE_RULE_DEVICE_HOURS, 0);
	check_recovery(&s, &p, ADVISE_RULE_REFERENCE_SPEED, 0.05);
	model_plan_release(&p);
	model_scenario_release(&s);
}

/* One simulation of plan p: seed, 4 replications. */
static void simulate(const struct model_scenario *s,
		     const struct model_plan *p, uint64_t seed,
		     struct sim_result *r)
{
	struct sim_opts so = {.seed = seed, .replications = 4, .jobs = 1};
	struct util_err err;

	assert_int_equal(sim_simulate(s, p, &so, r, &err), 0);
}

/* Rates at the simulation's use (issue 25): each pool's busy
 * device-hours in simulation are within 5% of the plan's (research jobs
 * do the planned work, plus what failures redo) and the simulated rates
 * times them recover the cost to the cent; the showback bills the plan's
 * hours at them with --utilisation simulated; the same seed gives the
 * same figures, another seed others. */
static void test_simulated_rates(void **state)
{
	struct advise_chargeback_opts o = {0};
	struct advise_chargeback cb, again;
	struct model_scenario s;
	struct model_plan p;
	struct sim_result r, r2, r3;
	struct util_err err;
	double billed = 0, charged_by_hand = 0;

	(void)state;
	plan_of(used_text, &s, &p);
	simulate(&s, &p, 11, &r);
	o.sim = &r;
	o.simulated = true;
	assert_int_equal(advise_chargeback(&s, &p, &o, &cb, &err), 0);
	assert_true(cb.has_sim && cb.simulated);
	for (size_t i = 0; i < cb.nrates; i++) {
		const struct advise_rate *x = &cb.rates[i];

		assert_true(x->sim_used > 0);
		assert_true(fabs(x->sim_used / x->used - 1) < 0.05);
		assert_near(x->sim_utilisation, x->sim_used / x->avail, 0.01);
		billed += x->sim_rate * x->sim_used;
		charged_by_hand += x->sim_rate * x->used;
		assert_near(x->bill_rate, x->sim_rate, 0);
	}
	assert_cent(billed, cb.total_cost);
	assert_cent(cb.recovered, charged_by_hand);
	assert_cent(charged(&cb), charged_by_hand);
	simulate(&s, &p, 11, &r2);
	o.sim = &r2;
	assert_int_equal(advise_chargeback(&s, &p, &o, &again, &err), 0);
	for (size_t i = 0; i < cb.nrates; i++)
		assert_near(again.rates[i].sim_rate, cb.rates[i].sim_rate, 0);
	advise_chargeback_release(&again);
	simulate(&s, &p, 12, &r3);
	o.sim = &r3;
	assert_int_equal(advise_chargeback(&s, &p, &o, &again, &err), 0);
	assert_true(again.rates[0].sim_used != cb.rates[0].sim_used);
	advise_chargeback_release(&again);
	/* without a simulation: no simulated figures, and none to bill */
	o.sim = NULL;
	assert_int_equal(advise_chargeback(&s, &p, &o, &again, &err),
			 UTIL_E_INPUT);
	advise_chargeback_release(&again);
	o.simulated = false;
	assert_int_equal(advise_chargeback(&s, &p, &o, &again, &err), 0);
	assert_false(again.has_sim);
	assert_near(again.rates[0].bill_rate, again.rates[0].rate, 0);
	advise_chargeback_release(&again);
	advise_chargeback_release(&cb);
	sim_result_release(&r3);
	sim_result_release(&r2);
	sim_result_release(&r);
	model_plan_release(&p);
	model_scenario_release(&s);
}

/* The H100 pool's cost by hand: depreciation 8 x (30,000 - 5,000) / 5 =
 * 40,000 a year; maintenance 10% a year of the price (onprem-h100-dgx):
 * 24,000; staff and overhead, 60,000, shared by capex with the L40S
 * (4 x 11,000 / 5 = 8,800: the catalog's capex and life); energy the
 * plan's. The rate is that cost over the hours used. */
static void test_pool_cost_by_hand(void **state)
{
	struct advise_chargeback_opts o = {0};
	struct advise_chargeback cb;
	struct model_scenario s;
	struct model_plan p;
	struct util_err err;
	const struct advise_rate *h;

	(void)state;
	plan_of(pool_text, &s, &p);
	assert_int_equal(advise_chargeback(&s, &p, &o, &cb, &err), 0);
	assert_int_equal(cb.nrates, 2);
	h = &cb.rates[0];
	assert_string_equal(h->accel, "H100");
	assert_near(h->capex, 40000, 1e-6);
	assert_near(h->maintenance, 24000, 1e-6);
	assert_near(cb.rates[1].capex, 8800, 1e-6);
	assert_near(h->fixed, 60000.0 * 40000 / 48800, 1e-6);
	assert_near(h->fixed + cb.rates[1].fixed, 60000, 1e-6);
	assert_near(h->used, 36000, 1e-3);
	assert_near(h->avail, 8 * 8760, 1e-6);
	assert_near(h->rate, h->cost / 36000, 1e-9);
	assert_false(h->absurd);
	assert_true(cb.rates[1].absurd); /* the L40S do nothing */
	assert_true(isinf(cb.rates[1].rate));
	assert_near(cb.rates[1].rate_reasonable,
		    cb.rates[1].cost / (0.6 * 4 * 8760), 1e-9);
	assert_false(cb.by_entity);
	assert_int_equal(cb.ngroups, 2);
	advise_chargeback_release(&cb);
	model_plan_release(&p);
	model_scenario_release(&s);
}

/* A pool used 5% of the time: its rate is 20 times the rate at full use
 * and flagged; the rate at 60% is the cost over 60% of its hours. */
static const char idle_text[] =
	"scenario: t\nhorizon: 1y\nperiod: month\n"
	"venues:\n  allow: [onprem]\n  onprem: {owned: {H100: 4}}\n"
	"workloads:\n  - name: a\n    kind: research\n"
	"    gpu_hours: 1752 H100\n";

static void test_idle_pool(void **state)
{
	struct advise_chargeback_opts o = {.margin = 0.1};
	struct advise_chargeback cb;
	struct model_scenario s;
	struct model_plan p;
	struct util_err err;

	(void)state;
	plan_of(idle_text, &s, &p);
	assert_int_equal(advise_chargeback(&s, &p, &o, &cb, &err), 0);
	assert_near(cb.rates[0].utilisation, 0.05, 1e-9);
	assert_true(cb.rates[0].absurd);
	assert_near(cb.rates[0].rate_reasonable * 0.6 / 0.05,
		    cb.rates[0].rate, 1e-9);
	assert_near(cb.rates[0].rate, cb.rates[0].cost * 1.1 / 1752, 1e-9);
	advise_chargeback_release(&cb);
	model_plan_release(&p);
	model_scenario_release(&s);
}

/* Owned devices: a life ending inside the horizon depreciates only its
 * remaining part; one already past its life costs nothing more. */
static void test_owned_cost(void **state)
{
	static const char text[] =
		"scenario: t\nstart_date: 2027-07-01\nhorizon: 2y\n"
		"venues:\n  allow: [onprem]\n  onprem:\n    owned:\n"
		"      H100: {count: 2, price: 40k, bought: 2023-07, life: 5y}\n"
		"      L40S: {count: 1, price: 10k, bought: 2020-01, life: 3y, "
		"residual: 1k}\n"
		"workloads:\n  - name: a\n    kind: research\n"
		"    gpu_hours: 100 H100\n";
	struct model_owned_cost c;
	struct model_scenario s;

	(void)state;
	load_scenario(text, &s);
	model_owned_cost(&s, 0, &c);
	assert_near(c.age, 48 * MODEL_MONTH, 1e-6);
	assert_near(c.end_of_life, 12 * MODEL_MONTH, 1e-6);
	/* 1 year of 5 left: 2 x 40,000 / 5 */
	assert_near(c.capex, 16000, 1e-6);
	assert_near(c.residual_end, 0, 1e-6);
	model_owned_cost(&s, 1, &c);
	assert_true(c.end_of_life < 0);
	assert_near(c.capex, 0, 0);
	assert_near(c.residual_end, 1000, 1e-6);
	model_scenario_release(&s);
}

static void test_dates_and_months(void **state)
{
	double m, per[8], months[2];
	struct model_scenario s = {.horizon = 2 * MODEL_MONTH};

	(void)state;
	assert_int_equal(model_parse_month("2025-03", &m), 0);
	assert_near(m, 2025 * 12 + 2, 0);
	assert_int_equal(model_parse_month("2025-03-01", &m), 0);
	assert_near(m, 2025 * 12 + 2, 0);
	assert_int_equal(model_parse_month("2025-13", &m), UTIL_E_INPUT);
	assert_int_equal(model_parse_month("2025-3", &m), UTIL_E_INPUT);
	assert_int_equal(model_parse_month("2025-03-01x", &m), UTIL_E_INPUT);
	assert_int_equal(model_parse_month("march", &m), UTIL_E_INPUT);
	/* days the calendar has */
	assert_int_equal(model_parse_month("2027-02-29", &m), UTIL_E_INPUT);
	assert_int_equal(model_parse_month("2028-02-29", &m), 0);
	assert_int_equal(model_parse_month("2100-02-29", &m), UTIL_E_INPUT);
	assert_int_equal(model_parse_month("2027-04-31", &m), UTIL_E_INPUT);
	assert_int_equal(model_parse_month("2027-12-31", &m), 0);
	/* weekdays (0 Monday): checked against a printed calendar */
	assert_int_equal(model_date_weekday("2026-12-07"), 0);
	assert_int_equal(model_date_weekday("2027-01"), 4);    /* Friday */
	assert_int_equal(model_date_weekday("2027-09-01"), 2); /* Wednesday */
	assert_int_equal(model_date_weekday("2000-02-29"), 1); /* Tuesday */
	assert_int_equal(model_date_weekday("2024-03-03"), 6); /* Sunday */
	assert_int_equal(model_date_weekday("2027-02-30"), -1);
	/* weeks folded into months keep their sum */
	for (int i = 0; i < 8; i++)
		per[i] = 10;
	model_fold_months(&s, per, 8, MODEL_WEEK, months);
	assert_near(months[0] + months[1], 80, 1e-9);
	assert_near(months[0], 10 * MODEL_MONTH / MODEL_WEEK, 1e-9);
}

/* Money on the command line in an EUR scenario (issue 25 part 6): its
 * own currency as is, USD and GBP at its fx: rates, CHF (no rate) and a
 * bare dollar refused, never compared as they are. */
static void test_money_arg(void **state)
{
	static const char text[] =
		"scenario: t\ncurrency: EUR\nfx: {USD: 0.92, GBP: 1.17}\n"
		"workloads:\n  - name: a\n    kind: research\n"
		"    gpu_hours: 100 H100\n";
	static const struct {
		const char *arg;
		double eur; /* -1: refused */
	} cases[] = {
		{"200k", 200000},     {"200k EUR", 200000},
		{"200k USD", 184000}, {"€200k", 200000},
		{"100 GBP", 117},     {"100 CHF", -1},
		{"$100", -1},
	};
	struct model_scenario s;
	struct util_err err;
	char note[160];
	double v;

	(void)state;
	load_scenario(text, &s);
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(cases); i++) {
		int rc = model_money_arg(&s, "--fail-above", cases[i].arg, &v,
					 note, sizeof(note), &err);

		if (cases[i].eur < 0) {
			assert_int_equal(rc, UTIL_E_USAGE);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_near(v, cases[i].eur, 1e-12);
	}
	assert_int_equal(model_money_arg(&s, "--fail-above", "200k USD", &v,
					 note, sizeof(note), &err),
			 0);
	assert_string_equal(note, "200,000 USD at 0.92 EUR per USD");
	model_scenario_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recovers_to_the_cent),
		cmocka_unit_test(test_pool_cost_by_hand),
		cmocka_unit_test(test_storage_recovered),
		cmocka_unit_test(test_simulated_rates),
		cmocka_unit_test(test_idle_pool),
		cmocka_unit_test(test_owned_cost),
		cmocka_unit_test(test_dates_and_months),
		cmocka_unit_test(test_money_arg),
	};

	return cmocka_run_group_tests(tests, setup_default_catalog,
				      teardown_catalog);
}
