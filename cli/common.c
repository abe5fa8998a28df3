/* What every command shares: exit codes, messages, the catalog in use. */
#define _GNU_SOURCE /* strptime, timegm */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../advise/advise.h"
#include "../emit/emit.h"
#include "cli.h"

int cli_exit_code(int status)
{
	switch (status) {
	case UTIL_OK:
		return CLI_EXIT_OK;
	case UTIL_E_INPUT:
		return CLI_EXIT_DATAERR;
	case UTIL_E_NOINPUT:
		return CLI_EXIT_NOINPUT;
	case UTIL_E_USAGE:
		return CLI_EXIT_USAGE;
	case UTIL_E_IO:
		return CLI_EXIT_CANTCREAT;
	case UTIL_E_UNAVAILABLE:
		return CLI_EXIT_UNAVAILABLE;
	case UTIL_E_INFEASIBLE:
		return CLI_EXIT_INFEASIBLE;
	default:
		return CLI_EXIT_SOFTWARE;
	}
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("gpuplan: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_warn(const struct cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->quiet)
		return;
	fputs("gpuplan: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_loop_option(const char *command, int ch, const char *value,
		    struct advise_loop_opts *o)
{
	/* named by ch: argv[optind - 1] is the value after '--jobs 0' */
	const char *flag = ch == 'r'   ? "--replications"
			   : ch == 'j' ? "--jobs"
			   : ch == 'R' ? "--rounds"
				       : "--seed";
	long max = ch == 'r' ? 100000 : ch == 'j' ? 64 : ch == 'R' ? 100
								  : LONG_MAX;
	long min = ch == 's' ? 0 : ch == 'r' ? 2 : 1, v;

	if (util_parse_long(value, min, max, &v))
		return ch == 's' ? cli_usage_error(command, "'%s' takes a whole "
						   "number, 0 or more, got "
						   "'%s'", flag, value)
				 : cli_usage_error(command, "'%s' takes a whole "
						   "number from %ld to %ld, "
						   "got '%s'", flag, min, max,
						   value);
	if (ch == 'r')
		o->sim.replications = (int)v;
	else if (ch == 'j')
		o->sim.jobs = (int)v;
	else if (ch == 'R')
		o->rounds = (int)v;
	else
		o->sim.seed = (uint64_t)v;
	return 0;
}

void cli_warn_price_age(const struct cli_ctx *ctx,
			struct pricing_staleness *st)
{
	time_t now = pricing_now();
	const struct pricing_offer *o;
	size_t n = pricing_staleness_check(st, now, ctx->max_price_age_days,
					   &o);

	if (n) {
		double days = pricing_as_of_age_days(o->as_of, now);
		double lim = pricing_max_price_age_days(
			o->family, ctx->max_price_age_days);

		cli_warn(ctx, "%zu price%s used %s past %s age limit; the "
			 "stalest, %s (%s, as_of %s), is %.0f days old, limit "
			 "%.0f: check it against the provider's page, refresh "
			 "it (gpuplan prices fetch) or override it with "
			 "--catalog", n, n == 1 ? "" : "s", n == 1 ? "is" : "are",
			 n == 1 ? "its" : "their", o->id,
			 pricing_family_names[o->family], o->as_of, floor(days),
			 lim);
	}
	pricing_staleness_release(st);
}

void cli_print_diags(const struct cli_ctx *ctx, struct util_diags *d)
{
	struct util_buf b;

	util_diags_sort(d);
	util_buf_init(&b);
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].severity == UTIL_WARNING && ctx->quiet)
			continue;
		b.len = 0;
		util_diag_format(&d->v[i], &b);
		fprintf(stderr, "gpuplan: %s\n", util_buf_str(&b));
	}
	if (d->dropped)
		fprintf(stderr, "gpuplan: ... and %zu more problems\n",
			d->dropped);
	util_buf_release(&b);
}

/* One price cache over c when it is fresh and loads; otherwise a
 * warning, and c stays as it was (the embedded prices stand). */
