/* Rented capacity: whether a plan asks an offer for more devices at once
 * than it gives (docs/formulation.md, limits). Services and sessions are
 * held to the limit by the model's rows; batch work is not scheduled in
 * time by the planner, so it is reported here and queued by the
 * simulator. */
#include <math.h>

#include "model.h"

/* Devices an assignment's work would hold at once if nothing limited it:
 * the jobs of a sweep (or jobs of a day for a total of device-hours) all
 * start together, as the simulator submits them. */
static double at_once(const struct model_plan_assignment *a)
{
	const struct model_research *r = &a->w->research;
	double jobs;

	if (a->w->kind != MODEL_RESEARCH || a->devices < 1)
		return a->devices;
	jobs = r->job_count > 0
		       ? round((double)r->job_count * a->share)
		       : ceil(a->device_hours / a->devices / 24);
	return fmax(jobs, 1) * a->devices;
}

size_t model_plan_limits(const struct model_scenario *s,
			 const struct model_plan *p, struct util_buf *out)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nassign; i++) {
		const struct model_plan_assignment *a = &p->assign[i];
		double limit = model_offer_limit(s, a->offer), want = at_once(a);

		if (limit <= 0 || want <= limit)
			continue;
		util_buf_printf(out, "limit: '%s' would run %.0f x %s at once "
				"on %s, which gives at most %.0f: its jobs "
				"queue, %.0f hours of work at the limit\n",
				a->w->name, want, a->accel, a->venue, limit,
				a->device_hours / limit);
		n++;
	}
	return n;
}
