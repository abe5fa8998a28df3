/* What sweep, sensitivity and compare share to run beyond one machine
 * (docs/sweep.md): --shard I/N, the shards' files read back and checked
 * as a set, an output written atomically, and --emit slurm-array (an
 * array job of the shards, then the merge with --dependency=afterok). */
#define _DEFAULT_SOURCE /* realpath */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../advise/advise.h"
#include "../emit/emit.h"
#include "cli.h"

int cli_shard_option(const char *cmd, const char *s, long *i, long *n)
{
	char *end;

	*i = strtol(s, &end, 10);
	if (*end != '/' || util_parse_long(end + 1, 1, ADVISE_SHARDS_MAX, n) ||
	    *i < 1 || *i > *n)
		return cli_usage_error(cmd, "'--shard' is I/N with 1 <= I "
				       "<= N, got '%s'", s);
	return 0;
}

int cli_write_out(const char *out, const struct util_buf *b)
{
	struct util_err err;

	if (!out)
		return cli_write_stdout(b);
	if (util_write_atomic(out, b->s ? b->s : "", b->len, &err)) {
		cli_error("%s", err.msg);
		return CLI_EXIT_CANTCREAT;
	}
	return 0;
}

/* The options of ctx that change what a shard computes, as words. */
static void result_options(const struct cli_ctx *ctx, struct util_buf *b)
{
	if (ctx->catalog_replace)
		util_buf_puts(b, " --catalog-replace");
	for (size_t i = 0; i < ctx->nfx; i++) {
		util_buf_puts(b, " --fx ");
		emit_shell_word(b, ctx->fx[i]);
	}
}

/* The digest of scenario as a shard records it: its text, the --catalog
 * file's, the options of ctx that change the results. */
static int digest_of(const struct cli_ctx *ctx, const char *scenario,
		     uint64_t *digest, struct util_err *err)
{
	struct util_buf b;
	int rc;

	util_buf_init(&b);
	result_options(ctx, &b);
	rc = advise_shard_digest(scenario, ctx->catalog, util_buf_str(&b),
				 digest, err);
	util_buf_release(&b);
	return rc;
}

int cli_shard_start(const struct cli_ctx *ctx, const char *kind,
		    const char *scenario, long shard, long nshards,
		    struct util_buf *b)
{
	char *full = realpath(scenario, NULL);
	struct util_err err;
	uint64_t digest;
	int rc;

	if (!full || strpbrk(full, "\t\n\r")) {
		cli_error("'%s': %s", scenario, full ? "a shard cannot name a "
			  "path with a tab or a line end" : "no full path");
		free(full);
		return full ? CLI_EXIT_USAGE : CLI_EXIT_NOINPUT;
	}
	rc = digest_of(ctx, full, &digest, &err);
	if (rc) {
		cli_error("%s", err.msg);
		rc = cli_exit_code(rc);
	} else {
		advise_shard_head(b, kind, full, digest, shard, nshards);
	}
	free(full);
	return rc;
}

int cli_shard_read_all(const struct cli_ctx *ctx, const char *kind,
		       char *const *files, size_t n,
		       struct advise_shard **out)
{
	struct advise_shard *v = util_xcalloc(n ? n : 1, sizeof(*v));
	struct util_err err, e2;
	uint64_t digest = 0;
	int rc = 0;

	*out = v;
	for (size_t i = 0; i < n && !rc; i++)
		rc = advise_shard_read(files[i], kind, &v[i], &err);
	/* the scenario as it is now, with this run's options and catalog */
	if (!rc && n && digest_of(ctx, v[0].scenario, &digest, &e2))
		rc = advise_shard_error(&err, &v[0], &v[0].lines[1], 1, "%s",
					e2.msg);
	if (!rc)
		rc = advise_shard_set(v, n, digest, &err);
	if (rc == UTIL_E_USAGE)
		return cli_usage_error(kind, "merge: give the shard files");
	if (rc) {
		cli_error("%s", err.msg);
		return cli_exit_code(rc);
	}
	return 0;
}

void cli_shard_free(struct advise_shard *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		advise_shard_release(&v[i]);
	free(v);
}

/* The command line of the shards and the merge, up to the command:
 * this gpuplan, the options that make their prices what they are here. */
static int prefix(const struct cli_ctx *ctx, struct util_buf *cmd)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0) {
		cli_error("cannot find gpuplan's full path");
		return CLI_EXIT_SOFTWARE;
	}
	self[n] = '\0';
	emit_shell_word(cmd, self);
	/* the shards price as this run does */
	if (ctx->catalog) {
		char *cat = realpath(ctx->catalog, NULL);

		util_buf_puts(cmd, " --catalog ");
		emit_shell_word(cmd, cat ? cat : ctx->catalog);
		free(cat);
	}
	if (ctx->offline)
		util_buf_puts(cmd, " --offline");
	result_options(ctx, cmd);
	return 0;
}

