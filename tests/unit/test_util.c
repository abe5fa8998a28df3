/* util: typo suggestions, UTF-8, strict numbers, diagnostics, files. */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../util/util.h"
#include "test.h"

static void test_nearest(void **state)
{
	static const char *const names[] = {"students", "sessions",
					    "per_student", "start_within"};
	static const struct {
		const char *word, *want;
	} cases[] = {
		{"studnets", "students"}, {"Students", "students"},
		{"sesions", "sessions"},  {"per-student", "per_student"},
		{"xyz", NULL},		  {"start", "start_within"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *got = util_nearest(cases[i].word, names, 4);

		if (cases[i].want)
			assert_string_equal(got, cases[i].want);
		else
			assert_null(got);
	}
	assert_int_equal(util_edit_distance("ab", "ba"), 1);
	assert_int_equal(util_edit_distance("", "abc"), 3);
}

static void test_utf8(void **state)
{
	static const struct {
		const char *s;
		bool ok;
		size_t bad;
	} cases[] = {
		{"plain", true, 0},
		{"\xe2\x82\xac 5", true, 0},
		{"ab\xff", false, 2},
		{"\xc0\xaf", false, 0},		/* overlong '/' */
		{"\xed\xa0\x80", false, 0},	/* surrogate */
		{"\xf4\x90\x80\x80", false, 0}, /* above U+10FFFF */
		{"x\xe2\x82", false, 1},	/* truncated */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		size_t bad = 99;

		assert_int_equal(util_utf8_valid(cases[i].s,
						 strlen(cases[i].s), &bad),
				 cases[i].ok);
		if (!cases[i].ok)
			assert_int_equal(bad, cases[i].bad);
	}
}

static void test_numbers(void **state)
{
	static const char *const bad[] = {"", "nan", "inf", "1e999", "0x1",
					  "1e", "+", "1 ", " 1", "--1"};
	double d;
	long l;

	(void)state;
	assert_int_equal(util_parse_double("-1.5e3", &d), 0);
	assert_near(d, -1500, 0);
	assert_int_equal(util_parse_double(".5", &d), 0);
	/* a subnormal reads back (what "%.10g" writes of one); a number
	 * that underflows to zero does not */
	assert_int_equal(util_parse_double("9.999888672e-321", &d), 0);
	assert_true(d > 9.9e-321 && d <= 1e-320);
	assert_int_equal(util_parse_double("1e-400", &d), UTIL_E_INPUT);
	{ /* durations in the unit that reads best */
		char b[32];

		assert_string_equal(util_fmt_duration(b, sizeof(b), 0.25),
				    "250 ms");
		assert_string_equal(util_fmt_duration(b, sizeof(b), 300),
				    "5 min");
		assert_string_equal(util_fmt_duration(b, sizeof(b), 86400),
				    "24 h");
		assert_string_equal(util_fmt_duration(b, sizeof(b), 3 * 86400),
				    "3 days");
		/* no exponent: the unit follows the rounded figure */
		assert_string_equal(util_fmt_duration(b, sizeof(b), 0.9996),
				    "1 s");
		assert_string_equal(util_fmt_duration(b, sizeof(b), 119.9),
				    "2 min");
		assert_string_equal(util_fmt_duration(b, sizeof(b),
						    1095 * 86400.0),
				    "1095 days");
		assert_string_equal(util_fmt_duration(b, sizeof(b), -3600),
				    "-60 min");
		/* measured times as estimate prints them, in its notes
		 * too: tenths of a millisecond under a second */
		assert_string_equal(util_fmt_ms(b, sizeof(b), 256.54),
				    "256.5 ms");
		assert_string_equal(util_fmt_ms(b, sizeof(b), 999.96), "1 s");
		assert_string_equal(util_fmt_ms(b, sizeof(b), 2787.7),
				    "2.79 s");
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (util_parse_double(bad[i], &d) == 0)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(util_parse_long("42", 0, 100, &l), 0);
	assert_int_equal(l, 42);
	assert_int_equal(util_parse_long("101", 0, 100, &l), UTIL_E_INPUT);
	assert_int_equal(util_parse_long("4.2", 0, 100, &l), UTIL_E_INPUT);
	assert_int_equal(util_parse_long("99999999999999999999", 0, 100, &l),
			 UTIL_E_INPUT);
}

static void test_diags(void **state)
{
	struct util_diags d;
	struct util_buf b;

	(void)state;
	util_diags_init(&d);
	util_diag_add(&d, UTIL_ERROR, "f.yaml", 9, 2, "later");
	util_diag_add(&d, UTIL_WARNING, "f.yaml", 3, 7, "earlier %d", 1);
	util_diag_add(&d, UTIL_ERROR, "f.yaml", 3, 7, "same place");
	util_diags_sort(&d);
	assert_int_equal(d.nerrors, 2);
	assert_int_equal(d.nwarnings, 1);
	util_buf_init(&b);
	util_diag_format(&d.v[0], &b);
	assert_string_equal(b.s, "f.yaml:3:7: warning: earlier 1");
	assert_string_equal(d.v[1].msg, "same place");
	assert_string_equal(d.v[2].msg, "later");
	util_buf_release(&b);
	for (int i = 0; i < UTIL_DIAGS_MAX + 5; i++)
		util_diag_add(&d, UTIL_ERROR, NULL, 0, 0, "x");
	assert_int_equal(d.n, UTIL_DIAGS_MAX);
	assert_int_equal(d.dropped, 8);
	util_diags_release(&d);
}

static void test_files(void **state)
{
	char dir[] = "/tmp/gpuplan-util-XXXXXX";
	struct util_err err;
	char *path, *data = NULL;
	size_t len;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = util_xasprintf("%s/out.txt", dir);
	assert_int_equal(util_write_atomic(path, "hello", 5, &err), 0);
	assert_int_equal(util_read_file(path, 100, &data, &len, &err), 0);
	assert_int_equal(len, 5);
	assert_string_equal(data, "hello");
	free(data);
	assert_int_equal(util_read_file(path, 4, &data, &len, &err),
			 UTIL_E_INPUT);
	assert_non_null(strstr(err.msg, "larger than the limit"));
	assert_int_equal(util_read_file(dir, 100, &data, &len, &err),
			 UTIL_E_INPUT);
	assert_non_null(strstr(err.msg, "is a directory"));
	unlink(path);
	assert_int_equal(util_read_file(path, 100, &data, &len, &err),
			 UTIL_E_NOINPUT);
	free(path);
	/* a write into a missing directory fails and leaves nothing */
	path = util_xasprintf("%s/no/such/out.txt", dir);
	assert_int_equal(util_write_atomic(path, "x", 1, &err), UTIL_E_IO);
	free(path);
	assert_int_equal(rmdir(dir), 0); /* empty: no temporary left */
}

/* The character sets of names and descriptions from input files, and
 * how a bad one is shown in a message. */
static void test_names(void **state)
{
	static const char *const idents_ok[] = {"H100", "A100-80GB",
						"runpod-1x_L4_SECURE", "a.b"};
	static const char *const idents_bad[] = {
		"", "-rf", ".x", "L40S\nsetup: x", "a b", "a\"b", "$(id)",
		"a:b", "a#b", "\xc2\x85", "a'b"};
	static const char *const labels_ok[] = {"Czechia, CZ, EU",
						"Colab Pro+ (A100 runtime)",
						"a: b, c (d) / e: f -"};
	static const char *const labels_bad[] = {
		"", " x", "x ", "a\nb", "a\"b", "a#b", "$x", "a\\b", "`x`",
		"a'b", "\xe2\x80\xa8"};
	char big[UTIL_IDENT_MAX + 2], out[16];

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(idents_ok); i++)
		assert_true(util_ident_ok(idents_ok[i]));
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(idents_bad); i++)
		assert_false(util_ident_ok(idents_bad[i]));
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(labels_ok); i++)
		assert_true(util_label_ok(labels_ok[i]));
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(labels_bad); i++)
		assert_false(util_label_ok(labels_bad[i]));
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_false(util_ident_ok(big));
	big[sizeof(big) - 2] = '\0';
	assert_true(util_ident_ok(big));
	util_escape("a\nb\\\x1b", out, sizeof(out));
	assert_string_equal(out, "a\\nb\\\\\\x1b");
	util_escape("\xc2\x9b" "\xc3\xa9", out, sizeof(out));
	assert_string_equal(out, "\\u009b\xc3\xa9");
	util_escape("0123456789abcdef", out, sizeof(out));
	assert_string_equal(out, "012345678...");
}

