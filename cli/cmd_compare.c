/* gpuplan compare SCENARIO: seed 000's table for the scenario's own
 * workloads (DESIGN §9): one column per venue family and the hybrid. */
#include <getopt.h>
#include <limits.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../advise/advise.h"
#include "../emit/emit.h"
#include "cli.h"

/* --by: the default is strategy when the scenario or --strategy names
 * some, family otherwise. */
enum compare_by { BY_DEFAULT, BY_FAMILY, BY_STRATEGY };

struct compare_cli {
	struct advise_loop_opts o;
	enum cli_format format;
	struct cli_gates gates;
	bool fail_on_miss;
	enum compare_by by;
	const char *strategies[MODEL_MAX_STRATEGIES]; /* --strategy */
	size_t nstrategies;
	const char *baseline; /* --baseline BASE.json */
	struct report_compare_doc base;
	const char *today; /* --today BILL: a cloud bill or its baseline */
	const char *out;   /* --out FILE: the output there, atomically */
	const char *emit;  /* --emit slurm-array */
	long shard, nshards, throttle; /* --shard I/N; --emit: --shards N */
	bool merge;	   /* compare merge SHARD... */
	char **files;	   /* merge: the shards */
	size_t nfiles;
};

#define NCOLS (ADVISE_MAX_COLUMNS + 2) /* labels, today, columns */

static const struct sim_workload_result *wl_result(
	const struct advise_column *c, size_t w)
{
	return c->feasible && w < c->r.sim.nwl ? &c->r.sim.wl[w] : NULL;
}

/* Money: "22,594 USD" for people (human), "22594.18" for CSV. */
static void money(char *buf, size_t n, double v, bool human,
		  const struct advise_compare *c)
{
	if (human)
		util_fmt_money(buf, n, v, c->s->currency, false);
	else
		snprintf(buf, n, "%.2f", v);
}

/* v with sig significant digits and never an exponent, no separator
 * (CSV: "124920", "0.0051"; %g wrote "5.1e+03"). */
static char *plain(char *buf, size_t n, double v, int sig)
{
	int d = v == 0 || !isfinite(v)
			? 0
			: sig - 1 - (int)floor(log10(fabs(v)));

	if (d > 0)
		snprintf(buf, n, "%.*f", d > 12 ? 12 : d, v);
	else /* whole: rounded to sig digits */
		snprintf(buf, n, "%.0f",
			 v == 0 || !isfinite(v) ? v
						: round(v / pow(10, -d)) *
							  pow(10, -d));
	return buf;
}

/* A simulated duration (in seconds once scaled) and its confidence
 * half-width: "34.7 ± 1.8 h" for people, "124920 ± 6500" for CSV (in
 * the unit of the row's label). */
static void with_ci(char *buf, size_t n, struct sim_stat s, double scale,
		    bool human)
{
	char m[32], ci[32];

	if (human)
		report_fmt_duration_ci(buf, n, s.mean * scale, s.ci95 * scale);
	else
		snprintf(buf, n, "%s ± %s", plain(m, sizeof(m), s.mean, 4),
			 plain(ci, sizeof(ci), s.ci95, 2));
}

/* One row: a label and a cell per column, filled by fn. */
typedef void (*cell_fn)(const struct advise_compare *c, int col, size_t w,
			bool human, char *buf, size_t n);

/* The in-house column shows only for a scenario that names the family
 * (venues.allow): no other scenario has such a service. */
static bool hidden(const struct advise_compare *c, int i)
{
	return !c->by_strategy && i == PRICING_INHOUSE &&
	       !(c->s->venues.allow & (1u << PRICING_INHOUSE));
}

static void c_status(const struct advise_compare *c, int i, size_t w, bool h,
		     char *b, size_t n);
static void c_monthly(const struct advise_compare *c, int i, size_t w, bool h,
		      char *b, size_t n);
static void c_total(const struct advise_compare *c, int i, size_t w, bool h,
		    char *b, size_t n);
static void c_gpu_hour(const struct advise_compare *c, int i, size_t w, bool h,
		       char *b, size_t n);

/* The "today" column's cell of the row that fn fills: what the bill
 * says is paid now, where it says it. */
static void today_cell(const struct advise_compare *c, cell_fn fn,
		       bool human, char *b, size_t n)
{
	const struct advise_today *t = c->today;

	b[0] = '\0';
	if (fn == c_status)
		snprintf(b, n, "paid now (bill)");
	else if (fn == c_monthly)
		money(b, n, t->monthly, human, c);
	else if (fn == c_total)
		money(b, n, t->total, human, c);
	else if (fn == c_gpu_hour && t->bill.device_hours > 0 && human)
		util_fmt_money(b, n, t->bill.effective * t->rate /
					       t->bill.device_hours,
				 c->s->currency, false);
	else if (fn == c_gpu_hour && t->bill.device_hours > 0)
		snprintf(b, n, "%.3f", t->bill.effective * t->rate /
					       t->bill.device_hours);
}

/* always: fill ruled-out columns too (status, why). */
static void add_row(struct cli_table *t, const struct advise_compare *c,
		    const char *label, cell_fn fn, size_t w, bool always,
		    bool human)
{
	char cells[ADVISE_MAX_COLUMNS][600], now[200];
	const char *row[NCOLS];
	int k = 1;

	row[0] = label;
	if (c->today) {
		today_cell(c, fn, human, now, sizeof(now));
		row[k++] = now[0] ? now : NULL;
	}
	for (int i = 0; i < c->ncol; i++) {
		cells[i][0] = '\0';
		if (hidden(c, i))
			continue;
		if (c->col[i].feasible || always)
			fn(c, i, w, human, cells[i], sizeof(cells[i]));
		row[k++] = cells[i][0] ? cells[i] : NULL;
	}
	cli_table_row(t, row);
}

