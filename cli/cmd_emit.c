/* gpuplan emit SCENARIO --to TARGET --out DIR: the plan as the files an
 * allocator takes (docs/emit.md). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../emit/emit.h"
#include "cli.h"

static int target(const char *command, const char *name,
		  enum emit_target *t)
{
	const char *near;

	for (int i = 0; i < EMIT_NTARGETS; i++)
		if (!strcmp(name, emit_target_names[i])) {
			*t = (enum emit_target)i;
			return 0;
		}
	near = util_nearest(name, emit_target_names, EMIT_NTARGETS);
	if (near)
		return cli_usage_error(command, "unknown target '%s'; did you "
				       "mean '%s'?", name, near);
	return cli_usage_error(command, "unknown target '%s': json, slurm, "
			       "kubernetes, kueue or skypilot", name);
}

int cmd_emit(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option longopts[] = {
		{"to", required_argument, NULL, 't'},
		{"out", required_argument, NULL, 'o'},
		{"plan", required_argument, NULL, 'p'},
		{"kueue-api", required_argument, NULL, 'k'},
		{"kubectl-image", required_argument, NULL, 'i'},
		{NULL, 0, NULL, 0}};
	struct emit_opts opts = {0};
	const char *plan_file = NULL;
	char *out = NULL, *what;
	enum emit_target t = EMIT_NTARGETS;
	struct model_scenario s;
	struct model_plan p = {0};
	struct emit_files f;
	struct util_err err;
	int ch, rc;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (ch) {
		case 't':
			if (target("emit", optarg, &t))
				return CLI_EXIT_USAGE;
			break;
		case 'o':
			out = optarg;
			break;
		case 'p':
			plan_file = optarg;
			break;
		case 'k':
			if (strcmp(optarg, "v1beta2") &&
			    strcmp(optarg, "v1beta1"))
				return cli_usage_error(
					"emit", "--kueue-api takes v1beta2 (the "
					"default) or v1beta1, got '%s'", optarg);
			opts.kueue_api = optarg;
			break;
		case 'i':
			/* a reference is one word of printable ASCII; the
			 * YAML quotes it, kubelet checks its form */
			if (!*optarg || strcspn(optarg, " \t\n\r\"'\\") !=
						strlen(optarg))
				return cli_usage_error(
					"emit", "--kubectl-image takes an image "
					"reference (registry.k8s.io/kubectl:"
					"v1.32.2), got '%s'", optarg);
			opts.kubectl_image = optarg;
			break;
		case ':':
			return cli_usage_error("emit", "option '%s' needs a "
					       "value", argv[optind - 1]);
		default:
			return cli_usage_error("emit", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("emit", "give one scenario file");
	if (t == EMIT_NTARGETS || !out || !*out)
		return cli_usage_error("emit", "say what to emit with --to "
				       "TARGET and where with --out DIR");
	for (size_t n = strlen(out); n > 1 && out[n - 1] == '/'; n--)
		out[n - 1] = '\0';
	emit_files_init(&f);
	rc = cli_load_scenario(ctx, argv[optind], &s);
	if (!rc)
		rc = cli_scenario_plan(ctx, &s, plan_file, "emit", &p);
	if (!rc && emit_plan_opts(&s, &p, t, &opts, &f, &err)) {
		cli_error("%s", err.msg);
		rc = cli_exit_code(err.code);
	}
	if (!rc) {
		what = util_xasprintf("gpuplan emit --to %s %s\n",
				      emit_target_names[t], s.file);
		rc = cli_write_dir(out, &f, what);
		free(what);
	}
	if (!rc && !ctx->quiet) {
		fprintf(stderr, "gpuplan: wrote %zu file%s for %s in '%s'\n",
			f.n, f.n == 1 ? "" : "s", emit_target_names[t], out);
		for (const char *l = f.notes.s; l && *l;) {
			size_t n = strcspn(l, "\n");

			fprintf(stderr, "gpuplan: %.*s\n", (int)n, l);
			l += n + (l[n] == '\n');
		}
	}
	emit_files_release(&f);
	model_plan_release(&p);
	model_scenario_release(&s);
	return rc;
}
