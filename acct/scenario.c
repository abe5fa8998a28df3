/* The scenario an import writes (docs/import.md): one research workload
 * per group and accelerator, its jobs as counted, its GPU-hours by month
 * as `monthly:` weights, the shape of its jobs as the simulator draws
 * them (`job_sizes`, `job_lengths`, `weekly`), and the observed waits as
 * an academic venue's queue wait on request. */
#include <ctype.h>
#include <math.h>
#include <strings.h>

#include "acct.h"

/* A workload name from a group's: [A-Za-z0-9._-], a letter or digit
 * first, at most 64 characters, unique among those before it. */
static void workload_name(const char *group, const char *accel, bool suffix,
			  char **names, size_t n, char out[65])
{
	char base[2 * ACCT_NAME_MAX + 2];
	size_t len;
	int k = 1;

	snprintf(base, sizeof(base), "%s%s%s", *group ? group : "none",
		 suffix ? "-" : "", suffix ? accel : "");
	for (char *s = base; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			*s = '-';
	if (!isalnum((unsigned char)base[0]))
		base[0] = 'g';
	base[60] = '\0';
	len = strlen(base);
	memcpy(out, base, len + 1);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(names[i], out))
			continue;
		snprintf(out + len, 65 - len, "-%d", ++k);
		i = (size_t)-1; /* check the new name from the start */
	}
}

/* A text from the input in a YAML comment or quoted string: printable
 * ASCII without quotes or backslashes, anything else as '?'. */
static void put_safe(struct util_buf *b, const char *s)
{
	for (; *s; s++)
		util_buf_printf(b, "%c",
				*s >= 0x20 && *s < 0x7f && *s != '"' &&
						*s != '\\'
					? *s
					: '?');
}

static uint64_t median_whole(const struct acct_usage *u)
{
	uint64_t seen = 0;

	for (size_t g = 1; g <= 64; g++) {
		seen += u->whole[g];
		if (2 * seen >= u->jobs)
			return g;
	}
	return 64;
}

/* The months' GPU-hours as the scenario's `monthly:` weights, month 1
 * the horizon's first (the import's first month, first): one weight
 * per month of a horizon of `months` months when it is longer than a
 * year (the scenario's weights are then not repeated, so each month
 * gets its own GPU-hours; at most ACCT_MONTHLY_MAX), else a weight a
 * month of the year, the years added up. */
static void put_monthly(struct util_buf *b, const struct acct_usage *u,
			long first, long months)
{
	long n = months > 12 && months <= ACCT_MONTHLY_MAX ? months : 12;
	double w[ACCT_MONTHLY_MAX] = {0};
	char m[16];

	for (size_t i = 0; i < u->nmonths; i++) {
		long k = (u->month0 + (long)i - first) % n;

		w[k < 0 ? k + n : k] += u->monthly[i];
	}
	/* weights at full precision: a group of a few GPU-minutes must
	 * not round to all zeros, which the scenario refuses */
	if (u->gpu_hours > 0) {
		util_buf_puts(b, "    # the work comes as it came: the "
				 "GPU-hours of each month, from the first\n"
				 "    monthly: [");
		for (long k = 0; k < n; k++)
			util_buf_printf(b, "%s%.6g", k ? ", " : "", w[k]);
		util_buf_puts(b, "]\n");
	}
	util_buf_puts(b, "    # GPU-hours by month:");
	for (size_t i = 0; i < u->nmonths; i++) {
		acct_month_name(u->month0 + (long)i, m, sizeof(m));
		util_buf_printf(b, "%s %s %.1f", i ? "," : "", m,
				u->monthly[i]);
	}
	util_buf_puts(b, "\n");
}

/* job_sizes: the jobs of each size in whole GPUs (weights: the loader
 * makes shares of them); those over 64 GPUs as one size, their mean. */
static void put_sizes(struct util_buf *b, const struct acct_usage *u)
{
	const char *sep = "";

	util_buf_puts(b, "    # jobs by GPUs per job, and their lengths: the "
			 "simulator draws each job from them\n"
			 "    job_sizes: {");
	for (size_t g = 1; g <= 64; g++) {
		if (!u->whole[g])
			continue;
		util_buf_printf(b, "%s%zu: %llu", sep, g,
				(unsigned long long)u->whole[g]);
		sep = ", ";
	}
	if (u->whole[0])
		util_buf_printf(b, "%s%.0f: %llu", sep,
				fmin(round(u->big_gpus / (double)u->whole[0]),
				     100000),
				(unsigned long long)u->whole[0]);
	util_buf_puts(b, "}\n");
}

/* Hours as a duration: 4 significant digits, never an exponent. */
static void put_hours(struct util_buf *b, double h)
{
	util_buf_printf(b, h >= 1000 ? "%.0fh" : "%.4gh", h);
}

/* A quantile of h within its smallest and largest value (a bin's
 * middle may pass them), in hours. */
static double hours_q(const struct acct_qhist *h, double q)
{
	return fmin(fmax(acct_qhist_quantile(h, q), h->min), h->max) / 3600;
}

