/* `prices fetch`: a source's current prices, as a catalog document for
 * the cache, checked by loading it over the catalog in use before it is
 * accepted. */
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "pricing_int.h"

static bool type_is(const char *type, const char *const *ok, size_t n)
{
	if (!type)
		return true; /* not said: the parser decides */
	for (size_t i = 0; i < n; i++)
		if (strstr(type, ok[i]))
			return true;
	return false;
}

static int wrong_type(const char *url, const char *type, const char *want,
		      struct util_err *err)
{
	return util_err_set(err, UTIL_E_UNAVAILABLE, "%s: the server sent "
			    "'%s', not %s", url, type, want);
}

/* The Azure query for one region: GPU virtual machines, pay-as-you-go. */
static char *azure_url(const char *base, const char *region)
{
	CURL *c = curl_easy_init();
	char *filter = util_xasprintf(
		"serviceName eq 'Virtual Machines' and priceType eq "
		"'Consumption' and armRegionName eq '%s' and "
		"(contains(armSkuName,'_NC') or contains(armSkuName,'_ND'))",
		region);
	char *esc = c ? curl_easy_escape(c, filter, 0) : NULL;
	char *url = util_xasprintf("%s%sapi-version=2023-01-01-preview"
				   "&$filter=%s",
				   base, strchr(base, '?') ? "&" : "?",
				   esc ? esc : "");

	curl_free(esc);
	curl_easy_cleanup(c);
	free(filter);
	return url;
}

static int azure(const struct pricing_catalog *base,
		 const struct pricing_fetch *f, struct pricing_catalog *out,
		 struct pricing_fetched *r, struct util_err *err)
{
	struct pricing_azure a = {.fetched_at = f->fetched_at};
	static const char *const json[] = {"json"};
	char **seen = NULL;
	size_t nseen = 0, aseen = 0;
	int rc = 0;

	for (size_t g = 0; g < f->nregions && !rc; g++) {
		char *url = azure_url(f->url, f->regions[g]);

		while (url && !rc) {
			struct pricing_http_resp resp;
			char show[512]; /* without the query, for messages */

			snprintf(show, sizeof(show), "%.*s",
				 (int)strcspn(url, "?"), url);

			for (size_t i = 0; i < nseen; i++)
				if (!strcmp(seen[i], url))
					rc = util_err_set(
						err, UTIL_E_UNAVAILABLE,
						"%s: NextPageLink points back "
						"to a page already read: "
						"stopped", show);
			if (!rc && r->pages >= f->max_pages)
				rc = util_err_set(err, UTIL_E_UNAVAILABLE,
						  "more than %zu pages: "
						  "stopped at %s",
						  f->max_pages, show);
			if (rc)
				break;
			UTIL_GROW(seen, nseen + 1, aseen);
			seen[nseen++] = url;
			rc = pricing_http_get(url, &f->http, &resp, err);
			if (!rc && !type_is(resp.content_type, json, 1))
				rc = wrong_type(show, resp.content_type,
						"JSON", err);
			a.url = show;
			if (!rc)
				rc = pricing_azure_page(base, out, resp.body,
							resp.len, &a, err);
			pricing_http_release(&resp);
			r->pages++;
			if (f->on_page)
				f->on_page(f->arg, r->pages, a.offers);
			url = rc ? NULL : a.next;
			a.next = NULL;
		}
		free(url);
	}
	free(a.next);
	util_strv_free(seen, nseen);
	r->skipped = a.skipped_unknown + a.skipped_currency + a.skipped_price;
	if (!rc && !out->noffers)
		rc = util_err_set(err, UTIL_E_UNAVAILABLE,
				  "%s: %zu prices read, none for a GPU size "
				  "gpuplan knows: the cache is left as it was",
				  f->url, a.items);
	return rc;
}

/* The Vast.ai offer search: what can be rented now, on demand, from
 * verified hosts (the vast CLI's default query). */
#define VAST_QUERY                                                             \
	"{\"rentable\":{\"eq\":true},\"rented\":{\"eq\":false},"               \
	"\"verified\":{\"eq\":true},\"external\":{\"eq\":false},"              \
	"\"type\":\"on-demand\",\"limit\":2000}"
