/* advise: the layer above the optimiser and the simulator (DESIGN §12,
 * docs/compare.md, docs/targets.md): compare by venue family, verdicts,
 * the targets every option is checked against in simulation and the
 * closed loop that plans, simulates, tightens and plans again. Knows
 * model/, sim/ and pricing/; model/ never depends on sim/. */
#ifndef ADVISE_ADVISE_H
#define ADVISE_ADVISE_H

#include "../acct/acct.h"
#include "../model/model.h"
#include "../sim/sim.h"
#include "../util/util.h"

/* ---- targets (advise/targets.c, docs/targets.md) ---- */

enum advise_target {
	ADVISE_LATENCY,	     /* inference: latency_p99, 1% of requests */
	ADVISE_START_WITHIN, /* teaching: start_within, late_share */
	ADVISE_DEADLINE,     /* research: deadline, missed 5% of the time */
	ADVISE_MAX_WAIT,     /* research, fine-tuning: p95 wait */
	ADVISE_CADENCE,	     /* fine-tuning: each run within its period */
	ADVISE_TTFT,	     /* LLM serving: ttft_p99, 1% of requests */
	ADVISE_TPOT,	     /* LLM serving: tpot_p99, 1% of requests */
	ADVISE_NTARGETS
};
extern const char *const advise_target_names[ADVISE_NTARGETS];

/* One target of one workload, checked in simulation. Durations in s. */
struct advise_check {
	size_t w; /* workload index */
	enum advise_target kind;
	double limit;	  /* the target: s */
	double figure;	  /* simulated: p99 latency, p95 wait, end, run */
	double share;	  /* simulated share over the limit (-1: none) */
	double tolerance; /* share allowed over it */
	double counted;	  /* deadline: share of replications late */
	bool met;
};

struct advise_checks {
	struct advise_check *v;
	size_t n, alloc, missed;
};

/* Checks every target of the workloads simulated in r (means over the
 * replications). Release out with advise_checks_release. */
void advise_check_targets(const struct sim_result *r,
			  struct advise_checks *out);
void advise_checks_release(struct advise_checks *c);
/* A check in words, with its figure: "cameras: p99 618 ms > 60 ms, 78%
 * of requests late". */
void advise_check_text(const struct model_scenario *s,
		       const struct advise_check *x, char *buf, size_t n);

/* The best figures of the devices that fit a workload, unloaded (an
 * LLM: one sequence), each with its accelerator (borrowed from the
 * scenario's catalog): latency (mean), and for an LLM the p99-prompt
 * first token, the token time and the p99 lengths' last token; ms. */
struct advise_fastest {
	double latency_ms, ttft_ms, tpot_ms, last_ms;
	const char *latency_accel, *ttft_accel, *tpot_accel, *last_accel;
};
/* Whether no device of the catalog meets inference workload w's
 * latency_p99 (an LLM's: latency_p99, ttft_p99 and tpot_p99 together)
 * even unloaded; then the best figures into *f. */
bool advise_latency_unreachable(const struct model_scenario *s, size_t w,
				struct advise_fastest *f);

/* Each target no option can meet whatever it spends, in words, after
 * sep, appended to b. */
void advise_unreachable(const struct model_scenario *s, const char *sep,
			struct util_buf *b);

/* ---- the closed loop (advise/loop.c, docs/targets.md) ---- */

#define ADVISE_ROUNDS 5 /* --rounds by default */

struct advise_loop_opts {
	struct model_plan_opts plan; /* the family, the solver's limits */
	struct sim_opts sim;	     /* the same as `simulate`'s */
	int rounds;		     /* plans at most, 0: ADVISE_ROUNDS */
};

/* A plan, its simulation and its targets checked. */
struct advise_result {
	struct model_plan plan;
	struct sim_result sim;	     /* when the plan is feasible */
	struct advise_checks checks; /* likewise */
	int rounds;		     /* plans solved */
	char *tightened;	     /* what the loop tightened, or NULL */
	bool exhausted; /* stopped by the rounds with a miss it could tighten */
	bool cornered;	/* stopped: tightening further left no plan */
};

/* Plans s, simulates the plan and checks its targets; while a target is
 * missed and a round is left, tightens what missed (docs/targets.md) and
 * plans again. The result is the last plan found (a round with no plan
 * ends the loop and keeps the one before). Returns 0 (the plan may be
 * infeasible: out->plan.why), or an error of planning or simulation in
 * err. Release out with advise_result_release in all cases. */
