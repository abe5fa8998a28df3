/* Tables rendered as aligned text, CSV (RFC 4180) or markdown. The text
 * form fits a terminal without cutting a cell: text wraps at spaces, and
 * a table still too wide is split into blocks of columns. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "format.h"

void report_table_init(struct report_table *t, size_t ncols,
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

void report_table_row(struct report_table *t, const char *const *cells)
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

void report_table_release(struct report_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

static size_t width_n(const char *s, size_t len)
{
	size_t w = 0;

	for (size_t i = 0; i < len && s[i]; i++)
		w += ((unsigned char)s[i] & 0xc0) != 0x80;
	return w;
}

size_t report_text_width(const char *s)
{
	return width_n(s, strlen(s));
}

static const char *cell(const struct report_table *t, size_t r, size_t c)
{
	return r == (size_t)-1 ? t->head[c] : t->cells[r * t->ncols + c];
}

static bool is_number(const char *s, size_t len)
{
	size_t digits = 0;

	for (size_t i = 0; i < len; i++) {
		if (isdigit((unsigned char)s[i]))
			digits++;
		else if (!strchr("+-.,%", s[i]))
			return false;
	}
	return digits > 0 || (len == 1 && *s == '-');
}

/* A figure ("12", "-3.5", "4 USD", "0.5 ± 0.1 h") is never broken: a
 * number, maybe "± number", maybe one unit word. */
static bool whole(const char *s)
{
	size_t len = strcspn(s, " ");

	if (!is_number(s, len))
		return false;
	s += len + (s[len] == ' ');
	if (!strncmp(s, "± ", strlen("± "))) {
		s += strlen("± ");
		len = strcspn(s, " ");
		if (!is_number(s, len))
			return false;
		s += len + (s[len] == ' ');
	}
	return !*s || !strchr(s, ' '); /* nothing, or one unit word */
}

/* The narrowest a cell can be: its longest word, or all of it. */
static size_t min_width(const char *s)
{
	size_t best = 0;

	if (whole(s))
		return report_text_width(s);
	while (*s) {
		size_t len = strcspn(s, " "), w = width_n(s, len);

		best = w > best ? w : best;
		s += len + (s[len] == ' ');
	}
	return best;
}

/* The next line of s in w columns: its length in bytes; *next is where
 * the line after it starts. */
static size_t next_line(const char *s, size_t w, const char **next)
{
	size_t len;

	if (whole(s) || report_text_width(s) <= w) {
		*next = s + strlen(s);
		return strlen(s);
	}
	len = strcspn(s, " "); /* the first word, however long */
	while (s[len] == ' ') {
		size_t word = strcspn(s + len + 1, " ");

		if (width_n(s, len + 1 + word) > w)
			break;
		len += 1 + word;
	}
	*next = s + len;
	while (**next == ' ')
		(*next)++;
	return len;
}

/* Text columns wrap down to this width before a table is split into
 * blocks of columns. */
#define REPORT_WRAP 30
#define REPORT_WRAP_CELL 12
/* Labels wrap down to this width rather than split a table whose
 * columns would all fit beside them (three strategies side by side in
 * 80 columns). */
#define REPORT_WRAP_LABEL 20

/* Sum of the widths of the columns cols[0..k) with two spaces between. */
static size_t total_of(const size_t *w, const size_t *cols, size_t k)
{
	size_t sum = 0;

	for (size_t i = 0; i < k; i++)
		sum += w[cols[i]] + (i ? 2 : 0);
	return sum;
}

/* Narrows the widest text columns among cols toward their minimum until
 * they fit limit (or cannot). */
static void shrink(size_t *w, const size_t *min, const size_t *cols,
		   size_t k, size_t limit)
{
	size_t total = total_of(w, cols, k);

	while (total > limit) {
		size_t best = k;

		for (size_t i = 0; i < k; i++)
			if (w[cols[i]] > min[cols[i]] &&
			    (best == k || w[cols[i]] > w[cols[best]]))
				best = i;
		if (best == k)
			return;
		w[cols[best]]--;
		total--;
	}
}

