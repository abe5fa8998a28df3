/* One energy figure (docs/perf-model.md, Energy): on every shipped
 * scenario the plan's energy (the figure compare's energy row sums)
 * times the site's electricity price and PUE is its energy bill; edge
 * boards draw little between requests. */
#include <glob.h>
#include <string.h>

#include "test_model.h"

/* The price per kWh and PUE the scenario or the offer sets, as a reader
 * of docs/scenario.md and docs/catalog.md would find them (1.4 and 0.15
 * are the embedded on-prem offers' defaults). */
static double kwh_cost(const struct model_scenario *s,
		       const struct model_plan_assignment *a)
{
	const double *t = a->offer ? a->offer->term : NULL;
	double price = s->venues.electricity >= 0
			       ? s->venues.electricity * 3.6e6
			       : t && t[PRICING_ELECTRICITY_KWH] >= 0
					 ? t[PRICING_ELECTRICITY_KWH]
					 : 0.15;
	double pue = s->venues.pue >= 0 ? s->venues.pue
		     : t && t[PRICING_PUE] >= 0 ? t[PRICING_PUE]
						 : 1.4;

	if (a->family == PRICING_EDGE) /* boards on site: no PUE */
		pue = 1;
	return price * pue;
}

static void check_scenario(const char *path)
{
	struct model_scenario s;
	struct model_plan p = {0};
	struct model_plan_opts opt = {.family = -1};
	struct util_diags d;
	struct util_err err;
	double bill = 0;

	util_diags_init(&d);
	if (model_scenario_load(&s, path, &catalog, &d))
		fail_msg("%s does not load", path);
	util_diags_release(&d);
	if (model_plan(&s, &opt, &p, &err))
		fail_msg("%s: %s", path, err.msg);
	for (size_t i = 0; i < p.nassign; i++) {
		const struct model_plan_assignment *a = &p.assign[i];

		if (a->family == PRICING_ONPREM || a->family == PRICING_EDGE)
			bill += a->energy_kwh * kwh_cost(&s, a);
	}
	print_message("%-40s energy bill %10.2f, kWh x price x PUE %10.2f\n",
		      path, p.cost[MODEL_COST_ENERGY], bill);
	if (bill > 0 || p.cost[MODEL_COST_ENERGY] > 0)
		assert_near(bill, p.cost[MODEL_COST_ENERGY], 1e-3);
	model_plan_release(&p);
	model_scenario_release(&s);
}

static void test_bill_matches_row(void **state)
{
	glob_t g;

	(void)state;
	assert_int_equal(glob("scenarios/*.yaml", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 9);
	for (size_t i = 0; i < g.gl_pathc; i++)
		check_scenario(g.gl_pathv[i]);
	globfree(&g);
}

/* 40 Orin Nanos serving a camera each at a few percent load draw near
 * their lowest power mode (7 W), not their 25 W TDP around the clock. */
static void test_edge_duty_cycle(void **state)
{
	struct model_scenario s;
	struct model_plan p = {0};
	struct model_plan_opts opt = {.family = -1};
	struct util_diags d;
	struct util_err err;
	double kwh = 0, dh = 0;

	(void)state;
	util_diags_init(&d);
	assert_int_equal(model_scenario_load(&s, "scenarios/edge-cameras.yaml",
					     &catalog, &d), 0);
	util_diags_release(&d);
	assert_int_equal(model_plan(&s, &opt, &p, &err), 0);
	for (size_t i = 0; i < p.nassign; i++) {
		kwh += p.assign[i].energy_kwh;
		dh += p.assign[i].device_hours;
	}
	print_message("edge-cameras: %.0f kWh over %.0f board-hours: %.2f W "
		      "a board\n", kwh, dh, kwh / dh * 1000);
	assert_true(dh > 0);
	assert_in_range((long)(kwh / dh * 1000), 7, 9);
	model_plan_release(&p);
	model_scenario_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bill_matches_row),
		cmocka_unit_test(test_edge_duty_cycle),
	};

	return cmocka_run_group_tests(tests, setup_default_catalog,
				      teardown_catalog);
}
