/* Getters for the scenario loader: quantities with units, enumerations,
 * accelerator references, lists. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scenario_int.h"

/* Bounds past which a value is surely a slip of the unit (1e20
 * parameters, a 1-byte student), in base units. They keep the model's
 * arithmetic finite. */
static const struct bound {
	const char *key;
	double min, max;
	const char *what;
} bounds[] = {
	{"params", 1, 1e14, "100T parameters"},
	{"tokens", 1, 1e15, "a quadrillion tokens"},
	{"runs", 0, 1.0 / 60, "a run a minute"},
	{"rate", 0, 1e9, "a billion a second"},
	{"stream", 0, 1e9, "a billion a second"},
	{"batch", 1, 1e18, "1e18 items"},
	{"compute", 1, 1e18, "1e18 FLOP per request"},
	{"compute_per_item", 1, 1e21, "1e21 FLOP per item"},
	{"gpu_memory", 1e6, 1e13, "10 TB"},
	{"dataset", 0, 1e18, "an exabyte"},
	{"payload", 0, 1e12, "a terabyte"},
	{"storage_per_entity", 0, 1e18, "an exabyte"},
	{"storage", 0, 1e18, "an exabyte"},
};

/* Checks *out against the bound of key, if it has one. */
static int check_bound(struct util_ymap *m, const char *key, double v)
{
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(bounds); i++) {
		const struct bound *b = &bounds[i];

		if (strcmp(b->key, key))
			continue;
		if (v > b->max)
			return util_ymap_err(m, util_ymap_get(m, key),
					     "'%s' in %s is above %s: is the "
					     "unit right?", key, m->ctx,
					     b->what);
		if (v > 0 && v < b->min)
			return util_ymap_err(m, util_ymap_get(m, key),
					     "'%s' in %s is too small to be "
					     "meant: is the unit right?",
					     key, m->ctx);
	}
	return 1;
}

int sl_qty(struct util_ymap *m, const char *key, int flags,
	   enum model_dim dim, unsigned uflags, double *out)
{
	const char *text = NULL;
	struct util_err err;
	int rc = util_ymap_str(m, key, flags, &text);

	if (rc != 1)
		return rc;
	if (model_units_parse(text, dim, uflags, out, &err))
		return util_ymap_err(m, util_ymap_get(m, key), "'%s' in %s: %s",
				     key, m->ctx, err.msg);
	return check_bound(m, key, *out);
}

