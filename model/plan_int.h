/* What the planner's files share (model/plan*.c): the candidate venues
 * of a scenario, the columns of the model, and the GLPK model builder. */
#ifndef MODEL_PLAN_INT_H
#define MODEL_PLAN_INT_H

#include "model.h"

/* At most this many purchase dates per pool: periods are grouped so
 * that a horizon has about 12 (plan_cand.c). */
#define PLAN_MAX_GROUPS 16

/* How a candidate venue is paid for and limited. */
enum cand_kind {
	CAND_RENT,     /* cloud, spot, GPUaaS, market: pay per device-hour */
	CAND_COMMIT,   /* cloud capacity committed for 1 or 3 years */
	CAND_POOL,     /* on-prem devices of one accelerator: owned + bought */
	CAND_ACADEMIC, /* a cluster drawing on the RGU allocation */
	CAND_EDGE,     /* boards bought per site */
};

struct cand {
	enum cand_kind kind;
	enum pricing_family family;
	const struct pricing_offer *offer; /* NULL for a pool without one */
	const struct pricing_accel *accel;
	char *name;	 /* offer id or "onprem-<accel>"; for names */
	double rate;	 /* money per device-hour used, rent or fee */
	double energy;	 /* money per kWh of IT energy: PUE x electricity */
	double storage_gb_h; /* money per GB-hour of data kept there */
	double egress_gb;
	double provision_h;  /* time to a usable device (queue p90 too) */
	double rework;	     /* extra work per unit: preemption, failures */
	bool sovereign;
	const char *country; /* model_venue_country, NULL: not known */
	bool subscription; /* a flat monthly fee (notebooks), not hourly */
	/* pools and edge boards */
	long owned, buy_max; /* buy_max 0: cannot buy; -1: no limit */
	double retire_s;     /* the owned devices' end of life, s from the
			      * start (INFINITY: past the horizon) */
	long buy_min;	     /* devices that must be bought */
	double capex;	     /* per device bought: the cash paid */
	double capex_net;    /* the same, residual deducted */
	double maintenance;  /* per device over the horizon */
	double hosting;	     /* per device per s: colocation fees */
	int avail_period;    /* first period bought devices work */
	/* purchases over time (docs/formulation.md): bought by units of
	 * `unit` devices; group g's work from period gstart[g] and are
	 * ordered lead_s before; gcol[g] its integer column */
	long unit;
	double lead_s;
	int ngroups;
	int gstart[PLAN_MAX_GROUPS];
	int gcol[PLAN_MAX_GROUPS];
	double commit_fixed; /* CAND_COMMIT: per device over the horizon */
	int int_col;	     /* its integer (or commitment) column, or 0 */
};

/* Workloads whose demand comes each period, or once over a window. */
struct wl {
	const struct model_workload *w;
	const struct model_workload_estimate *est;
	bool periodic;
	int first, last; /* active periods, inclusive */
	double *frac;	 /* share of each period the workload is active */
	double window_h; /* hours from its start to its end */
	/* periods of its stated window within the horizon: a flexible
	 * workload's work is its estimate's device-hours per period times
	 * these, whatever finish_early takes off the window it runs in */
	double work_periods;
	bool peak;	 /* counts against device concurrency */
	/* flexible work tied to time by its demand (model_demand_timed):
	 * share[t] of it comes in period t and is served within flexp
	 * periods; NULL when not timed */
	double *share;
	int flexp;
};

/* One x column: a share of w's work on c in block b (b = -1: anywhere in
 * its window, for venues no period limits). Periodic workloads have one
 * unit of demand in each block they are active in, flexible ones one unit
 * over their window. */
struct xcol {
	int w, c, b;
	double dh;   /* device-hours it uses at share 1, whole block */
	double kwh;  /* IT energy of those device-hours (no PUE) */
	double pool_dh; /* what it counts against a pool's hours: dh over
			 * the utilisation ceiling, times the headroom */
	double peak; /* devices it holds at share 1 (pooled and edge) */
	double rgu;  /* RGU-hours it draws from the academic allocation */
	double paid; /* rented device-hours per device-hour used: whole
		      * instances */
	double moved; /* bytes it moves over the on-prem link */
	double cost[MODEL_NCOSTS];
	int devices;
	int col; /* GLPK index */
};

