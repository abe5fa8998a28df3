/* The shape of a research workload's jobs (docs/scenario.md, research):
 * `job_sizes` (shares of jobs by GPUs per job), `job_lengths` (p50, p90
 * and max of a job's length) and `weekly` (submissions by hour of the
 * week), which `gpuplan import sacct` writes from accounting and the
 * simulator draws from; and the moments of the lengths. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_int.h"

static const char *const day_names[7] = {"mon", "tue", "wed", "thu",
					 "fri", "sat", "sun"};
static const char *const length_keys[] = {"p50", "p90", "max"};
/* Without a max, p90 at most this many times p50: past it the rare
 * longest jobs make the mean (sigma > 3.6; a few such jobs would carry
 * all of a workload's hours in the simulation) */
#define MAX_TAIL 100
static const char *const array_keys[] = {"share", "tasks"};

/* The 90th percentile of the standard normal. */
#define Z90 1.2815515655446004

static double phi(double z)
{
	return 0.5 * erfc(-z / sqrt(2));
}

double model_job_mean_gpus(const struct model_job_shape *sh)
{
	double m = 0;

	for (size_t i = 0; i < sh->nsizes; i++)
		m += sh->size_share[i] * (double)sh->size_gpus[i];
	return m;
}

/* E[min(L, max)^k] for k = 1, 2, L lognormal(mu, sigma): the part below
 * the cap, e^(k mu + k^2 sigma^2 / 2) Phi((ln max - mu - k sigma^2) /
 * sigma), and max^k times the chance of reaching it. */
static double capped_moment(const struct model_job_shape *sh, int k)
{
	double mu = log(sh->p50), s = log(sh->p90 / sh->p50) / Z90;
	double c = isfinite(sh->max) ? log(sh->max) : INFINITY;

	if (!(s > 0))
		return pow(fmin(sh->p50, sh->max), k);
	if (!isfinite(c))
		return exp(k * mu + k * k * s * s / 2);
	return exp(k * mu + k * k * s * s / 2) * phi((c - mu - k * s * s) / s) +
	       pow(sh->max, k) * (1 - phi((c - mu) / s));
}

double model_job_length_mean(const struct model_job_shape *sh)
{
	return capped_moment(sh, 1);
}

double model_job_length_cv(const struct model_job_shape *sh)
{
	double m = capped_moment(sh, 1), var = capped_moment(sh, 2) - m * m;

	return m > 0 && var > 0 ? sqrt(var) / m : 0;
}

/* A weight: a plain number >= 0 at n. what says where, for messages. */
static int weight(struct util_ymap *m, const yaml_node_t *n, const char *what,
		  double *out)
{
	const char *v = util_yscalar(n);
	struct util_err e = {0};

	if (v && !model_units_parse(v, MODEL_DIM_NUMBER, 0, out, &e))
		return 0;
	return util_yerr(m->y, m->d, n,
			 "%s in %s: expected a weight, a "
			 "number >= 0%s%s",
			 what, m->ctx, v ? ": " : "", v ? e.msg : "");
}

static int cmp_size(const void *a, const void *b)
{
	const long *x = a, *y = b;

	return (*x > *y) - (*x < *y);
}

/* The GPUs of a job_sizes key: a whole number 1..100000. */
static int size_key(struct util_ymap *m, const yaml_node_t *k, long *g)
{
	const char *v = util_yscalar(k);
	char *end;

	errno = 0;
	*g = v ? strtol(v, &end, 10) : 0;
	if (v && *v && !*end && !errno && *g >= 1 && *g <= 100000)
		return 0;
	return util_yerr(m->y, m->d, k,
			 "'job_sizes' in %s: '%s' is not a "
			 "number of GPUs per job (a whole number 1..100000, "
			 "e.g. {1: 0.6, 2: 0.3, 8: 0.1})",
			 m->ctx, v ? v : "?");
}

/* job_sizes: {GPUS: WEIGHT, ...}, kept sorted by GPUs as shares. */
static int load_sizes(struct sload *l, struct util_ymap *parent,
		      struct model_job_shape *sh)
{
	const yaml_node_t *n = util_ymap_get(parent, "job_sizes");
	struct {
		long g;
		double w;
	} v[MODEL_MAX_JOB_SIZES];
	struct util_ymap m;
	double sum = 0;
	size_t k = 0;
	int rc = 0;

