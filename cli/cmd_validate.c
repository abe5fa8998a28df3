/* gpuplan validate FILE...: every problem of every file, at once. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../util/ydoc.h"
#include "cli.h"

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

static int check_scenario(const char *path, const char *buf, size_t len,
			  const struct pricing_catalog *cat,
			  struct util_diags *d)
{
	struct model_scenario s;
	int rc = model_scenario_load_buffer(&s, path, buf, len, cat, d);

	if (!rc) {
		char name[80];

		/* the name is free text: shown without control characters */
		util_escape(s.name, name, sizeof(name));
		printf("%s: ok: scenario '%s', %zu workload%s", path, name,
		       s.nworkloads, s.nworkloads == 1 ? "" : "s");
		if (s.nentities)
			printf(" of %zu entit%s", s.nentities,
			       s.nentities == 1 ? "y" : "ies");
		printf("; money in %s (amounts written without a currency "
		       "too)", s.currency);
	}
	if (!rc && s.fx_rate > 0)
		printf("; catalog prices %s",
		       s.catalog.origins[s.catalog.norigins - 1]);
	if (!rc)
		printf("\n");
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

static int check_file(const char *path, const struct pricing_catalog *cat,
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
			rc = check_scenario(path, buf, len, cat, d);
			break;
		case KIND_CATALOG:
			rc = check_catalog(path, buf, len, cat, d);
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

int cmd_validate(int argc, char **argv, struct cli_ctx *ctx)
{
	struct pricing_catalog cat;
	int rc, worst = CLI_EXIT_OK;

	if (argc > 1 && argv[1][0] == '-' && argv[1][1])
		return cli_usage_error("validate", "unknown option '%s'",
				       argv[1]);
	if (argc < 2)
		return cli_usage_error("validate", "no file to validate");
	rc = cli_load_catalog(ctx, &cat);
	if (rc) {
		pricing_catalog_release(&cat);
		return rc;
	}
	for (int i = 1; i < argc; i++) {
		struct util_diags d;
		int code;

		util_diags_init(&d);
		code = cli_exit_code(check_file(argv[i], &cat, &d));
		cli_print_diags(ctx, &d);
		if (code == CLI_EXIT_DATAERR && d.nerrors > 1)
			cli_error("%s: %zu errors", argv[i], d.nerrors);
		util_diags_release(&d);
		if (code == CLI_EXIT_DATAERR || worst == CLI_EXIT_OK)
			worst = code;
	}
	pricing_catalog_release(&cat);
	if (fflush(stdout) || ferror(stdout)) {
		cli_error("cannot write the output");
		return CLI_EXIT_CANTCREAT;
	}
	return worst;
}
