/* acct/: sacct times, the TRES parser, Slurm GPU types onto catalog
 * accelerators, and the streaming reader (steps folded, jobs that never
 * ran counted, malformed lines reported and skipped). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../acct/acct.h"
#include "test.h"

struct time_case {
	const char *text;
	int64_t want; /* ACCT_UNKNOWN, or -2: rejected */
};

static const struct time_case time_cases[] = {
	{"2024-01-15T10:20:30", 1705314030},
	{"2024-01-15T10:20", 1705314000},
	{"2024-02-29", 1709164800},
	{"1970-01-01T00:00:00", 0},
	{"Unknown", ACCT_UNKNOWN},
	{"None", ACCT_UNKNOWN},
	{"", ACCT_UNKNOWN},
	{"2023-02-29T00:00:00", -2},
	{"2024-13-01T00:00:00", -2},
	{"2024-01-15 10:20:30", -2},
	{"2024-01-15T25:00:00", -2},
	{"2024-01-15T10:20:3", -2},
	{"1705314030", -2},
	{"unknown", -2},
	{"2024-1-15T10:20:30", -2},
};

static void test_times(void **state)
{
	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(time_cases); i++) {
		int64_t t = 42;
		int rc = acct_parse_time(time_cases[i].text, &t);

		if (time_cases[i].want == -2) {
			assert_int_equal(rc, UTIL_E_INPUT);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_true(t == time_cases[i].want);
	}
}

static void test_calendar(void **state)
{
	int64_t t;
	char name[16];

	(void)state;
	/* a Monday */
	assert_int_equal(acct_parse_time("2024-01-15T10:20:30", &t), 0);
	assert_int_equal(acct_hour_of_week(t), 10);
	acct_month_name(acct_month(t), name, sizeof(name));
	assert_string_equal(name, "2024-01");
	/* Sunday 23h is the last hour of the week */
	assert_int_equal(acct_parse_time("2024-01-21T23:59:59", &t), 0);
	assert_int_equal(acct_hour_of_week(t), 167);
	/* the last second of February in a leap year */
	assert_int_equal(acct_parse_time("2024-02-29T23:59:59", &t), 0);
	acct_month_name(acct_month(t), name, sizeof(name));
	assert_string_equal(name, "2024-02");
	assert_true(acct_month_start(acct_month(t) + 1) == t + 1);
	assert_int_equal(acct_parse_time("1999-12-31T23:59:59", &t), 0);
	acct_month_name(acct_month(t + 1), name, sizeof(name));
	assert_string_equal(name, "2000-01");
}

struct tres_case {
	const char *tres;
	long untyped;
	size_t ntypes;
	const char *type0;
	long count0;
	const char *type1;
	long count1;
	bool ok;
};

