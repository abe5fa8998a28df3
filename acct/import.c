/* The import's aggregation: jobs into groups (account, user or
 * partition) and accelerators, GPU-hours split over calendar months,
 * sizes, durations, submissions by hour of the week, waits per
 * partition; memory grows with the groups, never with the jobs. */
#include <math.h>
#include <stddef.h>

#include "acct.h"

_Static_assert(offsetof(struct acct_group, name) == 0, "name first");
_Static_assert(offsetof(struct acct_partition, name) == 0, "name first");

const char *const acct_group_by_names[3] = {"account", "user", "partition"};

/* An open-addressing index of names onto positions in an array. */
#define SLOTS 4096
struct acct_names {
	int32_t slot[SLOTS]; /* position + 1, 0: free */
};

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The position of name, or -1 with *slot the free slot to fill. */
static int lookup(const struct acct_names *ix, const char *name,
		  const char *base, size_t stride, size_t *slot)
{
	for (size_t i = hash(name) & (SLOTS - 1);; i = (i + 1) & (SLOTS - 1)) {
		int32_t p = ix->slot[i];

		if (!p) {
			*slot = i;
			return -1;
		}
		if (!strcmp(base + (size_t)(p - 1) * stride, name))
			return p - 1;
	}
}

void acct_import_init(struct acct_import *im, const struct acct_import_opts *o)
{
	memset(im, 0, sizeof(*im));
	im->o = *o;
	im->types.cat = o->cat;
	im->types.cluster = o->cluster;
	im->gidx = util_xcalloc(1, sizeof(*im->gidx));
	im->pidx = util_xcalloc(1, sizeof(*im->pidx));
	im->first = INT64_MAX;
	im->last = INT64_MIN;
}

void acct_import_release(struct acct_import *im)
{
	for (size_t g = 0; g < im->ngroups; g++) {
		for (size_t k = 0; k < im->groups[g].nu; k++)
			free(im->groups[g].u[k].monthly);
		free(im->groups[g].u);
	}
	free(im->groups);
	free(im->parts);
	free(im->gidx);
	free(im->pidx);
}

static const char *group_key(const struct acct_import *im,
			     const struct acct_job *j)
{
	switch (im->o.group_by) {
	case ACCT_BY_USER:
		return j->user;
	case ACCT_BY_PARTITION:
		return j->partition;
	default:
		return j->account;
	}
}

static struct acct_group *group(struct acct_import *im, const char *name,
				struct util_err *err)
{
	size_t slot;
	/* name is the first member: the array is an array of names */
	int p = lookup(im->gidx, name, (const char *)im->groups,
		       sizeof(*im->groups), &slot);
	struct acct_group *g;

	if (p >= 0)
		return &im->groups[p];
	if (im->ngroups >= ACCT_MAX_GROUPS) {
		util_err_set(err, UTIL_E_INPUT,
			     "more than %d groups by %s: group by something "
			     "coarser (--group-by account or partition)",
			     ACCT_MAX_GROUPS,
			     acct_group_by_names[im->o.group_by]);
		return NULL;
	}
	UTIL_GROW(im->groups, im->ngroups + 1, im->galloc);
	g = &im->groups[im->ngroups];
	memset(g, 0, sizeof(*g));
	memcpy(g->name, name, strlen(name) + 1);
	im->gidx->slot[slot] = (int32_t)++im->ngroups;
	return g;
}

/* Partitions past ACCT_MAX_GROUPS are not tracked (their waits still
 * count in the overall figures). */
static struct acct_partition *partition(struct acct_import *im,
					const char *name)
{
	size_t slot;
	int p = lookup(im->pidx, name, (const char *)im->parts,
		       sizeof(*im->parts), &slot);

	if (p >= 0)
		return &im->parts[p];
	if (im->nparts >= ACCT_MAX_GROUPS)
		return NULL;
	UTIL_GROW(im->parts, im->nparts + 1, im->palloc);
	memset(&im->parts[im->nparts], 0, sizeof(*im->parts));
	memcpy(im->parts[im->nparts].name, name, strlen(name) + 1);
	im->pidx->slot[slot] = (int32_t)++im->nparts;
	return &im->parts[im->nparts - 1];
}

static struct acct_usage *usage(struct acct_group *g, const char *accel)
{
	for (size_t k = 0; k < g->nu; k++)
		if (!strcmp(g->u[k].accel, accel))
			return &g->u[k];
	UTIL_GROW(g->u, g->nu + 1, g->alloc);
	memset(&g->u[g->nu], 0, sizeof(*g->u));
	g->u[g->nu].accel = accel;
	return &g->u[g->nu++];
}

/* GPU-hours of [a, b) on dev devices, added to the months they fall in. */
static void add_months(struct acct_usage *u, int64_t a, int64_t b, double dev)
{
	long m0 = acct_month(a), m1 = acct_month(b - 1);

	if (!u->nmonths) {
		u->month0 = m0;
	} else if (m0 < u->month0) {
		size_t shift = (size_t)(u->month0 - m0);

		u->monthly = util_xreallocarray(u->monthly, u->nmonths + shift,
						sizeof(*u->monthly));
		memmove(u->monthly + shift, u->monthly,
			u->nmonths * sizeof(*u->monthly));
		memset(u->monthly, 0, shift * sizeof(*u->monthly));
		u->nmonths += shift;
		u->month0 = m0;
	}
	if ((size_t)(m1 - u->month0) >= u->nmonths) {
		size_t n = (size_t)(m1 - u->month0) + 1;

		u->monthly = util_xreallocarray(u->monthly, n,
						sizeof(*u->monthly));
		memset(u->monthly + u->nmonths, 0,
		       (n - u->nmonths) * sizeof(*u->monthly));
		u->nmonths = n;
	}
	for (long m = m0; m <= m1; m++) {
		int64_t s = acct_month_start(m), e = acct_month_start(m + 1);
		int64_t from = a > s ? a : s, to = b < e ? b : e;

		u->monthly[m - u->month0] += dev * (double)(to - from) / 3600;
	}
}

