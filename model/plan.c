/* gpuplan plan: candidates and columns (plan_cand.c, plan_cols.c), the
 * model (plan_glpk.c), then GLPK with its failures contained, the
 * solution read back, and infeasibility explained in the user's words. */
#include <errno.h>
#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan_int.h"

const char *const model_plan_status_names[4] = {"optimal", "feasible",
						"infeasible", "no solution"};
const char *const model_cost_names[MODEL_NCOSTS] = {
	"rent",	  "commitment", "capex",   "maintenance",
	"energy", "academic",	"storage", "egress", "hosting"};

static const double period_seconds[3] = {MODEL_DAY, MODEL_WEEK, MODEL_MONTH};

/* GLPK calls abort() after its error hook returns: the hook frees GLPK's
 * environment and jumps back instead (performance-reliability.md §B2).
 * The planner is not reentrant for that reason. */
static jmp_buf glpk_jump;
static struct util_buf *glpk_log;

static void on_glpk_error(void *info)
{
	(void)info;
	glp_free_env();
	longjmp(glpk_jump, 1);
}

/* GLPK's terminal output goes to a log, never to stdout. */
static int on_glpk_term(void *info, const char *s)
{
	(void)info;
	if (glpk_log && glpk_log->len < (1u << 20))
		util_buf_puts(glpk_log, s);
	return 1;
}

void plan_model_release(struct plan_model *m)
{
	for (size_t c = 0; c < m->ncands; c++)
		free(m->cands[c].name);
	free(m->cands);
	for (size_t w = 0; w < m->nwls; w++) {
		free(m->wls[w].frac);
		free(m->wls[w].share);
	}
	free(m->wls);
	if (!m->opt || !m->opt->warm ||
	    !plan_warm_keep_cols(m->opt->warm, m->x, m->x_alloc))
		free(m->x);
	free(m->x_unit);
	free(m->group);
	free(m->mult);
	free(m->block_start);
	free(m->venue);
	free(m->venue_used);
	free(m->venue_keep);
	free(m->one_row);
	free(m->split);
	free(m->alone);
	free(m->room);
	free(m->slack);
	free(m->slack_due);
	free(m->x_demand);
	if (m->scratch) /* a GLPK error jumped out of plan_build */
		m->scratch_free(m->scratch);
	if (m->reason) {
		for (size_t w = 0; w < m->s->nworkloads; w++)
			for (int f = 0; f < PRICING_NFAMILIES; f++)
				free(m->reason[w][f]);
		free(m->reason);
	}
	free(m->reason_rank);
	model_estimate_release(&m->est);
}

static int dump_lp(glp_prob *lp, const char *path, struct util_err *err)
{
	char *tmp = util_xasprintf("%s.tmp.XXXXXX", path);
	int fd = mkstemp(tmp), rc = 0;

	if (fd < 0) {
		rc = util_err_set(err, UTIL_E_IO, "cannot write '%s': %s", path,
				  strerror(errno));
		goto out;
	}
	close(fd);
	errno = 0;
	if (glp_write_lp(lp, NULL, tmp) || rename(tmp, path)) {
		/* the reason, as the failed write or rename left it (a full
		 * disk: "No space left on device") */
		rc = util_err_set(err, UTIL_E_IO, "cannot write '%s': %s", path,
				  errno ? strerror(errno)
					: "GLPK could not write the model");
		unlink(tmp);
	}
out:
	free(tmp);
	return rc;
}

struct solution {
	enum model_plan_status status;
	double objective, gap;
	double *val; /* by GLPK column, 1-based */
	int rows, cols, integers;
	bool lp_integral; /* the LP optimum has integer purchases: no B&B */
	long iterations;
	long lp_rounds, lp_priced; /* plan_colgen.c */
};

/* Whether x satisfies every row of lp, within a relative tolerance. */
static bool rows_hold(glp_prob *lp, const double *x, int *ind, double *val)
{
	for (int i = 1; i <= glp_get_num_rows(lp); i++) {
		int n = glp_get_mat_row(lp, i, ind, val), type;
		double a = 0, lb = glp_get_row_lb(lp, i);
		double ub = glp_get_row_ub(lp, i);

		for (int k = 1; k <= n; k++)
			a += val[k] * x[ind[k]];
		type = glp_get_row_type(lp, i);
		if ((type == GLP_LO || type == GLP_DB || type == GLP_FX) &&
		    a < lb - 1e-7 * (1 + fabs(lb)))
			return false;
		if ((type == GLP_UP || type == GLP_DB || type == GLP_FX) &&
		    a > ub + 1e-7 * (1 + fabs(ub)))
			return false;
	}
	return true;
}

/* The greedy warm start: at the root, the LP optimum with every purchase
 * rounded up. More devices only loosen capacity rows, so this is a plan
 * whenever no budget or cap binds; branch and bound then starts with an
 * incumbent instead of none. */
static void warm_start(glp_tree *tree)
{
	glp_prob *lp = glp_ios_get_prob(tree);
	int n = glp_get_num_cols(lp);
	double *x = util_xcalloc((size_t)n + 1, sizeof(double));
	double *val = util_xcalloc((size_t)n + 1, sizeof(double));
	int *ind = util_xcalloc((size_t)n + 1, sizeof(int));

	for (int j = 1; j <= n; j++) {
		x[j] = glp_get_col_prim(lp, j);
		if (glp_get_col_kind(lp, j) != GLP_IV)
			continue;
		x[j] = ceil(x[j] - 1e-9);
		if (glp_get_col_type(lp, j) == GLP_DB)
			x[j] = fmin(x[j], glp_get_col_ub(lp, j));
	}
	if (rows_hold(lp, x, ind, val))
		glp_ios_heur_sol(tree, x);
	free(x);
	free(val);
	free(ind);
}

/* The ms left until m's deadline as GLPK's tm_lim takes them: INT_MAX
 * (GLPK's default) for no limit, else at least 1. */
static int ms_left(const struct plan_model *m)
{
	if (m->deadline <= 0)
		return INT_MAX;
	return (int)fmin(fmax(ceil((m->deadline - util_now_s()) * 1000), 1),
			 2e9);
}

/* What the branch and bound's callback works with: where the gap goes,
 * a plan to start from (NULL: none, or given already), and whether to
 * stop at the first plan (model_plan_opts.first_plan). */
struct node_info {
	double *gap;
	double *start;
	bool stop;
};

