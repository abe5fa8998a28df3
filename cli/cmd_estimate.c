/* gpuplan estimate SCENARIO: fit, time, energy and latency of every
 * workload on every accelerator (DESIGN §6, docs/perf-model.md). */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../emit/emit.h"
#include "cli.h"

#define GB 1e9

struct estimate_opts {
	const char *workload, *accel;
	enum cli_format format;
};

static const char *const period_words[3] = {"day", "week", "month"};

/* A time in milliseconds as "47.5 ms", or in the unit that reads best
 * from a second up ("26.7 s", not "26738.1 ms"). */

static void kind_detail(const struct model_workload *w,
			const struct model_option *o, char *buf, size_t n)
{
	char ttft[32], ttft99[32], tpot[32], num[32], num2[32];
	bool p99 = w->kind == MODEL_INFERENCE &&
		   w->inference.prompt_p99 > w->inference.prompt_tokens;

	if (!o->fits) {
		snprintf(buf, n, "%s", o->note);
		return;
	}
	switch (w->kind) {
	case MODEL_FINETUNE:
		snprintf(buf, n, "%s tokens/s; %.120s",
			 report_fmt_num(num, sizeof(num), o->tokens_per_second,
					4),
			 o->note);
		break;
	case MODEL_INFERENCE:
		if (w->inference.output_tokens)
			snprintf(buf, n, "TP%d x %d, %d seq: ttft %s%s%s%s, "
				 "tpot %s, %s req/s, %s tok/s per device%s%s",
				 o->tp, o->replicas, o->batch,
				 util_fmt_ms(ttft, sizeof(ttft), o->ttft_ms),
				 p99 ? " (p99 prompt: " : "",
				 p99 ? util_fmt_ms(ttft99, sizeof(ttft99),
					       o->ttft99_ms)
				     : "",
				 p99 ? ")" : "",
				 util_fmt_ms(tpot, sizeof(tpot), o->tpot_ms),
				 report_fmt_num(num, sizeof(num),
						o->rps_per_device, 4),
				 report_fmt_num(num2, sizeof(num2),
						o->decode_tokens_per_second, 4),
				 w->inference.precision == PRICING_FP8 &&
						 !(o->accel->tflops[PRICING_FP8] > 0)
					 ? "; fp8 as W8A16 (no FP8 units)"
					 : "",
				 w->inference.arch.derived
					 ? "; shape derived from params"
					 : "");
		else
			snprintf(buf, n, "%.2f ms (%.1f ms remote), %s "
				 "req/s per device", o->latency_ms,
				 o->remote_latency_ms,
				 report_fmt_num(num, sizeof(num),
						o->rps_per_device, 4));
		/* the devices the rate needs, or why an option falls short */
		if (!w->inference.output_tokens || !o->meets_latency ||
		    !o->meets_latency_remote) {
			size_t len = strlen(buf);

			snprintf(buf + len, n - len, "; %.100s", o->note);
		}
		break;
	default:
		snprintf(buf, n, "%s", o->note);
	}
}

