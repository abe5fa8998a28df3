/* The columns of the plan: which workload may run on which candidate,
 * in which blocks of periods, and what a unit of it uses and costs. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plan_int.h"

#define GB 1e9

static bool is_periodic(const struct model_workload *w)
{
	if (w->kind != MODEL_RESEARCH)
		return true;
	return w->research.profile == MODEL_APPLIED &&
	       w->research.stream_rate > 0;
}

static void setup_workload(struct plan_model *m, size_t i)
{
	const struct model_workload *w = &m->s->workloads[i];
	struct wl *x = &m->wls[i];
	double end = w->deadline > 0 ? w->deadline : m->s->horizon;

	x->work_periods = (fmin(end, m->nperiods * m->period_s) - w->start) /
			  m->period_s;
	if (w->deadline > 0 && m->opt->finish_early)
		end -= (end - w->start) * m->opt->finish_early[i];

	if (w->kind == MODEL_TEACHING)
		end = fmin(m->s->horizon,
			   w->start + w->teaching.weeks * MODEL_WEEK);
	x->w = w;
	x->est = &m->est.wl[i];
	x->periodic = is_periodic(w);
	x->peak = w->kind == MODEL_TEACHING || w->kind == MODEL_INFERENCE;
	x->first = (int)floor(w->start / m->period_s);
	x->last = (int)ceil(end / m->period_s - 1e-9) - 1;
	if (x->last >= m->nperiods)
		x->last = m->nperiods - 1;
	x->window_h = (end - w->start) / MODEL_HOUR;
	x->frac = util_xcalloc((size_t)m->nperiods, sizeof(*x->frac));
	for (int t = x->first; t <= x->last; t++) {
		double a = fmax(t * m->period_s, w->start);
		double b = fmin((t + 1) * m->period_s, end);

		x->frac[t] = fmax(b - a, 0) / m->period_s;
	}
	if (!x->periodic && model_demand_timed(w)) {
		x->share = util_xcalloc((size_t)m->nperiods,
					sizeof(*x->share));
		model_demand_shares(w, end, m->period_s, m->nperiods,
				    x->share);
		x->flexp = model_demand_flex_periods(w, m->period_s,
						     m->nperiods);
	}
}

/* Whether w's demand per active period changes weight at period t. */
static bool weight_changes(const struct wl *x, int t)
{
	double a = x->share[t] / x->frac[t];
	double b = x->share[t - 1] / x->frac[t - 1];

	return fabs(a - b) > 1e-12 * fmax(a, b);
}

/* Cuts where a shaped demand changes weight from one period to the
 * next (the month changes and its weight with it), and flexp periods
 * after each change of timed work that may wait, where what must have
 * been served by then changes pace. */
static void demand_cuts(const struct plan_model *m, bool *cut)
{
	for (size_t i = 0; i < m->nwls; i++) {
		const struct wl *x = &m->wls[i];

		if (!x->share)
			continue;
		for (int t = x->first; t <= x->last + 1; t++) {
			bool change = t == x->first || t == x->first + 1 ||
				      t == x->last + 1 ||
				      (x->w->shaped && weight_changes(x, t));

			if (!change)
				continue;
			cut[t] = true;
			if (x->flexp > 0 && t + x->flexp <= m->nperiods)
				cut[t + x->flexp] = true;
		}
	}
}

/* Periods are cut where any workload starts or ends (its first and last
 * periods may be partial), where bought devices arrive and where a
 * shaped demand changes weight. */
