/* Simulating a plan: the venues and units of a replication, set up from
 * the plan and the performance model, run on the event kernel; many
 * replications on threads, summarised with confidence intervals. The
 * numbers depend on the seed only, never on the thread count. */
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include "world_int.h"

#define HOUR 3600.0

/* Chance that a request for a rented device is refused for lack of
 * capacity, and retried (docs/simulator.md: assumptions). */
static const double refusal[PRICING_NFAMILIES] = {
	[PRICING_CLOUD] = 0.02, [PRICING_CLOUD_SPOT] = 0.05,
	[PRICING_GPUAAS] = 0.05, [PRICING_DECENTRALIZED] = 0.10,
	[PRICING_INHOUSE] = 0.05};

struct shared {
	const struct model_scenario *s;
	const struct model_plan *p;
	const struct sim_opts *o;
	struct model_estimate est;
	double horizon_s;
	/* the plan's assignments of workload i: by_wl[first[i]..first[i +
	 * 1]), in the plan's order */
	size_t *first, *by_wl;
	double **cum; /* per assignment: period_cum, research only */
};

/* Fills sh->first and sh->by_wl (a counting sort of the assignments by
 * workload), so that collecting a replication is linear in the plan. */
static void index_by_workload(struct shared *sh)
{
	size_t nwl = sh->s->nworkloads, na = sh->p->nassign;
	size_t *next = util_xcalloc(nwl + 1, sizeof(*next));

	sh->first = util_xcalloc(nwl + 2, sizeof(*sh->first));
	sh->by_wl = util_xcalloc(na + 1, sizeof(*sh->by_wl));
	for (size_t i = 0; i < na; i++)
		sh->first[sh->p->assign[i].w - sh->s->workloads + 1]++;
	for (size_t i = 0; i < nwl; i++)
		sh->first[i + 1] += sh->first[i];
	memcpy(next, sh->first, nwl * sizeof(*next));
	for (size_t i = 0; i < na; i++)
		sh->by_wl[next[sh->p->assign[i].w - sh->s->workloads]++] = i;
	free(next);
}

static void venue_of(const struct shared *sh,
		     const struct model_plan_assignment *a, struct venue *v)
{
	const struct model_scenario *s = sh->s;
	const struct pricing_offer *o = a->offer;
	const struct model_inference *in = &a->w->inference;
	double prov_min = -1;

	memset(v, 0, sizeof(*v));
	v->family = a->family;
	v->pool = -1;
	v->pooled = a->family == PRICING_ONPREM;
	v->academic = a->family == PRICING_ACADEMIC;
	v->rented = !v->pooled && !v->academic && a->family != PRICING_EDGE;
	v->refuse = refusal[a->family];
	if (o && o->term[PRICING_PROVISION_MIN] >= 0)
		prov_min = o->term[PRICING_PROVISION_MIN];
	else if (v->rented)
		prov_min = model_const(s, a->family == PRICING_GPUAAS ||
							  a->family == PRICING_INHOUSE
						  ? MODEL_K_PROVISION_GPUAAS_MIN
					  : a->family == PRICING_DECENTRALIZED
						  ? MODEL_K_PROVISION_MARKET_MIN
						  : MODEL_K_PROVISION_CLOUD_MIN);
	v->provision_h = fmax(prov_min, 0) / 60;
	sim_lnq_init(&v->provision_q, v->provision_h, 2 * v->provision_h);
	if (v->academic && o) {
		v->queue_p50_h = o->queue_p50_h;
		v->queue_p90_h = o->queue_p90_h;
	}
	sim_lnq_init(&v->queue_q, v->queue_p50_h, v->queue_p90_h);
	if (a->family == PRICING_CLOUD_SPOT && o)
		v->hazard = o->term[PRICING_PREEMPTION_PER_HOUR];
	if (a->family == PRICING_DECENTRALIZED && o) {
		v->hazard = -log(fmax(o->term[PRICING_RELIABILITY], 1e-6)) / 24;
		v->spread = fmax(o->term[PRICING_PERF_SPREAD], 0);
	}
	v->checkpoint_h = s->venues.checkpoint_interval > 0
				  ? s->venues.checkpoint_interval / HOUR
				  : model_const(s, MODEL_K_CHECKPOINT_H);
	v->restart_h = model_const(s, MODEL_K_RESTART_MIN) / 60;
	if (v->rented || v->academic)
		v->rtt_s = (in->rtt >= 0 && a->w->kind == MODEL_INFERENCE
				    ? in->rtt
				    : model_const(s, MODEL_K_RTT_MS) / 1000) +
			   in->payload * 8 /
				   (model_const(s, MODEL_K_UPLINK_MBPS) * 1e6);
}

/* On-prem pools: the devices owned and bought of each accelerator the
 * plan uses on-prem, shared by the jobs placed there. */
