/* gpuplan validate FILE... [--strategy NAME=SET[,SET]]: every problem
 * of every file, at once; a scenario's strategies are each loaded with
 * their overrides, as compare would, before anything is planned. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../advise/advise.h"
#include "../util/ydoc.h"
#include "cli.h"

/* what every file is checked with */
struct validate_cli {
	const struct cli_ctx *ctx;
	const struct pricing_catalog *cat;
	const char *strategies[MODEL_MAX_STRATEGIES]; /* --strategy */
	size_t nstrategies;
};

enum file_kind { KIND_UNKNOWN, KIND_NOT_MAPPING, KIND_SCENARIO, KIND_CATALOG };

static enum file_kind sniff(const struct util_ydoc *y)
{
	const yaml_node_t *root = util_ydoc_root(y);
	struct util_ymap m = {.y = (struct util_ydoc *)y, .node = root};

	if (!root || root->type != YAML_MAPPING_NODE)
		return KIND_NOT_MAPPING;
	if (util_ymap_get(&m, "scenario") || util_ymap_get(&m, "workloads"))
		return KIND_SCENARIO;
	if (util_ymap_get(&m, "offers") || util_ymap_get(&m, "accelerators") ||
	    util_ymap_get(&m, "catalog"))
		return KIND_CATALOG;
	return KIND_UNKNOWN;
}

/* Each strategy of s and of --strategy loaded with its overrides (and
 * --fx over them); the problems into d, the names checked into b. */
static int check_strategies(const struct validate_cli *v, const char *path,
			    const struct model_scenario *s,
			    struct util_diags *d, struct util_buf *b)
{
	struct advise_strategies l;
	struct advise_source src;
	struct model_set fx[MODEL_MAX_FX];
	struct util_err err = {0};
	size_t nfx = cli_fx_sets(v->ctx, fx);
	int rc = advise_strategies_list(s, v->strategies, v->nstrategies, &l,
					&err);

	if (rc)
		util_diag_add(d, UTIL_ERROR, path, 0, 0, "%s", err.msg);
	else if ((rc = advise_source_init(&src, path, v->cat,
					  v->ctx->catalog, &err)))
		util_diag_add(d, UTIL_ERROR, NULL, 0, 0, "%s", err.msg);
	for (size_t i = 0; !err.code && i < l.n; i++) {
		int one = advise_strategy_check(&src, &l.v[i], fx, nfx, d);

		if (one && (!rc || one == UTIL_E_INPUT))
			rc = one; /* bad data wins over a bad flag */
		util_buf_printf(b, "%s%s", i ? ", " : "", l.v[i].name);
	}
	if (!err.code)
		advise_source_release(&src);
	for (size_t i = 0; i < nfx; i++)
		free((char *)fx[i].path);
	advise_strategies_release(&l);
	return rc;
}

/* s loaded again with --fx over it, as every other command loads it
 * (validate states the rate in use); a rate the file cannot take is
 * the flag's error (exit 2), not placed in the file. */
static int with_fx(const struct validate_cli *v, const char *path,
		   struct model_scenario *s, struct util_diags *d)
{
	struct advise_source src;
	struct model_set fx[MODEL_MAX_FX];
	struct model_scenario t;
	struct util_err err = {0};
	size_t nfx = cli_fx_sets(v->ctx, fx);
	int rc = advise_source_init(&src, path, v->cat, v->ctx->catalog, &err);

	if (!rc) {
		rc = advise_source_fx_check(&src, fx, nfx, &err);
		if (!rc) {
			rc = advise_source_load(&src, fx, nfx, &t, d, &err);
			if (rc) {
				model_scenario_release(&t);
			} else {
				model_scenario_release(s);
				*s = t;
			}
		}
		advise_source_release(&src);
	}
	if (rc && err.code)
		util_diag_add(d, UTIL_ERROR, NULL, 0, 0, "%s", err.msg);
	for (size_t i = 0; i < nfx; i++)
		free((char *)fx[i].path);
	return rc;
}

/* "; budget 150,000 CAD over the horizon; residency: postdoc-lora in
 * CA": the rules a reader checks first. */
