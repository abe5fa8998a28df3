/* Quantities with units: the one place where "16GB", "$0.40/h" or "12w"
 * become numbers. Values are returned in base units: bytes, seconds, money
 * (the currency of the scenario), FLOP, joules; composites accordingly
 * (bandwidth in bytes/s, power in W = J/s, price per hour in money/s). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model.h"

enum { E_BYTE, E_SEC, E_MONEY, E_FLOP, E_JOULE, NEXP };

struct dimv {
	signed char e[NEXP];
};

struct unit {
	const char *sym;
	double factor;
	struct dimv dim;
};

#define SZ {{1, 0, 0, 0, 0}}
#define TM {{0, 1, 0, 0, 0}}
#define MN {{0, 0, 1, 0, 0}}
#define FL {{0, 0, 0, 1, 0}}
#define FS {{0, -1, 0, 1, 0}}
#define EN {{0, 0, 0, 0, 1}}
#define PW {{0, -1, 0, 0, 1}}
#define BW {{1, -1, 0, 0, 0}}
#define NO {{0, 0, 0, 0, 0}}

#define HOUR 3600.0
#define DAY (24 * HOUR)
#define YEAR (365 * DAY)
#define MONTH (YEAR / 12)

static const struct unit units[] = {
	{"B", 1, SZ}, {"kB", 1e3, SZ}, {"KB", 1e3, SZ}, {"MB", 1e6, SZ},
	{"GB", 1e9, SZ}, {"TB", 1e12, SZ}, {"PB", 1e15, SZ},
	{"KiB", 1024.0, SZ}, {"MiB", 1048576.0, SZ},
	{"GiB", 1073741824.0, SZ}, {"TiB", 1099511627776.0, SZ},
	{"PiB", 1125899906842624.0, SZ},
	{"b", 0.125, SZ}, {"kb", 125, SZ}, {"Kb", 125, SZ}, {"Mb", 1.25e5, SZ},
	{"Gb", 1.25e8, SZ}, {"Tb", 1.25e11, SZ},
	{"Mbps", 1.25e5, BW}, {"Gbps", 1.25e8, BW},
	{"ms", 1e-3, TM}, {"s", 1, TM}, {"sec", 1, TM}, {"second", 1, TM},
	{"seconds", 1, TM}, {"min", 60, TM}, {"minute", 60, TM},
	{"minutes", 60, TM}, {"h", HOUR, TM}, {"hour", HOUR, TM},
	{"hours", HOUR, TM}, {"d", DAY, TM}, {"day", DAY, TM},
	{"days", DAY, TM}, {"w", 7 * DAY, TM}, {"week", 7 * DAY, TM},
	{"weeks", 7 * DAY, TM}, {"mo", MONTH, TM}, {"month", MONTH, TM},
	{"months", MONTH, TM}, {"y", YEAR, TM}, {"year", YEAR, TM},
	{"years", YEAR, TM},
	{"USD", 1, MN}, {"EUR", 1, MN}, {"CAD", 1, MN}, {"GBP", 1, MN},
	{"CHF", 1, MN},
	{"J", 1, EN}, {"kJ", 1e3, EN}, {"MJ", 1e6, EN}, {"Wh", HOUR, EN},
	{"kWh", 1e3 * HOUR, EN}, {"MWh", 1e6 * HOUR, EN},
	{"mW", 1e-3, PW}, {"W", 1, PW}, {"kW", 1e3, PW}, {"MW", 1e6, PW},
	{"FLOP", 1, FL}, {"kFLOP", 1e3, FL}, {"MFLOP", 1e6, FL},
	{"GFLOP", 1e9, FL}, {"TFLOP", 1e12, FL}, {"PFLOP", 1e15, FL},
	{"EFLOP", 1e18, FL}, {"GOP", 1e9, FL}, {"TOP", 1e12, FL},
	{"FLOPS", 1, FS}, {"GFLOPS", 1e9, FS}, {"TFLOPS", 1e12, FS},
	{"PFLOPS", 1e15, FS}, {"GOPS", 1e9, FS}, {"TOPS", 1e12, FS},
};

/* Multipliers on plain numbers and money: "250k", "1.2M", "8B" params. */
static const struct unit multipliers[] = {
	{"k", 1e3, NO}, {"K", 1e3, NO}, {"M", 1e6, NO},
	{"B", 1e9, NO}, {"G", 1e9, NO}, {"T", 1e12, NO},
};