static void use_cache(const struct cli_ctx *ctx, struct pricing_catalog *c,
		      const char *path, const char *source)
{
	struct pricing_snapshot sn;
	struct pricing_catalog tmp;
	struct util_diags d;

	util_diags_init(&d);
	pricing_catalog_copy(&tmp, c);
	if (pricing_cache_read(path, NULL, &sn, &d)) {
		cli_warn(ctx, "the price cache '%s' is unreadable: not used "
			 "(gpuplan prices fetch --source %s rewrites it)", path,
			 source);
		goto out;
	}
	switch (pricing_snapshot_use(&sn, time(NULL))) {
	case PRICING_CACHE_FUTURE:
		cli_warn(ctx, "%s prices fetched %s are dated in the future (is "
			 "the clock right?): not used", source, sn.fetched_at);
		goto out;
	case PRICING_CACHE_STALE:
		cli_warn(ctx, "%s prices fetched %s are older than %.0f days: "
			 "not used (gpuplan prices fetch --source %s)", source,
			 sn.fetched_at, PRICING_CACHE_MAX_AGE_S / 86400, source);
		goto out;
	case PRICING_CACHE_IN_USE:
		break;
	}
	pricing_snapshot_release(&sn);
	if (pricing_cache_read(path, &tmp, &sn, &d)) {
		cli_warn(ctx, "the price cache '%s' does not load over the "
			 "catalog: not used", path);
		goto out;
	}
	pricing_catalog_release(c);
	*c = tmp;
	pricing_catalog_init(&tmp);
out:
	pricing_snapshot_release(&sn);
	pricing_catalog_release(&tmp);
	util_diags_release(&d);
}

static void load_caches(const struct cli_ctx *ctx, struct pricing_catalog *c)
{
	char *dir = pricing_cache_dir();

	for (int s = 0; s < PRICING_NSOURCES; s++) {
		char *path = pricing_cache_file(dir, (enum pricing_source)s);

		if (!access(path, F_OK))
			use_cache(ctx, c, path, pricing_source_names[s]);
		free(path);
	}
	free(dir);
}

int cli_load_catalog(const struct cli_ctx *ctx, struct pricing_catalog *c)
{
	struct util_diags d;
	int rc = 0;

	pricing_catalog_init(c);
	util_diags_init(&d);
	if (!ctx->catalog_replace) {
		rc = pricing_catalog_load_default(c, &d);
		if (rc) {
			cli_print_diags(ctx, &d);
			cli_error("the embedded catalog is broken: this is a "
				  "bug");
			util_diags_release(&d);
			return CLI_EXIT_SOFTWARE;
		}
	}
	if (!ctx->catalog_replace)
		load_caches(ctx, c);
	if (ctx->catalog)
		rc = pricing_catalog_load_file(c, ctx->catalog, &d);
	cli_print_diags(ctx, &d);
	util_diags_release(&d);
	return cli_exit_code(rc);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "gpuplan: %s%s", command ? command : "",
		command ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\ngpuplan: see 'gpuplan help%s%s'\n",
		command ? " " : "", command ? command : "");
	return CLI_EXIT_USAGE;
}

static const char *const format_names[] = {"table", "csv", "json",
					   "markdown"};

int cli_parse_format(const char *command, const char *s, unsigned allowed,
		     enum cli_format *out)
{
	struct util_buf b;

	for (int i = 0; i < 4; i++) {
		if (!strcmp(s, format_names[i]) && (allowed & (1u << i))) {
			*out = (enum cli_format)i;
			return 0;
		}
	}
	util_buf_init(&b);
	for (int i = 0; i < 4; i++)
		if (allowed & (1u << i))
			util_buf_printf(&b, "%s%s", b.len ? ", " : "",
					format_names[i]);
	cli_usage_error(command, "unknown format '%s' (expected %s)", s,
			util_buf_str(&b));
	util_buf_release(&b);
	return CLI_EXIT_USAGE;
}

