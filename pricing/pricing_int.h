/* What the files of pricing/ share. */
#ifndef PRICING_INT_H
#define PRICING_INT_H

#include <jansson.h>

#include "pricing.h"

void pricing_accel_release(struct pricing_accel *a);
void pricing_offer_release(struct pricing_offer *o);
void pricing_accel_copy(struct pricing_accel *dst,
			const struct pricing_accel *src);
void pricing_offer_copy(struct pricing_offer *dst,
			const struct pricing_offer *src);
/* Adds a (stolen) to c, replacing one of the same name. */
void pricing_catalog_put_accel(struct pricing_catalog *c,
			       struct pricing_accel *a);
/* Adds o (stolen) to c, replacing one with the same id. */
void pricing_catalog_put_offer(struct pricing_catalog *c,
			       struct pricing_offer *o);

/* ---- the GPU market sources (pricing/market.c) */

/* The accelerator of c that a provider's GPU name stands for ("RTX 4090",
 * "H100 SXM", "A100 PCIE" with 80 GB: spaces and '_' become '-', then
 * the name, its alias, name-<mem>GB, and the same without a trailing
 * form-factor word (SXM4, PCIE...)), refused when mem_gb (> 0, the
 * provider's figure) is more than 15% from the accelerator's. NULL when
 * none. */
const struct pricing_accel *
pricing_market_accel(const struct pricing_catalog *c, const char *name,
		     double mem_gb);
/* s (fetched text) as an offer may hold it: printable ASCII, others
 * '?', at most max characters then "...". Caller frees. */
char *pricing_market_text(const char *s, size_t max);
/* Counts a GPU name gpuplan does not know in m, and keeps the first
 * few distinct ones for the report. */
void pricing_market_unknown(struct pricing_market *m, const char *name);
/* An offer id from a format: runs of characters an id may not hold
 * become one '-'. Caller frees. */
char *pricing_market_id(const char *fmt, ...) UTIL_PRINTF(1, 2);
/* Adds o (stolen) to out, dated and placed by m. */
void pricing_market_put(struct pricing_catalog *out, struct pricing_offer *o,
			const struct pricing_market *m);
/* Whether v, an hourly price a market answered, can be an offer's:
 * from a thousandth of a currency unit (below it, a price no provider
 * charges, and a number too small to write and read back) to the
 * catalog's bound on price_hour. NaN is not. */
bool pricing_market_price_ok(double v);
/* o with every number unset and no string. */
void pricing_offer_blank(struct pricing_offer *o);
/* The q-quantile (0..1, linear between ranks) of v[0..n), sorted in
 * place; PRICING_UNSET when n is 0. */
double pricing_quantile(double *v, size_t n, double q);
/* The median of term t over c's offers of family fam, or PRICING_UNSET:
 * the default a converter gives where its source says nothing. */
double pricing_median_term(const struct pricing_catalog *c,
			   enum pricing_family fam, enum pricing_term t);
/* Term t of the first offer of provider in c that has it, or unset. */
double pricing_provider_term(const struct pricing_catalog *c,
			     const char *provider, enum pricing_term t);
/* Parses a market answer into a JSON object (*root, caller decrefs):
 * 0, or UTIL_E_UNAVAILABLE (invalid JSON, not an object). */
int pricing_market_json(const char *body, size_t len,
			const struct pricing_market *m, json_t **root,
			struct util_err *err);
/* The error "<url>: <what> answered with an error: '<msg>'", msg
 * shown as pricing_market_text; returns UTIL_E_UNAVAILABLE. */
int pricing_market_refused(const struct pricing_market *m, const char *what,
			   const char *msg, struct util_err *err);

/* Offers of a catalog by id, so that 20,000 of them load or import in
 * linear time (a scan per offer took seconds): open addressing, a slot
 * holds an index + 1, 0 when empty. Free slot with free(). */
struct pricing_id_index {
	size_t *slot, cap;
};
/* An index over offers[0..n), with room for `more` offers added. */
void pricing_id_index_init(struct pricing_id_index *x,
			   const struct pricing_offer *offers, size_t n,
			   size_t more);
/* The slot of id: holding its index + 1, or empty (0): the slot to set
 * when offers[k] with that id is added. */
size_t *pricing_id_slot(const struct pricing_id_index *x,
			const struct pricing_offer *offers, const char *id);

/* s as a double-quoted YAML string that loads back (util/ydoc.c): UTF-8
 * as it is, tab and line end escaped, other control characters, C1
 * controls and bytes that are not UTF-8 written as '?'. */
void pricing_put_yaml_string(struct util_buf *b, const char *s);

#endif
