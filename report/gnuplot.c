/* gnuplot scripts with their data inline: cost over time with the
 * break-even marked, stacked cost components, latency CDFs, Pareto
 * fronts. */
#include <math.h>
#include <string.h>

#include "report.h"

const char *const report_plot_names[REPORT_NPLOTS] = {
	"cost-over-time", "cost-breakdown", "latency-cdf", "pareto",
	"tornado"};

void report_gnuplot_str(struct util_buf *b, const char *s)
{
	util_buf_puts(b, "'");
	for (; s && *s; s++) {
		if (*s == '\'')
			util_buf_puts(b, "''");
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			util_buf_puts(b, " "); /* a newline ends a command */
		else
			util_buf_add(b, s, 1);
	}
	util_buf_puts(b, "'");
}

/* A string inside inline data: double quotes (which gnuplot reads as
 * one column), a double quote in it made single. */
static void data_string(struct util_buf *b, const char *s)
{
	util_buf_puts(b, "\"");
	for (; s && *s; s++) {
		if (*s == '"')
			util_buf_puts(b, "'");
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			util_buf_puts(b, " ");
		else
			util_buf_add(b, s, 1);
	}
	util_buf_puts(b, "\"");
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && !strcmp(s + n - m, tail);
}

static void header(const struct report_plot *p, const char *output, bool png,
		   struct util_buf *b)
{
	util_buf_printf(b, "# gpuplan: %s, rendered by gnuplot\n",
			report_plot_names[p->kind]);
	util_buf_printf(b, "set terminal %s size 960,560 font 'DejaVu "
			"Sans,11'\nset output ",
			png ? "pngcairo" : "svg");
	report_gnuplot_str(b, output);
	util_buf_puts(b, "\nset title ");
	report_gnuplot_str(b, p->title);
	util_buf_puts(b, "\nset xlabel ");
	report_gnuplot_str(b, p->xlabel);
	util_buf_puts(b, "\nset ylabel ");
	report_gnuplot_str(b, p->ylabel);
	/* no enhanced text: an '_' in a name is not a subscript */
	util_buf_puts(b, "\nset termoption noenhanced\nset grid\n"
			 "set key outside right top\n");
	if (p->logx)
		util_buf_puts(b, "set logscale x\n");
}

static void data_lines(const struct report_plot *p, struct util_buf *b)
{
	for (size_t s = 0; s < p->nseries; s++) {
		util_buf_printf(b, "$d%zu << EOD\n", s);
		for (size_t i = 0; i < p->series[s].n; i++)
			util_buf_printf(b, "%.10g %.10g\n", p->series[s].x[i],
					p->series[s].y[i]);
		util_buf_puts(b, "EOD\n");
	}
}

/* An axis whose data is one value (a Pareto front of one point) gets a
 * range around it: gnuplot would widen it itself, with an "empty x range"
 * warning on stderr that reads like an error of gpuplan's. */
static void degenerate_ranges(const struct report_plot *p, struct util_buf *b)
{
	for (int axis = 0; axis < 2; axis++) {
		double lo = INFINITY, hi = -INFINITY, d;

		for (size_t s = 0; s < p->nseries; s++)
			for (size_t i = 0; i < p->series[s].n; i++) {
				double v = axis ? p->series[s].y[i]
						: p->series[s].x[i];

				lo = fmin(lo, v);
				hi = fmax(hi, v);
			}
		if (!isfinite(lo) || hi > lo || (axis == 0 && p->logx))
			continue;
		d = fmax(fabs(lo) * 0.1, 1);
		util_buf_printf(b, "set %crange [%.10g:%.10g]\n",
				axis ? 'y' : 'x', lo - d, lo + d);
	}
}

static void plot_lines(const struct report_plot *p, struct util_buf *b)
{
	const char *style = p->kind == REPORT_PARETO ? "linespoints pt 7"
			    : p->kind == REPORT_LATENCY_CDF ? "steps lw 2"
							  : "lines lw 2";

	data_lines(p, b);
	degenerate_ranges(p, b);
	if (isfinite(p->mark_x)) {
		util_buf_printf(b, "set arrow from %.10g, graph 0 to %.10g, "
				"graph 1 nohead dashtype 2 lc rgb 'gray40'\n",
				p->mark_x, p->mark_x);
		util_buf_printf(b, "set label at %.10g, %.10g ", p->mark_x,
				p->mark_y);
		report_gnuplot_str(b, p->mark_label);
		util_buf_puts(b, " offset 1,1 point pt 7\n");
	}
	util_buf_puts(b, "plot ");
	for (size_t s = 0; s < p->nseries; s++) {
		util_buf_printf(b, "%s$d%zu using 1:2 with %s title ",
				s ? ", " : "", s, style);
		report_gnuplot_str(b, p->series[s].title);
	}
	util_buf_puts(b, "\n");
}