	if (!n)
		return 0;
	if (util_ymap_open(&m, l->y, l->d, n, parent->ctx, NULL, 0) || !m.node)
		return UTIL_E_INPUT;
	if (util_ymap_len(&m) > MODEL_MAX_JOB_SIZES || !util_ymap_len(&m))
		return util_ymap_err(parent, n,
				     "'job_sizes' in %s: give 1 to "
				     "%d sizes, got %zu",
				     parent->ctx, MODEL_MAX_JOB_SIZES,
				     util_ymap_len(&m));
	for (size_t i = 0; i < util_ymap_len(&m); i++) {
		long g;
		double w;

		if (size_key(&m, util_ymap_key(&m, i), &g) ||
		    weight(&m, util_ymap_value(&m, i), "a share of 'job_sizes'",
			   &w)) {
			rc = UTIL_E_INPUT;
			continue;
		}
		for (size_t j = 0; j < k; j++)
			if (v[j].g == g)
				rc = util_yerr(m.y, m.d, util_ymap_key(&m, i),
					       "'job_sizes' in %s: %ld GPUs "
					       "given twice",
					       m.ctx, g);
		v[k].g = g;
		v[k++].w = w;
		sum += w;
	}
	if (!rc && !(sum > 0))
		rc = util_ymap_err(parent, n,
				   "'job_sizes' in %s: every share "
				   "is 0 (give the sizes jobs have a share > "
				   "0)",
				   parent->ctx);
	else if (!rc && !isfinite(sum))
		rc = util_ymap_err(parent, n,
				   "'job_sizes' in %s: the weights add up "
				   "past what a number holds (give shares or "
				   "counts)",
				   parent->ctx);
	if (rc)
		return UTIL_E_INPUT;
	qsort(v, k, sizeof(v[0]), cmp_size);
	for (size_t i = 0; i < k; i++) {
		if (!(v[i].w > 0))
			continue;
		sh->size_gpus[sh->nsizes] = v[i].g;
		sh->size_share[sh->nsizes++] = v[i].w / sum;
	}
	return 0;
}

/* job_lengths: {p50: 3h, p90: 19h, max: 3d}; the planner's length_cv
 * becomes theirs. */
static int load_lengths(struct sload *l, struct util_ymap *parent,
			struct model_research *r)
{
	const yaml_node_t *n = util_ymap_get(parent, "job_lengths");
	struct model_job_shape *sh = &r->shape;
	struct util_ymap m;
	int rc = 0, p90, mx;

	sh->p50 = MODEL_UNSET;
	if (!n)
		return 0;
	if (util_ymap_get(parent, "length_cv"))
		return util_ymap_err(parent, n,
				     "%s: give 'job_lengths' or "
				     "'length_cv', not both (the spread of "
				     "'job_lengths' is its own)",
				     parent->ctx);
	if (sl_submap(l, parent, "job_lengths", length_keys, 3, &m))
		return UTIL_E_INPUT;
	rc |= sl_qty(&m, "p50", UTIL_Y_REQUIRED, MODEL_DIM_DURATION,
		     MODEL_UNITS_POSITIVE, &sh->p50) < 0;
	p90 = sl_qty(&m, "p90", 0, MODEL_DIM_DURATION, MODEL_UNITS_POSITIVE,
		     &sh->p90);
	mx = sl_qty(&m, "max", 0, MODEL_DIM_DURATION, MODEL_UNITS_POSITIVE,
		    &sh->max);
	if (rc || p90 < 0 || mx < 0) {
		sh->p50 = MODEL_UNSET;
		return UTIL_E_INPUT;
	}
	if (p90 != 1)
		sh->p90 = sh->p50;
	if (mx != 1)
		sh->max = INFINITY;
	if (sh->p90 < sh->p50)
		rc = util_ymap_err(&m, util_ymap_get(&m, "p90"),
				   "'p90' in %s "
				   "is below its 'p50'",
				   m.ctx);
	else if (sh->max < sh->p90)
		rc = util_ymap_err(&m, util_ymap_get(&m, "max"),
				   "'max' in %s "
				   "is below its '%s'",
				   m.ctx, p90 == 1 ? "p90" : "p50");
	else if (mx != 1 && sh->p90 > MAX_TAIL * sh->p50)
		rc = util_ymap_err(&m, util_ymap_get(&m, "p90"),
				   "'p90' in %s is more than %d times its "
				   "'p50' without a 'max': give the longest a "
				   "job may run (the walltime limit), or the "
				   "rare longest jobs make the mean length",
				   m.ctx, MAX_TAIL);
	if (rc) {
		sh->p50 = MODEL_UNSET;
		return UTIL_E_INPUT;
	}
	r->length_cv = model_job_length_cv(sh);
	if (!isfinite(r->length_cv) || !(capped_moment(sh, 1) > 0) ||
	    !isfinite(capped_moment(sh, 1))) {
		util_ymap_err(parent, util_ymap_get(parent, "job_lengths"),
			      "'job_lengths' in %s: these lengths have no "
			      "finite mean (give a 'max')", parent->ctx);
		sh->p50 = MODEL_UNSET;
		return UTIL_E_INPUT;
	}
	return 0;
}

