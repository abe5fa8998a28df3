/* LLM serving as engines run it (vLLM, TensorRT-LLM, SGLang;
 * docs/perf-model.md "LLM serving"): continuous batching of as many
 * sequences as the KV cache holds, prefill and decode mixed in each
 * engine step (chunked prefill), tensor parallelism with an all-reduce
 * per layer, data-parallel replicas, and the best of those layouts for
 * each accelerator and device count. */
#include <math.h>
#include <string.h>

#include "perf_int.h"

/* The model and one device, in the units the step time needs. */
struct llm {
	double N, Na;	       /* parameters, and those active per token */
	double L, d, heads, kvh; /* layers, hidden size, heads, KV heads */
	double kv_tok;	       /* KV bytes per token of context, whole model */
	double wbytes;	       /* bytes per weight */
	double p, o, p99, o99; /* prompt and output tokens */
	double beams;	       /* sequences decoded per request */
	double peak, bw;       /* FLOP/s and bytes/s reached per device */
	double link, alpha;    /* all-reduce: bytes/s one way, s fixed */
	bool nvlink;	       /* devices joined by NVLink, else PCIe */
	double mem, overhead;  /* bytes per device */
	double max_seqs, kv_frac;
	double net; /* s: round trip and upload from a site to a remote venue */
};

/* One layout: tp devices per engine, replicas engines. */
struct layout {
	int tp, replicas;
	double w_dev, kv_dev; /* weight bytes, KV bytes per token */
	double bmax;	      /* sequences the KV cache holds */
};

/* The operating point of one engine. */
struct point {
	double b, tpot, ttft, ttft99, latency, latency99, tok_s;
	double tpot_over; /* share of requests over tpot_p99, 0: no target */
	enum model_limit limit;
	bool meets;	   /* the targets on site (on-prem pool, edge board) */
	bool meets_remote; /* and with the network of a remote venue */
};

/* Arithmetic precision of a weight format: W4A16 multiplies in 16 bits
 * (the 4-bit weights are widened in the kernel), and so does FP8 on a
 * device without FP8 units (W8A16: vLLM runs FP8 checkpoints on Turing
 * and Ampere "as weight-only W8A16, utilizing FP8 Marlin", docs.vllm.ai
 * features/quantization/fp8); the others as stored. */
static enum pricing_precision compute_precision(const struct pricing_accel *acc,
						enum pricing_precision p)
{
	if (p == PRICING_INT4 || (p == PRICING_FP8 && !(acc->tflops[p] > 0)))
		return PRICING_FP16;
	return p;
}

/* Maximum achievable matmul efficiency (share of the dense datasheet
 * peak the best GEMM shapes reach) where it is published: stas00/
 * ml-engineering, compute/accelerator/README.md, "Maximum Achievable
 * Matmul FLOPS comparison table" (torch 2.6-2.7, mean of 100
 * iterations): A100 SXM BF16 271.2 of 312 (86.9%), H100 SXM BF16 794.5
 * of 989 (80.3%, "H200 is the same"), H100 SXM FP8 1402.6 of 1979
 * (70.9%), H200 SXM FP8 1453.4 of 1979 (73.4%), GB200 FP8 3615.6 of
 * 5000 (72.3%). FP16 runs on the BF16 units at the same rate. */
static const struct {
	const char *accel;
	enum pricing_precision p;
	double eff;
} mamf[] = {
	{"A100-80GB", PRICING_FP16, 0.869}, {"A100-80GB", PRICING_BF16, 0.869},
	{"A100-40GB", PRICING_FP16, 0.869}, {"A100-40GB", PRICING_BF16, 0.869},
	{"H100", PRICING_FP16, 0.803},	     {"H100", PRICING_BF16, 0.803},
	{"H100", PRICING_FP8, 0.709},	     {"H200", PRICING_FP16, 0.803},
	{"H200", PRICING_BF16, 0.803},	     {"H200", PRICING_FP8, 0.734},
};

/* GB200's FP8 MAMF: the accelerator prefill_efficiency was measured on
 * (Azure's 2,744 of 5,000 TFLOPS), so a serving step reaches
 * prefill_efficiency / 0.723 of what the best GEMM shapes reach. */
#define MAMF_GB200_FP8 0.723

