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

const char *cli_fixed_words(const struct model_scenario *s)
{
	return s->venues.storage_cost > 0 ? "staff, overhead and storage"
					  : "staff and overhead";
}
