/* The `venues:` block of a scenario. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scenario_int.h"

#define CLOUD_FAMILIES ((1u << PRICING_CLOUD) | (1u << PRICING_CLOUD_SPOT))

static const char *const venue_keys[] = {
	"allow", "cloud", "cloud-spot", "gpuaas", "onprem", "academic",
	"decentralized"};
static const char *const cloud_keys[] = {"providers", "regions",
					 "commitment"};
static const char *const spot_keys[] = {"checkpoint_interval"};
static const char *const gpuaas_keys[] = {"providers"};
static const char *const onprem_keys[] = {
	"owned", "buy", "electricity", "pue", "link", "storage_per_entity",
	"staff", "overhead", "storage_cost", "hosting"};
static const char *const hosting_keys[] = {"kind", "fee", "power_included"};
static const char *const hosting_kinds[] = {"on-site", "colocation"};
static const char *const buy_keys[] = {"min", "max", "lead_time", "unit"};
static const char *const academic_keys[] = {"allocation", "account",
					    "clusters"};
static const char *const market_keys[] = {"max_gpus"};

static int load_allow(struct sload *l, struct util_ymap *m)
{
	struct model_venues *v = &l->s->venues;
	const yaml_node_t *seq = util_ymap_get(m, "allow");
	char **names = NULL;
	size_t n = 0;
	int rc = util_ymap_strv(m, "allow", &names, &n);

	v->allow = PRICING_DEFAULT_FAMILIES;
	if (rc == 1 && n == 0)
		rc = util_yerr(l->y, l->d, seq, "'venues.allow' is empty: no "
			       "venue family could run anything (leave it "
			       "out to allow them all)");
	if (rc == 1) {
		v->allow = 0;
		for (size_t i = 0; i < n; i++) {
			int f = pricing_family_parse(names[i]);
			const char *near;

			if (f >= 0) {
				v->allow |= 1u << f;
				continue;
			}
			near = util_nearest(names[i], pricing_family_names,
					    PRICING_NFAMILIES);
			rc = util_yerr(l->y, l->d,
				       util_yseq_item(l->y, seq, i),
				       "unknown venue family '%s' in "
				       "'venues.allow' (%s%s%s)",
				       names[i],
				       near ? "did you mean '" : "expected "
				       "cloud, cloud-spot, gpuaas, onprem, "
				       "academic, decentralized, edge or "
				       "inhouse",
				       near ? near : "", near ? "'?" : "");
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc < 0 ? rc : 0;
}

/* The same accelerator twice, under two spellings or an alias. */
static int check_twice(struct sload *l, struct util_ymap *m, size_t i,
		       size_t j, const char *accel, const char *earlier)
{
	/* the same spelling twice is a duplicate key, already reported */
	if (!accel || !earlier || strcmp(accel, earlier) ||
	    !strcmp(util_yscalar(util_ymap_key(m, i)),
		    util_yscalar(util_ymap_key(m, j))))
		return 0;
	return util_yerr(l->y, l->d, util_ymap_key(m, i), "'%s' appears twice "
			 "in %s (as '%s' and '%s')", accel, m->ctx,
			 util_yscalar(util_ymap_key(m, j)),
			 util_yscalar(util_ymap_key(m, i)));
}

/* Boards owned in venues.onprem are a pool in the data centre, not
 * boards at the sites: the planner never gives them work placed on the
 * edge, and buys boards for it instead (the edge trial's 40 Orin Nanos
 * owned and 40 more bought), so the file is told. */
static void warn_owned_board(struct sload *l, const yaml_node_t *k,
			     const char *accel)
{
	const struct pricing_accel *a =
		pricing_catalog_find_accel(&l->s->catalog, accel);

	if (a && a->cls == PRICING_EDGE_CLASS)
		util_ywarn(l->y, l->d, k, "'%s' in 'venues.onprem.owned' is "
			   "an edge board: owned ones form an on-prem pool, "
			   "which work with 'placement: edge' does not use "
			   "(the plan buys boards for it from the catalog's "
			   "edge offers)", accel);
}

