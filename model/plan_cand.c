/* Candidate venues of a plan: the catalog's offers the scenario allows,
 * priced per device-hour, with the on-prem pools and edge boards it can
 * buy, and dominated rentals dropped (docs/formulation.md). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "plan_int.h"

static bool in_list(char *const *v, size_t n, const char *s)
{
	if (!n)
		return true;
	for (size_t i = 0; i < n; i++)
		if (s && !strcasecmp(v[i], s))
			return true;
	return false;
}

static bool allowed(const struct plan_model *m, enum pricing_family f)
{
	if (m->opt->family >= 0 && (int)f != m->opt->family)
		return false;
	return m->s->venues.allow & (1u << f);
}

static struct cand *add(struct plan_model *m, enum cand_kind kind,
			const struct pricing_offer *o,
			const struct pricing_accel *a, enum pricing_family f)
{
	struct cand *c;

	UTIL_GROW(m->cands, m->ncands + 1, m->cands_alloc);
	c = &m->cands[m->ncands++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->family = f;
	c->offer = o;
	c->accel = a;
	c->sovereign = o ? o->sovereign : true;
	c->country = model_venue_country(m->s, o);
	c->name = o ? util_xstrdup(o->id)
		    : util_xasprintf("onprem-%s", a->name);
	return c;
}

/* Expected extra work per unit when a device fails or is taken back at
 * `hazard` per hour: half a checkpoint interval lost and a restart. */
static double rework(const struct plan_model *m, double hazard)
{
	const struct model_scenario *s = m->s;
	double ckpt = s->venues.checkpoint_interval > 0
			      ? s->venues.checkpoint_interval / MODEL_HOUR
			      : model_const(s, MODEL_K_CHECKPOINT_H);

	return hazard * (ckpt / 2 + model_const(s, MODEL_K_RESTART_MIN) / 60);
}

static double provision_h(const struct plan_model *m,
			  const struct pricing_offer *o)
{
	static const enum model_const dflt[PRICING_NFAMILIES] = {
		[PRICING_CLOUD] = MODEL_K_PROVISION_CLOUD_MIN,
		[PRICING_CLOUD_SPOT] = MODEL_K_PROVISION_CLOUD_MIN,
		[PRICING_GPUAAS] = MODEL_K_PROVISION_GPUAAS_MIN,
		[PRICING_INHOUSE] = MODEL_K_PROVISION_GPUAAS_MIN,
		[PRICING_DECENTRALIZED] = MODEL_K_PROVISION_MARKET_MIN,
	};

	if (o->term[PRICING_PROVISION_MIN] >= 0)
		return o->term[PRICING_PROVISION_MIN] / 60;
	return model_const(m->s, dflt[o->family]) / 60;
}

static bool rent_restricted(const struct plan_model *m,
			    const struct pricing_offer *o)
{
	const struct model_venues *v = &m->s->venues;

	if (o->family == PRICING_CLOUD || o->family == PRICING_CLOUD_SPOT)
		return !in_list(v->cloud_providers, v->ncloud_providers,
				o->provider) ||
		       !in_list(v->cloud_regions, v->ncloud_regions,
				o->region);
	if (o->family == PRICING_GPUAAS)
		return !in_list(v->gpuaas_providers, v->ngpuaas_providers,
				o->provider);
	return false;
}

static void add_rent(struct plan_model *m, const struct pricing_offer *o,
		     const struct pricing_accel *a)
{
	const double *t = o->term;
	struct cand *c = add(m, CAND_RENT, o, a, o->family);
	double price = t[PRICING_PRICE_HOUR];

	c->subscription = price < 0;
	if (price < 0) /* a subscription: its hours, fully used */
		price = t[PRICING_SUBSCRIPTION_MONTH] / t[PRICING_HOURS_MONTH];
	c->rate = price / (double)o->count;
	c->provision_h = provision_h(m, o);
	if (o->family == PRICING_CLOUD_SPOT)
		c->rework = rework(m, t[PRICING_PREEMPTION_PER_HOUR]);
	if (o->family == PRICING_DECENTRALIZED) /* failures over 24 h */
		c->rework = rework(m, -log(fmax(t[PRICING_RELIABILITY], 1e-6)) /
					      24);
	c->storage_gb_h = fmax(t[PRICING_STORAGE_GB_MONTH], 0) / 730;
	c->egress_gb = fmax(t[PRICING_EGRESS_GB], 0);
}

