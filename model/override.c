/* What-if overrides (`gpuplan sweep --set PATH=VALUE`): a value put into
 * the scenario's YAML tree before it is loaded, so that the loader checks
 * it like any other (docs/sweep.md); and price multipliers applied to the
 * scenario's catalog after. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../pricing/pricing_int.h"
#include "scenario_int.h"

static int node_index(const yaml_document_t *doc, const yaml_node_t *n)
{
	return (int)(n - doc->nodes.start) + 1;
}

static int bad_text(const char *path, struct util_err *err)
{
	return util_err_set(err, UTIL_E_USAGE, "'%.*s...': the path or the "
			    "value is not valid UTF-8 text",
			    (int)strcspn(path, "\x80"), path);
}

/* A new plain scalar at the position of near (for messages), or 0 when
 * libyaml refuses the text (not UTF-8). */
static int scalar(yaml_document_t *doc, const char *text, int near)
{
	int i = yaml_document_add_scalar(doc, NULL, (yaml_char_t *)text,
					 (int)strlen(text),
					 YAML_PLAIN_SCALAR_STYLE);
	yaml_node_t *n = yaml_document_get_node(doc, i);
	const yaml_node_t *p = yaml_document_get_node(doc, near);

	if (n && p) {
		n->start_mark = p->start_mark;
		n->end_mark = p->end_mark;
	}
	return i;
}

/* A list value "[a, b]": a new flow sequence of plain scalars, or 0. */
static int sequence(yaml_document_t *doc, const char *text, int near)
{
	size_t len = strlen(text);
	char *body = util_xstrndup(text + 1, len - 2);
	int seq = yaml_document_add_sequence(doc, NULL,
					     YAML_FLOW_SEQUENCE_STYLE);
	char *p = body;

	if (seq && yaml_document_get_node(doc, near))
		yaml_document_get_node(doc, seq)->start_mark =
			yaml_document_get_node(doc, near)->start_mark;
	while (seq && *p) {
		size_t n = strcspn(p, ",");
		char *end = p + n, *item;
		bool more = *end == ',';
		int it;

		*end = '\0';
		while (*p == ' ')
			p++;
		while (end > p && end[-1] == ' ')
			*--end = '\0';
		item = p;
		p += strlen(p) + more;
		while (*p == ' ')
			p++;
		if (!*item)
			continue;
		it = scalar(doc, item, near);
		if (!it || !yaml_document_append_sequence_item(doc, seq, it))
			seq = 0;
	}
	free(body);
	return seq;
}

static bool is_list(const char *value)
{
	size_t n = strlen(value);

	return n >= 2 && value[0] == '[' && value[n - 1] == ']';
}

/* The node for value: a list "[a, b]" or a scalar. */
static int value_node(yaml_document_t *doc, const char *value, int near)
{
	return is_list(value) ? sequence(doc, value, near)
			      : scalar(doc, value, near);
}

static const char *text_of(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE
		       ? (const char *)n->data.scalar.value
		       : NULL;
}

/* How many places refer to node i: more than one when it is a YAML
 * anchor used by aliases (libyaml shares the node). */
static int refs(const yaml_document_t *doc, int i)
{
	int n = 0;

	for (yaml_node_t *m = doc->nodes.start; m < doc->nodes.top; m++) {
		if (m->type == YAML_MAPPING_NODE)
			for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
			     p < m->data.mapping.pairs.top; p++)
				n += (p->key == i) + (p->value == i);
		else if (m->type == YAML_SEQUENCE_NODE)
			for (yaml_node_item_t *it = m->data.sequence.items.start;
			     it < m->data.sequence.items.top; it++)
				n += *it == i;
	}
	return n;
}

/* The `name` of a list item (a mapping), or NULL. */
static const char *item_name(yaml_document_t *doc, int item)
{
	yaml_node_t *m = yaml_document_get_node(doc, item);

	if (!m || m->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
	     p < m->data.mapping.pairs.top; p++) {
		const char *k = text_of(yaml_document_get_node(doc, p->key));

		if (k && !strcmp(k, "name"))
			return text_of(yaml_document_get_node(doc, p->value));
	}
	return NULL;
}

