/* What the scenario loader's files share. */
#ifndef MODEL_SCENARIO_INT_H
#define MODEL_SCENARIO_INT_H

#include "../util/ydoc.h"
#include "model.h"

struct sload {
	struct util_ydoc *y;
	struct util_diags *d;
	struct model_scenario *s;
	bool catalog_failed; /* the scenario's catalog: had errors */
	/* the recurring workload whose occurrences are being loaded */
	const char *expanding;
	/* the overrides the scenario is loaded with (--set, --fx) */
	const struct model_set *set;
	size_t nset;
};

/* Typed getters over util_ymap that also understand units: they return 1
 * when the key is present and valid, 0 when absent (and not required),
 * UTIL_E_INPUT with a diagnostic otherwise. */
int sl_qty(struct util_ymap *m, const char *key, int flags,
	   enum model_dim dim, unsigned uflags, double *out);
/* A name of a workload or an entity: 1..max characters [A-Za-z0-9._-],
 * starting with a letter or digit. */
bool sl_valid_name(const char *s, size_t max);
/* A money quantity whose currency, if written, must be the scenario's. */
int sl_money(struct sload *l, struct util_ymap *m, const char *key,
	     enum model_dim dim, double *out);
/* 0 when text (key's value in m) names no currency or the scenario's;
 * else -1 with the error in m's diagnostics. */
int sl_money_currency(struct sload *l, struct util_ymap *m, const char *key,
		      const char *text);
int sl_count(struct util_ymap *m, const char *key, int flags, long min,
	     long max, long *out);
/* One of names[0..n) (exact, with a "did you mean" for near misses). */
int sl_enum(struct util_ymap *m, const char *key, int flags,
	    const char *const *names, size_t n, int *out);
/* An accelerator name resolved against the scenario's catalog into a new
 * string with the canonical name. at positions the message. */
int sl_accel(struct sload *l, const yaml_node_t *at, const char *name,
	     char **out);
/* "<amount> <accelerator>", e.g. "0.25 L40S", "20000 A100". */
int sl_accel_qty(struct sload *l, struct util_ymap *m, const char *key,
		 int flags, enum model_dim dim, struct model_accel_qty *out);
/* Same, and with per_year (may be NULL) a yearly rate is allowed: "4000
 * A100 per year" or "4000 A100/year" sets *per_year. */
int sl_accel_qty_rate(struct sload *l, struct util_ymap *m, const char *key,
		      int flags, enum model_dim dim,
		      struct model_accel_qty *out, bool *per_year);
/* Opens the mapping at key (absent: m->node stays NULL, returns 0). */
int sl_submap(struct sload *l, struct util_ymap *parent, const char *key,
	      const char *const *keys, size_t nkeys, struct util_ymap *m);

int model_load_workloads(struct sload *l, const yaml_node_t *seq);
/* `entities:` (before the workloads, after the venues: the quota's
 * default is venues.onprem.storage_per_entity). */
int model_load_entities(struct sload *l, struct util_ymap *top);
/* A workload's `entity:` into w->entity, with the quota check. */
int model_load_workload_entity(struct sload *l, struct util_ymap *m,
			       struct model_workload *w);
void model_entities_release(struct model_scenario *s);
/* `monthly`, `growth` and `flexible` of a research workload
 * (model/scenario_demand.c). */
int model_load_demand(struct sload *l, struct util_ymap *m,
		      struct model_workload *w);
/* `job_sizes`, `job_lengths` and `weekly` of a research workload
 * (model/scenario_jobs.c), after its `submission` and `length_cv`. */
int model_load_job_shape(struct sload *l, struct util_ymap *m,
			 struct model_research *r);
int model_load_venues(struct sload *l, struct util_ymap *top);
int model_load_strategies(struct sload *l, struct util_ymap *top);
/* Entry i of the mapping `venues.onprem.owned` m: a count or a mapping
 * (model/scenario_owned.c); the accelerator is already resolved. */
int model_load_owned(struct sload *l, struct util_ymap *m, size_t i);
/* `start_date:` into s->start_month (MODEL_UNSET when absent). */
int model_load_start_date(struct sload *l, struct util_ymap *top);
/* Reads `fx:` and converts the catalog's prices into the scenario's
 * currency (model/fx.c). */
int model_fx_load(struct sload *l, struct util_ymap *top);
void model_workload_release(struct model_workload *w);
/* Residency (model/scenario_residency.c): a code, "EU" or a list of
 * them at n into r; `country:` of the scenario; constraints.residency
 * (a rule for all, or a map of workload names to rules). what names
 * the key in messages. */
int model_residency_parse(struct sload *l, const yaml_node_t *n,
			  const char *what, struct model_residency *r);
int model_load_country(struct sload *l, struct util_ymap *top);
/* Recurring work (model/scenario_recur.c): a teaching workload's
 * `every` and `starts` into w->recur; the last workload loaded, from
 * node, expanded into its occurrences (s->workloads grows, alloc is its
 * allocated length); one workload from its node. */
int model_recur_load_teaching(struct sload *l, struct util_ymap *m,
			      struct model_workload *w);
int model_recur_expand(struct sload *l, const yaml_node_t *node,
		       size_t *alloc);
int model_load_one_workload(struct sload *l, const yaml_node_t *n,
			    struct model_workload *w);
int model_load_residency(struct sload *l, struct util_ymap *cons);

#endif
