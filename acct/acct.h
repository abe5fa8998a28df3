/* acct: what a cluster really used, read from its accounting (docs/
 * import.md). A streaming reader of `sacct --parsable2` output (jobs with
 * their steps folded in, GPUs from AllocTRES mapped onto catalog
 * accelerators through the catalog's Slurm type tables), and the import
 * that turns the jobs into a scenario (one research workload per group).
 * Uses pricing/ and util/; never prints. */
#ifndef ACCT_ACCT_H
#define ACCT_ACCT_H

#include <stdint.h>

#include "../pricing/pricing.h"
#include "../util/util.h"

/* The longest `monthly:` list a scenario takes, one weight per month of
 * a horizon of up to 10 years (MODEL_MONTHLY_MAX, model/model.h); a
 * longer import folds its months into 12, repeated each year. */
#define ACCT_MONTHLY_MAX 120

/* A time that sacct printed as Unknown, None or nothing. */
#define ACCT_UNKNOWN INT64_MIN
/* Most bytes of one sacct input (a year of a large cluster is a few GB). */
#define ACCT_MAX_BYTES ((uint64_t)16 << 30)
/* Longest line; a longer one is malformed. */
#define ACCT_MAX_LINE 65536
/* Most GPU types in one job's AllocTRES. */
#define ACCT_MAX_GPU_TYPES 4
/* Longest name kept (account, user, partition, job name, GPU type). */
#define ACCT_NAME_MAX 128

/* ---- times (acct/time.c) ---- */

/* Seconds since 1970-01-01T00:00:00 of the civil time s, as sacct prints
 * it: YYYY-MM-DDTHH:MM:SS or YYYY-MM-DDTHH:MM (no zone: read as given,
 * so months and hours of the week are those of the cluster's clock),
 * or a date YYYY-MM-DD alone (midnight). Unknown, None and "" give
 * ACCT_UNKNOWN. Returns 0, or UTIL_E_INPUT for anything else. */
int acct_parse_time(const char *s, int64_t *t);
/* The month of t: 12 * year + month - 1. */
long acct_month(int64_t t);
/* YYYY-MM of a month index of acct_month into buf (at least 8 bytes). */
void acct_month_name(long month, char *buf, size_t size);
/* Hour of the week of t, Monday 00h being 0, 0..167. */
int acct_hour_of_week(int64_t t);
/* First second of a month index. */
int64_t acct_month_start(long month);

/* ---- GPUs from AllocTRES (acct/tres.c) ---- */

struct acct_gres {
	char type[ACCT_NAME_MAX]; /* "" for untyped gres/gpu=N */
	long count;
};
/* The GPUs of a TRES string as sacct prints it: comma-separated
 * NAME=VALUE pairs (billing=4,cpu=8,gres/gpu:a100=2,gres/gpu=2,mem=16G,
 * node=1). Typed entries (gres/gpu:TYPE=N, TYPE with letters, digits,
 * '_', '-', '.', ':') go to g[0..*n); untyped gres/gpu=N to *untyped
 * (when sacct prints both, the untyped total includes the typed ones).
 * Other TRES (cpu, mem, gres/gpumem, gres/gpuutil, gres/shard, gres/mps,
 * license/..., fs/..., bb/...) are checked for shape and ignored.
 * Returns 0 or UTIL_E_INPUT with err saying what is wrong. */
int acct_tres_gpus(const char *tres, struct acct_gres *g, size_t max,
		   size_t *n, long *untyped, struct util_err *err);

/* How Slurm GPU type names map onto the catalog's accelerators: the
 * gpu_type and mig_prefix of every offer with a `slurm:` table (of one
 * cluster, or all), then accelerator names and aliases. */
struct acct_types {
	const struct pricing_catalog *cat;
	const char *cluster; /* NULL: every offer's table */
};
/* The accelerator (canonical name) of Slurm GPU type `type`, and the
 * share of one device it is: 1 for a whole GPU, g/7 for a MIG slice
 * `<prefix><g>g.<mem>` of a 7-slice device (the largest slice count of
 * the accelerator's mig list). Returns NULL when the type is unknown. */
