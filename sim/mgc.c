/* An M/G/c queue on its own, for validation against queueing formulas
 * and for the kernel's benchmark. */
#include <math.h>
#include <string.h>

#include "sim.h"

enum { ARRIVE, DEPART, NKINDS };

struct mgc_world {
	const struct sim_mgc *q;
	struct sim_station st;
	struct sim_rng arrivals, services;
	uint64_t left, warmup;
	double sigma, mu; /* lognormal */
};

static double service_time(struct mgc_world *w)
{
	switch (w->q->dist) {
	case SIM_DETERMINISTIC:
		return w->q->service;
	case SIM_LOGNORMAL:
		return sim_lognormal(&w->services, w->mu, w->sigma);
	default:
		return sim_exponential(&w->services, w->q->service);
	}
}

static void on_arrive(struct sim_engine *e, uint32_t ent, uint32_t gen)
{
	struct mgc_world *w = sim_ctx(e);

	(void)ent;
	(void)gen;
	if (w->left == w->warmup) /* measure from here on */
		sim_hist_init(w->st.wait);
	sim_station_arrive(&w->st, e, service_time(w));
	if (--w->left)
		sim_schedule(e,
			     sim_now(e) + sim_exponential(&w->arrivals,
							  1 / w->q->lambda),
			     ARRIVE, 0, 0);
}

static void on_depart(struct sim_engine *e, uint32_t ent, uint32_t gen)
{
	struct mgc_world *w = sim_ctx(e);

	(void)ent;
	(void)gen;
	sim_station_depart(&w->st, e);
}

void sim_mgc_run(const struct sim_mgc *q, struct sim_mgc_result *out)
{
	static const sim_handler handlers[NKINDS] = {on_arrive, on_depart};
	struct mgc_world w = {.q = q, .left = q->customers};
	struct sim_engine *e = sim_engine_new(&w, handlers, NKINDS);

	w.warmup = q->customers - q->customers / 10;
	w.sigma = sqrt(log(1 + q->cv * q->cv));
	w.mu = log(q->service) - w.sigma * w.sigma / 2;
	sim_station_init(&w.st, q->servers, DEPART, 0);
	sim_rng_seed(&w.arrivals, q->seed, 2 * q->stream);
	sim_rng_seed(&w.services, q->seed, 2 * q->stream + 1);
	if (q->customers)
		sim_schedule(e, 0, ARRIVE, 0, 0);
	out->events = sim_run(e, INFINITY);
	memcpy(&out->wait, w.st.wait, sizeof(out->wait));
	out->mean_wait = sim_hist_mean(&out->wait);
	sim_station_release(&w.st);
	sim_engine_free(e);
}
