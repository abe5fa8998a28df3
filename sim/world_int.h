/* What the files that simulate a plan share (sim/world*.c). */
#ifndef SIM_WORLD_INT_H
#define SIM_WORLD_INT_H

#include "sim.h"

enum kind {
	K_STUDENT,	/* a student asks for a device */
	K_SLOT_FREE,	/* a teaching slot or request server frees */
	K_REQUEST,	/* an inference request arrives */
	K_JOB_SUBMIT,	/* a job enters its venue's queue */
	K_JOB_START,	/* a job (re)starts on its devices */
	K_JOB_END,	/* it finishes */
	K_JOB_FAIL,	/* it is preempted or its host fails */
	K_RUN,		/* a fine-tuning run is due */
	K_XFER,		/* the next transfer on the shared link completes */
	K_LLM_STEP,	/* an LLM engine's step ends */
	K_ARRIVE,	/* bought devices arrive at a pool (ent: the pool,
			 * gen: the plan's purchase) */
	K_RETIRE,	/* owned devices reach the end of their life (ent:
			 * the pool, gen: the scenario's owned entry) */
	NKINDS
};

/* How a venue behaves (docs/simulator.md). */
struct venue {
	enum pricing_family family;
	bool rented, pooled, academic;
	double provision_h, refuse; /* rented: delay median, refusal prob. */
	double queue_p50_h, queue_p90_h; /* academic */
	struct sim_lnq provision_q, queue_q; /* the two delays' lognormals */
	double hazard;	    /* preemptions or failures per hour */
	double spread;	    /* market hosts: sd of their relative speed */
	double checkpoint_h, restart_h;
	double rtt_s;	    /* inference from a site, remote venues */
	int pool;	    /* index into pools, -1 */
};

/* An assignment of the plan being simulated. */
struct unit {
	const struct model_plan_assignment *a;
	size_t w; /* workload index */
	struct venue v;
	struct sim_rng rng;	  /* this unit's own stream */
	struct sim_station st;	  /* teaching slots, inference servers */
	double session_h;	  /* teaching */
	int sessions_left;
	long students;		  /* teaching: this unit's share */
	double next_session;	  /* s */
	double rate;		  /* inference: requests/s; finetune: runs/s */
	double service_s, latency_s; /* inference */
	double run_h;		  /* finetune: hours of a run on its devices */
	int devices;
	double end_s;		  /* when arrivals stop */
	/* device-hours of the attempts that ended (a job's end or a
	 * failure), and of those the work a failure lost (past its last
	 * checkpoint) */
	double consumed_dh, lost_dh;
	struct sim_hist *wait;	  /* waits outside stations, s (or NULL) */
	uint64_t late, asked;	  /* teaching: students late / all */
	double completion_sum;	  /* finetune runs, h */
	uint64_t runs_done;
	double last_end_s;	  /* research: the last job's end */
	size_t jobs_left;
	/* LLM serving (sim/world_llm.c): engines [eng0, eng0 + neng) */
	struct model_llm_engine *llm;
	uint32_t eng0, neng;
	int max_seqs;		  /* sequences an engine holds at once */
	double kv_tokens;	  /* context its KV cache holds */
	struct sim_hist *ttft, *tpot; /* s; LLM units only */
	uint64_t ttft_late, tpot_late;
	double seq_area;	  /* sequences in flight x s, all engines */
};

/* A request in an LLM engine: waiting for room in the KV cache, then
 * prefilled (in chunks), then decoded one token a step. */
struct llm_seq {
	double arrived, first; /* s: arrival, first token */
	double prompt_left;    /* tokens still to prefill */
	double chunk;	       /* prefilled in the current step */
	double reserve;	       /* KV tokens held: prompt + output */
	long output;	       /* tokens to generate */
	uint64_t last_step;    /* decoding: the step that gives its last */
	uint64_t id;	       /* order of admission, for ties */
};

/* A FIFO of sequences that never wraps (compacted as it goes). */
struct llm_fifo {
	struct llm_seq *v;
	size_t head, len, cap;
};

