/* model: quantities with units, the scenario language (DESIGN §4) loaded
 * into plain structs, and (later) the performance model, the placement
 * MIP and the plan. Knows pricing/ (the catalog types). */
#ifndef MODEL_MODEL_H
#define MODEL_MODEL_H

#include "../pricing/pricing.h"
#include "../util/util.h"

/* ---- quantities with units (model/units.c, docs/scenario.md#units) ---- */

/* What a quantity measures. Values are in base units: bytes, seconds,
 * money (the scenario's currency), FLOP, joules, and their ratios. */
enum model_dim {
	MODEL_DIM_NUMBER,	     /* 120, 8B, 50M */
	MODEL_DIM_FRACTION,	     /* 10% -> 0.1 */
	MODEL_DIM_SIZE,		     /* bytes */
	MODEL_DIM_DURATION,	     /* seconds */
	MODEL_DIM_MONEY,	     /* money */
	MODEL_DIM_MONEY_PER_TIME,    /* money per second */
	MODEL_DIM_MONEY_PER_ENERGY,  /* money per joule */
	MODEL_DIM_MONEY_PER_SIZE,    /* money per byte */
	MODEL_DIM_RATE,		     /* per second */
	MODEL_DIM_FLOP,		     /* FLOP (or integer operations) */
	MODEL_DIM_FLOPS,	     /* FLOP per second */
	MODEL_DIM_POWER,	     /* watts */
	MODEL_DIM_ENERGY,	     /* joules */
	MODEL_DIM_BANDWIDTH,	     /* bytes per second */
	MODEL_DIM_MONEY_PER_SIZE_TIME, /* money per byte-second */
};

enum {
	MODEL_UNITS_NEGATIVE = 1, /* accept values below zero */
	MODEL_UNITS_POSITIVE = 2, /* reject zero */
};

#define MODEL_HOUR 3600.0
#define MODEL_DAY (24 * MODEL_HOUR)
#define MODEL_WEEK (7 * MODEL_DAY)
#define MODEL_YEAR (365 * MODEL_DAY)
/* Teaching sessions begin at 9:00 on weekdays (model_session_at). */
#define MODEL_SESSION_START (9 * MODEL_HOUR)
#define MODEL_MONTH (MODEL_YEAR / 12)

/* Parses text as a quantity of dimension expect into *out (base units).
 * Errors (UTIL_E_INPUT, message in err): garbage, trailing junk, NaN or
 * infinity, overflow, a negative value (unless MODEL_UNITS_NEGATIVE),
 * zero with MODEL_UNITS_POSITIVE, a unit of another dimension. */
int model_units_parse(const char *text, enum model_dim expect,
		      unsigned flags, double *out, struct util_err *err);
/* The currency text names, if any: "EUR", "GBP", an ISO code written
 * out, or "$" for a dollar sign (any dollar). Returns 1 and fills code,
 * or 0 when the amount names none. */
int model_units_currency(const char *text, char code[4]);
/* An ISO 4217 code read case-insensitively into code ("usd": "USD").
 * Returns 0, or UTIL_E_INPUT with *near a likely code or NULL. */
int model_fx_code(const char *text, char code[4], const char **near);
/* Units of to per unit of from in the embedded table (model/fx.c), or -1
 * when it lacks one of them. */
double model_fx_default(const char *from, const char *to);
struct model_scenario;
struct model_workload;
/* The scenario's currency per unit of code: 1 for its own, its `fx:`
 * (or --fx) rate, the rate its catalog was converted at for the
 * catalog's currency, else -1 (no rate the scenario stated or used). */
double model_fx_rate(const struct model_scenario *s, const char *code);
extern const char *const model_fx_table_date, *const model_fx_table_source;
/* A date "YYYY-MM" or "YYYY-MM-DD" into months since year 0 (a day is
 * a 30.4167th of a month). Returns 0 or UTIL_E_INPUT. */
int model_parse_month(const char *text, double *month);
/* Days in a month (1..12) of a year of the Gregorian calendar; 0 for
 * no such month. */
int model_month_days(long year, long month);
/* The day of the week of a date model_parse_month accepts (the 1st of
 * the month for YYYY-MM): 0 Monday .. 6 Sunday; -1 if not a date. */
int model_date_weekday(const char *text);
/* When session k (0-based) of teaching workload w begins, s from time
 * 0. The course's first day is the first whose 9:00 is not before its
 * start; its weeks are the 7-day windows from that day's midnight. A
 * window holds per_week sessions on its weekdays (Monday to Friday,
 * from the scenario's weekday0) at 9:00 (MODEL_SESSION_START), as
 * evenly as whole days allow: 2 a week on the 1st and 3rd weekday, 3
 * on the 1st, 3rd and 5th, 4 on all but the 3rd, 5 on each. More than
 * 5 a week go on one after another from 9:00 (a second round of the
 * weekdays). A per_week that is not a whole number, or sessions that
 * would not end by midnight, are spread evenly over the weeks from
 * 9:00 of the first day. The simulator's students arrive then, and the
 * infeasibility text names the first session short with it. */
double model_session_at(const struct model_scenario *s,
			const struct model_workload *w, long k);
/* When the last session of teaching workload w ends, s from time 0: up
 * to 15 hours past start + weeks when the course starts after 9:00 in
 * a day (its sessions begin the next morning). */
double model_course_end(const struct model_scenario *s,
			const struct model_workload *w);
/* "a duration", "a size", ...: for messages. */
const char *model_dim_name(enum model_dim d);

/* Constants of the performance model (model/perf_consts.c): declared
 * here because a scenario may override them. */
enum model_const {
	MODEL_K_MFU,
	MODEL_K_INFER_EFF,
	MODEL_K_BW_EFF,
	MODEL_K_SCALE_NVLINK,
	MODEL_K_SCALE_PCIE,
	MODEL_K_ADAM_BYTES,
	MODEL_K_LORA_BYTES,
	MODEL_K_QLORA_BYTES,
	MODEL_K_ADAPTER_SHARE,
	MODEL_K_OVERHEAD_GB,
	MODEL_K_ASPECT,
	MODEL_K_POWER_UTIL,
	MODEL_K_INFER_OVERHEAD_MS,
	MODEL_K_INFER_OVERHEAD_EDGE_MS,
	MODEL_K_RTT_MS,
	MODEL_K_UPLINK_MBPS,
	MODEL_K_MAX_BATCH,
	MODEL_K_KV_SHARE,
	MODEL_K_PROVISION_CLOUD_MIN,
	MODEL_K_PROVISION_GPUAAS_MIN,
	MODEL_K_PROVISION_MARKET_MIN,
	MODEL_K_CHECKPOINT_H,
	MODEL_K_RESTART_MIN,
	MODEL_K_ONPREM_AVAILABILITY,
	MODEL_K_ACADEMIC_BURST,
	MODEL_K_MAX_CLOUD,
	MODEL_K_MAX_SPOT,
	MODEL_K_MAX_GPUAAS,
	MODEL_K_MAX_MARKET,
	/* LLM serving engine (model/perf_llm.c) */
	MODEL_K_PREFILL_EFF,
	MODEL_K_KV_MEM_FRAC,
	MODEL_K_MAX_SEQS,
	MODEL_K_ALLREDUCE_NVLINK_US,
	MODEL_K_ALLREDUCE_PCIE_US,
	MODEL_NCONSTS
};

/* ---- scenarios (model/scenario*.c, docs/scenario.md) ---- */

/* Values a scenario leaves out are MODEL_UNSET unless a default is
 * documented in docs/scenario.md. */
#define MODEL_UNSET (-1.0)

