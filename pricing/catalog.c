/* Catalog types: names, lookups, copies and release. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pricing_int.h"

const char *const pricing_family_names[PRICING_NFAMILIES] = {
	"cloud", "cloud-spot", "gpuaas", "onprem",
	"academic", "decentralized", "edge", "inhouse",
};

const char *const pricing_precision_names[PRICING_NPRECISIONS] = {
	"fp32", "tf32", "bf16", "fp16", "fp8", "int8", "int4",
};

const char *const pricing_class_names[3] = {"datacenter", "workstation",
					    "edge"};

const char *const pricing_term_names[PRICING_NTERMS] = {
	"price_hour",	       "commit_1y_hour",     "commit_3y_hour",
	"storage_gb_month",    "egress_gb",	     "provision_min",
	"preemption_per_hour", "subscription_month", "hours_month",
	"availability",	       "capex",		     "lifetime_years",
	"power_w",	       "maintenance_pct_year", "lead_time_weeks",
	"electricity_kwh",     "pue",		     "rgu",
	"fee_rgu_year",	       "walltime_h",	     "max_gpus_per_job",
	"reliability",	       "perf_spread",	     "unit_price",
	"max_devices",
};

int pricing_family_parse(const char *s)
{
	for (int i = 0; i < PRICING_NFAMILIES; i++)
		if (!strcmp(s, pricing_family_names[i]))
			return i;
	return -1;
}

int pricing_precision_parse(const char *s)
{
	for (int i = 0; i < PRICING_NPRECISIONS; i++)
		if (!strcasecmp(s, pricing_precision_names[i]))
			return i;
	return -1;
}

void pricing_catalog_init(struct pricing_catalog *c)
{
	memset(c, 0, sizeof(*c));
}

void pricing_accel_release(struct pricing_accel *a)
{
	free(a->name);
	util_strv_free(a->aliases, a->naliases);
	free(a->vendor);
	util_strv_free(a->mig, a->nmig);
	free(a->interconnect);
	free(a->power_modes_w);
	free(a->source);
	free(a->as_of);
	free(a->origin);
	memset(a, 0, sizeof(*a));
}

void pricing_offer_release(struct pricing_offer *o)
{
	free(o->id);
	free(o->provider);
	free(o->region);
	free(o->instance);
	free(o->accel);
	free(o->cluster);
	free(o->country);
	free(o->power_modes_w);
	free(o->slurm_gpu_type);
	free(o->slurm_mig_prefix);
	util_strv_free(o->slurm_mig_profiles, o->nslurm_mig_profiles);
	free(o->k8s_gpu_product);
	free(o->source);
	free(o->as_of);
	free(o->origin);
	memset(o, 0, sizeof(*o));
}

void pricing_catalog_release(struct pricing_catalog *c)
{
	for (size_t i = 0; i < c->naccels; i++)
		pricing_accel_release(&c->accels[i]);
	for (size_t i = 0; i < c->noffers; i++)
		pricing_offer_release(&c->offers[i]);
	free(c->accels);
	free(c->offers);
	util_strv_free(c->origins, c->norigins);
	free(c->name);
	free(c->currency);
	pricing_catalog_init(c);
}

static char *dup_or_null(const char *s)
{
	return s ? util_xstrdup(s) : NULL;
}

static char **dup_strv(char *const *v, size_t n)
{
	char **out = n ? util_xcalloc(n, sizeof(*out)) : NULL;

	for (size_t i = 0; i < n; i++)
		out[i] = util_xstrdup(v[i]);
	return out;
}

static double *dup_doubles(const double *v, size_t n)
{
	double *out = NULL;

	if (n) {
		out = util_xcalloc(n, sizeof(*out));
		memcpy(out, v, n * sizeof(*out));
	}
	return out;
}

void pricing_accel_copy(struct pricing_accel *dst,
			const struct pricing_accel *src)
{
	*dst = *src;
	dst->name = util_xstrdup(src->name);
	dst->aliases = dup_strv(src->aliases, src->naliases);
	dst->vendor = dup_or_null(src->vendor);
	dst->mig = dup_strv(src->mig, src->nmig);
	dst->interconnect = dup_or_null(src->interconnect);
	dst->power_modes_w = dup_doubles(src->power_modes_w,
					 src->npower_modes);
	dst->source = dup_or_null(src->source);
	dst->as_of = dup_or_null(src->as_of);
	dst->origin = dup_or_null(src->origin);
}

void pricing_offer_copy(struct pricing_offer *dst,
			const struct pricing_offer *src)
{
	*dst = *src;
	dst->id = util_xstrdup(src->id);
	dst->provider = dup_or_null(src->provider);
	dst->region = dup_or_null(src->region);
	dst->instance = dup_or_null(src->instance);
	dst->accel = dup_or_null(src->accel);
	dst->cluster = dup_or_null(src->cluster);
	dst->country = dup_or_null(src->country);
	dst->power_modes_w = dup_doubles(src->power_modes_w,
					 src->npower_modes);
	dst->slurm_gpu_type = dup_or_null(src->slurm_gpu_type);
	dst->slurm_mig_prefix = dup_or_null(src->slurm_mig_prefix);
	dst->slurm_mig_profiles = dup_strv(src->slurm_mig_profiles,
					   src->nslurm_mig_profiles);
	dst->k8s_gpu_product = dup_or_null(src->k8s_gpu_product);
	dst->source = dup_or_null(src->source);
	dst->as_of = dup_or_null(src->as_of);
	dst->origin = dup_or_null(src->origin);
}

void pricing_catalog_copy(struct pricing_catalog *dst,
			  const struct pricing_catalog *src)
{
	pricing_catalog_init(dst);
	dst->name = dup_or_null(src->name);
	dst->currency = dup_or_null(src->currency);
	dst->naccels = dst->accels_alloc = src->naccels;
	dst->accels = util_xcalloc(src->naccels, sizeof(*dst->accels));
	for (size_t i = 0; i < src->naccels; i++)
		pricing_accel_copy(&dst->accels[i], &src->accels[i]);
	dst->noffers = dst->offers_alloc = src->noffers;
	dst->offers = util_xcalloc(src->noffers, sizeof(*dst->offers));
	for (size_t i = 0; i < src->noffers; i++)
		pricing_offer_copy(&dst->offers[i], &src->offers[i]);
	dst->norigins = dst->origins_alloc = src->norigins;
	dst->origins = dup_strv(src->origins, src->norigins);
}

static bool accel_named(const struct pricing_accel *a, const char *name)
{
	if (!strcasecmp(a->name, name))
		return true;
	for (size_t j = 0; j < a->naliases; j++)
		if (!strcasecmp(a->aliases[j], name))
			return true;
	return false;
}

const struct pricing_accel *
pricing_catalog_find_accel(const struct pricing_catalog *c, const char *name)
{
	for (size_t i = 0; i < c->naccels; i++)
		if (accel_named(&c->accels[i], name))
			return &c->accels[i];
	return NULL;
}

const char *pricing_catalog_suggest_accel(const struct pricing_catalog *c,
					  const char *name)
{
	const char **names;
	size_t *owner, n = 0, total = 0;
	const char *near;

	for (size_t i = 0; i < c->naccels; i++)
		total += 1 + c->accels[i].naliases;
	names = util_xcalloc(total + 1, sizeof(*names));
	owner = util_xcalloc(total + 1, sizeof(*owner));
	for (size_t i = 0; i < c->naccels; i++) {
		owner[n] = i;
		names[n++] = c->accels[i].name;
		for (size_t j = 0; j < c->accels[i].naliases; j++) {
			owner[n] = i;
			names[n++] = c->accels[i].aliases[j];
		}
	}
	/* an alias close to the word points at its accelerator */
	near = util_nearest(name, names, n);
	for (size_t k = 0; near && k < n; k++)
		if (names[k] == near)
			near = c->accels[owner[k]].name;
	free(names);
	free(owner);
	return near;
}

