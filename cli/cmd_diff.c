/* gpuplan diff A.yaml B.yaml: what changed between two scenarios'
 * plans: placements per workload, purchases, costs with signs and
 * percentages. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void delta(char *buf, size_t n, double a, double b,
		  const char *currency)
{
	char m[64];

	util_fmt_money(m, sizeof(m), b - a, currency, true);
	if (fabs(b - a) < 0.005)
		snprintf(buf, n, "0");
	else if (fabs(a) < 0.005)
		snprintf(buf, n, "%s (new)", m);
	else
		snprintf(buf, n, "%s (%+.1f%%)", m, (b - a) / a * 100);
}

static void cost_rows(const struct model_plan_diff *d, struct cli_table *t,
		      const char *currency)
{
	for (int k = 0; k <= MODEL_NCOSTS; k++) {
		double a = k < MODEL_NCOSTS ? d->cost[k][0] : d->total[0];
		double b = k < MODEL_NCOSTS ? d->cost[k][1] : d->total[1];
		char va[64], vb[64], dv[96];

		if (k < MODEL_NCOSTS && fabs(a) < 0.005 && fabs(b) < 0.005)
			continue;
		util_fmt_money(va, sizeof(va), a, currency, false);
		util_fmt_money(vb, sizeof(vb), b, currency, false);
		delta(dv, sizeof(dv), a, b, currency);
		cli_table_row(t, (const char *const[]){
					 k < MODEL_NCOSTS ? model_cost_names[k]
							  : "total",
					 va, vb, dv});
	}
}

static void place_rows(const struct model_plan_diff *d, struct cli_table *t)
{
	for (size_t i = 0; i < d->nplace; i++) {
		const struct model_diff_place *p = &d->place[i];
		char what[200], va[32], vb[32], dv[64];

		snprintf(what, sizeof(what), "%s on %s", p->workload, p->venue);
		snprintf(va, sizeof(va), "%.1f%%", p->share[0] * 100);
		snprintf(vb, sizeof(vb), "%.1f%%", p->share[1] * 100);
		if (fabs(p->share[1] - p->share[0]) < 5e-4)
			snprintf(dv, sizeof(dv), "same");
		else
			snprintf(dv, sizeof(dv), "%+.1f points",
				 (p->share[1] - p->share[0]) * 100);
		cli_table_row(t, (const char *const[]){what, va, vb, dv});
	}
	for (size_t i = 0; i < d->nbuy; i++) {
		const struct model_diff_buy *b = &d->buy[i];
		char what[200], va[32], vb[32], dv[32];

		snprintf(what, sizeof(what), "buy %s", b->offer);
		snprintf(va, sizeof(va), "%ld", b->count[0]);
		snprintf(vb, sizeof(vb), "%ld", b->count[1]);
		snprintf(dv, sizeof(dv), "%+ld", b->count[1] - b->count[0]);
		cli_table_row(t, (const char *const[]){what, va, vb, dv});
	}
}

static json_t *diff_json(const struct model_plan_diff *d, const char *a,
			 const char *b)
{
	json_t *costs = json_object(), *places = json_array();
	json_t *buys = json_array();

	for (int k = 0; k < MODEL_NCOSTS; k++)
		json_object_set_new(costs, model_cost_names[k],
				    json_pack("{s:f, s:f}", "a",
					      round(d->cost[k][0] * 100) / 100,
					      "b",
					      round(d->cost[k][1] * 100) / 100));
	for (size_t i = 0; i < d->nplace; i++)
		json_array_append_new(
			places, json_pack("{s:s, s:s, s:f, s:f}", "workload",
					  d->place[i].workload, "venue",
					  d->place[i].venue, "share_a",
					  round(d->place[i].share[0] * 1e6) / 1e6,
					  "share_b",
					  round(d->place[i].share[1] * 1e6) /
						  1e6));
	for (size_t i = 0; i < d->nbuy; i++)
		json_array_append_new(buys,
				      json_pack("{s:s, s:I, s:I}", "offer",
						d->buy[i].offer, "count_a",
						(json_int_t)d->buy[i].count[0],
						"count_b",
						(json_int_t)d->buy[i].count[1]));
	return json_pack("{s:s, s:s, s:{s:f, s:f}, s:o, s:o, s:o}", "a", a, "b",
			 b, "total", "a", round(d->total[0] * 100) / 100, "b",
			 round(d->total[1] * 100) / 100, "costs", costs,
			 "placements", places, "purchases", buys);
}

static int plan_one(const struct cli_ctx *ctx, const char *path,
		    struct model_scenario *s, struct model_plan *p)
{
	struct model_plan_opts po = {.family = -1};
	struct util_err err;
	int rc = cli_load_scenario(ctx, path, s);

	memset(p, 0, sizeof(*p));
	if (rc)
		return rc;
	if (model_plan(s, &po, p, &err)) {
		cli_error("%s", err.msg);
		return cli_exit_code(err.code);
	}
	if (p->status != MODEL_PLAN_OPTIMAL && p->status != MODEL_PLAN_FEASIBLE) {
		cli_error("%s: no feasible plan: %s", path,
			  p->why ? p->why : "none found in time\n");
		return CLI_EXIT_INFEASIBLE;
	}
	return 0;
}

static int render(const char *a, const char *b, const struct model_plan *pa,
		  const struct model_plan *pb, enum cli_format f,
		  const char *currency)
{
	static const char *const head[] = {"", "a", "b", "change"};
	static const bool right[] = {0, 1, 1, 1};
	struct model_plan_diff d;
	struct cli_table t;
	struct util_buf out;
	int rc;

	model_plan_diff(pa, pb, &d);
	if (f == CLI_JSON) {
		rc = cli_emit_json(diff_json(&d, a, b));
		model_plan_diff_release(&d);
		return rc;
	}
	util_buf_init(&out);
	for (int i = 0; i < 2; i++) {
		util_buf_printf(&out, "%s%s: ", f == CLI_MARKDOWN ? "- " : "",
				i ? "b" : "a");
		if (f == CLI_MARKDOWN) /* a file name is text, not markup */
			report_md_text(&out, i ? b : a);
		else
			util_buf_puts(&out, i ? b : a);
		util_buf_puts(&out, "\n");
	}
	util_buf_printf(&out, "\n%scost\n\n",
			f == CLI_MARKDOWN ? "### " : "");
	cli_table_init(&t, 4, head, right);
	cost_rows(&d, &t, currency);
	cli_table_render(&t, f, &out);
	cli_table_release(&t);
	util_buf_printf(&out, "\n%splacements and purchases\n\n",
			f == CLI_MARKDOWN ? "### " : "");
	cli_table_init(&t, 4, head, right);
	place_rows(&d, &t);
	cli_table_render(&t, f, &out);
	cli_table_release(&t);
	util_buf_puts(&out, "\nboth are planned once, before the closed loop "
		      "of plan and compare tightens them for the targets "
		      "(gpuplan compare on each gives the tightened plans "
		      "and their simulated waits)\n");
	rc = f == CLI_TABLE ? cli_write_text(&out) : cli_write_stdout(&out);
	util_buf_release(&out);
	model_plan_diff_release(&d);
	return rc;
}