static void c_status(const struct advise_compare *c, int i, size_t w, bool h, char *b, size_t n)
{
	(void)h;
	(void)w;
	snprintf(b, n, "%s", advise_status_names[c->col[i].status]);
}

static void c_rounds(const struct advise_compare *c, int i, size_t w,
		     bool h, char *b, size_t n)
{
	(void)h;
	(void)w;
	snprintf(b, n, "%d", c->col[i].r.rounds);
}

/* A workload's missed targets in the column, or "met". */
static void c_targets(const struct advise_compare *c, int i, size_t w,
		      bool h, char *b, size_t n)
{
	(void)h;
	const struct advise_checks *k = &c->col[i].r.checks;
	char line[300];
	bool any = false;

	for (size_t j = 0; j < k->n; j++) {
		if (k->v[j].w != w)
			continue;
		any = true;
		if (k->v[j].met)
			continue;
		advise_check_text(c->s, &k->v[j], line, sizeof(line));
		snprintf(b, n, "missed: %s", line + strlen(c->s->workloads[w]
								.name) + 2);
		return;
	}
	if (any)
		snprintf(b, n, "met");
}

static void c_initial(const struct advise_compare *c, int i, size_t w, bool h, char *b, size_t n)
{
	(void)w;
	money(b, n, c->col[i].initial_cost, h, c);
}

static void c_monthly(const struct advise_compare *c, int i, size_t w, bool h, char *b, size_t n)
{
	(void)w;
	money(b, n, c->col[i].monthly_cost, h, c);
}

static void c_total(const struct advise_compare *c, int i, size_t w, bool h, char *b, size_t n)
{
	(void)w;
	money(b, n, c->col[i].total_cost, h, c);
}

static void c_gpu_hour(const struct advise_compare *c, int i, size_t w, bool h, char *b, size_t n)
{
	(void)w;
	if (h)
		util_fmt_money(b, n, c->col[i].cost_per_gpu_hour,
				 c->s->currency, false);
	else
		snprintf(b, n, "%.3f", c->col[i].cost_per_gpu_hour);
}

static void c_change(const struct advise_compare *c, int i, size_t w, bool h,
		     char *b, size_t n)
{
	double x = advise_today_change(c->today, c->col[i].total_cost);

	(void)w;
	(void)h;
	if (isfinite(x))
		snprintf(b, n, "%+.1f%%", 100 * x);
}

static void c_transfer(const struct advise_compare *c, int i, size_t w, bool h,
		       char *b, size_t n)
{
	(void)w;
	money(b, n, c->col[i].transfer_cost, h, c);
}

static void c_energy(const struct advise_compare *c, int i, size_t w, bool h,
		     char *b, size_t n)
{
	char num[48];

	(void)w;
	if (h)
		snprintf(b, n, "%s kWh",
			 report_fmt_num(num, sizeof(num), c->col[i].energy_kwh,
					3));
	else
		snprintf(b, n, "%.0f", c->col[i].energy_kwh);
}

static void c_scal(const struct advise_compare *c, int i, size_t w, bool h, char *b, size_t n)
{
	(void)h;
	(void)w;
	snprintf(b, n, "%s", c->col[i].scalability);
}

/* The owned and bought pools' planned use over the horizon, each
 * flagged when under MODEL_POOL_IDLE ("A100-80GB x4: 9% (mostly idle)") */
static void c_pools(const struct advise_compare *c, int i, size_t w, bool h,
		    char *b, size_t n)
{
	struct model_pools v;
	size_t len = 0;

	(void)w;
	(void)h;
	model_plan_pools(c->s, &c->col[i].r.plan, &v);
	for (size_t k = 0; k < v.n && len < n; k++) {
		const struct model_pool *p = &v.v[k];
		double u;

		if (p->owned + p->bought <= 0 || p->avail_total <= 0)
			continue;
		u = p->used_total / p->avail_total;
		len += (size_t)snprintf(b + len, n - len, "%s%s x%ld: %.0f%%%s",
					len ? "; " : "", p->accel,
					p->owned + p->bought, 100 * u,
					u < MODEL_POOL_IDLE ? " (mostly idle)"
							    : "");
	}
	model_pools_release(&v);
}

static void c_maint(const struct advise_compare *c, int i, size_t w, bool h, char *b, size_t n)
{
	(void)h;
	(void)w;
	snprintf(b, n, "%s", c->col[i].maintenance);
}

static void c_why(const struct advise_compare *c, int i, size_t w, bool h, char *b, size_t n)
{
	(void)h;
	(void)w;
	if (!c->col[i].feasible)
		snprintf(b, n, "%s", c->col[i].why);
}

static void c_time(const struct advise_compare *c, int i, size_t w, bool h, char *b, size_t n)
{
	const struct sim_workload_result *r = wl_result(&c->col[i], w);

	if (r && r->has_completion)
		with_ci(b, n, r->completion_h, 3600, h);
}

static void c_wait(const struct advise_compare *c, int i, size_t w, bool h, char *b, size_t n)
{
	const struct sim_workload_result *r = wl_result(&c->col[i], w);

	if (r && r->has_wait)
		with_ci(b, n, r->wait_s.p95, 1, h);
}

static void c_latency(const struct advise_compare *c, int i, size_t w, bool h, char *b, size_t n)
{
	const struct sim_workload_result *r = wl_result(&c->col[i], w);

	if (r && r->has_latency)
		with_ci(b, n, r->latency_ms.p99, 1e-3, h);
}

/* An LLM's p99 time to first token (which 0) or per output token. */
static void c_token(const struct advise_compare *c, int i, size_t w, bool h,
		    char *b, size_t n, int which)
{
	const struct sim_workload_result *r = wl_result(&c->col[i], w);

	if (r && r->has_tokens)
		with_ci(b, n, which ? r->tpot_ms.p99 : r->ttft_ms.p99, 1e-3,
			h);
}

