/* The grid of a sweep: each --set PATH=V1,V2,... (or A..B step S) is a
 * dimension; points are numbered 1.. in row-major order, the last --set
 * changing fastest (docs/sweep.md). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sweep.h"

#define MAX_POINTS 1000000

/* "60..240 step 60" -> 60, 120, 180, 240 */
static int range(struct sweep_dim *d, const char *arg, const char *v)
{
	const char *dots = strstr(v, "..");
	char a[64], b[64], s[64], *ua, *ub;
	double lo, hi, step;
	int n = 0;

	snprintf(a, sizeof(a), "%.*s", (int)(dots - v), v);
	lo = strtod(a, &ua); /* a unit may follow: 0.10/kWh..0.30/kWh */
	if (sscanf(dots + 2, "%63s step %63s %n", b, s, &n) != 2 ||
	    dots[2 + n] || ua == a || (hi = strtod(b, &ub), ub == b) ||
	    strcmp(ua, ub) || util_parse_double(s, &step) || !isfinite(lo) ||
	    !isfinite(hi))
		return cli_usage_error("sweep", "'--set %s': a range is "
				       "'FROM..TO step STEP', FROM and TO "
				       "numbers with the same unit (e.g. "
				       "'60..240 step 60', '0.10/kWh..0.30/kWh "
				       "step 0.05'), got '%s'", arg, v);
	if (step <= 0 || hi < lo || (hi - lo) / step > 10000)
		return cli_usage_error("sweep", "'--set %s': the range must go "
				       "up by a positive step, at most 10000 "
				       "values", arg);
	for (long i = 0;; i++) {
		double x = lo + (double)i * step;

		if (x > hi + step * 1e-9)
			break;
		UTIL_GROW(d->values, d->nvalues + 1, d->alloc);
		d->values[d->nvalues++] = util_xasprintf("%.10g%s", x, ua);
	}
	return 0;
}

int sweep_add_set(struct sweep_grid *g, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct sweep_dim *d;

	if (!eq || eq == arg || !eq[1])
		return cli_usage_error("sweep", "'--set %s': expected "
				       "PATH=V1,V2,... (e.g. "
				       "workloads.dl-course.students=60,120)",
				       arg);
	UTIL_GROW(g->dims, g->ndims + 1, g->alloc);
	d = &g->dims[g->ndims++];
	memset(d, 0, sizeof(*d));
	d->arg = arg;
	d->path = util_xstrndup(arg, (size_t)(eq - arg));
	for (size_t i = 0; i + 1 < g->ndims; i++)
		if (!strcmp(g->dims[i].path, d->path))
			return cli_usage_error("sweep", "'%s' is set twice",
					       d->path);
	if (strstr(eq + 1, ".."))
		return range(d, arg, eq + 1);
	for (const char *p = eq + 1;;) {
		/* a list value [a, b] is one value: its commas do not split */
		size_t n = *p == '[' && strchr(p, ']')
				   ? (size_t)(strchr(p, ']') - p) + 1
				   : strcspn(p, ",");

		if (!n)
			return cli_usage_error("sweep", "'--set %s': an empty "
					       "value", arg);
		UTIL_GROW(d->values, d->nvalues + 1, d->alloc);
		d->values[d->nvalues++] = util_xstrndup(p, n);
		if (!p[n])
			break;
		if (p[n] != ',')
			return cli_usage_error("sweep", "'--set %s': a list "
					       "value is [a, b], then a comma "
					       "or the end", arg);
		p += n + 1;
	}
	return 0;
}

int sweep_grid_size(const struct sweep_grid *g, size_t *n)
{
	double total = 1;

	for (size_t i = 0; i < g->ndims; i++)
		total *= (double)g->dims[i].nvalues;
	if (total > MAX_POINTS)
		return cli_usage_error("sweep", "%.0f points: at most %d in one "
				       "sweep", total, MAX_POINTS);
	*n = (size_t)total;
	return 0;
}

void sweep_point(const struct sweep_grid *g, size_t index,
		 struct model_set *set)
{
	size_t rest = index - 1;

	for (size_t i = g->ndims; i-- > 0;) {
		const struct sweep_dim *d = &g->dims[i];

		set[i].path = d->path;
		set[i].value = d->values[rest % d->nvalues];
		rest /= d->nvalues;
	}
}

void sweep_grid_release(struct sweep_grid *g)
{
	for (size_t i = 0; i < g->ndims; i++) {
		free(g->dims[i].path);
		util_strv_free(g->dims[i].values, g->dims[i].nvalues);
	}
	free(g->dims);
	memset(g, 0, sizeof(*g));
}