static void make_blocks(struct plan_model *m)
{
	bool *cut = util_xcalloc((size_t)m->nperiods + 1, sizeof(*cut));

	cut[0] = cut[m->nperiods] = true;
	for (size_t i = 0; i < m->nwls; i++) {
		int v[4] = {m->wls[i].first, m->wls[i].first + 1,
			    m->wls[i].last, m->wls[i].last + 1};

		for (int k = 0; k < 4; k++)
			if (v[k] >= 0 && v[k] <= m->nperiods)
				cut[v[k]] = true;
	}
	for (size_t c = 0; c < m->ncands; c++) {
		const struct cand *k = &m->cands[c];

		if (k->avail_period >= 0 && k->avail_period <= m->nperiods)
			cut[k->avail_period] = true;
		/* owned devices' end of life: the period it falls in is a
		 * block of its own, and so is what follows */
		if (k->kind == CAND_POOL && k->retire_s > 0 &&
		    k->retire_s < m->s->horizon) {
			int t = (int)floor(k->retire_s / m->period_s);

			if (t >= 0 && t < m->nperiods)
				cut[t] = cut[t + 1] = true;
		}
	}
	demand_cuts(m, cut);
	m->block_start = util_xcalloc((size_t)m->nperiods + 2, sizeof(int));
	for (int t = 0; t <= m->nperiods; t++)
		if (cut[t])
			m->block_start[m->nblocks++] = t;
	m->nblocks--; /* the last start is the end */
	free(cut);
}

double plan_arrived(const struct wl *x, int t)
{
	double sum = 0;

	for (int i = 0; i <= t; i++)
		sum += x->share[i];
	return fmin(sum, 1);
}

double plan_delay_weight(const struct plan_model *m, const struct wl *x,
			 int b)
{
	double periods = 0;

	if (!x->share || x->flexp <= 0 || !(x->w->delay_cost > 0) || b < 0)
		return 0;
	for (int k = b; k < m->nblocks && m->block_start[k] <= x->last; k++)
		periods += plan_block_len(m, k);
	return x->w->delay_cost * m->period_s * periods;
}

/* Periods per purchase group: a month for monthly periods, a quarter
 * (13 weeks, 91 days) for shorter ones, longer when the horizon would
 * have more than 12 groups. */
static int group_len(const struct plan_model *m)
{
	int q = m->s->period == MODEL_PERIOD_MONTH  ? 1
		: m->s->period == MODEL_PERIOD_WEEK ? 13
						    : 91;
	int g = (m->nperiods + 11) / 12;

	return g > q ? g : q;
}

/* The dates bought devices may start work: the first period the lead
 * time allows, then the first block start in each group of periods
 * after it. Dates are block starts, where demand or capacity changes,
 * so they add no block. */
static void purchase_dates(const struct plan_model *m, struct cand *c)
{
	int len = group_len(m);

	c->ngroups = 1;
	c->gstart[0] = c->avail_period;
	for (int b = 0; b < m->nblocks && c->ngroups < PLAN_MAX_GROUPS; b++) {
		int t = m->block_start[b];

		if (t / len > c->gstart[c->ngroups - 1] / len)
			c->gstart[c->ngroups++] = t;
	}
}

int plan_block_len(const struct plan_model *m, int b)
{
	return m->block_start[b + 1] - m->block_start[b];
}

double plan_in_service(const struct plan_model *m, const struct cand *k,
		       int b)
{
	double t0 = m->block_start[b] * m->period_s,
	       t1 = fmin(m->block_start[b + 1] * m->period_s, m->s->horizon);

	if (k->retire_s >= t1)
		return 1;
	if (k->retire_s <= t0 || t1 <= t0)
		return 0;
	return (k->retire_s - t0) / (t1 - t0);
}

static const char *fam(const struct cand *c)
{
	return pricing_family_names[c->family];
}

bool plan_pin_matches(const struct model_workload *w, const struct cand *c)
{
	if (w->pin_offer)
		return c->offer && !strcmp(c->offer->id, w->pin_offer) &&
		       c->kind != CAND_COMMIT;
	return (int)c->family == w->pin_family &&
	       !strcmp(c->accel->name, w->pin_accel);
}

#define pin_matches plan_pin_matches

