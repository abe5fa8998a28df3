/* gpuplan simulate SCENARIO: the plan through time, many times (DESIGN
 * §8, docs/simulator.md). */
#include <getopt.h>
#include <limits.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../advise/advise.h"
#include "../emit/emit.h"
#include "cli.h"

struct sim_cli {
	struct sim_opts o;
	enum cli_format format;
	const char *trace_file;
	const char *replay, *pool; /* --replay FILE --pool OFFER:DEVICES */
	const char *plan;	   /* --plan plan.json */
	int rounds;		   /* --rounds of the closed loop, 0: default */
	bool backfill;
	/* what the closed loop did, when it planned (no --plan) */
	int rounds_done;
	char *tightened;
};

static json_t *stat_json(struct sim_stat s)
{
	return json_pack("{s:f, s:f}", "mean", isfinite(s.mean) ? s.mean : 0,
			 "ci95", isfinite(s.ci95) ? s.ci95 : 0);
}

static json_t *dist_json(const struct sim_dist *d)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:I}", "mean",
			 stat_json(d->mean), "p50", stat_json(d->p50), "p95",
			 stat_json(d->p95), "p99", stat_json(d->p99), "samples",
			 (json_int_t)d->samples);
}

static json_t *result_json(const struct sim_result *r)
{
	json_t *root = json_object(), *wls = json_array();

	for (size_t i = 0; i < r->nwl; i++) {
		const struct sim_workload_result *x = &r->wl[i];
		json_t *o = json_object();

		json_object_set_new(o, "name", json_string(x->w->name));
		json_object_set_new(o, "kind",
				    json_string(model_kind_names[x->w->kind]));
		if (x->has_wait)
			json_object_set_new(o, "wait_s", dist_json(&x->wait_s));
		if (x->has_latency)
			json_object_set_new(o, "latency_ms",
					    dist_json(&x->latency_ms));
		if (x->has_tokens) {
			json_object_set_new(o, "ttft_ms", dist_json(&x->ttft_ms));
			json_object_set_new(o, "tpot_ms", dist_json(&x->tpot_ms));
			json_object_set_new(o, "ttft_miss",
					    stat_json(x->ttft_miss));
			json_object_set_new(o, "tpot_miss",
					    stat_json(x->tpot_miss));
		}
		if (x->has_completion)
			json_object_set_new(o, "completion_h",
					    stat_json(x->completion_h));
		if (x->has_deadline)
			json_object_set_new(o, "deadline_miss",
					    stat_json(x->deadline_miss));
		if (x->has_slo)
			json_object_set_new(o, "slo_miss",
					    stat_json(x->slo_miss));
		json_object_set_new(o, "cost", stat_json(x->cost));
		json_object_set_new(o, "utilisation",
				    stat_json(x->utilisation));
		json_array_append_new(wls, o);
	}
	json_object_set_new(root, "seed", json_integer((json_int_t)r->seed));
	json_object_set_new(root, "replications",
			    json_integer(r->replications));
	json_object_set_new(root, "horizon_h", emit_json_real(r->horizon_s / 3600));
	json_object_set_new(root, "events",
			    json_integer((json_int_t)r->events));
	json_object_set_new(root, "workloads", wls);
	return root;
}

/* A statistic to `digits` significant digits, or fixed decimals when
 * fixed is set (shares). */
static void row(struct cli_table *t, const char *wl, const char *what,
		struct sim_stat s, int digits, bool fixed)
{
	char mean[48], ci[48];

	if (fixed) {
		snprintf(mean, sizeof(mean), "%.*f", digits, s.mean);
		snprintf(ci, sizeof(ci), "%.*f", digits, s.ci95);
	} else {
		report_fmt_num(mean, sizeof(mean), s.mean, digits);
		report_fmt_num(ci, sizeof(ci), s.ci95, 2);
	}
	cli_table_row(t, (const char *const[]){wl, what, mean, ci});
}

/* A duration (scale: seconds per unit of s) with its half-width, both
 * in the unit of the mean. */
