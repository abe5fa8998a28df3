/* A plan's on-prem pools: devices owned and bought, what the plan uses
 * of them month by month, and what owned devices cost whatever the plan
 * decides (committed costs, docs/scenario.md#owned-hardware). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

size_t model_months(const struct model_scenario *s)
{
	return (size_t)fmax(1, ceil(s->horizon / MODEL_MONTH - 1e-9));
}

void model_fold_months(const struct model_scenario *s, const double *per,
		       size_t nper, double period_s, double *months)
{
	size_t nm = model_months(s);

	memset(months, 0, nm * sizeof(*months));
	for (size_t t = 0; t < nper; t++) {
		double a = (double)t * period_s;
		double b = fmin((double)(t + 1) * period_s, s->horizon);

		/* the period's share in each month it overlaps */
		for (size_t m = (size_t)(a / MODEL_MONTH); m < nm && b > a;
		     m++) {
			double lo = fmax(a, (double)m * MODEL_MONTH);
			double hi = fmin(b, (double)(m + 1) * MODEL_MONTH);

			if (hi > lo)
				months[m] += per[t] * (hi - lo) / (b - a);
			if (hi >= b)
				break;
		}
	}
}

const struct pricing_offer *model_onprem_offer(const struct model_scenario *s,
					       const char *accel)
{
	const struct pricing_catalog *c = &s->catalog;

	for (size_t i = 0; i < c->noffers; i++)
		if (c->offers[i].family == PRICING_ONPREM &&
		    !strcmp(c->offers[i].accel, accel))
			return &c->offers[i];
	return NULL;
}

double model_offer_hosting_rate(const struct model_scenario *s,
				const struct pricing_offer *o,
				const char *accel)
{
	const struct pricing_accel *a =
		pricing_catalog_find_accel(&s->catalog, accel);
	double w = o && o->term[PRICING_POWER_W] > 0 ? o->term[PRICING_POWER_W]
		   : a				     ? a->tdp_w
						     : 0;

	return s->venues.colocation ? s->venues.colo_fee * w / 1000 : 0;
}

double model_hosting_rate(const struct model_scenario *s, const char *accel)
{
	return model_offer_hosting_rate(s, model_onprem_offer(s, accel), accel);
}

double model_owned_hosting(const struct model_scenario *s)
{
	double total = 0;

	for (size_t i = 0; i < s->venues.nowned; i++) {
		struct model_owned_cost c;

		model_owned_cost(s, i, &c);
		total += c.hosting;
	}
	return total;
}

void model_owned_cost(const struct model_scenario *s, size_t i,
		      struct model_owned_cost *out)
{
	const struct model_owned *info = &s->venues.owned_info[i];
	const struct pricing_offer *o =
		model_onprem_offer(s, s->venues.owned[i].accel);
	double n = s->venues.owned[i].amount, used, depreciable, pct;

	memset(out, 0, sizeof(*out));
	out->price = info->price >= 0 ? info->price
		     : o && o->term[PRICING_CAPEX] >= 0 ? o->term[PRICING_CAPEX]
							: 0;
	out->price_given = info->price >= 0;
	out->unpriced = !out->price_given && !o;
	out->life = info->life > 0 ? info->life
		    : o && o->term[PRICING_LIFETIME_YEARS] > 0
			    ? o->term[PRICING_LIFETIME_YEARS] * MODEL_YEAR
			    : 5 * MODEL_YEAR; /* docs/catalog.md's default */
	out->age = info->age;
	out->end_of_life = out->life - info->age; /* from the start */
	depreciable = fmax(out->price - info->residual, 0);
	/* straight line: the part of its life inside the horizon */
	used = fmax(0, fmin(s->horizon, out->end_of_life));
	out->capex = n * depreciable * used / out->life;
	out->residual_end = n * (out->price -
				 depreciable *
					 fmin(info->age + s->horizon,
					      out->life) /
					 out->life);
	pct = o ? fmax(o->term[PRICING_MAINTENANCE_PCT_YEAR], 0) : 0;
	/* maintained while they serve: until the end of their life */
	out->maintenance = n * out->price * pct / 100 *
			   fmin(s->horizon, fmax(out->end_of_life, 0)) /
			   MODEL_YEAR;
	out->hosting = n * model_hosting_rate(s, s->venues.owned[i].accel) *
		       fmin(s->horizon, fmax(out->end_of_life, 0));
}

