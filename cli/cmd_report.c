/* gpuplan report SCENARIO [--out FILE] [--format html|markdown]: the
 * comparison of advise_compare as a page people read (docs/report.md).
 * The page is report/'s; here: the options, gnuplot run for the
 * figures, and the file written atomically. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../advise/advise.h"
#include "../report/report.h"
#include "cli.h"

/* --by: as compare's, strategy by default when the scenario names
 * some (docs/report.md). */
enum report_by { REPORT_BY_DEFAULT, REPORT_BY_FAMILY, REPORT_BY_STRATEGY };

struct report_cli {
	struct advise_loop_opts o;
	const char *out; /* NULL: stdout */
	bool markdown;
	enum report_by by;
};

static int parse_opts(int argc, char **argv, struct report_cli *c)
{
	static const struct option longopts[] = {
		{"out", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'f'},
		{"replications", required_argument, NULL, 'r'},
		{"seed", required_argument, NULL, 's'},
		{"jobs", required_argument, NULL, 'j'},
		{"by", required_argument, NULL, 'b'},
		{NULL, 0, NULL, 0}};
	int ch;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (ch == 'o') {
			c->out = optarg;
		} else if (ch == 'f') {
			if (strcmp(optarg, "html") && strcmp(optarg, "markdown"))
				return cli_usage_error("report", "'--format' is "
						       "'html' or 'markdown', "
						       "got '%s'", optarg);
			c->markdown = optarg[0] == 'm';
		} else if (ch == 'b') {
			bool st;

			if (cli_parse_by("report", optarg, &st))
				return CLI_EXIT_USAGE;
			c->by = st ? REPORT_BY_STRATEGY : REPORT_BY_FAMILY;
		} else if (ch == 'r' || ch == 'j' || ch == 's') {
			if (cli_loop_option("report", ch, optarg, &c->o))
				return CLI_EXIT_USAGE;
		} else if (ch == ':') {
			return cli_usage_error("report", "option '%s' needs a "
					       "value", argv[optind - 1]);
		} else {
			return cli_usage_error("report", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("report", "give one scenario file");
	return 0;
}

/* The figures drawn by gnuplot; one that cannot be drawn is said so in
 * the page, and gnuplot missing is an error (exit 69): a report without
 * its figures is not the one asked for. */
static int draw(const struct report *r, struct util_buf *svg,
		char why[][160])
{
	for (int i = 0; i < REPORT_NFIGS; i++) {
		int rc;

		if (r->fig[i].missing)
			continue;
		rc = cli_plot_svg(&r->fig[i].p, &svg[i], why[i], sizeof(why[i]));
		if (rc == CLI_EXIT_UNAVAILABLE) {
			cli_error("%s", why[i]);
			return rc;
		}
	}
	return 0;
}

static int write_page(const struct report_cli *c, const struct util_buf *b)
{
	struct util_err err;

	if (!c->out) {
		if (fwrite(b->s ? b->s : "", 1, b->len, stdout) != b->len ||
		    fflush(stdout)) {
			cli_error("cannot write the report on standard output");
			return CLI_EXIT_CANTCREAT;
		}
		return 0;
	}
	if (util_write_atomic(c->out, b->s ? b->s : "", b->len, &err)) {
		cli_error("%s", err.msg);
		return cli_exit_code(err.code);
	}
	return 0;
}

static int render(const struct report_cli *c, const struct report *r)
{
	struct util_buf out, svg[REPORT_NFIGS];
	const char *svgs[REPORT_NFIGS], *whys[REPORT_NFIGS];
	char why[REPORT_NFIGS][160] = {{0}};
	int rc = 0;

	util_buf_init(&out);
	for (int i = 0; i < REPORT_NFIGS; i++)
		util_buf_init(&svg[i]);
	if (c->markdown) {
		report_markdown(r, &out);
	} else {
		rc = draw(r, svg, why);
		for (int i = 0; i < REPORT_NFIGS; i++) {
			svgs[i] = svg[i].len ? svg[i].s : NULL;
			whys[i] = why[i][0] ? why[i] : r->fig[i].missing;
		}
		if (!rc)
			report_html(r, svgs, whys, &out);
	}
	if (!rc)
		rc = write_page(c, &out);
	for (int i = 0; i < REPORT_NFIGS; i++)
		util_buf_release(&svg[i]);
	util_buf_release(&out);
	return rc;
}

/* The comparison the page shows: by strategy (the scenario's, each
 * loaded with its overrides into ss, listed in l) or by venue family. */
static int compare(const struct cli_ctx *ctx, const struct report_cli *c,
		   const char *file, const struct model_scenario *s,
		   struct model_scenario *ss, struct advise_strategies *l,
		   struct advise_compare *r)
{
	const struct model_scenario *sp[2 * MODEL_MAX_STRATEGIES];
	const char *names[2 * MODEL_MAX_STRATEGIES];
	struct util_err err;
	bool by_strategy = c->by == REPORT_BY_STRATEGY ||
			   (c->by == REPORT_BY_DEFAULT && s->nstrategies);
	int rc = 0;

	memset(r, 0, sizeof(*r));
	if (by_strategy && !s->nstrategies)
		return cli_usage_error("report", "'--by strategy': the "
				       "scenario names no strategies "
				       "('strategies:')");
	if (by_strategy) {
		rc = cli_load_strategies(ctx, "report", file, s, NULL, 0, ss,
					 sp, names, l);
		if (!rc && advise_compare_strategies(s, sp, names, l->n, &c->o,
						     r, &err) < 0)
			rc = -1;
	} else if (advise_compare(s, &c->o, r, &err)) {
		rc = -1;
	}
	if (rc < 0) {
		cli_error("%s", err.msg);
		rc = cli_exit_code(err.code);
	}
	if (rc)
		advise_compare_release(r);
	return rc;
}

int cmd_report(int argc, char **argv, struct cli_ctx *ctx)
{
	struct report_cli c = {0};
	struct model_scenario s, ss[2 * MODEL_MAX_STRATEGIES];
	struct advise_strategies list = {0};
	struct advise_compare r;
	struct report rep;
	struct advise_sensitivity sens;
	struct cli_reload re = {.quiet = *ctx};
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int rc;

	advise_loop_defaults(&c.o);
	c.o.sim.jobs = cpus > 0 && cpus < 64 ? (int)cpus : 1;
	rc = parse_opts(argc, argv, &c);
	if (rc)
		return rc;
	memset(ss, 0, sizeof(ss));
	rc = cli_load_scenario(ctx, argv[optind], &s);
	if (!rc)
		rc = compare(ctx, &c, argv[optind], &s, ss, &list, &r);
	if (!rc) {
		re.quiet.quiet = true;
		re.path = argv[optind];
		advise_sensitivity(&s, REPORT_SENSITIVITY_DELTA, cli_cpus(),
				   NULL, cli_reload, &re, &sens);
		report_init(&rep, &r, &c.o, &sens, argv[optind]);
		rep.max_price_age_days = ctx->max_price_age_days;
		rc = render(&c, &rep);
		report_release(&rep);
		advise_compare_release(&r);
	}
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(ss); i++)
		model_scenario_release(&ss[i]);
	advise_strategies_release(&list);
	model_scenario_release(&s);
	return rc;
}
