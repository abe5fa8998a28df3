/* SkyPilot task YAML for the plan's rented work (research/ecosystem.md
 * section 1c): a task per cloud, spot, GPU-as-a-service or market
 * assignment, its accelerators, the assigned offer and the equivalent
 * offers (same family, the scenario's rules) as `any_of` candidates,
 * listed by price, and a disk sized from the dataset. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emit_int.h"

#define MAX_CANDIDATES 6
#define DISK_MIN_GB 256	   /* SkyPilot's default disk */
#define DISK_OVERHEAD_GB 64 /* image, environment, logs */
#define SERVE_PORT 8080
#define PROBE_DELAY_S 600 /* a model takes minutes to load */

/* SkyPilot's accelerator name: its catalog calls the 40 GB A100 "A100"
 * and has no separate PCIe H100 (the instance type tells them apart). */
static const char *sky_accel(const char *accel)
{
	if (!strcmp(accel, "A100-40GB"))
		return "A100";
	if (!strcmp(accel, "H100-PCIe"))
		return "H100";
	return accel;
}

/* An offer's region as SkyPilot's infra names it (provider/region): the
 * catalog takes them from SkyPilot's own catalogs ("us-east-1",
 * "Czechia, CZ, EU" for Vast). A '/' would split the infra. */
static bool sky_region(const struct pricing_offer *o)
{
	if (!o->region || !*o->region)
		return false;
	for (const char *p = o->region; *p; p++)
		if (*p == '/' || iscntrl((unsigned char)*p))
			return false;
	return true;
}

/* A marketplace rebuilds its instance types from live offers: a pinned
 * one would make the task fail to load once it is gone. */
static bool marketplace(const struct pricing_offer *o)
{
	return o->family == PRICING_DECENTRALIZED ||
	       !strcasecmp(o->provider, "vast");
}

static bool in_list(char **v, size_t n, const char *s)
{
	if (!n)
		return true;
	for (size_t i = 0; i < n; i++)
		if (s && !strcasecmp(v[i], s))
			return true;
	return false;
}

static bool rentable(const struct model_scenario *s,
		     const struct pricing_offer *o)
{
	const struct model_venues *v = &s->venues;

	if (!(v->allow & (1u << o->family)) ||
	    !pricing_skypilot_launches(o->provider) ||
	    o->term[PRICING_PRICE_HOUR] < 0)
		return false;
	switch (o->family) {
	case PRICING_CLOUD:
	case PRICING_CLOUD_SPOT:
		return in_list(v->cloud_providers, v->ncloud_providers,
			       o->provider) &&
		       in_list(v->cloud_regions, v->ncloud_regions, o->region);
	case PRICING_GPUAAS:
		return in_list(v->gpuaas_providers, v->ngpuaas_providers,
			       o->provider);
	case PRICING_DECENTRALIZED:
		return true;
	default:
		return false;
	}
}

static double per_device(const struct pricing_offer *o)
{
	return o->term[PRICING_PRICE_HOUR] / (double)o->count;
}

static int by_price(const void *a, const void *b)
{
	const struct pricing_offer *x = *(const struct pricing_offer *const *)a;
	const struct pricing_offer *y = *(const struct pricing_offer *const *)b;
	double d = per_device(x) - per_device(y);

	return d < 0 ? -1 : d > 0 ? 1 : strcmp(x->id, y->id);
}

/* Candidates SkyPilot tells apart: not the same infra, spot and instance
 * type twice (the cheaper stays). */
static bool same(const struct pricing_offer *x, const struct pricing_offer *y)
{
	return !strcasecmp(x->provider, y->provider) &&
	       x->family == y->family &&
	       !strcmp(x->region ? x->region : "", y->region ? y->region : "") &&
	       !strcmp(x->instance ? x->instance : "",
		       y->instance ? y->instance : "");
}

static size_t distinct(const struct pricing_offer *o,
		       const struct pricing_offer **c, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		bool dup = same(c[i], o);

		for (size_t j = 0; j < k && !dup; j++)
			dup = same(c[i], c[j]);
		if (!dup)
			c[k++] = c[i];
	}
	return k;
}