int advise_loop(const struct model_scenario *s,
		const struct advise_loop_opts *o, struct advise_result *out,
		struct util_err *err);
void advise_result_release(struct advise_result *r);
/* Why r's loop stopped short with a target missed, in words: the
 * capacity its targets need is not there (cornered), or more rounds may
 * meet them (exhausted); NULL otherwise. */
const char *advise_result_stop(const struct advise_result *r);
/* The words of the exhausted case alone (compare's verdict says both
 * when a loop was cornered and its rounds also ran out). */
extern const char advise_stop_exhausted[];
/* The options `plan`, `simulate` and `compare` share by default: every
 * family, seed 1, 20 replications, one thread, ADVISE_ROUNDS rounds. */
void advise_loop_defaults(struct advise_loop_opts *o);
/* advise_loop's plan alone, moved into out (released with
 * model_plan_release in all cases). Errors as advise_loop's. */
int advise_plan(const struct model_scenario *s,
		const struct advise_loop_opts *o, struct model_plan *out,
		struct util_err *err);

/* ---- compare (advise/compare.c, advise/verdict.c) ---- */

#define ADVISE_COLUMNS (PRICING_NFAMILIES + 1) /* families + hybrid */
/* Columns of a comparison: the families and the hybrid, or strategies. */
#define ADVISE_MAX_COLUMNS                                                  \
	(MODEL_MAX_STRATEGIES > ADVISE_COLUMNS ? MODEL_MAX_STRATEGIES        \
					       : ADVISE_COLUMNS)

enum advise_status { ADVISE_RULED_OUT, ADVISE_MEETS, ADVISE_MISSES };
/* "ruled out", "meets all targets", "misses targets" */
extern const char *const advise_status_names[3];

struct advise_column {
	const char *name; /* a family's, "hybrid", or a strategy's */
	const struct model_scenario *s; /* the scenario it planned */
	bool feasible;
	enum advise_status status;
	char *why; /* ruled out: one line */
	struct advise_result r; /* the plan, its simulation, its checks */
	double initial_cost, monthly_cost, total_cost, cost_per_gpu_hour;
	double transfer_cost, energy_kwh, device_hours;
	char scalability[160];
	const char *maintenance;
};

/* What is paid today (a cloud bill, acct_today_read), carried over the
 * scenario's horizon in its currency (advise/today.c). The bill's
 * effective cost (commitments amortised) per month of the bill, months
 * without GPU spend counted, stands for every month of the horizon. */
struct advise_today {
	struct acct_today bill;
	double rate;		 /* scenario's currency per bill's */
	double horizon_months;
	double monthly, billed_monthly; /* effective and billed, per month */
	double total;		 /* monthly x horizon_months */
};
/* out from t for s. Returns 0, or UTIL_E_INPUT (err) when the bill's
 * currency is neither the scenario's nor one it has a rate for. */
int advise_today(const struct model_scenario *s, const struct acct_today *t,
		 struct advise_today *out, struct util_err *err);
/* cost's change from today, as a fraction (-0.25: a quarter less), NAN
 * when today costs nothing. */
double advise_today_change(const struct advise_today *t, double cost);

struct advise_compare {
	/* what is paid today (compare --today), NULL without a bill */
	const struct advise_today *today;
	const struct model_scenario *s;
	struct advise_column col[ADVISE_MAX_COLUMNS];
	int ncol;	  /* columns in use */
	bool by_strategy; /* columns are strategies, not venue families */
	int cheapest; /* the cheapest column that meets every target, -1 */
	char *verdict;
	/* when none meets them and the closest stopped for lack of rounds:
	 * what it takes with more rounds, in words, or NULL */
	char *need;
};

/* Plans s with each venue family alone and with all of them (hybrid),
 * each through the closed loop with o (advise_loop). Returns 0, or an
 * error of planning or simulation (in err). Release out with
 * advise_compare_release. */
int advise_compare(const struct model_scenario *s,
		   const struct advise_loop_opts *o, struct advise_compare *out,
		   struct util_err *err);