/* Prints the rows of the block cols[0..k) at widths w. */
static void print_block(const struct report_table *t,
			const struct report_style *st, const size_t *w,
			const size_t *cols, size_t k, struct util_buf *out)
{
	const char **at = util_xcalloc(k, sizeof(*at));

	for (size_t r = (size_t)-1; r == (size_t)-1 || r < t->nrows; r++) {
		bool more = true;

		for (size_t i = 0; i < k; i++)
			at[i] = cell(t, r, cols[i]);
		if (r == (size_t)-1 && st->color)
			util_buf_puts(out, "\033[1m"); /* the header in bold */
		while (more) {
			size_t pend = 0; /* spaces owed before the next text */

			more = false;
			for (size_t i = 0; i < k; i++) {
				const char *next;
				size_t c = cols[i];
				size_t len = next_line(at[i], w[c], &next);
				size_t sw = width_n(at[i], len);
				size_t gap = w[c] > sw ? w[c] - sw : 0;

				if (t->right && t->right[c])
					pend += gap;
				if (len) {
					for (; pend; pend--)
						util_buf_puts(out, " ");
					util_buf_add(out, at[i], len);
				}
				if (!(t->right && t->right[c]))
					pend += gap;
				pend += 2;
				at[i] = next;
				more = more || *next;
			}
			util_buf_puts(out, "\n");
		}
		if (r == (size_t)-1 && st->color)
			util_buf_puts(out, "\033[0m");
	}
	free(at);
}

/* Splits the columns after the first into blocks that fit st->width,
 * each led by column 0, and prints them one after the other. */
static void print_blocks(const struct report_table *t,
			 const struct report_style *st, const size_t *nat,
			 const size_t *min, struct util_buf *out)
{
	size_t *cols = util_xcalloc(t->ncols, sizeof(*cols));
	size_t *w = util_xcalloc(t->ncols, sizeof(*w));
	size_t *easy = util_xcalloc(t->ncols, sizeof(*easy));
	size_t limit = (size_t)st->width;

	/* text wraps (labels at REPORT_WRAP columns, other cells at
	 * REPORT_WRAP_CELL) before the table is split */
	for (size_t c = 0; c < t->ncols; c++) {
		size_t wrap = c ? REPORT_WRAP_CELL : REPORT_WRAP;

		easy[c] = nat[c] < wrap ? nat[c] : wrap;
		easy[c] = easy[c] < min[c] ? min[c] : easy[c];
	}
	for (size_t c = 0; c < t->ncols; c++)
		cols[c] = c;
	memcpy(w, nat, t->ncols * sizeof(*w));
	shrink(w, easy, cols, t->ncols, limit);
	if (total_of(w, cols, t->ncols) > limit && easy[0] > REPORT_WRAP_LABEL) {
		/* narrower labels, when that keeps every column in one block */
		size_t label = easy[0];

		easy[0] = min[0] > REPORT_WRAP_LABEL ? min[0] : REPORT_WRAP_LABEL;
		shrink(w, easy, cols, t->ncols, limit);
		if (total_of(w, cols, t->ncols) > limit) {
			easy[0] = label;
			memcpy(w, nat, t->ncols * sizeof(*w));
			shrink(w, easy, cols, t->ncols, limit);
		}
	}
	if (total_of(w, cols, t->ncols) <= limit) { /* wrapping is enough */
		print_block(t, st, w, cols, t->ncols, out);
		goto done;
	}
	for (size_t c = 1; c < t->ncols;) {
		size_t k = 1;

		cols[0] = 0;
		cols[k++] = c++;
		while (c < t->ncols) {
			cols[k] = c;
			if (total_of(easy, cols, k + 1) > limit)
				break;
			k++;
			c++;
		}
		memcpy(w, nat, t->ncols * sizeof(*w));
		shrink(w, easy, cols, k, limit);
		shrink(w, min, cols, k, limit);
		if (cols[1] > 1)
			util_buf_puts(out, "\n");
		print_block(t, st, w, cols, k, out);
	}
done:
	free(easy);
	free(w);
	free(cols);
}

