/* pricing: the catalog of accelerators and offers (DESIGN §5): types,
 * the embedded default catalog, loading and validating catalog files
 * (YAML or JSON, docs/catalog.md), and importing SkyPilot catalog CSVs.
 * Knows nothing above util/. */
#ifndef PRICING_PRICING_H
#define PRICING_PRICING_H

#include <stdio.h>

#include <time.h>

#include "../util/util.h"
#include "../util/ydoc.h"

enum pricing_family {
	PRICING_CLOUD,
	PRICING_CLOUD_SPOT,
	PRICING_GPUAAS,
	PRICING_ONPREM,
	PRICING_ACADEMIC,
	PRICING_DECENTRALIZED,
	PRICING_EDGE,
	PRICING_INHOUSE, /* an in-house chargeback: only when named */
	PRICING_NFAMILIES
};
#define PRICING_ALL_FAMILIES ((1u << PRICING_NFAMILIES) - 1)
/* What a scenario without `venues.allow` may use: all but in-house. */
#define PRICING_DEFAULT_FAMILIES (PRICING_ALL_FAMILIES & ~(1u << PRICING_INHOUSE))

/* "cloud", "cloud-spot", ...; indexed by enum pricing_family. */
extern const char *const pricing_family_names[PRICING_NFAMILIES];
/* The family named s (exact), or -1. */
int pricing_family_parse(const char *s);

enum pricing_precision {
	PRICING_FP32,
	PRICING_TF32,
	PRICING_BF16,
	PRICING_FP16,
	PRICING_FP8,
	PRICING_INT8,
	PRICING_INT4,
	PRICING_NPRECISIONS
};
extern const char *const pricing_precision_names[PRICING_NPRECISIONS];
int pricing_precision_parse(const char *s);

enum pricing_class { PRICING_DATACENTER, PRICING_WORKSTATION, PRICING_EDGE_CLASS };
extern const char *const pricing_class_names[3];

/* Numbers absent from the catalog are PRICING_UNSET. */
#define PRICING_UNSET (-1.0)

struct pricing_accel {
	char *name;
	char **aliases;
	size_t naliases;
	char *vendor;
	enum pricing_class cls;
	double memory_gb, bandwidth_gbs, tdp_w;
	double tflops[PRICING_NPRECISIONS]; /* dense peak, PRICING_UNSET */
	char **mig;
	size_t nmig;
	char *interconnect; /* NULL when not given */
	double interconnect_gbs;
	double *power_modes_w;
	size_t npower_modes;
	double rgu;
	char *source, *as_of;
	char *origin; /* "file:line" where it was defined */
};

/* The price terms, each PRICING_UNSET when absent (docs/catalog.md). */
enum pricing_term {
	PRICING_PRICE_HOUR,
	PRICING_COMMIT_1Y_HOUR,
	PRICING_COMMIT_3Y_HOUR,
	PRICING_STORAGE_GB_MONTH,
	PRICING_EGRESS_GB,
	PRICING_PROVISION_MIN,
	PRICING_PREEMPTION_PER_HOUR,
	PRICING_SUBSCRIPTION_MONTH,
	PRICING_HOURS_MONTH,
	PRICING_AVAILABILITY,
	PRICING_CAPEX,
	PRICING_LIFETIME_YEARS,
	PRICING_POWER_W,
	PRICING_MAINTENANCE_PCT_YEAR,
	PRICING_LEAD_TIME_WEEKS,
	PRICING_ELECTRICITY_KWH,
	PRICING_PUE,
	PRICING_RGU,
	PRICING_FEE_RGU_YEAR,
	PRICING_WALLTIME_H,
	PRICING_MAX_GPUS_PER_JOB,
	PRICING_RELIABILITY,
	PRICING_PERF_SPREAD,
	PRICING_UNIT_PRICE,
	PRICING_MAX_DEVICES, /* rented: devices at once, this offer and region */
	PRICING_NTERMS
};
/* The catalog key of each term ("price_hour", ...). */
extern const char *const pricing_term_names[PRICING_NTERMS];