static int pool_for(struct world *w, const char *accel)
{
	const struct model_venues *v = &w->s->venues;
	struct pool *p;
	int devices = 0;

	for (size_t i = 0; i < w->npools; i++)
		if (!w->pools[i].academic && !w->pools[i].offer &&
		    !strcmp(w->pools[i].accel, accel))
			return (int)i;
	for (size_t i = 0; i < v->nowned; i++) {
		struct model_owned_cost oc;

		if (strcmp(v->owned[i].accel, accel))
			continue;
		/* owned devices serve until the end of their life */
		model_owned_cost(w->s, i, &oc);
		if (oc.end_of_life <= 0)
			continue;
		devices += (int)v->owned[i].amount;
		if (oc.end_of_life < w->horizon_s)
			sim_schedule(w->e, oc.end_of_life, K_RETIRE,
				     (uint32_t)w->npools, (uint32_t)i);
	}
	/* bought devices work from their arrival (on_arrive) */
	for (size_t i = 0; i < w->p->nbuy; i++)
		if (!strcmp(w->p->buy[i].accel, accel) &&
		    w->p->buy[i].offer->family == PRICING_ONPREM) {
			double at = w->p->buy[i].available_period *
				    w->p->period_s;

			if (at <= 0)
				devices += (int)w->p->buy[i].count;
			else if (at < w->horizon_s)
				sim_schedule(w->e, at, K_ARRIVE,
					     (uint32_t)w->npools, (uint32_t)i);
		}
	w->pools = util_xreallocarray(w->pools, w->npools + 1,
				      sizeof(*w->pools));
	p = &w->pools[w->npools];
	memset(p, 0, sizeof(*p));
	p->accel = accel;
	p->devices = (double)devices; /* none until a purchase arrives */
	return (int)w->npools++;
}

/* A rented offer's capacity: at most max_devices of it at once, shared
 * by every job placed on it; the rest waits (docs/simulator.md). */
static int offer_pool(struct world *w, const struct pricing_offer *o)
{
	struct pool *p;

	for (size_t i = 0; i < w->npools; i++)
		if (w->pools[i].offer == o)
			return (int)i;
	w->pools = util_xreallocarray(w->pools, w->npools + 1,
				      sizeof(*w->pools));
	p = &w->pools[w->npools];
	memset(p, 0, sizeof(*p));
	p->accel = o->accel;
	p->offer = o;
	p->devices = model_offer_limit(w->s, o);
	return (int)w->npools++;
}

/* The account's fair share, one pool for all its clusters: RGU at once,
 * the allocation in RGU-years; its jobs may run up to `academic_burst`
 * times that (docs/academic.md). */
static int academic_pool(struct world *w)
{
	struct pool *p;

	for (size_t i = 0; i < w->npools; i++)
		if (w->pools[i].academic)
			return (int)i;
	w->pools = util_xreallocarray(w->pools, w->npools + 1,
				      sizeof(*w->pools));
	p = &w->pools[w->npools];
	memset(p, 0, sizeof(*p));
	p->academic = true;
	p->share = w->s->venues.rgu_years;
	p->devices = p->share * model_const(w->s, MODEL_K_ACADEMIC_BURST);
	return (int)w->npools++;
}

static void setup_teaching(struct world *w, struct unit *u,
			   const struct model_option *opt, uint32_t id)
{
	const struct model_teaching *t = &w->s->workloads[u->w].teaching;
	int slots = opt ? (int)ceil(u->a->devices * opt->students_per_device)
			: 1;

	u->students = lround(t->students * u->a->share);
	u->session_h = t->duration / HOUR;
	u->sessions_left = (int)lround(t->per_week * t->weeks);
	if (u->v.pooled || u->v.family == PRICING_EDGE)
		sim_station_init(&u->st, slots > 0 ? slots : 1, K_SLOT_FREE, id);
}

/* Students arrive around the start of each session (sd 2 min), on
 * weekdays at 9:00 (model_session_at: the infeasibility text uses the
 * same times). */
static void start_teaching(struct world *w, struct unit *u, uint32_t id)
{
	const struct model_workload *wl = &w->s->workloads[u->w];
	const struct model_teaching *t = &wl->teaching;

	for (int k = 0; k < u->sessions_left; k++) {
		double at = model_session_at(w->s, wl, k);
		double end = at + t->duration;

		if (end > w->horizon_s)
			break;
		for (long i = 0; i < u->students; i++) {
			double arrive = at + sim_normal(&u->rng, 0, 120);

			arrive = fmax(fmax(arrive, at - 600), 0);
			sim_schedule(w->e, arrive, K_STUDENT, id,
				     (uint32_t)ceil(end));
		}
	}
}

static void setup_inference(struct world *w, struct unit *u,
			    const struct model_option *opt, uint32_t id)
{
	const struct model_inference *in = &w->s->workloads[u->w].inference;
	int per = opt ? opt->devices : 1, servers;
	double window;

	/* an edge board serves its own site: one site is simulated */
	bool edge = u->v.family == PRICING_EDGE;
	servers = (int)lround((double)u->a->devices / per /
			      (edge ? in->sites : 1));
	u->rate = in->rate * (edge ? 1 : in->sites) * u->a->share;
	window = w->o->horizon_s > 0		? w->o->horizon_s
		 : w->o->inference_window_s > 0 ? w->o->inference_window_s
		 : u->rate > 0
			 ? fmin(fmax(SIM_INFERENCE_REQUESTS / u->rate,
				     fmin(1, SIM_INFERENCE_MAX_REQUESTS /
						     u->rate)),
				3600)
			       : 10;
	u->service_s = opt && opt->rps_per_device > 0
			       ? 1 / (opt->rps_per_device * per)
			       : 1e-3;
	u->latency_s = opt ? opt->latency_ms / 1000 : u->service_s;
	u->end_s = fmin(window, w->horizon_s);
	sim_station_init(&u->st, servers > 0 ? servers : 1, K_SLOT_FREE, id);
	u->st.extra = u->latency_s + u->v.rtt_s - u->service_s;
	/* an LLM: each of the option's engines run step by step */
	if (opt && in->output_tokens)
		world_llm_setup(w, u, id, opt,
				(servers > 0 ? servers : 1) *
					(opt->replicas > 0 ? opt->replicas : 1));
	if (in->service_time > 0) { /* given: latency is wait + service */
		u->service_s = in->service_time;
		u->st.extra = u->v.rtt_s;
	}
	u->st.late_after = in->latency_p99 > 0 ? in->latency_p99 : 0;
}

