/* Currencies of a scenario (docs/scenario.md#currency): ISO 4217 codes
 * read case-insensitively, and the conversion of the catalog's prices
 * into the scenario's currency on load, at the scenario's `fx:` rate or
 * the embedded table's. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "scenario_int.h"

/* the exchange rates a scenario may give (model_fx_load) */
#define FX_MIN 1e-6
#define FX_MAX 1e6

/* Canadian dollars per unit of each currency. ESTIMATES: the Bank of
 * Canada's annual average exchange rates for 2024 as recalled, not
 * checked against its published table from here (bankofcanada.ca,
 * "Annual Exchange Rates"); a scenario's `fx:` or --fx overrides them. */
static const struct {
	const char *code;
	double cad;
} fx_table[] = {
	{"CAD", 1.0},
	{"USD", 1.3698},
	{"EUR", 1.4821},
	{"GBP", 1.7505},
};
const char *const model_fx_table_date = "2024 annual average";
const char *const model_fx_table_source =
	"estimate: Bank of Canada 2024 annual averages, unchecked";

/* ISO 4217 codes accepted for `currency:` and `fx:` keys: the table's,
 * and other common ones (a rate must then be given). */
static const char *const iso_codes[] = {
	"USD", "EUR", "CAD", "GBP", "JPY", "CHF", "AUD", "NZD", "CNY", "INR",
	"SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "BRL", "MXN", "KRW", "SGD",
	"HKD", "ZAR", "ILS", "TRY", "TWD",
};

int model_fx_code(const char *text, char code[4], const char **near)
{
	*near = NULL;
	if (strlen(text) == 3) {
		for (int i = 0; i < 3; i++)
			code[i] = (char)toupper((unsigned char)text[i]);
		code[3] = '\0';
		for (size_t i = 0; i < UTIL_ARRAY_SIZE(iso_codes); i++)
			if (!strcmp(code, iso_codes[i]))
				return 0;
	}
	{
		char up[16];
		size_t n = 0;

		for (; text[n] && n + 1 < sizeof(up); n++)
			up[n] = (char)toupper((unsigned char)text[n]);
		up[n] = '\0';
		*near = util_nearest(up, iso_codes,
				     UTIL_ARRAY_SIZE(iso_codes));
	}
	return UTIL_E_INPUT;
}

double model_fx_default(const char *from, const char *to)
{
	double a = -1, b = -1;

	for (size_t i = 0; i < UTIL_ARRAY_SIZE(fx_table); i++) {
		if (!strcmp(fx_table[i].code, from))
			a = fx_table[i].cad;
		if (!strcmp(fx_table[i].code, to))
			b = fx_table[i].cad;
	}
	return a > 0 && b > 0 ? a / b : -1;
}

/* Multiplies every money term of the catalog by rate. */
static void convert(struct pricing_catalog *c, double rate)
{
	static const enum pricing_term money[] = {
		PRICING_PRICE_HOUR,	    PRICING_COMMIT_1Y_HOUR,
		PRICING_COMMIT_3Y_HOUR,	    PRICING_STORAGE_GB_MONTH,
		PRICING_EGRESS_GB,	    PRICING_SUBSCRIPTION_MONTH,
		PRICING_CAPEX,		    PRICING_ELECTRICITY_KWH,
		PRICING_FEE_RGU_YEAR,	    PRICING_UNIT_PRICE,
	};

	for (size_t i = 0; i < c->noffers; i++)
		for (size_t k = 0; k < UTIL_ARRAY_SIZE(money); k++)
			if (c->offers[i].term[money[k]] >= 0)
				c->offers[i].term[money[k]] *= rate;
}

/* fx: {USD: 1.38}: units of the scenario's currency per unit of each
 * key's. The rate for from, or -1 when fx does not give it. */
static int fx_rate(struct sload *l, struct util_ymap *top, const char *from,
		   double *rate)
{
	struct util_ymap m;
	int rc = sl_submap(l, top, "fx", NULL, 0, &m);

	*rate = -1;
	for (size_t i = 0; i < util_ymap_len(&m); i++) {
		const yaml_node_t *k = util_ymap_key(&m, i);
		const char *near;
		char code[4];
		double v;

		if (model_fx_code(util_yscalar(k) ? util_yscalar(k) : "", code,
				  &near)) {
			rc = util_yerr(l->y, l->d, k, "unknown currency '%s' in "
				       "'fx'%s%s%s", util_yscalar(k),
				       near ? " (did you mean '" : "",
				       near ? near : "", near ? "'?)" : "");
			continue;
		}
		if (util_ymap_num(&m, util_yscalar(k), 0, -1e300, 1e300, &v) < 0) {
			rc = UTIL_E_INPUT;
			continue;
		}
		if (!(v > 0) || !isfinite(v)) {
			rc = util_yerr(l->y, l->d, util_ymap_value(&m, i),
				       "the rate of '%s' in 'fx' must be above "
				       "0, got %g", code, v);
			continue;
		}
		/* real rates run from about 2e-5 to 4e4 (ISO 4217 units
		 * against each other); past these, prices of 1e300 or 1e-300
		 * broke the solver's scaling (GLPK: "invalid scale factor") */
		if (v < FX_MIN || v > FX_MAX) {
			rc = util_yerr(l->y, l->d, util_ymap_value(&m, i),
				       "the rate of '%s' in 'fx' must be from "
				       "%g to %g (the scenario's currency per "
				       "%s), got %g", code, FX_MIN, FX_MAX,
				       code, v);
			continue;
		}
		if (!strcmp(code, from))
			*rate = v;
		if (l->s->nfx < MODEL_MAX_FX) {
			struct model_fx_entry *r = &l->s->fx[l->s->nfx++];

			memcpy(r->code, code, sizeof(r->code));
			r->rate = v;
		}
	}
	return rc;
}

