/* report/: figures for people and tables that never cut a cell. */
#include <jansson.h>
#include <string.h>

#include "../../report/format.h"
#include "test.h"

static void test_num(void **state)
{
	static const struct {
		double v;
		int sig;
		const char *want;
	} cases[] = {
		{0, 3, "0"},	       {3.14159, 3, "3.14"},
		{0.000123456, 3, "0.000123"}, {999.96, 3, "1,000"},
		{31581265.2, 3, "31,581,265"}, {-1234.5, 3, "-1,235"},
		{1e-12, 3, "0"},
	};
	char buf[64];

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(cases); i++)
		assert_string_equal(report_fmt_num(buf, sizeof(buf), cases[i].v,
						   cases[i].sig),
				    cases[i].want);
}

static void test_money_duration(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(util_fmt_money(buf, 64, 22594.18, "USD", false),
			    "22,594 USD");
	assert_string_equal(util_fmt_money(buf, 64, 7.5, "CAD", false),
			    "7.50 CAD");
	assert_string_equal(util_fmt_money(buf, 64, 120, "EUR", true),
			    "+120 EUR");
	assert_string_equal(util_fmt_money(buf, 64, -120, "EUR", true),
			    "-120 EUR");
	/* past long long: the figure as it is, not clamped to 9e18 (a
	 * budget of 1e20 was shown as 9,000,000,000,000,000,000) */
	assert_string_equal(util_fmt_money(buf, 64, 1e20, "USD", false),
			    "1e+20 USD");
	assert_string_equal(util_fmt_money(buf, 64, 9.2e17, "USD", false),
			    "920,000,000,000,000,000 USD");
	assert_string_equal(report_fmt_duration(buf, 64, 3.2 * 3600), "3.20 h");
	assert_string_equal(report_fmt_duration(buf, 64, 4.5 * 86400), "4.50 d");
	assert_string_equal(report_fmt_duration(buf, 64, 2.1 * 30.4375 * 86400),
			    "2.10 mo");
	assert_string_equal(report_fmt_duration(buf, 64, 0.335e-3), "335 µs");
	assert_string_equal(report_fmt_duration(buf, 64, 0), "0 s");
	/* 1.25e+05 ± 6.5e+03 seconds, as the issue saw them */
	assert_string_equal(report_fmt_duration_ci(buf, 64, 1.25e5, 6.5e3),
			    "34.7 ± 1.8 h");
}

/* The table at width 0 and at 26 columns: every word is kept, no line
 * is wider than 26, the figure is not broken. */
static void test_table_fits(void **state)
{
	static const char *const head[] = {"", "first option", "second"};
	static const bool right[] = {false, true, true};
	struct report_table t;
	struct report_style wide = {0, false}, narrow = {26, false};
	struct util_buf a, b;

	(void)state;
	report_table_init(&t, 3, head, right);
	report_table_row(&t, (const char *const[]){
				     "total cost over the horizon",
				     "22,594 USD", "1,234,567 USD"});
	report_table_row(&t, (const char *const[]){"maintenance",
						   "none: the provider's",
						   NULL});
	util_buf_init(&a);
	util_buf_init(&b);
	report_table_text(&t, &wide, &a);
	report_table_text(&t, &narrow, &b);
	assert_non_null(strstr(a.s, "22,594 USD  1,234,567 USD\n"));
	assert_non_null(strstr(b.s, "1,234,567 USD"));
	assert_non_null(strstr(b.s, "22,594 USD"));
	assert_null(strstr(b.s, "\u2026"));
	for (const char *l = b.s; *l;) {
		size_t len = strcspn(l, "\n");
		char line[256];

		snprintf(line, sizeof(line), "%.*s", (int)len, l);
		assert_true(report_text_width(line) <= 26);
		l += len + (l[len] == '\n');
	}
	util_buf_release(&b);
	util_buf_release(&a);
	report_table_release(&t);
}

/* Three strategies and a long label in 80 columns: the label wraps
 * (down to 20 columns) so that the three stay side by side in one
 * block, the header once; at 60 columns they cannot, and the table is
 * split into blocks that each repeat the label column. */