static bool has_onprem_offer(const struct pricing_catalog *c,
			     const char *accel);

/* An owned accelerator without an on-prem offer has no
 * maintenance_pct_year to charge its upkeep by (nor a capex for its
 * price when the scenario gives none): the totals count no maintenance
 * for it, which would make keeping it look cheaper than it is (the
 * manager's trial: 4 A100-40GB owned, 'keep' priced without upkeep),
 * so the file is told. Edge boards have their own warning. */
static void warn_owned_no_offer(struct sload *l, const yaml_node_t *k,
				const char *accel, bool priced)
{
	const struct pricing_accel *a =
		pricing_catalog_find_accel(&l->s->catalog, accel);

	if (!a || a->cls == PRICING_EDGE_CLASS ||
	    has_onprem_offer(&l->s->catalog, accel))
		return;
	util_ywarn(l->y, l->d, k, "'%s' in 'venues.onprem.owned': the "
		   "catalog has no on-prem offer of it, whose "
		   "maintenance_pct_year would price their upkeep: the totals "
		   "count no maintenance for these devices%s; add an on-prem "
		   "offer of '%s'%s with --catalog or the scenario's "
		   "'catalog:' block (docs/catalog.md)%s", accel,
		   priced ? "" : ", and without a 'price' no depreciation "
				 "either (plans and chargeback rates see only "
				 "their power)",
		   accel, priced ? "" : " (its capex prices them too)",
		   priced ? "" : ", or at least give {count: N, price: ...}");
}

/* owned: {L40S: 8, H200: {count: 16, price: 38k, ...}} */
static int load_owned(struct sload *l, struct util_ymap *onprem)
{
	struct model_venues *v = &l->s->venues;
	struct util_ymap m;
	int rc = sl_submap(l, onprem, "owned", NULL, 0, &m);

	v->nowned = util_ymap_len(&m);
	v->owned = util_xcalloc(v->nowned + 1, sizeof(*v->owned));
	v->owned_info = util_xcalloc(v->nowned + 1, sizeof(*v->owned_info));
	for (size_t i = 0; i < v->nowned; i++) {
		const yaml_node_t *k = util_ymap_key(&m, i);
		const char *key = util_yscalar(k);

		if (!key || sl_accel(l, k, key, &v->owned[i].accel) < 0) {
			rc = UTIL_E_INPUT;
			continue;
		}
		warn_owned_board(l, k, v->owned[i].accel);
		if (model_load_owned(l, &m, i))
			rc = UTIL_E_INPUT;
		else if (v->owned[i].amount > 0)
			warn_owned_no_offer(l, k, v->owned[i].accel,
					    v->owned_info[i].price >= 0);
		for (size_t j = 0; j < i; j++)
			rc |= check_twice(l, &m, i, j, v->owned[i].accel,
					  v->owned[j].accel);
	}
	return rc;
}

static bool has_onprem_offer(const struct pricing_catalog *c,
			     const char *accel)
{
	for (size_t i = 0; i < c->noffers; i++)
		if (c->offers[i].family == PRICING_ONPREM &&
		    !strcmp(c->offers[i].accel, accel))
			return true;
	return false;
}

/* max and min count devices, bought by whole units (servers). */
static int not_whole_units(struct sload *l, struct util_ymap *bm,
			   const char *key, const struct model_buy *b)
{
	const char *what = b->max % b->unit ? "max" : "min";
	long v = b->max % b->unit ? b->max : b->min;

	return util_yerr(l->y, l->d, util_ymap_get(bm, what),
			 "'venues.onprem.buy.%s.%s' (%ld) is not a whole "
			 "number of units of %ld devices (a server): make it "
			 "%ld or %ld", key, what, v, b->unit,
			 v / b->unit * b->unit, (v / b->unit + 1) * b->unit);
}

