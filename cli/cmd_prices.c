/* gpuplan prices fetch|status: current prices into the local cache, and
 * what the cache holds (docs/prices.md). */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../emit/emit.h"
#include "cli.h"

/* The public APIs each source reads by default (docs/prices.md). */
static const char *const default_url[PRICING_NSOURCES] = {
    [PRICING_AZURE] = "https://prices.azure.com/api/retail/prices",
    [PRICING_VAST] = "https://console.vast.ai/api/v0/bundles/",
    [PRICING_RUNPOD] = "https://api.runpod.io/graphql",
    [PRICING_LAMBDA] = "https://cloud.lambda.ai/api/v1/instance-types",
};
/* Where the API keys come from: the environment only, never argv. */
static const char *const key_env[PRICING_NSOURCES] = {
    [PRICING_RUNPOD] = "RUNPOD_API_KEY",
    [PRICING_LAMBDA] = "LAMBDA_API_KEY",
};
#define MAX_PAGES 200
#define MAX_BODY ((size_t)64 << 20)
#define MAX_BODY_MAX 1e12     /* --max-size: 1 TB */
#define TIMEOUT_MIN_MS 1      /* libcurl reads 0 ms as no timeout */
#define TIMEOUT_MAX_S 86400   /* a day */

/* The environment variable that points each source elsewhere. */
static const char *const url_env[PRICING_NSOURCES] = {
	[PRICING_AZURE] = "GPUPLAN_AZURE_URL",
	[PRICING_SKYPILOT] = "GPUPLAN_SKYPILOT_URL",
	[PRICING_VAST] = "GPUPLAN_VAST_URL",
	[PRICING_RUNPOD] = "GPUPLAN_RUNPOD_URL",
	[PRICING_LAMBDA] = "GPUPLAN_LAMBDA_URL",
	[PRICING_URL] = "GPUPLAN_PRICES_URL"};

struct fetch_cli {
	struct pricing_fetch f;
	const char *regions[16];
	double max_age; /* s: a cache younger than this is not refetched */
	bool force;
};

static void on_page(void *arg, size_t pages, size_t offers)
{
	(void)arg;
	fprintf(stderr, "\r\033[Kfetching: %zu page%s, %zu offers", pages,
		pages == 1 ? "" : "s", offers);
	fflush(stderr);
}

static void on_retry(void *arg, int attempt, double wait, const char *why)
{
	const struct cli_ctx *ctx = arg;

	(void)wait;
	cli_warn(ctx, "%s; trying again (retry %d)", why, attempt);
}

