/* The performance model: published throughput (NeMo on DGX H100), memory
 * rules of thumb, scaling and proportionality, teaching slices,
 * inference rooflines. */
#include <math.h>
#include <string.h>

#include "test_model.h"

#define NEMO "tests/data/perf/nemo_24.07_dgx_h100_fp8_pretrain_" \
	     "tokens_per_gpu.csv"

static char *finetune(const char *params, const char *method,
		      const char *precision, long seq, const char *tokens)
{
	return util_xasprintf(
		"scenario: t\nworkloads:\n  - name: f\n    kind: finetune\n"
		"    model: {params: %s, method: %s, precision: %s, "
		"seq_len: %ld}\n    tokens: %s\n    runs: 1/month\n",
		params, method, precision, seq, tokens);
}

/* Nominal sizes from the model names of the NeMo table. */
static double nemo_params(const char *model)
{
	const char *dash = strrchr(model, '-');
	char *end;
	double b;

	assert_non_null(dash);
	b = strtod(dash + 1, &end);
	assert_true(b > 0 && *end == 'B');
	return b * 1e9;
}

/* Predicted tokens/s per GPU on one DGX H100 node (8 GPUs) against
 * NVIDIA's published figures: the MFU constant comes from the Llama 3
 * report, not from this table, so this is a check, not a fit. The band
 * is argued in docs/perf-model.md. */
static void test_nemo(void **state)
{
	char *buf = NULL, *line, *save = NULL;
	struct util_err err;
	size_t len;
	int rows = 0;

	(void)state;
	assert_int_equal(util_read_file(NEMO, 1 << 20, &buf, &len, &err), 0);
	line = strtok_r(buf, "\n", &save); /* header */
	while ((line = strtok_r(NULL, "\n", &save))) {
		char model[32], params[32];
		long gpus, seq;
		double published, ratio;
		struct model_scenario s;
		struct model_estimate e;
		char *text;

		assert_int_equal(sscanf(line, "%31[^,],%ld,%*d,%*d,%ld,%*d,%*d,"
					"%*d,%*d,%lf", model, &gpus, &seq,
					&published), 4);
		snprintf(params, sizeof(params), "%.0f",
			 nemo_params(model));
		text = finetune(params, "full", "fp8", seq, "1B");
		estimate(text, "H100", &s, &e);
		ratio = option(&e, 8)->tokens_per_second / 8 / published;
		print_message("nemo %-14s %4ld GPUs: predicted/published "
			      "%.2f\n", model, gpus, ratio);
		assert_true(ratio >= 0.75 && ratio <= 1.25);
		model_estimate_release(&e);
		model_scenario_release(&s);
		free(text);
		rows++;
	}
	assert_int_equal(rows, 12);
	free(buf);
}

struct fit_case {
	const char *params, *method, *precision, *accel;
	bool fits;
};

static void test_memory_rules(void **state)
{
	static const struct fit_case cases[] = {
		{"70B", "full", "bf16", "H100", false},
		{"8B", "lora", "bf16", "L40S", true},
		{"70B", "qlora", "bf16", "H200", true},
		{"70B", "lora", "bf16", "H200", false},
		{"8B", "lora", "bf16", "Jetson-Orin-Nano", false},
		{"8B", "full", "bf16", "H200", true},
		{"8B", "qlora", "bf16", "L4", true},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct fit_case *c = &cases[i];
		char *text = finetune(c->params, c->method, c->precision, 4096,
				      "10M");
		struct model_scenario s;
		struct model_estimate e;
		const struct model_option *o;

		estimate(text, c->accel, &s, &e);
		o = option(&e, 1);
		if (o->fits != c->fits)
			fail_msg("%s %s on %s: needs %.1f GB of %.0f", c->params,
				 c->method, c->accel, o->mem.total / 1e9,
				 o->memory_available / 1e9);
		model_estimate_release(&e);
		model_scenario_release(&s);
		free(text);
	}
}

/* QLoRA's 4-bit base (and an 8-bit one) is dequantized for 16-bit
 * matrix products (Dettmers et al. 2023, section 3): a run takes as long
 * as in bf16, on a device with int rates (RTX 4090, A100) and on one
 * without (H100). It took half that on an H100 (its int8 rate) and a
 * quarter on an RTX 4090 (its int4 rate). */