static void test_table_side_by_side(void **state)
{
	static const char *const head[] = {"", "keep", "buy-4-l40s",
					   "rent-only"};
	static const bool right[] = {false, false, false, false};
	struct report_table t;
	struct report_style at80 = {80, false}, at60 = {60, false};
	struct util_buf a, b;

	(void)state;
	report_table_init(&t, 4, head, right);
	report_table_row(&t, (const char *const[]){
				     "rounds (plan, simulate, tighten)", "3",
				     "3", "1"});
	report_table_row(&t, (const char *const[]){
				     "p95 wait, dl-course.jan-y1",
				     "4.97 ± 0.085 min", "4.94 ± 0.085 min",
				     "5.27 ± 0.11 min"});
	util_buf_init(&a);
	util_buf_init(&b);
	report_table_text(&t, &at80, &a);
	report_table_text(&t, &at60, &b);
	assert_non_null(strstr(a.s, "4.97 ± 0.085 min  4.94 ± 0.085 min  "
				    "5.27 ± 0.11 min\n"));
	assert_null(strstr(strstr(a.s, "rent-only") + 1, "rent-only"));
	for (const char *l = a.s; *l;) {
		size_t len = strcspn(l, "\n");
		char line[256];

		snprintf(line, sizeof(line), "%.*s", (int)len, l);
		assert_true(report_text_width(line) <= 80);
		l += len + (l[len] == '\n');
	}
	/* split: rent-only in a block of its own, under the labels again */
	assert_non_null(strstr(b.s, "\n\n"));
	assert_non_null(strstr(strstr(b.s, "\n\n"), "p95 wait"));
	util_buf_release(&b);
	util_buf_release(&a);
	report_table_release(&t);
}

/* CSV: numbers stay as they are, text that a spreadsheet would run as
 * a formula starts with a quote, and a comma or quote is quoted. */
/* Notes under a table wrap at spaces, continuation lines 2 deeper; a
 * line that fits, a word wider than the width and width 0 are kept. */
static void test_wrap_text(void **state)
{
	static const struct {
		int width;
		const char *in, *want;
	} cases[] = {
		{20, "verdict: hybrid at 895 USD meets every target\n",
		 "verdict: hybrid at\n  895 USD meets\n  every target\n"},
		{16, "  keep: p95 wait 2.6 days ± 0.1\nshort\n",
		 "  keep: p95 wait\n    2.6 days ±\n    0.1\nshort\n"},
		{8, "a verylongwordindeed b", "a\n  verylongwordindeed\n  b"},
		{0, "no limit at all here", "no limit at all here"},
		{80, "fits", "fits"},
	};

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(cases); i++) {
		struct util_buf b;

		util_buf_init(&b);
		report_wrap_text(cases[i].in, cases[i].width, &b);
		assert_string_equal(util_buf_str(&b), cases[i].want);
		util_buf_release(&b);
	}
}

static void test_csv_formula(void **state)
{
	static const char *const head[] = {"a", "b", "c", "d", "e"};
	struct report_table t;
	struct util_buf out;

	(void)state;
	report_table_init(&t, 5, head, NULL);
	report_table_row(&t, (const char *const[]){"=SUM(A1)", "-12.5", NULL,
						   "@x,\"y\"", "+1 (x)"});
	util_buf_init(&out);
	report_table_csv(&t, &out);
	assert_string_equal(out.s, "a,b,c,d,e\r\n"
				   "'=SUM(A1),-12.5,-,\"'@x,\"\"y\"\"\",'+1 (x)\r\n");
	util_buf_release(&out);
	report_table_release(&t);
}

static void doc(const char *text, struct report_compare_doc *d)
{
	json_t *j = json_loads(text, 0, NULL);
	struct util_err err;

	assert_non_null(j);
	assert_int_equal(report_compare_doc_from_json(j, "t.json", d, &err),
			 0);
	json_decref(j);
}

/* A base at 1,000 USD and a change at 1,100 with a target now missed:
 * "+100 USD (+10.0%)", one target newly missed; a hostile option name
 * stays text. */
