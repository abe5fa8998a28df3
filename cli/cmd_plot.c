/* gpuplan plot SCENARIO --kind K --out FILE.png|FILE.svg: the data from
 * the planner or the simulator, a gnuplot script beside the image, and
 * gnuplot run through fork/exec with the script on a pipe (no shell). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../advise/advise.h"
#include "../emit/emit.h"
#include "../report/report.h"
#include "cli.h"

#define MAX_SERIES 16

/* What a plot holds, owned here: report_plot points into it. */
struct plot_data {
	struct report_plot p;
	struct report_series series[MAX_SERIES];
	double *x[MAX_SERIES], *y[MAX_SERIES];
	char *titles[MAX_SERIES];
	const char *categories[ADVISE_COLUMNS];
	char title[256];
	const char *note; /* a warning once the plot is drawn */
};

static void data_release(struct plot_data *d)
{
	for (int i = 0; i < MAX_SERIES; i++) {
		free(d->x[i]);
		free(d->y[i]);
		free(d->titles[i]);
	}
}

/* A new series of n points; returns its index. */
static size_t series(struct plot_data *d, const char *title, size_t n)
{
	size_t i = d->p.nseries++;

	UTIL_BUG_ON(i >= MAX_SERIES);
	d->x[i] = util_xcalloc(n + 1, sizeof(double));
	d->y[i] = util_xcalloc(n + 1, sizeof(double));
	d->titles[i] = util_xstrdup(title);
	d->series[i] = (struct report_series){d->titles[i], d->x[i], d->y[i], n};
	d->p.series = d->series;
	return i;
}

static bool planned(const struct model_plan *p)
{
	return p->status == MODEL_PLAN_OPTIMAL ||
	       p->status == MODEL_PLAN_FEASIBLE;
}

static int plan_family(const struct model_scenario *s, int f,
		       struct model_plan *p)
{
	struct model_plan_opts o = {.family = f};
	struct util_err err;

	if (model_plan(s, &o, p, &err)) {
		cli_error("%s", err.msg);
		return cli_exit_code(err.code);
	}
	return 0;
}

/* Cumulative cash of a plan, period by period. */
static void cumulative(struct plot_data *d, const char *title,
		       const struct model_plan *p)
{
	size_t i = series(d, title, p->nperiods);

	model_plan_period_costs(p, d->y[i]);
	for (size_t t = 0; t < p->nperiods; t++) {
		d->x[i][t] = (double)(t + 1);
		if (t)
			d->y[i][t] += d->y[i][t - 1];
	}
}

static const char *const period_words[3] = {"day", "week", "month"};

static void break_even(struct plot_data *d, size_t buy, size_t rent,
		       const char *per)
{
	const double *b = d->y[buy], *r = d->y[rent];
	static char label[64];

	for (size_t t = 1; t < d->series[buy].n; t++) {
		if (b[t - 1] > r[t - 1] && b[t] <= r[t]) {
			d->p.mark_x = (double)(t + 1);
			d->p.mark_y = b[t];
			snprintf(label, sizeof(label), "break-even in %s %zu",
				 per, t + 1);
			d->p.mark_label = label;
			return;
		}
	}
}

/* Buying (on-prem alone, else edge boards alone), the cheapest way of
 * renting alone, and the hybrid, as money paid over time; the
 * break-even between the first two marked. */
static int cost_over_time(const struct model_scenario *s,
			  struct plot_data *d)
{
	static const int rented[] = {PRICING_CLOUD, PRICING_CLOUD_SPOT,
				     PRICING_GPUAAS, PRICING_DECENTRALIZED};
	struct model_plan buy, hybrid, rent = {.status = MODEL_PLAN_INFEASIBLE};
	struct model_plan p;
	struct util_err err;
	int bf, rc = advise_plan_buying(s, &buy, &bf, &err);
	size_t ib = SIZE_MAX, ir = SIZE_MAX;

	if (rc) {
		model_plan_release(&buy); /* model_plan fills it either way */
		cli_error("%s", err.msg);
		return cli_exit_code(err.code);
	}