/* NCCL all-reduce bus bandwidth (nccl-tests' busbw, which the ring
 * term divides by) as a share of the link's one-way rate, at the
 * message sizes of a serving step's all-reduces (tokens x hidden x 2
 * bytes: 2-35 MB). NVLink: an all_reduce_perf sweep on 4 x H100 SXM
 * (waynehacking8/nccl-collectives-bench, results/quiet/all_reduce.txt,
 * NCCL 2.29) takes 63, 102, 176 and 329 us for 8, 16, 32 and 64 MB:
 * with the 23 us fixed cost (allreduce_latency_nvlink_us) that is
 * 314-329 GB/s of bus bandwidth, 0.70-0.73 of the 450 GB/s one way;
 * its largest messages reach 366 (0.81), as 8 x A100 SXM reach
 * 230-250 GB/s of 300 (Alaya New tech blog "NCCL-tests in practice",
 * 2026-05-06). PCIe: 8 x H100 PCIe without NVLink 35-45 GB/s, "PCIe
 * Gen5 limited" (the same table), of 64 GB/s one way: 0.625 at the
 * middle, taken to hold for PCIe Gen4 too (an estimate). */
#define NVLINK_BUSBW_SHARE 0.72
#define PCIE_BUSBW_SHARE 0.625

/* A PCIe group larger than one CPU socket's share of the host: eight
 * PCIe GPUs sit four to a socket in two-socket servers (an assumption:
 * the sources do not describe their hosts), so a ring over eight
 * crosses the link between the sockets, which NCCL's topology model
 * rates at 10 GB/s on Skylake to Ice Lake Xeons (NVIDIA/nccl
 * src/graph/topo.h, SKL_QPI_BW 10.0; 22 on Sapphire Rapids, 24 on AMD
 * Zen 3/4): the ring's bus bandwidth is at most that. Published
 * TensorRT-LLM 0.13 figures agree: Llama 3.1 70B on eight L40S at TP8
 * serves no more than four at TP4 (1,121 and 1,113 output tokens/s at
 * 1000/1000). */
#define PCIE_GPUS_PER_SOCKET 4
#define SOCKET_LINK_GBS 10.0

/* Share of the dense peak the matrix products of a serving step reach
 * on this accelerator and precision: prefill_efficiency, scaled by the
 * accelerator's own MAMF where it is published (docs/perf-model.md). */
static double gemm_efficiency(const struct model_scenario *s,
			      const struct pricing_accel *acc,
			      enum pricing_precision p)
{
	double eff = model_const(s, MODEL_K_PREFILL_EFF);

	for (size_t i = 0; i < sizeof(mamf) / sizeof(mamf[0]); i++)
		if (mamf[i].p == p && !strcmp(mamf[i].accel, acc->name))
			return fmin(1, eff * mamf[i].eff / MAMF_GB200_FP8);
	return eff;
}

/* Fills the shape the scenario left out: layers and hidden size from
 * the parameter count (perf_shape), 128-wide heads (Llama, Mistral,
 * Qwen), `kv_share` of them as KV heads. */
static void llm_shape(const struct model_scenario *s,
		      const struct model_inference *in,
		      struct model_llm_arch *a)
{
	double layers, hidden;

	*a = in->arch;
	perf_shape(s, in->params, &layers, &hidden);
	if (!(a->layers > 0))
		a->layers = fmax(1, round(layers));
	if (!(a->hidden > 0))
		a->hidden = fmax(1, round(hidden));
	if (!(a->heads > 0))
		a->heads = fmax(1, round(a->hidden / 128));
	if (!(a->kv_heads > 0))
		a->kv_heads = fmax(1, round(a->heads *
					    model_const(s, MODEL_K_KV_SHARE)));
	if (!(a->active_params > 0))
		a->active_params = in->params;
}

static void llm_init(const struct perf_ctx *c, const struct model_option *o,
		     struct llm *m)
{
	const struct model_inference *in = &c->w->inference;
	const struct model_scenario *s = c->s;
	const struct pricing_accel *acc = o->accel;
	struct model_llm_arch a;
	bool nvlink = acc->interconnect && !strncmp(acc->interconnect,
						    "nvlink", 6);

