/* String helpers: typo suggestions, UTF-8 checks, strict number parsing. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

#define EDIT_MAX 64 /* longer words are not worth a suggestion */

size_t util_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[EDIT_MAX + 1][EDIT_MAX + 1];

	if (la > EDIT_MAX || lb > EDIT_MAX)
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]);
			int cb = tolower((unsigned char)b[j - 1]);
			size_t best = d[i - 1][j - 1] + (ca != cb);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 &&
			    ca == tolower((unsigned char)b[j - 2]) &&
			    cb == tolower((unsigned char)a[i - 2]) &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *util_nearest(const char *word, const char *const *cands,
			 size_t n)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX, len = strlen(word);
	/* a third of the word, at least 1 and at most 3 edits */
	size_t limit = len / 3 < 1 ? 1 : (len / 3 > 3 ? 3 : len / 3);

	for (size_t i = 0; i < n; i++) {
		size_t d = util_edit_distance(word, cands[i]);

		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	/* a prefix of a candidate ("l40" for "L40S") is a likely slip too */
	if (best_d > limit)
		for (size_t i = 0; i < n; i++)
			if (len >= 2 && !strncasecmp(cands[i], word, len))
				return cands[i];
	return best_d <= limit ? best : NULL;
}

bool util_utf8_valid(const char *str, size_t len, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i], need, min, cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, min = 0x80, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, min = 0x800, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, min = 0x10000, cp = c & 0x07;
		else
			goto fail;
		if (len - i <= need)
			goto fail;
		for (unsigned k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				goto fail;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			goto fail;
		i += need + 1;
	}
	return true;
fail:
	if (bad)
		*bad = i;
	return false;
}

void util_offset_to_linecol(const char *s, size_t len, size_t off, int *line,
			    int *col)
{
	int l = 1, c = 1;

	for (size_t i = 0; i < off && i < len; i++) {
		if (s[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)s[i] & 0xc0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/* Accepts [+-]digits[.digits][e[+-]digits] and nothing else. */
static bool is_decimal(const char *s)
{
	size_t i = 0, digits = 0;

	if (s[i] == '+' || s[i] == '-')
		i++;
	while (isdigit((unsigned char)s[i]))
		i++, digits++;
	if (s[i] == '.') {
		i++;
		while (isdigit((unsigned char)s[i]))
			i++, digits++;
	}
	if (!digits)
		return false;
	if (s[i] == 'e' || s[i] == 'E') {
		size_t e = 0;

		i++;
		if (s[i] == '+' || s[i] == '-')
			i++;
		while (isdigit((unsigned char)s[i]))
			i++, e++;
		if (!e)
			return false;
	}
	return s[i] == '\0';
}

int util_parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (!is_decimal(s))
		return UTIL_E_INPUT;
	errno = 0;
	v = strtod(s, &end);
	/* ERANGE with a non-zero result is gradual underflow: a subnormal
	 * number, which "%.10g" writes and must read back */
	if (*end || !isfinite(v) || (errno == ERANGE && v == 0))
		return UTIL_E_INPUT;
	*out = v;
	return 0;
}

int util_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;
	size_t i = (s[0] == '-' || s[0] == '+');

	if (!s[i])
		return UTIL_E_INPUT;
	for (; s[i]; i++)
		if (!isdigit((unsigned char)s[i]))
			return UTIL_E_INPUT;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end || errno == ERANGE || v < min || v > max)
		return UTIL_E_INPUT;
	*out = v;
	return 0;
}

int util_strcase_index(const char *s, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(s, names[i]))
			return (int)i;
	return -1;
}

/* Only these bytes, 1 to max of them. */
static bool all_of(const char *s, const char *extra, size_t max)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (n >= max ||
		    (!isalnum((unsigned char)s[n]) && !strchr(extra, s[n])))
			return false;
	return n > 0;
}

bool util_ident_ok(const char *s)
{
	return s && isalnum((unsigned char)s[0]) &&
	       all_of(s, "._-", UTIL_IDENT_MAX);
}

bool util_label_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n && s[0] != ' ' && s[n - 1] != ' ' &&
	       all_of(s, " ._+(),/:-", UTIL_LABEL_MAX);
}