static void table_workload(const struct model_workload_estimate *we,
			   const char *period, struct util_buf *out)
{
	char dh[32], kwh[32];
	const char *head[] = {"accelerator", "devices", "fits", "memory_gb",
			      "hours", dh, kwh, "limit", "detail"};
	static const bool right[] = {0, 1, 0, 1, 1, 1, 1, 0, 0};
	struct cli_table t;

	snprintf(dh, sizeof(dh), "device_h/%s", period);
	snprintf(kwh, sizeof(kwh), "kWh/%s", period);
	util_buf_printf(out, "%s (%s)\n", we->w->name,
			model_kind_names[we->w->kind]);
	cli_table_init(&t, 9, head, right);
	for (size_t i = 0; i < we->nopts; i++) {
		const struct model_option *o = &we->opts[i];
		char v[6][48], detail[320];

		snprintf(v[0], 48, "%d", o->devices);
		/* no need computed (research given in device-hours, a
		 * layout that cannot be): '-', not 0.0 GB */
		if (o->mem.total > 0)
			snprintf(v[1], 48, "%.1f/%.3g", o->mem.total / GB,
				 o->memory_available / GB);
		else
			snprintf(v[1], 48, "-/%.3g",
				 o->memory_available / GB);
		report_fmt_num(v[2], 48, o->hours, 3);
		report_fmt_num(v[3], 48, o->device_hours, 4);
		report_fmt_num(v[4], 48, o->energy_kwh, 4);
		kind_detail(we->w, o, detail, sizeof(detail));
		cli_table_row(&t, (const char *const[]){
					  o->accel->name, v[0],
					  o->fits ? "yes" : "no", v[1],
					  o->fits ? v[2] : "-",
					  o->fits ? v[3] : "-",
					  o->fits ? v[4] : "-",
					  model_limit_names[o->limit], detail});
	}
	cli_table_render(&t, CLI_TABLE, out);
	cli_table_release(&t);
	if (we->nofit)
		util_buf_printf(out, "note: %s\n", we->nofit);
	util_buf_puts(out, "\n");
}

/* json_object_set_new steals the reference to the value. A value that
 * is not finite (the model guards against it) is written as null rather
 * than dropped. */
static void num(json_t *o, const char *k, double v)
{
	json_object_set_new(o, k, isfinite(v) ? emit_json_real(v) : json_null());
}

static json_t *memory_json(const struct model_memory *m)
{
	json_t *o = json_object();

	num(o, "weights_gb", m->weights / GB);
	num(o, "gradients_gb", m->gradients / GB);
	num(o, "optimizer_gb", m->optimizer / GB);
	num(o, "activations_gb", m->activations / GB);
	num(o, "kv_cache_gb", m->kv_cache / GB);
	num(o, "overhead_gb", m->overhead / GB);
	return o;
}

static json_t *option_json(const struct model_workload *w,
			   const struct model_option *o)
{
	json_t *j = json_object();

	json_object_set_new(j, "accelerator", json_string(o->accel->name));
	json_object_set_new(j, "devices", json_integer(o->devices));
	json_object_set_new(j, "fits", json_boolean(o->fits));
	num(j, "memory_gb_needed", o->mem.total / GB);
	num(j, "memory_gb_available", o->memory_available / GB);
	json_object_set_new(j, "memory", memory_json(&o->mem));
	num(j, "hours", o->hours);
	num(j, "device_hours", o->device_hours);
	num(j, "energy_kwh", o->energy_kwh);
	json_object_set_new(j, "limit",
			    json_string(model_limit_names[o->limit]));
	json_object_set_new(j, "note", json_string(o->note));
	if (w->kind == MODEL_FINETUNE)
		num(j, "tokens_per_second", o->tokens_per_second);
	if (w->kind == MODEL_TEACHING) {
		num(j, "students_per_device", o->students_per_device);
		json_object_set_new(j, "slice", json_string(o->slice));
	}
	if (w->kind == MODEL_INFERENCE) {
		num(j, "latency_ms", o->latency_ms);
		num(j, "remote_latency_ms", o->remote_latency_ms);
		num(j, "requests_per_second_per_device", o->rps_per_device);
		json_object_set_new(j, "meets_latency_target",
				    json_boolean(o->meets_latency));
		json_object_set_new(j, "meets_latency_target_remote",
				    json_boolean(o->meets_latency_remote));
		if (w->inference.output_tokens) {
			num(j, "ttft_ms", o->ttft_ms);
			num(j, "ttft_ms_p99_prompt", o->ttft99_ms);
			num(j, "latency_ms_p99_lengths", o->latency99_ms);
			num(j, "tpot_ms", o->tpot_ms);
			num(j, "decode_tokens_per_second",
			    o->decode_tokens_per_second);
			/* counts, as "devices" */
			json_object_set_new(j, "tp", json_integer(o->tp));
			json_object_set_new(j, "replicas",
					    json_integer(o->replicas));
			json_object_set_new(j, "sequences",
					    json_integer(o->batch));
		}
	}
	return j;
}

