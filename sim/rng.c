/* Random numbers of our own: xoshiro256** streams seeded by splitmix64,
 * and the distributions the simulator samples. Results do not depend on
 * the C library (no rand(), no libm randomness). */
#include <math.h>

#include "sim.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void sim_rng_seed(struct sim_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ull);

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
	r->spare_valid = false;
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t sim_rng_next(struct sim_rng *r)
{
	uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

double sim_uniform(struct sim_rng *r)
{
	/* 53 random bits, never 0: (k + 0.5) / 2^53 */
	return ((double)(sim_rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

double sim_exponential(struct sim_rng *r, double mean)
{
	return -mean * log(sim_uniform(r));
}

/* Marsaglia's polar method; the second value is kept for the next call. */
double sim_normal(struct sim_rng *r, double mu, double sigma)
{
	double u, v, s;

	if (r->spare_valid) {
		r->spare_valid = false;
		return mu + sigma * r->spare;
	}
	do {
		u = 2 * sim_uniform(r) - 1;
		v = 2 * sim_uniform(r) - 1;
		s = u * u + v * v;
	} while (s >= 1 || s == 0);
	s = sqrt(-2 * log(s) / s);
	r->spare = v * s;
	r->spare_valid = true;
	return mu + sigma * u * s;
}

double sim_lognormal(struct sim_rng *r, double mu, double sigma)
{
	return exp(sim_normal(r, mu, sigma));
}

/* The lognormal with median p50 and 90th percentile p90 (z = 1.2816). */
void sim_lnq_init(struct sim_lnq *q, double p50, double p90)
{
	q->zero = p50 <= 0;
	q->sigma = !q->zero && p90 > p50 ? log(p90 / p50) / 1.2815515655446004
					  : 0;
	q->mu = q->zero ? 0 : log(p50);
}

double sim_lnq_draw(struct sim_rng *r, const struct sim_lnq *q)
{
	return q->zero ? 0 : sim_lognormal(r, q->mu, q->sigma);
}

double sim_lognormal_q(struct sim_rng *r, double p50, double p90)
{
	struct sim_lnq q;

	sim_lnq_init(&q, p50, p90);
	return sim_lnq_draw(r, &q);
}

/* Marsaglia and Tsang (2000); shape < 1 by the boost u^(1/shape). */
double sim_gamma(struct sim_rng *r, double shape, double scale)
{
	double d, c, x, v, u;

	if (shape < 1)
		return sim_gamma(r, shape + 1, scale) *
		       pow(sim_uniform(r), 1 / shape);
	d = shape - 1.0 / 3;
	c = 1 / sqrt(9 * d);
	for (;;) {
		do {
			x = sim_normal(r, 0, 1);
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		u = sim_uniform(r);
		if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
			return d * v * scale;
	}
}

double sim_empirical(struct sim_rng *r, const double *sorted, size_t n)
{
	double pos = sim_uniform(r) * (double)(n - 1);
	size_t i = (size_t)pos;

	if (n == 1 || i + 1 >= n)
		return sorted[n - 1];
	return sorted[i] + (pos - (double)i) * (sorted[i + 1] - sorted[i]);
}