static int parse_fetch(int argc, char **argv, struct fetch_cli *c)
{
	static const struct option longopts[] = {
		{"source", required_argument, NULL, 's'},
		{"url", required_argument, NULL, 'u'},
		{"region", required_argument, NULL, 'r'},
		{"provider", required_argument, NULL, 'p'},
		{"max-age", required_argument, NULL, 'a'},
		{"timeout", required_argument, NULL, 't'},
		{"retries", required_argument, NULL, 'R'},
		{"force", no_argument, NULL, 'f'},
		{"max-size", required_argument, NULL, 'm'},
		{NULL, 0, NULL, 0}};
	struct util_err err;
	bool source = false;
	double size;
	long v;
	int ch;

	opterr = 0;
	optind = 2; /* after "fetch" */
	while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			source = false;
			for (int i = 0; i < PRICING_NSOURCES; i++)
				if (!strcmp(optarg, pricing_source_names[i])) {
					c->f.source = (enum pricing_source)i;
					source = true;
				}
			if (!source)
				return cli_usage_error(
					"prices", "'--source' is azure, "
					"skypilot, vast, runpod, lambda or "
					"url, got '%s'", optarg);
			break;
		case 'u':
			c->f.url = optarg;
			break;
		case 'r':
			if (c->f.nregions == 16)
				return cli_usage_error("prices", "at most 16 "
						       "regions");
			c->regions[c->f.nregions++] = optarg;
			break;
		case 'p':
			c->f.provider = optarg;
			break;
		case 'a':
			if (model_units_parse(optarg, MODEL_DIM_DURATION, 0,
					      &c->max_age, &err))
				return cli_usage_error("prices", "'--max-age' "
						       "%s", err.msg);
			break;
		case 't':
			if (model_units_parse(optarg, MODEL_DIM_DURATION,
					      MODEL_UNITS_POSITIVE,
					      &c->f.http.timeout_s, &err))
				return cli_usage_error("prices", "'--timeout' "
						       "%s", err.msg);
			/* libcurl takes whole ms, 0 for none */
			if (c->f.http.timeout_s < 0.001 * TIMEOUT_MIN_MS ||
			    c->f.http.timeout_s > TIMEOUT_MAX_S)
				return cli_usage_error("prices", "'--timeout' "
						       "takes %d ms to %d h, "
						       "got '%s'",
						       TIMEOUT_MIN_MS,
						       TIMEOUT_MAX_S / 3600,
						       optarg);
			break;
		case 'R':
			if (util_parse_long(optarg, 0, 10, &v))
				return cli_usage_error("prices", "'--retries' "
						       "takes 0 to 10, got "
						       "'%s'", optarg);
			c->f.http.retries = (int)v;
			break;
		case 'f':
			c->force = true;
			break;
		case 'm':
			if (model_units_parse(optarg, MODEL_DIM_SIZE,
					      MODEL_UNITS_POSITIVE, &size, &err))
				return cli_usage_error("prices", "'--max-size' "
						       "%s", err.msg);
			if (size < 1 || size > MAX_BODY_MAX)
				return cli_usage_error("prices", "'--max-size' "
						       "takes 1B to 1TB, got "
						       "'%s'", optarg);
			c->f.http.max_body = (size_t)size;
			break;
		case ':':
			return cli_usage_error("prices", "option '%s' needs "
					       "a value", argv[optind - 1]);
		default:
			return cli_usage_error("prices", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind != argc)
		return cli_usage_error("prices", "unexpected '%s'",
				       argv[optind]);
	if (c->f.source == PRICING_NSOURCES)
		return cli_usage_error("prices", "say which prices with "
				       "--source azure|skypilot|vast|runpod|"
				       "lambda|url");
	if (!c->f.url)
		c->f.url = getenv(url_env[c->f.source]);
	if (!c->f.url)
		c->f.url = default_url[c->f.source];
	c->f.key_env = key_env[c->f.source];
	if (c->f.key_env && getenv(c->f.key_env) && *getenv(c->f.key_env))
		c->f.key = getenv(c->f.key_env);
	if (!c->f.url || !*c->f.url)
		return cli_usage_error("prices", "--source %s needs --url URL "
				       "(or %s)",
				       pricing_source_names[c->f.source],
				       url_env[c->f.source]);
	return 0;
}

/* The Azure regions of the catalog's Azure offers, when none is given. */
static void default_regions(struct fetch_cli *c,
			    const struct pricing_catalog *cat)
{
	for (size_t i = 0; i < cat->noffers && c->f.nregions < 16; i++) {
		const struct pricing_offer *o = &cat->offers[i];
		bool seen = false;

		if (!o->provider || strcmp(o->provider, "azure") || !o->region)
			continue;
		for (size_t k = 0; k < c->f.nregions; k++)
			seen |= !strcmp(c->regions[k], o->region);
		if (!seen)
			c->regions[c->f.nregions++] = o->region;
	}
	if (!c->f.nregions)
		c->regions[c->f.nregions++] = "eastus";
}

/* What was asked beyond the URL: the Azure regions, the SkyPilot
 * provider (a cache answers only the same question). */
static char *query_of(const struct fetch_cli *c)
{
	struct util_buf b;

	util_buf_init(&b);
	for (size_t i = 0; c->f.source == PRICING_AZURE && i < c->f.nregions;
	     i++)
		util_buf_printf(&b, "%sregion=%s", i ? "," : "", c->regions[i]);
	if (c->f.provider)
		util_buf_printf(&b, "provider=%s", c->f.provider);
	return util_buf_detach(&b);
}

/* The catalog document of a cache file, as it was fetched (the lines
 * under "catalog:", unindented). */
static char *cached_catalog(const char *path)
{
	struct util_err err;
	struct util_buf b;
	char *buf, *p;
	size_t len;

	if (util_read_file(path, UTIL_INPUT_MAX, &buf, &len, &err))
		return NULL;
	p = strstr(buf, "\ncatalog:\n");
	util_buf_init(&b);
	for (p = p ? p + 10 : buf + len; *p;) {
		size_t n = strcspn(p, "\n");

		if (n >= 2)
			util_buf_add(&b, p + 2, n - 2);
		util_buf_puts(&b, "\n");
		p += n + (p[n] == '\n');
	}
	free(buf);
	return util_buf_detach(&b);
}

