/* gpuplan sensitivity SCENARIO [--delta 20%]: each venue family's prices
 * and each workload's size moved by -delta and +delta, the plan made
 * again, and the parameters ranked by how much the total cost moves
 * (docs/sweep.md); a tornado chart with --plot. */
#include <getopt.h>
#include <stdlib.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../emit/emit.h"
#include "../advise/advise.h"
#include "../report/report.h"
#include "cli.h"

int cli_reload(void *arg, struct model_scenario *s)
{
	const struct cli_reload *r = arg;

	return cli_load_scenario(&r->quiet, r->path, s);
}

/* The oldest as_of of the prices s's plan uses, a string of s's
 * catalog, or NULL; st gets the offers it used. */
static const char *oldest_price(const struct model_scenario *s,
				struct pricing_staleness *st,
				struct model_plan_warm *warm)
{
	struct model_plan_opts po = {.family = -1, .warm = warm};
	struct model_plan p = {0};
	struct util_err err;
	const char *oldest = NULL;

	if (!model_plan(s, &po, &p, &err)) {
		oldest = emit_oldest_as_of(&p, NULL);
		emit_plan_prices(&p, st);
	}
	model_plan_release(&p);
	return oldest;
}

/* A cost as CSV takes it (cents, no separator), or as people read it
 * in the text and markdown tables ("171,392", "7.72": report_fmt_num;
 * the heading names the currency). */
static void fmt_cost(char *out, double v, bool people)
{
	if (isnan(v))
		snprintf(out, 32, "no plan");
	else if (people)
		report_fmt_num(out, 32, v, 3);
	else
		snprintf(out, 32, "%.2f", v);
}

static void fmt_change(char *out, double v, double base)
{
	double pct = advise_change_pct(v, base);

	snprintf(out, 32, isnan(pct) ? "-" : "%+.1f%%", pct);
}

static int render(const struct model_scenario *s, double base,
		  const char *oldest, double delta, const struct advise_param *q,
		  size_t n, enum cli_format f, const char *out)
{
	static const char *const head[] = {"parameter", "cost_low",
					   "change_low", "cost_high",
					   "change_high", "swing"};
	static const bool right[] = {false, true, true, true, true, true};
	/* CSV: figures for programs; the tables: for people */
	bool money = f != CLI_CSV;
	char total[32];
	struct cli_table t;
	struct util_buf b;
	int rc;

	util_buf_init(&b);
	if (f == CLI_JSON) {
		json_t *rows = json_array();

		for (size_t i = 0; i < n; i++)
			json_array_append_new(
				rows,
				json_pack("{s:s, s:o, s:o, s:o}", "parameter",
					  q[i].name, "cost_low",
					  isnan(q[i].cost[0])
						  ? json_null()
						  : emit_json_real(q[i].cost[0]),
					  "cost_high",
					  isnan(q[i].cost[1])
						  ? json_null()
						  : emit_json_real(q[i].cost[1]),
					  "swing", isnan(advise_swing(&q[i]))
							   ? json_null()
							   : emit_json_real(advise_swing(
								     &q[i]))));
		emit_json_text(json_pack("{s:s, s:s, s:f, s:f, s:o, s:o}",
					 "scenario", s->name, "currency",
					 s->currency, "delta", delta,
					 "base_cost", base, "parameters", rows,
					 "prices", emit_prices_json(&s->catalog)),
			       &b);
		rc = cli_write_out(out, &b);
		util_buf_release(&b);
		return rc;
	}
	if (f != CLI_CSV) {
		util_buf_printf(&b, "%sSensitivity of '",
				f == CLI_MARKDOWN ? "### " : "");
		if (f == CLI_MARKDOWN) /* the name is text, not markup */
			report_md_text(&b, s->name);
		else
			util_buf_puts(&b, s->name);
		util_fmt_money(total, sizeof(total), base, s->currency,
			       false);
		util_buf_printf(&b, "': total cost %s (the plan made "
				"once, before the closed loop of plan and "
				"compare tightens it); each parameter moved by "
				"-%.0f%% and +%.0f%%, the largest effect "
				"first; costs in %s\n\n", total, delta * 100,
				delta * 100, s->currency);
	}
	cli_table_init(&t, 6, head, right);
	for (size_t i = 0; i < n; i++) {
		char v[5][32];

		fmt_cost(v[0], q[i].cost[0], money);
		fmt_change(v[1], q[i].cost[0], base);
		fmt_cost(v[2], q[i].cost[1], money);
		fmt_change(v[3], q[i].cost[1], base);
		if (isnan(advise_swing(&q[i])))
			snprintf(v[4], 32, "-");
		else
			fmt_cost(v[4], advise_swing(&q[i]), money);
		cli_table_row(&t, (const char *const[]){q[i].name, v[0], v[1],
							v[2], v[3], v[4]});
	}
	cli_table_render(&t, f, &b);
	cli_table_release(&t);
	if (f != CLI_CSV) {
		util_buf_puts(&b, "\n");
		emit_prices_line(&s->catalog, oldest, f == CLI_MARKDOWN, &b);
	}
	/* on a terminal, the text wrapped to its width as compare's */
	rc = f == CLI_TABLE && !out ? cli_write_text(&b) : cli_write_out(out, &b);
	util_buf_release(&b);
	return rc;
}