static void on_node(glp_tree *tree, void *info)
{
	struct node_info *ni = info;

	if (glp_ios_reason(tree) == GLP_IHEUR &&
	    glp_ios_curr_node(tree) == 1) {
		warm_start(tree);
		if (ni->start && !glp_ios_heur_sol(tree, ni->start))
			*ni->gap = glp_ios_mip_gap(tree);
		ni->start = NULL;
	}
	if (glp_ios_reason(tree) == GLP_IBINGO || glp_ios_reason(tree) ==
						      GLP_ISELECT)
		*ni->gap = glp_ios_mip_gap(tree);
	if (ni->stop && glp_mip_status(glp_ios_get_prob(tree)) == GLP_FEAS)
		glp_ios_terminate(tree);
}

/* Models from this many columns start the simplex from plan_build's
 * basis, smaller ones from presolve's (docs/formulation.md, Solving:
 * measured, 3x fewer CPU seconds at 20,000 columns, 32% fewer at
 * 142,000; a small model solves in milliseconds either way, and keeps
 * the plan it had among equally cheap ones). */
#define CRASH_MIN_COLS 10000
/* Models from this many columns solve their cold LP on a restricted set
 * of columns from a greedy basis and price the others in (plan_colgen.c,
 * docs/formulation.md, Solving: measured, 1.6x fewer CPU seconds at
 * 28,000 columns, 2.4x at 86,000, 3.5x at 129,000; 1.3x to 2x more at
 * 20,000, where the crash basis alone does better) */
#define COLGEN_MIN_COLS 25000

/* Whether the LP optimum of lp has every integer column integral (to
 * 1e-9): it is then the MIP's optimum, which glp_intopt would only
 * confirm (it often does: the purchases close at the root). Its value,
 * as glp_intopt records it: integer columns rounded. */
static bool lp_integral(glp_prob *lp, struct solution *s)
{
	double obj = glp_get_obj_coef(lp, 0);

	for (int j = 1; j <= s->cols; j++) {
		double x = glp_get_col_prim(lp, j);

		if (glp_get_col_kind(lp, j) != GLP_CV) {
			if (fabs(x - floor(x + 0.5)) > 1e-9)
				return false;
			x = floor(x + 0.5);
		}
		obj += glp_get_obj_coef(lp, j) * x;
	}
	s->lp_integral = true;
	s->objective = obj;
	return true;
}

/* Whether glp_simplex failed on its starting basis (not on the LP). */
static bool basis_failed(int rc)
{
	return rc == GLP_EBADB || rc == GLP_ESING || rc == GLP_ECOND ||
	       rc == GLP_EFAIL;
}

/* The rounding's plan x (plan_round.c) as the solution, when time ran
 * out before branch and bound took it: its cost, and its gap to the LP
 * bound in s->objective. Takes x. */
static int take_first_plan(glp_prob *lp, struct solution *s, double *x)
{
	double obj = glp_get_obj_coef(lp, 0), bound = s->objective;

	for (int j = 1; j <= s->cols; j++)
		obj += glp_get_obj_coef(lp, j) * x[j];
	s->status = MODEL_PLAN_FEASIBLE;
	s->objective = obj;
	s->gap = fabs(obj - bound) / fmax(fabs(obj), 1e-9);
	s->val = x;
	return 0;
}

/* Bases for a solve besides the plan's own warm start (o->warm): the
 * one to start from (NULL: o->warm's, or a cold start), and one to keep
 * the LP optimum's in (NULL: none). whole_sessions starts from the
 * split plan's when the caller gave no o->warm (with one, the split
 * plan saved its basis there, unless it is frozen). */
struct bases {
	struct model_plan_warm *from, *keep;
};

/* Simplex (with presolve, which tells infeasibility apart; from the basis
 * of the plan before when there is one, or a large model's crash basis),
 * then branch and bound when there are integers and the LP optimum is
 * not integral. Return code and status are two separate checks: a zero
 * return is not an optimum. */
