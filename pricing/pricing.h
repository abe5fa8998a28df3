/* pricing: the catalog of accelerators and offers (DESIGN §5): types,
 * the embedded default catalog, loading and validating catalog files
 * (YAML or JSON, docs/catalog.md), and importing SkyPilot catalog CSVs.
 * Knows nothing above util/. */
#ifndef PRICING_PRICING_H
#define PRICING_PRICING_H

#include <stdio.h>

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
	PRICING_NFAMILIES
};
#define PRICING_ALL_FAMILIES ((1u << PRICING_NFAMILIES) - 1)

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
	PRICING_NTERMS
};
/* The catalog key of each term ("price_hour", ...). */
extern const char *const pricing_term_names[PRICING_NTERMS];

struct pricing_offer {
	char *id;
	enum pricing_family family;
	char *provider, *region, *instance; /* region, instance may be NULL */
	char *accel; /* canonical accelerator name */
	long count;
	bool sovereign;
	double term[PRICING_NTERMS];
	char *cluster;		 /* academic */
	double queue_p50_h, queue_p90_h; /* academic */
	double *power_modes_w;	 /* edge */
	size_t npower_modes;
	/* how a Slurm cluster names and bundles this device (academic and
	 * on-prem offers, `slurm:`); NULL and PRICING_UNSET when not given */
	char *slurm_gpu_type, *slurm_mig_prefix;
	double slurm_cpus_per_gpu, slurm_mem_gb_per_gpu;
	/* the nvidia.com/gpu.product label of an on-prem pool's nodes
	 * (`kubernetes:`), NULL when not given */
	char *k8s_gpu_product;
	char *source, *as_of;
	char *origin;
};

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

/* Writes the offers [first, c->noffers) as a catalog YAML document. */
void pricing_write_offers_yaml(const struct pricing_catalog *c, size_t first,
			       struct util_buf *out);

#endif