const char *acct_type_accel(const struct acct_types *t, const char *type,
			    double *share);

/* ---- the sacct reader (acct/sacct.c) ---- */

/* Why a line or job was left out. */
enum acct_skip {
	ACCT_SKIP_MALFORMED,	/* a line that could not be read */
	ACCT_SKIP_PENDING,	/* never started (PENDING, REQUEUED...) */
	ACCT_SKIP_CANCELLED,	/* cancelled before it started */
	ACCT_SKIP_ZERO,		/* started and ended in the same second */
	ACCT_SKIP_ORPHAN_STEP,	/* a step whose job line is not there */
	ACCT_SKIP_NO_GPU,	/* no GPU in AllocTRES */
	ACCT_SKIP_UNKNOWN_TYPE, /* a GPU type the catalog does not know */
	ACCT_SKIP_WINDOW,	/* outside --since/--until */
	ACCT_NSKIPS
};
extern const char *const acct_skip_names[ACCT_NSKIPS];

/* One job as it ran, its steps folded in. Strings are owned by the job. */
struct acct_job {
	int line; /* of the job's own line */
	char id[ACCT_NAME_MAX], name[ACCT_NAME_MAX], account[ACCT_NAME_MAX],
		user[ACCT_NAME_MAX], partition[ACCT_NAME_MAX],
		qos[ACCT_NAME_MAX], state[ACCT_NAME_MAX];
	int64_t submit, eligible, start, end; /* ACCT_UNKNOWN when not known */
	long elapsed_s, timelimit_min;	      /* timelimit -1: none */
	long nnodes, ncpus;
	double energy_j;
	struct acct_gres gres[ACCT_MAX_GPU_TYPES];
	size_t ngres;
	long gpus_untyped; /* GPUs without a type (beyond the typed ones) */
	long steps;	   /* step lines folded into it */
	/* with a JobID column (123_4 for a task of array 123): the array's
	 * id, "" for a job outside an array; without it array_known is
	 * false and arrays are told by name, user and submit second */
	bool array_known;
	char array[ACCT_NAME_MAX];
};

struct acct_sacct_stats {
	uint64_t lines, jobs, steps;
	uint64_t skipped[ACCT_NSKIPS];
};

struct acct_sacct;
/* Opens the sacct output at path ("-": stdin) for reading job by job,
 * with or without its header line (`--noheader`); a header may add or
 * reorder columns, the 17 of docs/import.md must be there. A regular
 * file over max_bytes is refused before anything is read; a stream is
 * stopped at max_bytes. Returns 0, UTIL_E_NOINPUT or UTIL_E_INPUT (err).
 * Free *r with acct_sacct_close. */
int acct_sacct_open(const char *path, uint64_t max_bytes,
		    struct acct_sacct **r, struct util_err *err);
/* The same over an open stream f, named name in messages; f is closed
 * with the reader. */
void acct_sacct_open_stream(FILE *f, const char *name, uint64_t max_bytes,
			    struct acct_sacct **r);
/* The next job that ran, steps folded in: 1 with *job filled, 0 at the
 * end, or UTIL_E_INPUT / UTIL_E_NOINPUT for an input that cannot go on
 * (over the size limit, a read error; err). A malformed line is reported
 * in d (file:line:col and why), counted and skipped; jobs that never ran
 * are counted in the stats and skipped. */
int acct_sacct_next(struct acct_sacct *r, struct acct_job *job,
		    struct util_diags *d, struct util_err *err);
const struct acct_sacct_stats *acct_sacct_stats(const struct acct_sacct *r);
/* The name the input is reported by ("-" is "<stdin>"). */
const char *acct_sacct_path(const struct acct_sacct *r);
void acct_sacct_close(struct acct_sacct *r);
/* True when the first line of buf (a file's beginning) looks like sacct
 * --parsable output: '|'-separated with the sacct header, or 17 fields. */
bool acct_sacct_sniff(const char *buf, size_t len);

