/* Azure Retail Prices API pages (research/ecosystem.md section 2) into
 * catalog offers: Linux pay-as-you-go and spot prices of the GPU virtual
 * machines gpuplan knows. Reservations, low-priority, Windows and
 * Dev/Test meters are skipped. */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "pricing_int.h"


/* GPU sizes whose accelerators the catalog knows, from Azure's VM size
 * pages (learn.microsoft.com: ND H200 v5, ND H100 v5, NDasrA100_v4,
 * NDm A100 v4, NC A100 v4, NCasT4_v3 series); the catalog's own Azure
 * offers add theirs. */
static const struct {
	const char *sku, *accel;
	long count;
} sizes[] = {
	{"Standard_ND96isr_H200_v5", "H200", 8},
	{"Standard_ND96isr_H100_v5", "H100", 8},
	{"Standard_ND96asr_v4", "A100-40GB", 8},
	{"Standard_ND96amsr_A100_v4", "A100-80GB", 8},
	{"Standard_NC24ads_A100_v4", "A100-80GB", 1},
	{"Standard_NC48ads_A100_v4", "A100-80GB", 2},
	{"Standard_NC96ads_A100_v4", "A100-80GB", 4},
	{"Standard_NC4as_T4_v3", "T4", 1},
	{"Standard_NC8as_T4_v3", "T4", 1},
	{"Standard_NC16as_T4_v3", "T4", 1},
	{"Standard_NC64as_T4_v3", "T4", 4},
};

/* Text that can go into an offer id: letters, digits, '.', '_', '-'. */
static bool id_text(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	return true;
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* The catalog's Azure offer for sku (any region), or NULL. */
static const struct pricing_offer *known(const struct pricing_catalog *c,
					 const char *sku)
{
	for (size_t i = 0; i < c->noffers; i++)
		if (c->offers[i].provider &&
		    !strcmp(c->offers[i].provider, "azure") &&
		    c->offers[i].instance &&
		    !strcmp(c->offers[i].instance, sku))
			return &c->offers[i];
	return NULL;
}

static bool size_of(const struct pricing_catalog *c, const char *sku,
		    const char **accel, long *count)
{
	const struct pricing_offer *o = known(c, sku);

	if (o) {
		*accel = o->accel;
		*count = o->count;
		return true;
	}
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(sizes); i++)
		if (!strcmp(sizes[i].sku, sku) &&
		    pricing_catalog_find_accel(c, sizes[i].accel)) {
			*accel = sizes[i].accel;
			*count = sizes[i].count;
			return true;
		}
	return false;
}

/* The preemption rate of a new spot size: an Azure spot offer's of the
 * catalog, else any spot offer's (a spot offer must have one). */
static double hazard(const struct pricing_catalog *c)
{
	double any = PRICING_UNSET;

	for (size_t i = 0; i < c->noffers; i++) {
		const struct pricing_offer *o = &c->offers[i];
		double h = o->term[PRICING_PREEMPTION_PER_HOUR];

		if (o->family != PRICING_CLOUD_SPOT || h < 0)
			continue;
		if (o->provider && !strcmp(o->provider, "azure"))
			return h;
		if (any < 0)
			any = h;
	}
	return any;
}

/* Egress per GB: the catalog's Azure offers' (none: unset). */
static double egress(const struct pricing_catalog *c)
{
	for (size_t i = 0; i < c->noffers; i++)
		if (c->offers[i].provider &&
		    !strcmp(c->offers[i].provider, "azure") &&
		    c->offers[i].term[PRICING_EGRESS_GB] >= 0)
			return c->offers[i].term[PRICING_EGRESS_GB];
	return PRICING_UNSET;
}

