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
#include "cli.h"

#define MAX_PARAMS 64

struct param {
	char name[96];
	int family;	  /* a family's prices, or -1 */
	size_t workload;  /* else this workload's size */
	double cost[2];	  /* at -delta, +delta; NAN: no plan */
};

/* The size of a workload that the delta scales, and its name. */
static const char *size_of(const struct model_workload *w)
{
	switch (w->kind) {
	case MODEL_TEACHING:
		return "students";
	case MODEL_RESEARCH:
		return w->research.job_count > 0 ? "jobs" : "gpu_hours";
	case MODEL_FINETUNE:
		return "tokens";
	default:
		return "rate";
	}
}

static void scale_workload(struct model_workload *w, double m)
{
	switch (w->kind) {
	case MODEL_TEACHING:
		w->teaching.students =
			lround(fmax((double)w->teaching.students * m, 1));
		break;
	case MODEL_RESEARCH:
		if (w->research.job_count > 0)
			w->research.job_count = lround(
				fmax((double)w->research.job_count * m, 1));
		else
			w->research.gpu_hours.amount *= m;
		w->research.batch_items *= m;
		w->research.stream_rate *= m;
		break;
	case MODEL_FINETUNE:
		w->finetune.tokens *= m;
		break;
	default:
		w->inference.rate *= m;
		break;
	}
}

/* The cost of s's plan, NAN without one; *oldest (may be NULL) the
 * oldest as_of of the prices it used, a string of s's catalog, and st
 * (may be NULL) gets the offers it used. */
static double plan_cost(const struct model_scenario *s, const char **oldest,
			struct pricing_staleness *st)
{
	struct model_plan_opts po = {.family = -1};
	struct model_plan p = {0};
	struct util_err err;
	double cost = NAN;

	if (!model_plan(s, &po, &p, &err) &&
	    (p.status == MODEL_PLAN_OPTIMAL || p.status == MODEL_PLAN_FEASIBLE))
		cost = p.total_cost;
	if (oldest)
		*oldest = emit_oldest_as_of(&p, NULL);
	if (st)
		emit_plan_prices(&p, st);
	model_plan_release(&p);
	return cost;
}

/* The scenario again (the loader owns nothing shared), then moved. */
static double cost_moved(const struct cli_ctx *ctx, const char *path,
			 const struct param *q, double m)
{
	struct model_scenario s;
	double cost = NAN;

	struct cli_ctx quiet = *ctx; /* its warnings were shown once */

	quiet.quiet = true;
	if (!cli_load_scenario(&quiet, path, &s)) {
		struct util_err err;
		char fam[64];

		if (q->family >= 0) {
			snprintf(fam, sizeof(fam), "catalog.family.%s.price",
				 pricing_family_names[q->family]);
			model_override_prices(&s, fam, m, &err);
		} else {
			scale_workload(&s.workloads[q->workload], m);
		}
		cost = plan_cost(&s, NULL, NULL);
	}
	model_scenario_release(&s);
	return cost;
}

static double swing(const struct param *q)
{
	return fabs(q->cost[1] - q->cost[0]);
}

static int by_swing(const void *a, const void *b)
{
	const struct param *x = a, *y = b;
	double d = swing(y) - swing(x);

	if (isnan(d))
		return isnan(swing(x)) - isnan(swing(y));
	return d > 0 ? 1 : d < 0 ? -1 : strcmp(x->name, y->name);
}

static size_t params(const struct model_scenario *s, struct param *q)
{
	size_t n = 0;

	for (int f = 0; f < PRICING_NFAMILIES && n < MAX_PARAMS; f++) {
		bool has = false;

		for (size_t i = 0; i < s->catalog.noffers && !has; i++)
			has = (int)s->catalog.offers[i].family == f;
		if (!has || !(s->venues.allow & (1u << f)))
			continue;
		q[n].family = f;
		snprintf(q[n].name, sizeof(q[n].name), "%s prices",
			 pricing_family_names[f]);
		n++;
	}
	for (size_t i = 0; i < s->nworkloads && n < MAX_PARAMS; i++) {
		q[n].family = -1;
		q[n].workload = i;
		snprintf(q[n].name, sizeof(q[n].name), "%.60s %s",
			 s->workloads[i].name, size_of(&s->workloads[i]));
		n++;
	}
	return n;
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
		  const char *oldest, double delta, const struct param *q,
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
					  "swing", isnan(swing(&q[i]))
							   ? json_null()
							   : emit_json_real(swing(
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
		snprintf(v[4], 32, isnan(swing(&q[i])) ? "-" : "%.2f",
			 swing(&q[i]));
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
		   const struct param *q, size_t n, const char *out)
{
	const char *cat[MAX_PARAMS];
	double lo[MAX_PARAMS], hi[MAX_PARAMS];
	char title[200], tl[32], th[32];
	struct emit_series ser[2] = {{tl, NULL, lo, n}, {th, NULL, hi, n}};
	struct emit_plot p = {.kind = EMIT_TORNADO, .title = title,
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
	struct param q[MAX_PARAMS];
	struct model_scenario s;
	struct util_err err;
	enum cli_format f = CLI_TABLE;
	const char *out = NULL;
	double delta = 0.2, base;
	const char *oldest = NULL;
	struct pricing_staleness st = {0};
	size_t n = 0;
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
	if (!rc) {
		base = plan_cost(&s, &oldest, &st);
		if (isnan(base)) {
			cli_error("no plan for the scenario as it is: see "
				  "'gpuplan plan %s'", argv[optind]);
			rc = CLI_EXIT_INFEASIBLE;
		}
	}
	if (!rc) {
		n = params(&s, q);
		for (size_t i = 0; i < n; i++)
			for (int k = 0; k < 2; k++)
				q[i].cost[k] = cost_moved(
					ctx, argv[optind], &q[i],
					k ? 1 + delta : 1 - delta);
		qsort(q, n, sizeof(*q), by_swing);
		rc = render(&s, base, oldest, delta, q, n, f);
		if (!rc && f != CLI_JSON)
			cli_warn_price_age(ctx, &st);
	}
	if (!rc && out)
		rc = tornado(&s, base, delta, q, n, out);
	pricing_staleness_release(&st);
	model_scenario_release(&s);
	return rc;
}