void advise_compare_release(struct advise_compare *c);
/* Plans and simulates each strategy, ss[i] (s with strategy i's
 * overrides applied, named names[i]; n at most ADVISE_MAX_COLUMNS), with
 * every family allowed through the closed loop with o, and ranks them
 * with the verdict rules of advise_compare (advise/strategy.c). ss and
 * names must outlive out. Returns 0, or an error of planning or
 * simulation in err. Release out with advise_compare_release. */
int advise_compare_strategies(const struct model_scenario *s,
			      const struct model_scenario *const *ss,
			      const char *const *names, size_t n,
			      const struct advise_loop_opts *o,
			      struct advise_compare *out,
			      struct util_err *err);
/* Whether every column of c pays the same committed costs
 * (model_committed and the owned devices' colocation fees, to the
 * cent): always for venue families; for strategies, unless one changes
 * the owned devices, their price, age, hosting, staff or overhead. Then
 * compare prints them once, apart from the columns (docs/compare.md). */
bool advise_committed_alike(const struct advise_compare *c);
/* advise_compare_strategies' work for one shard (1-based, of nshards;
 * 0: all, then ranked) of the strategies (i, i + nshards, ...): the
 * others' columns left empty, nothing ranked. */
int advise_compare_strategies_part(const struct model_scenario *s,
				   const struct model_scenario *const *ss,
				   const char *const *names, size_t n,
				   const struct advise_loop_opts *o, long shard,
				   long nshards, struct advise_compare *out,
				   struct util_err *err);
/* The body of a comparison's shard file (after advise_shard_head): o's
 * seed, replications and rounds, the strategies' count, the --strategy
 * flags[0..nflags) as given, then each of shard's columns of cmp (from
 * advise_compare_strategies_part): its closed loop's plan, simulation
 * and checks, exact; then "end" (advise/compare_shard.c). */
struct advise_shard;
void advise_compare_shard(const struct advise_compare *cmp,
			  const struct advise_loop_opts *o,
			  const char *const *flags, size_t nflags, long shard,
			  long nshards, struct util_buf *b);
/* What a comparison's shard says of the run: its options and flags. */
struct advise_compare_head {
	uint64_t seed;
	int replications, rounds, ncol;
	char **flags; /* the --strategy options, nflags of them */
	size_t nflags;
	size_t first; /* the body's line of the first column */
};
/* Reads h from shard sh: 0, or UTIL_E_INPUT in err ("FILE:LINE:COL:
 * ..."). Release h with advise_compare_head_release in all cases. */
int advise_compare_shard_head(const struct advise_shard *sh,
			      struct advise_compare_head *h,
			      struct util_err *err);
void advise_compare_head_release(struct advise_compare_head *h);
/* The shards v[0..nv) (checked by advise_shard_set) of the comparison of
 * s's strategies ss[0..n) named names (as advise_compare_strategies
 * takes them; loaded from the shards' flags) with o (the shards'
 * options) put together into out and ranked: what
 * advise_compare_strategies gives. Returns 0; UTIL_E_INPUT in err for a
 * line malformed or out of place, shards that disagree, a strategy of
 * another name, in two shards or in none; or advise_compare_finish's
 * error. Release out with advise_compare_release in all cases. */
int advise_compare_merge(const struct model_scenario *s,
			 const struct model_scenario *const *ss,
			 const char *const *names, size_t n,
			 const struct advise_loop_opts *o,
			 const struct advise_shard *v, size_t nv,
			 struct advise_compare *out, struct util_err *err);
/* ---- strategies (advise/strategy.c, docs/compare.md) ---- */

#define ADVISE_MAX_OVERRIDES 64 /* of one strategy */

struct advise_source; /* below */

/* A strategy: one of the scenario's `strategies:` or a --strategy. */
struct advise_strategy {
	const char *name;
	char **set;		/* "PATH=VALUE" each */
	size_t nset;
	const int *line, *col;	/* of set[i] in the scenario; NULL: a flag */
	int name_line, name_col;
};

struct advise_strategies {
	struct advise_strategy v[2 * MODEL_MAX_STRATEGIES];
	size_t n, nfile; /* the scenario's come first, nfile of them */
	char *text[MODEL_MAX_STRATEGIES]; /* the flags, cut up */
};