/* A committed term costs its hourly rate for whole terms: as many as
 * cover the horizon. */
static void add_commit(struct plan_model *m, const struct pricing_offer *o,
		       const struct pricing_accel *a)
{
	enum model_commitment k = m->s->venues.commitment;
	double rate = o->term[k == MODEL_COMMIT_1Y ? PRICING_COMMIT_1Y_HOUR
						   : PRICING_COMMIT_3Y_HOUR];
	double term_h = (k == MODEL_COMMIT_1Y ? 1 : 3) * MODEL_YEAR /
			MODEL_HOUR;
	struct cand *c;

	if (k == MODEL_COMMIT_NONE || rate < 0)
		return;
	c = add(m, CAND_COMMIT, o, a, PRICING_CLOUD);
	c->commit_fixed = rate / (double)o->count * term_h *
			  ceil(m->s->horizon / MODEL_HOUR / term_h - 1e-9);
	c->provision_h = provision_h(m, o);
	c->storage_gb_h = fmax(o->term[PRICING_STORAGE_GB_MONTH], 0) / 730;
	c->egress_gb = fmax(o->term[PRICING_EGRESS_GB], 0);
	free(c->name);
	c->name = util_xasprintf("%s@%s", o->id, model_commitment_names[k]);
}

/* The catalog's first offer of family f for accelerator a, or NULL. */
static const struct pricing_offer *offer_for(const struct pricing_catalog *cat,
					     enum pricing_family f,
					     const struct pricing_accel *a)
{
	for (size_t i = 0; i < cat->noffers; i++)
		if (cat->offers[i].family == f &&
		    !strcmp(cat->offers[i].accel, a->name))
			return &cat->offers[i];
	return NULL;
}

/* Electricity in money per kWh and PUE: the scenario's, else the
 * offer's, else the first on-prem offer of the catalog that has one. */
static void site_power(const struct plan_model *m,
		       const struct pricing_offer *o, double *kwh, double *pue)
{
	const struct model_venues *v = &m->s->venues;
	const struct pricing_catalog *cat = &m->s->catalog;

	*kwh = v->electricity >= 0 ? v->electricity * 3.6e6 : -1;
	*pue = v->pue >= 0 ? v->pue : -1;
	if (*kwh < 0 && o && o->term[PRICING_ELECTRICITY_KWH] >= 0)
		*kwh = o->term[PRICING_ELECTRICITY_KWH];
	if (*pue < 0 && o && o->term[PRICING_PUE] >= 0)
		*pue = o->term[PRICING_PUE];
	for (size_t i = 0; i < cat->noffers && (*kwh < 0 || *pue < 0); i++) {
		const double *t = cat->offers[i].term;

		if (*kwh < 0 && t[PRICING_ELECTRICITY_KWH] >= 0)
			*kwh = t[PRICING_ELECTRICITY_KWH];
		if (*pue < 0 && t[PRICING_PUE] >= 0)
			*pue = t[PRICING_PUE];
	}
	*kwh = fmax(*kwh, 0);
	*pue = *pue > 0 ? *pue : 1;
}

/* A device bought at the start loses its value in a straight line over
 * its lifetime and is replaced when it ends: the plan pays the share of
 * device lives the horizon uses up, horizon / lifetime of the capex. */
static double net_capex(const struct plan_model *m, double capex,
			double lifetime_y)
{
	return capex * (m->s->horizon / MODEL_YEAR) / lifetime_y;
}