/* buy: {H200: {min: 8, max: 16, lead_time: 12w, unit: 8}} */
static int load_buy(struct sload *l, struct util_ymap *onprem)
{
	struct model_venues *v = &l->s->venues;
	struct util_ymap m;
	int rc = sl_submap(l, onprem, "buy", NULL, 0, &m);

	v->nbuy = util_ymap_len(&m);
	v->buy = util_xcalloc(v->nbuy + 1, sizeof(*v->buy));
	for (size_t i = 0; i < v->nbuy; i++) {
		const yaml_node_t *k = util_ymap_key(&m, i);
		const char *key = util_yscalar(k);
		struct model_buy *b = &v->buy[i];
		struct util_ymap bm;
		char ctx[120];

		b->lead_time = MODEL_UNSET;
		b->unit = 1;
		if (!key || sl_accel(l, k, key, &b->accel) < 0) {
			rc = UTIL_E_INPUT;
			continue;
		}
		snprintf(ctx, sizeof(ctx), "'venues.onprem.buy.%s'", key);
		if (util_ymap_open(&bm, l->y, l->d, util_ymap_value(&m, i),
				   ctx, buy_keys, UTIL_ARRAY_SIZE(buy_keys)))
			rc = UTIL_E_INPUT;
		for (size_t j = 0; j < i; j++)
			rc |= check_twice(l, &m, i, j, b->accel,
					  v->buy[j].accel);
		if (!has_onprem_offer(&l->s->catalog, b->accel))
			rc = util_yerr(l->y, l->d, k, "cannot buy '%s': no "
				       "on-prem offer of it in the catalog "
				       "gives its price (add one with "
				       "--catalog)", b->accel);
		if (sl_count(&bm, "max", UTIL_Y_REQUIRED, 0, 1000000,
			     &b->max) < 0 ||
		    sl_count(&bm, "min", 0, 0, 1000000, &b->min) < 0 ||
		    sl_qty(&bm, "lead_time", 0, MODEL_DIM_DURATION, 0,
			   &b->lead_time) < 0 ||
		    sl_count(&bm, "unit", 0, 1, 1024, &b->unit) < 0)
			rc = UTIL_E_INPUT;
		else if (b->max % b->unit || b->min % b->unit)
			rc = not_whole_units(l, &bm, key, b);
		else if (b->min > b->max)
			rc = util_yerr(l->y, l->d, util_ymap_get(&bm, "min"),
				       "'venues.onprem.buy.%s.min' (%ld) is "
				       "more than its max (%ld)",
				       key, b->min, b->max);
	}
	return rc;
}

/* fee: 450/month per kW (money per time, per kW of rated power) */
static int load_colo_fee(struct sload *l, struct util_ymap *h, double *fee)
{
	static const char per[] = " per kW";
	const char *text = NULL;
	struct util_err err;
	size_t len;
	char *num;
	int rc = util_ymap_str(h, "fee", 0, &text);

	if (rc != 1)
		return rc;
	len = strlen(text);
	if (len <= strlen(per) ||
	    strcasecmp(text + len - strlen(per), per))
		return util_ymap_err(h, util_ymap_get(h, "fee"),
				     "'fee' in %s: expected money per time "
				     "per kW of the devices' rated power, e.g. "
				     "'450/month per kW'",
				     h->ctx);
	num = util_xstrndup(text, len - strlen(per));
	rc = model_units_parse(num, MODEL_DIM_MONEY_PER_TIME,
			       MODEL_UNITS_POSITIVE, fee, &err);
	free(num);
	if (rc)
		return util_ymap_err(h, util_ymap_get(h, "fee"),
				     "'fee' in %s: %s", h->ctx, err.msg);
	return sl_money_currency(l, h, "fee", text) < 0 ? -1 : 1;
}

