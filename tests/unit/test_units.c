/* Quantities with units: what is accepted, in which base unit, and what
 * is rejected with which message. */
#include <string.h>

#include "../../model/model.h"
#include "test.h"

struct ok_case {
	const char *text;
	enum model_dim dim;
	double want;
};

static const struct ok_case ok_cases[] = {
	{"16GB", MODEL_DIM_SIZE, 16e9},
	{"48GiB", MODEL_DIM_SIZE, 48.0 * 1073741824.0},
	{"2TB", MODEL_DIM_SIZE, 2e12},
	{"200KB", MODEL_DIM_SIZE, 2e5},
	{"16 GB", MODEL_DIM_SIZE, 16e9},
	{"90s", MODEL_DIM_DURATION, 90},
	{"5min", MODEL_DIM_DURATION, 300},
	{"3h", MODEL_DIM_DURATION, 10800},
	{"2d", MODEL_DIM_DURATION, 172800},
	{"12w", MODEL_DIM_DURATION, 12 * 604800.0},
	{"6mo", MODEL_DIM_DURATION, 6 * 730 * 3600.0},
	{"3y", MODEL_DIM_DURATION, 3 * 8760 * 3600.0},
	{"50ms", MODEL_DIM_DURATION, 0.05},
	{"250k", MODEL_DIM_MONEY, 250e3},
	{"1.2M", MODEL_DIM_MONEY, 1.2e6},
	{"$400", MODEL_DIM_MONEY, 400},
	{"400 EUR", MODEL_DIM_MONEY, 400},
	{"400k EUR", MODEL_DIM_MONEY, 400e3},
	{"$250k", MODEL_DIM_MONEY, 250e3},
	{"$0.40/h", MODEL_DIM_MONEY_PER_TIME, 0.40 / 3600},
	{"49.99/month", MODEL_DIM_MONEY_PER_TIME, 49.99 / (730 * 3600.0)},
	{"0.18/kWh", MODEL_DIM_MONEY_PER_ENERGY, 0.18 / 3.6e6},
	{"\xe2\x82\xac" "0.18/kWh", MODEL_DIM_MONEY_PER_ENERGY, 0.18 / 3.6e6},
	{"0.09/GB", MODEL_DIM_MONEY_PER_SIZE, 0.09 / 1e9},
	{"30/s", MODEL_DIM_RATE, 30},
	{"4/month", MODEL_DIM_RATE, 4 / (730 * 3600.0)},
	{"5000/day", MODEL_DIM_RATE, 5000 / 86400.0},
	{"10%", MODEL_DIM_FRACTION, 0.10},
	{"8.7GFLOP", MODEL_DIM_FLOP, 8.7e9},
	{"362TFLOPS", MODEL_DIM_FLOPS, 362e12},
	{"275TOPS", MODEL_DIM_FLOPS, 275e12},
	{"350W", MODEL_DIM_POWER, 350},
	{"1.2kW", MODEL_DIM_POWER, 1200},
	{"12kWh", MODEL_DIM_ENERGY, 12 * 3.6e6},
	{"30Gb/s", MODEL_DIM_BANDWIDTH, 30e9 / 8},
	{"864GB/s", MODEL_DIM_BANDWIDTH, 864e9},
	{"10Gbps", MODEL_DIM_BANDWIDTH, 10e9 / 8},
	{"20/TB-month", MODEL_DIM_MONEY_PER_SIZE_TIME, 20 / (1e12 * 730 * 3600.0)},
	{"0.24 USD/GB-year", MODEL_DIM_MONEY_PER_SIZE_TIME,
	 0.24 / (1e9 * 8760 * 3600.0)},
	{"8B", MODEL_DIM_NUMBER, 8e9},
	{"50M", MODEL_DIM_NUMBER, 50e6},
	{"120", MODEL_DIM_NUMBER, 120},
	{"1e3", MODEL_DIM_NUMBER, 1000},
	{"0", MODEL_DIM_SIZE, 0},
	{"8B", MODEL_DIM_SIZE, 8},
};

static void test_accepts(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		struct util_err err = {0};
		double v = -1;
		int rc = model_units_parse(ok_cases[i].text, ok_cases[i].dim, 0,
					   &v, &err);

		if (rc)
			fail_msg("'%s': %s", ok_cases[i].text, err.msg);
		assert_near(v, ok_cases[i].want, 1e-12);
	}
}