/* The running sums of assignment a's device-hours by period, added in
 * period order (cum[t]: periods 0 to t); NULL when a has none, or when
 * a period has negative hours (planned_period then scans). Free it. */
static double *period_cum(const struct model_plan_assignment *a,
			  const struct model_plan *p)
{
	double *cum, acc = 0;

	if (!a->period_device_hours || !p->nperiods)
		return NULL;
	cum = util_xcalloc(p->nperiods, sizeof(*cum));
	for (size_t t = 0; t < p->nperiods; t++) {
		if (!(a->period_device_hours[t] >= 0)) {
			free(cum);
			return NULL;
		}
		acc += a->period_device_hours[t];
		cum[t] = acc;
	}
	return cum;
}

/* A period drawn with probability proportional to the plan's
 * device-hours of assignment a in it: the first whose running sum
 * passes a uniform share of the total. With the running sums (cum, the
 * same additions in the same order) a bisection finds the period the
 * scan finds, in log time: jobs draw it one by one. */
static int planned_period(struct unit *u, const struct model_plan *p,
			  const double *cum)
{
	const struct model_plan_assignment *a = u->a;
	double total = 0, x, acc = 0;
	size_t lo = 0, hi;

	if (cum) {
		if (!(cum[p->nperiods - 1] > 0))
			return -1;
		x = sim_uniform(&u->rng) * cum[p->nperiods - 1];
		for (hi = p->nperiods; lo < hi;) { /* first t: x < cum[t] */
			size_t mid = lo + (hi - lo) / 2;

			if (x < cum[mid])
				hi = mid;
			else
				lo = mid + 1;
		}
		return lo < p->nperiods ? (int)lo : (int)p->nperiods - 1;
	}
	for (size_t t = 0; a->period_device_hours && t < p->nperiods; t++)
		total += a->period_device_hours[t];
	if (!(total > 0))
		return -1;
	x = sim_uniform(&u->rng) * total;
	for (size_t t = 0; t < p->nperiods; t++) {
		acc += a->period_device_hours[t];
		if (x < acc)
			return (int)t;
	}
	return (int)p->nperiods - 1;
}

/* Share of wl's work the plan serves in each period, on all venues. */
static void served_shares(const struct model_plan *p,
			  const struct model_workload *wl, double *served)
{
	for (size_t i = 0; i < p->nassign; i++) {
		const struct model_plan_assignment *a = &p->assign[i];

		if (a->w != wl || !(a->device_hours > 0) ||
		    !a->period_device_hours)
			continue;
		for (size_t t = 0; t < p->nperiods; t++)
			served[t] += a->share * a->period_device_hours[t] /
				     a->device_hours;
	}
}

/* Work that may wait (`flexible:`) and that the plan serves in period t
 * came earlier, in the order it came: the job's place q in the work
 * served in t, first come first served on all venues, is the place of
 * the work that came at q (D(k - 1) <= q < D(k), D the demand that has
 * come by the end of period k). The due rows of the plan keep k within
 * the flexible periods before t. t when the workload may not wait. */
static int arrival_period(struct unit *u, const struct model_workload *wl,
			  const struct model_plan *p, double end, int t)
{
	int n = (int)p->nperiods, k = t;
	double *share, *served, before = 0, q, come = 0;

	if (t < 0 || !model_demand_timed(wl) ||
	    model_demand_flex_periods(wl, p->period_s, n) <= 0)
		return t;
	share = util_xcalloc((size_t)n, sizeof(*share));
	served = util_xcalloc((size_t)n, sizeof(*served));
	model_demand_shares(wl, end, p->period_s, n, share);
	served_shares(p, wl, served);
	for (int i = 0; i < t; i++)
		before += served[i];
	q = before + sim_uniform(&u->rng) * served[t];
	for (int i = 0; i < n; i++) {
		come += share[i];
		if (q < come - 1e-12) {
			k = i;
			break;
		}
	}
	free(share);
	free(served);
	return k < t ? k : t;
}

/* When a job of job_h hours is submitted (docs/simulator.md): all at the
 * start (burst); at a random time within a period drawn as the plan
 * schedules the work (steady); or with a density falling linearly to 0
 * over the window (front-loaded). Never so late that twice its length
 * does not fit before the end of the window, nor, on an academic
 * cluster, its queue wait (p90, at the most its usage above the share
 * stretches it: academic_burst times). Work that may wait (`flexible:`)
 * arrives when its demand comes, up to that long before the plan serves
 * it (arrival_period). */
static double submit_at(struct world *w, struct unit *u,
			const struct model_workload *wl, double end,
			double job_h, const struct sim_weekly *wk)
{
	double queue_h = u->v.academic ? u->v.queue_p90_h *
					       model_const(w->s,
							   MODEL_K_ACADEMIC_BURST)
				       : 0;
	double last = fmax(end - (2 * job_h + queue_h) * HOUR, wl->start);
	double t0, t1;
	int t;

	switch (wl->research.submission) {
	case MODEL_SUBMIT_BURST:
		return wl->start;
	case MODEL_SUBMIT_FRONT_LOADED:
		return wl->start + (last - wl->start) *
					   (1 - sqrt(1 - sim_uniform(&u->rng)));
	default:
		break;
	}
	/* with `weekly`, a period without weight (a day period on a day
	 * it leaves empty) is drawn again, a bounded number of times */
	for (int tries = 0;; tries++) {
		double at;

		t = arrival_period(u, wl, w->p, end,
				   planned_period(u, w->p,
						  w->period_cum[u - w->units]));
		t0 = t < 0 ? wl->start : fmax(t * w->p->period_s, wl->start);
		t1 = t < 0 ? last : fmin((t + 1) * w->p->period_s, last);
		if (t1 <= t0)
			return fmin(t0, last);
		if (!wk)
			return t0 + (t1 - t0) * sim_uniform(&u->rng);
		at = sim_weekly_time(wk, t0, t1, sim_uniform(&u->rng));
		if (at >= 0)
			return at;
		if (tries == 99)
			return t0 + (t1 - t0) * sim_uniform(&u->rng);
	}
}

