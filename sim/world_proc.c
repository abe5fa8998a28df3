/* The processes of a simulated plan: students asking for devices, jobs
 * queueing, running, preempted and restarted from checkpoints, runs
 * moving their data over the shared link, request streams through
 * servers. One handler per event kind (docs/simulator.md). */
#include <math.h>
#include <string.h>

#include "world_int.h"

const char *const world_kind_names[NKINDS] = {
	"student", "slot-free", "request", "job-submit", "job-start",
	"job-end", "job-fail", "run", "transfer-done", "llm-step",
	"devices-arrive", "devices-retire"};

#define HOUR 3600.0

/* Time to get a rented device: provisioning, again after each refusal. */
static double rented_delay(struct unit *u)
{
	double d = 0;

	do
		d += sim_lnq_draw(&u->rng, &u->v.provision_q) * HOUR;
	while (sim_uniform(&u->rng) < u->v.refuse);
	return d;
}

/* The queue wait of an academic job grows with the account's usage
 * above its fair share: its priority falls as usage grows
 * (docs/academic.md). */
static double academic_wait(struct world *w, struct unit *u)
{
	const struct pool *p = u->v.pool >= 0 ? &w->pools[u->v.pool] : NULL;
	double above = p && p->share > 0 ? p->busy / p->share : 0;

	return sim_lnq_draw(&u->rng, &u->v.queue_q) * HOUR * fmax(above, 1);
}

/* ---- pools: devices shared by the jobs placed on them, FIFO ---- */

static void pool_account(struct pool *p, double now)
{
	p->busy_area += p->busy * (now - p->last_t);
	p->dev_area += p->devices * (now - p->last_t);
	p->last_t = now;
}

static void start_job_now(struct world *w, uint32_t j)
{
	sim_schedule(w->e, sim_now(w->e), K_JOB_START, j, w->jobs[j].gen);
}

/* A job's place in a pool's queue: work with a deadline first, the
 * earliest deadline first, then in order of arrival. */
static double deadline_of(const struct world *w, uint32_t j)
{
	double d = w->s->workloads[w->units[w->jobs[j].unit].w].deadline;

	return d > 0 ? d : INFINITY;
}

/* What a job takes of a pool: its devices, or on the academic account
 * their RGU. */
static double need(const struct world *w, const struct pool *p, uint32_t j)
{
	const struct unit *u = &w->units[w->jobs[j].unit];

	return w->jobs[j].devices *
	       (p->academic ? u->a->offer->term[PRICING_RGU] : 1);
}

/* A job fits when the pool has room, or when the pool is idle (a job
 * larger than an account's burst runs alone); a pool whose devices have
 * not arrived yet has no room. */
static bool fits(const struct world *w, const struct pool *p, uint32_t j)
{
	return p->busy + need(w, p, j) <= p->devices + 1e-9 ||
	       (p->busy <= 0 && p->devices > 0);
}

/* The queue is a heap by (deadline, arrival): the order a list kept
 * sorted by deadline, each job after those of its deadline that came
 * before it, gives, at O(log n) a job instead of O(n). */
static bool wait_before(const struct pool_wait *a, const struct pool_wait *b)
{
	return a->deadline < b->deadline ||
	       (a->deadline == b->deadline && a->ord < b->ord);
}

static void queue_push(struct pool *p, struct pool_wait x)
{
	size_t i;

	UTIL_GROW(p->q, p->qlen + 1, p->qcap);
	for (i = p->qlen++; i > 0; i = (i - 1) / 2) { /* sift up */
		if (!wait_before(&x, &p->q[(i - 1) / 2]))
			break;
		p->q[i] = p->q[(i - 1) / 2];
	}
	p->q[i] = x;
}

static void queue_pop(struct pool *p)
{
	struct pool_wait last = p->q[--p->qlen];
	size_t i = 0;

	for (;;) { /* sift the last down from the root */
		size_t l = 2 * i + 1, m = l;

		if (l >= p->qlen)
			break;
		if (l + 1 < p->qlen && wait_before(&p->q[l + 1], &p->q[l]))
			m = l + 1;
		if (!wait_before(&p->q[m], &last))
			break;
		p->q[i] = p->q[m];
		i = m;
	}
	if (p->qlen)
		p->q[i] = last;
}

/* A job of more devices than an on-prem pool or an offer's limit has
 * (a `job_sizes` entry past it) runs alone, on all of them, for longer:
 * its device-hours are kept, the pool is never busier than its devices,
 * and the pool counts it. On the academic account a job may take more
 * than the burst when the account is idle (its RGU count as usage). */
