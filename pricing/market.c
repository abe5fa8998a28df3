/* What the GPU market sources (pricing/vast.c, runpod.c, lambda.c)
 * share: mapping a provider's GPU name onto the catalog's accelerators,
 * counting the names gpuplan does not know, quantiles, and turning
 * fetched text into text an offer may hold. */
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pricing_int.h"

#define MEMORY_SLACK 0.15 /* a stated memory this far off is another card */

/* Words that only name a form factor: "A100 SXM4" is an A100 whose
 * memory decides which of ours it is. NVL and the like are other cards. */
static const char *const forms[] = {"SXM", "SXM2", "SXM4", "SXM5", "PCIE"};

static bool memory_fits(const struct pricing_accel *a, double mem_gb)
{
	return mem_gb <= 0 ||
	       fabs(a->memory_gb - mem_gb) <= MEMORY_SLACK * a->memory_gb;
}

/* name, or name-<mem>GB ("A100-SXM4-80GB"), when its memory fits. */
static const struct pricing_accel *try_name(const struct pricing_catalog *c,
					    const char *name, double mem_gb)
{
	const struct pricing_accel *a = pricing_catalog_find_accel(c, name);
	char *sized;

	if (a && memory_fits(a, mem_gb))
		return a;
	if (mem_gb <= 0)
		return NULL;
	sized = util_xasprintf("%s-%.0fGB", name, mem_gb);
	a = pricing_catalog_find_accel(c, sized);
	free(sized);
	return a && memory_fits(a, mem_gb) ? a : NULL;
}

const struct pricing_accel *
pricing_market_accel(const struct pricing_catalog *c, const char *name,
		     double mem_gb)
{
	const struct pricing_accel *a = NULL;
	char *s = util_xstrdup(name), *dash;
	size_t n = 0;

	if (strlen(s) > 64) {
		free(s);
		return NULL;
	}
	for (char *p = s; *p; p++) /* "RTX 4090", "H100_SXM" -> "RTX-4090" */
		if (*p != ' ' && *p != '_')
			s[n++] = *p;
		else if (n && s[n - 1] != '-')
			s[n++] = '-';
	while (n && s[n - 1] == '-')
		n--;
	s[n] = '\0';
	a = n ? try_name(c, s, mem_gb) : NULL;
	/* "A100-SXM4" -> "A100": drop form-factor words from the end */
	while (!a && (dash = strrchr(s, '-')) &&
	       util_strcase_index(dash + 1, forms, UTIL_ARRAY_SIZE(forms)) >=
		   0) {
		*dash = '\0';
		a = try_name(c, s, mem_gb);
	}
	free(s);
	return a;
}

char *pricing_market_text(const char *s, size_t max)
{
	struct util_buf b;

	util_buf_init(&b);
	for (; s && *s && b.len < max; s++)
		util_buf_add(&b, isprint((unsigned char)*s) ? s : "?", 1);
	if (s && *s)
		util_buf_puts(&b, "...");
	return util_buf_detach(&b);
}

void pricing_market_unknown(struct pricing_market *m, const char *name)
{
	char *shown = pricing_market_text(name, 40);
	size_t used = strlen(m->unknown);

	m->skipped_unknown++;
	if (!strstr(m->unknown, shown) &&
	    used + strlen(shown) + 8 < sizeof(m->unknown))
		snprintf(m->unknown + used, sizeof(m->unknown) - used, "%s'%s'",
			 used ? ", " : "", shown);
	free(shown);
}

char *pricing_market_id(const char *fmt, ...)
{
	struct util_buf b;
	va_list ap;
	char *raw;

	va_start(ap, fmt);
	util_buf_init(&b);
	util_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	raw = util_buf_detach(&b);
	util_buf_init(&b);
	for (const char *p = raw; *p; p++) {
		if (isalnum((unsigned char)*p) || strchr("._", *p))
			util_buf_add(&b, p, 1);
		else if (b.len && b.s[b.len - 1] != '-')
			util_buf_add(&b, "-", 1);
	}
	while (b.len && b.s[b.len - 1] == '-')
		b.s[--b.len] = '\0';
	free(raw);
	if (!b.len)
		util_buf_puts(&b, "x");
	return util_buf_detach(&b);
}

void pricing_market_put(struct pricing_catalog *out, struct pricing_offer *o,
			const struct pricing_market *m)
{
	o->as_of = util_xasprintf("%.10s", m->fetched_at);
	o->origin = util_xstrdup(m->url);
	pricing_catalog_put_offer(out, o);
}

bool pricing_market_price_ok(double v)
{
	return v >= 1e-3 && v <= 1e5;
}

void pricing_offer_blank(struct pricing_offer *o)
{
	memset(o, 0, sizeof(*o));
	for (int t = 0; t < PRICING_NTERMS; t++)
		o->term[t] = PRICING_UNSET;
	o->queue_p50_h = o->queue_p90_h = PRICING_UNSET;
	o->slurm_cpus_per_gpu = o->slurm_mem_gb_per_gpu = PRICING_UNSET;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double pricing_quantile(double *v, size_t n, double q)
{
	double pos, lo;

	if (!n)
		return PRICING_UNSET;
	qsort(v, n, sizeof(*v), cmp_double);
	pos = q * (double)(n - 1); /* linear between the closest ranks */
	lo = floor(pos);
	if ((size_t)lo + 1 >= n)
		return v[n - 1];
	return v[(size_t)lo] + (pos - lo) * (v[(size_t)lo + 1] - v[(size_t)lo]);
}

double pricing_median_term(const struct pricing_catalog *c,
			   enum pricing_family fam, enum pricing_term t)
{
	double *v = util_xcalloc(c->noffers + 1, sizeof(*v)), m;
	size_t n = 0;

	for (size_t i = 0; i < c->noffers; i++)
		if (c->offers[i].family == fam && c->offers[i].term[t] >= 0)
			v[n++] = c->offers[i].term[t];
	m = pricing_quantile(v, n, 0.5);
	free(v);
	return m;
}

double pricing_provider_term(const struct pricing_catalog *c,
			     const char *provider, enum pricing_term t)
{
	for (size_t i = 0; i < c->noffers; i++)
		if (c->offers[i].provider &&
		    !strcmp(c->offers[i].provider, provider) &&
		    c->offers[i].term[t] >= 0)
			return c->offers[i].term[t];
	return PRICING_UNSET;
}

int pricing_market_json(const char *body, size_t len,
			const struct pricing_market *m, json_t **root,
			struct util_err *err)
{
	json_error_t je;

	*root = json_loadb(body, len, 0, &je);
	if (!*root)
		return util_err_set(err, UTIL_E_UNAVAILABLE,
				    "%s: not valid JSON (line %d: %s)", m->url,
				    je.line, je.text);
	if (!json_is_object(*root)) {
		json_decref(*root);
		*root = NULL;
		return util_err_set(err, UTIL_E_UNAVAILABLE,
				    "%s: the answer is not a JSON object",
				    m->url);
	}
	return 0;
}

int pricing_market_refused(const struct pricing_market *m, const char *what,
			   const char *msg, struct util_err *err)
{
	char *shown =
	    pricing_market_text(msg && *msg ? msg : "no reason given", 200);
	int rc = util_err_set(err, UTIL_E_UNAVAILABLE,
			      "%s: %s answered with an error: '%s'", m->url,
			      what, shown);

	free(shown);
	return rc;
}