static int tornado(const struct model_scenario *s, double base, double delta,
		   const struct advise_param *q, size_t n, const char *out)
{
	const char *cat[ADVISE_MAX_PARAMS];
	double lo[ADVISE_MAX_PARAMS], hi[ADVISE_MAX_PARAMS];
	char title[200], tl[32], th[32];
	struct report_series ser[2] = {{tl, NULL, lo, n}, {th, NULL, hi, n}};
	struct report_plot p = {.kind = REPORT_TORNADO, .title = title,
			      .xlabel = s->currency, .ylabel = "",
			      .series = ser, .nseries = 2,
			      .categories = cat, .ncategories = n,
			      .mark_x = base, .mark_y = NAN};

	for (size_t i = 0; i < n; i++) {
		cat[i] = q[i].name;
		lo[i] = isnan(q[i].cost[0]) ? base : q[i].cost[0];
		hi[i] = isnan(q[i].cost[1]) ? base : q[i].cost[1];
	}
	snprintf(tl, sizeof(tl), "-%.0f%%", delta * 100);
	snprintf(th, sizeof(th), "+%.0f%%", delta * 100);
	snprintf(title, sizeof(title), "%s: total cost when each parameter "
		 "moves by %.0f%%", s->name, delta * 100);
	return cli_draw_plot(&p, out);
}

/* What a run asks for. */
struct sens_cli {
	enum cli_format format;
	double delta;
	const char *delta_arg; /* as given, for the shards of --emit */
	const char *plot, *out, *emit;
	int jobs;
	long shard, nshards, throttle; /* --shard I/N; --emit: --shards N */
	char **files; /* merge: the shards */
	size_t nfiles;
};

/* A whole number of --jobs, --shards, --throttle. */
static int count_option(const char *name, const char *arg, long max, long *v)
{
	if (util_parse_long(arg, 1, max, v))
		return cli_usage_error("sensitivity", "'--%s' takes a whole "
				       "number from 1 to %ld, got '%s'", name,
				       max, arg);
	return 0;
}