/* Length of the colour sequence at s (ESC [ digits and ';' m), the only
 * escape sequence gpuplan writes, or 0. */
static size_t sgr_len(const char *s, size_t n)
{
	size_t i = 2;

	if (n < 3 || s[0] != '\033' || s[1] != '[')
		return 0;
	while (i < n && (isdigit((unsigned char)s[i]) || s[i] == ';'))
		i++;
	return i < n && s[i] == 'm' ? i + 1 : 0;
}

/* On a terminal, text from outside (a file's name, say: the YAML
 * loader refuses control characters in names) must not drive it:
 * control characters other than tab and newline, and escape sequences
 * other than colours (when colours may be there), become '?' (C1
 * controls, U+0080 to U+009F, too). */
static void term_safe(struct util_buf *out, const char *s, size_t n,
		      bool colours)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t k = colours ? sgr_len(s + i, n - i) : 0;

		if (k) {
			util_buf_add(out, s + i, k);
			i += k;
		} else if (c == 0xc2 && i + 1 < n &&
			   (unsigned char)s[i + 1] >= 0x80 &&
			   (unsigned char)s[i + 1] <= 0x9f) {
			util_buf_add(out, "?", 1);
			i += 2;
		} else {
			util_buf_add(out, (c < 0x20 && c != '\n' && c != '\t') ||
						  c == 0x7f ? "?" : s + i, 1);
			i++;
		}
	}
}

int cli_write_text(const struct util_buf *buf)
{
	struct util_buf wrapped, safe;
	int rc;

	/* a text table is read by people, in a pipe or a file too (cat
	 * report.txt): cleaned there as on a terminal, its colours kept
	 * when --color=always asked for them */
	util_buf_init(&safe);
	if (!isatty(STDOUT_FILENO)) {
		term_safe(&safe, buf->s, buf->len, cli_term.color);
		buf = &safe;
	}
	if (cli_term.width <= 0 || !buf->len) {
		rc = cli_write_stdout(buf);
		util_buf_release(&safe);
		return rc;
	}
	util_buf_init(&wrapped);
	report_wrap_text(util_buf_str(buf), cli_term.width, &wrapped);
	rc = cli_write_stdout(&wrapped);
	util_buf_release(&wrapped);
	util_buf_release(&safe);
	return rc;
}

int cli_write_stdout(const struct util_buf *buf)
{
	struct util_buf safe;
	bool tty = buf->len && isatty(STDOUT_FILENO);
	size_t n;

	util_buf_init(&safe);
	if (tty)
		term_safe(&safe, buf->s, buf->len, true);
	n = tty ? safe.len : buf->len;
	if (n && fwrite(tty ? safe.s : buf->s, 1, n, stdout) != n) {
		util_buf_release(&safe);
		goto fail;
	}
	util_buf_release(&safe);
	if (fflush(stdout))
		goto fail;
	return CLI_EXIT_OK;
fail:
	cli_error("cannot write the output: %s", strerror(errno));
	return CLI_EXIT_CANTCREAT;
}

int cli_emit_json(json_t *root)
{
	struct util_buf b;
	int rc;

	util_buf_init(&b);
	if (emit_json_text(root, &b)) {
		util_buf_release(&b);
		cli_error("cannot format JSON output");
		return CLI_EXIT_SOFTWARE;
	}
	rc = cli_write_stdout(&b);
	util_buf_release(&b);
	return rc;
}

/* --fx CODE=RATE as overrides fx.CODE=RATE into set (at most 8); the
 * caller frees each path. */
size_t cli_fx_sets(const struct cli_ctx *ctx, struct model_set *set)
{
	for (size_t i = 0; i < ctx->nfx; i++) {
		const char *eq = strchr(ctx->fx[i], '=');

		set[i].path = util_xasprintf("fx.%.*s", (int)(eq - ctx->fx[i]),
					     ctx->fx[i]);
		set[i].value = eq + 1;
	}
	return ctx->nfx;
}

