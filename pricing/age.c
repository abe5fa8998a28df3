/* How old prices are: each family's age limit (docs/prices.md), the age
 * of an as_of date, and the age of each layer of the catalog in use. */
#define _GNU_SOURCE /* strptime, timegm */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pricing_int.h"

#define DAY_S 86400.0

time_t pricing_now(void)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	long v;

	if (e && !util_parse_long(e, 0, 253402300799L, &v))
		return (time_t)v;
	return time(NULL);
}

double pricing_max_price_age_days(enum pricing_family f, double max_days)
{
	if (max_days > 0)
		return max_days;
	switch (f) {
	case PRICING_CLOUD_SPOT:
	case PRICING_GPUAAS:
	case PRICING_DECENTRALIZED:
		return 90; /* market prices: they move month to month */
	default:
		return 365; /* list prices, purchase prices, rates */
	}
}

double pricing_as_of_age_days(const char *as_of, time_t now)
{
	struct tm tm = {0};
	const char *end = as_of ? strptime(as_of, "%Y-%m-%d", &tm) : NULL;

	if (!end || *end)
		return -1;
	/* whole days: as_of names a day, so a price of 90 days ago is 90
	 * days old all day long, never "90 days old" and past a limit of
	 * 90 at once (the messages print whole days) */
	/* a date later than now (a day ahead of UTC) is today's, not -1,
	 * which means "not a date" */
	return fmax(0, floor(difftime(now, timegm(&tm)) / DAY_S));
}

bool pricing_offer_too_old(const struct pricing_offer *o, time_t now,
			   double max_days)
{
	return pricing_as_of_age_days(o->as_of, now) >
	       pricing_max_price_age_days(o->family, max_days);
}

void pricing_staleness_add(struct pricing_staleness *st,
			   const struct pricing_offer *o)
{
	if (!o)
		return;
	if (st->n && st->v[st->n - 1] == o)
		return; /* the same offer as the last: common in a plan */
	if (st->n == st->alloc) {
		st->alloc = st->alloc ? 2 * st->alloc : 32;
		st->v = util_xrealloc(st->v, st->alloc * sizeof(*st->v));
	}
	st->v[st->n++] = o;
}

static int by_id(const void *a, const void *b)
{
	const struct pricing_offer *x = *(const struct pricing_offer *const *)a;
	const struct pricing_offer *y = *(const struct pricing_offer *const *)b;
	int c = strcmp(x->id, y->id);

	/* two layers may give one id: the pointer keeps them apart, and
	 * the order of equal ids does not reach the output */
	return c ? c : (x < y ? -1 : x > y);
}

size_t pricing_staleness_check(struct pricing_staleness *st, time_t now,
			       double max_days,
			       const struct pricing_offer **stalest)
{
	const struct pricing_offer *worst = NULL;
	double worst_r = 1;
	size_t old = 0;

	if (st->n)
		qsort(st->v, st->n, sizeof(*st->v), by_id);
	for (size_t i = 0; i < st->n; i++) {
		const struct pricing_offer *o = st->v[i];
		double r;

		if (i && st->v[i - 1] == o)
			continue;
		r = pricing_as_of_age_days(o->as_of, now) /
		    pricing_max_price_age_days(o->family, max_days);
		if (r <= 1)
			continue;
		old++;
		if (r > worst_r) { /* ties: the first id in order */
			worst_r = r;
			worst = o;
		}
	}
	if (stalest)
		*stalest = worst;
	return old;
}

void pricing_staleness_release(struct pricing_staleness *st)
{
	free(st->v);
	memset(st, 0, sizeof(*st));
}

/* The file a layer was loaded from: a cache's layer is named
 * "<source> prices fetched <time>" (pricing_cache_read). Caller frees. */
static char *layer_file(const char *origin, const char *cache_dir)
{
	for (int s = 0; cache_dir && s < PRICING_NSOURCES; s++) {
		size_t n = strlen(pricing_source_names[s]);

		if (!strncmp(origin, pricing_source_names[s], n) &&
		    !strncmp(origin + n, " prices fetched ", 16))
			return pricing_cache_file(cache_dir,
						  (enum pricing_source)s);
	}
	return util_xstrdup(origin);
}

static bool from_file(const struct pricing_offer *o, const char *file)
{
	size_t n = strlen(file);

	return o->origin && !strncmp(o->origin, file, n) && o->origin[n] == ':';
}

void pricing_layer_ages(const struct pricing_catalog *c, const char *cache_dir,
			time_t now, double max_days,
			struct pricing_layer_age *out)
{
	for (size_t l = 0; l < c->norigins; l++) {
		char *file = layer_file(c->origins[l], cache_dir);
		struct pricing_layer_age *a = &out[l];

		memset(a, 0, sizeof(*a));
		a->oldest_days = -1;
		for (size_t i = 0; i < c->noffers; i++) {
			const struct pricing_offer *o = &c->offers[i];
			double d = pricing_as_of_age_days(o->as_of, now);

			if (!from_file(o, file))
				continue;
			a->offers++;
			a->too_old += pricing_offer_too_old(o, now, max_days);
			if (d > a->oldest_days) {
				a->oldest_days = d;
				a->oldest = o->as_of;
			}
		}
		free(file);
	}
}