/* job_lengths: p50, p90 and max of the durations, in hours at 4
 * significant digits. */
static void put_lengths(struct util_buf *b, const struct acct_usage *u)
{
	double mx = u->hours.max / 3600, p90 = hours_q(&u->hours, 0.9);
	double p50 = hours_q(&u->hours, 0.5);

	util_buf_puts(b, "    job_lengths: {p50: ");
	put_hours(b, p50);
	util_buf_puts(b, ", p90: ");
	put_hours(b, p90);
	util_buf_puts(b, ", max: ");
	put_hours(b, mx);
	util_buf_puts(b, "}\n");
}

/* weekly: the submissions of each hour of the week, a day a line. */
static void put_week(struct util_buf *b, const struct acct_usage *u)
{
	static const char *const days[] = {"mon", "tue", "wed", "thu",
					   "fri", "sat", "sun"};
	uint64_t any = 0;

	for (int h = 0; h < 168; h++)
		any += u->how[h];
	if (!any) /* no job with a known submit time */
		return;
	util_buf_puts(b, "    # submissions by hour of the week, 00h to 23h "
			 "of the cluster's clock\n    weekly:\n");
	for (int d = 0; d < 7; d++) {
		util_buf_printf(b, "      %s: [", days[d]);
		for (int h = 0; h < 24; h++)
			util_buf_printf(b, "%s%llu", h ? ", " : "",
					(unsigned long long)u->how[d * 24 + h]);
		util_buf_puts(b, "]\n");
	}
}

static void put_workload(struct util_buf *b, const struct acct_import *im,
			 const struct acct_group *g,
			 const struct acct_usage *u, const char *name)
{
	uint64_t gpus = median_whole(u);
	double hours = u->gpu_hours / ((double)u->jobs * (double)gpus);

	util_buf_printf(b, "  - name: %s\n    kind: research\n"
			   "    profile: phd\n    description: \"",
			name);
	util_buf_printf(b, "%s ", acct_group_by_names[im->o.group_by]);
	put_safe(b, g->name);
	util_buf_printf(b, " on %s: jobs %llu (array tasks %llu, arrays %llu), "
			   "GPU-hours %.1f\"\n",
			u->accel, (unsigned long long)u->jobs,
			(unsigned long long)u->array_tasks,
			(unsigned long long)u->arrays, u->gpu_hours);
	/* gpus x hours x count keeps the GPU-hours exactly */
	util_buf_printf(b, "    jobs: {count: %llu, gpus: %llu, hours: %.6g "
			   "%s}\n",
			(unsigned long long)u->jobs, (unsigned long long)gpus,
			hours, u->accel);
	put_sizes(b, u);
	put_lengths(b, u);
	/* the array tasks, submitted together in the simulator */
	if (u->arrays)
		util_buf_printf(b, "    arrays: {share: %.4g, tasks: %.4g}\n",
				(double)u->array_tasks / (double)u->jobs,
				(double)u->array_tasks / (double)u->arrays);
	util_buf_printf(b, "    # job duration: p50 %.2f h, p95 %.2f h, "
			   "mean %.2f h, CV %.2f\n",
			hours_q(&u->hours, 0.5), hours_q(&u->hours, 0.95),
			u->hours.sum / (double)u->hours.n / 3600,
			acct_qhist_cv(&u->hours));
	util_buf_puts(b, "    # ASSUMPTION: accounting records no data: "
			 "set the dataset this group reads\n"
			 "    dataset: 0GB\n");
	put_monthly(b, u, acct_month(im->first),
		    acct_month(im->last - 1) - acct_month(im->first) + 1);
	put_week(b, u);
}

static int cmp_group(const void *a, const void *b)
{
	const struct acct_group *x = *(struct acct_group *const *)a;
	const struct acct_group *y = *(struct acct_group *const *)b;

	return strcmp(x->name, y->name);
}

static int cmp_usage(const void *a, const void *b)
{
	const struct acct_usage *x = a, *y = b;

	return strcmp(x->accel, y->accel);
}

const struct pricing_offer *acct_waits_venue(const struct pricing_catalog *c,
					     const char *name)
{
	const struct pricing_offer *o = pricing_catalog_find_offer(c, name);

	if (o)
		return o->family == PRICING_ACADEMIC ? o : NULL;
	for (size_t i = 0; i < c->noffers; i++)
		if (c->offers[i].family == PRICING_ACADEMIC &&
		    c->offers[i].cluster &&
		    !strcasecmp(c->offers[i].cluster, name))
			return &c->offers[i];
	return NULL;
}

/* 4 significant digits: a quantile of binned data is no more precise */
static double sig4(double v)
{
	char s[32];

	snprintf(s, sizeof(s), "%.4g", v);
	return strtod(s, NULL);
}

/* The offer again with the observed waits as its queue wait, as an
 * inline catalog: it replaces the catalog's offer of the same id. */