static int run_solver(struct plan_model *m, glp_prob *lp, struct solution *s,
		      const struct bases *bs, struct util_err *err)
{
	const struct model_plan_opts *o = m->opt;
	int msg = o->verbose ? GLP_MSG_ON : GLP_MSG_OFF, rc;
	struct model_plan_warm *from = bs ? bs->from : NULL;
	struct node_info ni = {&s->gap, NULL, false};
	double *first = NULL;
	glp_smcp sm;
	glp_iocp io;

	glp_init_smcp(&sm);
	sm.msg_lev = msg;
	sm.presolve = GLP_ON;
	sm.tm_lim = ms_left(m);
	if (!from && o->warm && !m->no_budget && !m->no_caps &&
	    !(m->one_venue && o->cold_whole))
		from = o->warm;
	if (from && plan_warm_apply(from, lp)) {
		/* from the basis of the plan before: primal simplex while it
		 * stays primal feasible (a price moved; a large model's on the
		 * columns that could enter, pricing the others in), dual when
		 * it stays dual feasible (a bound or size moved) */
		sm.presolve = GLP_OFF;
		if (glp_get_prim_stat(lp) != GLP_FEAS &&
		    glp_get_dual_stat(lp) == GLP_FEAS)
			sm.meth = GLP_DUALP;
		if (sm.meth == GLP_PRIMAL &&
		    s->cols >= (o->colgen_min_cols > 0 ? o->colgen_min_cols
						       : COLGEN_MIN_COLS))
			rc = plan_colgen_warm(m, lp, sm.msg_lev, sm.tm_lim,
					      &s->lp_rounds, &s->lp_priced);
		else
			rc = glp_simplex(lp, &sm);
		if (basis_failed(rc)) { /* the basis did not hold: cold */
			sm.presolve = GLP_ON;
			sm.meth = GLP_PRIMAL;
			rc = glp_simplex(lp, &sm);
		}
	} else if (s->cols >= CRASH_MIN_COLS ||
		   (o->colgen_min_cols > 0 && s->cols >= o->colgen_min_cols)) {
		/* from plan_build's starting basis, or a greedy one pricing
		 * columns in: no presolve; GLPK's scaling, or a large model's
		 * in linear time (plan_scale.c) */
		sm.presolve = GLP_OFF;
		if (s->cols >= (o->colgen_min_cols > 0 ? o->colgen_min_cols
						       : COLGEN_MIN_COLS)) {
			plan_scale(lp);
			rc = plan_colgen_simplex(m, lp, sm.msg_lev, sm.tm_lim,
						 &s->lp_rounds, &s->lp_priced);
		} else {
			glp_scale_prob(lp, GLP_SF_AUTO);
			rc = glp_simplex(lp, &sm);
		}
		if (basis_failed(rc)) { /* presolve's start, then */
			sm.presolve = GLP_ON;
			rc = glp_simplex(lp, &sm);
		}
	} else {
		rc = glp_simplex(lp, &sm);
	}
	s->iterations = glp_get_it_cnt(lp);
	if (rc == GLP_ENOPFS || (!rc && glp_get_status(lp) == GLP_NOFEAS)) {
		s->status = MODEL_PLAN_INFEASIBLE;
		return 0;
	}
	if (rc == GLP_ETMLIM) {
		s->status = MODEL_PLAN_NO_SOLUTION;
		return 0;
	}
	if (rc || glp_get_status(lp) != GLP_OPT)
		return util_err_set(err, UTIL_E_INTERNAL, "the LP solver failed "
				    "(glp_simplex %d, status %d)", rc,
				    glp_get_status(lp));
	s->status = MODEL_PLAN_OPTIMAL;
	s->objective = glp_get_obj_val(lp);
	if (o->warm && !m->no_budget && !m->no_caps && !m->elastic)
		plan_warm_save(o->warm, lp);
	if (bs && bs->keep)
		plan_warm_save(bs->keep, lp);
	/* the diagnosis (elastic) is the LP only */
	if (!s->integers || m->elastic || lp_integral(lp, s))
		return 0;
	glp_init_iocp(&io);
	io.msg_lev = msg;
	io.presolve = GLP_OFF; /* the simplex basis is the start */
	io.mip_gap = o->mip_gap;
	io.cb_func = on_node;
	io.cb_info = &ni;
	/* venue binaries (whole sessions): pseudocost branching, MIR cuts
	 * and clique cuts (on the venue rows' binaries, plan_venue.c) close
	 * bench/gen.sh 100 200 in 41 nodes, 61 without clique cuts; without
	 * MIR cuts it did not close in 60 s (bench/README.md) */
	if (m->one_venue) {
		io.br_tech = GLP_BR_PCH;
		io.mir_cuts = GLP_ON;
		io.clq_cuts = GLP_ON;
		/* a plan with every course whole to start from: with a time
		 * limit, one comes out (plan_round.c) */
		first = util_xcalloc((size_t)s->cols + 1, sizeof(double));
		if (m->none && plan_round_whole(m, lp, first))
			ni.start = first;
		ni.stop = o->first_plan;
	}
	if (ni.start && o->first_plan) /* for tests: the same path */
		return take_first_plan(lp, s, first);
	io.tm_lim = ms_left(m); /* one limit for every solver */
	rc = glp_intopt(lp, &io);
	if (ni.start && rc == GLP_ETMLIM &&
	    glp_mip_status(lp) != GLP_OPT && glp_mip_status(lp) != GLP_FEAS)
		/* the time ran out before branch and bound took the first
		 * plan (GLPK checks its limit before the root's callback) */
		return take_first_plan(lp, s, first);
	free(first);
	switch (glp_mip_status(lp)) {
	case GLP_OPT:
		s->status = MODEL_PLAN_OPTIMAL;
		s->gap = 0;
		break;
	case GLP_FEAS: /* time limit, or --gap reached: say the gap */
		s->status = MODEL_PLAN_FEASIBLE;
		break;
	case GLP_NOFEAS:
		s->status = MODEL_PLAN_INFEASIBLE;
		return 0;
	default:
		if (rc == GLP_ETMLIM) {
			s->status = MODEL_PLAN_NO_SOLUTION;
			return 0;
		}
		return util_err_set(err, UTIL_E_INTERNAL, "the MIP solver "
				    "failed (glp_intopt %d)", rc);
	}
	s->objective = glp_mip_obj_val(lp);
	return 0;
}

static void read_values(glp_prob *lp, struct solution *s)
{
	s->val = util_xcalloc((size_t)s->cols + 1, sizeof(double));
	for (int j = 1; j <= s->cols; j++) {
		s->val[j] = s->integers && !s->lp_integral
				    ? glp_mip_col_val(lp, j)
				    : glp_get_col_prim(lp, j);
		if (s->lp_integral && glp_get_col_kind(lp, j) != GLP_CV)
			s->val[j] = floor(s->val[j] + 0.5);
	}
}

/* Builds and solves m; the GLPK environment is freed before it returns,
 * whatever happens. */
static int solve(struct plan_model *m, struct solution *s,
		 const struct bases *bs, struct util_buf *log,
		 struct util_err *err)
{
	glp_prob *volatile lp = NULL;
	volatile int rc = 0;

	memset(s, 0, sizeof(*s));
	glpk_log = log;
	if (setjmp(glpk_jump)) {
		glpk_log = NULL;
		return util_err_set(err, UTIL_E_INTERNAL, "GLPK failed: %.300s",
				    util_buf_str(log));
	}
	/* GLPK aborts when its environment cannot be allocated: say so as
	 * every other allocation does (2: insufficient memory) */
	if (glp_init_env() == 2)
		util_oom();
	glp_error_hook(on_glpk_error, NULL);
	glp_term_hook(on_glpk_term, NULL);
	lp = glp_create_prob();
	plan_build(m, lp);
	s->rows = glp_get_num_rows(lp);
	s->cols = glp_get_num_cols(lp);
	s->integers = m->elastic ? 0 : glp_get_num_int(lp);
	if (m->opt->dump_lp && !m->no_budget && !m->no_caps && !m->elastic)
		rc = dump_lp(lp, m->opt->dump_lp, err);
	if (!rc)
		rc = run_solver(m, lp, s, bs, err);
	if (!rc && !s->val && (s->status == MODEL_PLAN_OPTIMAL ||
			       s->status == MODEL_PLAN_FEASIBLE))
		read_values(lp, s);
	glp_delete_prob(lp);
	glp_free_env();
	glpk_log = NULL;
	return rc;
}