static void add(const struct pricing_catalog *base, struct pricing_catalog *out,
		const json_t *it, const char *accel, long count, bool spot,
		const struct pricing_azure *a)
{
	const char *sku = str(it, "armSkuName"), *region = str(it, "armRegionName");
	char *id = util_xasprintf("azure-%s-%s%s", sku, region,
				  spot ? "-spot" : "");
	const struct pricing_offer *same = pricing_catalog_find_offer(base, id);
	struct pricing_offer o;

	if (same) {
		pricing_offer_copy(&o, same); /* keeps its other terms */
		o.estimate = false; /* the fetched price is published */
		free(o.source);
		free(o.as_of);
		free(o.origin);
	} else {
		memset(&o, 0, sizeof(o));
		for (int t = 0; t < PRICING_NTERMS; t++)
			o.term[t] = PRICING_UNSET;
		o.id = util_xstrdup(id);
		o.family = spot ? PRICING_CLOUD_SPOT : PRICING_CLOUD;
		o.provider = util_xstrdup("azure");
		o.region = util_xstrdup(region);
		o.instance = util_xstrdup(sku);
		o.accel = util_xstrdup(accel);
		o.count = count;
		o.term[PRICING_EGRESS_GB] = egress(base);
		if (spot)
			o.term[PRICING_PREEMPTION_PER_HOUR] = hazard(base);
		o.slurm_cpus_per_gpu = o.slurm_mem_gb_per_gpu = PRICING_UNSET;
	}
	o.term[PRICING_PRICE_HOUR] = json_number_value(
		json_object_get(it, "retailPrice"));
	o.source = util_xasprintf("Azure Retail Prices API, meter '%s' (%s), "
				  "fetched %s from %s%s",
				  str(it, "meterName"), str(it, "productName"),
				  a->fetched_at, a->url,
				  same ? "; other terms as the embedded offer"
				  : spot ? "; preemption rate of the catalog's "
					   "Azure spot offers"
					 : "");
	o.as_of = util_xasprintf("%.10s", a->fetched_at);
	o.origin = util_xstrdup(a->url);
	free(id);
	pricing_catalog_put_offer(out, &o);
}

/* NextPageLink: text or null; https stays https (TLS is never left once
 * used, docs/prices.md). Drops root. */
static int next_page(struct pricing_azure *a, json_t *root,
		     struct util_err *err)
{
	json_t *n = json_object_get(root, "NextPageLink");
	const char *next = json_string_value(n);
	int rc = 0;

	if (n && !json_is_null(n) && !next)
		rc = util_err_set(err, UTIL_E_UNAVAILABLE, "%s: NextPageLink "
				  "is not a link: stopped", a->url);
	else if (next && *next && !strncmp(a->url, "https://", 8) &&
		 strncmp(next, "https://", 8))
		rc = util_err_set(err, UTIL_E_UNAVAILABLE, "%s: NextPageLink "
				  "leaves https: stopped", a->url);
	else if (next && *next)
		a->next = util_xstrdup(next);
	json_decref(root);
	return rc;
}

int pricing_azure_page(const struct pricing_catalog *base,
		       struct pricing_catalog *out, const char *body,
		       size_t len, struct pricing_azure *a,
		       struct util_err *err)
{
	json_error_t je;
	json_t *root = json_loadb(body, len, 0, &je), *items;
	size_t i;
	json_t *it;

	free(a->next);
	a->next = NULL;
	if (!root)
		return util_err_set(err, UTIL_E_UNAVAILABLE,
				    "%s: not valid JSON (line %d: %s)", a->url,
				    je.line, je.text);
	items = json_object_get(root, "Items");
	if (!json_is_array(items)) {
		json_decref(root);
		return util_err_set(err, UTIL_E_UNAVAILABLE,
				    "%s: not an Azure Retail Prices page (no "
				    "'Items' list)", a->url);
	}
	json_array_foreach(items, i, it) {
		const char *sku = str(it, "armSkuName"), *accel;
		const char *name = str(it, "skuName");
		bool spot = strstr(name, "Spot") != NULL;
		long count;

		a->items++;
		if (strcmp(str(it, "type"), "Consumption") ||
		    strcmp(str(it, "unitOfMeasure"), "1 Hour") ||
		    strstr(str(it, "productName"), "Windows") ||
		    strstr(name, "Low Priority") ||
		    !json_is_number(json_object_get(it, "retailPrice")))
			continue;
		/* "azure-SKU-REGION-spot" must be an id the catalog loads */
		if (!id_text(str(it, "armRegionName")) || !id_text(sku) ||
		    strlen(sku) + strlen(str(it, "armRegionName")) + 12 >
			    UTIL_IDENT_MAX) {
			a->skipped_unknown++; /* not a name an id can hold */
			continue;
		}
		if (!pricing_market_price_ok(json_number_value(
			json_object_get(it, "retailPrice")))) {
			a->skipped_price++; /* no provider's price */
			continue;
		}
		if (strcmp(str(it, "currencyCode"),
			   base->currency ? base->currency : "USD")) {
			a->skipped_currency++;
			continue;
		}
		if (!size_of(base, sku, &accel, &count)) {
			a->skipped_unknown++;
			continue;
		}
		add(base, out, it, accel, count, spot, a);
		a->offers++;
	}
	return next_page(a, root, err);
}