	llm_shape(s, in, &a);
	m->N = in->params;
	m->Na = a.active_params;
	m->L = a.layers;
	m->d = a.hidden;
	m->heads = a.heads;
	m->kvh = a.kv_heads;
	m->kv_tok = model_llm_kv_bytes(&a, perf_bytes(in->kv_precision));
	m->wbytes = perf_bytes(in->precision);
	m->p = (double)in->prompt_tokens;
	m->o = fmax(1, (double)in->output_tokens);
	m->p99 = in->prompt_p99 ? (double)in->prompt_p99 : m->p;
	m->o99 = in->output_p99 ? (double)in->output_p99 : m->o;
	m->beams = in->beams > 1 ? (double)in->beams : 1;
	m->peak = perf_peak(acc, compute_precision(acc, in->precision)) *
		  gemm_efficiency(s, acc,
				  compute_precision(acc, in->precision));
	m->bw = acc->bandwidth_gbs * GB * model_const(s, MODEL_K_BW_EFF);
	/* catalogs give both directions together; the bus bandwidth an
	 * all-reduce reaches of it */
	m->link = (acc->interconnect_gbs > 0 ? acc->interconnect_gbs : 32) *
		  GB / 2 *
		  (nvlink ? NVLINK_BUSBW_SHARE : PCIE_BUSBW_SHARE);
	m->nvlink = nvlink;
	m->alpha = model_const(s, nvlink ? MODEL_K_ALLREDUCE_NVLINK_US
					 : MODEL_K_ALLREDUCE_PCIE_US) *
		   1e-6;
	m->mem = o->memory_available;
	m->overhead = model_const(s, MODEL_K_OVERHEAD_GB) * GB;
	m->max_seqs = model_const(s, MODEL_K_MAX_SEQS);
	m->kv_frac = model_const(s, MODEL_K_KV_MEM_FRAC);
	m->net = perf_net_s(s, in);
}

/* Average context a sequence (one beam) attends to over its life. */
static double mean_ctx(const struct llm *m)
{
	return m->p + m->o / 2;
}

/* Average KV-cache tokens a request holds over its life (paged KV
 * cache): with beam search the prompt's blocks are shared by the beams
 * and each beam keeps its own generated tokens (TensorRT-LLM's KV cache
 * manager assigns a request's context blocks once, "shared among
 * beams": cpp/include/tensorrt_llm/batch_manager/kvCacheManager.h,
 * addSequence; vLLM's paged attention shares prefix blocks the same
 * way). */
static double kv_ctx(const struct llm *m)
{
	return m->p + m->beams * m->o / 2;
}

/* KV-cache tokens of the longest request an engine must hold whole at
 * its last token: the p99 prompt once, each beam's p99 output. */
static double kv_whole(const struct llm *m)
{
	return m->p99 + m->beams * m->o99;
}

static void layout_init(const struct llm *m, int tp, int devices,
			struct layout *g)
{
	double free_b;

	g->tp = tp;
	g->replicas = devices / tp;
	g->w_dev = m->N * m->wbytes / tp;
	/* KV heads split over the group; with more devices than KV heads
	 * each device keeps a copy of its head */
	g->kv_dev = m->kv_tok / fmin(tp, m->kvh);
	free_b = (m->mem - g->w_dev - m->overhead) * m->kv_frac;
	g->bmax = free_b > 0 ? floor(free_b / (kv_ctx(m) * g->kv_dev)) : 0;
	/* an engine whose cache cannot hold one whole request does not
	 * start (vLLM: "The model's max seq len (29000) is larger than the
	 * maximum number of tokens that can be stored in KV cache
	 * (23648)", vllm-project/vllm issue 10517; pull request 2163: it
	 * hung before) */
	if (free_b < kv_whole(m) * g->kv_dev)
		g->bmax = 0;
	/* the cap counts requests, as TensorRT-LLM's max_batch_size does
	 * (its beams are max_beam_width apart; the KV budget above holds
	 * every beam) */
	g->bmax = fmin(g->bmax, m->max_seqs);
	/* the requests a step's prefill budget keeps fed: each step admits
	 * b / o new prompts of p tokens, at most MODEL_LLM_CHUNK_TOKENS of
	 * them a step (as the simulator runs it); more would wait for
	 * their prefill, not decode */
	if (m->p > 0 && g->bmax > 0)
		g->bmax = fmin(g->bmax, fmax(1, floor(MODEL_LLM_CHUNK_TOKENS *
						      m->o / m->p)));
}

