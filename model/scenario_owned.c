/* `venues.onprem.owned`: devices the scenario's owner already has, as a
 * count ({H200: 16}) or with what they cost and when they were bought
 * ({H200: {count: 16, price: 38k, bought: 2025-03, life: 5y, residual:
 * 2k}}), and the scenario's `start_date` their age is counted from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_int.h"

static const char *const owned_keys[] = {"count", "price", "bought", "life",
					 "residual"};

int model_month_days(long year, long month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

	return month < 1 || month > 12 ? 0
				       : days[month - 1] + (month == 2 && leap);
}

#define NO_SUCH_DAY (-2) /* parse_date: well written, not in the calendar */

/* text as a date: year, month (1..12) and day (1 for YYYY-MM); 0, or
 * UTIL_E_INPUT (not YYYY-MM or YYYY-MM-DD, a year out of 1950..2200),
 * or NO_SUCH_DAY. */
static int parse_date(const char *text, long *year, long *month,
		      long *mday)
{
	long y, m, d = 1;
	char *end;

	if (!text || strlen(text) < 7 || text[4] != '-')
		return UTIL_E_INPUT;
	y = strtol(text, &end, 10);
	if (end != text + 4 || y < 1950 || y > 2200)
		return UTIL_E_INPUT;
	m = strtol(text + 5, &end, 10);
	if (end != text + 7 || m < 1 || m > 12)
		return UTIL_E_INPUT;
	if (*end == '-') {
		const char *day = end + 1;

		d = strtol(day, &end, 10);
		if (end != day + 2 || d < 1 || d > 31)
			return UTIL_E_INPUT;
	}
	if (*end)
		return UTIL_E_INPUT;
	*year = y, *month = m, *mday = d;
	return d > model_month_days(y, m) ? NO_SUCH_DAY /* 2027-02-30 */
					  : 0;
}

int model_parse_month(const char *text, double *month)
{
	long y, m, d;

	if (parse_date(text, &y, &m, &d))
		return UTIL_E_INPUT;
	/* a month is a twelfth of a 365-day year everywhere in gpuplan */
	*month = (double)(y * 12 + m - 1) + (double)(d - 1) / 30.4167;
	return 0;
}

int model_date_weekday(const char *text)
{
	long y, m, d, days;

	if (parse_date(text, &y, &m, &d))
		return -1;
	/* days since 1 March of year 0 of the proleptic Gregorian
	 * calendar (years from March: February's leap day comes last) */
	if (m < 3)
		y--, m += 12;
	days = 365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 +
	       d - 1;
	/* 1 March of year 0 was a Wednesday (2 from Monday) */
	return (int)((days + 2) % 7);
}

/* A date key ("2025-03" or "2025-03-15") into months since year 0. */
static int date_key(struct util_ymap *m, const char *key, double *month)
{
	const char *text = NULL;
	int rc = util_ymap_str(m, key, 0, &text);

	if (rc != 1)
		return rc;
	if (model_parse_month(text, month)) {
		long y, mo, d;

		if (parse_date(text, &y, &mo, &d) == NO_SUCH_DAY)
			return util_ymap_err(
			    m, util_ymap_get(m, key),
			    "'%s' in %s is not a day of the calendar: "
			    "%04ld-%02ld has %d days, got '%s'",
			    key, m->ctx, y, mo, model_month_days(y, mo), text);
		return util_ymap_err(m, util_ymap_get(m, key),
				     "'%s' in %s must be a date written "
				     "YYYY-MM or YYYY-MM-DD, from 1950 to "
				     "2200, got '%s'",
				     key, m->ctx, text);
	}
	return 1;
}