/* Defaults of the targets (docs/targets.md). */
#define MODEL_DEFAULT_LATE_SHARE 0.05	  /* teaching: students late */
#define MODEL_DEFAULT_MAX_WAIT 86400.0	  /* research: p95 wait, 1 day */
/* Job lengths within a workload: the coefficient of variation of the
 * Philly trace's runtimes within one decade of length (1 to 10 h: 0.71
 * over 14,905 jobs; 0.1 to 1 h: 0.60), docs/targets.md. */
#define MODEL_DEFAULT_LENGTH_CV 0.7

enum model_period { MODEL_PERIOD_DAY, MODEL_PERIOD_WEEK, MODEL_PERIOD_MONTH };
extern const char *const model_period_names[3];

enum model_kind {
	MODEL_TEACHING,
	MODEL_RESEARCH,
	MODEL_FINETUNE,
	MODEL_INFERENCE,
	MODEL_NKINDS
};
extern const char *const model_kind_names[MODEL_NKINDS];

enum model_profile { MODEL_PHD, MODEL_MASTER, MODEL_APPLIED };
/* Workload classes of the relative-speed table (model/perf_speed.c). */
enum model_class {
	MODEL_CLASS_VISION_TRAIN,
	MODEL_CLASS_LLM_TRAIN,
	MODEL_CLASS_LLM_SERVE,
	MODEL_CLASS_CNN_INFER,
	MODEL_NCLASSES
};
extern const char *const model_class_names[MODEL_NCLASSES];
/* The speed of accel on class cls next to an H100 (1), from the sourced
 * table (docs/perf-model.md), or -1 when the table lacks it. */
double model_class_speed(const char *accel, enum model_class cls);
extern const char *const model_profile_names[3];

/* When research jobs are submitted over their window (docs/targets.md). */
enum model_submission {
	MODEL_SUBMIT_STEADY,	   /* evenly at random over the window */
	MODEL_SUBMIT_BURST,	   /* all at the start */
	MODEL_SUBMIT_FRONT_LOADED, /* most early, fewer later */
};
extern const char *const model_submission_names[3];

enum model_method { MODEL_FULL, MODEL_LORA, MODEL_QLORA };
extern const char *const model_method_names[3];

enum model_placement {
	MODEL_PLACE_ANY,
	MODEL_PLACE_EDGE,
	MODEL_PLACE_CENTRAL,
	MODEL_PLACE_EDGE_OR_CENTRAL
};
extern const char *const model_placement_names[4];

enum model_commitment { MODEL_COMMIT_NONE, MODEL_COMMIT_1Y, MODEL_COMMIT_3Y };
extern const char *const model_commitment_names[3];

/* An amount of an accelerator: "0.25 L40S", "20000 A100", {L40S: 8}.
 * accel is the catalog's canonical name. */
struct model_accel_qty {
	char *accel;
	double amount;
};

struct model_teaching {
	long students;
	double per_week;     /* sessions a week */
	double duration;     /* s, per session */
	long weeks;
	double gpu_memory;   /* bytes per student */
	struct model_accel_qty compute; /* share of a device per student */
	double between_days; /* days of light use after each session */
	double between_usage; /* fraction of the session load, 0..1 */
	double start_within; /* s, MODEL_UNSET: no requirement */
	double late_share;   /* students allowed to wait longer, 0..1 */
	/* every session on one venue: the scenario's one_venue, else whole
	 * when the scenario has at most MODEL_WHOLE_COURSES courses
	 * (model_load_workloads; docs/scenario.md, one_venue) */
	bool one_venue;
	bool one_venue_given; /* the scenario said one_venue */
};

/* Teaching sessions stay on one venue by default up to this many courses
 * (occurrences of recurring ones counted apart); above, they may split
 * unless a course says one_venue: true. Each course is a venue binary,
 * and GLPK's branch and bound over them grows fast: on bench/gen.sh W
 * 200 (W / 4 courses, overlapping), 13 whole courses plan in 1 s of CPU,
 * 20 in 2.5 s, 25 in 6.5 s, 50 do not finish in 150 s and 100 find no
 * plan in a minute, where split ones take 1 to 3 s (bench/README.md,
 * Sessions on one venue) */
#define MODEL_WHOLE_COURSES 24
struct model_scenario;
/* The courses of s whose sessions may split because s has more than
 * MODEL_WHOLE_COURSES courses and they do not say one_venue. */
size_t model_courses_split_by_default(const struct model_scenario *s);

/* The shape of a research workload's jobs, for the simulator
 * (`job_sizes`, `job_lengths`, `weekly`, `arrays`; docs/scenario.md): what Slurm
 * accounting records (gpuplan import sacct). The plan sees none of it
 * but the lengths' spread (length_cv); the device-hours stay those of
 * `jobs` or `gpu_hours`. */
#define MODEL_MAX_JOB_SIZES 64
#define MODEL_HOURS_OF_WEEK 168
struct model_job_shape {
	size_t nsizes; /* 0: every job on the plan's devices */
	long size_gpus[MODEL_MAX_JOB_SIZES];	/* ascending */
	double size_share[MODEL_MAX_JOB_SIZES]; /* of jobs, sum 1 */
	/* job lengths, s, on the workload's accelerator: lognormal
	 * through p50 and p90, capped at max; p50 MODEL_UNSET: not given,
	 * p90 = p50 when not given, max INFINITY when not given */
	double p50, p90, max;
	bool weekly_set;
	double weekly[MODEL_HOURS_OF_WEEK]; /* weights, Monday 00h first */
	/* `arrays`: the share of jobs that are tasks of job arrays (0:
	 * none) and the mean tasks of an array (>= 2) */
	double array_share, array_tasks;
};
/* The mean GPUs of a job of sh (sh->nsizes > 0). */
double model_job_mean_gpus(const struct model_job_shape *sh);
/* The mean and coefficient of variation of min(L, max), L the
 * lognormal through p50 and p90 (sh->p50 > 0); s and plain. */
double model_job_length_mean(const struct model_job_shape *sh);
double model_job_length_cv(const struct model_job_shape *sh);

struct model_research {
	enum model_profile profile;
	enum model_class cls; /* `class:`, default from the profile */
	struct model_accel_qty gpu_hours; /* amount in device-hours */
	long job_count, job_gpus;	  /* jobs: {count, gpus, hours} */
	struct model_accel_qty job_hours; /* per job, on that accelerator */
	double item_compute;		  /* applied: FLOP per item */
	double batch_items;		  /* applied: one-off batch */
	double stream_rate;		  /* applied: items per second */
	long sites;			  /* applied: sites needing access */
	enum model_submission submission;
	double length_cv; /* of job lengths (lognormal), >= 0 */
	struct model_job_shape shape;
};

struct model_finetune {
	double params;
	enum model_method method;
	enum pricing_precision precision;
	long seq_len;
	double tokens;		/* per run */
	double epochs;
	double runs_rate;	/* runs per second */
};

enum model_service_dist {
	MODEL_SERVICE_DETERMINISTIC,
	MODEL_SERVICE_EXPONENTIAL,
	MODEL_SERVICE_LOGNORMAL
};
extern const char *const model_service_dist_names[3];

/* The shape of a transformer that decides serving cost: from a preset
 * (model_llm_preset), the scenario's own keys, or derived from the
 * parameter count alone (derived is then true). */
struct model_llm_arch {
	const char *preset; /* canonical preset name, or NULL */
	double layers, hidden, heads, kv_heads, vocab;
	double active_params; /* per token: params, or fewer for MoE */
	double context;	      /* context window in tokens, 0 when unknown */
	bool derived;
};