static void fit_pool(struct world *w, struct pool *p, uint32_t j)
{
	struct job *jb = &w->jobs[j];
	double d = floor(p->devices);

	if (p->academic || !(jb->devices > p->devices) || !(d >= 1))
		return;
	jb->work_h *= jb->devices / d;
	jb->devices = (int)d;
	p->oversized++;
}

static void pool_request(struct world *w, struct pool *p, uint32_t j)
{
	pool_account(p, sim_now(w->e));
	if (!p->qlen && fits(w, p, j)) {
		fit_pool(w, p, j);
		p->busy += need(w, p, j);
		start_job_now(w, j);
		return;
	}
	queue_push(p, (struct pool_wait){deadline_of(w, j), p->qord++, j});
	w->jobs[j].waiting_pool = true;
}

static void pool_drain(struct world *w, struct pool *p);

static void pool_release(struct world *w, struct pool *p, uint32_t done)
{
	pool_account(p, sim_now(w->e));
	p->busy = fmax(p->busy - need(w, p, done), 0);
	pool_drain(w, p);
}

/* Starts the jobs at the head of p's queue while they fit. */
static void pool_drain(struct world *w, struct pool *p)
{
	while (p->qlen) {
		uint32_t j = p->q[0].job;

		if (!fits(w, p, j))
			break;
		queue_pop(p);
		fit_pool(w, p, j);
		p->busy += need(w, p, j);
		w->jobs[j].waiting_pool = false;
		start_job_now(w, j);
	}
}

/* ---- jobs ---- */

static void submit(struct world *w, uint32_t j)
{
	struct job *jb = &w->jobs[j];
	struct unit *u = &w->units[jb->unit];
	double now = sim_now(w->e);

	if (u->v.pooled && u->v.pool >= 0)
		pool_request(w, &w->pools[u->v.pool], j);
	else if (u->v.academic && !jb->queued) { /* the queue, then the share */
		jb->queued = true;
		sim_schedule(w->e, now + academic_wait(w, u), K_JOB_SUBMIT, j,
			     jb->gen);
	} else if (u->v.academic && u->v.pool >= 0)
		pool_request(w, &w->pools[u->v.pool], j);
	else if (u->v.academic)
		start_job_now(w, j);
	else if (u->v.rented && u->v.pool >= 0 && !jb->queued) {
		jb->queued = true; /* provisioned, then within the limit */
		sim_schedule(w->e, now + rented_delay(u), K_JOB_SUBMIT, j,
			     jb->gen);
	} else if (u->v.rented && u->v.pool >= 0)
		pool_request(w, &w->pools[u->v.pool], j);
	else if (u->v.rented)
		sim_schedule(w->e, now + rented_delay(u), K_JOB_START, j,
			     jb->gen);
	else
		start_job_now(w, j);
}

static void on_job_submit(struct sim_engine *e, uint32_t j, uint32_t gen)
{
	struct world *w = sim_ctx(e);

	(void)gen;
	if (!w->jobs[j].queued)
		w->jobs[j].submitted = sim_now(e);
	submit(w, j);
}

/* An attempt runs until the job ends or, on preemptible venues, until
 * the next failure, whichever comes first. */
static void on_job_start(struct sim_engine *e, uint32_t j, uint32_t gen)
{
	struct world *w = sim_ctx(e);
	struct job *jb = &w->jobs[j];
	struct unit *u = &w->units[jb->unit];
	double now = sim_now(e), fail_h = INFINITY;

	if (gen != jb->gen) /* a stale event */
		return;
	if (!jb->first_start_done) {
		jb->first_start_done = true;
		world_wait_add(u, now - jb->submitted);
	}
	jb->attempt_start = now;
	/* a market host runs at its own speed, normal around 1 */
	jb->speed = u->v.spread > 0
			    ? fmax(sim_normal(&u->rng, 1, u->v.spread), 0.2)
			    : 1;
	if (u->v.hazard > 0)
		fail_h = sim_exponential(&u->rng, 1 / u->v.hazard);
	if (fail_h < jb->work_h / jb->speed)
		sim_schedule(e, now + fail_h * HOUR, K_JOB_FAIL, j, jb->gen);
	else
		sim_schedule(e, now + jb->work_h / jb->speed * HOUR, K_JOB_END,
			     j, jb->gen);
}

/* Preempted: the work since the last checkpoint is lost; the job waits
 * for a restart (and a new device on a rented venue). */