/* Bars: one row per category, one column per series (a component). */
static void plot_bars(const struct report_plot *p, struct util_buf *b)
{
	util_buf_puts(b, "set style data histograms\nset style histogram "
			 "rowstacked\nset style fill solid 0.85 border -1\n"
			 "set boxwidth 0.7\nset xtics rotate by -30\n"
			 "$bars << EOD\n");
	for (size_t c = 0; c < p->ncategories; c++) {
		data_string(b, p->categories[c]);
		for (size_t s = 0; s < p->nseries; s++)
			util_buf_printf(b, " %.10g", p->series[s].y[c]);
		util_buf_puts(b, "\n");
	}
	util_buf_puts(b, "EOD\nplot ");
	for (size_t s = 0; s < p->nseries; s++) {
		util_buf_printf(b, "%s$bars using %zu%s title ", s ? ", " : "",
				s + 2, s ? "" : ":xtic(1)");
		report_gnuplot_str(b, p->series[s].title);
	}
	util_buf_puts(b, "\n");
}

/* A tornado: per category (top first), a bar from the base to the low
 * value and one to the high value. */
static void plot_tornado(const struct report_plot *p, struct util_buf *b)
{
	util_buf_printf(b, "base = %.10g\nset style fill solid 0.85 border -1\n"
			"set yrange [%zu - 0.5:-0.5]\nset ytics scale 0\n"
			"set arrow from base, graph 0 to base, graph 1 nohead "
			"dashtype 2 lc rgb 'gray40'\n$t << EOD\n",
			p->mark_x, p->ncategories);
	for (size_t c = 0; c < p->ncategories; c++) {
		data_string(b, p->categories[c]);
		util_buf_printf(b, " %.10g %.10g\n", p->series[0].y[c],
				p->series[1].y[c]);
	}
	util_buf_puts(b, "EOD\nplot ");
	for (size_t s = 0; s < 2; s++) {
		util_buf_printf(b, "%s$t using (base):0:(($%zu<base)?$%zu:base):"
				"(($%zu<base)?base:$%zu):($0-0.35):($0+0.35)%s "
				"with boxxyerror title ",
				s ? ", " : "", s + 2, s + 2, s + 2, s + 2,
				s ? "" : ":ytic(1)");
		report_gnuplot_str(b, p->series[s].title);
	}
	util_buf_puts(b, "\n");
}

int report_gnuplot(const struct report_plot *p, const char *output,
		 struct util_buf *out, struct util_err *err)
{
	bool png = ends_with(output, ".png");

	if (!png && !ends_with(output, ".svg"))
		return util_err_set(err, UTIL_E_USAGE, "the plot's file must "
				    "end in .png or .svg, got '%s'", output);
	header(p, output, png, out);
	if (p->kind == REPORT_COST_BREAKDOWN)
		plot_bars(p, out);
	else if (p->kind == REPORT_TORNADO)
		plot_tornado(p, out);
	else
		plot_lines(p, out);
	return 0;
}

bool report_image_complete(const char *data, size_t len, bool png)
{
	/* a PNG ends with its IEND chunk (length 0, type, CRC) */
	static const char iend[] = "\0\0\0\0IEND\xae\x42\x60\x82";
	static const char svg_end[] = "</svg>";

	if (png)
		return len >= sizeof(iend) - 1 &&
		       !memcmp(data + len - (sizeof(iend) - 1), iend,
			       sizeof(iend) - 1);
	while (len && (data[len - 1] == '\n' || data[len - 1] == '\r' ||
		       data[len - 1] == ' ' || data[len - 1] == '\t'))
		len--;
	return len >= sizeof(svg_end) - 1 &&
	       !memcmp(data + len - (sizeof(svg_end) - 1), svg_end,
		       sizeof(svg_end) - 1);
}