/* A named open model: its shape and where it comes from. */
struct model_llm_preset {
	const char *name;
	double params, active_params;
	int layers, hidden, heads, kv_heads, vocab;
	int context; /* context window, tokens */
	const char *source;
};
extern const struct model_llm_preset model_llm_presets[];
extern const size_t model_llm_npresets;
/* The preset called name (case-insensitive), or NULL. */
const struct model_llm_preset *model_llm_preset(const char *name);
/* The preset a name that is not one most likely means, or NULL: a
 * Hugging Face repository name reduced to the preset's (the owner before
 * '/', a leading "Meta-", and the variant suffixes "-Instruct", "-chat",
 * "-hf", "-v0.1" ... dropped: "meta-llama/Llama-3.1-8B-Instruct" is
 * llama-3.1-8b, whose shape the instruct variant shares), else the
 * nearest by edit distance (a typo). Returns a preset's name. */
const char *model_llm_preset_near(const char *name);
/* KV-cache bytes per token of context for the whole model. */
double model_llm_kv_bytes(const struct model_llm_arch *a, double kv_bytes);

struct model_inference {
	double compute; /* FLOP per request (vision-style), MODEL_UNSET */
	double params;
	enum pricing_precision precision;
	long prompt_tokens, output_tokens; /* LLM-style, 0 when not */
	long prompt_p99, output_p99;	   /* 0: the mean (a fixed length) */
	struct model_llm_arch arch;	   /* LLM-style */
	enum pricing_precision kv_precision; /* fp16 or fp8 */
	long beams; /* sequences decoded per request (beam search), 1 */
	long tp;    /* devices per engine as deployed, 0: searched */
	double ttft_p99, tpot_p99; /* s, MODEL_UNSET: no target */
	long sites;
	double rate;	    /* requests per second per site */
	double latency_p99; /* s, MODEL_UNSET: no SLO */
	double payload;	    /* bytes per request */
	enum model_placement placement;
	double hours_per_day;
	int daily_start; /* minutes after midnight the service starts (the
			  * Kubernetes emit's scaling CronJobs) */
	/* for the simulator, instead of the performance model */
	double service_time; /* s per request, MODEL_UNSET */
	enum model_service_dist service_dist;
	double cv;  /* lognormal service: coefficient of variation */
	double rtt; /* s, MODEL_UNSET: the remote_rtt_ms constant */
};

/* Where a workload's data may be processed (docs/scenario.md#constraints):
 * ISO 3166-1 alpha-2 codes in upper case, "EU" expanded to its member
 * states; none: anywhere. text is the rule as written ("CA", "EU"). */
struct model_residency {
	char **countries;
	size_t ncountries;
	char *text;
};
/* True when r is empty or names country (NULL: a venue in no known
 * country, which a rule never allows). */
bool model_residency_allows(const struct model_residency *r,
			    const char *country);
void model_residency_copy(struct model_residency *dst,
			  const struct model_residency *src);
void model_residency_release(struct model_residency *r);

/* A workload written once that recurs (docs/scenario.md#recurring-work):
 * the loader expands it into one workload per occurrence. */
struct model_recur {
	double every;	 /* teaching: s between occurrences, MODEL_UNSET:
			  * by calendar months */
	unsigned months; /* teaching: bit m, an occurrence starts in month m
			  * of each year (0: January); 0: not recurring */
	bool per_year;	 /* research: gpu_hours is a yearly rate */
	/* on the first occurrence: the next one, which starts within the
	 * horizon but would end after it, so is left out (model_recur_report
	 * says so): its month of the horizon and calendar month, or
	 * cut_month -1 and cut_n its number (every: DURATION); cut_n 0:
	 * none */
	int cut_month, cut_cal, cut_n;
};

/* The longest `monthly:` list: one weight per month of a horizon of up
 * to 10 years (12 weights, repeated each year, for a longer one). */
#define MODEL_MONTHLY_MAX 120

struct model_workload {
	char *name;
	enum model_kind kind;
	int line, col; /* where it is defined */
	double dataset;	 /* bytes, 0 when none */
	double start;	 /* s from the start of the horizon */
	double deadline; /* s from the start, MODEL_UNSET: none */
	double max_wait; /* s, p95 wait of a job; MODEL_UNSET: none */
	bool sovereign;	 /* named in constraints.sovereign */
	int entity;	 /* index in the scenario's entities, -1: none */
	struct model_residency residency; /* its own, or constraints' */
	struct model_recur recur;
	/* an occurrence of a recurring workload: the name as written (name
	 * is "<series>.sep-y1", "<series>.y2" or "<series>.3") and its
	 * number from 1; NULL and 0 for a workload given once */
	char *series;
	int occurrence;
	char **accelerators; /* allow-list (canonical names), may be empty */
	size_t naccelerators;
	/* pin: a what-if that bypasses the optimiser for this workload */
	bool pinned;
	char *pin_offer;  /* an offer id, or */
	int pin_family;	  /* a family (-1 if none) and */
	char *pin_accel;  /* an accelerator */
	long pin_devices;
	struct model_teaching teaching;
	struct model_research research;
	struct model_finetune finetune;
	struct model_inference inference;
	/* demand over time (research given as a total, model/demand.c):
	 * month weights (`monthly:`, all 1 when not given), growth per
	 * month (`growth:`, 0 when none) and how long work may wait
	 * (`flexible:`, s, when flexible_set) */
	bool shaped; /* `monthly` or `growth` given */
	double monthly[MODEL_MONTHLY_MAX];
	int nmonthly; /* 12 (repeated each year) or the horizon's months */
	double growth;
	bool flexible_set;
	double flexible;
	double delay_cost; /* money per s that all its work waits (a share
			    * waiting costs its share), 0: none */
};

/* A team or department sharing the pool (`entities:`,
 * docs/scenario.md#entities). */
#define MODEL_ENTITY_NAME_MAX 63
#define MODEL_MAX_ENTITIES 200
struct model_entity {
	char *name; /* [A-Za-z0-9._-], starts with a letter or digit */
	int line, col; /* where it is defined */
	double storage; /* quota in bytes; the venue's storage_per_entity
			 * when not set; MODEL_UNSET: none */
	int storage_line, storage_col; /* of its own 'storage:', 0: none */
	double budget;	/* money over the horizon, MODEL_UNSET: none */
	double weight;	/* fair-share weight, default 1 */
	long priority;	/* higher first, meaningful when has_priority */
	bool has_priority;
	char **flavors; /* accelerators its Kueue queue tries first, in
			 * order (canonical names), may be empty */
	size_t nflavors;
};

struct model_buy {
	char *accel;
	long min; /* devices the plan must buy (0: none) */
	long max;
	double lead_time; /* s, MODEL_UNSET: the catalog's */
	long unit; /* devices per purchase (a server), >= 1; min and max
		    * are multiples of it */
};

/* What an owned device cost and how old it is (`venues.onprem.owned`
 * as a mapping, docs/scenario.md#owned-hardware). */
struct model_owned {
	double price;	 /* money per device, MODEL_UNSET: the catalog's capex */
	double age;	 /* s at the horizon's start (0: bought then) */
	double life;	 /* s, MODEL_UNSET: the catalog's lifetime_years */
	double residual; /* money per device at the end of its life */
};

