/* Loading catalog files (docs/catalog.md) with every problem reported. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pricing_int.h"

#define FAM(f) (1u << (f))
#define RENTED                                                                 \
	(FAM(PRICING_CLOUD) | FAM(PRICING_CLOUD_SPOT) | FAM(PRICING_GPUAAS) |  \
	 FAM(PRICING_INHOUSE))
#define HOURLY (RENTED | FAM(PRICING_DECENTRALIZED))

/* Which family may carry which term, which must, and its range. A term
 * that divides (lifetime, hours bought, availability, reliability, RGU,
 * walltime) or that a cost is a multiple of (PUE) has a minimum above 0:
 * a 0 there made GLPK assert or a cost infinite (issue 24). */
static const struct term_rule {
	unsigned allowed, required;
	double min, max;
} term_rules[PRICING_NTERMS] = {
	[PRICING_PRICE_HOUR] = {HOURLY,
				FAM(PRICING_CLOUD) | FAM(PRICING_CLOUD_SPOT) |
					FAM(PRICING_DECENTRALIZED) |
					FAM(PRICING_INHOUSE),
				0, 1e5},
	[PRICING_COMMIT_1Y_HOUR] = {FAM(PRICING_CLOUD), 0, 0, 1e5},
	[PRICING_COMMIT_3Y_HOUR] = {FAM(PRICING_CLOUD), 0, 0, 1e5},
	[PRICING_STORAGE_GB_MONTH] = {RENTED, 0, 0, 100},
	[PRICING_EGRESS_GB] = {RENTED, 0, 0, 100},
	[PRICING_PROVISION_MIN] = {RENTED, 0, 0, 1e5},
	[PRICING_PREEMPTION_PER_HOUR] = {FAM(PRICING_CLOUD_SPOT),
					 FAM(PRICING_CLOUD_SPOT), 0, 100},
	[PRICING_SUBSCRIPTION_MONTH] = {FAM(PRICING_GPUAAS), 0, 0, 1e6},
	[PRICING_HOURS_MONTH] = {FAM(PRICING_GPUAAS), 0, 1, 744},
	[PRICING_AVAILABILITY] = {FAM(PRICING_GPUAAS), 0, 0.01, 1},
	[PRICING_CAPEX] = {FAM(PRICING_ONPREM), FAM(PRICING_ONPREM), 0, 1e8},
	/* a quarter: the shortest life a purchase is planned over */
	[PRICING_LIFETIME_YEARS] = {FAM(PRICING_ONPREM) | FAM(PRICING_EDGE),
				    FAM(PRICING_ONPREM) | FAM(PRICING_EDGE),
				    0.25, 50},
	[PRICING_POWER_W] = {FAM(PRICING_ONPREM) | FAM(PRICING_EDGE),
			     FAM(PRICING_ONPREM) | FAM(PRICING_EDGE), 0, 1e5},
	[PRICING_MAINTENANCE_PCT_YEAR] = {FAM(PRICING_ONPREM), 0, 0, 100},
	[PRICING_LEAD_TIME_WEEKS] = {FAM(PRICING_ONPREM), 0, 0, 520},
	[PRICING_ELECTRICITY_KWH] = {FAM(PRICING_ONPREM), 0, 0, 100},
	/* 1.0: every watt reaches the IT equipment, the physical floor */
	[PRICING_PUE] = {FAM(PRICING_ONPREM), 0, 1, 5},
	[PRICING_RGU] = {FAM(PRICING_ACADEMIC), FAM(PRICING_ACADEMIC), 0.01,
			 1000},
	[PRICING_FEE_RGU_YEAR] = {FAM(PRICING_ACADEMIC), 0, 0, 1e6},
	/* a quarter hour: below it a job would be all checkpointing */
	[PRICING_WALLTIME_H] = {FAM(PRICING_ACADEMIC), FAM(PRICING_ACADEMIC),
				0.25, 1e5},
	[PRICING_MAX_GPUS_PER_JOB] = {FAM(PRICING_ACADEMIC), 0, 1, 1e5},
	[PRICING_RELIABILITY] = {FAM(PRICING_DECENTRALIZED),
				 FAM(PRICING_DECENTRALIZED), 0.01, 1},
	[PRICING_PERF_SPREAD] = {FAM(PRICING_DECENTRALIZED), 0, 0, 1},
	[PRICING_UNIT_PRICE] = {FAM(PRICING_EDGE), FAM(PRICING_EDGE), 0, 1e8},
	/* a capacity: an offer of no device is no offer */
	[PRICING_MAX_DEVICES] = {HOURLY, 0, 1, 1e6},
};

static const char *const top_keys[] = {"catalog", "description", "currency",
				       "accelerators", "offers"};
static const char *const accel_keys[] = {
	"name", "aliases", "vendor", "class", "memory_gb", "bandwidth_gbs",
	"tdp_w", "tflops", "mig", "interconnect", "power_modes_w", "rgu",
	"source", "as_of"};
static const char *const interconnect_keys[] = {"kind", "bandwidth_gbs"};
static const char *const queue_keys[] = {"p50_h", "p90_h"};

struct loader {
	struct util_ydoc *y;
	struct util_diags *d;
	const struct pricing_catalog *base; /* what is being extended */
	struct pricing_catalog staged;
	struct pricing_id_index ids; /* of staged's offers */
};

static char *origin(struct loader *l, const yaml_node_t *n)
{
	return util_xasprintf("%s:%d", l->y->file, util_yline(n));
}

