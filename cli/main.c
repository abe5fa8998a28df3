/* gpuplan's entry point: global options, the command table, help. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef GPUPLAN_VERSION
#define GPUPLAN_VERSION "unknown"
#endif

static int cmd_help(int argc, char **argv, struct cli_ctx *ctx);
static int cmd_version(int argc, char **argv, struct cli_ctx *ctx);

const struct cli_command cli_commands[] = {
	{"validate", cmd_validate, "check scenarios and catalogs",
	 "Usage: gpuplan validate FILE...\n"
	 "\n"
	 "Checks each scenario or catalog file (told apart by its 'scenario:'\n"
	 "key) and reports every problem with file:line:col on stderr.\n"
	 "Exit 0 when all are valid, 65 when one has errors, 66 when one\n"
	 "cannot be read.\n"},
	{"catalog", cmd_catalog, "list accelerators and offers, import prices",
	 "Usage: gpuplan catalog accelerators [--format table|json|csv]\n"
	 "       gpuplan catalog offers [--family F] [--accelerator A]\n"
	 "                              [--provider P] [--format table|json|csv]\n"
	 "       gpuplan catalog summary [--format table|markdown|csv]\n"
	 "       gpuplan catalog import --from skypilot FILE.csv\n"
	 "                              [--provider NAME] [--family F]\n"
	 "                              [--as-of YYYY-MM-DD]\n"
	 "\n"
	 "Shows the catalog in use: the embedded default, extended by\n"
	 "--catalog FILE (or replaced with --catalog-replace). 'import'\n"
	 "converts a SkyPilot catalog CSV into catalog YAML on stdout; its\n"
	 "offers are dated --as-of (default: the file's modification date).\n"},
	{"estimate", cmd_estimate, "fit, time, energy and latency per "
	 "accelerator",
	 "Usage: gpuplan estimate SCENARIO [--workload NAME] [--accelerator A]\n"
	 "                        [--format table|json]\n"
	 "\n"
	 "For every workload and every accelerator of the catalog (at 1, 2,\n"
	 "4, 8... devices, up to the largest instance an offer gives): does it\n"
	 "fit in memory, the wall-clock hours of a run, job or session, the\n"
	 "device-hours and energy per period, what limits it, and for\n"
	 "inference the latency and requests per second. docs/perf-model.md\n"
	 "gives the formulas and the constants with their sources.\n"},
	{"plan", cmd_plan, "the cheapest placement (GLPK MIP)",
	 "Usage: gpuplan plan SCENARIO [--format table|json] [--family F]\n"
	 "                    [--dump-lp FILE] [--time-limit S] [--gap G]\n"
	 "                    [--objective cost|time] [--fail-above AMOUNT]\n"
	 "                    [--fail-over-budget]\n"
	 "\n"
	 "Chooses, over the horizon, how much of each workload runs on which\n"
	 "venue and what to buy, at the least total cost that meets the\n"
	 "scenario's constraints (docs/formulation.md). --family plans with\n"
	 "one venue family only; --dump-lp writes the model in CPLEX LP\n"
	 "format for glpsol or cbc. --objective time finishes flexible work\n"
	 "(research, batches) as early as the budget and capacities allow,\n"
	 "cost breaking ties. Exit 3 when no plan is feasible, with the\n"
	 "reasons on stderr; exit 1 (after the output) when the plan costs\n"
	 "more than --fail-above, or --fail-over-budget and the budget cannot\n"
	 "hold the cheapest plan.\n"},
	{"simulate", cmd_simulate, "the plan through time, with confidence "
	 "intervals",
	 "Usage: gpuplan simulate SCENARIO [--plan PLAN.json] [--replications N]\n"
	 "                        [--seed S]\n"
	 "                        [--jobs J] [--horizon D] [--trace FILE]\n"
	 "                        [--format table|json]\n"
	 "       gpuplan simulate --replay TRACE.csv --pool OFFER:DEVICES\n"
	 "                        [--policy fifo|backfill] [--format table|json]\n"
	 "\n"
	 "Plans the scenario (or reads the plan `plan --format json` wrote),\n"
	 "then runs the plan through a discrete-event\n"
	 "simulation N times (default 20, seed 1) on J threads (default: the\n"
	 "processors; the numbers do not depend on it): waits, latencies,\n"
	 "completion times, deadline misses, late students or requests,\n"
	 "realised cost and utilisation, each as a mean and the half-width of\n"
	 "its 95% confidence interval. --horizon shortens the simulated time\n"
	 "(request streams simulate 5 minutes unless it is given); --trace\n"
	 "writes every event of the first replication to FILE. --replay\n"
	 "replays a cluster trace (submit time, duration, GPUs; columns found\n"
	 "by name) on a pool of DEVICES devices of an offer, first come first\n"
	 "served or with EASY backfilling, and compares the waits with the\n"
	 "trace's own.\n"},
	{"compare", cmd_compare, "every venue family and the hybrid, side by "
	 "side",
	 "Usage: gpuplan compare SCENARIO [--format table|markdown|csv|json]\n"
	 "                       [--replications N] [--seed S] [--jobs J]\n"
	 "                       [--fail-above AMOUNT] [--fail-over-budget]\n"
	 "\n"
	 "Plans the scenario with each venue family alone and with all of\n"
	 "them (hybrid), simulates each plan, and prints one column per\n"
	 "option: initial, monthly and total cost, cost per GPU-hour, time to\n"
	 "result, p95 waits, p99 latencies (means with 95% confidence),\n"
	 "scalability, data-transfer cost, energy, maintenance, and why an\n"
	 "option is ruled out; then a verdict. Markdown suits a pull-request\n"
	 "comment. --fail-above and --fail-over-budget exit 1 (after the\n"
	 "output) when the hybrid plan costs more, or the budget cannot hold\n"
	 "it.\n"},
	{"diff", cmd_diff, "what changed between two scenarios' plans",
	 "Usage: gpuplan diff A.yaml B.yaml [--format table|markdown|json]\n"
	 "\n"
	 "Plans both scenarios and shows what changed: cost per component and\n"
	 "in total, with signs and percentages, the share of each workload on\n"
	 "each venue, and the devices bought.\n"},
	{"plot", cmd_plot, "charts with gnuplot (PNG or SVG, and the script)",
	 "Usage: gpuplan plot SCENARIO --kind KIND --out FILE.png|FILE.svg\n"
	 "                    [--seed S]\n"
	 "\n"
	 "KIND is cost-over-time (money paid over time when buying on-prem,\n"
	 "renting, or mixing, with the break-even marked), cost-breakdown\n"
	 "(cost components stacked per venue family), latency-cdf (simulated\n"
	 "request latencies of the plan) or pareto (cost against when flexible\n"
	 "work ends, from plans under a range of budgets). Writes FILE.gp, a\n"
	 "self-contained gnuplot script with its data, beside the image, and\n"
	 "runs gnuplot on it; without gnuplot, exit 69 and the script stays.\n"},
	{"emit", cmd_emit, "the plan as files for Slurm, Kubernetes, Kueue, "
	 "SkyPilot",
	 "Usage: gpuplan emit SCENARIO --to TARGET --out DIR [--plan PLAN.json]\n"
	 "\n"
	 "Plans the scenario (or reads the plan `plan --format json` wrote)\n"
	 "and writes it for TARGET into DIR: json (plan.json, described by\n"
	 "docs/plan.schema.json), slurm (an sbatch script per academic or\n"
	 "on-prem batch assignment, per cluster, and the nodes a test\n"
	 "controller needs), kubernetes (Jobs and Deployments for the on-prem\n"
	 "pool), kueue (ResourceFlavors, ClusterQueue, LocalQueues) or\n"
	 "skypilot (a task per cloud or GPU-as-a-service assignment).\n"
	 "docs/emit.md says what goes in each file. DIR is replaced whole or\n"
	 "not at all; a DIR holding files gpuplan did not write is refused.\n"},
	{"apply", cmd_apply, "submit the emitted Slurm scripts with sbatch",
	 "Usage: gpuplan apply DIR --to slurm [--dry-run] [-- COMMAND...]\n"
	 "\n"
	 "Checks every .sbatch script under DIR with 'sbatch --test-only',\n"
	 "then submits them all with COMMAND as the job's command and prints\n"
	 "the job ids. If the controller rejects one, nothing is submitted and\n"
	 "gpuplan exits 4 with Slurm's reason. --dry-run stops after the\n"
	 "check and prints when and where each job would start.\n"},
	{"sweep", cmd_sweep, "a grid of what-ifs, planned point by point",
	 "Usage: gpuplan sweep SCENARIO --set PATH=V1,V2,... [--set ...]\n"
	 "                     [--simulate] [--jobs J]\n"
	 "                     [--format table|csv|json|markdown]\n"
	 "                     [--shard I/N] [--out FILE] [--plot FILE]\n"
	 "       gpuplan sweep SCENARIO --set ... --emit slurm-array --shards N\n"
	 "                     [--throttle T] --out DIR\n"
	 "       gpuplan sweep merge SHARD.csv... [--out FILE]\n"
	 "\n"
	 "Plans the scenario at every point of the grid the --set options\n"
	 "make (their Cartesian product; the last one changes fastest): PATH\n"
	 "is a scenario key (workloads.dl-course.students,\n"
	 "venues.onprem.electricity) with values or a range ('60..240 step\n"
	 "60'), or a price multiplier ('catalog.offers.ID.price=*0.8,*1.2',\n"
	 "'catalog.family.cloud.price=*0.7'). One row per point: status, total\n"
	 "cost, families used, purchases; --simulate adds the simulated cost,\n"
	 "worst p95 wait, worst p99 latency and deadline miss (10\n"
	 "replications). --plot draws the total cost against the first --set,\n"
	 "a line per combination of the others.\n"
	 "J processes (default: the processors); the output\n"
	 "does not depend on J. --shard I/N computes one slice; 'merge' puts\n"
	 "the slices' CSV back together, exactly as one run writes it; --emit\n"
	 "slurm-array writes the sweep as a Slurm array of N shards and a\n"
	 "merge job after it (docs/sweep.md).\n"},
	{"breakeven", cmd_breakeven, "when buying a device beats renting one",
	 "Usage: gpuplan breakeven SCENARIO --buy OFFER --rent OFFER\n"
	 "                         [--workload NAME | --utilisation U]\n"
	 "                         [--plot FILE.png|FILE.svg] [--format table|json]\n"
	 "\n"
	 "For one device: buying pays the capex, then maintenance every month\n"
	 "and energy for the hours used; renting pays the hours used. Prints\n"
	 "the months until buying is cheaper at 10% to 100% utilisation, the\n"
	 "utilisation from which buying pays off over the scenario's horizon\n"
	 "and over the device's life, and the months at the utilisation\n"
	 "--workload gives the devices (its device-hours a month on the\n"
	 "bought accelerator) or --utilisation (default 50%). --plot draws\n"
	 "both costs over time with the crossing marked.\n"},
	{"sensitivity", cmd_sensitivity, "which prices and sizes move the cost "
	 "most",
	 "Usage: gpuplan sensitivity SCENARIO [--delta 20%] [--plot FILE]\n"
	 "                           [--format table|csv|json|markdown]\n"
	 "\n"
	 "Moves each venue family's prices (of the families the scenario\n"
	 "allows) and each workload's size (students, research hours or\n"
	 "jobs, fine-tuning tokens, request rate) by -delta and +delta, plans\n"
	 "again, and ranks the parameters by how far the total cost moves.\n"
	 "--plot draws the tornado chart (PNG or SVG, with its gnuplot\n"
	 "script).\n"},
	{"prices", cmd_prices, "fetch current prices into the cache, show it",
	 "Usage: gpuplan prices fetch --source azure|skypilot|url [--url URL]\n"
	 "                            [--region R]... [--provider P]\n"
	 "                            [--max-age D] [--timeout D]\n"
	 "                            [--retries N] [--max-size S] [--force]\n"
	 "       gpuplan prices status [--format table|json]\n"
	 "\n"
	 "'fetch' reads current prices into the cache ($XDG_CACHE_HOME/gpuplan,\n"
	 "or ~/.cache/gpuplan): azure (the Azure Retail Prices API: GPU\n"
	 "virtual machines of the regions, on demand and spot), skypilot (a\n"
	 "SkyPilot catalog CSV) or url (a catalog in gpuplan's format). --url\n"
	 "(or GPUPLAN_AZURE_URL, GPUPLAN_SKYPILOT_URL, GPUPLAN_PRICES_URL)\n"
	 "points a source elsewhere. A cache younger than --max-age (1d) is\n"
	 "not fetched again unless --force; an older one is revalidated with\n"
	 "its ETag. Timeouts (--timeout, 60s), a size limit (--max-size,\n"
	 "64MiB) and --retries (3) on 5xx and 429 bound a fetch; a failed one\n"
	 "exits 69 and leaves the cache as it was.\n"
	 "Cached prices younger than 30 days extend the embedded catalog;\n"
	 "--catalog and a scenario's catalog: override them. 'status' shows\n"
	 "each cache and the catalog layers in use. docs/prices.md.\n"},
	{"help", cmd_help, "show help for gpuplan or a command",
	 "Usage: gpuplan help [COMMAND]\n"},
	{"version", cmd_version, "print the version",
	 "Usage: gpuplan version\n"},
	{NULL, NULL, NULL, NULL},
};

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
	"  --offline           never touch the network (cached prices stand)\n"
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
		fprintf(to, "  %-10s %s\n", c->name, c->summary);
	fputs("\nSee 'gpuplan help COMMAND' and docs/ for more.\n", to);
}

static int cmd_help(int argc, char **argv, struct cli_ctx *ctx)
{
	(void)ctx;
	if (argc > 2)
		return cli_usage_error("help", "too many arguments");
	if (argc == 2 && !find_command(argv[1]))
		return cli_usage_error("help", "unknown command '%s'", argv[1]);
	cli_usage(argc == 2 ? argv[1] : NULL, stdout);
	return CLI_EXIT_OK;
}

static int cmd_version(int argc, char **argv, struct cli_ctx *ctx)
{
	(void)argv;
	(void)ctx;
	if (argc > 1)
		return cli_usage_error("version", "too many arguments");
	printf("gpuplan %s\n", GPUPLAN_VERSION);
	return CLI_EXIT_OK;
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
		} else if (!strcmp(a, "--catalog-replace")) {
			ctx->catalog_replace = true;
		} else if (!strcmp(a, "--offline")) {
			ctx->offline = true;
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

int main(int argc, char **argv)
{
	struct cli_ctx ctx = {0};
	const struct cli_command *c;
	bool help = false, version = false;

	setlocale(LC_ALL, "C");
	if (take_globals(&argc, argv, &ctx, &help, &version))
		return CLI_EXIT_USAGE;
	if (version && argc == 1)
		return cmd_version(1, argv, &ctx);
	if (argc < 2) {
		cli_usage(NULL, help ? stdout : stderr);
		return help ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	}
	c = find_command(argv[1]);
	if (!c) {
		suggest_command(argv[1]);
		return CLI_EXIT_USAGE;
	}
	if (help) {
		cli_usage(c->name, stdout);
		return CLI_EXIT_OK;
	}
	return c->fn(argc - 1, argv + 1, &ctx);
}
