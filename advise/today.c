/* compare's "today" column (docs/import.md): what the bill says is paid
 * now, carried over the scenario's horizon in its currency, so every
 * option reads as a change from it. */
#include <math.h>
#include <string.h>

#include "advise.h"

int advise_today(const struct model_scenario *s, const struct acct_today *t,
		 struct advise_today *out, struct util_err *err)
{
	double rate = model_fx_rate(s, t->currency);

	memset(out, 0, sizeof(*out));
	if (rate <= 0)
		return util_err_set(err, UTIL_E_INPUT,
				    "%s: the bill is in %s and the scenario "
				    "in %s, with no rate between them: give "
				    "one (--fx %s=N, %s per %s)",
				    t->path, t->currency, s->currency,
				    t->currency, s->currency, t->currency);
	out->bill = *t;
	out->rate = rate;
	out->horizon_months = s->horizon / MODEL_MONTH;
	out->monthly = t->effective * rate / t->months;
	out->total = out->monthly * out->horizon_months;
	out->billed_monthly = t->billed * rate / t->months;
	return 0;
}

double advise_today_change(const struct advise_today *t, double cost)
{
	return t->total > 0 ? (cost - t->total) / t->total : NAN;
}