struct model_venues {
	unsigned allow; /* bit per enum pricing_family */
	/* cloud and cloud-spot */
	char **cloud_providers;
	size_t ncloud_providers;
	char **cloud_regions;
	size_t ncloud_regions;
	enum model_commitment commitment;
	double checkpoint_interval; /* s, spot */
	/* gpuaas */
	char **gpuaas_providers;
	size_t ngpuaas_providers;
	/* onprem */
	struct model_accel_qty *owned;
	struct model_owned *owned_info; /* nowned, beside owned */
	size_t nowned;
	struct model_buy *buy;
	size_t nbuy;
	double electricity; /* money per J, MODEL_UNSET: catalog */
	double pue;	    /* MODEL_UNSET: catalog */
	double link;	    /* bytes/s shared by transfers, MODEL_UNSET */
	double storage_per_entity; /* bytes, MODEL_UNSET */
	double staff, overhead;	   /* money per second, MODEL_UNSET */
	/* hosting (venues.onprem.hosting): on site, electricity x PUE; or
	 * in colocation, a fee per kW of the devices' rated power and per
	 * second, with the power in it (no energy term) or metered */
	bool colocation;
	double colo_fee;	   /* money per kW per second */
	bool colo_fee_default;	   /* the embedded estimate (no `fee`) */
	bool colo_power_included;
	double storage_cost;	   /* money per byte-second of the pool's
				    * storage, MODEL_UNSET */
	/* academic */
	double rgu_years; /* allocation, 0: none (default-share only) */
	char *account;
	char **clusters;
	size_t nclusters;
	/* decentralized */
	long market_max_gpus; /* 0: no cap */
};

struct model_constraints {
	double budget;	  /* money over the horizon, MODEL_UNSET */
	double spend_cap; /* money per period, MODEL_UNSET */
};

/* A named what-if (`strategies:`, docs/scenario.md#strategies): the
 * overrides, "PATH=VALUE" in the --set language, and where each is. */
struct model_strategy {
	char *name;
	int name_line, name_col;
	char **set;
	int *line, *col; /* of set[i] */
	size_t nset;
};
#define MODEL_MAX_STRATEGIES 12
void model_strategy_release(struct model_strategy *st);

/* At most this many workloads in a scenario (docs/security.md): the
 * planner's model grows with workloads x offers x periods. */
#define MODEL_MAX_WORKLOADS 1000
/* The most GPU-hours a research workload may ask for (gpu_hours, or its
 * jobs' count x GPUs x hours): ten billion, a hundred times the largest
 * training runs reported (GPT-4, about 25,000 A100 for 90 days: 5.4e7 by
 * the estimate usually quoted) and well past what an institution plans;
 * beyond it GLPK's simplex could run for minutes on the model's
 * coefficients (1e15 GPU-hours did, tests/cli/bad-scenario-absurd-gpu-
 * hours). */
#define MODEL_MAX_GPU_HOURS 1e10

/* A rate of `fx:`: units of the scenario's currency per unit of code. */
struct model_fx_entry {
	char code[4];
	double rate;
};
#define MODEL_MAX_FX 32

struct model_scenario {
	char *name;
	char *description;
	char *file;
	double horizon; /* s */
	enum model_period period;
	char *currency;
	char *country; /* ISO 3166-1 alpha-2 code of on-prem and edge
			* devices (`country:`), NULL: not given */
	double start_month; /* `start_date`: months since year 0, MODEL_UNSET */
	int weekday0; /* the day time 0 falls on, 0 Monday .. 6 Sunday:
		       * start_date's, Monday without one */
	double fx_rate; /* the catalog's prices were multiplied by it; 0: not
			 * converted */
	char fx_from[4]; /* the currency fx_rate converts from, "" if none */
	/* `fx:` (and --fx): units of the scenario's currency per unit of
	 * each code */
	struct model_fx_entry fx[MODEL_MAX_FX];
	size_t nfx;
	/* teaching workloads, each occurrence of a recurring one counted:
	 * above MODEL_WHOLE_COURSES their sessions may split by default */
	size_t courses;
	struct model_constraints constraints;
	struct model_venues venues;
	struct model_workload *workloads;
	size_t nworkloads;
	struct model_entity *entities; /* `entities:`, may be empty */
	size_t nentities;
	/* the catalog in use: the one given to the loader, extended by the
	 * scenario's own `catalog:` */
	struct pricing_catalog catalog;
	/* constants of the performance model: defaults, or `performance:` */
	double perf[MODEL_NCONSTS];
	struct model_strategy *strategies; /* `strategies:`, may be empty */
	size_t nstrategies;
};

/* Loads the scenario at path (at most 16 MiB) against catalog (copied
 * into s->catalog and extended by the scenario's `catalog:` key). Every
 * problem found is recorded in d. Returns 0, UTIL_E_INPUT or
 * UTIL_E_NOINPUT. Release s with model_scenario_release in all cases. */
int model_scenario_load(struct model_scenario *s, const char *path,
			const struct pricing_catalog *catalog,
			struct util_diags *d);
/* Same from a buffer; file names it in messages. */
int model_scenario_load_buffer(struct model_scenario *s, const char *file,
			       const char *buf, size_t len,
			       const struct pricing_catalog *catalog,
			       struct util_diags *d);
void model_scenario_release(struct model_scenario *s);

/* An amount of money given on the command line (--fail-above 200k USD)
 * in s's currency: as is when it names no currency or s's; converted
 * at s's rate when it names another (its `fx:` or --fx, or the rate the
 * catalog's prices were converted at); else UTIL_E_USAGE in err, which
 * names the rate to give. what names the option in messages. When
 * converted, note (n bytes) says how ("200000 USD at 0.92 EUR per USD"),
 * else it is "". */
int model_money_arg(const struct model_scenario *s, const char *what,
		    const char *text, double *out, char *note, size_t n,
		    struct util_err *err);

/* A what-if override (docs/sweep.md): PATH=VALUE put into the scenario's
 * YAML before it is loaded (workloads.dl-course.students=240), or a price
 * multiplier ("*0.8") on catalog.offers.ID.price or
 * catalog.family.FAMILY.price applied after. */
struct model_set {
	const char *path, *value;
};
/* Loads the scenario in buf with the overrides set[0..nset). A path that
 * leads nowhere, or a bad multiplier, is UTIL_E_USAGE in err; a value the
 * loader rejects is UTIL_E_INPUT in d, as for any scenario. */
int model_scenario_load_set(struct model_scenario *s, const char *file,
			    const char *buf, size_t len,
			    const struct pricing_catalog *catalog,
			    const struct model_set *set, size_t nset,
			    struct util_diags *d, struct util_err *err);
/* Puts value at path in y (model/override.c). UTIL_E_USAGE with err. */
int model_override_apply(struct util_ydoc *y, const char *path,
			 const char *value, struct util_err *err);
/* Multiplies the prices path names by m (catalog.offers.ID.price,
 * catalog.family.FAMILY.price). UTIL_E_USAGE with err. */
int model_override_prices(struct model_scenario *s, const char *path,
			  double m, struct util_err *err);

/* ---- demand over time (model/demand.c, docs/scenario.md) ---- */

/* The weight of month m (0-based from the start of the horizon) in w's
 * demand: monthly[m % 12] (monthly[m] when the list has a weight for
 * each month of the horizon) x (1 + growth)^m, or 1 when w has no
 * shape. */
double model_demand_weight(const struct model_workload *w, int month);
/* Whether w's total work is tied to time by its demand: research given
 * as a total (not a stream) without a deadline, or with `monthly`,
 * `growth` or `flexible`. Its share of each period is served in that
 * period, or at most `flexible` later (or by its deadline). */
bool model_demand_timed(const struct model_workload *w);
/* Periods of period_s seconds that w's work may wait: `flexible` in
 * whole periods, rounded down; with a deadline and no `flexible`, n (any
 * time up to the deadline); else 0. */
int model_demand_flex_periods(const struct model_workload *w,
			      double period_s, int n);
/* Fills share[0..n) with w's share of its work in each period of period_s
 * seconds: the weight of the month the period starts in times the part
 * of the period inside [w->start, end), normalised to a sum of 1 (all 0
 * when nothing is inside). */
void model_demand_shares(const struct model_workload *w, double end,
			 double period_s, int n, double *share);

/* The country of offer o as a venue of s: the offer's, or for on-prem,
 * edge and in-house offers (o NULL: an on-prem pool) the scenario's
 * `country:`; NULL when not known. */
