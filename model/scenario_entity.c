/* The `entities:` list of a scenario (docs/scenario.md#entities): the
 * teams or departments that share the pool, with a storage quota, a
 * budget, a fair-share weight and a priority; and each workload's
 * `entity:` reference. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_int.h"

static const char *const entity_keys[] = {"name",   "storage",  "budget",
					  "weight", "priority", "flavors"};

/* Same rule as workload names: they become Kubernetes namespaces and
 * queue names after emit/ sanitizes them. */
static bool valid_entity_name(const char *s)
{
	return sl_valid_name(s, MODEL_ENTITY_NAME_MAX);
}

static int entity_name(struct sload *l, struct util_ymap *m,
		       struct model_entity *e)
{
	const char *name = NULL;
	int dup;

	if (util_ymap_str(m, "name", UTIL_Y_REQUIRED, &name) != 1) {
		e->name = util_xstrdup("?");
		return UTIL_E_INPUT;
	}
	e->name = util_xstrdup(name);
	if (!valid_entity_name(name)) {
		char shown[80];

		util_escape(name, shown, sizeof(shown));
		return util_ymap_err(m, util_ymap_get(m, "name"),
				     "entity name '%s' must start with a "
				     "letter or digit and hold only letters, "
				     "digits, '.', '_' and '-' (at most %d)",
				     shown, MODEL_ENTITY_NAME_MAX);
	}
	dup = model_scenario_find_entity(l->s, name);
	if (dup >= 0)
		return util_ymap_err(m, util_ymap_get(m, "name"),
				     "duplicate entity name '%s' (first at "
				     "line %d)",
				     name, l->s->entities[dup].line);
	return 0;
}

/* flavors: [L40S, H200]: the accelerators its Kueue ClusterQueue tries
 * first, in order (emit/kueue_entity.c). */
static int entity_flavors(struct sload *l, struct util_ymap *m,
			  struct model_entity *e)
{
	const yaml_node_t *seq = util_ymap_get(m, "flavors");
	char **v = NULL;
	size_t n = 0;
	int rc = util_ymap_strv(m, "flavors", &v, &n) < 0 ? UTIL_E_INPUT : 0;

	e->flavors = util_xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		if (sl_accel(l, util_yseq_item(l->y, seq, i), v[i],
			     &e->flavors[e->nflavors]) == 1)
			e->nflavors++;
		else
			rc = UTIL_E_INPUT;
		free(v[i]);
	}
	free(v);
	return rc;
}

static int load_entity(struct sload *l, const yaml_node_t *n,
		       struct model_entity *e)
{
	struct util_ymap m;
	char ctx[96] = "an entity";
	int rc;

	e->line = util_yline(n);
	e->col = util_ycol(n);
	e->storage = e->budget = MODEL_UNSET;
	e->weight = 1;
	/* name the entity in what util_ymap_open reports (unknown keys)
	 * when it has a usable name; entity_name checks it */
	if (n && n->type == YAML_MAPPING_NODE) {
		struct util_ymap probe = {.y = l->y, .d = l->d, .node = n};
		const char *name = util_yscalar(util_ymap_get(&probe, "name"));

		if (name && valid_entity_name(name))
			snprintf(ctx, sizeof(ctx), "entity '%s'", name);
	}
	rc = util_ymap_open(&m, l->y, l->d, n, ctx, entity_keys,
			    UTIL_ARRAY_SIZE(entity_keys));
	if (!m.node) {
		e->name = util_xstrdup("?");
		return UTIL_E_INPUT;
	}
	rc |= entity_name(l, &m, e);
	snprintf(m.ctx, sizeof(m.ctx), "entity '%s'", e->name);
	rc |= sl_qty(&m, "storage", 0, MODEL_DIM_SIZE, 0, &e->storage) < 0;
	if (util_ymap_get(&m, "storage")) {
		e->storage_line = util_yline(util_ymap_get(&m, "storage"));
		e->storage_col = util_ycol(util_ymap_get(&m, "storage"));
	} else if (l->s->venues.storage_per_entity >= 0) {
		e->storage = l->s->venues.storage_per_entity;
	}
	rc |= sl_money(l, &m, "budget", MODEL_DIM_MONEY, &e->budget) < 0;
	rc |= entity_flavors(l, &m, e);
	rc |= util_ymap_num(&m, "weight", 0, 0.001, 1000, &e->weight) < 0;
	switch (util_ymap_long(&m, "priority", 0, -1000000000L, 1000000000L,
			       &e->priority)) {
	case 1:
		e->has_priority = true;
		break;
	case 0:
		break;
	default:
		rc = UTIL_E_INPUT;
	}
	return rc ? UTIL_E_INPUT : 0;
}

