/* gpuplan plan SCENARIO: the cheapest placement (DESIGN §7,
 * docs/formulation.md). */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../advise/advise.h"
#include "../emit/emit.h"
#include "cli.h"

struct plan_cli {
	struct model_plan_opts opt;
	enum cli_format format;
	struct cli_gates gates;
	int rounds; /* of the closed loop, 0: ADVISE_ROUNDS */
	bool focus;	 /* --format focus */
	long long start; /* --start: the first period, Unix seconds; -1:
			  * this month's first day */
};

static const char *const period_words[3] = {"day", "week", "month"};

/* The closed loop: rounds, what it tightened, the targets in
 * simulation. */
static void loop_lines(const struct model_scenario *s,
		       const struct advise_result *r, struct util_buf *out)
{
	struct util_buf why;
	char line[300];

	util_buf_printf(out, "\nclosed loop: %d round%s (plan, simulate 20 "
			"replications with seed 1, check the targets)\n",
			r->rounds, r->rounds > 1 ? "s" : "");
	if (r->tightened)
		util_buf_printf(out, "tightened: %s\n", r->tightened);
	if (!r->checks.missed && r->checks.n)
		util_buf_puts(out, "targets: all met in simulation\n");
	for (size_t i = 0, n = 0; i < r->checks.n; i++) {
		if (r->checks.v[i].met)
			continue;
		advise_check_text(s, &r->checks.v[i], line, sizeof(line));
		util_buf_printf(out, "%s  %s\n",
				n++ ? "" : "targets missed in simulation:\n",
				line);
	}
	if (r->checks.missed && advise_result_stop(r))
		util_buf_printf(out, "the loop stopped: %s\n",
				advise_result_stop(r));
	util_buf_init(&why);
	advise_unreachable(s, "\n  ", &why);
	if (r->checks.missed && why.len) /* past the first newline */
		util_buf_printf(out, "%s\n", why.s + 1);
	util_buf_release(&why);
}



/* "order by day 113 (month 4), 12 weeks ahead; if it is not: ..." */
static void render_order(const struct model_scenario *s,
			 const struct model_plan *p,
			 const struct model_plan_purchase *b,
			 struct util_buf *out)
{
	double lead_w = b->lead / MODEL_WEEK;
	char num[48];

	if (b->offer->family != PRICING_ONPREM)
		return;
	if (b->order_by < MODEL_DAY)
		util_buf_puts(out, "\n  order now");
	else
		util_buf_printf(out, "\n  order by day %d (%s %d)",
				(int)floor(b->order_by / MODEL_DAY) + 1,
				period_words[s->period],
				(int)floor(b->order_by / p->period_s) + 1);
	if (fabs(lead_w - round(lead_w)) < 1e-9)
		util_buf_printf(out, ", %.0f weeks of lead time", lead_w);
	else
		util_buf_printf(out, ", %.0f days of lead time",
				b->lead / MODEL_DAY);
	if (b->short_first < 0)
		util_buf_puts(out, "; without it the planned work still fits "
				   "its pool (it keeps waits within max_wait)");
	else if (b->short_first == b->short_last)
		util_buf_printf(out, "; without it %s %s-hours of planned work "
				"have no device in %s %d (%s)",
				report_fmt_num(num, sizeof(num), b->short_dh, 3),
				b->accel, period_words[s->period],
				b->short_first + 1,
				b->short_who ? b->short_who : "");
	else
		util_buf_printf(out, "; without it %s %s-hours of planned work "
				"have no device in %ss %d-%d (%s)",
				report_fmt_num(num, sizeof(num), b->short_dh, 3),
				b->accel, period_words[s->period],
				b->short_first + 1, b->short_last + 1,
				b->short_who ? b->short_who : "");
}

