/* Trace replay: jobs of a real cluster trace (submit time, duration,
 * GPUs) on a pool of devices, first come first served or with EASY
 * backfilling, through the event kernel. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../acct/acct.h"
#include "sim.h"

#define TRACE_MAX ((size_t)256 << 20)
#define TIME_MAX_S 3.15576e9 /* 100 years: times and durations beyond are
			      * malformed (sums must stay finite) */
#define BAD_ROWS_SHOWN 10    /* malformed rows named with their line */

enum { ARRIVE, END, NKINDS };

struct rjob {
	double submit, duration, start;
	long need; /* milli-devices */
	size_t idx; /* row order: ties in submit keep it */
};

struct replay {
	const struct sim_replay_opts *o;
	struct sim_replay *out;
	struct rjob *jobs;
	size_t njobs;
	size_t *queue, qlen;
	size_t *running, nrunning;
	long capacity, free;
	double last_t, busy_area;
};

/* ---- reading the trace: columns found by header name ---- */

static int column(const struct util_csv_row *h, const char *const *names)
{
	for (size_t i = 0; i < h->n; i++)
		for (size_t k = 0; names[k]; k++)
			if (!strcmp(h->field[i], names[k]))
				return (int)i;
	return -1;
}

static double num(const struct util_csv_row *r, int col)
{
	double v;

	if (col < 0 || (size_t)col >= r->n || util_parse_double(r->field[col],
								&v))
		return NAN;
	return v;
}