/* Whether w may run on c at all; if not, says why for c's family. */
static bool eligible(struct plan_model *m, size_t wi, const struct cand *c)
{
	const struct model_workload *w = m->wls[wi].w;
	bool preemptible = c->family == PRICING_CLOUD_SPOT ||
			   c->family == PRICING_DECENTRALIZED;

	if (w->pinned && !pin_matches(w, c)) {
		plan_reason(m, wi, c->family, "'%s' is pinned elsewhere",
			    w->name);
		return false;
	}
	if (w->sovereign && !c->sovereign) {
		plan_reason(m, wi, c->family, "%s offers are not sovereign "
			    "and '%s' must stay on sovereign venues", fam(c),
			    w->name);
		return false;
	}
	if (!model_residency_allows(&w->residency, c->country)) {
		plan_reason(m, wi, c->family, "%s venues are outside %s, "
			    "where '%s' must stay " PLAN_REASON_RESIDENCY,
			    fam(c),
			    w->residency.text, w->name);
		return false;
	}
	if (c->kind == CAND_EDGE && w->kind != MODEL_INFERENCE) {
		plan_reason(m, wi, c->family, "edge boards serve inference "
			    "only");
		return false;
	}
	if (w->kind == MODEL_INFERENCE) {
		enum model_placement p = w->inference.placement;

		if ((p == MODEL_PLACE_EDGE && c->kind != CAND_EDGE) ||
		    (p == MODEL_PLACE_CENTRAL && c->kind == CAND_EDGE)) {
			plan_reason(m, wi, c->family, "placement is '%s'",
				    model_placement_names[p]);
			return false;
		}
		if (c->offer && c->offer->term[PRICING_SUBSCRIPTION_MONTH] >= 0) {
			plan_reason(m, wi, c->family, "a notebook "
				    "subscription cannot host a service");
			return false;
		}
		if (c->kind == CAND_ACADEMIC || preemptible) {
			plan_reason(m, wi, c->family, "a service cannot run "
				    "on %s", c->kind == CAND_ACADEMIC
						? "a batch queue"
						: "preemptible devices");
			return false;
		}
	}
	if (w->kind == MODEL_TEACHING) {
		double within = w->teaching.start_within;

		if (preemptible) {
			plan_reason(m, wi, c->family, "a lab session cannot "
				    "be interrupted by preemption");
			return false;
		}
		if (within >= 0 && c->provision_h * MODEL_HOUR > within) {
			char take[32], lim[32];

			plan_reason(m, wi, c->family, "%s takes %s to give a "
				    "device (%s), more than start_within %s",
				    fam(c),
				    util_fmt_duration(take, sizeof(take),
						      c->provision_h *
							  MODEL_HOUR),
				    c->kind == CAND_ACADEMIC ? "queue p90"
							     : "provisioning",
				    util_fmt_duration(lim, sizeof(lim), within));
			return false;
		}
	}
	return true;
}

/* A job with a deadline must finish inside its window, with the rework
 * of a preemptible venue and the wait for a device (for each walltime
 * chunk on an academic cluster). Jobs of known length only: a gpu_hours
 * total says nothing of how its jobs run. */
static bool in_time(struct plan_model *m, size_t wi, const struct cand *c,
		    const struct model_option *o)
{
	const struct wl *x = &m->wls[wi];
	bool jobs = x->w->kind == MODEL_FINETUNE ||
		    (x->w->kind == MODEL_RESEARCH &&
		     x->w->research.job_count > 0);
	double need = o->hours * (1 + c->rework) + c->provision_h;
	char take[32], left[32];

	/* past an academic walltime a job runs in checkpointed chunks,
	 * each of which queues again */
	if (c->kind == CAND_ACADEMIC)
		need += c->provision_h *
			(ceil(o->hours / c->offer->term[PRICING_WALLTIME_H]) - 1);
	if (x->w->deadline < 0 || !jobs || need <= x->window_h)
		return true;
	plan_reason(m, wi, c->family, "a job takes %s there with rework and "
		    "wait, more than the %s to the deadline",
		    util_fmt_duration(take, sizeof(take), need * MODEL_HOUR),
		    util_fmt_duration(left, sizeof(left),
				      x->window_h * MODEL_HOUR));
	return false;
}

/* Best effort (model_plan_opts): no fitting option of any accelerator
 * meets w's latency target, even on site; the target is then left to
 * the simulation to judge. */
