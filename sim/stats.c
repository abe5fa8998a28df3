/* Means and 95% confidence intervals over replications. */
#include <math.h>

#include "sim.h"

/* Student's t, two-sided 95%, by degrees of freedom 1..30. */
static const double t95[31] = {
	0,     12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365,
	2.306, 2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
	2.120, 2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069,
	2.064, 2.060,  2.056, 2.052, 2.048, 2.045, 2.042,
};

struct sim_stat sim_stat_of(const double *v, int n)
{
	struct sim_stat s = {0, 0};
	double var = 0;

	if (n <= 0)
		return s;
	for (int i = 0; i < n; i++)
		s.mean += v[i];
	s.mean /= n;
	if (n < 2)
		return s;
	for (int i = 0; i < n; i++)
		var += (v[i] - s.mean) * (v[i] - s.mean);
	var /= n - 1;
	if (var <= 1e-24 * s.mean * s.mean) /* identical but for rounding */
		return s;
	s.ci95 = (n - 1 <= 30 ? t95[n - 1] : 1.96) * sqrt(var / n);
	return s;
}

double sim_stat_sd(struct sim_stat s, int n)
{
	if (n < 2 || !(s.ci95 > 0))
		return 0;
	return s.ci95 * sqrt((double)n) / (n - 1 <= 30 ? t95[n - 1] : 1.96);
}
