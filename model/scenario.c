/* Loading scenarios (DESIGN §4, docs/scenario.md): the top level,
 * constraints, the scenario's own catalog, and cross-references. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_int.h"

const char *const model_period_names[3] = {"day", "week", "month"};
const char *const model_kind_names[MODEL_NKINDS] = {"teaching", "research",
						    "finetune", "inference"};
const char *const model_profile_names[3] = {"phd", "master", "applied"};
const char *const model_method_names[3] = {"full", "lora", "qlora"};
const char *const model_placement_names[4] = {"any", "edge", "central",
					      "edge-or-central"};
const char *const model_submission_names[3] = {"steady", "burst",
						"front-loaded"};
const char *const model_commitment_names[3] = {"none", "1y", "3y"};
const char *const model_service_dist_names[3] = {"deterministic",
						 "exponential", "lognormal"};

static const char *const top_keys[] = {
	"scenario", "description", "horizon", "period", "currency",
	"catalog", "constraints", "venues", "workloads", "performance",
	"strategies", "fx", "entities", "country", "start_date"};
static const char *const constraint_keys[] = {"budget", "spend_cap",
					      "sovereign", "residency"};

/* The scenario's `catalog:`: a file (relative to the scenario) or an
 * inline catalog mapping, extending the catalog in use. */
static int load_catalog(struct sload *l, struct util_ymap *top)
{
	const yaml_node_t *n = util_ymap_get(top, "catalog");
	const char *path = util_yscalar(n), *slash;
	struct util_err err;
	char *full, *buf = NULL;
	size_t len = 0;
	int rc;

	if (!n || util_ynull(n))
		return 0;
	if (n->type == YAML_MAPPING_NODE)
		return pricing_catalog_load_node(&l->s->catalog, l->y, n, l->d);
	if (!path)
		return util_yerr(l->y, l->d, n, "'catalog' must be a file name "
				 "or a catalog mapping");
	slash = strrchr(l->s->file, '/');
	if (path[0] == '/' || !slash)
		full = util_xstrdup(path);
	else
		full = util_xasprintf("%.*s/%s", (int)(slash - l->s->file),
				      l->s->file, path);
	/* read it here so that a file that cannot be read is one message,
	 * at the key that names it */
	rc = util_read_file(full, UTIL_INPUT_MAX, &buf, &len, &err);
	if (rc)
		util_yerr(l->y, l->d, n, "the scenario's catalog: %s", err.msg);
	else
		rc = pricing_catalog_load_buffer(&l->s->catalog, full, buf,
						 len, l->d);
	free(buf);
	free(full);
	return rc ? UTIL_E_INPUT : 0;
}

static int load_sovereign(struct sload *l, struct util_ymap *cons)
{
	const yaml_node_t *seq = util_ymap_get(cons, "sovereign");
	const char **names;
	char **list = NULL;
	size_t n = 0;
	int rc = util_ymap_strv(cons, "sovereign", &list, &n);

	names = util_xcalloc(l->s->nworkloads + 1, sizeof(*names));
	for (size_t i = 0; i < l->s->nworkloads; i++)
		names[i] = l->s->workloads[i].series
				   ? l->s->workloads[i].series
				   : l->s->workloads[i].name;
	for (size_t i = 0; i < n; i++) {
		const char *near;
		bool found = false;

		for (size_t k = 0; k < l->s->nworkloads; k++)
			if (model_workload_named(&l->s->workloads[k], list[i]))
				found = l->s->workloads[k].sovereign = true;
		if (found)
			continue;
		near = util_nearest(list[i], names, l->s->nworkloads);
		rc = util_yerr(l->y, l->d, util_yseq_item(l->y, seq, i),
			       "'constraints.sovereign' names workload '%s', "
			       "which does not exist%s%s%s",
			       list[i], near ? " (did you mean '" : "",
			       near ? near : "", near ? "'?)" : "");
	}
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
	free(names);
	return rc < 0 ? rc : 0;
}

static int load_constraints(struct sload *l, struct util_ymap *top)
{
	struct model_constraints *c = &l->s->constraints;
	struct util_ymap m;
	int rc = sl_submap(l, top, "constraints", constraint_keys,
			   UTIL_ARRAY_SIZE(constraint_keys), &m);

	c->budget = c->spend_cap = MODEL_UNSET;
	rc |= sl_money(l, &m, "budget", MODEL_DIM_MONEY, &c->budget) < 0;
	rc |= sl_money(l, &m, "spend_cap", MODEL_DIM_MONEY, &c->spend_cap) <
	      0;
	rc |= load_sovereign(l, &m);
	rc |= model_load_residency(l, &m);
	return rc ? UTIL_E_INPUT : 0;
}