/* Seconds of one engine step with b requests decoding (each `beams`
 * sequences: one token per beam) and c prompt tokens prefilled, of
 * prompts of plen tokens (their attention grows with it): the
 * matrix products (compute, and streaming the weights they touch),
 * attention (compute, or streaming the KV cache: each beam reads the
 * prompt it shares, an assumption, as the kernels gather a beam's
 * blocks), and two all-reduces per layer across the tensor-parallel
 * group. */
static double step_time(const struct llm *m, const struct layout *g,
			double r, double c, double plen,
			enum model_limit *limit)
{
	double t = g->tp, b = r * m->beams, tokens = b + c, ctx = mean_ctx(m);
	/* a mixture of experts touches more experts as tokens grow */
	double touched = fmin(m->N, m->Na * fmax(tokens, 1));
	double gemm_c = 2 * m->Na * tokens / t / m->peak;
	double gemm_m = touched * m->wbytes / t / m->bw;
	double attn_c = (4 * m->L * m->d * ctx * b +
			 2 * m->L * m->d * plen * c) / t / m->peak;
	double attn_m = b * ctx * g->kv_dev / m->bw;
	double comm = 0, link = m->link;

	/* a PCIe ring across two CPU sockets runs at the socket link */
	if (!m->nvlink && g->tp > PCIE_GPUS_PER_SOCKET)
		link = fmin(link, SOCKET_LINK_GBS * GB);
	if (g->tp > 1)
		comm = 2 * m->L *
		       (m->alpha + 2 * (t - 1) / t * tokens * m->d * 2 / link);
	if (limit)
		*limit = gemm_c + attn_c >= gemm_m + attn_m
				 ? MODEL_LIMIT_COMPUTE
				 : MODEL_LIMIT_BANDWIDTH;
	/* matrix products of a serving step sit near the ridge, where
	 * neither peak is reached while the other works: their compute and
	 * weight streaming add up (docs/perf-model.md) */
	return gemm_c + gemm_m + fmax(attn_c, attn_m) + comm;
}

/* Standard normal quantiles at (i + 0.5) / 32: equally likely output
 * lengths of a lognormal (Python's statistics.NormalDist().inv_cdf). */
static const double z32[32] = {
	-2.153875, -1.675940, -1.417797, -1.229859, -1.077516, -0.946782,
	-0.830511, -0.724514, -0.626099, -0.533410, -0.445097, -0.360130,
	-0.277690, -0.197099, -0.117770, -0.039176, 0.039176,  0.117770,
	0.197099,  0.277690,  0.360130,	 0.445097,  0.533410,  0.626099,
	0.724514,  0.830511,  0.946782,	 1.077516,  1.229859,  1.417797,
	1.675940,  2.153875,
};

/* The prompt tokens a step must prefill beside b decodes to last t s
 * (the step only grows with them), at most max. */