static void test_quantized_base_bf16_arith(void **state)
{
	static const char *const accels[] = {"H100", "A100-80GB", "RTX4090"};
	static const char *const precisions[] = {"int4", "int8"};

	(void)state;
	for (size_t i = 0; i < sizeof(accels) / sizeof(*accels); i++) {
		char *ref = finetune("70B", "qlora", "bf16", 2048, "20M");
		struct model_scenario s0;
		struct model_estimate e0;

		estimate(ref, accels[i], &s0, &e0);
		for (size_t j = 0; j < 2; j++) {
			char *text = finetune("70B", "qlora", precisions[j],
					      2048, "20M");
			struct model_scenario s;
			struct model_estimate e;

			estimate(text, accels[i], &s, &e);
			if (fabs(option(&e, 4)->hours /
					 option(&e0, 4)->hours - 1) > 1e-12)
				fail_msg("70B QLoRA %s on 4 %s: %.2f h, in "
					 "bf16 %.2f h", precisions[j],
					 accels[i], option(&e, 4)->hours,
					 option(&e0, 4)->hours);
			model_estimate_release(&e);
			model_scenario_release(&s);
			free(text);
		}
		model_estimate_release(&e0);
		model_scenario_release(&s0);
		free(ref);
	}
}

/* A LoRA's frozen base takes the bytes of its precision: 8B parameters
 * are 16 GB in bf16, 32 in fp32, 8 in int8, 4 in int4 (it was 16 GB
 * whatever the precision: an fp32 LoRA of an 8B model fitted on an L4). */
static void test_lora_base_bytes(void **state)
{
	static const struct {
		const char *precision;
		double gb;
	} cases[] = {{"bf16", 16}, {"fp32", 32}, {"int8", 8}, {"int4", 4}};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *text = finetune("8B", "lora", cases[i].precision, 4096,
				      "10M");
		struct model_scenario s;
		struct model_estimate e;

		estimate(text, "L4", &s, &e);
		assert_near(option(&e, 1)->mem.weights / 1e9, cases[i].gb,
			    1e-9);
		/* fp32 needs more than an L4's 24 GB */
		assert_int_equal(option(&e, 1)->fits, cases[i].gb < 24);
		model_estimate_release(&e);
		model_scenario_release(&s);
		free(text);
	}
}

/* Attention has no weights: freezing the base saves none of its
 * backward pass, so doubling the sequence adds as many hours to a LoRA
 * or QLoRA run as to a full fine-tune (6 L s d a token each; LoRA's
 * attention was charged 4 L s d, two thirds of the full run's). */
static double hours_at(const char *method, long seq)
{
	char *text = finetune("8B", method, "bf16", seq, "10M");
	struct model_scenario s;
	struct model_estimate e;
	double h;

	estimate(text, "H100", &s, &e);
	h = option(&e, 8)->hours;
	model_estimate_release(&e);
	model_scenario_release(&s);
	free(text);
	return h;
}

static void test_attention_not_frozen(void **state)
{
	double full = hours_at("full", 4096) - hours_at("full", 2048);

	(void)state;
	assert_true(full > 0);
	assert_near(hours_at("lora", 4096) - hours_at("lora", 2048), full,
		    1e-9);
	assert_near(hours_at("qlora", 4096) - hours_at("qlora", 2048), full,
		    1e-9);
}

static void test_scaling(void **state)
{
	char *one = finetune("8B", "lora", "bf16", 4096, "50M");
	char *two = finetune("8B", "lora", "bf16", 4096, "100M");
	struct model_scenario s1, s2;
	struct model_estimate e1, e2;

	(void)state;
	estimate(one, "H100", &s1, &e1);
	estimate(two, "H100", &s2, &e2);
	/* more devices never slower; doubling tokens doubles time */
	for (size_t i = 0; i < e1.wl[0].nopts; i++) {
		const struct model_option *o = &e1.wl[0].opts[i];

		if (i)
			assert_true(o->hours < e1.wl[0].opts[i - 1].hours);
		assert_near(e2.wl[0].opts[i].hours, 2 * o->hours, 1e-12);
		assert_near(e2.wl[0].opts[i].energy_kwh, 2 * o->energy_kwh,
			    1e-12);
	}
	/* memory per device falls as states are sharded */
	assert_true(option(&e1, 8)->mem.total < option(&e1, 1)->mem.total);
	model_estimate_release(&e1);
	model_estimate_release(&e2);
	model_scenario_release(&s1);
	model_scenario_release(&s2);
	free(one);
	free(two);
}