/* The strategies of s (borrowed: s must outlive out), then those of
 * flags[0..nflags), each "NAME=PATH=VALUE[,PATH=VALUE...]" (a comma
 * inside a list value [a, b] does not split). Returns 0, or
 * UTIL_E_USAGE in err: a flag without NAME=, a flag's item that is not
 * PATH=VALUE, a flag's name already taken, more than
 * ADVISE_MAX_OVERRIDES overrides in one, more than ADVISE_MAX_COLUMNS
 * strategies in all. (The
 * scenario's own were checked for form and names by its loader.)
 * Release out with advise_strategies_release in all cases. */
int advise_strategies_list(const struct model_scenario *s,
			   const char *const *flags, size_t nflags,
			   struct advise_strategies *out, struct util_err *err);
void advise_strategies_release(struct advise_strategies *l);

/* Loads src's scenario with st's overrides, then extra[0..nextra) over
 * them (--fx), into out (release with model_scenario_release, also on
 * failure). Returns 0; for a scenario's strategy UTIL_E_INPUT in err,
 * "FILE:LINE:COL: strategy 'NAME': what", at the first override whose
 * overrides up to it fail (an unknown path, a value the loader rejects,
 * overrides that leave the scenario invalid); for a flag's, UTIL_E_USAGE
 * "--strategy NAME: what". */
int advise_strategy_load(const struct advise_source *src,
			 const struct advise_strategy *st,
			 const struct model_set *extra, size_t nextra,
			 struct model_scenario *out, struct util_err *err);
/* The same check for validate: the scenario loaded and released, the
 * problem put in d ("strategy 'NAME': what" at the override, UTIL_E_INPUT;
 * a flag's "--strategy NAME: what" without a place, UTIL_E_USAGE). */
int advise_strategy_check(const struct advise_source *src,
			  const struct advise_strategy *st,
			  const struct model_set *extra, size_t nextra,
			  struct util_diags *d);

/* Up to max of column c's missed targets in words, "; " between them,
 * appended to b. */
void advise_column_misses(const struct model_scenario *s,
			  const struct advise_column *c, size_t max,
			  struct util_buf *b);

/* ---- sensitivity (advise/sensitivity.c, docs/sweep.md) ---- */

struct advise_shard; /* a shard file read back, below */

#define ADVISE_MAX_PARAMS 64

/* A parameter moved: a family's prices, or a workload's size. */
struct advise_param {
	char name[96];	 /* "cloud prices", "dl-course students" */
	int family;	 /* a family's prices, or -1 */
	size_t workload; /* else this workload's size (a recurring one's:
			  * that of every occurrence of its series) */
	double cost[2];	 /* at -delta, +delta; NAN: no plan */
};

struct advise_sensitivity {
	double base;  /* the plan's total cost as it is; NAN: no plan */
	double delta; /* the move, a fraction */
	struct advise_param v[ADVISE_MAX_PARAMS]; /* largest swing first */
	size_t n;
};

/* Loads the scenario afresh into s: 0, or an error (then s is released
 * by the caller all the same). */
typedef int (*advise_load_fn)(void *arg, struct model_scenario *s);

/* The total cost of s's plan (every family), NAN without one; warm:
 * model_plan_opts.warm (NULL: a cold start). */
double advise_plan_cost(const struct model_scenario *s,
			struct model_plan_warm *warm);
/* Scales the size of w (students, jobs or GPU-hours, tokens, request
 * rate) by m, as sensitivity moves it. */
void advise_scale_workload(struct model_workload *w, double m);
/* How far the total cost moves between a parameter's two ends. */
double advise_swing(const struct advise_param *q);
/* Cost v's change from base, in percent (0 when it rounds to under
 * 0.05%); NAN when v or base is not a cost or base is not above 0 (no
 * percentage of nothing). */
double advise_change_pct(double v, double base);
/* Plans s, then each venue family's prices (of the families allowed
 * that the catalog offers) and each workload's size moved by -delta and
 * +delta, on a scenario load(arg) gives afresh each time; ranks them by
 * swing. Without a plan for s, out->base is NAN and nothing is moved.
 * The moves run on jobs processes (at most 64; the results do not depend
 * on jobs: each move starts from the base plan's basis). from: a basis
 * of s's plan already made (model_plan_opts.warm), left frozen, or NULL. */
void advise_sensitivity(const struct model_scenario *s, double delta,
			int jobs, struct model_plan_warm *from,
			advise_load_fn load, void *arg,
			struct advise_sensitivity *out);