static double prefill_for(const struct llm *m, const struct layout *g,
			  double r, double t, double max)
{
	double lo = 0, hi = max;

	if (step_time(m, g, r, hi, m->p, NULL) <= t)
		return hi;
	for (int i = 0; i < 40; i++) {
		double mid = (lo + hi) / 2;

		if (step_time(m, g, r, mid, m->p, NULL) > t)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* The share of requests whose time per output token exceeds t with r
 * requests (b sequences) decoding. A request's token time is the mean
 * of its o - 1 steps, each with the prompts admitted since the last
 * prefilled alongside (the other r - 1 requests end at (r - 1) / o a
 * step, and as many take their place at full batch; lengths lognormal
 * with the prompt's mean and p99) (docs/perf-model.md, "Time per output
 * token at the p99"): the prompt tokens of its steps are compound
 * Poisson, taken as lognormal with the same mean and variance, and a
 * request is over t when they exceed what o - 1 steps of t hold. Output
 * lengths: 32 equally likely lognormal quantiles; one token: no token
 * time (as the simulator counts them). */
static double tpot_over(const struct llm *m, const struct layout *g,
			double r, double t)
{
	/* the other sequences' turnover: a request's own slot does not
	 * turn over while it decodes */
	double a = fmax(r - 1, 0) / m->o;
	double sp = model_llm_sigma(m->p, m->p99);
	double so = model_llm_sigma(m->o, m->o99);
	double ep2 = m->p * m->p * exp(sp * sp), n[32], cap = 0, over = 0;
	int counted = 0;

	for (int i = 0; i < 32; i++) {
		n[i] = round(m->o * exp(-so * so / 2 + so * z32[i])) - 1;
		counted += n[i] >= 1;
	}
	/* one-token answers have no token time */
	if (!counted)
		return 0;
	if (step_time(m, g, r, 0, m->p, NULL) > t)
		return 1;
	/* nothing prefilled beside it: every step is the decode step */
	if (!(a > 0) || !(m->p > 0))
		return 0;
	cap = prefill_for(m, g, r, t, MODEL_LLM_CHUNK_TOKENS);
	if (cap >= MODEL_LLM_CHUNK_TOKENS)
		return 0;
	for (int i = 0; i < 32; i++) {
		double mean, var, s2, mu;

		if (n[i] < 1)
			continue;
		mean = n[i] * a * m->p;
		var = n[i] * a * ep2;
		s2 = log(1 + var / (mean * mean));
		mu = log(mean) - s2 / 2;
		over += 0.5 * erfc((log(n[i] * cap) - mu) / sqrt(2 * s2));
	}
	return over / counted;
}

/* The p99 time per output token over requests at r (see tpot_over):
 * from the step that only decodes (a lone request's every step) up to
 * one that prefills MODEL_LLM_CHUNK_TOKENS. */
static double tpot_p99(const struct llm *m, const struct layout *g, double r)
{
	double lo = step_time(m, g, r, 0, m->p, NULL);
	double hi = step_time(m, g, r, MODEL_LLM_CHUNK_TOKENS, m->p, NULL);

	if (tpot_over(m, g, r, lo) <= 0.01)
		return lo;
	for (int i = 0; i < 40; i++) {
		double mid = (lo + hi) / 2;

		if (tpot_over(m, g, r, mid) > 0.01)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

/* The engine with b sequences in flight: each step decodes one token of
 * each and prefills b p / o prompt tokens (the steady state); a new
 * prompt is prefilled within one step. */
static void operate(const struct perf_ctx *c, const struct llm *m,
		    const struct layout *g, double b, struct point *pt)
{
	const struct model_inference *in = &c->w->inference;
	double own;

	pt->b = b;
	pt->tpot = step_time(m, g, b, b * m->p / m->o, m->p, &pt->limit);
	pt->ttft = step_time(m, g, b, m->p, m->p, NULL);
	pt->ttft99 = step_time(m, g, b, m->p99, m->p99, NULL);
	/* a request's own prompt is prefilled before its first token:
	 * its decode steps carry the other requests' prompts only (the
	 * engine's mean step above, what the throughput counts, carries
	 * every prompt) */
	own = b > 1 ? step_time(m, g, b, (b - 1) * m->p / m->o, m->p, NULL)
		    : step_time(m, g, b, 0, m->p, NULL);
	pt->latency = pt->ttft + (m->o - 1) * own;
	pt->latency99 = pt->ttft99 + (m->o99 - 1) * own;
	pt->tok_s = b / pt->tpot;
	pt->tpot_over = in->tpot_p99 > 0 ? tpot_over(m, g, b, in->tpot_p99) : 0;
	pt->meets = !(in->latency_p99 > 0 && pt->latency99 > in->latency_p99) &&
		    !(in->ttft_p99 > 0 && pt->ttft99 > in->ttft_p99) &&
		    !(pt->tpot_over > 0.01);
	/* the first and last tokens reach a site a round trip later from
	 * a remote venue (the simulator adds it too); a token's spacing
	 * does not change */
	pt->meets_remote =
		pt->meets &&
		!(in->latency_p99 > 0 &&
		  pt->latency99 + m->net > in->latency_p99) &&
		!(in->ttft_p99 > 0 && pt->ttft99 + m->net > in->ttft_p99);
}

/* Whether pt meets the targets: from a remote venue too, or on site. */
static bool point_meets(const struct point *pt, bool remote)
{
	return remote ? pt->meets_remote : pt->meets;
}

/* The most sequences that meet the targets (they only get slower as
 * sequences are added), or one sequence if none does. The targets are
 * met from a remote venue when one sequence can (one option serves
 * every venue: on site the batch then keeps the round trip in hand),
 * else on site only. */
static void best_point(const struct perf_ctx *c, const struct llm *m,
		       const struct layout *g, struct point *pt)
{
	double lo = 1, hi = g->bmax;
	bool remote;

	operate(c, m, g, hi, pt);
	if (pt->meets_remote)
		return;
	operate(c, m, g, 1, pt);
	if (!pt->meets)
		return;
	remote = pt->meets_remote;
	while (hi - lo > 1) {
		double mid = floor((lo + hi) / 2);

		operate(c, m, g, mid, pt);
		if (point_meets(pt, remote))
			lo = mid;
		else
			hi = mid;
	}
	operate(c, m, g, lo, pt);
}

static void fill(const struct llm *m, const struct layout *g,
		 const struct point *pt, struct model_option *o)
{
	double per_dev = g->replicas / (double)o->devices;

	o->tp = g->tp;
	o->replicas = g->replicas;
	o->batch = (int)pt->b;
	o->limit = pt->limit;
	o->ttft_ms = pt->ttft * 1000;
	o->tpot_ms = pt->tpot * 1000;
	o->tpot99_ms = tpot_p99(m, g, pt->b) * 1000;
	o->latency_ms = pt->latency * 1000;
	o->ttft99_ms = pt->ttft99 * 1000;
	o->latency99_ms = pt->latency99 * 1000;
	o->decode_tokens_per_second = pt->tok_s * per_dev;
	o->rps_per_device = pt->tok_s / m->o * per_dev;
	o->meets_latency = pt->meets;
	o->meets_latency_remote = pt->meets_remote;
	o->mem.weights = g->w_dev;
	o->mem.kv_cache = pt->b * kv_ctx(m) * g->kv_dev;
	o->mem.overhead = m->overhead;
	o->mem.total = o->mem.weights + o->mem.kv_cache + o->mem.overhead;
	o->fits = true;
}

/* How far pt (of layout g) is from the targets it misses at worst: its
 * figure over the target (1 or less: met). */
static double miss_ratio(const struct llm *m, const struct layout *g,
			 const struct model_inference *in,
			 const struct point *pt)
{
	double r = 0;

	if (in->latency_p99 > 0)
		r = fmax(r, pt->latency99 / in->latency_p99);
	if (in->ttft_p99 > 0)
		r = fmax(r, pt->ttft99 / in->ttft_p99);
	if (in->tpot_p99 > 0)
		r = fmax(r, tpot_p99(m, g, pt->b) / in->tpot_p99);
	return r;
}

/* Whether layout g at pt beats the best so far: targets first (from a
 * remote venue, then on site), then throughput; ties keep fewer devices
 * per engine. A layout that misses them comes as close as it can (the
 * fastest engine: the figure `plan` quotes as the best there is). */
static bool better(const struct llm *m, const struct model_inference *in,
		   const struct point *pt, const struct layout *g,
		   const struct point *best, const struct layout *bestg)
{
	int tier = pt->meets + pt->meets_remote;
	int best_tier = best->meets + best->meets_remote;

	if (tier != best_tier)
		return tier > best_tier;
	if (!tier)
		return miss_ratio(m, g, in, pt) <
		       miss_ratio(m, bestg, in, best);
	return pt->tok_s * g->replicas > best->tok_s * bestg->replicas;
}

bool perf_llm(const struct perf_ctx *c, struct model_option *o)
{
	const struct model_inference *in = &c->w->inference;
	struct llm m;
	struct point best = {0}, pt;
	struct layout g, bestg = {0};
	bool found = false;

	llm_init(c, o, &m);
	memset(&o->mem, 0, sizeof(o->mem));
	if (m.peak <= 0) {
		o->limit = MODEL_LIMIT_NONE;
		perf_note(o, "no %s rate in the catalog",
			  pricing_precision_names[in->precision]);
		return false;
	}
	/* the deployed layout when the scenario states it, else the
	 * powers of two up to the device count that split the heads of a
	 * known shape whole (engines refuse others: vLLM "Total number of
	 * attention heads (28) must be divisible by tensor parallel size") */
	for (int tp = in->tp > 0 ? (int)in->tp : 1;
	     tp <= (in->tp > 0 ? (int)in->tp : o->devices); tp *= 2) {
		if (o->devices % tp ||
		    (in->arch.heads > 0 && fmod(in->arch.heads, tp) != 0))
			continue;
		layout_init(&m, tp, o->devices, &g);
		if (g.bmax < 1)
			continue;
		best_point(c, &m, &g, &pt);
		if (!found || better(&m, in, &pt, &g, &best, &bestg)) {
			best = pt;
			bestg = g;
			found = true;
		}
	}
	if (!found && in->tp > 0 && o->devices % in->tp) {
		o->fits = false;
		o->limit = MODEL_LIMIT_NONE;
		perf_note(o, "TP%ld needs a multiple of %ld devices", in->tp,
			  in->tp);
		return false;
	}
	if (!found) {
		layout_init(&m, in->tp > 0 ? (int)in->tp : o->devices,
			    o->devices, &g);
		/* the share of the free memory an engine gives its cache
		 * is what it must hold the request in */
		o->mem.weights = g.w_dev;
		o->mem.kv_cache = kv_whole(&m) * g.kv_dev / m.kv_frac;
		o->mem.overhead = m.overhead;
		o->mem.total = o->mem.weights + o->mem.kv_cache +
			       o->mem.overhead;
		o->fits = false;
		o->limit = MODEL_LIMIT_MEMORY;
		perf_note(o, "needs %.1f GB per device for the weights and "
			  "the cache of one whole request (%.0f tokens), has "
			  "%.3g GB", o->mem.total / GB, kv_whole(&m),
			  o->memory_available / GB);
		return false;
	}
	fill(&m, &bestg, &best, o);
	return true;
}

/* Units of layout g at pt for rate requests/s: each engine's sequences
 * are the servers of an M/G/c queue (Erlang C with Allen-Cunneen), a
 * request holds one for its latency at pt (Little's law: sequences /
 * requests per second), spread as the output lengths; a request that
 * finds every slot busy waits, and may wait only what the targets leave
 * above pt's p99 figures. At the bare throughput count nearly every
 * request would wait. No TTFT or latency target: the throughput count. */
static double units_at(const struct llm *m, const struct layout *g,
		       const struct model_inference *in,
		       const struct point *pt, double rate, double net)
{
	double unit_rps = pt->tok_s / m->o * g->replicas;
	double slots = fmax(1, pt->b) * g->replicas;
	double count, slack = INFINITY, sigma = model_llm_length_sigma(in);
	int servers;

	if (!(unit_rps > 0))
		return INFINITY;
	count = fmax(1, ceil(rate / unit_rps - 1e-9));
	if (in->ttft_p99 > 0)
		slack = in->ttft_p99 - pt->ttft99;
	if (in->latency_p99 > 0)
		slack = fmin(slack, in->latency_p99 - pt->latency99);
	if (!isfinite(slack) || slack < 0)
		return count;
	if (slack - net >= 0)
		slack -= net;
	servers = model_servers_for(rate, slots / unit_rps,
				    exp(sigma * sigma) - 1, slack, 0.01);
	return servers > 0 ? fmax(count, ceil(servers / slots - 1e-9))
			   : count;
}

double perf_llm_units(const struct perf_ctx *c, struct model_option *o,
		      double rate, double net)
{
	const struct model_inference *in = &c->w->inference;
	struct llm m;
	struct layout g;
	struct point pt, best = {0};
	double units, best_units = INFINITY, top = fmax(1, o->batch);
	/* the batch is chosen for the workload's own rate, so that every
	 * estimate of it (the closed loop's headroom or none: the
	 * simulator, the engines line, emit) runs the same engines; the
	 * headroom only adds engines */
	double own = rate / fmax(c->load, 1);

	llm_init(c, o, &m);
	layout_init(&m, o->tp > 0 ? o->tp : 1, o->devices, &g);
	/* a smaller batch answers sooner and leaves the queue more room:
	 * from o's batch down to half of it, the fewest units (ties keep
	 * the larger batch) */
	for (int k = 10; k >= 5; k--) {
		double b = fmax(1, floor(top * k / 10));

		if (k < 10 && b >= best.b)
			continue;
		operate(c, &m, &g, b, &pt);
		units = units_at(&m, &g, in, &pt, own, net);
		if (units < best_units) {
			best = pt;
			best_units = units;
		}
	}
	if (!isfinite(best_units))
		return 1;
	if (best.b != o->batch)
		fill(&m, &g, &best, o);
	return own == rate ? best_units
			   : units_at(&m, &g, in, &best, rate, net);
}

void model_llm_at_rate(const struct model_scenario *s,
		       const struct model_workload *w,
		       const struct model_option *o, double rate,
		       struct model_llm_point *out)
{
	struct perf_ctx c = {.s = s, .w = w};
	struct llm m;
	struct layout g;
	struct point pt;
	double lo = 1, hi;

	llm_init(&c, o, &m);
	layout_init(&m, o->tp > 0 ? o->tp : 1, o->devices, &g);
	hi = o->batch > 1 ? o->batch : 1;
	/* concurrency b = rate x latency(b) (Little's law): below it the
	 * engine has fewer sequences than arrive, above it more */
	for (int i = 0; i < 50 && hi - lo > 1e-3; i++) {
		double mid = (lo + hi) / 2;

		operate(&c, &m, &g, mid, &pt);
		if (rate * pt.latency > mid)
			lo = mid;
		else
			hi = mid;
	}
	operate(&c, &m, &g, hi, &pt);
	out->sequences = hi;
	out->ttft_s = pt.ttft;
	out->tpot_s = pt.tpot;
	out->latency_s = pt.latency;
}

double model_llm_latency(const struct model_scenario *s,
			 const struct model_workload *w,
			 const struct model_option *o, double rate, bool p99)
{
	struct perf_ctx c = {.s = s, .w = w};
	struct model_llm_point at;
	struct llm m;
	struct layout g;
	struct point pt;

	model_llm_at_rate(s, w, o, rate, &at);
	if (!p99)
		return at.latency_s;
	llm_init(&c, o, &m);
	layout_init(&m, o->tp > 0 ? o->tp : 1, o->devices, &g);
	operate(&c, &m, &g, at.sequences, &pt);
	return pt.latency99;
}

double model_llm_sigma(double mean, double p99)
{
	/* a lognormal of mean 1 whose 99th percentile is r: ln r =
	 * z sigma - sigma^2 / 2, the smaller root (z = 2.3263) */
	const double z = 2.326347874;
	double r, disc;

	if (!(mean > 0) || !(p99 > mean))
		return 0;
	r = p99 / mean;
	disc = z * z - 2 * log(r);
	return disc > 0 ? z - sqrt(disc) : z;
}

double model_llm_length_sigma(const struct model_inference *in)
{
	return model_llm_sigma((double)in->output_tokens,
			       (double)in->output_p99);
}

struct model_llm_engine {
	struct llm m;
	struct layout g;
	double kv_tokens;
};

struct model_llm_engine *model_llm_engine_new(const struct model_scenario *s,
					      const struct model_workload *w,
					      const struct model_option *o)
{
	struct perf_ctx c = {.s = s, .w = w};
	struct model_llm_engine *e;
	double free_b;

	if (w->kind != MODEL_INFERENCE || !w->inference.output_tokens ||
	    !o->fits || o->tp < 1)
		return NULL;
	e = util_xcalloc(1, sizeof(*e));
	llm_init(&c, o, &e->m);
	layout_init(&e->m, o->tp, o->devices, &e->g);
	free_b = (e->m.mem - e->g.w_dev - e->m.overhead) * e->m.kv_frac;
	e->kv_tokens = free_b > 0 ? free_b / e->g.kv_dev : 0;
	return e;
}

void model_llm_engine_free(struct model_llm_engine *e)
{
	free(e);
}

double model_llm_engine_step(const struct model_llm_engine *e, double decode,
			     double prefill)
{
	return step_time(&e->m, &e->g, decode, prefill, e->m.p, NULL);
}

double model_llm_engine_kv_tokens(const struct model_llm_engine *e)
{
	return e->kv_tokens;
}
