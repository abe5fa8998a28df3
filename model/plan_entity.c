/* A plan grouped by entity (docs/scenario.md#entities): what each
 * entity's workloads use and cost. */
#include <string.h>

#include "model.h"

void model_plan_entity_totals(const struct model_scenario *s,
			      const struct model_plan *p,
			      struct model_entity_total *out)
{
	memset(out, 0, s->nentities * sizeof(*out));
	for (size_t i = 0; i < s->nworkloads; i++) {
		int e = s->workloads[i].entity;

		if (e >= 0 && (size_t)e < s->nentities)
			out[e].workloads++;
	}
	for (size_t i = 0; i < p->nassign; i++) {
		const struct model_plan_assignment *a = &p->assign[i];
		int e = a->w->entity;

		if (e < 0 || (size_t)e >= s->nentities)
			continue;
		out[e].cost += a->cost;
		out[e].device_hours += a->device_hours;
		out[e].energy_kwh += a->energy_kwh;
	}
}