/* advise_sensitivity's work for one shard (1-based, of nshards; 0: all)
 * of the parameters (k, k + nshards, ... in their order before ranking):
 * out->v in that order, unranked, NAN where another shard moves. */
void advise_sensitivity_part(const struct model_scenario *s, double delta,
			     int jobs, struct model_plan_warm *from,
			     advise_load_fn load, void *arg, long shard,
			     long nshards, struct advise_sensitivity *out);
/* Ranks r->v by swing, the largest first (ties by name). */
void advise_sensitivity_rank(struct advise_sensitivity *r);
/* The body of shard's file (advise_shard_head before it): the delta,
 * the base cost, the parameters' count and shard's moves of r (from
 * advise_sensitivity_part), then "end". */
void advise_sensitivity_shard(const struct advise_sensitivity *r, long shard,
			      long nshards, struct util_buf *b);
/* The shards v[0..n) (checked by advise_shard_set) of s's sensitivity put
 * together into out, ranked: what advise_sensitivity gives. Returns 0,
 * or UTIL_E_INPUT in err (a line out of place or malformed, shards that
 * disagree, a parameter s does not have, in two shards or in none). */
int advise_sensitivity_merge(const struct model_scenario *s,
			     const struct advise_shard *v, size_t n,
			     struct advise_sensitivity *out,
			     struct util_err *err);

/* ---- break-even (advise/breakeven.c, docs/sweep.md) ---- */

/* Buying one device against renting one, money in the scenario's
 * currency. */
struct advise_breakeven {
	const struct pricing_offer *buy, *rent; /* the scenario's catalog's */
	double capex;	    /* per device (an edge board's unit price) */
	double maint_month; /* capex x maintenance % a year / 12 */
	double energy_hour; /* per busy hour, with PUE */
	double rent_hour;   /* per device */
	double lifetime_m;  /* the device's life, 60 when not given */
	double horizon_m;   /* the scenario's horizon */
	double u;	    /* the utilisation asked about, 0..1 */
	const char *u_from; /* where u comes from */
	int u_devices;	    /* the workload's: devices it keeps u busy */
};

/* The terms of buying offer buy and renting offer rent (ids in s's
 * catalog), u 50% ("the default"). Returns 0, or UTIL_E_USAGE in err:
 * an offer the catalog does not have, a buy without capex or unit
 * price, a rent without hourly price. */
int advise_breakeven(const struct model_scenario *s, const char *buy,
		     const char *rent, struct advise_breakeven *out,
		     struct util_err *err);
/* Months until buying costs less at utilisation u (0..1): capex over
 * the monthly saving, (rent - energy) x 730 h x u - maintenance;
 * INFINITY when it never does or only past the device's life. */
double advise_breakeven_months(const struct advise_breakeven *b, double u);
/* The utilisation at which buying and renting cost the same over the
 * months, above 1 or INFINITY when renting is cheaper even at 100%. */
double advise_breakeven_utilisation(const struct advise_breakeven *b,
				    double months);
/* Money paid after months at utilisation u, buying and renting. */
void advise_breakeven_paid(const struct advise_breakeven *b, double u,
			   double months, double *buy, double *rent);
/* b->u from workload name: its device-hours a month on the buy offer's
 * accelerator over the devices it needs (at most 1), b->u_from "the
 * workload's". Returns 0; UTIL_E_USAGE when s has no such workload,
 * UTIL_E_INFEASIBLE when it fits on no count of that accelerator, or
 * model_estimate's error, in err. */
int advise_breakeven_workload(const struct model_scenario *s,
			      const char *name, struct advise_breakeven *b,
			      struct util_err *err);

/* Buying alone, for the cost-over-time figure (docs/compare.md): s
 * planned on on-prem devices alone, else, when that has no plan, on
 * edge boards alone (the report's figure picks the same). Fills p (the
 * caller releases it) and *family (PRICING_ONPREM or PRICING_EDGE: the
 * last one planned). Returns 0, or model_plan's error in err. */
int advise_plan_buying(const struct model_scenario *s, struct model_plan *p,
		       int *family, struct util_err *err);

/* ---- sweep (advise/sweep.c, docs/sweep.md) ---- */

#define ADVISE_SWEEP_MAX_DIMS 64	   /* --set options */
#define ADVISE_SWEEP_MAX_POINTS 1000000 /* points of one grid */

