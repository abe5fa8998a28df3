/* Shard files (advise/shard.c, docs/sweep.md): which items a shard
 * takes, the header read back with its problems placed, a set of shards
 * checked, and a sensitivity in three shards merged to the bit of one
 * run (advise/sensitivity.c). */
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "../../advise/advise.h"
#include "test_model.h"

static const char scenario[] =
	"scenario: shards\n"
	"horizon: 1y\n"
	"period: month\n"
	"venues:\n"
	"  allow: [cloud, gpuaas]\n"
	"workloads:\n"
	"  - name: course\n"
	"    kind: teaching\n"
	"    students: 40\n"
	"    sessions: {per_week: 2, duration: 3h, weeks: 12}\n"
	"    per_student: {gpu_memory: 16GB, compute: 0.25 L40S}\n"
	"  - name: phd\n"
	"    kind: research\n"
	"    gpu_hours: 2000 A100\n";

/* text into a new temporary file, whose name goes to path */
static void put(char *path, const char *text)
{
	int fd;

	snprintf(path, 64, "/tmp/test_shard.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* b's text written to path (a new temporary file), read back into sh as
 * a sensitivity's shard, and removed */
static void read_back(char *path, struct util_buf *b, struct advise_shard *sh)
{
	struct util_err err;

	put(path, util_buf_str(b));
	assert_int_equal(advise_shard_read(path, "sensitivity", sh, &err), 0);
	unlink(path);
	util_buf_release(b);
}

static void test_mine(void **state)
{
	static const struct {
		long shard, nshards;
		size_t k;
		bool mine;
	} cases[] = {
		{1, 3, 0, true},  {1, 3, 3, true},  {2, 3, 1, true},
		{2, 3, 0, false}, {3, 3, 5, true},  {3, 3, 6, false},
		{0, 0, 7, true}, /* no shards: every item */
		{4, 4, 2, false}, {1, 1, 99, true},
	};

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(cases); i++)
		assert_int_equal(advise_shard_mine(cases[i].shard,
						   cases[i].nshards, cases[i].k),
				 cases[i].mine);
}

/* A header read back: its fields, and each problem at its place. */
static void test_read(void **state)
{
	static const struct {
		const char *text, *want; /* want: NULL, or in the message */
	} cases[] = {
		{"gpuplan-shard\t2\tsensitivity\nscenario\t/s.yaml\ndigest\t"
		 "00000000000000ab\nshard\t2\t3\nx\t1\nend\n", NULL},
		{"gpuplan-shard\t2\tsensitivity\nscenario\t/s.yaml\n", ":3:1: "
		 "expected 'digest' here"},
		{"point,status\n", ":1:1: expected 'gpuplan-shard' first"},
		{"gpuplan-shard\t7\tsensitivity\nscenario\t/s\ndigest\t"
		 "00000000000000ab\nshard\t1\t1\nend\n", ":1:15: format version 7"},
		{"gpuplan-shard\t2\tcompare\nscenario\t/s\ndigest\t"
		 "00000000000000ab\nshard\t1\t1\nend\n", ":1:17: a shard of "
		 "'compare', not of sensitivity"},
		{"gpuplan-shard\t2\tsensitivity\nscenario\t/s\ndigest\tab\n"
		 "shard\t1\t1\nend\n", ":3:8: the digest is 16 hexadecimal"},
		{"gpuplan-shard\t2\tsensitivity\nscenario\t/s\ndigest\t"
		 "00000000000000ab\nshard\t4\t3\nend\n", ":4:7: '4' is not a "
		 "whole number from 1 to 3"},
		{"gpuplan-shard\t2\tsensitivity\nscenario\t/s\ndigest\t"
		 "00000000000000ab\nshard\t1\t1\nx\t1\n", ":5:1: the last line "
		 "is not 'end'"},
		{"gpuplan-shard\t2\tsensitivity\nscenario\t/s\ndigest\t"
		 "00000000000000ab\nshard\t1\t1\nend", "does not end with a "
		 "line end"},
		{"gpuplan-shard\t2\tsensitivity\nscen\x01rio\n", ":2:5: a "
		 "control character"},
		{"gpuplan-shard\t2\tsensitivity\nscenario\t/s\textra\n", ":2:13: "
		 "'scenario' has 3 fields, expected 2"},
	};

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(cases); i++) {
		struct advise_shard sh;
		struct util_err err = {0};
		char path[64];
		int rc;

		put(path, cases[i].text);
		rc = advise_shard_read(path, "sensitivity", &sh, &err);
		if (!cases[i].want) {
			assert_int_equal(rc, 0);
			assert_string_equal(sh.scenario, "/s.yaml");
			assert_true(sh.digest == 0xab);
			assert_int_equal(sh.shard, 2);
			assert_int_equal(sh.nshards, 3);
			assert_int_equal(sh.nbody, 1);
			assert_string_equal(sh.body[0].f[1], "1");
		} else {
			assert_int_equal(rc, UTIL_E_INPUT);
			if (!strstr(err.msg, cases[i].want))
				fail_msg("case %zu: '%s' lacks '%s'", i, err.msg,
					 cases[i].want);
			assert_non_null(strstr(err.msg, path));
		}
		advise_shard_release(&sh);
		unlink(path);
	}
}

