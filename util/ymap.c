/* Reading YAML mappings: key checks and typed getters with diagnostics. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ydoc.h"

static const yaml_node_pair_t *pair(const struct util_ymap *m, size_t i)
{
	return &m->node->data.mapping.pairs.start[i];
}

size_t util_ymap_len(const struct util_ymap *m)
{
	if (!m->node)
		return 0;
	return (size_t)(m->node->data.mapping.pairs.top -
			m->node->data.mapping.pairs.start);
}

const yaml_node_t *util_ymap_key(const struct util_ymap *m, size_t i)
{
	return util_ydoc_node(m->y, pair(m, i)->key);
}

const yaml_node_t *util_ymap_value(const struct util_ymap *m, size_t i)
{
	return util_ydoc_node(m->y, pair(m, i)->value);
}

/* The key of keys[] nearest to key among those m does not give yet
 * ('input_tokens' beside 'output_tokens' is no typo of it), else one it
 * gives within two edits (a slip beside the key it repeats: 'price_hr'
 * beside 'price_hour'), else NULL. */
static const char *nearest_key(const struct util_ymap *m, const char *key,
			       const char *const *keys, size_t nkeys)
{
	const char **left = util_xcalloc(nkeys + 1, sizeof(*left));
	const char *near;
	size_t n = 0;

	for (size_t i = 0; i < nkeys; i++) {
		bool given = false;

		for (size_t j = 0; j < util_ymap_len(m) && !given; j++) {
			const char *g = util_yscalar(util_ymap_key(m, j));

			given = g && !strcmp(g, keys[i]);
		}
		if (!given)
			left[n++] = keys[i];
	}
	near = util_nearest(key, left, n);
	free(left);
	if (!near) {
		near = util_nearest(key, keys, nkeys);
		if (near && util_edit_distance(key, near) > 2)
			near = NULL;
	}
	return near;
}

static void unknown_key(struct util_ymap *m, const yaml_node_t *k,
			const char *const *keys, size_t nkeys)
{
	const char *key = util_yscalar(k);
	const char *near = nearest_key(m, key, keys, nkeys);
	struct util_buf b;

	if (near) {
		util_yerr(m->y, m->d, k, "unknown key '%s' in %s (did you "
			  "mean '%s'?)", key, m->ctx, near);
		return;
	}
	util_buf_init(&b);
	for (size_t i = 0; i < nkeys; i++)
		util_buf_printf(&b, "%s%s", i ? ", " : "", keys[i]);
	util_yerr(m->y, m->d, k, "unknown key '%s' in %s (expected one of: %s)",
		  key, m->ctx, util_buf_str(&b));
	util_buf_release(&b);
}

/* Checks pair i's key: a scalar, not seen before, among keys[] if given. */
static int check_key(struct util_ymap *m, size_t i, const char *const *keys,
		     size_t nkeys)
{
	const yaml_node_t *k = util_ymap_key(m, i);
	const char *key = util_yscalar(k);
	char what[80];

	if (!key || util_ynull(k))
		return util_yerr(m->y, m->d, k, "keys in %s must be names, "
				 "got %s", m->ctx,
				 util_ydescribe(k, what, sizeof(what)));
	for (size_t j = 0; j < i; j++) {
		const yaml_node_t *prev = util_ymap_key(m, j);
		const char *pk = util_yscalar(prev);

		if (pk && !strcmp(pk, key))
			return util_yerr(m->y, m->d, k, "duplicate key '%s' "
					 "in %s (first at line %d)", key,
					 m->ctx, util_yline(prev));
	}
	if (!strcmp(key, "<<")) /* YAML 1.1's merge key: libyaml has none */
		return util_yerr(m->y, m->d, k, "merge keys ('<<: *anchor') "
				 "are not supported (in %s): repeat the keys "
				 "(an alias '*name' of a whole value works), or "
				 "vary a value with sweep's --set", m->ctx);
	if (!keys)
		return 0;
	for (size_t j = 0; j < nkeys; j++)
		if (!strcmp(keys[j], key))
			return 0;
	unknown_key(m, k, keys, nkeys);
	return UTIL_E_INPUT;
}

