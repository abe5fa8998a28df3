/* Queueing formulas for sizing before the solver (docs/formulation.md,
 * "Queueing-aware sizing"): Erlang C for M/M/c, and its wait tail with
 * the Allen-Cunneen correction for general service times. */
#include <math.h>

#include "model.h"

double model_erlang_c(int c, double a)
{
	double b = 1;

	if (c < 1 || !(a >= 0) || a >= c)
		return 1;
	/* Erlang B by its recursion, stable for any c */
	for (int k = 1; k <= c; k++)
		b = a * b / (k + a * b);
	return c * b / (c - a * (1 - b));
}

double model_wait_above(int c, double lambda, double service_s, double cs2,
			double t)
{
	double a = lambda * service_s, k = (1 + cs2) / 2;

	if (c < 1 || a >= c)
		return 1;
	if (t < 0)
		return 1;
	if (k <= 0) /* deterministic: the correction halves the mean wait */
		k = 0.5;
	return model_erlang_c(c, a) * exp(-(c / service_s - lambda) * t / k);
}

int model_servers_for(double lambda, double service_s, double cs2, double t,
		      double p)
{
	int c;

	if (!(lambda > 0) || !(service_s > 0))
		return 1;
	if (t < 0)
		return 0;
	c = (int)floor(lambda * service_s) + 1;
	for (; c <= MODEL_MAX_SERVERS; c++)
		if (model_wait_above(c, lambda, service_s, cs2, t) <= p)
			return c;
	return 0;
}