int cmd_diff(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0}};
	enum cli_format f = CLI_TABLE;
	struct model_scenario sa, sb;
	struct model_plan pa, pb;
	int ch, rc;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (ch == 'f') {
			if (cli_parse_format("diff", optarg,
					     (1u << CLI_TABLE) |
						     (1u << CLI_MARKDOWN) |
						     (1u << CLI_JSON),
					     &f))
				return CLI_EXIT_USAGE;
		} else {
			return cli_usage_error("diff", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind != argc - 2)
		return cli_usage_error("diff", "give two scenario files");
	rc = plan_one(ctx, argv[optind], &sa, &pa);
	if (!rc)
		rc = plan_one(ctx, argv[optind + 1], &sb, &pb);
	else {
		memset(&sb, 0, sizeof(sb));
		memset(&pb, 0, sizeof(pb));
	}
	if (!rc && strcmp(sa.currency, sb.currency)) {
		cli_error("the scenarios use different currencies (%s, %s)",
			  sa.currency, sb.currency);
		rc = CLI_EXIT_DATAERR;
	}
	if (!rc)
		rc = render(argv[optind], argv[optind + 1], &pa, &pb, f,
			    sa.currency);
	model_plan_release(&pa);
	model_plan_release(&pb);
	model_scenario_release(&sa);
	model_scenario_release(&sb);
	return rc;
}