/* performance: {mfu: 0.35, ...}: the performance model's constants */
static int load_performance(struct sload *l, struct util_ymap *top)
{
	const char *names[MODEL_NCONSTS];
	struct util_ymap m;
	int rc;

	for (int k = 0; k < MODEL_NCONSTS; k++)
		names[k] = model_consts[k].name;
	rc = sl_submap(l, top, "performance", names, MODEL_NCONSTS, &m);
	for (int k = 0; k < MODEL_NCONSTS; k++)
		if (util_ymap_num(&m, names[k], 0, model_consts[k].min,
				  model_consts[k].max, &l->s->perf[k]) < 0)
			rc = UTIL_E_INPUT;
	return rc;
}

static int load_head(struct sload *l, struct util_ymap *top)
{
	struct model_scenario *s = l->s;
	const char *name = NULL, *desc = NULL, *cur = NULL;
	int rc = 0, p = MODEL_PERIOD_MONTH;

	if (util_ymap_str(top, "scenario", UTIL_Y_REQUIRED, &name) == 1 &&
	    !util_one_line(name))
		rc = util_ymap_err(top, util_ymap_get(top, "scenario"),
				   "the scenario's name is one line of "
				   "printable text: no tab, line break or "
				   "direction override (a longer text goes "
				   "in 'description')");
	if (name)
		s->name = util_xstrdup(name);
	else
		rc = UTIL_E_INPUT;
	if (util_ymap_str(top, "description", 0, &desc) < 0)
		rc = UTIL_E_INPUT;
	s->description = desc ? util_xstrdup(desc) : NULL;
	s->horizon = MODEL_YEAR;
	rc |= sl_qty(top, "horizon", 0, MODEL_DIM_DURATION,
		     MODEL_UNITS_POSITIVE, &s->horizon) < 0;
	if (s->horizon > 30 * MODEL_YEAR)
		rc = util_ymap_err(top, util_ymap_get(top, "horizon"),
				   "'horizon' is longer than 30 years");
	rc |= sl_enum(top, "period", 0, model_period_names, 3, &p) < 0;
	s->period = (enum model_period)p;
	if (!rc && s->horizon < (const double[]){MODEL_DAY, MODEL_WEEK,
						 MODEL_MONTH}[p] - 1e-6)
		rc = util_ymap_err(top, util_ymap_get(top, "period")
					       ? util_ymap_get(top, "period")
					       : util_ymap_get(top, "horizon"),
				   "the period (a %s) is longer than the "
				   "horizon: shorten the period or lengthen the "
				   "horizon", model_period_names[p]);
	if (util_ymap_str(top, "currency", 0, &cur) < 0)
		rc = UTIL_E_INPUT;
	s->currency = util_xstrdup(cur ? cur : s->catalog.currency
					       ? s->catalog.currency
					       : "USD");
	if (cur) {
		const char *near;
		char code[4];

		if (model_fx_code(cur, code, &near))
			return util_ymap_err(
				top, util_ymap_get(top, "currency"),
				"unknown currency '%s': an ISO 4217 code%s%s%s",
				cur, near ? " (did you mean '" : "",
				near ? near : "", near ? "'?)" : "");
		free(s->currency);
		s->currency = util_xstrdup(code);
	}
	rc |= model_fx_load(l, top);
	rc |= model_load_country(l, top);
	return rc ? UTIL_E_INPUT : 0;
}

static int load_root(struct sload *l, const yaml_node_t *root)
{
	struct util_ymap top;
	const yaml_node_t *wl;
	int rc = util_ymap_open(&top, l->y, l->d, root, "the scenario",
				top_keys, UTIL_ARRAY_SIZE(top_keys));

	if (!top.node)
		return rc;
	if (load_catalog(l, &top)) {
		rc = UTIL_E_INPUT;
		l->catalog_failed = true;
	}
	rc |= load_head(l, &top);
	rc |= model_load_start_date(l, &top);
	rc |= load_performance(l, &top);
	rc |= model_load_venues(l, &top);
	rc |= model_load_entities(l, &top);
	wl = util_ymap_get(&top, "workloads");
	if (!wl)
		rc = util_ymap_missing(&top, "workloads");
	else
		rc |= model_load_workloads(l, wl);
	rc |= load_constraints(l, &top);
	rc |= model_load_strategies(l, &top);
	return rc ? UTIL_E_INPUT : 0;
}

int model_scenario_load_set(struct model_scenario *s, const char *file,
			    const char *buf, size_t len,
			    const struct pricing_catalog *catalog,
			    const struct model_set *set, size_t nset,
			    struct util_diags *d, struct util_err *err)
{
	struct util_ydoc y;
	struct sload l = {.y = &y, .d = d, .s = s, .set = set, .nset = nset};
	size_t errors = d->nerrors;
	int rc;