/* Most jobs a unit's work is cut into, or a unit's share of `jobs`
 * (short lengths and many device-hours, a batch of 1e15 items): past it
 * the jobs are longer, the device-hours the same. Without it a valid
 * scenario could ask for 1e8 jobs a replication: gigabytes and minutes
 * (a million jobs take about 5 s, bench/README.md). */
#define SIM_MAX_CUT_JOBS 1e6

/* Research: the plan's device-hours on this venue as jobs (`jobs` as
 * given, or as many as the work takes at the lengths' mean, a day
 * without `job_lengths`; at most SIM_MAX_CUT_JOBS), submitted
 * over the window as `submission` and `weekly` say (docs/simulator.md). Each job's GPUs are drawn from
 * `job_sizes` (the plan's devices without it), its length from
 * `job_lengths` (lognormal with length_cv without it), the lengths
 * scaled so that a job's mean device-hours are work / n. */
static void start_research(struct world *w, struct unit *u,
			   const struct model_option *opt, uint32_t id,
			   double rework)
{
	const struct model_workload *wl = &w->s->workloads[u->w];
	const struct model_research *r = &wl->research;
	const struct model_job_shape *sh = &r->shape;
	int devices = opt ? opt->devices : 1;
	double work = u->a->device_hours / (1 + rework);
	double end = fmin(wl->deadline > 0 ? wl->deadline : w->horizon_s,
			  w->horizon_s);
	double gpus = sh->nsizes ? model_job_mean_gpus(sh) : devices;
	double len_h = sh->p50 > 0 ? model_job_length_mean(sh) / HOUR : 24;
	double cut = ceil(work / gpus / len_h);
	long n = (long)fmin(r->job_count > 0 ? round(r->job_count *
						     u->a->share)
						 : cut,
			    SIM_MAX_CUT_JOBS);
	struct sim_weekly wk;
	long together = 0; /* jobs still to submit at `at` (an array) */
	double at = 0;

	if (sh->weekly_set)
		sim_weekly_init(&wk, sh->weekly, w->s->weekday0);
	if (n < 1)
		n = 1;
	u->jobs_left = (size_t)n;
	for (long i = 0; i < n; i++) {
		double len;
		int g = sim_job_draw(&u->rng, r, devices, work / gpus / n,
				     &len);
		uint32_t j = world_add_job(w, id, len, g, 0);

		if (together <= 0) {
			together = sh->array_share > 0
					   ? sim_array_draw(&u->rng, sh)
					   : 1;
			at = submit_at(w, u, wl, end, len,
				       sh->weekly_set ? &wk : NULL);
		}
		together--;
		w->jobs[j].due = at;
		sim_schedule(w->e, at, K_JOB_SUBMIT, j, 0);
	}
}

/* Whether unit u shares nothing with the others while it runs: no pool,
 * no link, no account whose use sets its waits. Such a unit is run
 * alone, on an engine of its own, as soon as it is set up: its events
 * are in the same order among themselves as on the shared engine and
 * read and change nothing of the others', so its results are the same,
 * and the shared engine's heap holds only the units that interact
 * (docs/simulator.md: "Units run alone"). */
static bool unit_alone(const struct unit *u)
{
	switch (u->a->w->kind) {
	case MODEL_INFERENCE: /* its own servers or engines */
		return true;
	case MODEL_TEACHING: /* an academic wait reads the account's use */
		return !(u->v.academic && u->v.pool >= 0);
	default: /* jobs on venues with no shared capacity */
		return u->v.pool < 0;
	}
}

static void setup_unit(struct world *w, const struct shared *sh, size_t i,
		       uint64_t rep)
{
	struct sim_engine *shared_e = w->e;
	const struct model_plan_assignment *a = &sh->p->assign[i];
	struct unit *u = &w->units[i];
	const struct model_option *opt;
	size_t wi = (size_t)(a->w - sh->s->workloads);
	double rework;
	bool alone;

	memset(u, 0, sizeof(*u));
	u->a = a;
	u->w = wi;
	venue_of(sh, a, &u->v);
	if (u->v.pooled)
		u->v.pool = pool_for(w, a->accel);
	else if (u->v.academic && a->offer && w->s->venues.rgu_years > 0)
		u->v.pool = academic_pool(w);
	else if (u->v.rented && model_offer_limit(w->s, a->offer) > 0)
		u->v.pool = offer_pool(w, a->offer);
	alone = !w->trace && !w->o->one_engine && unit_alone(u);
	if (alone)
		w->e = sim_engine_new(w, w->handlers, NKINDS);
	sim_rng_seed(&u->rng, sh->o->seed, rep * 100003 + i);
	opt = model_plan_option(&sh->est, sh->s, a);
	u->devices = opt ? opt->devices : 1;
	rework = u->v.hazard * (u->v.checkpoint_h / 2 + u->v.restart_h);
	switch (a->w->kind) {
	case MODEL_TEACHING:
		setup_teaching(w, u, opt, (uint32_t)i);
		start_teaching(w, u, (uint32_t)i);
		break;
	case MODEL_INFERENCE:
		setup_inference(w, u, opt, (uint32_t)i);
		if (u->rate > 0)
			sim_schedule(w->e, 0, K_REQUEST, (uint32_t)i, 0);
		break;
	case MODEL_FINETUNE:
		u->rate = a->w->finetune.runs_rate * a->share;
		u->run_h = opt ? opt->hours : 1;
		u->end_s = a->w->deadline > 0 ? a->w->deadline : w->horizon_s;
		if (u->rate > 0)
			sim_schedule(w->e, a->w->start, K_RUN, (uint32_t)i, 0);
		break;
	default:
		start_research(w, u, opt, (uint32_t)i, rework);
	}
	if (alone) {
		w->alone_events += sim_run(w->e, w->horizon_s);
		sim_engine_free(w->e);
		w->e = shared_e;
	}
}

