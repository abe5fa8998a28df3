/* gpuplan sensitivity SCENARIO [--delta 20%]: each venue family's prices
 * and each workload's size moved by -delta and +delta, the plan made
 * again, and the parameters ranked by how much the total cost moves
 * (docs/sweep.md); a tornado chart with --plot. */
#include <getopt.h>
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

static void fmt_cost(char *out, double v)
{
	snprintf(out, 32, isnan(v) ? "no plan" : "%.2f", v);
}

static void fmt_change(char *out, double v, double base)
{
	double pct = (v - base) / base * 100;

	/* no "-0.0%" for a change that rounds to nothing */
	if (isnan(v) || base <= 0) /* no percentage of nothing */
		snprintf(out, 32, "-");
	else
		snprintf(out, 32, "%+.1f%%", fabs(pct) < 0.05 ? 0.0 : pct);
}

static int render(const struct model_scenario *s, double base,
		  const char *oldest, double delta, const struct advise_param *q,
		  size_t n, enum cli_format f)
{
	static const char *const head[] = {"parameter", "cost_low",
					   "change_low", "cost_high",
					   "change_high", "swing"};
	static const bool right[] = {false, true, true, true, true, true};
	struct cli_table t;
	struct util_buf b;
	int rc;

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
		return cli_emit_json(json_pack(
			"{s:s, s:s, s:f, s:f, s:o, s:o}", "scenario", s->name,
			"currency", s->currency, "delta", delta, "base_cost",
			base, "parameters", rows, "prices",
			emit_prices_json(&s->catalog)));
	}
	util_buf_init(&b);
	if (f != CLI_CSV)
		util_buf_printf(&b, "%sSensitivity of '%s': total cost %.2f "
				"%s; each parameter moved by -%.0f%% and "
				"+%.0f%%, the largest effect first\n\n",
				f == CLI_MARKDOWN ? "### " : "", s->name, base,
				s->currency, delta * 100, delta * 100);
	cli_table_init(&t, 6, head, right);
	for (size_t i = 0; i < n; i++) {
		char v[5][32];

		fmt_cost(v[0], q[i].cost[0]);
		fmt_change(v[1], q[i].cost[0], base);
		fmt_cost(v[2], q[i].cost[1]);
		fmt_change(v[3], q[i].cost[1], base);
		snprintf(v[4], 32, isnan(advise_swing(&q[i])) ? "-" : "%.2f",
			 advise_swing(&q[i]));
		cli_table_row(&t, (const char *const[]){q[i].name, v[0], v[1],
							v[2], v[3], v[4]});
	}
	cli_table_render(&t, f, &b);
	cli_table_release(&t);
	if (f != CLI_CSV) {
		util_buf_puts(&b, "\n");
		emit_prices_line(&s->catalog, oldest, &b);
	}
	rc = cli_write_stdout(&b);
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

int cmd_sensitivity(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option longopts[] = {
		{"delta", required_argument, NULL, 'd'},
		{"plot", required_argument, NULL, 'p'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0}};
	struct advise_sensitivity r;
	struct cli_reload re = {.quiet = *ctx};
	struct model_scenario s;
	struct util_err err;
	enum cli_format f = CLI_TABLE;
	const char *out = NULL;
	double delta = 0.2;
	const char *oldest = NULL;
	struct pricing_staleness st = {0};
	int ch, rc;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (ch == 'd') {
			if (model_units_parse(optarg, MODEL_DIM_FRACTION, 0,
					      &delta, &err) ||
			    delta <= 0 || delta >= 1)
				return cli_usage_error("sensitivity", "'--delta' "
						       "is a percentage between "
						       "0 and 100, got '%s'",
						       optarg);
		} else if (ch == 'p') {
			out = optarg;
		} else if (ch == 'f') {
			if (cli_parse_format("sensitivity", optarg,
					     (1u << CLI_TABLE) | (1u << CLI_CSV) |
						     (1u << CLI_JSON) |
						     (1u << CLI_MARKDOWN),
					     &f))
				return CLI_EXIT_USAGE;
		} else if (ch == ':') {
			return cli_usage_error("sensitivity", "option '%s' "
					       "needs a value", argv[optind - 1]);
		} else {
			return cli_usage_error("sensitivity", "unknown option "
					       "'%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("sensitivity", "give one scenario file");
	rc = cli_load_scenario(ctx, argv[optind], &s);
	re.quiet.quiet = true;
	re.path = argv[optind];
	if (!rc) {
		/* its basis starts the sensitivity's plans */
		struct model_plan_warm *warm = model_plan_warm_new();

		oldest = oldest_price(&s, &st, warm);
		advise_sensitivity(&s, delta, cli_cpus(), warm, cli_reload,
				   &re, &r);
		model_plan_warm_free(warm);
		if (isnan(r.base)) {
			cli_error("no plan for the scenario as it is: see "
				  "'gpuplan plan %s'", argv[optind]);
			rc = CLI_EXIT_INFEASIBLE;
		}
	}
	if (!rc) {
		rc = render(&s, r.base, oldest, delta, r.v, r.n, f);
		if (!rc && f != CLI_JSON)
			cli_warn_price_age(ctx, &st);
	}
	if (!rc && out)
		rc = tornado(&s, r.base, delta, r.v, r.n, out);
	pricing_staleness_release(&st);
	model_scenario_release(&s);
	return rc;
}