static void on_job_fail(struct sim_engine *e, uint32_t j, uint32_t gen)
{
	struct world *w = sim_ctx(e);
	struct job *jb = &w->jobs[j];
	struct unit *u = &w->units[jb->unit];
	double ran_h = (sim_now(e) - jb->attempt_start) / HOUR, delay;
	double done_h = ran_h * jb->speed; /* work, at the host's speed */
	double kept = u->v.checkpoint_h > 0
			      ? floor(done_h / u->v.checkpoint_h) *
					u->v.checkpoint_h
			      : 0;

	if (gen != jb->gen)
		return;
	jb->work_h -= fmin(kept, jb->work_h);
	u->consumed_dh += ran_h * jb->devices;
	u->lost_dh += (ran_h - fmin(kept, done_h) / jb->speed) * jb->devices;
	jb->gen++;
	delay = u->v.restart_h * HOUR + (u->v.rented ? rented_delay(u) : 0);
	sim_schedule(e, sim_now(e) + delay, K_JOB_START, j, jb->gen);
}

static void on_job_end(struct sim_engine *e, uint32_t j, uint32_t gen)
{
	struct world *w = sim_ctx(e);
	struct job *jb = &w->jobs[j];
	struct unit *u = &w->units[jb->unit];
	double now = sim_now(e);

	if (gen != jb->gen)
		return;
	u->consumed_dh += jb->work_h / jb->speed * jb->devices;
	jb->gen++;
	if (u->v.pool >= 0)
		pool_release(w, &w->pools[u->v.pool], j);
	u->completion_sum += (now - jb->due) / HOUR;
	u->runs_done++;
	/* a fine-tuning run is late past its cadence period (u->rate) */
	if (w->s->workloads[u->w].kind == MODEL_FINETUNE &&
	    now - jb->due > 1 / u->rate)
		u->st.late++;
	u->last_end_s = now;
	if (u->jobs_left)
		u->jobs_left--;
}

/* ---- the shared on-prem link: transfers share it equally ---- */

static void link_advance(struct world *w)
{
	double now = sim_now(w->e), moved;

	if (w->nxfers) {
		moved = (now - w->link_last) * w->link_bps / (double)w->nxfers;
		for (size_t i = 0; i < w->nxfers; i++)
			w->xfers[i].left -= moved;
	}
	w->link_last = now;
}

/* The next completion; earlier schedules go stale by generation. */
static void link_reschedule(struct world *w)
{
	double least = INFINITY;

	w->link_gen++;
	for (size_t i = 0; i < w->nxfers; i++)
		least = fmin(least, w->xfers[i].left);
	if (w->nxfers)
		sim_schedule(w->e, sim_now(w->e) +
					   fmax(least, 0) * (double)w->nxfers /
						   w->link_bps,
			     K_XFER, 0, w->link_gen);
}

static void link_add(struct world *w, uint32_t j)
{
	link_advance(w);
	UTIL_GROW(w->xfers, w->nxfers + 1, w->xfers_alloc);
	w->xfers[w->nxfers++] = (struct xfer){j, w->jobs[j].bytes};
	link_reschedule(w);
}

static void on_xfer(struct sim_engine *e, uint32_t ent, uint32_t gen)
{
	struct world *w = sim_ctx(e);
	size_t out = 0;

	(void)ent;
	if (gen != w->link_gen)
		return;
	link_advance(w);
	for (size_t i = 0; i < w->nxfers; i++) {
		double rest = w->xfers[i].left * (double)w->nxfers /
			      w->link_bps;

		/* done, or what is left takes less than the clock can tell
		 * (a tiny dataset, a fast link, late in the horizon): else
		 * the link is rescheduled at the same time forever */
		if (w->xfers[i].left <= 1e-6 * w->jobs[w->xfers[i].job].bytes ||
		    !(sim_now(e) + rest > sim_now(e))) {
			w->jobs[w->xfers[i].job].submitted = sim_now(e);
			submit(w, w->xfers[i].job);
			continue;
		}
		w->xfers[out++] = w->xfers[i];
	}
	w->nxfers = out;
	link_reschedule(w);
}

/* ---- work arriving ---- */

void world_wait_add(struct unit *u, double wait_s)
{
	if (!u->wait) {
		u->wait = util_xmalloc(sizeof(*u->wait));
		sim_hist_init(u->wait);
	}
	sim_hist_add(u->wait, wait_s);
}

uint32_t world_add_job(struct world *w, uint32_t unit, double work_h,
		       int devices, double bytes)
{
	struct job *jb;

	UTIL_GROW(w->jobs, w->njobs + 1, w->jobs_alloc);
	jb = &w->jobs[w->njobs];
	memset(jb, 0, sizeof(*jb));
	jb->unit = unit;
	jb->work_h = work_h;
	jb->devices = devices;
	jb->bytes = bytes;
	return (uint32_t)w->njobs++;
}

/* A fine-tuning run is due: its data moves first when the link is
 * shared, then it queues like any job; the next run is scheduled. */
