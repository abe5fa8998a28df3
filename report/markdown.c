/* The report as markdown for wikis (docs/report.md): the same blocks as
 * the HTML page, the figures as the sentences and tables beside them.
 * Text from the inputs is escaped so that it stays text: markdown's
 * punctuation behind a backslash, HTML's as entities, a table cell's
 * '|' escaped and its line breaks made spaces. */
#include <string.h>

#include "report_int.h"

static void md_str(struct util_buf *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		size_t k = util_utf8_format_len(s);

		if (k) { /* a bidi control or a line separator */
			util_buf_puts(b, " ");
			s += k - 1;
		} else if (c == '<')
			util_buf_puts(b, "&lt;");
		else if (c == '>')
			util_buf_puts(b, "&gt;");
		else if (c == '&')
			util_buf_puts(b, "&amp;");
		else if (strchr("\\`*_[]#|!~@", c) && c) /* @: no mention */
			util_buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			util_buf_puts(b, " "); /* one line: no list, no heading */
		else
			util_buf_add(b, s, 1);
	}
}

static void table(const struct report_block *t, struct util_buf *b)
{
	if (t->nrows < 2)
		return;
	for (size_t r = 0; r < t->nrows; r++) {
		util_buf_puts(b, "|");
		for (size_t c = 0; c < t->ncols; c++) {
			util_buf_puts(b, " ");
			md_str(b, t->cells[r * t->ncols + c]);
			util_buf_puts(b, " |");
		}
		util_buf_puts(b, "\n");
		if (r)
			continue;
		util_buf_puts(b, "|");
		for (size_t c = 0; c < t->ncols; c++)
			util_buf_puts(b, c < 32 && (t->numeric >> c & 1)
						 ? "---:|"
						 : "---|");
		util_buf_puts(b, "\n");
	}
	util_buf_puts(b, "\n");
}

/* A fence longer than any run of backticks in s. */
static void code(const char *s, struct util_buf *b)
{
	size_t run = 0, most = 2;

	for (const char *p = s; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		most = run > most ? run : most;
	}
	for (size_t i = 0; i <= most; i++)
		util_buf_puts(b, "`");
	util_buf_puts(b, "sh\n");
	util_buf_puts(b, s);
	for (size_t i = 0; i <= most; i++)
		util_buf_puts(b, "`");
	util_buf_puts(b, "\n\n");
}

static void line(const char *lead, const char *text, const char *tail,
		 struct util_buf *b)
{
	util_buf_puts(b, lead);
	md_str(b, text);
	util_buf_puts(b, tail);
}

void report_markdown(const struct report *r, struct util_buf *out)
{
	struct report_page pg;

	report_page_build(r, &pg);
	for (size_t i = 0; i < pg.n; i++) {
		const struct report_block *k = &pg.v[i];

		switch (k->kind) {
		case RB_TITLE:
			line("# ", k->text, "\n\n", out);
			break;
		case RB_SECTION:
			line("## ", k->text, "\n\n", out);
			break;
		case RB_PARA:
			line("", k->text, "\n\n", out);
			break;
		case RB_VERDICT:
			line("**", k->text, "**\n\n", out);
			break;
		case RB_NOTE:
			line("> ", k->text, "\n\n", out);
			break;
		case RB_TABLE:
			table(k, out);
			break;
		case RB_FIGURE:
			line("> Figure in the HTML report (gpuplan report "
			     "--format html): ", k->text, "\n\n", out);
			break;
		case RB_CODE:
			code(k->text, out);
			break;
		}
	}
	report_page_release(&pg);
}
