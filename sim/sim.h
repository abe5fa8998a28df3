/* sim: the discrete-event simulator (DESIGN §8, docs/simulator.md): an
 * event kernel, random streams and distributions of our own, mergeable
 * histograms, queueing stations, the processes of every workload kind,
 * and Monte Carlo replications on threads. Knows model/ (plan,
 * workloads). */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include "../model/model.h"
#include "../util/util.h"

/* ---- random streams (sim/rng.c) ---- */

struct sim_rng {
	uint64_t s[4];
	double spare;
	bool spare_valid;
};

/* Stream `stream` of `seed`: independent streams for independent random
 * processes, the same numbers on every platform. */
void sim_rng_seed(struct sim_rng *r, uint64_t seed, uint64_t stream);
uint64_t sim_rng_next(struct sim_rng *r);
double sim_uniform(struct sim_rng *r); /* in (0, 1) */
double sim_exponential(struct sim_rng *r, double mean);
double sim_normal(struct sim_rng *r, double mu, double sigma);
double sim_lognormal(struct sim_rng *r, double mu, double sigma);
/* Lognormal given its median and 90th percentile. */
double sim_lognormal_q(struct sim_rng *r, double p50, double p90);
/* The same with its parameters worked out once (two logs a draw less):
 * sim_lnq_draw(r, q) after sim_lnq_init(q, p50, p90) gives the number
 * sim_lognormal_q(r, p50, p90) gives, from the same stream. */
struct sim_lnq {
	double mu, sigma;
	bool zero; /* p50 <= 0: always 0, no draw */
};
void sim_lnq_init(struct sim_lnq *q, double p50, double p90);
double sim_lnq_draw(struct sim_rng *r, const struct sim_lnq *q);
double sim_gamma(struct sim_rng *r, double shape, double scale);
/* A sample of the empirical distribution of sorted[0..n), interpolated. */
double sim_empirical(struct sim_rng *r, const double *sorted, size_t n);

/* A research job of workload r (docs/simulator.md): returns its GPUs,
 * drawn from r's `job_sizes` (devices without them), and sets *len_h to
 * its length in hours, drawn from `job_lengths` (lognormal through p50
 * and p90, capped at max) or else lognormal with r's length_cv, scaled
 * so that its mean is mean_h: with mean_h the mean device-hours of a job
 * over the mean GPUs of a job, a job's device-hours are in expectation
 * those of the plan. */
int sim_job_draw(struct sim_rng *rng, const struct model_research *r,
		 int devices, double mean_h, double *len_h);
/* How many jobs are submitted together next (sh's `arrays`): the tasks
 * of an array (array_tasks on average, rounded at random) with the
 * chance that makes array_share of the jobs array tasks, else 1. */
long sim_array_draw(struct sim_rng *rng, const struct model_job_shape *sh);

/* Times weighted by hour of the week (sim/jobs.c): time 0 is Monday
 * 00:00, hour h of the week [h, h + 1) h after it, each week alike. */
struct sim_weekly {
	double cum[169]; /* cum[h]: the weights of the hours before h */
};
/* From 168 weights >= 0, not all 0, Monday 00h first; time 0 falls on
 * weekday0 (0 Monday .. 6 Sunday) at 00h. */
void sim_weekly_init(struct sim_weekly *wk, const double *w168,
		     int weekday0);
/* The time in [a, b) (s) whose weight below it is a share u (0 <= u < 1)
 * of the weight of [a, b), the density within an hour flat; -1 when
 * [a, b) has no weight. With u uniform, times follow the weights. */
double sim_weekly_time(const struct sim_weekly *wk, double a, double b,
		       double u);

/* ---- histograms and statistics (sim/hist.c, sim/stats.c) ---- */

#define SIM_HIST_BUCKETS 2450 /* 1e-9 to 1.2e12 at 2% per bucket */

/* Quantiles within 1% relative error in constant memory; mergeable. */
struct sim_hist {
	uint64_t n, zeros;
	double sum, min, max;
	uint64_t count[SIM_HIST_BUCKETS];
};
void sim_hist_init(struct sim_hist *h);
void sim_hist_add(struct sim_hist *h, double v);
void sim_hist_merge(struct sim_hist *dst, const struct sim_hist *src);
double sim_hist_mean(const struct sim_hist *h);
double sim_hist_quantile(const struct sim_hist *h, double q);
/* Share of the samples above x (to the bucket: within 2% of x). */
double sim_hist_above(const struct sim_hist *h, double x);
/* The bucket of a sample v >= 1e-9: sim_hist_bucket as the histogram
 * finds it (tables, no log), sim_hist_bucket_exact by its definition
 * floor(log(v / 1e-9) / log(1.02)), clamped to the buckets. The two
 * agree for every double; exported for the test that says so. */
