/* Tables rendered as aligned text, CSV (RFC 4180) or markdown. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

struct cli_term cli_term; /* no width limit, no colour: files and pipes */

void cli_table_init(struct cli_table *t, size_t ncols,
		    const char *const *head, const bool *right)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->head = head;
	t->right = right;
}

/* "nan", "-inf", " inf": what printf makes of a non-finite number. */
static bool nonfinite(const char *s)
{
	s += strspn(s, " +-");
	if (!strncasecmp(s, "infinity", 8))
		s += 5;
	return (!strncasecmp(s, "nan", 3) || !strncasecmp(s, "inf", 3)) &&
	       !isalnum((unsigned char)s[3]);
}

void cli_table_row(struct cli_table *t, const char *const *cells)
{
	UTIL_GROW(t->cells, (t->nrows + 1) * t->ncols, t->alloc);
	for (size_t c = 0; c < t->ncols; c++) {
		/* a number column: a NaN or infinity here is a bug
		 * (docs/security.md) */
		UTIL_BUG_ON(t->right && t->right[c] && cells[c] &&
			    nonfinite(cells[c]));
		t->cells[t->nrows * t->ncols + c] =
			util_xstrdup(cells[c] ? cells[c] : "-");
	}
	t->nrows++;
}

void cli_table_release(struct cli_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

/* Display width: UTF-8 continuation bytes take no column. */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static const char *cell(const struct cli_table *t, size_t r, size_t c)
{
	return r == (size_t)-1 ? t->head[c] : t->cells[r * t->ncols + c];
}

static void pad(struct util_buf *b, size_t n)
{
	while (n--)
		util_buf_add(b, " ", 1);
}

/* s cut to n columns, "…" marking the cut (UTF-8 aware). */
static void put_cut(struct util_buf *b, const char *s, size_t n)
{
	size_t w = 0;

	if (width(s) <= n) {
		util_buf_puts(b, s);
		return;
	}
	for (; *s && (w < n - 1 || ((unsigned char)*s & 0xc0) == 0x80); s++) {
		w += ((unsigned char)*s & 0xc0) != 0x80;
		util_buf_add(b, s, 1);
	}
	util_buf_puts(b, "\u2026");
}

/* On a terminal narrower than the table, the widest columns give up
 * columns, down to 6 each, then the row labels down to 12, until the
 * table fits (or cannot). */
static void fit(size_t *w, size_t n, size_t limit)
{
	size_t total = 0;

	for (size_t c = 0; c < n; c++)
		total += w[c] + (c + 1 < n ? 2 : 0);
	while (total > limit) { /* the row labels (column 0) go last */
		size_t widest = n > 1 ? 1 : 0;

		for (size_t c = 2; c < n; c++)
			if (w[c] > w[widest])
				widest = c;
		if (w[widest] <= 6)
			widest = 0;
		if (w[widest] <= (widest ? 6 : 12))
			break;
		w[widest]--;
		total--;
	}
}

static void render_text(const struct cli_table *t, struct util_buf *out)
{
	size_t *w = util_xcalloc(t->ncols, sizeof(*w));

	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = width(t->head[c]);
		for (size_t r = 0; r < t->nrows; r++)
			if (width(cell(t, r, c)) > w[c])
				w[c] = width(cell(t, r, c));
	}
	if (cli_term.width > 0)
		fit(w, t->ncols, (size_t)cli_term.width);
	for (size_t r = (size_t)-1; r == (size_t)-1 || r < t->nrows; r++) {
		if (r == (size_t)-1 && cli_term.color)
			util_buf_puts(out, "\033[1m"); /* the header in bold */
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = cell(t, r, c);
			size_t sw = width(s) < w[c] ? width(s) : w[c];
			size_t gap = w[c] - sw;
			bool last = c + 1 == t->ncols;

			if (t->right && t->right[c])
				pad(out, gap);
			put_cut(out, s, w[c]);
			if (!(t->right && t->right[c]) && !last)
				pad(out, gap);
			if (!last)
				util_buf_puts(out, "  ");
		}
		if (r == (size_t)-1 && cli_term.color)
			util_buf_puts(out, "\033[0m");
		util_buf_puts(out, "\n");
	}
	free(w);
}

static void csv_field(struct util_buf *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		util_buf_puts(out, s);
		return;
	}
	util_buf_puts(out, "\"");
	for (; *s; s++)
		util_buf_puts(out, *s == '"' ? "\"\"" : (char[]){*s, 0});
	util_buf_puts(out, "\"");
}

static void render_csv(const struct cli_table *t, struct util_buf *out)
{
	for (size_t r = (size_t)-1; r == (size_t)-1 || r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				util_buf_puts(out, ",");
			csv_field(out, cell(t, r, c));
		}
		util_buf_puts(out, "\r\n");
	}
}

static void md_field(struct util_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			util_buf_puts(out, "\\|");
		else if (*s == '\n')
			util_buf_puts(out, " ");
		else
			util_buf_add(out, s, 1);
	}
}

static void render_markdown(const struct cli_table *t, struct util_buf *out)
{
	for (size_t r = (size_t)-1; r == (size_t)-1 || r < t->nrows; r++) {
		util_buf_puts(out, "|");
		for (size_t c = 0; c < t->ncols; c++) {
			util_buf_puts(out, " ");
			md_field(out, cell(t, r, c));
			util_buf_puts(out, " |");
		}
		util_buf_puts(out, "\n");
		if (r != (size_t)-1)
			continue;
		util_buf_puts(out, "|");
		for (size_t c = 0; c < t->ncols; c++)
			util_buf_puts(out, t->right && t->right[c] ? "---:|"
								  : "---|");
		util_buf_puts(out, "\n");
	}
}

void cli_table_render(const struct cli_table *t, enum cli_format f,
		      struct util_buf *out)
{
	if (f == CLI_CSV)
		render_csv(t, out);
	else if (f == CLI_MARKDOWN)
		render_markdown(t, out);
	else
		render_text(t, out);
}