/* What a market source left out, on stderr. */
static void left_out(const struct pricing_fetched *r)
{
	if (r->unknown)
		fprintf(stderr,
			"gpuplan: left out: %zu entr%s of GPUs gpuplan "
			"does not know: %s\n",
			r->unknown, r->unknown == 1 ? "y" : "ies",
			r->unknown_names);
	if (r->no_price)
		fprintf(stderr,
			"gpuplan: left out: %zu entr%s without a usable "
			"price or GPU count\n",
			r->no_price, r->no_price == 1 ? "y" : "ies");
}

static int fetch(struct cli_ctx *ctx, struct fetch_cli *c)
{
	struct pricing_catalog cat;
	struct pricing_snapshot old = {0}, sn = {0};
	struct pricing_fetched r = {0};
	struct util_diags d;
	struct util_err err;
	char *dir = pricing_cache_dir(), *path = NULL, *text = NULL, *query;
	char stamp[32], date[16];
	time_t now = time(NULL);
	int rc = cli_load_catalog(ctx, &cat);

	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	strftime(date, sizeof(date), "%Y-%m-%d", gmtime(&now));
	path = pricing_cache_file(dir, c->f.source);
	util_diags_init(&d);
	c->f.regions = c->regions;
	if (!rc && c->f.source == PRICING_AZURE && !c->f.nregions)
		default_regions(c, &cat);
	query = query_of(c);
	if (!rc && !access(path, F_OK) && !pricing_cache_read(path, NULL, &old, &d)) {
		double age = pricing_snapshot_age(&old, now);
		bool same = !strcmp(old.url, c->f.url) &&
			    !strcmp(old.query ? old.query : "", query);

		if (!c->force && age >= 0 && age < c->max_age && same) {
			if (!ctx->quiet)
				fprintf(stderr, "gpuplan: %s prices fetched %s "
					"are fresh (under --max-age): not "
					"fetched again (--force does)\n",
					pricing_source_names[c->f.source],
					old.fetched_at);
			goto out;
		}
		if (same)
			c->f.http.etag = old.etag;
	}
	if (rc)
		goto out;
	c->f.fetched_at = stamp;
	c->f.date = date;
	c->f.http.arg = ctx;
	c->f.http.on_retry = on_retry;
	if (isatty(STDERR_FILENO) && !ctx->quiet)
		c->f.on_page = on_page;
	if (ctx->verbose) /* the URL without its query, the key by name */
		fprintf(stderr, "gpuplan: fetching %s prices from %.*s%s%s%s\n",
			pricing_source_names[c->f.source],
			(int)strcspn(c->f.url, "?"), c->f.url,
			c->f.key_env ? (c->f.key ? " with the key in "
						 : " without a key (")
				     : "",
			c->f.key_env ? c->f.key_env : "",
			c->f.key_env && !c->f.key ? " is not set)" : "");
	rc = pricing_fetch(&cat, &c->f, &r, &err);
	if (c->f.on_page)
		fputs("\r\033[K", stderr);
	if (rc) {
		cli_error("%s; the price cache is unchanged", err.msg);
		rc = cli_exit_code(rc);
		goto out;
	}
	sn.source = c->f.source;
	sn.url = util_xstrdup(c->f.url);
	sn.fetched_at = util_xstrdup(stamp);
	sn.etag = r.etag	  ? util_xstrdup(r.etag)
		  : r.not_modified ? util_xstrdup(old.etag)
				   : NULL;
	sn.query = *query ? util_xstrdup(query) : NULL;
	sn.offers = r.not_modified ? old.offers : r.offers;
	text = r.not_modified ? cached_catalog(path) : NULL;
	if (r.not_modified && !text) {
		cli_error("cannot read the cache '%s' again", path);
		rc = CLI_EXIT_CANTCREAT;
		goto out;
	}
	if (pricing_cache_write(dir, &sn, text ? text : r.catalog, &cat,
				&err)) {
		cli_error("%s; the price cache is unchanged", err.msg);
		rc = cli_exit_code(err.code);
		goto out;
	}
	if (!ctx->quiet) {
		if (r.not_modified)
			fprintf(stderr, "gpuplan: %s: not modified since %s "
				"(ETag): %zu offers kept in '%s'\n",
				pricing_source_names[sn.source], old.fetched_at,
				sn.offers, path);
		else
			fprintf(stderr, "gpuplan: %s: %zu offers from %zu "
				"page%s%s into '%s'\n",
				pricing_source_names[sn.source], sn.offers,
				r.pages, r.pages == 1 ? "" : "s",
				r.skipped && !r.unknown && !r.no_price
				    ? " (prices of sizes gpuplan does "
				      "not know left out)"
				    : "",
				path);
		left_out(&r);
	}
out:
	cli_print_diags(ctx, &d);
	util_diags_release(&d);
	free(text);
	pricing_fetched_release(&r);
	pricing_snapshot_release(&sn);
	pricing_snapshot_release(&old);
	pricing_catalog_release(&cat);
	free(query);
	free(path);
	free(dir);
	return rc;
}