int util_ymap_open(struct util_ymap *m, struct util_ydoc *y,
		   struct util_diags *d, const yaml_node_t *node,
		   const char *ctx, const char *const *keys, size_t nkeys)
{
	char what[80];
	int rc = 0;

	m->y = y;
	m->d = d;
	m->node = NULL;
	snprintf(m->ctx, sizeof(m->ctx), "%s", ctx);
	if (!node || node->type != YAML_MAPPING_NODE)
		return util_yerr(y, d, node, "%s must be a mapping of keys to "
				 "values, got %s", ctx,
				 util_ydescribe(node, what, sizeof(what)));
	if ((size_t)(node->data.mapping.pairs.top -
		     node->data.mapping.pairs.start) > UTIL_YAML_MAX_KEYS)
		return util_yerr(y, d, node, "%s has more than %d keys", ctx,
				 UTIL_YAML_MAX_KEYS);
	m->node = node;
	for (size_t i = 0; i < util_ymap_len(m); i++)
		if (check_key(m, i, keys, nkeys))
			rc = UTIL_E_INPUT;
	return rc;
}

const yaml_node_t *util_ymap_get(const struct util_ymap *m, const char *key)
{
	for (size_t i = 0; i < util_ymap_len(m); i++) {
		const char *k = util_yscalar(util_ymap_key(m, i));

		if (k && !strcmp(k, key))
			return util_ymap_value(m, i);
	}
	return NULL;
}

int util_ymap_missing(struct util_ymap *m, const char *key)
{
	return util_yerr(m->y, m->d, m->node, "missing required key '%s' in "
			 "%s", key, m->ctx);
}

int util_ymap_err(struct util_ymap *m, const yaml_node_t *at,
		  const char *fmt, ...)
{
	va_list ap;
	int rc;

	if (!at) /* a key that is absent: the mapping's position */
		at = m->node;
	va_start(ap, fmt);
	rc = util_diag_vadd(m->d, UTIL_ERROR, m->y->file,
			    at ? util_yline(at) : 0, at ? util_ycol(at) : 0,
			    fmt, ap);
	va_end(ap);
	return rc;
}

/* The scalar value of key, NULL if absent (or null) and not required. */
static int scalar(struct util_ymap *m, const char *key, int flags,
		  const char *expected, const yaml_node_t **node,
		  const char **text)
{
	const yaml_node_t *v = util_ymap_get(m, key);
	char what[80];

	/* no mapping: whoever opened it has said that it is absent or not a
	 * mapping; a "missing key" for each required key, with no position,
	 * would only bury that one message */
	if (!m->node)
		return flags & UTIL_Y_REQUIRED ? UTIL_E_INPUT : 0;
	if (!v || util_ynull(v)) {
		if (flags & UTIL_Y_REQUIRED) {
			if (v)
				return util_ymap_err(m, v, "'%s' in %s has no "
						     "value (expected %s)", key,
						     m->ctx, expected);
			return util_ymap_missing(m, key);
		}
		return 0;
	}
	if (v->type != YAML_SCALAR_NODE)
		return util_ymap_err(m, v, "'%s' in %s must be %s, got %s", key,
				     m->ctx, expected,
				     util_ydescribe(v, what, sizeof(what)));
	*node = v;
	*text = util_yscalar(v);
	return 1;
}

int util_ymap_str(struct util_ymap *m, const char *key, int flags,
		  const char **out)
{
	const yaml_node_t *v;
	const char *s;
	int rc = scalar(m, key, flags, "a string", &v, &s);

	if (rc == 1)
		*out = s;
	return rc;
}

static void fmt_bound(char *buf, size_t size, double x)
{
	snprintf(buf, size, "%.10g", x);
}

