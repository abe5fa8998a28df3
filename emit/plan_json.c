/* The plan as a versioned JSON document, gpuplan.plan/v1
 * (docs/plan.schema.json): what `plan --format json` prints, what
 * `emit --to json` writes, and what `simulate --plan` reads back. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../report/format.h"
#include "emit_int.h"

static const char *const period_words[3] = {"day", "week", "month"};

json_t *emit_json_real(double v)
{
	UTIL_BUG_ON(!isfinite(v));
	return json_real(v);
}

/* Money rounded to cents, so JSON is stable across platforms. */
static json_t *money(double v)
{
	return emit_json_real(round(v * 100) / 100);
}

static json_t *assignment_json(const struct model_scenario *s,
			       const struct model_estimate *e,
			       const struct model_plan *p,
			       const struct model_plan_assignment *a)
{
	struct model_plan_engines g;
	json_t *o = json_object(), *per = json_array();

	for (size_t t = 0; t < p->nperiods; t++)
		json_array_append_new(per, emit_json_real(round(a->period_device_hours[t] *
							   1000) / 1000));
	json_object_set_new(o, "workload", json_string(a->w->name));
	json_object_set_new(o, "offer", json_string(a->venue));
	json_object_set_new(o, "family",
			    json_string(pricing_family_names[a->family]));
	json_object_set_new(o, "accelerator", json_string(a->accel));
	json_object_set_new(o, "devices", json_integer(a->devices));
	json_object_set_new(o, "peak_devices", json_integer(a->peak_devices));
	if (a->runner_up) { /* docs/formulation.md, Explanations */
		json_t *r = json_object();

		json_object_set_new(r, "offer", json_string(a->runner_up));
		json_object_set_new(r, "extra_cost", money(a->runner_up_extra));
		json_object_set_new(o, "runner_up", r);
	}
	json_object_set_new(o, "share", emit_json_real(round(a->share * 1e6) / 1e6));
	json_object_set_new(o, "device_hours",
			    emit_json_real(emit_device_hours(a)));
	json_object_set_new(o, "cost", money(a->cost));
	json_object_set_new(o, "periods", per);
	if (a->lead_s > 0) /* the closed loop asked for devices early */
		json_object_set_new(o, "lead_s",
				    json_real(round(a->lead_s * 1000) / 1000));
	if (e && model_plan_engines_of(e, s, a, &g))
		json_object_set_new(o, "engines",
				    json_pack("{s:i, s:i, s:i}", "tp", g.tp,
					      "count", g.count, "sequences",
					      g.sequences));
	return o;
}

/* "entities": one object per entity, its workloads' totals in p. */
static json_t *entities_json(const struct model_scenario *s,
			     const struct model_plan *p)
{
	struct model_entity_total *t =
		util_xcalloc(s->nentities + 1, sizeof(*t));
	json_t *a = json_array();

	model_plan_entity_totals(s, p, t);
	for (size_t e = 0; e < s->nentities; e++) {
		const struct model_entity *en = &s->entities[e];
		json_t *o = json_object();

		json_object_set_new(o, "name", json_string(en->name));
		json_object_set_new(o, "workloads",
				    json_integer((json_int_t)t[e].workloads));
		json_object_set_new(o, "cost", money(t[e].cost));
		json_object_set_new(o, "device_hours",
				    emit_json_real(round(t[e].device_hours *
							 1000) / 1000));
		json_object_set_new(o, "energy_kwh",
				    emit_json_real(round(t[e].energy_kwh *
							 1000) / 1000));
		json_object_set_new(o, "weight", emit_json_real(en->weight));
		if (en->budget >= 0)
			json_object_set_new(o, "budget", money(en->budget));
		if (en->storage >= 0)
			json_object_set_new(o, "storage_bytes",
					    emit_json_real(en->storage));
		if (en->has_priority)
			json_object_set_new(o, "priority",
					    json_integer(en->priority));
		json_array_append_new(a, o);
	}
	free(t);
	return a;
}