/* How old the prices of each layer in use are, in text (b) and JSON
 * (into root's "layer_ages" and "max_price_age_days"). */
static void layer_ages(const struct pricing_catalog *cat, const char *dir,
		       time_t now, double max_days, struct util_buf *b,
		       json_t *root)
{
	struct pricing_layer_age *a =
		util_xcalloc(cat->norigins + 1, sizeof(*a));
	json_t *ages = json_array(), *limits = json_object();

	pricing_layer_ages(cat, dir, now, max_days, a);
	util_buf_puts(b, "\ncatalog in use, later layers win:\n");
	for (size_t i = 0; i < cat->norigins; i++) {
		util_buf_printf(b, "  %zu. %s: %zu offer%s in use", i + 1,
				emit_price_layer(cat->origins[i]), a[i].offers,
				a[i].offers == 1 ? "" : "s");
		if (a[i].oldest) /* whole days: a date is its day's start */
			util_buf_printf(b, ", oldest price %s (%.0f day%s)",
					a[i].oldest, floor(a[i].oldest_days),
					floor(a[i].oldest_days) == 1 ? "" : "s");
		if (a[i].too_old)
			util_buf_printf(b, ", %zu past the age limit",
					a[i].too_old);
		util_buf_puts(b, "\n");
		json_array_append_new(
			ages, json_pack("{s:s,s:i,s:s?,s:f,s:i}", "layer",
					emit_price_layer(cat->origins[i]),
					"offers", (json_int_t)a[i].offers,
					"oldest_as_of", a[i].oldest,
					"oldest_age_days", a[i].oldest_days,
					"too_old", (json_int_t)a[i].too_old));
	}
	if (max_days > 0)
		util_buf_printf(b, "price age limit: %.0f days "
				"(--max-price-age)\n", max_days);
	else
		util_buf_printf(b, "price age limits: %.0f days for market and "
				"GPU-as-a-service prices, %.0f days for list "
				"prices (--max-price-age)\n",
				pricing_max_price_age_days(PRICING_GPUAAS, 0),
				pricing_max_price_age_days(PRICING_CLOUD, 0));
	for (int fam = 0; fam < PRICING_NFAMILIES; fam++)
		json_object_set_new(limits, pricing_family_names[fam],
				    json_real(pricing_max_price_age_days(
					    (enum pricing_family)fam, max_days)));
	json_object_set_new(root, "layer_ages", ages);
	json_object_set_new(root, "max_price_age_days", limits);
	free(a);
}

/* The layers of the catalog in use and their age, and the caches. */
/* The state column, by enum pricing_cache_use. */
static const char *const cache_states[] = {"in use", "stale", "future"};

