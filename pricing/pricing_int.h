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

#endif
