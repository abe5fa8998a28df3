/* gpuplan import sacct: a scenario from what a Slurm cluster really ran
 * (docs/import.md). The reading and the arithmetic are in acct/; this
 * file parses the options and prints the summary. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../acct/acct.h"
#include "cli.h"

struct import_cli {
	struct acct_import_opts o;
	const char *file, *out;
};

static int parse_time_opt(const char *opt, const char *v, int64_t *t)
{
	if (acct_parse_time(v, t) || *t == ACCT_UNKNOWN)
		return cli_usage_error("import", "'--%s' takes a date "
				       "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, got "
				       "'%s'", opt, v);
	return 0;
}

static int parse_opts(int argc, char **argv, struct import_cli *c)
{
	static const struct option longopts[] = {
		{"since", required_argument, NULL, 's'},
		{"until", required_argument, NULL, 'u'},
		{"group-by", required_argument, NULL, 'g'},
		{"out", required_argument, NULL, 'o'},
		{"waits-as-venue", required_argument, NULL, 'w'},
		{"cluster", required_argument, NULL, 'c'},
		{"accelerator", required_argument, NULL, 'a'},
		{"name", required_argument, NULL, 'n'},
		{NULL, 0, NULL, 0}};
	int ch, g;

	opterr = 0;
	optind = 2;
	while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
		case 'u':
			if (parse_time_opt(ch == 's' ? "since" : "until",
					   optarg,
					   ch == 's' ? &c->o.since
						     : &c->o.until))
				return CLI_EXIT_USAGE;
			break;
		case 'g':
			g = util_strcase_index(optarg, acct_group_by_names, 3);
			if (g < 0)
				return cli_usage_error("import", "'--group-by' "
						       "is account, user or "
						       "partition, got '%s'",
						       optarg);
			c->o.group_by = (enum acct_group_by)g;
			break;
		case 'o':
			c->out = optarg;
			break;
		case 'w':
			c->o.waits_venue = optarg;
			break;
		case 'c':
			c->o.cluster = optarg;
			break;
		case 'a':
			c->o.accelerator = optarg;
			break;
		case 'n':
			c->o.name = optarg;
			break;
		case ':':
			return cli_usage_error("import", "option '%s' needs a "
					       "value", argv[optind - 1]);
		default:
			return cli_usage_error("import", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc - 1)
		return cli_usage_error("import", "give one sacct file (or - "
				       "for standard input)");
	c->file = optind < argc ? argv[optind] : "-";
	if (c->o.since != ACCT_UNKNOWN && c->o.until != ACCT_UNKNOWN &&
	    c->o.until <= c->o.since)
		return cli_usage_error("import", "'--until' must be after "
				       "'--since'");
	return 0;
}

static void counts(const struct acct_import *im, struct util_buf *b)
{
	bool any = false;

	util_buf_printf(b, "read %llu line%s: %llu job%s (%llu steps folded "
			   "in), %llu used\n",
			(unsigned long long)im->st.lines,
			im->st.lines == 1 ? "" : "s",
			(unsigned long long)im->st.jobs,
			im->st.jobs == 1 ? "" : "s",
			(unsigned long long)im->st.steps,
			(unsigned long long)im->used);
	for (int k = 0; k < ACCT_NSKIPS; k++) {
		if (!im->st.skipped[k])
			continue;
		util_buf_printf(b, "%s %s %llu", any ? "," : "left out:",
				acct_skip_names[k],
				(unsigned long long)im->st.skipped[k]);
		any = true;
	}
	if (any)
		util_buf_puts(b, "\n");
	for (size_t i = 0; i < im->nunknown; i++)
		util_buf_printf(b, "%s '%s' (%llu job%s)%s",
				i ? "," : "GPU types not in the catalog "
					  "(add an offer with slurm: "
					  "{gpu_type: ...}, or --cluster):",
				im->unknown[i],
				(unsigned long long)im->unknown_jobs[i],
				im->unknown_jobs[i] == 1 ? "" : "s",
				i + 1 == im->nunknown ? "\n" : "");
}

static void hours_table(const struct acct_import *im, struct util_buf *b)
{
	static const bool right[] = {false, false, false, true};
	const char *head[] = {acct_group_by_names[im->o.group_by],
			      "accelerator", "month", "GPU-hours"};
	struct cli_table t;

	cli_table_init(&t, 4, head, right);
	for (size_t i = 0; i < im->ngroups; i++) {
		const struct acct_group *g = &im->groups[i];

		for (size_t k = 0; k < g->nu; k++) {
			const struct acct_usage *u = &g->u[k];

			for (size_t m = 0; m < u->nmonths; m++) {
				char month[16], h[32];
				const char *row[] = {g->name, u->accel, month,
						     h};

				acct_month_name(u->month0 + (long)m, month,
						sizeof(month));
				snprintf(h, sizeof(h), "%.1f", u->monthly[m]);
				cli_table_row(&t, row);
			}
		}
	}
	cli_table_render(&t, CLI_TABLE, b);
	cli_table_release(&t);
}

static void waits_table(const struct acct_import *im, struct util_buf *b)
{
	static const char *const head[] = {"partition", "jobs", "wait p50",
					   "wait p95"};
	static const bool right[] = {false, true, true, true};
	struct cli_table t;

	cli_table_init(&t, 4, head, right);
	for (size_t i = 0; i < im->nparts; i++) {
		const struct acct_partition *p = &im->parts[i];
		char n[32], p50[32], p95[32];
		const char *row[] = {p->name, n, p50, p95};

		snprintf(n, sizeof(n), "%llu", (unsigned long long)p->wait.n);
		snprintf(p50, sizeof(p50), "%.2f h",
			 acct_qhist_quantile(&p->wait, 0.5) / 3600);
		snprintf(p95, sizeof(p95), "%.2f h",
			 acct_qhist_quantile(&p->wait, 0.95) / 3600);
		cli_table_row(&t, row);
	}
	cli_table_render(&t, CLI_TABLE, b);
	cli_table_release(&t);
}

/* The summary on stderr: counts, GPU-hours by group and month, waits. */
static void summary(const struct acct_import *im)
{
	struct util_buf b;

	util_buf_init(&b);
	counts(im, &b);
	if (im->used) {
		util_buf_puts(&b, "\n");
		hours_table(im, &b);
		util_buf_puts(&b, "\n");
		waits_table(im, &b);
	}
	fputs(util_buf_str(&b), stderr);
	util_buf_release(&b);
}

