/* Strategies (advise/strategy.c, docs/compare.md): the scenario's and
 * --strategy's listed and checked, each loaded with its overrides, and a
 * wrong one placed at the override that causes it. */
#include <stdio.h>

#include "../../advise/advise.h"
#include "test_model.h"

static const char lab[] =
	"scenario: lab\nhorizon: 1y\nperiod: month\n"
	"venues:\n  allow: [cloud, gpuaas, onprem]\n"
	"  onprem:\n    owned: {A100-80GB: 2}\n"
	"    buy: {L40S: {max: 4}}\n"
	"workloads:\n"
	"  - {name: thesis, kind: research, gpu_hours: 3000 A100}\n"
	"strategies:\n"
	"  - name: keep\n"
	"  - name: buy\n"
	"    set: [\"venues.onprem.buy.L40S.min=3\", "
	"\"venues.onprem.buy.L40S.max=%s\"]\n";

/* lab with the buy strategy's max, loaded, and src over its text */
static void load_lab(const char *max, char *text, size_t n,
		     struct model_scenario *s, struct advise_source *src)
{
	struct util_diags d;

	snprintf(text, n, lab, max);
	util_diags_init(&d);
	assert_int_equal(model_scenario_load_buffer(s, "lab.yaml", text,
						    strlen(text), &catalog,
						    &d),
			 0);
	util_diags_release(&d);
	*src = (struct advise_source){.path = "lab.yaml", .buf = text,
				      .len = strlen(text), .base = &catalog};
}

/* Both of the scenario's, then a flag's whose comma inside [a, b] does
 * not split it; each loads with its overrides applied. */
static void test_apply(void **state)
{
	static const char *const flags[] = {
		"rent=venues.allow=[cloud, gpuaas],"
		"venues.onprem.owned.A100-80GB=0"};
	char text[1024];
	struct model_scenario s, t;
	struct advise_source src;
	struct advise_strategies l;
	struct util_err err = {0};

	(void)state;
	load_lab("3", text, sizeof(text), &s, &src);
	assert_int_equal(advise_strategies_list(&s, flags, 1, &l, &err), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.nfile, 2);
	assert_string_equal(l.v[2].name, "rent");
	assert_int_equal(l.v[2].nset, 2);
	assert_string_equal(l.v[2].set[0], "venues.allow=[cloud, gpuaas]");
	assert_null(l.v[2].line);
	assert_int_equal(l.v[1].line[1], 14);

	assert_int_equal(advise_strategy_load(&src, &l.v[1], NULL, 0, &t,
					      &err),
			 0);
	assert_int_equal(t.venues.nbuy, 1);
	assert_int_equal(t.venues.buy[0].min, 3);
	assert_int_equal(t.venues.buy[0].max, 3);
	model_scenario_release(&t);

	assert_int_equal(advise_strategy_load(&src, &l.v[2], NULL, 0, &t,
					      &err),
			 0);
	assert_false(t.venues.allow & (1u << PRICING_ONPREM));
	assert_true(t.venues.allow & (1u << PRICING_CLOUD));
	model_scenario_release(&t);
	advise_strategies_release(&l);
	model_scenario_release(&s);
}

/* min 3 then max 2: the first override alone is fine (max 4 in the
 * file), both together are not, so the error is at the second, line 14
 * column 43; a flag's error has no place and is a usage error. */
static void test_errors(void **state)
{
	static const char *const unknown[] = {"x=venues.onprem.buy.L40S.mni=1"};
	static const char *const dup[] = {"keep=venues.allow=[cloud]"};
	static const char *const form[] = {"x=venues.allow"};
	static const char *const noname[] = {"=venues.allow=[cloud]"};
	char text[1024];
	struct model_scenario s, t;
	struct advise_source src;
	struct advise_strategies l;
	struct util_diags d;
	struct util_err err = {0};

	(void)state;
	load_lab("2", text, sizeof(text), &s, &src);
	assert_int_equal(advise_strategies_list(&s, unknown, 1, &l, &err), 0);
	assert_int_equal(advise_strategy_load(&src, &l.v[1], NULL, 0, &t,
					      &err),
			 UTIL_E_INPUT);
	model_scenario_release(&t);
	assert_non_null(strstr(err.msg, "lab.yaml:14:43: strategy 'buy': "));
	assert_non_null(strstr(err.msg, "more than its max (2)"));

	util_diags_init(&d);
	assert_int_equal(advise_strategy_check(&src, &l.v[1], NULL, 0, &d),
			 UTIL_E_INPUT);
	assert_int_equal(d.nerrors, 1);
	assert_int_equal(d.v[0].line, 14);
	assert_int_equal(d.v[0].col, 43);
	assert_int_equal(advise_strategy_check(&src, &l.v[0], NULL, 0, &d), 0);
	/* the flag: an unknown path, with a did-you-mean */
	assert_int_equal(advise_strategy_check(&src, &l.v[2], NULL, 0, &d),
			 UTIL_E_USAGE);
	assert_int_equal(d.v[1].line, 0);
	assert_non_null(strstr(d.v[1].msg, "--strategy x: unknown key 'mni'"));
	assert_non_null(strstr(d.v[1].msg, "did you mean 'min'"));
	util_diags_release(&d);
	advise_strategies_release(&l);

	/* a flag named as one of the scenario's, a flag not PATH=VALUE */
	assert_int_equal(advise_strategies_list(&s, dup, 1, &l, &err),
			 UTIL_E_USAGE);
	assert_string_equal(err.msg, "two strategies are named 'keep'");
	advise_strategies_release(&l);
	assert_int_equal(advise_strategies_list(&s, form, 1, &l, &err),
			 UTIL_E_USAGE);
	assert_string_equal(err.msg,
			    "--strategy x: 'venues.allow' is not PATH=VALUE");
	advise_strategies_release(&l);
	assert_int_equal(advise_strategies_list(&s, noname, 1, &l, &err),
			 UTIL_E_USAGE);
	assert_non_null(strstr(err.msg, "is NAME=PATH=VALUE"));
	advise_strategies_release(&l);
	model_scenario_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("strategy", tests,
					   setup_default_catalog,
					   teardown_catalog);
}
