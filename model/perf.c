/* The performance model (DESIGN §6, docs/perf-model.md): for every
 * workload and accelerator, whether it fits, how long it takes, how much
 * energy it uses. Fine-tuning and research here; teaching and inference
 * in perf_teach.c and perf_infer.c. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "perf_int.h"

const char *const model_limit_names[5] = {"compute", "memory bandwidth",
					  "memory", "slices", "none"};

double model_const(const struct model_scenario *s, enum model_const k)
{
	return s->perf[k];
}

double perf_peak(const struct pricing_accel *a, enum pricing_precision p)
{
	static const enum pricing_precision fallback[PRICING_NPRECISIONS][3] = {
		[PRICING_FP32] = {PRICING_FP32, PRICING_FP32, PRICING_FP32},
		[PRICING_TF32] = {PRICING_TF32, PRICING_FP32, PRICING_FP32},
		[PRICING_BF16] = {PRICING_BF16, PRICING_FP16, PRICING_FP32},
		[PRICING_FP16] = {PRICING_FP16, PRICING_BF16, PRICING_FP32},
		[PRICING_FP8] = {PRICING_FP8, PRICING_FP16, PRICING_BF16},
		[PRICING_INT8] = {PRICING_INT8, PRICING_FP16, PRICING_BF16},
		[PRICING_INT4] = {PRICING_INT4, PRICING_INT8, PRICING_FP16},
	};

	for (int i = 0; i < 3; i++)
		if (a->tflops[fallback[p][i]] > 0)
			return a->tflops[fallback[p][i]] * 1e12;
	return a->tflops[PRICING_FP32] > 0 ? a->tflops[PRICING_FP32] * 1e12
					   : 0;
}

double perf_bytes(enum pricing_precision p)
{
	static const double bytes[PRICING_NPRECISIONS] = {4, 4, 2, 2,
							  1, 1, 0.5};

	return bytes[p];
}

void perf_shape(const struct model_scenario *s, double n, double *layers,
		double *hidden)
{
	double r = model_const(s, MODEL_K_ASPECT);

	*layers = cbrt(n / (12 * r * r));
	*hidden = r * *layers;
}

double perf_scaling(const struct model_scenario *s,
		    const struct pricing_accel *a, int n)
{
	double per_doubling = model_const(s, MODEL_K_SCALE_PCIE);

	if (a->interconnect && !strncmp(a->interconnect, "nvlink", 6))
		per_doubling = model_const(s, MODEL_K_SCALE_NVLINK);
	return pow(per_doubling, log2((double)n));
}

/* Watts of the host a device sits in, per device: what the catalog's
 * on-prem offer for a counts above the device's TDP (0 without one). */
static double host_share_w(const struct pricing_catalog *c,
			   const struct pricing_accel *a)
{
	for (size_t i = 0; i < c->noffers; i++) {
		const struct pricing_offer *o = &c->offers[i];

		if (o->family == PRICING_ONPREM && !strcmp(o->accel, a->name) &&
		    o->term[PRICING_POWER_W] > a->tdp_w)
			return o->term[PRICING_POWER_W] - a->tdp_w;
	}
	return 0;
}

/* An edge board's draw between requests: its lowest power mode (an upper
 * bound on idle, docs/perf-model.md), else its TDP. */
static double idle_w(const struct pricing_accel *a)
{
	double w = a->tdp_w;

	for (size_t i = 0; i < a->npower_modes; i++)
		w = fmin(w, a->power_modes_w[i]);
	return w;
}

double perf_energy(const struct model_scenario *s,
		   const struct pricing_accel *a, double device_hours,
		   double load)
{
	double busy = a->tdp_w * model_const(s, MODEL_K_POWER_UTIL), w;

	if (a->cls == PRICING_EDGE_CLASS)
		w = idle_w(a) + (busy - idle_w(a)) * fmin(fmax(load, 0), 1);
	else
		w = busy + host_share_w(&s->catalog, a);
	return device_hours * w / 1000;
}

double model_offer_limit(const struct model_scenario *s,
			 const struct pricing_offer *o)
{
	static const enum model_const dflt[PRICING_NFAMILIES] = {
		[PRICING_CLOUD] = MODEL_K_MAX_CLOUD,
		[PRICING_CLOUD_SPOT] = MODEL_K_MAX_SPOT,
		[PRICING_GPUAAS] = MODEL_K_MAX_GPUAAS,
		[PRICING_INHOUSE] = MODEL_K_MAX_GPUAAS,
		[PRICING_DECENTRALIZED] = MODEL_K_MAX_MARKET,
	};

	if (!o || !dflt[o->family])
		return 0;
	if (o->term[PRICING_MAX_DEVICES] >= 0)
		return o->term[PRICING_MAX_DEVICES];
	return model_const(s, dflt[o->family]);
}