int cli_load_scenario(const struct cli_ctx *ctx, const char *path,
		      struct model_scenario *s)
{
	struct pricing_catalog c;
	struct advise_source src;
	struct util_diags d;
	struct util_err err = {0};
	struct model_set set[8];
	size_t nfx;
	int rc = cli_load_catalog(ctx, &c);

	memset(s, 0, sizeof(*s));
	if (!rc && advise_source_init(&src, path, &c, ctx->catalog, &err)) {
		cli_error("%s", err.msg);
		rc = cli_exit_code(err.code);
	}
	if (rc) {
		pricing_catalog_release(&c);
		return rc;
	}
	util_diags_init(&d);
	nfx = cli_fx_sets(ctx, set); /* --fx CODE=RATE: fx.CODE=RATE */
	rc = advise_source_fx_check(&src, set, nfx, &err);
	if (rc)
		util_diag_add(&d, UTIL_ERROR, NULL, 0, 0, "%s", err.msg);
	else
		rc = advise_source_load(&src, set, nfx, s, &d, &err);
	if (rc == UTIL_E_USAGE && !d.n)
		util_diag_add(&d, UTIL_ERROR, path, 0, 0, "--fx: %s", err.msg);
	for (size_t i = 0; i < nfx; i++)
		free((char *)set[i].path);
	cli_print_diags(ctx, &d);
	if (rc == UTIL_E_INPUT && d.nerrors > 1)
		cli_error("%s: %zu errors", path, d.nerrors);
	util_diags_release(&d);
	advise_source_release(&src);
	pricing_catalog_release(&c);
	return cli_exit_code(rc);
}

int cli_parse_by(const char *command, const char *arg, bool *strategy)
{
	if (strcmp(arg, "family") && strcmp(arg, "strategy"))
		return cli_usage_error(command, "'--by' is 'family' or "
				       "'strategy', got '%s'", arg);
	*strategy = arg[0] == 's';
	return 0;
}

int cli_load_strategies(const struct cli_ctx *ctx, const char *command,
			const char *file, const struct model_scenario *s,
			const char *const *flags, size_t nflags,
			struct model_scenario *ss,
			const struct model_scenario **sp, const char **names,
			struct advise_strategies *l)
{
	struct util_err err = {0};
	struct model_set fx[MODEL_MAX_FX];
	struct pricing_catalog cat;
	struct advise_source src;
	bool have_src = false;
	size_t nfx = cli_fx_sets(ctx, fx);
	int rc = advise_strategies_list(s, flags, nflags, l, &err);

	pricing_catalog_init(&cat);
	if (rc)
		rc = cli_usage_error(command, "%s", err.msg);
	if (!rc)
		rc = cli_load_catalog(ctx, &cat);
	if (!rc) {
		rc = advise_source_init(&src, file, &cat, ctx->catalog, &err);
		have_src = !rc;
	}
	for (size_t i = 0; !rc && i < l->n; i++) {
		/* --fx over the strategy's overrides */
		rc = advise_strategy_load(&src, &l->v[i], fx, nfx, &ss[i],
					  &err);
		sp[i] = &ss[i];
		names[i] = l->v[i].name;
	}
	if (rc < 0) { /* a library error, not yet reported */
		cli_error("%s", err.msg);
		rc = cli_exit_code(rc);
	}
	for (size_t i = 0; i < nfx; i++)
		free((char *)fx[i].path);
	if (have_src)
		advise_source_release(&src);
	pricing_catalog_release(&cat);
	return rc;
}

int cli_resolve_accel(const char *command, const struct pricing_catalog *c,
		      const char *name, const char **canonical)
{
	const struct pricing_accel *a = pricing_catalog_find_accel(c, name);
	const char *near;

	if (a) {
		*canonical = a->name;
		return 0;
	}
	near = pricing_catalog_suggest_accel(c, name);
	if (near)
		return cli_usage_error(command, "unknown accelerator '%s' "
				       "(did you mean '%s'?)", name, near);
	return cli_usage_error(command, "unknown accelerator '%s' (see "
			       "'gpuplan catalog accelerators')", name);
}

