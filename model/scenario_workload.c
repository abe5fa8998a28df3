/* The `workloads:` list of a scenario: common keys, then one loader per
 * kind (teaching, research, finetune, inference). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_int.h"

static const char *const common_keys[] = {
	"name", "kind", "description", "dataset", "start", "deadline",
	"accelerators", "pin", "entity", "residency"};
static const char *const pin_keys[] = {"offer", "family", "accelerator",
				       "devices"};

/* Keys of each kind, after the common ones. */
#define NKIND_KEYS 19
static const char *const kind_keys[MODEL_NKINDS][NKIND_KEYS] = {
	[MODEL_TEACHING] = {"students", "sessions", "per_student",
			    "between_sessions", "start_within", "late_share",
			    "every", "starts", "one_venue"},
	[MODEL_RESEARCH] = {"profile", "class", "gpu_hours", "jobs",
			    "compute_per_item", "batch", "stream", "sites",
			    "max_wait", "submission", "length_cv", "monthly",
			    "growth", "flexible", "delay_cost", "job_sizes",
			    "job_lengths", "weekly", "arrays"},
	[MODEL_FINETUNE] = {"model", "tokens", "epochs", "runs", "max_wait"},
	[MODEL_INFERENCE] = {"model", "sites", "rate", "latency_p99",
			     "payload", "placement", "hours_per_day",
			     "daily_start", "service_time", "service_distribution", "cv",
			     "rtt", "ttft_p99", "tpot_p99"},
};

static const char *const session_keys[] = {"per_week", "duration", "weeks"};
static const char *const student_keys[] = {"gpu_memory", "compute"};
static const char *const between_keys[] = {"days", "usage"};
static const char *const jobs_keys[] = {"count", "gpus", "hours"};
static const char *const ft_model_keys[] = {"params", "method", "precision",
					    "seq_len"};
static const char *const inf_model_keys[] = {
	"compute", "params", "precision", "prompt_tokens", "output_tokens",
	"preset", "layers", "hidden", "heads", "kv_heads", "vocab",
	"active_params", "kv_precision", "beams", "tp", "context"};
static const char *const tokens_keys[] = {"mean", "p99"};
/* bf16 keeps a 16-bit cache too (vLLM's kv_cache_dtype "auto": the
 * model's own dtype, bfloat16 for Llama 3 and Qwen 2.5) */
static const char *const kv_precisions[] = {"fp16", "fp8", "bf16"};

static bool in_list(const char *key, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n && list[i]; i++)
		if (!strcmp(key, list[i]))
			return true;
	return false;
}

/* Keys that are neither common nor of this kind: say which kind they
 * belong to, or suggest the nearest valid key. */
static int check_kind_keys(struct sload *l, struct util_ymap *m,
			   enum model_kind kind)
{
	const char *valid[UTIL_ARRAY_SIZE(common_keys) + NKIND_KEYS];
	size_t nvalid = 0;
	int rc = 0;

	for (size_t i = 0; i < UTIL_ARRAY_SIZE(common_keys); i++)
		valid[nvalid++] = common_keys[i];
	for (size_t i = 0; i < NKIND_KEYS && kind_keys[kind][i]; i++)
		valid[nvalid++] = kind_keys[kind][i];
	for (size_t i = 0; i < util_ymap_len(m); i++) {
		const yaml_node_t *k = util_ymap_key(m, i);
		const char *key = util_yscalar(k), *near;
		int other = -1;

		if (!key || in_list(key, valid, nvalid) || !strcmp(key, "<<"))
			continue; /* "<<": said on opening (util/ymap.c) */
		for (int o = 0; o < MODEL_NKINDS && other < 0; o++)
			if (in_list(key, kind_keys[o], NKIND_KEYS))
				other = o;
		near = util_nearest(key, valid, nvalid);
		for (int o = 0; o < MODEL_NKINDS && !near && other < 0; o++) {
			size_t nk = 0;

			while (nk < NKIND_KEYS && kind_keys[o][nk])
				nk++;
			near = util_nearest(key, kind_keys[o], nk);
			if (near)
				rc = util_yerr(l->y, l->d, k, "unknown key '%s' "
					       "in %s (did you mean '%s'? it "
					       "applies to %s workloads)", key,
					       m->ctx, near,
					       model_kind_names[o]);
		}
		if (near && !in_list(near, valid, nvalid))
			continue;
		if (other >= 0)
			rc = util_yerr(l->y, l->d, k, "'%s' applies to %s "
				       "workloads, not to %s (%s)", key,
				       model_kind_names[other],
				       model_kind_names[kind], m->ctx);
		else if (near)
			rc = util_yerr(l->y, l->d, k, "unknown key '%s' in %s "
				       "(did you mean '%s'?)", key, m->ctx,
				       near);
		else
			rc = util_yerr(l->y, l->d, k, "unknown key '%s' in %s",
				       key, m->ctx);
	}
	return rc;
}

/* A submap the kind requires: absent or empty is reported here, anything
 * else that is not a mapping by sl_submap. */
static int need_submap(struct sload *l, struct util_ymap *m, const char *key,
		       const char *const *keys, size_t nkeys,
		       struct util_ymap *sub)
{
	const yaml_node_t *n = util_ymap_get(m, key);
	int rc = sl_submap(l, m, key, keys, nkeys, sub);

	if (!n)
		return util_ymap_missing(m, key);
	if (util_ynull(n))
		return util_ymap_err(m, n, "'%s' in %s has no value (expected "
				     "a mapping such as {a: 1, b: 2})", key,
				     m->ctx);
	return rc;
}

/* When the sessions of t from start end (model_course_end). */
static double teaching_end(const struct model_scenario *s,
			   const struct model_teaching *t, double start)
{
	struct model_workload w = {.kind = MODEL_TEACHING, .start = start};

	w.teaching = *t;
	return model_course_end(s, &w);
}