/* The position of a value along its path in a JSON text, for messages
 * about a plan read back: through strings holding brackets, commas and
 * escaped quotes, nested values skipped whole, multi-byte characters
 * counted once; a path that leads nowhere gives the deepest value. */
static void test_json_locate(void **state)
{
	static const char text[] =
		"{\n  \"a\": \"x,]}\\\"{\",\n  \"list\": [\n"
		"    {\"k\": [1, {\"z\": 2}], \"v\": 3},\n"
		"    {\"\xc3\xa9\": 0, \"v\": null}\n  ]\n}";
	static const struct {
		const char *path[3];
		size_t n;
		bool ok;
		int line, col;
	} cases[] = {
		{{"a"}, 1, true, 2, 8},
		{{"list"}, 1, true, 3, 11},
		{{"list", "0", "v"}, 3, true, 4, 31},
		{{"list", "1", "v"}, 3, true, 5, 19},
		{{"list", "0", "k"}, 3, true, 4, 11},
		{{"list", "2", "v"}, 3, false, 3, 11},
		{{"list", "1", "w"}, 3, false, 5, 5},
		{{"a", "0"}, 2, false, 2, 8},
		{{NULL}, 0, true, 1, 1},
	};

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(cases); i++) {
		int line = 0, col = 0;

		assert_int_equal(util_json_locate(text, sizeof(text) - 1,
						  cases[i].path, cases[i].n,
						  &line, &col),
				 cases[i].ok);
		assert_int_equal(line, cases[i].line);
		assert_int_equal(col, cases[i].col);
	}
	/* util_one_line: printable text on one line */
	assert_true(util_one_line("buy 4 L40S, été"));
	assert_false(util_one_line("a\nb"));
	assert_false(util_one_line("a\tb"));
	assert_false(util_one_line("a\x7f"));
	assert_false(util_one_line("x\xe2\x80\xae" "DSU")); /* U+202E */
	assert_false(util_one_line("x\xc2\x9b" "2J")); /* U+009B */
	/* A NUL inside a token is skipped like any other byte (it once
	 * stopped the scan for good: the fuzzer's timeout). */
	{
		static const char nul[] = "{\"p\": [2.6, 2\0.6, 3], \"v\": 1}";
		const char *path[] = {"v"};
		int line = 0, col = 0;

		assert_true(util_json_locate(nul, sizeof(nul) - 1, path, 1,
					     &line, &col));
		assert_int_equal(col, 28);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nearest), cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_numbers), cmocka_unit_test(test_diags),
		cmocka_unit_test(test_files), cmocka_unit_test(test_names),
		cmocka_unit_test(test_json_locate),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
