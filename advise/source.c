/* The one loader every command uses for a scenario and its catalog
 * layers (issue 24): before it, `plan` applied --catalog after the
 * scenario's own `catalog:` key and `sweep` before it, so the two priced
 * the same offer differently. */
#include <stdio.h>
#include <string.h>

#include "advise.h"

int advise_source_init(struct advise_source *src, const char *path,
		       const struct pricing_catalog *base,
		       const char *catalog, struct util_err *err)
{
	int rc;

	memset(src, 0, sizeof(*src));
	src->path = path;
	src->base = base;
	src->catalog = catalog;
	rc = util_read_file(path, UTIL_INPUT_MAX, &src->buf, &src->len, err);
	if (!rc && catalog)
		rc = util_read_file(catalog, UTIL_INPUT_MAX, &src->catalog_buf,
				    &src->catalog_len, err);
	if (rc)
		advise_source_release(src);
	return rc;
}

void advise_source_release(struct advise_source *src)
{
	free(src->buf);
	free(src->catalog_buf);
	memset(src, 0, sizeof(*src));
}

/* --set values that multiply prices ("*0.5") apply after every layer. */
static int apply_multipliers(struct model_scenario *s,
			     const struct model_set *set, size_t nset,
			     struct util_err *err)
{
	for (size_t i = 0; i < nset; i++) {
		double m;

		if (set[i].value[0] != '*')
			continue;
		if (util_parse_double(set[i].value + 1, &m))
			return util_err_set(err, UTIL_E_USAGE, "'%s=%s': a "
					    "multiplier is '*' and a number",
					    set[i].path, set[i].value);
		if (model_override_prices(s, set[i].path, m, err))
			return UTIL_E_USAGE;
	}
	return 0;
}

/* The --catalog layer again, over the scenario's own: its messages were
 * given when it was loaded into the base, so they are not repeated. */
static int catalog_on_top(const struct advise_source *src,
			  struct model_scenario *s, struct util_diags *d)
{
	struct util_diags quiet;
	int rc;

	util_diags_init(&quiet);
	rc = pricing_catalog_load_buffer(&s->catalog, src->catalog,
					 src->catalog_buf, src->catalog_len,
					 &quiet);
	if (rc) /* not seen before: say what */
		for (size_t i = 0; i < quiet.n; i++)
			util_diag_add(d, quiet.v[i].severity, quiet.v[i].file,
				      quiet.v[i].line, quiet.v[i].col, "%s",
				      quiet.v[i].msg);
	util_diags_release(&quiet);
	return rc;
}

int advise_source_load(const struct advise_source *src,
		       const struct model_set *set, size_t nset,
		       struct model_scenario *s, struct util_diags *d,
		       struct util_err *err)
{
	struct model_set *plain = util_xcalloc(nset + 1, sizeof(*plain));
	size_t nplain = 0;
	int rc;

	for (size_t i = 0; i < nset; i++)
		if (set[i].value[0] != '*')
			plain[nplain++] = set[i];
	rc = model_scenario_load_set(s, src->path, src->buf, src->len,
				     src->base, plain, nplain, d, err);
	free(plain);
	if (!rc && src->catalog)
		rc = catalog_on_top(src, s, d);
	if (!rc)
		rc = apply_multipliers(s, set, nset, err);
	return rc;
}

/* Loads src with the first n of set; the first message into msg. */
static int load_first(const struct advise_source *src,
		      const struct model_set *set, size_t n, char *msg,
		      size_t len)
{
	struct model_scenario s;
	struct util_diags d;
	struct util_err e = {0};
	int rc;

	util_diags_init(&d);
	rc = advise_source_load(src, set, n, &s, &d, &e);
	util_diags_sort(&d);
	if (rc)
		snprintf(msg, len, "%s", d.n ? d.v[0].msg : e.msg);
	util_diags_release(&d);
	model_scenario_release(&s);
	return rc;
}

int advise_source_fx_check(const struct advise_source *src,
			   const struct model_set *fx, size_t nfx,
			   struct util_err *err)
{
	char msg[sizeof(err->msg)];

	if (!nfx || !load_first(src, fx, nfx, msg, sizeof(msg)) ||
	    load_first(src, NULL, 0, msg, sizeof(msg)))
		return 0;
	for (size_t i = 1; i <= nfx; i++)
		if (load_first(src, fx, i, msg, sizeof(msg)))
			return util_err_set(err, UTIL_E_USAGE,
					    "--fx %s=%s: %s",
					    fx[i - 1].path + strlen("fx."),
					    fx[i - 1].value, msg);
	return 0;
}

