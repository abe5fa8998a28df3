/* Inference: a roofline per batch (the larger of compute time and the
 * time to stream the weights), the best batch within the latency target,
 * and the devices the request rate needs. LLM serving is modelled in
 * perf_llm.c; the devices, energy and latency checks are shared. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "perf_int.h"

struct roof {
	double compute_s, memory_s; /* per batch step */
};

static double roof_time(const struct roof *r, enum model_limit *limit)
{
	*limit = r->compute_s >= r->memory_s ? MODEL_LIMIT_COMPUTE
					      : MODEL_LIMIT_BANDWIDTH;
	return fmax(r->compute_s, r->memory_s);
}

struct infer_dev {
	double peak, bw, overhead_s, weights;
	int devices;
	double eff; /* multi-device scaling */
};

static void infer_dev(const struct perf_ctx *c, const struct model_option *o,
		      struct infer_dev *d)
{
	const struct model_inference *in = &c->w->inference;
	const struct model_scenario *s = c->s;

	d->devices = o->devices;
	d->eff = perf_scaling(s, o->accel, o->devices);
	d->peak = perf_peak(o->accel, in->precision) * o->devices * d->eff *
		  model_const(s, MODEL_K_INFER_EFF);
	d->bw = o->accel->bandwidth_gbs * GB * o->devices *
		model_const(s, MODEL_K_BW_EFF);
	d->overhead_s = model_const(s, o->accel->cls == PRICING_EDGE_CLASS
					       ? MODEL_K_INFER_OVERHEAD_EDGE_MS
					       : MODEL_K_INFER_OVERHEAD_MS) /
			1000;
	d->weights = in->params * perf_bytes(in->precision);
}

/* Vision-style: each request costs `compute` FLOP. */
static double vision_step(const struct perf_ctx *c, const struct infer_dev *d,
			  int batch, enum model_limit *limit)
{
	struct roof r = {batch * c->w->inference.compute / d->peak,
			 d->weights / d->bw};

	return roof_time(&r, limit) + d->overhead_s;
}

/* Fills latency, throughput and memory at the largest batch that fits in
 * memory and meets the latency target (batch 1 if none does). */
static void best_batch(const struct perf_ctx *c, const struct infer_dev *d,
		       struct model_option *o)
{
	const struct model_inference *in = &c->w->inference;
	double slo = in->latency_p99 > 0 ? in->latency_p99 : INFINITY;
	int max = (int)model_const(c->s, MODEL_K_MAX_BATCH);

	for (int b = 1; b <= (max < 1 ? 1 : max); b *= 2) {
		enum model_limit limit;
		double t;

		if (b > 1 && d->weights / d->devices + o->mem.overhead >
				     o->memory_available)
			break;
		t = vision_step(c, d, b, &limit);
		if (b > 1 && t > slo)
			break;
		o->rps_per_device = b / t / d->devices;
		o->limit = limit;
		if (b == 1)
			o->latency_ms = t * 1000;
	}
}

/* Vision-style: fills o, or returns false with the reason in o. */
static bool vision(const struct perf_ctx *c, struct model_option *o)
{
	const struct model_inference *in = &c->w->inference;
	struct infer_dev d;

	infer_dev(c, o, &d);
	memset(&o->mem, 0, sizeof(o->mem));
	o->mem.weights = d.weights / o->devices;
	o->mem.overhead = model_const(c->s, MODEL_K_OVERHEAD_GB) * GB;
	if (d.peak <= 0) {
		o->limit = MODEL_LIMIT_NONE;
		perf_note(o, "no %s rate in the catalog",
			  pricing_precision_names[in->precision]);
		return false;
	}
	best_batch(c, &d, o);
	o->mem.total = o->mem.weights + o->mem.kv_cache + o->mem.overhead;
	o->fits = o->mem.total <= o->memory_available;
	if (!o->fits) {
		o->limit = MODEL_LIMIT_MEMORY;
		perf_note(o, "needs %.1f GB per device, has %.3g GB",
			  o->mem.total / GB, o->memory_available / GB);
		return false;
	}
	o->meets_latency = !(in->latency_p99 > 0) ||
			   o->latency_ms <= in->latency_p99 * 1000;
	return true;
}