static void time_row(struct cli_table *t, const char *wl, const char *what,
		     struct sim_stat s, double scale)
{
	char both[96], *mean = both, *ci;

	report_fmt_duration_ci(both, sizeof(both), s.mean * scale,
			       s.ci95 * scale);
	ci = strstr(both, " ± ");
	if (!ci) {
		cli_table_row(t, (const char *const[]){wl, what, both, "-"});
		return;
	}
	*ci = '\0';
	ci += strlen(" ± ");
	/* "34.7", "1.8 h": the unit after each figure */
	{
		char m[128];
		const char *unit = strrchr(ci, ' ');

		snprintf(m, sizeof(m), "%s%s", mean, unit ? unit : "");
		cli_table_row(t, (const char *const[]){wl, what, m, ci});
	}
}

static void money_row(struct cli_table *t, const char *wl, const char *what,
		      struct sim_stat s, const char *currency)
{
	char mean[64], ci[64];

	util_fmt_money(mean, sizeof(mean), s.mean, currency, false);
	util_fmt_money(ci, sizeof(ci), s.ci95, currency, false);
	cli_table_row(t, (const char *const[]){wl, what, mean, ci});
}

static void dist_rows(struct cli_table *t, const char *wl, const char *what,
		      const struct sim_dist *d, double scale)
{
	static const char *const q[] = {"mean", "p50", "p95", "p99"};
	const struct sim_stat *s[] = {&d->mean, &d->p50, &d->p95, &d->p99};
	char name[64];

	for (int i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "%s %s", what, q[i]);
		time_row(t, wl, name, *s[i], scale);
	}
}

static void result_table(const struct sim_result *r, const char *currency,
			 struct util_buf *out)
{
	static const char *const head[] = {"workload", "metric", "mean",
					   "ci95"};
	static const bool right[] = {0, 0, 1, 1};
	struct cli_table t;
	char hours[48], events[32];

	util_buf_printf(out, "%d replications, seed %llu, %s h simulated, "
			"%s events; mean and half-width of its 95%% "
			"confidence interval\n\n",
			r->replications, (unsigned long long)r->seed,
			report_fmt_num(hours, sizeof(hours),
				       r->horizon_s / 3600, 3),
			util_fmt_grouped(events, sizeof(events),
					 (double)r->events));
	cli_table_init(&t, 4, head, right);
	for (size_t i = 0; i < r->nwl; i++) {
		const struct sim_workload_result *x = &r->wl[i];
		const char *n = x->w->name;

		if (x->has_wait)
			dist_rows(&t, n, "wait", &x->wait_s, 1);
		if (x->has_latency)
			dist_rows(&t, n, "latency", &x->latency_ms, 1e-3);
		if (x->has_tokens) {
			dist_rows(&t, n, "ttft", &x->ttft_ms, 1e-3);
			dist_rows(&t, n, "tpot", &x->tpot_ms, 1e-3);
			if (x->w->inference.ttft_p99 > 0)
				row(&t, n, "ttft_miss", x->ttft_miss, 4, true);
			if (x->w->inference.tpot_p99 > 0)
				row(&t, n, "tpot_miss", x->tpot_miss, 4, true);
		}
		if (x->has_completion)
			time_row(&t, n, "time to result", x->completion_h,
				 3600);
		if (x->has_deadline)
			row(&t, n, "deadline_miss", x->deadline_miss, 3, true);
		if (x->has_slo)
			row(&t, n, "slo_miss", x->slo_miss, 4, true);
		money_row(&t, n, "cost", x->cost, currency);
		row(&t, n, "utilisation", x->utilisation, 3, true);
	}
	cli_table_render(&t, CLI_TABLE, out);
	cli_table_release(&t);
}

