/* Lambda's instance types (GET /api/v1/instance-types, docs/prices.md):
 * the price of each instance type, the same in every region, and the
 * regions with capacity now. Each becomes a gpuaas offer per region with
 * capacity and per region of the catalog's Lambda offers of that type
 * (so that no old price of it stays in use), with the catalog's ids
 * (lambda-gpu_1x_h100_sxm5-us-east-1); a type with neither, one offer
 * without a region. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pricing_int.h"

#define MAX_GPUS       64

struct type {
	const char *name;
	const struct pricing_accel *a;
	long gpus;
	double price;
	const json_t *capacity; /* regions_with_capacity_available */
};

/* "H100 (80 GB PCIe)" -> "H100 PCIe" and 80. */
static const struct pricing_accel *accel_of(const struct pricing_catalog *base,
					    const char *desc)
{
	const char *open = strchr(desc, '(');
	double mem = 0;
	char form[32] = "", *name, *end;
	const struct pricing_accel *a;

	if (!open)
		return pricing_market_accel(base, desc, 0);
	mem = strtod(open + 1, &end);
	if (end == open + 1 || !(mem > 0 && mem < 1e4))
		mem = 0;
	else if (sscanf(end, " GB %31[A-Za-z0-9]", form) != 1)
		form[0] = '\0';
	name = util_xasprintf("%.*s%s%s", (int)(open - desc), desc,
			      *form ? " " : "", form);
	a = pricing_market_accel(base, name, mem);
	free(name);
	return a;
}

static void add(const struct pricing_catalog *base, struct pricing_catalog *out,
		const struct type *t, const char *region, bool capacity,
		const struct pricing_market *m)
{
	struct pricing_offer o;

	pricing_offer_blank(&o);
	o.id = region ? pricing_market_id("lambda-%s-%s", t->name, region)
		      : pricing_market_id("lambda-%s", t->name);
	o.family = PRICING_GPUAAS;
	o.provider = util_xstrdup("lambda");
	o.region = region ? util_xstrdup(region) : NULL;
	o.instance = util_xstrdup(t->name);
	o.accel = util_xstrdup(t->a->name);
	o.count = t->gpus;
	o.term[PRICING_PRICE_HOUR] = t->price;
	o.term[PRICING_EGRESS_GB] =
	    pricing_provider_term(base, "lambda", PRICING_EGRESS_GB);
	o.source = util_xasprintf(
	    "Lambda instance types, '%s' price_cents_per_hour %.0f; %s; "
	    "fetched %s from %s",
	    t->name, t->price * 100,
	    capacity ? "capacity available in this region"
	    : region ? "no capacity in this region at the fetch (one "
		       "price for every region)"
		     : "no capacity in any region at the fetch",
	    m->fetched_at, m->url);
	pricing_market_put(out, &o, m);
}

static bool has_capacity(const struct type *t, const char *region)
{
	size_t i;
	json_t *r;

	json_array_foreach(
	    t->capacity, i,
	    r) if (json_string_value(json_object_get(r, "name")) &&
		   !strcmp(json_string_value(json_object_get(r, "name")),
			   region)) return true;
	return false;
}

/* A region or instance type name as Lambda writes them (us-east-1,
 * gpu_1x_h100_sxm5): anything else is not used. */
static bool plain_name(const char *s)
{
	if (!s || !*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_'))
			return false;
	return true;
}

static void add_type(const struct pricing_catalog *base,
		     struct pricing_catalog *out, const struct type *t,
		     const struct pricing_market *m)
{
	size_t n = 0, i;
	json_t *r;

	json_array_foreach(t->capacity, i, r)
	{
		const char *name =
		    json_string_value(json_object_get(r, "name"));

		if (plain_name(name)) {
			add(base, out, t, name, true, m);
			n++;
		}
	}
	for (i = 0; i < base->noffers; i++) {
		const struct pricing_offer *o = &base->offers[i];

		if (!o->provider || strcmp(o->provider, "lambda") ||
		    !o->instance || strcmp(o->instance, t->name) ||
		    !plain_name(o->region) || has_capacity(t, o->region))
			continue;
		add(base, out, t, o->region, false, m);
		n++;
	}
	if (!n)
		add(base, out, t, NULL, false, m);
}

/* The entry's fields into t: false (counted in m) when it cannot be
 * used. Prices are integers; some older answers had strings. */
static bool read_type(const struct pricing_catalog *base, const char *key,
		      const json_t *v, struct type *t, struct pricing_market *m)
{
	const json_t *it = json_object_get(v, "instance_type");
	const json_t *gpus =
	    json_object_get(json_object_get(it, "specs"), "gpus");
	const json_t *cents = json_object_get(it, "price_cents_per_hour");
	const char *desc =
	    json_string_value(json_object_get(it, "gpu_description"));
	double c = json_number_value(cents);

	t->name = key;
	t->capacity = json_object_get(v, "regions_with_capacity_available");
	if (!plain_name(key) || !desc || !json_is_integer(gpus) ||
	    json_integer_value(gpus) < 1 ||
	    json_integer_value(gpus) > MAX_GPUS ||
	    !(t->a = accel_of(base, desc))) {
		pricing_market_unknown(m, desc ? desc : key);
		return false;
	}
	t->gpus = (long)json_integer_value(gpus);
	if (json_is_string(cents) &&
	    util_parse_double(json_string_value(cents), &c))
		c = -1;
	t->price = c / 100;
	if ((!json_is_number(cents) && !json_is_string(cents)) ||
	    !pricing_market_price_ok(t->price)) {
		m->skipped_price++;
		return false;
	}
	return true;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int pricing_lambda_offers(const struct pricing_catalog *base,
			  struct pricing_catalog *out, const char *body,
			  size_t len, struct pricing_market *m,
			  struct util_err *err)
{
	json_t *root, *data, *v;
	const char *key, **keys;
	size_t n = 0;
	int rc = pricing_market_json(body, len, m, &root, err);

	if (rc)
		return rc;
	data = json_object_get(root, "data");
	if (json_is_object(json_object_get(root, "error"))) {
		rc = pricing_market_refused(
		    m, "Lambda",
		    json_string_value(json_object_get(
			json_object_get(root, "error"), "message")),
		    err);
	} else if (!json_is_object(data)) {
		rc = util_err_set(err, UTIL_E_UNAVAILABLE,
				  "%s: not a Lambda instance types answer (no "
				  "'data' object)",
				  m->url);
	}
	keys = util_xcalloc(rc ? 1 : json_object_size(data) + 1, sizeof(*keys));
	json_object_foreach(rc ? NULL : data, key, v) keys[n++] = key;
	qsort(keys, n, sizeof(*keys), cmp_key); /* the same order every time */
	for (size_t i = 0; i < n; i++) {
		struct type t;

		m->items++;
		if (!read_type(base, keys[i], json_object_get(data, keys[i]),
			       &t, m))
			continue;
		add_type(base, out, &t, m);
		m->offers++;
	}
	free(keys);
	json_decref(root);
	return rc;
}