static void constraints_summary(const struct model_scenario *s,
				struct util_buf *b)
{
	char money[64];
	size_t n = 0;

	if (s->constraints.budget != MODEL_UNSET)
		util_buf_printf(b, "; budget %s over the horizon",
				util_fmt_money(money, sizeof(money),
					       s->constraints.budget,
					       s->currency, false));
	for (size_t w = 0; w < s->nworkloads; w++) {
		const struct model_workload *wl = &s->workloads[w];

		if (!wl->residency.ncountries || (wl->series && w > 0 &&
		    s->workloads[w - 1].series &&
		    !strcmp(s->workloads[w - 1].series, wl->series)))
			continue;
		util_buf_printf(b, "%s%s in %s", n++ ? ", " : "; residency: ",
				wl->series ? wl->series : wl->name,
				wl->residency.text);
	}
}

/* What validate says of a good scenario, wrapped at the terminal's
 * width (--width) like every text meant to be read. */
static int scenario_summary(const char *path, const struct model_scenario *s,
			    const struct util_buf *strategies)
{
	struct util_buf b, r;
	char name[80];
	size_t split;
	int rc;

	util_buf_init(&b);
	util_buf_init(&r);
	/* the name is free text: shown without control characters */
	util_escape(s->name, name, sizeof(name));
	util_buf_printf(&b, "%s: ok: scenario '%s', %zu workload%s", path,
			name, s->nworkloads, s->nworkloads == 1 ? "" : "s");
	if (s->nentities)
		util_buf_printf(&b, " of %zu entit%s", s->nentities,
				s->nentities == 1 ? "y" : "ies");
	util_buf_printf(&b, "; money in %s, including amounts written "
			"without a currency", s->currency);
	constraints_summary(s, &b);
	if (s->fx_rate > 0)
		util_buf_printf(&b, "; catalog prices %s",
				s->catalog.origins[s->catalog.norigins - 1]);
	util_buf_puts(&b, "\n");
	if (model_recur_report(s, &r))
		util_buf_printf(&b, "%s: recurring work, occurrences: %s\n",
				path, r.s);
	if ((split = model_courses_split_by_default(s)))
		util_buf_printf(&b, "%s: teaching: %zu courses, more than %d: "
				"the sessions of the %zu that do not say "
				"one_venue may split over venues (one_venue: "
				"true keeps a course whole; docs/scenario.md, "
				"one_venue)\n", path, s->courses,
				MODEL_WHOLE_COURSES, split);
	if (strategies->len)
		util_buf_printf(&b, "%s: strategies, each loaded with its "
				"overrides: %s\n", path, strategies->s);
	rc = cli_write_text(&b);
	util_buf_release(&r);
	util_buf_release(&b);
	return rc == CLI_EXIT_OK ? 0 : UTIL_E_IO;
}

static int check_scenario(const struct validate_cli *v, const char *path,
			  const char *buf, size_t len, struct util_diags *d)
{
	struct model_scenario s;
	int rc = model_scenario_load_buffer(&s, path, buf, len, v->cat, d);
	struct util_buf names;

	util_buf_init(&names);
	if (!rc && v->ctx->nfx)
		rc = with_fx(v, path, &s, d);
	if (!rc && (s.nstrategies || v->nstrategies))
		rc = check_strategies(v, path, &s, d, &names);
	if (!rc)
		rc = scenario_summary(path, &s, &names);
	util_buf_release(&names);
	model_scenario_release(&s);
	return rc;
}

static int check_catalog(const char *path, const char *buf, size_t len,
			 const struct pricing_catalog *cat,
			 struct util_diags *d)
{
	struct pricing_catalog c;
	size_t na = cat->naccels, no = cat->noffers;
	int rc;

	pricing_catalog_copy(&c, cat);
	rc = pricing_catalog_load_buffer(&c, path, buf, len, d);
	if (!rc)
		printf("%s: ok: catalog, %zu accelerators and %zu offers in "
		       "use (%+zd, %+zd)\n",
		       path, c.naccels, c.noffers,
		       (ssize_t)(c.naccels - na), (ssize_t)(c.noffers - no));
	pricing_catalog_release(&c);
	return rc;
}

