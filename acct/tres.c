/* GPUs from a TRES string (AllocTRES), and Slurm GPU type names mapped
 * onto catalog accelerators through the catalog's `slurm:` tables. */
#include <ctype.h>
#include <strings.h>

#include "acct.h"

/* A TRES value: digits, then an optional unit suffix for sizes (mem=16G,
 * gres/gpumem=40G) or a fraction (billing may be 2.5 with weights). */
static bool tres_value(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && (isdigit((unsigned char)s[i]) || s[i] == '.'))
		i++;
	if (!i)
		return false;
	if (i < len && s[i] && strchr("KMGTPkmgtp", s[i]))
		i++;
	return i == len;
}

static bool type_char(int c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.' || c == ':';
}

/* One NAME=VALUE pair of s[0..len); GPUs added to g or *untyped. */
static int tres_pair(const char *s, size_t len, struct acct_gres *g,
		     size_t max, size_t *n, long *untyped, struct util_err *err)
{
	const char *eq = memchr(s, '=', len);
	size_t klen, vlen;
	char num[24];
	long v;

	if (!eq || eq == s)
		return util_err_set(err, UTIL_E_INPUT,
				    "'%.*s' is not NAME=VALUE", (int)len, s);
	klen = (size_t)(eq - s);
	vlen = len - klen - 1;
	if (!tres_value(eq + 1, vlen))
		return util_err_set(err, UTIL_E_INPUT,
				    "'%.*s' has no number after '='", (int)len,
				    s);
	if (klen < 8 || strncmp(s, "gres/gpu", 8) ||
	    (klen > 8 && s[8] != ':'))
		return 0; /* cpu, mem, gres/gpumem, license/x, ... */
	if (vlen >= sizeof(num) || memchr(eq + 1, '.', vlen) ||
	    !isdigit((unsigned char)eq[vlen]))
		return util_err_set(err, UTIL_E_INPUT,
				    "'%.*s': a GPU count is a whole number",
				    (int)len, s);
	memcpy(num, eq + 1, vlen);
	num[vlen] = '\0';
	if (util_parse_long(num, 0, 1000000, &v))
		return util_err_set(err, UTIL_E_INPUT,
				    "'%.*s': GPU count out of range", (int)len,
				    s);
	if (klen == 8) {
		*untyped += v;
		return 0;
	}
	for (size_t i = 9; i < klen; i++)
		if (!type_char((unsigned char)s[i]))
			return util_err_set(err, UTIL_E_INPUT,
					    "'%.*s': bad character in the GPU "
					    "type",
					    (int)len, s);
	if (klen - 9 == 0 || klen - 9 >= ACCT_NAME_MAX)
		return util_err_set(err, UTIL_E_INPUT,
				    "'%.*s': empty or too long GPU type",
				    (int)len, s);
	if (*n >= max)
		return util_err_set(err, UTIL_E_INPUT,
				    "more than %zu GPU types in one job", max);
	memcpy(g[*n].type, s + 9, klen - 9);
	g[*n].type[klen - 9] = '\0';
	g[*n].count = v;
	(*n)++;
	return 0;
}

int acct_tres_gpus(const char *tres, struct acct_gres *g, size_t max,
		   size_t *n, long *untyped, struct util_err *err)
{
	const char *s = tres;

	*n = 0;
	*untyped = 0;
	while (*s) {
		size_t len = strcspn(s, ",");
		int rc = tres_pair(s, len, g, max, n, untyped, err);

		if (rc)
			return rc;
		s += len;
		if (*s == ',' && !*++s)
			return util_err_set(err, UTIL_E_INPUT,
					    "TRES list ends with ','");
	}
	return 0;
}

/* The share of a device of MIG profile p ("3g.20gb"): g over the largest
 * slice count of the accelerator's profiles; 0 if a does not list p. */
static double mig_share(const struct pricing_accel *a, const char *p)
{
	long most = 0, g = 0;
	bool listed = false;

	for (size_t i = 0; i < a->nmig; i++) {
		long k = strtol(a->mig[i], NULL, 10);

		if (k > most)
			most = k;
		if (!strcasecmp(a->mig[i], p)) {
			listed = true;
			g = k;
		}
	}
	return listed && most > 0 && g > 0 ? (double)g / (double)most : 0;
}

static bool offer_in(const struct acct_types *t, const struct pricing_offer *o)
{
	return o->slurm_gpu_type &&
	       (!t->cluster ||
		(o->cluster && !strcasecmp(o->cluster, t->cluster)));
}

bool acct_known_cluster(const struct pricing_catalog *c, const char *name)
{
	struct acct_types t = {c, name};

	for (size_t i = 0; i < c->noffers; i++)
		if (offer_in(&t, &c->offers[i]))
			return true;
	return false;
}

const char *acct_type_accel(const struct acct_types *t, const char *type,
			    double *share)
{
	const struct pricing_catalog *c = t->cat;
	const struct pricing_accel *a;

	*share = 1;
	for (size_t i = 0; i < c->noffers; i++) {
		const struct pricing_offer *o = &c->offers[i];

		if (offer_in(t, o) && !strcasecmp(o->slurm_gpu_type, type)) {
			/* the accelerator's own name, whatever the offer wrote */
			a = pricing_catalog_find_accel(c, o->accel);
			return a ? a->name : o->accel;
		}
	}
	for (size_t i = 0; i < c->noffers; i++) {
		const struct pricing_offer *o = &c->offers[i];
		size_t pl = o->slurm_mig_prefix ? strlen(o->slurm_mig_prefix)
						: 0;

		if (!offer_in(t, o) || !pl ||
		    strncasecmp(o->slurm_mig_prefix, type, pl))
			continue;
		a = pricing_catalog_find_accel(c, o->accel);
		if (a && (*share = mig_share(a, type + pl)) > 0)
			return a->name;
		*share = 1;
	}
	a = pricing_catalog_find_accel(c, type);
	return a ? a->name : NULL;
}
