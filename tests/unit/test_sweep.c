/* A sweep's grid and points (advise/sweep.c, docs/sweep.md): list and
 * range values, the order of the points, the errors of --set, and one
 * point run on a scenario. */
#include <stdio.h>

#include "../../advise/advise.h"
#include "test_model.h"

/* A list, a list value and a range: 2 x 2 x 3 points, the last --set
 * changing fastest. */
static void test_grid(void **state)
{
	struct advise_sweep_grid g = {0};
	struct model_set set[3];
	struct util_err err = {0};
	size_t n;

	(void)state;
	assert_int_equal(advise_sweep_add(&g, "a.b=1,2", &err), 0);
	assert_int_equal(advise_sweep_add(&g, "venues.allow=[cloud, gpuaas],"
					      "[onprem]",
					  &err),
			 0);
	assert_int_equal(advise_sweep_add(&g, "x.price=0.10/kWh..0.30/kWh "
					      "step 0.1",
					  &err),
			 0);
	assert_int_equal(g.dims[1].nvalues, 2);
	assert_string_equal(g.dims[1].values[0], "[cloud, gpuaas]");
	assert_int_equal(g.dims[2].nvalues, 3);
	assert_string_equal(g.dims[2].values[0], "0.1/kWh");
	assert_string_equal(g.dims[2].values[2], "0.3/kWh");
	assert_int_equal(advise_sweep_size(&g, &n, &err), 0);
	assert_int_equal(n, 12);

	advise_sweep_point(&g, 1, set);
	assert_string_equal(set[0].path, "a.b");
	assert_string_equal(set[0].value, "1");
	assert_string_equal(set[1].value, "[cloud, gpuaas]");
	assert_string_equal(set[2].value, "0.1/kWh");
	advise_sweep_point(&g, 2, set); /* the last changes first */
	assert_string_equal(set[0].value, "1");
	assert_string_equal(set[2].value, "0.2/kWh");
	advise_sweep_point(&g, 4, set); /* then the one before */
	assert_string_equal(set[1].value, "[onprem]");
	assert_string_equal(set[2].value, "0.1/kWh");
	advise_sweep_point(&g, 7, set);
	assert_string_equal(set[0].value, "2");
	assert_string_equal(set[1].value, "[cloud, gpuaas]");
	advise_sweep_point(&g, 12, set);
	assert_string_equal(set[0].value, "2");
	assert_string_equal(set[1].value, "[onprem]");
	assert_string_equal(set[2].value, "0.3/kWh");
	advise_sweep_release(&g);
}

static void test_errors(void **state)
{
	struct advise_sweep_grid g = {0};
	struct util_err err = {0};
	size_t n;

	(void)state;
	assert_int_equal(advise_sweep_add(&g, "a.b", &err), UTIL_E_USAGE);
	assert_non_null(strstr(err.msg, "expected PATH=V1,V2,..."));
	assert_int_equal(advise_sweep_add(&g, "a.b=1,,2", &err),
			 UTIL_E_USAGE);
	assert_string_equal(err.msg, "'--set a.b=1,,2': an empty value");
	advise_sweep_release(&g);
	assert_int_equal(advise_sweep_add(&g, "a.b=1", &err), 0);
	assert_int_equal(advise_sweep_add(&g, "a.b=2", &err), UTIL_E_USAGE);
	assert_string_equal(err.msg, "'a.b' is set twice");
	advise_sweep_release(&g);
	/* down, or units that differ */
	assert_int_equal(advise_sweep_add(&g, "a=5..1 step 1", &err),
			 UTIL_E_USAGE);
	assert_non_null(strstr(err.msg, "up by a positive step"));
	advise_sweep_release(&g);
	assert_int_equal(advise_sweep_add(&g, "a=1h..2d step 1", &err),
			 UTIL_E_USAGE);
	assert_non_null(strstr(err.msg, "the same unit"));
	advise_sweep_release(&g);
	/* 1001 x 1000 points */
	assert_int_equal(advise_sweep_add(&g, "a=0..1000 step 1", &err), 0);
	assert_int_equal(advise_sweep_add(&g, "b=1..1000 step 1", &err), 0);
	assert_int_equal(advise_sweep_size(&g, &n, &err), UTIL_E_USAGE);
	assert_string_equal(err.msg, "1001000 points: at most 1000000 in one "
				     "sweep");
	advise_sweep_release(&g);
}

static const char lab[] =
	"scenario: lab\nhorizon: 1y\nperiod: month\n"
	"venues:\n  allow: [cloud, gpuaas]\n"
	"workloads:\n"
	"  - {name: thesis, kind: research, gpu_hours: 3000 A100}\n";

/* A bad value is caught before the grid runs, naming its --set; a
 * point runs into a plan, or into "invalid" with the loader's reason. */
static void test_points(void **state)
{
	struct advise_source src = {.path = "lab.yaml", .buf = (char *)lab,
				    .len = sizeof(lab) - 1,
				    .base = &catalog};
	struct advise_sweep_grid g = {0};
	struct advise_sweep_result x;
	struct model_set set[1];
	struct util_err err = {0};

	(void)state;
	assert_int_equal(advise_sweep_add(&g, "venues.allow=[gpuaas],[nope]",
					  &err),
			 0);
	assert_int_equal(advise_sweep_check(&src, &g, &err), UTIL_E_INPUT);
	assert_non_null(strstr(err.msg, "--set venues.allow=[gpuaas],[nope]: "
					"the value '[nope]' is rejected: "));

	advise_sweep_point(&g, 1, set);
	advise_sweep_run(&src, set, 1, false, &x);
	assert_true(x.planned);
	assert_string_equal(x.status, "optimal");
	assert_string_equal(x.families, "gpuaas");
	assert_true(x.total_cost > 0);
	assert_string_equal(x.message, "");
	assert_false(x.simulated);
	advise_sweep_result_release(&x);

	advise_sweep_point(&g, 2, set);
	advise_sweep_run(&src, set, 1, true, &x);
	assert_false(x.planned);
	assert_string_equal(x.status, "invalid");
	assert_non_null(strstr(x.message, "unknown venue family 'nope'"));
	advise_sweep_result_release(&x);
	advise_sweep_release(&g);

	/* a path that leads nowhere is a usage error */
	assert_int_equal(advise_sweep_add(&g, "workloads.nobody.students=1",
					  &err),
			 0);
	assert_int_equal(advise_sweep_check(&src, &g, &err), UTIL_E_USAGE);
	assert_non_null(strstr(err.msg, "--set workloads.nobody.students=1: "
					"'workloads.nobody.students': no item "
					"named 'nobody'"));
	advise_sweep_release(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grid),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_points),
	};

	return cmocka_run_group_tests_name("sweep", tests,
					   setup_default_catalog,
					   teardown_catalog);
}