static const struct tres_case tres_cases[] = {
	/* the forms of sacct(1): cpu, mem with units, node, billing,
	 * energy, gres with and without a type, licenses, burst buffers,
	 * file systems */
	{"billing=4,cpu=4,mem=16G,node=1", 0, 0, NULL, 0, NULL, 0, true},
	{"cpu=8,gres/gpu=2,mem=32000M,node=1", 2, 0, NULL, 0, NULL, 0, true},
	{"billing=8,cpu=8,gres/gpu:a100=2,gres/gpu=2,mem=64G,node=1", 0, 1,
	 "a100", 2, NULL, 0, true},
	{"gres/gpu:tesla=1", 0, 1, "tesla", 1, NULL, 0, true},
	{"cpu=4,gres/gpu:a100_3g.20gb=1,gres/gpu=1", 0, 1, "a100_3g.20gb", 1,
	 NULL, 0, true},
	{"gres/gpu:nvidia_h100_80gb_hbm3_1g.10gb=3", 0, 1,
	 "nvidia_h100_80gb_hbm3_1g.10gb", 3, NULL, 0, true},
	{"gres/gpu:nvidia_a100-sxm4-80gb=4,gres/gpu=4", 0, 1,
	 "nvidia_a100-sxm4-80gb", 4, NULL, 0, true},
	{"gres/gpu:tesla:v100=2", 0, 1, "tesla:v100", 2, NULL, 0, true},
	{"gres/gpu:a100=2,gres/gpu:l40s=1,gres/gpu=3", 0, 2, "a100", 2, "l40s",
	 1, true},
	{"gres/gpu=4,gres/gpu:h100=1", 3, 1, "h100", 1, NULL, 0, true},
	{"cpu=2,gres/gpumem=40G,gres/gpuutil=80,gres/shard=4,gres/mps=100",
	 0, 0, NULL, 0, NULL, 0, true},
	{"license/matlab=1,bb/datawarp=1G,fs/disk=10M,energy=1200,pages=3,"
	 "vmem=2G",
	 0, 0, NULL, 0, NULL, 0, true},
	{"billing=2.5,cpu=1", 0, 0, NULL, 0, NULL, 0, true},
	{"", 0, 0, NULL, 0, NULL, 0, true},
	{"cpu=4,", 0, 0, NULL, 0, NULL, 0, false},
	{"cpu", 0, 0, NULL, 0, NULL, 0, false},
	{"=4", 0, 0, NULL, 0, NULL, 0, false},
	{"gres/gpu=two", 0, 0, NULL, 0, NULL, 0, false},
	{"gres/gpu=1.5", 0, 0, NULL, 0, NULL, 0, false},
	{"gres/gpu=2G", 0, 0, NULL, 0, NULL, 0, false},
	{"gres/gpu:=1", 0, 0, NULL, 0, NULL, 0, false},
	{"gres/gpu:a b=1", 0, 0, NULL, 0, NULL, 0, false},
	{"gres/gpu=-1", 0, 0, NULL, 0, NULL, 0, false},
	{"gres/gpu=99999999999", 0, 0, NULL, 0, NULL, 0, false},
	{"gres/gpu:a=1,gres/gpu:b=1,gres/gpu:c=1,gres/gpu:d=1,gres/gpu:e=1",
	 0, 0, NULL, 0, NULL, 0, false},
};

static void test_tres(void **state)
{
	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(tres_cases); i++) {
		const struct tres_case *c = &tres_cases[i];
		struct acct_gres g[ACCT_MAX_GPU_TYPES];
		struct util_err err;
		size_t n;
		long untyped, typed = 0;
		int rc = acct_tres_gpus(c->tres, g, ACCT_MAX_GPU_TYPES, &n,
					&untyped, &err);

		if (!c->ok) {
			assert_int_equal(rc, UTIL_E_INPUT);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(n, c->ntypes);
		for (size_t k = 0; k < n; k++)
			typed += g[k].count;
		/* as the reader does: the untyped total holds the typed */
		assert_int_equal(untyped > typed ? untyped - typed : 0,
				 c->untyped);
		if (n > 0) {
			assert_string_equal(g[0].type, c->type0);
			assert_int_equal(g[0].count, c->count0);
		}
		if (n > 1) {
			assert_string_equal(g[1].type, c->type1);
			assert_int_equal(g[1].count, c->count1);
		}
	}
}

struct type_case {
	const char *cluster, *type, *accel;
	double share;
};

static const struct type_case type_cases[] = {
	{NULL, "h100", "H100", 1},
	{NULL, "H100", "H100", 1},
	{NULL, "l40s", "L40S", 1},
	/* the first table in the catalog's order: the on-prem A100 80GB */
	{NULL, "a100", "A100-80GB", 1},
	/* Narval's own table */
	{"narval", "a100", "A100-40GB", 1},
	{NULL, "a100_3g.20gb", "A100-40GB", 3.0 / 7},
	{NULL, "a100_1g.5gb", "A100-40GB", 1.0 / 7},
	{NULL, "nvidia_h100_80gb_hbm3_1g.10gb", "H100", 1.0 / 7},
	{NULL, "nvidia_h100_80gb_hbm3_3g.40gb", "H100", 3.0 / 7},
	{"fir", "nvidia_h100_80gb_hbm3_7g.80gb", "H100", 1},
	/* a profile the accelerator does not have */
	{NULL, "a100_3g.99gb", NULL, 0},
	/* a catalog name or alias, without a Slurm table */
	{NULL, "rtx4090", "RTX4090", 1},
	{NULL, "T4", "T4", 1},
	{NULL, "v100", NULL, 0},
	{NULL, "tesla", NULL, 0},
};

