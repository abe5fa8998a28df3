/* A strategy comparison's shard (docs/sweep.md): its options, and each
 * of its strategies' closed-loop result (advise_result: the plan, its
 * simulation, its checks) as lines of a shard file and back, so that the
 * merge holds what the shards computed, to the bit:
 * numbers as hexadecimal floats, strings escaped (\\, \t, \n, \xHH;
 * \N for none), pointers as indices or names in the scenario's catalog. What is
 * read back is checked as input from outside. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advise_int.h"

/* ---- writing ---- */

static void str(struct util_buf *b, const char *s)
{
	util_buf_puts(b, "\t");
	if (!s) {
		util_buf_puts(b, "\\N");
		return;
	}
	for (; *s; s++) {
		if (*s == '\\')
			util_buf_puts(b, "\\\\");
		else if (*s == '\t')
			util_buf_puts(b, "\\t");
		else if (*s == '\n')
			util_buf_puts(b, "\\n");
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			util_buf_printf(b, "\\x%02x", (unsigned char)*s);
		else
			util_buf_add(b, s, 1);
	}
}

static void real(struct util_buf *b, double x)
{
	advise_shard_real(b, x);
}

static void put_stat(struct util_buf *b, struct sim_stat s)
{
	real(b, s.mean);
	real(b, s.ci95);
}

static void write_plan(const struct model_scenario *s,
		       const struct model_plan *p, struct util_buf *b)
{
	util_buf_printf(b, "plan\t%d", (int)p->status);
	real(b, p->objective);
	real(b, p->total_cost);
	real(b, p->gap);
	real(b, p->delay);
	real(b, p->period_s);
	util_buf_printf(b, "\t%zu\t%zu\t%zu\t%zu\t%ld\n", p->nperiods, p->rows,
			p->cols, p->integers, p->iterations);
	util_buf_puts(b, "why");
	str(b, p->why);
	util_buf_puts(b, "\nlog");
	str(b, p->log);
	util_buf_puts(b, "\ncosts");
	for (int k = 0; k < MODEL_NCOSTS; k++)
		real(b, p->cost[k]);
	util_buf_printf(b, "\nassignments\t%zu\n", p->nassign);
	for (size_t i = 0; i < p->nassign; i++) {
		const struct model_plan_assignment *a = &p->assign[i];

		util_buf_printf(b, "assign\t%zu\t%d\t%d\t%d",
				(size_t)(a->w - s->workloads), (int)a->family,
				a->devices, a->peak_devices);
		real(b, a->share);
		real(b, a->device_hours);
		real(b, a->energy_kwh);
		real(b, a->cost);
		real(b, a->lead_s);
		real(b, a->runner_up_extra);
		util_buf_puts(b, "\nvenue");
		str(b, a->offer ? a->offer->id : NULL);
		str(b, a->venue);
		str(b, a->accel);
		str(b, a->runner_up);
		util_buf_puts(b, "\nperiods");
		for (size_t k = 0; k < p->nperiods; k++)
			util_buf_printf(b, "%s%a", k ? "," : "\t",
					a->period_device_hours[k]);
		util_buf_puts(b, "\n");
	}
	util_buf_printf(b, "purchases\t%zu\n", p->nbuy);
	for (size_t i = 0; i < p->nbuy; i++) {
		const struct model_plan_purchase *x = &p->buy[i];

		util_buf_printf(b, "buy\t%ld\t%d\t%ld\t%d\t%d", x->count,
				x->available_period, x->unit, x->short_first,
				x->short_last);
		real(b, x->capex);
		real(b, x->hosting);
		real(b, x->order_by);
		real(b, x->lead);
		real(b, x->short_dh);
		util_buf_puts(b, "\nbought");
		str(b, x->offer->id);
		str(b, x->accel);
		str(b, x->short_who);
		util_buf_puts(b, "\n");
	}
}

static void write_dist(struct util_buf *b, const char *name,
		       const struct sim_dist *d)
{
	util_buf_printf(b, "dist\t%s\t%llu", name,
			(unsigned long long)d->samples);
	put_stat(b, d->mean);
	put_stat(b, d->p50);
	put_stat(b, d->p95);
	put_stat(b, d->p99);
	util_buf_puts(b, "\n");
}