static int parse_opts(int argc, char **argv, struct sim_cli *c)
{
	static const struct option longopts[] = {
		{"replications", required_argument, NULL, 'r'},
		{"seed", required_argument, NULL, 's'},
		{"jobs", required_argument, NULL, 'j'},
		{"horizon", required_argument, NULL, 'H'},
		{"trace", required_argument, NULL, 't'},
		{"format", required_argument, NULL, 'f'},
		{"replay", required_argument, NULL, 'R'},
		{"plan", required_argument, NULL, 'L'},
		{"pool", required_argument, NULL, 'P'},
		{"policy", required_argument, NULL, 'p'},
		{"rounds", required_argument, NULL, 'N'},
		{NULL, 0, NULL, 0}};
	struct util_err err;
	long v;
	int ch;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
		case 'j':
			if (util_parse_long(optarg, ch == 'r' ? 2 : 1,
					    ch == 'r' ? 100000 : 64, &v))
				return cli_usage_error(
					"simulate", "'--%s' takes a whole "
					"number (%s), got '%s'",
					ch == 'r' ? "replications" : "jobs",
					ch == 'r' ? "2 to 100000" : "1 to 64",
					optarg);
			*(ch == 'r' ? &c->o.replications : &c->o.jobs) = (int)v;
			break;
		case 'N':
			if (util_parse_long(optarg, 1, 100, &v))
				return cli_usage_error("simulate", "'--rounds' "
						       "takes a whole number "
						       "(1 to 100), got '%s'",
						       optarg);
			c->rounds = (int)v;
			break;
		case 's':
			if (util_parse_long(optarg, 0, LONG_MAX, &v))
				return cli_usage_error("simulate", "'--seed' "
						       "takes a whole number, "
						       "got '%s'", optarg);
			c->o.seed = (uint64_t)v;
			break;
		case 'H':
			if (model_units_parse(optarg, MODEL_DIM_DURATION,
					      MODEL_UNITS_POSITIVE,
					      &c->o.horizon_s, &err))
				return cli_usage_error("simulate", "'--horizon' "
						       "%s", err.msg);
			break;
		case 't':
			c->trace_file = optarg;
			c->o.trace = true;
			break;
		case 'f':
			if (cli_parse_format("simulate", optarg,
					     (1u << CLI_TABLE) |
						     (1u << CLI_JSON),
					     &c->format))
				return CLI_EXIT_USAGE;
			break;
		case 'R':
			c->replay = optarg;
			break;
		case 'L':
			c->plan = optarg;
			break;
		case 'P':
			c->pool = optarg;
			break;
		case 'p':
			if (strcmp(optarg, "fifo") && strcmp(optarg, "backfill"))
				return cli_usage_error("simulate", "'--policy' "
						       "is fifo or backfill, "
						       "got '%s'", optarg);
			c->backfill = !strcmp(optarg, "backfill");
			break;
		case ':':
			return cli_usage_error("simulate", "option '%s' needs "
					       "a value", argv[optind - 1]);
		default:
			return cli_usage_error("simulate", "unknown option "
					       "'%s'", argv[optind - 1]);
		}
	}
	if (c->replay && (!c->pool || optind != argc))
		return cli_usage_error("simulate", "--replay FILE takes --pool "
				       "OFFER:DEVICES and no scenario");
	if (!c->replay && optind != argc - 1)
		return cli_usage_error("simulate", "give one scenario file");
	return 0;
}

/* "entities": each entity's realised cost and waits. */
static json_t *entities_json(const struct model_scenario *s,
			     const struct sim_result *r)
{
	struct sim_entity_total *t = util_xcalloc(s->nentities + 1,
						  sizeof(*t));
	json_t *a = json_array();

	sim_entity_totals(s, r, t);
	for (size_t e = 0; e < s->nentities; e++) {
		json_t *o = json_object();

		json_object_set_new(o, "name", json_string(s->entities[e].name));
		json_object_set_new(o, "cost",
				    emit_json_real(round(t[e].cost * 100) /
						   100));
		if (t[e].has_wait) {
			json_object_set_new(o, "wait_mean_s",
					    emit_json_real(t[e].wait_mean_s));
			json_object_set_new(o, "wait_p95_s",
					    emit_json_real(t[e].wait_p95_s));
			json_object_set_new(o, "worst_wait",
					    json_string(t[e].worst));
		}
		json_array_append_new(a, o);
	}
	free(t);
	return a;
}