static void trace_event(void *arg, double t, uint32_t kind, uint32_t ent)
{
	struct world *w = arg;
	uint32_t unit = ent;

	if (kind == K_ARRIVE || kind == K_RETIRE) {
		util_buf_printf(w->trace, "%.3f %s - onprem-%s %u\n", t,
				world_kind_names[kind], w->pools[ent].accel,
				ent);
		return;
	}
	if (kind >= K_JOB_SUBMIT && kind <= K_JOB_FAIL)
		unit = w->jobs[ent].unit;
	if (kind == K_XFER)
		unit = w->nxfers ? w->jobs[w->xfers[0].job].unit : 0;
	if (kind == K_LLM_STEP)
		unit = w->engines[ent].unit;
	if (w->trace->len > (64u << 20)) /* a trace is for small runs */
		return;
	util_buf_printf(w->trace, "%.3f %s %s %s %u\n", t,
			world_kind_names[kind],
			w->s->workloads[w->units[unit].w].name,
			w->units[unit].a->venue, ent);
}

static void world_release(struct world *w)
{
	for (size_t i = 0; i < w->nunits; i++) {
		sim_station_release(&w->units[i].st);
		free(w->units[i].wait);
		free(w->units[i].ttft);
		free(w->units[i].tpot);
	}
	for (size_t i = 0; i < w->npools; i++)
		free(w->pools[i].q);
	world_llm_release(w);
	free(w->units);
	free(w->jobs);
	free(w->pools);
	free(w->xfers);
	sim_engine_free(w->e);
}

/* What one replication measured for one workload. */
struct rep_wl {
	double wait[4], lat[4]; /* mean, p50, p95, p99; s and ms */
	double ttft[4], tpot[4]; /* LLM serving, ms */
	uint64_t nwait, nlat, nttft, ntpot;
	double completion_h, deadline_miss, slo_miss, cost, util;
	double ttft_miss, tpot_miss;
};

static void quantiles(const struct sim_hist *h, double scale, double out[4])
{
	out[0] = sim_hist_mean(h) * scale;
	out[1] = sim_hist_quantile(h, 0.50) * scale;
	out[2] = sim_hist_quantile(h, 0.95) * scale;
	out[3] = sim_hist_quantile(h, 0.99) * scale;
}

/* The share of what the unit had that it used, and over how much
 * (*weight, in device-seconds for every kind of unit): a workload's
 * utilisation is its units' shares weighted so, not their plain mean (a
 * unit on a pool used at 25% and one on rented devices used fully are
 * not 62% together when the pool held ten times the device-hours). */
static double unit_util(const struct world *w, const struct unit *u,
			double *weight)
{
	double devices = u->a->devices > 0 ? u->a->devices : 0;
	double until = u->end_s;

	if (u->llm) { /* the engines' sequence slots in use */
		*weight = devices * fmax(u->end_s, 0);
		return fmin(u->seq_area / (u->neng * (double)u->max_seqs *
					   fmax(u->end_s, 1e-9)),
			    1);
	}
	if (u->a->w->kind == MODEL_TEACHING && !u->st.servers) {
		/* rented or academic: no seats simulated, the devices are
		 * had for the sessions only, and used whenever had */
		*weight = u->a->device_hours * 3600;
		return 1;
	}
	if (u->a->w->kind == MODEL_INFERENCE ||
	    u->a->w->kind == MODEL_TEACHING) {
		if (u->a->w->kind == MODEL_TEACHING)
			until = w->horizon_s;
		*weight = devices * fmax(until, 0);
		return sim_station_utilisation(&u->st, until);
	}
	if (u->v.pooled && u->v.pool >= 0) {
		const struct pool *p = &w->pools[u->v.pool];

		double dev = p->dev_area +
			     p->devices * (w->horizon_s - p->last_t);

		/* over the device-time the pool had: bought devices from
		 * their arrival, owned ones until their retirement */
		*weight = dev;
		return dev > 0 ? (p->busy_area +
				  p->busy * (w->horizon_s - p->last_t)) /
					 dev
			       : 0;
	}
	/* of the device-hours its attempts held, the share not lost to
	 * failures: jobs still running at the horizon count for neither
	 * (they made useful over consumed 1.08 for department-montreal's
	 * monthly runs, counted when asked for) */
	*weight = u->consumed_dh * 3600;
	return u->consumed_dh > 0 ? 1 - u->lost_dh / u->consumed_dh : 1;
}

static double unit_cost(const struct unit *u)
{
	bool jobs = u->a->w->kind == MODEL_RESEARCH ||
		    u->a->w->kind == MODEL_FINETUNE;

	if (jobs && !u->v.pooled && u->a->device_hours > 0 &&
	    u->consumed_dh > 0)
		return u->a->cost * u->consumed_dh / u->a->device_hours;
	return u->a->cost;
}