int model_load_start_date(struct sload *l, struct util_ymap *top)
{
	const char *text = NULL;
	int rc;

	l->s->start_month = MODEL_UNSET;
	l->s->weekday0 = 0; /* Monday */
	rc = date_key(top, "start_date", &l->s->start_month);
	if (rc < 0)
		return UTIL_E_INPUT;
	if (rc == 1 && util_ymap_str(top, "start_date", 0, &text) == 1)
		l->s->weekday0 = model_date_weekday(text);
	return 0;
}

/* bought: months before the horizon's start, checked against
 * start_date. */
static int owned_bought(struct sload *l, struct util_ymap *om,
			const char *accel, struct model_owned *o)
{
	double when;
	int rc = date_key(om, "bought", &when);

	if (rc != 1)
		return rc;
	if (l->s->start_month < 0)
		return util_ymap_err(om, util_ymap_get(om, "bought"),
				     "'bought' of '%s' needs the scenario's "
				     "'start_date' (the date the horizon "
				     "begins, e.g. start_date: 2027-01)",
				     accel);
	if (when > l->s->start_month + 1e-9)
		return util_ymap_err(om, util_ymap_get(om, "bought"),
				     "'%s' bought after the scenario's "
				     "start_date: list devices bought later "
				     "under 'venues.onprem.buy'", accel);
	o->age = (l->s->start_month - when) * MODEL_MONTH;
	return 1;
}

/* {count: 16, price: 38k, bought: 2025-03, life: 5y, residual: 2k} */
static int owned_map(struct sload *l, const yaml_node_t *val,
		     const char *key, struct model_accel_qty *q,
		     struct model_owned *o)
{
	struct util_ymap om;
	char ctx[120];
	long count = 0;
	int rc;

	snprintf(ctx, sizeof(ctx), "'venues.onprem.owned.%s'", key);
	rc = util_ymap_open(&om, l->y, l->d, val, ctx, owned_keys,
			    UTIL_ARRAY_SIZE(owned_keys)) ? UTIL_E_INPUT : 0;
	if (sl_count(&om, "count", UTIL_Y_REQUIRED, 0, 1000000, &count) < 0)
		rc = UTIL_E_INPUT;
	q->amount = (double)count;
	if (sl_money(l, &om, "price", MODEL_DIM_MONEY, &o->price) < 0 ||
	    sl_money(l, &om, "residual", MODEL_DIM_MONEY, &o->residual) < 0 ||
	    sl_qty(&om, "life", 0, MODEL_DIM_DURATION, MODEL_UNITS_POSITIVE,
		   &o->life) < 0 ||
	    owned_bought(l, &om, key, o) < 0)
		return UTIL_E_INPUT;
	if (o->price >= 0 && o->residual > o->price)
		return util_ymap_err(&om, util_ymap_get(&om, "residual"),
				     "the residual value of '%s' is more than "
				     "its price", key);
	if (o->life > 30 * MODEL_YEAR)
		return util_ymap_err(&om, util_ymap_get(&om, "life"),
				     "the life of '%s' is longer than 30 "
				     "years: is the unit right?", key);
	return rc;
}

static void owned_defaults(struct model_owned *o)
{
	o->price = o->life = MODEL_UNSET;
	o->age = 0;
	o->residual = 0;
}

int model_load_owned(struct sload *l, struct util_ymap *m, size_t i)
{
	struct model_venues *v = &l->s->venues;
	const yaml_node_t *val = util_ymap_value(m, i);
	const char *key = util_yscalar(util_ymap_key(m, i));
	long count;

	owned_defaults(&v->owned_info[i]);
	if (val && val->type == YAML_MAPPING_NODE)
		return owned_map(l, val, key, &v->owned[i],
				 &v->owned_info[i]);
	if (!util_yscalar(val) ||
	    util_parse_long(util_yscalar(val), 0, 1000000, &count))
		return util_yerr(l->y, l->d, val, "owned count of '%s' must "
				 "be a whole number of devices (0 to 1000000), "
				 "or a mapping {count, price, bought, life, "
				 "residual}", key);
	v->owned[i].amount = (double)count;
	return 0;
}
