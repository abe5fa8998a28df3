/* A mergeable log-bucketed histogram: any quantile within 1% relative
 * error, in constant memory, however many samples. */
#include <math.h>
#include <string.h>

#include "sim.h"

#define GAMMA 1.02  /* bucket i holds [MIN_V g^i, MIN_V g^(i+1)) */
#define MIN_V 1e-9

static int bucket(double v)
{
	int i = (int)floor(log(v / MIN_V) / log(GAMMA));

	return i < 0 ? 0 : i >= SIM_HIST_BUCKETS ? SIM_HIST_BUCKETS - 1 : i;
}

void sim_hist_init(struct sim_hist *h)
{
	memset(h, 0, sizeof(*h));
}

void sim_hist_add(struct sim_hist *h, double v)
{
	if (!(v >= 0))
		v = 0;
	if (h->n == 0 || v < h->min)
		h->min = v;
	if (h->n == 0 || v > h->max)
		h->max = v;
	h->n++;
	h->sum += v;
	if (v < MIN_V)
		h->zeros++;
	else
		h->count[bucket(v)]++;
}

void sim_hist_merge(struct sim_hist *dst, const struct sim_hist *src)
{
	if (!src->n)
		return;
	if (!dst->n || src->min < dst->min)
		dst->min = src->min;
	if (!dst->n || src->max > dst->max)
		dst->max = src->max;
	dst->n += src->n;
	dst->sum += src->sum;
	dst->zeros += src->zeros;
	for (int i = 0; i < SIM_HIST_BUCKETS; i++)
		dst->count[i] += src->count[i];
}

double sim_hist_mean(const struct sim_hist *h)
{
	return h->n ? h->sum / (double)h->n : 0;
}

/* The value below which a share q of the samples lie: the geometric
 * middle of its bucket (within 1%), clamped to the exact min and max. */
double sim_hist_quantile(const struct sim_hist *h, double q)
{
	uint64_t rank, seen;
	double v;

	if (!h->n)
		return 0;
	rank = (uint64_t)ceil(q * (double)h->n);
	if (rank < 1)
		rank = 1;
	seen = h->zeros;
	if (seen >= rank)
		return h->min;
	for (int i = 0; i < SIM_HIST_BUCKETS; i++) {
		seen += h->count[i];
		if (seen < rank)
			continue;
		v = MIN_V * pow(GAMMA, i + 0.5);
		return v < h->min ? h->min : v > h->max ? h->max : v;
	}
	return h->max;
}

double sim_hist_above(const struct sim_hist *h, double x)
{
	uint64_t above = 0;

	if (!h->n)
		return 0;
	if (x < MIN_V)
		return (double)(h->n - h->zeros) / (double)h->n;
	for (int i = bucket(x) + 1; i < SIM_HIST_BUCKETS; i++)
		above += h->count[i];
	return (double)above / (double)h->n;
}