static void c_ttft(const struct advise_compare *c, int i, size_t w, bool h,
		   char *b, size_t n)
{
	c_token(c, i, w, h, b, n, 0);
}

static void c_tpot(const struct advise_compare *c, int i, size_t w, bool h,
		   char *b, size_t n)
{
	c_token(c, i, w, h, b, n, 1);
}

/* human: figures with their units for people (text, markdown); plain
 * numbers with the units in the labels for CSV. */
static void build_table(const struct advise_compare *c, struct cli_table *t,
			const char **head, bool *right, bool notes,
			bool human)
{
	const struct model_scenario *s = c->s;
	const char *cur = human ? "" : s->currency;
	char label[160];
	int k = 1;

	head[0] = "";
	right[0] = false;
	if (c->today) {
		head[k] = "today";
		right[k++] = false;
	}
	for (int i = 0; i < c->ncol; i++) {
		if (hidden(c, i))
			continue;
		head[k] = c->col[i].name;
		right[k++] = false;
	}
	cli_table_init(t, (size_t)k, head, right);
	add_row(t, c, "status", c_status, 0, true, human);
	add_row(t, c, "rounds (plan, simulate, tighten)", c_rounds, 0, false,
		human);
	snprintf(label, sizeof(label), "initial cost%s%s%s",
		 *cur ? " (" : "", cur, *cur ? ")" : "");
	add_row(t, c, label, c_initial, 0, false, human);
	snprintf(label, sizeof(label), "recurring cost per month%s%s%s",
		 *cur ? " (" : "", cur, *cur ? ")" : "");
	add_row(t, c, label, c_monthly, 0, false, human);
	snprintf(label, sizeof(label), "total cost over the horizon%s%s%s",
		 *cur ? " (" : "", cur, *cur ? ")" : "");
	add_row(t, c, label, c_total, 0, false, human);
	if (c->today)
		add_row(t, c, "change from today", c_change, 0, false, human);
	snprintf(label, sizeof(label), "cost per GPU-hour delivered%s%s%s",
		 *cur ? " (" : "", cur, *cur ? ")" : "");
	add_row(t, c, label, c_gpu_hour, 0, false, human);
	for (size_t w = 0; w < s->nworkloads; w++) {
		const struct model_workload *wl = &s->workloads[w];

		if (wl->kind == MODEL_RESEARCH || wl->kind == MODEL_FINETUNE) {
			snprintf(label, sizeof(label), "time to result, %s%s",
				 wl->name, human ? "" : " (h)");
			add_row(t, c, label, c_time, w, false, human);
		}
		if (wl->kind == MODEL_TEACHING || wl->kind == MODEL_RESEARCH) {
			snprintf(label, sizeof(label), "p95 wait, %s%s",
				 wl->name, human ? "" : " (s)");
			add_row(t, c, label, c_wait, w, false, human);
		}
		if (wl->kind == MODEL_INFERENCE) {
			snprintf(label, sizeof(label), "p99 latency, %s%s",
				 wl->name, human ? "" : " (ms)");
			add_row(t, c, label, c_latency, w, false, human);
		}
		if (wl->kind == MODEL_INFERENCE &&
		    wl->inference.output_tokens > 0) {
			snprintf(label, sizeof(label), "p99 time to first "
				 "token, %s%s", wl->name, human ? "" : " (ms)");
			add_row(t, c, label, c_ttft, w, false, human);
			snprintf(label, sizeof(label), "p99 time per output "
				 "token, %s%s", wl->name, human ? "" : " (ms)");
			add_row(t, c, label, c_tpot, w, false, human);
		}
		snprintf(label, sizeof(label), "targets, %s", wl->name);
		add_row(t, c, label, c_targets, w, false, human);
	}
	add_row(t, c, "scalability", c_scal, 0, false, human);
	if (s->venues.nowned || s->venues.nbuy)
		add_row(t, c, "owned and bought devices' use", c_pools, 0,
			false, human);
	snprintf(label, sizeof(label), "storage and transfer cost%s%s%s",
		 *cur ? " (" : "", cur, *cur ? ")" : "");
	add_row(t, c, label, c_transfer, 0, false, human);
	add_row(t, c, human ? "energy" : "energy (kWh)", c_energy, 0, false,
		human);
	add_row(t, c, "maintenance", c_maint, 0, true, human);
	if (!notes) /* the text table lists them below it */
		add_row(t, c, "why ruled out", c_why, 0, true, human);
}

/* The owned and bought pools of plan p: devices, planned utilisation
 * over the horizon (0..1), and whether it is under MODEL_POOL_IDLE. */
static json_t *pools_json(const struct model_scenario *s,
			  const struct model_plan *p)
{
	struct model_pools v;
	json_t *a = json_array();

	model_plan_pools(s, p, &v);
	for (size_t k = 0; k < v.n; k++) {
		const struct model_pool *x = &v.v[k];
		double u;

		if (x->owned + x->bought <= 0 || x->avail_total <= 0)
			continue;
		u = x->used_total / x->avail_total;
		json_array_append_new(
			a, json_pack("{s:s, s:I, s:I, s:f, s:b}", "accelerator",
				     x->accel, "owned", (json_int_t)x->owned,
				     "bought",
				     (json_int_t)x->bought, "utilisation",
				     round(u * 1e4) / 1e4, "mostly_idle",
				     u < MODEL_POOL_IDLE));
	}
	model_pools_release(&v);
	return a;
}