static void plan_table(const struct model_scenario *s,
		       const struct model_plan *p, struct util_buf *out)
{
	static const char *const head[] = {
		"workload",	"venue",	"family", "accelerator",
		"peak devices", "share",	"device-hours", "cost",
		"runner-up",	"extra cost"};
	static const bool right[] = {0, 0, 0, 0, 1, 1, 1, 1, 0, 1};
	struct cli_table t;
	char total[64], money[64];
	size_t split;

	util_buf_printf(out, "Plan for '%s': %s, total cost %s over %zu "
			"%s%s", s->name, model_plan_status_names[p->status],
			util_fmt_money(total, sizeof(total), p->total_cost,
					 s->currency, false),
			p->nperiods, period_words[s->period],
			p->nperiods == 1 ? "" : "s");
	if (p->status == MODEL_PLAN_FEASIBLE)
		util_buf_printf(out, " (gap %.2g%%)", p->gap * 100);
	util_buf_puts(out, "\n\n");
	cli_table_init(&t, 10, head, right);
	for (size_t i = 0; i < p->nassign; i++) {
		const struct model_plan_assignment *a = &p->assign[i];
		char v[5][48];

		snprintf(v[0], 48, "%d", a->peak_devices);
		snprintf(v[1], 48, "%.1f%%", a->share * 100);
		report_fmt_num(v[2], 48, a->device_hours, 3);
		util_fmt_money(v[3], 48, a->cost, s->currency, false);
		if (a->runner_up)
			util_fmt_money(v[4], 48, a->runner_up_extra,
				       s->currency, true);
		cli_table_row(&t, (const char *const[]){
					  a->w->name, a->venue,
					  pricing_family_names[a->family],
					  a->accel, v[0], v[1], v[2], v[3],
					  a->runner_up ? a->runner_up : "-",
					  a->runner_up ? v[4] : "-"});
	}
	cli_table_render(&t, CLI_TABLE, out);
	cli_table_release(&t);
	util_buf_puts(out, "peak devices: the most the work holds at once in "
			   "any period; runner-up: the\ncheapest other venue "
			   "that could hold the same share alone, and what that "
			   "share\nwould cost more there (docs/formulation.md, "
			   "Explanations)\n");
	for (size_t i = 0; i < p->nassign; i++)
		if (p->assign[i].runner_up &&
		    p->assign[i].runner_up_extra < -0.005) {
			util_buf_puts(out, "a negative extra cost: the runner-up "
					   "is cheaper alone, but the plan gave "
					   "its room (devices, allocation) to "
					   "other work\n");
			break;
		}
	if (p->nbuy) /* their capex is in the total, not in the column */
		util_buf_puts(out, "cost: what the work itself pays (rent, "
				   "energy, storage, transfers); the devices\n"
				   "bought (capex, upkeep) are in the cost "
				   "breakdown below\n");
	model_plan_llm_engines(s, p, out);
	for (size_t i = 0; i < p->nbuy; i++) {
		const struct model_plan_purchase *b = &p->buy[i];
		char units[64] = "";

		if (b->unit > 1)
			snprintf(units, sizeof(units), " as %ld unit%s of %ld",
				 b->count / b->unit,
				 b->count / b->unit > 1 ? "s" : "", b->unit);
		util_buf_printf(out, "\nbuy %ld x %s%s (%s), working from %s %d, "
				"capex %s net of residual value",
				b->count, b->accel, units, b->offer->id,
				period_words[s->period],
				b->available_period + 1,
				util_fmt_money(money, sizeof(money), b->capex,
						 s->currency, false));
		render_order(s, p, b, out);
	}
	util_buf_puts(out, "\n");
	if (model_plan_limits(s, p, out))
		util_buf_puts(out, "(rented offers give a limited number of "
				   "devices at once: catalog max_devices)\n");
	split = model_plan_split_sessions(s, p, out);
	if (split && model_courses_split_by_default(s))
		util_buf_printf(out, "(a teacher runs a lab in one place; "
				"with more than %d courses, here %zu, sessions "
				"may split unless a course says one_venue: "
				"true, as keeping them all whole takes minutes: "
				"docs/scenario.md, one_venue)\n",
				MODEL_WHOLE_COURSES, s->courses);
	else if (split)
		util_buf_puts(out, "(a teacher runs a lab in one place: "
				   "docs/scenario.md, one_venue)\n");
	model_residency_report(s, out);
	/* one blank line before the costs, whatever printed above */
	util_buf_puts(out, out->len > 1 && !memcmp(out->s + out->len - 2,
						  "\n\n", 2)
				   ? "cost breakdown:"
				   : "\ncost breakdown:");
	for (int k = 0, n = 0; k < MODEL_NCOSTS; k++)
		if (p->cost[k] > 0.005)
			util_buf_printf(out, "%s %s %s", n++ ? "," : "",
					model_cost_names[k],
					util_fmt_money(money, sizeof(money),
							 p->cost[k],
							 s->currency, false));
	util_buf_puts(out, p->total_cost > 0.005 ? "\n" : " nothing to pay\n");
	cli_committed_costs(s, false, out);
	{
		double dh, use = model_plan_allocation_use(s, p, &dh);
		char h[32];

		if (use >= 0)
			util_buf_printf(out, "academic allocation: %.1f%% used "
					"over the horizon (%.3g RGU-years a "
					"year; %s device-hours on its "
					"clusters)\n", use * 100,
					s->venues.rgu_years,
					report_fmt_num(h, sizeof(h), dh, 3));
	}
	if (p->delay > 0.005)
		util_buf_printf(out, "waiting priced by delay_cost: %.2f (weighed "
				"against the costs, not paid: not in the "
				"total)\n", p->delay);
	emit_prices_line(&s->catalog, emit_oldest_as_of(p, NULL), false,
			 out);
	emit_estimates_line(p, NULL, out);
}

