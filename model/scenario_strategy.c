/* The scenario's `strategies:` (docs/scenario.md#strategies): named lists
 * of overrides in the --set language (docs/sweep.md), each a what-if that
 * `compare --by strategy` plans and simulates beside the others. The
 * overrides themselves are applied when a strategy is loaded (model/
 * override.c); here they are only read and checked for form. */
#include <string.h>

#include "scenario_int.h"

static const char *const strategy_keys[] = {"name", "set"};

/* One "PATH=VALUE" item of a strategy's `set`. */
static int load_set_item(struct sload *l, const yaml_node_t *n,
			 struct model_strategy *st)
{
	const char *v = util_yscalar(n);
	size_t k = st->nset;

	if (!v || !strchr(v, '=') || v[0] == '=')
		return util_yerr(l->y, l->d, n, "a strategy's 'set' item is "
				 "PATH=VALUE in the --set language, e.g. "
				 "\"venues.onprem.buy.L40S.min=4\"");
	st->set[k] = util_xstrdup(v);
	st->line[k] = util_yline(n);
	st->col[k] = util_ycol(n);
	st->nset++;
	return 0;
}

static int load_strategy(struct sload *l, const yaml_node_t *item,
			 struct model_strategy *st)
{
	struct util_ymap m;
	const char *name = NULL;
	const yaml_node_t *set;
	int rc = util_ymap_open(&m, l->y, l->d, item, "a strategy",
				strategy_keys, UTIL_ARRAY_SIZE(strategy_keys));

	if (util_ymap_str(&m, "name", UTIL_Y_REQUIRED, &name) < 0 || !name)
		return UTIL_E_INPUT;
	st->name = util_xstrdup(name);
	if (!*name || strlen(name) > 64 || !util_one_line(name))
		return util_ymap_err(&m, util_ymap_get(&m, "name"),
				     "a strategy's name is one line of 1 to "
				     "64 bytes of printable text: no tab, "
				     "line break or direction override (it "
				     "heads a column)");
	st->name_line = util_yline(util_ymap_get(&m, "name"));
	st->name_col = util_ycol(util_ymap_get(&m, "name"));
	set = util_ymap_get(&m, "set");
	if (!set || util_ynull(set))
		return rc;
	if (set->type != YAML_SEQUENCE_NODE)
		return util_yerr(l->y, l->d, set, "'set' of strategy '%s' is "
				 "a list of overrides (\"PATH=VALUE\")", name);
	st->set = util_xcalloc(util_yseq_len(set) + 1, sizeof(*st->set));
	st->line = util_xcalloc(util_yseq_len(set) + 1, sizeof(int));
	st->col = util_xcalloc(util_yseq_len(set) + 1, sizeof(int));
	for (size_t i = 0; i < util_yseq_len(set); i++)
		rc |= load_set_item(l, util_yseq_item(l->y, set, i), st);
	return rc ? UTIL_E_INPUT : 0;
}

int model_load_strategies(struct sload *l, struct util_ymap *top)
{
	struct model_scenario *s = l->s;
	const yaml_node_t *seq = util_ymap_get(top, "strategies");
	size_t n = util_yseq_len(seq);
	int rc = 0;

	if (!seq)
		return 0;
	if (seq->type != YAML_SEQUENCE_NODE || n == 0)
		return util_yerr(l->y, l->d, seq, "'strategies' is a list of "
				 "{name, set: [PATH=VALUE, ...]}");
	if (n > MODEL_MAX_STRATEGIES)
		return util_yerr(l->y, l->d, seq, "%zu strategies: at most %d",
				 n, MODEL_MAX_STRATEGIES);
	s->strategies = util_xcalloc(n, sizeof(*s->strategies));
	for (size_t i = 0; i < n; i++) {
		const yaml_node_t *it = util_yseq_item(l->y, seq, i);
		struct model_strategy *st = &s->strategies[s->nstrategies++];

		if (load_strategy(l, it, st)) {
			rc = UTIL_E_INPUT;
			continue;
		}
		for (size_t j = 0; j + 1 < s->nstrategies; j++)
			if (s->strategies[j].name &&
			    !strcmp(s->strategies[j].name, st->name))
				rc = util_yerr(l->y, l->d, it,
					       "duplicate strategy name '%s' "
					       "(first at line %d)", st->name,
					       s->strategies[j].name_line);
	}
	return rc ? UTIL_E_INPUT : 0;
}

void model_strategy_release(struct model_strategy *st)
{
	for (size_t i = 0; i < st->nset; i++)
		free(st->set[i]);
	free(st->set);
	free(st->line);
	free(st->col);
	free(st->name);
	memset(st, 0, sizeof(*st));
}