/* RunPod's GPU types with their prices per GPU-hour. */
#define RUNPOD_QUERY                                                           \
	"{\"query\":\"query GpuTypes { gpuTypes { id displayName "             \
	"memoryInGb securePrice communityPrice secureSpotPrice "               \
	"communitySpotPrice } }\"}"

static char *vast_url(const char *base)
{
	CURL *c = curl_easy_init();
	char *esc = c ? curl_easy_escape(c, VAST_QUERY, 0) : NULL;
	char *url = util_xasprintf(
	    "%s%sq=%s", base, strchr(base, '?') ? "&" : "?", esc ? esc : "");

	curl_free(esc);
	curl_easy_cleanup(c);
	return url;
}

/* The reason an API gives in an error body: Lambda's error.message,
 * RunPod's errors[0].message, Vast.ai's msg or error; NULL if none. */
static char *api_reason(const struct pricing_http_resp *resp)
{
	json_t *root =
	    resp->body ? json_loadb(resp->body, resp->len, 0, NULL) : NULL;
	json_t *e = json_object_get(root, "error");
	const char *why = json_string_value(json_object_get(e, "message"));
	char *shown;

	if (!why)
		why = json_string_value(json_object_get(
		    json_array_get(json_object_get(root, "errors"), 0),
		    "message"));
	if (!why)
		why = json_string_value(json_object_get(root, "msg"));
	if (!why)
		why = json_string_value(e);
	shown = why ? pricing_market_text(why, 200) : NULL;
	json_decref(root);
	return shown;
}

/* An HTTP error says the API's reason and, for a refused or missing
 * key, which variable holds it. */
static int explain(const struct pricing_fetch *f,
		   const struct pricing_http_resp *resp, struct util_err *err)
{
	char msg[sizeof(err->msg)], hint[128] = "", *why = api_reason(resp);
	int rc;

	snprintf(msg, sizeof(msg), "%s", err->msg);
	if ((resp->status == 401 || resp->status == 403) && f->key_env)
		snprintf(hint, sizeof(hint),
			 f->key ? " (the key in %s was "
				  "refused)"
				: " (no API key: set %s)",
			 f->key_env);
	rc = util_err_set(err, err->code, "%s%s%s%s%s", msg, why ? ": '" : "",
			  why ? why : "", why ? "'" : "", hint);
	free(why);
	return rc;
}

/* Vast.ai, RunPod, Lambda: one answer, converted. */
static int market(const struct pricing_catalog *base,
		  const struct pricing_fetch *f, struct pricing_catalog *out,
		  struct pricing_fetched *r, struct util_err *err)
{
	static const char *const json[] = {"json"};
	struct pricing_market m = {.fetched_at = f->fetched_at};
	struct pricing_http_opts h = f->http;
	struct pricing_http_resp resp;
	char *url =
	    f->source == PRICING_VAST ? vast_url(f->url) : util_xstrdup(f->url);
	char show[512];
	int rc;