/* Research: all its work done; censored at the horizon. */
static void completion(const struct world *w, size_t wi, struct rep_wl *r,
		       bool done, double last_end)
{
	const struct model_workload *wl = &w->s->workloads[wi];
	double end = done ? last_end : w->horizon_s;

	if (wl->kind != MODEL_RESEARCH)
		return;
	r->completion_h = (end - wl->start) / HOUR;
	r->deadline_miss = !done || (wl->deadline > 0 && end > wl->deadline);
}

/* Empties h; one that took no sample is empty already (cheap: most
 * workloads have no latencies, most none of an LLM's). */
static void hist_reset(struct sim_hist *h)
{
	if (h->n)
		sim_hist_init(h);
}

/* The histograms collect merges a workload's units into, reused from
 * one workload to the next. */
struct merged {
	struct sim_hist wait, lat, ttft, tpot;
};

static void collect(const struct world *w, const struct shared *sh,
		    size_t wi, struct merged *m, struct rep_wl *r)
{
	struct sim_hist *wait = &m->wait, *lat = &m->lat;
	struct sim_hist *ttft = &m->ttft, *tpot = &m->tpot;
	const struct model_workload *wl = &w->s->workloads[wi];
	uint64_t late = 0, asked = 0, runs = 0, ttft_late = 0, tpot_late = 0;
	double last = 0, run_h = 0, util = 0, wutil = 0, wsum = 0;
	size_t units = 0;
	bool done = true;

	memset(r, 0, sizeof(*r));
	hist_reset(wait);
	hist_reset(lat);
	hist_reset(ttft);
	hist_reset(tpot);
	for (size_t k = sh->first[wi]; k < sh->first[wi + 1]; k++) {
		const struct unit *u = &w->units[sh->by_wl[k]];
		if (u->wait)
			sim_hist_merge(wait, u->wait);
		if (u->st.wait)
			sim_hist_merge(wait, u->st.wait);
		if (wl->kind == MODEL_INFERENCE && u->st.sojourn)
			sim_hist_merge(lat, u->st.sojourn);
		if (u->llm) {
			sim_hist_merge(ttft, u->ttft);
			sim_hist_merge(tpot, u->tpot);
			ttft_late += u->ttft_late;
			tpot_late += u->tpot_late;
		}
		late += u->st.late;
		asked += u->st.arrived;
		runs += u->runs_done;
		run_h += u->completion_sum;
		done &= u->jobs_left == 0;
		last = fmax(last, u->last_end_s);
		r->cost += unit_cost(u);
		{
			double weight, x = unit_util(w, u, &weight);

			util += x;
			wutil += x * weight;
			wsum += weight;
			units++;
		}
	}
	quantiles(wait, 1, r->wait);
	quantiles(lat, 1000, r->lat);
	quantiles(ttft, 1000, r->ttft);
	quantiles(tpot, 1000, r->tpot);
	r->nwait = wait->n;
	r->nlat = lat->n;
	r->nttft = ttft->n;
	r->ntpot = tpot->n;
	/* shares of the requests that got their first token, or finished */
	r->ttft_miss = ttft->n ? (double)ttft_late / (double)ttft->n : 0;
	r->tpot_miss = tpot->n ? (double)tpot_late / (double)tpot->n : 0;
	/* weighted by what each unit had; a plain mean when none had
	 * anything (nothing ran) */
	r->util = wsum > 0 ? wutil / wsum : units ? util / (double)units : 0;
	if (wl->kind == MODEL_TEACHING && wl->teaching.start_within >= 0)
		r->slo_miss = sim_hist_above(wait, wl->teaching.start_within);
	if (wl->kind == MODEL_INFERENCE)
		r->slo_miss = asked ? (double)late / (double)asked : 0;
	if (wl->kind == MODEL_FINETUNE) {
		r->completion_h = runs ? run_h / (double)runs : 0;
		r->slo_miss = runs ? (double)late / (double)runs : 0;
	}
	completion(w, wi, r, done, last);
}

#define MAX_POOLS 64 /* on-prem pools measured: accelerators on premises */

/* What one replication measured of one on-prem pool, hours. */
struct rep_pool {
	const char *accel;
	double busy_h, devices_h, oversized;
};

struct runner {
	const struct shared *sh;
	struct rep_wl *reps; /* [rep * nwl + w] */
	struct rep_pool *pools; /* [rep * MAX_POOLS + k] */
	size_t *npools;		/* per replication */
	uint64_t *events;    /* per replication */
	char *trace;	     /* replication 0's, with opts.trace */
	struct sim_hist **cdf; /* replication 0's latencies, per workload */
	int next, done;
	pthread_mutex_t lock;
};

/* Replication 0's request latencies, in ms, per inference workload. */
static void keep_latencies(const struct world *w, struct sim_hist **cdf)
{
	for (size_t i = 0; i < w->nunits; i++) {
		const struct unit *u = &w->units[i];
		const struct sim_hist *h = u->st.sojourn;

		if (u->a->w->kind != MODEL_INFERENCE || !h)
			continue;
		if (!cdf[u->w]) {
			cdf[u->w] = util_xmalloc(sizeof(**cdf));
			sim_hist_init(cdf[u->w]);
		}
		/* buckets do not shift from seconds to ms: re-add each
		 * bucket's middle, in ms */
		for (int b = 0; b < SIM_HIST_BUCKETS; b++) {
			double ms = h->count[b] ? 1e-6 * pow(1.02, b + 0.5)
						: 0;

			for (uint64_t k = 0; k < h->count[b]; k++)
				sim_hist_add(cdf[u->w], ms);
		}
		for (uint64_t k = 0; k < h->zeros; k++)
			sim_hist_add(cdf[u->w], 0);
	}
}

/* The on-prem pools' use at the horizon: batch jobs' busy device-time,
 * and the plan's device-hours of the services and teaching held there. */