static json_t *stat_json(struct sim_stat s)
{
	return json_pack("{s:f, s:f}", "mean", isfinite(s.mean) ? s.mean : 0,
			 "ci95", isfinite(s.ci95) ? s.ci95 : 0);
}

static json_t *checks_json(const struct model_scenario *s,
			   const struct advise_checks *k)
{
	json_t *a = json_array();

	for (size_t i = 0; i < k->n; i++) {
		const struct advise_check *x = &k->v[i];
		json_t *o = json_pack("{s:s, s:s, s:b, s:f, s:f, s:f}",
				      "workload", s->workloads[x->w].name,
				      "target", advise_target_names[x->kind],
				      "met", x->met, "limit_s", x->limit,
				      "simulated_s",
				      isfinite(x->figure) ? x->figure : 0,
				      "tolerance", x->tolerance);

		if (x->share >= 0)
			json_object_set_new(o, "share_over",
					    json_real(x->share));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *column_json(const struct advise_compare *c, int i)
{
	const struct advise_column *k = &c->col[i];
	json_t *o = json_object(), *wls;

	json_object_set_new(o, "name", json_string(k->name));
	json_object_set_new(o, "feasible", json_boolean(k->feasible));
	json_object_set_new(o, "status",
			    json_string(advise_status_names[k->status]));
	json_object_set_new(o, "maintenance", json_string(k->maintenance));
	if (!k->feasible) {
		json_object_set_new(o, "why", json_string(k->why));
		return o;
	}
	json_object_set_new(o, "initial_cost",
			    json_real(round(k->initial_cost * 100) / 100));
	json_object_set_new(o, "monthly_cost",
			    json_real(round(k->monthly_cost * 100) / 100));
	json_object_set_new(o, "total_cost",
			    json_real(round(k->total_cost * 100) / 100));
	json_object_set_new(o, "cost_per_gpu_hour",
			    json_real(round(k->cost_per_gpu_hour * 1e4) / 1e4));
	if (c->today && isfinite(advise_today_change(c->today, k->total_cost)))
		json_object_set_new(
			o, "change_from_today",
			json_real(round(advise_today_change(c->today,
							    k->total_cost) *
					1e4) / 1e4));
	json_object_set_new(o, "transfer_cost",
			    json_real(round(k->transfer_cost * 100) / 100));
	json_object_set_new(o, "energy_kwh", json_real(round(k->energy_kwh)));
	json_object_set_new(o, "scalability", json_string(k->scalability));
	if (c->s->venues.nowned || c->s->venues.nbuy)
		json_object_set_new(o, "pools", pools_json(c->s, &k->r.plan));
	json_object_set_new(o, "rounds", json_integer(k->r.rounds));
	if (k->r.tightened)
		json_object_set_new(o, "tightened",
				    json_string(k->r.tightened));
	json_object_set_new(o, "targets", checks_json(c->s, &k->r.checks));
	wls = json_array();
	for (size_t w = 0; w < k->r.sim.nwl; w++) {
		const struct sim_workload_result *r = &k->r.sim.wl[w];
		json_t *x = json_pack("{s:s}", "name", r->w->name);

		if (r->has_completion)
			json_object_set_new(x, "time_to_result_h",
					    stat_json(r->completion_h));
		if (r->has_wait)
			json_object_set_new(x, "wait_p95_s",
					    stat_json(r->wait_s.p95));
		if (r->has_latency)
			json_object_set_new(x, "latency_p99_ms",
					    stat_json(r->latency_ms.p99));
		if (r->has_tokens) {
			json_object_set_new(x, "ttft_p99_ms",
					    stat_json(r->ttft_ms.p99));
			json_object_set_new(x, "tpot_p99_ms",
					    stat_json(r->tpot_ms.p99));
		}
		json_array_append_new(wls, x);
	}
	json_object_set_new(o, "workloads", wls);
	return o;
}

static json_t *today_json(const struct advise_today *t)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:f, s:f, s:f, s:f, s:f, "
			 "s:f, s:f}",
			 "bill", t->bill.source, "bill_currency",
			 t->bill.currency, "first_month", t->bill.first,
			 "last_month", t->bill.last, "months", t->bill.months,
			 "bill_effective", t->bill.effective, "bill_billed",
			 t->bill.billed, "rate", t->rate, "monthly_cost",
			 round(t->monthly * 100) / 100, "billed_monthly",
			 round(t->billed_monthly * 100) / 100, "horizon_months",
			 round(t->horizon_months * 1e4) / 1e4, "total_cost",
			 round(t->total * 100) / 100);
}

/* "residency": the report's lines, when a workload has a rule */
static void residency_json(const struct model_scenario *s, json_t *root)
{
	struct util_buf r;
	json_t *a = json_array();

	util_buf_init(&r);
	model_residency_report(s, &r);
	for (char *p = r.s, *nl; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		json_array_append_new(a, json_stringn(p, (size_t)(nl - p)));
	}
	util_buf_release(&r);
	if (json_array_size(a))
		json_object_set_new(root, "residency", a);
	else
		json_decref(a);
}

static json_t *compare_json(const struct advise_compare *c,
			    const struct advise_loop_opts *o)
{
	json_t *cols = json_array(), *root;

	for (int i = 0; i < c->ncol; i++)
		if (!hidden(c, i))
			json_array_append_new(cols, column_json(c, i));
	root = json_pack(
		"{s:s, s:s, s:o, s:I, s:i, s:o, s:s, s:s*}", "scenario",
		c->s->name, "currency", c->s->currency, "prices",
		emit_prices_json(&c->s->catalog), "seed",
		(json_int_t)o->sim.seed, "replications", o->sim.replications,
		"columns", cols, "verdict", c->verdict, "cheapest",
		c->cheapest >= 0 ? c->col[c->cheapest].name : NULL);
	if (root && c->by_strategy) /* columns are strategies */
		json_object_set_new(root, "by", json_string("strategy"));
	if (root && c->need) /* what the closest would take */
		json_object_set_new(root, "need", json_string(c->need));
	if (root && c->today)
		json_object_set_new(root, "today", today_json(c->today));

	if (root)
		residency_json(c->s, root);
	return root;
}