	snprintf(show, sizeof(show), "%.*s", (int)strcspn(url, "?"), url);
	m.url = show;
	if (base->currency && strcmp(base->currency, "USD")) {
		free(url);
		return util_err_set(err, UTIL_E_UNAVAILABLE,
				    "%s: prices in USD, the catalog in use is "
				    "in %s (gpuplan does not convert "
				    "currencies)",
				    show, base->currency);
	}
	if (f->source == PRICING_RUNPOD) {
		h.post = RUNPOD_QUERY;
		h.post_type = "application/json";
		h.bearer = f->key;
	} else if (f->source == PRICING_LAMBDA) {
		h.basic_user = f->key;
	}
	rc = pricing_http_get(url, &h, &resp, err);
	r->pages = 1;
	if (rc)
		rc = explain(f, &resp, err);
	else if (resp.status == 304)
		r->not_modified = true;
	else if (!type_is(resp.content_type, json, 1))
		rc = wrong_type(show, resp.content_type, "JSON", err);
	else if (f->source == PRICING_VAST)
		rc = pricing_vast_offers(base, out, resp.body, resp.len, &m,
					 err);
	else if (f->source == PRICING_RUNPOD)
		rc = pricing_runpod_offers(base, out, resp.body, resp.len, &m,
					   err);
	else
		rc = pricing_lambda_offers(base, out, resp.body, resp.len, &m,
					   err);
	r->etag = resp.etag;
	resp.etag = NULL;
	r->unknown = m.skipped_unknown;
	r->no_price = m.skipped_price;
	r->skipped = m.skipped_unknown + m.skipped_price;
	snprintf(r->unknown_names, sizeof(r->unknown_names), "%s", m.unknown);
	if (!rc && !r->not_modified && !out->noffers)
		rc =
		    util_err_set(err, UTIL_E_UNAVAILABLE,
				 "%s: %zu entries read, none for a GPU gpuplan "
				 "knows with a price: the cache is left as it "
				 "was",
				 show, m.items);
	pricing_http_release(&resp);
	free(url);
	return rc;
}

/* The provider of a SkyPilot catalog URL: the folder of vms.csv
 * (".../lambda/vms.csv"), else the file's name. */
static char *sky_provider(const char *url)
{
	const char *end = strrchr(url, '/'), *start;

	if (!end || strncmp(end, "/vms.csv", 8))
		return NULL;
	start = end;
	while (start > url && start[-1] != '/')
		start--;
	return start < end ? util_xasprintf("%.*s", (int)(end - start), start)
			   : NULL;
}

/* base without the offers of provider (NULL: without any), so that
 * fetched offers keep their own ids rather than a "-2". */
static void copy_without(struct pricing_catalog *out,
			 const struct pricing_catalog *base,
			 const char *provider)
{
	size_t k = 0;

	pricing_catalog_copy(out, base);
	for (size_t i = 0; i < out->noffers; i++) {
		if (!provider || !strcasecmp(out->offers[i].provider, provider))
			pricing_offer_release(&out->offers[i]);
		else
			out->offers[k++] = out->offers[i];
	}
	out->noffers = k;
}

static int skypilot(const struct pricing_catalog *base,
		    const struct pricing_fetch *f, const char *body,
		    size_t len, struct pricing_catalog *out,
		    struct util_err *err)
{
	char dir[] = "/tmp/gpuplan-fetch-XXXXXX";
	char *prov = f->provider ? NULL : sky_provider(f->url), *path;
	struct pricing_import im = {
		.provider = f->provider ? f->provider : prov,
		.family = -1,
		.as_of = f->date,
	};
	struct util_diags d;
	int rc;

	if (!im.provider) {
		free(prov);
		return util_err_set(err, UTIL_E_USAGE, "cannot tell the "
				    "provider from '%s': give --provider",
				    f->url);
	}
	if (!mkdtemp(dir)) {
		free(prov);
		return util_err_set(err, UTIL_E_IO, "cannot make a temporary "
				    "directory");
	}
	path = util_xasprintf("%s/%s.csv", dir, im.provider);
	rc = util_write_atomic(path, body, len, err);
	util_diags_init(&d);
	copy_without(out, base, im.provider);
	if (!rc) {
		size_t first = out->noffers;

		rc = pricing_import_skypilot(out, path, &im, &d);
		if (rc || !im.offers) {
			char msg[512] = "no GPU offer in it";

			if (d.n)
				snprintf(msg, sizeof(msg), "%s", d.v[0].msg);
			rc = util_err_set(err, UTIL_E_UNAVAILABLE,
					  "%s: not a SkyPilot catalog CSV "
					  "gpuplan can read: %s", f->url, msg);
		} else { /* keep only the imported offers */
			struct pricing_catalog only;

			pricing_catalog_init(&only);
			only.currency = util_xstrdup(out->currency);
			for (size_t i = first; i < out->noffers; i++) {
				struct pricing_offer o;

				pricing_offer_copy(&o, &out->offers[i]);
				pricing_catalog_put_offer(&only, &o);
			}
			pricing_catalog_release(out);
			*out = only;
		}
	}
	util_diags_release(&d);
	unlink(path);
	rmdir(dir);
	free(path);
	free(prov);
	return rc;
}