/* n is a list of len weights: into w[0..len). */
static int weight_list(struct util_ymap *m, const yaml_node_t *n, size_t len,
		       const char *what, double *w)
{
	char got[80], where[64];
	int rc = 0;

	if (n->type == YAML_SEQUENCE_NODE)
		snprintf(got, sizeof(got), "%zu", util_yseq_len(n));
	else
		util_ydescribe(n, got, sizeof(got));
	if (n->type != YAML_SEQUENCE_NODE || util_yseq_len(n) != len)
		return util_yerr(m->y, m->d, n,
				 "%s in %s must be a list of "
				 "%zu weights, got %s",
				 what, m->ctx, len, got);
	for (size_t i = 0; i < len; i++) {
		snprintf(where, sizeof(where), "hour %zu of %s", i, what);
		if (weight(m, util_yseq_item(m->y, n, i), where, &w[i]))
			rc = UTIL_E_INPUT;
	}
	return rc;
}

/* weekly: 168 weights, Monday 00h first; or {mon: [24], ..., sun: [24]},
 * days left out weighing 0. */
static int load_weekly(struct sload *l, struct util_ymap *parent,
		       struct model_research *r)
{
	const yaml_node_t *n = util_ymap_get(parent, "weekly");
	struct model_job_shape *sh = &r->shape;
	struct util_ymap m;
	double sum = 0;
	char what[32];
	int rc = 0;

	if (!n)
		return 0;
	if (n->type == YAML_SEQUENCE_NODE) {
		rc = weight_list(parent, n, MODEL_HOURS_OF_WEEK, "'weekly'",
				 sh->weekly);
	} else if (n->type != YAML_MAPPING_NODE) {
		return util_ymap_err(parent, n,
				     "'weekly' in %s must be a list "
				     "of 168 weights (Monday 00h first) or a "
				     "map of days to 24 weights (e.g. mon: "
				     "[0, 0, ...])",
				     parent->ctx);
	} else {
		/* an unknown day is reported; the days known are still
		 * checked */
		rc = sl_submap(l, parent, "weekly", day_names, 7, &m);
		for (int d = 0; m.node && d < 7; d++) {
			const yaml_node_t *day =
			    util_ymap_get(&m, day_names[d]);

			snprintf(what, sizeof(what), "'%s'", day_names[d]);
			if (day &&
			    weight_list(&m, day, 24, what, &sh->weekly[d * 24]))
				rc = UTIL_E_INPUT;
		}
	}
	for (int h = 0; !rc && h < MODEL_HOURS_OF_WEEK; h++)
		sum += sh->weekly[h];
	if (!rc && !(sum > 0))
		rc = util_ymap_err(parent, n,
				   "'weekly' in %s: every weight is "
				   "0 (give the hours jobs are submitted in a "
				   "weight > 0)",
				   parent->ctx);
	else if (!rc && !isfinite(sum))
		rc = util_ymap_err(parent, n,
				   "'weekly' in %s: the weights add up past "
				   "what a number holds (give shares or "
				   "counts)",
				   parent->ctx);
	if (!rc && r->submission != MODEL_SUBMIT_STEADY)
		rc = util_ymap_err(parent, n,
				   "'weekly' in %s shapes steady "
				   "submissions: it cannot go with "
				   "'submission: %s'",
				   parent->ctx,
				   model_submission_names[r->submission]);
	sh->weekly_set = !rc;
	return rc ? UTIL_E_INPUT : 0;
}

/* arrays: {share: 0.4, tasks: 12}: the share of jobs that are tasks of
 * job arrays, and the mean tasks of an array. */
static int load_arrays(struct sload *l, struct util_ymap *parent,
		       struct model_job_shape *sh)
{
	struct util_ymap m;
	int rc = 0;

	if (!util_ymap_get(parent, "arrays"))
		return 0;
	if (sl_submap(l, parent, "arrays", array_keys, 2, &m) || !m.node)
		return UTIL_E_INPUT;
	rc |= util_ymap_num(&m, "share", UTIL_Y_REQUIRED, 0, 1,
			    &sh->array_share) < 0;
	rc |= util_ymap_num(&m, "tasks", UTIL_Y_REQUIRED, 2, 1e6,
			    &sh->array_tasks) < 0;
	if (rc)
		sh->array_share = sh->array_tasks = 0;
	return rc ? UTIL_E_INPUT : 0;
}

int model_load_job_shape(struct sload *l, struct util_ymap *m,
			 struct model_research *r)
{
	int rc = 0;

	rc |= load_sizes(l, m, &r->shape);
	rc |= load_lengths(l, m, r);
	rc |= load_weekly(l, m, r);
	rc |= load_arrays(l, m, &r->shape);
	return rc ? UTIL_E_INPUT : 0;
}