static struct model_plan_assignment *assignment(struct plan_model *m,
						struct model_plan *p,
						const struct xcol *x)
{
	const struct cand *c = &m->cands[x->c];
	struct model_plan_assignment *a;

	for (size_t i = 0; i < p->nassign; i++)
		if (p->assign[i].w == m->wls[x->w].w &&
		    !strcmp(p->assign[i].venue, c->name))
			return &p->assign[i];
	p->assign = util_xreallocarray(p->assign, p->nassign + 1,
				       sizeof(*p->assign));
	a = &p->assign[p->nassign++];
	memset(a, 0, sizeof(*a));
	a->w = m->wls[x->w].w;
	a->offer = c->offer;
	a->venue = util_xstrdup(c->name);
	a->family = c->family;
	a->accel = c->accel->name;
	/* services and sessions: the peak their share holds (below) */
	a->devices = m->wls[x->w].peak ? 0 : x->devices;
	if (a->w->kind == MODEL_TEACHING && m->opt->headroom &&
	    c->kind != CAND_POOL && c->kind != CAND_EDGE)
		a->lead_s = (m->opt->headroom[x->w] - 1) *
			    a->w->teaching.duration;
	a->period_device_hours = util_xcalloc((size_t)m->nperiods,
					      sizeof(double));
	return a;
}

/* Spreads a column's device-hours over the periods it covers. */
static void spread(const struct plan_model *m, const struct xcol *x,
		   double dh, double *period)
{
	const struct wl *w = &m->wls[x->w];
	int t0 = x->b >= 0 ? m->block_start[x->b] : w->first;
	int t1 = x->b >= 0 ? m->block_start[x->b + 1] : w->last + 1;
	double total = 0;

	for (int t = t0; t < t1; t++)
		total += w->frac[t];
	for (int t = t0; t < t1 && total > 0; t++)
		period[t] += dh * w->frac[t] / total;
}

/* n units of group g of k into p's purchases, with their costs. */
static void add_purchase(const struct plan_model *m, const struct cand *k,
			 int g, double n, struct model_plan *p)
{
	struct model_plan_purchase *b;
	double left = 1 - plan_order_time(m, k, g) / m->s->horizon;

	if (n < 1e-9)
		return;
	p->buy = util_xreallocarray(p->buy, p->nbuy + 1, sizeof(*p->buy));
	b = &p->buy[p->nbuy++];
	memset(b, 0, sizeof(*b));
	b->offer = k->offer;
	b->accel = k->accel->name;
	b->unit = k->unit;
	b->count = lround(n) * k->unit;
	b->capex = (double)b->count * k->capex_net * left;
	b->available_period = k->kind == CAND_POOL ? k->gstart[g]
						   : k->avail_period;
	b->lead = k->lead_s;
	b->order_by = b->available_period * m->period_s - k->lead_s;
	b->short_first = b->short_last = -1;
	p->cost[MODEL_COST_CAPEX] += b->capex;
	p->cost[MODEL_COST_MAINTENANCE] +=
		(double)b->count * k->maintenance * left;
	b->hosting = (double)b->count * k->hosting * plan_hosted_s(m, k, g);
	p->cost[MODEL_COST_HOSTING] += b->hosting;
}

/* The waiting delay_cost prices (plan_delay_weight): for each block,
 * the work come and not yet served at its end, for the block's time.
 * *constant gets the part the LP leaves out (all work waiting). */
static double delay_of(const struct plan_model *m, const struct solution *s,
		       double *constant)
{
	double sum = 0;

	*constant = 0;
	for (size_t w = 0; w < m->nwls; w++) {
		const struct wl *x = &m->wls[w];
		double done = 0;

		if (!(plan_delay_weight(m, x, 0) > 0))
			continue;
		for (int b = 0; b < m->nblocks && m->block_start[b] <= x->last;
		     b++) {
			double waiting, k = x->w->delay_cost * m->period_s *
					    plan_block_len(m, b);

			for (size_t i = 0; i < m->nx; i++)
				if ((size_t)m->x[i].w == w && m->x[i].b == b)
					done += s->val[i + 1];
			waiting = fmax(plan_arrived(x, m->block_start[b + 1] -
							       1) -
					       done,
				       0);
			sum += k * waiting;
			*constant += k * plan_arrived(x,
						      m->block_start[b + 1] - 1);
		}
	}
	return sum;
}

/* Workload w's share v of column x into p. */
double plan_share_weight(const struct plan_model *m, const struct wl *w, int b)
{
	double active = 0;

	if (!w->periodic)
		return 1;
	for (int t = w->first; t <= w->last; t++)
		active += w->frac[t];
	return plan_block_len(m, b) * w->frac[m->block_start[b]] / active;
}

static void extract_col(struct plan_model *m, struct model_plan *p,
			const struct xcol *x, double v)
{
	const struct wl *w = &m->wls[x->w];
	struct model_plan_assignment *a = assignment(m, p, x);

	a->share += v * plan_share_weight(m, w, x->b);
	a->device_hours += v * x->dh;
	a->energy_kwh += v * x->kwh;
	spread(m, x, v * x->dh, a->period_device_hours);
	if (w->peak && ceil(v * x->peak - 1e-6) > a->devices)
		a->devices = (int)ceil(v * x->peak - 1e-6);
	if (w->w->pinned) /* what the user fixed */
		a->devices = (int)w->w->pin_devices;
	for (int k = 0; k < MODEL_NCOSTS; k++) {
		a->cost += v * x->cost[k];
		p->cost[k] += v * x->cost[k];
	}
}

/* The workload whose columns stand for w's (plan_agg.c). */
static size_t stands_for(const struct plan_model *m, size_t w)
{
	return m->group ? (size_t)m->group[w] : w;
}

static void extract(struct plan_model *m, const struct solution *s,
		    struct model_plan *p)
{
	size_t *first = util_xcalloc(m->nwls + 2, sizeof(*first));