const char *model_venue_country(const struct model_scenario *s,
				const struct pricing_offer *o);
/* Appends to out one line per workload with a residency rule, saying
 * what the rule leaves out of the venues s allows ("residency:
 * 'postdoc-lora' stays in CA: 41 offers elsewhere excluded (aws 20,
 * ...)"); returns how many lines. */
size_t model_residency_report(const struct model_scenario *s,
			      struct util_buf *out);

/* True when w is called name, or is an occurrence of the recurring
 * workload called name. */
bool model_workload_named(const struct model_workload *w, const char *name);

/* The recurring workloads of s and their occurrences, on one line
 * without a newline: "dl-course 4 (jan-y1, sep-y1, jan-y2, sep-y2);
 * thesis 2 (y1, y2)". Returns how many recurring workloads. */
size_t model_recur_report(const struct model_scenario *s,
			  struct util_buf *out);

/* The workload called name, or NULL. */
const struct model_workload *
model_scenario_find(const struct model_scenario *s, const char *name);
/* "no workload 'NAME' in 'SCENARIO'" in err with code (returned): the
 * occurrences when NAME is a recurring workload's name as written
 * ("it recurs (every:), name one of its occurrences: 'dl-course.jan-y1',
 * 'dl-course.sep-y1'"), else the nearest name. */
int model_no_workload(const struct model_scenario *s, const char *name,
		      int code, struct util_err *err);

/* Entities (model/scenario_entity.c): how many the scenario declares,
 * entity i (i < the count; the scenario owns it), and the index of the
 * entity called name or -1. A workload's entity is w->entity (-1 when
 * the scenario declares none). */
size_t model_scenario_entity_count(const struct model_scenario *s);
const struct model_entity *
model_scenario_entity(const struct model_scenario *s, size_t i);
int model_scenario_find_entity(const struct model_scenario *s,
			       const char *name);


/* ---- the performance model (model/perf*.c, docs/perf-model.md) ---- */


struct model_const_info {
	const char *name;
	double value; /* the default */
	double min, max; /* what a scenario may set */
	const char *unit;
	const char *source;
};
/* Every constant with its default and source, by enum model_const. */
extern const struct model_const_info model_consts[MODEL_NCONSTS];

/* What bounds an option. */
enum model_limit {
	MODEL_LIMIT_COMPUTE,
	MODEL_LIMIT_BANDWIDTH, /* memory bandwidth */
	MODEL_LIMIT_MEMORY,    /* does not fit */
	MODEL_LIMIT_SLICE,     /* teaching: students per device */
	MODEL_LIMIT_NONE,      /* no estimate possible (see note) */
};
extern const char *const model_limit_names[5];

/* Device memory needed, bytes per device. */
struct model_memory {
	double weights, gradients, optimizer, activations, kv_cache, overhead;
	double total;
};

/* One way to run a workload: an accelerator and a device count. Times
 * are hours, energies kWh; "per period" is the scenario's period. */
struct model_option {
	const struct pricing_accel *accel; /* in the scenario's catalog */
	int devices;
	bool fits;
	struct model_memory mem; /* per device */
	double memory_available; /* bytes per device */
	double hours;	     /* wall clock per run, job or session */
	double device_hours; /* per period, on average over active periods */
	double energy_kwh;   /* per period: IT energy, devices at planned
			      * utilisation + host share, no PUE */
	enum model_limit limit;
	double tokens_per_second; /* finetune: all devices together */
	double latency_ms;	  /* inference: one request, on the device */
	double remote_latency_ms; /* the same from a site to a remote venue */
	double rps_per_device;	  /* inference: at the best batch */
	bool meets_latency;	  /* latency_p99 met on the device's site */
	bool meets_latency_remote; /* ... and from a site to a remote venue */
	double ttft_ms;		  /* LLM: time to first token */
	double tpot_ms;		  /* LLM: time per output token */
	double tpot99_ms; /* LLM: its 99th percentile over requests, with
			   * the prompts mixed into their steps */
	double ttft99_ms, latency99_ms; /* LLM: the same with the p99 prompt,
					 * and to the last token with the
					 * p99 prompt and output */
	double decode_tokens_per_second; /* LLM: per device */
	int tp, replicas, batch;  /* LLM: the layout chosen, sequences */
	double students_per_device;	 /* teaching */
	char slice[24];			 /* teaching: "3g.40gb", "1/4" */
	char note[200];			 /* why not, or the assumption */
};

struct model_workload_estimate {
	const struct model_workload *w;
	struct model_option *opts;
	size_t nopts;
	double work_flop; /* per run or in total, 0 when not FLOP-based */
	char *nofit;	  /* set when no option fits: why */
};

struct model_estimate {
	struct model_workload_estimate *wl;
	size_t nwl;
	double period_s;
};

/* Estimates every workload of s (or only the one named `only`) on every
 * accelerator of the catalog (or only `accel`, a canonical name) at 1, 2,
 * 4, 8, ... devices up to the largest count an offer of that accelerator
 * gives. accel is a name or alias. Returns 0, or UTIL_E_INPUT when only or
 * accel names nothing (out is then empty). Release with
 * model_estimate_release. */
int model_estimate(const struct model_scenario *s, const char *only,
		   const char *accel, struct model_estimate *out,
		   struct util_err *err);
/* The same for every workload and accelerator, inference sized for
 * load[w] times its request rate (load NULL: 1 each; the closed loop's
 * headroom, docs/targets.md). Release with model_estimate_release. */
void model_estimate_load(const struct model_scenario *s, const double *load,
			 struct model_estimate *out);
void model_estimate_release(struct model_estimate *e);
/* Seconds from arrival to the last token of an LLM request (w has
 * output_tokens) when one engine of option o (from model_estimate)
 * receives rate requests per second: the engine holds as many sequences
 * as Little's law gives, up to the option's operating point. p99: with
 * the p99 prompt and output lengths. Queueing beyond the operating point
 * is the caller's. */
double model_llm_latency(const struct model_scenario *s,
			 const struct model_workload *w,
			 const struct model_option *o, double rate, bool p99);
/* The spread of an LLM request's engine time: sigma of a lognormal of
 * mean 1 with the 99th percentile output_p99 / output_tokens (a request
 * holds its engine share for as many steps as it has output tokens); 0
 * when the lengths are fixed. */
double model_llm_length_sigma(const struct model_inference *in);
/* Sigma of a lognormal of mean 1 whose 99th percentile is p99 / mean
 * (a length given as {mean, p99}); 0 when p99 <= mean. */
double model_llm_sigma(double mean, double p99);
/* Prompt tokens one engine step prefills at most: a longer prompt, or
 * the prompts of several new requests, spread over steps. 8192 is the
 * default `max_num_tokens` of TensorRT-LLM engines (recalled, not read
 * from a stored source: an assumption; docs/simulator.md). */
#define MODEL_LLM_CHUNK_TOKENS 8192.0

/* The operating point of one engine of option o receiving rate
 * requests/s, as model_llm_latency finds it (Little's law): sequences in
 * flight, time to first token, time per output token and latency of a
 * request of mean lengths, in seconds; no queueing. */
struct model_llm_point {
	double sequences, ttft_s, tpot_s, latency_s;
};
void model_llm_at_rate(const struct model_scenario *s,
		       const struct model_workload *w,
		       const struct model_option *o, double rate,
		       struct model_llm_point *out);

/* One LLM serving engine (a tensor-parallel group) of option o as the
 * simulator runs it step by step (sim/, docs/simulator.md): the step time
 * of the performance model and the KV cache's capacity. */
struct model_llm_engine;
/* NULL when o is not an LLM option that fits (w needs output_tokens, o
 * a layout from model_estimate). Caller frees with
 * model_llm_engine_free. */
