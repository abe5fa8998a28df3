/* emit's targets, one file each, dispatched by emit_plan (emit/targets.c). */
#ifndef EMIT_EMIT_INT_H
#define EMIT_EMIT_INT_H

#include "emit.h"

/* A batch assignment as jobs (emit/jobs.c): `count` jobs (an array or
 * an indexed Job) of `gpus` devices (or one MIG `slice`) for `hours`
 * each, at most `throttle` at once, on `cluster` ("onprem" for the pool)
 * with its per-GPU bundle of cores and memory and its walltime. */
struct emit_job {
	const struct model_plan_assignment *a;
	const struct pricing_offer *offer; /* its Slurm and Kubernetes tables */
	const char *cluster, *type, *mig;
	double cpus, mem; /* per GPU, GB */
	double hours;	  /* per job */
	long count;	  /* array size */
	long throttle;	  /* at most running at once */
	int gpus;	  /* per job */
	double walltime;  /* hours */
	const char *slice; /* teaching: a MIG profile ("3g.40gb"), or NULL */
	const char *wanted; /* the estimate's profile when slice differs */
	long per_task;	   /* work units per array task (chunks), 1 */
	long units;	   /* work units in all */
	char type_buf[32], mig_buf[40];
};

/* a's device-hours as the plan's JSON keeps them (to 0.001), so that
 * emit writes the same files from a plan and from its JSON (--plan):
 * 3000.0000001 device-hours in day-long jobs made 126 jobs of 23.8 h
 * planned directly, 125 of 24 h read back. */
double emit_device_hours(const struct model_plan_assignment *a);
/* Fills j for batch assignment a (teaching, research, finetune); false
 * for inference, which is a service. e is s's estimate. */
bool emit_job_make(const struct model_scenario *s,
		   const struct model_estimate *e,
		   const struct model_plan_assignment *a, struct emit_job *j);
/* A lowercase name for accel: letters and digits ("a10080gb"). */
void emit_type_name(const char *accel, char *out, size_t n);
/* The compute slices of a MIG profile: 3 for "3g.40gb", 0 if not MIG. */
int emit_slice_g(const char *profile);
/* MIG instances of profile one GPU of accel holds: 7 compute slices and
 * its memory ("1g.20gb" on an 80 GB H100: 4). */
int emit_mig_per_gpu(const struct model_scenario *s, const char *accel,
		     const char *profile);
/* A job's part of a per-GPU amount: its GPUs, or a slice's sevenths. */
double emit_job_share(const struct emit_job *j, double per_gpu);
/* The catalog's on-prem offer for accel (its Slurm and Kubernetes
 * tables), or NULL. */
const struct pricing_offer *emit_onprem_offer(const struct model_scenario *s,
					      const char *accel);

/* The fitting option of workload w on accel with the fewest
 * device-hours, or NULL. */
const struct model_option *emit_option(const struct model_estimate *e,
				       const struct model_scenario *s,
				       const struct model_workload *w,
				       const char *accel);
/* The devices one replica of inference assignment a takes: an LLM
 * engine's tensor-parallel group (the option the plan took and the
 * simulator runs, model_plan_option: TP4 serves a 70B model in FP16 on
 * four H100, which one alone cannot hold), else 1. */
long emit_service_gpus(const struct model_scenario *s,
		       const struct model_estimate *e,
		       const struct model_plan_assignment *a);
/* The replicas of inference assignment a: its devices over
 * emit_service_gpus, rounded up, at least 1. */
long emit_service_replicas(const struct model_scenario *s,
			   const struct model_estimate *e,
			   const struct model_plan_assignment *a);

/* An entity's Kueue objects (emit/kueue_entity.c). */
struct emit_entity {
	char ns[64];   /* its Namespace, a DNS-1123 label */
	char cq[64];   /* its ClusterQueue */
	char prio[64]; /* its WorkloadPriorityClass, "" when none */
	bool used;     /* it has work on the pool */
	double gpus[16]; /* nominal GPUs of each pool flavour */
};

/* What the Kubernetes and Kueue emitters share. */
struct emit_k8s {
	const struct model_scenario *s;
	const struct model_plan *p;
	const struct model_estimate *e;
	const struct emit_opts *opts;
	bool queue; /* Kueue: queue labels, suspended Jobs */
	bool inhouse; /* the pool is the in-house GPU service, not on-prem */
	const char *pool[16]; /* the pool's accelerators, flavour order */
	size_t npool;
	char (*queues)[64]; /* Kueue: each workload's LocalQueue, or "" */
	struct emit_entity *ents; /* Kueue with entities: by entity, or NULL */
	int upto; /* purchases count from their arrival up to this period */
};
/* True when a runs on k's pool: the on-prem pool, or with k->inhouse the
 * organisation's in-house GPU-as-a-service. */