/* Counts an array's tasks: jobs one after the other of one array (with
 * a JobID column), or else with the same user, name, submit second and
 * accelerator. */
static void array_task(struct acct_group *g, struct acct_usage *u,
		       const struct acct_job *j)
{
	bool same = g->last_accel && !strcmp(g->last_accel, u->accel) &&
		    (j->array_known
			     ? j->array[0] && !strcmp(g->last_array, j->array)
			     : g->last_submit == j->submit &&
				       !strcmp(g->last_user, j->user) &&
				       !strcmp(g->last_name, j->name));

	if (!same) {
		g->run = 1;
		memcpy(g->last_user, j->user, sizeof(g->last_user));
		memcpy(g->last_name, j->name, sizeof(g->last_name));
		memcpy(g->last_array, j->array, sizeof(g->last_array));
		g->last_submit = j->submit;
		g->last_accel = u->accel;
		return;
	}
	if (++g->run == 2) {
		u->arrays++;
		u->array_tasks++;
	}
	u->array_tasks++;
}

static void add_use(struct acct_import *im, struct acct_group *g,
		    const struct acct_job *j, const char *accel, double dev,
		    int64_t a, int64_t b)
{
	struct acct_usage *u = usage(g, accel);
	double whole = ceil(dev);

	u->gpu_hours += dev * (double)(b - a) / 3600;
	add_months(u, a, b, dev);
	u->jobs++;
	u->whole[whole <= 64 ? (size_t)whole : 0]++;
	if (whole > 64)
		u->big_gpus += whole;
	acct_qhist_add(&u->hours, (double)j->elapsed_s);
	if (j->submit != ACCT_UNKNOWN)
		u->how[acct_hour_of_week(j->submit)]++;
	array_task(g, u, j);
	if (a < im->first)
		im->first = a;
	if (b > im->last)
		im->last = b;
}

static void unknown_type(struct acct_import *im, const char *type)
{
	for (size_t i = 0; i < im->nunknown; i++)
		if (!strcmp(im->unknown[i], type)) {
			im->unknown_jobs[i]++;
			return;
		}
	if (im->nunknown < ACCT_MAX_UNKNOWN) {
		memcpy(im->unknown[im->nunknown], type, strlen(type) + 1);
		im->unknown_jobs[im->nunknown++] = 1;
	}
}

static void add_wait(struct acct_import *im, const struct acct_job *j)
{
	int64_t from = j->eligible != ACCT_UNKNOWN ? j->eligible : j->submit;
	double w = from == ACCT_UNKNOWN || j->start < from
			   ? 0
			   : (double)(j->start - from);
	struct acct_partition *p = partition(im, j->partition);

	acct_qhist_add(&im->waits, w);
	if (p)
		acct_qhist_add(&p->wait, w);
}

int acct_import_add(struct acct_import *im, const struct acct_job *j,
		    struct util_err *err)
{
	const char *accel[ACCT_MAX_GPU_TYPES + 1], *unknown;
	double dev[ACCT_MAX_GPU_TYPES + 1];
	int64_t a = j->start, b = j->end;
	struct acct_group *g;
	size_t n;

	if (!acct_job_gpus(j)) {
		im->st.skipped[ACCT_SKIP_NO_GPU]++;
		return 0;
	}
	if (im->o.since != ACCT_UNKNOWN && a < im->o.since)
		a = im->o.since;
	if (im->o.until != ACCT_UNKNOWN && b > im->o.until)
		b = im->o.until;
	if (b <= a) {
		im->st.skipped[ACCT_SKIP_WINDOW]++;
		return 0;
	}
	n = acct_job_devices(j, &im->types, im->o.accelerator, accel, dev,
			     &unknown);
	if (unknown)
		unknown_type(im, unknown);
	if (!n) {
		im->st.skipped[ACCT_SKIP_UNKNOWN_TYPE]++;
		if (!unknown)
			unknown_type(im, "(untyped: give --accelerator)");
		return 0;
	}
	if (!(g = group(im, group_key(im, j), err)))
		return UTIL_E_INPUT;
	for (size_t i = 0; i < n; i++)
		add_use(im, g, j, accel[i], dev[i], a, b);
	add_wait(im, j);
	im->used++;
	return 0;
}

int acct_import_sacct(struct acct_import *im, const char *path,
		      uint64_t max_bytes, struct util_diags *d,
		      struct util_err *err)
{
	struct acct_sacct *r;
	struct acct_job *j = util_xmalloc(sizeof(*j));
	int rc = acct_sacct_open(path, max_bytes, &r, err);

	while (!rc && (rc = acct_sacct_next(r, j, d, err)) == 1)
		rc = acct_import_add(im, j, err);
	if (r) {
		const struct acct_sacct_stats *st = acct_sacct_stats(r);

		im->st.lines = st->lines;
		im->st.jobs = st->jobs;
		im->st.steps = st->steps;
		for (int k = 0; k <= ACCT_SKIP_ORPHAN_STEP; k++)
			im->st.skipped[k] = st->skipped[k];
	}
	acct_sacct_close(r);
	free(j);
	return rc;
}