static int parse_one(int ch, const char *arg, struct sens_cli *c)
{
	struct util_err err;
	long v;

	switch (ch) {
	case 'd':
		if (model_units_parse(arg, MODEL_DIM_FRACTION, 0, &c->delta,
				      &err) || c->delta <= 0 || c->delta >= 1)
			return cli_usage_error("sensitivity", "'--delta' is a "
					       "percentage between 0 and 100, "
					       "got '%s'", arg);
		c->delta_arg = arg;
		return 0;
	case 'p':
		c->plot = arg;
		return 0;
	case 'o':
		c->out = arg;
		return 0;
	case 'f':
		return cli_parse_format("sensitivity", arg,
					(1u << CLI_TABLE) | (1u << CLI_CSV) |
						(1u << CLI_JSON) |
						(1u << CLI_MARKDOWN),
					&c->format)
			       ? CLI_EXIT_USAGE
			       : 0;
	case 'j':
		if (count_option("jobs", arg, 64, &v))
			return CLI_EXIT_USAGE;
		c->jobs = (int)v;
		return 0;
	case 'h':
		return cli_shard_option("sensitivity", arg, &c->shard,
					&c->nshards);
	case 'n':
		return count_option("shards", arg, ADVISE_SHARDS_MAX,
				    &c->nshards);
	case 't':
		return count_option("throttle", arg, ADVISE_SHARDS_MAX,
				    &c->throttle);
	case 'e':
		if (strcmp(arg, "slurm-array"))
			return cli_usage_error("sensitivity", "'--emit' is "
					       "slurm-array, got '%s'", arg);
		c->emit = arg;
		return 0;
	default:
		return cli_usage_error("sensitivity", "unknown option '%s'",
				       arg);
	}
}

/* The options, then the scenario (or, after merge, the shards). */
static int parse(int argc, char **argv, bool merge, struct sens_cli *c)
{
	static const struct option longopts[] = {
		{"delta", required_argument, NULL, 'd'},
		{"plot", required_argument, NULL, 'p'},
		{"format", required_argument, NULL, 'f'},
		{"out", required_argument, NULL, 'o'},
		{"jobs", required_argument, NULL, 'j'},
		{"shard", required_argument, NULL, 'h'},
		{"shards", required_argument, NULL, 'n'},
		{"throttle", required_argument, NULL, 't'},
		{"emit", required_argument, NULL, 'e'},
		{NULL, 0, NULL, 0}};
	int ch, rc;

	opterr = 0;
	optind = merge ? 2 : 1;
	while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (ch == ':')
			return cli_usage_error("sensitivity", "option '%s' "
					       "needs a value", argv[optind - 1]);
		if (merge && strchr("djhnte", ch))
			return cli_usage_error("sensitivity", "merge takes "
					       "--format, --out and --plot: "
					       "the other options belong to "
					       "the shards");
		rc = parse_one(ch, ch == '?' ? argv[optind - 1] : optarg, c);
		if (rc)
			return rc;
	}
	c->files = argv + optind;
	c->nfiles = (size_t)(argc - optind);
	if (merge)
		return 0;
	if (optind != argc - 1)
		return cli_usage_error("sensitivity", "give one scenario file");
	if (c->emit && (!c->out || !c->nshards || c->shard))
		return cli_usage_error("sensitivity", "--emit slurm-array needs "
				       "--shards N and --out DIR");
	if (!c->emit && c->nshards && !c->shard)
		return cli_usage_error("sensitivity", "--shards goes with "
				       "--emit; one shard is --shard I/N");
	if (c->shard && c->plot)
		return cli_usage_error("sensitivity", "a shard draws no plot: "
				       "give --plot to the merge");
	return 0;
}

/* The ranking as the format asks, to --out, and the tornado chart. */
static int output(const struct cli_ctx *ctx, const struct sens_cli *c,
		  const struct model_scenario *s,
		  const struct advise_sensitivity *r, const char *oldest,
		  struct pricing_staleness *st)
{
	int rc = render(s, r->base, oldest, r->delta, r->v, r->n, c->format,
		    c->out);
	if (!rc && c->format != CLI_JSON)
		cli_warn_price_age(ctx, st);
	if (!rc && c->plot)
		rc = tornado(s, r->base, r->delta, r->v, r->n, c->plot);
	return rc;
}

static int no_plan(const char *path)
{
	cli_error("no plan for the scenario as it is: see 'gpuplan plan %s'",
		  path);
	return CLI_EXIT_INFEASIBLE;
}

/* sensitivity merge SHARD... [--format F] [--out FILE] [--plot FILE]:
 * the shards' moves ranked, exactly as one run prints them. */