static int load_teaching(struct sload *l, struct util_ymap *m,
			 struct model_teaching *t, double start)
{
	struct util_ymap sub;
	int rc = 0;

	t->start_within = MODEL_UNSET;
	t->compute.amount = MODEL_UNSET;
	rc |= sl_count(m, "students", UTIL_Y_REQUIRED, 1, 1000000,
		       &t->students) < 0;
	rc |= need_submap(l, m, "sessions", session_keys, 3, &sub);
	rc |= util_ymap_num(&sub, "per_week", UTIL_Y_REQUIRED, 0.01, 50,
			    &t->per_week) < 0;
	rc |= sl_qty(&sub, "duration", UTIL_Y_REQUIRED, MODEL_DIM_DURATION,
		     MODEL_UNITS_POSITIVE, &t->duration) < 0;
	rc |= sl_count(&sub, "weeks", UTIL_Y_REQUIRED, 1, 520, &t->weeks) < 0;
	if (!rc && teaching_end(l->s, t, start) > l->s->horizon + 1e-6)
		rc = util_ymap_err(&sub, util_ymap_get(&sub, "weeks"),
				   "%s: %ld week%s of sessions from the start "
				   "do%s not fit in the horizon (sessions are "
				   "at 9:00 on weekdays, from the first 9:00 at "
				   "or after the start)", sub.ctx, t->weeks,
				   t->weeks == 1 ? "" : "s",
				   t->weeks == 1 ? "es" : "");
	if (!rc && t->duration * t->per_week > MODEL_WEEK)
		rc = util_ymap_err(&sub, sub.node, "%s: sessions add up to "
				   "more than a week", sub.ctx);
	rc |= need_submap(l, m, "per_student", student_keys, 2, &sub);
	rc |= sl_qty(&sub, "gpu_memory", UTIL_Y_REQUIRED, MODEL_DIM_SIZE,
		     MODEL_UNITS_POSITIVE, &t->gpu_memory) < 0;
	rc |= sl_accel_qty(l, &sub, "compute", 0, MODEL_DIM_NUMBER,
			   &t->compute) < 0;
	rc |= sl_submap(l, m, "between_sessions", between_keys, 2, &sub);
	rc |= util_ymap_num(&sub, "days", 0, 0, 365, &t->between_days) < 0;
	if (sl_qty(&sub, "usage", 0, MODEL_DIM_FRACTION, 0,
		   &t->between_usage) < 0)
		rc = UTIL_E_INPUT;
	else if (t->between_usage > 1)
		rc = util_ymap_err(&sub, util_ymap_get(&sub, "usage"),
				   "'usage' in %s is a share of the session's "
				   "load, at most 100%%, got '%s'", sub.ctx,
				   util_yscalar(util_ymap_get(&sub, "usage")));
	rc |= sl_qty(m, "start_within", 0, MODEL_DIM_DURATION, 0,
		     &t->start_within) < 0;
	/* unless told, whole_by_default decides once every course is in */
	t->one_venue = false;
	t->one_venue_given = util_ymap_get(m, "one_venue") != NULL;
	rc |= util_ymap_bool(m, "one_venue", 0, &t->one_venue) < 0;
	t->late_share = MODEL_DEFAULT_LATE_SHARE;
	if (sl_qty(m, "late_share", 0, MODEL_DIM_FRACTION, 0,
		   &t->late_share) < 0)
		rc = UTIL_E_INPUT;
	else if (t->late_share > 1)
		rc = util_ymap_err(m, util_ymap_get(m, "late_share"),
				   "'late_share' in %s is a share of the "
				   "students, at most 100%%", m->ctx);
	return rc ? UTIL_E_INPUT : 0;
}

static int load_applied(struct util_ymap *m, struct model_research *r,
			bool has_hours)
{
	int rc = 0, nb, ns;

	r->item_compute = r->batch_items = r->stream_rate = MODEL_UNSET;
	rc |= sl_qty(m, "compute_per_item", 0, MODEL_DIM_FLOP,
		     MODEL_UNITS_POSITIVE, &r->item_compute) < 0;
	nb = sl_qty(m, "batch", 0, MODEL_DIM_NUMBER, MODEL_UNITS_POSITIVE,
		    &r->batch_items);
	ns = sl_qty(m, "stream", 0, MODEL_DIM_RATE, MODEL_UNITS_POSITIVE,
		    &r->stream_rate);
	if (nb < 0 || ns < 0)
		return UTIL_E_INPUT;
	if (nb + ns > 1)
		return util_ymap_err(m, util_ymap_get(m, "stream"),
				     "%s: give either 'batch' (a one-off "
				     "dataset) or 'stream' (a rate of items), "
				     "not both", m->ctx);
	if ((nb || ns) && has_hours)
		return util_ymap_err(m, util_ymap_get(m, nb ? "batch" : "stream"),
				     "%s: give the demand once: 'batch' or "
				     "'stream' with 'compute_per_item', or "
				     "'gpu_hours' or 'jobs'", m->ctx);
	if (nb && r->batch_items != floor(r->batch_items))
		return util_ymap_err(m, util_ymap_get(m, "batch"),
				     "'batch' in %s must be a whole number of "
				     "items", m->ctx);
	if ((nb || ns) && r->item_compute < 0)
		return util_ymap_missing(m, "compute_per_item");
	if (!nb && !ns && !has_hours)
		return util_ymap_err(m, m->node, "%s: an applied workload needs "
				     "'batch' or 'stream' with "
				     "'compute_per_item', or 'gpu_hours' or "
				     "'jobs'", m->ctx);
	return rc;
}

static int load_jobs(struct sload *l, struct util_ymap *m,
		     struct model_research *r)
{
	struct util_ymap j;
	int rc = sl_submap(l, m, "jobs", jobs_keys, 3, &j);