/* All GPUs of a job, typed or not, MIG slices counted as one each. */
long acct_job_gpus(const struct acct_job *j);
/* The devices of a job as whole-GPU equivalents per accelerator. Typed
 * GPUs are mapped with t; untyped ones go to default_accel (NULL: left
 * out). Returns the number of (accelerator, devices) pairs written to
 * accel[] and dev[] (at most ACCT_MAX_GPU_TYPES + 1); *unknown is set to
 * the first type t does not know (NULL if none). */
size_t acct_job_devices(const struct acct_job *j, const struct acct_types *t,
			const char *default_accel, const char **accel,
			double *dev, const char **unknown);


/* ---- quantiles in constant memory (acct/qhist.c) ---- */

/* Durations in seconds on 100 logarithmic bins a decade from 1 s to
 * 10^8 s (one bin below 1 s, the last holds the rest): a quantile is
 * within 1.2% of the exact one. */
#define ACCT_QBINS 802
struct acct_qhist {
	uint64_t n, bin[ACCT_QBINS];
	double sum, sumsq; /* of the values, for the mean and the CV */
	double min, max;   /* the smallest and largest, 0 when empty */
};
void acct_qhist_add(struct acct_qhist *h, double v);
/* The q-quantile (0 < q < 1), the middle of its bin (0 below 1 s);
 * 0 when h is empty. */
double acct_qhist_quantile(const struct acct_qhist *h, double q);
/* The coefficient of variation (population) of what h holds, 0 when it
 * holds fewer than two values or their mean is 0. */
double acct_qhist_cv(const struct acct_qhist *h);

/* ---- the import (acct/import.c, acct/scenario.c) ---- */

enum acct_group_by { ACCT_BY_ACCOUNT, ACCT_BY_USER, ACCT_BY_PARTITION };
extern const char *const acct_group_by_names[3];

struct acct_import_opts {
	const struct pricing_catalog *cat;
	const char *cluster;	 /* --cluster: its Slurm table only */
	const char *accelerator; /* canonical, for untyped GPUs; or NULL */
	enum acct_group_by group_by;
	int64_t since, until; /* ACCT_UNKNOWN: open */
	const char *waits_venue; /* academic offer id or cluster, or NULL */
	const char *name;	 /* the scenario's name */
	const char *source;	 /* the input, named in the file's header */
};

#define ACCT_MAX_MONTHS 600
#define ACCT_MAX_GROUPS 1000
#define ACCT_MAX_UNKNOWN 32

/* One group's use of one accelerator. */
struct acct_usage {
	const char *accel; /* canonical name, owned by the catalog */
	double gpu_hours;
	double *monthly; /* GPU-hours of months month0, month0 + 1, ... */
	long month0;
	size_t nmonths;
	uint64_t jobs, arrays, array_tasks;
	/* jobs of 1..64 GPUs (a MIG slice rounded up to one), whole[0]
	 * those of more, big_gpus their GPUs */
	uint64_t whole[65];
	double big_gpus;
	uint64_t how[168];  /* submissions by hour of the week */
	struct acct_qhist hours; /* job durations, s */
};

struct acct_group {
	char name[ACCT_NAME_MAX];
	struct acct_usage *u;
	size_t nu, alloc;
	/* the job before, to tell an array's tasks (same user, name and
	 * submit second, one after the other) */
	char last_user[ACCT_NAME_MAX], last_name[ACCT_NAME_MAX];
	char last_array[ACCT_NAME_MAX];
	int64_t last_submit;
	const char *last_accel;
	uint64_t run;
};

struct acct_partition {
	char name[ACCT_NAME_MAX];
	struct acct_qhist wait; /* start - eligible (or submit), s */
};

struct acct_names; /* a name index (acct/import.c) */

struct acct_import {
	struct acct_import_opts o;
	struct acct_types types;
	struct acct_group *groups;
	size_t ngroups, galloc;
	struct acct_partition *parts;
	size_t nparts, palloc;
	struct acct_names *gidx, *pidx;
	struct acct_qhist waits; /* every used job's */
	struct acct_sacct_stats st; /* the reader's, then this import's */
	uint64_t used;
	char unknown[ACCT_MAX_UNKNOWN][ACCT_NAME_MAX];
	uint64_t unknown_jobs[ACCT_MAX_UNKNOWN];
	size_t nunknown;
	int64_t first, last; /* of the usage kept */
};

