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

/* ---- the source of every analysis (advise/source.c, issue 24): one
 * loader for a scenario and its catalog layers, used by every command
 * (plan, compare, sweep, sensitivity, breakeven, ...). ---- */

/* The layers, later ones winning: base (the embedded catalog and fresh
 * price caches, or nothing with --catalog-replace; then the --catalog
 * file, so that the scenario may name what that file defines), the
 * scenario's own `catalog:` key, then the --catalog file once more: it
 * has the last word everywhere. Texts are read once (a sweep loads the
 * scenario for every point). */
struct advise_source {
	const char *path;		     /* the scenario file */
	char *buf;			     /* its text */
	size_t len;
	const struct pricing_catalog *base; /* borrowed */
	const char *catalog;		     /* --catalog FILE, or NULL */
	char *catalog_buf;		     /* its text */
	size_t catalog_len;
};

/* Reads the scenario at path and the catalog file (NULL: none); base is
 * borrowed and must hold the catalog file already. Returns 0, or
 * UTIL_E_NOINPUT / UTIL_E_INPUT (unreadable, too large) in err. Release
 * with advise_source_release. */
int advise_source_init(struct advise_source *src, const char *path,
		       const struct pricing_catalog *base,
		       const char *catalog, struct util_err *err);
void advise_source_release(struct advise_source *src);

/* Loads the scenario of src with the --set overrides set[0..nset) into s
 * (release with model_scenario_release, also on failure): values first,
 * then the catalog layers, then the price multipliers ("*0.5") over all
 * of them. Returns 0; UTIL_E_INPUT with the problems in d; UTIL_E_USAGE
 * in err for an override that leads nowhere or a bad multiplier. */
int advise_source_load(const struct advise_source *src,
		       const struct model_set *set, size_t nset,
		       struct model_scenario *s, struct util_diags *d,
		       struct util_err *err);

#endif