void report_table_text(const struct report_table *t,
		       const struct report_style *st, struct util_buf *out)
{
	size_t *nat = util_xcalloc(t->ncols, sizeof(*nat));
	size_t *min = util_xcalloc(t->ncols, sizeof(*min));
	size_t *all = util_xcalloc(t->ncols, sizeof(*all));

	for (size_t c = 0; c < t->ncols; c++) {
		all[c] = c;
		for (size_t r = (size_t)-1; r == (size_t)-1 || r < t->nrows;
		     r++) {
			size_t a = report_text_width(cell(t, r, c));
			size_t b = min_width(cell(t, r, c));

			nat[c] = a > nat[c] ? a : nat[c];
			min[c] = b > min[c] ? b : min[c];
		}
	}
	if (st->width <= 0 || t->ncols < 2 ||
	    total_of(nat, all, t->ncols) <= (size_t)st->width) {
		print_block(t, st, nat, all, t->ncols, out);
	} else {
		print_blocks(t, st, nat, min, out);
	}
	free(all);
	free(min);
	free(nat);
}

void report_csv_field(struct util_buf *out, const char *s)
{
	bool formula = *s && strchr("=+-@\t\r", *s) &&
		       !is_number(s, strlen(s));
	bool quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		util_buf_puts(out, "\"");
	if (formula)
		util_buf_puts(out, "'");
	for (; *s; s++)
		util_buf_puts(out, *s == '"' ? "\"\"" : (char[]){*s, 0});
	if (quote)
		util_buf_puts(out, "\"");
}

void report_table_csv(const struct report_table *t, struct util_buf *out)
{
	for (size_t r = (size_t)-1; r == (size_t)-1 || r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				util_buf_puts(out, ",");
			report_csv_field(out, cell(t, r, c));
		}
		util_buf_puts(out, "\r\n");
	}
}

void report_table_markdown(const struct report_table *t, struct util_buf *out)
{
	for (size_t r = (size_t)-1; r == (size_t)-1 || r < t->nrows; r++) {
		util_buf_puts(out, "|");
		for (size_t c = 0; c < t->ncols; c++) {
			util_buf_puts(out, " ");
			report_md_text(out, cell(t, r, c));
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

/* One line of prose, wrapped at spaces to width columns; the lines it
 * continues on are indented 2 more than its own (at most half the
 * width). A word wider than the width keeps a line of its own. */
static void wrap_line(const char *s, size_t len, size_t width,
		      struct util_buf *out)
{
	size_t indent = 0, hang, col, i;

	while (indent < len && s[indent] == ' ')
		indent++;
	hang = indent + 2 < width / 2 ? indent + 2 : width / 2;
	util_buf_add(out, s, indent);
	col = indent;
	for (i = indent; i < len;) {
		size_t start, w;
		bool first = col == indent;

		while (i < len && s[i] == ' ')
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && s[i] != ' ')
			i++;
		w = width_n(s + start, i - start);
		if (!first && col + 1 + w > width) {
			util_buf_printf(out, "\n%*s", (int)hang, "");
			col = hang;
		} else if (!first) {
			util_buf_puts(out, " ");
			col++;
		}
		util_buf_add(out, s + start, i - start);
		col += w;
	}
}

void report_wrap_text(const char *in, int width, struct util_buf *out)
{
	while (*in) {
		const char *end = strchr(in, '\n');
		size_t len = end ? (size_t)(end - in) : strlen(in);

		if (width > 0 && width_n(in, len) > (size_t)width)
			wrap_line(in, len, (size_t)width, out);
		else
			util_buf_add(out, in, len);
		if (end)
			util_buf_puts(out, "\n");
		in += len + (end != NULL);
	}
}