/* One --set: a path and its values. */
struct advise_sweep_dim {
	const char *arg; /* the --set argument, for messages (borrowed) */
	char *path;
	char **values;
	size_t nvalues, alloc;
};
struct advise_sweep_grid {
	struct advise_sweep_dim *dims;
	size_t ndims, alloc;
};

/* Adds the dimension of one --set argument (borrowed: it must outlive
 * g): PATH=V1,V2,... (a list value [a, b] is one value) or PATH=FROM..TO
 * step STEP (numbers with one unit). Returns 0, or UTIL_E_USAGE in err:
 * no '=', an empty value, a bad range, a path set twice, more than
 * ADVISE_SWEEP_MAX_DIMS. Release g with advise_sweep_release. */
int advise_sweep_add(struct advise_sweep_grid *g, const char *arg,
		     struct util_err *err);
/* The number of points into n: the product of the values' counts, or
 * UTIL_E_USAGE past ADVISE_SWEEP_MAX_POINTS. */
int advise_sweep_size(const struct advise_sweep_grid *g, size_t *n,
		      struct util_err *err);
/* The overrides of point index (1..size) into set[0..ndims), borrowed
 * from g: row-major, the last dimension changing fastest. */
void advise_sweep_point(const struct advise_sweep_grid *g, size_t index,
			struct model_set *set);
void advise_sweep_release(struct advise_sweep_grid *g);
/* Every value of every dimension alone on src's scenario, so that a bad
 * path or value is reported once, naming its --set, before the grid
 * runs. Returns 0, UTIL_E_USAGE (a path that leads nowhere) or
 * UTIL_E_INPUT (a value the loader rejects) with "--set ARG: ..." in
 * err. */
int advise_sweep_check(const struct advise_source *src,
		       const struct advise_sweep_grid *g, struct util_err *err);

/* One point's results. */
struct advise_sweep_result {
	const char *status; /* "invalid", "error", or the plan's status */
	bool planned;	    /* a plan: total_cost, families, buy */
	double total_cost;
	char families[160]; /* "cloud+onprem" */
	char buy[160];	    /* "2xL40S+1xH100" */
	bool simulated;	    /* the figures below */
	double sim_cost;    /* total_cost with the work's cost simulated */
	double wait_p95_s, latency_p99_ms, deadline_miss; /* the largest
							   * over the
							   * workloads, -1:
							   * none has it */
	char *message; /* why not planned or not simulated, else "" */
};
/* src's scenario with set[0..nset) planned with every family and, with
 * simulate, simulated (10 replications, seed 1). Never fails: a problem
 * is the result's status and message. Release out with
 * advise_sweep_result_release. */
void advise_sweep_run(const struct advise_source *src,
		      const struct model_set *set, size_t nset, bool simulate,
		      struct advise_sweep_result *out);
void advise_sweep_result_release(struct advise_sweep_result *r);

/* ---- chargeback (advise/chargeback.c, docs/chargeback.md) ---- */

/* How a pool's cost is shared out: by device-hours of each accelerator
 * (each pool recovers its own cost), or by device-hours weighted by the
 * accelerator's reference speed (one price per H100-equivalent hour that
 * recovers all pools together). */
enum advise_rule { ADVISE_RULE_DEVICE_HOURS, ADVISE_RULE_REFERENCE_SPEED };
extern const char *const advise_rule_names[2];
/* The utilisation at which the warning about an idle pool prices it. */
#define ADVISE_REASONABLE_USE 0.60

struct advise_chargeback_opts {
	enum advise_rule rule;
	double margin; /* 0.05: 5% over cost */
	/* the simulation of the plan (NULL: rates at the plan's use only),
	 * and whether the showback bills at its rates (issue 25) */
	const struct sim_result *sim;
	bool simulated;
};

