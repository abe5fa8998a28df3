/* A plan's forecast as FOCUS 1.2 cost data (the FinOps Foundation's
 * FinOps Open Cost and Usage Specification), CSV: one row per offer and
 * period of use, a row per purchase and its residual value, and the
 * plan's recurring costs per period. The rows' BilledCost add up to the
 * plan's total cost. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../model/model.h"
#include "format.h"

/* The columns, in this order: FOCUS's (alphabetical, as the
 * specification lists them), then gpuplan's own (x_). */
static const char *const columns[] = {
	"BilledCost",	     "BillingAccountId",   "BillingAccountName",
	"BillingCurrency",   "BillingPeriodEnd",   "BillingPeriodStart",
	"ChargeCategory",    "ChargeClass",	   "ChargeDescription",
	"ChargeFrequency",   "ChargePeriodEnd",	   "ChargePeriodStart",
	"ConsumedQuantity",  "ConsumedUnit",	   "ContractedCost",
	"ContractedUnitPrice", "EffectiveCost",	   "InvoiceIssuerName",
	"ListCost",	     "ListUnitPrice",	   "PricingCategory",
	"PricingQuantity",   "PricingUnit",	   "ProviderName",
	"PublisherName",     "RegionId",	   "RegionName",
	"ResourceId",	     "ResourceName",	   "ResourceType",
	"ServiceCategory",   "ServiceName",	   "SkuId",
	"SkuPriceId",	     "SubAccountId",	   "SubAccountName",
	"Tags",		     "x_Accelerator",	   "x_Family",
	"x_Scenario",	     "x_Workload",
};

enum col {
	BILLED, ACCOUNT_ID, ACCOUNT_NAME, CURRENCY, BP_END, BP_START,
	CATEGORY, CLASS, DESCRIPTION, FREQUENCY, CP_END, CP_START,
	CONSUMED_Q, CONSUMED_U, CONTRACTED, CONTRACTED_UP, EFFECTIVE,
	ISSUER, LIST, LIST_UP, PRICING_CAT, PRICING_Q, PRICING_U,
	PROVIDER, PUBLISHER, REGION_ID, REGION_NAME, RESOURCE_ID,
	RESOURCE_NAME, RESOURCE_TYPE, SERVICE_CAT, SERVICE_NAME, SKU,
	SKU_PRICE, SUB_ID, SUB_NAME, TAGS, X_ACCEL, X_FAMILY, X_SCENARIO,
	X_WORKLOAD, NCOLS
};

_Static_assert(sizeof(columns) / sizeof(columns[0]) == NCOLS,
	       "one name per column");

/* One row: every cell a string or NULL (empty: FOCUS's null). */
struct row {
	char *v[NCOLS];
};

/* A text cell from outside: an RFC 4180 field, and one that a
 * spreadsheet would run as a formula (= + - @, tab, CR) starts with a
 * quote instead. */
static void csv_text(struct util_buf *out, const char *s)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		util_buf_puts(out, "\"");
	if (*s && strchr("=+-@\t\r", *s))
		util_buf_puts(out, "'");
	for (; *s; s++)
		util_buf_puts(out, *s == '"' ? "\"\"" : (char[]){*s, 0});
	if (quote)
		util_buf_puts(out, "\"");
}

static bool numeric(enum col c)
{
	return c == BILLED || c == CONSUMED_Q || c == CONTRACTED ||
	       c == CONTRACTED_UP || c == EFFECTIVE || c == LIST ||
	       c == LIST_UP || c == PRICING_Q;
}

static void put_row(struct row *r, struct util_buf *out)
{
	for (int c = 0; c < NCOLS; c++) {
		if (c)
			util_buf_puts(out, ",");
		if (r->v[c] && numeric(c))
			util_buf_puts(out, r->v[c]); /* ours: a number */
		else if (r->v[c])
			csv_text(out, r->v[c]);
		free(r->v[c]);
		r->v[c] = NULL;
	}
	util_buf_puts(out, "\r\n");
}

static void set(struct row *r, enum col c, const char *s)
{
	free(r->v[c]);
	r->v[c] = s ? util_xstrdup(s) : NULL;
}

/* Money and quantities: plain decimal numbers (no exponent, 10 places:
 * the rows add up to the total to the cent). */
static void set_num(struct row *r, enum col c, double x)
{
	char b[64];

	snprintf(b, sizeof(b), "%.10f", fabs(x) < 5e-11 ? 0 : x);
	set(r, c, b);
}

static void set_cost(struct row *r, double list, double billed)
{
	set_num(r, BILLED, billed);
	set_num(r, EFFECTIVE, billed);
	set_num(r, CONTRACTED, billed);
	set_num(r, LIST, list);
}

