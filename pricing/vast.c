/* Vast.ai's offer search (GET /api/v0/bundles/?q=..., docs/prices.md):
 * the live offers of the marketplace, one machine each, aggregated per
 * GPU model and country into decentralized offers: the median price per
 * GPU-hour, the 25th percentile and the number of offers seen in the
 * source, the median reliability2 as the offer's reliability. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pricing_int.h"

#define MAX_GPUS       64  /* per machine: more is not a real offer */

/* One usable live offer. */
struct seen {
	const struct pricing_accel *a;
	char country[8];
	double price, reliability; /* per GPU-hour; 0..1 or unset */
	long gpus;
};

/* "Quebec, CA" -> "CA": the last field, when it is a country code. */
static void country_of(const char *geo, char out[8])
{
	const char *p = geo ? strrchr(geo, ',') : NULL;

	p = p ? p + 1 : geo ? geo : "";
	while (*p == ' ')
		p++;
	if (strlen(p) == 2 && isalpha((unsigned char)p[0]) &&
	    isalpha((unsigned char)p[1])) {
		out[0] = (char)toupper((unsigned char)p[0]);
		out[1] = (char)toupper((unsigned char)p[1]);
		out[2] = '\0';
	} else {
		snprintf(out, 8, "unknown");
	}
}

static int cmp_seen(const void *x, const void *y)
{
	const struct seen *a = x, *b = y;
	int c = strcmp(a->a->name, b->a->name);

	return c ? c : strcmp(a->country, b->country);
}

/* The offer's fields into s: false (counted in m) when it cannot be
 * used. */
static bool read_offer(const struct pricing_catalog *base, const json_t *it,
		       struct seen *s, struct pricing_market *m)
{
	const char *name = json_string_value(json_object_get(it, "gpu_name"));
	json_t *n = json_object_get(it, "num_gpus"),
	       *dph = json_object_get(it, "dph_total"),
	       *rel = json_object_get(it, "reliability2"),
	       *ram = json_object_get(it, "gpu_ram");
	double gpus = json_number_value(n);

	if (json_is_false(json_object_get(it, "rentable")))
		return false; /* taken: not an offer now */
	if (!name) {
		pricing_market_unknown(m, "(no gpu_name)");
		return false;
	}
	if (!json_is_integer(n) || gpus < 1 || gpus > MAX_GPUS) {
		m->skipped_price++; /* no price per GPU without a GPU count */
		return false;
	}
	/* gpu_ram is in MB in the answers (GB in queries) */
	s->a = pricing_market_accel(
	    base, name,
	    json_is_number(ram) ? json_number_value(ram) / 1024 : 0);
	if (!s->a) {
		pricing_market_unknown(m, name);
		return false;
	}
	s->price = json_number_value(dph) / gpus;
	if (!json_is_number(dph) || !pricing_market_price_ok(s->price)) {
		m->skipped_price++;
		return false;
	}
	s->reliability = json_is_number(rel) && json_number_value(rel) >= 0 &&
				 json_number_value(rel) <= 1
			     ? json_number_value(rel)
			     : PRICING_UNSET;
	s->gpus = (long)gpus;
	country_of(json_string_value(json_object_get(it, "geolocation")),
		   s->country);
	return true;
}

/* The decentralized offer of the group g[0..n) (one model, one
 * country). */
static void add_group(const struct pricing_catalog *base,
		      struct pricing_catalog *out, const struct seen *g,
		      size_t n, const struct pricing_market *m)
{
	double *p = util_xcalloc(n, sizeof(*p)),
	       *r = util_xcalloc(n, sizeof(*r));
	double median, p25, rel, fallback;
	size_t nr = 0;
	long gpus = 0;
	struct pricing_offer o;

	for (size_t i = 0; i < n; i++) {
		p[i] = g[i].price;
		gpus += g[i].gpus;
		if (g[i].reliability >= 0)
			r[nr++] = g[i].reliability;
	}
	median = pricing_quantile(p, n, 0.5);
	p25 = pricing_quantile(p, n, 0.25);
	fallback = pricing_median_term(base, PRICING_DECENTRALIZED,
				       PRICING_RELIABILITY);
	rel = nr ? pricing_quantile(r, nr, 0.5) : fallback;
	pricing_offer_blank(&o);
	o.id = pricing_market_id("vast-%s-%s", g->a->name, g->country);
	o.family = PRICING_DECENTRALIZED;
	o.provider = util_xstrdup("vast");
	o.region = util_xstrdup(g->country);
	o.accel = util_xstrdup(g->a->name);
	o.count = 1;
	o.term[PRICING_PRICE_HOUR] = median;
	/* a median reliability2 under the catalog's floor of 0.01 (0: hosts
	 * that always failed) is written as the floor: the cache must load
	 * again (catalog_load.c's bounds) */
	o.term[PRICING_RELIABILITY] = rel >= 0 ? fmax(rel, 0.01) : 0.95;
	/* what the market rents out now is what a plan can have at once */
	o.term[PRICING_MAX_DEVICES] = (double)gpus;
	o.term[PRICING_PERF_SPREAD] = pricing_median_term(
	    base, PRICING_DECENTRALIZED, PRICING_PERF_SPREAD);
	o.source = util_xasprintf(
	    "Vast.ai offer search, %zu offer%s seen (%ld GPUs): median "
	    "%.4g per GPU-hour, 25th percentile %.4g; max_devices: the "
	    "GPUs seen; reliability: %s; "
	    "perf_spread: the catalog's median; fetched %s from %s",
	    n, n == 1 ? "" : "s", gpus, median, p25,
	    nr ? "median reliability2 of the offers"
	       : "the catalog's median (no reliability2)",
	    m->fetched_at, m->url);
	pricing_market_put(out, &o, m);
	free(p);
	free(r);
}

int pricing_vast_offers(const struct pricing_catalog *base,
			struct pricing_catalog *out, const char *body,
			size_t len, struct pricing_market *m,
			struct util_err *err)
{
	json_t *root, *offers, *it;
	struct seen *v = NULL;
	size_t nv = 0, i;
	int rc = pricing_market_json(body, len, m, &root, err);

	if (rc)
		return rc;
	offers = json_object_get(root, "offers");
	if (!json_is_array(offers)) {
		json_t *e = json_object_get(root, "msg");

		rc = json_object_get(root, "error") || json_is_string(e)
			 ? pricing_market_refused(
			       m, "Vast.ai",
			       json_string_value(e)
				   ? json_string_value(e)
				   : json_string_value(
					 json_object_get(root, "error")),
			       err)
			 : util_err_set(err, UTIL_E_UNAVAILABLE,
					"%s: not a Vast.ai offer search "
					"answer (no 'offers' list)",
					m->url);
		json_decref(root);
		return rc;
	}
	v = util_xcalloc(json_array_size(offers) + 1, sizeof(*v));
	json_array_foreach(offers, i, it)
	{
		m->items++;
		if (json_is_object(it) && read_offer(base, it, &v[nv], m))
			nv++;
	}
	qsort(v, nv, sizeof(*v), cmp_seen);
	for (size_t s = 0, e; s < nv; s = e) {
		for (e = s + 1; e < nv && !cmp_seen(&v[s], &v[e]); e++)
			;
		add_group(base, out, &v[s], e - s, m);
		m->offers++;
	}
	free(v);
	json_decref(root);
	return 0;
}