struct model_llm_engine *model_llm_engine_new(const struct model_scenario *s,
					      const struct model_workload *w,
					      const struct model_option *o);
void model_llm_engine_free(struct model_llm_engine *e);
/* Seconds of one step that decodes one token of each of `decode`
 * sequences and prefills `prefill` prompt tokens (the forms of
 * docs/perf-model.md "Engine step", attention at the mean context). */
double model_llm_engine_step(const struct model_llm_engine *e, double decode,
			     double prefill);
/* Tokens of context (prompt and output, all sequences) the engine's KV
 * cache holds. */
double model_llm_engine_kv_tokens(const struct model_llm_engine *e);
/* The value of a constant in s (the default unless `performance:` sets
 * it). */
double model_const(const struct model_scenario *s, enum model_const k);
/* Devices offer o (rented: cloud, spot, GPU-as-a-service, in-house,
 * market) gives at once: its `max_devices`, else the family's default
 * constant (max_devices_cloud, ...); 0 for other families (no limit). */
double model_offer_limit(const struct model_scenario *s,
			 const struct pricing_offer *o);
/* IT energy in kWh of device_hours on accelerator a at load (0..1, the
 * share of time an edge board computes; 1 elsewhere): the figure of
 * estimate, of the plan's energy and of compare's energy row; the bill
 * multiplies it by PUE and the electricity price (docs/perf-model.md). */
double model_energy_kwh(const struct model_scenario *s,
			const struct pricing_accel *a, double device_hours,
			double load);

/* ---- queueing formulas (model/queue.c, docs/formulation.md) ---- */

#define MODEL_MAX_SERVERS 100000

/* Erlang C: the probability that an arrival waits in M/M/c with c
 * servers and offered load a = lambda x service (1 when a >= c). */
double model_erlang_c(int c, double a);
/* P(wait > t) in a queue with Poisson arrivals at lambda per second, c
 * servers and mean service service_s with squared coefficient of
 * variation cs2: M/M/c's tail C e^{-(c mu - lambda) t}, its decay rate
 * divided by Allen-Cunneen's (1 + cs2) / 2 (exact for cs2 = 1;
 * deterministic service takes cs2 = 0). 1 when the queue is unstable or
 * t < 0. */
double model_wait_above(int c, double lambda, double service_s, double cs2,
			double t);
/* The smallest c with model_wait_above(c, ...) <= p: 1 when there is no
 * load, 0 when t < 0 or no c up to MODEL_MAX_SERVERS will do. */
int model_servers_for(double lambda, double service_s, double cs2, double t,
		      double p);

/* ---- the placement plan (model/plan*.c, docs/formulation.md) ---- */

enum model_plan_status {
	MODEL_PLAN_OPTIMAL,
	MODEL_PLAN_FEASIBLE,   /* time limit or gap reached with a plan */
	MODEL_PLAN_INFEASIBLE, /* why says why, in the user's words */
	MODEL_PLAN_NO_SOLUTION /* time limit reached without any plan */
};
extern const char *const model_plan_status_names[4];

/* Cost components, summed over the horizon. */
enum model_cost {
	MODEL_COST_RENT,	/* cloud, spot, GPUaaS, market hours */
	MODEL_COST_COMMITMENT,	/* 1y/3y committed capacity */
	MODEL_COST_CAPEX,	/* devices bought, net of their residual value */
	MODEL_COST_MAINTENANCE, /* of devices owned and bought */
	MODEL_COST_ENERGY,	/* on-prem and edge electricity, with PUE */
	MODEL_COST_ACADEMIC,	/* allocation fees */
	MODEL_COST_STORAGE,
	MODEL_COST_EGRESS,
	MODEL_COST_HOSTING,	/* colocation fees of devices owned and bought */
	MODEL_NCOSTS
};
extern const char *const model_cost_names[MODEL_NCOSTS];

enum model_objective { MODEL_OBJECTIVE_COST, MODEL_OBJECTIVE_TIME };

struct model_plan_opts {
	int family;	     /* -1: every allowed family; else only this one */
	enum model_objective objective; /* time: results as early as the
					 * budget allows, cost breaks ties */
	double time_limit_s; /* 0: none */
	double mip_gap;	     /* relative gap to stop at, 0: optimal */
	const char *dump_lp; /* write the model in CPLEX LP format here */
	bool verbose;	     /* let GLPK print its progress on stderr */
	/* the closed loop's tightening (docs/targets.md), per workload, >= 1
	 * each; NULL: none. Inference is sized for headroom x its rate; a
	 * batch workload counts headroom x its hours against an on-prem
	 * pool (its utilisation ceiling divided by headroom); a teaching
	 * workload on rented or academic devices asks for them (headroom -
	 * 1) x a session's duration before each session, and pays for it */
	const double *headroom;
	/* the closed loop's other knob for a deadline missed, per workload,
	 * in [0, 0.5]; NULL: none. The planner schedules the work to end
	 * that share of its window before the deadline, so that waits,
	 * failures and long jobs have room before it */
	const double *finish_early;
	/* the closed loop's knob for a p95 wait missed on an academic queue,
	 * per workload, in [0, 1]; NULL: none. At most that share of the
	 * workload's work runs on academic clusters, whose queue waits no
	 * headroom shortens (docs/targets.md) */
	const double *queue_share;
	/* an inference workload whose latency_p99 no device meets is planned
	 * on its fastest options anyway, for the simulation to show the
	 * miss, instead of making the plan infeasible */
	bool best_effort;
	/* no utilisation ceiling on on-prem pools (docs/formulation.md):
	 * the closed loop's fallback when the ceilings leave no plan */
	bool no_ceilings;
	/* keep the columns no optimum needs (docs/formulation.md, Reduction
	 * before the solver, 5): the same optimum, slower; for checking */
	bool no_reduce;
	/* warm starts (docs/formulation.md): the basis of a plan made before
	 * with the same w starts this one's simplex, and this plan's optimal
	 * basis replaces it (unless w is frozen); NULL: a cold start. The
	 * optimum is the same; which of several equally cheap plans comes
	 * out may differ from a cold start's */
	struct model_plan_warm *warm;
	/* from this many columns a cold LP starts from the greedy basis on
	 * a restricted set of columns and prices the others in
	 * (docs/formulation.md, Solving); 0: 25,000. For tests */
	int colgen_min_cols;
	/* the solve with teaching sessions kept whole starts cold instead
	 * of from the split plan's optimal basis (docs/formulation.md,
	 * Sessions on one venue): the same optimum; for tests */
	bool cold_whole;
	/* with sessions kept whole, the plan is the first one found: the
	 * rounding's when there is one, taken as when the time limit runs
	 * out before branch and bound starts (docs/formulation.md, A first
	 * plan), else branch and bound's first; for tests */
	bool first_plan;
	/* the closed loop's later rounds (docs/targets.md): each course that
	 * keep_venues (a plan of the same scenario, made with a venue_search)
	 * has whole on one venue stays on that venue, unless rechoose[w]
	 * (NULL: none); the other courses choose theirs as usual. NULL:
	 * every course chooses */
	const struct model_plan *keep_venues;
	const bool *rechoose;
};