/* One engine (a tensor-parallel group) under continuous batching.
 * Decoding sequences sit in a heap by the step of their last token, so
 * a step costs the prompts it prefills and the requests it ends, not
 * one update per sequence in flight. */
struct llm_engine {
	uint32_t unit;
	struct llm_fifo wait; /* waiting for room */
	struct llm_fifo pre;  /* admitted, prefilling, in order */
	struct llm_seq *dec;  /* decoding: min-heap of last_step, id */
	size_t ndec, deccap;
	uint64_t steps, next_id;
	double kv_used;
	/* the steps under way: `run` alike steps of step_s from step_start
	 * (decodes only, until the next request ends), cut short when a
	 * request arrives; gen invalidates the end scheduled before */
	double step_start, step_s;
	uint64_t run;
	uint32_t gen;
	bool stepping;
};

struct job {
	uint32_t unit;
	double work_h;	   /* wall-clock hours still to run */
	int devices;
	double due;	   /* when the work was asked for */
	double speed;	   /* of the current host, 1 but on markets */
	double submitted, attempt_start;
	uint32_t gen;
	bool waiting_pool, first_start_done;
	bool queued; /* its queue wait or provisioning is behind it */
	double bytes;	   /* to move over the link before it starts */
};

/* A job waiting in a pool's queue (world_proc.c). */
struct pool_wait {
	double deadline; /* its workload's; INFINITY without one */
	uint64_t ord;	 /* its place in the arrivals at the pool */
	uint32_t job;
};

struct pool {
	const char *accel;    /* NULL for the academic account */
	const struct pricing_offer *offer; /* a rented offer's capacity */
	bool academic;	      /* the account's fair share, in RGU */
	double share;	      /* academic: the allocation, RGU at once */
	double devices, busy; /* capacity and use: devices, or RGU */
	/* jobs waiting: a min-heap by deadline, then order of arrival */
	struct pool_wait *q;
	size_t qlen, qcap;
	uint64_t qord; /* arrivals so far, for that order */
	double busy_area, last_t;
	double dev_area; /* devices x time up to last_t: they change when
			  * purchases arrive and owned devices retire */
	uint64_t oversized; /* jobs of more devices than it had (fit_pool) */
};

struct xfer {
	uint32_t job;
	double left; /* bytes */
};

struct world {
	const struct model_scenario *s;
	const struct model_plan *p;
	const struct sim_opts *o;
	struct sim_engine *e;
	const sim_handler *handlers; /* NKINDS of them */
	const double *const *period_cum; /* per unit (world.c) */
	uint64_t alone_events; /* run by units alone (world.c) */
	double horizon_s;
	struct unit *units;
	size_t nunits;
	struct job *jobs;
	size_t njobs, jobs_alloc;
	struct pool *pools;
	size_t npools;
	/* the shared on-prem link, processor sharing */
	struct xfer *xfers;
	size_t nxfers, xfers_alloc;
	double link_bps, link_last;
	uint32_t link_gen;
	struct llm_engine *engines; /* LLM serving, all units */
	size_t nengines;
	struct util_buf *trace;
};

void world_handlers(sim_handler out[NKINDS]);
/* Adds a wait outside a station to u's, allocated at the first. */
void world_wait_add(struct unit *u, double wait_s);
/* A job of work_h hours on devices devices for unit; bytes to move over
 * the link first. Returns its index. */
uint32_t world_add_job(struct world *w, uint32_t unit, double work_h,
		       int devices, double bytes);
void world_start(struct world *w);
/* LLM serving (sim/world_llm.c): u's engines for option opt, engines
 * of them; whether the unit is served that way (an LLM option that fits,
 * no scenario service_time). */
bool world_llm_setup(struct world *w, struct unit *u, uint32_t id,
		     const struct model_option *opt, int engines);
/* A request of unit id arrives now: to the engine with the fewest
 * requests. */
void world_llm_request(struct world *w, uint32_t id);
void world_llm_step_end(struct sim_engine *e, uint32_t eng, uint32_t gen);
void world_llm_release(struct world *w);
/* The name of an event kind, for traces. */
extern const char *const world_kind_names[NKINDS];

#endif