json_t *emit_plan_json(const struct model_scenario *s,
		       const struct model_plan *p)
{
	json_t *root = json_object(), *as = json_array(), *bs = json_array();
	json_t *costs = json_object();
	struct model_estimate e;
	struct util_err err;
	/* the LLM engines' layout, from the estimate the planner used */
	bool est = model_plan_has_engines(p) &&
		   !model_estimate(s, NULL, NULL, &e, &err);

	for (size_t i = 0; i < p->nassign; i++)
		json_array_append_new(as, assignment_json(s, est ? &e : NULL,
							  p, &p->assign[i]));
	if (est)
		model_estimate_release(&e);
	for (size_t i = 0; i < p->nbuy; i++) {
		const struct model_plan_purchase *b = &p->buy[i];
		json_t *o = json_pack("{s:s, s:s, s:i, s:o, s:i}", "offer",
				      b->offer->id, "accelerator", b->accel,
				      "count", (json_int_t)b->count, "capex",
				      money(b->capex), "available_period",
				      b->available_period);

		if (b->offer->family == PRICING_ONPREM) {
			json_object_set_new(o, "unit",
					    json_integer(b->unit > 0 ? b->unit
								     : 1));
			json_object_set_new(o, "order_by_h",
					    money(b->order_by / 3600));
			json_object_set_new(o, "shortfall_device_hours",
					    money(b->short_dh));
		}
		json_array_append_new(bs, o);
	}
	for (int k = 0; k < MODEL_NCOSTS; k++)
		json_object_set_new(costs, model_cost_names[k],
				    money(p->cost[k]));
	json_object_set_new(root, "schema", json_string(EMIT_PLAN_SCHEMA));
	json_object_set_new(root, "scenario", json_string(s->name));
	json_object_set_new(root, "status",
			    json_string(model_plan_status_names[p->status]));
	if (p->why)
		json_object_set_new(root, "why", json_string(p->why));
	json_object_set_new(root, "objective", emit_json_real(p->objective));
	json_object_set_new(root, "total_cost", money(p->total_cost));
	json_object_set_new(root, "currency", json_string(s->currency));
	json_object_set_new(root, "prices", emit_prices_json(&s->catalog));
	{
		const char *old = emit_oldest_as_of(p, NULL);

		json_object_set_new(root, "oldest_price_as_of",
				    old ? json_string(old) : json_null());
	}
	json_object_set_new(root, "gap", emit_json_real(p->gap));
	json_object_set_new(root, "period",
			    json_string(period_words[s->period]));
	json_object_set_new(root, "periods", json_integer((json_int_t)p->nperiods));
	json_object_set_new(root, "purchases", bs);
	json_object_set_new(root, "assignments", as);
	json_object_set_new(root, "cost_breakdown", costs);
	if (s->nentities)
		json_object_set_new(root, "entities", entities_json(s, p));
	return root;
}


const char *emit_price_layer(const char *origin)
{
	return strcmp(origin, "<embedded catalog>") ? origin
						     : "embedded catalog";
}

/* The same file loaded twice in a row (--catalog has the last word over
 * a scenario's own catalog block) is one layer. */
static bool repeated(const struct pricing_catalog *c, size_t i)
{
	return i > 0 && !strcmp(c->origins[i], c->origins[i - 1]);
}

json_t *emit_prices_json(const struct pricing_catalog *c)
{
	json_t *a = json_array();

	for (size_t i = 0; i < c->norigins; i++)
		if (!repeated(c, i))
			json_array_append_new(
			a, json_string(emit_price_layer(c->origins[i])));
	return a;
}

void emit_prices_line(const struct pricing_catalog *c, const char *oldest,
		      bool markdown, struct util_buf *b)
{
	util_buf_puts(b, "prices: ");
	for (size_t i = 0; i < c->norigins; i++) {
		if (repeated(c, i))
			continue;
		util_buf_puts(b, i ? " + " : "");
		if (markdown) /* catalog file names are text, not markup */
			report_md_text(b, emit_price_layer(c->origins[i]));
		else
			util_buf_puts(b, emit_price_layer(c->origins[i]));
	}
	if (oldest)
		util_buf_printf(b, "; oldest price used: as_of %s", oldest);
	util_buf_puts(b, "\n");
}

#define ESTIMATES_NAMED 3

void emit_estimates_line(const struct model_plan *p, const char *who,
			 struct util_buf *b)
{
	size_t n = p->nassign + p->nbuy, k = 0, more = 0;
	const struct pricing_offer **seen = util_xcalloc(n + 1, sizeof(*seen));

	for (size_t i = 0; i < n; i++) {
		const struct pricing_offer *o = i < p->nassign
							? p->assign[i].offer
							: p->buy[i - p->nassign].offer;
		size_t j = 0;

		while (j < k && seen[j] != o)
			j++;
		if (!o || !o->estimate || j < k)
			continue;
		seen[k++] = o;
		if (k > ESTIMATES_NAMED) {
			more++;
			continue;
		}
		if (k == 1 && who)
			util_buf_printf(b, "%s uses estimated prices: ", who);
		else if (k == 1)
			util_buf_puts(b, "estimated prices used: ");
		util_buf_printf(b, "%s%s", k > 1 ? ", " : "", o->id);
	}
	if (k)
		util_buf_printf(b, "%s (gpuplan catalog offers --format json "
				"gives how each was reached)\n",
				more ? " and more" : "");
	free(seen);
}

static const char *older(const char *a, const struct pricing_offer *o)
{
	if (!o || !o->as_of)
		return a;
	return !a || strcmp(o->as_of, a) < 0 ? o->as_of : a;
}

void emit_plan_prices(const struct model_plan *p, struct pricing_staleness *st)
{
	for (size_t i = 0; i < p->nassign; i++)
		pricing_staleness_add(st, p->assign[i].offer);
	for (size_t i = 0; i < p->nbuy; i++)
		pricing_staleness_add(st, p->buy[i].offer);
}

const char *emit_oldest_as_of(const struct model_plan *p, const char *sofar)
{
	for (size_t i = 0; i < p->nassign; i++)
		sofar = older(sofar, p->assign[i].offer);
	for (size_t i = 0; i < p->nbuy; i++)
		sofar = older(sofar, p->buy[i].offer);
	return sofar;
}