/* The stats of a workload's result, in this order. */
#define NSTATS 7
static struct sim_stat *stats(struct sim_workload_result *r, size_t k)
{
	struct sim_stat *v[NSTATS] = {&r->ttft_miss, &r->tpot_miss,
				      &r->completion_h, &r->deadline_miss,
				      &r->slo_miss, &r->cost,
				      &r->utilisation};

	return v[k];
}

static void write_sim(const struct model_scenario *s,
		      const struct sim_result *r, struct util_buf *b)
{
	util_buf_printf(b, "sim\t%llu\t%d\t%llu\t%zu\t%zu",
			(unsigned long long)r->seed, r->replications,
			(unsigned long long)r->events, r->nwl, r->npools);
	real(b, r->horizon_s);
	util_buf_puts(b, "\n");
	for (size_t i = 0; i < r->nwl; i++) {
		struct sim_workload_result *w = &r->wl[i];

		util_buf_printf(b, "wl\t%zu\t%d%d%d%d%d%d\n",
				(size_t)(w->w - s->workloads), w->has_wait,
				w->has_latency, w->has_completion,
				w->has_deadline, w->has_slo, w->has_tokens);
		write_dist(b, "wait", &w->wait_s);
		write_dist(b, "latency", &w->latency_ms);
		write_dist(b, "ttft", &w->ttft_ms);
		write_dist(b, "tpot", &w->tpot_ms);
		util_buf_puts(b, "stats");
		for (size_t k = 0; k < NSTATS; k++)
			put_stat(b, *stats(w, k));
		util_buf_puts(b, "\n");
	}
	for (size_t i = 0; i < r->npools; i++) {
		util_buf_puts(b, "pool");
		str(b, r->pools[i].accel);
		put_stat(b, r->pools[i].busy_h);
		put_stat(b, r->pools[i].devices_h);
		util_buf_puts(b, "\n");
	}
}

static void result_shard(const struct model_scenario *s,
			 const struct advise_result *r, struct util_buf *b)
{
	bool sim = r->plan.status == MODEL_PLAN_OPTIMAL ||
		   r->plan.status == MODEL_PLAN_FEASIBLE;

	util_buf_printf(b, "loop\t%d\t%d\t%d\t%d\n", r->rounds, r->exhausted,
			r->cornered, sim && r->sim.nwl + r->sim.npools +
						      r->sim.replications > 0);
	util_buf_puts(b, "tightened");
	str(b, r->tightened);
	util_buf_puts(b, "\n");
	write_plan(s, &r->plan, b);
	if (sim && r->sim.nwl + r->sim.npools + r->sim.replications > 0)
		write_sim(s, &r->sim, b);
	util_buf_printf(b, "checks\t%zu\t%zu\n", r->checks.n,
			r->checks.missed);
	for (size_t i = 0; i < r->checks.n; i++) {
		const struct advise_check *x = &r->checks.v[i];

		util_buf_printf(b, "check\t%zu\t%d\t%d", x->w, (int)x->kind,
				x->met);
		real(b, x->limit);
		real(b, x->figure);
		real(b, x->share);
		real(b, x->tolerance);
		real(b, x->counted);
		util_buf_puts(b, "\n");
	}
}

/* ---- reading ---- */

struct cursor {
	const struct model_scenario *s;
	const struct advise_shard *sh;
	const struct advise_shard_line *l; /* the lines, n of them */
	size_t n, i;
	struct util_err *err;
};

/* The next line, which must be key with nf fields. */
static int next(struct cursor *c, const char *key, size_t nf,
		const struct advise_shard_line **out)
{
	const struct advise_shard_line *l = c->i < c->n ? &c->l[c->i] : NULL;

	if (!l || strcmp(l->f[0], key))
		return advise_shard_error(c->err, c->sh,
					  l ? l : &c->l[c->n - 1], 0,
					  "expected '%s' here", key);
	c->i++;
	*out = l;
	return advise_shard_fields(c->err, c->sh, l, nf);
}