static void candidate(const struct pricing_catalog *cat,
		      const struct pricing_offer *o, long n, struct util_buf *b)
{
	char *infra = sky_region(o) ? util_xasprintf("%s/%s", o->provider,
						     o->region)
				    : util_xstrdup(o->provider);

	util_buf_puts(b, "  - infra: ");
	emit_yaml_str(b, infra);
	util_buf_printf(b, "\n    use_spot: %s\n",
			o->family == PRICING_CLOUD_SPOT ? "true" : "false");
	/* an instance type is a word: catalogs describe some in words */
	if (o->instance && o->count == n && !strchr(o->instance, ' ') &&
	    !marketplace(o)) {
		util_buf_puts(b, "    instance_type: ");
		emit_yaml_str(b, o->instance);
		util_buf_puts(b, "\n");
	}
	emit_comment(b, "    # ", "%s: %.2f %s per device-hour%s", o->id,
		     per_device(o), cat->currency,
		     o->estimate ? " (an estimate: the catalog has no "
				   "published price here)"
				 : "");
	free(infra);
}

/* The devices one job (or one replica of a service) needs: a research
 * job's GPUs, a fine-tune's, a student's one; a replica per device, or
 * an LLM engine's tensor-parallel group. */
static long job_devices(const struct model_scenario *s,
			const struct model_estimate *e,
			const struct model_plan_assignment *a)
{
	struct emit_job j;

	if (a->w->kind != MODEL_INFERENCE && emit_job_make(s, e, a, &j))
		return j.gpus < 1 ? 1 : j.gpus;
	return emit_service_gpus(s, e, a);
}

static void service(const struct model_scenario *s,
		    const struct model_estimate *e,
		    const struct model_plan_assignment *a, struct util_buf *b)
{
	long g = emit_service_gpus(s, e, a);

	if (g > 1)
		util_buf_printf(b, "# gpuplan: a SkyServe service: 'sky serve "
				"up THIS_FILE'; a replica per engine of %ld "
				"devices (tensor parallelism) of the plan, the "
				"endpoint on port %d\n",
				g, SERVE_PORT);
	else
		util_buf_printf(b, "# gpuplan: a SkyServe service: 'sky serve "
				"up THIS_FILE'; a replica per device of the "
				"plan, the endpoint on port %d\n",
				SERVE_PORT);
	util_buf_printf(b, "service:\n"
			"  readiness_probe:\n"
			"    path: /health\n"
			"    initial_delay_seconds: %d\n"
			"  replicas: %ld\n",
			PROBE_DELAY_S, emit_service_replicas(s, e, a));
}