/* The 99th percentile of a service time of mean s and squared
 * coefficient of variation cs2 (docs/formulation.md). */
static double service_p99(const struct model_inference *in, double s,
			  double *cs2)
{
	double sigma;

	switch (in->service_time > 0 ? in->service_dist
				     : MODEL_SERVICE_DETERMINISTIC) {
	case MODEL_SERVICE_EXPONENTIAL:
		*cs2 = 1;
		return s * log(100);
	case MODEL_SERVICE_LOGNORMAL:
		*cs2 = in->cv * in->cv;
		sigma = sqrt(log(1 + *cs2));
		return s * exp(-sigma * sigma / 2 + 2.3263 * sigma);
	default:
		*cs2 = 0;
		return s;
	}
}

/* Replicas of o that serve the rate with at most 1% of requests over
 * latency_p99, queueing included (Erlang C with Allen-Cunneen, sized
 * for load x the rate); an edge board per site, central replicas pool
 * the sites and answer over the network. The bare throughput count when
 * there is no target or no count will do. */
static double replicas_for(const struct perf_ctx *c, struct model_option *o)
{
	const struct model_inference *in = &c->w->inference;
	bool edge = o->accel->cls == PRICING_EDGE_CLASS;
	double rate = in->rate * (edge ? 1 : (double)in->sites) * c->load;
	double service = 1 / (o->rps_per_device * o->devices), cs2, p99;
	double net = perf_net_s(c->s, in) * 1000, slack;
	int n = 0;

	if (in->output_tokens && !(in->service_time > 0))
		return (edge ? (double)in->sites : 1) *
		       perf_llm_units(c, o, rate, edge ? 0 : net / 1000);
	if (in->service_time > 0)
		service = in->service_time;
	p99 = service_p99(in, service, &cs2);
	/* beyond the bare service: the fixed part of a request's latency */
	p99 += fmax(o->latency_ms / 1000 - (in->service_time > 0 ? 0
								 : service),
		    0);
	if (in->latency_p99 > 0) {
		slack = in->latency_p99 - p99 - (edge ? 0 : net / 1000);
		if (!edge && slack < 0) /* on an on-prem pool, no network */
			slack = in->latency_p99 - p99;
		n = model_servers_for(rate, service, cs2, slack, 0.01);
	}
	if (n < 1) /* the throughput alone */
		n = (int)ceil(rate / (o->rps_per_device * o->devices) - 1e-9);
	return (edge ? (double)in->sites : 1) * (n > 0 ? n : 1);
}

/* Which LLM target the best layout misses, at one sequence, with the
 * figure checked against it: the mean step for time per output token,
 * the p99 prompt for the first token, the p99 lengths for the last. */
static void llm_miss_note(struct model_option *o,
			  const struct model_inference *in)
{
	char got[32], lim[32];

	if (in->tpot_p99 > 0 && o->tpot99_ms > in->tpot_p99 * 1000)
		perf_note(o, "%s per output token at the p99 misses the %s "
			  "target", util_fmt_ms(got, sizeof(got), o->tpot99_ms),
			  util_fmt_duration(lim, sizeof(lim), in->tpot_p99));
	else if (in->ttft_p99 > 0 && o->ttft99_ms > in->ttft_p99 * 1000)
		perf_note(o, "%s to the first token of a p99 prompt (%ld "
			  "tokens) misses the %s target",
			  util_fmt_ms(got, sizeof(got), o->ttft99_ms),
			  in->prompt_p99 ? in->prompt_p99 : in->prompt_tokens,
			  util_fmt_duration(lim, sizeof(lim), in->ttft_p99));
	else
		perf_note(o, "%s to the last token of a p99 request misses "
			  "the %s latency target",
			  util_fmt_ms(got, sizeof(got), o->latency99_ms),
			  util_fmt_duration(lim, sizeof(lim), in->latency_p99));
}

/* The payloads a site sends a remote venue, Mb/s: its rate while the
 * service runs, each request's payload. */
static double uplink_mbps(const struct perf_ctx *c)
{
	const struct model_inference *in = &c->w->inference;

	return in->rate * in->payload * 8 / 1e6;
}

