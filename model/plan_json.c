/* Reading back a plan written by `gpuplan plan --format json`, so that a
 * plan can be simulated (or edited) without planning again. */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "model.h"

static int bad(struct util_diags *d, const char *file, const char *fmt, ...)
	UTIL_PRINTF(3, 4);
static int bad(struct util_diags *d, const char *file, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = util_diag_vadd(d, UTIL_ERROR, file, 0, 0, fmt, ap);
	va_end(ap);
	return rc;
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static double real(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The offer venue names in s's catalog: "ID", "ID@1y" or "ID@3y" (a
 * commitment, cloud only), or NULL for "onprem-ACCEL" (an owned pool
 * without an offer) and for a venue the catalog does not have; *pool
 * says which of the last two. */
static const struct pricing_offer *venue_offer(const struct model_scenario *s,
					       const char *venue,
					       const char *accel, bool *pool)
{
	const char *at = strchr(venue, '@');
	char *id = at ? util_xstrndup(venue, (size_t)(at - venue))
		      : util_xstrdup(venue);
	const struct pricing_offer *o = pricing_catalog_find_offer(&s->catalog,
								   id);
	char *own = util_xasprintf("onprem-%s", accel);

	*pool = !o && !strcmp(venue, own);
	if (at && (!o || o->family != PRICING_CLOUD ||
		   (strcmp(at + 1, model_commitment_names[MODEL_COMMIT_1Y]) &&
		    strcmp(at + 1, model_commitment_names[MODEL_COMMIT_3Y]))))
		o = NULL;
	free(own);
	free(id);
	return o;
}

/* The assignment's venue against the catalog in use: the offer exists
 * and is of the family and accelerator the plan says. */
static int check_venue(const struct model_scenario *s, const char *file,
		       const struct model_plan_assignment *a,
		       struct util_diags *d)
{
	bool pool;
	const struct pricing_offer *o = venue_offer(s, a->venue, a->accel,
						    &pool);

	if (pool && a->family == PRICING_ONPREM)
		return 0;
	if (!o)
		return bad(d, file, "assignment of '%s' names an offer the "
			   "catalog in use does not have: '%s'", a->w->name,
			   a->venue);
	if (o->family != a->family || strcmp(o->accel, a->accel))
		return bad(d, file, "assignment of '%s' says %s %s, but offer "
			   "'%s' is %s %s", a->w->name,
			   pricing_family_names[a->family], a->accel, o->id,
			   pricing_family_names[o->family], o->accel);
	return 0;
}

/* Device-hours per period: finite, at least 0. */
static bool periods_ok(const double *v, size_t n)
{
	for (size_t t = 0; t < n; t++)
		if (!(v[t] >= 0 && v[t] < 1e12))
			return false;
	return true;
}

static int read_assignment(const struct model_scenario *s, const char *file,
			   json_t *o, size_t nperiods,
			   struct model_plan_assignment *a,
			   struct util_diags *d)
{
	const char *w = str(o, "workload"), *venue = str(o, "offer");
	const char *fam = str(o, "family"), *acc = str(o, "accelerator");
	json_t *per = json_object_get(o, "periods");
	const struct pricing_accel *pa;
	double devices;

	memset(a, 0, sizeof(*a));
	a->w = w ? model_scenario_find(s, w) : NULL;
	if (!a->w)
		return bad(d, file, "assignment of an unknown workload '%s'",
			   w ? w : "?");
	pa = acc ? pricing_catalog_find_accel(&s->catalog, acc) : NULL;
	if (!venue || !fam || pricing_family_parse(fam) < 0 || !pa)
		return bad(d, file, "assignment of '%s' lacks a venue, a family "
			   "or a known accelerator", w);
	a->venue = util_xstrdup(venue);
	a->offer = pricing_catalog_find_offer(&s->catalog, venue);
	a->family = (enum pricing_family)pricing_family_parse(fam);
	a->accel = pa->name;
	devices = real(o, "devices"); /* checked before it becomes an int */
	a->devices = devices >= 1 && devices <= 1e6 && devices == floor(devices)
			     ? (int)devices : 0;
	devices = json_object_get(o, "peak_devices") ? real(o, "peak_devices")
						      : devices;
	a->peak_devices = devices >= 1 && devices <= 1e6 &&
				  devices == floor(devices)
			  ? (int)devices : 0;
	a->share = real(o, "share");
	a->device_hours = real(o, "device_hours");
	a->cost = real(o, "cost");
	a->lead_s = json_object_get(o, "lead_s") ? real(o, "lead_s") : 0;
	if (!(a->devices >= 1 && a->peak_devices >= 1 && a->share >= 0 && a->share <= 1 + 1e-9 &&
	      a->device_hours >= 0 && a->device_hours < 1e12 &&
	      a->cost >= 0 && a->cost < 1e15 && a->lead_s >= 0 &&
	      a->lead_s <= 1e9) ||
	    !json_is_array(per) || json_array_size(per) != nperiods)
		return bad(d, file, "assignment of '%s' has bad figures (whole "
			   "devices, a share in [0, 1], hours and cost of at "
			   "least 0) or not one value per period of the "
			   "scenario", w);
	a->period_device_hours = util_xcalloc(nperiods + 1, sizeof(double));
	for (size_t t = 0; t < nperiods; t++) {
		json_t *v = json_array_get(per, t);

		a->period_device_hours[t] = json_is_number(v)
						    ? json_number_value(v)
						    : NAN;
	}
	if (!periods_ok(a->period_device_hours, nperiods))
		return bad(d, file, "assignment of '%s' has device-hours below "
			   "0 in a period", w);
	return check_venue(s, file, a, d);
}

static int read_purchase(const struct model_scenario *s, const char *file,
			 json_t *o, size_t nperiods,
			 struct model_plan_purchase *b, struct util_diags *d)
{
	const char *id = str(o, "offer"), *acc;
	double count, period;

	memset(b, 0, sizeof(*b));
	b->offer = id ? pricing_catalog_find_offer(&s->catalog, id) : NULL;
	if (!b->offer)
		return bad(d, file, "purchase of an unknown offer '%s'",
			   id ? id : "?");
	b->accel = b->offer->accel;
	count = real(o, "count"); /* checked before they become integers */
	period = real(o, "available_period");
	b->capex = real(o, "capex");
	acc = str(o, "accelerator");
	if ((b->offer->family != PRICING_ONPREM &&
	     b->offer->family != PRICING_EDGE) ||
	    (acc && strcmp(acc, b->accel)))
		return bad(d, file, "purchase of '%s': not an on-prem or edge "
			   "offer of %s", id, acc ? acc : b->accel);
	if (!(count >= 1 && count <= 1e6 && count == floor(count) &&
	      b->capex >= 0 && b->capex < 1e15 && period >= 0 &&
	      period < (double)nperiods && period == floor(period)))
		return bad(d, file, "purchase of '%s' has bad figures (whole "
			   "devices, capex of at least 0, a period of the "
			   "scenario)", id);
	b->count = (long)count;
	b->available_period = (int)period;
	return 0;
}

/* Each workload's shares add up to the whole of its work. */
static int check_shares(const struct model_scenario *s, const char *file,
			const struct model_plan *p, struct util_diags *d)
{
	for (size_t i = 0; i < s->nworkloads; i++) {
		double sum = 0;

		for (size_t k = 0; k < p->nassign; k++)
			if (p->assign[k].w == &s->workloads[i])
				sum += p->assign[k].share;
		if (fabs(sum - 1) > 1e-3)
			return bad(d, file, "the shares of workload '%s' add up "
				   "to %.4g, not 1: the plan does not place "
				   "all of its work", s->workloads[i].name,
				   sum);
	}
	return 0;
}

static const double period_seconds[3] = {MODEL_DAY, MODEL_WEEK, MODEL_MONTH};

static int read_root(const struct model_scenario *s, const char *file,
		     json_t *root, struct model_plan *p, struct util_diags *d)
{
	json_t *as = json_object_get(root, "assignments");
	json_t *bs = json_object_get(root, "purchases");
	json_t *costs = json_object_get(root, "cost_breakdown");
	const char *status = str(root, "status"), *name = str(root, "scenario");
	const char *schema = str(root, "schema");
	const char *cur = str(root, "currency");
	int rc = 0;

	if (!schema || strcmp(schema, "gpuplan.plan/v1"))
		return bad(d, file, "not a gpuplan.plan/v1 document (schema "
			   "'%s')", schema ? schema : "none");
	if (!name || strcmp(name, s->name))
		return bad(d, file, "the plan is for scenario '%s', not this "
			   "one", name ? name : "?");
	if (!status || (strcmp(status, "optimal") && strcmp(status,
							      "feasible")))
		return bad(d, file, "the plan's status is '%s': nothing to "
			   "simulate", status ? status : "?");
	if (!cur || strcmp(cur, s->currency))
		return bad(d, file, "the plan is in '%s', the scenario in '%s'",
			   cur ? cur : "?", s->currency);
	if (!json_is_array(as) || !json_is_array(bs) ||
	    !json_is_object(costs))
		return bad(d, file, "'assignments' and 'purchases' must be "
			   "lists and 'cost_breakdown' an object");
	p->status = strcmp(status, "optimal") ? MODEL_PLAN_FEASIBLE
					      : MODEL_PLAN_OPTIMAL;
	p->period_s = period_seconds[s->period];
	p->nperiods = (size_t)ceil(s->horizon / p->period_s - 1e-9);
	p->objective = real(root, "objective");
	p->total_cost = real(root, "total_cost");
	/* written back by emit --to json, which takes finite figures only */
	if (!(fabs(p->objective) < 1e15 && fabs(p->total_cost) < 1e15))
		return bad(d, file, "'objective' and 'total_cost' must be "
			   "numbers below 1e15 in magnitude");
	for (int k = 0; k < MODEL_NCOSTS; k++) {
		json_t *v = json_object_get(costs, model_cost_names[k]);

		if (v && !(json_is_number(v) && json_number_value(v) < 1e15))
			return bad(d, file, "'cost_breakdown.%s' must be a "
				   "number below 1e15", model_cost_names[k]);
	}
	p->assign = util_xcalloc(json_array_size(as) + 1, sizeof(*p->assign));
	for (size_t i = 0; !rc && i < json_array_size(as); i++) {
		rc = read_assignment(s, file, json_array_get(as, i), p->nperiods,
				     &p->assign[p->nassign], d);
		p->nassign++;
	}
	p->buy = util_xcalloc(json_array_size(bs) + 1, sizeof(*p->buy));
	for (size_t i = 0; !rc && i < json_array_size(bs); i++)
		rc = read_purchase(s, file, json_array_get(bs, i), p->nperiods,
				   &p->buy[p->nbuy++], d);
	for (int k = 0; k < MODEL_NCOSTS; k++)
		p->cost[k] = fmax(real(costs, model_cost_names[k]), 0);
	return rc ? rc : check_shares(s, file, p, d);
}

int model_plan_read(const struct model_scenario *s, const char *path,
		    struct model_plan *p, struct util_diags *d)
{
	struct util_err err;
	json_error_t je;
	json_t *root;
	char *buf = NULL;
	size_t len;
	int rc;

	memset(p, 0, sizeof(*p));
	rc = util_read_file(path, UTIL_INPUT_MAX, &buf, &len, &err);
	if (rc) {
		util_diag_add(d, UTIL_ERROR, NULL, 0, 0, "%s", err.msg);
		return rc;
	}
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	free(buf);
	if (!root)
		return util_diag_add(d, UTIL_ERROR, path, je.line, je.column,
				     "not a plan: %s", je.text);
	rc = json_is_object(root) ? read_root(s, path, root, p, d)
				  : bad(d, path, "not a plan: a JSON object "
					"was expected");
	json_decref(root);
	if (!rc)
		model_plan_orders(s, p);
	return rc ? UTIL_E_INPUT : 0;
}
