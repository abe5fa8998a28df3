/* A simulation grouped by entity (docs/scenario.md#entities): realised
 * cost and waits of each entity's workloads. */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

void sim_entity_totals(const struct model_scenario *s,
		       const struct sim_result *r,
		       struct sim_entity_total *out)
{
	double *samples = util_xcalloc(s->nentities + 1, sizeof(double));

	memset(out, 0, s->nentities * sizeof(*out));
	for (size_t i = 0; i < r->nwl; i++) {
		const struct sim_workload_result *x = &r->wl[i];
		struct sim_entity_total *t;
		int e = x->w->entity;

		if (e < 0 || (size_t)e >= s->nentities)
			continue;
		t = &out[e];
		t->cost += x->cost.mean;
		if (!x->has_wait || !x->wait_s.samples)
			continue;
		/* a mean over every job of the entity: weighted by samples */
		t->wait_mean_s += x->wait_s.mean.mean * (double)x->wait_s.samples;
		samples[e] += (double)x->wait_s.samples;
		if (!t->has_wait || x->wait_s.p95.mean > t->wait_p95_s) {
			t->wait_p95_s = x->wait_s.p95.mean;
			t->worst = x->w->name;
		}
		t->has_wait = true;
	}
	for (size_t e = 0; e < s->nentities; e++)
		if (samples[e] > 0)
			out[e].wait_mean_s /= samples[e];
	free(samples);
}