/* "by entity": realised cost and waits per entity. */
static void entities_table(const struct model_scenario *s,
			   const struct sim_result *r, struct util_buf *out)
{
	static const char *const head[] = {"entity", "cost", "mean wait",
					   "p95 wait", "worst wait"};
	static const bool right[] = {0, 1, 1, 1, 0};
	struct sim_entity_total *t = util_xcalloc(s->nentities + 1,
						  sizeof(*t));
	struct cli_table tb;

	sim_entity_totals(s, r, t);
	cli_table_init(&tb, 5, head, right);
	for (size_t e = 0; e < s->nentities; e++) {
		char v[3][64] = {"-", "-", "-"};

		util_fmt_money(v[0], 64, t[e].cost, s->currency, false);
		if (t[e].has_wait) {
			report_fmt_duration(v[1], 64, t[e].wait_mean_s);
			report_fmt_duration(v[2], 64, t[e].wait_p95_s);
		}
		cli_table_row(&tb, (const char *const[]){
					   s->entities[e].name, v[0], v[1],
					   v[2],
					   t[e].has_wait ? t[e].worst : "-"});
	}
	util_buf_puts(out, "\nby entity (waits: mean over its jobs, p95 "
			   "of its worst workload):\n");
	cli_table_render(&tb, CLI_TABLE, out);
	cli_table_release(&tb);
	free(t);
}

static int render(const struct sim_cli *c, const struct model_scenario *s,
		  const struct sim_result *r)
{
	struct util_err err;
	struct util_buf b;
	int rc;

	if (c->trace_file && r->trace &&
	    util_write_atomic(c->trace_file, r->trace, strlen(r->trace),
			      &err)) {
		cli_error("%s", err.msg);
		return cli_exit_code(err.code);
	}
	if (c->format == CLI_JSON) {
		json_t *root = result_json(r);

		if (s->nentities)
			json_object_set_new(root, "entities",
					    entities_json(s, r));
		return cli_emit_json(root);
	}
	util_buf_init(&b);
	result_table(r, s->currency, &b);
	if (s->nentities)
		entities_table(s, r, &b);
	if (c->rounds_done)
		util_buf_printf(&b, "\nplanned by the closed loop in %d round%s%s"
				"%s\n", c->rounds_done,
				c->rounds_done > 1 ? "s" : "",
				c->tightened ? "; tightened: " : "",
				c->tightened ? c->tightened : "");
	rc = cli_write_text(&b);
	util_buf_release(&b);
	return rc;
}

/* A replay's waits as durations ("3.0 h"). */
static void replay_rows(struct cli_table *t, const char *what,
			const struct sim_hist *h)
{
	static const double qs[] = {0.5, 0.95, 0.99};
	static const char *const names[] = {"p50", "p95", "p99"};
	char name[48], v[48];

	snprintf(name, sizeof(name), "%s mean", what);
	util_fmt_duration(v, sizeof(v), sim_hist_mean(h));
	cli_table_row(t, (const char *const[]){name, v});
	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "%s %s", what, names[i]);
		util_fmt_duration(v, sizeof(v), sim_hist_quantile(h, qs[i]));
		cli_table_row(t, (const char *const[]){name, v});
	}
}

static json_t *hist_json(const struct sim_hist *h)
{
	return json_pack("{s:f, s:f, s:f, s:f, s:I}", "mean", sim_hist_mean(h),
			 "p50", sim_hist_quantile(h, 0.5), "p95",
			 sim_hist_quantile(h, 0.95), "p99",
			 sim_hist_quantile(h, 0.99), "samples",
			 (json_int_t)h->n);
}