/* ISO 8601 UTC of start + s seconds, to the second. */
static void set_time(struct row *r, enum col c, long long start, double s)
{
	time_t t = (time_t)(start + llround(s));
	struct tm tm;
	char b[32];

	gmtime_r(&t, &tm);
	strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%SZ", &tm);
	set(r, c, b);
}

struct ctx {
	const struct model_scenario *s;
	const struct model_plan *p;
	long long start;
	struct util_buf *out;
};

/* What every row has: account, currency, periods (the charge period is
 * the billing period: a forecast has no invoice), service category. */
static void common(const struct ctx *x, struct row *r, size_t t)
{
	set(r, ACCOUNT_ID, x->s->name);
	set(r, ACCOUNT_NAME, x->s->name);
	set(r, CURRENCY, x->s->currency);
	set_time(r, CP_START, x->start, (double)t * x->p->period_s);
	set_time(r, CP_END, x->start, (double)(t + 1) * x->p->period_s);
	set_time(r, BP_START, x->start, (double)t * x->p->period_s);
	set_time(r, BP_END, x->start, (double)(t + 1) * x->p->period_s);
	set(r, SERVICE_CAT, "AI and Machine Learning");
	set(r, X_SCENARIO, x->s->name);
}

static void provider(struct row *r, const struct pricing_offer *o)
{
	const char *name = o && o->provider ? o->provider : "on-premises";

	set(r, PROVIDER, name);
	set(r, PUBLISHER, name);
	set(r, ISSUER, name);
	set(r, REGION_ID, o ? o->region : NULL);
	set(r, REGION_NAME, o ? o->region : NULL);
}

/* Usage: an assignment's device-hours in period t, at its all-in price
 * per device-hour (rent or energy, storage, egress, fees). */
static void usage_row(const struct ctx *x, const struct model_plan_assignment *a,
		      size_t t)
{
	double h = a->period_device_hours[t];
	double cost = a->cost * h / a->device_hours;
	struct row r = {0};
	char d[300];

	common(x, &r, t);
	provider(&r, a->offer);
	set_cost(&r, cost, cost);
	set(&r, CATEGORY, "Usage");
	set(&r, FREQUENCY, "Usage-Based");
	snprintf(d, sizeof(d), "%s on %s (%s): device-hours forecast by "
		 "gpuplan", a->w->name, a->venue, a->accel);
	set(&r, DESCRIPTION, d);
	set_num(&r, CONSUMED_Q, h);
	set(&r, CONSUMED_U, "Hours");
	set_num(&r, PRICING_Q, h);
	set(&r, PRICING_U, "Hours");
	set_num(&r, LIST_UP, cost / h);
	set_num(&r, CONTRACTED_UP, cost / h);
	set(&r, PRICING_CAT, a->family == PRICING_CLOUD_SPOT ||
				     a->family == PRICING_DECENTRALIZED
			     ? "Dynamic"
			     : "Standard");
	set(&r, RESOURCE_ID, a->venue);
	set(&r, RESOURCE_NAME, a->venue);
	set(&r, RESOURCE_TYPE, "GPU");
	set(&r, SERVICE_NAME, pricing_family_names[a->family]);
	set(&r, SKU, a->venue);
	set(&r, SUB_ID, a->w->name);
	set(&r, SUB_NAME, a->w->name);
	set(&r, X_ACCEL, a->accel);
	set(&r, X_FAMILY, pricing_family_names[a->family]);
	set(&r, X_WORKLOAD, a->w->name);
	put_row(&r, x->out);
}

/* What a purchase's rows say of the devices. */
static void bought(struct row *r, const struct model_plan_purchase *b)
{
	set(r, RESOURCE_TYPE, "GPU");
	set(r, SERVICE_NAME, pricing_family_names[b->offer->family]);
	set(r, SKU, b->offer->id);
	set(r, X_ACCEL, b->accel);
	set(r, X_FAMILY, pricing_family_names[b->offer->family]);
}

/* A purchase at its price when paid (period 0, as model_plan_period_
 * costs), and the residual value the plan counts back at the horizon's
 * end as a credit. */