const struct pricing_offer *
pricing_catalog_find_offer(const struct pricing_catalog *c, const char *id)
{
	for (size_t i = 0; i < c->noffers; i++)
		if (!strcmp(c->offers[i].id, id))
			return &c->offers[i];
	return NULL;
}

static size_t id_hash(const char *s)
{
	size_t h = 14695981039346656037u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

size_t *pricing_id_slot(const struct pricing_id_index *x,
		       const struct pricing_offer *offers, const char *id)
{
	size_t i = id_hash(id) & (x->cap - 1);

	while (x->slot[i] && strcmp(offers[x->slot[i] - 1].id, id))
		i = (i + 1) & (x->cap - 1);
	return &x->slot[i];
}

void pricing_id_index_init(struct pricing_id_index *x,
			  const struct pricing_offer *offers, size_t n,
			  size_t more)
{
	x->cap = 16;
	while (x->cap < 2 * (n + more))
		x->cap <<= 1;
	x->slot = util_xcalloc(x->cap, sizeof(*x->slot));
	for (size_t i = 0; i < n; i++)
		*pricing_id_slot(x, offers, offers[i].id) = i + 1;
}

/* "Quebec, CA, NA" -> "CA" in out[3], or false */
static bool vast_country(const char *region, char out[3])
{
	const char *a = region ? strstr(region, ", ") : NULL;

	if (!a || strlen(a) != 8 || a[4] != ',' || a[5] != ' ')
		return false;
	out[0] = a[2];
	out[1] = a[3];
	out[2] = '\0';
	return util_country_ok(out);
}

void pricing_catalog_fill_countries(struct pricing_catalog *c)
{
	/* the distinct regions with a country: few, however many offers */
	const struct pricing_offer **known = NULL;
	size_t nknown = 0, alloc = 0;

	for (size_t i = 0; i < c->noffers; i++) {
		const struct pricing_offer *o = &c->offers[i];
		bool seen = false;

		if (!o->country || !o->region)
			continue;
		for (size_t k = 0; k < nknown && !seen; k++)
			seen = !strcmp(known[k]->provider, o->provider) &&
			       !strcmp(known[k]->region, o->region);
		if (seen)
			continue;
		UTIL_GROW(known, nknown + 1, alloc);
		known[nknown++] = o;
	}
	for (size_t i = 0; i < c->noffers; i++) {
		struct pricing_offer *o = &c->offers[i];
		char cc[3];

		if (o->country || !o->region)
			continue;
		for (size_t k = 0; k < nknown && !o->country; k++)
			if (!strcmp(known[k]->provider, o->provider) &&
			    !strcmp(known[k]->region, o->region))
				o->country = util_xstrdup(known[k]->country);
		if (!o->country && !strcmp(o->provider, "vast") &&
		    vast_country(o->region, cc))
			o->country = util_xstrdup(cc);
	}
	free(known);
}