static int get_real(struct cursor *c, const struct advise_shard_line *l,
		    size_t k, double *x)
{
	return advise_shard_get_real(c->err, c->sh, l, k, x);
}

static int get_long(struct cursor *c, const struct advise_shard_line *l,
		    size_t k, long min, long max, long *x)
{
	return advise_shard_get_long(c->err, c->sh, l, k, min, max, x);
}

static int get_size(struct cursor *c, const struct advise_shard_line *l,
		    size_t k, size_t max, size_t *x)
{
	long v;
	int rc = get_long(c, l, k, 0, (long)max, &v);

	*x = rc ? 0 : (size_t)v;
	return rc;
}

static int get_int(struct cursor *c, const struct advise_shard_line *l,
		   size_t k, int min, int max, int *x)
{
	long v;
	int rc = get_long(c, l, k, min, max, &v);

	*x = rc ? 0 : (int)v;
	return rc;
}

static int get_stat(struct cursor *c, const struct advise_shard_line *l,
		    size_t k, struct sim_stat *x)
{
	int rc = get_real(c, l, k, &x->mean);

	return rc ? rc : get_real(c, l, k + 1, &x->ci95);
}

/* Field k as a string (unescaped, in place: a copy the caller frees),
 * NULL for \N. */
static int get_str(struct cursor *c, const struct advise_shard_line *l,
		   size_t k, char **out)
{
	const char *p = l->f[k];
	struct util_buf b;

	*out = NULL;
	if (!strcmp(p, "\\N"))
		return 0;
	util_buf_init(&b);
	for (; *p; p++) {
		char ch = *p;

		if (ch == '\\') {
			unsigned int x = 0;

			if (p[1] == 'x' && sscanf(p + 2, "%2x", &x) == 1 &&
			    isxdigit((unsigned char)p[2]) &&
			    isxdigit((unsigned char)p[3]) && x > 0) {
				ch = (char)x;
				p += 2;
			} else {
				ch = p[1] == '\\' ? '\\'
				     : p[1] == 't' ? '\t'
				     : p[1] == 'n' ? '\n'
						   : '\0';
			}
			if (!ch) {
				util_buf_release(&b);
				return advise_shard_error(c->err, c->sh, l, k,
							  "a backslash that "
							  "escapes nothing");
			}
			p++;
		}
		/* the raw bytes text_ok refuses may not come back escaped:
		 * a shard could put terminal escapes in the merge's notes */
		if (((unsigned char)ch < 0x20 && ch != '\t' && ch != '\n') ||
		    ch == 0x7f) {
			util_buf_release(&b);
			return advise_shard_error(c->err, c->sh, l, k,
						  "a control character "
						  "(\\x%02x)",
						  (unsigned char)ch);
		}
		util_buf_add(&b, &ch, 1);
	}
	*out = util_buf_detach(&b);
	return 0;
}

static int get_uint64(struct cursor *c, const struct advise_shard_line *l,
		      size_t k, uint64_t *x)
{
	char *end;

	errno = 0;
	*x = strtoull(l->f[k], &end, 10);
	if (!*l->f[k] || *l->f[k] == '-' || *end || errno)
		return advise_shard_error(c->err, c->sh, l, k, "'%.40s' is not "
					  "a whole number", l->f[k]);
	return 0;
}

/* An accelerator's name as the catalog spells it (its string), or
 * fallback's when that spells it so. */
static int accel_of(struct cursor *c, const struct advise_shard_line *l,
		    size_t k, const char *fallback, const char **out)
{
	const struct pricing_accel *pa =
		pricing_catalog_find_accel(&c->s->catalog, l->f[k]);

	*out = fallback && !strcmp(fallback, l->f[k]) ? fallback
		: pa ? pa->name : NULL;
	if (!*out)
		return advise_shard_error(c->err, c->sh, l, k, "accelerator "
					  "'%.40s' is not in the catalog",
					  l->f[k]);
	return 0;
}