/* A required or optional string field, duplicated. */
static int get_str(struct util_ymap *m, const char *key, int flags,
		   char **out)
{
	const char *s;
	int rc = util_ymap_str(m, key, flags, &s);

	if (rc == 1)
		*out = util_xstrdup(s);
	return rc < 0 ? rc : 0;
}

/* The value of key in m, a name (util_ident_ok) or, with label, a
 * description (util_label_ok): what may reach an emitted file
 * (docs/security.md). node: where to point, NULL for key's. */
static int check_text(struct util_ymap *m, const char *key,
		      const yaml_node_t *node, const char *v, bool label)
{
	/* an entry's own name or id is its context already */
	bool own = !strcmp(key, "name") || !strcmp(key, "id");
	char shown[80], where[200], what[40];

	if (!v || (label ? util_label_ok(v) : util_ident_ok(v)))
		return 0;
	util_escape(v, shown, sizeof(shown));
	snprintf(where, sizeof(where), "%s%s", own ? "" : " of ",
		 own ? "" : m->ctx);
	snprintf(what, sizeof(what), !strcmp(key, "id") ? "offer id"
				     : !strcmp(key, "name") ? "accelerator name"
							    : "'%s'", key);
	if (label)
		return util_ymap_err(m, node ? node : util_ymap_get(m, key),
				     "%s '%s'%s may hold only letters, "
				     "digits, spaces and \"._+(),/:-\" (at "
				     "most %d)", what, shown, where,
				     UTIL_LABEL_MAX);
	return util_ymap_err(m, node ? node : util_ymap_get(m, key),
			     "%s '%s'%s may hold only letters, digits, "
			     "'.', '_' and '-', beginning with a letter or "
			     "digit (at most %d)", what, shown, where,
			     UTIL_IDENT_MAX);
}

/* A name for messages: the entry's own, made printable. */
static void entry_ctx(struct loader *l, const yaml_node_t *n,
		      const char *key, const char *what, char *ctx, size_t sz)
{
	const char *name = NULL;
	char shown[80];

	if (n->type == YAML_MAPPING_NODE) {
		struct util_ymap probe = {.y = l->y, .d = l->d, .node = n};

		name = util_yscalar(util_ymap_get(&probe, key));
	}
	util_escape(name ? name : "?", shown, sizeof(shown));
	snprintf(ctx, sz, "%s '%s'", what, shown);
}

bool pricing_valid_date(const char *s)
{
	int y, mo, d;
	char tail;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3)
		return false;
	static const int days[12] = {31, 29, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31};

	if (!(y >= 1990 && y <= 2100 && mo >= 1 && mo <= 12 && d >= 1))
		return false;
	/* 29 February only in a leap year (1990-2100: every fourth) */
	return d <= days[mo - 1] && (mo != 2 || d < 29 || y % 4 == 0) &&
	       (y != 2100 || mo != 2 || d < 29);
}

/* source: and as_of: that every entry carries. */
static int get_provenance(struct util_ymap *m, char **source, char **as_of)
{
	int rc = get_str(m, "source", UTIL_Y_REQUIRED, source);

	if (get_str(m, "as_of", UTIL_Y_REQUIRED, as_of))
		return UTIL_E_INPUT;
	if (*as_of && !pricing_valid_date(*as_of))
		return util_ymap_err(m, util_ymap_get(m, "as_of"),
				     "'as_of' in %s must be a date "
				     "YYYY-MM-DD, got '%s'",
				     m->ctx, *as_of);
	return rc;
}

static int get_numv(struct util_ymap *m, const char *key, double **v,
		    size_t *n)
{
	const yaml_node_t *seq = util_ymap_get(m, key);
	char what[80];
	int rc = 0;

	if (!seq || util_ynull(seq))
		return 0;
	if (seq->type != YAML_SEQUENCE_NODE)
		return util_ymap_err(m, seq, "'%s' in %s must be a list of "
				     "numbers, got %s", key, m->ctx,
				     util_ydescribe(seq, what, sizeof(what)));
	*n = util_yseq_len(seq);
	*v = util_xcalloc(*n ? *n : 1, sizeof(**v));
	for (size_t i = 0; i < *n; i++) {
		const yaml_node_t *it = util_yseq_item(m->y, seq, i);
		const char *s = util_yscalar(it);

		if (!s || util_parse_double(s, &(*v)[i]) || (*v)[i] <= 0)
			rc = util_ymap_err(m, it, "items of '%s' in %s must be "
					   "positive numbers, got %s", key,
					   m->ctx,
					   util_ydescribe(it, what,
							  sizeof(what)));
	}
	return rc;
}

static int get_tflops(struct util_ymap *m, struct pricing_accel *a)
{
	const yaml_node_t *n = util_ymap_get(m, "tflops");
	struct util_ymap t;
	int rc, found = 0;
	char ctx[200];

	for (int p = 0; p < PRICING_NPRECISIONS; p++)
		a->tflops[p] = PRICING_UNSET;
	if (!n)
		return util_ymap_missing(m, "tflops");
	snprintf(ctx, sizeof(ctx), "'tflops' of %s", m->ctx);
	rc = util_ymap_open(&t, m->y, m->d, n, ctx, pricing_precision_names,
			    PRICING_NPRECISIONS);
	for (int p = 0; p < PRICING_NPRECISIONS; p++) {
		int r = util_ymap_num(&t, pricing_precision_names[p], 0, 1e-6,
				      1e6, &a->tflops[p]);

		if (r < 0)
			rc = r;
		found += r == 1;
	}
	if (!rc && !found)
		rc = util_ymap_err(m, n, "'tflops' of %s needs at least one "
				   "precision (%s, ...)", m->ctx,
				   pricing_precision_names[0]);
	return rc;
}

