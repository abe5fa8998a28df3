/* The shape of research jobs (docs/simulator.md): a job's GPUs and
 * length drawn from the workload's `job_sizes` and `job_lengths`, and
 * submission times weighted by hour of the week (`weekly`): the inverse
 * of the cumulative weight of the hours, week after week. */
#include <math.h>

#include "sim.h"

long sim_array_draw(struct sim_rng *rng, const struct model_job_shape *sh)
{
	double s = sh->array_share, k = sh->array_tasks;
	/* groups: arrays of k tasks with chance q, single jobs else; the
	 * share of jobs in arrays is q k / (q k + 1 - q) = s */
	double q = s / (k - s * (k - 1));
	long whole;

	if (!(s > 0) || !(k >= 2) || !(sim_uniform(rng) < q))
		return 1;
	whole = (long)floor(k);
	return whole + (sim_uniform(rng) < k - (double)whole);
}

/* A length around mean: lognormal with coefficient of variation cv
 * (docs/targets.md). */
static double cv_length(struct sim_rng *rng, double mean, double cv)
{
	double sigma;

	if (!(cv > 0))
		return mean;
	sigma = sqrt(log(1 + cv * cv));
	return sim_lognormal(rng, log(mean) - sigma * sigma / 2, sigma);
}

static int draw_size(struct sim_rng *rng, const struct model_job_shape *sh)
{
	double x = sim_uniform(rng), acc = 0;

	for (size_t i = 0; i + 1 < sh->nsizes; i++) {
		acc += sh->size_share[i];
		if (x < acc)
			return (int)sh->size_gpus[i];
	}
	return (int)sh->size_gpus[sh->nsizes - 1];
}

int sim_job_draw(struct sim_rng *rng, const struct model_research *r,
		 int devices, double mean_h, double *len_h)
{
	const struct model_job_shape *sh = &r->shape;
	int g = sh->nsizes ? draw_size(rng, sh) : devices;

	if (sh->p50 > 0)
		*len_h = fmin(sim_lognormal_q(rng, sh->p50, sh->p90), sh->max) *
			 mean_h / model_job_length_mean(sh);
	else
		*len_h = cv_length(rng, mean_h, r->length_cv);
	return g;
}

#define HOUR_S 3600.0
#define WEEK_S (168 * HOUR_S)

void sim_weekly_init(struct sim_weekly *wk, const double *w168,
		     int weekday0)
{
	wk->cum[0] = 0;
	for (int h = 0; h < 168; h++) { /* h: hours from time 0's week */
		double x = w168[(h + 24 * weekday0) % 168];

		wk->cum[h + 1] = wk->cum[h] + (x > 0 ? x : 0);
	}
}

/* The weight of [0, t), t >= 0. */
static double weight_below(const struct sim_weekly *wk, double t)
{
	double weeks = floor(t / WEEK_S), r = t - weeks * WEEK_S;
	int h = (int)(r / HOUR_S);

	if (h > 167)
		h = 167;
	return weeks * wk->cum[168] + wk->cum[h] +
	       (wk->cum[h + 1] - wk->cum[h]) * (r - h * HOUR_S) / HOUR_S;
}

double sim_weekly_time(const struct sim_weekly *wk, double a, double b,
		       double u)
{
	double lo, hi, x, weeks, r, t;
	int h = 0;

	if (a < 0)
		a = 0;
	if (!(b > a) || !(wk->cum[168] > 0))
		return -1;
	lo = weight_below(wk, a);
	hi = weight_below(wk, b);
	if (!(hi > lo))
		return -1;
	x = lo + u * (hi - lo);
	weeks = floor(x / wk->cum[168]);
	r = x - weeks * wk->cum[168];
	/* the hour whose weight holds r: the first with cum[h + 1] > r */
	while (h < 167 && !(wk->cum[h + 1] > r))
		h++;
	while (h > 0 && !(wk->cum[h + 1] > wk->cum[h]))
		h--; /* r at the very top: the last hour with weight */
	t = weeks * WEEK_S + h * HOUR_S +
	    fmin(fmax((r - wk->cum[h]) / (wk->cum[h + 1] - wk->cum[h]), 0), 1) *
		HOUR_S;
	return fmin(fmax(t, a), nextafter(b, a));
}