int model_load_entities(struct sload *l, struct util_ymap *top)
{
	const yaml_node_t *seq = util_ymap_get(top, "entities");
	struct model_scenario *s = l->s;
	size_t n = util_yseq_len(seq);
	char what[80];
	int rc = 0;

	if (!seq || util_ynull(seq))
		return 0;
	if (seq->type != YAML_SEQUENCE_NODE)
		return util_yerr(l->y, l->d, seq,
				 "'entities' must be a list "
				 "of entities (each item starting with "
				 "'- name:'), got %s",
				 util_ydescribe(seq, what, sizeof(what)));
	if (n > MODEL_MAX_ENTITIES)
		return util_yerr(l->y, l->d, seq,
				 "%zu entities: at most %d in "
				 "one scenario",
				 n, MODEL_MAX_ENTITIES);
	s->entities = util_xcalloc(n + 1, sizeof(*s->entities));
	for (size_t i = 0; i < n; i++) {
		rc |= load_entity(l, util_yseq_item(l->y, seq, i),
				  &s->entities[s->nentities]);
		s->nentities++;
	}
	return rc ? UTIL_E_INPUT : 0;
}

/* A dataset larger than its entity's quota is a warning at the dataset,
 * naming where the quota comes from. */
static void check_quota(struct sload *l, struct util_ymap *m,
			const struct model_workload *w,
			const struct model_entity *e)
{
	const yaml_node_t *at = util_ymap_get(m, "dataset");
	char where[64];

	if (e->storage < 0 || w->dataset <= e->storage || !at)
		return;
	if (e->storage_line)
		snprintf(where, sizeof(where), "set at line %d",
			 e->storage_line);
	else
		snprintf(where, sizeof(where),
			 "venues.onprem."
			 "storage_per_entity");
	util_ywarn(l->y, l->d, at,
		   "%s: its dataset (%.4g GB) is larger "
		   "than the storage quota of entity '%s' (%.4g GB, %s): "
		   "raise the quota or keep the data elsewhere",
		   m->ctx, w->dataset / 1e9, e->name, e->storage / 1e9, where);
}

int model_load_workload_entity(struct sload *l, struct util_ymap *m,
			       struct model_workload *w)
{
	const struct model_scenario *s = l->s;
	const char *name = NULL, *near;
	const char **names;
	int rc = util_ymap_str(m, "entity", 0, &name);

	w->entity = -1;
	if (rc < 0)
		return rc;
	if (!name) {
		if (!s->nentities)
			return 0;
		return util_ymap_err(m, m->node,
				     "%s names no 'entity' (the "
				     "scenario declares 'entities': each "
				     "workload says which one it belongs "
				     "to)",
				     m->ctx);
	}
	w->entity = model_scenario_find_entity(s, name);
	if (w->entity >= 0) {
		check_quota(l, m, w, &s->entities[w->entity]);
		return 0;
	}
	if (!s->nentities)
		return util_ymap_err(m, util_ymap_get(m, "entity"),
				     "%s: entity '%s' is not declared (the "
				     "scenario has no 'entities' list)",
				     m->ctx, name);
	names = util_xcalloc(s->nentities + 1, sizeof(*names));
	for (size_t i = 0; i < s->nentities; i++)
		names[i] = s->entities[i].name;
	near = util_nearest(name, names, s->nentities);
	rc = util_ymap_err(m, util_ymap_get(m, "entity"),
			   "%s: entity '%s' is "
			   "not declared in 'entities'%s%s%s",
			   m->ctx, name, near ? " (did you mean '" : "",
			   near ? near : "", near ? "'?)" : "");
	free(names);
	return rc;
}

int model_scenario_find_entity(const struct model_scenario *s, const char *name)
{
	for (size_t i = 0; i < s->nentities; i++)
		if (!strcmp(s->entities[i].name, name))
			return (int)i;
	return -1;
}

size_t model_scenario_entity_count(const struct model_scenario *s)
{
	return s->nentities;
}

const struct model_entity *model_scenario_entity(const struct model_scenario *s,
						 size_t i)
{
	UTIL_BUG_ON(i >= s->nentities);
	return &s->entities[i];
}

void model_entities_release(struct model_scenario *s)
{
	for (size_t i = 0; i < s->nentities; i++) {
		free(s->entities[i].name);
		util_strv_free(s->entities[i].flavors,
			       s->entities[i].nflavors);
	}
	free(s->entities);
	s->entities = NULL;
	s->nentities = 0;
}
