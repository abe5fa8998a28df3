/* report: what people read, rendered from advise/ results: gnuplot
 * scripts (report/gnuplot.c), and the report of a comparison as one
 * self-contained HTML page or as markdown (report/page.c, report/html.c,
 * report/markdown.c; docs/report.md). Builds text; running gnuplot and
 * writing files is the caller's. Knows advise/ and model/; emit/ is a
 * sibling it does not include. */
#ifndef REPORT_REPORT_H
#define REPORT_REPORT_H

#include "../advise/advise.h"
#include "../model/model.h"
#include "../util/util.h"

/* ---- gnuplot scripts (report/gnuplot.c) ---- */

/* A line of points, or a bar group's values. */
struct report_series {
	const char *title; /* quoted for gnuplot by the script's writer */
	const double *x, *y;
	size_t n;
};

enum report_plot_kind {
	REPORT_COST_OVER_TIME,
	REPORT_COST_BREAKDOWN,
	REPORT_LATENCY_CDF,
	REPORT_PARETO,
	REPORT_TORNADO, /* categories: parameters; series 0 low, 1 high;
			 * mark_x: the base value */
	REPORT_NPLOTS
};
extern const char *const report_plot_names[REPORT_NPLOTS];

struct report_plot {
	enum report_plot_kind kind;
	const char *title, *xlabel, *ylabel;
	const struct report_series *series; /* lines (bars: one per stack) */
	size_t nseries;
	const char *const *categories; /* bars: the x categories */
	size_t ncategories;
	double mark_x, mark_y; /* a point to mark (break-even), NAN: none */
	const char *mark_label;
	bool logx;
};

/* s as a gnuplot single-quoted string: '' for a quote, control
 * characters (a newline would end the command) as spaces. */
void report_gnuplot_str(struct util_buf *b, const char *s);

/* A self-contained gnuplot script for p (data inline), writing a PNG or
 * an SVG (by output's extension) to output. Every string taken from the
 * input is quoted so that it stays text. Returns 0, or UTIL_E_USAGE when
 * output is neither .png nor .svg. */
int report_gnuplot(const struct report_plot *p, const char *output,
		   struct util_buf *out, struct util_err *err);

/* Whether data (len bytes), a PNG (png) or an SVG gnuplot wrote, ends as
 * a whole image does: gnuplot does not check its writes, so a full disk
 * or a file size limit leaves a truncated image behind exit status 0. */
bool report_image_complete(const char *data, size_t len, bool png);

/* ---- the report of a comparison (report/page.c, docs/report.md) ---- */

/* The figures of a report, in the order of the page. */
enum report_figure {
	REPORT_FIG_COST_TIME, /* cumulative cash per option, break-even */
	REPORT_FIG_BREAKDOWN, /* cost components per option */
	REPORT_FIG_LATENCY,   /* request latency CDFs of the chosen option */
	REPORT_FIG_TORNADO,   /* the total cost with each parameter moved */
	REPORT_NFIGS
};

#define REPORT_MAX_SERIES 16
/* The move of each parameter in the sensitivity section, as `gpuplan
 * sensitivity`'s default --delta. */
#define REPORT_SENSITIVITY_DELTA 0.2

/* A figure's plot and the data it points into, owned by the report. */
struct report_fig {
	struct report_plot p;
	struct report_series series[REPORT_MAX_SERIES];
	double *x[REPORT_MAX_SERIES], *y[REPORT_MAX_SERIES];
	char *titles[REPORT_MAX_SERIES];
	const char *categories[ADVISE_MAX_PARAMS]; /* >= ADVISE_MAX_COLUMNS */
	char title[256], mark[96];
	char lo[32], hi[32]; /* the tornado's series titles */
	char *missing; /* why it cannot be drawn, or NULL: p is ready */
};

struct report {
	const struct advise_compare *c;	 /* borrowed */
	const struct advise_loop_opts *o; /* what it was run with, borrowed */
	const struct advise_sensitivity *sens; /* borrowed, NULL: none */
	const char *path;		 /* the scenario as given, borrowed */
	int chosen; /* the option the page details: the verdict's, else the
		     * hybrid or the first with a plan; -1: none */
	struct report_fig fig[REPORT_NFIGS];
	char *break_even; /* the break-even in words */
	/* --max-price-age in days, 0: each family's limit (docs/prices.md);
	 * set after report_init */
	double max_price_age_days;
};

/* Builds the figures of the report of comparison c, run with o, with the
 * sensitivity sens (NULL: the page says it was not computed), of the
 * scenario at path (all borrowed: they must outlive r). Release r with
 * report_release. */
void report_init(struct report *r, const struct advise_compare *c,
		 const struct advise_loop_opts *o,
		 const struct advise_sensitivity *sens, const char *path);
void report_release(struct report *r);

/* The report as one self-contained HTML page (no script, no request
 * leaving the file, CSS inline, print and phone layouts), appended to
 * out. svg[i] is the SVG gnuplot drew for r->fig[i] (inlined without its
 * XML prolog), or NULL: the page says the figure could not be drawn and
 * why (svg_why[i], or the figure's own reason). Every string from the
 * scenario or the catalog is HTML-escaped. */
void report_html(const struct report *r, const char *const *svg,
		 const char *const *svg_why, struct util_buf *out);
/* The same report as markdown for wikis: the figures' data as tables
 * and sentences. Text from the inputs is escaped so that it stays
 * text. */
void report_markdown(const struct report *r, struct util_buf *out);

/* s HTML-escaped (&, <, >, " and ' as entities; control characters other
 * than tab and newline, line separators and bidirectional formatting
 * characters (util_utf8_format_len) as U+FFFD), appended to b. NULL:
 * nothing. */
void report_html_str(struct util_buf *b, const char *s);

/* A cost paid whatever the plan decides: owned devices' maintenance and
 * colocation fees (in_total: the plan's total holds it), their
 * depreciation and the scenario's fixed costs (outside it). */
struct report_committed {
	bool in_total;
	const char *what, *note; /* note: "" or " (at catalog capex)" */
	double amount;
};
#define REPORT_NCOMMITTED 4
/* s's committed costs of at least a cent, in that order; returns how
 * many. */
size_t report_committed(const struct model_scenario *s,
			struct report_committed out[REPORT_NCOMMITTED]);

#endif
