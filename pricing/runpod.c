/* RunPod's GraphQL API (POST /graphql, the gpuTypes query,
 * docs/prices.md): the price per GPU-hour of each GPU type in the
 * secure and community clouds, on demand and spot. On-demand prices
 * become gpuaas offers, spot prices cloud-spot offers, with ids in the
 * form of the catalog's RunPod offers (runpod-1x_H100-SXM_SECURE). */
#include <stdio.h>
#include <string.h>

#include "pricing_int.h"


static const struct {
	const char *field, *kind; /* JSON field, id suffix */
	bool spot;
} prices[] = {
    {"securePrice", "SECURE", false},
    {"communityPrice", "COMMUNITY", false},
    {"secureSpotPrice", "SECURE", true},
    {"communitySpotPrice", "COMMUNITY", true},
};

/* Pods of one GPU, and of eight (one machine, for work that spans
 * GPUs), as the catalog's RunPod offers come. */
static const long pod_gpus[] = {1, 8};

static void add(const struct pricing_catalog *base, struct pricing_catalog *out,
		const struct pricing_accel *a, const char *name, int k,
		double price, long n, const struct pricing_market *m)
{
	struct pricing_offer o;
	double hazard = pricing_median_term(base, PRICING_CLOUD_SPOT,
					    PRICING_PREEMPTION_PER_HOUR);

	pricing_offer_blank(&o);
	o.id = pricing_market_id("runpod-%ldx_%s_%s%s", n, name, prices[k].kind,
				 prices[k].spot ? "-spot" : "");
	o.family = prices[k].spot ? PRICING_CLOUD_SPOT : PRICING_GPUAAS;
	o.provider = util_xstrdup("runpod");
	o.instance = util_xstrdup(o.id + strlen("runpod-"));
	o.accel = util_xstrdup(a->name);
	o.count = n;
	o.term[PRICING_PRICE_HOUR] = price * (double)n;
	o.term[PRICING_EGRESS_GB] =
	    pricing_provider_term(base, "runpod", PRICING_EGRESS_GB);
	if (prices[k].spot)
		o.term[PRICING_PREEMPTION_PER_HOUR] =
		    hazard >= 0 ? hazard : 0.05;
	o.source = util_xasprintf(
	    "RunPod GraphQL gpuTypes, '%s' %s per GPU-hour x %ld%s%s; "
	    "fetched %s from %s",
	    name, prices[k].field, n,
	    o.term[PRICING_EGRESS_GB] >= 0
		? "; egress as the catalog's RunPod offers"
		: "",
	    prices[k].spot ? "; preemption rate: the median of the "
			     "catalog's cloud-spot offers"
			   : "",
	    m->fetched_at, m->url);
	pricing_market_put(out, &o, m);
}

static void read_type(const struct pricing_catalog *base,
		      struct pricing_catalog *out, const json_t *it,
		      struct pricing_market *m)
{
	const char *name =
	    json_string_value(json_object_get(it, "displayName"));
	json_t *mem = json_object_get(it, "memoryInGb");
	const struct pricing_accel *a;
	char *shown;
	size_t added = 0;

	m->items++;
	if (!name || !*name) {
		pricing_market_unknown(m, "(no displayName)");
		return;
	}
	a = pricing_market_accel(
	    base, name, json_is_number(mem) ? json_number_value(mem) : 0);
	if (!a) {
		pricing_market_unknown(m, name);
		return;
	}
	shown = pricing_market_text(name, 40);
	for (int k = 0; k < (int)UTIL_ARRAY_SIZE(prices); k++) {
		json_t *p = json_object_get(it, prices[k].field);
		double v = json_number_value(p);

		/* null or 0: not offered in that cloud now */
		if (!json_is_number(p) || !pricing_market_price_ok(v))
			continue;
		for (size_t g = 0; g < UTIL_ARRAY_SIZE(pod_gpus); g++)
			add(base, out, a, shown, k, v, pod_gpus[g], m);
		added++;
	}
	free(shown);
	if (added)
		m->offers++;
	else
		m->skipped_price++;
}

int pricing_runpod_offers(const struct pricing_catalog *base,
			  struct pricing_catalog *out, const char *body,
			  size_t len, struct pricing_market *m,
			  struct util_err *err)
{
	json_t *root, *types, *errors, *it;
	size_t i;
	int rc = pricing_market_json(body, len, m, &root, err);

	if (rc)
		return rc;
	/* GraphQL says what went wrong in "errors", with HTTP 200 */
	errors = json_object_get(root, "errors");
	types = json_object_get(json_object_get(root, "data"), "gpuTypes");
	if (json_is_array(errors) && json_array_size(errors))
		rc = pricing_market_refused(
		    m, "RunPod",
		    json_string_value(
			json_object_get(json_array_get(errors, 0), "message")),
		    err);
	else if (!json_is_array(types))
		rc = util_err_set(err, UTIL_E_UNAVAILABLE,
				  "%s: not a RunPod gpuTypes answer (no "
				  "'data.gpuTypes' list)",
				  m->url);
	json_array_foreach(rc ? NULL : types, i, it) if (json_is_object(it))
	    read_type(base, out, it, m);
	json_decref(root);
	return rc;
}