int util_ymap_num(struct util_ymap *m, const char *key, int flags, double min,
		  double max, double *out)
{
	const yaml_node_t *v;
	const char *s;
	char lo[32], hi[32];
	double x;
	int rc = scalar(m, key, flags, "a number", &v, &s);

	if (rc != 1)
		return rc;
	/* a quoted "0.5" is text: JSON and YAML readers elsewhere would
	 * not take it for a number either */
	if ((v->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
	     v->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) &&
	    !util_parse_double(s, &x))
		return util_ymap_err(m, v, "'%s' in %s must be a number, got "
				     "the string \"%s\" (remove the quotes)",
				     key, m->ctx, s);
	if (util_parse_double(s, &x))
		return util_ymap_err(m, v, "'%s' in %s must be a number, got "
				     "'%s'", key, m->ctx, s);
	if (x < min || x > max) {
		fmt_bound(lo, sizeof(lo), min);
		fmt_bound(hi, sizeof(hi), max);
		return util_ymap_err(m, v, "'%s' in %s must be between %s and "
				     "%s, got %s", key, m->ctx, lo, hi, s);
	}
	*out = x;
	return 1;
}

int util_ymap_long(struct util_ymap *m, const char *key, int flags, long min,
		   long max, long *out)
{
	const yaml_node_t *v;
	const char *s;
	long x;
	int rc = scalar(m, key, flags, "a whole number", &v, &s);

	if (rc != 1)
		return rc;
	if (util_parse_long(s, LONG_MIN, LONG_MAX, &x)) {
		/* "4k", "32K", "2M": a suffix where the number is wanted */
		size_t n = strlen(s);
		double y;
		char *num = util_xstrndup(s, n ? n - 1 : 0);
		int bad = n < 2 || !strchr("kKmM", s[n - 1]) ||
			  util_parse_double(num, &y) || !(y > 0) || y > 1e9;
		double k = bad ? 0 : (s[n - 1] == 'k' || s[n - 1] == 'K')
					     ? 1e3
					     : 1e6;

		free(num);
		if (bad)
			return util_ymap_err(m, v, "'%s' in %s must be a "
					     "whole number, got '%s'", key,
					     m->ctx, s);
		return util_ymap_err(m, v, "'%s' in %s must be a whole "
				     "number, got '%s' (write it out: %.0f, "
				     "or %.0f if %c means %s)", key, m->ctx,
				     s, y * k, y * (k > 1e3 ? 1048576 : 1024),
				     s[n - 1], k > 1e3 ? "1,048,576" : "1,024");
	}
	if (x < min || x > max)
		return util_ymap_err(m, v, "'%s' in %s must be between %ld "
				     "and %ld, got %s", key, m->ctx, min, max,
				     s);
	*out = x;
	return 1;
}

int util_ymap_bool(struct util_ymap *m, const char *key, int flags,
		   bool *out)
{
	const yaml_node_t *v;
	const char *s;
	int rc = scalar(m, key, flags, "true or false", &v, &s);

	if (rc != 1)
		return rc;
	if (!strcasecmp(s, "true") || !strcasecmp(s, "yes")) {
		*out = true;
		return 1;
	}
	if (!strcasecmp(s, "false") || !strcasecmp(s, "no")) {
		*out = false;
		return 1;
	}
	return util_ymap_err(m, v, "'%s' in %s must be true or false, got "
			     "'%s'", key, m->ctx, s);
}

int util_ymap_strv(struct util_ymap *m, const char *key, char ***v, size_t *n)
{
	const yaml_node_t *seq = util_ymap_get(m, key);
	char what[80];
	int rc = 1;

	if (!seq || util_ynull(seq))
		return 0;
	if (seq->type != YAML_SEQUENCE_NODE)
		return util_ymap_err(m, seq, "'%s' in %s must be a list such as "
				     "[a, b], got %s", key, m->ctx,
				     util_ydescribe(seq, what, sizeof(what)));
	*n = util_yseq_len(seq);
	*v = util_xcalloc(*n ? *n : 1, sizeof(**v));
	for (size_t i = 0; i < *n; i++) {
		const yaml_node_t *it = util_yseq_item(m->y, seq, i);
		const char *s = util_yscalar(it);

		(*v)[i] = util_xstrdup(s && !util_ynull(it) ? s : "");
		if (!s || util_ynull(it))
			rc = util_ymap_err(m, it, "items of '%s' in %s must be "
					   "strings, got %s", key, m->ctx,
					   util_ydescribe(it, what,
							  sizeof(what)));
	}
	return rc;
}
