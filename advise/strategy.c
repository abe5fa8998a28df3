/* Strategies (docs/compare.md): the scenario's named what-ifs and those
 * of --strategy listed and checked, each loaded as the scenario with its
 * overrides (an error placed at the override that causes it), and
 * compare --by strategy: side by side, each planned with every family
 * allowed and simulated through the closed loop, ranked by the same
 * verdict rules as the venue families. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advise_int.h"

int advise_compare_strategies_part(const struct model_scenario *s,
				   const struct model_scenario *const *ss,
				   const char *const *names, size_t n,
				   const struct advise_loop_opts *o, long shard,
				   long nshards, struct advise_compare *out,
				   struct util_err *err)
{
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->s = s;
	out->by_strategy = true;
	if (n > ADVISE_MAX_COLUMNS)
		return util_err_set(err, UTIL_E_USAGE, "%zu strategies: at "
				    "most %d", n, ADVISE_MAX_COLUMNS);
	out->ncol = (int)n;
	for (size_t i = 0; i < n && !rc; i++)
		if (advise_shard_mine(shard, nshards, i))
			rc = advise_column_run(ss[i], o, PRICING_NFAMILIES,
					       names[i], &out->col[i], err);
	/* a shard's columns are ranked by the merge, with the others' */
	if (rc || nshards > 0)
		return rc;
	return advise_compare_finish(o, out, err);
}

int advise_compare_strategies(const struct model_scenario *s,
			      const struct model_scenario *const *ss,
			      const char *const *names, size_t n,
			      const struct advise_loop_opts *o,
			      struct advise_compare *out,
			      struct util_err *err)
{
	return advise_compare_strategies_part(s, ss, names, n, o, 0, 0, out,
					      err);
}

/* s's committed costs: depreciation, maintenance, fixed, hosting. */
static void committed_of(const struct model_scenario *s, double v[4])
{
	model_committed(s, &v[0], &v[1], &v[2]);
	v[3] = model_owned_hosting(s);
}

bool advise_committed_alike(const struct advise_compare *c)
{
	double a[4], b[4];

	committed_of(c->s, a);
	for (int i = 0; i < c->ncol; i++) {
		if (!c->col[i].s)
			continue;
		committed_of(c->col[i].s, b);
		for (int k = 0; k < 4; k++)
			if (fabs(a[k] - b[k]) >= 0.005)
				return false;
	}
	return true;
}

/* commas split overrides, except inside a list [a, b]: p is cut in
 * place into st->set; false past ADVISE_MAX_OVERRIDES */
static bool split_flag(char *p, struct advise_strategy *st)
{
	size_t k = 0;
	int depth = 0;

	st->set[k++] = p;
	for (; *p; p++) {
		depth += (*p == '[') - (*p == ']');
		if (*p == ',' && depth == 0) {
			if (k == ADVISE_MAX_OVERRIDES)
				return false;
			*p = '\0';
			st->set[k++] = p + 1;
		}
	}
	st->nset = k;
	return true;
}

int advise_strategies_list(const struct model_scenario *s,
			   const char *const *flags, size_t nflags,
			   struct advise_strategies *out, struct util_err *err)
{
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	if (nflags > MODEL_MAX_STRATEGIES)
		return util_err_set(err, UTIL_E_USAGE, "%zu --strategy "
				    "options: at most %d", nflags,
				    MODEL_MAX_STRATEGIES);
	for (size_t i = 0; i < s->nstrategies; i++, n++) {
		const struct model_strategy *st = &s->strategies[i];

		out->v[n] = (struct advise_strategy){
			.name = st->name, .set = st->set, .nset = st->nset,
			.line = st->line, .col = st->col,
			.name_line = st->name_line, .name_col = st->name_col};
	}
	out->nfile = n;
	for (size_t i = 0; i < nflags; i++, n++) {
		char *p = util_xstrdup(flags[i]), *q = strchr(p, '=');

		out->text[i] = p;
		out->v[n].set = util_xcalloc(ADVISE_MAX_OVERRIDES,
					     sizeof(char *));
		out->v[n].name = p;
		out->n = n + 1;
		if (!q || q == p)
			return util_err_set(err, UTIL_E_USAGE, "'--strategy' "
					    "is NAME=PATH=VALUE[,PATH=VALUE"
					    "...], got '%s'", flags[i]);
		*q++ = '\0';
		if (strlen(p) > 64 || !util_one_line(p))
			return util_err_set(err, UTIL_E_USAGE, "'--strategy' "
					    "NAME is one line of 1 to 64 bytes "
					    "of printable text (it heads a "
					    "column)");
		if (!split_flag(q, &out->v[n]))
			return util_err_set(err, UTIL_E_USAGE, "--strategy %s: "
					    "at most %d overrides", p,
					    ADVISE_MAX_OVERRIDES);
	}
	out->n = n;
	for (size_t i = 0; i < n; i++)
		if (out->v[i].nset > ADVISE_MAX_OVERRIDES)
			return util_err_set(err, UTIL_E_USAGE, "strategy '%s': "
					    "%zu overrides, at most %d",
					    out->v[i].name, out->v[i].nset,
					    ADVISE_MAX_OVERRIDES);
	for (size_t i = out->nfile; i < n; i++) {
		const struct advise_strategy *st = &out->v[i];

		for (size_t k = 0; k < st->nset; k++)
			if (!strchr(st->set[k], '=') || st->set[k][0] == '=')
				return util_err_set(err, UTIL_E_USAGE,
						    "--strategy %s: '%s' is "
						    "not PATH=VALUE", st->name,
						    st->set[k]);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(st->name, out->v[j].name))
				return util_err_set(err, UTIL_E_USAGE, "two "
						    "strategies are named "
						    "'%s'", st->name);
	}
	if (n > ADVISE_MAX_COLUMNS)
		return util_err_set(err, UTIL_E_USAGE, "%zu strategies: at "
				    "most %d", n, ADVISE_MAX_COLUMNS);
	return 0;
}