struct plan_model {
	const struct model_scenario *s;
	const struct model_plan_opts *opt;
	struct model_estimate est;
	double period_s, period_h;
	int nperiods;
	/* blocks of periods in which nothing changes: [start[b], start[b+1]) */
	int *block_start;
	int nblocks;
	struct cand *cands;
	size_t ncands, cands_alloc;
	struct wl *wls;
	size_t nwls;
	struct xcol *x;
	size_t nx, x_alloc;
	/* reasons nothing is eligible, per workload and family, and how
	 * much each says (plan_reason) */
	char *(*reason)[PRICING_NFAMILIES];
	int (*reason_rank)[PRICING_NFAMILIES];
	double fixed; /* costs no decision changes: owned maintenance */
	double fixed_cost[MODEL_NCOSTS];
	/* plan_agg.c: group[w] the workload whose columns stand for w's,
	 * mult[g] how many they stand for, x_unit[i] column i as for one of
	 * them (x holds it times mult); all NULL when not aggregated */
	int *group, *mult;
	struct xcol *x_unit;
	bool no_budget, no_caps; /* relaxations that explain infeasibility */
	/* teaching sessions on one venue (docs/formulation.md): venue[c],
	 * the first candidate of c's venue (a provider's region in one
	 * family, the on-prem pools, a cluster); one_venue: build the
	 * binaries; venue_used[w * ncands + venue]: the venues a course
	 * may use (those of the first solve), NULL: every one */
	int *venue;
	bool one_venue;
	unsigned char *venue_used;
	/* venue_keep[w * ncands + venue]: the venue a course is kept on
	 * (model_plan_opts.keep_venues), NULL: none kept */
	unsigned char *venue_keep;
	/* util_now_s() by which every solve of this plan ends
	 * (model_plan_opts.time_limit_s), 0: none */
	double deadline;
	/* the GLPK rows one[w] of the courses with venue binaries, none of
	 * them (plan_build) */
	int *one_row;
	size_t none;
	char *split; /* the courses the first solve split: "'a', 'b'" */
	/* the runner-up's re-price (plan_cols.c, plan_explain.c):
	 * alone[w * ncands + c] what all of w's work costs on c by itself
	 * (-1: w cannot run there), room[...] the share of it c can hold */
	double *alone, *room;
	/* the diagnosis of an infeasible plan (plan_explain.c): each demand
	 * and due row gets a slack column, the objective is their sum and
	 * integers are relaxed; slack[w * nblocks + b] and due[...] are the
	 * GLPK columns of the slack of those rows (0: none) */
	bool elastic;
	int *slack, *slack_due;
	/* the GLPK demand row of each x column (0: none), by plan_build */
	int *x_demand;
	void *scratch; /* what plan_build holds while it runs */
	void (*scratch_free)(void *);
};

/* Candidates, workloads and columns for s (plan_cand.c, plan_cols.c). */
int plan_candidates(struct plan_model *m, struct util_err *err);
void plan_columns(struct plan_model *m);
/* Drops the columns some optimum never needs (plan_prune.c): the
 * optimum value is unchanged. Keeps the order of the others. */
void plan_prune(struct plan_model *m);
/* Merges the workloads the solver cannot tell apart (plan_agg.c): fills
 * group, mult and x_unit; call after plan_prune. */
void plan_aggregate(struct plan_model *m);
/* The model into GLPK (plan_glpk.c). */
struct glp_prob;
int plan_build(struct plan_model *m, struct glp_prob *lp);
/* A large model's cold LP (plan_colgen.c, docs/formulation.md, Solving):
 * from a greedy basis, on a restricted set of columns, pricing the others
 * in until none improves, then once on the whole model (primal simplex,
 * presolve off; msg_lev and tm_lim (ms, 0: none) as glp_smcp's). Returns
 * glp_simplex's code of the last solve; *rounds and *added say how many
 * restricted solves ran and how many columns the pricing brought in. */
int plan_colgen_simplex(const struct plan_model *m, struct glp_prob *lp,
			int msg_lev, int tm_lim, long *rounds, long *added);
/* The same from a warm start's basis that is primal feasible (a price
 * moved; plan_warm_apply, then the primal simplex): only the x columns
 * that could enter at that basis start open, the others are priced in. */
int plan_colgen_warm(const struct plan_model *m, struct glp_prob *lp,
		     int msg_lev, int tm_lim, long *rounds, long *added);
/* Scales lp's rows and columns (glp_set_rii, glp_set_sjj) for the
 * simplex, as glp_scale_prob(lp, GLP_SF_AUTO) would, in time linear in
 * its coefficients (plan_scale.c). */
void plan_scale(struct glp_prob *lp);
/* A plan with every course whole (plan_round.c, docs/formulation.md,
 * A first plan), from lp at the LP optimum of the model with venue
 * binaries, by m->deadline: its values by GLPK column into x (room for
 * every column), every integer column integral. lp is not changed.
 * Whether one was found. */
struct glp_prob;
bool plan_round_whole(const struct plan_model *m, struct glp_prob *lp,
		      double *x);