double model_energy_kwh(const struct model_scenario *s,
			const struct pricing_accel *a, double device_hours,
			double load)
{
	return perf_energy(s, a, device_hours, load);
}

void perf_note(struct model_option *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->note, sizeof(o->note), fmt, ap);
	va_end(ap);
}

/* Training FLOPs per token: k N for the weight matrix products, 2 N
 * forward and 4 N backward (gradients of the activations and of the
 * weights; Narayanan et al. 2021, Megatron-LM, appendix), so k = 6 for
 * full training and 4 with the base frozen: LoRA computes no gradients
 * for the frozen weights (Hu et al. 2021, section 4.2). Attention, 6 L s
 * d (Kaplan et al. 2020, section 2.1: 2 L s d forward, backward twice
 * that), has no weights: its backward pass (the gradients of Q, K and V,
 * through which the adapters of earlier layers are reached) costs the
 * same whether the base is frozen or not, so it is 6 L s d for every
 * method. */
static double train_flop_per_token(const struct model_scenario *s,
				   const struct model_finetune *f)
{
	double layers, hidden, k = f->method == MODEL_FULL ? 6 : 4;

	perf_shape(s, f->params, &layers, &hidden);
	return k * f->params + 6 * layers * (double)f->seq_len * hidden;
}

/* Memory per device with model states sharded over n devices (FSDP or
 * ZeRO-3) and activations recomputed layer by layer: 2 s d bytes kept
 * per layer, plus one layer's working set of 34 s d bytes (Korthikanti
 * et al. 2022, section 4, with FlashAttention's s^2 term gone). */
static void train_memory(const struct model_scenario *s,
			 const struct model_finetune *f, int n,
			 struct model_memory *m)
{
	double layers, hidden, seq = (double)f->seq_len, N = f->params;
	double adapter = N * model_const(s, MODEL_K_ADAPTER_SHARE);

	perf_shape(s, N, &layers, &hidden);
	memset(m, 0, sizeof(*m));
	if (f->method == MODEL_FULL) {
		m->weights = 2 * N / n;
		m->gradients = 2 * N / n;
		m->optimizer =
			(model_const(s, MODEL_K_ADAM_BYTES) - 4) * N / n;
	} else {
		/* lora_bytes_per_param is a 16-bit base's: a base kept in
		 * fp32 takes twice that, one in int8 (LLM.int8(), Dettmers
		 * et al. 2022) or fp8 half, in int4 a quarter; QLoRA's is
		 * NF4 whatever the precision */
		m->weights = N / n *
			     (f->method == MODEL_LORA
				      ? model_const(s, MODEL_K_LORA_BYTES) *
						perf_bytes(f->precision) / 2
				      : model_const(s, MODEL_K_QLORA_BYTES));
		m->gradients = 2 * adapter / n;
		m->optimizer = 12 * adapter / n;
	}
	m->activations = 2 * seq * hidden * layers + 34 * seq * hidden;
	m->overhead = model_const(s, MODEL_K_OVERHEAD_GB) * GB;
	m->total = m->weights + m->gradients + m->optimizer + m->activations +
		   m->overhead;
}

/* The rate a device trains transformers at, as FLOP/s at precision p:
 * an H100's dense peak times the device's MLPerf speed next to an H100
 * (llm-train), else its own dense peak; the note says which. */
static double class_peak(const struct perf_ctx *c, struct model_option *o,
			 enum pricing_precision p)
{
	const struct pricing_accel *h100 =
		pricing_catalog_find_accel(&c->s->catalog, "H100");
	bool fallback = true;
	double r = h100 ? perf_class_ratio(&c->s->catalog, o->accel, h100,
					   MODEL_CLASS_LLM_TRAIN, p, &fallback)
			: 0;

	perf_note(o, fallback ? "speed: dense peak (no MLPerf figure)"
			      : "speed: MLPerf llm-train, %.3g x H100",
		  r);
	return fallback ? perf_peak(o->accel, p) : perf_peak(h100, p) * r;
}