static void purchase_rows(const struct ctx *x, const struct model_plan_purchase *b)
{
	const double *term = b->offer->term;
	double unit = term[PRICING_CAPEX] >= 0
			      ? term[PRICING_CAPEX]
			      : term[PRICING_UNIT_PRICE] / (double)b->offer->count;
	double paid = unit * (double)b->count;
	struct row r = {0};
	char d[300], q[32];

	common(x, &r, 0);
	provider(&r, b->offer);
	set_cost(&r, paid, paid);
	set(&r, CATEGORY, "Purchase");
	set(&r, FREQUENCY, "One-Time");
	snprintf(d, sizeof(d), "%ld x %s bought (%s)", b->count, b->accel,
		 b->offer->id);
	set(&r, DESCRIPTION, d);
	snprintf(q, sizeof(q), "%ld", b->count);
	set(&r, PRICING_Q, q);
	set(&r, PRICING_U, "Devices");
	set_num(&r, LIST_UP, unit);
	set_num(&r, CONTRACTED_UP, unit);
	set(&r, PRICING_CAT, "Standard");
	bought(&r, b);
	put_row(&r, x->out);
	if (fabs(paid - b->capex) < 5e-3)
		return;
	common(x, &r, x->p->nperiods - 1);
	provider(&r, b->offer);
	set_cost(&r, b->capex - paid, b->capex - paid);
	set(&r, CATEGORY, "Credit");
	set(&r, FREQUENCY, "One-Time");
	snprintf(d, sizeof(d), "residual value of %ld x %s at the horizon's "
		 "end", b->count, b->accel);
	set(&r, DESCRIPTION, d);
	bought(&r, b);
	put_row(&r, x->out);
}

/* A cost the plan counts over the horizon, spread evenly over its
 * periods as recurring purchases (maintenance, commitments). */
static void recurring_rows(const struct ctx *x, double total,
			   const char *sku, const char *category,
			   const char *what)
{
	for (size_t t = 0; fabs(total) >= 5e-3 && t < x->p->nperiods; t++) {
		double v = total / (double)x->p->nperiods;
		struct row r = {0};

		common(x, &r, t);
		provider(&r, NULL);
		set_cost(&r, v, v);
		set(&r, CATEGORY, "Purchase");
		set(&r, FREQUENCY, "Recurring");
		set(&r, DESCRIPTION, what);
		set(&r, PRICING_CAT, category);
		set(&r, SERVICE_NAME, sku);
		set(&r, SKU, sku);
		put_row(&r, x->out);
	}
}

int report_focus_csv(const struct model_scenario *s, const struct model_plan *p,
		     long long start, struct util_buf *out, struct util_err *err)
{
	struct ctx x = {s, p, start, out};
	double rest = p->total_cost;

	if (p->status != MODEL_PLAN_OPTIMAL && p->status != MODEL_PLAN_FEASIBLE)
		return util_err_set(err, UTIL_E_INFEASIBLE, "no plan to export");
	if (!p->nperiods || !(p->period_s > 0))
		return util_err_set(err, UTIL_E_INTERNAL, "a plan without "
				    "periods");
	for (int c = 0; c < NCOLS; c++)
		util_buf_printf(out, "%s%s", c ? "," : "", columns[c]);
	util_buf_puts(out, "\r\n");
	for (size_t i = 0; i < p->nassign; i++) {
		const struct model_plan_assignment *a = &p->assign[i];

		for (size_t t = 0; a->device_hours > 0 && t < p->nperiods; t++)
			if (a->period_device_hours[t] > 0)
				usage_row(&x, a, t);
		rest -= a->device_hours > 0 ? a->cost : 0;
	}
	for (size_t i = 0; i < p->nbuy; i++) {
		purchase_rows(&x, &p->buy[i]);
		rest -= p->buy[i].capex;
	}
	recurring_rows(&x, p->cost[MODEL_COST_MAINTENANCE], "maintenance",
		       "Standard", "upkeep of the devices owned and bought");
	recurring_rows(&x, p->cost[MODEL_COST_COMMITMENT], "commitment",
		       "Committed", "committed capacity (1 or 3 years)");
	rest -= p->cost[MODEL_COST_MAINTENANCE] + p->cost[MODEL_COST_COMMITMENT];
	/* what is left: fixed costs the plan counts outside assignments
	 * (an assignment of no device-hours, fees) */
	recurring_rows(&x, rest, "fixed", "Standard",
		       "fixed costs of the plan");
	return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar:
 * years counted from March, so that the leap day ends a year. */
static long long days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int report_date_epoch(const char *date, long long *out)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	int y, m, d, n = 0;

	if (!date || strlen(date) != 10 ||
	    sscanf(date, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] ||
	    (m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400))))
		return UTIL_E_USAGE;
	*out = days_from_civil(y, m, d) * 86400;
	return 0;
}

long long report_scenario_start(const struct model_scenario *s,
				long long now)
{
	/* start_month: months since year 0, the day as (d - 1) / 30.4167
	 * of a month (model_parse_month) */
	double m0 = floor(s->start_month);
	long long y = (long long)floor(m0 / 12);
	int m = (int)(m0 - 12.0 * (double)y) + 1;
	int d = (int)lround((s->start_month - m0) * 30.4167) + 1;

	if (s->start_month < 0 || y < 1970)
		return report_month_start(now);
	return days_from_civil(y, m, d) * 86400;
}

long long report_month_start(long long now)
{
	time_t t = (time_t)now;
	struct tm tm;

	gmtime_r(&t, &tm);
	return days_from_civil(tm.tm_year + 1900LL, tm.tm_mon + 1, 1) * 86400;
}
