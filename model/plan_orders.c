/* When each purchase of a plan must be ordered, and what its absence
 * would leave without a device (docs/formulation.md, purchases over
 * time). Works on the plan alone, so a plan read back gets it too. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

/* Device-seconds of accel's owned devices in [t0, t1): each until the
 * end of its life (model_owned_cost). */
static double owned(const struct model_scenario *s, const char *accel,
		    double t0, double t1)
{
	double n = 0;

	for (size_t i = 0; i < s->venues.nowned; i++) {
		struct model_owned_cost c;

		if (strcmp(s->venues.owned[i].accel, accel))
			continue;
		model_owned_cost(s, i, &c);
		n += s->venues.owned[i].amount *
		     fmax(0, fmin(t1, c.end_of_life) - t0);
	}
	return n;
}

static bool on_pool(const struct model_plan_assignment *a, const char *accel)
{
	return a->family == PRICING_ONPREM && !strcmp(a->accel, accel) &&
	       a->period_device_hours;
}

/* Device-hours the pool of accel has in period t without purchase skip. */
static double capacity(const struct model_scenario *s,
		       const struct model_plan *p, const char *accel,
		       size_t skip, size_t t)
{
	double t0 = (double)t * p->period_s, t1 = t0 + p->period_s;
	double ds = owned(s, accel, t0, t1); /* device-seconds */

	for (size_t i = 0; i < p->nbuy; i++)
		if (i != skip && !strcmp(p->buy[i].accel, accel) &&
		    p->buy[i].offer->family == PRICING_ONPREM &&
		    (size_t)p->buy[i].available_period <= t)
			ds += (double)p->buy[i].count * p->period_s;
	return ds * model_const(s, MODEL_K_ONPREM_AVAILABILITY) / MODEL_HOUR;
}

/* Appends the names of the workloads on b's pool in periods
 * [first, last] to b->short_who. */
static void who(const struct model_plan *p, struct model_plan_purchase *b)
{
	struct util_buf names;

	util_buf_init(&names);
	for (size_t i = 0; i < p->nassign; i++) {
		const struct model_plan_assignment *a = &p->assign[i];
		double dh = 0;

		if (!on_pool(a, b->accel))
			continue;
		for (int t = b->short_first; t <= b->short_last; t++)
			dh += a->period_device_hours[t];
		if (dh > 0.05) /* one assignment per workload and pool */
			util_buf_printf(&names, "%s%s", names.len ? ", " : "",
					a->w->name);
	}
	b->short_who = util_buf_detach(&names);
}

static void shortfall(const struct model_scenario *s,
		      const struct model_plan *p, size_t k)
{
	struct model_plan_purchase *b = &p->buy[k];

	b->short_dh = 0;
	b->short_first = b->short_last = -1;
	for (size_t t = (size_t)b->available_period; t < p->nperiods; t++) {
		double used = 0, over;

		for (size_t i = 0; i < p->nassign; i++)
			if (on_pool(&p->assign[i], b->accel))
				used += p->assign[i].period_device_hours[t];
		over = used - capacity(s, p, b->accel, k, t);
		if (over <= 0.05)
			continue;
		b->short_dh += over;
		if (b->short_first < 0)
			b->short_first = (int)t;
		b->short_last = (int)t;
	}
	if (b->short_first >= 0)
		who(p, b);
}

/* The lead time of a purchase of offer o: the scenario's, else the
 * offer's. */
static double lead_of(const struct model_scenario *s,
		      const struct pricing_offer *o)
{
	for (size_t i = 0; i < s->venues.nbuy; i++)
		if (!strcmp(s->venues.buy[i].accel, o->accel) &&
		    s->venues.buy[i].lead_time >= 0)
			return s->venues.buy[i].lead_time;
	return fmax(o->term[PRICING_LEAD_TIME_WEEKS], 0) * MODEL_WEEK;
}

void model_plan_orders(const struct model_scenario *s, struct model_plan *p)
{
	for (size_t k = 0; k < p->nbuy; k++) {
		struct model_plan_purchase *b = &p->buy[k];

		free(b->short_who);
		b->short_who = NULL;
		if (b->offer->family != PRICING_ONPREM)
			continue;
		if (b->unit < 1)
			b->unit = 1;
		b->lead = lead_of(s, b->offer);
		b->order_by = b->available_period * p->period_s - b->lead;
		shortfall(s, p, k);
	}
}