static int get_offer(struct cursor *c, const struct advise_shard_line *l,
		     size_t k, const struct pricing_offer **out)
{
	*out = strcmp(l->f[k], "\\N")
		       ? pricing_catalog_find_offer(&c->s->catalog, l->f[k])
		       : NULL;
	if (!*out && strcmp(l->f[k], "\\N"))
		return advise_shard_error(c->err, c->sh, l, k, "offer "
					  "'%.40s' is not in the catalog",
					  l->f[k]);
	return 0;
}

static int get_workload(struct cursor *c, const struct advise_shard_line *l,
			size_t k, const struct model_workload **w)
{
	long i;

	*w = NULL;
	if (util_parse_long(l->f[k], 0, (long)c->s->nworkloads - 1, &i))
		return advise_shard_error(c->err, c->sh, l, k, "workload "
					  "'%.20s': the scenario has %zu",
					  l->f[k], c->s->nworkloads);
	*w = &c->s->workloads[i];
	return 0;
}

static int get_vector(struct cursor *c, const struct advise_shard_line *l,
		      size_t k, double *x, size_t n)
{
	char *p = l->f[k];

	for (size_t i = 0; i < n; i++) {
		char *end;

		errno = 0;
		x[i] = strtod(p, &end);
		if (end == p || errno || !isfinite(x[i]) ||
		    *end != (i + 1 < n ? ',' : '\0'))
			return advise_shard_error(c->err, c->sh, l, k, "expected "
						  "%zu numbers, comma-separated",
						  n);
		p = end + (i + 1 < n);
	}
	return 0;
}

static int read_assign(struct cursor *c, const struct model_plan *p,
		       struct model_plan_assignment *a)
{
	const struct advise_shard_line *l;
	int fam = 0, rc = next(c, "assign", 11, &l);

	if (!rc)
		rc = get_workload(c, l, 1, &a->w);
	if (!rc)
		rc = get_int(c, l, 2, 0, PRICING_NFAMILIES - 1, &fam);
	a->family = (enum pricing_family)fam;
	if (!rc)
		rc = get_int(c, l, 3, 0, 1 << 30, &a->devices);
	if (!rc)
		rc = get_int(c, l, 4, 0, 1 << 30, &a->peak_devices);
	for (size_t k = 0; !rc && k < 6; k++)
		rc = get_real(c, l, 5 + k,
			      (double *[]){&a->share, &a->device_hours,
					   &a->energy_kwh, &a->cost, &a->lead_s,
					   &a->runner_up_extra}[k]);
	if (!rc)
		rc = next(c, "venue", 5, &l);
	if (!rc)
		rc = get_offer(c, l, 1, &a->offer);
	if (!rc)
		rc = get_str(c, l, 2, &a->venue);
	if (!rc && !a->venue)
		rc = advise_shard_error(c->err, c->sh, l, 2, "an assignment "
					"without a venue");
	if (!rc)
		rc = accel_of(c, l, 3, a->offer ? a->offer->accel : NULL,
			      &a->accel);
	if (!rc && a->offer && (a->offer->family != a->family ||
				strcmp(a->offer->accel, a->accel)))
		rc = advise_shard_error(c->err, c->sh, l, 1, "offer '%s' is "
					"not of the family and accelerator the "
					"assignment says", a->offer->id);
	if (!rc)
		rc = get_str(c, l, 4, &a->runner_up);
	a->period_device_hours = util_xcalloc(p->nperiods + 1,
					      sizeof(double));
	if (!rc)
		rc = next(c, "periods", p->nperiods ? 2 : 1, &l);
	if (!rc && p->nperiods)
		rc = get_vector(c, l, 1, a->period_device_hours, p->nperiods);
	return rc;
}

static int read_buy(struct cursor *c, size_t nperiods,
		    struct model_plan_purchase *x)
{
	const struct advise_shard_line *l;
	int rc = next(c, "buy", 11, &l);

