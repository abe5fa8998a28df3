/* gpuplan chargeback SCENARIO: the hourly rate per accelerator that
 * recovers the on-prem pool's full cost at the plan's use, and what each
 * entity pays month by month under it (docs/chargeback.md). The analysis
 * is advise_chargeback; this file knows options and formats. */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../advise/advise.h"
#include "../emit/emit.h"
#include "cli.h"

#define MONTHS_PER_BLOCK 6 /* showback columns per text table: 80 wide */

struct cb_cli {
	struct advise_chargeback_opts opt;
	struct advise_loop_opts lo; /* --seed, --replications, --jobs */
	enum cli_format format;
};

static int parse_opts(int argc, char **argv, struct cb_cli *o)
{
	static const struct option longopts[] = {
		{"rule", required_argument, NULL, 'r'},
		{"margin", required_argument, NULL, 'm'},
		{"format", required_argument, NULL, 'f'},
		{"utilisation", required_argument, NULL, 'u'},
		{"seed", required_argument, NULL, 's'},
		{"replications", required_argument, NULL, 'R'},
		{"jobs", required_argument, NULL, 'j'},
		{NULL, 0, NULL, 0}};
	struct util_err err;
	int ch;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			if (!strcmp(optarg, advise_rule_names[0]))
				o->opt.rule = ADVISE_RULE_DEVICE_HOURS;
			else if (!strcmp(optarg, advise_rule_names[1]))
				o->opt.rule = ADVISE_RULE_REFERENCE_SPEED;
			else
				return cli_usage_error("chargeback", "'--rule' "
						       "is 'device-hours' or "
						       "'reference-speed', got "
						       "'%s'", optarg);
			break;
		case 'm':
			if (model_units_parse(optarg, MODEL_DIM_FRACTION, 0,
					      &o->opt.margin, &err) ||
			    o->opt.margin > 10)
				return cli_usage_error("chargeback", "'--margin' "
						       "is a percentage from 0 "
						       "to 1000%% (5%%), got "
						       "'%s'", optarg);
			break;
		case 's':
		case 'j':
			if (cli_loop_option("chargeback", ch, optarg, &o->lo))
				return CLI_EXIT_USAGE;
			break;
		case 'R': /* cli_loop_option's 'R' is --rounds */
			if (cli_loop_option("chargeback", 'r', optarg, &o->lo))
				return CLI_EXIT_USAGE;
			break;
		case 'u':
			if (strcmp(optarg, "plan") &&
			    strcmp(optarg, "simulated"))
				return cli_usage_error("chargeback", "'--utilisa"
						       "tion' is 'plan' or "
						       "'simulated', got '%s'",
						       optarg);
			o->opt.simulated = !strcmp(optarg, "simulated");
			break;
		case 'f':
			if (cli_parse_format("chargeback", optarg,
					     (1u << CLI_TABLE) | (1u << CLI_JSON) |
						     (1u << CLI_CSV) |
						     (1u << CLI_MARKDOWN),
					     &o->format))
				return CLI_EXIT_USAGE;
			break;
		case ':':
			return cli_usage_error("chargeback", "option '%s' needs "
					       "a value", argv[optind - 1]);
		default:
			return cli_usage_error("chargeback", "unknown option "
					       "'%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("chargeback", "give one scenario file");
	return 0;
}

/* Money to the cent with thousands separators: "655,322.77" (the
 * rates recover the cost to the cent; CSV keeps plain numbers). */
static char *money(char *buf, size_t n, double v)
{
	long long cents;
	char whole[32];

	if (!isfinite(v) || fabs(v) >= 1e15) { /* past cents in a long long */
		snprintf(buf, n, isfinite(v) ? "%.4g" : "-", v);
		return buf;
	}
	cents = llround(fabs(v) * 100);
	util_fmt_grouped(whole, sizeof(whole), (double)(cents / 100));
	snprintf(buf, n, "%s%.31s.%02lld", v < 0 && cents ? "-" : "", whole,
		 cents % 100);
	return buf;
}

static void rate_text(char *buf, size_t n, double v)
{
	if (isfinite(v))
		snprintf(buf, n, "%.4f", v);
	else
		snprintf(buf, n, "-");
}

/* The pools' costs; a storage column when the scenario prices the
 * on-prem storage (venues.onprem.storage_cost). */
static void costs_table(const struct model_scenario *s,
			const struct advise_chargeback *cb, enum cli_format f,
			struct util_buf *out)
{
	/* hosting and storage only when the scenario prices them */
	const char *head[9] = {"pool", "devices", "capex", "maintenance",
			       "energy"};
	static const bool right[] = {0, 1, 1, 1, 1, 1, 1, 1, 1};
	bool st = cb->storage > 0, host = false;
	size_t nc = 5;
	struct cli_table t;

	for (size_t i = 0; i < cb->nrates; i++)
		host |= cb->rates[i].hosting > 0;
	if (host)
		head[nc++] = "hosting";
	head[nc++] = "fixed";
	if (st)
		head[nc++] = "storage";
	head[nc++] = "total";
	cli_table_init(&t, nc, head, right);
	for (size_t i = 0; i < cb->nrates; i++) {
		const struct advise_rate *r = &cb->rates[i];
		char v[9][32];
		const char *row[9] = {r->accel, v[0], v[1], v[2], v[3]};
		size_t k = 5;

		snprintf(v[0], 32, "%ld", r->devices);
		money(v[1], 32, r->capex);
		money(v[2], 32, r->maintenance);
		money(v[3], 32, r->running);
		if (host)
			row[k++] = money(v[4], 32, r->hosting);
		row[k++] = money(v[5], 32, r->fixed);
		if (st)
			row[k++] = money(v[6], 32, r->storage);
		row[k++] = money(v[7], 32, r->cost);
		cli_table_row(&t, row);
	}
	util_buf_printf(out, "%spool costs, %s (fixed: staff and overhead, "
			"shared by capex%s)\n",
			f == CLI_MARKDOWN ? "### " : "", s->currency,
			st ? ", as is storage" : "");
	if (st)
		util_buf_printf(out, "storage: %.1f TB-months at %.2f per "
				"TB-month (venues.onprem.storage_cost)\n",
				cb->storage_byte_s / (1e12 * MODEL_MONTH),
				s->venues.storage_cost * 1e12 * MODEL_MONTH);
	util_buf_puts(out, "\n");
	cli_table_render(&t, f, out);
	cli_table_release(&t);
}

/* Rates at the plan's use and, when there is one, the simulation's. */
static void rates_table(const struct advise_chargeback *cb,
			enum cli_format f, struct util_buf *out)
{
	static const char *const head[] = {"pool", "hours", "available",
					   "used", "sim_used", "speed",
					   "rate", "sim_rate", "at_60%"};
	static const bool right[] = {0, 1, 1, 1, 1, 1, 1, 1, 1};
	struct cli_table t;

	cli_table_init(&t, 9, head, right);
	for (size_t i = 0; i < cb->nrates; i++) {
		const struct advise_rate *r = &cb->rates[i];
		char v[8][32];

		report_fmt_num(v[0], 32, r->used, 4);
		report_fmt_num(v[1], 32, r->avail, 4);
		snprintf(v[2], 32, "%.1f%%", r->utilisation * 100);
		snprintf(v[3], 32, "%.1f%%", r->sim_utilisation * 100);
		snprintf(v[4], 32, "%.3f%s", r->speed,
			 r->speed_known ? "" : "?");
		rate_text(v[5], 32, r->rate);
		rate_text(v[6], 32, r->sim_rate);
		rate_text(v[7], 32, r->rate_reasonable);
		cli_table_row(&t, (const char *const[]){
					  r->accel, v[0], v[1], v[2],
					  cb->has_sim ? v[3] : NULL, v[4],
					  v[5], cb->has_sim ? v[6] : NULL,
					  v[7]});
	}
	util_buf_printf(out, "\n%srates per device-hour (rule %s, margin "
			"%g%%)\n\n",
			f == CLI_MARKDOWN ? "### " : "",
			advise_rule_names[cb->rule], cb->margin * 100);
	cli_table_render(&t, f, out);
	cli_table_release(&t);
}

/* The warnings of an idle pool, one each, lead before each and brk
 * where a text line breaks. */
static void idle_lines(const struct model_scenario *s,
		       const struct advise_chargeback *cb, const char *lead,
		       const char *brk, struct util_buf *out)
{
	for (size_t i = 0; i < cb->nrates; i++) {
		const struct advise_rate *r = &cb->rates[i];

		if (!r->absurd)
			continue;
		util_buf_printf(out, "%s%s pool used %.1f%% of the time:%s",
				lead, r->accel, r->utilisation * 100, brk);
		if (cb->rule == ADVISE_RULE_REFERENCE_SPEED) {
			/* its rate is its speed's share of one price: its
			 * idle hours weigh on every pool's rate, not on its
			 * own alone, so that rate is not absurd */
			util_buf_printf(out, "its idle hours raise every "
					"pool's rate (rule reference-speed); "
					"with every pool at %.0f%% use, its "
					"rate would be %.4f\n",
					ADVISE_REASONABLE_USE * 100,
					r->rate_reasonable);
			continue;
		}
		if (isfinite(r->rate))
			util_buf_printf(out, "its rate of %.4f %s an hour is "
					"absurd; ", r->rate, s->currency);
		else
			util_buf_puts(out, "no use to bill its cost to; ");
		util_buf_printf(out, "at %.0f%% use it would be %.4f\n",
				ADVISE_REASONABLE_USE * 100,
				r->rate_reasonable);
	}
}

/* Owned hardware: age, end of life, value at the horizon's end. */
static void owned_lines(const struct model_scenario *s, const char *lead,
			struct util_buf *out)
{
	for (size_t i = 0; i < s->venues.nowned; i++) {
		struct model_owned_cost c;

		char m1[48], m2[48], m3[48];

		model_owned_cost(s, i, &c);
		/* the price is a device's, the value all of them: say so
		 * (a manager read 20,000 as one A100's worth, issue 26) */
		util_buf_printf(out, "%sowned %ld x %s: price %s each%s, %.1f "
				"years old, life %.1f years\n  ", lead,
				(long)s->venues.owned[i].amount,
				s->venues.owned[i].accel,
				money(m1, sizeof(m1), c.price),
				c.price_given ? ""
				: c.unpriced  ? " (no price, no on-prem offer)"
					      : " (catalog capex)",
				c.age / MODEL_YEAR, c.life / MODEL_YEAR);
		if (c.end_of_life <= 0)
			util_buf_puts(out, "ended before the horizon (retired: "
				      "the plan does not use them)");
		else if (c.end_of_life < s->horizon)
			util_buf_printf(out, "ends in month %.0f (retired "
					"then: the plan stops using them)",
					floor(c.end_of_life / MODEL_MONTH) + 1);
		else /* "life 5.0 years / ends after month 12" read as
		      * the life ending at the horizon */
			util_buf_printf(out, "in service past the horizon "
					"(%.1f years of life left at its "
					"start)", c.end_of_life / MODEL_YEAR);
		util_buf_printf(out, "; value at the horizon's end %s (%s "
				"each)\n",
				money(m2, sizeof(m2), c.residual_end),
				money(m3, sizeof(m3),
				      s->venues.owned[i].amount > 0
					      ? c.residual_end /
							s->venues.owned[i].amount
					      : 0));
	}
}

static const char *group_word(const struct advise_chargeback *cb)
{
	return cb->by_entity ? "entity" : "workload";
}

/* Months [m0, m1) of the showback as one table. */
static void showback_block(const struct advise_chargeback *cb, size_t m0,
			   size_t m1, enum cli_format f, struct util_buf *out)
{
	const char *head[MONTHS_PER_BLOCK + 1];
	static const bool right[] = {0, 1, 1, 1, 1, 1, 1};
	char names[MONTHS_PER_BLOCK][32], v[MONTHS_PER_BLOCK][32];
	struct cli_table t;

	head[0] = group_word(cb);
	for (size_t m = m0; m < m1; m++) {
		snprintf(names[m - m0], 32, "month %zu", m + 1);
		head[m - m0 + 1] = names[m - m0];
	}
	cli_table_init(&t, m1 - m0 + 1, head, right);
	for (size_t g = 0; g < cb->ngroups; g++) {
		const char *row[MONTHS_PER_BLOCK + 1] = {cb->groups[g]};

		for (size_t m = m0; m < m1; m++) {
			money(v[m - m0], 32, cb->charge[g * cb->nmonths + m]);
			row[m - m0 + 1] = v[m - m0];
		}
		cli_table_row(&t, row);
	}
	cli_table_render(&t, f, out);
	cli_table_release(&t);
}

/* Per group over the horizon: device-hours of each pool and the
 * charge. */
static void showback_totals(const struct advise_chargeback *cb,
			    enum cli_format f, struct util_buf *out)
{
	size_t nr = cb->nrates, nc = nr + 2;
	const char **head = util_xcalloc(nc, sizeof(*head));
	bool *right = util_xcalloc(nc, sizeof(*right));
	char (*names)[40] = util_xcalloc(nr + 1, sizeof(*names));
	char (*v)[32] = util_xcalloc(nc, sizeof(*v));
	const char **row = util_xcalloc(nc, sizeof(*row));
	struct cli_table t;

	head[0] = group_word(cb);
	for (size_t r = 0; r < nr; r++) {
		snprintf(names[r], 40, "%s_hours", cb->rates[r].accel);
		head[r + 1] = names[r];
	}
	head[nc - 1] = "charge";
	for (size_t c = 1; c < nc; c++)
		right[c] = true;
	cli_table_init(&t, nc, head, right);
	for (size_t g = 0; g < cb->ngroups; g++) {
		double total = 0;

		row[0] = cb->groups[g];
		for (size_t r = 0; r < nr; r++) {
			double dh = 0;

			for (size_t m = 0; m < cb->nmonths; m++)
				dh += cb->dh[(g * cb->nmonths + m) * nr + r];
			snprintf(v[r + 1], 32, "%.1f", dh);
			row[r + 1] = v[r + 1];
		}
		for (size_t m = 0; m < cb->nmonths; m++)
			total += cb->charge[g * cb->nmonths + m];
		money(v[nc - 1], 32, total);
		row[nc - 1] = v[nc - 1];
		cli_table_row(&t, row);
	}
	cli_table_render(&t, f, out);
	cli_table_release(&t);
	free(row);
	free(v);
	free(names);
	free(right);
	free(head);
}

static void showback(const struct model_scenario *s,
		     const struct advise_chargeback *cb, enum cli_format f,
		     struct util_buf *out)
{
	util_buf_printf(out, "\n%sshowback per %s and month, %s, at the %s "
			"rates\n", f == CLI_MARKDOWN ? "### " : "",
			group_word(cb), s->currency,
			cb->simulated ? "simulation's" : "plan's");
	for (size_t m0 = 0; m0 < cb->nmonths; m0 += MONTHS_PER_BLOCK) {
		util_buf_puts(out, "\n");
		showback_block(cb, m0,
			       m0 + MONTHS_PER_BLOCK < cb->nmonths
				       ? m0 + MONTHS_PER_BLOCK
				       : cb->nmonths,
			       f, out);
	}
	util_buf_printf(out, "\n%sover the horizon\n\n",
			f == CLI_MARKDOWN ? "### " : "");
	showback_totals(cb, f, out);
}

/* Text from the scenario as inert markdown: punctuation that markdown or
 * HTML would read is backslash-escaped, line breaks become spaces. */
static void md_text(struct util_buf *out, const char *t)
{
	for (; *t; t++) {
		if (*t == '\n' || *t == '\r')
			util_buf_puts(out, " ");
		else if (strchr("\\`*_{}[]<>()#+-.!|~&", *t))
			util_buf_printf(out, "\\%c", *t);
		else
			util_buf_add(out, t, 1);
	}
}

static void report(const struct model_scenario *s,
		   const struct model_plan *p, const struct sim_result *sim,
		   const struct advise_chargeback *cb, enum cli_format f,
		   struct util_buf *out)
{
	char m1[48], m2[48];

	if (f == CLI_MARKDOWN)
		util_buf_puts(out, "## Chargeback\n\n");
	util_buf_puts(out, "Chargeback for '");
	if (f == CLI_MARKDOWN)
		md_text(out, s->name);
	else
		util_buf_puts(out, s->name);
	util_buf_printf(out, "' over %zu months: the pools cost %s %s, the "
			"%srates recover %s (margin %g%%)%s\n\n",
			cb->nmonths, money(m1, sizeof(m1), cb->total_cost),
			s->currency, cb->simulated ? "simulation's " : "",
			money(m2, sizeof(m2), cb->recovered),
			cb->margin * 100,
			cb->simulated ? " of the plan's hours" : "");
	costs_table(s, cb, f, out);
	rates_table(cb, f, out);
	if (cb->has_sim)
		util_buf_printf(out, "\nsim_used: busy device-hours of the "
				"simulation (seed %llu, %d replications) over\n"
				"those the pool had; sim_rate recovers the cost "
				"over them\n",
				(unsigned long long)sim->seed,
				sim->replications);
	if (cb->rule == ADVISE_RULE_REFERENCE_SPEED)
		util_buf_printf(out, "\none reference hour (an H100 on LLM "
				"training, docs/perf-model.md) costs %.4f%s",
				cb->ref_rate, cb->has_sim ? "" : "\n");
	if (cb->rule == ADVISE_RULE_REFERENCE_SPEED && cb->has_sim)
		util_buf_printf(out, ", %.4f at the simulation's use\n",
				cb->sim_ref_rate);
	util_buf_puts(out, "\n");
	idle_lines(s, cb, f == CLI_MARKDOWN ? "- warning: " : "warning: ",
		   "\n  ", out);
	owned_lines(s, f == CLI_MARKDOWN ? "- " : "", out);
	showback(s, cb, f, out);
	util_buf_puts(out, "\n");
	emit_prices_line(&s->catalog, emit_oldest_as_of(p, NULL),
			 f == CLI_MARKDOWN, out);
}

/* One CSV row per group, month and pool with device-hours: the rate in
 * every row and the use it is set at (plan or simulated), so that the
 * file alone explains each charge. */
static void csv(const struct advise_chargeback *cb, struct util_buf *out)
{
	const char *head[] = {group_word(cb), "month", "accelerator",
			      "device_hours", "rate_per_hour", "charge",
			      "utilisation"};
	static const bool right[] = {0, 1, 0, 1, 1, 1, 0};
	const char *basis = cb->simulated ? "simulated" : "plan";
	struct cli_table t;
	size_t nr = cb->nrates;

	cli_table_init(&t, 7, head, right);
	for (size_t g = 0; g < cb->ngroups; g++)
		for (size_t m = 0; m < cb->nmonths; m++)
			for (size_t r = 0; r < nr; r++) {
				double dh = cb->dh[(g * cb->nmonths + m) * nr +
						   r];
				char v[4][32];

				double rate = cb->rates[r].bill_rate;

				if (dh <= 0 || !isfinite(rate))
					continue;
				snprintf(v[0], 32, "%zu", m + 1);
				snprintf(v[1], 32, "%.3f", dh);
				snprintf(v[2], 32, "%.6f", rate);
				snprintf(v[3], 32, "%.2f", dh * rate);
				cli_table_row(&t, (const char *const[]){
							  cb->groups[g], v[0],
							  cb->rates[r].accel,
							  v[1], v[2], v[3],
							  basis});
			}
	cli_table_render(&t, CLI_CSV, out);
	cli_table_release(&t);
}

static json_t *real_or_null(double v)
{
	return isfinite(v) ? emit_json_real(v) : json_null();
}

static json_t *pools_json(const struct advise_chargeback *cb)
{
	json_t *a = json_array();

	for (size_t i = 0; i < cb->nrates; i++) {
		const struct advise_rate *r = &cb->rates[i];

		json_array_append_new(
			a, json_pack("{s:s, s:I, s:f, s:f, s:f, s:f, s:f, s:f, "
				     "s:f, s:f, s:f, s:o, s:o, s:b}",
				     "accelerator", r->accel, "devices",
				     (json_int_t)r->devices, "capex", r->capex,
				     "maintenance", r->maintenance, "energy",
				     r->running, "fixed", r->fixed, "cost",
				     r->cost, "device_hours", r->used,
				     "available_hours", r->avail,
				     "utilisation", r->utilisation, "speed",
				     r->speed, "rate_per_hour",
				     real_or_null(r->rate), "rate_at_60",
				     real_or_null(r->rate_reasonable), "idle",
				     r->absurd));
	}
	for (size_t i = 0; i < cb->nrates; i++) {
		const struct advise_rate *r = &cb->rates[i];
		json_t *p = json_array_get(a, i);

		json_object_set_new(p, "storage", emit_json_real(r->storage));
		json_object_set_new(p, "hosting", emit_json_real(r->hosting));
		if (!cb->has_sim)
			continue;
		json_object_set_new(p, "sim_device_hours",
				    emit_json_real(r->sim_used));
		json_object_set_new(p, "sim_utilisation",
				    emit_json_real(r->sim_utilisation));
		json_object_set_new(p, "sim_rate_per_hour",
				    real_or_null(r->sim_rate));
	}
	return a;
}

static json_t *showback_json(const struct advise_chargeback *cb)
{
	json_t *a = json_array();
	size_t nr = cb->nrates;

	for (size_t g = 0; g < cb->ngroups; g++) {
		json_t *months = json_array();

		for (size_t m = 0; m < cb->nmonths; m++) {
			json_t *dh = json_object();

			for (size_t r = 0; r < nr; r++)
				json_object_set_new(
					dh, cb->rates[r].accel,
					emit_json_real(
						cb->dh[(g * cb->nmonths + m) *
							       nr +
						       r]));
			json_array_append_new(
				months,
				json_pack("{s:I, s:o, s:f}", "month",
					  (json_int_t)(m + 1), "device_hours",
					  dh, "charge",
					  cb->charge[g * cb->nmonths + m]));
		}
		json_array_append_new(a, json_pack("{s:s, s:o}", "name",
						   cb->groups[g], "months",
						   months));
	}
	return a;
}

static json_t *cb_json(const struct model_scenario *s,
		       const struct sim_result *sim,
		       const struct advise_chargeback *cb)
{
	struct util_buf w;
	json_t *root, *warnings = json_array();
	char *line, *next;

	util_buf_init(&w);
	idle_lines(s, cb, "", " ", &w);
	for (line = w.s; line && *line; line = next) {
		next = strchr(line, '\n');
		*next++ = '\0';
		json_array_append_new(warnings, json_string(line));
	}
	root = json_pack("{s:s, s:s, s:s, s:f, s:I, s:o, s:s, s:o, s:f, s:f, "
			 "s:o, s:o}",
			 "scenario", s->name, "currency", s->currency, "rule",
			 advise_rule_names[cb->rule], "margin", cb->margin,
			 "months", (json_int_t)cb->nmonths, "pools",
			 pools_json(cb), "group_by",
			 cb->by_entity ? "entity" : "workload", "showback",
			 showback_json(cb), "total_cost", cb->total_cost,
			 "recovered", cb->recovered, "warnings", warnings,
			 "prices",
			 emit_prices_json(&s->catalog));
	if (cb->rule == ADVISE_RULE_REFERENCE_SPEED)
		json_object_set_new(root, "reference_rate",
				    real_or_null(cb->ref_rate));
	json_object_set_new(root, "storage_cost", emit_json_real(cb->storage));
	json_object_set_new(root, "utilisation",
			    json_string(cb->simulated ? "simulated" : "plan"));
	if (sim)
		json_object_set_new(root, "simulation",
				    json_pack("{s:I, s:i}", "seed",
					      (json_int_t)sim->seed,
					      "replications",
					      sim->replications));
	if (cb->rule == ADVISE_RULE_REFERENCE_SPEED && cb->has_sim)
		json_object_set_new(root, "sim_reference_rate",
				    real_or_null(cb->sim_ref_rate));
	json_object_set_new(root, "storage_tb_months",
			    emit_json_real(cb->storage_byte_s /
					   (1e12 * MODEL_MONTH)));
	util_buf_release(&w);
	return root;
}

static int render(const struct cli_ctx *ctx, const struct cb_cli *o,
		  const struct model_scenario *s, const struct model_plan *p,
		  const struct advise_chargeback *cb)
{
	struct pricing_staleness st = {0};
	struct util_buf b;
	int rc;

	if (o->format == CLI_JSON)
		return cli_emit_json(cb_json(s, o->opt.sim, cb));
	util_buf_init(&b);
	if (o->format == CLI_CSV)
		csv(cb, &b);
	else
		report(s, p, o->opt.sim, cb, o->format, &b);
	rc = o->format == CLI_TABLE ? cli_write_text(&b)
				    : cli_write_stdout(&b);
	util_buf_release(&b);
	if (o->format == CLI_CSV) {
		util_buf_init(&b);
		idle_lines(s, cb, "", " ", &b);
		if (b.len)
			cli_warn(ctx, "%.*s", (int)b.len - 1, b.s);
		util_buf_release(&b);
	}
	emit_plan_prices(p, &st);
	cli_warn_price_age(ctx, &st);
	return rc;
}

int cmd_chargeback(int argc, char **argv, struct cli_ctx *ctx)
{
	struct cb_cli o = {.format = CLI_TABLE};
	struct model_scenario s;
	struct advise_result r = {0};
	struct advise_chargeback cb = {0};
	struct util_err err;
	int rc;

	advise_loop_defaults(&o.lo);
	o.lo.sim.jobs = cli_cpus();
	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc;
	rc = cli_load_scenario(ctx, argv[optind], &s);
	o.lo.plan.verbose = ctx->verbose;
	if (!rc && advise_loop(&s, &o.lo, &r, &err)) {
		cli_error("%s", err.msg);
		rc = cli_exit_code(err.code);
	}
	if (!rc && r.plan.status != MODEL_PLAN_OPTIMAL &&
	    r.plan.status != MODEL_PLAN_FEASIBLE) {
		fprintf(stderr, "gpuplan: no feasible plan: %s",
			r.plan.why ? r.plan.why : "none found\n");
		rc = CLI_EXIT_INFEASIBLE;
	}
	o.opt.sim = r.sim.nwl ? &r.sim : NULL;
	if (!rc && advise_chargeback(&s, &r.plan, &o.opt, &cb, &err)) {
		cli_error("%s", err.msg);
		rc = cli_exit_code(err.code);
	}
	if (!rc)
		rc = render(ctx, &o, &s, &r.plan, &cb);
	advise_chargeback_release(&cb);
	advise_result_release(&r);
	model_scenario_release(&s);
	return rc;
}