struct pricing_offer {
	char *id;
	enum pricing_family family;
	char *provider, *region, *instance; /* region, instance may be NULL */
	/* ISO 3166-1 alpha-2 code (upper case) of the country the region is
	 * in; NULL when not known, and for on-prem and edge offers, which
	 * are where the scenario's `country:` says */
	char *country;
	char *accel; /* canonical accelerator name */
	long count;
	bool sovereign;
	/* the price is our estimate, not a published figure (`estimate:
	 * true`; its source says how it was reached) */
	bool estimate;
	double term[PRICING_NTERMS];
	char *cluster;		 /* academic */
	double queue_p50_h, queue_p90_h; /* academic */
	double *power_modes_w;	 /* edge */
	size_t npower_modes;
	/* how a Slurm cluster names and bundles this device (academic and
	 * on-prem offers, `slurm:`); NULL and PRICING_UNSET when not given */
	char *slurm_gpu_type, *slurm_mig_prefix;
	/* the MIG profiles the cluster configures ("3g.20gb"), the only
	 * ones a job may ask for; none: no MIG */
	char **slurm_mig_profiles;
	size_t nslurm_mig_profiles;
	double slurm_cpus_per_gpu, slurm_mem_gb_per_gpu;
	/* the nvidia.com/gpu.product label of an on-prem pool's nodes
	 * (`kubernetes:`), NULL when not given */
	char *k8s_gpu_product;
	char *source, *as_of;
	char *origin;
};

/* At most this many offers in one catalog file (docs/security.md). */
#define PRICING_MAX_OFFERS 20000

struct pricing_catalog {
	char *name;
	char *currency;
	struct pricing_accel *accels;
	size_t naccels, accels_alloc;
	struct pricing_offer *offers;
	size_t noffers, offers_alloc;
	char **origins; /* what was loaded, in order: "embedded", files */
	size_t norigins, origins_alloc;
};

void pricing_catalog_init(struct pricing_catalog *c);
void pricing_catalog_release(struct pricing_catalog *c);

/* Loads the embedded default catalog into an empty c. A failure is a bug
 * in pricing/catalog.yaml: its diagnostics are in d. */
int pricing_catalog_load_default(struct pricing_catalog *c,
				 struct util_diags *d);
/* Extends c with a catalog file (YAML or JSON): an accelerator or offer
 * with a name or id already in c replaces it, others are added. Every
 * problem goes to d. Returns 0, UTIL_E_INPUT or UTIL_E_NOINPUT; on error c
 * is unchanged. */
int pricing_catalog_load_file(struct pricing_catalog *c, const char *path,
			      struct util_diags *d);
/* Same, from a catalog mapping inside an already loaded document (the
 * `catalog:` block of a scenario). */
int pricing_catalog_load_node(struct pricing_catalog *c, struct util_ydoc *y,
			      const yaml_node_t *node, struct util_diags *d);
/* Same, from a buffer; file names it in messages. */
int pricing_catalog_load_buffer(struct pricing_catalog *c, const char *file,
				const char *buf, size_t len,
				struct util_diags *d);
/* Gives each offer without a country the country of another offer of
 * the same provider and region that has one (fetched and imported
 * offers have none), or for a Vast.ai region written "Place, CC,
 * Continent", CC. */
void pricing_catalog_fill_countries(struct pricing_catalog *c);
/* A deep copy of src into an empty dst. */
void pricing_catalog_copy(struct pricing_catalog *dst,
			  const struct pricing_catalog *src);

/* The accelerator called name or one of its aliases (case-insensitive),
 * or NULL. */
const struct pricing_accel *
pricing_catalog_find_accel(const struct pricing_catalog *c, const char *name);
/* The accelerator name closest to a misspelt name, or NULL. */
const char *pricing_catalog_suggest_accel(const struct pricing_catalog *c,
					  const char *name);
const struct pricing_offer *
pricing_catalog_find_offer(const struct pricing_catalog *c, const char *id);

/* True for a date written YYYY-MM-DD. */
bool pricing_valid_date(const char *s);

/* The embedded catalog's source text (pricing/catalog.yaml). */
extern const char pricing_default_catalog[];
extern const size_t pricing_default_catalog_len;