void acct_import_init(struct acct_import *im, const struct acct_import_opts *o);
void acct_import_release(struct acct_import *im);
/* Adds one job: counted as used, or as skipped in im->st (no GPU, an
 * unknown type, outside the window). Returns 0, or UTIL_E_INPUT when the
 * groups exceed ACCT_MAX_GROUPS (err). */
int acct_import_add(struct acct_import *im, const struct acct_job *j,
		    struct util_err *err);
/* Reads every job of the sacct output at path into im (malformed lines
 * in d); im->st then holds the reader's counts and the import's. Returns
 * 0, or an error of the reader or of acct_import_add (err). */
int acct_import_sacct(struct acct_import *im, const char *path,
		      uint64_t max_bytes, struct util_diags *d,
		      struct util_err *err);
/* The academic offer --waits-as-venue names, by id or cluster (the
 * first of the cluster's), or NULL. */
const struct pricing_offer *acct_waits_venue(const struct pricing_catalog *c,
					     const char *name);
/* True when some offer of c has a Slurm table and the cluster name. */
bool acct_known_cluster(const struct pricing_catalog *c, const char *name);
/* The scenario of what im holds (docs/import.md) into out (it sorts
 * each group's accelerators by name). Returns 0, or UTIL_E_INPUT when no
 * job was usable, there would be too many workloads or --waits-as-venue
 * names no academic offer (err). */
int acct_import_scenario(struct acct_import *im, struct util_buf *out,
			 struct util_err *err);

/* ---- a cloud bill as a baseline (acct/focus.c) ---- */

#define ACCT_MAX_SPEND 10000
/* Spend of one month, provider, region, instance type and pricing. */
struct acct_spend {
	char month[8]; /* YYYY-MM */
	char provider[64], region[64], instance[96], pricing[16];
	const char *accel, *offer; /* the catalog's */
	long devices;
	double billed, effective, list, hours;
	uint64_t lines;
};
struct acct_baseline {
	const struct pricing_catalog *cat; /* set before reading */
	char currency[16];
	bool currency_col;
	struct acct_spend *v;
	size_t n, alloc;
	uint64_t lines, kept, skipped_other, skipped_malformed;
	double billed, effective;
};
/* Reads a FOCUS 1.x export or an AWS CUR 2.0 CSV (columns by header
 * name) into b: the lines of a compute or AI service that name an
 * instance type of a cloud offer of b->cat. A line with an unreadable
 * cost or date is reported in d and skipped. Returns 0, UTIL_E_NOINPUT,
 * or UTIL_E_INPUT (not a bill, bad CSV, no GPU line; err). */
int acct_focus_read(struct acct_baseline *b, const char *path,
		    struct util_diags *d, struct util_err *err);
/* The baseline file (docs/import.md) of b into out; sorts b's spend. */
void acct_baseline_yaml(struct acct_baseline *b, const char *source,
			struct util_buf *out);
void acct_baseline_release(struct acct_baseline *b);

/* ---- what is paid today, for compare (acct/today.c) ---- */

struct acct_today {
	char path[256];	    /* the file read */
	char source[256];   /* the bill's name, as the baseline gives it */
	char currency[16];
	char first[8], last[8]; /* the months covered, YYYY-MM */
	int months;		/* from first to last, both counted */
	double billed, effective; /* over those months */
	double device_hours;	  /* instance-hours x devices */
};
/* Reads what is paid today from path: a cloud bill (FOCUS or CUR CSV,
 * as acct_focus_read) or, for a .yaml/.yml name, the baseline file that
 * `gpuplan import focus --out` wrote. Returns 0, UTIL_E_NOINPUT or
 * UTIL_E_INPUT (problems in d, the reason in err). */
int acct_today_read(struct acct_today *t, const struct pricing_catalog *cat,
		    const char *path, struct util_diags *d,
		    struct util_err *err);

#endif