static int put_venue(struct util_buf *b, const struct acct_import *im,
		     struct util_err *err)
{
	const struct pricing_offer *o =
		acct_waits_venue(im->o.cat, im->o.waits_venue);
	struct pricing_offer copy;
	struct pricing_catalog one;
	struct util_buf cat;
	char *src;

	if (!o)
		return util_err_set(err, UTIL_E_INPUT,
				    "--waits-as-venue '%s' is not an academic "
				    "offer or cluster of the catalog (gpuplan "
				    "catalog offers --family academic lists "
				    "them)",
				    im->o.waits_venue);
	copy = *o;
	copy.queue_p50_h = sig4(acct_qhist_quantile(&im->waits, 0.5) / 3600);
	copy.queue_p90_h = sig4(acct_qhist_quantile(&im->waits, 0.9) / 3600);
	src = util_xasprintf("queue_wait observed by gpuplan import sacct (%llu "
			     "jobs, wait from Eligible to Start); the other "
			     "terms are the catalog's: %s",
			     (unsigned long long)im->waits.n,
			     o->source ? o->source : "");
	copy.source = src;
	one = (struct pricing_catalog){.currency = im->o.cat->currency,
				       .offers = &copy,
				       .noffers = 1};
	util_buf_init(&cat);
	pricing_write_offers_yaml(&one, 0, &cat);
	util_buf_puts(b, "# the waits observed in the accounting as this "
			 "venue's queue wait (--waits-as-venue)\ncatalog:\n");
	for (const char *s = util_buf_str(&cat); *s;) {
		size_t n = strcspn(s, "\n");

		util_buf_puts(b, "  ");
		util_buf_add(b, s, n);
		util_buf_puts(b, "\n");
		s += n + (s[n] == '\n');
	}
	util_buf_release(&cat);
	free(src);
	return 0;
}

static void put_header(struct util_buf *b, const struct acct_import *im,
		       long months)
{
	char m0[16], m1[16];

	acct_month_name(acct_month(im->first), m0, sizeof(m0));
	acct_month_name(acct_month(im->last - 1), m1, sizeof(m1));
	util_buf_puts(b, "# Written by gpuplan import sacct from ");
	put_safe(b, im->o.source ? im->o.source : "-");
	util_buf_printf(b, " (docs/import.md).\n"
			   "# %llu job%s used of %llu line%s read; %s to %s, "
			   "%ld month%s. One research workload per %s and "
			   "accelerator:\n"
			   "# its jobs as they ran, the GPU-hours kept "
			   "exactly (count x gpus x hours).\n",
			(unsigned long long)im->used, im->used == 1 ? "" : "s",
			(unsigned long long)im->st.lines,
			im->st.lines == 1 ? "" : "s", m0, m1, months,
			months == 1 ? "" : "s",
			acct_group_by_names[im->o.group_by]);
	util_buf_puts(b, "scenario: ");
	put_safe(b, im->o.name);
	util_buf_printf(b, "\ndescription: \"usage from Slurm accounting, %s "
			   "to %s\"\nhorizon: %ldmo\nperiod: month\n",
			m0, m1, months);
}

int acct_import_scenario(struct acct_import *im, struct util_buf *out,
			 struct util_err *err)
{
	struct acct_group **gs;
	char **names = NULL;
	size_t nn = 0, alloc = 0;
	long months;
	int rc = 0;

	if (!im->used)
		return util_err_set(err, UTIL_E_INPUT,
				    "no usable job: %llu lines read, none a "
				    "GPU job that ran (see the counts above)",
				    (unsigned long long)im->st.lines);
	for (size_t i = 0; i < im->ngroups; i++)
		nn += im->groups[i].nu;
	if (nn > ACCT_MAX_GROUPS)
		return util_err_set(err, UTIL_E_INPUT,
				    "%zu workloads (groups x accelerators), "
				    "more than a scenario holds (%d): group "
				    "by something coarser (--group-by)",
				    nn, ACCT_MAX_GROUPS);
	nn = 0;
	months = acct_month(im->last - 1) - acct_month(im->first) + 1;
	put_header(out, im, months);
	if (im->o.waits_venue && (rc = put_venue(out, im, err)))
		return rc;
	util_buf_puts(out, "workloads:\n");
	gs = util_xcalloc(im->ngroups, sizeof(*gs));
	for (size_t i = 0; i < im->ngroups; i++)
		gs[i] = &im->groups[i];
	qsort(gs, im->ngroups, sizeof(*gs), cmp_group);
	for (size_t i = 0; i < im->ngroups; i++) {
		struct acct_group *g = gs[i];

		qsort(g->u, g->nu, sizeof(*g->u), cmp_usage);
		for (size_t k = 0; k < g->nu; k++) {
			char name[65];

			workload_name(g->name, g->u[k].accel, g->nu > 1, names,
				      nn, name);
			UTIL_GROW(names, nn + 1, alloc);
			names[nn++] = util_xstrdup(name);
			put_workload(out, im, g, &g->u[k], name);
		}
	}
	util_strv_free(names, nn);
	free(gs);
	return rc;
}