/* One accelerator's pool, money over the horizon. */
struct advise_rate {
	const char *accel; /* borrowed from the scenario */
	long devices;	   /* owned and bought */
	double capex;	   /* owned: depreciation; bought: net capex */
	double maintenance, running, fixed; /* running: energy with PUE and
					     * the offer's storage price;
					     * fixed: its share of staff and
					     * overhead */
	double storage; /* its share of venues.onprem.storage_cost */
	double hosting; /* its devices' colocation fees */
	double cost;			    /* the sum */
	double used, avail; /* device-hours planned, and available */
	double utilisation; /* used / avail */
	double speed;	    /* reference hours per device-hour */
	bool speed_known;   /* false: 1 assumed */
	double rate;	    /* per device-hour, margin included; INFINITY
			     * when the pool is unused */
	double rate_reasonable; /* the same at ADVISE_REASONABLE_USE */
	bool absurd;		/* used under MODEL_POOL_IDLE */
	/* with a simulation: device-hours it used (sim_pool_result), its
	 * use of the device-hours it had, and the rate that recovers the
	 * cost over them (INFINITY when unused) */
	double sim_used, sim_utilisation, sim_rate;
	double bill_rate; /* the showback's: rate, or sim_rate */
};

struct advise_chargeback {
	enum advise_rule rule;
	double margin;
	struct model_pools pools;
	struct advise_rate *rates; /* one per pool, in the pools' order */
	size_t nrates, nmonths;
	double ref_rate; /* reference-speed: per reference hour */
	double sim_ref_rate; /* the same at the simulation's use */
	bool has_sim;	     /* sim_* figures are set */
	bool simulated;	     /* the showback bills at sim_rate */
	bool by_entity;	 /* groups are entities (else workloads) */
	const char **groups; /* names, borrowed from the scenario */
	size_t ngroups;
	double *dh;	/* [group][month][rate]: device-hours */
	double *charge; /* [group][month]: money */
	double total_cost, recovered; /* cost of the pools; charges */
	double storage, storage_byte_s; /* the on-prem storage's cost and
					 * size (model_onprem_storage) */
};

/* The rates of s's on-prem pools under plan p (OPTIMAL or FEASIBLE), at
 * the plan's use and, with o->sim (p's simulation), at the simulation's,
 * and the showback of each entity (or workload when s names none) month
 * by month: the plan's device-hours at the plan's rates, or at the
 * simulation's with o->simulated. Returns 0, or UTIL_E_INPUT in err when
 * p has no plan, s no on-prem pool, or o->simulated has no o->sim. Release out with advise_chargeback_release in all
 * cases. */
int advise_chargeback(const struct model_scenario *s,
		      const struct model_plan *p,
		      const struct advise_chargeback_opts *o,
		      struct advise_chargeback *out, struct util_err *err);
void advise_chargeback_release(struct advise_chargeback *cb);

/* ---- shard files (advise/shard.c, docs/sweep.md): a sensitivity's or
 * a strategy comparison's share computed on one machine, merged on
 * another. ---- */

#define ADVISE_SHARD_VERSION 2	   /* of the format; a merge reads its own */
#define ADVISE_SHARDS_MAX 100000   /* --shard I/N: N at most */
#define ADVISE_SHARD_MAX_FIELDS 16 /* of one line */

/* One line of a shard file: its fields (tab-separated) and where each
 * starts (1-based). */
struct advise_shard_line {
	int line;
	size_t n;
	bool more; /* fields past ADVISE_SHARD_MAX_FIELDS */
	char *f[ADVISE_SHARD_MAX_FIELDS];
	int col[ADVISE_SHARD_MAX_FIELDS];
};

/* A shard file read back. */
struct advise_shard {
	const char *file;     /* its name, for messages (borrowed) */
	char *text;	      /* cut into the lines' fields */
	struct advise_shard_line *lines;
	size_t nlines;
	const char *scenario; /* the scenario's full path, in text */
	uint64_t digest;      /* advise_shard_digest's when written */
	long shard, nshards;
	struct advise_shard_line *body; /* between the header and "end" */
	size_t nbody;
};

/* Whether item k (0-based) belongs to shard (1-based) of nshards: k, k +
 * nshards, ...; every item when nshards is 0. */
bool advise_shard_mine(long shard, long nshards, size_t k);
/* A digest of the scenario's text, the --catalog file's (NULL: none) and
 * opts (the options that change the results): 0, or util_read_file's
 * error in err. */
int advise_shard_digest(const char *scenario, const char *catalog,
			const char *opts, uint64_t *out, struct util_err *err);
/* Appends the header of a shard of kind ("sensitivity", "compare") to b;
 * the body's lines follow, then a line "end". */
void advise_shard_head(struct util_buf *b, const char *kind,
		       const char *scenario, uint64_t digest, long shard,
		       long nshards);
/* Appends a tab and x as the shard writes numbers (a hexadecimal float,
 * exact; "nan"). */