/* Each pool's planned device-hours over those it can give, month by
 * month, with the months under MODEL_POOL_IDLE marked. */
/* "H200: saturates in month 10 without the purchase below ..." or the
 * busiest month of a pool the plan's work fits. */
static void saturation_line(const struct model_pool *pl, struct util_buf *out)
{
	char num[48];

	if (pl->saturates >= 0)
		util_buf_printf(out, "%s: saturates in month %d: without the "
				"purchase above, %s device-hours of planned "
				"work have no device\n", pl->accel,
				pl->saturates + 1,
				report_fmt_num(num, sizeof(num), pl->short_dh,
					       3));
	else if (pl->busiest >= 0 && pl->used[pl->busiest] > 0)
		util_buf_printf(out, "%s: carries the planned work; busiest "
				"month %d at %.1f%%\n", pl->accel,
				pl->busiest + 1,
				100 * pl->used[pl->busiest] /
					pl->avail[pl->busiest]);
}

static void pools_table(const struct model_scenario *s,
			const struct model_plan *p, struct util_buf *out)
{
	struct model_pools v;
	struct cli_table t;
	const char **head;
	bool *right;
	char (*names)[48], (*cells)[32];
	const char **row;
	size_t idle = 0, none = 0;

	model_plan_pools(s, p, &v);
	if (!v.n) {
		model_pools_release(&v);
		return;
	}
	head = util_xcalloc(v.n + 1, sizeof(*head));
	right = util_xcalloc(v.n + 1, sizeof(*right));
	names = util_xcalloc(v.n, sizeof(*names));
	cells = util_xcalloc(v.n + 1, sizeof(*cells));
	row = util_xcalloc(v.n + 1, sizeof(*row));
	head[0] = "month";
	for (size_t i = 0; i < v.n; i++) {
		if (v.v[i].bought) /* the bought ones from their arrival */
			snprintf(names[i], 48, "%s (%ld+%ld bought)",
				 v.v[i].accel, v.v[i].owned, v.v[i].bought);
		else
			snprintf(names[i], 48, "%s (%ld)", v.v[i].accel,
				 v.v[i].owned);
		head[i + 1] = names[i];
		right[i + 1] = true;
	}
	cli_table_init(&t, v.n + 1, head, right);
	for (size_t m = 0; m < v.nmonths; m++) {
		snprintf(cells[0], 32, "%zu", m + 1);
		row[0] = cells[0];
		for (size_t i = 0; i < v.n; i++) {
			double u = v.v[i].avail[m] > 0
					   ? v.v[i].used[m] / v.v[i].avail[m]
					   : 0;
			bool low = u < MODEL_POOL_IDLE;

			row[i + 1] = cells[i + 1];
			if (v.v[i].avail[m] <= 0) { /* retired, not yet bought */
				snprintf(cells[i + 1], 32, "none");
				none++;
				continue;
			}
			idle += low;
			snprintf(cells[i + 1], 32, "%s%.1f%%", low ? "* " : "",
				 u * 100);
		}
		cli_table_row(&t, row);
	}
	util_buf_puts(out, "\non-prem pools: device-hours planned / "
			   "available, by month\n");
	cli_table_render(&t, CLI_TABLE, out);
	if (idle)
		util_buf_printf(out, "* used under %.0f%%: the pool is mostly "
				"idle that month\n", MODEL_POOL_IDLE * 100);
	if (none)
		util_buf_puts(out, "none: no device that month (the owned ones "
			      "past the end of their life, none bought yet)\n");
	for (size_t i = 0; i < v.n; i++) {
		if (!v.v[i].owned || v.v[i].end_of_life >= s->horizon)
			continue;
		if (v.v[i].end_of_life <= 0)
			util_buf_printf(out, "%s: the %ld owned are past the "
					"end of their life before the start: "
					"they serve no more\n", v.v[i].accel,
					v.v[i].owned);
		else
			util_buf_printf(out, "%s: the %ld owned reach the end "
					"of their life in month %d and serve "
					"no more from then\n", v.v[i].accel,
					v.v[i].owned,
					(int)floor(v.v[i].end_of_life /
						   MODEL_MONTH) + 1);
	}
	for (size_t i = 0; i < v.n; i++)
		saturation_line(&v.v[i], out);
	cli_table_release(&t);
	free(row);
	free(cells);
	free(names);
	free(right);
	free(head);
	model_pools_release(&v);
}