struct model_plan_assignment {
	const struct model_workload *w;
	const struct pricing_offer *offer; /* NULL for an on-prem pool */
	char *venue;			   /* offer id, or "onprem-<accel>" */
	enum pricing_family family;
	const char *accel;  /* canonical name */
	int devices;	    /* per job or run; peak devices for pooled */
	int peak_devices;   /* the most it holds at once: pooled, their
			     * peak; others, the busiest period's
			     * device-hours over its hours, at least a
			     * job's devices (model/plan_explain.c) */
	double share;	    /* of the workload's work, 0..1 */
	double device_hours; /* over the horizon */
	double energy_kwh;   /* IT energy over the horizon (no PUE) */
	double cost;
	double *period_device_hours; /* nperiods values */
	double lead_s; /* teaching on rented or academic devices: asked for
			* this long before each session (the closed loop's
			* tightening, docs/targets.md), 0: at its start */
	/* the cheapest other venue that could hold this share of the work
	 * alone, re-priced (docs/formulation.md), NULL: none; and what the
	 * share would cost more there than it costs here */
	char *runner_up;
	double runner_up_extra;
};

/* The device-hours option o of w pays for on an offer rented by the
 * instance of inst devices (0: not rented by the instance): a fine-tuning
 * run rents whole instances, so 4 devices of an 8-GPU instance for 3 h
 * pay 24 device-hours, more than 8 devices for 1.7 h (13.4). Other
 * workloads: o's device-hours (the planner's paid factor covers them). */
double model_option_paid_dh(const struct model_workload *w,
			    const struct model_option *o, long inst);

/* The estimated option assignment a runs (e made for s): the fitting
 * option of its accelerator the planner takes, within an instance of a
 * rented offer and meeting the latency targets where a runs (on site for
 * an on-prem pool or edge boards, from a site elsewhere), with the
 * fewest device-hours paid (model_option_paid_dh); when none meets them,
 * the fitting one with the fewest. NULL when none fits. Points into e. */
const struct model_option *
model_plan_option(const struct model_estimate *e,
		  const struct model_scenario *s,
		  const struct model_plan_assignment *a);

struct model_plan_purchase {
	const struct pricing_offer *offer;
	const char *accel;
	long count;
	double capex; /* net of residual value */
	double hosting; /* colocation fees from their arrival */
	int available_period; /* first period the devices can work */
	/* purchases over time (model/plan_orders.c) */
	long unit;	 /* devices per purchase unit: count / unit units */
	double order_by; /* s from the start: the last date to order,
			  * available_period's start minus the lead time */
	double lead;	 /* s, the lead time */
	double short_dh; /* device-hours of planned work with no device if
			  * it is not ordered in time */
	int short_first, short_last; /* periods of that shortfall, -1 */
	char *short_who; /* the workloads of that work, ", " between */
};

struct model_plan {
	enum model_plan_status status;
	char *why;	   /* infeasible: the reasons, one per line */
	char *log;	   /* GLPK's output, with opt.verbose */
	double objective;  /* what the solver minimised (cost, or with the
			    * time objective the weighted periods) */
	double total_cost; /* objective plus fixed costs */
	double gap;	   /* relative MIP gap, 0 when optimal */
	double delay;	   /* the waiting that `delay_cost` prices, in money:
			    * in the objective, not in the total (no one
			    * pays it) */
	double cost[MODEL_NCOSTS];
	size_t nperiods;
	double period_s;
	struct model_plan_assignment *assign;
	size_t nassign;
	struct model_plan_purchase *buy;
	size_t nbuy;
	size_t rows, cols, integers; /* the size of the model solved */
	long iterations; /* simplex iterations of its solve (the last, when
			  * several were needed) */
	/* the restricted solves and the columns the pricing put back
	 * (docs/formulation.md, Solving); 0 when the LP ran whole */
	long lp_rounds, lp_priced;
	/* courses split by the LP were put whole by a search over venue
	 * binaries that ended optimal (docs/formulation.md, Sessions on one
	 * venue), or kept on the venues such a search chose; kept: some
	 * were (model_plan_opts.keep_venues) */
	bool venue_search, kept;
};

/* The LLM engines assignment a runs at its peak (e made for s): tp
 * devices each, how many, and the sequences each keeps in flight. */
struct model_plan_engines {
	int tp, count, sequences;
};
/* Fills out for a, which serves an LLM from the performance model
 * (model_plan_option's layout); false when a does not. */
bool model_plan_engines_of(const struct model_estimate *e,
			   const struct model_scenario *s,
			   const struct model_plan_assignment *a,
			   struct model_plan_engines *out);
/* Whether some assignment of p serves an LLM from the performance
 * model. */
bool model_plan_has_engines(const struct model_plan *p);

/* Writes to out, for each assignment of p that serves an LLM from the
 * performance model, the engines it runs at its peak: "chat on
 * aws-p5.48xlarge-us-east-1: TP2 x 3 at peak, 143 sequences each"
 * (model_plan_option's layout), under a heading. Returns whether it
 * wrote any. */
bool model_plan_llm_engines(const struct model_scenario *s,
			    const struct model_plan *p, struct util_buf *out);

/* Plans s: the cheapest placement of every workload over the horizon
 * (docs/formulation.md), solved with GLPK. Returns 0 with out->status
 * OPTIMAL, FEASIBLE, INFEASIBLE (out->why says why) or NO_SOLUTION;
 * UTIL_E_IO if dump_lp cannot be written; UTIL_E_INTERNAL if GLPK failed
 * (err says how). Release out with model_plan_release in all cases. */
int model_plan(const struct model_scenario *s,
	       const struct model_plan_opts *opt, struct model_plan *out,
	       struct util_err *err);
void model_plan_release(struct model_plan *p);
/* A basis kept across plans of one scenario (model_plan_opts.warm;
 * model/plan_warm.c). Freeze: later plans start from the basis it holds
 * and leave it as it is, so that each starts from the same basis
 * whatever their order (sensitivity moves, sweep points). Applied: how
 * many plans started from it. Not shared between threads. */
struct model_plan_warm;
struct model_plan_warm *model_plan_warm_new(void);
void model_plan_warm_free(struct model_plan_warm *w);
void model_plan_warm_freeze(struct model_plan_warm *w);
long model_plan_warm_applied(const struct model_plan_warm *w);
/* Fills each on-prem purchase of p with its order-by date (the start of
 * its available_period minus the lead time: the scenario's, else the
 * offer's) and what its absence leaves without a device: the planned
 * device-hours on its pool over the capacity without it, the periods
 * and the workloads (model/plan_orders.c). model_plan calls it. */
void model_plan_orders(const struct model_scenario *s, struct model_plan *p);
/* Appends to out one line ("limit: ...") for each rented assignment of p
 * whose work would hold more devices at once than its offer's
 * model_offer_limit (model/plan_limits.c); returns how many. */
struct util_buf;
size_t model_plan_limits(const struct model_scenario *s,
			 const struct model_plan *p, struct util_buf *out);
/* Appends to out one line ("split: ...") for each course of s whose
 * sessions p puts on more than one venue, though it does not ask for
 * one_venue (the shares and venues, and the key that keeps them on one);
 * returns how many. */
size_t model_plan_split_sessions(const struct model_scenario *s,
				 const struct model_plan *p,
				 struct util_buf *out);
/* Reads a plan written by `gpuplan plan --format json` for scenario s
 * (model/plan_json.c). Returns 0, UTIL_E_NOINPUT or UTIL_E_INPUT with
 * every problem in d. Release p with model_plan_release in all cases. */
int model_plan_read(const struct model_scenario *s, const char *path,
		    struct model_plan *p, struct util_diags *d);

/* What one entity's workloads use and cost in a plan. */
struct model_entity_total {
	size_t workloads;    /* how many name the entity */
	double cost;	     /* the plan's cost of its workloads (what an
			      * entity's budget bounds) */
	double device_hours; /* over the horizon */
	double energy_kwh;   /* IT energy, no PUE */
};
/* Sums p's assignments per entity of s into out[0..s->nentities)
 * (model/plan_entity.c). The pool's fixed costs (maintenance of owned
 * devices, purchases) belong to no entity: `gpuplan chargeback` shares
 * them out. */