	if (!j.node)
		return rc;
	rc |= sl_count(&j, "count", UTIL_Y_REQUIRED, 1, 100000000,
		       &r->job_count) < 0;
	r->job_gpus = 1;
	rc |= sl_count(&j, "gpus", 0, 1, 100000, &r->job_gpus) < 0;
	rc |= sl_accel_qty(l, &j, "hours", UTIL_Y_REQUIRED, MODEL_DIM_NUMBER,
			   &r->job_hours) < 0;
	if (!rc && (double)r->job_count * (double)r->job_gpus *
			   r->job_hours.amount > MODEL_MAX_GPU_HOURS)
		rc = util_ymap_err(&j, util_ymap_get(&j, "hours"), "'jobs' in "
				   "%s add up to above ten billion GPU-hours: "
				   "is the unit right?", m->ctx);
	return rc ? UTIL_E_INPUT : 1;
}

/* max_wait: a duration, or `none` to switch the target off. */
static int load_max_wait(struct util_ymap *m, double dflt, double *out)
{
	const yaml_node_t *n = util_ymap_get(m, "max_wait");
	const char *v = n ? util_yscalar(n) : NULL;

	*out = dflt;
	if (v && !strcmp(v, "none")) {
		*out = MODEL_UNSET;
		return 0;
	}
	return sl_qty(m, "max_wait", 0, MODEL_DIM_DURATION,
		      MODEL_UNITS_POSITIVE, out) < 0 ? UTIL_E_INPUT : 0;
}

/* Targets and arrivals of research jobs (docs/targets.md). */
static int load_research_targets(struct util_ymap *m, struct model_research *r)
{
	int rc = 0, sub = MODEL_SUBMIT_STEADY;

	rc |= sl_enum(m, "submission", 0, model_submission_names, 3, &sub) < 0;
	r->submission = (enum model_submission)sub;
	r->length_cv = MODEL_DEFAULT_LENGTH_CV;
	rc |= util_ymap_num(m, "length_cv", 0, 0, 10, &r->length_cv) < 0;
	return rc ? UTIL_E_INPUT : 0;
}

static int load_research(struct sload *l, struct util_ymap *m,
			 struct model_research *r, bool *per_year)
{
	static const enum model_class by_profile[3] = {
		[MODEL_PHD] = MODEL_CLASS_LLM_TRAIN,
		[MODEL_MASTER] = MODEL_CLASS_VISION_TRAIN,
		[MODEL_APPLIED] = MODEL_CLASS_CNN_INFER};
	int rc = 0, p = MODEL_PHD, gh, jb, cls;

	r->gpu_hours.amount = MODEL_UNSET;
	rc |= load_research_targets(m, r);
	rc |= sl_enum(m, "profile", 0, model_profile_names, 3, &p) < 0;
	r->profile = (enum model_profile)p;
	cls = (int)by_profile[p];
	rc |= sl_enum(m, "class", 0, model_class_names, MODEL_NCLASSES,
		      &cls) < 0;
	r->cls = (enum model_class)cls;
	gh = sl_accel_qty_rate(l, m, "gpu_hours", 0, MODEL_DIM_NUMBER,
			       &r->gpu_hours, per_year);
	if (gh == 1 && r->gpu_hours.amount > MODEL_MAX_GPU_HOURS)
		gh = util_ymap_err(m, util_ymap_get(m, "gpu_hours"),
				   "'gpu_hours' in %s is above ten billion "
				   "GPU-hours: is the unit right?", m->ctx);
	jb = load_jobs(l, m, r);
	if (gh < 0 || jb < 0)
		rc = UTIL_E_INPUT;
	if (gh == 1 && jb == 1)
		rc = util_ymap_err(m, util_ymap_get(m, "jobs"), "%s: give "
				   "either 'gpu_hours' or 'jobs', not both",
				   m->ctx);
	r->sites = 1;
	rc |= sl_count(m, "sites", 0, 1, 100000, &r->sites) < 0;
	if (r->profile != MODEL_APPLIED && util_ymap_get(m, "sites"))
		rc = util_ymap_err(m, util_ymap_get(m, "sites"),
				   "'sites' in %s needs 'profile: applied' "
				   "(research that uses AI from several sites)",
				   m->ctx);
	if (r->profile == MODEL_APPLIED)
		return load_applied(m, r, gh || jb) || rc ? UTIL_E_INPUT : 0;
	if (util_ymap_get(m, "batch") || util_ymap_get(m, "stream") ||
	    util_ymap_get(m, "compute_per_item"))
		rc = util_ymap_err(m, m->node, "%s: 'batch', 'stream' and "
				   "'compute_per_item' need 'profile: applied'",
				   m->ctx);
	if (!gh && !jb && !rc)
		rc = util_ymap_err(m, m->node, "%s: a %s workload needs "
				   "'gpu_hours' (e.g. '20000 A100') or 'jobs'",
				   m->ctx, model_profile_names[p]);
	return rc ? UTIL_E_INPUT : 0;
}

static int load_precision(struct util_ymap *m, enum pricing_precision dflt,
			  enum pricing_precision *out)
{
	int p = (int)dflt, rc;

	rc = sl_enum(m, "precision", 0, pricing_precision_names,
		     PRICING_NPRECISIONS, &p);
	*out = (enum pricing_precision)p;
	return rc < 0 ? rc : 0;
}

static int load_finetune(struct sload *l, struct util_ymap *m,
			 struct model_finetune *f)
{
	struct util_ymap mm;
	int rc = 0, meth = MODEL_LORA;