static int merge(int argc, char **argv, struct cli_ctx *ctx)
{
	struct sens_cli c = {.format = CLI_TABLE};
	struct advise_shard *v = NULL;
	struct advise_sensitivity r;
	struct model_scenario s;
	struct pricing_staleness st = {0};
	struct util_err err;
	int rc = parse(argc, argv, true, &c);

	memset(&s, 0, sizeof(s));
	if (!rc)
		rc = cli_shard_read_all(ctx, "sensitivity", c.files, c.nfiles,
					&v);
	if (!rc)
		rc = cli_load_scenario(ctx, v[0].scenario, &s);
	if (!rc && advise_sensitivity_merge(&s, v, c.nfiles, &r, &err)) {
		cli_error("%s", err.msg);
		rc = CLI_EXIT_DATAERR;
	}
	if (!rc && isnan(r.base))
		rc = no_plan(v[0].scenario);
	if (!rc) /* the prices of the plan as it is (one plan) */
		rc = output(ctx, &c, &s, &r, oldest_price(&s, &st, NULL), &st);
	pricing_staleness_release(&st);
	model_scenario_release(&s);
	cli_shard_free(v, c.nfiles);
	return rc;
}

/* --emit slurm-array: the shards as a Slurm array, then their merge. */
static int emit_array(const struct cli_ctx *ctx, const struct sens_cli *c,
		      const char *scenario)
{
	struct util_buf args;
	int rc;

	util_buf_init(&args);
	if (c->delta_arg) {
		util_buf_puts(&args, " --delta ");
		emit_shell_word(&args, c->delta_arg);
	}
	rc = cli_emit_array(ctx, &(struct cli_array){
		.cmd = "sensitivity", .noun = "sensitivity",
		.scenario = scenario, .args = util_buf_str(&args),
		.shard_args = "",
		.format = (int)c->format, .sbatch = "sensitivity.sbatch",
		.ext = "shard", .nshards = c->nshards,
		.throttle = c->throttle ? c->throttle : c->nshards,
		.out = c->out});
	util_buf_release(&args);
	return rc;
}

/* --shard I/N: this shard's moves into its file. */
static int write_shard(const struct cli_ctx *ctx, const struct sens_cli *c,
		       const char *scenario,
		       const struct advise_sensitivity *r)
{
	struct util_buf b;
	int rc;

	util_buf_init(&b);
	rc = cli_shard_start(ctx, "sensitivity", scenario, c->shard,
			     c->nshards, &b);
	if (!rc) {
		advise_sensitivity_shard(r, c->shard, c->nshards, &b);
		rc = cli_write_out(c->out, &b);
	}
	util_buf_release(&b);
	return rc;
}

int cmd_sensitivity(int argc, char **argv, struct cli_ctx *ctx)
{
	struct sens_cli c = {.format = CLI_TABLE, .delta = 0.2,
			     .jobs = cli_cpus()};
	struct advise_sensitivity r;
	struct cli_reload re = {.quiet = *ctx};
	struct model_scenario s;
	struct pricing_staleness st = {0};
	const char *path, *oldest = NULL;
	int rc;

	if (argc > 1 && !strcmp(argv[1], "merge"))
		return merge(argc, argv, ctx);
	rc = parse(argc, argv, false, &c);
	if (rc)
		return rc;
	path = argv[optind];
	if (c.emit)
		return emit_array(ctx, &c, path);
	rc = cli_load_scenario(ctx, path, &s);
	re.quiet.quiet = true;
	re.path = path;
	if (!rc) {
		/* a plan of s: its basis starts the sensitivity's plans */
		struct model_plan_warm *warm = model_plan_warm_new();

		oldest = oldest_price(&s, &st, warm);
		advise_sensitivity_part(&s, c.delta, c.jobs, warm, cli_reload,
					&re, c.shard, c.nshards, &r);
		model_plan_warm_free(warm);
		if (isnan(r.base))
			rc = no_plan(path);
	}
	if (!rc && c.shard)
		rc = write_shard(ctx, &c, path, &r);
	else if (!rc) {
		advise_sensitivity_rank(&r);
		rc = output(ctx, &c, &s, &r, oldest, &st);
	}
	pricing_staleness_release(&st);
	model_scenario_release(&s);
	return rc;
}