void advise_strategies_release(struct advise_strategies *l)
{
	for (size_t i = l->nfile; i < l->n; i++)
		free(l->v[i].set);
	for (size_t i = 0; i < MODEL_MAX_STRATEGIES; i++)
		free(l->text[i]);
	memset(l, 0, sizeof(*l));
}

/* src's scenario with the first n overrides of st and extra, into out;
 * the loader's first error (or err's) into msg on failure: a warning
 * ahead of it (an owned accelerator without an on-prem offer) is not
 * the strategy's fault. */
static int load_with(const struct advise_source *src,
		     const struct advise_strategy *st, size_t n,
		     const struct model_set *extra, size_t nextra,
		     struct model_scenario *out, char *msg, size_t len)
{
	struct model_set set[ADVISE_MAX_OVERRIDES + MODEL_MAX_FX];
	char *copy[ADVISE_MAX_OVERRIDES];
	struct util_diags d;
	struct util_err err = {0};
	int rc;

	n = n < ADVISE_MAX_OVERRIDES ? n : ADVISE_MAX_OVERRIDES;
	nextra = nextra < MODEL_MAX_FX ? nextra : MODEL_MAX_FX;
	for (size_t i = 0; i < n; i++) {
		char *eq;

		copy[i] = util_xstrdup(st->set[i]);
		eq = strchr(copy[i], '=');
		UTIL_BUG_ON(!eq);
		*eq = '\0';
		set[i] = (struct model_set){copy[i], eq + 1};
	}
	for (size_t i = 0; i < nextra; i++)
		set[n + i] = extra[i];
	util_diags_init(&d);
	rc = advise_source_load(src, set, n + nextra, out, &d, &err);
	util_diags_sort(&d);
	if (rc) { /* the first error: a warning before it is not why */
		const char *first = err.msg;

		for (size_t i = d.n; i-- > 0;)
			if (d.v[i].severity == UTIL_ERROR)
				first = d.v[i].msg;
		snprintf(msg, len, "%s", first);
	}
	util_diags_release(&d);
	for (size_t i = 0; i < n; i++)
		free(copy[i]);
	return rc;
}

/* Loads st into out; on failure the message into msg and the index of
 * the override that causes it into *at (-1: none, the strategy's
 * name): the first whose overrides up to it fail together. */
static int locate(const struct advise_source *src,
		  const struct advise_strategy *st,
		  const struct model_set *extra, size_t nextra,
		  struct model_scenario *out, char *msg, size_t len, int *at)
{
	int rc = load_with(src, st, st->nset, extra, nextra, out, msg, len);

	*at = st->nset ? (int)st->nset - 1 : -1;
	for (size_t k = 1; rc && st->line && k < st->nset; k++) {
		struct model_scenario t;
		int bad = load_with(src, st, k, extra, nextra, &t, msg, len);

		model_scenario_release(&t);
		if (bad) {
			*at = (int)k - 1;
			break;
		}
	}
	return rc;
}

int advise_strategy_load(const struct advise_source *src,
			 const struct advise_strategy *st,
			 const struct model_set *extra, size_t nextra,
			 struct model_scenario *out, struct util_err *err)
{
	char msg[sizeof(err->msg)];
	int at;

	if (!locate(src, st, extra, nextra, out, msg, sizeof(msg), &at))
		return 0;
	if (!st->line)
		return util_err_set(err, UTIL_E_USAGE, "--strategy %s: %s",
				    st->name, msg);
	return util_err_set(err, UTIL_E_INPUT, "%s:%d:%d: strategy '%s': %s",
			    src->path, at < 0 ? st->name_line : st->line[at],
			    at < 0 ? st->name_col : st->col[at], st->name,
			    msg);
}

int advise_strategy_check(const struct advise_source *src,
			  const struct advise_strategy *st,
			  const struct model_set *extra, size_t nextra,
			  struct util_diags *d)
{
	struct model_scenario s;
	char msg[1024];
	int at, rc = locate(src, st, extra, nextra, &s, msg, sizeof(msg),
			    &at);

	model_scenario_release(&s);
	if (!rc)
		return 0;
	if (!st->line) {
		util_diag_add(d, UTIL_ERROR, src->path, 0, 0, "--strategy %s: "
			      "%s", st->name, msg);
		return UTIL_E_USAGE;
	}
	return util_diag_add(d, UTIL_ERROR, src->path,
			     at < 0 ? st->name_line : st->line[at],
			     at < 0 ? st->name_col : st->col[at],
			     "strategy '%s': %s", st->name, msg);
}