	rc |= need_submap(l, m, "model", ft_model_keys, 4, &mm);
	rc |= sl_qty(&mm, "params", UTIL_Y_REQUIRED, MODEL_DIM_NUMBER,
		     MODEL_UNITS_POSITIVE, &f->params) < 0;
	rc |= sl_enum(&mm, "method", UTIL_Y_REQUIRED, model_method_names, 3,
		      &meth) < 0;
	f->method = (enum model_method)meth;
	rc |= load_precision(&mm, PRICING_BF16, &f->precision);
	/* int8 and int4 store a frozen base (model/perf.c, train_arith):
	 * a full fine-tune updates every weight and cannot keep them so */
	if (!rc && f->method == MODEL_FULL &&
	    (f->precision == PRICING_INT8 || f->precision == PRICING_INT4))
		rc = util_ymap_err(&mm, util_ymap_get(&mm, "precision"),
				   "'precision' in %s: a full fine-tune "
				   "trains in fp32, tf32, bf16, fp16 or fp8, "
				   "not %s (int8 and int4 store the frozen "
				   "base of method lora or qlora)", mm.ctx,
				   pricing_precision_names[f->precision]);
	rc |= sl_count(&mm, "seq_len", UTIL_Y_REQUIRED, 1, 10000000,
		       &f->seq_len) < 0;
	rc |= sl_qty(m, "tokens", UTIL_Y_REQUIRED, MODEL_DIM_NUMBER,
		     MODEL_UNITS_POSITIVE, &f->tokens) < 0;
	f->epochs = 1;
	rc |= util_ymap_num(m, "epochs", 0, 0.01, 1000, &f->epochs) < 0;
	rc |= sl_qty(m, "runs", UTIL_Y_REQUIRED, MODEL_DIM_RATE,
		     MODEL_UNITS_POSITIVE, &f->runs_rate) < 0;
	return rc ? UTIL_E_INPUT : 0;
}

/* A token length: a count, or {mean: 600, p99: 2000}. */
static int load_tokens(struct sload *l, struct util_ymap *m, const char *key,
		       long *mean, long *p99)
{
	const yaml_node_t *n = util_ymap_get(m, key);
	struct util_ymap tm;
	int rc = 0;

	*p99 = 0;
	if (!n || n->type != YAML_MAPPING_NODE)
		return sl_count(m, key, 0, 0, 10000000, mean) < 0;
	rc |= sl_submap(l, m, key, tokens_keys, 2, &tm);
	rc |= sl_count(&tm, "mean", UTIL_Y_REQUIRED, 0, 10000000, mean) < 0;
	rc |= sl_count(&tm, "p99", 0, 0, 10000000, p99) < 0;
	if (!rc && *p99 && *p99 < *mean)
		rc = util_ymap_err(&tm, util_ymap_get(&tm, "p99"),
				   "%s: 'p99' (%ld) is below 'mean' (%ld)",
				   tm.ctx, *p99, *mean);
	return rc;
}

/* Weight formats as kernels run them: W8A8 is int8, W4A16 int4 weights
 * with 16-bit arithmetic (model/perf_llm.c). */
static int load_inf_precision(struct util_ymap *m, enum pricing_precision *out)
{
	const char *names[PRICING_NPRECISIONS + 2];
	int p = PRICING_FP16, rc;

	for (int i = 0; i < PRICING_NPRECISIONS; i++)
		names[i] = pricing_precision_names[i];
	names[PRICING_NPRECISIONS] = "w8a8";
	names[PRICING_NPRECISIONS + 1] = "w4a16";
	rc = sl_enum(m, "precision", 0, names, PRICING_NPRECISIONS + 2, &p);
	if (p == PRICING_NPRECISIONS)
		p = PRICING_INT8;
	else if (p == PRICING_NPRECISIONS + 1)
		p = PRICING_INT4;
	*out = (enum pricing_precision)p;
	return rc < 0;
}

/* The shape of an LLM: a preset, the scenario's own keys over it, or
 * nothing (derived from params when estimated). */
static int load_llm_arch(struct util_ymap *mm, struct model_inference *in)
{
	static const char *const shape[] = {"layers", "hidden", "heads",
					    "kv_heads", "vocab"};
	struct model_llm_arch *a = &in->arch;
	double *field[] = {&a->layers, &a->hidden, &a->heads, &a->kv_heads,
			   &a->vocab};
	const struct model_llm_preset *p = NULL;
	const char *name = NULL;
	int rc = 0, kv = 0;
	bool any = false;

	memset(a, 0, sizeof(*a));
	if (util_ymap_str(mm, "preset", 0, &name) > 0) {
		p = model_llm_preset(name);
		if (!p) {
			const char *near = model_llm_preset_near(name);

			return util_ymap_err(mm, util_ymap_get(mm, "preset"),
					     "unknown preset '%s' in %s%s%s%s "
					     "(docs/perf-model.md lists them; "
					     "or give 'params' and the shape)",
					     name, mm->ctx,
					     near ? " (did you mean '" : "",
					     near ? near : "", near ? "'?)" : "");
		}
		a->preset = p->name;
		in->params = p->params;
		a->active_params = p->active_params;
		a->layers = p->layers;
		a->hidden = p->hidden;
		a->heads = p->heads;
		a->kv_heads = p->kv_heads;
		a->vocab = p->vocab;
		a->context = p->context;
	}
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(shape); i++) {
		long v = 0;
		int got = sl_count(mm, shape[i], 0, 1, 10000000, &v);

		rc |= got < 0;
		if (got > 0) {
			*field[i] = (double)v;
			any = true;
		}
	}
	rc |= sl_qty(mm, "active_params", 0, MODEL_DIM_NUMBER,
		     MODEL_UNITS_POSITIVE, &a->active_params) < 0;
	{
		long ctx = 0;
		int got = sl_count(mm, "context", 0, 1, 10000000, &ctx);

		rc |= got < 0;
		if (got > 0)
			a->context = (double)ctx;
	}
	a->derived = !p && !any;
	if (!rc && a->heads > 0 && a->kv_heads > a->heads)
		rc = util_ymap_err(mm, util_ymap_get(mm, "kv_heads"),
				   "%s: 'kv_heads' (%.0f) exceeds 'heads' "
				   "(%.0f): grouped-query attention shares "
				   "each KV head among several heads",
				   mm->ctx, a->kv_heads, a->heads);
	if (!rc && a->heads > 0 && a->kv_heads > 0 &&
	    fmod(a->heads, a->kv_heads) != 0)
		rc = util_ymap_err(mm, util_ymap_get(mm, "kv_heads"),
				   "%s: 'kv_heads' (%.0f) must divide 'heads' "
				   "(%.0f): each KV head serves the same "
				   "number of heads", mm->ctx, a->kv_heads,
				   a->heads);
	rc |= sl_enum(mm, "kv_precision", 0, kv_precisions, 3, &kv) < 0;
	in->kv_precision = kv == 1 ? PRICING_FP8 : PRICING_FP16;
	return rc;
}