/* Whether the rate for code comes from an override (--fx CODE=RATE, or
 * --set fx.CODE=RATE), not from the file. */
static bool fx_overridden(const struct sload *l, const char *code)
{
	for (size_t i = 0; i < l->nset; i++)
		if (!strncmp(l->set[i].path, "fx.", 3) &&
		    !strcasecmp(l->set[i].path + 3, code))
			return true;
	return false;
}

int model_fx_load(struct sload *l, struct util_ymap *top)
{
	struct model_scenario *s = l->s;
	const char *from = s->catalog.currency ? s->catalog.currency : "USD";
	double rate;
	int rc = fx_rate(l, top, from, &rate);
	char note[200];

	if (rc || !strcmp(from, s->currency))
		return rc;
	if (rate > 0) {
		snprintf(note, sizeof(note), "converted from %s at %.6g %s per "
			 "%s (%s)", from, rate, s->currency, from,
			 fx_overridden(l, from) ? "an override of the scenario's fx"
						: "the scenario's fx");
	} else {
		rate = model_fx_default(from, s->currency);
		if (rate <= 0)
			return util_ymap_err(top, util_ymap_get(top, "currency"),
					     "no exchange rate from the "
					     "catalog's '%s' to '%s': give one "
					     "(fx: {%s: N}, %s per %s)", from,
					     s->currency, from, s->currency,
					     from);
		snprintf(note, sizeof(note), "converted from %s at %.6g %s per "
			 "%s (%s, %s)", from, rate, s->currency, from,
			 model_fx_table_date, model_fx_table_source);
	}
	/* from may be the catalog's currency, freed below */
	snprintf(s->fx_from, sizeof(s->fx_from), "%s", from);
	convert(&s->catalog, rate);
	free(s->catalog.currency);
	s->catalog.currency = util_xstrdup(s->currency);
	UTIL_GROW(s->catalog.origins, s->catalog.norigins + 1,
		  s->catalog.origins_alloc);
	s->catalog.origins[s->catalog.norigins++] = util_xstrdup(note);
	s->fx_rate = rate;
	return 0;
}

double model_fx_rate(const struct model_scenario *s, const char *code)
{
	if (!strcasecmp(code, s->currency))
		return 1;
	for (size_t i = 0; i < s->nfx; i++)
		if (!strcasecmp(s->fx[i].code, code))
			return s->fx[i].rate;
	if (s->fx_rate > 0 && !strcasecmp(code, s->fx_from))
		return s->fx_rate;
	return -1; /* the embedded table's estimates are not used here */
}

int model_money_arg(const struct model_scenario *s, const char *what,
		    const char *text, double *out, char *note, size_t n,
		    struct util_err *err)
{
	static const char *const dollars[] = {"USD", "CAD", "AUD", "NZD",
					      "SGD", "HKD"};
	char code[4];
	double rate;

	*note = '\0';
	if (model_units_parse(text, MODEL_DIM_MONEY, 0, out, err))
		return util_err_set(err, UTIL_E_USAGE, "'%s' %s", what,
				    err->msg);
	if (!model_units_currency(text, code) || !strcmp(code, s->currency))
		return 0;
	if (!strcmp(code, "$")) {
		if (util_strcase_index(s->currency, dollars,
				       UTIL_ARRAY_SIZE(dollars)) >= 0)
			return 0;
		return util_err_set(err, UTIL_E_USAGE, "'%s %s' is in "
				    "dollars, but the scenario's money is in "
				    "%s: name the currency (USD, CAD, ...)",
				    what, text, s->currency);
	}
	rate = model_fx_rate(s, code);
	if (rate <= 0)
		return util_err_set(err, UTIL_E_USAGE, "'%s %s' is in %s, but "
				    "the scenario's money is in %s and it gives "
				    "no rate from %s (add fx: {%s: N} to the "
				    "scenario or --fx %s=N, %s per %s)", what,
				    text, code, s->currency, code, code, code,
				    s->currency, code);
	{
		char amount[64];

		snprintf(note, n, "%s at %.6g %s per %s",
			 util_fmt_money(amount, sizeof(amount), *out, code,
					false),
			 rate, s->currency, code);
	}
	*out *= rate;
	return 0;
}
