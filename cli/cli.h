/* cli: the front end. The only module that prints, reads the command
 * line and picks exit codes (docs/exit-codes.md). */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include "../model/model.h"
#include "../pricing/pricing.h"
#include "../report/format.h"
#include "../util/util.h"

/* Exit codes (DESIGN §11). */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_GATE = 1,
	CLI_EXIT_USAGE = 2,
	CLI_EXIT_INFEASIBLE = 3,
	CLI_EXIT_REJECTED = 4,
	CLI_EXIT_TIME_LIMIT = 5, /* plan --time-limit reached, no plan yet */
	CLI_EXIT_DATAERR = 65,
	CLI_EXIT_NOINPUT = 66,
	CLI_EXIT_UNAVAILABLE = 69,
	CLI_EXIT_SOFTWARE = 70,
	CLI_EXIT_CANTCREAT = 73,
};

/* Options every command shares, parsed before and after the command. */
struct cli_ctx {
	const char *catalog; /* --catalog FILE, NULL: embedded only */
	bool catalog_replace;
	bool offline; /* --offline: nothing touches the network */
	const char *color; /* --color=auto|always|never, NULL: auto */
	int width;	   /* --width N: table width, -1: the terminal's */
	bool quiet, verbose;
	/* --fx CODE=RATE: the scenario's fx.CODE, over its own */
	const char *fx[8];
	size_t nfx;
	/* --max-price-age D, in days: one age limit for every price; 0:
	 * each family's own (pricing_max_price_age_days) */
	double max_price_age_days;
};

typedef int (*cli_fn)(int argc, char **argv, struct cli_ctx *ctx);

struct cli_command {
	const char *name;
	cli_fn fn;
	const char *summary;
	const char *usage; /* "Usage: ..." and the options, for --help */
};

/* The command table (cli/main.c), terminated by a NULL name. */
extern const struct cli_command cli_commands[];

int cmd_validate(int argc, char **argv, struct cli_ctx *ctx);
int cmd_catalog(int argc, char **argv, struct cli_ctx *ctx);
int cmd_estimate(int argc, char **argv, struct cli_ctx *ctx);
int cmd_plan(int argc, char **argv, struct cli_ctx *ctx);
int cmd_simulate(int argc, char **argv, struct cli_ctx *ctx);
int cmd_compare(int argc, char **argv, struct cli_ctx *ctx);
int cmd_diff(int argc, char **argv, struct cli_ctx *ctx);
int cmd_plot(int argc, char **argv, struct cli_ctx *ctx);
int cmd_report(int argc, char **argv, struct cli_ctx *ctx);
int cmd_emit(int argc, char **argv, struct cli_ctx *ctx);
int cmd_apply(int argc, char **argv, struct cli_ctx *ctx);
int cmd_prices(int argc, char **argv, struct cli_ctx *ctx);
int cmd_sweep(int argc, char **argv, struct cli_ctx *ctx);
int cmd_breakeven(int argc, char **argv, struct cli_ctx *ctx);
int cmd_chargeback(int argc, char **argv, struct cli_ctx *ctx);
int cmd_sensitivity(int argc, char **argv, struct cli_ctx *ctx);
int cmd_import(int argc, char **argv, struct cli_ctx *ctx);
int cmd_help(int argc, char **argv, struct cli_ctx *ctx);
int cmd_completion(int argc, char **argv, struct cli_ctx *ctx);
int cmd_version(int argc, char **argv, struct cli_ctx *ctx);

/* The exit code for a library status (enum util_status). */
int cli_exit_code(int status);
/* "gpuplan: <msg>" on stderr. */
void cli_error(const char *fmt, ...) UTIL_PRINTF(1, 2);
void cli_warn(const struct cli_ctx *ctx, const char *fmt, ...)
	UTIL_PRINTF(2, 3);
/* Warns when prices in st (the offers a report used) are past their
 * family's age limit (pricing_max_price_age_days, --max-price-age) on
 * today: SOURCE_DATE_EPOCH when set (reproducible runs and tests), else
 * the clock. Releases st. */
void cli_warn_price_age(const struct cli_ctx *ctx,
			struct pricing_staleness *st);
/* Prints every diagnostic of d on stderr, sorted by position; warnings
 * are left out with --quiet. */
void cli_print_diags(const struct cli_ctx *ctx, struct util_diags *d);
/* The catalog in use: the embedded default, extended by the fresh price
 * caches (docs/prices.md), then by --catalog (or replaced by it), into c. Prints problems; returns an exit code. The caller
 * releases c with pricing_catalog_release whatever the result. */
int cli_load_catalog(const struct cli_ctx *ctx, struct pricing_catalog *c);
/* Loads the scenario at path against the catalog in use; prints every
 * problem. Returns an exit code; release s in all cases. */
