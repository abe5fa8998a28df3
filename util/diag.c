/* Diagnostics lists: every problem found in an input file, with its
 * position, so a user sees all of them at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void util_diags_init(struct util_diags *d)
{
	memset(d, 0, sizeof(*d));
}

void util_diags_release(struct util_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	util_diags_init(d);
}

int util_diag_vadd(struct util_diags *d, enum util_severity sev,
		   const char *file, int line, int col, const char *fmt,
		   va_list ap)
{
	struct util_diag *dg;
	struct util_buf b;

	if (sev == UTIL_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
	if (d->n >= UTIL_DIAGS_MAX) {
		d->dropped++;
		return sev == UTIL_ERROR ? UTIL_E_INPUT : 0;
	}
	UTIL_GROW(d->v, d->n + 1, d->alloc);
	dg = &d->v[d->n];
	dg->severity = sev;
	dg->file = file ? util_xstrdup(file) : NULL;
	dg->line = line;
	dg->col = col;
	dg->seq = d->n;
	util_buf_init(&b);
	util_buf_vprintf(&b, fmt, ap);
	if (b.len > UTIL_DIAG_MSG_MAX) { /* a huge value quoted from input */
		b.len = UTIL_DIAG_MSG_MAX - 3;
		util_buf_puts(&b, "...");
	}
	dg->msg = util_buf_detach(&b);
	d->n++;
	return sev == UTIL_ERROR ? UTIL_E_INPUT : 0;
}

int util_diag_add(struct util_diags *d, enum util_severity sev,
		  const char *file, int line, int col, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = util_diag_vadd(d, sev, file, line, col, fmt, ap);
	va_end(ap);
	return rc;
}

static int cmp_diag(const void *pa, const void *pb)
{
	const struct util_diag *a = pa, *b = pb;
	int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void util_diags_sort(struct util_diags *d)
{
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v), cmp_diag);
}

void util_diag_format(const struct util_diag *dg, struct util_buf *b)
{
	if (dg->file && dg->line > 0)
		util_buf_printf(b, "%s:%d:%d: ", dg->file, dg->line, dg->col);
	else if (dg->file)
		util_buf_printf(b, "%s: ", dg->file);
	if (dg->severity == UTIL_WARNING)
		util_buf_puts(b, "warning: ");
	util_buf_puts(b, dg->msg);
}