static int get_interconnect(struct util_ymap *m, struct pricing_accel *a)
{
	const yaml_node_t *n = util_ymap_get(m, "interconnect");
	struct util_ymap ic;
	char ctx[200];
	int rc;

	a->interconnect_gbs = PRICING_UNSET;
	if (!n || util_ynull(n))
		return 0;
	snprintf(ctx, sizeof(ctx), "'interconnect' of %s", m->ctx);
	rc = util_ymap_open(&ic, m->y, m->d, n, ctx, interconnect_keys,
			    UTIL_ARRAY_SIZE(interconnect_keys));
	if (get_str(&ic, "kind", UTIL_Y_REQUIRED, &a->interconnect) ||
	    check_text(&ic, "kind", NULL, a->interconnect, false))
		rc = UTIL_E_INPUT;
	if (util_ymap_num(&ic, "bandwidth_gbs", UTIL_Y_REQUIRED, 1e-3, 1e6,
			  &a->interconnect_gbs) < 0)
		rc = UTIL_E_INPUT;
	return rc;
}

/* "1g.10gb": g sevenths of the compute, m GB of memory. */
static int check_mig(struct util_ymap *m, const struct pricing_accel *a)
{
	const yaml_node_t *seq = util_ymap_get(m, "mig");
	int rc = 0;

	for (size_t i = 0; i < a->nmig; i++) {
		unsigned g, mem;
		char tail, shown[80];

		if (!*a->mig[i]) /* not a string: util_ymap_strv said so */
			continue;
		/* sscanf skips spaces and takes signs: the characters first */
		if (strspn(a->mig[i], "0123456789gb.") != strlen(a->mig[i]) ||
		    sscanf(a->mig[i], "%ug.%ugb%c", &g, &mem, &tail) != 2 ||
		    g < 1 || g > 7 || mem < 1 ||
		    (a->memory_gb > 0 && mem > a->memory_gb + 1))
		{
			util_escape(a->mig[i], shown, sizeof(shown));
			rc = util_ymap_err(m, util_yseq_item(m->y, seq, i),
					   "MIG profile '%s' of %s must look "
					   "like '1g.10gb' (at most 7g and the "
					   "device's memory)",
					   shown, m->ctx);
		}
	}
	return rc;
}

static int parse_class(struct util_ymap *m, struct pricing_accel *a)
{
	const char *s = NULL, *near;
	int rc = util_ymap_str(m, "class", UTIL_Y_REQUIRED, &s), i;

	if (rc != 1)
		return rc;
	i = util_strcase_index(s, pricing_class_names, 3);
	near = i < 0 ? util_nearest(s, pricing_class_names, 3) : NULL;
	if (near)
		return util_ymap_err(m, util_ymap_get(m, "class"),
				     "unknown class '%s' in %s (did you mean "
				     "'%s'?)", s, m->ctx, near);
	if (i < 0)
		return util_ymap_err(m, util_ymap_get(m, "class"),
				     "unknown class '%s' in %s (expected "
				     "datacenter, workstation or edge)",
				     s, m->ctx);
	a->cls = (enum pricing_class)i;
	return 0;
}

static int parse_accel(struct loader *l, const yaml_node_t *n,
		       struct pricing_accel *a)
{
	struct util_ymap m;
	char ctx[160];
	int rc = 0;

	memset(a, 0, sizeof(*a));
	/* the name for messages, read quietly: get_str reports it */
	entry_ctx(l, n, "name", "accelerator", ctx, sizeof(ctx));
	if (util_ymap_open(&m, l->y, l->d, n, ctx, accel_keys,
			   UTIL_ARRAY_SIZE(accel_keys)))
		rc = UTIL_E_INPUT;
	if (!m.node)
		return rc;
	a->origin = origin(l, n);
	rc |= get_str(&m, "name", UTIL_Y_REQUIRED, &a->name);
	rc |= check_text(&m, "name", NULL, a->name, false);
	rc |= get_str(&m, "vendor", UTIL_Y_REQUIRED, &a->vendor);
	rc |= check_text(&m, "vendor", NULL, a->vendor, false);
	rc |= parse_class(&m, a);
	rc |= util_ymap_strv(&m, "aliases", &a->aliases, &a->naliases) < 0;
	for (size_t i = 0; i < a->naliases; i++)
		rc |= check_text(&m, "aliases",
				 util_yseq_item(l->y, util_ymap_get(&m,
							"aliases"), i),
				 a->aliases[i], false);
	rc |= util_ymap_num(&m, "memory_gb", UTIL_Y_REQUIRED, 1e-3, 1e5,
			    &a->memory_gb) < 0;
	rc |= util_ymap_num(&m, "bandwidth_gbs", UTIL_Y_REQUIRED, 1e-3, 1e6,
			    &a->bandwidth_gbs) < 0;
	rc |= util_ymap_num(&m, "tdp_w", UTIL_Y_REQUIRED, 1e-3, 1e5,
			    &a->tdp_w) < 0;
	rc |= get_tflops(&m, a);
	rc |= util_ymap_strv(&m, "mig", &a->mig, &a->nmig) < 0;
	rc |= check_mig(&m, a);
	rc |= get_interconnect(&m, a);
	rc |= get_numv(&m, "power_modes_w", &a->power_modes_w,
		       &a->npower_modes);
	a->rgu = PRICING_UNSET;
	rc |= util_ymap_num(&m, "rgu", 0, 0.01, 1000, &a->rgu) < 0;
	rc |= get_provenance(&m, &a->source, &a->as_of);
	return rc ? UTIL_E_INPUT : 0;
}