	for (size_t i = 0; !rc && i < UTIL_ARRAY_SIZE(rented); i++) {
		rc = plan_family(s, rented[i], &p);
		if (!rc && planned(&p) &&
		    (!planned(&rent) || p.total_cost < rent.total_cost)) {
			model_plan_release(&rent);
			rent = p;
		} else {
			model_plan_release(&p);
		}
	}
	if (!rc)
		rc = plan_family(s, -1, &hybrid);
	if (!rc && planned(&buy)) {
		ib = d->p.nseries;
		cumulative(d, bf == PRICING_EDGE ? "buy (edge boards)"
						  : "buy (on-prem)",
			   &buy);
	}
	if (!rc && planned(&rent)) {
		char t[80];

		snprintf(t, sizeof(t), "rent (%s)",
			 pricing_family_names[rent.assign[0].family]);
		ir = d->p.nseries;
		cumulative(d, t, &rent);
	}
	if (!rc && planned(&hybrid))
		cumulative(d, "hybrid", &hybrid);
	if (ib != SIZE_MAX && ir != SIZE_MAX)
		break_even(d, ib, ir, period_words[s->period]);
	/* a figure without the line or the mark it was asked for says why
	 * (department-montreal drew renting and the hybrid, silently) */
	if (!rc && ib == SIZE_MAX)
		d->note = "no buying line and no break-even: buying alone "
			  "(on-prem, or edge boards) has no plan for this "
			  "scenario ('gpuplan compare --by family' says why)";
	else if (!rc && ir == SIZE_MAX)
		d->note = "no renting line and no break-even: no way of "
			  "renting alone has a plan for this scenario "
			  "('gpuplan compare --by family' says why)";
	else if (!rc && isnan(d->p.mark_x) &&
		 d->y[ib][d->series[ib].n - 1] > d->y[ir][d->series[ir].n - 1])
		d->note = "no break-even marked: buying's cash stays above "
			  "renting's over the horizon (plan and compare count "
			  "the capex net of the devices' value at its end; "
			  "gpuplan breakeven gives the utilisation it takes)";
	d->p.xlabel = period_words[s->period];
	d->p.ylabel = s->currency;
	model_plan_release(&buy);
	model_plan_release(&rent);
	model_plan_release(&hybrid);
	return rc;
}

/* Cost components stacked, one bar per family that can serve every
 * workload, and the hybrid. */
static int cost_breakdown(const struct model_scenario *s,
			  struct plot_data *d)
{
	struct model_plan p[ADVISE_COLUMNS];
	size_t ok = 0;
	int rc = 0;

	for (int f = 0; f < ADVISE_COLUMNS; f++) {
		rc |= plan_family(s, f < PRICING_NFAMILIES ? f : -1, &p[f]);
		if (!rc && planned(&p[f]))
			d->categories[ok++] = f < PRICING_NFAMILIES
						      ? pricing_family_names[f]
						      : "hybrid";
	}
	for (int k = 0; !rc && k < MODEL_NCOSTS; k++) {
		double sum = 0;
		size_t i, c = 0;

		for (int f = 0; f < ADVISE_COLUMNS; f++)
			sum += planned(&p[f]) ? p[f].cost[k] : 0;
		if (sum < 0.005) /* a component no plan pays */
			continue;
		i = series(d, model_cost_names[k], ok);
		for (int f = 0; f < ADVISE_COLUMNS; f++)
			if (planned(&p[f]))
				d->y[i][c++] = p[f].cost[k];
	}
	for (int f = 0; f < ADVISE_COLUMNS; f++)
		model_plan_release(&p[f]);
	d->p.categories = d->categories;
	d->p.ncategories = ok;
	d->p.xlabel = "venue family";
	d->p.ylabel = s->currency;
	return rc;
}

/* The simulated request latencies of each inference workload under the
 * hybrid plan, as a CDF. */
