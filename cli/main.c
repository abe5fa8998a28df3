/* gpuplan's entry point: global options, the command table, help. */
#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"




static const char global_usage[] =
	"Usage: gpuplan [OPTIONS] COMMAND [ARGS]\n"
	"\n"
	"Where should these AI workloads run, what will it cost, and how will\n"
	"it behave? gpuplan prices every venue (cloud, spot, GPU-as-a-service,\n"
	"on-prem, academic clusters, decentralized markets, edge boards) for\n"
	"the workloads a scenario describes.\n"
	"\n"
	"Options (before or after the command):\n"
	"  --catalog FILE      extend the embedded catalog with FILE\n"
	"  --catalog-replace   use --catalog FILE instead of the embedded one\n"
	"  --fx CODE=RATE      exchange rate: the scenario's currency per CODE\n"
	"  --offline           never touch the network (cached prices stand)\n"
	"  --max-price-age D   warn about prices older than D (default: 90\n"
	"                      days for market prices, 365 for list prices)\n"
	"  --color=WHEN        bold table headers: auto (a terminal and no\n"
	"                      NO_COLOR), always or never\n"
	"  --width N           fit tables in N columns (0: no limit); by\n"
	"                      default the terminal's width, none in a pipe\n"
	"  -q, --quiet         print no warnings\n"
	"  -v, --verbose       say more about what is done\n"
	"  -h, --help          show this help (or a command's: CMD --help)\n"
	"  --version           print the version\n"
	"\n"
	"Commands:\n";

static const struct cli_command *find_command(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

void cli_usage(const char *command, FILE *to)
{
	const struct cli_command *c = command ? find_command(command) : NULL;

	if (c) {
		fputs(c->usage, to);
		return;
	}
	fputs(global_usage, to);
	for (c = cli_commands; c->name; c++)
		fprintf(to, "  %-12s %s\n", c->name, c->summary);
	fputs("\nSee 'gpuplan help COMMAND' and docs/ for more.\n", to);
}

int cmd_help(int argc, char **argv, struct cli_ctx *ctx)
{
	(void)ctx;
	if (argc > 2)
		return cli_usage_error("help", "too many arguments");
	if (argc == 2 && !find_command(argv[1]))
		return cli_usage_error("help", "unknown command '%s'", argv[1]);
	cli_usage(argc == 2 ? argv[1] : NULL, stdout);
	return CLI_EXIT_OK;
}

/* --fx CODE=RATE (eq at its '='): its shape, checked here; the code
 * and the rate are checked against the scenario, with a did-you-mean,
 * once it is loaded (advise_source_fx_check), still as this option's
 * usage error. */
static bool fx_ok(const char *v, const char *eq)
{
	return eq && eq != v && eq[1] && eq - v < 16;
}

/* Takes the global options out of argv, wherever they are (up to "--").
 * Returns -1 and prints the problem on a bad option. */
static int take_globals(int *argc, char **argv, struct cli_ctx *ctx,
			bool *help, bool *version)
{
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!strcmp(a, "--catalog")) {
			if (i + 1 >= *argc) {
				cli_error("option '--catalog' needs a file");
				return -1;
			}
			ctx->catalog = argv[++i];
		} else if (!strncmp(a, "--catalog=", 10)) {
			ctx->catalog = a + 10;
		} else if (!strcmp(a, "--fx")) {
			const char *v = i + 1 < *argc ? argv[i + 1] : "";
			const char *eq = strchr(v, '=');

			if (!fx_ok(v, eq) || ctx->nfx == 8) {
				cli_error("'--fx' is CODE=RATE: an ISO 4217 "
					  "code and the scenario's currency per "
					  "unit of it (e.g. USD=1.38; at most "
					  "8), got '%s'", v);
				return -1;
			}
			ctx->fx[ctx->nfx++] = argv[++i];
		} else if (!strcmp(a, "--max-price-age")) {
			struct util_err err;
			double s;

			if (i + 1 >= *argc) {
				cli_error("option '--max-price-age' needs a "
					  "duration (e.g. 90d, 6mo)");
				return -1;
			}
			if (model_units_parse(argv[i + 1], MODEL_DIM_DURATION,
					      MODEL_UNITS_POSITIVE, &s, &err)) {
				cli_error("'--max-price-age' %s (a duration, "
					  "e.g. 90d, 6mo)", err.msg);
				return -1;
			}
			ctx->max_price_age_days = s / 86400;
			i++;
		} else if (!strcmp(a, "--catalog-replace")) {
			ctx->catalog_replace = true;
		} else if (!strcmp(a, "--offline")) {
			ctx->offline = true;
		} else if (!strncmp(a, "--color=", 8)) {
			if (strcmp(a + 8, "auto") && strcmp(a + 8, "always") &&
			    strcmp(a + 8, "never")) {
				cli_error("'--color' is auto, always or never, "
					  "got '%s'", a + 8);
				return -1;
			}
			ctx->color = a + 8;
		} else if (!strcmp(a, "--width") ||
			   !strncmp(a, "--width=", 8)) {
			const char *v = a[7] == '=' ? a + 8
					: i + 1 < *argc ? argv[++i] : "";
			long n;

			if (util_parse_long(v, 0, 10000, &n)) {
				cli_error("'--width' takes a number of columns "
					  "from 0 (no limit) to 10000, got '%s'",
					  v);
				return -1;
			}
			ctx->width = (int)n;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			ctx->quiet = true;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			ctx->verbose = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			*help = true;
		} else if (!strcmp(a, "--version")) {
			*version = true;
		} else {
			argv[out++] = argv[i];
		}
	}
	argv[out] = NULL;
	*argc = out;
	if (ctx->catalog_replace && !ctx->catalog) {
		cli_error("'--catalog-replace' needs '--catalog FILE'");
		return -1;
	}
	return 0;
}