/* Whether c is where w is pinned (docs/scenario.md, pin:). */
bool plan_pin_matches(const struct model_workload *w, const struct cand *c);
/* When group g of pool c's devices are paid for: s from the start (the
 * first group at the start, as soon as possible; later ones at their
 * order date). */
/* What a column of w in block b counts toward w's share of the work
 * (the plan's `share`): 1, or for periodic work the block's share of
 * the periods it is active in. */
double plan_share_weight(const struct plan_model *m, const struct wl *w, int b);
/* Seconds that devices of group g of pool c are hosted: from their
 * arrival to the end of the horizon (their colocation fees). */
double plan_hosted_s(const struct plan_model *m, const struct cand *c, int g);
double plan_order_time(const struct plan_model *m, const struct cand *c,
		       int g);
/* Share of timed work x that has come by the end of period t, D(t). */
double plan_arrived(const struct wl *x, int t);
/* What serving a unit of x's work in block b rather than later saves in
 * waiting: delay_cost x the seconds from block b to x's last block. The
 * waiting at the end of each block b is D(end b) minus the work served
 * by then, counted for len(b) periods; 0 without delay_cost or
 * flexibility. */
double plan_delay_weight(const struct plan_model *m, const struct wl *x,
			 int b);
/* Whether w's sessions stay on one venue; whether x's venue is open to
 * its workload (plan_cand.c). */
bool plan_one_venue(const struct plan_model *m, size_t w);
bool plan_venue_open(const struct plan_model *m, const struct xcol *x);
/* Periods in block b. */
int plan_block_len(const struct plan_model *m, int b);
/* The share of block b in which pool k's owned devices still serve: 1
 * before their end of life, 0 after, the part before it across it. */
double plan_in_service(const struct plan_model *m, const struct cand *k,
		       int b);
/* After a plan is read back: each assignment's runner-up offer and its
 * extra cost (alone), and the devices it holds at its peak period
 * (plan_explain.c). */
void plan_runner_up(const struct plan_model *m, struct model_plan *p);
void plan_peak_devices(const struct plan_model *m, struct model_plan *p);
/* From the elastic solution val (GLPK columns, 1-based): the first
 * period some work cannot be served, which workloads, how short, and
 * what arrives later, one line each into why. Returns whether it said
 * anything (plan_explain.c). */
bool plan_explain_shortfall(const struct plan_model *m, const double *val,
			    struct util_buf *why);
/* Warm starts (plan_warm.c): the basis of lp, optimal, into w (unless
 * w is frozen and has one); w's basis onto lp, built from the same
 * scenario, by row and column name. Returns whether lp has a valid basis
 * from it (else lp keeps the basis it had). */
void plan_warm_save(struct model_plan_warm *w, struct glp_prob *lp);
bool plan_warm_apply(struct model_plan_warm *w, struct glp_prob *lp);
/* The column table of a frozen w's last plan, for the next plan's
 * plan_columns (empty when there is none): each re-plan of a scenario
 * makes about as many columns, and a table kept is not faulted in
 * again. plan_warm_keep_cols takes x (returns false, keeping nothing,
 * unless w is frozen). */
void plan_warm_take_cols(struct model_plan_warm *w, struct xcol **x,
			 size_t *alloc);
bool plan_warm_keep_cols(struct model_plan_warm *w, struct xcol *x,
			 size_t alloc);
/* Frees what plan_candidates and plan_columns made. */
void plan_model_release(struct plan_model *m);
/* The end of the reason "'w' allows none of its accelerators", which
 * one offer of a family gives while another may have a better one. */
#define PLAN_REASON_WEAK "allows none of its accelerators"
/* The end of the residency reason, which an offer outside the countries
 * gives while another of the family, inside them, may have its own. */
#define PLAN_REASON_RESIDENCY "(residency)"
/* printf into the reason slot of workload w and family f, once: a
 * reason ending in PLAN_REASON_WEAK gives way to any other, and one
 * ending in PLAN_REASON_RESIDENCY to any but a weak one (the cloud's
 * H100 in Canada too small for a job says so, not that the cloud is
 * outside Canada). */
void plan_reason(struct plan_model *m, size_t w, enum pricing_family f,
		 const char *fmt, ...) UTIL_PRINTF(4, 5);
/* The same for a layout of n devices too small for w: it gives way only
 * to a wider one (needs 147.5 GB a device on 8 H100 says more than 1,128
 * on one), and wins over every other reason. */
void plan_reason_small(struct plan_model *m, size_t w, enum pricing_family f,
		       int n, const char *fmt, ...) UTIL_PRINTF(5, 6);

#endif