static const char lab[] =
	"scenario: t\nperiod: week\nworkloads:\n  - name: c\n"
	"    kind: teaching\n    students: 120\n"
	"    sessions: {per_week: 2, duration: 3h, weeks: 12}\n"
	"    per_student: {gpu_memory: 16GB, compute: 0.25 L40S}\n";

static void test_teaching(void **state)
{
	static const struct {
		const char *accel, *slice;
		double per;
		int devices;
	} cases[] = {
		{"H100", "1g.20gb", 4, 30}, /* MIG: 4 slices of 20 GB */
		{"L40S", "1/2", 2, 60},	    /* time-slicing: memory bound */
		{"L4", "1/1", 1, 120},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct model_scenario s;
		struct model_estimate e;
		const struct model_option *o;

		estimate(lab, cases[i].accel, &s, &e);
		o = &e.wl[0].opts[0];
		assert_true(o->fits);
		assert_string_equal(o->slice, cases[i].slice);
		assert_near(o->students_per_device, cases[i].per, 0);
		assert_int_equal(o->devices, cases[i].devices);
		/* two 3-hour sessions a week, no use in between */
		assert_near(o->device_hours, 2 * 3.0 * o->devices, 1e-9);
		model_estimate_release(&e);
		model_scenario_release(&s);
	}
}

/* Light use for 3 days after each of two sessions a week (Monday and
 * Wednesday, 3 h): 1.875 days until Wednesday's, 3 after it (the next
 * Monday is 4.875 days on): 2.4375 days a session on average, where
 * sessions spread evenly (3.375 days apart) would give 3. */
static void test_teaching_between(void **state)
{
	static const char text[] =
		"scenario: t\nperiod: week\nworkloads:\n  - name: c\n"
		"    kind: teaching\n    students: 120\n"
		"    sessions: {per_week: 2, duration: 3h, weeks: 12}\n"
		"    between_sessions: {days: 3, usage: 10%}\n"
		"    per_student: {gpu_memory: 16GB, compute: 0.25 L40S}\n";
	struct model_scenario s;
	struct model_estimate e;
	const struct model_option *o;

	(void)state;
	estimate(text, "L40S", &s, &e);
	o = &e.wl[0].opts[0];
	assert_int_equal(o->devices, 60);
	assert_near(o->device_hours,
		    2 * (3.0 * 60 + 0.1 * 60 * 2.4375 * 24), 1e-6);
	model_estimate_release(&e);
	model_scenario_release(&s);
}

/* A board too slow for the share a student needs, a card too small. */
static void test_teaching_nofit(void **state)
{
	static const struct {
		const char *accel;
		enum model_limit limit;
	} cases[] = {{"Jetson-AGX-Orin", MODEL_LIMIT_COMPUTE},
		     {"T4", MODEL_LIMIT_MEMORY}};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct model_scenario s;
		struct model_estimate e;

		estimate(lab, cases[i].accel, &s, &e);
		assert_false(e.wl[0].opts[0].fits);
		assert_int_equal(e.wl[0].opts[0].limit, cases[i].limit);
		assert_non_null(e.wl[0].nofit);
		model_estimate_release(&e);
		model_scenario_release(&s);
	}
}

static const char cameras[] =
	"scenario: t\nworkloads:\n  - name: cams\n    kind: inference\n"
	"    model: {compute: 8.7GFLOP, params: 11M, precision: int8}\n"
	"    sites: 40\n    rate: 30/s\n    latency_p99: 50ms\n"
	"    payload: 200KB\n";

static void test_inference(void **state)
{
	struct model_scenario s;
	struct model_estimate e;
	const struct model_option *o;

	(void)state;
	estimate(cameras, "Jetson-Orin-Nano", &s, &e);
	o = &e.wl[0].opts[0];
	/* 8.7 GFLOP at 35% of 33.5 dense INT8 TOPS, plus an edge board's
	 * 0.48 ms */
	assert_near(o->latency_ms, 8.7e9 / (0.35 * 33.5e12) * 1e3 + 0.48,
		    0.02);
	assert_int_equal(o->limit, MODEL_LIMIT_COMPUTE);
	assert_true(o->rps_per_device >= 30); /* one board per camera */
	/* 40 boards, all day, every day of a 730-hour month */
	assert_near(o->device_hours, 40 * 730.0, 1e-9);
	/* the remote path adds the round trip and the upload */
	assert_near(o->remote_latency_ms,
		    o->latency_ms + 30 + 200e3 * 8 / 100e6 * 1e3, 1e-9);
	model_estimate_release(&e);
	model_scenario_release(&s);
}