/* --fx as overrides fx.CODE=RATE into set[0..8); returns how many; the
 * caller frees each set[i].path. */
size_t cli_fx_sets(const struct cli_ctx *ctx, struct model_set *set);
int cli_load_scenario(const struct cli_ctx *ctx, const char *path,
		      struct model_scenario *s);
/* --by family|strategy of compare and report into *strategy; a usage
 * error (reported, its exit code) for anything else. */
int cli_parse_by(const char *command, const char *arg, bool *strategy);
/* The strategies of s and of the --strategy flags[0..nflags) (listed
 * into l: release it after ss), each loaded from file with its
 * overrides and --fx into ss[i] (release each in all cases), sp[i]
 * pointing at it and names[i] its name: what compare and report --by
 * strategy rank. Returns 0 or an exit code, reported. */
struct advise_strategies;
int cli_load_strategies(const struct cli_ctx *ctx, const char *command,
			const char *file, const struct model_scenario *s,
			const char *const *flags, size_t nflags,
			struct model_scenario *ss,
			const struct model_scenario **sp, const char **names,
			struct advise_strategies *l);
/* An advise_load_fn (advise_sensitivity): the scenario at path loaded
 * again with ctx, quiet (its warnings were shown once). */
struct cli_reload {
	struct cli_ctx quiet;
	const char *path;
};
int cli_reload(void *arg, struct model_scenario *s);
/* The canonical name of accelerator `name` in c, or a usage error with
 * the nearest name. */
int cli_resolve_accel(const char *command, const struct pricing_catalog *c,
		      const char *name, const char **canonical);
/* Prints root as JSON (sorted keys, fixed precision) on stdout and frees
 * it. Returns an exit code. */
struct json_t;
int cli_emit_json(struct json_t *root);

/* Prints "Usage" text of a command to stdout (help) or stderr (error). */
void cli_usage(const char *command, FILE *to);
/* Reports a usage error about a command: message, then a hint. Returns
 * CLI_EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
	UTIL_PRINTF(2, 3);

/* The closed loop's numbers on the command line: --replications (r),
 * --jobs (j), --seed (s) and --rounds (R), option ch with value. Returns
 * 0 or a usage error of command naming the option and its range. */
struct advise_loop_opts;
int cli_loop_option(const char *command, int ch, const char *value,
		    struct advise_loop_opts *o);

/* CI gates (--fail-above AMOUNT, --fail-over-budget). */
struct cli_gates {
	double fail_above; /* money of the scenario, -1: none */
	const char *fail_above_text; /* as given, NULL: none */
	char note[160]; /* how it was converted, or "" */
	bool over_budget;
};
/* Records a gate option: the amount of --fail-above (above true), or
 * --fail-over-budget. Returns 0 or a usage error. */
int cli_gate_option(const char *command, struct cli_gates *g, bool above,
		    const char *value);
/* Puts --fail-above into the scenario's currency (model_money_arg):
 * after the scenario is loaded. Returns 0 or a usage error. */
int cli_gate_resolve(const char *command, struct cli_gates *g,
		     const struct model_scenario *s);
/* Warns that --fail-over-budget cannot fail when s sets no budget
 * (constraints.budget): a CI gate that passes for want of a budget. */
void cli_gate_warn_budget(const struct cli_ctx *ctx,
			  const struct cli_gates *g,
			  const struct model_scenario *s);
/* Checks the chosen plan against the gates: CLI_EXIT_GATE with a
 * one-line reason on stderr naming it (what, NULL: "the plan"), or 0. */
int cli_check_gates(const struct cli_gates *g, const struct model_scenario *s,
		    const struct model_plan *p, const char *what);

/* Output formats. */
enum cli_format { CLI_TABLE, CLI_CSV, CLI_JSON, CLI_MARKDOWN };
/* Parses a --format value among the allowed ones (bit per format). */
int cli_parse_format(const char *command, const char *s, unsigned allowed,
		     enum cli_format *out);

/* What the terminal allows, set once by main: the width tables fit in
 * (0: no limit: stdout is not a terminal) and whether to use colour
 * (--color=auto|always|never; auto: a terminal and no NO_COLOR). */
struct cli_term {
	int width;
	bool color;
};
extern struct cli_term cli_term;

/* A table of strings rendered as aligned text, CSV or markdown: the
 * report module's (report/format.h), at the terminal's width. */
#define cli_table report_table
void cli_table_init(struct cli_table *t, size_t ncols,
		    const char *const *head, const bool *right);
/* Appends a row of ncols cells (copied); NULL cells print as "-". */
void cli_table_row(struct cli_table *t, const char *const *cells);
void cli_table_render(const struct cli_table *t, enum cli_format f,
		      struct util_buf *out);
