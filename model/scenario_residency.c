/* Data residency (docs/scenario.md#constraints): the scenario's
 * `country:` (where on-prem and edge devices are), the rule of
 * `constraints.residency` and of each workload's `residency:`, and which
 * venues a rule leaves out. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scenario_int.h"

static int bad_code(struct sload *l, const yaml_node_t *at, const char *what,
		    const char *code, bool eu)
{
	const char *hint = util_country_hint(code);
	char shown[80];

	util_escape(code ? code : "", shown, sizeof(shown));
	return util_yerr(l->y, l->d, at, "%s: '%s' is not an ISO 3166-1 "
			 "alpha-2 country code (such as CA, FR or US%s)%s%s%s",
			 what, shown, eu ? ", or EU for its member states" : "",
			 hint ? " (did you mean '" : "", hint ? hint : "",
			 hint ? "'?)" : "");
}

static void add_code(struct model_residency *r, const char *code)
{
	for (size_t i = 0; i < r->ncountries; i++)
		if (!strcasecmp(r->countries[i], code))
			return;
	r->countries = util_xrealloc(r->countries, (r->ncountries + 1) *
						   sizeof(*r->countries));
	r->countries[r->ncountries] = util_xstrdup(code);
	for (char *p = r->countries[r->ncountries]; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	r->ncountries++;
}

/* One code or "EU" into r, and into r->text as written (upper case). */
static int add_item(struct sload *l, const yaml_node_t *n, const char *what,
		    struct model_residency *r, struct util_buf *text)
{
	const char *code = util_yscalar(n);
	char what_buf[80];

	if (!code || n->type != YAML_SCALAR_NODE)
		return util_yerr(l->y, l->d, n, "%s must be a country code or "
				 "a list of them, such as CA or [CA, FR], got "
				 "%s", what,
				 util_ydescribe(n, what_buf, sizeof(what_buf)));
	if (!strcasecmp(code, "EU")) {
		for (size_t i = 0; i < UTIL_EU_NMEMBERS; i++)
			add_code(r, util_eu_members[i]);
	} else if (util_country_ok(code)) {
		add_code(r, code);
	} else {
		return bad_code(l, n, what, code, true);
	}
	util_buf_printf(text, "%s%c%c", text->len ? ", " : "",
			toupper((unsigned char)code[0]),
			toupper((unsigned char)code[1]));
	return 0;
}

int model_residency_parse(struct sload *l, const yaml_node_t *n,
			  const char *what, struct model_residency *r)
{
	struct util_buf text;
	int rc = 0;

	model_residency_release(r);
	if (!n || util_ynull(n))
		return 0;
	util_buf_init(&text);
	if (n->type == YAML_SEQUENCE_NODE) {
		size_t len = util_yseq_len(n);

		if (!len)
			rc = util_yerr(l->y, l->d, n, "%s is empty: no country "
				       "would do (leave it out for no rule)",
				       what);
		for (size_t i = 0; i < len; i++)
			rc |= add_item(l, util_yseq_item(l->y, n, i), what, r,
				       &text);
	} else {
		rc = add_item(l, n, what, r, &text);
	}
	r->text = util_buf_detach(&text);
	util_buf_release(&text);
	if (rc)
		model_residency_release(r);
	return rc ? UTIL_E_INPUT : 0;
}

void model_residency_copy(struct model_residency *dst,
			  const struct model_residency *src)
{
	memset(dst, 0, sizeof(*dst));
	for (size_t i = 0; i < src->ncountries; i++)
		add_code(dst, src->countries[i]);
	dst->text = src->text ? util_xstrdup(src->text) : NULL;
}

void model_residency_release(struct model_residency *r)
{
	util_strv_free(r->countries, r->ncountries);
	free(r->text);
	memset(r, 0, sizeof(*r));
}

bool model_residency_allows(const struct model_residency *r,
			    const char *country)
{
	if (!r->ncountries)
		return true;
	for (size_t i = 0; country && i < r->ncountries; i++)
		if (!strcasecmp(r->countries[i], country))
			return true;
	return false;
}

int model_load_country(struct sload *l, struct util_ymap *top)
{
	const char *code = NULL;

	if (util_ymap_str(top, "country", 0, &code) < 0)
		return UTIL_E_INPUT;
	if (!code)
		return 0;
	if (!util_country_ok(code))
		return bad_code(l, util_ymap_get(top, "country"),
				"'country'", code, false);
	l->s->country = util_xstrdup(code);
	l->s->country[0] = (char)toupper((unsigned char)code[0]);
	l->s->country[1] = (char)toupper((unsigned char)code[1]);
	return 0;
}

