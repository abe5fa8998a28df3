/* Times as sacct prints them, and the calendar arithmetic of the import
 * (months, hours of the week), without the C library's time zones: the
 * same input gives the same output on every machine. */
#include <ctype.h>

#include "acct.h"

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar
 * (the civil-from-days algorithm, run backwards). */
static int64_t days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int64_t)era * 146097 + doe - 719468;
}

static bool leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(long y, long m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};

	return days[m - 1] + (m == 2 && leap(y));
}

/* n digits at s into *v; false unless all are digits */
static bool digits(const char *s, int n, long *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

int acct_parse_time(const char *s, int64_t *t)
{
	long y, mo, d, h = 0, mi = 0, sec = 0;
	size_t len = strlen(s);

	if (!len || !strcmp(s, "Unknown") || !strcmp(s, "None")) {
		*t = ACCT_UNKNOWN;
		return 0;
	}
	if ((len != 10 && len != 16 && len != 19) || s[4] != '-' ||
	    s[7] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &mo) ||
	    !digits(s + 8, 2, &d))
		return UTIL_E_INPUT;
	if (len > 10 && (s[10] != 'T' || s[13] != ':' ||
			 !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi)))
		return UTIL_E_INPUT;
	if (len == 19 && (s[16] != ':' || !digits(s + 17, 2, &sec)))
		return UTIL_E_INPUT;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60)
		return UTIL_E_INPUT;
	*t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

long acct_month(int64_t t)
{
	int64_t z = floor_div(t, 86400) + 719468;
	int64_t era = floor_div(z, 146097);
	long doe = (long)(z - era * 146097);
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long m = mp < 10 ? mp + 3 : mp - 9;
	long y = (long)(yoe + era * 400) + (m <= 2);

	return 12 * y + m - 1;
}

void acct_month_name(long month, char *buf, size_t size)
{
	snprintf(buf, size, "%04ld-%02ld", month / 12, month % 12 + 1);
}

int64_t acct_month_start(long month)
{
	return days_from_civil(month / 12, month % 12 + 1, 1) * 86400;
}

int acct_hour_of_week(int64_t t)
{
	/* 1970-01-01 was a Thursday: day 0 is weekday 3 counted from Monday */
	int64_t days = floor_div(t, 86400);
	long dow = (long)((days % 7 + 7 + 3) % 7);

	return (int)(dow * 24 + (t - days * 86400) / 3600);
}
