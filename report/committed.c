/* Costs a scenario pays whatever its plan decides (committed costs,
 * docs/scenario.md#owned-hardware), as the lines plan, compare and the
 * report show: what each is, whether the totals hold it, the amount. */
#include "report.h"

/* Whether some owned device has no price in the scenario (its
 * depreciation then uses the catalog's capex, as if bought at the
 * start). */
static bool owned_unpriced(const struct model_scenario *s)
{
	for (size_t i = 0; i < s->venues.nowned; i++)
		if (s->venues.owned_info[i].price < 0)
			return true;
	return false;
}

size_t report_committed(const struct model_scenario *s,
			struct report_committed out[REPORT_NCOMMITTED])
{
	double capex, maint, fixed, host = model_owned_hosting(s);
	const struct report_committed line[REPORT_NCOMMITTED] = {
		{true, "owned devices' maintenance", "", 0},
		{true, "owned devices' colocation fees", "", host},
		{false, "owned devices' depreciation",
		 owned_unpriced(s) ? " (at catalog capex)" : "", 0},
		{false,
		 s->venues.storage_cost > 0 ? "staff, overhead and storage"
					    : "staff and overhead",
		 "", 0},
	};
	size_t n = 0;

	model_committed(s, &capex, &maint, &fixed);
	for (size_t i = 0; i < REPORT_NCOMMITTED; i++) {
		double v = i == 0 ? maint : i == 1 ? host : i == 2 ? capex
								    : fixed;

		if (v < 0.005)
			continue;
		out[n] = line[i];
		out[n++].amount = v;
	}
	return n;
}
