/* Reading `sacct --parsable2` output one job at a time: a line at most
 * ACCT_MAX_LINE bytes, one job and its steps held, so memory does not
 * grow with the input (docs/import.md). */
#include <errno.h>
#include <strings.h>
#include <sys/stat.h>

#include "acct.h"

const char *const acct_skip_names[ACCT_NSKIPS] = {
	"malformed line",	   "never started",
	"cancelled before start", "zero length",
	"step without its job",   "no GPU",
	"unknown GPU type",	   "outside --since/--until",
};

enum col {
	C_ID, C_NAME, C_ACCOUNT, C_USER, C_PARTITION, C_QOS, C_STATE,
	C_SUBMIT, C_ELIGIBLE, C_START, C_END, C_ELAPSED, C_TIMELIMIT,
	C_NNODES, C_NCPUS, C_TRES, C_ENERGY, NCOLS
};

static const char *const col_names[NCOLS] = {
	"JobIDRaw", "JobName",	  "Account", "User",	     "Partition",
	"QOS",	    "State",	  "Submit",  "Eligible",    "Start",
	"End",	    "ElapsedRaw", "TimelimitRaw", "NNodes", "NCPUS",
	"AllocTRES", "ConsumedEnergyRaw",
};

#define MAX_FIELDS 64

struct acct_sacct {
	FILE *f;
	bool owns; /* f is closed with the reader */
	char *path;
	uint64_t max, bytes;
	char line[ACCT_MAX_LINE + 2];
	int col[NCOLS];
	int col_jobid;	/* the optional JobID column, or -1 */
	size_t nfields; /* fields of a line */
	int lineno;
	struct acct_job cur, next;
	bool have;	     /* cur holds a job waiting for its steps */
	double step_energy;  /* of cur's steps */
	char skip_id[ACCT_NAME_MAX]; /* steps of a left-out job */
	struct acct_sacct_stats st;
};

/* One line of a split: the fields and where each starts (for columns). */
struct fields {
	char *v[MAX_FIELDS];
	size_t n;
	char *line;
};

static struct acct_sacct *reader(const char *name, FILE *f, uint64_t max)
{
	struct acct_sacct *r = util_xcalloc(1, sizeof(*r));

	r->max = max;
	r->nfields = NCOLS;
	r->col_jobid = -1;
	for (int i = 0; i < NCOLS; i++)
		r->col[i] = i;
	r->path = util_xstrdup(name);
	r->f = f;
	return r;
}

void acct_sacct_open_stream(FILE *f, const char *name, uint64_t max_bytes,
			    struct acct_sacct **out)
{
	*out = reader(name, f, max_bytes);
	(*out)->owns = true;
}

int acct_sacct_open(const char *path, uint64_t max_bytes,
		    struct acct_sacct **out, struct util_err *err)
{
	struct acct_sacct *r;
	struct stat st;