static void collect_pools(const struct world *w, struct rep_pool *out,
			  size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < w->npools && *n < MAX_POOLS; i++) {
		const struct pool *p = &w->pools[i];
		double rest = w->horizon_s - p->last_t;
		struct rep_pool *r = &out[*n];

		if (p->academic || p->offer)
			continue;
		r->accel = p->accel;
		r->busy_h = (p->busy_area + p->busy * rest) / HOUR;
		r->devices_h = (p->dev_area + p->devices * rest) / HOUR;
		r->oversized = (double)p->oversized;
		for (size_t u = 0; u < w->nunits; u++) {
			const struct unit *x = &w->units[u];
			enum model_kind k = x->a->w->kind;

			if (x->v.pooled && x->v.pool == (int)i &&
			    (k == MODEL_INFERENCE || k == MODEL_TEACHING))
				r->busy_h += x->a->device_hours;
		}
		(*n)++;
	}
}

static void run_replication(struct runner *rn, int rep)
{
	const struct shared *sh = rn->sh;
	struct world w = {.s = sh->s, .p = sh->p, .o = sh->o,
			  .horizon_s = sh->horizon_s};
	sim_handler handlers[NKINDS];
	struct util_buf trace;
	struct merged *m;

	world_handlers(handlers);
	util_buf_init(&trace);
	w.handlers = handlers;
	w.period_cum = (const double *const *)sh->cum;
	w.e = sim_engine_new(&w, handlers, NKINDS);
	if (sh->o->trace && rep == 0) {
		w.trace = &trace;
		sim_engine_trace(w.e, trace_event, &w);
	}
	w.link_bps = sh->s->venues.link > 0 ? sh->s->venues.link : 0;
	w.nunits = sh->p->nassign;
	w.units = util_xcalloc(w.nunits + 1, sizeof(*w.units));
	for (size_t i = 0; i < w.nunits; i++)
		setup_unit(&w, sh, i, (uint64_t)rep);
	rn->events[rep] = sim_run(w.e, w.horizon_s) + w.alone_events;
	m = util_xmalloc(sizeof(*m));
	sim_hist_init(&m->wait);
	sim_hist_init(&m->lat);
	sim_hist_init(&m->ttft);
	sim_hist_init(&m->tpot);
	for (size_t i = 0; i < sh->s->nworkloads; i++)
		collect(&w, sh, i, m,
			&rn->reps[(size_t)rep * sh->s->nworkloads + i]);
	free(m);
	collect_pools(&w, &rn->pools[(size_t)rep * MAX_POOLS],
		      &rn->npools[rep]);
	if (rep == 0)
		keep_latencies(&w, rn->cdf);
	if (w.trace)
		rn->trace = util_buf_detach(&trace);
	world_release(&w);
}

static void *worker(void *arg)
{
	struct runner *rn = arg;
	const struct sim_opts *o = rn->sh->o;

	for (;;) {
		int rep;

		pthread_mutex_lock(&rn->lock);
		rep = rn->next++;
		pthread_mutex_unlock(&rn->lock);
		if (rep >= o->replications)
			return NULL;
		run_replication(rn, rep);
		pthread_mutex_lock(&rn->lock);
		rn->done++;
		if (o->progress)
			o->progress(o->progress_arg, rn->done, o->replications);
		pthread_mutex_unlock(&rn->lock);
	}
}

static void run_all(struct runner *rn, int jobs)
{
	pthread_t tid[64];
	int n = jobs < 1 ? 1 : jobs > 64 ? 64 : jobs, started = 0;

	pthread_mutex_init(&rn->lock, NULL);
	for (int i = 1; i < n; i++)
		if (!pthread_create(&tid[started], NULL, worker, rn))
			started++;
	worker(rn); /* this thread works too */
	for (int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&rn->lock);
}

static struct sim_stat over(const struct runner *rn, size_t nwl, size_t wi,
			    size_t field)
{
	int n = rn->sh->o->replications;
	double *v = util_xcalloc((size_t)n, sizeof(*v));
	struct sim_stat s;

	for (int r = 0; r < n; r++)
		v[r] = *(const double *)((const char *)&rn->reps[(size_t)r *
								   nwl + wi] +
					 field);
	s = sim_stat_of(v, n);
	free(v);
	return s;
}

#define FIELD(f) offsetof(struct rep_wl, f)

static void dist_over(const struct runner *rn, size_t nwl, size_t wi,
		      size_t base, struct sim_dist *d)
{
	d->mean = over(rn, nwl, wi, base);
	d->p50 = over(rn, nwl, wi, base + sizeof(double));
	d->p95 = over(rn, nwl, wi, base + 2 * sizeof(double));
	d->p99 = over(rn, nwl, wi, base + 3 * sizeof(double));
}