	memset(s, 0, sizeof(*s));
	for (int k = 0; k < MODEL_NCONSTS; k++)
		s->perf[k] = model_consts[k].value;
	s->file = util_xstrdup(file);
	pricing_catalog_copy(&s->catalog, catalog);
	rc = util_ydoc_load(&y, file, buf, len, d);
	for (size_t i = 0; !rc && i < nset; i++)
		if (set[i].value[0] != '*')
			rc = model_override_apply(&y, set[i].path,
						  set[i].value, err);
	if (!rc)
		rc = load_root(&l, util_ydoc_root(&y));
	pricing_catalog_fill_countries(&s->catalog);
	util_ydoc_release(&y);
	if (!rc && d->nerrors != errors)
		rc = UTIL_E_INPUT;
	for (size_t i = 0; !rc && i < nset; i++) {
		double m;

		if (set[i].value[0] != '*')
			continue;
		if (util_parse_double(set[i].value + 1, &m))
			rc = util_err_set(err, UTIL_E_USAGE, "'%s=%s': a "
					  "multiplier is '*' and a number",
					  set[i].path, set[i].value);
		else
			rc = model_override_prices(s, set[i].path, m, err);
	}
	return rc;
}

int model_scenario_load_buffer(struct model_scenario *s, const char *file,
			       const char *buf, size_t len,
			       const struct pricing_catalog *catalog,
			       struct util_diags *d)
{
	return model_scenario_load_set(s, file, buf, len, catalog, NULL, 0, d,
				       NULL);
}

int model_scenario_load(struct model_scenario *s, const char *path,
			const struct pricing_catalog *catalog,
			struct util_diags *d)
{
	struct util_err err;
	char *buf = NULL;
	size_t len = 0;
	int rc = util_read_file(path, UTIL_INPUT_MAX, &buf, &len, &err);

	if (rc) {
		memset(s, 0, sizeof(*s));
		util_diag_add(d, UTIL_ERROR, NULL, 0, 0, "%s", err.msg);
		return rc;
	}
	rc = model_scenario_load_buffer(s, path, buf, len, catalog, d);
	free(buf);
	return rc;
}

void model_scenario_release(struct model_scenario *s)
{
	struct model_venues *v = &s->venues;

	for (size_t i = 0; i < s->nworkloads; i++)
		model_workload_release(&s->workloads[i]);
	free(s->workloads);
	model_entities_release(s);
	util_strv_free(v->cloud_providers, v->ncloud_providers);
	util_strv_free(v->cloud_regions, v->ncloud_regions);
	util_strv_free(v->gpuaas_providers, v->ngpuaas_providers);
	for (size_t i = 0; i < v->nowned; i++)
		free(v->owned[i].accel);
	free(v->owned);
	free(v->owned_info);
	for (size_t i = 0; i < v->nbuy; i++)
		free(v->buy[i].accel);
	free(v->buy);
	free(v->account);
	util_strv_free(v->clusters, v->nclusters);
	free(s->name);
	free(s->description);
	free(s->file);
	free(s->currency);
	free(s->country);
	for (size_t i = 0; i < s->nstrategies; i++)
		model_strategy_release(&s->strategies[i]);
	free(s->strategies);
	pricing_catalog_release(&s->catalog);
	memset(s, 0, sizeof(*s));
}

const struct model_workload *
model_scenario_find(const struct model_scenario *s, const char *name)
{
	for (size_t i = 0; i < s->nworkloads; i++)
		if (!strcmp(s->workloads[i].name, name))
			return &s->workloads[i];
	return NULL;
}

int model_no_workload(const struct model_scenario *s, const char *name,
		      int code, struct util_err *err)
{
	const char **names = util_xcalloc(s->nworkloads + 1, sizeof(*names));
	const char *near;
	struct util_buf b;
	size_t n = 0;

	util_buf_init(&b);
	for (size_t i = 0; i < s->nworkloads; i++) {
		names[i] = s->workloads[i].name;
		if (s->workloads[i].series &&
		    !strcmp(s->workloads[i].series, name))
			util_buf_printf(&b, "%s'%s'", n++ ? ", " : "",
					names[i]);
	}
	near = util_nearest(name, names, s->nworkloads);
	if (n)
		util_err_set(err, code, "no workload '%s' in '%s': it recurs "
			     "(every:), name one of its occurrences: %s",
			     name, s->name, util_buf_str(&b));
	else
		util_err_set(err, code, "no workload '%s' in '%s'%s%s%s", name,
			     s->name, near ? " (did you mean '" : "",
			     near ? near : "", near ? "'?)" : "");
	util_buf_release(&b);
	free(names);
	return code;
}