	/* each workload's columns are one run: where it starts */
	for (size_t i = m->nx; i-- > 0;)
		first[m->x[i].w] = i + 1;
	/* workload by workload, in the order of the unmerged model */
	for (size_t w = 0; w < m->nwls; w++) {
		size_t g = stands_for(m, w);

		for (size_t i = first[g] ? first[g] - 1 : m->nx;
		     i < m->nx && (size_t)m->x[i].w == g; i++) {
			struct xcol x = m->x_unit ? m->x_unit[i] : m->x[i];

			if (s->val[i + 1] < 1e-9)
				continue;
			x.w = (int)w;
			extract_col(m, p, &x, s->val[i + 1]);
		}
	}
	free(first);
	for (size_t c = 0; c < m->ncands; c++) {
		const struct cand *k = &m->cands[c];
		double n = k->int_col ? s->val[k->int_col] : 0;

		if (k->kind == CAND_COMMIT && n > 1e-9)
			p->cost[MODEL_COST_COMMITMENT] += n * k->commit_fixed;
		for (int g = 0; k->kind != CAND_COMMIT && k->int_col &&
				g < k->ngroups;
		     g++)
			add_purchase(m, k, g, s->val[k->gcol[g]], p);
	}
	for (int k = 0; k < MODEL_NCOSTS; k++)
		p->cost[k] += m->fixed_cost[k];
	p->total_cost = 0;
	for (int k = 0; k < MODEL_NCOSTS; k++)
		p->total_cost += p->cost[k];
}

/* Why a family has no candidate at all for anyone. */
static const char *absent_reason(const struct plan_model *m,
				 enum pricing_family f)
{
	if (m->opt->family >= 0 && (int)f != m->opt->family)
		return "left out (--family)";
	if (!(m->s->venues.allow & (1u << f)))
		return "not allowed (venues.allow)";
	if (f == PRICING_ONPREM)
		return "nothing owned or to buy (venues.onprem)";
	if (f == PRICING_ACADEMIC && m->s->venues.rgu_years <= 0)
		return "no allocation (venues.academic.allocation)";
	return "no offer in the catalog passes the scenario's restrictions";
}

/* Which (workload, block) some column serves, in one pass over the
 * columns: [w * (nblocks + 1)] for anywhere in the window, [... + 1 + b]
 * for block b (a whole-window column serves every block). Caller frees. */
static bool *served_blocks(const struct plan_model *m)
{
	size_t nb1 = (size_t)m->nblocks + 1;
	bool *on = util_xcalloc(m->nwls * nb1 + 1, sizeof(bool));

	for (size_t i = 0; i < m->nx; i++) {
		const struct xcol *x = &m->x[i];
		bool *row = &on[(size_t)x->w * nb1];

		row[0] = true;
		if (x->b >= 0)
			row[1 + x->b] = true;
		else
			for (size_t b = 1; b < nb1; b++)
				row[b] = true;
	}
	return on;
}

/* A workload with a period no column can serve: say why for each
 * family, in one paragraph. */
static void explain_workload(struct plan_model *m, size_t w,
			     struct util_buf *why)
{
	util_buf_printf(why, "no venue can run '%s':\n", m->wls[w].w->name);
	for (int f = 0; f < PRICING_NFAMILIES; f++) {
		bool any = false;

		/* in-house exists only for a scenario that names it */
		if (f == PRICING_INHOUSE &&
		    !(m->s->venues.allow & (1u << f)))
			continue;
		for (size_t c = 0; c < m->ncands; c++)
			any |= (int)m->cands[c].family == f;
		util_buf_printf(why, "  %s: %s\n", pricing_family_names[f],
				m->reason[w][f] ? m->reason[w][f]
				: any ? "no offer fits"
				      : absent_reason(m, f));
	}
}

static bool structurally_feasible(struct plan_model *m, struct util_buf *why)
{
	size_t nb1 = (size_t)m->nblocks + 1;
	bool ok = true, *on = served_blocks(m);

	for (size_t w = 0; w < m->nwls; w++) {
		const struct wl *x = &m->wls[w];
		size_t g = stands_for(m, w);
		bool served = !x->periodic ? on[g * nb1] : true;

		for (int b = 0; x->periodic && b < m->nblocks; b++) {
			int t0 = m->block_start[b];

			if (t0 >= x->first && t0 <= x->last &&
			    x->frac[t0] > 0 && !on[g * nb1 + 1 + (size_t)b])
				served = false;
		}
		if (!served) {
			explain_workload(m, w, why);
			ok = false;
		}
	}
	free(on);
	return ok;
}

/* Entities whose workloads cost more than their budget in s, the plan
 * without budgets: one line each in why. Returns whether there was one. */
static bool explain_entities(const struct plan_model *m,
			     const struct solution *s, struct util_buf *why)
{
	const struct model_scenario *sc = m->s;
	double *cost = util_xcalloc(sc->nentities + 1, sizeof(double));
	bool any = false;
	char b[64], c[64];

	for (size_t i = 0; s->val && i < m->nx; i++) {
		int e = m->wls[m->x[i].w].w->entity;

		for (int k = 0; e >= 0 && k < MODEL_NCOSTS; k++)
			cost[e] += s->val[i + 1] * m->x[i].cost[k];
	}
	for (size_t e = 0; e < sc->nentities; e++) {
		const struct model_entity *en = &sc->entities[e];

		if (en->budget < 0 || cost[e] <= en->budget * (1 + 1e-9))
			continue;
		util_buf_printf(why, "the budget of entity '%s' (%s, line "
				"%d) is too small: its workloads cost %s in "
				"the cheapest plan without budgets\n",
				en->name,
				util_fmt_money(b, sizeof(b), en->budget,
					       sc->currency, false),
				en->line,
				util_fmt_money(c, sizeof(c), cost[e],
					       sc->currency, false));
		any = true;
	}
	free(cost);
	return any;
}

/* Whether a solve of the diagnosis ran out of the plan's time (its
 * deadline, --time-limit): then why says so, not a reason it could not
 * check. */
static bool out_of_time(const struct solution *s, struct util_buf *why)
{
	if (s->status != MODEL_PLAN_NO_SOLUTION)
		return false;
	util_buf_puts(why, "no plan meets the constraints, and the time "
		      "limit ran out before the reason was found (raise "
		      "--time-limit)\n");
	return true;
}

/* With the budgets left out: the LP with slack on the demand (m->elastic)
 * says which work cannot be served when, and how short it falls; *late
 * when it ran out of time (why says so). */
static int explain_shortfall(struct plan_model *m, struct util_buf *why,
			     bool *late, struct util_buf *log,
			     struct util_err *err)
{
	struct solution s;
	int rc;

	m->elastic = true;
	rc = solve(m, &s, NULL, log, err);
	m->elastic = false;
	*late = !rc && out_of_time(&s, why);
	if (!rc && s.status == MODEL_PLAN_OPTIMAL && s.val)
		plan_explain_shortfall(m, s.val, why);
	free(s.val);
	return rc;
}

/* The dearest period of solution s (money paid in it, as
 * model_plan_period_costs counts it) into *most, the cheapest into
 * *least; returns the dearest's index. */