static json_t *estimate_json(const struct model_scenario *s,
			     const struct model_estimate *e)
{
	json_t *root = json_object(), *wls = json_array(), *k = json_object();

	for (size_t i = 0; i < e->nwl; i++) {
		const struct model_workload_estimate *we = &e->wl[i];
		json_t *wj = json_object(), *opts = json_array();

		json_object_set_new(wj, "name", json_string(we->w->name));
		json_object_set_new(wj, "kind",
				    json_string(model_kind_names[we->w->kind]));
		for (size_t j = 0; j < we->nopts; j++)
			json_array_append_new(opts,
					      option_json(we->w, &we->opts[j]));
		json_object_set_new(wj, "options", opts);
		if (we->nofit)
			json_object_set_new(wj, "nofit",
					    json_string(we->nofit));
		json_array_append_new(wls, wj);
	}
	for (int c = 0; c < MODEL_NCONSTS; c++)
		num(k, model_consts[c].name, s->perf[c]);
	json_object_set_new(root, "scenario", json_string(s->name));
	json_object_set_new(root, "period",
			    json_string(period_words[s->period]));
	json_object_set_new(root, "constants", k);
	json_object_set_new(root, "workloads", wls);
	return root;
}

static int parse_opts(int argc, char **argv, struct estimate_opts *opt)
{
	static const struct option longopts[] = {
		{"workload", required_argument, NULL, 'w'},
		{"accelerator", required_argument, NULL, 'a'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0}};
	int ch;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (ch == 'w')
			opt->workload = optarg;
		else if (ch == 'a')
			opt->accel = optarg;
		else if (ch == 'f') {
			if (cli_parse_format("estimate", optarg,
					     (1u << CLI_TABLE) |
						     (1u << CLI_JSON),
					     &opt->format))
				return CLI_EXIT_USAGE;
		} else if (ch == ':')
			return cli_usage_error("estimate", "option '%s' needs "
					       "a value", argv[optind - 1]);
		else
			return cli_usage_error("estimate", "unknown option "
					       "'%s'", argv[optind - 1]);
	}
	if (optind != argc - 1)
		return cli_usage_error("estimate", "give one scenario file");
	return 0;
}

static int render(const struct model_scenario *s,
		  const struct model_estimate *e, enum cli_format format)
{
	struct util_buf b;
	int rc;

	if (format == CLI_JSON)
		return cli_emit_json(estimate_json(s, e));
	util_buf_init(&b);
	util_buf_printf(&b, "Scenario '%s': per %s; memory is needed/"
			"available per device\n\n",
			s->name, period_words[s->period]);
	for (size_t i = 0; i < e->nwl; i++)
		table_workload(&e->wl[i], period_words[s->period], &b);
	rc = cli_write_stdout(&b);
	util_buf_release(&b);
	return rc;
}

int cmd_estimate(int argc, char **argv, struct cli_ctx *ctx)
{
	struct estimate_opts opt = {.format = CLI_TABLE};
	struct model_scenario s;
	struct model_estimate e;
	struct util_err err;
	const char *accel = NULL;
	int rc = parse_opts(argc, argv, &opt);

	if (rc)
		return rc;
	rc = cli_load_scenario(ctx, argv[optind], &s);
	if (!rc && opt.accel)
		rc = cli_resolve_accel("estimate", &s.catalog, opt.accel,
				       &accel);
	if (!rc && model_estimate(&s, opt.workload, accel, &e, &err)) {
		cli_error("%s", err.msg);
		rc = CLI_EXIT_USAGE;
	} else if (!rc) {
		rc = render(&s, &e, opt.format);
		model_estimate_release(&e);
	}
	model_scenario_release(&s);
	return rc;
}