/* A p99 request longer than the model's context window: engines that
 * hold to the window refuse it (vLLM's max_model_len defaults to the
 * config's max_position_embeddings), others run it past what the model
 * was trained on (TensorRT-LLM's own benchmarks run GPT-J at 2,176
 * tokens). A warning, with what to do. */
static void warn_context(struct sload *l, struct util_ymap *m,
			 const struct model_inference *in)
{
	long p = in->prompt_p99 ? in->prompt_p99 : in->prompt_tokens;
	long o = in->output_p99 ? in->output_p99 : in->output_tokens;
	const struct model_llm_arch *a = &in->arch;

	if (!(a->context > 0) || !in->output_tokens || p + o <= a->context)
		return;
	util_ywarn(l->y, l->d, util_ymap_get(m, "prompt_tokens"),
		   "%s: a %srequest of %ld prompt and %ld output tokens "
		   "(%ld) is longer than %s's context window (%.0f tokens): "
		   "engines that keep to the window (vLLM by default) refuse "
		   "it, and past it the model answers beyond what it was "
		   "trained on; shorten the requests, choose a model with a "
		   "longer window, or give 'context' for a variant that has "
		   "one", m->ctx, in->prompt_p99 || in->output_p99 ? "p99 "
								 : "",
		   p, o, p + o, a->preset ? a->preset : "the model",
		   a->context);
}

static int load_inference_model(struct sload *l, struct util_ymap *m,
				struct model_inference *in)
{
	struct util_ymap mm;
	int rc = need_submap(l, m, "model", inf_model_keys,
			     UTIL_ARRAY_SIZE(inf_model_keys), &mm);

	in->compute = MODEL_UNSET;
	if (!mm.node)
		return UTIL_E_INPUT;
	rc |= sl_qty(&mm, "compute", 0, MODEL_DIM_FLOP, MODEL_UNITS_POSITIVE,
		     &in->compute) < 0;
	rc |= load_llm_arch(&mm, in) != 0;
	rc |= sl_qty(&mm, "params",
		     util_ymap_get(&mm, "preset") ? 0 : UTIL_Y_REQUIRED,
		     MODEL_DIM_NUMBER, MODEL_UNITS_POSITIVE, &in->params) < 0;
	if (!rc && in->arch.active_params > in->params)
		rc = util_ymap_err(&mm, util_ymap_get(&mm, "active_params"),
				   "%s: 'active_params' exceeds 'params' (a "
				   "mixture of experts uses part of its "
				   "parameters per token)", mm.ctx);
	rc |= load_inf_precision(&mm, &in->precision);
	in->beams = 1;
	rc |= sl_count(&mm, "beams", 0, 1, 16, &in->beams) < 0;
	rc |= sl_count(&mm, "tp", 0, 1, 64, &in->tp) < 0;
	rc |= load_tokens(l, &mm, "prompt_tokens", &in->prompt_tokens,
			  &in->prompt_p99);
	rc |= load_tokens(l, &mm, "output_tokens", &in->output_tokens,
			  &in->output_p99);
	if (!rc && in->compute < 0 && in->output_tokens == 0)
		rc = util_ymap_err(&mm, mm.node, "%s needs 'compute' per "
				   "request (a vision-style model) or "
				   "'output_tokens' (an LLM)", mm.ctx);
	if (!rc && in->compute >= 0 && in->output_tokens > 0)
		rc = util_ymap_err(&mm, mm.node, "%s: give 'compute' (a "
				   "vision-style model) or 'output_tokens' (an "
				   "LLM), not both", mm.ctx);
	if (!rc)
		warn_context(l, &mm, in);
	if (!rc && (in->beams > 1 || in->tp > 0) && in->output_tokens == 0)
		rc = util_ymap_err(&mm, util_ymap_get(&mm, in->beams > 1
							   ? "beams"
							   : "tp"),
				   "%s: 'beams' and 'tp' apply to LLMs (a "
				   "model with 'output_tokens')", mm.ctx);
	/* engines give each device of a group heads / tp whole heads
	 * (vLLM refuses otherwise: "Total number of attention heads (28)
	 * must be divisible by tensor parallel size (3)") */
	if (!rc && in->tp > 1 && in->arch.heads > 0 &&
	    fmod(in->arch.heads, (double)in->tp) != 0)
		rc = util_ymap_err(&mm, util_ymap_get(&mm, "tp"),
				   "%s: 'tp' (%ld) must divide the attention "
				   "heads (%.0f): each device of the group "
				   "takes a whole share of them", mm.ctx,
				   in->tp, in->arch.heads);
	return rc ? UTIL_E_INPUT : 0;
}

/* A service's daily start, "HH:MM" (00:00 to 23:59), in minutes after
 * midnight; 8:00 when absent. */
static int daily_start(struct util_ymap *m, int *out)
{
	const char *t;
	int rc = util_ymap_str(m, "daily_start", 0, &t);
	unsigned hh, mm;
	char end;

	*out = 8 * 60;
	if (rc <= 0)
		return rc;
	if (strlen(t) != 5 || sscanf(t, "%2u:%2u%c", &hh, &mm, &end) != 2 ||
	    !isdigit((unsigned char)t[0]) || !isdigit((unsigned char)t[3]) ||
	    hh > 23 || mm > 59)
		return util_ymap_err(m, util_ymap_get(m, "daily_start"),
				     "%s: 'daily_start' is a time of day "
				     "HH:MM from 00:00 to 23:59, got '%s'",
				     m->ctx, t);
	*out = (int)(hh * 60 + mm);
	return 1;
}

