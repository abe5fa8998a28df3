/* LLM serving engines run step by step (docs/simulator.md "LLM
 * serving"): each engine of a unit keeps up to the planner's sequences in
 * flight (continuous batching) while its KV cache holds them; a step
 * decodes one token of every sequence past its prompt and prefills
 * waiting prompt tokens alongside (chunked prefill), and lasts what the
 * performance model's step takes for that mix (model_llm_engine_step).
 * A request's time to first token is its wait for room, then its prefill
 * steps; its time per output token is the mean gap between its tokens. */
#include <math.h>
#include <string.h>

#include "world_int.h"

/* Prompt tokens one step prefills at most: a longer prompt, or the
 * prompts of several new requests, spread over steps. 8192 is the
 * default `max_num_tokens` of TensorRT-LLM engines (recalled, not read
 * from a stored source: an assumption; docs/simulator.md). */
#define CHUNK_TOKENS 8192.0

bool world_llm_setup(struct world *w, struct unit *u, uint32_t id,
		     const struct model_option *opt, int engines)
{
	const struct model_workload *wl = &w->s->workloads[u->w];

	if (!opt || wl->inference.service_time > 0)
		return false;
	u->llm = model_llm_engine_new(w->s, wl, opt);
	if (!u->llm)
		return false;
	u->neng = (uint32_t)(engines > 0 ? engines : 1);
	u->eng0 = (uint32_t)w->nengines;
	u->max_seqs = opt->batch > 1 ? opt->batch : 1;
	u->kv_tokens = model_llm_engine_kv_tokens(u->llm);
	sim_hist_init(&u->ttft);
	sim_hist_init(&u->tpot);
	w->engines = util_xreallocarray(w->engines, w->nengines + u->neng,
					sizeof(*w->engines));
	for (uint32_t i = 0; i < u->neng; i++) {
		memset(&w->engines[w->nengines], 0, sizeof(*w->engines));
		w->engines[w->nengines++].unit = id;
	}
	return true;
}

/* A length given as a mean, or as {mean, p99}: lognormal around the
 * mean with that 99th percentile. */
static long draw_length(struct unit *u, long mean, long p99, long least)
{
	double sigma = model_llm_sigma((double)mean, (double)p99), x;

	if (!(sigma > 0))
		return mean > least ? mean : least;
	x = round((double)mean * sim_lognormal(&u->rng, -sigma * sigma / 2,
					       sigma));
	return x > (double)least ? (long)fmin(x, 1e9) : least;
}

static bool room(const struct unit *u, const struct llm_engine *g,
		 const struct llm_seq *q)
{
	/* a lone request always runs, however long */
	return g->nrun == 0 || ((int)g->nrun < u->max_seqs &&
				g->kv_used + q->reserve <= u->kv_tokens);
}

/* Admits waiting requests in order while the engine has room: a slot
 * and KV for the request's whole prompt and output (reserved at
 * admission, so no sequence is evicted). */
static void admit(struct world *w, struct unit *u, struct llm_engine *g)
{
	double now = sim_now(w->e);

	while (g->qlen && room(u, g, &g->q[g->qhead])) {
		struct llm_seq *q = &g->q[g->qhead];

		UTIL_GROW(g->run, g->nrun + 1, g->runcap);
		g->run[g->nrun++] = *q;
		g->kv_used += q->reserve;
		sim_hist_add(&u->st.wait, now - q->arrived);
		g->qhead++;
		g->qlen--;
	}
	if (!g->qlen)
		g->qhead = 0;
}

/* Starts a step with the sequences in flight: every decoding sequence
 * gives a token, prompts are prefilled in order of admission up to the
 * step's budget. */
static void step_start(struct world *w, struct unit *u, uint32_t eng)
{
	struct llm_engine *g = &w->engines[eng];
	double budget = CHUNK_TOKENS, prefill = 0, decode = 0;

	if (!g->nrun) {
		g->stepping = false;
		return;
	}
	for (size_t i = 0; i < g->nrun; i++) {
		struct llm_seq *q = &g->run[i];

		q->chunk = 0;
		if (q->prompt_left > 0) {
			q->chunk = fmin(q->prompt_left, budget);
			budget -= q->chunk;
			prefill += q->chunk;
		} else {
			decode++;
		}
	}
	g->stepping = true;
	g->step_start = sim_now(w->e);
	sim_schedule(w->e, g->step_start + model_llm_engine_step(u->llm, decode,
								 prefill),
		     K_LLM_STEP, eng, 0);
}