struct dim_info {
	struct dimv v;
	const char *name;
	const char *example;
};

/* Indexed by enum model_dim. */
static const struct dim_info dims[] = {
	[MODEL_DIM_NUMBER] = {NO, "a number", "'120', '8B', '50M'"},
	[MODEL_DIM_FRACTION] = {NO, "a percentage", "'10%'"},
	[MODEL_DIM_SIZE] = {SZ, "a size", "'16GB', '48GiB', '2TB'"},
	[MODEL_DIM_DURATION] = {TM, "a duration", "'90s', '5min', '3h', '12w'"},
	[MODEL_DIM_MONEY] = {MN, "an amount of money", "'250k', '$1.2M'"},
	[MODEL_DIM_MONEY_PER_TIME] = {{{0, -1, 1, 0, 0}},
				      "a price per time",
				      "'$0.40/h', '49.99/month'"},
	[MODEL_DIM_MONEY_PER_ENERGY] = {{{0, 0, 1, 0, -1}},
					"a price per energy", "'0.18/kWh'"},
	[MODEL_DIM_MONEY_PER_SIZE] = {{{-1, 0, 1, 0, 0}}, "a price per size",
				      "'0.09/GB'"},
	[MODEL_DIM_RATE] = {{{0, -1, 0, 0, 0}}, "a rate",
			    "'30/s', '4/month'"},
	[MODEL_DIM_FLOP] = {FL, "an amount of computation",
			    "'8.7GFLOP', '2PFLOP'"},
	[MODEL_DIM_FLOPS] = {FS, "a computing speed", "'362TFLOPS'"},
	[MODEL_DIM_POWER] = {PW, "a power", "'350W', '1.2kW'"},
	[MODEL_DIM_ENERGY] = {EN, "an energy", "'12kWh'"},
	[MODEL_DIM_BANDWIDTH] = {BW, "a bandwidth", "'30Gb/s', '864GB/s'"},
	[MODEL_DIM_MONEY_PER_SIZE_TIME] = {{{-1, -1, 1, 0, 0}},
					   "a price per size and time",
					   "'20/TB-month', '0.02/GB-month'"},
};

static bool dim_eq(struct dimv a, struct dimv b)
{
	return !memcmp(a.e, b.e, sizeof(a.e));
}

const char *model_dim_name(enum model_dim d)
{
	return dims[d].name;
}

static const char *dim_describe(struct dimv v, bool percent)
{
	if (percent)
		return "a percentage";
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(dims); i++)
		if (i != MODEL_DIM_FRACTION && dim_eq(dims[i].v, v))
			return dims[i].name;
	return "a quantity of another kind";
}

static const struct unit *find(const struct unit *tab, size_t n,
			       const char *sym, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(tab[i].sym) == len && !strncmp(tab[i].sym, sym, len))
			return &tab[i];
	return NULL;
}

static int unknown_unit(const char *sym, size_t len, struct util_err *err)
{
	const char *names[UTIL_ARRAY_SIZE(units)];
	char word[64];
	const char *near;

	snprintf(word, sizeof(word), "%.*s", (int)(len < 60 ? len : 60), sym);
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(units); i++)
		names[i] = units[i].sym;
	near = util_nearest(word, names, UTIL_ARRAY_SIZE(units));
	if (near)
		return util_err_set(err, UTIL_E_INPUT,
				    "unknown unit '%s' (did you mean '%s'?)",
				    word, near);
	return util_err_set(err, UTIL_E_INPUT, "unknown unit '%s'", word);
}

/* One unit or, when mult_ok, a bare multiplier. "B" is a byte where
 * bytes are expected, else a billion. */
static int one_unit(const char *s, size_t len, bool mult_ok, bool want_bytes,
		    double *factor, struct dimv *dim, struct util_err *err)
{
	const struct unit *u = NULL;

	if (mult_ok && !(want_bytes && len == 1 && *s == 'B'))
		u = find(multipliers, UTIL_ARRAY_SIZE(multipliers), s, len);
	if (!u)
		u = find(units, UTIL_ARRAY_SIZE(units), s, len);
	if (!u)
		return unknown_unit(s, len, err);
	*factor = u->factor;
	*dim = u->dim;
	return 0;
}

#define TERM_MAX 3 /* "GB-month" is two; nothing needs more than three */

