/* report/: tables that never cut a number, and figures in the units a
 * person reads (DESIGN §12). The HTML and markdown report has its own
 * header (report/report.h); this one holds what every renderer shares. */
#ifndef GPUPLAN_REPORT_FORMAT_H
#define GPUPLAN_REPORT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/util.h"

/* How a text table is laid out: width is the terminal's columns (0: no
 * limit, for files and pipes); color makes the header bold. */
struct report_style {
	int width;
	bool color;
};

/* A table of strings. head and right are the caller's (they must
 * outlive the table); cells are owned, row-major. */
struct report_table {
	size_t ncols;
	const char *const *head;
	const bool *right; /* right-aligned columns (numbers), or NULL */
	char **cells;
	size_t nrows, alloc;
};

/* Starts an empty table of ncols columns (no allocation). */
void report_table_init(struct report_table *t, size_t ncols,
		       const char *const *head, const bool *right);
/* Appends a row of ncols cells, copied; a NULL cell prints as "-". A
 * non-finite number in a right-aligned column is a bug (asserted). */
void report_table_row(struct report_table *t, const char *const *cells);
/* Frees the cells. */
void report_table_release(struct report_table *t);

/* Appends t as aligned text to out. When st->width is set and the table
 * is wider, text cells wrap at spaces, then the columns are split into
 * blocks that fit, each block repeating the first (label) column. No
 * cell is ever cut: a word, or a cell that starts like a number ("12",
 * "-3", "+4", "0.5 ± 0.1 h"), stays on one line. */
void report_table_text(const struct report_table *t,
		       const struct report_style *st, struct util_buf *out);
/* Appends t as CSV (RFC 4180, CRLF line ends) to out; a text cell that
 * a spreadsheet would run as a formula (it starts with = + - @, a tab or
 * a CR, and is not a plain number) starts with a quote. */
void report_table_csv(const struct report_table *t, struct util_buf *out);
/* s as one RFC 4180 field of such a table, appended to out: quoted when
 * it holds a comma, a quote or a line break; text that a spreadsheet
 * would run as a formula (= + - @, tab, CR first, and not a plain
 * number) starts with a quote ('). */
void report_csv_field(struct util_buf *out, const char *s);
/* Appends t as a markdown (GFM) table to out: | and line ends escaped. */
void report_table_markdown(const struct report_table *t,
			   struct util_buf *out);

/* Display width of UTF-8 text: continuation bytes take no column. */
size_t report_text_width(const char *s);
/* Appends the lines of in to out, each line wider than width (> 0)
 * wrapped at spaces, its continuation lines indented 2 more than it
 * (notes and verdicts under a table at the terminal's width). No word is
 * cut; width <= 0 copies in unchanged. */
void report_wrap_text(const char *in, int width, struct util_buf *out);

/* Figures for people (tables, markdown), never for CSV or JSON. Each
 * writes a NUL-terminated string of at most n bytes into buf and returns
 * buf. */

/* v with sig significant digits and no exponent; 1,000 and more as a
 * whole number with thousands separators ("12,345", "3.14", "0.000123"). */
char *report_fmt_num(char *buf, size_t n, double v, int sig);
/* A duration given in seconds, in the unit that reads best: µs, ms, s,
 * min, h, d, mo (30.44 days) or y, with three significant digits
 * ("3.2 h" is written "3.20 h"). */
char *report_fmt_duration(char *buf, size_t n, double seconds);
/* A simulated duration (seconds) with the half-width of its confidence
 * interval, both in the mean's unit: "34.7 ± 1.8 h". */
char *report_fmt_duration_ci(char *buf, size_t n, double mean, double ci);
/* A simulated figure without a unit and its half-width: "0.501 ± 0.002". */
char *report_fmt_num_ci(char *buf, size_t n, double mean, double ci);

/* s as text inside a markdown (GFM) table cell or paragraph: the
 * characters that would start markup (\ ` * _ ~ < > [ ] | & @ #) are
 * escaped with a backslash, control characters, line separators and
 * bidirectional formatting characters (util_utf8_format_len) become
 * spaces. */
void report_md_text(struct util_buf *out, const char *s);

/* ---- a comparison read back (report/baseline.c): what
 * `compare --format json` wrote, the part a PR comment compares. */
struct report_target {
	char *workload, *target;
	bool met;
};
struct report_option {
	char *name, *status;
	bool has_total; /* total_cost: only for a feasible option */
	double total;
	struct report_target *targets;
	size_t ntargets;
};
struct report_compare_doc {
	char *scenario, *currency, *cheapest; /* cheapest may be NULL */
	struct report_option *opt;
	size_t nopt;
};

struct json_t;
/* Reads the comparison in root (a `compare --format json` document);
 * file names it in messages. Every field used is checked: type, length
 * (names up to 200 bytes), count (up to 64 options, 256 targets each),
 * finite costs. Returns 0, or UTIL_E_INPUT with "file: columns[2].
 * total_cost: a number was expected ..." in err. Release out in all
 * cases. */
int report_compare_doc_from_json(const struct json_t *root, const char *file,
				 struct report_compare_doc *out,
				 struct util_err *err);
/* Loads and reads the JSON file at path (at most UTIL_INPUT_MAX bytes):
 * every error as "path:line:col: ...", at the value at fault. Returns 0, UTIL_E_NOINPUT or
 * UTIL_E_INPUT. Release out in all cases. */
int report_compare_doc_load(const char *path, struct report_compare_doc *out,
			    struct util_err *err);
void report_compare_doc_release(struct report_compare_doc *d);

/* A pull-request comment on what changed from base to now, in markdown:
 * a summary line first (the recommended option's total cost, its change
 * with sign and percentage, targets newly met or missed), a table of
 * every option's total cost then and now, the targets whose state
 * changed, and details (the full comparison, markdown text) in a
 * <details> block. Strings from the documents are escaped. Returns 0,
 * or UTIL_E_INPUT when the currencies differ. */
int report_baseline_markdown(const struct report_compare_doc *base,
			     const struct report_compare_doc *now,
			     const char *details, struct util_buf *out,
			     struct util_err *err);

/* ---- FOCUS cost data (report/focus.c) */
struct model_scenario;
struct model_plan;
/* Appends plan p of scenario s as FOCUS 1.2 CSV to out (RFC 4180, CRLF;
 * docs/focus.md lists the columns): per assignment and period a Usage
 * row of device-hours (PricingCategory Dynamic for spot and
 * decentralized offers, Standard otherwise); per purchase a Purchase row
 * at its price and a Credit row for the residual value the plan counts;
 * maintenance and commitments as recurring Purchase rows (Committed for
 * commitments), spread over the periods. Periods start at start (Unix
 * seconds, UTC). BilledCost adds up to p->total_cost. Text cells are
 * quoted, and one that starts like a spreadsheet formula (= + - @)
 * starts with a quote. Returns 0, or UTIL_E_INFEASIBLE without a plan. */
int report_focus_csv(const struct model_scenario *s,
		     const struct model_plan *p, long long start,
		     struct util_buf *out, struct util_err *err);
/* Unix seconds of a date "YYYY-MM-DD" (1970 to 9999) at 00:00 UTC into
 * *out: 0, or UTIL_E_USAGE when it is not such a date. */
int report_date_epoch(const char *date, long long *out);
/* Unix seconds of the first day, 00:00 UTC, of the month holding now. */
long long report_month_start(long long now);
/* Unix seconds, 00:00 UTC, of the day s's time 0 stands for: its
 * `start_date` when it has one (1970 or later), else the first day of the
 * month holding now. */
long long report_scenario_start(const struct model_scenario *s,
				long long now);

#endif