	r = reader(strcmp(path, "-") ? path : "<stdin>",
		   strcmp(path, "-") ? fopen(path, "r") : stdin, max_bytes);
	r->owns = r->f != stdin;
	*out = r;
	if (!r->f)
		return util_err_set(err, UTIL_E_NOINPUT, "cannot open '%s': %s",
				    path, strerror(errno));
	if (fstat(fileno(r->f), &st) == 0 && S_ISDIR(st.st_mode))
		return util_err_set(err, UTIL_E_INPUT,
				    "'%s' is a directory, not a file", path);
	if (fstat(fileno(r->f), &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size > max_bytes)
		return util_err_set(err, UTIL_E_INPUT,
				    "'%s' is larger than the limit of %llu MiB "
				    "(narrow it with sacct --starttime and "
				    "--endtime)",
				    path, (unsigned long long)(max_bytes >> 20));
	return 0;
}

void acct_sacct_close(struct acct_sacct *r)
{
	if (!r)
		return;
	if (r->f && r->owns)
		fclose(r->f);
	free(r->path);
	free(r);
}

const struct acct_sacct_stats *acct_sacct_stats(const struct acct_sacct *r)
{
	return &r->st;
}

const char *acct_sacct_path(const struct acct_sacct *r)
{
	return r->path;
}

/* The next line into r->line without its end of line: 1, 0 at the end,
 * 2 for a line too long (skipped to its end), or an error. */
static int read_line(struct acct_sacct *r, size_t *len, struct util_err *err)
{
	size_t n;
	int c = 0;

	if (!fgets(r->line, sizeof(r->line), r->f)) {
		if (ferror(r->f))
			return util_err_set(err, UTIL_E_NOINPUT,
					    "cannot read '%s': %s", r->path,
					    strerror(errno));
		return 0;
	}
	r->lineno++;
	r->st.lines++;
	n = strlen(r->line);
	r->bytes += n;
	if (n && r->line[n - 1] == '\n') {
		r->line[--n] = '\0';
	} else if (n > ACCT_MAX_LINE) {
		while ((c = getc(r->f)) != EOF && c != '\n')
			r->bytes++;
		n = 0;
	}
	if (n && r->line[n - 1] == '\r')
		r->line[--n] = '\0';
	*len = n;
	if (r->bytes > r->max)
		return util_err_set(err, UTIL_E_INPUT,
				    "'%s' is larger than the limit of %llu MiB "
				    "(narrow it with sacct --starttime and "
				    "--endtime)",
				    r->path,
				    (unsigned long long)(r->max >> 20));
	return c == '\n' || c == EOF ? 2 : 1;
}

static void split(char *line, struct fields *f)
{
	f->line = line;
	f->n = 0;
	for (char *s = line;; s++) {
		char *bar = strchr(s, '|');

		if (f->n < MAX_FIELDS)
			f->v[f->n] = s;
		f->n++;
		if (!bar)
			break;
		*bar = '\0';
		s = bar;
	}
}

static int col_of(const struct fields *f, size_t i)
{
	return (int)(f->v[i] - f->line) + 1;
}

static bool is_header(const struct fields *f)
{
	for (size_t i = 0; i < f->n && i < MAX_FIELDS; i++)
		if (!strcasecmp(f->v[i], col_names[C_ID]) ||
		    !strcasecmp(f->v[i], col_names[C_TRES]))
			return true;
	return false;
}

static int use_header(struct acct_sacct *r, const struct fields *f,
		      struct util_err *err)
{
	if (f->n > MAX_FIELDS)
		return util_err_set(err, UTIL_E_INPUT,
				    "%s:1:1: more than %d columns", r->path,
				    MAX_FIELDS);
	r->nfields = f->n;
	for (size_t i = 0; i < f->n; i++)
		if (!strcasecmp(f->v[i], "JobID"))
			r->col_jobid = (int)i;
	for (int c = 0; c < NCOLS; c++) {
		r->col[c] = -1;
		for (size_t i = 0; i < f->n; i++)
			if (!strcasecmp(f->v[i], col_names[c]))
				r->col[c] = (int)i;
		if (r->col[c] < 0)
			return util_err_set(err, UTIL_E_INPUT,
					    "%s:1:1: the header has no '%s' "
					    "column (run sacct with the "
					    "--format of 'gpuplan import sacct "
					    "--help')",
					    r->path, col_names[c]);
	}
	return 0;
}

/* A malformed line: reported at the field's column, counted. */
static int bad(struct acct_sacct *r, struct util_diags *d, int col,
	       const char *fmt, ...) UTIL_PRINTF(4, 5);
static int bad(struct acct_sacct *r, struct util_diags *d, int col,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	util_diag_vadd(d, UTIL_WARNING, r->path, r->lineno, col, fmt, ap);
	va_end(ap);
	r->st.skipped[ACCT_SKIP_MALFORMED]++;
	return UTIL_E_INPUT;
}

static const char *field(const struct acct_sacct *r, const struct fields *f,
			 enum col c)
{
	return f->v[r->col[c]];
}

static int fcol(const struct acct_sacct *r, const struct fields *f, enum col c)
{
	return col_of(f, (size_t)r->col[c]);
}

static int name_field(struct acct_sacct *r, const struct fields *f,
		      enum col c, char *dst, struct util_diags *d)
{
	const char *s = field(r, f, c);
	size_t n = strlen(s);

	if (n >= ACCT_NAME_MAX)
		return bad(r, d, fcol(r, f, c),
			   "%s is longer than %d bytes", col_names[c],
			   ACCT_NAME_MAX - 1);
	/* no control characters reach a summary on a terminal */
	for (size_t i = 0; i <= n; i++)
		dst[i] = i < n && ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
				 ? '?'
				 : s[i];
	return 0;
}

static int time_field(struct acct_sacct *r, const struct fields *f,
		      enum col c, int64_t *t, struct util_diags *d)
{
	if (acct_parse_time(field(r, f, c), t))
		return bad(r, d, fcol(r, f, c),
			   "unparseable time '%.40s' in %s (expected "
			   "YYYY-MM-DDTHH:MM:SS, Unknown or None)",
			   field(r, f, c), col_names[c]);
	return 0;
}

/* A count: empty is 0 (steps, old records), "UNLIMITED" and
 * "Partition_Limit" (time limits) are -1. */
static int long_field(struct acct_sacct *r, const struct fields *f,
		      enum col c, long *v, struct util_diags *d)
{
	const char *s = field(r, f, c);