static int write_out(const struct import_cli *c, const struct util_buf *b)
{
	struct util_err err;

	if (!c->out)
		return cli_write_stdout(b);
	if (util_write_atomic(c->out, b->s, b->len, &err)) {
		cli_error("%s", err.msg);
		return cli_exit_code(err.code);
	}
	return 0;
}

static int import_sacct(const struct cli_ctx *ctx, struct import_cli *c,
			const struct pricing_catalog *cat)
{
	struct acct_import im;
	struct util_diags d;
	struct util_err err;
	struct util_buf b;
	int rc;

	c->o.cat = cat;
	c->o.source = strcmp(c->file, "-") ? c->file : "<stdin>";
	acct_import_init(&im, &c->o);
	util_diags_init(&d);
	util_buf_init(&b);
	rc = acct_import_sacct(&im, c->file, ACCT_MAX_BYTES, &d, &err);
	cli_print_diags(ctx, &d);
	if (!rc && !ctx->quiet)
		summary(&im);
	if (!rc)
		rc = acct_import_scenario(&im, &b, &err);
	if (rc)
		cli_error("%s", err.msg);
	rc = rc ? cli_exit_code(rc) : write_out(c, &b);
	util_buf_release(&b);
	util_diags_release(&d);
	acct_import_release(&im);
	return rc;
}

/* gpuplan import focus FILE.csv [--out BASELINE.yaml] */
static int import_focus(const struct cli_ctx *ctx, struct import_cli *c,
			const struct pricing_catalog *cat)
{
	struct acct_baseline b = {.cat = cat};
	struct util_diags d;
	struct util_err err;
	struct util_buf out;
	int rc;

	if (!strcmp(c->file, "-") && isatty(STDIN_FILENO))
		return cli_usage_error("import", "give a FOCUS or AWS CUR 2.0 "
				       "CSV file");
	util_diags_init(&d);
	util_buf_init(&out);
	rc = acct_focus_read(&b, c->file, &d, &err);
	cli_print_diags(ctx, &d);
	if (rc) {
		cli_error("%s", err.msg);
		rc = cli_exit_code(rc);
	} else {
		if (!ctx->quiet)
			fprintf(stderr, "read %llu lines: %llu GPU lines kept, "
				"%llu others, %llu malformed; billed %.2f, "
				"effective %.2f %s\n",
				(unsigned long long)b.lines,
				(unsigned long long)b.kept,
				(unsigned long long)b.skipped_other,
				(unsigned long long)b.skipped_malformed,
				b.billed, b.effective,
				b.currency[0] ? b.currency : "USD");
		acct_baseline_yaml(&b, c->file, &out);
		rc = write_out(c, &out);
	}
	util_buf_release(&out);
	util_diags_release(&d);
	acct_baseline_release(&b);
	return rc;
}

int cmd_import(int argc, char **argv, struct cli_ctx *ctx)
{
	struct import_cli c = {.o = {.since = ACCT_UNKNOWN,
				     .until = ACCT_UNKNOWN,
				     .name = "sacct-import"}};
	struct pricing_catalog cat;
	const char *canon;
	int rc;

	if (argc < 2)
		return cli_usage_error("import", "give what to import: sacct");
	if (strcmp(argv[1], "sacct") && strcmp(argv[1], "focus"))
		return cli_usage_error("import", "cannot import '%s': the "
				       "sources are sacct and focus", argv[1]);
	rc = parse_opts(argc, argv, &c);
	if (rc)
		return rc;
	rc = cli_load_catalog(ctx, &cat);
	if (!rc && c.o.accelerator) {
		rc = cli_resolve_accel("import", &cat, c.o.accelerator, &canon);
		c.o.accelerator = canon;
	}
	if (!rc && c.o.cluster && !acct_known_cluster(&cat, c.o.cluster))
		rc = cli_usage_error("import", "no offer of the catalog has a "
				     "Slurm table for cluster '%s' (the "
				     "clusters are those of 'gpuplan catalog "
				     "offers --family academic')",
				     c.o.cluster);
	if (!rc && c.o.waits_venue &&
	    !acct_waits_venue(&cat, c.o.waits_venue))
		rc = cli_usage_error("import", "'--waits-as-venue' names an "
				     "academic offer or cluster, and '%s' is "
				     "neither (see 'gpuplan catalog offers "
				     "--family academic')",
				     c.o.waits_venue);
	if (!rc)
		rc = strcmp(argv[1], "focus") ? import_sacct(ctx, &c, &cat)
					      : import_focus(ctx, &c, &cat);
	pricing_catalog_release(&cat);
	return rc;
}
