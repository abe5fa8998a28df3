/* gpuplan sweep SCENARIO --set PATH=V1,V2,...: a grid of what-ifs, each
 * point planned (and simulated), one row per point; shards for running
 * it on a cluster, and their merge (docs/sweep.md). */
#define _DEFAULT_SOURCE /* strsep */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../advise/advise.h"
#include "../emit/emit.h"
#include "../report/report.h"
#include "cli.h"

#define NRESULT 9 /* status .. message */
/* A shard's last line: which shard of how many, and the grid's size. */
#define SHARD_MARK "# gpuplan sweep shard"
static const char *const result_head[NRESULT] = {
	"status",     "total_cost",	 "families",
	"buy",	      "sim_cost",	 "wait_p95_s",
	"latency_p99_ms", "deadline_miss", "message"};
struct sweep_cli {
	struct advise_sweep_grid g;
	const char *scenario, *out, *emit, *plot;
	enum cli_format format;
	bool simulate;
	int jobs;
	long shard, nshards; /* 1-based shard of nshards; 0: all */
	long throttle;
};

/* The result columns: the simulation's only with --simulate. */
static size_t nresult(const struct sweep_cli *c)
{
	return c->simulate ? NRESULT : NRESULT - 4;
}

static const char *result_name(const struct sweep_cli *c, size_t k)
{
	return !c->simulate && k == 4 ? result_head[NRESULT - 1]
				      : result_head[k];
}

struct sweep_run {
	const struct sweep_cli *c;
	const struct cli_ctx *ctx;
	struct pricing_catalog cat;
	struct advise_source src; /* the scenario over cat, as every command */
	struct model_set fx[MODEL_MAX_FX]; /* --fx, under every point's */
	size_t nfx;
	size_t npoints;
	char **rows; /* per point: NRESULT tab-separated fields, or NULL */
	bool tty;    /* progress on stderr */
};

/* The result fields of one point, tab-separated. */
static char *point(const struct sweep_run *r, size_t index)
{
	struct model_set set[MODEL_MAX_FX + ADVISE_SWEEP_MAX_DIMS];
	struct advise_sweep_result x;
	struct util_buf b;
	/* the empty simulation fields, and the tab before the message */
	const char *gap = r->c->simulate ? "\t\t\t\t\t" : "\t";

	/* --fx first: a --set of fx.CODE sweeps over it */
	memcpy(set, r->fx, r->nfx * sizeof(*set));
	advise_sweep_point(&r->c->g, index, set + r->nfx);
	advise_sweep_run(&r->src, set, r->nfx + r->c->g.ndims, r->c->simulate,
			 &x);
	util_buf_init(&b);
	if (!x.planned) {
		util_buf_printf(&b, "%s\t\t\t%s%s", x.status, gap,
				x.message);
	} else {
		util_buf_printf(&b, "%s\t%.2f\t%s\t%s", x.status,
				x.total_cost, x.families, x.buy);
		if (r->c->simulate && !x.simulated) {
			util_buf_printf(&b, "%s%s", gap, x.message);
		} else if (r->c->simulate) {
			char f[3][32];

			/* a metric no workload has stays empty */
			snprintf(f[0], 32, x.wait_p95_s < 0 ? "" : "%.1f",
				 x.wait_p95_s);
			snprintf(f[1], 32, x.latency_p99_ms < 0 ? "" : "%.1f",
				 x.latency_p99_ms);
			snprintf(f[2], 32, x.deadline_miss < 0 ? "" : "%.3f",
				 x.deadline_miss);
			util_buf_printf(&b, "\t%.2f\t%s\t%s\t%s\t", x.sim_cost,
					f[0], f[1], f[2]);
		} else {
			util_buf_puts(&b, "\t");
		}
		if (!r->c->simulate || x.simulated) /* a note, or "" */
			util_buf_puts(&b, x.message);
	}
	advise_sweep_result_release(&x);
	return util_buf_detach(&b);
}

static bool mine(const struct sweep_cli *c, size_t index)
{
	return !c->nshards || (long)((index - 1) % (size_t)c->nshards) ==
				      c->shard - 1;
}

