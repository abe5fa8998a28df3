/* The commands' tables, rendered by report/table.c at the terminal's
 * width (cli_term). */
#include <string.h>

#include "../report/format.h"
#include "../report/report.h"
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

void cli_committed_costs(const struct model_scenario *s, bool columns,
			 struct util_buf *out)
{
	struct report_committed line[REPORT_NCOMMITTED];
	size_t n = report_committed(s, line);
	char m[64];

	if (!n)
		return;
	util_buf_puts(out, columns
			   ? "\ncommitted costs, the same in every column:\n"
			   : "committed costs, paid whatever the plan "
			     "decides:\n");
	for (size_t i = 0; i < n; i++)
		util_buf_printf(out, "  %s: %s %s%s\n",
				line[i].in_total
					? columns ? "in the totals" : "in the total"
				: columns ? "outside them"
					  : "outside it",
				line[i].what,
				util_fmt_money(m, sizeof(m), line[i].amount,
					       s->currency, false),
				line[i].note);
}