static int check_file(const struct validate_cli *v, const char *path,
		      struct util_diags *d)
{
	struct util_ydoc y;
	struct util_err err;
	char *buf = NULL;
	size_t len = 0;
	int rc = util_read_file(path, UTIL_INPUT_MAX, &buf, &len, &err);

	if (rc) {
		util_diag_add(d, UTIL_ERROR, NULL, 0, 0, "%s", err.msg);
		return rc;
	}
	rc = util_ydoc_load(&y, path, buf, len, d);
	if (!rc) {
		switch (sniff(&y)) {
		case KIND_SCENARIO:
			rc = check_scenario(v, path, buf, len, d);
			break;
		case KIND_CATALOG:
			rc = check_catalog(path, buf, len, v->cat, d);
			break;
		case KIND_NOT_MAPPING: {
			char what[80];
			const yaml_node_t *root = util_ydoc_root(&y);

			rc = util_yerr(&y, d, root, "a scenario or catalog must "
				       "be a mapping of keys to values, got %s",
				       util_ydescribe(root, what, sizeof(what)));
			break;
		}
		default:
			rc = util_diag_add(d, UTIL_ERROR, path, 1, 1,
					   "neither a scenario (no 'scenario:' "
					   "key) nor a catalog (no 'offers:' "
					   "or 'accelerators:' key)");
		}
	}
	util_ydoc_release(&y);
	free(buf);
	return rc;
}

/* The options among the files: --strategy NAME=SET (or
 * --strategy=NAME=SET); the files are moved to the front of argv. */
static int parse(int argc, char **argv, struct validate_cli *v, int *nfiles)
{
	*nfiles = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;

		if (!strcmp(a, "--strategy") && i + 1 < argc)
			val = argv[++i];
		else if (!strncmp(a, "--strategy=", 11))
			val = a + 11;
		else if (!strcmp(a, "--strategy"))
			return cli_usage_error("validate", "option '%s' needs "
					       "a value", a);
		else if (a[0] == '-' && a[1])
			return cli_usage_error("validate", "unknown option "
					       "'%s'", a);
		if (!val) {
			argv[1 + (*nfiles)++] = argv[i];
			continue;
		}
		if (v->nstrategies == MODEL_MAX_STRATEGIES ||
		    !strchr(val, '=') || val[0] == '=')
			return cli_usage_error("validate", "'--strategy' is "
					       "NAME=PATH=VALUE[,PATH=VALUE...]"
					       " (at most %d), got '%s'",
					       MODEL_MAX_STRATEGIES, val);
		v->strategies[v->nstrategies++] = val;
	}
	return 0;
}

int cmd_validate(int argc, char **argv, struct cli_ctx *ctx)
{
	struct pricing_catalog cat;
	struct validate_cli v = {.ctx = ctx, .cat = &cat};
	int rc, nfiles, worst = CLI_EXIT_OK;

	rc = parse(argc, argv, &v, &nfiles);
	if (rc)
		return rc;
	if (nfiles < 1)
		return cli_usage_error("validate", "no file to validate");
	rc = cli_load_catalog(ctx, &cat);
	if (rc) {
		pricing_catalog_release(&cat);
		return rc;
	}
	for (int i = 1; i <= nfiles; i++) {
		struct util_diags d;
		int code;

		util_diags_init(&d);
		code = cli_exit_code(check_file(&v, argv[i], &d));
		cli_print_diags(ctx, &d);
		if (code == CLI_EXIT_DATAERR && d.nerrors > 1)
			cli_error("%s: %zu errors", argv[i], d.nerrors);
		util_diags_release(&d);
		if (code == CLI_EXIT_DATAERR || worst == CLI_EXIT_OK)
			worst = code;
	}
	pricing_catalog_release(&cat);
	if ((fflush(stdout) || ferror(stdout)) &&
	    worst != CLI_EXIT_CANTCREAT) { /* else said already */
		cli_error("cannot write the output");
		return CLI_EXIT_CANTCREAT;
	}
	return worst;
}
