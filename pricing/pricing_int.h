/* What the files of pricing/ share. */
#ifndef PRICING_INT_H
#define PRICING_INT_H

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

#endif
