/* What the files of report/ share: the report as a list of blocks, built
 * once from the results (report/page.c) and rendered as HTML
 * (report/html.c) or markdown (report/markdown.c), so that both say the
 * same thing. Every text in a block is plain: the renderers escape it. */
#ifndef REPORT_REPORT_INT_H
#define REPORT_REPORT_INT_H

#include "report.h"

enum report_block_kind {
	RB_TITLE,   /* the page's heading */
	RB_SECTION, /* a section's heading */
	RB_PARA,
	RB_VERDICT, /* the verdict, set apart */
	RB_NOTE,    /* what could not be computed, and why */
	RB_TABLE,   /* cells: nrows x ncols, row 0 the header */
	RB_FIGURE,  /* fig: enum report_figure; text: its caption */
	RB_CODE     /* commands, one a line */
};

#define REPORT_MAX_COLS 32

struct report_block {
	enum report_block_kind kind;
	char *text;
	char **cells;
	size_t nrows, ncols; /* complete rows */
	size_t ncells, alloc;
	unsigned numeric; /* bit per column: right-aligned figures */
	int fig;
};

struct report_page {
	struct report_block *v;
	size_t n, alloc;
};

/* The blocks of r's report. Release with report_page_release. */
void report_page_build(const struct report *r, struct report_page *pg);
void report_page_release(struct report_page *pg);

#endif