/* Runs the points of worker w of nw, writing "index\tfields\n" to fd. */
static void work(const struct sweep_run *r, int w, int nw, int fd)
{
	size_t rank = 0; /* in the shard: the workers take turns */

	for (size_t i = 1; i <= r->npoints; i++) {
		char *row;
		char *line;

		if (!mine(r->c, i) || (int)(rank++ % (size_t)nw) != w)
			continue;
		row = point(r, i);
		for (char *p = row; *p; p++)
			if (*p == '\n')
				*p = ' ';
		line = util_xasprintf("%zu\t%s\n", i, row);
		for (size_t off = 0, n = strlen(line); off < n;) {
			ssize_t k = write(fd, line + off, n - off);

			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				_exit(70);
			off += (size_t)k;
		}
		free(line);
		free(row);
	}
}

static void take(struct sweep_run *r, const char *text)
{
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		char *end;
		unsigned long i = strtoul(p, &end, 10);

		if (i >= 1 && i <= r->npoints && *end == '\t' && !r->rows[i - 1])
			r->rows[i - 1] = util_xstrndup(end + 1,
						       n - (size_t)(end + 1 - p));
		p += n + (p[n] == '\n');
	}
}

/* A progress line with ETA on stderr, on a terminal, once a sweep has
 * lasted a second. */