bool emit_k8s_in_pool(const struct emit_k8s *k,
		      const struct model_plan_assignment *a);
/* Fills k's pool: the accelerators owned and bought for the on-prem
 * pool that have a node label (edge devices and devices gpuplan cannot
 * select are not in it), fastest first. */
void emit_k8s_pool(struct emit_k8s *k);
/* Devices of accel in the pool, and of them those sliced by MIG for
 * teaching (the rest are whole GPUs); *profile the MIG profile or NULL. */
double emit_pool_devices(const struct emit_k8s *k, const char *accel,
			 double *sliced, const char **profile);
/* The most pods of job j that the pool (its ClusterQueue's quota) can
 * run at once: at least 1. */
long emit_pool_cap(const struct emit_k8s *k, const struct emit_job *j);
/* A DNS-1123 label from a and b ("phd_vision", "h200" ->
 * "phd-vision-h200"): lowercase letters, digits, '-', at most 63. b may
 * be NULL. */
void emit_k8s_name(const char *a, const char *b, char out[64]);
/* Makes name (a DNS label) unique among f's files name+ext: "x", then
 * "x-2", "x-3"... (two workloads "a.b" and "a_b" both give "a-b"). */
void emit_unique_name(const struct emit_files *f, const char *ext,
		      char name[64]);
/* The Jobs and Deployments of the plan's assignments to k's pool, a file
 * each, *n of them; UTIL_E_INPUT when there is none and need is set, or
 * a device without a product label. */
int emit_k8s_workloads(const struct emit_k8s *k, bool need, size_t *n,
		       struct emit_files *out, struct util_err *err);
/* Lowers *cpus and *mem (per GPU) to the smallest bundle of the pool's
 * flavours w fits on: a Job Kueue may move to a smaller GPU must not ask
 * for the bigger one's cores and memory. */
void emit_kueue_min_bundle(const struct emit_k8s *k,
			   const struct model_workload *w, double *cpus,
			   double *mem);
/* cpu and memory (GB) per GPU of accel's bundle in the pool. */
void emit_pool_bundle(const struct emit_k8s *k, const char *accel,
		      double *cpus, double *mem);
/* Entities (emit/kueue_entity.c): k->ents allocated (the caller frees)
 * and named; then the nominal GPUs of each (UTIL_E_INPUT when the pool
 * has MIG slices); then their Namespaces, WorkloadPriorityClasses,
 * ClusterQueues in cohort and LocalQueues into b (head: all of them;
 * otherwise the ClusterQueues alone, for a later version). */
void emit_kueue_entity_names(struct emit_k8s *k);
int emit_kueue_entity_quotas(struct emit_k8s *k, struct util_err *err);
void emit_kueue_entity_objects(const struct emit_k8s *k, const char *api,
			       const char *cohort, bool head,
			       struct util_buf *b);
/* True when Kueue chooses w's flavour: it fits on more than one of the
 * pool's accelerators, so its pods carry no node selector of their own. */
bool emit_kueue_flexible(const struct emit_k8s *k,
			 const struct model_workload *w);

/* Services' daily hours (emit/schedule.c): true when w is a service the
 * plan runs fewer than 24 hours a day (to the minute), with *up and *down
 * the minutes after midnight it starts and stops. */
bool emit_schedule_window(const struct model_workload *w, int *up,
			  int *down);
/* For such a w, DEPLOY.schedule.yaml into out: a ServiceAccount, a Role
 * that may get, patch and update Deployment deploy and its scale in
 * namespace ns, their RoleBinding, and two CronJobs that scale deploy to
 * replicas at *up and to 0 at *down each day. Nothing otherwise. */
void emit_schedule(const struct emit_k8s *k, const struct model_workload *w,
		   const char *deploy, const char *ns, long replicas,
		   struct emit_files *out);

int emit_slurm(const struct model_scenario *s, const struct model_plan *p,
	       struct emit_files *out, struct util_err *err);
int emit_kubernetes(const struct model_scenario *s,
		    const struct model_plan *p, const struct emit_opts *o,
		    struct emit_files *out, struct util_err *err);
int emit_kueue(const struct model_scenario *s, const struct model_plan *p,
	       const struct emit_opts *o, struct emit_files *out,
	       struct util_err *err);
int emit_skypilot(const struct model_scenario *s, const struct model_plan *p,
		  struct emit_files *out, struct util_err *err);

#endif