/* The arithmetic a fine-tune runs at: int8 and int4 are the storage of
 * a frozen base (LoRA on an 8-bit base, QLoRA's 4-bit NF4), dequantized
 * for 16-bit matrix products: "one low-precision storage data type ...
 * and one computation data type that is usually BFloat16" (Dettmers et
 * al. 2023, QLoRA, section 3). The other precisions are their own. */
static enum pricing_precision train_arith(enum pricing_precision p)
{
	return p == PRICING_INT8 || p == PRICING_INT4 ? PRICING_BF16 : p;
}

static void perf_finetune(const struct perf_ctx *c, struct model_option *o)
{
	const struct model_finetune *f = &c->w->finetune;
	enum pricing_precision arith = train_arith(f->precision);
	double per_token = train_flop_per_token(c->s, f);
	double peak = perf_peak(o->accel, arith);
	double speed; /* FLOP/s of all devices together */

	train_memory(c->s, f, o->devices, &o->mem);
	o->fits = o->mem.total <= o->memory_available;
	o->limit = o->fits ? MODEL_LIMIT_COMPUTE : MODEL_LIMIT_MEMORY;
	if (peak <= 0) {
		o->fits = false;
		o->limit = MODEL_LIMIT_NONE;
		perf_note(o, "no %s rate in the catalog",
			  pricing_precision_names[arith]);
		return;
	}
	speed = o->devices * class_peak(c, o, arith) *
		model_const(c->s, MODEL_K_MFU) *
		perf_scaling(c->s, o->accel, o->devices);
	o->tokens_per_second = speed / per_token;
	o->hours = per_token * f->tokens * f->epochs / speed / MODEL_HOUR;
	o->device_hours =
		f->runs_rate * c->period_s * o->hours * o->devices;
	o->energy_kwh = perf_energy(c->s, o->accel, o->device_hours, 1);
	if (!o->fits)
		perf_note(o, "needs %.1f GB per device, has %.3g GB",
			  o->mem.total / GB, o->memory_available / GB);
	else if (arith != f->precision) {
		char speed_note[sizeof(o->note)];

		snprintf(speed_note, sizeof(speed_note), "%s", o->note);
		perf_note(o, "%s base, %s arithmetic; %s",
			  pricing_precision_names[f->precision],
			  pricing_precision_names[arith], speed_note);
	}
}

/* Research demand is given in device-hours of a reference accelerator:
 * another one does the same work in proportion to its dense peak at the
 * same precision (the same MFU on both). */
static void perf_research(const struct perf_ctx *c, struct model_option *o)
{
	const struct model_research *r = &c->w->research;
	const struct model_accel_qty *ref =
		r->gpu_hours.accel ? &r->gpu_hours : &r->job_hours;
	const struct pricing_accel *ra =
		ref->accel ? pricing_catalog_find_accel(&c->s->catalog,
							ref->accel)
			   : NULL;
	double peak = perf_peak(o->accel, PRICING_BF16), total_dh;
	double eff = perf_scaling(c->s, o->accel, o->devices);

	memset(&o->mem, 0, sizeof(o->mem));
	o->fits = o->accel->cls != PRICING_EDGE_CLASS;
	o->limit = o->fits ? MODEL_LIMIT_COMPUTE : MODEL_LIMIT_MEMORY;
	if (!o->fits) {
		perf_note(o, "edge boards run inference, not research jobs");
		return;
	}
	if (peak <= 0 || (ra && perf_peak(ra, PRICING_BF16) <= 0)) {
		o->fits = false;
		o->limit = MODEL_LIMIT_NONE;
		perf_note(o, "no 16- or 32-bit rate in the catalog for %s",
			  peak <= 0 ? o->accel->name : ra->name);
		return;
	}
	if (ra) {
		bool fallback;
		double ratio = perf_class_ratio(&c->s->catalog, ra, o->accel,
						r->cls, PRICING_BF16, &fallback);

		total_dh = r->gpu_hours.accel
				   ? ref->amount * ratio
				   : (double)r->job_count * r->job_gpus *
					     ref->amount * ratio;
		o->hours = (r->gpu_hours.accel ? total_dh
					       : r->job_gpus * ref->amount *
							 ratio) /
			   (o->devices * eff);
		perf_note(o, "%.3g %s-hours per %s-hour (%s); memory need "
			  "not given", ratio, o->accel->name, ra->name,
			  fallback ? "dense peak: no MLPerf figure"
				   : model_class_names[r->cls]);
	} else { /* applied: FLOP per item, as batched inference */
		double items = r->batch_items > 0 ? r->batch_items
						  : r->stream_rate *
							    c->active_s;
		double speed = peak * model_const(c->s, MODEL_K_INFER_EFF);

		total_dh = items * r->item_compute / speed / MODEL_HOUR;
		o->hours = total_dh / (o->devices * eff);
		perf_note(o, "%.3g items per device-hour",
			  speed * MODEL_HOUR / r->item_compute);
	}
	total_dh /= eff;
	o->device_hours = total_dh * c->period_s / c->active_s;
	o->energy_kwh = perf_energy(c->s, o->accel, o->device_hours, 1);
}

