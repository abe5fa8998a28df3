/* Break-even of buying against renting (advise/breakeven.c,
 * docs/sweep.md), on offers whose figures make the answer a hand
 * computation. */
#include <stdio.h>

#include "../../advise/advise.h"
#include "test_model.h"

/* Buy an H100 for 24,000 with 5% a year of maintenance (100 a month)
 * and free electricity; rent two for 4.20 an hour (2.10 each). */
static const char text[] =
	"scenario: be\nhorizon: 3y\n"
	"catalog:\n  offers:\n"
	"    - {id: buy-x, family: onprem, provider: owned, "
	"accelerator: H100, count: 1, capex: 24000, lifetime_years: 5, "
	"maintenance_pct_year: 5, electricity_kwh: 0, pue: 1, power_w: 700, "
	"source: t, as_of: 2026-01-01}\n"
	"    - {id: rent-x, family: cloud, provider: p, accelerator: H100, "
	"count: 2, price_hour: 4.2, source: t, as_of: 2026-01-01}\n"
	"workloads:\n"
	"  - {name: r, kind: research, gpu_hours: 100 H100}\n";

static void load_text(struct model_scenario *s, const char *t)
{
	struct util_diags d;

	util_diags_init(&d);
	assert_int_equal(model_scenario_load_buffer(s, "be.yaml", t, strlen(t),
						    &catalog, &d),
			 0);
	util_diags_release(&d);
}

static void load(struct model_scenario *s)
{
	load_text(s, text);
}

/* The terms of buying offer buy against rent-x, with the lines venues
 * after the scenario text. The scenario is released: only b's figures
 * may be read, not its offers. */
static void terms(const char *venues, const char *buy,
		  struct advise_breakeven *b)
{
	char *t = util_xasprintf("%s%s", text, venues);
	struct model_scenario s;
	struct util_err err = {0};

	load_text(&s, t);
	assert_int_equal(advise_breakeven(&s, buy, "rent-x", b, &err), 0);
	model_scenario_release(&s);
	free(t);
}

/* In colocation at 100 a kW-month the 0.7 kW device adds 70 a month to
 * its upkeep; with the power in the fee no energy is billed (the
 * planner's terms, review of the colocation change). */
static void test_colocation(void **state)
{
	struct advise_breakeven b;

	(void)state;
	terms("venues: {onprem: {electricity: 0.2/kWh, hosting: {kind: "
	      "colocation, fee: 100/month per kW}}}\n",
	      "buy-x", &b);
	assert_near(b.maint_month, 100 + 70, 1e-9);
	assert_near(b.energy_hour, 0, 0);
}

/* An edge board sits on site without a data centre: the scenario's PUE
 * is not applied to it, as the planner does not (docs/formulation.md).
 * The Orin Nano busy draws 25 W x 0.8 = 20 W: 0.02 kWh an hour at 0.5. */
static void test_edge_no_pue(void **state)
{
	struct advise_breakeven b;

	(void)state;
	terms("venues: {onprem: {electricity: 0.5/kWh, pue: 2}}\n",
	      "edge-jetson-orin-nano-super-devkit", &b);
	assert_near(b.energy_hour, 0.020 * 0.5, 1e-9);
}

/* At 50%, renting costs 2.10 x 730 h x 0.5 = 766.50 a month; buying
 * saves 666.50 of it after maintenance: 24,000 / 666.50 = 36.01
 * months. Over the 36-month horizon buying and renting are even at
 * (24,000 + 36 x 100) / (2.10 x 730 x 36) = 50.01%. At 10% the saving
 * is 53.30 a month, 450 months: past the 60-month life, never. */