/* A unit term: "GB", "kWh", or a product "GB-month". */
static int term(const char *s, size_t len, bool mult_ok, bool want_bytes,
		double *factor, struct dimv *dim, struct util_err *err)
{
	const char *dash = memchr(s, '-', len);
	size_t at = 0;

	if (!dash || dash == s)
		return one_unit(s, len, mult_ok, want_bytes, factor, dim, err);
	*factor = 1;
	*dim = (struct dimv)NO;
	for (int k = 0; at <= len; k++) {
		const char *d = memchr(s + at, '-', len - at);
		size_t n = d ? (size_t)(d - (s + at)) : len - at;
		double f;
		struct dimv dd;
		int rc;

		if (k == TERM_MAX)
			return util_err_set(err, UTIL_E_INPUT, "more than %d "
					    "units joined by '-'", TERM_MAX);
		rc = one_unit(s + at, n, false, true, &f, &dd, err);
		if (rc)
			return rc;
		*factor *= f;
		for (int i = 0; i < NEXP; i++)
			dim->e[i] = (signed char)(dim->e[i] + dd.e[i]);
		at += n + 1;
	}
	return 0;
}

/* Length of the number at the start of s, 0 if there is none. */
static size_t number_len(const char *s)
{
	size_t i = 0, digits = 0;

	if (s[i] == '+' || s[i] == '-')
		i++;
	while (isdigit((unsigned char)s[i]) || s[i] == '.')
		digits += s[i++] != '.';
	if (!digits)
		return 0;
	if ((s[i] == 'e' || s[i] == 'E') &&
	    (isdigit((unsigned char)s[i + 1]) ||
	     ((s[i + 1] == '-' || s[i + 1] == '+') &&
	      isdigit((unsigned char)s[i + 2])))) {
		i += 2;
		while (isdigit((unsigned char)s[i]))
			i++;
	}
	return i;
}

static size_t currency_symbol(const char *s)
{
	if (*s == '$')
		return 1;
	if (!strncmp(s, "\xe2\x82\xac", 3)) /* € */
		return 3;
	if (!strncmp(s, "\xc2\xa3", 2)) /* £ */
		return 2;
	return 0;
}

/* YAML and C spellings of infinity and not-a-number. */
static bool is_nonfinite(const char *s)
{
	if (*s == '.')
		s++;
	return !strncasecmp(s, "nan", 3) || !strncasecmp(s, "inf", 3);
}

struct parsed {
	double value;
	struct dimv dim;
	bool percent;
};

static int parse_units(const char *u, bool want_bytes, struct parsed *p,
		       struct util_err *err)
{
	const char *slash = strchr(u, '/');
	size_t nlen = slash ? (size_t)(slash - u) : strlen(u);
	double f = 1;
	struct dimv d = NO;
	int rc;

	if (nlen == 1 && *u == '%' && !slash) {
		p->value *= 0.01;
		p->percent = true;
		return 0;
	}
	/* "k EUR": a multiplier, then a unit, after a space */
	for (size_t at = 0, k = 0; at < nlen; k++) {
		const char *sp = memchr(u + at, ' ', nlen - at);
		size_t len = sp ? (size_t)(sp - (u + at)) : nlen - at;

		/* only a multiplier may come before another word */
		if (k > 1 || !len ||
		    (k == 1 && !find(multipliers, UTIL_ARRAY_SIZE(multipliers),
				     u, (size_t)(at - 1))))
			return util_err_set(err, UTIL_E_INPUT,
					    "unexpected '%.*s' after the unit",
					    (int)(nlen - at), u + at);
		rc = term(u + at, len, k == 0, want_bytes, &f, &d, err);
		if (rc)
			return rc;
		p->value *= f;
		for (int i = 0; i < NEXP; i++)
			p->dim.e[i] = (signed char)(p->dim.e[i] + d.e[i]);
		at += len + (sp != NULL);
	}
	if (!slash)
		return 0;
	if (!slash[1] || strchr(slash + 1, '/'))
		return util_err_set(err, UTIL_E_INPUT,
				    "expected one unit after '/'");
	rc = term(slash + 1, strlen(slash + 1), false, true, &f, &d, err);
	if (rc)
		return rc;
	p->value /= f;
	for (int i = 0; i < NEXP; i++)
		p->dim.e[i] = (signed char)(p->dim.e[i] - d.e[i]);
	return 0;
}