static int parse_family(struct util_ymap *m, struct pricing_offer *o)
{
	const char *s = NULL, *near;
	int rc = util_ymap_str(m, "family", UTIL_Y_REQUIRED, &s), f;

	if (rc != 1)
		return rc ? rc : UTIL_E_INPUT;
	f = pricing_family_parse(s);
	if (f >= 0) {
		o->family = (enum pricing_family)f;
		return 0;
	}
	near = util_nearest(s, pricing_family_names, PRICING_NFAMILIES);
	return util_ymap_err(m, util_ymap_get(m, "family"),
			     "unknown venue family '%s' in %s (%s%s%s)", s,
			     m->ctx, near ? "did you mean '" : "expected cloud, "
			     "cloud-spot, gpuaas, onprem, academic, "
			     "decentralized, edge or inhouse",
			     near ? near : "", near ? "'?" : "");
}

static const struct pricing_accel *resolve_accel(struct loader *l,
						 const char *name)
{
	const struct pricing_accel *a =
		pricing_catalog_find_accel(&l->staged, name);

	return a ? a : pricing_catalog_find_accel(l->base, name);
}

static int parse_accel_ref(struct loader *l, struct util_ymap *m,
			   struct pricing_offer *o)
{
	const char *s = NULL, *near;
	const struct pricing_accel *a;
	int rc = util_ymap_str(m, "accelerator", UTIL_Y_REQUIRED, &s);

	if (rc != 1)
		return rc ? rc : UTIL_E_INPUT;
	a = resolve_accel(l, s);
	if (a) {
		o->accel = util_xstrdup(a->name);
		return 0;
	}
	near = pricing_catalog_suggest_accel(&l->staged, s);
	if (!near)
		near = pricing_catalog_suggest_accel(l->base, s);
	if (near)
		return util_ymap_err(m, util_ymap_get(m, "accelerator"),
				     "unknown accelerator '%s' in %s (did you "
				     "mean '%s'?)", s, m->ctx, near);
	return util_ymap_err(m, util_ymap_get(m, "accelerator"),
			     "unknown accelerator '%s' in %s (see `gpuplan "
			     "catalog accelerators`)", s, m->ctx);
}

static int parse_terms(struct util_ymap *m, struct pricing_offer *o)
{
	unsigned fam = FAM(o->family);
	int rc = 0;

	for (int t = 0; t < PRICING_NTERMS; t++) {
		const struct term_rule *r = &term_rules[t];
		const char *key = pricing_term_names[t];
		const yaml_node_t *v = util_ymap_get(m, key);

		o->term[t] = PRICING_UNSET;
		if (v && !(r->allowed & fam)) {
			const char *f = pricing_family_names[o->family];

			rc = util_ymap_err(m, v, "'%s' does not apply to %s %s "
					   "offer (%s)", key,
					   strchr("aeiou", f[0]) ? "an" : "a",
					   f, m->ctx);
			continue;
		}
		if (util_ymap_num(m, key,
				  (r->required & fam) ? UTIL_Y_REQUIRED : 0,
				  r->min, r->max, &o->term[t]) < 0)
			rc = UTIL_E_INPUT;
	}
	return rc;
}

static int parse_queue(struct util_ymap *m, struct pricing_offer *o)
{
	const yaml_node_t *n = util_ymap_get(m, "queue_wait");
	struct util_ymap q;
	char ctx[200];
	int rc;

	o->queue_p50_h = o->queue_p90_h = PRICING_UNSET;
	if (o->family != PRICING_ACADEMIC) {
		if (n)
			return util_ymap_err(m, n, "'queue_wait' applies only "
					     "to academic offers (%s)", m->ctx);
		return 0;
	}
	if (!n)
		return util_ymap_missing(m, "queue_wait");
	snprintf(ctx, sizeof(ctx), "'queue_wait' of %s", m->ctx);
	rc = util_ymap_open(&q, m->y, m->d, n, ctx, queue_keys, 2);
	rc |= util_ymap_num(&q, "p50_h", UTIL_Y_REQUIRED, 0, 1e4,
			    &o->queue_p50_h) < 0;
	rc |= util_ymap_num(&q, "p90_h", UTIL_Y_REQUIRED, 0, 1e4,
			    &o->queue_p90_h) < 0;
	if (!rc && o->queue_p90_h < o->queue_p50_h)
		rc = util_ymap_err(m, util_ymap_get(&q, "p90_h"), "'p90_h' "
				   "(%g) is below 'p50_h' (%g) in %s: the 90th "
				   "percentile cannot be the shorter wait",
				   o->queue_p90_h, o->queue_p50_h, ctx);
	return rc ? UTIL_E_INPUT : 0;
}