double perf_net_s(const struct model_scenario *s,
		  const struct model_inference *in)
{
	return (in->rtt >= 0 ? in->rtt
			     : model_const(s, MODEL_K_RTT_MS) / 1000) +
	       in->payload * 8 / (model_const(s, MODEL_K_UPLINK_MBPS) * 1e6);
}

/* The note of an option that meets its target on site only: got s
 * from a site (what: which figure) against the target of lim s. */
static void remote_note(struct model_option *o, double got, const char *what,
			double lim)
{
	char g[32], l[32];

	perf_note(o, "%s%s from a site misses the %s target: on site only",
		  util_fmt_ms(g, sizeof(g), got * 1000), what,
		  util_fmt_duration(l, sizeof(l), lim));
}

/* Which LLM target a remote venue misses by its round trip of net s. */
static void llm_remote_note(struct model_option *o,
			    const struct model_inference *in, double net)
{
	if (in->ttft_p99 > 0 && o->ttft99_ms / 1000 + net > in->ttft_p99)
		remote_note(o, o->ttft99_ms / 1000 + net,
			    " to the first token of a p99 prompt",
			    in->ttft_p99);
	else
		remote_note(o, o->latency99_ms / 1000 + net,
			    " to the last token of a p99 request",
			    in->latency_p99);
}

void perf_inference(const struct perf_ctx *c, struct model_option *o)
{
	const struct model_inference *in = &c->w->inference;
	double rate = in->rate * in->sites, replicas;
	double up = model_const(c->s, MODEL_K_UPLINK_MBPS);

	if (!(in->output_tokens ? perf_llm(c, o) : vision(c, o)))
		return;
	/* after the replicas: an LLM's engines may take a smaller batch,
	 * and its latency */
	replicas = replicas_for(c, o);
	o->remote_latency_ms = o->latency_ms + perf_net_s(c->s, in) * 1000;
	o->hours = in->hours_per_day;
	o->device_hours = replicas * o->devices * in->hours_per_day / 24 *
			  c->period_s / MODEL_HOUR;
	/* the share of time the replicas compute: edge boards idle between */
	o->energy_kwh = perf_energy(c->s, o->accel, o->device_hours,
				    rate / (replicas * o->rps_per_device *
					    o->devices));
	/* an LLM's perf_llm checked its first and last tokens from a
	 * remote venue; no remote venue when a site's payloads exceed its
	 * uplink */
	if (!in->output_tokens)
		o->meets_latency_remote =
			o->meets_latency &&
			(!(in->latency_p99 > 0) ||
			 o->remote_latency_ms <= in->latency_p99 * 1000);
	if (uplink_mbps(c) > up)
		o->meets_latency_remote = false;
	if (!o->meets_latency && in->output_tokens)
		llm_miss_note(o, in);
	else if (!o->meets_latency)
		perf_note(o, "%.1f ms per request misses the %.3g ms target",
			  o->latency_ms, in->latency_p99 * 1000);
	else if (uplink_mbps(c) > up)
		perf_note(o, "a site uploads %.4g Mb/s of payloads, more than "
			  "its %.4g Mb/s uplink (uplink_mbps): on site only",
			  uplink_mbps(c), up);
	else if (!o->meets_latency_remote && in->output_tokens)
		llm_remote_note(o, in, perf_net_s(c->s, in));
	else if (!o->meets_latency_remote)
		remote_note(o, o->remote_latency_ms / 1000, "",
			    in->latency_p99);
	else if (in->output_tokens)
		perf_note(o, "TP%d x %d, %d sequences each; %.0f device%s for "
			  "%.4g requests/s%s", o->tp, o->replicas, o->batch,
			  replicas * o->devices,
			  replicas * o->devices == 1 ? "" : "s", rate,
			  in->arch.derived ? "; shape derived from params" : "");
	else if (o->accel->cls == PRICING_EDGE_CLASS)
		perf_note(o, "%.0f board%s, %.0f a site, for %.4g requests/s "
			  "a site", replicas * o->devices,
			  replicas * o->devices == 1 ? "" : "s",
			  replicas * o->devices / (double)in->sites, in->rate);
	else
		perf_note(o, "%.0f device%s for %.4g requests/s", replicas *
			  o->devices, replicas * o->devices == 1 ? "" : "s",
			  rate);
}
