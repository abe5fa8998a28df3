/* cli helpers: tables in every format, exit codes, --format values. */
#include <string.h>

#include "../../cli/cli.h"
#include "test.h"

static const char *const head[] = {"name", "price"};
static const bool right[] = {false, true};

static void fill(struct cli_table *t)
{
	cli_table_init(t, 2, head, right);
	cli_table_row(t, (const char *const[]){"H100", "2.99"});
	cli_table_row(t, (const char *const[]){"a,\"b\"|c", NULL});
}

static void render(enum cli_format f, const char *want)
{
	struct cli_table t;
	struct util_buf b;

	fill(&t);
	util_buf_init(&b);
	cli_table_render(&t, f, &b);
	assert_string_equal(b.s, want);
	util_buf_release(&b);
	cli_table_release(&t);
}

static void test_table(void **state)
{
	(void)state;
	render(CLI_TABLE, "name     price\n"
			  "H100      2.99\n"
			  "a,\"b\"|c      -\n");
	render(CLI_CSV, "name,price\r\nH100,2.99\r\n\"a,\"\"b\"\"|c\",-\r\n");
	render(CLI_MARKDOWN, "| name | price |\n|---|---:|\n| H100 | 2.99 |\n"
			     "| a,\"b\"\\|c | - |\n");
}

static void test_exit_codes(void **state)
{
	(void)state;
	assert_int_equal(cli_exit_code(UTIL_OK), 0);
	assert_int_equal(cli_exit_code(UTIL_E_INPUT), 65);
	assert_int_equal(cli_exit_code(UTIL_E_NOINPUT), 66);
	assert_int_equal(cli_exit_code(UTIL_E_USAGE), 2);
	assert_int_equal(cli_exit_code(UTIL_E_UNAVAILABLE), 69);
	assert_int_equal(cli_exit_code(UTIL_E_INTERNAL), 70);
	assert_int_equal(cli_exit_code(UTIL_E_INFEASIBLE), 3);
	assert_int_equal(cli_exit_code(UTIL_E_IO), 73);
}

static void test_format(void **state)
{
	enum cli_format f = CLI_TABLE;

	(void)state;
	assert_int_equal(cli_parse_format("x", "json", 1u << CLI_JSON, &f), 0);
	assert_int_equal(f, CLI_JSON);
	/* a format the command does not offer is a usage error */
	assert_int_equal(cli_parse_format("x", "csv", 1u << CLI_JSON, &f),
			 CLI_EXIT_USAGE);
	assert_int_equal(f, CLI_JSON);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