	*v = 0;
	if (!*s)
		return 0;
	if (c == C_TIMELIMIT && (!strcasecmp(s, "UNLIMITED") ||
				 !strcasecmp(s, "Partition_Limit"))) {
		*v = -1;
		return 0;
	}
	if (s[0] == '-' && c == C_ELAPSED)
		return bad(r, d, fcol(r, f, c), "negative duration '%.40s' in %s",
			   s, col_names[c]);
	if (util_parse_long(s, 0, 1L << 40, v))
		return bad(r, d, fcol(r, f, c),
			   "'%.40s' in %s is not a whole number >= 0", s,
			   col_names[c]);
	return 0;
}

/* ConsumedEnergyRaw in joules; empty, or Slurm's "no value" (2^64 - 2),
 * is 0. */
static int energy_field(struct acct_sacct *r, const struct fields *f,
			double *v, struct util_diags *d)
{
	const char *s = field(r, f, C_ENERGY);

	*v = 0;
	if (!*s)
		return 0;
	if (util_parse_double(s, v) || *v < 0)
		return bad(r, d, fcol(r, f, C_ENERGY),
			   "'%.40s' in ConsumedEnergyRaw is not a number >= 0",
			   s);
	if (*v > 1e18)
		*v = 0;
	return 0;
}

static int tres_field(struct acct_sacct *r, const struct fields *f,
		      struct acct_job *j, struct util_diags *d)
{
	struct util_err err;
	long typed = 0;

	if (acct_tres_gpus(field(r, f, C_TRES), j->gres, ACCT_MAX_GPU_TYPES,
			   &j->ngres, &j->gpus_untyped, &err))
		return bad(r, d, fcol(r, f, C_TRES), "AllocTRES: %s", err.msg);
	for (size_t i = 0; i < j->ngres; i++)
		typed += j->gres[i].count;
	/* sacct prints gres/gpu=N (the total) beside gres/gpu:TYPE=N */
	j->gpus_untyped = j->gpus_untyped > typed ? j->gpus_untyped - typed : 0;
	return 0;
}

static int parse_job(struct acct_sacct *r, const struct fields *f,
		     struct acct_job *j, struct util_diags *d)
{
	static const enum col names[] = {C_ID,	      C_NAME, C_ACCOUNT,
					 C_USER,      C_PARTITION, C_QOS,
					 C_STATE};
	char *sp;

	memset(j, 0, sizeof(*j));
	j->line = r->lineno;
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(names); i++)
		if (name_field(r, f, names[i],
			       names[i] == C_ID	       ? j->id
			       : names[i] == C_NAME    ? j->name
			       : names[i] == C_ACCOUNT ? j->account
			       : names[i] == C_USER    ? j->user
			       : names[i] == C_PARTITION ? j->partition
			       : names[i] == C_QOS     ? j->qos
						       : j->state,
			       d))
			return UTIL_E_INPUT;
	if ((sp = strchr(j->state, ' ')))
		*sp = '\0'; /* "CANCELLED by 1000" */
	if (!j->id[0])
		return bad(r, d, fcol(r, f, C_ID), "empty JobIDRaw");
	if (r->col_jobid >= 0) {
		const char *id = f->v[r->col_jobid];
		size_t n = strcspn(id, "_");

		j->array_known = true;
		if (id[n] && n < ACCT_NAME_MAX) {
			memcpy(j->array, id, n);
			j->array[n] = '\0';
		}
	}
	if (time_field(r, f, C_SUBMIT, &j->submit, d) ||
	    time_field(r, f, C_ELIGIBLE, &j->eligible, d) ||
	    time_field(r, f, C_START, &j->start, d) ||
	    time_field(r, f, C_END, &j->end, d) ||
	    long_field(r, f, C_ELAPSED, &j->elapsed_s, d) ||
	    long_field(r, f, C_TIMELIMIT, &j->timelimit_min, d) ||
	    long_field(r, f, C_NNODES, &j->nnodes, d) ||
	    long_field(r, f, C_NCPUS, &j->ncpus, d) ||
	    tres_field(r, f, j, d) || energy_field(r, f, &j->energy_j, d))
		return UTIL_E_INPUT;
	if (j->start != ACCT_UNKNOWN && j->end != ACCT_UNKNOWN &&
	    j->end < j->start)
		return bad(r, d, fcol(r, f, C_END),
			   "negative duration: End is before Start");
	return 0;
}

/* Why a job that was read is left out, or -1 when it ran. */
static int skip_reason(const struct acct_job *j)
{
	bool cancelled = !strncmp(j->state, "CANCELLED", 9);

	if (j->start == ACCT_UNKNOWN || !strcmp(j->state, "PENDING"))
		return cancelled ? ACCT_SKIP_CANCELLED : ACCT_SKIP_PENDING;
	if (j->elapsed_s == 0)
		return cancelled ? ACCT_SKIP_CANCELLED : ACCT_SKIP_ZERO;
	return -1;
}