void advise_shard_real(struct util_buf *b, double x);
/* Reads the shard file of kind at file into sh and checks its header
 * (version, kind, digest's form, I/N) and its end. Returns 0, or
 * UTIL_E_NOINPUT, UTIL_E_INPUT with "FILE:LINE:COL: what" in err.
 * Release sh with advise_shard_release in all cases. */
int advise_shard_read(const char *file, const char *kind,
		      struct advise_shard *sh, struct util_err *err);
void advise_shard_release(struct advise_shard *sh);
/* Checks v[0..n) are the N shards of one computation, each once, with
 * digest (the scenario's as it is now). Returns 0, UTIL_E_USAGE (none
 * given) or UTIL_E_INPUT (another scenario, another N, a shard twice or
 * missing) in err. */
int advise_shard_set(const struct advise_shard *v, size_t n,
		     uint64_t digest, struct util_err *err);
/* The problem at field k of line l of sh ("FILE:LINE:COL: ..."; l NULL:
 * the file) into err; returns UTIL_E_INPUT. */
int advise_shard_error(struct util_err *err,
			const struct advise_shard *sh,
		       const struct advise_shard_line *l, size_t k,
		       const char *fmt, ...) UTIL_PRINTF(5, 6);
/* 0 when l has n fields, else advise_shard_error's. */
int advise_shard_fields(struct util_err *err,
			const struct advise_shard *sh,
			const struct advise_shard_line *l, size_t n);
/* Field k of l as advise_shard_real wrote it, or as a whole number in
 * [min, max]: 0, else advise_shard_error's. */
int advise_shard_get_real(struct util_err *err,
			const struct advise_shard *sh,
			  const struct advise_shard_line *l, size_t k,
			  double *x);
int advise_shard_get_long(struct util_err *err,
			const struct advise_shard *sh,
			  const struct advise_shard_line *l, size_t k, long min,
			  long max, long *x);

/* ---- the source of every analysis (advise/source.c, issue 24): one
 * loader for a scenario and its catalog layers, used by every command
 * (plan, compare, sweep, sensitivity, breakeven, ...). ---- */

/* The layers, later ones winning: base (the embedded catalog and fresh
 * price caches, or nothing with --catalog-replace; then the --catalog
 * file, so that the scenario may name what that file defines), the
 * scenario's own `catalog:` key, then the --catalog file once more: it
 * has the last word everywhere. Texts are read once (a sweep loads the
 * scenario for every point). */
struct advise_source {
	const char *path;		     /* the scenario file */
	char *buf;			     /* its text */
	size_t len;
	const struct pricing_catalog *base; /* borrowed */
	const char *catalog;		     /* --catalog FILE, or NULL */
	char *catalog_buf;		     /* its text */
	size_t catalog_len;
};

/* Reads the scenario at path and the catalog file (NULL: none); base is
 * borrowed and must hold the catalog file already. Returns 0, or
 * UTIL_E_NOINPUT / UTIL_E_INPUT (unreadable, too large) in err. Release
 * with advise_source_release. */
int advise_source_init(struct advise_source *src, const char *path,
		       const struct pricing_catalog *base,
		       const char *catalog, struct util_err *err);
void advise_source_release(struct advise_source *src);

/* Loads the scenario of src with the --set overrides set[0..nset) into s
 * (release with model_scenario_release, also on failure): values first,
 * then the catalog layers, then the price multipliers ("*0.5") over all
 * of them. Returns 0; UTIL_E_INPUT with the problems in d; UTIL_E_USAGE
 * in err for an override that leads nowhere or a bad multiplier. */
int advise_source_load(const struct advise_source *src,
		       const struct model_set *set, size_t nset,
		       struct model_scenario *s, struct util_diags *d,
		       struct util_err *err);
/* Whether the --fx overrides fx[0..nfx) (paths "fx.CODE") are what
 * breaks src's scenario: 0 when it loads with them, or fails without
 * them too (its own errors are for the caller's load to report);
 * otherwise UTIL_E_USAGE in err, "--fx CODE=RATE: what", for the first
 * that a good file cannot take (an unknown code, a rate of 0), so that a
 * flag's mistake is not placed in the file. */
int advise_source_fx_check(const struct advise_source *src,
			   const struct model_set *fx, size_t nfx,
			   struct util_err *err);

#endif