/* "by entity:" a line per entity: its workloads' device-hours and cost
 * in the plan, its budget, and its waits in the closed loop's
 * simulation. */
static void entity_table(const struct model_scenario *s,
			 const struct advise_result *r, struct util_buf *out)
{
	static const char *const head[] = {"entity", "workloads",
					   "device-hours", "cost", "budget",
					   "mean wait", "p95 wait",
					   "worst wait"};
	static const bool right[] = {0, 1, 1, 1, 1, 1, 1, 0};
	struct model_entity_total *t = util_xcalloc(s->nentities + 1,
						    sizeof(*t));
	struct sim_entity_total *w = util_xcalloc(s->nentities + 1,
						  sizeof(*w));
	struct cli_table tb;

	model_plan_entity_totals(s, &r->plan, t);
	if (r->sim.wl)
		sim_entity_totals(s, &r->sim, w);
	cli_table_init(&tb, 8, head, right);
	for (size_t e = 0; e < s->nentities; e++) {
		const struct model_entity *en = &s->entities[e];
		char v[6][48];

		snprintf(v[0], 48, "%zu", t[e].workloads);
		report_fmt_num(v[1], 48, t[e].device_hours, 3);
		util_fmt_money(v[2], 48, t[e].cost, s->currency, false);
		if (en->budget >= 0)
			util_fmt_money(v[3], 48, en->budget, s->currency,
				       false);
		else
			snprintf(v[3], 48, "-");
		snprintf(v[4], 48, "-");
		snprintf(v[5], 48, "-");
		if (w[e].has_wait) {
			report_fmt_duration(v[4], 48, w[e].wait_mean_s);
			report_fmt_duration(v[5], 48, w[e].wait_p95_s);
		}
		cli_table_row(&tb, (const char *const[]){
					   en->name, v[0], v[1], v[2], v[3],
					   v[4], v[5],
					   w[e].has_wait ? w[e].worst : "-"});
	}
	util_buf_puts(out, "\nby entity (cost: its workloads' share of the "
			   "plan; waits: the closed loop's simulation):\n");
	cli_table_render(&tb, CLI_TABLE, out);
	cli_table_release(&tb);
	free(w);
	free(t);
}