/* A rate per day or longer beside hours_per_day under 24: the rate is
 * the arrival rate while the service runs, so "20k/day" with 10 hours a
 * day plans 8,333 requests a day, not 20,000. Said as a warning, with
 * the rate per hour that puts them all in the service hours. */
static void warn_daily_rate(struct sload *l, struct util_ymap *m,
			    const struct model_inference *in)
{
	static const char *const longer[] = {
		"d",  "day",   "days",	 "w", "week", "weeks",
		"mo", "month", "months", "y", "year", "years",
	};
	const char *txt = NULL, *unit;
	double per_h = in->rate * 3600;

	if (!(in->hours_per_day < 24) ||
	    util_ymap_str(m, "rate", 0, &txt) <= 0 || !(unit = strchr(txt, '/')))
		return;
	unit += 1 + strspn(unit + 1, " ");
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(longer); i++)
		if (!strcmp(unit, longer[i])) {
			util_ywarn(l->y, l->d, util_ymap_get(m, "rate"),
				   "%s: 'rate' %s is the arrival rate while "
				   "the service runs (%.4g/s): its %.3g hours "
				   "a day get %.0f requests; for %s within "
				   "those hours, write '%.4g/h'", m->ctx, txt,
				   in->rate, in->hours_per_day,
				   per_h * in->hours_per_day, txt,
				   per_h * 24 / in->hours_per_day);
			return;
		}
}

static int load_inference(struct sload *l, struct util_ymap *m,
			  struct model_inference *in)
{
	int rc = 0, p = MODEL_PLACE_ANY, d = MODEL_SERVICE_DETERMINISTIC;

	rc |= load_inference_model(l, m, in);
	in->sites = 1;
	rc |= sl_count(m, "sites", 0, 1, 1000000, &in->sites) < 0;
	rc |= sl_qty(m, "rate", UTIL_Y_REQUIRED, MODEL_DIM_RATE,
		     MODEL_UNITS_POSITIVE, &in->rate) < 0;
	in->latency_p99 = in->ttft_p99 = in->tpot_p99 = MODEL_UNSET;
	rc |= sl_qty(m, "latency_p99", 0, MODEL_DIM_DURATION,
		     MODEL_UNITS_POSITIVE, &in->latency_p99) < 0;
	rc |= sl_qty(m, "ttft_p99", 0, MODEL_DIM_DURATION,
		     MODEL_UNITS_POSITIVE, &in->ttft_p99) < 0;
	rc |= sl_qty(m, "tpot_p99", 0, MODEL_DIM_DURATION,
		     MODEL_UNITS_POSITIVE, &in->tpot_p99) < 0;
	if (!rc && (in->ttft_p99 > 0 || in->tpot_p99 > 0) &&
	    !in->output_tokens)
		rc = util_ymap_err(m, util_ymap_get(m, in->ttft_p99 > 0
							 ? "ttft_p99"
							 : "tpot_p99"),
				   "%s: 'ttft_p99' and 'tpot_p99' apply to "
				   "LLMs (a model with 'output_tokens')",
				   m->ctx);
	rc |= sl_qty(m, "payload", 0, MODEL_DIM_SIZE, 0, &in->payload) < 0;
	rc |= sl_enum(m, "placement", 0, model_placement_names, 4, &p) < 0;
	in->placement = (enum model_placement)p;
	in->hours_per_day = 24;
	rc |= util_ymap_num(m, "hours_per_day", 0, 0.1, 24,
			    &in->hours_per_day) < 0;
	rc |= daily_start(m, &in->daily_start) < 0;
	if (!rc)
		warn_daily_rate(l, m, in);
	in->service_time = in->rtt = MODEL_UNSET;
	rc |= sl_qty(m, "service_time", 0, MODEL_DIM_DURATION,
		     MODEL_UNITS_POSITIVE, &in->service_time) < 0;
	rc |= sl_enum(m, "service_distribution", 0,
		      model_service_dist_names, 3, &d) < 0;
	in->service_dist = (enum model_service_dist)d;
	in->cv = 1;
	rc |= util_ymap_num(m, "cv", 0, 0, 10, &in->cv) < 0;
	rc |= sl_qty(m, "rtt", 0, MODEL_DIM_DURATION, 0, &in->rtt) < 0;
	if (!rc && (util_ymap_get(m, "service_distribution") ||
		    util_ymap_get(m, "cv")) && in->service_time < 0)
		rc = util_ymap_err(m, m->node, "%s: 'service_distribution' "
				   "and 'cv' go with 'service_time'", m->ctx);
	return rc ? UTIL_E_INPUT : 0;
}

static bool valid_name(const char *s)
{
	return sl_valid_name(s, 64);
}

static int unknown_offer(struct sload *l, struct util_ymap *p,
			 const char *offer)
{
	const struct pricing_catalog *c = &l->s->catalog;
	const char **ids = util_xcalloc(c->noffers + 1, sizeof(*ids));
	const char *near;
	int rc;

	for (size_t i = 0; i < c->noffers; i++)
		ids[i] = c->offers[i].id;
	near = util_nearest(offer, ids, c->noffers);
	rc = util_ymap_err(p, util_ymap_get(p, "offer"), "no offer '%s' in the "
			   "catalog (%s%s%s)", offer,
			   near ? "did you mean '" : "see 'gpuplan catalog "
			   "offers'", near ? near : "", near ? "'?" : "");
	free(ids);
	return rc;
}

/* pin: {offer: ID, devices: N} or {family: F, accelerator: A, devices: N}
 * fixes where a workload runs, for a what-if. */
static int load_pin(struct sload *l, struct util_ymap *m,
		    struct model_workload *w)
{
	struct util_ymap p;
	const char *offer = NULL, *accel = NULL;
	int rc = sl_submap(l, m, "pin", pin_keys, 4, &p), fam = -1;