static int latency_cdf(const struct model_scenario *s, struct plot_data *d,
		       uint64_t seed)
{
	struct sim_opts o = {.seed = seed, .replications = 2, .jobs = 1};
	struct model_plan p;
	struct sim_result r = {0};
	struct util_err err;
	int rc = plan_family(s, -1, &p);

	if (!rc && !planned(&p)) {
		cli_error("no plan to simulate: %s", p.why ? p.why : "");
		rc = CLI_EXIT_INFEASIBLE;
	}
	if (!rc && sim_simulate(s, &p, &o, &r, &err)) {
		cli_error("%s", err.msg);
		rc = CLI_EXIT_USAGE;
	}
	for (size_t w = 0; !rc && w < r.nwl; w++) {
		const struct sim_hist *h = r.wl[w].latency_hist;
		size_t i;

		if (!h || !h->n)
			continue;
		i = series(d, r.wl[w].w->name, 199);
		for (int q = 1; q < 200; q++) {
			d->x[i][q - 1] = sim_hist_quantile(h, q / 200.0);
			d->y[i][q - 1] = q / 200.0;
		}
	}
	if (!rc && !d->p.nseries) {
		cli_error("no inference workload: nothing to plot");
		rc = CLI_EXIT_DATAERR;
	}
	sim_result_release(&r);
	model_plan_release(&p);
	d->p.xlabel = "latency (ms)";
	d->p.ylabel = "share of requests";
	d->p.logx = true;
	return rc;
}

static int pareto(const struct model_scenario *s, struct plot_data *d)
{
	double cost[8], finish[8];
	struct util_err err;
	int n, rc = model_pareto(s, 8, cost, finish, &n, &err);
	size_t i;

	if (rc) {
		cli_error("%s", err.msg);
		return cli_exit_code(rc);
	}
	if (n == 1)
		d->note = "the Pareto front is one point: no budget ends the "
			  "flexible work sooner than the cheapest plan (work "
			  "without a deadline is served as it comes, "
			  "docs/scenario.md)";
	i = series(d, "cheapest plan for each deadline", (size_t)n);
	memcpy(d->x[i], cost, (size_t)n * sizeof(double));
	memcpy(d->y[i], finish, (size_t)n * sizeof(double));
	d->p.xlabel = s->currency;
	d->p.ylabel = period_words[s->period];
	return 0;
}

/* Feeds script to gnuplot's standard input: 0, or 69 when gnuplot is not
 * there, 70 when it failed. */