static void suggest_command(const char *name)
{
	const char *names[16];
	size_t n = 0;
	const char *near;

	for (const struct cli_command *c = cli_commands; c->name && n < 16;
	     c++)
		names[n++] = c->name;
	near = util_nearest(name, names, n);
	if (near)
		cli_error("unknown command '%s' (did you mean '%s'?)", name,
			  near);
	else
		cli_error("unknown command '%s' (see 'gpuplan help')", name);
}

/* The terminal's width and colour, for tables (cli_term). */
static void terminal(const struct cli_ctx *ctx)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS"), *nc = getenv("NO_COLOR");
	bool tty = isatty(STDOUT_FILENO);
	long v;

	if (ctx->width >= 0)
		cli_term.width = ctx->width;
	else if (tty && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) &&
		 ws.ws_col > 0)
		cli_term.width = ws.ws_col;
	else if (tty && cols && !util_parse_long(cols, 20, 10000, &v))
		cli_term.width = (int)v;
	if (!ctx->color || !strcmp(ctx->color, "auto"))
		cli_term.color = tty && !(nc && *nc);
	else
		cli_term.color = !strcmp(ctx->color, "always");
}

/* What a command printed through stdio reaches standard output here: a
 * full disk is exit 73, not 0 (help and --version checked nothing). */
static int flushed(int rc)
{
	if (!fflush(stdout) && !ferror(stdout))
		return rc;
	if (rc == CLI_EXIT_OK) {
		cli_error("cannot write the output");
		rc = CLI_EXIT_CANTCREAT;
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct cli_ctx ctx = {.width = -1};
	const struct cli_command *c;
	bool help = false, version = false;

	setlocale(LC_ALL, "C");
#ifdef __GLIBC__
	/* GLPK's branch and bound copies the whole problem for each
	 * pseudocost it estimates and frees it: keep freed memory (up to
	 * 64 MB) for the next copy rather than give it back to the kernel
	 * and fault it in again (bench/README.md, Sessions on one venue:
	 * 0.3 s of system time of 0.35 on bench/gen.sh 50 200) */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
	if (take_globals(&argc, argv, &ctx, &help, &version))
		return CLI_EXIT_USAGE;
	terminal(&ctx);
	if (version && argc == 1)
		return flushed(cmd_version(1, argv, &ctx));
	if (argc < 2) {
		cli_usage(NULL, help ? stdout : stderr);
		return flushed(help ? CLI_EXIT_OK : CLI_EXIT_USAGE);
	}
	c = find_command(argv[1]);
	if (!c) {
		suggest_command(argv[1]);
		return CLI_EXIT_USAGE;
	}
	if (help) {
		cli_usage(c->name, stdout);
		return flushed(CLI_EXIT_OK);
	}
	return flushed(c->fn(argc - 1, argv + 1, &ctx));
}