/* Whether SkyPilot launches offers of provider (its clouds: aws, gcp,
 * azure, lambda, runpod, vast, paperspace; case-insensitive): where
 * `emit --to skypilot` writes tasks, and what the report's Deploy
 * section offers it for. */
bool pricing_skypilot_launches(const char *provider);

/* Options and result of a SkyPilot CSV import. */
struct pricing_import {
	const char *provider; /* default: from the file name, e.g. "lambda" */
	int family;	      /* -1: by provider (docs/catalog.md) */
	const char *as_of;    /* NULL: the file's modification date */
	size_t rows, offers, skipped_unknown, skipped_no_gpu;
};
/* Converts a SkyPilot catalog CSV (columns found by header name) into
 * catalog offers, appended to c, whose accelerators must be known to c.
 * Spot above on-demand is a warning in d, with the row's line. Returns 0,
 * UTIL_E_INPUT or UTIL_E_NOINPUT. */
int pricing_import_skypilot(struct pricing_catalog *c, const char *path,
			    struct pricing_import *opt, struct util_diags *d);

/* ---- fetching prices (pricing/http.c, pricing/fetch.c, pricing/cache.c) */

struct pricing_http_opts {
	double connect_timeout_s, timeout_s; /* per attempt */
	size_t max_body;		     /* bytes */
	int retries;			     /* after the first attempt */
	double backoff_s;		     /* before the first retry */
	const char *etag;		     /* If-None-Match, or NULL */
	/* a POST of this NUL-terminated body with this Content-Type instead
	 * of a GET, or NULL */
	const char *post, *post_type;
	/* credentials, never shown in a message: "Authorization: Bearer
	 * <bearer>", or HTTP basic auth as basic_user with an empty
	 * password; NULL when not used. libcurl sends neither to another
	 * host after a redirect. */
	const char *bearer, *basic_user;
	/* called before each retry, with the wait and the reason */
	void (*on_retry)(void *arg, int attempt, double wait_s,
			 const char *why);
	void *arg;
};
struct pricing_http_resp {
	long status; /* 200, or 304 (not modified: no body); on an error,
			the last HTTP status seen, or 0 */
	char *body;  /* NUL-terminated; on an HTTP error status, its body */
	size_t len;
	char *etag, *content_type; /* NULL when absent */
};
/* GETs (or POSTs, o->post) url: 0 with status 200 or 304, or UTIL_E_UNAVAILABLE with the
 * reason (connection, timeout, HTTP status after the retries, a body over
 * max_body). Retries on 5xx, 429 and transient network errors. Release r
 * with pricing_http_release in all cases. */
int pricing_http_get(const char *url, const struct pricing_http_opts *o,
		     struct pricing_http_resp *r, struct util_err *err);
void pricing_http_release(struct pricing_http_resp *r);

/* State of an Azure Retail Prices fetch, page after page. */
struct pricing_azure {
	const char *url;	/* the page being read, for messages */
	const char *fetched_at; /* ISO 8601 UTC, for the offers' source */
	char *next;		/* NextPageLink of the last page, or NULL */
	size_t items, offers, skipped_unknown, skipped_currency, skipped_price;
};
/* Adds the GPU offers of one page (body) to out, with base's
 * accelerators, sizes and terms: an offer already in base keeps its other
 * terms (egress, preemption) and takes the new price. Sets a->next.
 * Returns 0, or UTIL_E_UNAVAILABLE when the page is not a prices page. */
int pricing_azure_page(const struct pricing_catalog *base,
		       struct pricing_catalog *out, const char *body,
		       size_t len, struct pricing_azure *a,
		       struct util_err *err);

/* What a GPU market answer (Vast.ai, RunPod, Lambda) held, and what
 * its converter left out. */