static bool latency_relaxed(const struct plan_model *m, size_t wi)
{
	const struct model_workload_estimate *e = m->wls[wi].est;

	if (!m->opt->best_effort || m->wls[wi].w->kind != MODEL_INFERENCE)
		return false;
	for (size_t i = 0; i < e->nopts; i++)
		if (e->opts[i].fits && e->opts[i].meets_latency)
			return false;
	return true;
}

/* The reason no option of w fits c, in the estimate's words when its
 * options of c's accelerator all lack memory or miss the latency target:
 * "on Intel-NCS2: needs 1.0 GB per device, has 0.5 GB". */
static void why_none(struct plan_model *m, size_t wi, const struct cand *c)
{
	const struct model_workload_estimate *e = m->wls[wi].est;
	const struct model_workload *w = m->wls[wi].w;
	const struct model_option *miss = NULL, *small = NULL;
	bool local = c->kind == CAND_EDGE || c->kind == CAND_POOL;
	bool rented = (c->kind == CAND_RENT || c->kind == CAND_COMMIT) &&
		      w->kind != MODEL_TEACHING;

	for (size_t i = 0; i < e->nopts; i++) {
		const struct model_option *o = &e->opts[i];

		if (o->accel != c->accel ||
		    (rented && o->devices > c->offer->count))
			continue;
		/* too small: the widest layout tried says most (a 70B full
		 * fine-tune needs 147.5 GB a device on 8 H100, not 1,127.5
		 * on one) */
		if (!o->fits && (!small || o->devices > small->devices))
			small = o;
		else if (o->fits && w->kind == MODEL_INFERENCE &&
			 !(local ? o->meets_latency : o->meets_latency_remote))
			miss = miss ? miss : o;
		else if (o->fits)
			miss = small = NULL; /* another cause: generic words */
		if (o->fits && !miss && !small)
			break;
	}
	if (miss && miss->note[0])
		plan_reason(m, wi, c->family, "on %s: %s", c->accel->name,
			    miss->note);
	else if (small && !miss && small->note[0] && small->devices > 1)
		plan_reason_small(m, wi, c->family, small->devices,
				  "on %d x %s: %s", small->devices,
				  c->accel->name, small->note);
	else if (small && !miss && small->note[0])
		plan_reason_small(m, wi, c->family, 1, "on %s: %s",
				  c->accel->name, small->note);
	else
		plan_reason(m, wi, c->family, "no %s option fits '%s' (memory, "
			    "latency target or walltime)", fam(c), w->name);
}

/* The option of w for c: the fitting one with the fewest device-hours
 * paid (model_option_paid_dh: a fine-tune on a rented instance pays for
 * all its devices), within an instance for rented offers. NULL, with a
 * reason, if none. The same rule as model_plan_option's. */
static const struct model_option *best_option(struct plan_model *m,
					      size_t wi, const struct cand *c)
{
	const struct model_workload_estimate *e = m->wls[wi].est;
	const struct model_workload *w = m->wls[wi].w;
	const struct model_option *best = NULL;
	bool any = false;
	long inst = c->kind == CAND_RENT || c->kind == CAND_COMMIT
			    ? c->offer->count
			    : 0;

	for (size_t i = 0; i < e->nopts; i++) {
		const struct model_option *o = &e->opts[i];
		bool local = c->kind == CAND_EDGE || c->kind == CAND_POOL;

		if (o->accel != c->accel)
			continue;
		any = true;
		if (!o->fits)
			continue;
		if ((c->kind == CAND_RENT || c->kind == CAND_COMMIT) &&
		    w->kind != MODEL_TEACHING && o->devices > c->offer->count)
			continue;
		if (w->kind == MODEL_INFERENCE &&
		    !(local ? o->meets_latency : o->meets_latency_remote) &&
		    !latency_relaxed(m, wi))
			continue;
		if (!in_time(m, wi, c, o))
			continue;
		if (w->pinned && w->kind != MODEL_TEACHING &&
		    w->kind != MODEL_INFERENCE && o->devices != w->pin_devices)
			continue;
		if (!best || model_option_paid_dh(w, o, inst) <
				     model_option_paid_dh(w, best, inst))
			best = o;
	}
	if (!best && any)
		why_none(m, wi, c);
	if (!any)
		plan_reason(m, wi, c->family, "'%s' " PLAN_REASON_WEAK,
			    w->name);
	return best;
}