int pricing_fetch(const struct pricing_catalog *base,
		  const struct pricing_fetch *f, struct pricing_fetched *r,
		  struct util_err *err)
{
	static const char *const csv[] = {"csv", "text/plain",
					  "application/octet-stream"};
	static const char *const doc[] = {"yaml", "json", "text/plain"};
	struct pricing_catalog out;
	struct pricing_http_resp resp = {0};
	struct util_buf b;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	pricing_catalog_init(&out);
	util_buf_init(&b);
	if (f->source == PRICING_AZURE) {
		out.currency = util_xstrdup(base->currency ? base->currency
							   : "USD");
		rc = azure(base, f, &out, r, err);
		if (!rc)
			pricing_write_offers_yaml(&out, 0, &b);
	} else if (f->source == PRICING_VAST || f->source == PRICING_RUNPOD ||
		   f->source == PRICING_LAMBDA) {
		out.currency = util_xstrdup("USD"); /* all three price in USD */
		rc = market(base, f, &out, r, err);
		if (r->not_modified)
			goto out;
		if (!rc)
			pricing_write_offers_yaml(&out, 0, &b);
	} else {
		rc = pricing_http_get(f->url, &f->http, &resp, err);
		r->pages = 1;
		if (!rc && resp.status == 304) {
			r->not_modified = true;
			goto out;
		}
		if (!rc && f->source == PRICING_SKYPILOT) {
			if (!type_is(resp.content_type, csv, 3))
				rc = wrong_type(f->url, resp.content_type,
						"CSV", err);
			if (!rc)
				rc = skypilot(base, f, resp.body, resp.len,
					      &out, err);
			if (!rc)
				pricing_write_offers_yaml(&out, 0, &b);
		} else if (!rc) {
			if (!type_is(resp.content_type, doc, 3))
				rc = wrong_type(f->url, resp.content_type,
						"a YAML or JSON catalog", err);
			if (!rc)
				util_buf_add(&b, resp.body, resp.len);
		}
		r->etag = resp.etag;
		resp.etag = NULL;
	}
	if (!rc) { /* what goes in the cache must load over the catalog */
		struct pricing_catalog check;
		struct util_diags d;

		pricing_catalog_copy(&check, base);
		util_diags_init(&d);
		if (pricing_catalog_load_buffer(&check, f->url, b.s ? b.s : "",
						b.len, &d)) {
			util_diags_sort(&d);
			rc = util_err_set(err, UTIL_E_UNAVAILABLE,
					  "%s: the prices do not make a valid "
					  "catalog: %s:%d:%d: %s", f->url,
					  d.n ? d.v[0].file : "?",
					  d.n ? d.v[0].line : 0,
					  d.n ? d.v[0].col : 0,
					  d.n ? d.v[0].msg : "?");
		}
		r->offers = out.noffers;
		if (f->source == PRICING_URL) { /* the document's own offers */
			struct pricing_catalog own;
			struct util_diags d2;

			copy_without(&own, base, NULL);
			util_diags_init(&d2);
			if (!rc && !pricing_catalog_load_buffer(&own, f->url,
								 b.s ? b.s : "",
								 b.len, &d2))
				r->offers = own.noffers;
			util_diags_release(&d2);
			pricing_catalog_release(&own);
			if (!rc && !r->offers)
				rc = util_err_set(err, UTIL_E_UNAVAILABLE,
						  "%s: the catalog holds no "
						  "offer", f->url);
		}
		util_diags_release(&d);
		pricing_catalog_release(&check);
	}
	if (!rc)
		r->catalog = util_buf_detach(&b);
out:
	pricing_http_release(&resp);
	util_buf_release(&b);
	pricing_catalog_release(&out);
	return rc;
}

void pricing_fetched_release(struct pricing_fetched *r)
{
	free(r->catalog);
	free(r->etag);
	memset(r, 0, sizeof(*r));
}