static int cmp_submit(const void *a, const void *b)
{
	const struct rjob *x = a, *y = b;

	if (x->submit != y->submit)
		return (x->submit > y->submit) - (x->submit < y->submit);
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* One job of the trace, whatever its format: counted and skipped when
 * it has no GPU or is larger than the pool. wait < 0: none recorded. */
static void push_job(struct replay *rp, double submit, double dur, long need,
		     double wait, size_t *alloc)
{
	if (need <= 0) {
		rp->out->skipped_cpu++;
		return;
	}
	if (need > rp->capacity) {
		rp->out->skipped_big++;
		return;
	}
	if (wait >= 0)
		sim_hist_add(&rp->out->recorded, wait);
	UTIL_GROW(rp->jobs, rp->njobs + 1, *alloc);
	rp->jobs[rp->njobs] = (struct rjob){submit, dur, -1, need, rp->njobs};
	rp->njobs++;
}

/* A malformed row: counted, and the first few named with their line. */
static void bad_row(struct replay *rp, const struct util_csv_row *r,
		    struct util_diags *d, const char *why, const char *what)
{
	if (++rp->out->skipped_bad <= BAD_ROWS_SHOWN)
		util_diag_add(d, UTIL_WARNING, rp->o->path, r->line, 1,
			      "row skipped: %s %s", why, what);
}

/* Why column col of r is not a number of at least 0, or NULL. */
static const char *why_bad(const struct util_csv_row *r, int col)
{
	double v;

	if (col < 0)
		return NULL; /* an optional column absent */
	if ((size_t)col >= r->n || !*r->field[col])
		return "no";
	if (util_parse_double(r->field[col], &v))
		return "not a number for the";
	return v < 0 ? "a negative" : NULL;
}

static void add_job(struct replay *rp, const struct util_csv_row *r,
		    const int col[5], size_t *alloc, struct util_diags *d)
{
	static const char *const what[] = {"submit time", "duration",
					   "GPU count", "GPU fraction"};
	double submit = num(r, col[0]), dur = num(r, col[1]);
	double gpus = num(r, col[2]), milli = col[3] >= 0 ? num(r, col[3])
							  : 1000;

	for (int k = 0; k < 4; k++) {
		const char *why = why_bad(r, col[k]);

		if (why) {
			bad_row(rp, r, d, why, what[k]);
			return;
		}
	}
	if (submit > TIME_MAX_S || dur > TIME_MAX_S || gpus > 1e9 ||
	    milli > 1e9) {
		bad_row(rp, r, d, "a time beyond 100 years or a count beyond "
			"a billion:", "not a job");
		return;
	}
	push_job(rp, submit, dur, lround(gpus * (gpus <= 1 ? milli : 1000)),
		 col[4] >= 0 ? num(r, col[4]) : -1, alloc);
}

/* sacct --parsable2 output (docs/import.md): the jobs that ran, steps
 * folded in, every GPU (MIG slices too) one device; malformed lines are
 * reported in d by the reader and counted as skipped_bad. */
static int read_sacct(struct replay *rp, struct util_diags *d)
{
	struct acct_job *j = util_xmalloc(sizeof(*j));
	struct acct_sacct *r;
	struct util_err err;
	size_t alloc = 0;
	int rc = acct_sacct_open(rp->o->path, ACCT_MAX_BYTES, &r, &err);

	while (!rc && (rc = acct_sacct_next(r, j, d, &err)) == 1) {
		int64_t from = j->eligible != ACCT_UNKNOWN ? j->eligible
							   : j->submit;
		int64_t submit = j->submit != ACCT_UNKNOWN ? j->submit
							   : j->start;

		push_job(rp, (double)submit, (double)j->elapsed_s,
			 acct_job_gpus(j) * 1000,
			 from == ACCT_UNKNOWN || j->start < from
				 ? 0
				 : (double)(j->start - from),
			 &alloc);
		rc = 0;
	}
	if (r)
		rp->out->skipped_bad +=
			acct_sacct_stats(r)->skipped[ACCT_SKIP_MALFORMED];
	acct_sacct_close(r);
	free(j);
	if (rc < 0) {
		util_diag_add(d, UTIL_ERROR, NULL, 0, 0, "%s", err.msg);
		return rc;
	}
	if (rp->njobs > 1) /* qsort(NULL, 0) is undefined */
		qsort(rp->jobs, rp->njobs, sizeof(*rp->jobs), cmp_submit);
	return 0;
}

/* True when the file at path starts like sacct output. */
static bool is_sacct(const char *path)
{
	char buf[4096];
	size_t n = 0;
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : NULL;

	if (f) {
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
	}
	return n && acct_sacct_sniff(buf, n);
}

static int read_trace(struct replay *rp, struct util_diags *d)
{
	static const char *const submit[] = {"submit_time_s", "submit_time",
					      "submit", NULL};
	static const char *const dur[] = {"duration_s", "duration",
					   "runtime_s", "runtime", NULL};
	static const char *const gpus[] = {"num_gpu", "num_gpus", "gpus",
					    "gpu", NULL};
	static const char *const frac[] = {"gpu_fraction_milli", NULL};
	static const char *const wait[] = {"wait_s", NULL};
	struct util_csv_row h, r;
	struct util_err err;
	char *buf = NULL;
	size_t len, pos = 0, alloc = 0;
	int line = 1, col[5], rc;

	if (is_sacct(rp->o->path))
		return read_sacct(rp, d);
	rc = util_read_file(rp->o->path, TRACE_MAX, &buf, &len, &err);
	if (rc) {
		util_diag_add(d, UTIL_ERROR, NULL, 0, 0, "%s", err.msg);
		return rc;
	}
	rc = util_csv_next(buf, len, &pos, &line, &h, &err);
	if (rc != 1) {
		free(buf);
		return util_diag_add(d, UTIL_ERROR, rp->o->path, 1, 1, "%s",
				     rc ? err.msg : "empty trace");
	}
	col[0] = column(&h, submit);
	col[1] = column(&h, dur);
	col[2] = column(&h, gpus);
	col[3] = column(&h, frac);
	col[4] = column(&h, wait);
	util_csv_row_release(&h);
	if (col[0] < 0 || col[1] < 0 || col[2] < 0) {
		free(buf);
		return util_diag_add(d, UTIL_ERROR, rp->o->path, 1, 1,
				     "a trace needs a submit time "
				     "(submit_time_s), a duration (duration_s "
				     "or runtime) and a GPU count (num_gpu) "
				     "column");
	}
	while ((rc = util_csv_next(buf, len, &pos, &line, &r, &err)) == 1) {
		add_job(rp, &r, col, &alloc, d);
		util_csv_row_release(&r);
	}
	free(buf);
	if (rc < 0)
		return util_diag_add(d, UTIL_ERROR, rp->o->path, 0, 0, "%s",
				     err.msg);
	if (rp->out->skipped_bad > BAD_ROWS_SHOWN)
		util_diag_add(d, UTIL_WARNING, rp->o->path, 0, 0, "%llu more "
			      "malformed rows skipped",
			      (unsigned long long)(rp->out->skipped_bad -
						   BAD_ROWS_SHOWN));
	if (rp->njobs > 1) /* qsort(NULL, 0) is undefined */
		qsort(rp->jobs, rp->njobs, sizeof(*rp->jobs), cmp_submit);
	return 0;
}

/* ---- the scheduler ---- */

static void account(struct replay *rp, double now)
{
	rp->busy_area += (double)(rp->capacity - rp->free) * (now - rp->last_t);
	rp->last_t = now;
}

static void start(struct sim_engine *e, struct replay *rp, size_t qi)
{
	size_t j = rp->queue[qi];
	struct rjob *jb = &rp->jobs[j];
	double now = sim_now(e);

	memmove(&rp->queue[qi], &rp->queue[qi + 1],
		(rp->qlen - qi - 1) * sizeof(*rp->queue));
	rp->qlen--;
	rp->free -= jb->need;
	jb->start = now;
	rp->running[rp->nrunning++] = j;
	sim_hist_add(&rp->out->wait, now - jb->submit);
	sim_schedule(e, now + jb->duration, END, (uint32_t)j, 0);
}

static struct replay *sort_ctx; /* qsort has no argument for it */

static int cmp_end(const void *a, const void *b)
{
	const struct rjob *x = &sort_ctx->jobs[*(const size_t *)a];
	const struct rjob *y = &sort_ctx->jobs[*(const size_t *)b];
	double ex = x->start + x->duration, ey = y->start + y->duration;

	if (ex != ey)
		return (ex > ey) - (ex < ey);
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* EASY backfilling: the head of the queue gets a reservation at the
 * earliest time enough devices free up (its shadow time); a later job
 * may start now if it fits and ends before then, or uses only devices the
 * head will not need. */
static void backfill(struct sim_engine *e, struct replay *rp)
{
	long freed = rp->free, extra;
	double shadow = INFINITY, now = sim_now(e);
	const struct rjob *head = &rp->jobs[rp->queue[0]];

	sort_ctx = rp;
	qsort(rp->running, rp->nrunning, sizeof(*rp->running), cmp_end);
	for (size_t i = 0; i < rp->nrunning && freed < head->need; i++) {
		const struct rjob *r = &rp->jobs[rp->running[i]];

		freed += r->need;
		shadow = r->start + r->duration;
	}
	extra = freed - head->need;
	for (size_t qi = 1; qi < rp->qlen;) {
		const struct rjob *j = &rp->jobs[rp->queue[qi]];
		bool before = now + j->duration <= shadow;

		if (j->need <= rp->free && (before || j->need <= extra)) {
			if (!before)
				extra -= j->need;
			start(e, rp, qi);
			continue;
		}
		qi++;
	}
}

static void dispatch(struct sim_engine *e, struct replay *rp)
{
	while (rp->qlen && rp->jobs[rp->queue[0]].need <= rp->free)
		start(e, rp, 0);
	if (rp->qlen && rp->o->backfill)
		backfill(e, rp);
}

static void on_arrive(struct sim_engine *e, uint32_t j, uint32_t gen)
{
	struct replay *rp = sim_ctx(e);

	(void)gen;
	account(rp, sim_now(e));
	rp->queue[rp->qlen++] = j;
	dispatch(e, rp);
}

static void on_end(struct sim_engine *e, uint32_t j, uint32_t gen)
{
	struct replay *rp = sim_ctx(e);

	(void)gen;
	account(rp, sim_now(e));
	rp->free += rp->jobs[j].need;
	for (size_t i = 0; i < rp->nrunning; i++) {
		if (rp->running[i] == j) {
			rp->running[i] = rp->running[--rp->nrunning];
			break;
		}
	}
	rp->out->makespan_s = sim_now(e) - (rp->njobs ? rp->jobs[0].submit : 0);
	dispatch(e, rp);
}

int sim_replay_run(const struct sim_replay_opts *o, struct sim_replay *out,
		   struct util_diags *d)
{
	static const sim_handler handlers[NKINDS] = {on_arrive, on_end};
	struct replay rp = {.o = o, .out = out};
	struct sim_engine *e;
	int rc;

	memset(out, 0, sizeof(*out));
	sim_hist_init(&out->wait);
	sim_hist_init(&out->recorded);
	rp.capacity = rp.free = lround(o->devices * 1000);
	rc = read_trace(&rp, d);
	if (rc) {
		free(rp.jobs);
		return rc;
	}
	rp.queue = util_xcalloc(rp.njobs + 1, sizeof(*rp.queue));
	rp.running = util_xcalloc(rp.njobs + 1, sizeof(*rp.running));
	e = sim_engine_new(&rp, handlers, NKINDS);
	for (size_t i = 0; i < rp.njobs; i++)
		sim_schedule(e, rp.jobs[i].submit, ARRIVE, (uint32_t)i, 0);
	if (rp.njobs)
		rp.last_t = rp.jobs[0].submit;
	out->events = sim_run(e, INFINITY);
	out->jobs = rp.njobs;
	out->utilisation = out->makespan_s > 0
				   ? rp.busy_area /
					     ((double)rp.capacity *
					      out->makespan_s)
				   : 0;
	sim_engine_free(e);
	free(rp.queue);
	free(rp.running);
	free(rp.jobs);
	return 0;
}
