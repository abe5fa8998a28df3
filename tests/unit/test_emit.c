/* emit's helpers: Kubernetes names, Slurm type names, MIG profiles, the
 * in-memory files. */
#include <string.h>

#include "../../emit/emit_int.h"
#include "test.h"

static void test_k8s_names(void **state)
{
	static const struct {
		const char *a, *b, *want;
	} cases[] = {
		{"phd_vision", "h200", "phd-vision-h200"},
		{"full.quarterly", "h200", "full-quarterly-h200"},
		{"LoRA--Run_", NULL, "lora-run"},
		{"__x__", "A100-80GB", "x-a100-80gb"},
		{"-", "-", ""},
		/* 63 characters at most, never ending with '-' */
		{"a123456789b123456789c123456789d123456789e123456789f12345678",
		 "h200",
		 "a123456789b123456789c123456789d123456789e123456789f12345678-h20"},
		{"a123456789b123456789c123456789d123456789e123456789f1234567",
		 "h200",
		 "a123456789b123456789c123456789d123456789e123456789f1234567-h200"},
		{"a123456789b123456789c123456789d123456789e123456789f12345678x",
		 "h", "a123456789b123456789c123456789d123456789e123456789f12345678x-h"},
		{"a123456789b123456789c123456789d123456789e123456789f12345678xyz",
		 "h",
		 "a123456789b123456789c123456789d123456789e123456789f12345678xyz"},
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		emit_k8s_name(cases[i].a, cases[i].b, out);
		assert_string_equal(out, cases[i].want);
		assert_true(strlen(out) <= 63);
	}
}

static void test_type_names(void **state)
{
	char out[32];

	(void)state;
	emit_type_name("A100-80GB", out, sizeof(out));
	assert_string_equal(out, "a10080gb");
	emit_type_name("Jetson-AGX-Orin", out, 8);
	assert_string_equal(out, "jetsona");
}

static void test_slices(void **state)
{
	(void)state;
	assert_int_equal(emit_slice_g("3g.40gb"), 3);
	assert_int_equal(emit_slice_g("1g.10gb"), 1);
	assert_int_equal(emit_slice_g("1/4"), 0);
	assert_int_equal(emit_slice_g("g.10gb"), 0);
	assert_int_equal(emit_slice_g(""), 0);
}

static void test_files(void **state)
{
	struct emit_files f;
	struct util_buf b;

	(void)state;
	emit_files_init(&f);
	for (int i = 0; i < 20; i++) {
		util_buf_init(&b);
		util_buf_printf(&b, "text %d\n", i);
		emit_files_add(&f, "dir/name", &b);
		assert_int_equal(b.len, 0);
	}
	assert_int_equal(f.n, 20);
	assert_string_equal(f.v[19].name, "dir/name");
	assert_string_equal(f.v[19].text, "text 19\n");
	emit_files_release(&f);
	assert_int_equal(f.n, 0);
	assert_null(f.v);
}

/* Each quoting function keeps any text one value of its kind. */
static void test_quoting(void **state)
{
	static const struct {
		void (*fn)(struct util_buf *, const char *);
		const char *in, *want;
	} cases[] = {
		{emit_yaml_str, "H100", "\"H100\""},
		{emit_yaml_str, "a\"b\\c\nd: e", "\"a\\\"b\\\\c\\x0ad: e\""},
		{emit_yaml_str, "x\xc2\x85y\xe2\x80\xa8z\xe2\x80\xa9",
		 "\"x\\Ny\\Lz\\P\""},
		{emit_yaml_str, "caf\xc3\xa9", "\"caf\xc3\xa9\""},
		{emit_shell_word, "it's $(id)", "'it'\\''s $(id)'"},
		
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct util_buf b;

		util_buf_init(&b);
		cases[i].fn(&b, cases[i].in);
		assert_string_equal(util_buf_str(&b), cases[i].want);
		util_buf_release(&b);
	}
}

static void test_comments(void **state)
{
	struct util_buf b;

	(void)state;
	util_buf_init(&b);
	emit_comment(&b, "# ", "on %s pool", "L40S\n---\nkind: Pod\xe2\x80\xa8");
	assert_string_equal(util_buf_str(&b),
			    "# on L40S?---?kind: Pod??? pool\n");
	util_buf_release(&b);
	assert_true(emit_word_ok("nvidia_h100_80gb_hbm3_"));
	assert_false(emit_word_ok("a b"));
	assert_false(emit_word_ok(""));
	assert_false(emit_word_ok("x\n#SBATCH"));
}

/* Jobs are sized from the device-hours the plan's JSON keeps (0.001), so
 * that a plan and its JSON read back give the same files. */
static void test_device_hours(void **state)
{
	static const double cases[][2] = {
		{3000.0000001, 3000},  /* was 126 day-long jobs, not 125 */
		{48.3333333, 48.333},
		{0.0004, 0},
		{1.2345, 1.235},
	};
	struct model_plan_assignment a = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		a.device_hours = cases[i][0];
		assert_true(emit_device_hours(&a) == cases[i][1]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_k8s_names),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_slices),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_device_hours),
	};

	return cmocka_run_group_tests_name("emit", tests, NULL, NULL);
}