/* hosting: {kind: colocation, fee: 450/month per kW, power_included:
 * true}: where the pool's devices are hosted (docs/scenario.md) */
static int load_hosting(struct sload *l, struct util_ymap *onprem)
{
	struct model_venues *v = &l->s->venues;
	struct util_ymap h;
	int kind = 0, rc;

	v->colo_power_included = true;
	if (!util_ymap_get(onprem, "hosting"))
		return 0;
	rc = sl_submap(l, onprem, "hosting", hosting_keys,
		       UTIL_ARRAY_SIZE(hosting_keys), &h);
	if (rc)
		return rc;
	if (sl_enum(&h, "kind", UTIL_Y_REQUIRED, hosting_kinds,
		    UTIL_ARRAY_SIZE(hosting_kinds), &kind) < 0 ||
	    util_ymap_bool(&h, "power_included", 0,
			   &v->colo_power_included) < 0)
		return UTIL_E_INPUT;
	v->colocation = kind == 1;
	rc = load_colo_fee(l, &h, &v->colo_fee);
	if (rc < 0)
		return UTIL_E_INPUT;
	if (rc == 1 && !v->colocation) {
		util_ymap_err(&h, util_ymap_get(&h, "fee"),
			      "'fee' in %s is a colocation fee, but kind is "
			      "on-site", h.ctx);
		return UTIL_E_INPUT;
	}
	v->colo_fee_default = v->colocation && rc == 0;
	if (v->colo_fee_default) { /* the embedded estimate, in USD */
		double usd = model_fx_rate(l->s, "USD");

		if (usd <= 0)
			usd = model_fx_default("USD", l->s->currency);
		if (usd <= 0) {
			util_ymap_err(&h, util_ymap_get(onprem, "hosting"),
				      "%s: no exchange rate from USD to %s for "
				      "the default colocation fee: give one "
				      "(fee: N/month per kW)", h.ctx,
				      l->s->currency);
			return UTIL_E_INPUT;
		}
		v->colo_fee = MODEL_COLO_FEE_USD * usd / MODEL_MONTH;
	}
	return 0;
}

static int load_onprem(struct sload *l, struct util_ymap *venues)
{
	struct model_venues *v = &l->s->venues;
	struct util_ymap m;
	int rc = sl_submap(l, venues, "onprem", onprem_keys,
			   UTIL_ARRAY_SIZE(onprem_keys), &m);

	rc |= load_owned(l, &m);
	rc |= load_buy(l, &m);
	rc |= sl_money(l, &m, "electricity", MODEL_DIM_MONEY_PER_ENERGY,
		       &v->electricity) < 0;
	rc |= util_ymap_num(&m, "pue", 0, 1, 5, &v->pue) < 0;
	rc |= sl_qty(&m, "link", 0, MODEL_DIM_BANDWIDTH,
		     MODEL_UNITS_POSITIVE, &v->link) < 0;
	rc |= sl_qty(&m, "storage_per_entity", 0, MODEL_DIM_SIZE, 0,
		     &v->storage_per_entity) < 0;
	/* fixed costs of running the pool, money per year: staff, rooms */
	rc |= sl_money(l, &m, "staff", MODEL_DIM_MONEY_PER_TIME, &v->staff) <
	      0;
	rc |= sl_money(l, &m, "overhead", MODEL_DIM_MONEY_PER_TIME,
		       &v->overhead) < 0;
	/* the artifact store's own cost, per size and time (issue 25) */
	rc |= sl_money(l, &m, "storage_cost", MODEL_DIM_MONEY_PER_SIZE_TIME,
		       &v->storage_cost) < 0;
	rc |= load_hosting(l, &m);
	return rc ? UTIL_E_INPUT : 0;
}

