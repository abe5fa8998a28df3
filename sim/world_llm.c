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
	u->ttft = util_xmalloc(sizeof(*u->ttft));
	u->tpot = util_xmalloc(sizeof(*u->tpot));
	sim_hist_init(u->ttft);
	sim_hist_init(u->tpot);
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
	x = round((double)mean *
		  sim_lognormal(&u->rng, -sigma * sigma / 2, sigma));
	return x > (double)least ? (long)fmin(x, 1e9) : least;
}

static void fifo_push(struct llm_fifo *f, const struct llm_seq *x)
{
	if (f->head > 0 && f->head + f->len >= f->cap && f->head >= f->len) {
		memmove(f->v, f->v + f->head, f->len * sizeof(*f->v));
		f->head = 0;
	}
	UTIL_GROW(f->v, f->head + f->len + 1, f->cap);
	f->v[f->head + f->len++] = *x;
}

static void fifo_pop(struct llm_fifo *f)
{
	f->head++;
	if (!--f->len)
		f->head = 0;
}

static bool before(const struct llm_seq *a, const struct llm_seq *b)
{
	return a->last_step < b->last_step ||
	       (a->last_step == b->last_step && a->id < b->id);
}

static void heap_push(struct llm_engine *g, const struct llm_seq *x)
{
	size_t i = g->ndec++;

	UTIL_GROW(g->dec, g->ndec, g->deccap);
	while (i > 0 && before(x, &g->dec[(i - 1) / 2])) {
		g->dec[i] = g->dec[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	g->dec[i] = *x;
}

static void heap_pop(struct llm_engine *g)
{
	struct llm_seq last = g->dec[--g->ndec];
	size_t i = 0, n = g->ndec;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && before(&g->dec[c + 1], &g->dec[c]))
			c++;
		if (!before(&g->dec[c], &last))
			break;
		g->dec[i] = g->dec[c];
		i = c;
	}
	if (n)
		g->dec[i] = last;
}

static size_t in_flight(const struct llm_engine *g)
{
	return g->pre.len + g->ndec;
}

static bool room(const struct unit *u, const struct llm_engine *g,
		 const struct llm_seq *q)
{
	/* a lone request always runs, however long */
	return in_flight(g) == 0 || ((int)in_flight(g) < u->max_seqs &&
				     g->kv_used + q->reserve <= u->kv_tokens);
}

/* Admits waiting requests in order while the engine has room: a slot
 * and KV for the request's whole prompt and output (reserved at
 * admission, so no sequence is evicted). */
static void admit(struct world *w, struct unit *u, struct llm_engine *g)
{
	double now = sim_now(w->e);

	while (g->wait.len && room(u, g, &g->wait.v[g->wait.head])) {
		struct llm_seq q = g->wait.v[g->wait.head];

		q.id = g->next_id++;
		g->kv_used += q.reserve;
		sim_hist_add(u->st.wait, now - q.arrived);
		fifo_push(&g->pre, &q);
		fifo_pop(&g->wait);
	}
}

/* Starts a step with the sequences in flight: every decoding sequence
 * gives a token, prompts are prefilled in order of admission up to the
 * step's budget. */
static void step_start(struct world *w, struct unit *u, uint32_t eng)
{
	struct llm_engine *g = &w->engines[eng];
	double budget = MODEL_LLM_CHUNK_TOKENS, prefill = 0;

	if (!in_flight(g)) {
		g->stepping = false;
		return;
	}
	for (size_t i = g->pre.head; i < g->pre.head + g->pre.len && budget > 0;
	     i++) {
		struct llm_seq *q = &g->pre.v[i];

		q->chunk = fmin(q->prompt_left, budget);
		budget -= q->chunk;
		prefill += q->chunk;
	}
	g->stepping = true;
	g->step_start = sim_now(w->e);
	g->step_s = model_llm_engine_step(u->llm, (double)g->ndec, prefill);
	/* decodes alone repeat the same step until the next request ends:
	 * one event for all of them (cut short if a request arrives) */
	g->run = !g->pre.len && g->ndec ? g->dec[0].last_step - g->steps : 1;
	sim_schedule(w->e, g->step_start + (double)g->run * g->step_s,
		     K_LLM_STEP, eng, ++g->gen);
}