static void test_types(void **state)
{
	struct pricing_catalog c;
	struct util_diags d;

	(void)state;
	pricing_catalog_init(&c);
	util_diags_init(&d);
	assert_int_equal(pricing_catalog_load_default(&c, &d), 0);
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(type_cases); i++) {
		const struct type_case *tc = &type_cases[i];
		struct acct_types t = {&c, tc->cluster};
		double share = -1;
		const char *a = acct_type_accel(&t, tc->type, &share);

		if (!tc->accel) {
			assert_null(a);
			continue;
		}
		assert_non_null(a);
		assert_string_equal(a, tc->accel);
		assert_near(share, tc->share, 1e-12);
	}
	util_diags_release(&d);
	pricing_catalog_release(&c);
}

/* A file in /tmp holding text; the path is static. */
static const char *temp_file(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/gpuplan-acct-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

#define HDR                                                                    \
	"JobIDRaw|JobName|Account|User|Partition|QOS|State|Submit|Eligible|"   \
	"Start|End|ElapsedRaw|TimelimitRaw|NNodes|NCPUS|AllocTRES|"            \
	"ConsumedEnergyRaw\n"
#define T0 "2024-01-15T10:00:00"
#define T1 "2024-01-15T11:00:00"

static const char sample[] =
	HDR
	/* a job with three steps: one job */
	"100|train|physics|ann|gpu|normal|COMPLETED|" T0 "|" T0 "|" T0 "|" T1
	"|3600|120|1|8|billing=8,cpu=8,gres/gpu:a100=2,gres/gpu=2,mem=64G,"
	"node=1|1000\n"
	"100.batch|batch|physics|||||" T0 "|" T0 "|" T0 "|" T1
	"|3600||1|8|cpu=8,gres/gpu=2,mem=64G,node=1|3000\n"
	"100.extern|extern|physics|||||" T0 "|" T0 "|" T0 "|" T1
	"|3600||1|8|cpu=8,gres/gpu=2,mem=64G,node=1|0\n"
	"100.0|python|physics|||||" T0 "|" T0 "|" T0 "|" T1
	"|3600||1|8|cpu=8,gres/gpu=2,mem=64G,node=1|2500\n"
	/* never started */
	"101|wait|physics|ann|gpu|normal|PENDING|" T0 "|" T0
	"|Unknown|Unknown|0|60|1|1|billing=1,cpu=1,gres/gpu=1,node=1|0\n"
	/* cancelled while pending: sacct gives Start = End */
	"102|oops|physics|ann|gpu|normal|CANCELLED by 1000|" T0 "|" T0 "|" T1
	"|" T1 "|0|60|1|1|billing=1,cpu=1,gres/gpu=1,node=1|0\n"
	/* zero length */
	"103|fast|chem|bob|gpu|normal|FAILED|" T0 "|" T0 "|" T1 "|" T1
	"|0|60|1|1|cpu=1,gres/gpu=1,node=1|0\n"
	/* malformed: field count, time, negative duration, End < Start */
	"104|x|chem|bob|gpu|normal|COMPLETED|" T0 "\n"
	"105|x|chem|bob|gpu|normal|COMPLETED|yesterday|" T0 "|" T0 "|" T1
	"|3600|60|1|1|gres/gpu=1|0\n"
	"106|x|chem|bob|gpu|normal|COMPLETED|" T0 "|" T0 "|" T0 "|" T1
	"|-5|60|1|1|gres/gpu=1|0\n"
	"107|x|chem|bob|gpu|normal|COMPLETED|" T0 "|" T0 "|" T1 "|" T0
	"|3600|60|1|1|gres/gpu=1|0\n"
	/* a step of a malformed job: swallowed, not an orphan */
	"107.batch|batch|chem|||||" T0 "|" T0 "|" T1 "|" T0
	"|3600||1|1|gres/gpu=1|0\n"
	/* a step whose job is not there */
	"99.0|x|chem|||||" T0 "|" T0 "|" T0 "|" T1 "|3600||1|1|gres/gpu=1|0\n"
	/* a running job, times without seconds, a time limit UNLIMITED */
	"108|run|chem|bob|gpu|normal|RUNNING|2024-01-15T10:00|None|"
	"2024-01-15T10:30|Unknown|1800|UNLIMITED|1|4|cpu=4,gres/gpu=1,node=1|"
	"\n";

static void test_reader(void **state)
{
	const char *path = temp_file(sample);
	struct acct_sacct *r;
	struct acct_job j;
	struct util_diags d;
	struct util_err err;
	const struct acct_sacct_stats *st;

	(void)state;
	util_diags_init(&d);
	assert_int_equal(acct_sacct_open(path, ACCT_MAX_BYTES, &r, &err), 0);
	assert_int_equal(acct_sacct_next(r, &j, &d, &err), 1);
	assert_string_equal(j.id, "100");
	assert_string_equal(j.account, "physics");
	assert_int_equal(j.steps, 3);
	assert_int_equal(j.elapsed_s, 3600);
	assert_int_equal(j.ngres, 1);
	assert_int_equal(j.gres[0].count, 2);
	assert_int_equal(j.gpus_untyped, 0);
	/* the steps' energy when above the job line's */
	assert_near(j.energy_j, 5500, 1e-12);
	assert_int_equal(acct_sacct_next(r, &j, &d, &err), 1);
	assert_string_equal(j.id, "108");
	assert_int_equal(j.timelimit_min, -1);
	assert_true(j.eligible == ACCT_UNKNOWN);
	assert_true(j.end == j.start + 1800);
	assert_int_equal(j.gpus_untyped, 1);
	assert_int_equal(acct_sacct_next(r, &j, &d, &err), 0);
	st = acct_sacct_stats(r);
	assert_int_equal(st->lines, 15);
	assert_int_equal(st->jobs, 2);
	assert_int_equal(st->steps, 5);
	assert_int_equal(st->skipped[ACCT_SKIP_PENDING], 1);
	assert_int_equal(st->skipped[ACCT_SKIP_CANCELLED], 1);
	assert_int_equal(st->skipped[ACCT_SKIP_ZERO], 1);
	assert_int_equal(st->skipped[ACCT_SKIP_MALFORMED], 4);
	assert_int_equal(st->skipped[ACCT_SKIP_ORPHAN_STEP], 1);
	/* each malformed line reported at its line and column */
	assert_int_equal(d.n, 4);
	assert_int_equal(d.v[0].line, 9);
	assert_non_null(strstr(d.v[0].msg, "expected 17 fields"));
	assert_int_equal(d.v[1].line, 10);
	assert_int_equal(d.v[1].col, 37);
	assert_non_null(strstr(d.v[1].msg, "unparseable time 'yesterday'"));
	assert_int_equal(d.v[2].line, 11);
	assert_non_null(strstr(d.v[2].msg, "negative duration"));
	assert_int_equal(d.v[3].line, 12);
	assert_non_null(strstr(d.v[3].msg, "End is before Start"));
	acct_sacct_close(r);
	util_diags_release(&d);
	unlink(path);
}

static void test_reader_noheader_and_limits(void **state)
{
	/* no header, --parsable's trailing '|', CRLF */
	const char *path = temp_file(
		"7|a|acc\x1b[2J|u|p|q|TIMEOUT|" T0 "|" T0 "|" T0 "|" T1
		"|3600|60|1|1|gres/gpu:l40s=1|0|\r\n");
	struct acct_sacct *r;
	struct acct_job j;
	struct util_diags d;
	struct util_err err;

	(void)state;
	util_diags_init(&d);
	assert_int_equal(acct_sacct_open(path, ACCT_MAX_BYTES, &r, &err), 0);
	assert_int_equal(acct_sacct_next(r, &j, &d, &err), 1);
	assert_string_equal(j.gres[0].type, "l40s");
	assert_string_equal(j.account, "acc?[2J");
	assert_int_equal(acct_sacct_next(r, &j, &d, &err), 0);
	assert_int_equal(d.n, 0);
	acct_sacct_close(r);
	/* a file over the limit is refused before it is read */
	assert_int_equal(acct_sacct_open(path, 10, &r, &err), UTIL_E_INPUT);
	assert_non_null(strstr(err.msg, "larger than the limit"));
	acct_sacct_close(r);
	unlink(path);
	assert_int_equal(acct_sacct_open("/nonexistent/x", 10, &r, &err),
			 UTIL_E_NOINPUT);
	acct_sacct_close(r);
	/* a header without a needed column */
	path = temp_file("JobIDRaw|JobName\n1|a\n");
	assert_int_equal(acct_sacct_open(path, ACCT_MAX_BYTES, &r, &err), 0);
	assert_int_equal(acct_sacct_next(r, &j, &d, &err), UTIL_E_INPUT);
	assert_non_null(strstr(err.msg, "no 'Account' column"));
	acct_sacct_close(r);
	unlink(path);
	util_diags_release(&d);
}


/* with a JobID column: arrays told by it */
static const char import_sample[] =
	"JobID|JobIDRaw|JobName|Account|User|Partition|QOS|State|Submit|"
	"Eligible|Start|End|ElapsedRaw|TimelimitRaw|NNodes|NCPUS|AllocTRES|"
	"ConsumedEnergyRaw\n"
	/* across a month's end: 1 h in January, 1 h in February, 2 GPUs */
	"1|1|a|phys|ann|gpu|normal|COMPLETED|2025-01-31T22:00:00|"
	"2025-01-31T22:30:00|2025-01-31T23:00:00|2025-02-01T01:00:00|7200|"
	"600|1|8|gres/gpu:h100=2,gres/gpu=2|0\n"
	/* an array of two tasks with different names (JobID says so) */
	"7_1|8|b|phys|ann|gpu|normal|COMPLETED|2025-02-02T10:00:00|"
	"2025-02-02T10:00:00|2025-02-02T10:00:00|2025-02-02T11:00:00|3600|"
	"600|1|8|gres/gpu:h100=1,gres/gpu=1|0\n"
	"7_2|9|c|phys|ann|gpu|normal|COMPLETED|2025-02-02T10:00:00|"
	"2025-02-02T10:00:00|2025-02-02T11:00:00|2025-02-02T12:00:00|3600|"
	"600|1|8|gres/gpu:h100=1,gres/gpu=1|0\n"
	/* untyped: to the default accelerator */
	"10|10|d|chem|bob|gpu|normal|COMPLETED|2025-02-03T10:00:00|"
	"2025-02-03T10:00:00|2025-02-03T10:00:00|2025-02-03T14:00:00|14400|"
	"600|1|8|gres/gpu=1|0\n"
	/* an unknown type */
	"11|11|e|chem|bob|gpu|normal|COMPLETED|2025-02-03T10:00:00|"
	"2025-02-03T10:00:00|2025-02-03T10:00:00|2025-02-03T14:00:00|14400|"
	"600|1|8|gres/gpu:k80=1,gres/gpu=1|0\n"
	/* before --since */
	"12|12|f|chem|bob|gpu|normal|COMPLETED|2024-12-03T10:00:00|"
	"2024-12-03T10:00:00|2024-12-03T10:00:00|2024-12-03T14:00:00|14400|"
	"600|1|8|gres/gpu:h100=1|0\n";

static void test_import(void **state)
{
	const char *path = temp_file(import_sample);
	struct pricing_catalog c;
	struct util_diags d;
	struct util_err err;
	struct acct_import im;
	struct acct_import_opts o = {.accelerator = "L4",
				     .since = 0,
				     .until = ACCT_UNKNOWN,
				     .name = "t"};
	const struct acct_usage *u;
	struct util_buf b;

	(void)state;
	pricing_catalog_init(&c);
	util_diags_init(&d);
	assert_int_equal(pricing_catalog_load_default(&c, &d), 0);
	o.cat = &c;
	assert_int_equal(acct_parse_time("2025-01-01", &o.since), 0);
	acct_import_init(&im, &o);
	assert_int_equal(acct_import_sacct(&im, path, ACCT_MAX_BYTES, &d, &err),
			 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(im.used, 4);
	assert_int_equal(im.st.skipped[ACCT_SKIP_UNKNOWN_TYPE], 1);
	assert_int_equal(im.st.skipped[ACCT_SKIP_WINDOW], 1);
	assert_int_equal(im.nunknown, 1);
	assert_string_equal(im.unknown[0], "k80");
	assert_int_equal(im.ngroups, 2);
	assert_string_equal(im.groups[0].name, "phys");
	assert_int_equal(im.groups[0].nu, 1);
	u = &im.groups[0].u[0];
	assert_string_equal(u->accel, "H100");
	assert_near(u->gpu_hours, 4 + 1 + 1, 1e-12);
	assert_int_equal(u->nmonths, 2);
	assert_near(u->monthly[0], 2, 1e-12); /* January: 1 h x 2 GPUs */
	assert_near(u->monthly[1], 4, 1e-12);
	assert_int_equal(u->jobs, 3);
	assert_int_equal(u->arrays, 1);
	assert_int_equal(u->array_tasks, 2);
	assert_int_equal(u->whole[1], 2);
	assert_int_equal(u->whole[2], 1);
	/* submitted on a Friday 22h (2025-01-31) and a Sunday 10h */
	assert_int_equal(u->how[4 * 24 + 22], 1);
	assert_int_equal(u->how[6 * 24 + 10], 2);
	assert_string_equal(im.groups[1].u[0].accel, "L4");
	assert_near(im.groups[1].u[0].gpu_hours, 4, 1e-12);
	/* the wait from Eligible: 30 min for the first job */
	assert_int_equal(im.nparts, 1);
	assert_int_equal(im.parts[0].wait.n, 4);

	util_buf_init(&b);
	assert_int_equal(acct_import_scenario(&im, &b, &err), 0);
	/* 3 jobs of 1 GPU (the median) of 2 hours: the 6 GPU-hours */
	assert_non_null(strstr(util_buf_str(&b),
			       "  - name: phys\n    kind: research\n"));
	assert_non_null(strstr(util_buf_str(&b),
			       "jobs: {count: 3, gpus: 1, hours: 2 H100}"));
	/* the shape of the jobs as keys the simulator reads: 2 jobs of 1
	 * GPU and 1 of 2; 2 h, 1 h and 1 h (p90 the 2 h one, within its
	 * bin); Friday 22h once, Sunday 10h twice */
	assert_non_null(strstr(util_buf_str(&b), "    job_sizes: {1: 2, 2: 1}\n"
						 "    job_lengths: {p50: 1h, "
						 "p90: 1.989h, max: 2h}\n"));
	assert_non_null(strstr(util_buf_str(&b),
			       "jobs: {count: 1, gpus: 1, hours: 4 L4}\n"
			       "    # jobs by GPUs per job"));
	assert_non_null(strstr(util_buf_str(&b), "      fri: [0, 0, 0, 0, 0, "
			       "0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "
			       "0, 1, 0]\n"));
	assert_non_null(strstr(util_buf_str(&b), "      sun: [0, 0, 0, 0, 0, "
			       "0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "
			       "0, 0, 0]\n"));
	/* 2 h, 1 h and 1 h: sd 0.471 h over a mean of 1.333 h */
	assert_non_null(strstr(util_buf_str(&b), "mean 1.33 h, CV 0.35\n"));
	assert_null(strstr(util_buf_str(&b), "length_cv"));
	assert_non_null(strstr(util_buf_str(&b), "horizon: 2mo\n"));
	assert_non_null(strstr(util_buf_str(&b),
			       "GPU-hours by month: 2025-01 2.0, 2025-02 4.0"));
	util_buf_release(&b);
	acct_import_release(&im);

	/* nothing usable */
	o.since = ACCT_UNKNOWN;
	o.accelerator = NULL;
	acct_import_init(&im, &o);
	util_buf_init(&b);
	assert_int_equal(acct_import_scenario(&im, &b, &err), UTIL_E_INPUT);
	assert_non_null(strstr(err.msg, "no usable job"));
	util_buf_release(&b);
	acct_import_release(&im);
	util_diags_release(&d);
	pricing_catalog_release(&c);
	unlink(path);
}

static void test_qhist(void **state)
{
	struct acct_qhist h = {0};

	(void)state;
	assert_near(acct_qhist_quantile(&h, 0.5), 0, 1e-12);
	for (int i = 1; i <= 100; i++)
		acct_qhist_add(&h, i * 60.0);
	/* within the 1.2% of a bin */
	assert_near(acct_qhist_quantile(&h, 0.5), 3000, 0.012);
	assert_near(acct_qhist_quantile(&h, 0.95), 5700, 0.012);
	/* 1..100 minutes: sd sqrt((100^2 - 1) / 12) over mean 50.5 */
	assert_near(acct_qhist_cv(&h), sqrt(9999.0 / 12) / 50.5, 1e-9);
	assert_near(h.min, 60, 1e-12);
	assert_near(h.max, 6000, 1e-12);
	acct_qhist_add(&h, 0);
	assert_near(h.sum, 5050 * 60.0, 1e-12);
	assert_near(h.min, 0, 1e-12);
}

/* The FOCUS and CUR samples: the GPU lines summed, the rest counted. */
static void test_focus(void **state)
{
	struct pricing_catalog c;
	struct util_diags d;
	struct util_err err;
	struct acct_baseline b;

	(void)state;
	pricing_catalog_init(&c);
	util_diags_init(&d);
	assert_int_equal(pricing_catalog_load_default(&c, &d), 0);
	b = (struct acct_baseline){.cat = &c};
	assert_int_equal(acct_focus_read(&b, "tests/data/focus/focus-1.0.csv",
					 &d, &err),
			 0);
	assert_int_equal(b.lines, 8);
	assert_int_equal(b.kept, 5);
	assert_int_equal(b.skipped_other, 2); /* m5.large, S3 */
	assert_int_equal(b.skipped_malformed, 1);
	assert_int_equal(d.n, 1);
	/* at the cell, naming its column: 'n/a' in ListCost (it said
	 * 9:1 "a cost, quantity or charge period start") */
	assert_int_equal(d.v[0].line, 9);
	assert_int_equal(d.v[0].col, 314);
	assert_string_equal(d.v[0].msg, "ListCost: expected a number (an "
			    "empty cell counts as 0), got 'n/a': line "
			    "skipped");
	/* 2359.68 + 983.20 (p5) + 7.50 (spot g5) + 44.04 (a2) + 0 */
	assert_near(b.billed, 3394.42, 1e-9);
	assert_near(b.effective, 3449.62, 1e-9);
	assert_int_equal(b.n, 4);
	for (size_t i = 0; i < b.n; i++) {
		if (!strcmp(b.v[i].instance, "p5.48xlarge")) {
			assert_string_equal(b.v[i].accel, "H100");
			assert_string_equal(b.v[i].pricing, "on-demand");
			assert_near(b.v[i].hours, 34, 1e-12);
		}
		if (!strcmp(b.v[i].instance, "Standard_NC24ads_A100_v4"))
			assert_string_equal(b.v[i].pricing, "committed");
		if (!strcmp(b.v[i].instance, "g5.xlarge"))
			assert_string_equal(b.v[i].pricing, "spot");
	}
	acct_baseline_release(&b);
	b = (struct acct_baseline){.cat = &c};
	assert_int_equal(acct_focus_read(&b, "tests/data/focus/cur-2.0.csv",
					 &d, &err),
			 0);
	assert_int_equal(b.kept, 3);
	assert_near(b.billed, 2 * 32.7726 + 0.3102, 1e-9);
	acct_baseline_release(&b);
	/* cells after a quoted description over two lines: a cost with a
	 * decimal comma, then a date that is not one; each reported at its
	 * own line and column */
	{
		const char *path = temp_file(
			"ChargePeriodStart,ServiceCategory,ChargeDescription,"
			"x_InstanceType,BilledCost\n"
			"2025-01-01,Compute,\"GPU,\nhours\",p5.48xlarge,1.5\n"
			"2025-01-02,Compute,\"GPU,\nhours\",p5.48xlarge,\"1,5\"\n"
			"\"Jan 2\",Compute,x,p5.48xlarge,2\n");

		util_diags_release(&d);
		util_diags_init(&d);
		b = (struct acct_baseline){.cat = &c};
		assert_int_equal(acct_focus_read(&b, path, &d, &err), 0);
		assert_int_equal(b.kept, 1);
		assert_int_equal(b.skipped_malformed, 2);
		assert_int_equal(d.n, 2);
		assert_int_equal(d.v[0].line, 5);
		assert_int_equal(d.v[0].col, 20);
		assert_non_null(strstr(d.v[0].msg, "BilledCost: expected a "
					"number (an empty cell counts as 0), "
					"got '1,5'"));
		assert_int_equal(d.v[1].line, 6);
		assert_int_equal(d.v[1].col, 1);
		assert_non_null(strstr(d.v[1].msg, "ChargePeriodStart: "
					"expected a date (YYYY-MM-DD...), "
					"got 'Jan 2'"));
		acct_baseline_release(&b);
		unlink(path);
	}
	/* sacct output is not a bill */
	b = (struct acct_baseline){.cat = &c};
	assert_int_equal(acct_focus_read(&b, "tests/data/sacct/cluster.txt",
					 &d, &err),
			 UTIL_E_INPUT);
	acct_baseline_release(&b);
	util_diags_release(&d);
	pricing_catalog_release(&c);
}

/* Writes text to path and reads it as what is paid today. */
static int read_text(const char *path, const char *text,
		     const struct pricing_catalog *c, struct acct_today *u,
		     struct util_diags *d, struct util_err *err)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return acct_today_read(u, c, path, d, err);
}

/* What is paid today: from the bill, from the baseline file written
 * from it (the same figures), and months without spend counted. */
static void test_today(void **state)
{
	static const char gap[] =
		"currency: EUR\nbilled: 300\neffective: 400\nspend:\n"
		"  - {month: \"2025-04\", devices: 8, quantity: 10}\n"
		"  - {month: \"2025-01\", devices: 1, quantity: 5}\n";
	char dir[] = "/tmp/gpuplan-today-XXXXXX", path[64];
	struct pricing_catalog c;
	struct acct_baseline b;
	struct acct_today t, u;
	struct util_diags d;
	struct util_err err;
	struct util_buf y;

	(void)state;
	pricing_catalog_init(&c);
	util_diags_init(&d);
	util_buf_init(&y);
	assert_int_equal(pricing_catalog_load_default(&c, &d), 0);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/base.yaml", dir);
	assert_int_equal(acct_today_read(&t, &c, "tests/data/focus/focus-1.0.csv",
					 &d, &err),
			 0);
	assert_string_equal(t.first, "2025-01");
	assert_string_equal(t.last, "2025-02");
	assert_int_equal(t.months, 2);
	assert_near(t.effective, 3449.62, 1e-9);
	assert_string_equal(t.currency, "USD");
	/* the baseline file of the same bill gives the same figures */
	b = (struct acct_baseline){.cat = &c};
	assert_int_equal(acct_focus_read(&b, "tests/data/focus/focus-1.0.csv",
					 &d, &err),
			 0);
	acct_baseline_yaml(&b, "bill.csv", &y);
	acct_baseline_release(&b);
	assert_int_equal(read_text(path, util_buf_str(&y), &c, &u, &d, &err),
			 0);
	assert_string_equal(u.source, "bill.csv");
	assert_int_equal(u.months, t.months);
	assert_near(u.effective, t.effective, 1e-9);
	assert_near(u.billed, t.billed, 1e-9);
	assert_near(u.device_hours, t.device_hours, 1e-9);
	/* January and April: four months, two of them without spend */
	assert_int_equal(read_text(path, gap, &c, &u, &d, &err), 0);
	assert_int_equal(u.months, 4);
	assert_string_equal(u.currency, "EUR");
	assert_near(u.device_hours, 85, 1e-12);
	/* months are YYYY-MM exactly: "2025-1" would sort after "2025-10" */
	assert_int_equal(read_text(path,
				   "currency: EUR\nbilled: 1\neffective: 1\n"
				   "spend:\n  - {month: \"2025-1\", devices: 8}\n",
				   &c, &u, &d, &err),
			 UTIL_E_INPUT);
	/* a spend line without its month */
	assert_int_equal(read_text(path,
				   "currency: EUR\nbilled: 1\neffective: 1\n"
				   "spend:\n  - {devices: 8}\n",
				   &c, &u, &d, &err),
			 UTIL_E_INPUT);
	assert_non_null(strstr(err.msg, "not a baseline file"));
	assert_int_equal(acct_today_read(&u, &c, "/nonexistent.yaml", &d,
					 &err),
			 UTIL_E_NOINPUT);
	unlink(path);
	rmdir(dir);
	util_buf_release(&y);
	util_diags_release(&d);
	pricing_catalog_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_tres),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_reader_noheader_and_limits),
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_qhist),
		cmocka_unit_test(test_focus),
		cmocka_unit_test(test_today),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
