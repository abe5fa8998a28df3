/* Trace replay: jobs of a real cluster trace (submit time, duration,
 * GPUs) on a pool of devices, first come first served or with EASY
 * backfilling, through the event kernel. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../acct/acct.h"
#include "sim.h"

#define TRACE_MAX ((size_t)256 << 20)
#define TIME_MAX_S 3.15576e9 /* 100 years: times and durations beyond are
			      * malformed (sums must stay finite) */
#define BAD_ROWS_SHOWN 10    /* malformed rows named with their line */

enum { ARRIVE, END, NKINDS };

#define NONE SIZE_MAX

struct rjob {
	double submit, duration, start;
	long need; /* milli-devices */
	size_t idx; /* row order: ties in submit keep it */
	size_t cls, pos; /* its need class, its place in the class */
};

/* Minimum over ranges of n values, +inf for none: set a value, find the
 * first index from lo with a value at most x, both O(log n). */
struct mintree {
	size_t size; /* leaves: a power of two */
	double *v;   /* 2 * size: v[1] the root, v[size + i] leaf i */
};

/* Jobs of one need, in queue order: which wait, and for how long they
 * would run (+inf: not waiting). */
struct need_class {
	long need;
	size_t *jobs, n; /* job indices, ascending */
	struct mintree dur;
};

struct replay {
	const struct sim_replay_opts *o;
	const char *name; /* the trace in messages: its path, or <stdin> */
	char *in;	  /* standard input, read whole (path "-") */
	size_t inlen;
	struct sim_replay *out;
	struct rjob *jobs;
	size_t njobs;
	/* the queue: need by job index (+inf: not waiting), and by class */
	struct mintree queued;
	struct need_class *cls;
	size_t ncls, qlen;
	/* running jobs by end time, latest first: the profile of releases
	 * backfilling reads, the next to end at the back */
	size_t *running, nrunning;
	long capacity, free;
	double last_t, busy_area;
};

static void mt_init(struct mintree *t, size_t n)
{
	t->size = 1;
	while (t->size < n)
		t->size <<= 1;
	t->v = util_xreallocarray(NULL, 2 * t->size, sizeof(*t->v));
	for (size_t i = 0; i < 2 * t->size; i++)
		t->v[i] = INFINITY;
}

static void mt_set(struct mintree *t, size_t i, double x)
{
	i += t->size;
	t->v[i] = x;
	for (i >>= 1; i; i >>= 1)
		t->v[i] = fmin(t->v[2 * i], t->v[2 * i + 1]);
}

static size_t mt_first_rec(const struct mintree *t, size_t node, size_t l,
			   size_t r, size_t lo, double x)
{
	size_t mid, found;

	if (r <= lo || t->v[node] > x)
		return NONE;
	if (r - l == 1)
		return l;
	mid = l + (r - l) / 2;
	found = mt_first_rec(t, 2 * node, l, mid, lo, x);
	return found != NONE ? found
			     : mt_first_rec(t, 2 * node + 1, mid, r, lo, x);
}