/* A site whose frames need more than its uplink cannot send them to a
 * remote venue, whatever the target: 30 frames/s of 1 MB are 240 Mb/s
 * over the default 100 Mb/s uplink; at 10 frames/s (80 Mb/s) they go,
 * 80 ms each way of upload plus the 30 ms round trip. */
static void test_uplink_saturated(void **state)
{
	static const struct {
		const char *rate, *target;
		bool remote;
	} cases[] = {
		{"30/s", "", false},
		{"30/s", "    latency_p99: 10s\n", false},
		{"10/s", "    latency_p99: 10s\n", true},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *text = util_xasprintf(
			"scenario: t\nworkloads:\n  - name: cams\n"
			"    kind: inference\n"
			"    model: {compute: 8.7GFLOP, params: 11M, "
			"precision: int8}\n"
			"    sites: 4\n    rate: %s\n%s    payload: 1MB\n",
			cases[i].rate, cases[i].target);
		struct model_scenario s;
		struct model_estimate e;
		const struct model_option *o;

		estimate(text, "L4", &s, &e);
		o = &e.wl[0].opts[0];
		assert_true(o->fits && o->meets_latency);
		assert_int_equal(o->meets_latency_remote, cases[i].remote);
		if (!cases[i].remote)
			assert_non_null(strstr(o->note, "240 Mb/s"));
		else
			assert_near(o->remote_latency_ms,
				    o->latency_ms + 30 + 80, 1e-9);
		model_estimate_release(&e);
		model_scenario_release(&s);
		free(text);
	}
}

static const char resnet50[] =
	"scenario: t\nworkloads:\n  - name: r\n    kind: inference\n"
	"    model: {compute: 8.2GFLOP, params: 25.6M, precision: int8}\n"
	"    rate: 1/s\n";

/* ResNet-50 single stream (one image at a time) against MLPerf Inference
 * v3.1 closed, NVIDIA: p90 latency 0.640 ms on Jetson AGX Orin (Orin_TRT)
 * and 0.349 ms on one L4 (L4x1_TRT). The per-request overheads were
 * derived from the same runs minus their Offline per-image time, so this
 * checks the roofline's batch-1 compute time on top of them. */
static void test_mlperf_single_stream(void **state)
{
	static const struct {
		const char *accel;
		double published_ms;
	} runs[] = {{"Jetson-AGX-Orin", 0.640}, {"L4", 0.349}};

	(void)state;
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		struct model_scenario s;
		struct model_estimate e;
		const struct model_option *o;

		estimate(resnet50, runs[i].accel, &s, &e);
		o = option(&e, 1);
		print_message("ResNet-50 single stream on %s: predicted %.3f "
			      "ms, MLPerf v3.1 %.3f ms (%+.1f%%)\n",
			      runs[i].accel, o->latency_ms,
			      runs[i].published_ms,
			      (o->latency_ms / runs[i].published_ms - 1) *
				      100);
		assert_near(o->latency_ms, runs[i].published_ms, 0.15);
		model_estimate_release(&e);
		model_scenario_release(&s);
	}
}

/* MLPerf Training v4.0 closed, NVIDIA, Llama 2 70B LoRA: 3,072 samples
 * of 8,192 tokens (25.2 M tokens) on 8 GPUs in 1,629 s on H100
 * (eos_ngc24.04_nemo) and 1,411 s on H200 (h200_ngc24.04_nemo), FP8. The
 * H200's speed comes from these runs (docs/perf-model.md), the H100's
 * time from the MFU constant (Llama 3 report): the H100 is a check, the
 * H200 a check of the ratio applied to it. */
static void test_mlperf_lora(void **state)
{
	static const struct {
		const char *accel;
		double published_s;
	} runs[] = {{"H100", 1629.0}, {"H200", 1411.2}};
	double hours[2];

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		char *text = finetune("70B", "lora", "fp8", 8192, "25.2M");
		struct model_scenario s;
		struct model_estimate e;
		const struct model_option *o;

		estimate(text, runs[i].accel, &s, &e);
		o = option(&e, 8);
		hours[i] = o->hours;
		print_message("Llama 2 70B LoRA on 8 %s: predicted %.0f s, "
			      "MLPerf v4.0 %.0f s (%+.1f%%)\n", runs[i].accel,
			      o->hours * 3600, runs[i].published_s,
			      (o->hours * 3600 / runs[i].published_s - 1) *
				      100);
		assert_near(o->hours * 3600, runs[i].published_s, 0.15);
		model_estimate_release(&e);
		model_scenario_release(&s);
		free(text);
	}
	assert_true(hours[1] < hours[0]); /* the H200 is faster */
}