/* The pool of accel in v, added when new. */
static struct model_pool *pool_of(struct model_pools *v, const char *accel,
				  size_t nm)
{
	struct model_pool *p;

	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->v[i].accel, accel))
			return &v->v[i];
	v->v = util_xreallocarray(v->v, v->n + 1, sizeof(*v->v));
	p = &v->v[v->n++];
	memset(p, 0, sizeof(*p));
	p->accel = accel;
	p->used = util_xcalloc(nm, sizeof(double));
	p->avail = util_xcalloc(nm, sizeof(double));
	p->end_of_life = INFINITY;
	return p;
}

/* Device-hours each month could give: owned devices until the end of
 * their life, bought ones from the month they arrive. */
static void availability(const struct model_scenario *s,
			 const struct model_plan *p, struct model_pool *pl)
{
	double *per = util_xcalloc(p->nperiods + 1, sizeof(double));

	for (size_t t = 0; t < p->nperiods; t++) {
		double t0 = (double)t * p->period_s;
		double len = fmin(p->period_s, s->horizon - t0);
		/* owned devices serve until the end of their life */
		double served = fmax(0, fmin(len, pl->end_of_life - t0));

		per[t] = (double)pl->owned * served / MODEL_HOUR;
		for (size_t b = 0; b < p->nbuy; b++)
			if (!strcmp(p->buy[b].accel, pl->accel) &&
			    (int)t >= p->buy[b].available_period)
				per[t] += (double)p->buy[b].count * len /
					  MODEL_HOUR;
	}
	model_fold_months(s, per, p->nperiods, p->period_s, pl->avail);
	free(per);
}

/* The first month the pool's planned work needs the plan's purchases:
 * their earliest shortfall (plan_orders.c), in months. */
static void saturation(const struct model_scenario *s,
		       const struct model_plan *p, struct model_pool *pl)
{
	(void)s;
	for (size_t b = 0; b < p->nbuy; b++) {
		const struct model_plan_purchase *x = &p->buy[b];
		int month;

		if (x->offer->family != PRICING_ONPREM ||
		    strcmp(x->accel, pl->accel) || x->short_first < 0)
			continue;
		month = (int)floor(x->short_first * p->period_s / MODEL_MONTH +
				   1e-9);
		if (pl->saturates < 0 || month < pl->saturates)
			pl->saturates = month;
		pl->short_dh += x->short_dh;
	}
}

/* What the plan uses of each pool, month by month. */
static void usage(const struct model_scenario *s, const struct model_plan *p,
		  struct model_pools *v, size_t nm)
{
	double *m = util_xcalloc(nm, sizeof(double));

	for (size_t i = 0; i < p->nassign; i++) {
		const struct model_plan_assignment *a = &p->assign[i];
		struct model_pool *pl;

		if (a->family != PRICING_ONPREM)
			continue;
		pl = pool_of(v, a->accel, nm);
		model_fold_months(s, a->period_device_hours, p->nperiods,
				  p->period_s, m);
		for (size_t k = 0; k < nm; k++)
			pl->used[k] += m[k];
		pl->running += a->cost;
	}
	free(m);
}