/* constraints.residency as a map: workload name -> code(s). */
static int load_per_workload(struct sload *l, const yaml_node_t *map)
{
	struct util_ymap m;
	const char **names;
	int rc = util_ymap_open(&m, l->y, l->d, map,
				"'constraints.residency'", NULL, 0);

	names = util_xcalloc(l->s->nworkloads + 1, sizeof(*names));
	for (size_t i = 0; i < l->s->nworkloads; i++)
		names[i] = l->s->workloads[i].series
				   ? l->s->workloads[i].series
				   : l->s->workloads[i].name;
	for (size_t i = 0; m.node && i < util_ymap_len(&m); i++) {
		const char *name = util_yscalar(util_ymap_key(&m, i)), *near;
		struct model_residency r = {0};
		bool found = false;
		char what[120];

		snprintf(what, sizeof(what), "the residency of '%s'",
			 name ? name : "?");
		for (size_t k = 0; name && k < l->s->nworkloads; k++) {
			struct model_workload *w = &l->s->workloads[k];

			if (!model_workload_named(w, name))
				continue;
			if (!found)
				rc |= model_residency_parse(
					l, util_ymap_value(&m, i), what, &r);
			found = true;
			model_residency_release(&w->residency);
			model_residency_copy(&w->residency, &r);
		}
		model_residency_release(&r);
		if (found)
			continue;
		near = name ? util_nearest(name, names, l->s->nworkloads)
			    : NULL;
		rc = util_yerr(l->y, l->d, util_ymap_key(&m, i),
			       "'constraints.residency' names workload '%s', "
			       "which does not exist%s%s%s", name ? name : "?",
			       near ? " (did you mean '" : "", near ? near : "",
			       near ? "'?)" : "");
	}
	free(names);
	return rc ? UTIL_E_INPUT : 0;
}

int model_load_residency(struct sload *l, struct util_ymap *cons)
{
	const yaml_node_t *n = util_ymap_get(cons, "residency");
	struct model_residency all = {0};
	int rc;

	if (!n || util_ynull(n))
		return 0;
	if (n->type == YAML_MAPPING_NODE)
		return load_per_workload(l, n);
	rc = model_residency_parse(l, n, "'constraints.residency'", &all);
	/* a workload's own `residency:` is more specific: it stays */
	for (size_t i = 0; !rc && i < l->s->nworkloads; i++)
		if (!l->s->workloads[i].residency.ncountries)
			model_residency_copy(&l->s->workloads[i].residency,
					     &all);
	model_residency_release(&all);
	return rc;
}

const char *model_venue_country(const struct model_scenario *s,
				const struct pricing_offer *o)
{
	if (!o || o->family == PRICING_ONPREM || o->family == PRICING_EDGE ||
	    o->family == PRICING_INHOUSE)
		return s->country;
	return o->country;
}

/* A rented offer of an allowed family that r leaves out. */
static bool excluded(const struct model_scenario *s,
		     const struct model_residency *r,
		     const struct pricing_offer *o)
{
	return (s->venues.allow & (1u << o->family)) &&
	       o->family != PRICING_ONPREM && o->family != PRICING_EDGE &&
	       !model_residency_allows(r, model_venue_country(s, o));
}

/* The offers r leaves out, counted per provider into out ("aws 20, azure
 * 8", providers in catalog order); returns the total. */
static size_t excluded_offers(const struct model_scenario *s,
			      const struct model_residency *r,
			      struct util_buf *out)
{
	const struct pricing_catalog *c = &s->catalog;
	size_t total = 0;

	for (size_t i = 0; i < c->noffers; i++) {
		const struct pricing_offer *o = &c->offers[i];
		size_t n = 0;
		bool seen = false;

		if (!excluded(s, r, o))
			continue;
		total++;
		for (size_t j = 0; j < i && !seen; j++)
			seen = excluded(s, r, &c->offers[j]) &&
			       !strcmp(c->offers[j].provider, o->provider);
		for (size_t j = i; j < c->noffers && !seen; j++)
			n += excluded(s, r, &c->offers[j]) &&
			     !strcmp(c->offers[j].provider, o->provider);
		if (!seen)
			util_buf_printf(out, "%s%s %zu", out->len ? ", " : "",
					o->provider, n);
	}
	return total;
}

size_t model_residency_report(const struct model_scenario *s,
			      struct util_buf *out)
{
	size_t lines = 0;

	for (size_t i = 0; i < s->nworkloads; i++) {
		const struct model_workload *w = &s->workloads[i];
		struct util_buf by;
		size_t n;

		if (!w->residency.ncountries)
			continue;
		util_buf_init(&by);
		n = excluded_offers(s, &w->residency, &by);
		util_buf_printf(out, "residency: '%s' stays in %s: ", w->name,
				w->residency.text);
		if (n)
			util_buf_printf(out, "%zu offer%s elsewhere or in no "
					"known country excluded (%s)", n,
					n == 1 ? "" : "s", by.s);
		else
			util_buf_puts(out, "no offer excluded");
		if ((s->venues.allow & (1u << PRICING_ONPREM)) &&
		    (s->venues.nowned || s->venues.nbuy) &&
		    !model_residency_allows(&w->residency, s->country))
			util_buf_printf(out, "; on-prem devices too (%s)",
					s->country ? "the scenario's 'country' "
						     "is elsewhere"
						   : "the scenario has no "
						     "'country'");
		util_buf_puts(out, "\n");
		util_buf_release(&by);
		lines++;
	}
	return lines;
}