double plan_hosted_s(const struct plan_model *m, const struct cand *c, int g)
{
	return fmax(m->s->horizon - c->gstart[g] * m->period_s, 0);
}

double plan_order_time(const struct plan_model *m, const struct cand *c,
		       int g)
{
	if (g == 0)
		return 0;
	return fmax(c->gstart[g] * m->period_s - c->lead_s, 0);
}

static void add_pool(struct plan_model *m, const struct pricing_accel *a,
		     long owned, double retire_s, const struct model_buy *b)
{
	const struct pricing_offer *o =
		offer_for(&m->s->catalog, PRICING_ONPREM, a);
	struct cand *c = add(m, CAND_POOL, o, a, PRICING_ONPREM);
	double kwh, pue, years = m->s->horizon / MODEL_YEAR, lead;

	c->sovereign = true;
	c->country = m->s->country;
	c->owned = owned;
	c->retire_s = retire_s;
	site_power(m, o, &kwh, &pue);
	/* in colocation with the power in the fee, no energy is billed */
	c->energy = m->s->venues.colocation && m->s->venues.colo_power_included
			    ? 0
			    : pue * kwh;
	c->hosting = model_offer_hosting_rate(m->s, o, a->name);
	if (o) {
		double capex = o->term[PRICING_CAPEX];
		double pct = fmax(o->term[PRICING_MAINTENANCE_PCT_YEAR], 0);

		c->maintenance = capex * pct / 100 * years;
		c->capex = capex;
		c->capex_net = net_capex(m, capex,
					 o->term[PRICING_LIFETIME_YEARS]);
	}
	if (b && o) {
		lead = b->lead_time >= 0
			       ? b->lead_time
			       : fmax(o->term[PRICING_LEAD_TIME_WEEKS], 0) *
					 MODEL_WEEK;
		c->buy_max = b->max;
		c->buy_min = b->min;
		c->avail_period = (int)ceil(lead / m->period_s - 1e-9);
		c->unit = b->unit > 0 ? b->unit : 1;
		c->lead_s = lead;
		c->ngroups = 1; /* plan_columns adds later dates */
		c->gstart[0] = c->avail_period;
	}
}

static const struct model_buy *find_buy(const struct model_venues *v,
					const char *accel)
{
	for (size_t i = 0; i < v->nbuy; i++)
		if (!strcmp(v->buy[i].accel, accel))
			return &v->buy[i];
	return NULL;
}

/* One pool per accelerator owned or to buy. */
static void add_pools(struct plan_model *m)
{
	const struct model_venues *v = &m->s->venues;
	const struct pricing_catalog *cat = &m->s->catalog;

	for (size_t i = 0; i < v->nowned; i++) {
		struct model_owned_cost oc;

		/* retired at the end of their life (docs/scenario.md) */
		model_owned_cost(m->s, i, &oc);
		add_pool(m, pricing_catalog_find_accel(cat, v->owned[i].accel),
			 (long)v->owned[i].amount,
			 oc.end_of_life < m->s->horizon ? oc.end_of_life
							: INFINITY,
			 find_buy(v, v->owned[i].accel));
	}
	for (size_t i = 0; i < v->nbuy; i++) {
		bool owned = false;

		for (size_t j = 0; j < v->nowned; j++)
			owned |= !strcmp(v->owned[j].accel, v->buy[i].accel);
		if (!owned)
			add_pool(m, pricing_catalog_find_accel(cat,
							       v->buy[i].accel),
				 0, INFINITY, &v->buy[i]);
	}
}

static void add_edge(struct plan_model *m, const struct pricing_offer *o,
		     const struct pricing_accel *a)
{
	struct cand *c = add(m, CAND_EDGE, o, a, PRICING_EDGE);
	double kwh, pue;

	site_power(m, NULL, &kwh, &pue);
	c->energy = kwh; /* boards on site: no PUE */
	c->capex = o->term[PRICING_UNIT_PRICE] / (double)o->count;
	c->capex_net = net_capex(m, c->capex, o->term[PRICING_LIFETIME_YEARS]);
	c->buy_max = -1;
	c->unit = 1; /* boards work at once, bought at the start */
	c->ngroups = 1;
}

