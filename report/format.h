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
/* Appends t as CSV (RFC 4180, CRLF line ends) to out. */
void report_table_csv(const struct report_table *t, struct util_buf *out);
/* Appends t as a markdown (GFM) table to out: | and line ends escaped. */
void report_table_markdown(const struct report_table *t,
			   struct util_buf *out);

/* Display width of UTF-8 text: continuation bytes take no column. */
size_t report_text_width(const char *s);

/* Figures for people (tables, markdown), never for CSV or JSON. Each
 * writes a NUL-terminated string of at most n bytes into buf and returns
 * buf. */

/* v with sig significant digits and no exponent; 1,000 and more as a
 * whole number with thousands separators ("12,345", "3.14", "0.000123"). */
char *report_fmt_num(char *buf, size_t n, double v, int sig);
/* Money with its currency: whole units with separators from 100 up
 * ("22,594 USD"), cents below ("7.50 USD"). plus puts "+" before a
 * positive amount (changes). */
char *report_fmt_money(char *buf, size_t n, double v, const char *currency,
		       bool plus);
/* A duration given in seconds, in the unit that reads best: µs, ms, s,
 * min, h, d, mo (30.44 days) or y, with three significant digits
 * ("3.2 h" is written "3.20 h"). */
char *report_fmt_duration(char *buf, size_t n, double seconds);
/* A simulated duration (seconds) with the half-width of its confidence
 * interval, both in the mean's unit: "34.7 ± 1.8 h". */
char *report_fmt_duration_ci(char *buf, size_t n, double mean, double ci);
/* A simulated figure without a unit and its half-width: "0.501 ± 0.002". */
char *report_fmt_num_ci(char *buf, size_t n, double mean, double ci);

#endif