#define TIME_LIMIT_MAX_S 864000.0 /* 10 days: GLPK counts int ms */

static int parse_opts(int argc, char **argv, struct plan_cli *o)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"family", required_argument, NULL, 'F'},
		{"dump-lp", required_argument, NULL, 'd'},
		{"time-limit", required_argument, NULL, 't'},
		{"gap", required_argument, NULL, 'g'},
		{"objective", required_argument, NULL, 'o'},
		{"fail-above", required_argument, NULL, 'A'},
		{"fail-over-budget", no_argument, NULL, 'B'},
		{"rounds", required_argument, NULL, 'R'},
		{"start", required_argument, NULL, 'S'},
		{"no-reduce", no_argument, NULL, 'N'},
		{NULL, 0, NULL, 0}};
	struct util_err err;
	long v;
	int ch;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			o->focus = !strcmp(optarg, "focus"); /* the last wins */
			if (o->focus) {
				o->format = CLI_CSV;
				break;
			}
			if (strcmp(optarg, "table") && strcmp(optarg, "json"))
				return cli_usage_error("plan", "unknown format "
						       "'%s' (expected table, "
						       "json, focus)", optarg);
			o->format = strcmp(optarg, "json") ? CLI_TABLE
							   : CLI_JSON;
			break;
		case 'F':
			o->opt.family = pricing_family_parse(optarg);
			if (o->opt.family < 0)
				return cli_usage_error("plan", "unknown venue "
						       "family '%s'", optarg);
			break;
		case 'd':
			o->opt.dump_lp = optarg;
			break;
		case 'N': /* the model unreduced, for cross-checks */
			o->opt.no_reduce = true;
			break;
		case 't': /* seconds, or a duration with its unit */
			if ((util_parse_double(optarg, &o->opt.time_limit_s) &&
			     model_units_parse(optarg, MODEL_DIM_DURATION,
					       MODEL_UNITS_POSITIVE,
					       &o->opt.time_limit_s, &err)) ||
			    !(o->opt.time_limit_s >= 0.001 &&
			      o->opt.time_limit_s <= TIME_LIMIT_MAX_S))
				return cli_usage_error("plan", "'--time-limit' "
						       "takes 1 ms to 10 days "
						       "(60, 60s, 5min), got "
						       "'%s'", optarg);
			break;
		case 'g':
			if (util_parse_double(optarg, &o->opt.mip_gap) ||
			    o->opt.mip_gap < 0 || o->opt.mip_gap >= 1)
				return cli_usage_error("plan", "'--gap' takes a "
						       "fraction such as "
						       "0.001, got '%s'",
						       optarg);
			break;
		case 'o':
			if (!strcmp(optarg, "time"))
				o->opt.objective = MODEL_OBJECTIVE_TIME;
			else if (strcmp(optarg, "cost"))
				return cli_usage_error("plan", "'--objective' "
						       "is 'cost' or 'time', "
						       "got '%s'", optarg);
			break;
		case 'R':
			if (util_parse_long(optarg, 1, 100, &v))
				return cli_usage_error("plan", "'--rounds' takes "
						       "a whole number (1 to "
						       "100), got '%s'",
						       optarg);
			o->rounds = (int)v;
			break;
		case 'S':
			if (report_date_epoch(optarg, &o->start))
				return cli_usage_error("plan", "'--start' takes "
						       "a date, YYYY-MM-DD, "
						       "got '%s'", optarg);
			break;
		case 'A':
		case 'B':
			if (cli_gate_option("plan", &o->gates, ch == 'A',
					    optarg))
				return CLI_EXIT_USAGE;
			break;
		case ':':
			return cli_usage_error("plan", "option '%s' needs a "
					       "value", argv[optind - 1]);
		default:
			return cli_usage_error("plan", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("plan", "give one scenario file");
	if (o->start >= 0 && !o->focus)
		return cli_usage_error("plan", "'--start' dates the periods of "
				       "'--format focus' only");
	return 0;
}