/* allocation: 40 RGU-years */
static int load_allocation(struct util_ymap *m, double *rgu_years)
{
	const char *text = NULL, *unit;
	char *num = NULL;
	int rc = util_ymap_str(m, "allocation", 0, &text), bad;
	double x = -1;
	size_t n;

	if (rc != 1)
		return rc;
	unit = strstr(text, "RGU-year");
	if (unit) {
		n = (size_t)(unit - text);
		while (n && text[n - 1] == ' ')
			n--;
		num = util_xstrndup(text, n);
	}
	bad = !unit || util_parse_double(num, &x) || !(x >= 0 && x < 1e9) ||
	      (strcmp(unit, "RGU-years") && strcmp(unit, "RGU-year"));
	free(num);
	if (bad)
		return util_ymap_err(m, util_ymap_get(m, "allocation"),
				     "'allocation' in %s must be an amount "
				     "of reference GPU units over a year, "
				     "e.g. '40 RGU-years', got '%s'",
				     m->ctx, text);
	*rgu_years = x;
	return 1;
}

/* Each of venues.academic.clusters must be named by an academic offer. */
static int check_clusters(struct sload *l, struct util_ymap *m)
{
	const struct pricing_catalog *c = &l->s->catalog;
	const struct model_venues *v = &l->s->venues;
	const yaml_node_t *seq = util_ymap_get(m, "clusters");
	const char **names = util_xcalloc(c->noffers + 1, sizeof(*names));
	size_t n = 0;
	int rc = 0;

	for (size_t j = 0; j < c->noffers; j++)
		if (c->offers[j].cluster)
			names[n++] = c->offers[j].cluster;
	for (size_t i = 0; i < v->nclusters; i++) {
		const char *cl = v->clusters[i], *near;
		bool found = false;

		for (size_t j = 0; j < n && !found; j++)
			found = !strcasecmp(names[j], cl);
		/* "": an item that is not a name, which util_ymap_strv reported */
		if (found || !*cl)
			continue;
		near = util_nearest(cl, names, n);
		rc = util_yerr(l->y, l->d, util_yseq_item(l->y, seq, i),
			       "unknown academic cluster '%s' (%s%s%s)", cl,
			       near ? "did you mean '" : "no academic offer "
			       "in the catalog names it",
			       near ? near : "", near ? "'?" : "");
	}
	free(names);
	return rc;
}

static int load_academic(struct sload *l, struct util_ymap *venues)
{
	struct model_venues *v = &l->s->venues;
	struct util_ymap m;
	const char *acct = NULL;
	int rc = sl_submap(l, venues, "academic", academic_keys,
			   UTIL_ARRAY_SIZE(academic_keys), &m);

	rc |= load_allocation(&m, &v->rgu_years) < 0;
	rc |= util_ymap_strv(&m, "clusters", &v->clusters, &v->nclusters) < 0;
	if (util_ymap_str(&m, "account", 0, &acct) < 0)
		rc = UTIL_E_INPUT;
	else if (acct)
		v->account = util_xstrdup(acct);
	/* it goes on #SBATCH lines: a plain word (docs/security.md) */
	if (acct && (!util_ident_ok(acct) || strchr(acct, '.'))) {
		char shown[80];

		util_escape(acct, shown, sizeof(shown));
		rc = util_ymap_err(&m, util_ymap_get(&m, "account"),
				   "account '%s' may hold only letters, digits, "
				   "'_' and '-', beginning with a letter or "
				   "digit", shown);
	}
	if (!l->catalog_failed) /* it may be in what failed to load */
		rc |= check_clusters(l, &m);
	return rc ? UTIL_E_INPUT : 0;
}

/* Each name of list (providers or regions) must appear in some offer of
 * the families in mask: a typo would otherwise silently rule out every
 * offer. region selects offers' regions instead of their providers. */