static void task(const struct model_scenario *s,
		 const struct model_estimate *e,
		 const struct model_plan_assignment *a, struct emit_files *out)
{
	const struct pricing_offer *o = a->offer, **c;
	const struct pricing_catalog *cat = &s->catalog;
	long want = job_devices(s, e, a), n, nodes;
	size_t nc = 0;
	double disk = ceil(a->w->dataset / 1e9 * 2 + DISK_OVERHEAD_GB);
	bool serve = a->w->kind == MODEL_INFERENCE;
	struct util_buf b;
	char name[64], file[160], *accels;

	/* a job wider than one instance spans nodes of the instance's size */
	n = want > o->count ? o->count : want;
	nodes = (want + n - 1) / n;
	c = util_xcalloc(cat->noffers + 1, sizeof(*c));
	for (size_t i = 0; i < cat->noffers; i++) {
		const struct pricing_offer *x = &cat->offers[i];

		/* alternatives the plan could equally have chosen: same
		 * family (no spot for an on-demand service), sovereign if
		 * the workload must be, in a country its residency allows,
		 * none for a pinned workload, and a region when the
		 * assigned offer has one (no candidate may widen the task
		 * to any host) */
		if (x != o && x->family == o->family &&
		    !strcmp(x->accel, a->accel) && x->count >= n &&
		    (!a->w->sovereign || x->sovereign) && !a->w->pinned &&
		    model_residency_allows(&a->w->residency,
					   model_venue_country(s, x)) &&
		    (!sky_region(o) || sky_region(x)) && rentable(s, x))
			c[nc++] = x;
	}
	qsort(c, nc, sizeof(*c), by_price);
	nc = distinct(o, c, nc);
	emit_k8s_name(a->w->name, o->id, name);
	emit_unique_name(out, ".yaml", name);
	util_buf_init(&b);
	emit_comment(&b, "# ", "gpuplan: '%s' (%s) on %s, %.1f%% of its "
		     "work, %.1f device-hours, %.0f %s",
		     a->w->name, model_kind_names[a->w->kind], o->id,
		     a->share * 100, a->device_hours, a->cost, s->currency);
	util_buf_puts(&b, "name: ");
	emit_yaml_str(&b, name);
	util_buf_puts(&b, "\n");
	if (serve)
		service(s, e, a, &b);
	else if (o->family == PRICING_CLOUD_SPOT)
		util_buf_puts(&b, "# gpuplan: a managed job: 'sky jobs launch "
			      "THIS_FILE' (job_recovery applies to managed "
			      "jobs only)\n");
	if (nodes > 1)
		util_buf_printf(&b, "num_nodes: %ld\n", nodes);
	accels = util_xasprintf("%s:%ld", sky_accel(a->accel), n);
	util_buf_puts(&b, "resources:\n  accelerators: ");
	emit_yaml_str(&b, accels);
	util_buf_printf(&b, "\n  disk_size: %.0f\n", fmax(disk, DISK_MIN_GB));
	free(accels);
	if (serve)
		util_buf_printf(&b, "  ports: %d\n", SERVE_PORT);
	else if (o->family == PRICING_CLOUD_SPOT)
		util_buf_puts(&b, "  job_recovery: FAILOVER\n");
	util_buf_puts(&b, "  any_of:\n");
	candidate(cat, o, n, &b);
	for (size_t i = 0; i < nc && i < MAX_CANDIDATES - 1; i++)
		candidate(cat, c[i], n, &b);
	util_buf_printf(&b, "# gpuplan: the workload's own command\n"
			"run: python %s\n",
			serve ? "serve.py" : "train.py");
	snprintf(file, sizeof(file), "%s.yaml", name);
	emit_files_add(out, file, &b);
	free(c);
}

int emit_skypilot(const struct model_scenario *s, const struct model_plan *p,
		  struct emit_files *out, struct util_err *err)
{
	struct model_estimate e;
	size_t n = 0;
	int rc = model_estimate(s, NULL, NULL, &e, err);

	if (rc)
		return rc;

	for (size_t i = 0; i < p->nassign; i++) {
		const struct model_plan_assignment *a = &p->assign[i];

		if (a->family != PRICING_CLOUD &&
		    a->family != PRICING_CLOUD_SPOT &&
		    a->family != PRICING_GPUAAS &&
		    a->family != PRICING_DECENTRALIZED)
			continue;
		if (!a->offer ||
		    !pricing_skypilot_launches(a->offer->provider)) {
			/* rented, but not where SkyPilot launches: say so,
			 * or a course on a notebook service goes missing */
			if (a->offer)
				util_buf_printf(&out->notes,
						"'%s' on %s (%s) is left out: "
						"SkyPilot does not launch "
						"%s\n",
						a->w->name,
						a->offer->id,
						a->offer->provider,
						a->offer->provider);
			continue;
		}
		task(s, &e, a, out);
		n++;
	}
	model_estimate_release(&e);
	if (!n)
		return util_err_set(err, UTIL_E_INPUT,
				    "the plan rents nothing SkyPilot launches "
				    "(cloud, spot, GPU-as-a-service or market "
				    "offers of %s)", "aws, gcp, azure, lambda, "
				    "runpod, vast or paperspace");
	return 0;
}