/* The relative speeds by class are the table's ratios: research hours on
 * one accelerator convert to another by the class's speeds. */
static void test_class_ratios(void **state)
{
	static const struct {
		const char *profile_class, *from, *to;
		double ratio; /* to-hours per from-hour */
	} rows[] = {
		{"llm-train", "H100", "L40S", 1 / 0.158},
		{"llm-train", "H100", "H200", 1 / 1.149},
		{"vision-train", "H100", "L40S", 1 / 0.263},
		{"cnn-infer", "H100", "L4", 1 / 0.1455},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *text = util_xasprintf(
			"scenario: t\nworkloads:\n  - name: r\n"
			"    kind: research\n    class: %s\n"
			"    gpu_hours: 1000 %s\n",
			rows[i].profile_class, rows[i].from);
		struct model_scenario s;
		struct model_estimate e;
		const struct model_option *o;

		estimate(text, rows[i].to, &s, &e);
		o = option(&e, 1);
		print_message("%s: 1000 %s-hours = %.0f %s-hours (table "
			      "%.0f)\n", rows[i].profile_class, rows[i].from,
			      o->hours, rows[i].to, 1000 * rows[i].ratio);
		assert_near(o->hours, 1000 * rows[i].ratio, 1e-3);
		assert_non_null(strstr(o->note, rows[i].profile_class));
		model_estimate_release(&e);
		model_scenario_release(&s);
		free(text);
	}
}

static const char llm[] =
	"scenario: t\nperformance: {max_sequences: 1}\n"
	"workloads:\n  - name: chat\n    kind: inference\n"
	"    model: {params: 8B, precision: fp16, prompt_tokens: 100, "
	"output_tokens: 500}\n    rate: 2/s\n";

static const char llm_long_prompt[] =
	"scenario: t\nworkloads:\n  - name: rag\n    kind: inference\n"
	"    model: {params: 8B, precision: fp16, prompt_tokens: 8000, "
	"output_tokens: 100}\n    rate: 2/s\n";

/* Decoding one sequence at a time streams the weights once per token:
 * memory bound. */
static void test_llm(void **state)
{
	struct model_scenario s;
	struct model_estimate e;
	const struct model_option *o;

	(void)state;
	estimate(llm, "H100", &s, &e);
	o = option(&e, 1);
	assert_true(o->fits);
	assert_int_equal(o->limit, MODEL_LIMIT_BANDWIDTH);
	assert_true(o->ttft_ms > 0 && o->ttft_ms < o->latency_ms);
	/* at least the bandwidth bound of batch 1: 16 GB per token */
	assert_true(o->decode_tokens_per_second >=
		    0.8 * 3350e9 / 16e9 * 0.99);
	model_estimate_release(&e);
	model_scenario_release(&s);
}

/* Every request has its prompt prefilled: with long prompts throughput
 * is bounded by compute, 2 N P FLOPs a request at `prefill_efficiency`
 * of the peak. */
static void test_llm_prefill(void **state)
{
	struct model_scenario s;
	struct model_estimate e;
	const struct model_option *o;
	double bound = 989.4e12 * 0.55 / (2 * 8e9 * 8000);

	(void)state;
	estimate(llm_long_prompt, "H100", &s, &e);
	o = option(&e, 1);
	assert_int_equal(o->limit, MODEL_LIMIT_COMPUTE);
	assert_true(o->rps_per_device <= bound);
	assert_true(o->rps_per_device >= 0.5 * bound);
	model_estimate_release(&e);
	model_scenario_release(&s);
}

/* The reference page names every constant, so it cannot drift. */
static void test_constants_documented(void **state)
{
	struct util_err err;
	char *doc;
	size_t len;

	(void)state;
	assert_int_equal(util_read_file("docs/perf-model.md", 1 << 20, &doc,
					&len, &err),
			 0);
	for (int k = 0; k < MODEL_NCONSTS; k++) {
		char *name = util_xasprintf("| `%s` |", model_consts[k].name);

		if (!strstr(doc, name))
			fail_msg("docs/perf-model.md lacks %s", name);
		free(name);
	}
	free(doc);
}

