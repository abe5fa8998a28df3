/* advise: the layer above the optimiser and the simulator (DESIGN §12,
 * docs/compare.md, docs/targets.md): compare by venue family, verdicts,
 * the targets every option is checked against in simulation and the
 * closed loop that plans, simulates, tightens and plans again. Knows
 * model/, sim/ and pricing/; model/ never depends on sim/. */
#ifndef ADVISE_ADVISE_H
#define ADVISE_ADVISE_H

#include "../model/model.h"
#include "../sim/sim.h"
#include "../util/util.h"

/* ---- compare (advise/compare.c, advise/verdict.c) ---- */

#define ADVISE_COLUMNS (PRICING_NFAMILIES + 1) /* families + hybrid */

struct advise_column {
	const char *name; /* a family's, or "hybrid" */
	bool feasible;
	char *why; /* ruled out: one line */
	struct model_plan plan;
	struct sim_result sim; /* when feasible */
	double initial_cost, monthly_cost, total_cost, cost_per_gpu_hour;
	double transfer_cost, energy_kwh, device_hours;
	char scalability[160];
	const char *maintenance;
};

struct advise_compare {
	const struct model_scenario *s;
	struct advise_column col[ADVISE_COLUMNS];
	int cheapest; /* column, -1 if none is feasible */
	char *verdict;
};

/* Plans s with each venue family alone and with all of them (hybrid),
 * and simulates each plan with o. Returns 0, or an error of planning or
 * simulation (in err). Release out with advise_compare_release. */
int advise_compare(const struct model_scenario *s, const struct sim_opts *o,
		   struct advise_compare *out, struct util_err *err);
void advise_compare_release(struct advise_compare *c);

#endif