bool util_one_line(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f ||
		    util_utf8_format_len(s))
			return false;
	return true;
}

void util_escape(const char *s, char *out, size_t n)
{
	size_t k = 0;

	if (!n)
		return;
	/* room for the longest form (4), "..." and the NUL */
	for (; s && *s && k + 8 <= n; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n')
			k += (size_t)snprintf(out + k, n - k, "\\n");
		else if (c == '\\')
			k += (size_t)snprintf(out + k, n - k, "\\\\");
		else if (c < 0x20 || c == 0x7f)
			k += (size_t)snprintf(out + k, n - k, "\\x%02x", c);
		else if (c == 0xc2 && (unsigned char)s[1] >= 0x80 &&
			 (unsigned char)s[1] <= 0x9f) /* a C1 control */
			k += (size_t)snprintf(out + k, n - k, "\\u%04x",
					      (unsigned char)*++s);
		else
			out[k++] = (char)c;
	}
	if (s && *s && k + 4 <= n) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
}

size_t util_utf8_format_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f)
		return 2;
	if (u[0] == 0xd8 && u[1] == 0x9c) /* U+061C */
		return 2;
	if (u[0] == 0xe2 && u[1] == 0x80 &&
	    ((u[2] >= 0xa8 && u[2] <= 0xae) || u[2] == 0x8e || u[2] == 0x8f))
		return 3; /* U+2028 to U+202E, U+200E, U+200F */
	if (u[0] == 0xe2 && u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9)
		return 3; /* U+2066 to U+2069 */
	return 0;
}

char *util_fmt_grouped(char *buf, size_t n, double v)
{
	char digits[32], out[48];
	size_t len, k = 0;
	double a = fabs(v);

	if (!(a < 1e18)) { /* past long long: the figure as it is */
		snprintf(buf, n, "%.3g", v);
		return buf;
	}
	snprintf(digits, sizeof(digits), "%lld", (long long)llround(a));
	len = strlen(digits);
	if (v < 0 && llround(a) != 0)
		out[k++] = '-';
	for (size_t i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = digits[i];
	}
	out[k] = '\0';
	snprintf(buf, n, "%s", out);
	return buf;
}


char *util_fmt_money(char *buf, size_t n, double v, const char *currency,
		       bool plus)
{
	char num[48];

	if (!isfinite(v))
		snprintf(num, sizeof(num), "-");
	else if (fabs(v) >= 99.995)
		util_fmt_grouped(num, sizeof(num), v);
	else
		snprintf(num, sizeof(num), "%.2f", fabs(v) < 0.005 ? 0 : v);
	snprintf(buf, n, "%s%s%s%s", plus && isfinite(v) && v >= 0.005 ? "+"
								       : "",
		 num, currency && *currency ? " " : "",
		 currency ? currency : "");
	return buf;
}

char *util_fmt_duration(char *buf, size_t n, double s)
{
	/* the unit chosen on the magnitude as printed (0.9996 s is "1 s",
	 * not "1e+03 ms"); 1,000 days and more in whole days */
	const char *sign = s < 0 ? "-" : "";
	double a = fabs(s);

	if (a < 0.9995)
		snprintf(buf, n, "%s%.3g ms", sign, a * 1000);
	else if (a < 119.5)
		snprintf(buf, n, "%s%.3g s", sign, a);
	else if (a < 2 * 3600 - 30)
		snprintf(buf, n, "%s%.3g min", sign, a / 60);
	else if (a < 2 * 86400 - 1800)
		snprintf(buf, n, "%s%.3g h", sign, a / 3600);
	else if (a < 999.5 * 86400)
		snprintf(buf, n, "%s%.3g days", sign, a / 86400);
	else
		snprintf(buf, n, "%s%.0f days", sign, a / 86400);
	return buf;
}

char *util_fmt_ms(char *buf, size_t n, double ms)
{
	if (ms < 999.95)
		snprintf(buf, n, "%.1f ms", ms);
	else
		util_fmt_duration(buf, n, ms / 1000);
	return buf;
}
