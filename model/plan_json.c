/* Reading back a plan written by `gpuplan plan --format json`, so that a
 * plan can be simulated (or edited) without planning again. */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

/* The plan's file: its name and text, for the position of a message. */
struct ptext {
	const char *file, *buf;
	size_t len;
	struct util_diags *d;
};

/* An error about the value at path (npath keys or indices) of the plan,
 * at its line and column (util_json_locate). */
static int bad(const struct ptext *t, const char *const *path, size_t npath,
	       const char *fmt, ...) UTIL_PRINTF(4, 5);
static int bad(const struct ptext *t, const char *const *path, size_t npath,
	       const char *fmt, ...)
{
	va_list ap;
	int rc, line, col;

	util_json_locate(t->buf, t->len, path, npath, &line, &col);
	va_start(ap, fmt);
	rc = util_diag_vadd(t->d, UTIL_ERROR, t->file, line, col, fmt, ap);
	va_end(ap);
	return rc;
}

#define AT(...) (const char *const[]){__VA_ARGS__}, \
	UTIL_ARRAY_SIZE(((const char *const[]){__VA_ARGS__}))

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
static int check_venue(const struct model_scenario *s,
		       const struct ptext *t, const char *i,
		       const struct model_plan_assignment *a)
{
	bool pool;
	const struct pricing_offer *o = venue_offer(s, a->venue, a->accel,
						    &pool);

	if (pool && a->family == PRICING_ONPREM)
		return 0;
	if (!o)
		return bad(t, AT("assignments", i, "offer"), "assignment of "
			   "'%s' names an offer the "
			   "catalog in use does not have: '%s'", a->w->name,
			   a->venue);
	if (o->family != a->family || strcmp(o->accel, a->accel))
		return bad(t, AT("assignments", i, "offer"), "assignment of "
			   "'%s' says %s %s, but offer "
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

/* The first figure of assignment a (read from o) out of its range, or
 * NULL. */
static const char *bad_figure(const struct model_plan_assignment *a,
			      json_t *o, size_t nperiods)
{
	json_t *per = json_object_get(o, "periods");

	if (!(a->devices >= 1))
		return "devices";
	if (!(a->peak_devices >= 1))
		return "peak_devices";
	if (!(a->share >= 0 && a->share <= 1 + 1e-9))
		return "share";
	if (!(a->device_hours >= 0 && a->device_hours < 1e12))
		return "device_hours";
	if (!(a->cost >= 0 && a->cost < 1e15))
		return "cost";
	if (!(a->lead_s >= 0 && a->lead_s <= 1e9))
		return "lead_s";
	if (!json_is_array(per) || json_array_size(per) != nperiods)
		return "periods";
	return NULL;
}

static int read_assignment(const struct model_scenario *s,
			   const struct ptext *t, const char *i, json_t *o,
			   size_t nperiods, struct model_plan_assignment *a)
{
	const char *w = str(o, "workload"), *venue = str(o, "offer");
	const char *fam = str(o, "family"), *acc = str(o, "accelerator");
	json_t *per = json_object_get(o, "periods");
	const struct pricing_accel *pa;
	const char *field;
	double devices;

	memset(a, 0, sizeof(*a));
	a->w = w ? model_scenario_find(s, w) : NULL;
	if (!a->w)
		return bad(t, AT("assignments", i, "workload"), "assignment "
			   "of an unknown workload '%s'", w ? w : "?");
	pa = acc ? pricing_catalog_find_accel(&s->catalog, acc) : NULL;
	if (!venue || !fam || pricing_family_parse(fam) < 0 || !pa)
		return bad(t, AT("assignments", i, !venue ? "offer" : !pa
					 ? "accelerator" : "family"),
			   "assignment of '%s' lacks a venue, a family or a "
			   "known accelerator", w);
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
	field = bad_figure(a, o, nperiods);
	if (field)
		return bad(t, AT("assignments", i, field), "assignment of '%s' "
			   "has a bad '%s' (whole devices, a share in [0, 1], "
			   "hours and cost of at least 0, one value per period "
			   "of the scenario)", w, field);
	a->period_device_hours = util_xcalloc(nperiods + 1, sizeof(double));
	for (size_t k = 0; k < nperiods; k++) {
		json_t *v = json_array_get(per, k);

		a->period_device_hours[k] = json_is_number(v)
						    ? json_number_value(v)
						    : NAN;
	}
	if (!periods_ok(a->period_device_hours, nperiods))
		return bad(t, AT("assignments", i, "periods"), "assignment of "
			   "'%s' has device-hours below 0 in a period", w);
	return check_venue(s, t, i, a);
}

static int read_purchase(const struct model_scenario *s,
			 const struct ptext *t, const char *i, json_t *o,
			 size_t nperiods, struct model_plan_purchase *b)
{
	const char *id = str(o, "offer"), *acc;
	double count, period;

	memset(b, 0, sizeof(*b));
	b->offer = id ? pricing_catalog_find_offer(&s->catalog, id) : NULL;
	if (!b->offer)
		return bad(t, AT("purchases", i, "offer"), "purchase of an "
			   "unknown offer '%s'", id ? id : "?");
	b->accel = b->offer->accel;
	count = real(o, "count"); /* checked before they become integers */
	period = real(o, "available_period");
	b->capex = real(o, "capex");
	acc = str(o, "accelerator");
	if ((b->offer->family != PRICING_ONPREM &&
	     b->offer->family != PRICING_EDGE) ||
	    (acc && strcmp(acc, b->accel)))
		return bad(t, AT("purchases", i, "offer"), "purchase of '%s': "
			   "not an on-prem or edge offer of %s", id,
			   acc ? acc : b->accel);
	if (!(count >= 1 && count <= 1e6 && count == floor(count) &&
	      b->capex >= 0 && b->capex < 1e15 && period >= 0 &&
	      period < (double)nperiods && period == floor(period)))
		return bad(t, AT("purchases", i,
				 !(count >= 1 && count <= 1e6 &&
				   count == floor(count))
					 ? "count"
				 : !(b->capex >= 0 && b->capex < 1e15)
					 ? "capex"
					 : "available_period"),
			   "purchase of '%s' has bad figures (whole devices, "
			   "capex of at least 0, a period of the scenario)",
			   id);
	b->count = (long)count;
	b->available_period = (int)period;
	return 0;
}

/* Each workload's shares add up to the whole of its work. */
static int check_shares(const struct model_scenario *s,
			const struct ptext *t, const struct model_plan *p)
{
	for (size_t i = 0; i < s->nworkloads; i++) {
		double sum = 0;

		for (size_t k = 0; k < p->nassign; k++)
			if (p->assign[k].w == &s->workloads[i])
				sum += p->assign[k].share;
		if (fabs(sum - 1) > 1e-3)
			return bad(t, AT("assignments"), "the shares of "
				   "workload '%s' add up "
				   "to %.4g, not 1: the plan does not place "
				   "all of its work", s->workloads[i].name,
				   sum);
	}
	return 0;
}

static const double period_seconds[3] = {MODEL_DAY, MODEL_WEEK, MODEL_MONTH};

static int read_root(const struct model_scenario *s, const struct ptext *t,
		     json_t *root, struct model_plan *p)
{
	json_t *as = json_object_get(root, "assignments");
	json_t *bs = json_object_get(root, "purchases");
	json_t *costs = json_object_get(root, "cost_breakdown");
	const char *status = str(root, "status"), *name = str(root, "scenario");
	const char *schema = str(root, "schema");
	const char *cur = str(root, "currency");
	int rc = 0;

	if (!schema || strcmp(schema, "gpuplan.plan/v1"))
		return bad(t, AT("schema"), "not a gpuplan.plan/v1 document "
			   "(schema "
			   "'%s')", schema ? schema : "none");
	if (!name || strcmp(name, s->name))
		return bad(t, AT("scenario"), "the plan is for scenario '%s', "
			   "not this "
			   "one", name ? name : "?");
	if (!status || (strcmp(status, "optimal") && strcmp(status,
							      "feasible")))
		return bad(t, AT("status"), "the plan's status is '%s': it "
			   "places nothing (only an optimal or feasible plan "
			   "is read back)", status ? status : "?");
	if (!cur || strcmp(cur, s->currency))
		return bad(t, AT("currency"), "the plan is in '%s', the "
			   "scenario in '%s'",
			   cur ? cur : "?", s->currency);
	if (!json_is_array(as) || !json_is_array(bs) ||
	    !json_is_object(costs))
		return bad(t, AT(!json_is_array(as) ? "assignments"
				 : !json_is_array(bs) ? "purchases"
						      : "cost_breakdown"),
			   "'assignments' and 'purchases' must be "
			   "lists and 'cost_breakdown' an object");
	p->status = strcmp(status, "optimal") ? MODEL_PLAN_FEASIBLE
					      : MODEL_PLAN_OPTIMAL;
	p->period_s = period_seconds[s->period];
	p->nperiods = (size_t)ceil(s->horizon / p->period_s - 1e-9);
	p->objective = real(root, "objective");
	p->total_cost = real(root, "total_cost");
	/* written back by emit --to json, which takes finite figures only */
	if (!(fabs(p->objective) < 1e15 && fabs(p->total_cost) < 1e15))
		return bad(t, AT(fabs(p->objective) < 1e15 ? "total_cost"
							   : "objective"),
			   "'objective' and 'total_cost' must be numbers "
			   "below 1e15 in magnitude");
	for (int k = 0; k < MODEL_NCOSTS; k++) {
		json_t *v = json_object_get(costs, model_cost_names[k]);

		if (v && !(json_is_number(v) && json_number_value(v) < 1e15))
			return bad(t, AT("cost_breakdown", model_cost_names[k]),
				   "'cost_breakdown.%s' must be a number below "
				   "1e15", model_cost_names[k]);
	}
	p->assign = util_xcalloc(json_array_size(as) + 1, sizeof(*p->assign));
	for (size_t i = 0; !rc && i < json_array_size(as); i++) {
		char at[24];

		snprintf(at, sizeof(at), "%zu", i);
		rc = read_assignment(s, t, at, json_array_get(as, i),
				     p->nperiods, &p->assign[p->nassign]);
		p->nassign++;
	}
	p->buy = util_xcalloc(json_array_size(bs) + 1, sizeof(*p->buy));
	for (size_t i = 0; !rc && i < json_array_size(bs); i++) {
		char at[24];

		snprintf(at, sizeof(at), "%zu", i);
		rc = read_purchase(s, t, at, json_array_get(bs, i),
				   p->nperiods, &p->buy[p->nbuy++]);
	}
	for (int k = 0; k < MODEL_NCOSTS; k++)
		p->cost[k] = fmax(real(costs, model_cost_names[k]), 0);
	return rc ? rc : check_shares(s, t, p);
}

int model_plan_read(const struct model_scenario *s, const char *path,
		    struct model_plan *p, struct util_diags *d)
{
	struct util_err err;
	struct ptext t = {path, NULL, 0, d};
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
	if (!root) {
		free(buf);
		/* an empty file is at line 1, column 0 to jansson */
		return util_diag_add(d, UTIL_ERROR, path,
				     je.line > 0 ? je.line : 1,
				     je.column > 0 ? je.column : 1,
				     "not a plan: %s", je.text);
	}
	t.buf = buf;
	t.len = len;
	rc = json_is_object(root) ? read_root(s, &t, root, p)
				  : bad(&t, NULL, 0, "not a plan: a JSON object "
					"was expected");
	free(buf);
	json_decref(root);
	if (!rc)
		model_plan_orders(s, p);
	return rc ? UTIL_E_INPUT : 0;
}