static void add_academic(struct plan_model *m, const struct pricing_offer *o,
			 const struct pricing_accel *a)
{
	const struct model_venues *v = &m->s->venues;
	struct cand *c;

	if (!in_list(v->clusters, v->nclusters, o->cluster))
		return;
	c = add(m, CAND_ACADEMIC, o, a, PRICING_ACADEMIC);
	c->rate = fmax(o->term[PRICING_FEE_RGU_YEAR], 0) *
		  o->term[PRICING_RGU] / (MODEL_YEAR / MODEL_HOUR);
	c->provision_h = o->queue_p90_h;
}

static bool same_text(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/* a makes b useless: same kind of device in the same family, as fast to
 * get, as reliable, and no dearer; in the same country when a residency
 * rule may tell them apart. Ties keep the first. */
static bool dominates(const struct cand *a, const struct cand *b, bool first,
		      bool residency)
{
	double ca = a->rate * (1 + a->rework), cb = b->rate * (1 + b->rework);

	if (residency && !same_text(a->country, b->country))
		return false;
	if (a->kind != CAND_RENT || b->kind != CAND_RENT ||
	    a->subscription != b->subscription ||
	    a->family != b->family || a->accel != b->accel ||
	    a->offer->count != b->offer->count ||
	    a->sovereign != b->sovereign || a->provision_h > b->provision_h ||
	    a->rework > b->rework || a->storage_gb_h > b->storage_gb_h ||
	    a->egress_gb > b->egress_gb || ca > cb)
		return false;
	return ca < cb || a->provision_h < b->provision_h ||
	       a->rework < b->rework || first;
}

/* A candidate some workload is pinned to stays, dominated or not. */
static bool pinned(const struct plan_model *m, const struct cand *c)
{
	for (size_t w = 0; w < m->s->nworkloads; w++)
		if (m->s->workloads[w].pinned &&
		    plan_pin_matches(&m->s->workloads[w], c))
			return true;
	return false;
}

static void drop_dominated(struct plan_model *m)
{
	size_t out = 0;
	bool residency = false;

	for (size_t w = 0; w < m->s->nworkloads; w++)
		residency |= m->s->workloads[w].residency.ncountries > 0;
	for (size_t i = 0; i < m->ncands; i++) {
		/* once per candidate: it scans every workload */
		bool dominated = false, pin = pinned(m, &m->cands[i]);

		for (size_t j = 0; j < m->ncands && !dominated && !pin; j++)
			dominated = j != i && dominates(&m->cands[j],
							&m->cands[i], j < i,
							residency);
		if (dominated) {
			free(m->cands[i].name);
			continue;
		}
		m->cands[out++] = m->cands[i];
	}
	m->ncands = out;
}

/* Devices owned cost their maintenance (and colocation fees) whatever
 * the plan, even one that leaves them idle (--family): a fixed cost of
 * every plan. */
static void owned_maintenance(struct plan_model *m)
{
	for (size_t i = 0; i < m->s->venues.nowned; i++) {
		struct model_owned_cost c;

		model_owned_cost(m->s, i, &c);
		m->fixed += c.maintenance + c.hosting;
		m->fixed_cost[MODEL_COST_MAINTENANCE] += c.maintenance;
		m->fixed_cost[MODEL_COST_HOSTING] += c.hosting;
	}
}

/* One venue is one site: a provider's region in one family (its
 * instance types and commitments alike), the on-prem pools together, an
 * academic cluster. */
static bool same_venue(const struct cand *a, const struct cand *b)
{
	if (a->kind == CAND_POOL || b->kind == CAND_POOL)
		return a->kind == b->kind;
	if (!a->offer || !b->offer || a->family != b->family)
		return false;
	return same_text(a->offer->provider, b->offer->provider) &&
	       same_text(a->offer->region, b->offer->region) &&
	       same_text(a->offer->cluster, b->offer->cluster);
}

/* m->venue[c]: the first candidate of c's venue */
static void venues(struct plan_model *m)
{
	int *v = util_xcalloc(m->ncands + 1, sizeof(*v));

	for (size_t c = 0; c < m->ncands; c++) {
		v[c] = (int)c;
		for (size_t j = 0; j < c && v[c] == (int)c; j++)
			if (same_venue(&m->cands[j], &m->cands[c]))
				v[c] = v[j];
	}
	m->venue = v;
}

bool plan_one_venue(const struct plan_model *m, size_t w)
{
	const struct model_workload *wl = m->wls[w].w;

	return wl->kind == MODEL_TEACHING && wl->teaching.one_venue;
}

bool plan_venue_open(const struct plan_model *m, const struct xcol *x)
{
	size_t at = (size_t)x->w * m->ncands + (size_t)m->venue[x->c];

	if (!plan_one_venue(m, (size_t)x->w))
		return true;
	return (!m->venue_used || m->venue_used[at]) &&
	       (!m->venue_keep || m->venue_keep[at]);
}

int plan_candidates(struct plan_model *m, struct util_err *err)
{
	const struct pricing_catalog *cat = &m->s->catalog;

	(void)err;
	owned_maintenance(m);
	for (size_t i = 0; i < cat->noffers; i++) {
		const struct pricing_offer *o = &cat->offers[i];
		const struct pricing_accel *a =
			pricing_catalog_find_accel(cat, o->accel);

		if (!a || !allowed(m, o->family))
			continue;
		switch (o->family) {
		case PRICING_CLOUD:
			if (rent_restricted(m, o))
				break;
			add_rent(m, o, a);
			add_commit(m, o, a);
			break;
		case PRICING_CLOUD_SPOT:
		case PRICING_GPUAAS:
		case PRICING_INHOUSE:
		case PRICING_DECENTRALIZED:
			if (!rent_restricted(m, o))
				add_rent(m, o, a);
			break;
		case PRICING_ACADEMIC:
			if (m->s->venues.rgu_years > 0)
				add_academic(m, o, a);
			break;
		case PRICING_EDGE:
			add_edge(m, o, a);
			break;
		default: /* on-prem: pools below, from what is owned */
			break;
		}
	}
	if (allowed(m, PRICING_ONPREM))
		add_pools(m);
	drop_dominated(m);
	venues(m);
	return 0;
}

/* Keeps the reason text of rank (1 weak, 2 residency, 3 any other, 3 +
 * n a layout of n devices too small) in w and f's slot unless the one
 * there ranks as high. */
static void put_reason(struct plan_model *m, size_t w, enum pricing_family f,
		       int rank, const char *fmt, va_list ap) UTIL_PRINTF(5, 0);
static void put_reason(struct plan_model *m, size_t w, enum pricing_family f,
		       int rank, const char *fmt, va_list ap)
{
	struct util_buf b;

	if (m->reason[w][f] && m->reason_rank[w][f] >= rank)
		return;
	util_buf_init(&b);
	util_buf_vprintf(&b, fmt, ap);
	free(m->reason[w][f]);
	m->reason[w][f] = util_buf_detach(&b);
	m->reason_rank[w][f] = rank;
}

void plan_reason(struct plan_model *m, size_t w, enum pricing_family f,
		 const char *fmt, ...)
{
	va_list ap;
	int rank = strstr(fmt, PLAN_REASON_WEAK)	   ? 1
		   : strstr(fmt, PLAN_REASON_RESIDENCY) ? 2
							: 3;

	va_start(ap, fmt);
	put_reason(m, w, f, rank, fmt, ap);
	va_end(ap);
}

void plan_reason_small(struct plan_model *m, size_t w, enum pricing_family f,
		       int n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_reason(m, w, f, 3 + n, fmt, ap);
	va_end(ap);
}