static void test_baseline(void **state)
{
	static const char *base_json =
		"{\"scenario\": \"s\", \"currency\": \"USD\", "
		"\"cheapest\": \"h|*_<b>@x\", \"columns\": ["
		"{\"name\": \"h|*_<b>@x\", \"status\": \"meets all targets\", "
		"\"total_cost\": 1000, \"targets\": [{\"workload\": \"w\", "
		"\"target\": \"max_wait\", \"met\": true}]},"
		"{\"name\": \"gone\", \"status\": \"ruled out\"}]}";
	static const char *now_json =
		"{\"scenario\": \"s\", \"currency\": \"USD\", "
		"\"columns\": ["
		"{\"name\": \"h|*_<b>@x\", \"status\": \"misses targets\", "
		"\"total_cost\": 1100, \"targets\": [{\"workload\": \"w\", "
		"\"target\": \"max_wait\", \"met\": false}]}]}";
	struct report_compare_doc base, now;
	struct util_err err;
	struct util_buf out;

	(void)state;
	doc(base_json, &base);
	doc(now_json, &now);
	util_buf_init(&out);
	assert_int_equal(report_baseline_markdown(&base, &now, "DETAILS",
						  &out, &err),
			 0);
	assert_ptr_equal(strstr(out.s, "**gpuplan** s: no option meets every "
				"target (on the base: h\\|\\*\\_\\<b\\>\\@x); "
				"targets newly missed: 1, newly met: 0\n\n"),
			 out.s);
	assert_non_null(strstr(out.s, "| h\\|\\*\\_\\<b\\>\\@x | meets all "
				       "targets → misses targets | 1,000 USD | "
				       "1,100 USD | +100 USD (+10.0%) |\n"));
	assert_non_null(strstr(out.s, "| gone | removed | - | - | removed |"));
	assert_non_null(strstr(out.s, "w max\\_wait: newly missed"));
	assert_non_null(strstr(out.s, "<details><summary>"));
	assert_non_null(strstr(out.s, "DETAILS\n</details>\n"));
	util_buf_release(&out);
	report_compare_doc_release(&now);
	report_compare_doc_release(&base);
}

/* The base is untrusted: a cost of the wrong type is named by its path. */
static void test_baseline_checked(void **state)
{
	json_t *j = json_loads("{\"scenario\": \"s\", \"currency\": \"USD\", "
			       "\"columns\": [{\"name\": \"a\", \"status\": "
			       "\"x\", \"targets\": [{\"workload\": 3}]}]}",
			       0, NULL);
	struct report_compare_doc d;
	struct util_err err;

	(void)state;
	assert_int_equal(report_compare_doc_from_json(j, "b.json", &d, &err),
			 UTIL_E_INPUT);
	assert_string_equal(err.msg, "b.json: columns[0].targets[0].'workload': "
				     "a string was expected (is the file the "
				     "output of 'gpuplan compare --format "
				     "json'?)");
	report_compare_doc_release(&d);
	json_decref(j);
}

/* 'cheapest' is optional: absent or null (gpuplan 0.1.0 wrote null when
 * no option met every target) is none; another type is refused. */
static void test_baseline_cheapest(void **state)
{
	static const char *const cheapest[] = {"null", "3", "\"a\""};
	static const int rc[] = {0, UTIL_E_INPUT, 0};

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		char text[200];
		json_t *j;
		struct report_compare_doc d;
		struct util_err err;

		snprintf(text, sizeof(text), "{\"scenario\": \"s\", "
			 "\"currency\": \"USD\", \"cheapest\": %s, "
			 "\"columns\": [{\"name\": \"a\", \"status\": "
			 "\"x\"}]}", cheapest[i]);
		j = json_loads(text, 0, NULL);
		assert_non_null(j);
		assert_int_equal(report_compare_doc_from_json(j, "b.json", &d,
							      &err),
				 rc[i]);
		if (i == 0)
			assert_null(d.cheapest);
		if (i == 2)
			assert_string_equal(d.cheapest, "a");
		report_compare_doc_release(&d);
		json_decref(j);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_num),
		cmocka_unit_test(test_money_duration),
		cmocka_unit_test(test_table_fits),
		cmocka_unit_test(test_table_side_by_side),
		cmocka_unit_test(test_wrap_text),
		cmocka_unit_test(test_csv_formula),
		cmocka_unit_test(test_baseline),
		cmocka_unit_test(test_baseline_checked),
		cmocka_unit_test(test_baseline_cheapest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