static void progress(const struct sweep_run *r, size_t done, size_t total,
		     double t0)
{
	double s;

	if (!r->tty || !total)
		return;
	s = util_now_s() - t0;
	if (s < 1 && done < total)
		return;
	fprintf(stderr, "\r\033[K%zu/%zu points, %.0f s left", done, total,
		done ? s / (double)done * (double)(total - done) : 0);
	if (done == total)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

/* Reads the workers' rows as they come (poll), then reaps them. */
static int collect(struct sweep_run *r, const pid_t *pid, const int *fd,
		   int nw)
{
	struct util_buf b[64];
	struct pollfd p[64];
	double t0 = util_now_s();
	size_t total = 0, done = 0;
	int open = nw, rc = 0;

	for (size_t i = 1; i <= r->npoints; i++)
		total += mine(r->c, i);
	for (int w = 0; w < nw; w++) {
		util_buf_init(&b[w]);
		p[w] = (struct pollfd){.fd = fd[w], .events = POLLIN};
	}
	while (open > 0) {
		if (poll(p, (nfds_t)nw, -1) < 0) {
			if (errno == EINTR)
				continue;
			for (int w = 0; w < nw; w++) /* they would block */
				kill(pid[w], SIGTERM);
			rc = CLI_EXIT_SOFTWARE;
			break;
		}
		for (int w = 0; w < nw; w++) {
			char chunk[4096];
			ssize_t n;

			if (p[w].fd < 0 || !(p[w].revents & (POLLIN | POLLHUP)))
				continue;
			n = read(p[w].fd, chunk, sizeof(chunk));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(p[w].fd);
				p[w].fd = -1;
				open--;
				continue;
			}
			util_buf_add(&b[w], chunk, (size_t)n);
			for (ssize_t k = 0; k < n; k++)
				done += chunk[k] == '\n';
			progress(r, done, total, t0);
		}
	}
	for (int w = 0; w < nw; w++) {
		int st = 0;

		while (waitpid(pid[w], &st, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			rc = CLI_EXIT_SOFTWARE;
		take(r, util_buf_str(&b[w]));
		util_buf_release(&b[w]);
	}
	return rc;
}

/* Stops and reaps the first n workers after a failure. */
static int stop_workers(const pid_t *pid, const int *fd, int n)
{
	for (int w = 0; w < n; w++) {
		close(fd[w]);
		kill(pid[w], SIGTERM);
		while (waitpid(pid[w], NULL, 0) < 0 && errno == EINTR)
			;
	}
	cli_error("cannot start the sweep's workers: %s", strerror(errno));
	return CLI_EXIT_SOFTWARE;
}

/* Every point of the shard, by J processes (GLPK is not thread-safe);
 * rows land by index, so the output does not depend on J. */
static int run(struct sweep_run *r)
{
	int nw = r->c->jobs, rc = 0;
	pid_t pid[64];
	int fd[64];

	if (nw <= 1) {
		double t0 = util_now_s();
		size_t total = 0, done = 0;

		for (size_t i = 1; i <= r->npoints; i++)
			total += mine(r->c, i);
		for (size_t i = 1; i <= r->npoints; i++)
			if (mine(r->c, i)) {
				r->rows[i - 1] = point(r, i);
				progress(r, ++done, total, t0);
			}
		return 0;
	}
	fflush(NULL);
	for (int w = 0; w < nw; w++) {
		int p[2];

		if (pipe(p))
			return stop_workers(pid, fd, w);
		pid[w] = fork();
		if (pid[w] < 0) {
			close(p[0]);
			close(p[1]);
			return stop_workers(pid, fd, w);
		}
		if (pid[w] == 0) {
			close(p[0]);
			for (int k = 0; k < w; k++)
				close(fd[k]);
			work(r, w, nw, p[1]);
			close(p[1]);
			_exit(0);
		}
		close(p[1]);
		fd[w] = p[0];
	}
	rc = collect(r, pid, fd, nw);
	if (rc)
		cli_error("a sweep worker failed");
	return rc;
}

/* The header: point, the paths, the results. */
static const char **header(const struct sweep_cli *c, size_t *n)
{
	const char **h = util_xcalloc(c->g.ndims + NRESULT + 1, sizeof(*h));

	h[0] = "point";
	for (size_t i = 0; i < c->g.ndims; i++)
		h[1 + i] = c->g.dims[i].path;
	for (size_t k = 0; k < nresult(c); k++)
		h[1 + c->g.ndims + k] = result_name(c, k);
	*n = c->g.ndims + nresult(c) + 1;
	return h;
}

/* One row's cells (owned by the caller: free cells[0] and cells). */
static char **cells(const struct sweep_run *r, size_t index, size_t ncols)
{
	char **v = util_xcalloc(ncols, sizeof(*v));
	struct model_set set[ADVISE_SWEEP_MAX_DIMS];
	char *fields = util_xasprintf("%zu\t%s", index, r->rows[index - 1]);
	char *p = fields;
	size_t k = 0;

	advise_sweep_point(&r->c->g, index, set);
	v[k++] = strsep(&p, "\t");
	for (size_t i = 0; i < r->c->g.ndims; i++)
		v[k++] = (char *)set[i].value;
	while (k < ncols && p)
		v[k++] = strsep(&p, "\t");
	for (size_t i = 0; i < ncols; i++)
		if (v[i] && !*v[i])
			v[i] = NULL;
	return v;
}

/* The catalog layers of the points: the scenario's own among them. */
static json_t *prices_json(const struct sweep_run *r)
{
	struct model_scenario s;
	struct util_diags d;
	struct util_err err;
	json_t *j;

	util_diags_init(&d);
	j = advise_source_load(&r->src, r->fx, r->nfx, &s, &d, &err)
		    ? emit_prices_json(&r->cat)
		    : emit_prices_json(&s.catalog);
	model_scenario_release(&s);
	util_diags_release(&d);
	return j;
}

/* A number for the numeric results, else a string. */
static json_t *cell_json(const struct sweep_run *r, size_t k, const char *v)
{
	static const char *const text[] = {"status", "families", "buy",
					   "message"};
	double x;

	if (k == 0)
		return json_integer((json_int_t)strtoul(v, NULL, 10));
	if (k <= r->c->g.ndims || util_parse_double(v, &x))
		return json_string(v);
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(text); i++)
		if (!strcmp(result_name(r->c, k - 1 - r->c->g.ndims), text[i]))
			return json_string(v);
	return emit_json_real(x);
}

/* The scenario's currency, for the tables' money. */
static void currency_of(const struct sweep_run *r, char *buf, size_t n)
{
	struct model_scenario s;
	struct util_diags d;
	struct util_err err;

	util_diags_init(&d);
	snprintf(buf, n, "%s",
		 advise_source_load(&r->src, r->fx, r->nfx, &s, &d, &err)
			 ? ""
			 : s.currency);
	model_scenario_release(&s);
	util_diags_release(&d);
}

/* The result cells of a table for people: money with its currency,
 * waits and latencies in the unit that reads best. v[k] is replaced by
 * a string from store (k: the result's index in result_head). */
static void humanise(const struct sweep_run *r, char **v, size_t ncols,
		     const char *currency, char store[][64])
{
	for (size_t k = r->c->g.ndims + 1; k < ncols; k++) {
		const char *name = result_name(r->c, k - 1 - r->c->g.ndims);
		char *o = store[k - 1 - r->c->g.ndims];
		double x;

		if (!v[k] || util_parse_double(v[k], &x))
			continue;
		if (!strcmp(name, "total_cost") || !strcmp(name, "sim_cost"))
			v[k] = util_fmt_money(o, 64, x, currency, false);
		else if (!strcmp(name, "wait_p95_s"))
			v[k] = report_fmt_duration(o, 64, x);
		else if (!strcmp(name, "latency_p99_ms"))
			v[k] = report_fmt_duration(o, 64, x * 1e-3);
	}
}

/* The header of a table for people: words, the units in the cells. */
static void human_header(const struct sweep_run *r, const char **head,
			 size_t ncols)
{
	static const char *const words[NRESULT] = {
		"status", "total cost", "families", "buy", "simulated cost",
		"p95 wait", "p99 latency", "deadline miss", "message"};

	for (size_t k = r->c->g.ndims + 1; k < ncols; k++)
		for (size_t i = 0; i < NRESULT; i++)
			if (!strcmp(head[k], result_head[i]))
				head[k] = words[i];
}

/* Whether no point has a message (every cell "-" or empty): a table
 * for people then leaves the column out (at 80 columns it took a block
 * of its own). */
static bool no_message(const struct sweep_run *r, const char **head,
		       size_t ncols)
{
	bool none = ncols > 1 && !strcmp(head[ncols - 1], "message");

	for (size_t i = 1; none && i <= r->npoints; i++) {
		char **v;

		if (!r->rows[i - 1])
			continue;
		v = cells(r, i, ncols);
		none = !v[ncols - 1] || !strcmp(v[ncols - 1], "-");
		free(v[0]);
		free(v);
	}
	return none;
}

static int render(const struct sweep_run *r, struct util_buf *b)
{
	size_t ncols;
	const char **head = header(r->c, &ncols);
	bool *right = util_xcalloc(ncols, sizeof(*right));
	struct cli_table t;
	json_t *pts = json_array();
	bool human = r->c->format == CLI_TABLE ||
		     r->c->format == CLI_MARKDOWN;
	char currency[16] = "", store[NRESULT][64];

	if (human)
		currency_of(r, currency, sizeof(currency));
	right[0] = true;
	for (size_t i = 0; i < ncols; i++)
		right[i] = i == 0 || (i > r->c->g.ndims + 1 &&
				      i != r->c->g.ndims + 3 &&
				      i != r->c->g.ndims + 4 && i + 1 < ncols);
	cli_table_init(&t, human && no_message(r, head, ncols) ? ncols - 1
							       : ncols,
		       head, right);
	for (size_t i = 1; i <= r->npoints; i++) {
		char **v;

		if (!r->rows[i - 1])
			continue;
		v = cells(r, i, ncols);
		if (human)
			humanise(r, v, ncols, currency, store);
		cli_table_row(&t, (const char *const *)v);
		if (r->c->format == CLI_JSON) {
			json_t *o = json_object();

			for (size_t k = 0; k < ncols; k++)
				if (v[k])
					json_object_set_new(o, head[k],
							    cell_json(r, k, v[k]));
			json_array_append_new(pts, o);
		}
		free(v[0]);
		free(v);
	}
	if (r->c->format == CLI_JSON) {
		json_t *root = json_object(), *sets = json_array();

		for (size_t i = 0; i < r->c->g.ndims; i++)
			json_array_append_new(
				sets, json_string(r->c->g.dims[i].path));
		json_object_set_new(root, "scenario",
				    json_string(r->c->scenario));
		json_object_set_new(root, "sets", sets);
		json_object_set_new(root, "points", pts);
		json_object_set_new(root, "prices", prices_json(r));
		emit_json_text(root, b);
	} else {
		json_decref(pts);
		if (human)
			human_header(r, head, ncols);
		cli_table_render(&t, r->c->format, b);
		if (human) /* compare's totals come after the loop */
			util_buf_printf(b, "\neach point is planned once, "
					"before the closed loop of plan and "
					"compare tightens it for the targets "
					"(%s)\n", r->c->simulate
					? "the simulated columns show how they "
					  "fare"
					: "--simulate shows its waits and "
					  "deadline misses");
		if (r->c->shard && r->c->format == CLI_CSV) /* for merge */
			util_buf_printf(b, "%s %ld/%ld of %zu points\n",
					SHARD_MARK, r->c->shard, r->c->nshards,
					r->npoints);
	}
	cli_table_release(&t);
	free(right);
	free(head);
	return 0;
}

#define MAX_LINES 16

/* Total cost against the first --set (its numbers, or its values in
 * order), a line per combination of the others (at most 16). */
static int plot(const struct sweep_run *r)
{
	const struct advise_sweep_grid *g = &r->c->g;
	size_t nx = g->dims[0].nvalues, nl = r->npoints / nx;
	struct report_series ser[MAX_LINES];
	char *titles[MAX_LINES];
	double *x = util_xcalloc(nx, sizeof(double));
	double *y = util_xcalloc(nx * (nl < MAX_LINES ? nl : MAX_LINES),
				 sizeof(double));
	bool numeric = true;
	char title[256];
	struct report_plot p = {.kind = REPORT_PARETO, .title = title,
			      .xlabel = g->dims[0].path, .ylabel = "total cost",
			      .series = ser, .mark_x = NAN, .mark_y = NAN};
	int rc;

	for (size_t i = 0; i < nx; i++) { /* numbers with the same unit */
		char *end, *end0;

		x[i] = strtod(g->dims[0].values[i], &end);
		strtod(g->dims[0].values[0], &end0);
		numeric &= end != g->dims[0].values[i] && !strcmp(end, end0);
	}
	for (size_t i = 0; !numeric && i < nx; i++)
		x[i] = (double)(i + 1);
	nl = nl < MAX_LINES ? nl : MAX_LINES;
	for (size_t l = 0; l < nl; l++) {
		struct model_set set[ADVISE_SWEEP_MAX_DIMS];
		struct util_buf t;

		util_buf_init(&t);
		advise_sweep_point(g, l + 1, set); /* point l + 1: first value */
		for (size_t k = 1; k < g->ndims; k++)
			util_buf_printf(&t, "%s%s", k > 1 ? ", " : "",
					set[k].value);
		titles[l] = util_buf_detach(&t);
		for (size_t i = 0; i < nx; i++) {
			/* point of value i of the first set, line l */
			const char *row = r->rows[i * (r->npoints / nx) + l];
			char *tab = row ? strchr(row, '\t') : NULL;

			y[l * nx + i] = tab && tab[1] != '\t'
						? strtod(tab + 1, NULL)
						: NAN;
		}
		ser[l] = (struct report_series){*titles[l] ? titles[l] : "cost",
					      x, y + l * nx, nx};
	}
	p.nseries = nl;
	{
		struct util_buf t;

		util_buf_init(&t);
		for (size_t k = 1; k < g->ndims; k++)
			util_buf_printf(&t, "%s%s", k > 1 ? ", " : "; lines: ",
					g->dims[k].path);
		snprintf(title, sizeof(title), "total cost (%s)%s",
			 r->cat.currency ? r->cat.currency : "USD",
			 util_buf_str(&t));
		util_buf_release(&t);
	}
	rc = cli_draw_plot(&p, r->c->plot);
	for (size_t l = 0; l < nl; l++)
		free(titles[l]);
	free(x);
	free(y);
	return rc;
}

/* --emit slurm-array: the sweep as a Slurm array, one task per shard,
 * then a merge job after all of them (--dependency=afterok). */
static int emit_array(const struct sweep_cli *c, const struct cli_ctx *ctx)
{
	struct util_buf args;
	int rc;

	util_buf_init(&args);
	for (size_t i = 0; i < c->g.ndims; i++) {
		util_buf_puts(&args, " --set ");
		emit_shell_word(&args, c->g.dims[i].arg);
	}
	if (c->simulate)
		util_buf_puts(&args, " --simulate");
	rc = cli_emit_array(ctx, &(struct cli_array){
		.cmd = "sweep", .noun = "sweep", .scenario = c->scenario,
		.args = util_buf_str(&args), .shard_args = " --format csv",
		.format = -1, .sbatch = "sweep.sbatch", .ext = "csv",
		.nshards = c->nshards,
		.throttle = c->throttle, .out = c->out});
	util_buf_release(&args);
	return rc;
}

/* A shard's text is UTF-8 without control characters but tabs and line
 * ends (LF or CRLF: a shard may have been through an editor): else the
 * file is named with the line, before another shard can be blamed for
 * differing from it. */
static int shard_text_ok(const char *name, const char *buf, size_t len)
{
	size_t bad = len;
	int line, col;

	if (!util_utf8_valid(buf, len, &bad))
		goto fail;
	for (bad = 0; bad < len; bad++)
		if (((unsigned char)buf[bad] < 0x20 && buf[bad] != '\n' &&
		     buf[bad] != '\t' &&
		     (buf[bad] != '\r' || buf[bad + 1] != '\n')) ||
		    buf[bad] == 0x7f)
			goto fail;
	return 0;
fail:
	util_offset_to_linecol(buf, len, bad, &line, &col);
	cli_error("%s:%d:%d: %s: not a shard written by gpuplan sweep", name,
		  line, col, buf[bad] == '\r' ? "a carriage return inside a "
		  "line" : "a control character or a byte that is not UTF-8 "
		  "text");
	return CLI_EXIT_DATAERR;
}

/* line, a row of shard name at lineno, parsed (RFC 4180) and written
 * again into *out (malloc'd) through the CSV quoting of every table: a
 * shard is untrusted, and a cell a spreadsheet would run as a formula
 * stays text. 0, or CLI_EXIT_DATAERR when the row is not CSV or has not
 * nfields fields (nfields 0: any number, the header). */
static int merge_row(const char *name, int lineno, const char *line,
		     size_t nfields, char **out)
{
	struct util_csv_row r = {0};
	struct util_err err;
	struct util_buf b;
	size_t pos = 0;
	int l = lineno;

	if (util_csv_next(line, strlen(line), &pos, &l, &r, &err) != 1) {
		cli_error("%s:%d:1: not a CSV row: an unterminated quoted "
			  "field", name, lineno);
		return CLI_EXIT_DATAERR;
	}
	if (nfields && r.n != nfields) {
		cli_error("%s:%d:1: %zu fields, the header has %zu", name,
			  lineno, r.n, nfields);
		util_csv_row_release(&r);
		return CLI_EXIT_DATAERR;
	}
	util_buf_init(&b);
	for (size_t i = 0; i < r.n; i++) {
		util_buf_puts(&b, i ? "," : "");
		report_csv_field(&b, r.field[i]);
	}
	util_csv_row_release(&r);
	*out = util_buf_detach(&b);
	return 0;
}

/* The fields of a CSV line, 0 when it is not one. */
static size_t csv_fields(const char *line)
{
	struct util_csv_row r = {0};
	struct util_err err;
	size_t pos = 0, n;
	int l = 1;

	if (util_csv_next(line, strlen(line), &pos, &l, &r, &err) != 1)
		return 0;
	n = r.n;
	util_csv_row_release(&r);
	return n;
}

/* sweep merge FILE... [--out FILE]: the shards' CSV rows by point, as one
 * run writes them. */
static int merge(int argc, char **argv)
{
	const char *out = NULL, *head = NULL;
	char **row = NULL, **text = NULL;
	size_t nrow = 0, ntext = 0, max = 0, points = 0;
	long nshards = 0;
	unsigned char seen[100001] = {0};
	struct util_buf b;
	int rc = 0, lineno;

	for (int i = 2; i < argc && !rc; i++) {
		struct util_err err;
		char *buf;
		size_t len;

		if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			out = argv[++i];
			continue;
		}
		if (util_read_file(argv[i], UTIL_INPUT_MAX, &buf, &len, &err)) {
			cli_error("%s", err.msg);
			rc = cli_exit_code(err.code);
			break;
		}
		UTIL_GROW(text, ntext + 1, nrow);
		text[ntext++] = buf;
		rc = shard_text_ok(argv[i], buf, len);
		lineno = 0;
		for (char *p = buf, *line; !rc && (line = strsep(&p, "\n"));) {
			char *end;
			unsigned long k;

			lineno++;
			if (*line && line[strlen(line) - 1] == '\r')
				line[strlen(line) - 1] = '\0'; /* CRLF */
			if (!*line)
				continue;
			if (!strncmp(line, SHARD_MARK " ", sizeof(SHARD_MARK))) {
				long si, sn;
				size_t sp;

				if (sscanf(line + sizeof(SHARD_MARK),
					   "%ld/%ld of %zu points", &si, &sn,
					   &sp) != 3 || si < 1 || si > sn ||
				    sn > 100000 || (nshards && sn != nshards) ||
				    (points && sp != points) || seen[si]++) {
					cli_error("%s: '%s' does not match the "
						  "other shards (another sweep, "
						  "or the same shard twice?)",
						  argv[i], line);
					rc = CLI_EXIT_DATAERR;
					break;
				}
				nshards = sn;
				points = sp;
				continue;
			}
			if (line == buf) { /* the header */
				if (head && strcmp(head, line)) {
					cli_error("%s: its columns differ from "
						  "the other shards' (another "
						  "sweep?)", argv[i]);
					rc = CLI_EXIT_DATAERR;
					break;
				}
				head = line;
				continue;
			}
			k = strtoul(line, &end, 10);
			if (!k || *end != ',' || k > 10000000) {
				cli_error("%s:%d:1: '%.40s' is not a sweep row "
					  "(a point number first)", argv[i],
					  lineno, line);
				rc = CLI_EXIT_DATAERR;
				break;
			}
			if (!head || !csv_fields(head)) {
				cli_error("%s:1:1: not a shard written by "
					  "gpuplan sweep: no CSV header",
					  argv[i]);
				rc = CLI_EXIT_DATAERR;
				break;
			}
			if (k > max) {
				row = util_xrealloc(row, k * sizeof(*row));
				memset(row + max, 0, (k - max) * sizeof(*row));
				max = k;
			}
			if (row[k - 1]) {
				cli_error("%s:%d:1: point %lu is in two shards",
					  argv[i], lineno, k);
				rc = CLI_EXIT_DATAERR;
				break;
			}
			rc = merge_row(argv[i], lineno, line, csv_fields(head),
				       &row[k - 1]);
		}
	}
	for (long s = 1; !rc && s <= nshards; s++)
		if (!seen[s]) {
			cli_error("shard %ld/%ld is missing", s, nshards);
			rc = CLI_EXIT_DATAERR;
		}
	if (!rc && (!nshards || max > points)) {
		cli_error("%s", nshards ? "more points than the grid has"
					: "these are not shards of a sweep "
					  "(written with --shard I/N --format "
					  "csv)");
		rc = CLI_EXIT_DATAERR;
	}
	for (size_t k = 0; !rc && k < points; k++)
		if (k >= max || !row[k]) {
			cli_error("point %zu is in no shard: is a shard "
				  "missing?", k + 1);
			rc = CLI_EXIT_DATAERR;
		}
	if (!rc && !head) {
		cli_error("sweep merge: give the shards' CSV files");
		rc = CLI_EXIT_USAGE;
	}
	util_buf_init(&b);
	if (!rc) {
		char *h = NULL;

		/* CRLF, as the shards' CSV (RFC 4180) */
		rc = merge_row("the header", 1, head, 0, &h);
		util_buf_printf(&b, "%s\r\n", h);
		for (size_t k = 0; k < max; k++)
			util_buf_printf(&b, "%s\r\n", row[k]);
		free(h);
		if (!rc)
			rc = cli_write_out(out, &b);
	}
	util_buf_release(&b);
	for (size_t k = 0; k < max; k++)
		free(row[k]);
	free(row);
	util_strv_free(text, ntext);
	return rc;
}