/* Family rules that a table cannot say. */
static int check_family(struct util_ymap *m, struct pricing_offer *o,
			const yaml_node_t *n)
{
	int rc = 0;

	if (o->family == PRICING_GPUAAS &&
	    o->term[PRICING_PRICE_HOUR] < 0 &&
	    o->term[PRICING_SUBSCRIPTION_MONTH] < 0)
		rc = util_ymap_err(m, n, "%s needs 'price_hour' or "
				   "'subscription_month'", m->ctx);
	if (o->term[PRICING_SUBSCRIPTION_MONTH] >= 0 &&
	    o->term[PRICING_HOURS_MONTH] < 1)
		rc = util_ymap_err(m, n, "%s has a subscription: it needs "
				   "'hours_month' (at least 1), the hours it "
				   "buys", m->ctx);
	if (o->family == PRICING_ACADEMIC && !o->cluster)
		rc = util_ymap_missing(m, "cluster");
	if (o->family != PRICING_ACADEMIC && o->cluster)
		rc = util_ymap_err(m, util_ymap_get(m, "cluster"),
				   "'cluster' applies only to academic offers "
				   "(%s)", m->ctx);
	if (o->family != PRICING_EDGE && o->npower_modes)
		rc = util_ymap_err(m, util_ymap_get(m, "power_modes_w"),
				   "'power_modes_w' applies only to edge "
				   "offers (%s)", m->ctx);
	return rc;
}

static const char *const offer_base_keys[] = {
	"id", "family", "provider", "region", "country", "instance",
	"accelerator",
	"count", "sovereign", "estimate", "cluster", "queue_wait",
	"power_modes_w",
	"slurm", "kubernetes", "source", "as_of"};
static const char *const slurm_keys[] = {"gpu_type", "mig_prefix",
					 "mig_profiles", "cpus_per_gpu",
					 "mem_gb_per_gpu"};

/* Slurm's name for a GPU type: lowercase letters, digits, '_', '.'. */
static bool slurm_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    !strchr("_.", *s))
			return false;
	return true;
}

/* A MIG profile: "3g.20gb", a digit 1-7, 'g.', memory, "gb". */
static bool mig_profile_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 6 || s[0] < '1' || s[0] > '7' || strncmp(s + 1, "g.", 2) ||
	    strcmp(s + n - 2, "gb") || !slurm_name(s))
		return false;
	for (size_t i = 3; i < n - 2; i++)
		if (!isdigit((unsigned char)s[i]) && s[i] != '.')
			return false;
	return true;
}

/* slurm: {gpu_type: h100, mig_prefix: nvidia_h100_80gb_hbm3_,
 * cpus_per_gpu: 12, mem_gb_per_gpu: 280} */
static int parse_slurm(struct util_ymap *m, struct pricing_offer *o)
{
	const yaml_node_t *n = util_ymap_get(m, "slurm");
	struct util_ymap sm;
	char ctx[200];
	int rc;

	o->slurm_cpus_per_gpu = o->slurm_mem_gb_per_gpu = PRICING_UNSET;
	if (!n)
		return 0;
	if (o->family != PRICING_ACADEMIC && o->family != PRICING_ONPREM)
		return util_ymap_err(m, n, "'slurm' applies only to academic "
				     "and on-prem offers (%s)", m->ctx);
	snprintf(ctx, sizeof(ctx), "'slurm' of %s", m->ctx);
	rc = util_ymap_open(&sm, m->y, m->d, n, ctx, slurm_keys, 5);
	rc |= get_str(&sm, "gpu_type", UTIL_Y_REQUIRED, &o->slurm_gpu_type);
	rc |= get_str(&sm, "mig_prefix", 0, &o->slurm_mig_prefix);
	rc |= util_ymap_strv(&sm, "mig_profiles", &o->slurm_mig_profiles,
			     &o->nslurm_mig_profiles) < 0;
	for (size_t i = 0; i < o->nslurm_mig_profiles; i++)
		if (!mig_profile_ok(o->slurm_mig_profiles[i]))
			rc = util_ymap_err(&sm, util_ymap_get(&sm,
							      "mig_profiles"),
					   "'%s' in mig_profiles of %s is not a "
					   "MIG profile: <slices>g.<memory>gb, "
					   "as 3g.20gb", o->slurm_mig_profiles[i],
					   ctx);
	rc |= util_ymap_num(&sm, "cpus_per_gpu", 0, 1, 1024,
			    &o->slurm_cpus_per_gpu) < 0;
	rc |= util_ymap_num(&sm, "mem_gb_per_gpu", 0, 1, 65536,
			    &o->slurm_mem_gb_per_gpu) < 0;
	if ((o->slurm_gpu_type && !slurm_name(o->slurm_gpu_type)) ||
	    (o->slurm_mig_prefix && !slurm_name(o->slurm_mig_prefix)))
		rc = util_ymap_err(&sm, n, "Slurm type names in %s hold only "
				   "lowercase letters, digits, '_' and '.'",
				   ctx);
	return rc ? UTIL_E_INPUT : 0;
}

/* A Kubernetes label value: at most 63 letters, digits, '-', '_' and
 * '.', beginning and ending with a letter or digit. */
static bool label_value(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 63 || !isalnum((unsigned char)s[0]) ||
	    !isalnum((unsigned char)s[n - 1]))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-_.", *s))
			return false;
	return true;
}

/* kubernetes: {gpu_product: NVIDIA-H200}, the nvidia.com/gpu.product
 * label of the pool's nodes */
