/* compare --by strategy (docs/compare.md): the scenario's named what-ifs
 * side by side, each planned with every family allowed and simulated
 * through the closed loop, ranked by the same verdict rules as the venue
 * families. Loading each strategy's scenario is the caller's. */
#include <string.h>

#include "advise_int.h"

int advise_compare_strategies(const struct model_scenario *s,
			      const struct model_scenario *const *ss,
			      const char *const *names, size_t n,
			      const struct advise_loop_opts *o,
			      struct advise_compare *out,
			      struct util_err *err)
{
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->s = s;
	out->by_strategy = true;
	if (n > ADVISE_MAX_COLUMNS)
		return util_err_set(err, UTIL_E_USAGE, "%zu strategies: at "
				    "most %d", n, ADVISE_MAX_COLUMNS);
	out->ncol = (int)n;
	for (size_t i = 0; i < n && !rc; i++)
		rc = advise_column_run(ss[i], o, PRICING_NFAMILIES, names[i],
				       &out->col[i], err);
	if (rc)
		return rc;
	return advise_compare_finish(o, out, err);
}
