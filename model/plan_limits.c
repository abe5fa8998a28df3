/* What a plan's assignments imply that its table does not say. Rented
 * capacity: whether a plan asks an offer for more devices at once than
 * it gives (docs/formulation.md, limits); services and sessions are
 * held to the limit by the model's rows, batch work is not scheduled in
 * time by the planner, so it is reported here and queued by the
 * simulator. Courses whose sessions are split over venues (one_venue
 * not asked for). */
#include <math.h>
#include <string.h>

#include "model.h"

/* Devices an assignment's work would hold at once if nothing limited
 * it. Jobs submitted steadily (the default) come as the plan schedules
 * the work, within each period: the busiest period's devices
 * (peak_devices). Submitted in a burst, or front-loaded, the jobs of a
 * sweep (or jobs of a day for a total of device-hours) start together,
 * as the simulator submits them. (All of them at once for steady work
 * too made a manager's 613,385 L4-hours over a year read "would run
 * 25558 x L4 at once" where the plan holds 71.) */
static double at_once(const struct model_plan_assignment *a)
{
	const struct model_research *r = &a->w->research;
	double jobs;

	if (a->w->kind != MODEL_RESEARCH || a->devices < 1)
		return a->devices;
	if (r->submission == MODEL_SUBMIT_STEADY && !a->w->pinned)
		return fmax(a->peak_devices, a->devices);
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

		char h[32], w[32], k[32];
		/* to its deadline, else to the horizon's end */
		double end = a->w->deadline > 0 ? a->w->deadline : s->horizon;
		double window = (end - a->w->start) / MODEL_HOUR;

		if (limit <= 0 || want <= limit)
			continue;
		util_buf_printf(out, "limit: '%s' would run %s x %s at once "
				"on %s, which gives at most %.0f: its jobs "
				"queue, %s hours of work at the limit",
				a->w->name, util_fmt_grouped(k, sizeof(k), want),
				a->accel, a->venue, limit,
				util_fmt_grouped(h, sizeof(h),
						 a->device_hours / limit));
		if (window > 0 && a->device_hours / limit > window)
			util_buf_printf(out, ", more than the %s hours from "
					"its start to %s",
					util_fmt_grouped(w, sizeof(w), window),
					a->w->deadline > 0
						? "its deadline"
						: "the end of the horizon");
		util_buf_puts(out, "\n");
		n++;
	}
	return n;
}

/* Whether assignments a and b are on one venue in one_venue's sense
 * (docs/formulation.md): the on-prem pools together, else one
 * provider's region in one family (an academic cluster is its own). */
static bool same_venue(const struct model_plan_assignment *a,
		       const struct model_plan_assignment *b)
{
	if (a->family != b->family)
		return false;
	if (!a->offer || !b->offer)
		return !a->offer && !b->offer;
	if (a->family == PRICING_ACADEMIC)
		return a->offer == b->offer;
	return !strcmp(a->offer->provider, b->offer->provider) &&
	       !strcmp(a->offer->region ? a->offer->region : "",
		       b->offer->region ? b->offer->region : "");
}

/* The venues and shares of course wl in p, "(v1 50.0%, v2 50.0%)", in
 * out when they are more than one venue; false when they are one. */
static bool split_venues(const struct model_workload *wl,
			 const struct model_plan *p, struct util_buf *out)
{
	const struct model_plan_assignment *first = NULL;
	bool split = false;

	for (size_t i = 0; i < p->nassign && !split; i++) {
		const struct model_plan_assignment *a = &p->assign[i];

		if (a->w != wl || !(a->share > 1e-9))
			continue;
		if (!first)
			first = a;
		else
			split = !same_venue(first, a);
	}
	if (!split)
		return false;
	util_buf_puts(out, "(");
	for (size_t i = 0, k = 0; i < p->nassign; i++)
		if (p->assign[i].w == wl && p->assign[i].share > 1e-9)
			util_buf_printf(out, "%s%s %.1f%%", k++ ? ", " : "",
					p->assign[i].venue,
					100 * p->assign[i].share);
	util_buf_puts(out, ")");
	return true;
}

/* Occurrences of one recurring course split the same way make one line
 * ("split: 'intro-dl' (jan-y1, sep-y1, ...) runs ..."), where a line per
 * occurrence repeated itself 6 times for a course given every semester
 * for three years. */
size_t model_plan_split_sessions(const struct model_scenario *s,
				 const struct model_plan *p,
				 struct util_buf *out)
{
	size_t n = 0, nw = s->nworkloads;
	char **how = util_xcalloc(nw + 1, sizeof(*how));

	for (size_t w = 0; w < nw; w++) {
		const struct model_workload *wl = &s->workloads[w];
		struct util_buf b;

		if (wl->kind != MODEL_TEACHING || wl->teaching.one_venue)
			continue;
		util_buf_init(&b);
		if (split_venues(wl, p, &b))
			how[w] = util_buf_detach(&b);
		util_buf_release(&b);
	}
	for (size_t w = 0; w < nw; w++) {
		const struct model_workload *wl = &s->workloads[w];
		size_t same = 0;

		if (!how[w])
			continue;
		for (size_t v = w + 1; v < nw && wl->series; v++)
			same += how[v] && s->workloads[v].series &&
				!strcmp(s->workloads[v].series, wl->series) &&
				!strcmp(how[v], how[w]);
		if (!same) {
			util_buf_printf(out, "split: '%s' runs", wl->name);
		} else {
			size_t len = strlen(wl->series) + 1;

			util_buf_printf(out, "split: '%s' (%s", wl->series,
					wl->name + len);
			for (size_t v = w + 1; v < nw; v++) {
				if (!how[v] || !s->workloads[v].series ||
				    strcmp(s->workloads[v].series,
					   wl->series) ||
				    strcmp(how[v], how[w]))
					continue;
				util_buf_printf(out, ", %s",
						s->workloads[v].name + len);
				free(how[v]);
				how[v] = NULL;
			}
			util_buf_puts(out, ") runs");
		}
		util_buf_printf(out, " its sessions on more than one venue %s: "
				"one_venue: true keeps every session on one\n",
				how[w]);
		n += same + 1;
		free(how[w]);
		how[w] = NULL;
	}
	free(how);
	return n;
}