static void on_run(struct sim_engine *e, uint32_t unit, uint32_t gen)
{
	struct world *w = sim_ctx(e);
	struct unit *u = &w->units[unit];
	double now = sim_now(e), bytes = 0;
	uint32_t j;

	(void)gen;
	if (u->v.pooled && w->link_bps > 0)
		bytes = w->s->workloads[u->w].dataset;
	j = world_add_job(w, unit, u->run_h, u->devices, bytes);
	w->jobs[j].due = w->jobs[j].submitted = now;
	if (bytes > 0)
		link_add(w, j);
	else
		submit(w, j);
	if (now + 1 / u->rate < u->end_s)
		sim_schedule(e, now + 1 / u->rate, K_RUN, unit, 0);
}

/* A student asks for a device: a slot of the course's devices (held to
 * the end of the session), or a rented instance, or a place in the
 * academic queue. Students have no state of their own: the event's gen
 * carries the end of their session, in whole seconds. */
static void on_student(struct sim_engine *e, uint32_t unit, uint32_t gen)
{
	struct world *w = sim_ctx(e);
	struct unit *u = &w->units[unit];
	double session_end = (double)gen;

	u->asked++;
	if (u->v.pooled || u->v.family == PRICING_EDGE)
		sim_station_arrive(&u->st, e, fmax(session_end - sim_now(e),
						   60));
	else if (u->v.academic) /* asked for lead_s before the session */
		world_wait_add(u, fmax(academic_wait(w, u) - u->a->lead_s, 0));
	else
		world_wait_add(u, fmax(rented_delay(u) - u->a->lead_s, 0));
}

static void on_slot_free(struct sim_engine *e, uint32_t unit, uint32_t gen)
{
	struct world *w = sim_ctx(e);

	(void)gen;
	sim_station_depart(&w->units[unit].st, e);
}

/* A request's service: the performance model's (an LLM's spread by its
 * output length when the scenario gives a p99), or the scenario's
 * service_time with its distribution. */
static double service(struct world *w, struct unit *u)
{
	const struct model_inference *in = &w->s->workloads[u->w].inference;
	double s = u->service_s, sigma;

	if (!(in->service_time > 0)) {
		sigma = model_llm_length_sigma(in);
		return sigma > 0 ? s * sim_lognormal(&u->rng,
						     -sigma * sigma / 2, sigma)
				 : s;
	}
	switch (in->service_dist) {
	case MODEL_SERVICE_EXPONENTIAL:
		return sim_exponential(&u->rng, s);
	case MODEL_SERVICE_LOGNORMAL:
		sigma = sqrt(log(1 + in->cv * in->cv));
		return sim_lognormal(&u->rng, log(s) - sigma * sigma / 2,
				     sigma);
	default:
		return s;
	}
}

static void on_request(struct sim_engine *e, uint32_t unit, uint32_t gen)
{
	struct world *w = sim_ctx(e);
	struct unit *u = &w->units[unit];
	double next = sim_now(e) + sim_exponential(&u->rng, 1 / u->rate);

	(void)gen;
	if (u->llm)
		world_llm_request(w, unit);
	else
		sim_station_arrive(&u->st, e, service(w, u));
	if (next < u->end_s)
		sim_schedule(e, next, K_REQUEST, unit, 0);
}

/* Devices bought by the plan arrive at their pool (available_period)
 * and take waiting jobs. */
static void on_arrive(struct sim_engine *e, uint32_t pool, uint32_t buy)
{
	struct world *w = sim_ctx(e);
	struct pool *p = &w->pools[pool];

	pool_account(p, sim_now(e));
	p->devices += (double)w->p->buy[buy].count;
	pool_drain(w, p);
}

/* Owned devices past their life leave the pool: jobs running on them
 * end first (the pool is over its size until they do). */
static void on_retire(struct sim_engine *e, uint32_t pool, uint32_t owned)
{
	struct world *w = sim_ctx(e);
	struct pool *p = &w->pools[pool];

	pool_account(p, sim_now(e));
	p->devices -= w->s->venues.owned[owned].amount;
	if (p->devices < 0)
		p->devices = 0;
}

void world_handlers(sim_handler out[NKINDS])
{
	out[K_ARRIVE] = on_arrive;
	out[K_RETIRE] = on_retire;
	out[K_STUDENT] = on_student;
	out[K_SLOT_FREE] = on_slot_free;
	out[K_REQUEST] = on_request;
	out[K_JOB_SUBMIT] = on_job_submit;
	out[K_JOB_START] = on_job_start;
	out[K_JOB_END] = on_job_end;
	out[K_JOB_FAIL] = on_job_fail;
	out[K_RUN] = on_run;
	out[K_XFER] = on_xfer;
	out[K_LLM_STEP] = world_llm_step_end;
}