static int parse(int argc, char **argv, struct sweep_cli *c)
{
	static const struct option longopts[] = {
		{"set", required_argument, NULL, 's'},
		{"simulate", no_argument, NULL, 'S'},
		{"jobs", required_argument, NULL, 'j'},
		{"format", required_argument, NULL, 'f'},
		{"shard", required_argument, NULL, 'h'},
		{"out", required_argument, NULL, 'o'},
		{"emit", required_argument, NULL, 'e'},
		{"shards", required_argument, NULL, 'n'},
		{"throttle", required_argument, NULL, 't'},
		{"plot", required_argument, NULL, 'P'},
		{NULL, 0, NULL, 0}};
	struct util_err err;
	long v;
	int ch;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (advise_sweep_add(&c->g, optarg, &err))
				return cli_usage_error("sweep", "%s", err.msg);
			break;
		case 'S':
			c->simulate = true;
			break;
		case 'j':
		case 'n':
		case 't':
			if (util_parse_long(optarg, 1, ch == 'j' ? 64 : 100000,
					    &v))
				return cli_usage_error(
					"sweep", "'--%s' takes a whole number "
					"from 1 to %d, got '%s'",
					ch == 'j'   ? "jobs"
					: ch == 'n' ? "shards"
						    : "throttle",
					ch == 'j' ? 64 : 100000, optarg);
			if (ch == 'j')
				c->jobs = (int)v;
			else if (ch == 'n')
				c->nshards = v;
			else
				c->throttle = v;
			break;
		case 'f':
			if (cli_parse_format("sweep", optarg,
					     (1u << CLI_TABLE) | (1u << CLI_CSV) |
						     (1u << CLI_JSON) |
						     (1u << CLI_MARKDOWN),
					     &c->format))
				return CLI_EXIT_USAGE;
			break;
		case 'h':
			if (cli_shard_option("sweep", optarg, &c->shard, &v))
				return CLI_EXIT_USAGE;
			c->nshards = v;
			break;
		case 'o':
			c->out = optarg;
			break;
		case 'P':
			c->plot = optarg;
			break;
		case 'e':
			if (strcmp(optarg, "slurm-array"))
				return cli_usage_error("sweep", "'--emit' is "
						       "slurm-array, got '%s'",
						       optarg);
			c->emit = optarg;
			break;
		case ':':
			return cli_usage_error("sweep", "option '%s' needs a "
					       "value", argv[optind - 1]);
		default:
			return cli_usage_error("sweep", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("sweep", "give one scenario file");
	c->scenario = argv[optind];
	if (!c->g.ndims)
		return cli_usage_error("sweep", "say what varies with --set "
				       "PATH=V1,V2,...");
	if (c->emit && (!c->out || !c->nshards || c->shard))
		return cli_usage_error("sweep", "--emit slurm-array needs "
				       "--shards N and --out DIR");
	if (!c->emit && c->nshards && !c->shard)
		return cli_usage_error("sweep", "--shards goes with --emit; "
				       "one shard is --shard I/N");
	return 0;
}

int cmd_sweep(int argc, char **argv, struct cli_ctx *ctx)
{
	struct sweep_cli c = {.format = CLI_TABLE};
	struct sweep_run r = {.c = &c, .ctx = ctx};
	struct util_err err;
	struct util_buf b;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int rc;

	if (argc > 1 && !strcmp(argv[1], "merge"))
		return merge(argc, argv);
	c.jobs = cpus < 1 ? 1 : cpus > 64 ? 64 : (int)cpus;
	rc = parse(argc, argv, &c);
	if (!rc && advise_sweep_size(&c.g, &r.npoints, &err))
		rc = cli_usage_error("sweep", "%s", err.msg);
	if (!rc)
		rc = cli_load_catalog(ctx, &r.cat);
	else
		pricing_catalog_init(&r.cat);
	if (!rc && advise_source_init(&r.src, c.scenario, &r.cat, ctx->catalog,
				      &err)) {
		cli_error("%s", err.msg);
		rc = cli_exit_code(err.code);
	}
	r.nfx = cli_fx_sets(ctx, r.fx); /* --fx CODE=RATE: fx.CODE=RATE */
	if (!rc && (advise_source_fx_check(&r.src, r.fx, r.nfx, &err) ||
		    advise_sweep_check(&r.src, &c.g, &err))) {
		cli_error("%s", err.msg);
		rc = cli_exit_code(err.code);
	}
	if (!rc && c.emit) {
		if (!c.throttle)
			c.throttle = c.nshards;
		rc = emit_array(&c, ctx);
		goto out;
	}
	if (!rc) {
		r.rows = util_xcalloc(r.npoints, sizeof(*r.rows));
		r.tty = isatty(STDERR_FILENO) && !ctx->quiet;
		rc = run(&r);
	}
	util_buf_init(&b);
	if (!rc) {
		render(&r, &b);
		rc = c.format == CLI_TABLE && !c.out ? cli_write_text(&b)
						    : cli_write_out(c.out, &b);
	}
	if (!rc && c.plot)
		rc = plot(&r);
	util_buf_release(&b);
out:
	for (size_t i = 0; i < r.nfx; i++)
		free((char *)r.fx[i].path);
	if (r.rows)
		util_strv_free(r.rows, r.npoints);
	advise_source_release(&r.src);
	pricing_catalog_release(&r.cat);
	advise_sweep_release(&c.g);
	return rc;
}