	w->pin_family = -1;
	if (!p.node)
		return rc;
	if (util_ymap_str(&p, "offer", 0, &offer) < 0 ||
	    util_ymap_str(&p, "accelerator", 0, &accel) < 0 ||
	    sl_enum(&p, "family", 0, pricing_family_names, PRICING_NFAMILIES,
		    &fam) < 0 ||
	    sl_count(&p, "devices", UTIL_Y_REQUIRED, 1, 100000,
		     &w->pin_devices) < 0)
		return UTIL_E_INPUT;
	w->pinned = true;
	w->pin_family = fam;
	if (offer && (accel || fam >= 0))
		return util_ymap_err(&p, p.node, "%s: pin an 'offer', or a "
				     "'family' and an 'accelerator', not "
				     "both", p.ctx);
	if (offer) {
		if (!pricing_catalog_find_offer(&l->s->catalog, offer))
			return unknown_offer(l, &p, offer);
		w->pin_offer = util_xstrdup(offer);
		return rc;
	}
	if (!accel || fam < 0)
		return util_ymap_err(&p, p.node, "%s needs 'offer', or "
				     "'family' and 'accelerator'", p.ctx);
	return sl_accel(l, util_ymap_get(&p, "accelerator"), accel,
			&w->pin_accel) < 0 ? UTIL_E_INPUT : rc;
}

static int load_common(struct sload *l, struct util_ymap *m,
		       struct model_workload *w)
{
	char **acc = NULL, what[200];
	size_t nacc = 0;
	int rc = 0;

	w->deadline = MODEL_UNSET;
	w->max_wait = MODEL_UNSET;
	rc |= sl_qty(m, "dataset", 0, MODEL_DIM_SIZE, 0, &w->dataset) < 0;
	rc |= sl_qty(m, "start", 0, MODEL_DIM_DURATION, 0, &w->start) < 0;
	rc |= sl_qty(m, "deadline", 0, MODEL_DIM_DURATION,
		     MODEL_UNITS_POSITIVE, &w->deadline) < 0;
	if (!rc && w->deadline >= 0 && w->deadline <= w->start)
		rc = util_ymap_err(m, util_ymap_get(m, "deadline"),
				   "%s: 'deadline' comes before 'start'",
				   m->ctx);
	if (!rc && w->start >= l->s->horizon)
		rc = util_ymap_err(m, util_ymap_get(m, "start"),
				   "%s starts at or after the end of the "
				   "horizon", m->ctx);
	if (!rc && w->deadline > l->s->horizon)
		rc = util_ymap_err(m, util_ymap_get(m, "deadline"),
				   "%s: 'deadline' is after the end of the "
				   "horizon (make 'horizon' longer)", m->ctx);
	if (w->kind == MODEL_TEACHING && util_ymap_get(m, "deadline"))
		rc = util_ymap_err(m, util_ymap_get(m, "deadline"),
				   "%s: 'deadline' does not apply to teaching "
				   "(its 'sessions' are its schedule): remove "
				   "it", m->ctx);
	if (util_ymap_str(m, "description", 0, &(const char *){NULL}) < 0)
		rc = UTIL_E_INPUT;
	rc |= load_pin(l, m, w);
	rc |= model_load_workload_entity(l, m, w) < 0;
	snprintf(what, sizeof(what), "'residency' of %s", m->ctx);
	rc |= model_residency_parse(l, util_ymap_get(m, "residency"), what,
				    &w->residency);
	if (util_ymap_strv(m, "accelerators", &acc, &nacc) < 0)
		rc = UTIL_E_INPUT;
	w->accelerators = util_xcalloc(nacc + 1, sizeof(char *));
	for (size_t i = 0; i < nacc; i++) {
		const yaml_node_t *seq = util_ymap_get(m, "accelerators");

		if (sl_accel(l, util_yseq_item(l->y, seq, i), acc[i],
			     &w->accelerators[w->naccelerators]) == 1)
			w->naccelerators++;
		else
			rc = UTIL_E_INPUT;
		free(acc[i]);
	}
	free(acc);
	return rc ? UTIL_E_INPUT : 0;
}

static int load_name(struct sload *l, struct util_ymap *m,
		     struct model_workload *w)
{
	const char *name = NULL;
	const struct model_workload *dup;

	if (util_ymap_str(m, "name", UTIL_Y_REQUIRED, &name) != 1) {
		w->name = util_xstrdup("?");
		return UTIL_E_INPUT;
	}
	w->name = util_xstrdup(name);
	if (!valid_name(name)) {
		char shown[80];

		util_escape(name, shown, sizeof(shown));
		return util_ymap_err(m, util_ymap_get(m, "name"),
				     "workload name '%s' must start with a "
				     "letter or digit and hold only letters, "
				     "digits, '.', '_' and '-' (at most 64)",
				     shown);
	}
	dup = l->expanding && !strcmp(l->expanding, name)
		      ? NULL
		      : model_scenario_find(l->s, name);
	for (size_t i = 0; !dup && !l->expanding && i < l->s->nworkloads; i++)
		if (l->s->workloads[i].series &&
		    !strcmp(l->s->workloads[i].series, name))
			dup = &l->s->workloads[i];
	if (dup)
		return util_ymap_err(m, util_ymap_get(m, "name"),
				     "duplicate workload name '%s' (first at "
				     "line %d)", name, dup->line);
	return 0;
}

int model_load_one_workload(struct sload *l, const yaml_node_t *n,
			    struct model_workload *w)
{
	struct util_ymap m;
	char ctx[120] = "a workload";
	int rc, kind = -1;