/* A request's last token: its latency, time per output token and KV
 * released. */
static void finish(struct world *w, struct unit *u, struct llm_engine *g,
		   const struct llm_seq *q)
{
	const struct model_inference *in = &w->s->workloads[u->w].inference;
	double now = sim_now(w->e), lat = now - q->arrived + u->v.rtt_s;

	g->kv_used = fmax(g->kv_used - q->reserve, 0);
	sim_hist_add(&u->st.sojourn, lat);
	u->st.served++;
	if (in->latency_p99 > 0 && lat > in->latency_p99)
		u->st.late++;
	if (q->output > 1) {
		double tpot = (now - q->first) / (double)(q->output - 1);

		sim_hist_add(&u->tpot, tpot);
		if (in->tpot_p99 > 0 && tpot > in->tpot_p99)
			u->tpot_late++;
	}
}

/* The token a sequence gets at the end of a step; whether it is done. */
static bool advance(struct world *w, struct unit *u, struct llm_seq *q)
{
	const struct model_inference *in = &w->s->workloads[u->w].inference;
	double now = sim_now(w->e);

	if (q->chunk > 0) {
		q->prompt_left -= q->chunk;
		if (q->prompt_left > 1e-9)
			return false;
		q->prompt_left = 0;
		q->first = now;
		q->made = 1;
		sim_hist_add(&u->ttft, now - q->arrived + u->v.rtt_s);
		if (in->ttft_p99 > 0 && now - q->arrived + u->v.rtt_s >
						 in->ttft_p99)
			u->ttft_late++;
	} else {
		q->made++;
	}
	return q->made >= q->output;
}

void world_llm_step_end(struct sim_engine *e, uint32_t eng, uint32_t gen)
{
	struct world *w = sim_ctx(e);
	struct llm_engine *g = &w->engines[eng];
	struct unit *u = &w->units[g->unit];
	size_t kept = 0;

	(void)gen;
	u->seq_area += (double)g->nrun * (sim_now(e) - g->step_start);
	/* compacted in place: admission order is the prefill order */
	for (size_t i = 0; i < g->nrun; i++) {
		if (advance(w, u, &g->run[i]))
			finish(w, u, g, &g->run[i]);
		else
			g->run[kept++] = g->run[i];
	}
	g->nrun = kept;
	admit(w, u, g);
	step_start(w, u, eng);
}

/* The engine with the fewest requests, in flight or waiting (a load
 * balancer's least-requests rule); ties to the first. */
static uint32_t route(const struct world *w, const struct unit *u)
{
	uint32_t best = u->eng0;

	for (uint32_t i = u->eng0 + 1; i < u->eng0 + u->neng; i++) {
		const struct llm_engine *a = &w->engines[i];
		const struct llm_engine *b = &w->engines[best];

		if (a->nrun + a->qlen < b->nrun + b->qlen)
			best = i;
	}
	return best;
}

void world_llm_request(struct world *w, uint32_t id)
{
	struct unit *u = &w->units[id];
	const struct model_inference *in = &w->s->workloads[u->w].inference;
	uint32_t eng = route(w, u);
	struct llm_engine *g = &w->engines[eng];
	struct llm_seq q = {.arrived = sim_now(w->e)};
	long prompt = draw_length(u, in->prompt_tokens, in->prompt_p99, 0);

	q.output = draw_length(u, in->output_tokens, in->output_p99, 1);
	/* an empty prompt still takes a step for the first token */
	q.prompt_left = prompt > 0 ? (double)prompt : 1;
	q.reserve = (double)prompt + (double)q.output;
	u->st.arrived++;
	if (g->qhead > 0 && g->qhead + g->qlen >= g->qcap) {
		memmove(g->q, g->q + g->qhead, g->qlen * sizeof(*g->q));
		g->qhead = 0;
	}
	UTIL_GROW(g->q, g->qhead + g->qlen + 1, g->qcap);
	g->q[g->qhead + g->qlen++] = q;
	/* joins at the next step; an idle engine starts one now */
	if (!g->stepping) {
		admit(w, u, g);
		step_start(w, u, eng);
	}
}

void world_llm_release(struct world *w)
{
	for (size_t i = 0; i < w->nengines; i++) {
		free(w->engines[i].run);
		free(w->engines[i].q);
	}
	free(w->engines);
	for (size_t i = 0; i < w->nunits; i++)
		model_llm_engine_free(w->units[i].llm);
}