int cli_gate_option(const char *command, struct cli_gates *g, bool above,
		    const char *value)
{
	struct util_err err;

	if (!above) {
		g->over_budget = true;
		return 0;
	}
	if (model_units_parse(value, MODEL_DIM_MONEY, 0, &g->fail_above, &err))
		return cli_usage_error(command, "'--fail-above' %s", err.msg);
	g->fail_above_text = value;
	return 0;
}

int cli_gate_resolve(const char *command, struct cli_gates *g,
		     const struct model_scenario *s)
{
	struct util_err err;

	if (!g->fail_above_text)
		return 0;
	if (model_money_arg(s, "--fail-above", g->fail_above_text,
			    &g->fail_above, g->note, sizeof(g->note), &err))
		return cli_usage_error(command, "%s", err.msg);
	return 0;
}

void cli_gate_warn_budget(const struct cli_ctx *ctx,
			  const struct cli_gates *g,
			  const struct model_scenario *s)
{
	if (g->over_budget && s->constraints.budget < 0)
		cli_warn(ctx, "--fail-over-budget: the scenario sets no budget "
			 "(constraints.budget), so this gate cannot fail");
}

int cli_check_gates(const struct cli_gates *g, const struct model_scenario *s,
		    const struct model_plan *p, const char *what)
{
	bool planned = p->status == MODEL_PLAN_OPTIMAL ||
		       p->status == MODEL_PLAN_FEASIBLE;
	double budget = s->constraints.budget;

	if (g->over_budget && budget >= 0 && !planned && p->why &&
	    strstr(p->why, "budget")) {
		cli_error("gate: over budget: %.*s", (int)strcspn(p->why, "\n"),
			  p->why);
		return CLI_EXIT_GATE;
	}
	if (g->fail_above >= 0 && planned && p->total_cost > g->fail_above) {
		char cost[64], limit[64];

		/* as the tables write money; in cents when that would show
		 * two equal amounts (1,000.40 above 1,000.00) */
		util_fmt_money(cost, sizeof(cost), p->total_cost, s->currency,
			       false);
		util_fmt_money(limit, sizeof(limit), g->fail_above,
			       s->currency, false);
		if (!strcmp(cost, limit)) {
			snprintf(cost, sizeof(cost), "%.2f %s", p->total_cost,
				 s->currency);
			snprintf(limit, sizeof(limit), "%.2f %s",
				 g->fail_above, s->currency);
		}
		cli_error("gate: %s costs %s, above --fail-above %s%s%s%s",
			  what ? what : "the plan", cost, limit,
			  *g->note ? " (" : "", g->note, *g->note ? ")" : "");
		return CLI_EXIT_GATE;
	}
	return 0;
}

int cli_cpus(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	return cpus > 0 && cpus < 64 ? (int)cpus : 1;
}

int cli_scenario_plan(const struct cli_ctx *ctx, const struct model_scenario *s,
		      const char *plan_file, const char *verb,
		      struct model_plan *p)
{
	struct advise_loop_opts lo;
	struct util_diags d;
	struct util_err err;
	int rc = 0;

	advise_loop_defaults(&lo);
	lo.sim.jobs = cli_cpus();
	if (plan_file) {
		util_diags_init(&d);
		rc = cli_exit_code(model_plan_read(s, plan_file, p, &d));
		cli_print_diags(ctx, &d);
		util_diags_release(&d);
	} else if (advise_plan(s, &lo, p, &err)) {
		cli_error("%s", err.msg);
		rc = cli_exit_code(err.code);
	}
	if (!rc && p->status != MODEL_PLAN_OPTIMAL &&
	    p->status != MODEL_PLAN_FEASIBLE) {
		cli_error("no plan to %s: %s", verb,
			  p->why ? p->why : "none found in time\n");
		rc = CLI_EXIT_INFEASIBLE;
	}
	return rc;
}