static int replay_render(const struct sim_cli *c, const char *offer,
			 enum pricing_family family, double devices,
			 double price_h, const char *currency,
			 const struct sim_replay *r)
{
	static const char *const head[] = {"measure", "value"};
	static const bool right[] = {0, 1};
	/* an offer without an hourly price (on-prem: capex) has no cost
	 * here, not a cost of 0 */
	bool priced = price_h >= 0;
	double cost = priced ? price_h * devices * r->makespan_s / 3600 : 0;
	struct cli_table t;
	struct util_buf b;
	char v[4][48];
	const char *trace = strcmp(c->replay, "-") ? c->replay : "<stdin>";
	int rc;

	if (c->format == CLI_JSON)
		return cli_emit_json(json_pack(
			"{s:s, s:s, s:f, s:s, s:I, s:I, s:I, s:I, s:o, s:o, "
			"s:f, s:f, s:o}", "trace", trace, "pool", offer,
			"devices", devices, "policy",
			c->backfill ? "backfill" : "fifo", "jobs",
			(json_int_t)r->jobs, "skipped_malformed",
			(json_int_t)r->skipped_bad, "skipped_no_gpu",
			(json_int_t)r->skipped_cpu, "skipped_too_big",
			(json_int_t)r->skipped_big, "wait_s",
			hist_json(&r->wait), "recorded_wait_s",
			hist_json(&r->recorded), "makespan_h",
			r->makespan_s / 3600, "utilisation", r->utilisation,
			"cost", priced ? json_real(cost) : json_null()));
	util_buf_init(&b);
	util_buf_printf(&b, "Replay of %s on %g x %s (%s): %llu jobs, %llu "
			"without a GPU, %llu larger than the pool and %llu "
			"malformed skipped\n\n",
			trace, devices, offer,
			c->backfill ? "EASY backfilling" : "first come first "
			"served", (unsigned long long)r->jobs,
			(unsigned long long)r->skipped_cpu,
			(unsigned long long)r->skipped_big,
			(unsigned long long)r->skipped_bad);
	cli_table_init(&t, 2, head, right);
	replay_rows(&t, "wait", &r->wait);
	if (r->recorded.n)
		replay_rows(&t, "recorded wait", &r->recorded);
	util_fmt_duration(v[0], 48, r->makespan_s);
	snprintf(v[1], 48, "%.3f", r->utilisation);
	if (priced)
		util_fmt_money(v[2], 48, cost, currency, false);
	else
		snprintf(v[2], 48, "-");
	cli_table_row(&t, (const char *const[]){"makespan", v[0]});
	cli_table_row(&t, (const char *const[]){"utilisation", v[1]});
	cli_table_row(&t, (const char *const[]){"cost", v[2]});
	cli_table_render(&t, CLI_TABLE, &b);
	cli_table_release(&t);
	if (!priced)
		util_buf_printf(&b, "cost: %s has no hourly price (family "
				"%s); 'gpuplan chargeback' prices an on-prem "
				"pool's hours\n",
				offer, pricing_family_names[family]);
	rc = cli_write_stdout(&b);
	util_buf_release(&b);
	return rc;
}

/* --replay FILE --pool OFFER:DEVICES: the trace on that pool. */
static int replay(const struct cli_ctx *ctx, const struct sim_cli *c)
{
	struct sim_replay_opts ro = {.path = c->replay, .backfill = c->backfill};
	struct sim_replay *r = util_xmalloc(sizeof(*r));
	const char *colon = strrchr(c->pool, ':');
	const struct pricing_offer *o = NULL;
	struct pricing_catalog cat;
	struct util_diags d;
	char *id = NULL;
	double price = -1; /* none: not an hourly offer */
	int rc = cli_load_catalog(ctx, &cat);

	if (!rc && (!colon || util_parse_double(colon + 1, &ro.devices) ||
		    ro.devices < 1 || ro.devices > 1e7))
		rc = cli_usage_error("simulate", "'--pool' is OFFER:DEVICES, "
				     "e.g. 'onprem-h100-dgx:64', got '%s'",
				     c->pool);
	if (!rc) {
		id = util_xstrndup(c->pool, (size_t)(colon - c->pool));
		o = pricing_catalog_find_offer(&cat, id);
		if (!o)
			rc = cli_usage_error("simulate", "no offer '%s' in the "
					     "catalog (see 'gpuplan catalog "
					     "offers')", id);
	}
	if (!rc) {
		if (o->term[PRICING_PRICE_HOUR] >= 0)
			price = o->term[PRICING_PRICE_HOUR] / (double)o->count;
		util_diags_init(&d);
		rc = cli_exit_code(sim_replay_run(&ro, r, &d));
		cli_print_diags(ctx, &d);
		util_diags_release(&d);
	}
	if (!rc)
		rc = replay_render(c, id, o->family, ro.devices, price,
				   cat.currency ? cat.currency : "USD", r);
	free(id);
	free(r);
	pricing_catalog_release(&cat);
	return rc;
}