/* The item of sequence seq whose `name` is the longest prefix of the
 * segments at *rest (names may hold dots); advances *rest past it. */
static int named_item(yaml_document_t *doc, int seq, const char **rest)
{
	yaml_node_t *s = yaml_document_get_node(doc, seq);
	int best = 0;
	size_t best_len = 0;

	for (yaml_node_item_t *it = s->data.sequence.items.start;
	     it < s->data.sequence.items.top; it++) {
		const char *v = item_name(doc, *it);
		size_t n = v ? strlen(v) : 0;

		if (v && n > best_len && !strncmp(*rest, v, n) &&
		    ((*rest)[n] == '.' || !(*rest)[n])) {
			best = *it;
			best_len = n;
		}
	}
	if (best)
		*rest += best_len + ((*rest)[best_len] == '.');
	return best;
}

/* The names of seq's items, for a hint. */
static void names(yaml_document_t *doc, int seq, struct util_buf *b)
{
	yaml_node_t *s = yaml_document_get_node(doc, seq);

	for (yaml_node_item_t *it = s->data.sequence.items.start;
	     it < s->data.sequence.items.top; it++) {
		const char *v = item_name(doc, *it);

		if (v)
			util_buf_printf(b, "%s'%s'", b->len ? ", " : "", v);
	}
}

int model_override_apply(struct util_ydoc *y, const char *path,
			 const char *value, struct util_err *err)
{
	yaml_document_t *doc = &y->doc;
	yaml_node_t *root = yaml_document_get_root_node(doc);
	int cur = root ? node_index(doc, root) : 0;
	const char *rest = path;

	while (cur && *rest) {
		yaml_node_t *n = yaml_document_get_node(doc, cur);
		size_t len = strcspn(rest, ".");
		bool last = !rest[len];
		int found = 0;
		yaml_node_pair_t *pair = NULL;

		if (refs(doc, cur) > 1) /* changing it would change them all */
			return util_err_set(err, UTIL_E_USAGE,
					    "'%s': '%.*s' is shared through a "
					    "YAML alias (&anchor, *alias): write "
					    "it out where it is used to set it",
					    path, (int)(rest - path - 1), path);

		if (n->type == YAML_SEQUENCE_NODE) {
			const char *before = rest;

			found = named_item(doc, cur, &rest);
			if (!found) {
				struct util_buf b;

				util_buf_init(&b);
				names(doc, cur, &b);
				util_err_set(err, UTIL_E_USAGE,
					     "'%s': no item named '%.*s' (there "
					     "are %s)", path, (int)len, before,
					     b.len ? util_buf_str(&b) : "none");
				util_buf_release(&b);
				return UTIL_E_USAGE;
			}
			if (!*rest)
				return util_err_set(err, UTIL_E_USAGE,
						    "'%s' names a whole item: "
						    "set one of its keys", path);
			cur = found;
			continue;
		}
		if (n->type != YAML_MAPPING_NODE)
			return util_err_set(err, UTIL_E_USAGE,
					    "'%s': '%.*s' is inside a value, "
					    "not a mapping", path,
					    (int)(rest - path), path);
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
		     p < n->data.mapping.pairs.top && !pair; p++) {
			const char *k = text_of(yaml_document_get_node(doc,
								       p->key));

			if (k && strlen(k) == len && !strncmp(k, rest, len))
				pair = p;
		}
		if (pair && last) {
			yaml_node_t *v = yaml_document_get_node(doc,
								pair->value);
			int pi = (int)(pair - n->data.mapping.pairs.start);

			if (v->type != YAML_SCALAR_NODE &&
			    !(v->type == YAML_SEQUENCE_NODE && is_list(value)))
				return util_err_set(
					err, UTIL_E_USAGE,
					"'%s' is a %s: set one of its keys",
					path, v->type == YAML_MAPPING_NODE
						      ? "mapping"
						      : "list");
			found = value_node(doc, value, pair->value);
			if (!found)
				return bad_text(path, err);
			/* the document's arrays may have moved */
			n = yaml_document_get_node(doc, cur);
			n->data.mapping.pairs.start[pi].value = found;
			return 0;
		}
		if (pair) {
			cur = pair->value;
		} else { /* a new key: a value, or a mapping on the way */
			char *key = util_xstrndup(rest, len);
			int k = scalar(doc, key, cur), v;

			free(key);
			if (last) {
				v = value_node(doc, value, cur);
			} else {
				v = yaml_document_add_mapping(
					doc, NULL, YAML_BLOCK_MAPPING_STYLE);
				if (v)
					yaml_document_get_node(doc, v)
						->start_mark =
						yaml_document_get_node(doc, cur)
							->start_mark;
			}
			/* libyaml refuses text that is not UTF-8: 0 */
			if (!k || !v)
				return bad_text(path, err);
			yaml_document_append_mapping_pair(doc, cur, k, v);
			cur = v;
		}
		rest += len + !last;
		if (last)
			return 0;
	}
	return util_err_set(err, UTIL_E_USAGE, "'%s': an empty path", path);
}