static int run_gnuplot(const char *script)
{
	int fds[2], status = 0;
	size_t len = strlen(script), off = 0;
	pid_t pid;
	void (*old)(int);

	if (pipe(fds))
		return CLI_EXIT_SOFTWARE;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return CLI_EXIT_SOFTWARE;
	}
	if (pid == 0) {
		dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		close(fds[1]);
		execlp("gnuplot", "gnuplot", (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	old = signal(SIGPIPE, SIG_IGN); /* gnuplot may stop reading */
	while (off < len) {
		ssize_t n = write(fds[1], script + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fds[1]);
	signal(SIGPIPE, old);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return CLI_EXIT_UNAVAILABLE;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0
		       ? 0
		       : CLI_EXIT_SOFTWARE;
}

/* Whether gnuplot wrote path whole: 0; CLI_EXIT_SOFTWARE when it wrote
 * nothing readable, CLI_EXIT_CANTCREAT when the image is cut short (a
 * full disk: gnuplot exits 0 all the same). */
static int image_check(const char *path)
{
	struct util_err err;
	char *data = NULL;
	size_t len = 0;
	int rc = CLI_EXIT_SOFTWARE;
	const char *dot = strrchr(path, '.');

	if (!util_read_file(path, 256u << 20, &data, &len, &err))
		rc = report_image_complete(data, len,
					   dot && !strcmp(dot, ".png"))
			     ? 0
			     : CLI_EXIT_CANTCREAT;
	free(data);
	return rc;
}

/* The paths a plot uses, on the stack: gnuplot runs in a forked child,
 * where a leak checker would count heap copies as lost. */
struct plot_paths {
	char gp[PATH_MAX + 8];	/* FILE.png -> FILE.gp */
	char dir[PATH_MAX + 32]; /* the private folder gnuplot draws in */
	char tmp[PATH_MAX + 64]; /* the image in it */
};

static bool plot_paths(const char *out, struct plot_paths *pp)
{
	const char *dot = strrchr(out, '.'), *slash = strrchr(out, '/');

	return strlen(out) < PATH_MAX &&
	       snprintf(pp->gp, sizeof(pp->gp), "%.*s.gp", (int)(dot - out),
			out) < (int)sizeof(pp->gp) &&
	       snprintf(pp->dir, sizeof(pp->dir), "%.*s.gpuplan-plot-XXXXXX",
			slash ? (int)(slash - out + 1) : 0,
			out) < (int)sizeof(pp->dir);
}

/* gnuplot draws in pp->dir, a private folder beside out (mkdtemp: a
 * fresh name, mode 0700: nothing planted at a predictable name, a
 * symlink say, can be followed); the image is renamed to out when
 * complete. */
static int render(const struct report_plot *p, const char *out,
		  struct plot_paths *pp)
{
	struct util_buf run;
	struct util_err err;
	int rc;

	snprintf(pp->tmp, sizeof(pp->tmp), "%s/plot%s", pp->dir,
		 strrchr(out, '.'));
	util_buf_init(&run);
	rc = report_gnuplot(p, pp->tmp, &run, &err);
	UTIL_BUG_ON(rc); /* out's extension was accepted */
	rc = run_gnuplot(util_buf_str(&run));
	if (rc == CLI_EXIT_UNAVAILABLE)
		cli_error("gnuplot is not installed (apt-get install "
			  "gnuplot-nox); the script is in '%s'", pp->gp);
	else if (!rc && (rc = image_check(pp->tmp)) == CLI_EXIT_CANTCREAT)
		cli_error("gnuplot could not write '%s' whole (is the disk "
			  "full?); the script is in '%s'", out, pp->gp);
	else if (rc || rename(pp->tmp, out)) {
		rc = CLI_EXIT_SOFTWARE;
		cli_error("gnuplot could not draw '%s'; the script is in '%s'",
			  out, pp->gp);
	}
	unlink(pp->tmp); /* when not renamed */
	util_buf_release(&run);
	return rc;
}

/* Writes FILE.gp, then renders into a private folder, the image renamed
 * to FILE: never a half-written image, never a file gpuplan did not
 * create. */
int cli_draw_plot(const struct report_plot *p, const char *out)
{
	struct plot_paths pp;
	struct util_buf gp;
	struct util_err err;
	int rc = 0;

	util_buf_init(&gp);
	for (const char *c = out; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f) {
			rc = cli_usage_error("plot", "the output file name "
					     "holds a control character");
			goto out;
		}
	if (report_gnuplot(p, out, &gp, &err)) {
		rc = cli_usage_error("plot", "%s", err.msg);
		goto out;
	}
	if (!plot_paths(out, &pp)) {
		rc = cli_usage_error("plot", "the output file name is too "
				     "long");
		goto out;
	}
	if (util_write_atomic(pp.gp, gp.s, gp.len, &err)) {
		cli_error("%s", err.msg);
		rc = cli_exit_code(err.code);
		goto out;
	}
	if (!mkdtemp(pp.dir)) {
		cli_error("cannot create a temporary folder beside '%s': %s",
			  out, strerror(errno));
		rc = CLI_EXIT_CANTCREAT;
		goto out;
	}
	rc = render(p, out, &pp);
	rmdir(pp.dir);
out:
	util_buf_release(&gp);
	return rc;
}

/* Draws p as SVG into svg with gnuplot, in a private folder under
 * $TMPDIR (mkdtemp, 0700) that is removed after. Returns an exit code
 * (69 without gnuplot); on failure why says what went wrong. */
int cli_plot_svg(const struct report_plot *p, struct util_buf *svg,
		 char *why, size_t nwhy)
{
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX], file[PATH_MAX + 16];
	struct util_buf run;
	struct util_err err;
	char *data = NULL;
	size_t len;
	int rc;

	if (snprintf(dir, sizeof(dir), "%s/gpuplan-report-XXXXXX",
		     tmp && *tmp ? tmp : "/tmp") >= (int)sizeof(dir) ||
	    !mkdtemp(dir)) {
		snprintf(why, nwhy, "no temporary folder for gnuplot: %s",
			 strerror(errno));
		return CLI_EXIT_CANTCREAT;
	}
	snprintf(file, sizeof(file), "%s/plot.svg", dir);
	util_buf_init(&run);
	rc = report_gnuplot(p, file, &run, &err);
	UTIL_BUG_ON(rc); /* .svg is accepted */
	rc = run_gnuplot(util_buf_str(&run));
	if (rc == CLI_EXIT_UNAVAILABLE)
		snprintf(why, nwhy, "gnuplot is not installed (apt-get install "
			 "gnuplot-nox)");
	else if (rc || util_read_file(file, 16u << 20, &data, &len, &err)) {
		rc = CLI_EXIT_SOFTWARE;
		snprintf(why, nwhy, "gnuplot could not draw it");
	} else if (!report_image_complete(data, len, false)) {
		rc = CLI_EXIT_CANTCREAT;
		snprintf(why, nwhy, "gnuplot could not write it whole (is "
			 "the disk full?)");
	} else {
		util_buf_add(svg, data, len);
	}
	free(data);
	unlink(file);
	rmdir(dir);
	util_buf_release(&run);
	return rc;
}

int cmd_plot(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option longopts[] = {
		{"kind", required_argument, NULL, 'k'},
		{"out", required_argument, NULL, 'o'},
		{"seed", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0}};
	struct plot_data d = {.p = {.mark_x = NAN}};
	struct model_scenario s;
	const char *out = NULL;
	long seed = 1;
	int ch, kind = -1, rc;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (ch == 'k')
			kind = util_strcase_index(optarg, report_plot_names,
						  REPORT_NPLOTS);
		else if (ch == 'o')
			out = optarg;
		else if (ch == 's' &&
			 util_parse_long(optarg, 0, LONG_MAX, &seed))
			return cli_usage_error("plot", "'--seed' takes a whole "
					       "number, got '%s'", optarg);
		else if (ch != 's')
			return cli_usage_error("plot", "unknown option '%s'",
					       argv[optind - 1]);
	}
	if (kind == REPORT_TORNADO)
		return cli_usage_error("plot", "the tornado chart is drawn by "
				       "'gpuplan sensitivity SCENARIO --plot "
				       "FILE'");
	if (kind < 0 || !out || optind != argc - 1)
		return cli_usage_error("plot", "give a scenario, --kind "
				       "cost-over-time|cost-breakdown|"
				       "latency-cdf|pareto and --out "
				       "FILE.png|FILE.svg");
	rc = cli_load_scenario(ctx, argv[optind], &s);
	d.p.kind = (enum report_plot_kind)kind;
	snprintf(d.title, sizeof(d.title), "%s: %s", s.name ? s.name : "",
		 report_plot_names[kind]);
	d.p.title = d.title;
	if (!rc && kind == REPORT_COST_OVER_TIME)
		rc = cost_over_time(&s, &d);
	else if (!rc && kind == REPORT_COST_BREAKDOWN)
		rc = cost_breakdown(&s, &d);
	else if (!rc && kind == REPORT_LATENCY_CDF)
		rc = latency_cdf(&s, &d, (uint64_t)seed);
	else if (!rc)
		rc = pareto(&s, &d);
	if (!rc)
		rc = cli_draw_plot(&d.p, out);
	if (!rc && d.note)
		cli_warn(ctx, "%s", d.note);
	data_release(&d);
	model_scenario_release(&s);
	return rc;
}