	if (!rc)
		rc = get_long(c, l, 1, 0, 1L << 40, &x->count);
	if (!rc)
		rc = get_int(c, l, 2, 0, (int)nperiods - 1,
			     &x->available_period);
	if (!rc)
		rc = get_long(c, l, 3, 0, 1L << 40, &x->unit);
	if (!rc)
		rc = get_int(c, l, 4, -1, (int)nperiods - 1, &x->short_first);
	if (!rc)
		rc = get_int(c, l, 5, -1, (int)nperiods - 1, &x->short_last);
	for (size_t k = 0; !rc && k < 5; k++)
		rc = get_real(c, l, 6 + k,
			      (double *[]){&x->capex, &x->hosting, &x->order_by,
					   &x->lead, &x->short_dh}[k]);
	if (!rc)
		rc = next(c, "bought", 4, &l);
	if (!rc)
		rc = get_offer(c, l, 1, &x->offer);
	if (!rc && !x->offer)
		rc = advise_shard_error(c->err, c->sh, l, 1, "a purchase "
					"without an offer");
	if (!rc)
		rc = accel_of(c, l, 2, x->offer->accel, &x->accel);
	if (!rc)
		rc = get_str(c, l, 3, &x->short_who);
	return rc;
}

static int read_plan(struct cursor *c, struct model_plan *p)
{
	const struct advise_shard_line *l;
	int st = 0, rc = next(c, "plan", 12, &l);

	if (!rc)
		rc = get_int(c, l, 1, 0, MODEL_PLAN_NO_SOLUTION, &st);
	p->status = (enum model_plan_status)st;
	for (size_t k = 0; !rc && k < 5; k++)
		rc = get_real(c, l, 2 + k,
			      (double *[]){&p->objective, &p->total_cost,
					   &p->gap, &p->delay,
					   &p->period_s}[k]);
	if (!rc)
		rc = get_size(c, l, 7, 100000, &p->nperiods);
	if (!rc && (!(p->period_s > 0) ||
		    p->nperiods != (size_t)fmax(1, ceil(c->s->horizon /
							 p->period_s - 1e-9))))
		rc = advise_shard_error(c->err, c->sh, l, 7, "%zu periods of "
					"%g s: not the scenario's horizon",
					p->nperiods, p->period_s);
	for (size_t k = 0; !rc && k < 3; k++)
		rc = get_size(c, l, 8 + k, (size_t)1 << 40,
			      (size_t *[]){&p->rows, &p->cols,
					   &p->integers}[k]);
	if (!rc)
		rc = get_long(c, l, 11, -1, 1L << 50, &p->iterations);
	if (!rc)
		rc = next(c, "why", 2, &l);
	if (!rc)
		rc = get_str(c, l, 1, &p->why);
	if (!rc)
		rc = next(c, "log", 2, &l);
	if (!rc)
		rc = get_str(c, l, 1, &p->log);
	if (!rc)
		rc = next(c, "costs", 1 + MODEL_NCOSTS, &l);
	for (int k = 0; !rc && k < MODEL_NCOSTS; k++)
		rc = get_real(c, l, 1 + (size_t)k, &p->cost[k]);
	if (!rc)
		rc = next(c, "assignments", 2, &l);
	if (!rc)
		rc = get_size(c, l, 1, c->n, &p->nassign);
	if (!rc)
		p->assign = util_xcalloc(p->nassign + 1, sizeof(*p->assign));
	for (size_t i = 0; !rc && i < p->nassign; i++)
		rc = read_assign(c, p, &p->assign[i]);
	if (!rc)
		rc = next(c, "purchases", 2, &l);
	if (!rc)
		rc = get_size(c, l, 1, c->n, &p->nbuy);
	if (!rc)
		p->buy = util_xcalloc(p->nbuy + 1, sizeof(*p->buy));
	for (size_t i = 0; !rc && i < p->nbuy; i++)
		rc = read_buy(c, p->nperiods, &p->buy[i]);
	return rc;
}

static int read_dist(struct cursor *c, const char *name, struct sim_dist *d)
{
	const struct advise_shard_line *l;
	int rc = next(c, "dist", 11, &l);

	if (!rc && strcmp(l->f[1], name))
		rc = advise_shard_error(c->err, c->sh, l, 1, "expected the "
					"'%s' distribution here", name);
	if (!rc)
		rc = get_uint64(c, l, 2, &d->samples);
	for (size_t k = 0; !rc && k < 4; k++)
		rc = get_stat(c, l, 3 + 2 * k,
			      (struct sim_stat *[]){&d->mean, &d->p50, &d->p95,
						    &d->p99}[k]);
	return rc;
}