/* Device-hours at share 1: per period of full activity for periodic
 * workloads, in all for flexible ones (the same work when the closed
 * loop plans it to end early); more on preemptible venues. */
static double unit_dh(const struct wl *x, const struct model_option *o,
		      const struct cand *c)
{
	double dh = o->device_hours;

	if (!x->periodic)
		dh *= fmax(x->work_periods, 0);
	return dh * (1 + c->rework);
}

/* Concurrent devices the workload holds at share 1. */
static double unit_peak(const struct plan_model *m, const struct wl *x,
			const struct model_option *o)
{
	if (x->w->kind == MODEL_TEACHING)
		return o->devices;
	if (x->w->kind == MODEL_INFERENCE)
		return o->device_hours /
		       (x->w->inference.hours_per_day / 24 * m->period_h);
	return o->devices;
}

/* Device-hours paid per device-hour used on a rented offer of count
 * devices per instance: whole instances are rented. A pooled need of P
 * devices takes ceil(P / count) instances; a job of n devices takes
 * ceil(n / count) of them, unless several jobs of a sweep share one; a
 * gpu_hours total is taken to have enough jobs to fill instances. */
static double paid_per_used(const struct wl *x, const struct cand *c,
			    const struct model_option *o, double peak)
{
	double count, n = o->devices, jobs;

	if (c->kind != CAND_RENT && c->kind != CAND_COMMIT)
		return 1;
	count = (double)c->offer->count;
	if (x->peak)
		return ceil(peak / count - 1e-9) * count / peak;
	if (x->w->kind == MODEL_RESEARCH && x->w->research.job_count == 0)
		return 1;
	jobs = x->w->kind == MODEL_RESEARCH ? (double)x->w->research.job_count
					    : 1;
	if (n >= count)
		return ceil(n / count - 1e-9) * count / n;
	return count / (n * fmin(floor(count / n), jobs));
}

static void add_col(struct plan_model *m, const struct xcol *proto, int b,
		    double scale, const struct cand *c, const struct wl *x)
{
	struct xcol *col;
	double gb = x->w->dataset / GB, hours;

	UTIL_GROW(m->x, m->nx + 1, m->x_alloc);
	col = &m->x[m->nx++];
	*col = *proto;
	col->b = b;
	col->dh = proto->dh * scale;
	col->kwh = proto->kwh * scale;
	col->pool_dh = proto->pool_dh * scale;
	hours = x->periodic ? scale * m->period_h : x->window_h;
	col->cost[c->kind == CAND_ACADEMIC ? MODEL_COST_ACADEMIC
					   : MODEL_COST_RENT] =
		c->kind == CAND_COMMIT ? 0 : col->dh * proto->paid * c->rate;
	col->cost[MODEL_COST_ENERGY] = col->kwh * c->energy;
	col->cost[MODEL_COST_STORAGE] = gb * c->storage_gb_h * hours;
	if (x->w->kind == MODEL_FINETUNE)
		col->cost[MODEL_COST_EGRESS] = gb * c->egress_gb *
			x->w->finetune.runs_rate * scale * m->period_s;
	else if (!x->periodic)
		col->cost[MODEL_COST_EGRESS] = gb * c->egress_gb;
	if (c->kind == CAND_ACADEMIC) /* headroom: as on a pool, below */
		col->rgu = col->dh * c->offer->term[PRICING_RGU] *
			   (m->opt->headroom && !x->peak
				    ? m->opt->headroom[proto->w]
				    : 1);
	if (c->kind == CAND_POOL)
		col->moved = x->w->kind == MODEL_FINETUNE
				     ? x->w->dataset * x->w->finetune.runs_rate *
					       scale * m->period_s
				     : x->periodic ? 0 : x->w->dataset;
}

/* Rented venues have no limit per period (without a spend cap or a
 * market cap): when work is done there changes neither its cost nor
 * what is feasible. */