struct pricing_market {
	const char *url; /* where it came from (no query), for messages */
	const char *fetched_at; /* ISO 8601 UTC, for the offers' source */
	size_t items, offers, skipped_unknown, skipped_price;
	char unknown[256]; /* the first unknown GPU names, quoted, printable */
};
/* Each converts one answer (body) of its source (docs/prices.md) into
 * offers added to out, with base's accelerators and default terms:
 * - Vast.ai's offer search ({"offers": [...]}): one decentralized offer
 *   per GPU model and country, at the median price per GPU-hour;
 * - RunPod's GraphQL gpuTypes ({"data": {"gpuTypes": [...]}}): gpuaas
 *   offers for the secure and community prices, cloud-spot offers for
 *   the spot prices;
 * - Lambda's instance types ({"data": {"<name>": {...}}}): a gpuaas
 *   offer per instance type and region.
 * Returns 0 (m counts what was read and left out), or
 * UTIL_E_UNAVAILABLE when the answer is an error object or not of the
 * source's shape. */
int pricing_vast_offers(const struct pricing_catalog *base,
			struct pricing_catalog *out, const char *body,
			size_t len, struct pricing_market *m,
			struct util_err *err);
int pricing_runpod_offers(const struct pricing_catalog *base,
			  struct pricing_catalog *out, const char *body,
			  size_t len, struct pricing_market *m,
			  struct util_err *err);
int pricing_lambda_offers(const struct pricing_catalog *base,
			  struct pricing_catalog *out, const char *body,
			  size_t len, struct pricing_market *m,
			  struct util_err *err);

/* The price cache (pricing/cache.c, docs/prices.md). */
/* In the order the caches are layered: a catalog of one's own (url)
 * last. */
enum pricing_source {
	PRICING_AZURE,
	PRICING_SKYPILOT,
	PRICING_VAST,
	PRICING_RUNPOD,
	PRICING_LAMBDA,
	PRICING_URL,
	PRICING_NSOURCES
};
extern const char *const pricing_source_names[PRICING_NSOURCES];
struct pricing_snapshot {
	enum pricing_source source;
	char *url;	  /* where it was fetched from */
	char *fetched_at; /* YYYY-MM-DDTHH:MM:SSZ */
	char *etag;	  /* or NULL */
	char *query;	  /* the regions or provider asked for, or NULL */
	size_t offers;
};
void pricing_snapshot_release(struct pricing_snapshot *sn);
/* Seconds since sn was fetched, or -1 when its date is unreadable. */
double pricing_snapshot_age(const struct pricing_snapshot *sn, time_t now);
/* Cached prices are used up to this age (docs/prices.md), */
#define PRICING_CACHE_MAX_AGE_S (30 * 86400.0)
/* and from this far in the future (another machine's clock). */
#define PRICING_CACHE_SKEW_S 86400.0
enum pricing_cache_use {
	PRICING_CACHE_IN_USE,
	PRICING_CACHE_STALE,  /* older than PRICING_CACHE_MAX_AGE_S */
	PRICING_CACHE_FUTURE, /* fetched more than a day after now */
};
/* Whether the prices of sn are used at now: the one rule for the
 * commands that plan with the cache and for 'prices status'. now is the
 * clock's time (time(NULL)), as fetched_at is: SOURCE_DATE_EPOCH does not
 * move it. sn's fetched_at is well formed (pricing_cache_read checks). */
enum pricing_cache_use pricing_snapshot_use(const struct pricing_snapshot *sn,
					    time_t now);
/* $XDG_CACHE_HOME/gpuplan, or ~/.cache/gpuplan (caller frees). */
char *pricing_cache_dir(void);
/* dir/<source>.yaml (caller frees). */
char *pricing_cache_file(const char *dir, enum pricing_source s);
/* Writes the cache file of sn->source in dir (made if needed): sn and
 * catalog (a catalog document) whole, or nothing, once the file's text
 * is seen to load back over base. UTIL_E_IO or UTIL_E_UNAVAILABLE. */
int pricing_cache_write(const char *dir, const struct pricing_snapshot *sn,
			const char *catalog, const struct pricing_catalog *base,
			struct util_err *err);
/* Reads a cache file: its snapshot into sn and, when c is not NULL, its
 * offers into c (named "<source> prices fetched <date>" in c->origins);
 * a market's (vast, runpod, lambda) replace all of c's offers of that
 * provider.
 * Returns 0, UTIL_E_NOINPUT or UTIL_E_INPUT (problems in d). Release sn
 * in all cases. */