static int check_offer_names(struct sload *l, struct util_ymap *m,
			     const char *key, char *const *list, size_t n,
			     unsigned mask, bool region)
{
	const struct pricing_catalog *c = &l->s->catalog;
	const yaml_node_t *seq = util_ymap_get(m, key);
	const char **seen;
	size_t nseen = 0;
	int rc = 0;

	if (l->catalog_failed) /* it may be in what failed to load */
		return 0;
	seen = util_xcalloc(c->noffers + 1, sizeof(*seen));
	for (size_t j = 0; j < c->noffers; j++) {
		const char *name = region ? c->offers[j].region
					  : c->offers[j].provider;

		if (name && (mask & (1u << c->offers[j].family)))
			seen[nseen++] = name;
	}
	for (size_t i = 0; i < n; i++) {
		const char *near;
		bool found = false;

		found = !*list[i]; /* not a name: util_ymap_strv said so */
		for (size_t j = 0; j < nseen && !found; j++)
			found = !strcasecmp(seen[j], list[i]);
		if (found)
			continue;
		near = util_nearest(list[i], seen, nseen);
		rc = util_yerr(l->y, l->d, util_yseq_item(l->y, seq, i),
			       "unknown %s '%s' in %s: no %s offer of the "
			       "catalog has it%s%s%s",
			       region ? "region" : "provider", list[i], m->ctx,
			       mask == CLOUD_FAMILIES ? "cloud or cloud-spot"
						      : "gpuaas",
			       near ? " (did you mean '" : "", near ? near : "",
			       near ? "'?)" : "");
	}
	free(seen);
	return rc;
}

int model_load_venues(struct sload *l, struct util_ymap *top)
{
	struct model_venues *v = &l->s->venues;
	struct util_ymap m, sub;
	int rc, c = MODEL_COMMIT_NONE;

	v->allow = PRICING_DEFAULT_FAMILIES;
	v->electricity = v->pue = v->link = MODEL_UNSET;
	v->storage_per_entity = v->checkpoint_interval = MODEL_UNSET;
	v->staff = v->overhead = v->storage_cost = MODEL_UNSET;
	rc = sl_submap(l, top, "venues", venue_keys,
		       UTIL_ARRAY_SIZE(venue_keys), &m);
	rc |= load_allow(l, &m);
	rc |= sl_submap(l, &m, "cloud", cloud_keys,
			UTIL_ARRAY_SIZE(cloud_keys), &sub);
	rc |= util_ymap_strv(&sub, "providers", &v->cloud_providers,
			 &v->ncloud_providers) < 0;
	rc |= util_ymap_strv(&sub, "regions", &v->cloud_regions,
			 &v->ncloud_regions) < 0;
	rc |= check_offer_names(l, &sub, "providers", v->cloud_providers,
				v->ncloud_providers, CLOUD_FAMILIES, false);
	rc |= check_offer_names(l, &sub, "regions", v->cloud_regions,
				v->ncloud_regions, CLOUD_FAMILIES, true);
	rc |= sl_enum(&sub, "commitment", 0, model_commitment_names, 3, &c) <
	      0;
	v->commitment = (enum model_commitment)c;
	rc |= sl_submap(l, &m, "cloud-spot", spot_keys, 1, &sub);
	rc |= sl_qty(&sub, "checkpoint_interval", 0, MODEL_DIM_DURATION,
		     MODEL_UNITS_POSITIVE, &v->checkpoint_interval) < 0;
	rc |= sl_submap(l, &m, "gpuaas", gpuaas_keys, 1, &sub);
	rc |= util_ymap_strv(&sub, "providers", &v->gpuaas_providers,
			 &v->ngpuaas_providers) < 0;
	rc |= check_offer_names(l, &sub, "providers", v->gpuaas_providers,
				v->ngpuaas_providers, 1u << PRICING_GPUAAS,
				false);
	rc |= load_onprem(l, &m);
	rc |= load_academic(l, &m);
	rc |= sl_submap(l, &m, "decentralized", market_keys, 1, &sub);
	rc |= sl_count(&sub, "max_gpus", 0, 0, 1000000, &v->market_max_gpus) <
	      0;
	return rc ? UTIL_E_INPUT : 0;
}
