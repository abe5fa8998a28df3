/* The commands' tables, rendered by report/table.c at the terminal's
 * width (cli_term). */
#include <string.h>

#include "../report/format.h"
#include "cli.h"

struct cli_term cli_term; /* no width limit, no colour: files and pipes */

void cli_table_init(struct cli_table *t, size_t ncols,
		    const char *const *head, const bool *right)
{
	report_table_init(t, ncols, head, right);
}

void cli_table_row(struct cli_table *t, const char *const *cells)
{
	report_table_row(t, cells);
}

void cli_table_release(struct cli_table *t)
{
	report_table_release(t);
}

void cli_table_render(const struct cli_table *t, enum cli_format f,
		      struct util_buf *out)
{
	struct report_style st = {cli_term.width, cli_term.color};

	if (f == CLI_CSV)
		report_table_csv(t, out);
	else if (f == CLI_MARKDOWN)
		report_table_markdown(t, out);
	else
		report_table_text(t, &st, out);
}

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

void cli_committed_costs(const struct model_scenario *s, bool columns,
			 struct util_buf *out)
{
	double capex, maint, fixed, host = model_owned_hosting(s);
	const char *in = columns ? "in the totals" : "in the total";
	const char *outside = columns ? "outside them" : "outside it";
	char m[64];

	model_committed(s, &capex, &maint, &fixed);
	const struct {
		const char *where, *what;
		double v;
		const char *note;
	} line[] = {
		{in, "owned devices' maintenance", maint, ""},
		{in, "owned devices' colocation fees", host, ""},
		{outside, "owned devices' depreciation", capex,
		 owned_unpriced(s) ? " (at catalog capex)" : ""},
		{outside,
		 s->venues.storage_cost > 0 ? "staff, overhead and storage"
					    : "staff and overhead",
		 fixed, ""},
	};

	if (capex + maint + fixed + host < 0.005)
		return;
	util_buf_puts(out, columns
			   ? "\ncommitted costs, the same in every column:\n"
			   : "committed costs, paid whatever the plan "
			     "decides:\n");
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(line); i++)
		if (line[i].v >= 0.005)
			util_buf_printf(out, "  %s: %s %s%s\n", line[i].where,
					line[i].what,
					util_fmt_money(m, sizeof(m), line[i].v,
						       s->currency, false),
					line[i].note);
}