/* The plan as FOCUS cost data (report/focus.c). */
static int focus(const struct plan_cli *o, const struct model_scenario *s,
		 const struct model_plan *p)
{
	struct util_err err;
	struct util_buf b;
	long long start =
		o->start >= 0
			? o->start
			: report_scenario_start(s, (long long)pricing_now());
	int rc;

	util_buf_init(&b);
	rc = report_focus_csv(s, p, start, &b, &err);
	if (rc)
		rc = 0; /* no plan: said below, with its exit code */
	else
		rc = cli_write_stdout(&b);
	util_buf_release(&b);
	return rc;
}

/* Plans s through the closed loop with o's solver options. */
static int plan_loop(const struct plan_cli *o, const struct model_scenario *s,
		     struct advise_result *r)
{
	struct advise_loop_opts lo;
	struct util_err err;

	advise_loop_defaults(&lo);
	lo.plan = o->opt;
	lo.rounds = o->rounds;
	lo.sim.jobs = cli_cpus();
	if (!advise_loop(s, &lo, r, &err))
		return 0;
	cli_error("%s", err.msg);
	return cli_exit_code(err.code);
}

int cmd_plan(int argc, char **argv, struct cli_ctx *ctx)
{
	struct plan_cli o = {.opt = {.family = -1}, .format = CLI_TABLE,
			     .gates = {.fail_above = -1}, .start = -1};
	struct model_scenario s;
	struct advise_result r = {0};
	const struct model_plan *p = &r.plan;
	struct util_buf b;
	int rc = parse_opts(argc, argv, &o);

	if (rc)
		return rc;
	o.opt.verbose = ctx->verbose;
	rc = cli_load_scenario(ctx, argv[optind], &s);
	if (!rc)
		rc = cli_gate_resolve("plan", &o.gates, &s);
	if (!rc)
		cli_gate_warn_budget(ctx, &o.gates, &s);
	if (!rc)
		rc = plan_loop(&o, &s, &r);
	if (!rc) {
		if (o.format == CLI_JSON) {
			rc = cli_emit_json(emit_plan_json(&s, p));
		} else if (o.focus) {
			rc = focus(&o, &s, p);
		} else if (p->status == MODEL_PLAN_OPTIMAL ||
			   p->status == MODEL_PLAN_FEASIBLE) {
			util_buf_init(&b);
			plan_table(&s, p, &b);
			if (s.nentities)
				entity_table(&s, &r, &b);
			pools_table(&s, p, &b);
			loop_lines(&s, &r, &b);
			rc = cli_write_text(&b);
			struct pricing_staleness st = {0};

			emit_plan_prices(p, &st);
			cli_warn_price_age(ctx, &st);
			util_buf_release(&b);
		}
		if (p->log && ctx->verbose)
			fputs(p->log, stderr);
		if (p->why)
			fprintf(stderr, "gpuplan: no feasible plan: %s", p->why);
		if (p->status == MODEL_PLAN_NO_SOLUTION)
			cli_error("time limit reached: no plan found within %g "
				  "s (raise --time-limit)",
				  o.opt.time_limit_s);
		if (!rc)
			rc = cli_check_gates(&o.gates, &s, p, NULL);
		if (!rc && p->status == MODEL_PLAN_INFEASIBLE)
			rc = CLI_EXIT_INFEASIBLE;
		if (!rc && p->status == MODEL_PLAN_NO_SOLUTION)
			rc = CLI_EXIT_TIME_LIMIT;
	}
	advise_result_release(&r);
	model_scenario_release(&s);
	return rc;
}