static int parse_kubernetes(struct util_ymap *m, struct pricing_offer *o)
{
	static const char *const keys[] = {"gpu_product"};
	const yaml_node_t *n = util_ymap_get(m, "kubernetes");
	struct util_ymap km;
	char ctx[200];
	int rc;

	if (!n)
		return 0;
	if (o->family != PRICING_ONPREM)
		return util_ymap_err(m, n, "'kubernetes' applies only to "
				     "on-prem offers (%s)", m->ctx);
	snprintf(ctx, sizeof(ctx), "'kubernetes' of %s", m->ctx);
	rc = util_ymap_open(&km, m->y, m->d, n, ctx, keys, 1);
	rc |= get_str(&km, "gpu_product", UTIL_Y_REQUIRED,
		      &o->k8s_gpu_product);
	if (o->k8s_gpu_product && !label_value(o->k8s_gpu_product)) {
		char shown[80];

		util_escape(o->k8s_gpu_product, shown, sizeof(shown));
		rc = util_ymap_err(&km, util_ymap_get(&km, "gpu_product"),
				   "'%s' cannot be a Kubernetes label value "
				   "(up to 63 letters, digits, '-', '_', '.')",
				   shown);
	}
	return rc ? UTIL_E_INPUT : 0;
}

static bool cluster_name(const char *s)
{
	if (!*s || strlen(s) > 40 || *s == '-')
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    !strchr("_-", *s))
			return false;
	return true;
}

static int offer_keys(const char **keys)
{
	int n = 0;

	for (size_t i = 0; i < UTIL_ARRAY_SIZE(offer_base_keys); i++)
		keys[n++] = offer_base_keys[i];
	for (int t = 0; t < PRICING_NTERMS; t++)
		keys[n++] = pricing_term_names[t];
	return n;
}

/* country: an ISO 3166-1 alpha-2 code, stored in upper case */
static int parse_country(struct util_ymap *m, struct pricing_offer *o)
{
	const char *hint;
	char shown[80];
	int rc = get_str(m, "country", 0, &o->country);

	if (rc || !o->country)
		return rc;
	if (util_country_ok(o->country)) {
		o->country[0] = (char)toupper((unsigned char)o->country[0]);
		o->country[1] = (char)toupper((unsigned char)o->country[1]);
		return 0;
	}
	util_escape(o->country, shown, sizeof(shown));
	hint = util_country_hint(o->country);
	return util_ymap_err(m, util_ymap_get(m, "country"),
			     "'country' of %s must be an ISO 3166-1 alpha-2 "
			     "code such as CA, FR or US, got '%s'%s%s%s",
			     m->ctx, shown,
			     hint ? " (did you mean '" : "", hint ? hint : "",
			     hint ? "'?)" : "");
}

static int parse_offer(struct loader *l, const yaml_node_t *n,
		       struct pricing_offer *o)
{
	const char *keys[UTIL_ARRAY_SIZE(offer_base_keys) + PRICING_NTERMS];
	int nkeys = offer_keys(keys), rc = 0;
	struct util_ymap m;
	char ctx[160];

	memset(o, 0, sizeof(*o));
	/* the id for messages, read quietly: get_str reports it */
	entry_ctx(l, n, "id", "offer", ctx, sizeof(ctx));
	rc |= util_ymap_open(&m, l->y, l->d, n, ctx, keys, (size_t)nkeys);
	if (!m.node)
		return UTIL_E_INPUT;
	o->origin = origin(l, n);
	rc |= get_str(&m, "id", UTIL_Y_REQUIRED, &o->id);
	rc |= check_text(&m, "id", NULL, o->id, false);
	if (parse_family(&m, o))
		return UTIL_E_INPUT;
	rc |= get_str(&m, "provider", UTIL_Y_REQUIRED, &o->provider);
	rc |= check_text(&m, "provider", NULL, o->provider, false);
	rc |= get_str(&m, "region", 0, &o->region);
	rc |= check_text(&m, "region", NULL, o->region, true);
	rc |= parse_country(&m, o);
	rc |= get_str(&m, "instance", 0, &o->instance);
	rc |= check_text(&m, "instance", NULL, o->instance, true);
	rc |= get_str(&m, "cluster", 0, &o->cluster);
	if (o->cluster && !cluster_name(o->cluster)) {
		char shown[80];

		util_escape(o->cluster, shown, sizeof(shown));
		rc = util_ymap_err(&m, util_ymap_get(&m, "cluster"),
				   "cluster name '%s' may hold only lowercase "
				   "letters, digits, '_' and '-' (it names "
				   "files and Slurm nodes)", shown);
	}
	rc |= parse_accel_ref(l, &m, o);
	o->count = 1;
	rc |= util_ymap_long(&m, "count", 0, 1, 4096, &o->count) < 0;
	o->sovereign = o->family == PRICING_ONPREM ||
		       o->family == PRICING_EDGE;
	rc |= util_ymap_bool(&m, "sovereign", 0, &o->sovereign) < 0;
	rc |= util_ymap_bool(&m, "estimate", 0, &o->estimate) < 0;
	rc |= parse_terms(&m, o);
	rc |= parse_queue(&m, o);
	rc |= get_numv(&m, "power_modes_w", &o->power_modes_w,
		       &o->npower_modes);
	rc |= parse_slurm(&m, o);
	rc |= parse_kubernetes(&m, o);
	rc |= check_family(&m, o, n);
	rc |= get_provenance(&m, &o->source, &o->as_of);
	return rc ? UTIL_E_INPUT : 0;
}

void pricing_catalog_put_accel(struct pricing_catalog *c,
			       struct pricing_accel *a)
{
	for (size_t i = 0; i < c->naccels; i++) {
		if (!strcasecmp(c->accels[i].name, a->name)) {
			pricing_accel_release(&c->accels[i]);
			c->accels[i] = *a;
			return;
		}
	}
	UTIL_GROW(c->accels, c->naccels + 1, c->accels_alloc);
	c->accels[c->naccels++] = *a;
}

