/* A mergeable log-bucketed histogram: any quantile within 1% relative
 * error, in constant memory, however many samples. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "sim.h"

#define GAMMA 1.02  /* bucket i holds [MIN_V g^i, MIN_V g^(i+1)) */
#define MIN_V 1e-9

/* The bucket of v >= MIN_V by its definition (a log per sample). */
static int bucket_log(double v)
{
	int i = (int)floor(log(v / MIN_V) / log(GAMMA));

	return i < 0 ? 0 : i >= SIM_HIST_BUCKETS ? SIM_HIST_BUCKETS - 1 : i;
}

/* The same bucket without a log (sim_hist_add is on the simulator's hot
 * path): low[i], the least double bucket_log puts in bucket i or above,
 * found once by bisection on the doubles' bits (positive doubles order
 * as their bits); then a value's top 6 mantissa bits and exponent give
 * a first bucket (a 1/64 octave is under 2%, so at most one boundary
 * lies inside it) and one or two comparisons the right one. Equal to
 * bucket_log for every double, as bucket_log never decreases
 * (tests/unit/test_sim.c checks both around every boundary). */
#define KEY_SHIFT 46 /* 52 mantissa bits less 6 */
#define NKEYS 5120   /* 1/64 octaves from MIN_V on: past 1.2e12 */

static double low[SIM_HIST_BUCKETS];
static uint16_t first[NKEYS];
static uint64_t key0;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;
static atomic_bool tables_ready; /* after tables_init: no call a sample */

static uint64_t bits_of(double v)
{
	uint64_t b;

	memcpy(&b, &v, sizeof(b));
	return b;
}

static double double_of(uint64_t b)
{
	double v;

	memcpy(&v, &b, sizeof(v));
	return v;
}

static void tables_init(void)
{
	uint64_t lo = bits_of(MIN_V);

	low[0] = MIN_V;
	for (int i = 1; i < SIM_HIST_BUCKETS; i++) {
		uint64_t a = lo, b = bits_of(1e300); /* a below, b at/above */

		while (b - a > 1) {
			uint64_t m = a + (b - a) / 2;

			if (bucket_log(double_of(m)) >= i)
				b = m;
			else
				a = m;
		}
		low[i] = double_of(b);
		lo = b;
	}
	key0 = bits_of(MIN_V) >> KEY_SHIFT;
	for (int k = 0, i = 0; k < NKEYS; k++) {
		double v = double_of((key0 + (uint64_t)k) << KEY_SHIFT);

		while (i + 1 < SIM_HIST_BUCKETS && low[i + 1] <= v)
			i++;
		first[k] = (uint16_t)i;
	}
	atomic_store_explicit(&tables_ready, true, memory_order_release);
}

static int bucket(double v)
{
	uint64_t k;
	int i;

	if (!atomic_load_explicit(&tables_ready, memory_order_acquire))
		pthread_once(&tables_once, tables_init);
	if (v >= low[SIM_HIST_BUCKETS - 1])
		return SIM_HIST_BUCKETS - 1;
	if (!(v > low[1]))
		return v == low[1] ? 1 : 0;
	k = (bits_of(v) >> KEY_SHIFT) - key0;
	i = first[k];
	while (low[i + 1] <= v)
		i++;
	return i;
}

int sim_hist_bucket_exact(double v)
{
	return bucket_log(v);
}

int sim_hist_bucket(double v)
{
	return bucket(v);
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