static const double period_seconds[3] = {MODEL_DAY, MODEL_WEEK, MODEL_MONTH};

/* The most devices any offer of a gives in one instance (1 for edge). */
static int max_devices(const struct model_scenario *s,
		       const struct pricing_accel *a)
{
	long max = 1;

	if (a->cls == PRICING_EDGE_CLASS)
		return 1;
	for (size_t i = 0; i < s->catalog.noffers; i++)
		if (!strcmp(s->catalog.offers[i].accel, a->name) &&
		    s->catalog.offers[i].count > max)
			max = s->catalog.offers[i].count;
	return (int)max;
}

/* Results out of any sensible range (from extreme inputs or catalog
 * figures) mark the option as unusable rather than print inf or nan. */
static void guard(struct model_option *o)
{
	const double v[] = {o->hours, o->device_hours, o->energy_kwh,
			    o->mem.total, o->tokens_per_second, o->latency_ms,
			    o->rps_per_device, o->students_per_device};

	for (size_t i = 0; i < UTIL_ARRAY_SIZE(v); i++) {
		if (isfinite(v[i]) && v[i] >= 0 && v[i] < 1e30)
			continue;
		o->fits = false;
		o->limit = MODEL_LIMIT_NONE;
		o->hours = o->device_hours = o->energy_kwh = 0;
		perf_note(o, "the estimate is out of range: check the "
			  "workload's figures and the catalog's");
		return;
	}
}

static void estimate_one(const struct perf_ctx *c, struct model_option *o)
{
	switch (c->w->kind) {
	case MODEL_TEACHING:
		perf_teaching(c, o);
		break;
	case MODEL_RESEARCH:
		perf_research(c, o);
		break;
	case MODEL_FINETUNE:
		perf_finetune(c, o);
		break;
	case MODEL_INFERENCE:
		perf_inference(c, o);
		break;
	default:
		util_bug(__FILE__, __LINE__, "workload kind");
	}
	guard(o);
}

static bool allowed(const struct model_workload *w,
		    const struct pricing_accel *a)
{
	if (!w->naccelerators)
		return true;
	for (size_t i = 0; i < w->naccelerators; i++)
		if (!strcmp(w->accelerators[i], a->name))
			return true;
	return false;
}

/* Memory a device has, as NVML (nvidia-smi) reports it: NVIDIA sells
 * HBM parts in round GiB, so an "80 GB" H100 has 85.52 GB, 6.9% more
 * than its product figure, and GDDR parts 0.6% more (thundergolfer.com,
 * "Why does an NVIDIA H100 80GB card offer 85.52 GB?", 2025: nvidia-smi
 * totals of H200 143,771 MiB, H100 81,559, A100 80GB 81,920, A100 40GB
 * 40,960, L40S 46,068, L4 23,034). Only where the catalog gives the
 * product figure; other accelerators keep the catalog's. */
static double device_memory(const struct pricing_accel *a)
{
	static const struct {
		const char *accel;
		double product_gb, mib;
	} nvml[] = {
		{"H200", 141, 143771},	   {"H100", 80, 81559},
		{"A100-80GB", 80, 81920}, {"A100-40GB", 40, 40960},
		{"L40S", 48, 46068},	   {"L4", 24, 23034},
	};

	for (size_t i = 0; i < sizeof(nvml) / sizeof(nvml[0]); i++)
		if (!strcmp(nvml[i].accel, a->name) &&
		    a->memory_gb == nvml[i].product_gb)
			return nvml[i].mib * 1048576;
	return a->memory_gb * GB;
}

static void add_option(struct model_workload_estimate *we, size_t *alloc,
		       const struct perf_ctx *c, const struct pricing_accel *a,
		       int devices)
{
	struct model_option *o;

	UTIL_GROW(we->opts, we->nopts + 1, *alloc);
	o = &we->opts[we->nopts++];
	memset(o, 0, sizeof(*o));
	o->accel = a;
	o->devices = devices;
	o->memory_available = device_memory(a);
	snprintf(o->slice, sizeof(o->slice), "-");
	estimate_one(c, o);
}

