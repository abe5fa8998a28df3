/* The report as one self-contained HTML page (docs/report.md): CSS
 * inline, figures as inline SVG, no script, and a Content-Security-Policy
 * that forbids every load, so that the page works offline and as an
 * e-mail attachment. Every text from the inputs is escaped. */
#include <string.h>

#include "report_int.h"

void report_html_str(struct util_buf *b, const char *s)
{
	const char *run = s;

	for (; s && *s; s++) {
		const char *e = NULL;
		unsigned char c = (unsigned char)*s;
		size_t k = util_utf8_format_len(s);

		if (k) { /* a bidi control or a line separator */
			util_buf_add(b, run, (size_t)(s - run));
			util_buf_puts(b, "\xef\xbf\xbd"); /* U+FFFD */
			s += k - 1;
			run = s + 1;
			continue;
		}
		if (c == '&')
			e = "&amp;";
		else if (c == '<')
			e = "&lt;";
		else if (c == '>')
			e = "&gt;";
		else if (c == '"')
			e = "&quot;";
		else if (c == '\'')
			e = "&#39;";
		else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
			e = "\xef\xbf\xbd"; /* U+FFFD */
		if (!e)
			continue;
		util_buf_add(b, run, (size_t)(s - run));
		util_buf_puts(b, e);
		run = s + 1;
	}
	if (run)
		util_buf_puts(b, run);
}

static const char style[] =
	":root{--ink:#1d2430;--mute:#5b6575;--line:#d9dee6;--ok:#1f7a3f;"
	"--miss:#a35c00;--out:#7a808a;--accent:#2456a6}"
	"*{box-sizing:border-box}"
	"body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',"
	"Roboto,'DejaVu Sans',sans-serif;color:var(--ink);background:#fff}"
	"main{max-width:1040px;margin:0 auto;padding:1.5rem 1rem 3rem}"
	"h1{font-size:1.7rem;line-height:1.25;margin:.2rem 0 1rem}"
	"h2{font-size:1.25rem;margin:2.2rem 0 .6rem;padding-bottom:.2rem;"
	"border-bottom:2px solid var(--line)}"
	"p{margin:.5rem 0}"
	".verdict{font-size:1.2rem;font-weight:600;padding:.9rem 1rem;"
	"border-left:6px solid var(--accent);background:#eef3fb}"
	".note{color:var(--mute);font-style:italic;padding:.5rem .8rem;"
	"border-left:4px solid var(--line);background:#f7f8fa}"
	".scroll{overflow-x:auto;margin:.6rem 0;"
	"-webkit-overflow-scrolling:touch}"
	"table{border-collapse:collapse;font-size:.9rem;min-width:60%}"
	"th,td{padding:.35rem .6rem;border-bottom:1px solid var(--line);"
	"text-align:left;vertical-align:top}"
	"th{background:#f1f3f6;white-space:nowrap}"
	"td.num{text-align:right;white-space:nowrap;"
	"font-variant-numeric:tabular-nums}"
	"td:last-child{min-width:14rem}td.meets,td.misses,td.ruled{"
	"white-space:nowrap}"
	".meets,.met{color:var(--ok);font-weight:600}"
	".misses,.missed{color:var(--miss);font-weight:600}"
	".ruled{color:var(--out)}"
	"figure{margin:1rem 0}"
	"figure svg{display:block;width:100%;max-width:960px;height:auto}"
	"figcaption{color:var(--mute);font-size:.9rem}"
	"pre{background:#f4f5f7;padding:.8rem;overflow-x:auto;"
	"font-size:.85rem}"
	"footer{margin-top:3rem;color:var(--mute);font-size:.85rem}"
	"@media (max-width:600px){body{font-size:15px}h1{font-size:1.35rem}"
	"th,td{padding:.3rem .4rem}}"
	"@media print{body{font-size:11pt}main{max-width:none;padding:0}"
	".scroll{overflow:visible}table{font-size:9pt}"
	"h2{break-after:avoid}figure,tr{break-inside:avoid}"
	"pre{white-space:pre-wrap}}";

/* A status or target cell gets its colour. */
static const char *cell_class(const char *text)
{
	static const struct {
		const char *text, *cls;
	} classes[] = {{"meets all targets", "meets"},
		       {"misses targets", "misses"},
		       {"ruled out", "ruled"},
		       {"met", "met"},
		       {"all met", "met"},
		       {"missed", "missed"}};

	for (size_t i = 0; i < UTIL_ARRAY_SIZE(classes); i++)
		if (!strcmp(text, classes[i].text))
			return classes[i].cls;
	return NULL;
}