int sim_hist_bucket(double v);
int sim_hist_bucket_exact(double v);

/* Mean and half-width of its 95% confidence interval. */
struct sim_stat {
	double mean, ci95;
};
/* Over n replications (Student's t). */
struct sim_stat sim_stat_of(const double *v, int n);
/* The standard deviation across the n replications behind s (0 when they
 * agree or n < 2): the inverse of sim_stat_of's interval. */
double sim_stat_sd(struct sim_stat s, int n);

/* ---- the event kernel (sim/engine.c) ---- */

struct sim_engine;
/* Handles an event of its kind for entity ent; gen is the entity's
 * generation when the event was scheduled (lazy cancellation: a handler
 * ignores events whose gen is stale). */
typedef void (*sim_handler)(struct sim_engine *e, uint32_t ent, uint32_t gen);
/* Called for every event before its handler (--trace). */
typedef void (*sim_tracer)(void *arg, double t, uint32_t kind, uint32_t ent);

/* handlers[kind] for each of nkinds kinds; ctx is the model's state.
 * Free with sim_engine_free. */
struct sim_engine *sim_engine_new(void *ctx, const sim_handler *handlers,
				  size_t nkinds);
void sim_engine_free(struct sim_engine *e);
void sim_engine_trace(struct sim_engine *e, sim_tracer fn, void *arg);
/* Schedules an event at absolute time at (never before now). */
void sim_schedule(struct sim_engine *e, double at, uint32_t kind,
		  uint32_t ent, uint32_t gen);
double sim_now(const struct sim_engine *e);
void *sim_ctx(const struct sim_engine *e);
/* Runs events up to time until; returns how many ran. */
uint64_t sim_run(struct sim_engine *e, double until);

/* ---- queueing stations (sim/station.c) ---- */

struct sim_waiting {
	double arrived, service;
};

/* c servers, FIFO. A departure is an event of kind depart_kind for
 * entity id, whose handler calls sim_station_depart. */
struct sim_station {
	int servers, busy;
	uint32_t depart_kind, id;
	double extra; /* added to every sojourn: a network round trip */
	double late_after; /* sojourns above it count as late (0: none) */
	uint64_t late;
	struct sim_waiting *q;
	size_t qhead, qlen, qcap;
	/* allocated by sim_station_init, freed by sim_station_release: a
	 * plan's units without a station carry no histograms */
	struct sim_hist *wait, *sojourn;
	double busy_area, last_t;
	uint64_t arrived, served;
};
void sim_station_init(struct sim_station *st, int servers,
		      uint32_t depart_kind, uint32_t id);
void sim_station_release(struct sim_station *st);
/* A customer arrives now and needs `service` time units. */
void sim_station_arrive(struct sim_station *st, struct sim_engine *e,
			double service);
void sim_station_depart(struct sim_station *st, struct sim_engine *e);
/* Busy share of the servers from time 0 to until. */
double sim_station_utilisation(const struct sim_station *st, double until);

/* ---- an M/G/c queue on its own (sim/mgc.c): validation, benchmarks ---- */

enum sim_service { SIM_EXPONENTIAL, SIM_DETERMINISTIC, SIM_LOGNORMAL };

struct sim_mgc {
	double lambda;	/* arrivals per time unit */
	double service; /* mean service time */
	enum sim_service dist;
	double cv; /* lognormal: coefficient of variation */
	int servers;
	uint64_t customers;
	uint64_t seed, stream;
};
struct sim_mgc_result {
	struct sim_hist wait;
	double mean_wait;
	uint64_t events;
};
/* Runs customers through the queue; the first tenth is a warm-up that
 * is not measured. out->wait is big: keep it off the stack. */
void sim_mgc_run(const struct sim_mgc *q, struct sim_mgc_result *out);

/* ---- simulating a plan (sim/world*.c, docs/simulator.md) ---- */

/* A request stream is simulated for the time SIM_INFERENCE_REQUESTS
 * requests take to arrive, between 1 s and an hour (docs/simulator.md),
 * unless sim_opts sets a window; the second is cut short where it would
 * hold more than SIM_INFERENCE_MAX_REQUESTS (a billion a second from
 * each of 40 sites was 4e10 events a replication: minutes). */
#define SIM_INFERENCE_REQUESTS 10000.0
#define SIM_INFERENCE_MAX_REQUESTS 1e6