struct bad_case {
	const char *text;
	enum model_dim dim;
	unsigned flags;
	const char *msg; /* a part of the message */
};

static const struct bad_case bad_cases[] = {
	{"16GB", MODEL_DIM_DURATION, 0, "expected a duration"},
	{"16GB", MODEL_DIM_DURATION, 0, "got a size '16GB'"},
	{"3h", MODEL_DIM_SIZE, 0, "got a duration"},
	{"3hh", MODEL_DIM_DURATION, 0, "unknown unit 'hh' (did you mean 'h'?)"},
	{"3 parsecs", MODEL_DIM_DURATION, 0, "unknown unit 'parsecs'"},
	{"nan", MODEL_DIM_NUMBER, 0, "not a finite number"},
	{"inf", MODEL_DIM_NUMBER, 0, "not a finite number"},
	{"-inf", MODEL_DIM_NUMBER, 0, "not a finite number"},
	{".inf", MODEL_DIM_NUMBER, 0, "not a finite number"},
	{"1e999", MODEL_DIM_NUMBER, 0, "'1e999' is out of range"},
	{"1e300TB", MODEL_DIM_SIZE, 0, "out of range"},
	{"0x10", MODEL_DIM_NUMBER, 0, "unknown unit 'x10'"},
	{"1,000 USD", MODEL_DIM_MONEY, 0, "without thousands separators"},
	{"2,5", MODEL_DIM_NUMBER, 0, "a point for decimals"},
	{"-5GB", MODEL_DIM_SIZE, 0, "cannot be negative"},
	{"0s", MODEL_DIM_DURATION, MODEL_UNITS_POSITIVE, "greater than zero"},
	{"", MODEL_DIM_SIZE, 0, "no number"},
	{"GB", MODEL_DIM_SIZE, 0, "no number"},
	{"10", MODEL_DIM_FRACTION, 0, "expected a percentage"},
	{"10%", MODEL_DIM_NUMBER, 0, "got a percentage"},
	{"$5/h/h", MODEL_DIM_MONEY_PER_TIME, 0, "one unit after '/'"},
	{"5/", MODEL_DIM_RATE, 0, "one unit after '/'"},
	{"$5 USD", MODEL_DIM_MONEY, 0, "currency given twice"},
	{"1.2.3GB", MODEL_DIM_SIZE, 0, "not a valid number"},
	{"30/s", MODEL_DIM_DURATION, 0, "got a rate"},
	{"16gb", MODEL_DIM_SIZE, 0, "did you mean 'GB'?"},
	{"16 GB of RAM", MODEL_DIM_SIZE, 0, "unexpected 'of RAM' after"},
	{"5 min later", MODEL_DIM_DURATION, 0, "unexpected 'later'"},
};

static void test_rejects(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct util_err err = {0};
		double v = 42;
		int rc = model_units_parse(c->text, c->dim, c->flags, &v, &err);

		if (rc != UTIL_E_INPUT)
			fail_msg("'%s' was accepted as %g", c->text, v);
		if (!strstr(err.msg, c->msg))
			fail_msg("'%s': message '%s' lacks '%s'", c->text,
				 err.msg, c->msg);
		assert_near(v, 42, 0); /* untouched on error */
	}
}

static void test_negative_allowed(void **state)
{
	struct util_err err;
	double v;

	(void)state;
	assert_int_equal(model_units_parse("-5%", MODEL_DIM_FRACTION,
					   MODEL_UNITS_NEGATIVE, &v, &err),
			 0);
	assert_near(v, -0.05, 1e-12);
}

static void test_currency(void **state)
{
	static const struct {
		const char *text, *code;
	} cases[] = {{"$0.40/h", "$"},		{"400k EUR", "EUR"},
		     {"\xe2\x82\xac" "5", "EUR"}, {"\xc2\xa3" "5", "GBP"},
		     {"0.18/kWh", NULL},	{"250k", NULL}};
	char code[4];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int got = model_units_currency(cases[i].text, code);

		assert_int_equal(got, cases[i].code != NULL);
		if (got)
			assert_string_equal(code, cases[i].code);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_negative_allowed),
		cmocka_unit_test(test_currency),
	};

	return cmocka_run_group_tests_name("units", tests, NULL, NULL);
}