static bool unlimited(const struct plan_model *m, const struct cand *c)
{
	if (m->s->constraints.spend_cap >= 0 ||
	    m->opt->objective == MODEL_OBJECTIVE_TIME)
		return false;
	return c->kind == CAND_RENT &&
	       !(c->family == PRICING_DECENTRALIZED &&
		 m->s->venues.market_max_gpus > 0);
}

/* Venues without limits per period take a flexible workload's work in
 * one column; the others need one per block, and so does timed work. */
static bool per_block(const struct plan_model *m, const struct wl *x,
		      const struct cand *c)
{
	return x->periodic || x->share || !unlimited(m, c);
}

/* The utilisation ceiling of an on-prem pool for a batch workload with
 * a max_wait (docs/formulation.md): the highest load, in steps of 5%,
 * at which a job waits longer than max_wait with probability at most 5%
 * in M/G/c (model_wait_above), c the jobs the pool's devices (owned and
 * buyable) run at once. 1 for other workloads and venues. */
static double pool_ceiling(const struct plan_model *m, const struct wl *x,
			   const struct cand *c, const struct model_option *o)
{
	const struct model_workload *w = x->w;
	double len_s, cs2, servers;
	long devices = c->owned + (c->buy_max > 0 ? c->buy_max : 0);

	if (c->kind != CAND_POOL || x->peak || w->max_wait < 0 ||
	    !(o->hours > 0) || m->opt->no_ceilings)
		return 1;
	len_s = o->hours * MODEL_HOUR;
	if (w->kind == MODEL_RESEARCH && w->research.job_count == 0)
		len_s /= ceil(o->hours / 24); /* jobs of at most a day */
	cs2 = w->kind == MODEL_RESEARCH ? w->research.length_cv *
						  w->research.length_cv
					: 0;
	servers = floor((double)devices / o->devices);
	if (servers < 1)
		return 1;
	for (double u = 0.95; u > 0.01; u -= 0.05)
		if (model_wait_above((int)servers, u * servers / len_s, len_s,
				     cs2, w->max_wait) <= 0.05)
			return u;
	return 0.05;
}

/* What a unit of w's work uses and costs on c with option o. */
static void make_proto(const struct plan_model *m, size_t wi, size_t ci,
		       const struct model_option *o, struct xcol *proto)
{
	const struct wl *x = &m->wls[wi];
	const struct cand *c = &m->cands[ci];

	*proto = (struct xcol){.w = (int)wi, .c = (int)ci};
	proto->dh = unit_dh(x, o, c);
	if (x->w->kind == MODEL_TEACHING && m->opt->headroom &&
	    c->kind != CAND_POOL && c->kind != CAND_EDGE)
		proto->dh *= m->opt->headroom[wi]; /* devices asked early */
	proto->pool_dh = proto->dh / pool_ceiling(m, x, c, o) *
			 (m->opt->headroom && !x->peak ? m->opt->headroom[wi]
						       : 1);
	proto->kwh = o->device_hours > 0
			     ? proto->dh * o->energy_kwh / o->device_hours
			     : 0;
	proto->peak = unit_peak(m, x, o);
	proto->paid = paid_per_used(x, c, o, proto->peak);
	proto->devices = o->devices;
}

static void columns_for(struct plan_model *m, size_t wi, size_t ci,
			const struct model_option *o)
{
	const struct wl *x = &m->wls[wi];
	const struct cand *c = &m->cands[ci];
	struct xcol proto;

	make_proto(m, wi, ci, o, &proto);
	if (!per_block(m, x, c)) {
		add_col(m, &proto, -1, 1, c, x);
		return;
	}
	for (int b = 0; b < m->nblocks; b++) {
		int t0 = m->block_start[b], len = plan_block_len(m, b);
		double f = t0 >= x->first && t0 <= x->last ? x->frac[t0] : 0;

		if (f <= 0)
			continue;
		/* periodic: a block's demand is len periods at frac each;
		 * flexible: a share of the whole, at the same rate */
		add_col(m, &proto, b, x->periodic ? f * len : 1, c, x);
	}
}