int pricing_cache_read(const char *path, struct pricing_catalog *c,
		       struct pricing_snapshot *sn, struct util_diags *d);

/* What to fetch (pricing/fetch.c). */
struct pricing_fetch {
	enum pricing_source source;
	const char *url; /* azure, vast, runpod, lambda: the API's URL;
			    others: the file */
	const char *const *regions; /* azure */
	size_t nregions;
	const char *provider; /* skypilot: NULL to read it from the URL */
	/* runpod, lambda: the API key or NULL, and the variable it came
	 * from, for messages (the key is never in one) */
	const char *key, *key_env;
	const char *fetched_at, *date; /* now: ISO 8601 UTC, YYYY-MM-DD */
	size_t max_pages;	       /* azure: the pagination guard */
	struct pricing_http_opts http; /* http.etag: revalidate */
	void (*on_page)(void *arg, size_t pages, size_t offers);
	void *arg;
};
struct pricing_fetched {
	bool not_modified; /* 304: the cache stands */
	char *catalog;	   /* the catalog document for the cache */
	char *etag;
	size_t offers, pages, skipped;
	/* vast, runpod, lambda: entries of GPUs gpuplan does not know (the
	 * first names, quoted), entries without a usable price (or, vast, GPU count) */
	size_t unknown, no_price;
	char unknown_names[256];
};
/* Fetches f's prices and converts them into a catalog document that loads
 * over base (checked). Returns 0, UTIL_E_UNAVAILABLE (network, HTTP,
 * content, pagination loop: err says which) or UTIL_E_USAGE. Release r
 * with pricing_fetched_release in all cases. */
int pricing_fetch(const struct pricing_catalog *base,
		  const struct pricing_fetch *f, struct pricing_fetched *r,
		  struct util_err *err);
void pricing_fetched_release(struct pricing_fetched *r);

/* ---- how old prices are (pricing/age.c, docs/prices.md) */

/* Now, or SOURCE_DATE_EPOCH when it is set (reproducible output). */
time_t pricing_now(void);
/* The age, in days, past which a price of family f is too old: 90 for
 * market and GPU-as-a-service prices (cloud-spot, gpuaas,
 * decentralized), 365 for list and purchase prices (the other
 * families); max_days > 0 (--max-price-age) stands for all. */
double pricing_max_price_age_days(enum pricing_family f, double max_days);
/* Whole days from as_of (YYYY-MM-DD, a UTC day) to now, rounded down, or
 * -1 when it is not a date. */
double pricing_as_of_age_days(const char *as_of, time_t now);
/* Whether o's as_of is older than its family's limit. */
bool pricing_offer_too_old(const struct pricing_offer *o, time_t now,
			   double max_days);
/* The prices a report relies on, checked against their age limits:
 * add every offer used (repeats are fine), then check. */
struct pricing_staleness {
	const struct pricing_offer **v;
	size_t n, alloc;
};
void pricing_staleness_add(struct pricing_staleness *st,
			   const struct pricing_offer *o);
/* How many distinct offers added are past their limit (max_days as in
 * pricing_max_price_age_days); *stalest (may be NULL) the one furthest
 * past it relative to its limit, NULL when none is. */
size_t pricing_staleness_check(struct pricing_staleness *st, time_t now,
			       double max_days,
			       const struct pricing_offer **stalest);
void pricing_staleness_release(struct pricing_staleness *st);
/* The offers in use that each layer of the catalog gave. */
struct pricing_layer_age {
	size_t offers, too_old; /* too old: past their family's limit */
	const char *oldest;	/* the oldest as_of (in c), or NULL */
	double oldest_days;	/* its age, or -1 */
};
/* Fills out[0..c->norigins) for c's layers (the caches' named as
 * pricing_cache_read names them, found in cache_dir), an offer belonging
 * to the file its origin names. */
void pricing_layer_ages(const struct pricing_catalog *c, const char *cache_dir,
			time_t now, double max_days,
			struct pricing_layer_age *out);

/* Writes the offers [first, c->noffers) as a catalog YAML document. */
void pricing_write_offers_yaml(const struct pricing_catalog *c, size_t first,
			       struct util_buf *out);

#endif