void pricing_catalog_put_offer(struct pricing_catalog *c,
			       struct pricing_offer *o)
{
	for (size_t i = 0; i < c->noffers; i++) {
		if (!strcmp(c->offers[i].id, o->id)) {
			pricing_offer_release(&c->offers[i]);
			c->offers[i] = *o;
			return;
		}
	}
	UTIL_GROW(c->offers, c->noffers + 1, c->offers_alloc);
	c->offers[c->noffers++] = *o;
}

static const yaml_node_t *list_at(struct util_ymap *top, const char *key)
{
	const yaml_node_t *n = util_ymap_get(top, key);
	char what[80];

	if (!n || util_ynull(n))
		return NULL;
	if (n->type != YAML_SEQUENCE_NODE) {
		util_ymap_err(top, n, "'%s' must be a list, got %s", key,
			      util_ydescribe(n, what, sizeof(what)));
		return NULL;
	}
	return n;
}

/* A name or alias may stand for one accelerator only. Runs when every
 * accelerator loaded, so staged accelerator i is item i of seq. */
static int check_names(struct loader *l, const yaml_node_t *seq)
{
	int rc = 0;

	for (size_t i = 0; i < l->staged.naccels; i++) {
		const struct pricing_accel *a = &l->staged.accels[i];
		const yaml_node_t *n = util_yseq_item(l->y, seq, i);

		for (size_t j = 0; j <= a->naliases; j++) {
			const char *nm = j ? a->aliases[j - 1] : a->name;
			const struct pricing_accel *o =
				pricing_catalog_find_accel(&l->staged, nm);
			const struct pricing_accel *b =
				pricing_catalog_find_accel(l->base, nm);

			if (o != a)
				rc = util_yerr(l->y, l->d, n, "accelerator name "
					       "'%s' is already used by '%s' "
					       "(%s)", nm, o->name, o->origin);
			else if (b && strcasecmp(b->name, a->name))
				rc = util_yerr(l->y, l->d, n, "accelerator name "
					       "'%s' is already used by '%s' "
					       "(%s)", nm, b->name, b->origin);
		}
	}
	return rc;
}

static int load_accels(struct loader *l, struct util_ymap *top)
{
	const yaml_node_t *seq = list_at(top, "accelerators");
	int rc = 0;

	for (size_t i = 0; i < util_yseq_len(seq); i++) {
		struct pricing_accel a;

		if (parse_accel(l, util_yseq_item(l->y, seq, i), &a)) {
			rc = UTIL_E_INPUT;
			pricing_accel_release(&a);
			continue;
		}
		UTIL_GROW(l->staged.accels, l->staged.naccels + 1,
			  l->staged.accels_alloc);
		l->staged.accels[l->staged.naccels++] = a;
	}
	if (!rc && seq)
		rc = check_names(l, seq);
	return rc;
}

static int add_offer(struct loader *l, const yaml_node_t *n,
		     struct pricing_offer *o)
{
	size_t *slot = pricing_id_slot(&l->ids, l->staged.offers, o->id);

	if (*slot) {
		util_yerr(l->y, l->d, n, "duplicate offer id '%s' (first at "
			  "%s)", o->id, l->staged.offers[*slot - 1].origin);
		pricing_offer_release(o);
		return UTIL_E_INPUT;
	}
	UTIL_GROW(l->staged.offers, l->staged.noffers + 1,
		  l->staged.offers_alloc);
	l->staged.offers[l->staged.noffers++] = *o;
	*slot = l->staged.noffers;
	return 0;
}