/* Why nothing fits: what the best option needs against the most memory
 * any device has, or, when no option was refused for its memory (a
 * stated layout no device count allows, a precision without a rate),
 * the first option's reason. */
static char *why_nothing_fits(const struct model_workload_estimate *we)
{
	const struct model_option *least = NULL, *biggest = NULL;

	for (size_t i = 0; i < we->nopts; i++) {
		const struct model_option *o = &we->opts[i];

		if (o->limit != MODEL_LIMIT_MEMORY)
			continue;
		if (!least || o->mem.total < least->mem.total)
			least = o;
		if (!biggest || o->memory_available > biggest->memory_available)
			biggest = o;
	}
	if (!least && we->nopts && we->opts[0].note[0])
		return util_xasprintf("'%s' runs on no accelerator: on %d x "
				      "%s, %s", we->w->name,
				      we->opts[0].devices,
				      we->opts[0].accel->name,
				      we->opts[0].note);
	if (!least)
		return util_xasprintf("'%s' fits on no accelerator of the "
				      "catalog", we->w->name);
	return util_xasprintf("'%s' fits on no accelerator: at best it needs "
			      "%.1f GB per device (%d x %s), and the largest "
			      "memory is %.3g GB (%s)",
			      we->w->name, least->mem.total / GB,
			      least->devices, least->accel->name,
			      biggest->memory_available / GB,
			      biggest->accel->name);
}

static void estimate_workload(const struct model_scenario *s,
			      const struct model_workload *w,
			      const char *accel, double period_s, double load,
			      struct model_workload_estimate *we)
{
	struct perf_ctx c = {.s = s, .w = w, .period_s = period_s,
			     .load = load > 1 ? load : 1};
	double end = w->deadline > 0 ? w->deadline : s->horizon;
	size_t alloc = 0;
	bool any = false;

	c.active_s = w->kind == MODEL_TEACHING
			     ? w->teaching.weeks * MODEL_WEEK
			     : fmax(end - w->start, 1);
	we->w = w;
	for (size_t i = 0; i < s->catalog.naccels; i++) {
		const struct pricing_accel *a = &s->catalog.accels[i];
		int max = w->kind == MODEL_TEACHING ? 1 : max_devices(s, a);

		if ((accel && strcmp(accel, a->name)) || !allowed(w, a))
			continue;
		for (int n = 1; n <= max; n = n * 2 > max && n < max ? max
								     : n * 2)
			add_option(we, &alloc, &c, a, n);
	}
	for (size_t i = 0; i < we->nopts; i++)
		any |= we->opts[i].fits;
	if (!any)
		we->nofit = why_nothing_fits(we);
}

int model_estimate(const struct model_scenario *s, const char *only,
		   const char *accel, struct model_estimate *out,
		   struct util_err *err)
{
	memset(out, 0, sizeof(*out));
	if (only && !model_scenario_find(s, only))
		return model_no_workload(s, only, UTIL_E_INPUT, err);
	if (accel && !pricing_catalog_find_accel(&s->catalog, accel))
		return util_err_set(err, UTIL_E_INPUT, "no accelerator '%s' in "
				    "the catalog", accel);
	if (accel)
		accel = pricing_catalog_find_accel(&s->catalog, accel)->name;
	out->period_s = period_seconds[s->period];
	out->wl = util_xcalloc(s->nworkloads + 1, sizeof(*out->wl));
	for (size_t i = 0; i < s->nworkloads; i++) {
		if (only && strcmp(only, s->workloads[i].name))
			continue;
		estimate_workload(s, &s->workloads[i], accel, out->period_s,
				  1, &out->wl[out->nwl++]);
	}
	return 0;
}

void model_estimate_load(const struct model_scenario *s, const double *load,
			 struct model_estimate *out)
{
	memset(out, 0, sizeof(*out));
	out->period_s = period_seconds[s->period];
	out->wl = util_xcalloc(s->nworkloads + 1, sizeof(*out->wl));
	for (size_t i = 0; i < s->nworkloads; i++)
		estimate_workload(s, &s->workloads[i], NULL, out->period_s,
				  load ? load[i] : 1, &out->wl[out->nwl++]);
}

void model_estimate_release(struct model_estimate *e)
{
	for (size_t i = 0; i < e->nwl; i++) {
		free(e->wl[i].opts);
		free(e->wl[i].nofit);
	}
	free(e->wl);
	memset(e, 0, sizeof(*e));
}