static void finish(struct acct_sacct *r, struct acct_job *job)
{
	*job = r->cur;
	if (job->energy_j < r->step_energy)
		job->energy_j = r->step_energy;
	if (job->end == ACCT_UNKNOWN) /* still running: what ran so far */
		job->end = job->start + job->elapsed_s;
	r->have = false;
	r->step_energy = 0;
	r->st.jobs++;
}

/* A step line (JobIDRaw "123.batch", "123.0"): folded into its job. */
static void step(struct acct_sacct *r, const struct fields *f, size_t dot)
{
	const char *id = field(r, f, C_ID);
	double e;

	r->st.steps++;
	if (r->have && strlen(r->cur.id) == dot &&
	    !strncmp(r->cur.id, id, dot)) {
		r->cur.steps++;
		if (!util_parse_double(field(r, f, C_ENERGY), &e) && e >= 0 &&
		    e <= 1e18)
			r->step_energy += e;
		return;
	}
	if (strlen(r->skip_id) != dot || strncmp(r->skip_id, id, dot))
		r->st.skipped[ACCT_SKIP_ORPHAN_STEP]++;
}

/* One line: 1 when it completes the job held before it (now in job). */
static int line(struct acct_sacct *r, char *s, struct acct_job *job,
		struct util_diags *d, struct util_err *err)
{
	struct fields f;
	const char *dot;
	int why;

	split(s, &f);
	if (r->lineno == 1 && is_header(&f))
		return use_header(r, &f, err) ? -1 : 0;
	if (f.n == r->nfields + 1 && !*f.v[r->nfields])
		f.n--; /* sacct --parsable ends each line with '|' */
	if (f.n != r->nfields) {
		bad(r, d, 1, "expected %zu fields separated by '|', got %zu",
		    r->nfields, f.n);
		return 0;
	}
	dot = strchr(field(r, &f, C_ID), '.');
	if (dot) {
		step(r, &f, (size_t)(dot - field(r, &f, C_ID)));
		return 0;
	}
	r->skip_id[0] = '\0';
	if (parse_job(r, &f, &r->next, d)) {
		memcpy(r->skip_id, r->next.id, sizeof(r->skip_id));
		return 0;
	}
	if ((why = skip_reason(&r->next)) >= 0) {
		r->st.skipped[why]++;
		memcpy(r->skip_id, r->next.id, sizeof(r->skip_id));
		return 0;
	}
	if (r->have) {
		finish(r, job);
		r->cur = r->next;
		r->have = true;
		return 1;
	}
	r->cur = r->next;
	r->have = true;
	return 0;
}

int acct_sacct_next(struct acct_sacct *r, struct acct_job *job,
		    struct util_diags *d, struct util_err *err)
{
	size_t len = 0;
	int rc;

	while ((rc = read_line(r, &len, err)) > 0) {
		if (rc == 2) {
			bad(r, d, 1, "line longer than %d bytes",
			    ACCT_MAX_LINE);
			continue;
		}
		if (!len)
			continue;
		rc = line(r, r->line, job, d, err);
		if (rc)
			return rc < 0 ? UTIL_E_INPUT : 1;
	}
	if (rc < 0)
		return rc;
	if (r->have) {
		finish(r, job);
		return 1;
	}
	return 0;
}

bool acct_sacct_sniff(const char *buf, size_t len)
{
	size_t n = 0, bars = 0;

	while (n < len && buf[n] != '\n')
		bars += buf[n++] == '|';
	if (n >= 8 && !strncasecmp(buf, "JobIDRaw", 8))
		return true;
	return bars == NCOLS - 1 || bars == NCOLS;
}

long acct_job_gpus(const struct acct_job *j)
{
	long n = j->gpus_untyped;

	for (size_t i = 0; i < j->ngres; i++)
		n += j->gres[i].count;
	return n;
}

size_t acct_job_devices(const struct acct_job *j, const struct acct_types *t,
			const char *default_accel, const char **accel,
			double *dev, const char **unknown)
{
	size_t n = 0;

	*unknown = NULL;
	for (size_t i = 0; i < j->ngres; i++) {
		double share;
		const char *a = acct_type_accel(t, j->gres[i].type, &share);

		if (!a) {
			if (!*unknown)
				*unknown = j->gres[i].type;
			continue;
		}
		accel[n] = a;
		dev[n++] = (double)j->gres[i].count * share;
	}
	if (j->gpus_untyped && default_accel) {
		accel[n] = default_accel;
		dev[n++] = (double)j->gpus_untyped;
	}
	return n;
}