	w->line = util_yline(n);
	w->col = util_ycol(n);
	w->entity = -1;
	w->recur.every = MODEL_UNSET;
	/* name the workload in what util_ymap_open reports (duplicate keys)
	 * when it has a usable name; load_name checks it */
	if (n->type == YAML_MAPPING_NODE) {
		struct util_ymap probe = {.y = l->y, .d = l->d, .node = n};
		const char *name = util_yscalar(util_ymap_get(&probe, "name"));

		if (name && valid_name(name))
			snprintf(ctx, sizeof(ctx), "workload '%s'", name);
	}
	rc = util_ymap_open(&m, l->y, l->d, n, ctx, NULL, 0);
	if (!m.node) {
		w->name = util_xstrdup("?");
		return UTIL_E_INPUT;
	}
	rc |= load_name(l, &m, w);
	snprintf(ctx, sizeof(ctx), "workload '%s'", w->name);
	snprintf(m.ctx, sizeof(m.ctx), "%s", ctx);
	if (sl_enum(&m, "kind", UTIL_Y_REQUIRED, model_kind_names,
		    MODEL_NKINDS, &kind) != 1)
		return UTIL_E_INPUT;
	w->kind = (enum model_kind)kind;
	rc |= check_kind_keys(l, &m, w->kind);
	rc |= load_common(l, &m, w);
	switch (w->kind) {
	case MODEL_TEACHING:
		rc |= load_teaching(l, &m, &w->teaching, w->start);
		if (!rc)
			rc |= model_recur_load_teaching(l, &m, w);
		break;
	case MODEL_RESEARCH:
		rc |= load_research(l, &m, &w->research, &w->recur.per_year);
		rc |= model_load_demand(l, &m, w);
		rc |= model_load_job_shape(l, &m, &w->research);
		if (w->recur.per_year && util_ymap_get(&m, "deadline"))
			rc = util_ymap_err(&m, util_ymap_get(&m, "deadline"),
					   "%s: a yearly rate ends each year's "
					   "work with its year: remove "
					   "'deadline'", m.ctx);
		rc |= load_max_wait(&m, MODEL_DEFAULT_MAX_WAIT, &w->max_wait);
		break;
	case MODEL_FINETUNE:
		rc |= load_finetune(l, &m, &w->finetune);
		rc |= load_max_wait(&m, MODEL_UNSET, &w->max_wait);
		break;
	case MODEL_INFERENCE:
		rc |= load_inference(l, &m, &w->inference);
		break;
	default:
		util_bug(__FILE__, __LINE__, "workload kind");
	}
	return rc ? UTIL_E_INPUT : 0;
}

/* Courses that do not say one_venue keep their sessions on one venue
 * when the scenario has at most MODEL_WHOLE_COURSES courses; above, they
 * may split (s->courses says how many, for the plan's note). */
static void whole_by_default(struct model_scenario *s)
{
	s->courses = 0;
	for (size_t i = 0; i < s->nworkloads; i++)
		s->courses += s->workloads[i].kind == MODEL_TEACHING;
	for (size_t i = 0; i < s->nworkloads; i++) {
		struct model_teaching *t = &s->workloads[i].teaching;

		if (s->workloads[i].kind == MODEL_TEACHING &&
		    !t->one_venue_given)
			t->one_venue = s->courses <= MODEL_WHOLE_COURSES;
	}
}

size_t model_courses_split_by_default(const struct model_scenario *s)
{
	size_t n = 0;

	if (s->courses <= MODEL_WHOLE_COURSES)
		return 0;
	for (size_t i = 0; i < s->nworkloads; i++)
		n += s->workloads[i].kind == MODEL_TEACHING &&
		     !s->workloads[i].teaching.one_venue_given;
	return n;
}

int model_load_workloads(struct sload *l, const yaml_node_t *seq)
{
	struct model_scenario *s = l->s;
	size_t n = util_yseq_len(seq), alloc;
	char what[80];
	int rc = 0;

	if (!seq || seq->type != YAML_SEQUENCE_NODE)
		return util_yerr(l->y, l->d, seq, "'workloads' must be a list "
				 "of workloads (each item starting with "
				 "'- name:'), got %s",
				 util_ydescribe(seq, what, sizeof(what)));
	if (n > MODEL_MAX_WORKLOADS)
		return util_yerr(l->y, l->d, seq, "%zu workloads: at most %d in "
				 "one scenario (split it, or group alike work "
				 "into one workload)", n, MODEL_MAX_WORKLOADS);
	if (n == 0)
		return util_yerr(l->y, l->d, seq, "'workloads' is empty: a "
				 "scenario needs at least one workload");
	alloc = n;
	s->workloads = util_xcalloc(n, sizeof(*s->workloads));
	for (size_t i = 0; i < n; i++) {
		const yaml_node_t *item = util_yseq_item(l->y, seq, i);
		struct model_workload *w;
		int one;

		/* occurrences of recurring ones take room too */
		UTIL_GROW(s->workloads, s->nworkloads + 1, alloc);
		w = &s->workloads[s->nworkloads];
		memset(w, 0, sizeof(*w));
		one = model_load_one_workload(l, item, w);
		s->nworkloads++;
		if (!one && (w->recur.months || w->recur.every >= 0 ||
			     w->recur.per_year))
			one = model_recur_expand(l, item, &alloc);
		rc |= one;
	}
	if (s->nworkloads > MODEL_MAX_WORKLOADS)
		return util_yerr(l->y, l->d, seq, "%zu workloads with the "
				 "occurrences of recurring ones: at most %d",
				 s->nworkloads, MODEL_MAX_WORKLOADS);
	whole_by_default(s);
	return rc ? UTIL_E_INPUT : 0;
}

void model_workload_release(struct model_workload *w)
{
	free(w->name);
	for (size_t i = 0; i < w->naccelerators; i++)
		free(w->accelerators[i]);
	free(w->accelerators);
	free(w->teaching.compute.accel);
	free(w->research.gpu_hours.accel);
	free(w->research.job_hours.accel);
	free(w->pin_offer);
	free(w->pin_accel);
	free(w->series);
	model_residency_release(&w->residency);
	memset(w, 0, sizeof(*w));
}