static int load_offers(struct loader *l, struct util_ymap *top)
{
	const yaml_node_t *seq = list_at(top, "offers");
	int rc = 0;

	if (util_yseq_len(seq) > PRICING_MAX_OFFERS)
		return util_yerr(l->y, l->d, seq, "%zu offers: at most %d in one "
				 "catalog file", util_yseq_len(seq),
				 PRICING_MAX_OFFERS);
	pricing_id_index_init(&l->ids, NULL, 0, util_yseq_len(seq));

	for (size_t i = 0; i < util_yseq_len(seq); i++) {
		const yaml_node_t *n = util_yseq_item(l->y, seq, i);
		struct pricing_offer o;

		if (parse_offer(l, n, &o)) {
			rc = UTIL_E_INPUT;
			pricing_offer_release(&o);
			continue;
		}
		rc |= add_offer(l, n, &o);
	}
	return rc;
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Spot dearer than on demand for the same instance is suspicious. n is
 * the spot offer's node, for the position. */
static void warn_spot(struct loader *l, const struct pricing_catalog *all,
		      const struct pricing_offer *s, const yaml_node_t *n)
{
	for (size_t i = 0; i < all->noffers; i++) {
		const struct pricing_offer *o = &all->offers[i];

		if (o->family != PRICING_CLOUD ||
		    !same_str(o->provider, s->provider) ||
		    !same_str(o->region, s->region) ||
		    !same_str(o->instance, s->instance) || !s->instance ||
		    o->term[PRICING_PRICE_HOUR] >= s->term[PRICING_PRICE_HOUR])
			continue;
		util_ywarn(l->y, l->d, n, "spot offer '%s' costs %.4g/h, more "
			   "than on-demand '%s' at %.4g/h (%s): spot should "
			   "be the cheaper", s->id,
			   s->term[PRICING_PRICE_HOUR], o->id,
			   o->term[PRICING_PRICE_HOUR], o->origin);
	}
}

/* pricing_catalog_put_offer for every offer of staged, in linear time;
 * staged is left without offers. */
static void put_offers(struct pricing_catalog *c,
		       struct pricing_catalog *staged)
{
	struct pricing_id_index x;

	pricing_id_index_init(&x, c->offers, c->noffers, staged->noffers);
	for (size_t i = 0; i < staged->noffers; i++) {
		struct pricing_offer *o = &staged->offers[i];
		size_t *slot = pricing_id_slot(&x, c->offers, o->id);

		if (*slot) {
			pricing_offer_release(&c->offers[*slot - 1]);
			c->offers[*slot - 1] = *o;
			continue;
		}
		UTIL_GROW(c->offers, c->noffers + 1, c->offers_alloc);
		c->offers[c->noffers++] = *o;
		*slot = c->noffers;
	}
	staged->noffers = 0;
	free(x.slot);
}

static void merge(struct loader *l, struct pricing_catalog *c,
		  const char *name, const char *currency)
{
	for (size_t i = 0; i < l->staged.naccels; i++)
		pricing_catalog_put_accel(c, &l->staged.accels[i]);
	l->staged.naccels = 0;
	put_offers(c, &l->staged);
	if (name && !c->name)
		c->name = util_xstrdup(name);
	if (currency && !c->currency)
		c->currency = util_xstrdup(currency);
	/* a file applied again (--catalog, the last word over a scenario's
	 * catalog) moves to the end: each layer is listed once */
	for (size_t i = 0; i < c->norigins; i++)
		if (!strcmp(c->origins[i], l->y->file)) {
			free(c->origins[i]);
			memmove(&c->origins[i], &c->origins[i + 1],
				(c->norigins - i - 1) * sizeof(*c->origins));
			c->norigins--;
			break;
		}
	UTIL_GROW(c->origins, c->norigins + 1, c->origins_alloc);
	c->origins[c->norigins++] = util_xstrdup(l->y->file);
}

static int check_currency(struct util_ymap *top,
			  const struct pricing_catalog *c, const char **cur)
{
	int rc = util_ymap_str(top, "currency", 0, cur);

	if (rc < 0)
		return rc;
	if (!*cur)
		*cur = "USD";
	if (strlen(*cur) != 3 || !isupper((unsigned char)(*cur)[0]) ||
	    !isupper((unsigned char)(*cur)[1]) ||
	    !isupper((unsigned char)(*cur)[2]))
		return util_ymap_err(top, util_ymap_get(top, "currency"),
				     "'currency' must be a 3-letter ISO 4217 "
				     "code such as USD or EUR, got '%s'",
				     *cur);
	if (c->currency && strcmp(c->currency, *cur))
		return util_ymap_err(top, util_ymap_get(top, "currency"),
				     "catalog currency '%s' differs from '%s' "
				     "of the catalog it extends (gpuplan does "
				     "not convert currencies)",
				     *cur, c->currency);
	return 0;
}

int pricing_catalog_load_node(struct pricing_catalog *c, struct util_ydoc *y,
			      const yaml_node_t *node, struct util_diags *d)
{
	struct loader l = {.y = y, .d = d, .base = c};
	struct util_ymap top;
	const char *name = NULL, *cur = NULL;
	size_t errors = d->nerrors;
	int rc;

	pricing_catalog_init(&l.staged);
	rc = util_ymap_open(&top, y, d, node, "the catalog", top_keys,
			    UTIL_ARRAY_SIZE(top_keys));
	if (top.node) {
		rc |= util_ymap_str(&top, "catalog", 0, &name) < 0;
		rc |= check_currency(&top, c, &cur);
		rc |= load_accels(&l, &top);
		rc |= load_offers(&l, &top);
	}
	if (!rc && d->nerrors == errors) {
		/* no errors: staged offer i is item i of 'offers' */
		const yaml_node_t *seq = util_ymap_get(&top, "offers");

		for (size_t i = 0; i < l.staged.noffers; i++) {
			const yaml_node_t *n = util_yseq_item(y, seq, i);

			if (l.staged.offers[i].family != PRICING_CLOUD_SPOT)
				continue;
			warn_spot(&l, &l.staged, &l.staged.offers[i], n);
			warn_spot(&l, c, &l.staged.offers[i], n);
		}
		merge(&l, c, name, cur);
	}
	pricing_catalog_release(&l.staged);
	free(l.ids.slot);
	return d->nerrors == errors ? 0 : UTIL_E_INPUT;
}

int pricing_catalog_load_buffer(struct pricing_catalog *c, const char *file,
				const char *buf, size_t len,
				struct util_diags *d)
{
	struct util_ydoc y;
	int rc = util_ydoc_load(&y, file, buf, len, d);

	if (!rc)
		rc = pricing_catalog_load_node(c, &y, util_ydoc_root(&y), d);
	util_ydoc_release(&y);
	return rc;
}

int pricing_catalog_load_file(struct pricing_catalog *c, const char *path,
			      struct util_diags *d)
{
	struct util_ydoc y;
	int rc = util_ydoc_load_file(&y, path, d);

	if (!rc)
		rc = pricing_catalog_load_node(c, &y, util_ydoc_root(&y), d);
	util_ydoc_release(&y);
	return rc;
}

int pricing_catalog_load_default(struct pricing_catalog *c,
				 struct util_diags *d)
{
	return pricing_catalog_load_buffer(c, "<embedded catalog>",
					   pricing_default_catalog,
					   pricing_default_catalog_len, d);
}
