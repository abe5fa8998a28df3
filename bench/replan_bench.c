/* A re-plan against a cold plan (issue 20): loads a scenario against the
 * embedded catalog extended by CATALOG, plans it cold (keeping its basis,
 * model_plan_opts.warm), then plans it again after each one-parameter
 * change `sensitivity` makes (venue families' prices x1.2, the first
 * workloads' size x1.2), from that basis
 * and cold. Prints CPU seconds and simplex iterations of each, and checks
 * that both find the same objective (to 1e-7 relative).
 * Usage: replan_bench CATALOG SCENARIO [MOVES [FIRST]]: MOVES / 2
 * families' prices, then the size of MOVES / 2 workloads from FIRST.
 * REPLAN_WARM_ONLY=1 plans each move from the basis only (no cold
 * re-plan: for profiles of the warm path), with its restricted solves
 * and the columns they priced in. */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../advise/advise.h"

static double cpu(void)
{
	return (double)clock() / CLOCKS_PER_SEC;
}

static int load(const struct pricing_catalog *c, const char *buf, size_t n,
		const struct model_set *set, size_t nset,
		struct model_scenario *s)
{
	struct util_diags d;
	struct util_err err;
	int rc;

	util_diags_init(&d);
	rc = model_scenario_load_set(s, "scenario", buf, n, c, set, nset, &d,
				     &err);
	util_diags_release(&d);
	return rc;
}

static long rounds, priced; /* of the last plan (plan_colgen.c) */
static size_t cols;
static int colgen_min_cols; /* REPLAN_COLGEN: model_plan_opts' */

/* One plan: CPU s, iterations, objective; -1 s without a plan. */
static double plan(const struct model_scenario *s,
		   struct model_plan_warm *w, long *it, double *obj)
{
	struct model_plan_opts o = {.family = -1, .warm = w,
				    .dump_lp = w ? getenv("REPLAN_DUMP") : NULL,
				    .verbose = getenv("REPLAN_VERBOSE") != NULL,
				    .colgen_min_cols = colgen_min_cols};
	struct model_plan p;
	struct util_err err;
	double t = cpu();
	int rc = model_plan(s, &o, &p, &err);

	t = cpu() - t;
	if (o.verbose && p.log)
		fputs(p.log, stderr);
	*it = p.iterations;
	rounds = p.lp_rounds;
	cols = p.cols;
	priced = p.lp_priced;
	*obj = p.objective;
	if (rc || p.status != MODEL_PLAN_OPTIMAL)
		t = -1;
	model_plan_release(&p);
	return t;
}

int main(int argc, char **argv)
{
	struct pricing_catalog c;
	struct util_diags d;
	struct model_scenario s;
	struct util_err rerr;
	struct model_plan_warm *w = model_plan_warm_new();
	size_t n, moves = 6, first = 0;
	double mult = getenv("REPLAN_MULT") ? strtod(getenv("REPLAN_MULT"), NULL)
					    : 1.2;
	long it, moves_l;
	double obj, cold, sum_warm = 0, sum_cold = 0;
	char *buf;
	int bad = 0, warm_only = getenv("REPLAN_WARM_ONLY") != NULL;

	if (argc < 3)
		return fprintf(stderr, "usage: replan_bench CATALOG SCENARIO "
			       "[MOVES]\n"), 64;
	if (argc > 3 && !util_parse_long(argv[3], 0, 1000, &moves_l))
		moves = (size_t)moves_l;
	if (argc > 4 && !util_parse_long(argv[4], 0, 1000, &moves_l))
		first = (size_t)moves_l;
	if (getenv("REPLAN_COLGEN") &&
	    !util_parse_long(getenv("REPLAN_COLGEN"), 1, 1L << 30, &moves_l))
		colgen_min_cols = (int)moves_l;
	util_diags_init(&d);
	pricing_catalog_init(&c);
	if (pricing_catalog_load_default(&c, &d) ||
	    pricing_catalog_load_file(&c, argv[1], &d) ||
	    util_read_file(argv[2], 1u << 24, &buf, &n, &rerr))
		return fprintf(stderr, "cannot load %s\n", argv[1]), 66;
	util_diags_release(&d);
	if (load(&c, buf, n, NULL, 0, &s))
		return fprintf(stderr, "cannot load %s\n", argv[2]), 65;
	cold = plan(&s, w, &it, &obj);
	printf("cold plan: %.2f s CPU, %ld iterations, objective %.4f "
	       "(%zu columns; %ld restricted solves, %ld columns priced in)\n",
	       cold, it, obj, cols, rounds, priced);
	model_plan_warm_freeze(w);
	for (size_t k = 0; k < moves; k++) {
		struct model_scenario t;
		struct util_err err;
		char path[160], what[200];
		long it_w, it_c;
		double tw, tc, ow, oc;

		if (load(&c, buf, n, NULL, 0, &t))
			return 65;
		if (k < moves / 2) { /* a family's prices */
			snprintf(path, sizeof(path), "catalog.family.%s.price",
				 pricing_family_names[k % PRICING_NFAMILIES]);
			model_override_prices(&t, path, mult, &err);
		} else { /* a workload's size */
			size_t i = (first + k - moves / 2) % s.nworkloads;

			snprintf(path, sizeof(path), "workloads.%s size",
				 s.workloads[i].name);
			advise_scale_workload(&t.workloads[i], mult);
		}
		snprintf(what, sizeof(what), "%s", path);
		tw = plan(&t, w, &it_w, &ow);
		if (warm_only) { /* REPLAN_WARM_ONLY: for profiles */
			printf("%-48s warm %.2f s (%ld it; %ld solves, %ld "
			       "priced in)\n", what, tw, it_w, rounds, priced);
			sum_warm += tw;
			model_scenario_release(&t);
			continue;
		}
		tc = plan(&t, NULL, &it_c, &oc);
		printf("%-48s warm %.2f s (%ld it), cold %.2f s (%ld it), "
		       "%.0f%%%s\n", what, tw, it_w, tc, it_c,
		       100 * tw / tc,
		       fabs(ow - oc) <= 1e-7 * fmax(1, fabs(oc)) ? ""
						: " OBJECTIVES DIFFER");
		bad |= fabs(ow - oc) > 1e-7 * fmax(1, fabs(oc));
		sum_warm += tw;
		sum_cold += tc;
		model_scenario_release(&t);
	}
	printf("re-plans: %.2f s CPU warm, %.2f s cold: %.0f%% (%ld from "
	       "the basis)\n", sum_warm, sum_cold, sum_cold > 0 ? 100 * sum_warm / sum_cold : 0,
	       model_plan_warm_applied(w));
	model_plan_warm_free(w);
	model_scenario_release(&s);
	pricing_catalog_release(&c);
	free(buf);
	return bad;
}