static size_t dearest_period(struct plan_model *m, const struct solution *s,
			     double *most, double *least)
{
	struct model_plan p;
	double *cash = util_xcalloc((size_t)m->nperiods, sizeof(*cash));
	size_t t = 0;

	memset(&p, 0, sizeof(p));
	p.nperiods = (size_t)m->nperiods;
	p.period_s = m->period_s;
	extract(m, s, &p);
	model_plan_orders(m->s, &p);
	model_plan_period_costs(&p, cash);
	*least = cash[0];
	for (size_t i = 1; i < p.nperiods; i++) {
		if (cash[i] > cash[t] + 1e-9)
			t = i;
		*least = fmin(*least, cash[i]);
	}
	*most = cash[t];
	free(cash);
	model_plan_release(&p);
	return t;
}

/* The budget, else the spend cap, cannot hold the cheapest plan without
 * them, solution s: why says which, with the amounts (for the cap, the
 * period the plan spends most in). */
static void money_binds(struct plan_model *m, const struct solution *s,
			struct util_buf *why)
{
	const struct model_scenario *sc = m->s;
	const struct model_constraints *k = &sc->constraints;
	char limit[64], cost[64], most[64], when[64];
	double total = s->objective + m->fixed, dearest, cheapest;
	size_t t;

	util_fmt_money(cost, sizeof(cost), total, sc->currency, false);
	if (k->budget >= 0 && total > k->budget) {
		util_buf_printf(why, "the budget of %s is too small: the "
				"cheapest plan costs %s\n",
				util_fmt_money(limit, sizeof(limit), k->budget,
					       sc->currency, false),
				cost);
		return;
	}
	t = dearest_period(m, s, &dearest, &cheapest);
	/* the same spend every period: no period to name */
	if (dearest - cheapest <= 0.005 * dearest)
		snprintf(when, sizeof(when), "every %s",
			 model_period_names[sc->period]);
	else
		snprintf(when, sizeof(when), "in %s %zu, its dearest",
			 model_period_names[sc->period], t + 1);
	util_buf_printf(why, "the spend cap of %s per %s cannot be met: the "
			"cheapest plan without it spends %s %s (%s in "
			"all)\n",
			util_fmt_money(limit, sizeof(limit), k->spend_cap,
				       sc->currency, false),
			model_period_names[sc->period],
			util_fmt_money(most, sizeof(most), dearest,
				       sc->currency, false),
			when, cost);
}

static void venue_shortfall(const struct plan_model *m, struct util_buf *why);

/* The solver found no plan: solve again without the budget, then without
 * capacity limits, to say which binds. */
static int explain_solver(struct plan_model *m, struct util_buf *why,
			  struct util_buf *log, struct util_err *err)
{
	struct solution s;
	bool late;
	int rc;

	if (m->one_venue) { /* is it the sessions kept whole? */
		m->one_venue = false;
		free(m->venue_used);
		m->venue_used = NULL;
		rc = solve(m, &s, NULL, log, err);
		free(s.val);
		if (rc || out_of_time(&s, why))
			return rc;
		if (s.status == MODEL_PLAN_OPTIMAL ||
		    s.status == MODEL_PLAN_FEASIBLE) {
			util_buf_printf(why, "no single venue can hold every "
					"session of %s at once (teaching "
					"sessions stay on one venue: "
					"'one_venue: false' lets the plan "
					"split them)\n", m->split);
			venue_shortfall(m, why);
			return 0;
		}
	}
	m->no_budget = true;
	rc = solve(m, &s, NULL, log, err);
	if (rc || out_of_time(&s, why)) {
		free(s.val);
		return rc;
	}
	if ((s.status == MODEL_PLAN_OPTIMAL ||
	     s.status == MODEL_PLAN_FEASIBLE) &&
	    explain_entities(m, &s, why)) {
		free(s.val);
		return 0;
	}
	if (s.status == MODEL_PLAN_OPTIMAL || s.status == MODEL_PLAN_FEASIBLE) {
		money_binds(m, &s, why);
		free(s.val);
		return 0;
	}
	free(s.val);
	rc = explain_shortfall(m, why, &late, log, err);
	if (rc || late)
		return rc;
	m->no_caps = true;
	rc = solve(m, &s, NULL, log, err);
	free(s.val);
	if (rc || out_of_time(&s, why))
		return rc;
	if (s.status == MODEL_PLAN_OPTIMAL || s.status == MODEL_PLAN_FEASIBLE)
		util_buf_puts(why, "capacity binds: a purchase limit "
			      "(venues.onprem.buy max), the market cap "
			      "(venues.decentralized.max_gpus), the devices a "
			      "rented offer gives at once (max_devices) or the "
			      "shared link (venues.onprem.link) cannot carry "
			      "the load\n");
	else
		util_buf_puts(why, "capacity binds: the devices owned (until "
			      "the end of their life), the lead times of "
			      "purchases or the academic allocation (a yearly "
			      "rate, and a ceiling on what a session or service "
			      "holds at once) cannot serve the load when it "
			      "comes\n");
	return 0;
}

static int setup(struct plan_model *m, const struct model_scenario *s,
		 const struct model_plan_opts *opt, struct util_err *err)
{
	int rc;

	memset(m, 0, sizeof(*m));
	m->s = s;
	m->opt = opt;
	if (opt->time_limit_s > 0) /* for every solve of this plan */
		m->deadline = util_now_s() + opt->time_limit_s;
	m->period_s = period_seconds[s->period];
	m->period_h = m->period_s / MODEL_HOUR;
	m->nperiods = (int)ceil(s->horizon / m->period_s - 1e-9);
	if (m->nperiods < 1)
		m->nperiods = 1;
	m->reason = util_xcalloc(s->nworkloads + 1, sizeof(*m->reason));
	m->reason_rank =
		util_xcalloc(s->nworkloads + 1, sizeof(*m->reason_rank));
	if (opt->warm)
		plan_warm_take_cols(opt->warm, &m->x, &m->x_alloc);
	rc = 0;
	if (opt->headroom)
		model_estimate_load(s, opt->headroom, &m->est);
	else
		rc = model_estimate(s, NULL, NULL, &m->est, err);
	if (!rc)
		rc = plan_candidates(m, err);
	if (!rc)
		plan_columns(m);
	if (!rc && !opt->no_reduce) {
		plan_prune(m);
		plan_aggregate(m);
	}
	return rc;
}

