/* Quantiles of durations in constant memory: logarithmic bins. */
#include <math.h>

#include "acct.h"

#define PER_DECADE 100

void acct_qhist_add(struct acct_qhist *h, double v)
{
	size_t i = 0;

	if (v >= 1) {
		double k = floor(log10(v) * PER_DECADE);

		i = k >= ACCT_QBINS - 2 ? ACCT_QBINS - 1 : 1 + (size_t)k;
	}
	h->bin[i]++;
	h->n++;
	h->sum += v > 0 ? v : 0;
	h->sumsq += v > 0 ? v * v : 0;
	if (v > h->max || h->n == 1)
		h->max = v;
	if (v < h->min || h->n == 1)
		h->min = v;
}

double acct_qhist_cv(const struct acct_qhist *h)
{
	double mean, var;

	if (h->n < 2 || h->sum <= 0)
		return 0;
	mean = h->sum / (double)h->n;
	var = h->sumsq / (double)h->n - mean * mean;
	return var > 0 ? sqrt(var) / mean : 0;
}

double acct_qhist_quantile(const struct acct_qhist *h, double q)
{
	uint64_t want, seen = 0;

	if (!h->n)
		return 0;
	want = (uint64_t)ceil(q * (double)h->n);
	if (want < 1)
		want = 1;
	for (size_t i = 0; i < ACCT_QBINS; i++) {
		seen += h->bin[i];
		if (seen >= want)
			return i ? pow(10, ((double)i - 0.5) / PER_DECADE) : 0;
	}
	return pow(10, (ACCT_QBINS - 1.5) / PER_DECADE);
}
