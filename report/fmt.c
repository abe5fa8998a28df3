/* Figures in the units a person reads: significant digits without
 * exponents, thousands separators, money with its currency, durations
 * in s, min, h, d, mo. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

char *report_fmt_num(char *buf, size_t n, double v, int sig)
{
	int d;

	if (!isfinite(v)) {
		snprintf(buf, n, "-");
		return buf;
	}
	if (v == 0 || fabs(v) >= 999.5)
		return util_fmt_grouped(buf, n, v);
	d = sig - 1 - (int)floor(log10(fabs(v)));
	d = d < 0 ? 0 : d > 9 ? 9 : d;
	snprintf(buf, n, "%.*f", d, v);
	if (strtod(buf, NULL) == 0) /* "-0.00": a figure too small to show */
		snprintf(buf, n, "0");
	else if (fabs(strtod(buf, NULL)) >= 1000) /* 999.96 with 3 digits */
		return util_fmt_grouped(buf, n, v);
	return buf;
}


/* The unit a duration of |s| seconds reads best in. */
static const char *unit_of(double s, double *scale)
{
	static const struct {
		double below, scale;
		const char *name;
	} units[] = {
		{1e-3, 1e-6, "µs"},
		{1, 1e-3, "ms"},
		{60, 1, "s"},
		{3600, 60, "min"},
		{48 * 3600.0, 3600, "h"},
		{60 * 86400.0, 86400, "d"},
		{2 * 365.25 * 86400, 30.4375 * 86400, "mo"},
	};
	double a = fabs(s);

	for (size_t i = 0; i < UTIL_ARRAY_SIZE(units); i++)
		if (a < units[i].below * (1 - 5e-4)) {
			*scale = units[i].scale;
			return units[i].name;
		}
	*scale = 365.25 * 86400;
	return "y";
}

char *report_fmt_duration(char *buf, size_t n, double seconds)
{
	double scale;
	const char *u;
	char num[48];

	if (!isfinite(seconds)) {
		snprintf(buf, n, "-");
		return buf;
	}
	if (seconds == 0) {
		snprintf(buf, n, "0 s");
		return buf;
	}
	u = unit_of(seconds, &scale);
	snprintf(buf, n, "%s %s", report_fmt_num(num, sizeof(num),
						 seconds / scale, 3), u);
	return buf;
}

char *report_fmt_duration_ci(char *buf, size_t n, double mean, double ci)
{
	double scale;
	const char *u;
	char a[48], b[48];

	if (!isfinite(mean)) {
		snprintf(buf, n, "-");
		return buf;
	}
	if (mean == 0 && (ci == 0 || !isfinite(ci))) {
		snprintf(buf, n, "0 ± 0 s");
		return buf;
	}
	u = unit_of(mean != 0 ? mean : ci, &scale);
	snprintf(buf, n, "%s ± %s %s",
		 report_fmt_num(a, sizeof(a), mean / scale, 3),
		 report_fmt_num(b, sizeof(b), isfinite(ci) ? ci / scale : 0, 2),
		 u);
	return buf;
}

char *report_fmt_num_ci(char *buf, size_t n, double mean, double ci)
{
	char a[48], b[48];

	snprintf(buf, n, "%s ± %s", report_fmt_num(a, sizeof(a), mean, 3),
		 report_fmt_num(b, sizeof(b), isfinite(ci) ? ci : 0, 2));
	return buf;
}