/* The share of w's sessions candidate c can hold alone: its devices at
 * once over peak, the most w's sessions hold there (1: no limit). */
static double cand_share(const struct plan_model *m, size_t c, double peak)
{
	const struct cand *k = &m->cands[c];
	double limit = -1;

	if (k->kind == CAND_RENT && !m->no_caps)
		limit = model_offer_limit(m->s, k->offer);
	if (k->kind == CAND_POOL && k->buy_max >= 0)
		limit = (double)(k->owned + k->buy_max);
	return limit < 0 || peak <= limit ? 1 : limit / peak;
}

/* For each venue v of course w: share[v], how much of w's sessions it
 * can hold alone (its candidates' shares added up), and cost[v], what w
 * costs on its cheapest candidate over its whole demand (-1: w has no
 * column there). One pass over the columns: per course and candidate
 * it took 1.2 s of CPU on bench/gen.sh 400 200 (perf, 100 courses). */
static void venue_room(const struct plan_model *m, size_t w, double *share,
		       double *cost)
{
	size_t nc = m->ncands, n = 0;
	double *peak = util_xcalloc(nc + 1, sizeof(double));
	double *sum = util_xcalloc(nc + 1, sizeof(double));
	size_t *order = util_xcalloc(nc + 1, sizeof(size_t));
	unsigned char *seen = util_xcalloc(nc + 1, 1);

	for (size_t c = 0; c < nc; c++) {
		cost[c] = -1;
		share[c] = 0;
	}
	for (size_t i = 0; i < m->nx; i++) {
		const struct xcol *x = &m->x[i];
		size_t c = (size_t)x->c;

		if ((size_t)x->w != w)
			continue;
		if (!seen[c])
			order[n++] = c;
		seen[c] = 1;
		peak[c] = fmax(peak[c], x->peak);
		for (int k = 0; k < MODEL_NCOSTS; k++)
			sum[c] += x->cost[k];
	}
	for (size_t i = 0; i < n; i++) { /* in the order first seen */
		size_t c = order[i], v = (size_t)m->venue[c];

		share[v] += cand_share(m, c, peak[c]);
		if (cost[v] < 0 || sum[c] < cost[v])
			cost[v] = sum[c];
	}
	free(peak);
	free(sum);
	free(order);
	free(seen);
}

/* The venue v (a candidate index standing for it) in words: "runpod
 * (gpuaas)", "aws us-east-1 (cloud)", "the on-prem pools", "cluster fir" */
static void venue_label(const struct plan_model *m, size_t v, char *buf,
			size_t size)
{
	const struct cand *k = &m->cands[v];
	const struct pricing_offer *o = k->offer;

	if (k->kind == CAND_POOL)
		snprintf(buf, size, "the on-prem pools");
	else if (k->kind == CAND_ACADEMIC && o && o->cluster)
		snprintf(buf, size, "cluster %s", o->cluster);
	else if (o && o->region)
		snprintf(buf, size, "%s %s (%s)", o->provider, o->region,
			 pricing_family_names[k->family]);
	else if (o)
		snprintf(buf, size, "%s (%s)", o->provider,
			 pricing_family_names[k->family]);
	else
		snprintf(buf, size, "%s", k->name);
}

/* After "no single venue can hold every session of ...": for each
 * course kept whole that no venue can hold alone (venue_room), the venue
 * that holds the most of it, how many of its students that is, how many
 * are left over, and from which week of the horizon (its first session
 * week; every session week of the occurrence is as short). A course that
 * some venue holds alone is not named: it is the courses together that
 * do not fit. */
static void venue_shortfall(const struct plan_model *m, struct util_buf *why)
{
	size_t nc = m->ncands;
	double *room = util_xcalloc(nc + 1, sizeof(double));
	double *cost = util_xcalloc(nc + 1, sizeof(double));

	for (size_t w = 0; w < m->nwls; w++) {
		const struct model_workload *wl = m->wls[w].w;
		double best = 0, students = (double)wl->teaching.students;
		size_t bv = 0;
		char name[160], a[32], b[32], c[32];
		long held;

		if (wl->kind != MODEL_TEACHING || !plan_one_venue(m, w))
			continue;
		venue_room(m, w, room, cost);
		for (size_t v = 0; v < nc; v++)
			if (cost[v] >= 0 && room[v] > best) {
				best = room[v];
				bv = v;
			}
		if (best >= 1 - 1e-9)
			continue;
		held = (long)floor(best * students + 1e-9);
		if (best <= 0) {
			util_buf_printf(why, "  '%s': no venue can hold any of "
					"its %s students\n", wl->name,
					util_fmt_grouped(b, sizeof(b),
							 students));
			continue;
		}
		venue_label(m, bv, name, sizeof(name));
		util_buf_printf(why, "  '%s': the largest venue, %s, holds %s "
				"of its %s students at once: short by %s, "
				"in every session week from week %.0f\n",
				wl->name, name,
				util_fmt_grouped(a, sizeof(a), (double)held),
				util_fmt_grouped(b, sizeof(b), students),
				util_fmt_grouped(c, sizeof(c),
						 students - (double)held),
				floor(wl->start / MODEL_WEEK) + 1);
	}
	free(room);
	free(cost);
}

/* Teaching sessions on one venue (docs/formulation.md): when the first
 * solve, without integers for venues, splits a course over venues, solve
 * again with a binary y[w,v] for each course and each venue that can hold
 * all its sessions alone (venue_room; the others could never be chosen),
 * one row per venue and block linking them (plan_venue.c). The optimum of
 * that is the optimum with every course whole. */
static int whole_sessions(struct plan_model *m, struct solution *sol,
			  struct model_plan_warm *split_basis,
			  struct util_buf *log, struct util_err *err)
{
	struct bases bs = {split_basis, NULL};
	size_t nc = m->ncands;
	struct util_buf split;
	unsigned char *used;
	double *room, *cost;