static void table(const struct report_block *t, struct util_buf *b)
{
	if (t->nrows < 2)
		return; /* a header alone says nothing */
	util_buf_puts(b, "<div class=\"scroll\"><table>\n<thead><tr>");
	for (size_t c = 0; c < t->ncols; c++) {
		util_buf_puts(b, "<th scope=\"col\">");
		report_html_str(b, t->cells[c]);
		util_buf_puts(b, "</th>");
	}
	util_buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (size_t r = 1; r < t->nrows; r++) {
		util_buf_puts(b, "<tr>");
		for (size_t c = 0; c < t->ncols; c++) {
			const char *v = t->cells[r * t->ncols + c];
			const char *cls = cell_class(v);

			if (c == 0)
				util_buf_puts(b, "<th scope=\"row\">");
			else if (cls)
				util_buf_printf(b, "<td class=\"%s\">", cls);
			else if (c < 32 && (t->numeric >> c & 1))
				util_buf_puts(b, "<td class=\"num\">");
			else
				util_buf_puts(b, "<td>");
			report_html_str(b, v);
			util_buf_puts(b, c == 0 ? "</th>" : "</td>");
		}
		util_buf_puts(b, "</tr>\n");
	}
	util_buf_puts(b, "</tbody></table></div>\n");
}

/* gnuplot's SVG from its <svg> element on: the XML prolog and doctype
 * have no place inside HTML. */
static void svg_body(const char *svg, struct util_buf *b)
{
	const char *at = strstr(svg, "<svg");

	util_buf_puts(b, at ? at : "");
}

static void figure(const struct report_block *k, const char *const *svg,
		   const char *const *why, struct util_buf *b)
{
	if (!svg || !svg[k->fig]) {
		util_buf_puts(b, "<p class=\"note\">Not drawn: ");
		report_html_str(b, why && why[k->fig]
					   ? why[k->fig]
					   : "gnuplot did not draw it");
		util_buf_puts(b, ".</p>\n");
		return;
	}
	util_buf_puts(b, "<figure>\n");
	svg_body(svg[k->fig], b);
	util_buf_puts(b, "\n<figcaption>");
	report_html_str(b, k->text);
	util_buf_puts(b, "</figcaption>\n</figure>\n");
}

static void text_block(const char *open, const char *close,
		       const struct report_block *k, struct util_buf *b)
{
	util_buf_puts(b, open);
	report_html_str(b, k->text);
	util_buf_puts(b, close);
}

void report_html(const struct report *r, const char *const *svg,
		 const char *const *svg_why, struct util_buf *out)
{
	struct report_page pg;
	bool in_section = false;

	report_page_build(r, &pg);
	util_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		      "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
		      "content=\"width=device-width, initial-scale=1\">\n"
		      "<meta http-equiv=\"Content-Security-Policy\" content="
		      "\"default-src 'none'; style-src 'unsafe-inline'\">\n"
		      "<meta name=\"generator\" content=\"gpuplan\">\n"
		      "<title>");
	report_html_str(out, pg.n ? pg.v[0].text : "gpuplan report");
	util_buf_printf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n"
			"<main>\n", style);
	for (size_t i = 0; i < pg.n; i++) {
		const struct report_block *k = &pg.v[i];

		switch (k->kind) {
		case RB_TITLE:
			text_block("<h1>", "</h1>\n", k, out);
			break;
		case RB_SECTION:
			util_buf_puts(out, in_section ? "</section>\n" : "");
			text_block("<section>\n<h2>", "</h2>\n", k, out);
			in_section = true;
			break;
		case RB_PARA:
			text_block("<p>", "</p>\n", k, out);
			break;
		case RB_VERDICT:
			text_block("<p class=\"verdict\" id=\"verdict\">",
				   "</p>\n", k, out);
			break;
		case RB_NOTE:
			text_block("<p class=\"note\">", "</p>\n", k, out);
			break;
		case RB_TABLE:
			table(k, out);
			break;
		case RB_FIGURE:
			figure(k, svg, svg_why, out);
			break;
		case RB_CODE:
			text_block("<pre><code>", "</code></pre>\n", k, out);
			break;
		}
	}
	util_buf_puts(out, in_section ? "</section>\n" : "");
	util_buf_puts(out, "<footer>Made by gpuplan from the "
		      "scenario and the catalog named above; same input and "
		      "seed, same page.</footer>\n</main>\n</body>\n</html>\n");
	report_page_release(&pg);
}
