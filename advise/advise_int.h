/* What the files of advise/ share. */
#ifndef ADVISE_ADVISE_INT_H
#define ADVISE_ADVISE_INT_H

#include "advise.h"

/* Maintenance in words, per column (seed 000's "Maintenance" row). */
extern const char *const advise_maintenance[ADVISE_COLUMNS];
/* The line of a plan's explanation that concerns family f (-1: the
 * hybrid), as one line. Caller frees. */
char *advise_ruled_out(const char *why, int f);
/* How far column f scales, and how fast, in words, into buf. */
void advise_scalability(const struct model_scenario *s, int f,
			const struct model_plan *p, char *buf, size_t n);
/* The feasible column with the fewest misses, the cheapest of those;
 * -1 when none is feasible. */
int advise_closest(const struct advise_compare *cmp);
/* Plans s through the closed loop as column f (a family, or
 * PRICING_NFAMILIES: every family, the hybrid) into c, named name. */
int advise_column_run(const struct model_scenario *s,
		      const struct advise_loop_opts *o, int f, const char *name,
		      struct advise_column *c, struct util_err *err);
/* Column f's figures (name, status, costs, why ruled out, scalability)
 * from its closed loop's result c->r, already there. */
void advise_column_fill(const struct model_scenario *s, int f,
			const char *name, struct advise_column *c);
/* After the columns: what the closest would need, then the verdict. */
int advise_compare_finish(const struct advise_loop_opts *o,
			  struct advise_compare *out, struct util_err *err);
/* Fills cmp->cheapest and cmp->verdict from its columns. */
void advise_verdict(struct advise_compare *cmp);

#endif