/* --shard, --shards, --throttle, --emit. */
static int shard_option(struct compare_cli *c, int ch, const char *arg)
{
	if (ch == 'h')
		return cli_shard_option("compare", arg, &c->shard, &c->nshards);
	if (ch == 'e') {
		c->emit = arg;
		return strcmp(arg, "slurm-array")
			       ? cli_usage_error("compare", "'--emit' is "
						 "slurm-array, got '%s'", arg)
			       : 0;
	}
	if (util_parse_long(arg, 1, ADVISE_SHARDS_MAX,
			    ch == 'n' ? &c->nshards : &c->throttle))
		return cli_usage_error("compare", "'--%s' takes a whole number "
				       "from 1 to %d, got '%s'",
				       ch == 'n' ? "shards" : "throttle",
				       ADVISE_SHARDS_MAX, arg);
	return 0;
}

static int parse_opts(int argc, char **argv, struct compare_cli *c)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"replications", required_argument, NULL, 'r'},
		{"seed", required_argument, NULL, 's'},
		{"jobs", required_argument, NULL, 'j'},
		{"fail-above", required_argument, NULL, 'A'},
		{"fail-over-budget", no_argument, NULL, 'B'},
		{"fail-on-miss", no_argument, NULL, 'M'},
		{"rounds", required_argument, NULL, 'R'},
		{"by", required_argument, NULL, 'b'},
		{"strategy", required_argument, NULL, 'T'},
		{"baseline", required_argument, NULL, 'L'},
		{"today", required_argument, NULL, 'Y'},
		{"out", required_argument, NULL, 'o'},
		{"shard", required_argument, NULL, 'h'},
		{"shards", required_argument, NULL, 'n'},
		{"throttle", required_argument, NULL, 't'},
		{"emit", required_argument, NULL, 'e'},
		{NULL, 0, NULL, 0}};
	int ch;

	opterr = 0;
	optind = c->merge ? 2 : 1;
	while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (c->merge && ch != '?' && ch != ':' &&
		    strchr("rjsRbThnte", ch))
			return cli_usage_error("compare", "merge takes the "
					       "options of the output: the "
					       "others belong to the shards");
		if (ch == 'f') {
			if (cli_parse_format("compare", optarg,
					     (1u << CLI_TABLE) | (1u << CLI_CSV) |
						     (1u << CLI_JSON) |
						     (1u << CLI_MARKDOWN),
					     &c->format))
				return CLI_EXIT_USAGE;
		} else if (ch == 'M') {
			c->fail_on_miss = true;
		} else if (ch == 'L') {
			c->baseline = optarg;
		} else if (ch == 'Y') {
			c->today = optarg;
		} else if (ch == 'o') {
			c->out = optarg;
		} else if (ch == 'h' || ch == 'n' || ch == 't' || ch == 'e') {
			if (shard_option(c, ch, optarg))
				return CLI_EXIT_USAGE;
		} else if (ch == 'b') {
			bool st;

			if (cli_parse_by("compare", optarg, &st))
				return CLI_EXIT_USAGE;
			c->by = st ? BY_STRATEGY : BY_FAMILY;
		} else if (ch == 'T') {
			if (c->nstrategies == MODEL_MAX_STRATEGIES ||
			    !strchr(optarg, '=') || optarg[0] == '=')
				return cli_usage_error("compare", "'--strategy' "
						       "is NAME=PATH=VALUE[,"
						       "PATH=VALUE...] (at "
						       "most %d), got '%s'",
						       MODEL_MAX_STRATEGIES,
						       optarg);
			c->strategies[c->nstrategies++] = optarg;
		} else if (ch == 'r' || ch == 'j' || ch == 's' || ch == 'R') {
			if (cli_loop_option("compare", ch, optarg, &c->o))
				return CLI_EXIT_USAGE;
		} else if (ch == 'A' || ch == 'B') {
			if (cli_gate_option("compare", &c->gates, ch == 'A',
					    optarg))
				return CLI_EXIT_USAGE;
		} else if (ch == ':') {
			return cli_usage_error("compare", "option '%s' needs a "
					       "value", argv[optind - 1]);
		} else {
			return cli_usage_error("compare", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	c->files = argv + optind;
	c->nfiles = (size_t)(argc - optind);
	if (!c->merge && optind != argc - 1)
		return cli_usage_error("compare", "give one scenario file");
	if (c->emit && (!c->out || !c->nshards || c->shard))
		return cli_usage_error("compare", "--emit slurm-array needs "
				       "--shards N and --out DIR");
	if (!c->emit && c->nshards && !c->shard)
		return cli_usage_error("compare", "--shards goes with --emit; "
				       "one shard is --shard I/N");
	if ((c->shard || c->emit) &&
	    (c->baseline || c->today || c->gates.fail_above >= 0 ||
	     c->gates.over_budget || c->fail_on_miss))
		return cli_usage_error("compare", "a shard computes, its merge "
				       "reports: give --baseline, --today "
				       "and the --fail options to 'compare "
				       "merge'");
	if (c->baseline && c->format != CLI_MARKDOWN)
		return cli_usage_error("compare", "'--baseline' writes a "
				       "pull-request comment: add '--format "
				       "markdown'");
	return 0;
}

/* The oldest price of every feasible column's plan. */
static const char *oldest_as_of(const struct advise_compare *r)
{
	const char *d = NULL;

	for (int i = 0; i < r->ncol; i++)
		if (r->col[i].feasible)
			d = emit_oldest_as_of(&r->col[i].r.plan, d);
	return d;
}

/* Where the "today" column comes from, and what it assumes. */
static void today_note(const struct model_scenario *s,
		       const struct advise_today *t, bool md,
		       struct util_buf *b)
{
	const struct acct_today *x = &t->bill;
	char m1[64], m2[64];

	/* the bill's name and currency come from outside: markdown text */
	util_buf_puts(b, "\ntoday: the GPU lines of ");
	if (md)
		report_md_text(b, x->source);
	else
		util_buf_puts(b, x->source);
	util_buf_printf(b, ", %d month%s (%s to %s): %s ", x->months,
			x->months == 1 ? "" : "s", x->first, x->last,
			util_fmt_money(m1, sizeof(m1), x->effective, NULL, false));
	if (md)
		report_md_text(b, x->currency);
	else
		util_buf_puts(b, x->currency);
	util_buf_printf(b, " effective (%s billed)",
			util_fmt_money(m2, sizeof(m2), x->billed, NULL, false));
	if (t->rate != 1) {
		util_buf_printf(b, ", at %.6g %s per ", t->rate, s->currency);
		if (md)
			report_md_text(b, x->currency);
		else
			util_buf_puts(b, x->currency);
	}
	util_buf_printf(b, "; %s a month carried over the %.4g-month "
			"horizon (the same use every month; targets not "
			"checked)\n",
			util_fmt_money(m1, sizeof(m1), t->monthly, s->currency,
				       false),
			t->horizon_months);
}

/* What each column missed, and what its loop tightened. */
static void loop_notes(const struct advise_compare *r, struct util_buf *b)
{
	for (int i = 0, n = 0; i < r->ncol; i++) {
		if (r->col[i].status != ADVISE_MISSES)
			continue;
		util_buf_printf(b, "%s  %s: ", n++ ? "" : "\nmisses targets:\n",
				r->col[i].name);
		advise_column_misses(r->s, &r->col[i], 100, b);
		util_buf_puts(b, "\n");
	}
	for (int i = 0, n = 0; i < r->ncol; i++)
		if (r->col[i].r.tightened)
			util_buf_printf(b, "%s  %s (%d round%s): %s\n",
					n++ ? "" : "\ntightened in the loop:\n",
					r->col[i].name, r->col[i].r.rounds,
					r->col[i].r.rounds == 1 ? "" : "s",
					r->col[i].r.tightened);
}

/* The pull-request comment: what changed from --baseline, the whole
 * comparison (md) in its details. Returns an exit code. */
static int baseline_comment(const struct compare_cli *c,
			    const struct advise_compare *r,
			    const struct util_buf *md)
{
	struct report_compare_doc now;
	struct util_err err;
	struct util_buf b;
	json_t *j = compare_json(r, &c->o);
	int rc;

	util_buf_init(&b);
	rc = report_compare_doc_from_json(j, "this comparison", &now, &err);
	if (!rc)
		rc = report_baseline_markdown(&c->base, &now, util_buf_str(md),
					      &b, &err);
	if (rc) {
		cli_error("%s", err.msg);
		rc = cli_exit_code(rc);
	} else {
		rc = cli_write_out(c->out, &b);
	}
	report_compare_doc_release(&now);
	json_decref(j);
	util_buf_release(&b);
	return rc;
}

/* What the residency rules leave out, after a blank line. */
static void residency_notes(const struct model_scenario *s,
			    struct util_buf *b)
{
	struct util_buf r;

	util_buf_init(&r);
	if (model_residency_report(s, &r))
		util_buf_printf(b, "\n%s", r.s);
	util_buf_release(&r);
}


/* Which of the verdict's offers are priced by estimate (a manager
 * should know before quoting the figure); catalog ids escaped for
 * markdown. */
static void estimates_note(const struct advise_compare *r, bool md,
			   struct util_buf *b)
{
	struct util_buf n;
	char *who;

	if (r->cheapest < 0)
		return;
	who = util_xasprintf("the verdict's option, %s,",
			     r->col[r->cheapest].name);
	util_buf_init(&n);
	emit_estimates_line(&r->col[r->cheapest].r.plan, who, &n);
	if (n.len && md) {
		util_buf_puts(b, "\n");
		report_md_text(b, n.s);
		util_buf_puts(b, "\n");
	} else if (n.len) {
		util_buf_puts(b, n.s);
	}
	util_buf_release(&n);
	free(who);
}

static int render(const struct compare_cli *c, const struct advise_compare *r)
{
	const char *head[NCOLS];
	bool right[NCOLS];
	struct cli_table t;
	struct util_buf b;
	int rc;

	util_buf_init(&b);
	if (c->format == CLI_JSON) {
		if (emit_json_text(compare_json(r, &c->o), &b)) {
			cli_error("cannot format JSON output");
			rc = CLI_EXIT_SOFTWARE;
		} else {
			rc = cli_write_out(c->out, &b);
		}
		util_buf_release(&b);
		return rc;
	}
	build_table(r, &t, head, right, c->format == CLI_TABLE,
		    c->format != CLI_CSV);
	if (c->format == CLI_MARKDOWN) { /* the name is the scenario's */
		util_buf_puts(&b, "### Compare '");
		report_md_text(&b, r->s->name);
	} else if (c->format == CLI_TABLE) {
		util_buf_printf(&b, "Compare '%s", r->s->name);
	}
	if (c->format == CLI_TABLE || c->format == CLI_MARKDOWN)
		util_buf_printf(&b, "': %s; simulated "
				"figures are means ± 95%% confidence "
				"(%d replications, seed %llu)\n\n",
				r->by_strategy
					? "each strategy, every venue "
					  "family allowed"
					: "every venue family alone, and the "
					  "optimiser's mix (hybrid)",
				c->o.sim.replications,
				(unsigned long long)c->o.sim.seed);
	cli_table_render(&t, c->format, &b);
	for (int i = 0, n = 0; c->format == CLI_TABLE && i < r->ncol; i++)
		if (!r->col[i].feasible && !hidden(r, i))
			util_buf_printf(&b, "%s  %s: %s\n",
					n++ ? "" : "\nruled out:\n",
					r->col[i].name, r->col[i].why);
	if (c->format == CLI_TABLE) {
		loop_notes(r, &b);
		residency_notes(r->s, &b);
	}
	if (c->format == CLI_TABLE && advise_committed_alike(r))
		cli_committed_costs(r->s, true, &b);
	if (r->today && c->format != CLI_CSV)
		today_note(r->s, r->today, c->format == CLI_MARKDOWN, &b);
	if (c->format != CLI_CSV) {
		if (c->format == CLI_MARKDOWN) {
			util_buf_puts(&b, "\n**Verdict:** ");
			report_md_text(&b, r->verdict);
			util_buf_puts(&b, "\n");
		} else {
			util_buf_printf(&b, "\nverdict: %s\n", r->verdict);
		}
		if (c->format == CLI_MARKDOWN)
			util_buf_puts(&b, "\n");
		emit_prices_line(&r->s->catalog, oldest_as_of(r),
				 c->format == CLI_MARKDOWN, &b);
		estimates_note(r, c->format == CLI_MARKDOWN, &b);
	}
	cli_table_release(&t);
	if (c->baseline)
		rc = baseline_comment(c, r, &b);
	else if (c->format == CLI_TABLE && !c->out)
		rc = cli_write_text(&b);
	else if (c->out)
		rc = cli_write_out(c->out, &b);
	else
		rc = cli_write_stdout(&b);
	util_buf_release(&b);
	return rc;
}

/* Loads every strategy's scenario into ss and compares them; l
 * receives the strategies (the names r uses): the caller releases it
 * after r. Returns 0 or an exit code, reported. */
static int compare_strategies(const struct cli_ctx *ctx,
			      const struct compare_cli *c, const char *file,
			      const struct model_scenario *s,
			      struct model_scenario *ss,
			      struct advise_strategies *l,
			      struct advise_compare *r,
			      const struct advise_shard *v, size_t nv)
{
	struct util_err err = {0};
	const struct model_scenario *sp[2 * MODEL_MAX_STRATEGIES];
	const char *names[2 * MODEL_MAX_STRATEGIES];
	int rc = cli_load_strategies(ctx, "compare", file, s, c->strategies,
				     c->nstrategies, ss, sp, names, l);

	memset(r, 0, sizeof(*r));
	if (!rc && v) /* the shards' columns */
		rc = advise_compare_merge(s, sp, names, l->n, &c->o, v, nv, r,
					  &err);
	else if (!rc)
		rc = advise_compare_strategies_part(s, sp, names, l->n, &c->o,
						    c->shard, c->nshards, r,
						    &err);
	if (rc < 0) { /* a library error, not yet reported */
		cli_error("%s", err.msg);
		rc = cli_exit_code(rc);
	}
	return rc;
}

/* --today: the bill read and carried over s's horizon, into t. */
static int load_today(const struct cli_ctx *ctx,
		      const struct model_scenario *s, const char *path,
		      struct advise_today *t)
{
	struct acct_today bill;
	struct util_diags d;
	struct util_err err;
	int rc;

	util_diags_init(&d);
	rc = acct_today_read(&bill, &s->catalog, path, &d, &err);
	cli_print_diags(ctx, &d);
	util_diags_release(&d);
	if (!rc)
		rc = advise_today(s, &bill, t, &err);
	if (rc) {
		cli_error("--today: %s", err.msg);
		return cli_exit_code(rc);
	}
	return 0;
}

/* --shard I/N: this shard's strategies into its file. */
static int write_shard(const struct cli_ctx *ctx, const struct compare_cli *c,
		       const char *file, const struct advise_compare *r)
{
	struct util_buf b;
	int rc;

	util_buf_init(&b);
	rc = cli_shard_start(ctx, "compare", file, c->shard, c->nshards, &b);
	if (!rc) {
		advise_compare_shard(r, &c->o, c->strategies, c->nstrategies,
				     c->shard, c->nshards, &b);
		rc = cli_write_out(c->out, &b);
	}
	util_buf_release(&b);
	return rc;
}

/* --emit slurm-array: the strategies' shards as a Slurm array, then
 * their merge. */
static int emit_array(const struct cli_ctx *ctx, const struct compare_cli *c,
		      const char *file)
{
	struct util_buf args;
	int rc;

	util_buf_init(&args);
	util_buf_printf(&args, " --by strategy --seed %llu --replications %d",
			(unsigned long long)c->o.sim.seed,
			c->o.sim.replications);
	if (c->o.rounds > 0)
		util_buf_printf(&args, " --rounds %d", c->o.rounds);
	for (size_t i = 0; i < c->nstrategies; i++) {
		util_buf_puts(&args, " --strategy ");
		emit_shell_word(&args, c->strategies[i]);
	}
	rc = cli_emit_array(ctx, &(struct cli_array){
		.cmd = "compare", .noun = "comparison", .scenario = file,
		.args = util_buf_str(&args), .shard_args = "",
		.format = (int)c->format, .sbatch = "compare.sbatch",
		.ext = "shard", .nshards = c->nshards,
		.throttle = c->throttle ? c->throttle : c->nshards,
		.out = c->out});
	util_buf_release(&args);
	return rc;
}

/* compare merge SHARD...: the shards read and checked, their options
 * and --strategy flags into c, the scenario's path into *file. */
static int read_shards(const struct cli_ctx *ctx, struct compare_cli *c,
		       struct advise_shard **v, struct advise_compare_head *h,
		       const char **file)
{
	struct util_err err;
	int rc = cli_shard_read_all(ctx, "compare", c->files, c->nfiles, v);

	memset(h, 0, sizeof(*h));
	if (!rc && advise_compare_shard_head(&(*v)[0], h, &err)) {
		cli_error("%s", err.msg);
		return CLI_EXIT_DATAERR;
	}
	if (rc)
		return rc;
	c->o.sim.seed = h->seed;
	c->o.sim.replications = h->replications;
	c->o.rounds = h->rounds;
	c->by = BY_STRATEGY;
	for (size_t i = 0; i < h->nflags; i++)
		c->strategies[i] = h->flags[i];
	c->nstrategies = h->nflags;
	*file = (*v)[0].scenario;
	return 0;
}

/* --fail-above and --fail-over-budget on the hybrid plan, or with
 * strategies the cheapest that meets every target (else the first),
 * named in the message. */
static int gate(const struct compare_cli *c, const struct model_scenario *s,
		const struct advise_compare *r)
{
	int i = !r->by_strategy ? PRICING_NFAMILIES
		: r->cheapest >= 0 ? r->cheapest
				   : 0;
	char *what = r->by_strategy
			     ? util_xasprintf("strategy '%s'", r->col[i].name)
			     : util_xstrdup("the hybrid plan");
	int rc = cli_check_gates(&c->gates, s, &r->col[i].r.plan, what);

	free(what);
	return rc;
}

/* The table (or JSON, markdown), the price-age warning, the gates. */
static int report(const struct cli_ctx *ctx, const struct compare_cli *c,
		  const struct model_scenario *s, struct advise_compare *r)
{
	int rc = render(c, r);

	if (!rc && c->format != CLI_JSON) {
		struct pricing_staleness st = {0};

		for (int i = 0; i < r->ncol; i++)
			if (r->col[i].feasible)
				emit_plan_prices(&r->col[i].r.plan, &st);
		cli_warn_price_age(ctx, &st);
	}
	if (!rc)
		rc = gate(c, s, r);
	if (!rc && c->fail_on_miss && r->cheapest < 0) {
		cli_error("gate: no option meets every target "
			  "(--fail-on-miss)");
		rc = CLI_EXIT_GATE;
	}
	return rc;
}

int cmd_compare(int argc, char **argv, struct cli_ctx *ctx)
{
	struct compare_cli c = {.o = {.sim = {.seed = 1, .replications = 20}},
				.format = CLI_TABLE,
				.gates = {.fail_above = -1}};
	struct model_scenario s, ss[2 * MODEL_MAX_STRATEGIES];
	struct advise_strategies list = {0};
	struct advise_compare_head head = {0};
	struct advise_shard *v = NULL;
	struct advise_compare r;
	struct advise_today today;
	struct util_err err;
	const char *file;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	bool by_strategy;
	int rc;

	c.o.sim.jobs = cpus > 0 && cpus < 64 ? (int)cpus : 1;
	c.merge = argc > 1 && !strcmp(argv[1], "merge");
	rc = parse_opts(argc, argv, &c);
	file = c.merge ? NULL : argv[optind];
	if (!rc && c.baseline &&
	    report_compare_doc_load(c.baseline, &c.base, &err)) {
		cli_error("%s", err.msg);
		rc = cli_exit_code(err.code);
	}
	if (!rc && c.merge)
		rc = read_shards(ctx, &c, &v, &head, &file);
	if (rc) {
		report_compare_doc_release(&c.base);
		cli_shard_free(v, c.nfiles);
		advise_compare_head_release(&head);
		return rc;
	}
	memset(ss, 0, sizeof(ss));
	rc = cli_load_scenario(ctx, file, &s);
	if (!rc)
		rc = cli_gate_resolve("compare", &c.gates, &s);
	if (!rc && c.today)
		rc = load_today(ctx, &s, c.today, &today);
	by_strategy = c.by == BY_STRATEGY ||
		      (c.by == BY_DEFAULT && (s.nstrategies || c.nstrategies));
	if (!rc && !s.nstrategies && !c.nstrategies) /* none sets one */
		cli_gate_warn_budget(ctx, &c.gates, &s);
	if (!rc && by_strategy && !s.nstrategies && !c.nstrategies)
		rc = cli_usage_error("compare", "'--by strategy': the "
				     "scenario names no strategies "
				     "('strategies:'), and no --strategy is "
				     "given");
	if (!rc && !by_strategy && (c.shard || c.emit))
		rc = cli_usage_error("compare", "--shard and --emit split a "
				     "comparison of strategies, not of venue "
				     "families");
	if (!rc && c.emit) {
		rc = emit_array(ctx, &c, file);
		goto out;
	}
	if (!rc && by_strategy) {
		rc = compare_strategies(ctx, &c, file, &s, ss, &list, &r, v,
					c.nfiles);
		if (rc)
			advise_compare_release(&r);
	} else if (!rc && advise_compare(&s, &c.o, &r, &err)) {
		cli_error("%s", err.msg);
		rc = cli_exit_code(err.code);
		advise_compare_release(&r);
	}
	if (!rc) {
		r.today = c.today ? &today : NULL;
		rc = c.shard ? write_shard(ctx, &c, file, &r)
			     : report(ctx, &c, &s, &r);
		advise_compare_release(&r);
	}
out:
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(ss); i++)
		model_scenario_release(&ss[i]);
	advise_strategies_release(&list);
	model_scenario_release(&s);
	report_compare_doc_release(&c.base);
	cli_shard_free(v, c.nfiles);
	advise_compare_head_release(&head);
	return rc;
}
