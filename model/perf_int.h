/* What the performance model's files share (model/perf*.c). */
#ifndef MODEL_PERF_INT_H
#define MODEL_PERF_INT_H

#include "model.h"

#define GB 1e9

/* Everything an estimator needs for one option. */
struct perf_ctx {
	const struct model_scenario *s;
	const struct model_workload *w;
	double period_s;
	double active_s; /* how long the workload runs within the horizon */
	double load;	 /* inference: sized for load x the rate, >= 1 */
};

/* Dense peak in FLOP/s at precision p, falling back bf16 <-> fp16, then
 * to fp16/bf16 for fp8/int8/int4 and tf32, then fp32; 0 if none. */
double perf_peak(const struct pricing_accel *a, enum pricing_precision p);
/* Bytes per stored value at precision p. */
double perf_bytes(enum pricing_precision p);
/* Layers and hidden size of a dense transformer of n parameters. */
void perf_shape(const struct model_scenario *s, double n, double *layers,
		double *hidden);
/* Throughput kept per device when n devices work together. */
double perf_scaling(const struct model_scenario *s,
		    const struct pricing_accel *a, int n);
/* IT energy in kWh of device_hours on a (docs/perf-model.md, Energy):
 * the device at the planned power utilisation plus its host's share (an
 * on-prem offer's power_w above the device's TDP); an edge board between
 * its idle power and its TDP by load, the share of time it computes
 * (0..1). PUE is the bill's: energy cost = this x PUE x price. */
double perf_energy(const struct model_scenario *s,
		   const struct pricing_accel *a, double device_hours,
		   double load);
/* How much faster a is than ref on class cls: the ratio of their speeds
 * in the sourced table, or (*fallback set) of their dense peaks at p. */
double perf_class_ratio(const struct pricing_catalog *cat,
			const struct pricing_accel *a,
			const struct pricing_accel *ref, enum model_class cls,
			enum pricing_precision p, bool *fallback);
void perf_note(struct model_option *o, const char *fmt, ...)
	UTIL_PRINTF(2, 3);

/* Seconds a request loses between a site and a remote venue: the
 * workload's `rtt` (else the remote_rtt_ms constant), as the simulator
 * adds it, and the payload's upload at uplink_mbps. */
double perf_net_s(const struct model_scenario *s,
		  const struct model_inference *in);
void perf_teaching(const struct perf_ctx *c, struct model_option *o);
void perf_inference(const struct perf_ctx *c, struct model_option *o);
/* LLM serving (model/perf_llm.c): the best layout of o->devices, with
 * throughput, latencies and memory in o. Returns false, with fits, limit
 * and note set, when the model cannot be served there. */
bool perf_llm(const struct perf_ctx *c, struct model_option *o);
/* Units of o (its layout's engines) that serve rate requests/s with at
 * most 1% of requests waiting past what ttft_p99 and latency_p99 leave
 * (less net s from a remote venue when that leaves room), at the batch
 * of o's or down to half of it that needs the fewest; o takes that
 * batch's figures. */
double perf_llm_units(const struct perf_ctx *c, struct model_option *o,
		      double rate, double net);

#endif