/* The cost of all of w's work on c with option o. */
static double unit_cost(struct plan_model *m, size_t wi, size_t ci,
			const struct model_option *o)
{
	struct xcol proto;
	double sum = 0;

	make_proto(m, wi, ci, o, &proto);
	add_col(m, &proto, -1, 1, &m->cands[ci], &m->wls[wi]);
	m->nx--; /* only its costs were wanted */
	for (int k = 0; k < MODEL_NCOSTS; k++)
		sum += m->x[m->nx].cost[k];
	return sum;
}

/* Devices w needs on c at once to do all its work there: its peak for
 * services and sessions, else its device-hours over the hours it has
 * (a period for periodic work, its window for the rest). */
static double alone_devices(const struct plan_model *m, const struct wl *x,
			    const struct xcol *col)
{
	double avail = model_const(m->s, MODEL_K_ONPREM_AVAILABILITY);
	double hours = x->periodic ? m->period_h : x->window_h;

	if (x->peak)
		return ceil(col->peak - 1e-9);
	return hours > 0 ? ceil(col->pool_dh / (avail * hours) - 1e-9) : 1;
}

/* The share of w's work the academic allocation holds alone: its
 * RGU-hours over the period (periodic) or the window, and for sessions
 * and services the RGU they hold at once (plan_glpk.c, cap_rows). */
static double academic_room(const struct plan_model *m, const struct wl *x,
			    const struct xcol *col,
			    const struct pricing_offer *o)
{
	double years = m->s->venues.rgu_years, room = 1;
	double hours = x->periodic ? m->period_h : x->window_h;

	if (col->rgu > 0)
		room = fmin(room, years * hours / col->rgu);
	if (x->peak && col->peak * o->term[PRICING_RGU] > 0)
		room = fmin(room, years / (col->peak * o->term[PRICING_RGU]));
	return room;
}

/* The share of w's work pool (or edge) c can hold alone: the devices
 * working in each block (owned ones in service, the purchase maximum
 * once purchases can arrive) against what w needs, devices at once in
 * each of its blocks (periodic work) or device-hours over its window
 * (the rest). */
static double pool_room(const struct plan_model *m, const struct wl *x,
			const struct cand *c, const struct xcol *col,
			double need)
{
	double avail = model_const(m->s, MODEL_K_ONPREM_AVAILABILITY);
	double room = 1, dh = 0, buy = c->buy_max < 0 ? INFINITY
						       : (double)c->buy_max;
	int from = c->kind == CAND_POOL && c->ngroups > 0 ? c->gstart[0]
							  : c->avail_period;

	for (int b = 0; b < m->nblocks; b++) {
		int t0 = m->block_start[b];
		double dev = (double)c->owned * plan_in_service(m, c, b) +
			     (t0 >= from ? buy : 0);

		if (t0 < x->first || t0 > x->last || !(x->frac[t0] > 0))
			continue;
		if (x->periodic && need > 0)
			room = fmin(room, dev / need);
		else if (!x->periodic)
			dh += dev * avail * plan_block_len(m, b) * m->period_h *
			      x->frac[t0];
	}
	if (!x->periodic && col->pool_dh > 0)
		room = fmin(1, dh / col->pool_dh);
	return room;
}

/* The runner-up's re-price (plan_explain.c): what all of w's work costs
 * on c by itself, the devices it would have to buy or commit there
 * included, and the share of it c can hold alone (its purchase limit or
 * its max_devices). */