static int scan(const char *text, bool want_bytes, struct parsed *p,
		struct util_err *err)
{
	char num[64];
	const char *s = text;
	size_t cur, nl;
	int rc;

	memset(p, 0, sizeof(*p));
	while (isspace((unsigned char)*s))
		s++;
	cur = currency_symbol(s);
	s += cur;
	nl = number_len(s);
	if (!nl && is_nonfinite(s + (*s == '-' || *s == '+')))
		return util_err_set(err, UTIL_E_INPUT,
				    "not a finite number");
	if (!nl || nl >= sizeof(num))
		return util_err_set(err, UTIL_E_INPUT, "no number");
	memcpy(num, s, nl);
	num[nl] = '\0';
	if (util_parse_double(num, &p->value))
		return util_err_set(err, UTIL_E_INPUT,
				    strchr(num, '.') != strrchr(num, '.')
					    ? "'%s' is not a valid number"
					    : "'%s' is out of range",
				    num);
	s += nl;
	if (*s == ',' && isdigit((unsigned char)s[1])) /* "1,000", "2,5" */
		return util_err_set(err, UTIL_E_INPUT,
				    "a comma in a number: write it without "
				    "thousands separators ('1000', or '1k'), "
				    "with a point for decimals ('2.5')");
	while (*s == ' ')
		s++;
	rc = parse_units(s, want_bytes, p, err);
	if (rc)
		return rc;
	if (cur) {
		if (p->dim.e[E_MONEY])
			return util_err_set(err, UTIL_E_INPUT,
					    "currency given twice");
		p->dim.e[E_MONEY] = 1;
	}
	return 0;
}

/* text, cut to fit in a message. */
static const char *shown(const char *text, char buf[72])
{
	snprintf(buf, 72, "%.60s%s", text, strlen(text) > 60 ? "..." : "");
	return buf;
}

int model_units_parse(const char *text, enum model_dim expect,
		      unsigned flags, double *out, struct util_err *err)
{
	char cut[72];

	const struct dim_info *want = &dims[expect];
	struct util_err why;
	struct parsed p;

	if (scan(text, want->v.e[E_BYTE] != 0, &p, &why))
		return util_err_set(err, UTIL_E_INPUT,
				    "expected %s (e.g. %s), got '%s': %s",
				    want->name, want->example, shown(text, cut),
				    why.msg);
	/* a bare zero is zero of anything */
	if (p.value == 0 && !p.percent &&
	    dim_eq(p.dim, dims[MODEL_DIM_NUMBER].v)) {
		p.dim = want->v;
		p.percent = expect == MODEL_DIM_FRACTION;
	}
	/* money may be written without a currency: "250k", "0.18/kWh" */
	if (want->v.e[E_MONEY] == 1 && p.dim.e[E_MONEY] == 0)
		p.dim.e[E_MONEY] = 1;
	if (!dim_eq(p.dim, want->v) ||
	    p.percent != (expect == MODEL_DIM_FRACTION))
		return util_err_set(err, UTIL_E_INPUT,
				    "expected %s (e.g. %s), got %s '%s'",
				    want->name, want->example,
				    dim_describe(p.dim, p.percent),
				    shown(text, cut));
	if (!isfinite(p.value))
		return util_err_set(err, UTIL_E_INPUT,
				    "'%s' is out of range", shown(text, cut));
	if (p.value < 0 && !(flags & MODEL_UNITS_NEGATIVE))
		return util_err_set(err, UTIL_E_INPUT,
				    "'%s' cannot be negative", shown(text, cut));
	if (p.value == 0 && (flags & MODEL_UNITS_POSITIVE))
		return util_err_set(err, UTIL_E_INPUT,
				    "'%s' must be greater than zero",
				    shown(text, cut));
	*out = p.value;
	return 0;
}

int model_units_currency(const char *text, char code[4])
{
	static const char *const codes[] = {"USD", "EUR", "CAD", "GBP", "CHF"};
	const char *s = text;
	size_t cur;

	while (isspace((unsigned char)*s))
		s++;
	cur = currency_symbol(s);
	if (cur) {
		snprintf(code, 4, "%s",
			 cur == 1 ? "$" : cur == 3 ? "EUR" : "GBP");
		return 1;
	}
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(codes); i++) {
		if (strstr(text, codes[i])) {
			snprintf(code, 4, "%s", codes[i]);
			return 1;
		}
	}
	return 0;
}