static void test_hand(void **state)
{
	struct model_scenario s;
	struct advise_breakeven b;
	struct util_err err = {0};
	double buy, rent;

	(void)state;
	load(&s);
	assert_int_equal(advise_breakeven(&s, "buy-x", "rent-x", &b, &err), 0);
	assert_near(b.capex, 24000, 1e-12);
	assert_near(b.maint_month, 100, 1e-12);
	assert_near(b.rent_hour, 2.1, 1e-12);
	assert_near(b.energy_hour, 0, 1e-12);
	assert_near(b.lifetime_m, 60, 1e-12);
	assert_near(b.horizon_m, 36, 1e-9);
	assert_near(b.u, 0.5, 1e-12);
	assert_string_equal(b.u_from, "the default");

	assert_near(advise_breakeven_months(&b, 0.5), 24000 / 666.5, 1e-9);
	assert_near(advise_breakeven_utilisation(&b, 36), 27600.0 / 55188,
		    1e-9);
	assert_true(isinf(advise_breakeven_months(&b, 0.1)));
	/* renting cheaper even at 100%: a device that never pays off */
	b.rent_hour = 0.1;
	assert_true(isinf(advise_breakeven_utilisation(&b, 36)) ||
		    advise_breakeven_utilisation(&b, 36) > 1);
	b.rent_hour = 2.1;
	/* after 10 months at 50%: 24,000 + 1,000 bought, 7,665 rented */
	advise_breakeven_paid(&b, 0.5, 10, &buy, &rent);
	assert_near(buy, 25000, 1e-12);
	assert_near(rent, 7665, 1e-12);
	model_scenario_release(&s);
}

/* The offers must exist and be of the right kind; a workload's
 * utilisation needs the workload. */
static void test_errors(void **state)
{
	struct model_scenario s;
	struct advise_breakeven b;
	struct util_err err = {0};

	(void)state;
	load(&s);
	assert_int_equal(advise_breakeven(&s, "nope", "rent-x", &b, &err),
			 UTIL_E_USAGE);
	assert_non_null(strstr(err.msg, "no offer 'nope'"));
	assert_int_equal(advise_breakeven(&s, "rent-x", "rent-x", &b, &err),
			 UTIL_E_USAGE);
	assert_non_null(strstr(err.msg, "--buy 'rent-x' has no capex"));
	assert_int_equal(advise_breakeven(&s, "buy-x", "buy-x", &b, &err),
			 UTIL_E_USAGE);
	assert_non_null(strstr(err.msg, "--rent 'buy-x' has no hourly"));
	assert_int_equal(advise_breakeven(&s, "buy-x", "rent-x", &b, &err), 0);
	assert_int_equal(advise_breakeven_workload(&s, "q", &b, &err),
			 UTIL_E_USAGE);
	assert_string_equal(err.msg, "no workload 'q' in 'be' (did you mean "
				     "'r'?)");
	assert_int_equal(advise_breakeven_workload(&s, "r", &b, &err), 0);
	assert_string_equal(b.u_from, "the workload's");
	assert_true(b.u > 0 && b.u <= 1);
	model_scenario_release(&s);
}

/* A workload of 1,000 H100-hours a month does not fit in one device's
 * 730 hours: its utilisation is over the 2 devices it needs, below 100%
 * (it was capped at 100% on one device, manager's trial: phd on L40S,
 * 69% of two, read as 100% of one: break-even 23.4 months, not 36.8). */
static void test_workload_devices(void **state)
{
	static const char big[] = "scenario: be\nhorizon: 3y\n"
				  "workloads:\n"
				  "  - {name: r, kind: research, "
				  "gpu_hours: 36000 H100}\n";
	struct model_scenario s;
	struct advise_breakeven b;
	struct util_err err = {0};

	(void)state;
	load_text(&s, big);
	assert_int_equal(advise_breakeven(&s, "onprem-h100-dgx",
					  "runpod-1x_H100-SXM_SECURE", &b,
					  &err),
			 0);
	assert_int_equal(advise_breakeven_workload(&s, "r", &b, &err), 0);
	assert_int_equal(b.u_devices, 2);
	/* 1,000 h a month and a little more for the second device's
	 * scaling, over 2 x 730 h */
	assert_true(b.u > 1000.0 / 1460 && b.u < 0.8);
	model_scenario_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_colocation),
		cmocka_unit_test(test_edge_no_pue),
		cmocka_unit_test(test_workload_devices),
	};

	return cmocka_run_group_tests_name("breakeven", tests,
					   setup_default_catalog,
					   teardown_catalog);
}