static void record_alone(struct plan_model *m, size_t wi, size_t ci,
			 const struct model_option *o)
{
	const struct wl *x = &m->wls[wi];
	const struct cand *c = &m->cands[ci];
	size_t at = wi * m->ncands + ci;
	struct xcol proto, *col;
	double need, extra, limit = -1, periods = 0, sum = 0;
	double unit = c->unit > 0 ? (double)c->unit : 1;

	make_proto(m, wi, ci, o, &proto);
	add_col(m, &proto, -1, 1, c, x);
	col = &m->x[--m->nx]; /* only its costs were wanted */
	for (int k = 0; k < MODEL_NCOSTS; k++)
		sum += col->cost[k];
	for (int t = x->first; x->periodic && t <= x->last; t++)
		periods += x->frac[t];
	if (!x->periodic)
		periods = 1;
	need = alone_devices(m, x, col);
	if (c->kind == CAND_POOL || c->kind == CAND_EDGE) {
		extra = fmax(need - (double)c->owned, 0);
		extra = ceil(extra / unit - 1e-9) * unit;
		if (c->buy_max >= 0 && extra > (double)c->buy_max)
			extra = (double)c->buy_max;
		/* paid as the planner pays its first purchase: capex and
		 * upkeep from the order, fees from the arrival */
		double left = c->kind == CAND_POOL
				      ? 1 - plan_order_time(m, c, 0) /
						    m->s->horizon
				      : 1;
		double hosted = c->kind == CAND_POOL ? plan_hosted_s(m, c, 0)
						     : 0;

		sum = sum * periods +
		      extra * (left * (c->capex_net + c->maintenance) +
			       c->hosting * hosted);
	} else if (c->kind == CAND_COMMIT) {
		sum = sum * periods + need * c->commit_fixed;
	} else {
		sum *= periods;
	}
	if (c->kind == CAND_RENT && x->peak && !m->no_caps)
		limit = model_offer_limit(m->s, c->offer);
	m->alone[at] = sum;
	m->room[at] = limit <= 0 || need <= limit ? 1 : limit / need;
	if (c->kind == CAND_POOL || c->kind == CAND_EDGE)
		m->room[at] = pool_room(m, x, c, col, need);
	if (c->kind == CAND_ACADEMIC) /* the allocation, a yearly rate */
		m->room[at] = fmin(m->room[at],
				   academic_room(m, x, col, c->offer));
	if (c->kind == CAND_ACADEMIC && m->opt->queue_share) /* the loop's */
		m->room[at] = fmin(m->room[at], m->opt->queue_share[wi]);
}

/* Timed work on venues without limits per period: only the cheapest
 * such venue matters (any share elsewhere costs more there and is bound
 * by nothing else), so only it gets its columns per block. */
struct cheapest {
	size_t ci;
	const struct model_option *o;
	double cost;
};

static bool keep_cheapest(struct plan_model *m, size_t wi, size_t ci,
			  const struct model_option *o, struct cheapest *best)
{
	double k;

	if (!m->wls[wi].share || !unlimited(m, &m->cands[ci]))
		return false;
	k = unit_cost(m, wi, ci, o);
	if (!best->o || k < best->cost)
		*best = (struct cheapest){ci, o, k};
	return true;
}

void plan_columns(struct plan_model *m)
{
	m->wls = util_xcalloc(m->s->nworkloads + 1, sizeof(*m->wls));
	m->nwls = m->s->nworkloads;
	for (size_t i = 0; i < m->nwls; i++)
		setup_workload(m, i);
	make_blocks(m);
	m->alone = util_xcalloc(m->nwls * m->ncands + 1, sizeof(double));
	m->room = util_xcalloc(m->nwls * m->ncands + 1, sizeof(double));
	for (size_t i = 0; i < m->nwls * m->ncands; i++)
		m->alone[i] = -1;
	for (size_t c = 0; c < m->ncands; c++)
		if (m->cands[c].kind == CAND_POOL && m->cands[c].buy_max != 0)
			purchase_dates(m, &m->cands[c]);
	for (size_t wi = 0; wi < m->nwls; wi++) {
		struct cheapest best = {0};

		for (size_t ci = 0; ci < m->ncands; ci++) {
			const struct model_option *o;

			if (!eligible(m, wi, &m->cands[ci]))
				continue;
			o = best_option(m, wi, &m->cands[ci]);
			if (o)
				record_alone(m, wi, ci, o);
			if (o && !keep_cheapest(m, wi, ci, o, &best))
				columns_for(m, wi, ci, o);
		}
		if (best.o)
			columns_for(m, wi, best.ci, best.o);
	}
}