struct sim_opts {
	uint64_t seed;
	int replications;
	int jobs;	   /* threads; results do not depend on it */
	double horizon_s;  /* 0: the scenario's (request streams: window) */
	double inference_window_s; /* 0: SIM_INFERENCE_REQUESTS' time */
	bool trace;	   /* record replication 0's events in out->trace */
	/* every unit on the replication's one engine, none run alone
	 * (docs/simulator.md): the same numbers, slower; for the test
	 * that says so */
	bool one_engine;
	/* called after each replication, from any thread but one call at a
	 * time; may be NULL */
	void (*progress)(void *arg, int done, int total);
	void *progress_arg;
};

/* A distribution seen over replications: each replication's mean and
 * quantiles, then their mean and 95% CI across replications. */
struct sim_dist {
	struct sim_stat mean, p50, p95, p99;
	uint64_t samples; /* in all replications */
};

struct sim_workload_result {
	const struct model_workload *w;
	struct sim_dist wait_s;	    /* to get a device, a slot, a server */
	struct sim_dist latency_ms; /* inference: request to answer */
	/* LLM serving (has_tokens): time to first token, time per output
	 * token after it (each request's mean gap), and the shares of
	 * requests over ttft_p99 and tpot_p99 */
	struct sim_dist ttft_ms, tpot_ms;
	struct sim_stat ttft_miss, tpot_miss;
	struct sim_stat completion_h; /* research: all work; finetune: a run */
	struct sim_stat deadline_miss; /* probability */
	struct sim_stat slo_miss;      /* share of requests or students late,
					* or of fine-tuning runs that took
					* longer than their period */
	struct sim_stat cost;	       /* realised, rework included */
	struct sim_stat utilisation;
	bool has_wait, has_latency, has_completion, has_deadline, has_slo;
	bool has_tokens;
	struct sim_hist *latency_hist; /* ms, replication 0 (inference) */
};

/* An on-prem pool's use in simulation: its batch jobs' busy device-hours
 * plus the device-hours the plan holds for its services and teaching
 * sessions, over the device-hours it had (bought devices from their
 * arrival, owned ones until their retirement); means over replications. */
struct sim_pool_result {
	const char *accel; /* borrowed from the plan */
	struct sim_stat busy_h, devices_h;
	/* jobs per replication that asked for more devices than the pool
	 * had (`job_sizes`): each ran alone on all of them, for longer */
	struct sim_stat oversized;
};

struct sim_result {
	uint64_t seed;
	int replications;
	double horizon_s;
	struct sim_workload_result *wl;
	size_t nwl;
	struct sim_pool_result *pools; /* on-prem pools, first-use order */
	size_t npools;
	uint64_t events; /* in all replications */
	char *trace;	 /* with opts.trace */
};

/* Simulates plan p of scenario s opts->replications times (threads:
 * opts->jobs) and summarises per workload. The plan must be OPTIMAL or
 * FEASIBLE. Returns 0 or UTIL_E_INPUT (a bad option, in err). Release out
 * with sim_result_release. */
int sim_simulate(const struct model_scenario *s, const struct model_plan *p,
		 const struct sim_opts *opts, struct sim_result *out,
		 struct util_err *err);
void sim_result_release(struct sim_result *r);

/* What one entity's workloads met in a simulation. */
struct sim_entity_total {
	double cost;	    /* realised, summed over its workloads */
	double wait_mean_s; /* over every job or request that waited */
	double wait_p95_s;  /* the largest p95 wait of its workloads */
	const char *worst;  /* the workload with that wait (borrowed) */
	bool has_wait;
};
/* Sums r per entity of s into out[0..s->nentities) (sim/entity.c). */
void sim_entity_totals(const struct model_scenario *s,
		       const struct sim_result *r,
		       struct sim_entity_total *out);

/* ---- trace replay (sim/replay.c) ---- */

struct sim_replay_opts {
	const char *path; /* a CSV: submit_time_s, duration_s, num_gpu, ... */
	double devices;	  /* the pool */
	bool backfill;	  /* EASY backfilling; else first come first served */
};

struct sim_replay {
	uint64_t jobs, skipped_cpu, skipped_big, skipped_bad, events;
	struct sim_hist wait;	  /* simulated, s */
	struct sim_hist recorded; /* the trace's own waits (wait_s), s */
	double makespan_s, utilisation;
};

/* Replays the trace on the pool. Jobs without a GPU, larger than the
 * pool or with unreadable fields are counted and skipped; a fractional
 * GPU (gpu_fraction_milli) takes its share of one device. Returns 0,
 * UTIL_E_NOINPUT or UTIL_E_INPUT (problems in d). out is big: keep it
 * off the stack. */
int sim_replay_run(const struct sim_replay_opts *o, struct sim_replay *out,
		   struct util_diags *d);

#endif