/* A progress bar with ETA on stderr, only on a terminal and only once a
 * run has lasted a second. */
struct progress {
	double start; /* util_now_s() */
	bool shown;
};

static void progress(void *arg, int done, int total)
{
	struct progress *p = arg;
	double s = util_now_s() - p->start, eta = s / done * (total - done);
	int width = 30, filled = width * done / total;

	if (s < 1 && !p->shown)
		return;
	p->shown = true;
	fprintf(stderr, "\r\033[K[%.*s%*s] %d/%d replications, %.0f s left",
		filled, "##############################", width - filled, "",
		done, total, eta);
	if (done == total)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

/* Plans s through the closed loop with c's seed, replications and
 * rounds (the numbers compare shows for the same seed), and keeps the
 * last round's simulation in r. Returns an exit code. */
static int loop(struct sim_cli *c, const struct model_scenario *s,
		struct sim_result *r)
{
	struct advise_loop_opts lo;
	struct advise_result res;
	struct util_err err;
	int rc = 0;

	advise_loop_defaults(&lo);
	lo.sim = c->o;
	lo.rounds = c->rounds;
	if (advise_loop(s, &lo, &res, &err)) {
		cli_error("%s", err.msg);
		rc = cli_exit_code(err.code);
	} else if (res.plan.status != MODEL_PLAN_OPTIMAL &&
		   res.plan.status != MODEL_PLAN_FEASIBLE) {
		cli_error("no plan to simulate: %s",
			  res.plan.why ? res.plan.why : "none found in time\n");
		rc = CLI_EXIT_INFEASIBLE;
	} else {
		*r = res.sim;
		memset(&res.sim, 0, sizeof(res.sim));
		c->rounds_done = res.rounds;
		c->tightened = res.tightened;
		res.tightened = NULL;
	}
	advise_result_release(&res);
	return rc;
}

int cmd_simulate(int argc, char **argv, struct cli_ctx *ctx)
{
	struct sim_cli c = {.o = {.seed = 1, .replications = 20},
			    .format = CLI_TABLE};
	struct model_scenario s;
	struct model_plan p = {0};
	struct sim_result r = {0};
	struct progress bar = {0};
	struct util_err err;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int rc;

	c.o.jobs = cpus > 0 && cpus < 64 ? (int)cpus : 1;
	rc = parse_opts(argc, argv, &c);
	if (rc)
		return rc;
	if (c.replay)
		return replay(ctx, &c);
	rc = cli_load_scenario(ctx, argv[optind], &s);
	if (!rc && isatty(STDERR_FILENO) && !ctx->quiet) {
		bar.start = util_now_s();
		c.o.progress = progress;
		c.o.progress_arg = &bar;
	}
	if (!rc && !c.plan) /* the closed loop's plan and simulation */
		rc = loop(&c, &s, &r);
	else if (!rc)
		rc = cli_scenario_plan(ctx, &s, c.plan, "simulate", &p);
	if (!rc && c.plan && sim_simulate(&s, &p, &c.o, &r, &err)) {
		cli_error("%s", err.msg);
		rc = CLI_EXIT_USAGE;
	}
	if (!rc)
		rc = render(&c, &s, &r);
	sim_result_release(&r);
	model_plan_release(&p);
	model_scenario_release(&s);
	free(c.tightened);
	return rc;
}