bool sl_valid_name(const char *s, size_t max)
{
	if (!*s || strlen(s) > max || !isalnum((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	return true;
}

int sl_money(struct sload *l, struct util_ymap *m, const char *key,
	     enum model_dim dim, double *out)
{
	const char *text = NULL;
	int rc = sl_qty(m, key, 0, dim, 0, out);

	if (rc != 1 || util_ymap_str(m, key, 0, &text) != 1)
		return rc;
	return sl_money_currency(l, m, key, text) < 0 ? -1 : rc;
}

int sl_money_currency(struct sload *l, struct util_ymap *m, const char *key,
		      const char *text)
{
	static const char *const dollars[] = {"USD", "CAD", "AUD", "NZD",
					      "SGD", "HKD"};
	const char *cur = l->s->currency;
	char code[4];

	if (!model_units_currency(text, code))
		return 0;
	if (!strcmp(code, cur) ||
	    (!strcmp(code, "$") &&
	     util_strcase_index(cur, dollars, UTIL_ARRAY_SIZE(dollars)) >= 0))
		return 0;
	return util_ymap_err(m, util_ymap_get(m, key),
			     "'%s' in %s is in %s, but the scenario's currency "
			     "is %s (write it in %s: gpuplan converts the "
			     "catalog's prices, not the scenario's amounts)",
			     key, m->ctx, !strcmp(code, "$") ? "dollars" : code,
			     cur, cur);
}

int sl_count(struct util_ymap *m, const char *key, int flags, long min,
	     long max, long *out)
{
	return util_ymap_long(m, key, flags, min, max, out);
}

int sl_enum(struct util_ymap *m, const char *key, int flags,
	    const char *const *names, size_t n, int *out)
{
	const char *s = NULL, *near;
	struct util_buf b;
	int rc = util_ymap_str(m, key, flags, &s);

	if (rc != 1)
		return rc;
	/* any case: "W4A16" and "FP8" as model cards write them, "Week" */
	for (size_t i = 0; i < n; i++) {
		if (!strcasecmp(s, names[i])) {
			*out = (int)i;
			return 1;
		}
	}
	near = util_nearest(s, names, n);
	if (near)
		return util_ymap_err(m, util_ymap_get(m, key),
				     "unknown %s '%s' in %s (did you mean "
				     "'%s'?)", key, s, m->ctx, near);
	util_buf_init(&b);
	for (size_t i = 0; i < n; i++)
		util_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
	rc = util_ymap_err(m, util_ymap_get(m, key),
			   "unknown %s '%s' in %s (expected one of: %s)", key,
			   s, m->ctx, util_buf_str(&b));
	util_buf_release(&b);
	return rc;
}

int sl_accel(struct sload *l, const yaml_node_t *at, const char *name,
	     char **out)
{
	const struct pricing_accel *a =
		pricing_catalog_find_accel(&l->s->catalog, name);
	const char *near;

	if (a) {
		*out = util_xstrdup(a->name);
		return 1;
	}
	/* it may be one the broken catalog would have defined */
	if (l->catalog_failed)
		return UTIL_E_INPUT;
	near = pricing_catalog_suggest_accel(&l->s->catalog, name);
	if (near)
		return util_yerr(l->y, l->d, at, "unknown accelerator '%s' "
				 "(did you mean '%s'?)", name, near);
	return util_yerr(l->y, l->d, at, "unknown accelerator '%s' (`gpuplan "
			 "catalog accelerators` lists them)", name);
}

/* "AMOUNT ACCELERATOR" in text, the value of key in m */
static int accel_qty_text(struct sload *l, struct util_ymap *m,
			  const char *key, const char *text,
			  enum model_dim dim, struct model_accel_qty *out)
{
	const char *sp;
	struct util_err err;
	char *num;
	int rc;

	sp = strrchr(text, ' ');
	if (!sp || !sp[1])
		return util_ymap_err(m, util_ymap_get(m, key),
				     "'%s' in %s must be an amount and an "
				     "accelerator, e.g. '0.25 L40S' or "
				     "'20000 A100', got '%s'",
				     key, m->ctx, text);
	num = util_xstrndup(text, (size_t)(sp - text));
	rc = model_units_parse(num, dim, MODEL_UNITS_POSITIVE, &out->amount,
			       &err);
	free(num);
	if (rc)
		return util_ymap_err(m, util_ymap_get(m, key), "'%s' in %s: %s",
				     key, m->ctx, err.msg);
	rc = sl_accel(l, util_ymap_get(m, key), sp + 1, &out->accel);
	return rc < 0 ? rc : 1;
}

int sl_accel_qty(struct sload *l, struct util_ymap *m, const char *key,
		 int flags, enum model_dim dim, struct model_accel_qty *out)
{
	return sl_accel_qty_rate(l, m, key, flags, dim, out, NULL);
}

int sl_accel_qty_rate(struct sload *l, struct util_ymap *m, const char *key,
		      int flags, enum model_dim dim,
		      struct model_accel_qty *out, bool *per_year)
{
	static const char *const suffixes[] = {" per year", "/year"};
	const char *text = NULL;
	char *own = NULL;
	int rc = util_ymap_str(m, key, flags, &text);

	if (rc != 1)
		return rc;
	for (size_t i = 0; per_year && !own && i < 2; i++) {
		size_t len = strlen(text), sl = strlen(suffixes[i]);

		if (len > sl && !strcmp(text + len - sl, suffixes[i])) {
			*per_year = true;
			own = util_xstrndup(text, len - sl);
			text = own;
		}
	}
	rc = accel_qty_text(l, m, key, text, dim, out);
	free(own);
	return rc;
}

int sl_submap(struct sload *l, struct util_ymap *parent, const char *key,
	      const char *const *keys, size_t nkeys, struct util_ymap *m)
{
	const yaml_node_t *n = util_ymap_get(parent, key);
	const char *pc = parent->ctx;
	size_t plen = strlen(pc);
	char ctx[sizeof(m->ctx)];

	/* a dotted path from the top ("'venues.onprem'"), or "'model' of
	 * workload 'x'" inside a workload */
	if (!strcmp(pc, "the scenario"))
		snprintf(ctx, sizeof(ctx), "'%.40s'", key);
	else if (plen > 2 && pc[0] == '\'' && pc[plen - 1] == '\'' &&
		 !memchr(pc + 1, '\'', plen - 2))
		snprintf(ctx, sizeof(ctx), "%.*s.%.40s'",
			 (int)(plen - 1 < 100 ? plen - 1 : 100), pc, key);
	else
		snprintf(ctx, sizeof(ctx), "'%.40s' of %.100s", key, pc);
	m->node = NULL;
	m->y = l->y;
	m->d = l->d;
	memcpy(m->ctx, ctx, sizeof(ctx));
	if (!n || util_ynull(n))
		return 0;
	return util_ymap_open(m, l->y, l->d, n, ctx, keys, nkeys);
}