/* A request arrived during a run of steps: the run ends with the step
 * under way, so the request joins at the next. */
static void cut_run(struct world *w, uint32_t eng)
{
	struct llm_engine *g = &w->engines[eng];
	double done = floor((sim_now(w->e) - g->step_start) / g->step_s);

	if (!g->stepping || g->run <= 1 || !(done + 1 < (double)g->run))
		return;
	g->run = (uint64_t)done + 1;
	sim_schedule(w->e, g->step_start + (double)g->run * g->step_s,
		     K_LLM_STEP, eng, ++g->gen);
}

/* A request's last token: its latency, time per output token and KV
 * released. */
static void finish(struct world *w, struct unit *u, struct llm_engine *g,
		   const struct llm_seq *q)
{
	const struct model_inference *in = &w->s->workloads[u->w].inference;
	double now = sim_now(w->e), lat = now - q->arrived + u->v.rtt_s;

	g->kv_used = fmax(g->kv_used - q->reserve, 0);
	sim_hist_add(u->st.sojourn, lat);
	u->st.served++;
	if (in->latency_p99 > 0 && lat > in->latency_p99)
		u->st.late++;
	if (q->output > 1) {
		double tpot = (now - q->first) / (double)(q->output - 1);

		sim_hist_add(u->tpot, tpot);
		if (in->tpot_p99 > 0 && tpot > in->tpot_p99)
			u->tpot_late++;
	}
}

/* The prompts of the step: those it finished give their first token
 * (always a prefix of the queue, which is prefilled in order) and
 * decode from the next step on. */
static void prefilled(struct world *w, struct unit *u, struct llm_engine *g)
{
	const struct model_inference *in = &w->s->workloads[u->w].inference;
	double now = sim_now(w->e), ttft;

	while (g->pre.len && g->pre.v[g->pre.head].chunk > 0) {
		struct llm_seq q = g->pre.v[g->pre.head];

		q.prompt_left -= q.chunk;
		g->pre.v[g->pre.head].chunk = 0;
		if (q.prompt_left > 1e-9) { /* the budget ended within it */
			g->pre.v[g->pre.head].prompt_left = q.prompt_left;
			break;
		}
		fifo_pop(&g->pre);
		q.first = now;
		ttft = now - q.arrived + u->v.rtt_s;
		sim_hist_add(u->ttft, ttft);
		if (in->ttft_p99 > 0 && ttft > in->ttft_p99)
			u->ttft_late++;
		if (q.output <= 1) {
			finish(w, u, g, &q);
			continue;
		}
		q.last_step = g->steps + (uint64_t)(q.output - 1);
		heap_push(g, &q);
	}
}

void world_llm_step_end(struct sim_engine *e, uint32_t eng, uint32_t gen)
{
	struct world *w = sim_ctx(e);
	struct llm_engine *g = &w->engines[eng];
	struct unit *u = &w->units[g->unit];

	if (gen != g->gen) /* the run was cut short */
		return;
	u->seq_area += (double)in_flight(g) * (sim_now(e) - g->step_start);
	g->steps += g->run;
	/* decodes first: a sequence that just got its first token decodes
	 * from the next step */
	while (g->ndec && g->dec[0].last_step <= g->steps) {
		struct llm_seq q = g->dec[0];

		heap_pop(g);
		finish(w, u, g, &q);
	}
	prefilled(w, u, g);
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

		if (in_flight(a) + a->wait.len < in_flight(b) + b->wait.len)
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
	/* the beams share the prompt's KV blocks (perf_llm.c, kv_ctx) */
	q.reserve = (double)prompt + (double)(in->beams > 1 ? in->beams : 1) *
					     (double)q.output;
	u->st.arrived++;
	fifo_push(&g->wait, &q);
	/* joins at the next step; an idle engine starts one now */
	if (!g->stepping) {
		admit(w, u, g);
		step_start(w, u, eng);
	} else {
		cut_run(w, eng);
	}
}

void world_llm_release(struct world *w)
{
	for (size_t i = 0; i < w->nengines; i++) {
		free(w->engines[i].wait.v);
		free(w->engines[i].pre.v);
		free(w->engines[i].dec);
	}
	free(w->engines);
	for (size_t i = 0; i < w->nunits; i++)
		model_llm_engine_free(w->units[i].llm);
}