static int read_wl(struct cursor *c, struct sim_workload_result *w)
{
	const struct advise_shard_line *l;
	bool *flag[6] = {&w->has_wait,	   &w->has_latency, &w->has_completion,
			 &w->has_deadline, &w->has_slo,	    &w->has_tokens};
	int rc = next(c, "wl", 3, &l);

	if (!rc)
		rc = get_workload(c, l, 1, &w->w);
	if (!rc && (strlen(l->f[2]) != 6 || strspn(l->f[2], "01") != 6))
		rc = advise_shard_error(c->err, c->sh, l, 2, "expected six "
					"flags, 0 or 1");
	for (size_t k = 0; !rc && k < 6; k++)
		*flag[k] = l->f[2][k] == '1';
	if (!rc)
		rc = read_dist(c, "wait", &w->wait_s);
	if (!rc)
		rc = read_dist(c, "latency", &w->latency_ms);
	if (!rc)
		rc = read_dist(c, "ttft", &w->ttft_ms);
	if (!rc)
		rc = read_dist(c, "tpot", &w->tpot_ms);
	if (!rc)
		rc = next(c, "stats", 1 + 2 * NSTATS, &l);
	for (size_t k = 0; !rc && k < NSTATS; k++)
		rc = get_stat(c, l, 1 + 2 * k, stats(w, k));
	return rc;
}

static int read_sim(struct cursor *c, const struct model_plan *p,
		    struct sim_result *r)
{
	const struct advise_shard_line *l;
	int rc = next(c, "sim", 7, &l);

	if (!rc)
		rc = get_uint64(c, l, 1, &r->seed);
	if (!rc)
		rc = get_int(c, l, 2, 0, 1 << 30, &r->replications);
	if (!rc)
		rc = get_uint64(c, l, 3, &r->events);
	/* the arrays as soon as their sizes: released with the result */
	if (!rc)
		rc = get_size(c, l, 4, c->s->nworkloads, &r->nwl);
	r->wl = util_xcalloc(r->nwl + 1, sizeof(*r->wl));
	if (!rc)
		rc = get_size(c, l, 5, p->nassign + p->nbuy +
				       c->s->venues.nowned, &r->npools);
	r->pools = util_xcalloc(r->npools + 1, sizeof(*r->pools));
	if (!rc)
		rc = get_real(c, l, 6, &r->horizon_s);
	for (size_t i = 0; !rc && i < r->nwl; i++) {
		rc = read_wl(c, &r->wl[i]);
		if (!rc && r->wl[i].w != &c->s->workloads[i])
			rc = advise_shard_error(c->err, c->sh, &c->l[c->i - 6],
						1, "the simulation's workload "
						"%zu out of order", i);
	}
	for (size_t i = 0; !rc && i < r->npools; i++) {
		struct sim_pool_result *x = &r->pools[i];

		rc = next(c, "pool", 6, &l);
		if (!rc)
			rc = accel_of(c, l, 1, NULL, &x->accel);
		if (!rc)
			rc = get_stat(c, l, 2, &x->busy_h);
		if (!rc)
			rc = get_stat(c, l, 4, &x->devices_h);
	}
	return rc;
}

static int read_checks(struct cursor *c, struct advise_checks *k)
{
	const struct advise_shard_line *l;
	int rc = next(c, "checks", 3, &l);

	if (!rc)
		rc = get_size(c, l, 1, c->n, &k->n);
	k->v = util_xcalloc(k->n + 1, sizeof(*k->v));
	k->alloc = k->n + 1;
	if (!rc)
		rc = get_size(c, l, 2, k->n, &k->missed);
	for (size_t i = 0; !rc && i < k->n; i++) {
		struct advise_check *x = &k->v[i];
		int kind = 0, met = 0;

		rc = next(c, "check", 9, &l);
		if (!rc && c->s->nworkloads)
			rc = get_size(c, l, 1, c->s->nworkloads - 1, &x->w);
		if (!rc)
			rc = get_int(c, l, 2, 0, ADVISE_NTARGETS - 1, &kind);
		if (!rc)
			rc = get_int(c, l, 3, 0, 1, &met);
		x->kind = (enum advise_target)kind;
		x->met = met;
		for (size_t j = 0; !rc && j < 5; j++)
			rc = get_real(c, l, 4 + j,
				      (double *[]){&x->limit, &x->figure,
						   &x->share, &x->tolerance,
						   &x->counted}[j]);
	}
	return rc;
}