/* Multiplies an offer's prices by m. */
static void scale(struct pricing_offer *o, double m)
{
	static const enum pricing_term price[] = {
		PRICING_PRICE_HOUR,	    PRICING_COMMIT_1Y_HOUR,
		PRICING_COMMIT_3Y_HOUR,	    PRICING_SUBSCRIPTION_MONTH,
		PRICING_CAPEX,		    PRICING_UNIT_PRICE,
		PRICING_FEE_RGU_YEAR,
	};

	for (size_t i = 0; i < UTIL_ARRAY_SIZE(price); i++)
		if (o->term[price[i]] >= 0)
			o->term[price[i]] *= m;
}

int model_override_prices(struct model_scenario *s, const char *path,
			  double m, struct util_err *err)
{
	struct pricing_catalog *c = &s->catalog;
	const char *rest;
	size_t n = 0;

	/* the catalog's prices are at most 1e5 an hour (1e7 for a capex):
	 * a multiplier keeps them within what the solver handles well */
	if (!(m >= 0) || !isfinite(m) || m > 100)
		return util_err_set(err, UTIL_E_USAGE, "'%s': a multiplier "
				    "is a number from 0 to 100, got %g", path,
				    m);
	if (!strncmp(path, "catalog.offers.", 15)) {
		rest = path + 15;
		for (size_t i = 0; i < c->noffers; i++) {
			size_t len = strlen(c->offers[i].id);

			if (!strncmp(rest, c->offers[i].id, len) &&
			    !strcmp(rest + len, ".price")) {
				scale(&c->offers[i], m);
				n++;
			}
		}
		if (!n)
			return util_err_set(err, UTIL_E_USAGE,
					    "'%s': no offer of that id (the "
					    "form is catalog.offers.ID.price; "
					    "'gpuplan catalog offers' lists the "
					    "ids)", path);
		return 0;
	}
	if (!strncmp(path, "catalog.family.", 15)) {
		int f;
		char fam[32];

		rest = path + 15;
		snprintf(fam, sizeof(fam), "%.*s", (int)strcspn(rest, "."),
			 rest);
		f = pricing_family_parse(fam);
		if (f < 0 || strcmp(rest + strlen(fam), ".price"))
			return util_err_set(err, UTIL_E_USAGE,
					    "'%s': the form is "
					    "catalog.family.FAMILY.price, "
					    "FAMILY one of cloud, cloud-spot, "
					    "gpuaas, onprem, academic, "
					    "decentralized, edge", path);
		for (size_t i = 0; i < c->noffers; i++)
			if ((int)c->offers[i].family == f)
				scale(&c->offers[i], m);
		return 0;
	}
	return util_err_set(err, UTIL_E_USAGE, "'%s': a multiplier ('*0.8') "
			    "applies to catalog.offers.ID.price or "
			    "catalog.family.FAMILY.price", path);
}