void model_plan_pools(const struct model_scenario *s,
		      const struct model_plan *p, struct model_pools *out)
{
	const struct model_venues *v = &s->venues;
	size_t nm = model_months(s);

	memset(out, 0, sizeof(*out));
	out->nmonths = nm;
	for (size_t i = 0; i < v->nowned; i++) {
		struct model_pool *pl = pool_of(out, v->owned[i].accel, nm);
		struct model_owned_cost c;

		model_owned_cost(s, i, &c);
		pl->owned = (long)v->owned[i].amount;
		pl->committed_capex = c.capex;
		pl->committed_maintenance = c.maintenance;
		pl->owned_cost = c;
		pl->end_of_life = c.end_of_life;
		pl->hosting += c.hosting;
	}
	for (size_t b = 0; b < p->nbuy; b++) {
		struct model_pool *pl;

		if (p->buy[b].offer->family != PRICING_ONPREM)
			continue;
		pl = pool_of(out, p->buy[b].accel, nm);
		pl->bought += p->buy[b].count;
		pl->capex += p->buy[b].capex;
		pl->hosting += p->buy[b].hosting;
		/* the plan pays maintenance for the share of the horizon it
		 * pays capex for: net capex = capex x horizon share / life */
		pl->maintenance +=
			p->buy[b].capex *
			fmax(p->buy[b].offer->term[PRICING_MAINTENANCE_PCT_YEAR],
			     0) /
			100 *
			fmax(p->buy[b].offer->term[PRICING_LIFETIME_YEARS], 0);
	}
	usage(s, p, out, nm);
	for (size_t i = 0; i < out->n; i++) {
		struct model_pool *pl = &out->v[i];
		double top = -1;

		availability(s, p, pl);
		pl->saturates = pl->busiest = -1;
		for (size_t k = 0; k < nm; k++) {
			pl->used_total += pl->used[k];
			pl->avail_total += pl->avail[k];
			if (pl->avail[k] > 0 && pl->used[k] / pl->avail[k] > top) {
				top = pl->used[k] / pl->avail[k];
				pl->busiest = (int)k;
			}
		}
		saturation(s, p, pl);
	}
}

void model_pools_release(struct model_pools *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->v[i].used);
		free(v->v[i].avail);
	}
	free(v->v);
	memset(v, 0, sizeof(*v));
}

/* From the start of s's first workload in e (entity index, or -1 for
 * workload wi alone) to the horizon's end, in seconds. */
static double stored_for(const struct model_scenario *s, int e, size_t wi)
{
	double from = s->horizon;

	for (size_t i = 0; i < s->nworkloads; i++)
		if (e >= 0 ? s->workloads[i].entity == e : i == wi)
			from = fmin(from, fmax(s->workloads[i].start, 0));
	return s->horizon - from;
}

double model_onprem_storage(const struct model_scenario *s, double *byte_s)
{
	size_t ne = model_scenario_entity_count(s);

	*byte_s = 0;
	for (size_t e = 0; e < ne; e++) {
		const struct model_entity *en = model_scenario_entity(s, e);
		double size = 0;

		for (size_t i = 0; i < s->nworkloads; i++)
			if (s->workloads[i].entity == (int)e)
				size += s->workloads[i].dataset;
		if (en->storage >= 0) /* the quota, else what it brings */
			size = en->storage;
		*byte_s += size * stored_for(s, (int)e, 0);
	}
	for (size_t i = 0; i < s->nworkloads; i++)
		if (s->workloads[i].entity < 0)
			*byte_s += s->workloads[i].dataset *
				   stored_for(s, -1, i);
	return s->venues.storage_cost > 0 ? *byte_s * s->venues.storage_cost
					  : 0;
}

void model_committed(const struct model_scenario *s, double *capex,
		     double *maintenance, double *fixed)
{
	double byte_s;

	const struct model_venues *v = &s->venues;
	double years = s->horizon / MODEL_YEAR;

	*capex = *maintenance = 0;
	for (size_t i = 0; i < v->nowned; i++) {
		struct model_owned_cost c;

		model_owned_cost(s, i, &c);
		*capex += c.capex;
		*maintenance += c.maintenance;
	}
	*fixed = (fmax(v->staff, 0) + fmax(v->overhead, 0)) * years *
			 MODEL_YEAR +
		 model_onprem_storage(s, &byte_s);
}

double model_plan_allocation_use(const struct model_scenario *s,
				 const struct model_plan *p, double *dh)
{
	double rgu_h = 0;

	*dh = 0;
	if (s->venues.rgu_years <= 0)
		return -1;
	for (size_t i = 0; i < p->nassign; i++) {
		const struct model_plan_assignment *a = &p->assign[i];

		if (a->family != PRICING_ACADEMIC || !a->offer)
			continue;
		*dh += a->device_hours;
		rgu_h += a->device_hours * a->offer->term[PRICING_RGU];
	}
	return rgu_h / (s->venues.rgu_years * (s->horizon / MODEL_HOUR));
}