static int result_unshard(const struct model_scenario *s,
			  const struct advise_shard *sh, size_t first,
			  size_t *end, struct advise_result *r,
			  struct util_err *err)
{
	struct cursor c = {s, sh, sh->body, sh->nbody, first, err};
	const struct advise_shard_line *l;
	int flag[3] = {0}, rc = next(&c, "loop", 5, &l);

	memset(r, 0, sizeof(*r));
	if (!rc)
		rc = get_int(&c, l, 1, 0, 1000, &r->rounds);
	for (size_t k = 0; !rc && k < 3; k++)
		rc = get_int(&c, l, 2 + k, 0, 1, &flag[k]);
	r->exhausted = flag[0];
	r->cornered = flag[1];
	if (!rc)
		rc = next(&c, "tightened", 2, &l);
	if (!rc)
		rc = get_str(&c, l, 1, &r->tightened);
	if (!rc)
		rc = read_plan(&c, &r->plan);
	if (!rc && flag[2])
		rc = read_sim(&c, &r->plan, &r->sim);
	if (!rc)
		rc = read_checks(&c, &r->checks);
	*end = c.i;
	return rc;
}

/* ---- a comparison's shard ---- */

void advise_compare_shard(const struct advise_compare *cmp,
			  const struct advise_loop_opts *o,
			  const char *const *flags, size_t nflags, long shard,
			  long nshards, struct util_buf *b)
{
	util_buf_printf(b, "options\t%llu\t%d\t%d\nstrategies\t%d\t%zu\n",
			(unsigned long long)o->sim.seed, o->sim.replications,
			o->rounds, cmp->ncol, nflags);
	for (size_t i = 0; i < nflags; i++) {
		util_buf_puts(b, "flag");
		str(b, flags[i]);
		util_buf_puts(b, "\n");
	}
	for (int k = 0; k < cmp->ncol; k++) {
		if (!advise_shard_mine(shard, nshards, (size_t)k))
			continue;
		util_buf_printf(b, "column\t%d", k);
		str(b, cmp->col[k].name);
		util_buf_puts(b, "\n");
		result_shard(cmp->col[k].s, &cmp->col[k].r, b);
	}
	util_buf_puts(b, "end\n");
}

void advise_compare_head_release(struct advise_compare_head *h)
{
	for (size_t i = 0; i < h->nflags; i++)
		free(h->flags[i]);
	free(h->flags);
	memset(h, 0, sizeof(*h));
}

int advise_compare_shard_head(const struct advise_shard *sh,
			      struct advise_compare_head *h,
			      struct util_err *err)
{
	struct cursor c = {NULL, sh, sh->body, sh->nbody, 0, err};
	const struct advise_shard_line *l;
	long seed = 0;
	int rc = next(&c, "options", 4, &l);

	memset(h, 0, sizeof(*h));
	if (!rc)
		rc = get_long(&c, l, 1, 0, LONG_MAX, &seed);
	h->seed = (uint64_t)seed;
	if (!rc)
		rc = get_int(&c, l, 2, 1, 1 << 20, &h->replications);
	if (!rc)
		rc = get_int(&c, l, 3, 0, 1000, &h->rounds);
	if (!rc)
		rc = next(&c, "strategies", 3, &l);
	if (!rc)
		rc = get_int(&c, l, 1, 1, ADVISE_MAX_COLUMNS, &h->ncol);
	if (!rc)
		rc = get_size(&c, l, 2, MODEL_MAX_STRATEGIES, &h->nflags);
	if (!rc)
		h->flags = util_xcalloc(h->nflags + 1, sizeof(char *));
	for (size_t i = 0; !rc && i < h->nflags; i++) {
		rc = next(&c, "flag", 2, &l);
		if (!rc)
			rc = get_str(&c, l, 1, &h->flags[i]);
		if (!rc && !h->flags[i])
			rc = advise_shard_error(err, sh, l, 1, "an empty "
						"--strategy");
	}
	h->first = c.i;
	return rc;
}