void cli_table_release(struct cli_table *t);
/* The costs no decision changes (owned devices' maintenance, colocation
 * fees and depreciation; staff, overhead and storage), apart from the
 * decision's: under plan's table, or (columns) under compare's, the same
 * in every column. Nothing when there are none. */
void cli_committed_costs(const struct model_scenario *s, bool columns,
			 struct util_buf *out);

/* Draws p into out (.png or .svg) with gnuplot, the script beside it as
 * out's .gp; the image is written whole or not at all (cli/cmd_plot.c).
 * Returns an exit code (69 without gnuplot). */
struct report_plot;
int cli_draw_plot(const struct report_plot *p, const char *out);
/* Draws p as SVG into svg (nothing written beside any output). Returns
 * an exit code (69 without gnuplot), and on failure why in words. */
struct util_buf;
int cli_plot_svg(const struct report_plot *p, struct util_buf *svg,
		 char *why, size_t nwhy);

/* Writes buf to stdout; returns an exit code (73 if stdout fails). */
int cli_write_stdout(const struct util_buf *buf);
/* The same for text meant to be read (tables and notes): lines wider
 * than the terminal (cli_term.width) wrap at spaces. */
int cli_write_text(const struct util_buf *buf);

/* Processors online, 1 to 63: the threads of a simulation. */
int cli_cpus(void);
/* The plan of the scenario s: read from plan_file (written by `plan
 * --format json`), or made by the closed loop with its defaults
 * (advise_plan) when plan_file is NULL. Prints problems ("no plan to
 * <verb>" when none is feasible); returns an exit code. Release p with
 * model_plan_release in all cases. */
int cli_scenario_plan(const struct cli_ctx *ctx, const struct model_scenario *s,
		      const char *plan_file, const char *verb,
		      struct model_plan *p);

/* Writes the files f into directory dir (made or replaced) whole or not
 * at all: into a temporary sibling first, then renamed. A dir holding
 * files gpuplan did not write is refused. what is written in dir's marker
 * file. Returns an exit code (73 when it cannot). */
struct emit_files;
int cli_write_dir(const char *dir, const struct emit_files *f,
		  const char *what);

/* ---- beyond one machine (cli/shard.c, docs/sweep.md) ---- */

struct advise_shard;
/* --shard I/N of command cmd into i and n; else a usage error. */
int cli_shard_option(const char *cmd, const char *s, long *i, long *n);
/* b to the file out, atomically (NULL: stdout). Returns an exit code,
 * reported. */
int cli_write_out(const char *out, const struct util_buf *b);
/* The header of shard (of nshards) of kind for scenario into b: its full
 * path and digest (its text, the --catalog file's, --catalog-replace and
 * --fx). Returns 0 or an exit code, reported. */
int cli_shard_start(const struct cli_ctx *ctx, const char *kind,
		    const char *scenario, long shard, long nshards,
		    struct util_buf *b);
/* Reads the shard files files[0..n) of kind into *out (free it with
 * cli_shard_free, also on failure) and checks them as one set of the
 * scenario they name as it is now (advise_shard_set). Returns 0 or an
 * exit code (65 for a bad shard), reported. */
int cli_shard_read_all(const struct cli_ctx *ctx, const char *kind,
		       char *const *files, size_t n,
		       struct advise_shard **out);
void cli_shard_free(struct advise_shard *v, size_t n);

/* --emit slurm-array of a command. */
struct cli_array {
	const char *cmd;	/* "sweep" */
	const char *noun;	/* "sweep", "comparison": messages */
	const char *scenario;
	const char *args;	/* after the scenario, shell words, each
				 * after a space */
	const char *shard_args; /* after --shard I/N ("" or " --format csv") */
	int format;		/* the merge's --format (enum cli_format),
				 * its result "result.txt", ".csv", ".json"
				 * or ".md"; -1: CSV without --format */
	const char *sbatch;	/* the array's script: "sweep.sbatch" */
	const char *ext;	/* of the shards' files: "csv" */
	long nshards, throttle;
	const char *out; /* the directory */
};
/* Writes a->out/<sbatch> (an array of nshards tasks, at most throttle at
 * once, each `gpuplan CMD SCENARIO ARGS --jobs 1 --shard I/N`),
 * merge.sbatch and submit.sh (the array, then the merge with
 * --dependency=afterok on it), calling this gpuplan and the scenario by
 * their full paths with ctx's --catalog, --offline, --catalog-replace
 * and --fx. Returns 0 or an exit code, reported. */
int cli_emit_array(const struct cli_ctx *ctx, const struct cli_array *a);

#endif