/* The three files of --emit slurm-array into f. */
static void array_files(const struct cli_array *a, const char *pre,
			const char *cmd, struct emit_files *f)
{
	static const char *const ext[] = {
		[CLI_TABLE] = "txt", [CLI_CSV] = "csv", [CLI_JSON] = "json",
		[CLI_MARKDOWN] = "md"};
	static const char *const name[] = {
		[CLI_TABLE] = "table", [CLI_CSV] = "csv", [CLI_JSON] = "json",
		[CLI_MARKDOWN] = "markdown"};
	char result[32], format[32] = "";
	struct util_buf b;

	snprintf(result, sizeof(result), "result.%s",
		 a->format < 0 ? "csv" : ext[a->format]);
	if (a->format >= 0)
		snprintf(format, sizeof(format), " --format %s",
			 name[a->format]);
	util_buf_init(&b);
	util_buf_printf(&b, "#!/bin/bash\n# gpuplan: a %s in %ld shards, at "
			"most %ld at once\n"
			"#SBATCH --job-name=gpuplan-%s\n"
			"#SBATCH --array=1-%ld%%%ld\n"
			"#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n"
			"#SBATCH --time=0-04:00:00\n"
			"#SBATCH --output=logs/shard-%%a.out\n"
			"set -euo pipefail\n"
			"%s --jobs 1 --shard \"$SLURM_ARRAY_TASK_ID/%ld\"%s "
			"--out \"shard-$SLURM_ARRAY_TASK_ID.%s\"\n",
			a->noun, a->nshards, a->throttle, a->cmd, a->nshards,
			a->throttle, cmd, a->nshards, a->shard_args, a->ext);
	emit_files_add(f, a->sbatch, &b);
	util_buf_printf(&b, "#!/bin/bash\n# gpuplan: the shards merged into "
			"%s, after every shard succeeded\n"
			"#SBATCH --job-name=gpuplan-%s-merge\n"
			"#SBATCH --ntasks=1\n#SBATCH --time=0-00:30:00\n"
			"#SBATCH --output=logs/merge.out\n"
			"set -euo pipefail\n%s %s merge%s shard-*.%s --out %s\n",
			result, a->cmd, pre, a->cmd, format, a->ext, result);
	emit_files_add(f, "merge.sbatch", &b);
	util_buf_printf(&b, "#!/bin/sh\n# gpuplan: submits the %s, then its "
			"merge once every shard succeeded\nset -eu\n"
			"cd \"$(dirname \"$0\")\"\nmkdir -p logs\n"
			"array=$(sbatch --parsable %s)\n"
			"array=${array%%%%;*}\n"
			"merge=$(sbatch --parsable "
			"--dependency=afterok:\"$array\" merge.sbatch)\n"
			"echo \"%s: job $array, merge: job ${merge%%%%;*}, "
			"result in $(pwd)/%s\"\n",
			a->noun, a->sbatch, a->cmd, result);
	emit_files_add(f, "submit.sh", &b);
}

int cli_emit_array(const struct cli_ctx *ctx, const struct cli_array *a)
{
	struct emit_files f;
	struct util_buf pre, cmd;
	char *scen = realpath(a->scenario, NULL), *what;
	int rc;

	if (!scen) {
		cli_error("cannot find the scenario's full path");
		return CLI_EXIT_NOINPUT;
	}
	util_buf_init(&pre);
	util_buf_init(&cmd);
	rc = prefix(ctx, &pre);
	util_buf_printf(&cmd, "%s %s ", util_buf_str(&pre), a->cmd);
	emit_shell_word(&cmd, scen);
	util_buf_puts(&cmd, a->args);
	emit_files_init(&f);
	if (!rc) {
		array_files(a, util_buf_str(&pre), util_buf_str(&cmd), &f);
		what = util_xasprintf("gpuplan %s --emit slurm-array\n",
				      a->cmd);
		rc = cli_write_dir(a->out, &f, what);
		free(what);
	}
	if (!rc)
		fprintf(stderr, "gpuplan: wrote the %s as a Slurm array in "
			"'%s': run 'sh %s/submit.sh' on the cluster\n", a->noun,
			a->out, a->out);
	emit_files_release(&f);
	util_buf_release(&cmd);
	util_buf_release(&pre);
	free(scen);
	return rc;
}