static int status(struct cli_ctx *ctx, enum cli_format f, double max_days)
{
	static const char *const head[] = {"source", "fetched_at", "age_days",
					   "offers", "state", "url"};
	static const bool right[] = {false, false, true, true, false, false};
	struct pricing_catalog cat;
	struct cli_table t;
	struct util_buf b;
	char *dir = pricing_cache_dir();
	time_t now = pricing_now();
	int rc = cli_load_catalog(ctx, &cat);
	json_t *root = json_object(), *caches = json_array(),
	       *layers = json_array();

	cli_table_init(&t, 6, head, right);
	for (int s = 0; !rc && s < PRICING_NSOURCES; s++) {
		char *path = pricing_cache_file(dir, (enum pricing_source)s);
		struct pricing_snapshot sn;
		struct util_diags d;
		char age[32], n[32];
		const char *state = "none";

		util_diags_init(&d);
		if (!access(path, F_OK)) {
			if (pricing_cache_read(path, NULL, &sn, &d)) {
				state = "unreadable";
			} else {
				/* the clock, as the commands that use it */
				time_t clock = time(NULL);
				double a = pricing_snapshot_age(&sn, clock);

				state = cache_states[pricing_snapshot_use(
					&sn, clock)];
				snprintf(age, sizeof(age), "%.1f", a / 86400);
				snprintf(n, sizeof(n), "%zu", sn.offers);
				cli_table_row(&t, (const char *const[]){
						pricing_source_names[s],
						sn.fetched_at, age, n, state,
						sn.url});
				json_array_append_new(
					caches,
					json_pack("{s:s,s:s,s:f,s:i,s:s,s:s}",
						  "source",
						  pricing_source_names[s],
						  "fetched_at", sn.fetched_at,
						  "age_days", a / 86400,
						  "offers", (json_int_t)sn.offers,
						  "state", state, "url", sn.url));
			}
			pricing_snapshot_release(&sn);
		}
		if (!strcmp(state, "none") || !strcmp(state, "unreadable"))
			cli_table_row(&t, (const char *const[]){
					pricing_source_names[s], NULL, NULL,
					NULL, state, NULL});
		util_diags_release(&d);
		free(path);
	}
	for (size_t i = 0; !rc && i < cat.norigins; i++)
		json_array_append_new(
			layers, json_string(emit_price_layer(cat.origins[i])));
	util_buf_init(&b);
	if (!rc && f == CLI_JSON) {
		layer_ages(&cat, dir, now, max_days, &b, root);
		json_object_set_new(root, "cache_dir", json_string(dir));
		json_object_set_new(root, "caches", caches);
		json_object_set_new(root, "catalog_in_use", layers);
		rc = cli_emit_json(root);
		root = NULL;
	} else if (!rc) {
		util_buf_printf(&b, "price cache: %s\n\n", dir);
		cli_table_render(&t, CLI_TABLE, &b);
		layer_ages(&cat, dir, now, max_days, &b, root);
		rc = cli_write_text(&b);
	}
	if (root) {
		json_decref(root);
		json_decref(caches);
		json_decref(layers);
	}
	util_buf_release(&b);
	cli_table_release(&t);
	pricing_catalog_release(&cat);
	free(dir);
	return rc;
}

/* status [--format table|json] (--max-price-age D is global) */
static int parse_status(int argc, char **argv, enum cli_format *f)
{
	for (int i = 2; i < argc; i += 2) {
		if (i + 1 >= argc || strcmp(argv[i], "--format"))
			return cli_usage_error("prices", "'status' takes only "
					       "--format table|json (and the "
					       "global --max-price-age D)");
		if (cli_parse_format("prices", argv[i + 1],
				     (1u << CLI_TABLE) | (1u << CLI_JSON), f))
			return CLI_EXIT_USAGE;
	}
	return 0;
}

int cmd_prices(int argc, char **argv, struct cli_ctx *ctx)
{
	struct fetch_cli c = {
		.f = {.source = PRICING_NSOURCES,
		      .max_pages = MAX_PAGES,
		      .http = {.connect_timeout_s = 10,
			       .timeout_s = 60,
			       .max_body = MAX_BODY,
			       .retries = 3,
			       .backoff_s = 1}},
		.max_age = 86400,
	};
	enum cli_format f = CLI_TABLE;
	int rc;

	if (argc < 2)
		return cli_usage_error("prices", "say what: fetch or status");
	if (!strcmp(argv[1], "fetch")) {
		rc = parse_fetch(argc, argv, &c);
		if (rc)
			return rc;
		if (ctx->offline) {
			cli_error("--offline: not fetching (the cache and the "
				  "embedded catalog stand)");
			return CLI_EXIT_UNAVAILABLE;
		}
		return fetch(ctx, &c);
	}
	if (!strcmp(argv[1], "status")) {

		rc = parse_status(argc, argv, &f);
		return rc ? rc : status(ctx, f, ctx->max_price_age_days);
	}
	return cli_usage_error("prices", "unknown action '%s': fetch or "
			       "status", argv[1]);
}