static void summarise(const struct runner *rn, struct sim_result *out)
{
	const struct model_scenario *s = rn->sh->s;
	size_t nwl = s->nworkloads;

	out->wl = util_xcalloc(nwl + 1, sizeof(*out->wl));
	out->nwl = nwl;
	for (size_t i = 0; i < nwl; i++) {
		struct sim_workload_result *r = &out->wl[i];
		enum model_kind k = s->workloads[i].kind;

		r->w = &s->workloads[i];
		for (int rep = 0; rep < rn->sh->o->replications; rep++) {
			r->wait_s.samples += rn->reps[rep * nwl + i].nwait;
			r->latency_ms.samples += rn->reps[rep * nwl + i].nlat;
			r->ttft_ms.samples += rn->reps[rep * nwl + i].nttft;
			r->tpot_ms.samples += rn->reps[rep * nwl + i].ntpot;
		}
		dist_over(rn, nwl, i, FIELD(wait), &r->wait_s);
		dist_over(rn, nwl, i, FIELD(lat), &r->latency_ms);
		dist_over(rn, nwl, i, FIELD(ttft), &r->ttft_ms);
		dist_over(rn, nwl, i, FIELD(tpot), &r->tpot_ms);
		r->ttft_miss = over(rn, nwl, i, FIELD(ttft_miss));
		r->tpot_miss = over(rn, nwl, i, FIELD(tpot_miss));
		r->has_tokens = r->ttft_ms.samples > 0;
		r->completion_h = over(rn, nwl, i, FIELD(completion_h));
		r->deadline_miss = over(rn, nwl, i, FIELD(deadline_miss));
		r->slo_miss = over(rn, nwl, i, FIELD(slo_miss));
		r->cost = over(rn, nwl, i, FIELD(cost));
		r->utilisation = over(rn, nwl, i, FIELD(util));
		r->has_wait = r->wait_s.samples > 0;
		r->has_latency = k == MODEL_INFERENCE;
		r->has_completion = k == MODEL_RESEARCH || k == MODEL_FINETUNE;
		r->has_deadline = k == MODEL_RESEARCH && r->w->deadline > 0;
		r->has_slo = (k == MODEL_TEACHING &&
			      r->w->teaching.start_within >= 0) ||
			     (k == MODEL_INFERENCE &&
			      r->w->inference.latency_p99 > 0) ||
			     k == MODEL_FINETUNE;
	}
}

/* Per pool of replication 0 (every replication has the same pools, set
 * up in the plan's order), its use over the replications. */
static void summarise_pools(const struct runner *rn, struct sim_result *out)
{
	int n = rn->sh->o->replications;
	double *busy = util_xcalloc((size_t)n, sizeof(double));
	double *dev = util_xcalloc((size_t)n, sizeof(double));
	double *big = util_xcalloc((size_t)n, sizeof(double));

	out->npools = rn->npools[0];
	out->pools = util_xcalloc(out->npools + 1, sizeof(*out->pools));
	for (size_t k = 0; k < out->npools; k++) {
		for (int r = 0; r < n; r++) {
			const struct rep_pool *x =
				&rn->pools[(size_t)r * MAX_POOLS + k];

			UTIL_BUG_ON(k >= rn->npools[r] ||
				    strcmp(x->accel, rn->pools[k].accel));
			busy[r] = x->busy_h;
			dev[r] = x->devices_h;
			big[r] = x->oversized;
		}
		out->pools[k].accel = rn->pools[k].accel;
		out->pools[k].busy_h = sim_stat_of(busy, n);
		out->pools[k].devices_h = sim_stat_of(dev, n);
		out->pools[k].oversized = sim_stat_of(big, n);
	}
	free(big);
	free(dev);
	free(busy);
}

int sim_simulate(const struct model_scenario *s, const struct model_plan *p,
		 const struct sim_opts *opts, struct sim_result *out,
		 struct util_err *err)
{
	struct shared sh = {.s = s, .p = p, .o = opts};
	struct runner rn = {.sh = &sh};
	int n = opts->replications;

	memset(out, 0, sizeof(*out));
	if (n < 2 || n > 100000)
		return util_err_set(err, UTIL_E_INPUT, "replications must be "
				    "between 2 and 100000, got %d", n);
	if (p->status != MODEL_PLAN_OPTIMAL && p->status != MODEL_PLAN_FEASIBLE)
		return util_err_set(err, UTIL_E_INPUT, "there is no plan to "
				    "simulate");
	if (model_estimate(s, NULL, NULL, &sh.est, err))
		return UTIL_E_INPUT;
	sh.horizon_s = opts->horizon_s > 0 ? fmin(opts->horizon_s, s->horizon)
					   : s->horizon;
	index_by_workload(&sh);
	sh.cum = util_xcalloc(p->nassign + 1, sizeof(*sh.cum));
	for (size_t i = 0; i < p->nassign; i++)
		if (p->assign[i].w->kind == MODEL_RESEARCH)
			sh.cum[i] = period_cum(&p->assign[i], p);
	rn.reps = util_xcalloc((size_t)n * s->nworkloads + 1,
			       sizeof(*rn.reps));
	rn.events = util_xcalloc((size_t)n, sizeof(*rn.events));
	rn.pools = util_xcalloc((size_t)n * MAX_POOLS, sizeof(*rn.pools));
	rn.npools = util_xcalloc((size_t)n, sizeof(*rn.npools));
	rn.cdf = util_xcalloc(s->nworkloads + 1, sizeof(*rn.cdf));
	run_all(&rn, opts->jobs);
	summarise(&rn, out);
	summarise_pools(&rn, out);
	for (size_t i = 0; i < s->nworkloads; i++)
		out->wl[i].latency_hist = rn.cdf[i];
	free(rn.cdf);
	out->seed = opts->seed;
	out->replications = n;
	out->horizon_s = sh.horizon_s;
	for (int i = 0; i < n; i++)
		out->events += rn.events[i];
	out->trace = rn.trace;
	free(rn.reps);
	free(rn.events);
	free(rn.pools);
	free(rn.npools);
	model_estimate_release(&sh.est);
	free(sh.first);
	free(sh.by_wl);
	for (size_t i = 0; i < p->nassign; i++)
		free(sh.cum[i]);
	free(sh.cum);
	return 0;
}

void sim_result_release(struct sim_result *r)
{
	for (size_t i = 0; i < r->nwl; i++)
		free(r->wl[i].latency_hist);
	free(r->wl);
	free(r->pools);
	free(r->trace);
	memset(r, 0, sizeof(*r));
}