void model_plan_entity_totals(const struct model_scenario *s,
			      const struct model_plan *p,
			      struct model_entity_total *out);

/* Money paid in each of p's periods (cash[0..p->nperiods)): devices bought
 * at their full price in the period they are ordered in, upkeep and
 * commitments spread evenly, each assignment's cost as its device-hours fall (model/plan_costs.c). */
void model_plan_period_costs(const struct model_plan *p, double *cash);
/* What p's purchases paid in its first period cost (capex, or the unit
 * price per device), before any residual value: the initial cost; later
 * purchases are paid in their order's period (model_plan_period_costs,
 * model/plan_costs.c). */
double model_plan_cash_capex(const struct model_plan *p);
/* The cash purchase i of p pays when it is ordered: its devices at the
 * full price, before any residual value (the plan's total counts its
 * capex net of residual value, p->buy[i].capex). */
double model_plan_purchase_cash(const struct model_plan *p, size_t i);
/* ---- on-prem pools and committed costs (model/plan_pools.c) ---- */

/* Months of s's horizon, the last one possibly partial (at least 1). */
size_t model_months(const struct model_scenario *s);
/* Folds per-period values per[0..nper) (periods of period_s from the
 * horizon's start) into months[0..model_months(s)), each period's value
 * shared by the months it overlaps in proportion to time. */
void model_fold_months(const struct model_scenario *s, const double *per,
		       size_t nper, double period_s, double *months);

/* What owned devices of one accelerator cost (all of them, money of the
 * scenario): their price (per device; the catalog's capex when the
 * scenario gives none), life and age (s), the straight-line depreciation
 * of price - residual over the part of their life inside the horizon,
 * their maintenance (the offer's maintenance_pct_year of the price, as
 * the plan counts it), their value at the horizon's end and when their
 * life ends, in s from the horizon's start (<= 0: already ended). */
struct model_owned_cost {
	double price, life, age, capex, maintenance, residual_end;
	double hosting; /* colocation fees while they serve */
	double end_of_life;
	bool price_given;
	bool unpriced; /* no price given and no on-prem offer: price 0 */
};
/* The first on-prem offer of accel (a canonical name) in s's catalog,
 * the one that prices its pool, or NULL. */
const struct pricing_offer *model_onprem_offer(const struct model_scenario *s,
					       const char *accel);
/* Entry i of s->venues.owned. */
void model_owned_cost(const struct model_scenario *s, size_t i,
		      struct model_owned_cost *out);

/* One accelerator's on-prem pool in a plan. Money over the horizon. */
struct model_pool {
	const char *accel; /* canonical name, borrowed from the scenario */
	long owned, bought;
	double *used;	   /* nmonths: planned device-hours */
	double *avail;	   /* nmonths: device-hours the devices can give */
	double used_total, avail_total;
	double committed_capex, committed_maintenance; /* owned devices */
	struct model_owned_cost owned_cost; /* zero when none is owned */
	double capex, maintenance; /* bought by the plan (capex net) */
	double running;	  /* the plan's costs of the work on it: energy with
			   * PUE, storage */
	double hosting;	  /* the colocation fees of its devices, owned and
			   * bought */
	double end_of_life; /* of the owned devices, s; INFINITY: none */
	/* when the pool saturates: the first month (0-based) whose planned
	 * work the devices there without the plan's purchases could not
	 * carry (model/plan_orders.c's shortfall), -1 when none; and the
	 * month of its highest planned use */
	int saturates, busiest;
	double short_dh; /* device-hours short without the purchases */
};
struct model_pools {
	struct model_pool *v;
	size_t n, nmonths;
};
/* The pools of plan p of s: every accelerator owned, bought or used on
 * premises. Release out with model_pools_release. */
void model_plan_pools(const struct model_scenario *s,
		      const struct model_plan *p, struct model_pools *out);
void model_pools_release(struct model_pools *v);
/* The share of the academic allocation (venues.academic.allocation,
 * RGU-years over the horizon) that plan p's academic assignments use:
 * their device-hours times each offer's RGU per device, over the
 * allocation's RGU-hours; -1 without an allocation. *dh: those
 * device-hours. */
double model_plan_allocation_use(const struct model_scenario *s,
				 const struct model_plan *p, double *dh);
/* The on-prem storage's cost over the horizon (venues.onprem.storage_cost,
 * 0 without it) and its size in byte-seconds (*byte_s): each entity's
 * storage quota (else its workloads' datasets), and the datasets of
 * workloads without an entity, from the start of their first workload to
 * the horizon's end. */
double model_onprem_storage(const struct model_scenario *s, double *byte_s);
/* What s pays whatever a plan decides: the owned devices' depreciation
 * over the horizon (capex) and maintenance, and the on-prem fixed costs
 * (staff, overhead and the storage of model_onprem_storage) over the
 * horizon (fixed). The plan's total counts the maintenance only. */
void model_committed(const struct model_scenario *s, double *capex,
		     double *maintenance, double *fixed);
/* Colocation (venues.onprem.hosting): what one device of accel costs
 * per second in fees (its rated power, the catalog's on-prem power_w or
 * else its TDP, times the fee); 0 on site. */
double model_hosting_rate(const struct model_scenario *s, const char *accel);
/* The same for a device priced by on-prem offer o (NULL: its TDP). */
double model_offer_hosting_rate(const struct model_scenario *s,
				const struct pricing_offer *o,
				const char *accel);
/* The default colocation fee when the scenario gives none, USD per kW
 * per month: an ESTIMATE, the asking rate reported for 250-500 kW in
 * primary North American markets, H2 2025 (Encor Advisors, "Data Center
 * Colocation Pricing: 2026", encoradvisors.com; docs/scenario.md#hosting) */
#define MODEL_COLO_FEE_USD 196.0
/* What the owned devices' colocation fees cost over the horizon, while
 * they serve (in the plan's total, like their maintenance). */
double model_owned_hosting(const struct model_scenario *s);

/* A pool is flagged as idle when a month uses less than this share of
 * it (issue 26: "flag a pool used under 20%"). */
#define MODEL_POOL_IDLE 0.20

/* The cost/time Pareto front by epsilon-constraint: time minimised under
 * budgets from the cheapest plan's cost to the fastest's, `points` of
 * them. Fills cost[i] and finish[i] (the mean period in which flexible
 * work ends, 0 if there is none) for the *n feasible ones no other
 * beats (model_pareto_prune); one when money ends nothing sooner. */
int model_pareto(const struct model_scenario *s, int points, double *cost,
		 double *finish, int *n, struct util_err *err);

/* Keeps, in their order, the n points (cost[i], finish[i]) no other point
 * beats: none costs no more and ends no later, one of them strictly, and
 * of equal points the first. Returns how many are kept, moved to the
 * front of both arrays. A budget that buys no earlier end is not a point
 * of the front. */
int model_pareto_prune(double *cost, double *finish, int n);

/* ---- what changed between two plans (model/plan_diff.c) ---- */

struct model_diff_place {
	const char *workload, *venue; /* borrowed from the plans */
	double share[2], cost[2];     /* in plan a, in plan b */
};
struct model_diff_buy {
	const char *offer;
	long count[2];
};
struct model_plan_diff {
	struct model_diff_place *place; /* a's order, then b's new ones */
	size_t nplace;
	struct model_diff_buy *buy;
	size_t nbuy;
	double cost[MODEL_NCOSTS][2], total[2];
};
/* Pairs the placements and purchases of a and b by workload and venue
 * names. The plans must outlive d; release d with
 * model_plan_diff_release. */
void model_plan_diff(const struct model_plan *a, const struct model_plan *b,
		     struct model_plan_diff *d);
void model_plan_diff_release(struct model_plan_diff *d);

#endif