/* Sessions on weekdays at 9:00, in the course's 7-day windows. */
static void test_session_times(void **state)
{
	const double h = MODEL_HOUR, d = MODEL_DAY;
	struct model_scenario s = {0};
	struct model_workload w = {.kind = MODEL_TEACHING};

	(void)state;
	w.teaching.per_week = 2;
	w.teaching.duration = 3 * h;
	w.teaching.weeks = 12;
	/* time 0 a Monday: Monday and Wednesday, then the next Monday */
	assert_near(model_session_at(&s, &w, 0), 9 * h, 1e-6);
	assert_near(model_session_at(&s, &w, 1), 2 * d + 9 * h, 1e-6);
	assert_near(model_session_at(&s, &w, 2), 7 * d + 9 * h, 1e-6);
	/* time 0 a Wednesday: Wednesday and Friday (the window's weekdays
	 * are Wednesday to Tuesday, the weekend left out) */
	s.weekday0 = 2;
	assert_near(model_session_at(&s, &w, 1), 2 * d + 9 * h, 1e-6);
	s.weekday0 = 3; /* a Thursday: Thursday, then Monday */
	assert_near(model_session_at(&s, &w, 1), 4 * d + 9 * h, 1e-6);
	/* a course starting at 1mo (30 days 10 h): the next day's 9:00,
	 * not 19:00 (the old even spread from its start) */
	s.weekday0 = 0;
	w.start = MODEL_MONTH;
	assert_near(model_session_at(&s, &w, 0), 31 * d + 9 * h, 1e-6);
	/* 7 a week: two rounds on Monday and Tuesday, in time order */
	w.start = 0;
	w.teaching.per_week = 7;
	assert_near(model_session_at(&s, &w, 1), 12 * h, 1e-6);
	assert_near(model_session_at(&s, &w, 2), d + 9 * h, 1e-6);
	assert_near(model_session_at(&s, &w, 4), 2 * d + 9 * h, 1e-6);
	assert_near(model_session_at(&s, &w, 6), 4 * d + 9 * h, 1e-6);
	/* 3 a week: Monday, Wednesday, Friday; 4: all but Wednesday */
	w.teaching.duration = 3 * h;
	w.teaching.per_week = 3;
	assert_near(model_session_at(&s, &w, 2), 4 * d + 9 * h, 1e-6);
	w.teaching.per_week = 4;
	assert_near(model_session_at(&s, &w, 2), 3 * d + 9 * h, 1e-6);
	/* a course from 34 h (day 1, 10:00), 5 a week for a week: from day
	 * 2 to day 8 (a Tuesday), whose session ends 2 h past start + a
	 * week (the loader measures the horizon against this end) */
	w.start = 34 * h;
	w.teaching.per_week = 5;
	w.teaching.weeks = 1;
	assert_near(model_session_at(&s, &w, 0), 2 * d + 9 * h, 1e-6);
	assert_near(model_course_end(&s, &w), 8 * d + 12 * h, 1e-6);
	w.start = 0;
	w.teaching.weeks = 12;
	/* not a whole number a week, or past midnight: spread evenly */
	w.teaching.per_week = 1.5;
	assert_near(model_session_at(&s, &w, 1), 112 * h + 9 * h, 1e-6);
	w.teaching.per_week = 5;
	w.teaching.duration = 16 * h;
	assert_near(model_session_at(&s, &w, 1), 33.6 * h + 9 * h, 1e-6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nemo),	 cmocka_unit_test(test_memory_rules),
		cmocka_unit_test(test_scaling),	 cmocka_unit_test(test_teaching),
		cmocka_unit_test(test_quantized_base_bf16_arith),
		cmocka_unit_test(test_lora_base_bytes),
		cmocka_unit_test(test_attention_not_frozen),
		cmocka_unit_test(test_teaching_nofit),
		cmocka_unit_test(test_teaching_between),
		cmocka_unit_test(test_constants_documented),
		cmocka_unit_test(test_llm_prefill),
		cmocka_unit_test(test_inference),
		cmocka_unit_test(test_uplink_saturated), cmocka_unit_test(test_llm),
		cmocka_unit_test(test_mlperf_single_stream),
		cmocka_unit_test(test_mlperf_lora),
		cmocka_unit_test(test_class_ratios),
		cmocka_unit_test(test_session_times),
	};

	return cmocka_run_group_tests_name("perf", tests, setup_default_catalog,
					   teardown_catalog);
}