	if (!sol->val)
		return 0;
	used = util_xcalloc(m->nwls * nc + 1, 1);
	for (size_t i = 0; i < m->nx; i++) {
		const struct xcol *x = &m->x[i];

		if (plan_one_venue(m, (size_t)x->w) && sol->val[i + 1] > 1e-7)
			used[(size_t)x->w * nc + (size_t)m->venue[x->c]] = 1;
	}
	util_buf_init(&split);
	for (size_t w = 0; w < m->nwls; w++) {
		size_t n = 0;

		for (size_t c = 0; c < nc; c++)
			n += used[w * nc + c];
		if (n > 1)
			util_buf_printf(&split, "%s'%s'", split.len ? ", " : "",
					m->wls[w].w->name);
	}
	free(used);
	if (!split.len) {
		util_buf_release(&split);
		return 0;
	}
	m->split = util_buf_detach(&split);
	util_buf_release(&split);
	m->venue_used = util_xcalloc(m->nwls * nc + 1, 1);
	room = util_xcalloc(nc + 1, sizeof(double));
	cost = util_xcalloc(nc + 1, sizeof(double));
	for (size_t w = 0; w < m->nwls; w++) {
		if (!plan_one_venue(m, w))
			continue;
		venue_room(m, w, room, cost);
		for (size_t v = 0; v < nc; v++)
			m->venue_used[w * nc + v] =
				room[v] >= 1 - 1e-9 && cost[v] >= 0;
	}
	free(room);
	free(cost);
	m->one_venue = true;
	free(sol->val);
	return solve(m, sol, &bs, log, err);
}

/* The closed loop's later rounds (model_plan_opts.keep_venues): each
 * course the plan before has whole on one venue is kept there (its
 * columns elsewhere closed, so it needs no venue binary), unless
 * rechoose[w]. Each round of the loop would otherwise search the venues
 * of every course again, a branch and bound per round (bench/README.md:
 * 20 courses, 5 rounds, 17.9 s of CPU). */
static void keep_venues(struct plan_model *m, const struct model_plan *prev,
			const bool *rechoose)
{
	size_t nc = m->ncands;
	/* [w]: the venue of w's assignments, -1 none yet, -2 not one */
	int *at = util_xcalloc(m->nwls + 1, sizeof(int));
	unsigned char *keep = NULL;

	for (size_t w = 0; w < m->nwls; w++)
		at[w] = -1;
	for (size_t i = 0; i < prev->nassign; i++) {
		const struct model_plan_assignment *a = &prev->assign[i];
		size_t w = (size_t)(a->w - m->s->workloads), c = 0;

		if (!(a->share > 1e-9) || at[w] == -2)
			continue;
		while (c < nc && strcmp(m->cands[c].name, a->venue))
			c++;
		at[w] = c < nc && (at[w] < 0 || at[w] == m->venue[c])
				? m->venue[c]
				: -2;
	}
	for (size_t w = 0; w < m->nwls; w++) {
		if (at[w] < 0 || !plan_one_venue(m, w) ||
		    (rechoose && rechoose[w]))
			continue;
		if (!keep) {
			keep = util_xcalloc(m->nwls * nc + 1, 1);
			memset(keep, 1, m->nwls * nc);
		}
		memset(keep + w * nc, 0, nc);
		keep[w * nc + (size_t)at[w]] = 1;
	}
	free(at);
	m->venue_keep = keep;
}

int model_plan(const struct model_scenario *s,
	       const struct model_plan_opts *opt, struct model_plan *out,
	       struct util_err *err)
{
	struct plan_model m;
	struct solution sol = {0};
	struct bases bs = {NULL, NULL};
	struct util_buf why, log;
	int rc;

	memset(out, 0, sizeof(*out));
	util_buf_init(&why);
	util_buf_init(&log);
	rc = setup(&m, s, opt, err);
	if (!rc && opt->keep_venues && opt->keep_venues->venue_search)
		keep_venues(&m, opt->keep_venues, opt->rechoose);
	out->nperiods = (size_t)m.nperiods;
	out->period_s = m.period_s;
	if (!rc && !structurally_feasible(&m, &why))
		out->status = MODEL_PLAN_INFEASIBLE;
	else if (!rc) {
		/* the split plan's optimal basis, for the solve with whole
		 * sessions to start from (whole_sessions): 32 s of its LP
		 * become 3 s on bench/gen.sh 400 200 (bench/README.md) */
		for (size_t w = 0;
		     w < m.nwls && !bs.keep && !opt->warm && !opt->cold_whole;
		     w++)
			if (plan_one_venue(&m, w))
				bs.keep = model_plan_warm_new();
		rc = solve(&m, &sol, &bs, &log, err);
	}
	if (!rc && !why.len)
		rc = whole_sessions(&m, &sol, bs.keep, &log, err);
	model_plan_warm_free(bs.keep);
	if (!rc && !why.len) {
		out->status = sol.status;
		out->rows = (size_t)sol.rows;
		out->cols = (size_t)sol.cols;
		out->integers = (size_t)sol.integers;
		out->iterations = sol.iterations;
		out->lp_rounds = sol.lp_rounds;
		out->lp_priced = sol.lp_priced;
		/* a kept venue came from the search of a round before; a
		 * search cut short (a time limit, the rounding's plan) is
		 * not kept: the next round searches again */
		out->kept = m.venue_keep != NULL;
		out->venue_search = (m.split && sol.status ==
						    MODEL_PLAN_OPTIMAL) ||
				    out->kept;
		if (sol.status == MODEL_PLAN_INFEASIBLE)
			rc = explain_solver(&m, &why, &log, err);
		else if (sol.val) {
			out->objective = sol.objective;
			out->gap = sol.gap;
			double constant;

			extract(&m, &sol, out);
			plan_peak_devices(&m, out);
			plan_runner_up(&m, out);
			model_plan_orders(s, out);
			out->delay = delay_of(&m, &sol, &constant);
			if (opt->objective != MODEL_OBJECTIVE_TIME)
				out->objective += constant;
		}
	}
	if (why.len)
		out->why = util_buf_detach(&why);
	if (opt->verbose && log.len)
		out->log = util_buf_detach(&log);
	util_buf_release(&why);
	util_buf_release(&log);
	free(sol.val);
	plan_model_release(&m);
	return rc;
}

void model_plan_release(struct model_plan *p)
{
	for (size_t i = 0; i < p->nassign; i++) {
		free(p->assign[i].venue);
		free(p->assign[i].period_device_hours);
		free(p->assign[i].runner_up);
	}
	free(p->assign);
	for (size_t i = 0; i < p->nbuy; i++)
		free(p->buy[i].short_who);
	free(p->buy);
	free(p->why);
	free(p->log);
	memset(p, 0, sizeof(*p));
}