/* The head of shard sh is the same as v0's, line by line. */
static int same_head(const struct advise_shard *sh,
		     const struct advise_shard *v0, size_t n,
		     struct util_err *err)
{
	for (size_t i = 0; i < n; i++) {
		const struct advise_shard_line *a = &sh->body[i],
					       *b = &v0->body[i];

		for (size_t k = 0; k < a->n; k++)
			if (k >= b->n || strcmp(a->f[k], b->f[k]))
				return advise_shard_error(
					err, sh, a, k, "'%.40s' here, '%.40s' "
					"in '%s': shards of other runs",
					a->f[k], k < b->n ? b->f[k] : "",
					v0->file);
	}
	return 0;
}

/* Shard sh's columns into out (seen: which are there already). */
static int merge_columns(const struct advise_shard *sh, size_t first,
			 const struct model_scenario *const *ss,
			 const char *const *names, bool *seen,
			 struct advise_compare *out, struct util_err *err)
{
	struct cursor c = {NULL, sh, sh->body, sh->nbody, first, err};
	int rc = 0;

	while (!rc && c.i < c.n) {
		const struct advise_shard_line *l;
		int k = 0;

		rc = next(&c, "column", 3, &l);
		if (!rc)
			rc = get_int(&c, l, 1, 0, out->ncol - 1, &k);
		if (!rc && !advise_shard_mine(sh->shard, sh->nshards,
					      (size_t)k))
			rc = advise_shard_error(err, sh, l, 1, "strategy %d is "
						"not shard %ld/%ld's", k,
						sh->shard, sh->nshards);
		else if (!rc && seen[k])
			rc = advise_shard_error(err, sh, l, 1, "strategy %d is "
						"given twice", k);
		if (!rc && !seen[k]) { /* the name as written, escaped */
			char *name = NULL;

			rc = get_str(&c, l, 2, &name);
			if (!rc && (!name || strcmp(name, names[k])))
				rc = advise_shard_error(
					err, sh, l, 2, "strategy %d is '%.40s' "
					"here, '%s' in the scenario", k,
					l->f[2], names[k]);
			free(name);
		}
		if (rc)
			break;
		seen[k] = true;
		rc = result_unshard(ss[k], sh, c.i, &c.i, &out->col[k].r,
				    err);
		if (!rc)
			advise_column_fill(ss[k], PRICING_NFAMILIES, names[k],
					   &out->col[k]);
	}
	return rc;
}

int advise_compare_merge(const struct model_scenario *s,
			 const struct model_scenario *const *ss,
			 const char *const *names, size_t n,
			 const struct advise_loop_opts *o,
			 const struct advise_shard *v, size_t nv,
			 struct advise_compare *out, struct util_err *err)
{
	bool seen[ADVISE_MAX_COLUMNS] = {false};
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->s = s;
	out->by_strategy = true;
	out->ncol = (int)(n < ADVISE_MAX_COLUMNS ? n : ADVISE_MAX_COLUMNS);
	for (size_t i = 0; i < nv && !rc; i++) {
		struct advise_compare_head h;

		rc = advise_compare_shard_head(&v[i], &h, err);
		if (!rc && (size_t)h.ncol != n)
			rc = advise_shard_error(err, &v[i], &v[i].body[1], 1,
						"%d strategies, the scenario "
						"and the shards' --strategy "
						"make %zu", h.ncol, n);
		if (!rc)
			rc = same_head(&v[i], &v[0], h.first, err);
		if (!rc)
			rc = merge_columns(&v[i], h.first, ss, names, seen,
					   out, err);
		advise_compare_head_release(&h);
	}
	for (int k = 0; !rc && k < out->ncol; k++)
		if (!seen[k])
			rc = util_err_set(err, UTIL_E_INPUT, "strategy %d ('%s') "
					  "is in no shard: is a shard cut "
					  "short?", k, names[k]);
	return rc ? rc : advise_compare_finish(o, out, err);
}