/* The first index at least lo holding at most x, or NONE. */
static size_t mt_first(const struct mintree *t, size_t lo, double x)
{
	return mt_first_rec(t, 1, 0, t->size, lo, x);
}

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
		util_diag_add(d, UTIL_WARNING, rp->name, r->line, 1,
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
	struct acct_sacct *r = NULL;
	struct util_err err;
	size_t alloc = 0;
	int rc = 0;

	if (rp->in) { /* stdin, read already */
		FILE *f = fmemopen(rp->in, rp->inlen, "r");

		if (!f) {
			free(j);
			return util_diag_add(d, UTIL_ERROR, NULL, 0, 0,
					     "cannot read the trace from "
					     "standard input: %s",
					     strerror(errno));
		}
		acct_sacct_open_stream(f, "<stdin>", ACCT_MAX_BYTES, &r);
	} else {
		rc = acct_sacct_open(rp->o->path, ACCT_MAX_BYTES, &r, &err);
	}

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

/* True when the trace starts like sacct output: rp's stdin, read
 * already, or the file at its path. */
static bool is_sacct(const struct replay *rp)
{
	char buf[4096];
	size_t n = 0;
	FILE *f = rp->in ? NULL : fopen(rp->o->path, "r");

	if (rp->in)
		return acct_sacct_sniff(rp->in, rp->inlen < sizeof(buf)
							? rp->inlen
							: sizeof(buf));
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

	if (!strcmp(rp->o->path, "-")) {
		/* a pipe cannot be read twice: read once, then sniffed */
		rc = util_read_file("-", TRACE_MAX, &rp->in, &rp->inlen, &err);
		if (rc) {
			util_diag_add(d, UTIL_ERROR, NULL, 0, 0, "%s", err.msg);
			return rc;
		}
	}
	if (is_sacct(rp))
		return read_sacct(rp, d);
	if (rp->in) {
		buf = rp->in;
		len = rp->inlen;
		rp->in = NULL;
	} else {
		rc = util_read_file(rp->o->path, TRACE_MAX, &buf, &len, &err);
	}
	if (rc) {
		util_diag_add(d, UTIL_ERROR, NULL, 0, 0, "%s", err.msg);
		return rc;
	}
	rc = util_csv_next(buf, len, &pos, &line, &h, &err);
	if (rc != 1) {
		free(buf);
		return util_diag_add(d, UTIL_ERROR, rp->name, 1, 1, "%s",
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
		return util_diag_add(d, UTIL_ERROR, rp->name, 1, 1,
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
		return util_diag_add(d, UTIL_ERROR, rp->name, 0, 0, "%s",
				     err.msg);
	if (rp->out->skipped_bad > BAD_ROWS_SHOWN)
		util_diag_add(d, UTIL_WARNING, rp->name, 0, 0, "%llu more "
			      "malformed rows skipped",
			      (unsigned long long)(rp->out->skipped_bad -
						   BAD_ROWS_SHOWN));
	if (rp->njobs > 1) /* qsort(NULL, 0) is undefined */
		qsort(rp->jobs, rp->njobs, sizeof(*rp->jobs), cmp_submit);
	return 0;
}

/* ---- the queue, by job and by need ---- */

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* The distinct needs, ascending; each job's class and place in it. */
static void make_classes(struct replay *rp)
{
	long *needs = util_xcalloc(rp->njobs + 1, sizeof(*needs));
	size_t n = 0;

	for (size_t j = 0; j < rp->njobs; j++)
		needs[j] = rp->jobs[j].need;
	if (rp->njobs > 1)
		qsort(needs, rp->njobs, sizeof(*needs), cmp_long);
	for (size_t j = 0; j < rp->njobs; j++)
		if (!n || needs[n - 1] != needs[j])
			needs[n++] = needs[j];
	rp->cls = util_xcalloc(n + 1, sizeof(*rp->cls));
	rp->ncls = n;
	for (size_t c = 0; c < n; c++)
		rp->cls[c].need = needs[c];
	for (size_t j = 0; j < rp->njobs; j++) {
		struct rjob *jb = &rp->jobs[j];
		size_t lo = 0, hi = n;

		while (hi - lo > 1) /* needs[lo] <= need < needs[hi] */
			if (needs[lo + (hi - lo) / 2] <= jb->need)
				lo += (hi - lo) / 2;
			else
				hi = lo + (hi - lo) / 2;
		jb->cls = lo;
		jb->pos = rp->cls[lo].n++;
	}
	for (size_t c = 0; c < n; c++) {
		rp->cls[c].jobs = util_xcalloc(rp->cls[c].n + 1, sizeof(size_t));
		mt_init(&rp->cls[c].dur, rp->cls[c].n);
	}
	for (size_t j = 0; j < rp->njobs; j++)
		rp->cls[rp->jobs[j].cls].jobs[rp->jobs[j].pos] = j;
	mt_init(&rp->queued, rp->njobs);
	free(needs);
}

static void queue_set(struct replay *rp, size_t j, bool waiting)
{
	const struct rjob *jb = &rp->jobs[j];

	mt_set(&rp->queued, j, waiting ? (double)jb->need : INFINITY);
	mt_set(&rp->cls[jb->cls].dur, jb->pos,
	       waiting ? jb->duration : INFINITY);
	rp->qlen += waiting ? 1 : (size_t)-1;
}

/* The first waiting job from index lo needing at most `need`, or NONE. */
static size_t first_fitting(const struct replay *rp, size_t lo, long need)
{
	return mt_first(&rp->queued, lo, (double)need);
}

/* The first waiting job from index lo needing at most `need` and running
 * at most `dur`, or NONE: the first in each class small enough. */
static size_t first_short(const struct replay *rp, size_t lo, long need,
			  double dur)
{
	size_t best = NONE;

	for (size_t c = 0; c < rp->ncls && rp->cls[c].need <= need; c++) {
		const struct need_class *k = &rp->cls[c];
		size_t a = 0, b = k->n, p;

		while (a < b) /* the first of the class at index lo or later */
			if (k->jobs[a + (b - a) / 2] < lo)
				a += (b - a) / 2 + 1;
			else
				b = a + (b - a) / 2;
		p = mt_first(&k->dur, a, dur);
		if (p != NONE && p < k->n && k->jobs[p] < best)
			best = k->jobs[p];
	}
	return best;
}

static void release_queue(struct replay *rp)
{
	for (size_t c = 0; c < rp->ncls; c++) {
		free(rp->cls[c].jobs);
		free(rp->cls[c].dur.v);
	}
	free(rp->cls);
	free(rp->queued.v);
}

/* ---- the scheduler ---- */

static void account(struct replay *rp, double now)
{
	rp->busy_area += (double)(rp->capacity - rp->free) * (now - rp->last_t);
	rp->last_t = now;
}

/* Job x ends after job y (ties: the later row). */
static bool ends_after(const struct replay *rp, size_t x, size_t y)
{
	const struct rjob *a = &rp->jobs[x], *b = &rp->jobs[y];
	double ea = a->start + a->duration, eb = b->start + b->duration;

	return ea != eb ? ea > eb : a->idx > b->idx;
}

/* Where job j goes in (or is in) the running list, latest end first. */
static size_t running_place(const struct replay *rp, size_t j)
{
	size_t a = 0, b = rp->nrunning;

	while (a < b)
		if (ends_after(rp, rp->running[a + (b - a) / 2], j))
			a += (b - a) / 2 + 1;
		else
			b = a + (b - a) / 2;
	return a;
}

static void start(struct sim_engine *e, struct replay *rp, size_t j)
{
	struct rjob *jb = &rp->jobs[j];
	double now = sim_now(e);
	size_t at;

	queue_set(rp, j, false);
	rp->free -= jb->need;
	jb->start = now;
	at = running_place(rp, j);
	memmove(&rp->running[at + 1], &rp->running[at],
		(rp->nrunning - at) * sizeof(*rp->running));
	rp->running[at] = j;
	rp->nrunning++;
	sim_hist_add(&rp->out->wait, now - jb->submit);
	sim_schedule(e, now + jb->duration, END, (uint32_t)j, 0);
}

/* EASY backfilling: the head of the queue gets a reservation at the
 * earliest time enough devices free up (its shadow time); a later job
 * may start now if it fits and ends before then, or uses only devices the
 * head will not need. */
/* The head's shadow time (when enough devices will have freed up for
 * it) and the devices it will leave spare then: read off the running
 * list, the next to end at its back. */
static double shadow_of(const struct replay *rp, long need, long *extra)
{
	long freed = rp->free;
	double shadow = INFINITY;

	for (size_t i = rp->nrunning; i > 0 && freed < need; i--) {
		const struct rjob *r = &rp->jobs[rp->running[i - 1]];

		freed += r->need;
		shadow = r->start + r->duration;
	}
	*extra = freed - need;
	return shadow;
}

/* EASY backfilling: the head of the queue gets a reservation at the
 * earliest time enough devices free up (its shadow time); a later job
 * may start now if it fits and ends before then, or uses only devices the
 * head will not need. Jobs are taken in queue order, each found in
 * O(log n) (O(classes x log n) for the ones ending before the shadow):
 * as the free and spare devices only shrink during a pass, the next job
 * a scan of the queue would start is the first that fits either way. */
static void backfill(struct sim_engine *e, struct replay *rp, size_t head)
{
	long extra;
	double now = sim_now(e);
	double shadow = shadow_of(rp, rp->jobs[head].need, &extra);
	/* a little slack: each candidate is checked exactly below */
	double dur = (shadow - now) * (1 + 1e-12) + 1e-9;
	size_t lo = head + 1, lo_short = head + 1;

	for (;;) {
		size_t a = first_fitting(rp, lo, extra < rp->free ? extra
								   : rp->free);
		size_t b = first_short(rp, lo_short, rp->free, dur);
		size_t j = a < b ? a : b;
		const struct rjob *jb;
		bool before;

		if (j == NONE)
			break;
		jb = &rp->jobs[j];
		before = now + jb->duration <= shadow;
		if (j == b && j != a && !before) { /* only the slack's */
			lo_short = j + 1;
			continue;
		}
		if (!before)
			extra -= jb->need;
		start(e, rp, j);
		lo = lo_short = j + 1;
	}
}

static void dispatch(struct sim_engine *e, struct replay *rp)
{
	size_t head = rp->qlen ? first_fitting(rp, 0, LONG_MAX) : NONE;

	while (head != NONE && rp->jobs[head].need <= rp->free) {
		start(e, rp, head);
		head = rp->qlen ? first_fitting(rp, head + 1, LONG_MAX) : NONE;
	}
	if (head != NONE && rp->o->backfill)
		backfill(e, rp, head);
}

static void on_arrive(struct sim_engine *e, uint32_t j, uint32_t gen)
{
	struct replay *rp = sim_ctx(e);

	(void)gen;
	account(rp, sim_now(e));
	queue_set(rp, j, true);
	dispatch(e, rp);
}

static void on_end(struct sim_engine *e, uint32_t j, uint32_t gen)
{
	struct replay *rp = sim_ctx(e);
	size_t at;

	(void)gen;
	account(rp, sim_now(e));
	rp->free += rp->jobs[j].need;
	at = running_place(rp, j);
	UTIL_BUG_ON(at >= rp->nrunning || rp->running[at] != j);
	memmove(&rp->running[at], &rp->running[at + 1],
		(rp->nrunning - at - 1) * sizeof(*rp->running));
	rp->nrunning--;
	rp->out->makespan_s = sim_now(e) - (rp->njobs ? rp->jobs[0].submit : 0);
	dispatch(e, rp);
}

int sim_replay_run(const struct sim_replay_opts *o, struct sim_replay *out,
		   struct util_diags *d)
{
	static const sim_handler handlers[NKINDS] = {on_arrive, on_end};
	struct replay rp = {.o = o, .out = out,
			    .name = strcmp(o->path, "-") ? o->path : "<stdin>"};
	struct sim_engine *e;
	int rc;

	memset(out, 0, sizeof(*out));
	sim_hist_init(&out->wait);
	sim_hist_init(&out->recorded);
	rp.capacity = rp.free = lround(o->devices * 1000);
	rc = read_trace(&rp, d);
	free(rp.in);
	if (rc) {
		free(rp.jobs);
		return rc;
	}
	make_classes(&rp);
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
	release_queue(&rp);
	free(rp.running);
	free(rp.jobs);
	return 0;
}