/* n shards of one run (of nshards each, with digest, the i-th numbered
 * as shard[i]) read into v (their names borrowed from names) */
static void read_set(struct advise_shard *v, const long *shard, size_t n,
		     long nshards, uint64_t digest, char (*names)[64])
{
	for (size_t i = 0; i < n; i++) {
		struct util_buf b;

		util_buf_init(&b);
		advise_shard_head(&b, "sensitivity", "/s.yaml", digest, shard[i],
				  nshards);
		util_buf_puts(&b, "end\n");
		read_back(names[i], &b, &v[i]);
	}
}

static void test_set(void **state)
{
	static const struct {
		long shard[3];
		size_t n;
		uint64_t digest; /* of the second shard */
		const char *want;
	} cases[] = {
		{{1, 2, 3}, 3, 0xab, NULL},
		{{3, 1, 2}, 3, 0xab, NULL},
		{{1, 3, 0}, 2, 0xab, "shard 2/3 is missing"},
		{{1, 1, 2}, 3, 0xab, ":4:7: shard 1/3 is given twice"},
		{{1, 2, 3}, 3, 0xac, ":3:8: not the digest of the scenario"},
	};

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(cases); i++) {
		struct advise_shard v[3];
		struct util_err err = {0};
		char names[3][64];
		int rc;

		read_set(v, cases[i].shard, 1, 3, 0xab, names);
		read_set(v + 1, cases[i].shard + 1, cases[i].n - 1, 3,
			 cases[i].digest, names + 1);
		rc = advise_shard_set(v, cases[i].n, 0xab, &err);
		if (!cases[i].want)
			assert_int_equal(rc, 0);
		else if (rc != UTIL_E_INPUT || !strstr(err.msg, cases[i].want))
			fail_msg("case %zu: %d '%s', not '%s'", i, rc, err.msg,
				 cases[i].want);
		for (size_t k = 0; k < cases[i].n; k++)
			advise_shard_release(&v[k]);
	}
}

static int load_text(void *arg, struct model_scenario *s)
{
	(void)arg;
	load_scenario(scenario, s);
	return 0;
}

/* The sensitivity in three shards, written, read back in another order
 * and merged: the same parameters, costs and order as one run, to the
 * bit; a parameter left out is in no shard. */
static void test_sensitivity(void **state)
{
	static const long order[3] = {3, 1, 2};
	struct model_scenario s;
	struct advise_sensitivity one, part, merged;
	struct advise_shard v[3];
	struct util_err err = {0};
	static char names[3][64];

	(void)state;
	load_scenario(scenario, &s);
	advise_sensitivity(&s, 0.2, 1, NULL, load_text, NULL, &one);
	assert_true(one.n >= 4);
	for (size_t i = 0; i < 3; i++) {
		struct util_buf b;

		util_buf_init(&b);
		advise_sensitivity_part(&s, 0.2, 1, NULL, load_text, NULL,
					order[i], 3, &part);
		advise_shard_head(&b, "sensitivity", "/s.yaml", 0xab, order[i],
				  3);
		advise_sensitivity_shard(&part, order[i], 3, &b);
		read_back(names[i], &b, &v[i]);
	}
	assert_int_equal(advise_shard_set(v, 3, 0xab, &err), 0);
	assert_int_equal(advise_sensitivity_merge(&s, v, 3, &merged, &err), 0);
	assert_true(merged.base == one.base);
	assert_true(merged.delta == one.delta);
	assert_int_equal(merged.n, one.n);
	assert_memory_equal(merged.v, one.v, one.n * sizeof(*one.v));
	/* without the last line of a shard's parameters */
	v[1].nbody--;
	assert_int_equal(advise_sensitivity_merge(&s, v, 3, &merged, &err),
			 UTIL_E_INPUT);
	assert_non_null(strstr(err.msg, "is in no shard"));
	for (size_t i = 0; i < 3; i++)
		advise_shard_release(&v[i]);
	model_scenario_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mine),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_sensitivity),
	};

	return cmocka_run_group_tests_name("shard", tests,
					   setup_default_catalog,
					   teardown_catalog);
}
