/* Sensitivity (docs/sweep.md): each venue family's prices and each
 * workload's size moved by -delta and +delta, the plan made again, and
 * the parameters ranked by how much the total cost moves. The scenario
 * is loaded afresh for every move by the caller's loader (its catalog
 * layers are the caller's), so that nothing moved leaks into the next. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "advise.h"

#define MAX_JOBS 64

/* The size of a workload that the delta scales, and its name. */
static const char *size_of(const struct model_workload *w)
{
	switch (w->kind) {
	case MODEL_TEACHING:
		return "students";
	case MODEL_RESEARCH:
		return w->research.job_count > 0 ? "jobs" : "gpu_hours";
	case MODEL_FINETUNE:
		return "tokens";
	default:
		return "rate";
	}
}

void advise_scale_workload(struct model_workload *w, double m)
{
	switch (w->kind) {
	case MODEL_TEACHING:
		w->teaching.students =
			lround(fmax((double)w->teaching.students * m, 1));
		break;
	case MODEL_RESEARCH:
		if (w->research.job_count > 0)
			w->research.job_count = lround(
				fmax((double)w->research.job_count * m, 1));
		else
			w->research.gpu_hours.amount *= m;
		w->research.batch_items *= m;
		w->research.stream_rate *= m;
		break;
	case MODEL_FINETUNE:
		w->finetune.tokens *= m;
		break;
	default:
		w->inference.rate *= m;
		break;
	}
}

double advise_plan_cost(const struct model_scenario *s,
			struct model_plan_warm *warm)
{
	struct model_plan_opts po = {.family = -1, .warm = warm};
	struct model_plan p = {0};
	struct util_err err;
	double cost = NAN;

	if (!model_plan(s, &po, &p, &err) &&
	    (p.status == MODEL_PLAN_OPTIMAL || p.status == MODEL_PLAN_FEASIBLE))
		cost = p.total_cost;
	model_plan_release(&p);
	return cost;
}

/* Workload w of s scaled by m, and every other occurrence of its series
 * with it (a course given each semester moves as one: --set reaches
 * them all by the series' name). */
static void scale_series(struct model_scenario *s, size_t w, double m)
{
	const char *series = s->workloads[w].series;

	for (size_t i = 0; i < s->nworkloads; i++)
		if (i == w || (series && s->workloads[i].series &&
			       !strcmp(s->workloads[i].series, series)))
			advise_scale_workload(&s->workloads[i], m);
}

/* The scenario again, then moved; NAN without a plan or a scenario. */
static double cost_moved(advise_load_fn load, void *arg,
			 const struct advise_param *q, double m,
			 struct model_plan_warm *warm)
{
	struct model_scenario s;
	double cost = NAN;

	if (!load(arg, &s)) {
		struct util_err err;
		char fam[64];

		if (q->family >= 0) {
			snprintf(fam, sizeof(fam), "catalog.family.%s.price",
				 pricing_family_names[q->family]);
			model_override_prices(&s, fam, m, &err);
		} else {
			scale_series(&s, q->workload, m);
		}
		cost = advise_plan_cost(&s, warm);
	}
	model_scenario_release(&s);
	return cost;
}

double advise_swing(const struct advise_param *q)
{
	return fabs(q->cost[1] - q->cost[0]);
}

double advise_change_pct(double v, double base)
{
	double pct;

	if (isnan(v) || !(base > 0))
		return NAN;
	pct = (v - base) / base * 100;
	return fabs(pct) < 0.05 ? 0.0 : pct; /* no "-0.0%" */
}

static int by_swing(const void *a, const void *b)
{
	const struct advise_param *x = a, *y = b;
	double d = advise_swing(y) - advise_swing(x);

	if (isnan(d))
		return isnan(advise_swing(x)) - isnan(advise_swing(y));
	return d > 0 ? 1 : d < 0 ? -1 : strcmp(x->name, y->name);
}

static size_t params(const struct model_scenario *s, struct advise_param *q)
{
	size_t n = 0;

	for (int f = 0; f < PRICING_NFAMILIES && n < ADVISE_MAX_PARAMS; f++) {
		bool has = false;

		for (size_t i = 0; i < s->catalog.noffers && !has; i++)
			has = (int)s->catalog.offers[i].family == f;
		if (!has || !(s->venues.allow & (1u << f)))
			continue;
		q[n].family = f;
		snprintf(q[n].name, sizeof(q[n].name), "%s prices",
			 pricing_family_names[f]);
		n++;
	}
	for (size_t i = 0; i < s->nworkloads && n < ADVISE_MAX_PARAMS; i++) {
		const char *series = s->workloads[i].series;
		bool seen = false;

		/* a series once, by its name, at its first occurrence */
		for (size_t j = 0; series && j < i && !seen; j++)
			seen = s->workloads[j].series &&
			       !strcmp(s->workloads[j].series, series);
		if (seen)
			continue;
		q[n].family = -1;
		q[n].workload = i;
		snprintf(q[n].name, sizeof(q[n].name), "%.60s %s",
			 series ? series : s->workloads[i].name,
			 size_of(&s->workloads[i]));
		n++;
	}
	return n;
}

struct moves {
	advise_load_fn load;
	void *arg;
	double delta;
	struct model_plan_warm *warm;
	struct advise_param *v;
	size_t n;
};

/* Parameters w, w + jobs, ... moved down and up. */
static void run_share(const struct moves *mv, size_t w, size_t jobs)
{
	for (size_t i = w; i < mv->n; i += jobs)
		for (int k = 0; k < 2; k++)
			mv->v[i].cost[k] = cost_moved(mv->load, mv->arg, &mv->v[i],
						      k ? 1 + mv->delta
							: 1 - mv->delta,
						      mv->warm);
}

static bool io_all(int fd, void *buf, size_t len, bool out)
{
	char *p = buf;

	while (len > 0) {
		ssize_t r = out ? write(fd, p, len) : read(fd, p, len);

		if (r <= 0)
			return false;
		p += r;
		len -= (size_t)r;
	}
	return true;
}

/* The moves on jobs processes (GLPK is not thread-safe), each taking
 * every jobs-th parameter. Every move starts from the same frozen basis,
 * so the costs do not depend on jobs. A worker that cannot start, or
 * fails, leaves its share to this process. */
static void run_moves(const struct moves *mv, size_t jobs)
{
	pid_t pid[MAX_JOBS];
	int fd[MAX_JOBS];
	size_t started = 1;

	jobs = jobs < 1 ? 1 : jobs > MAX_JOBS ? MAX_JOBS : jobs;
	if (jobs > mv->n)
		jobs = mv->n > 0 ? mv->n : 1;
	fflush(NULL);
	for (size_t w = 1; w < jobs; w++, started++) {
		int p[2];

		if (pipe(p))
			break;
		pid[w] = fork();
		if (pid[w] < 0) {
			close(p[0]);
			close(p[1]);
			break;
		}
		if (pid[w] == 0) {
			bool ok = true;

			close(p[0]);
			for (size_t k = 1; k < w; k++)
				close(fd[k]);
			run_share(mv, w, jobs);
			for (size_t i = w; ok && i < mv->n; i += jobs)
				ok = io_all(p[1], mv->v[i].cost,
					    sizeof(mv->v[i].cost), true);
			_exit(ok ? 0 : 1);
		}
		close(p[1]);
		fd[w] = p[0];
	}
	run_share(mv, 0, jobs);
	for (size_t w = 1; w < jobs; w++) {
		bool ok = w < started;
		int status = 0;

		for (size_t i = w; ok && i < mv->n; i += jobs)
			ok = io_all(fd[w], mv->v[i].cost,
				    sizeof(mv->v[i].cost), false);
		if (w < started) {
			close(fd[w]);
			ok &= waitpid(pid[w], &status, 0) == pid[w] &&
			      WIFEXITED(status) && WEXITSTATUS(status) == 0;
		}
		if (!ok) /* its share here */
			for (size_t i = w; i < mv->n; i += jobs)
				run_share(&(struct moves){mv->load, mv->arg,
							  mv->delta, mv->warm,
							  mv->v + i, 1},
					  0, 1);
	}
}

void advise_sensitivity_part(const struct model_scenario *s, double delta,
			     int jobs, struct model_plan_warm *from,
			     advise_load_fn load, void *arg, long shard,
			     long nshards, struct advise_sensitivity *out)
{
	/* every move starts from the base plan's basis (docs/formulation.md,
	 * Warm starts): the same start whatever the order of the moves, and
	 * whichever shard makes them */
	struct model_plan_warm *warm = from ? from : model_plan_warm_new();
	struct advise_param mine[ADVISE_MAX_PARAMS];
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	out->delta = delta;
	out->base = advise_plan_cost(s, warm);
	model_plan_warm_freeze(warm);
	out->n = isnan(out->base) ? 0 : params(s, out->v);
	for (size_t i = 0; i < out->n; i++) {
		out->v[i].cost[0] = out->v[i].cost[1] = NAN;
		if (advise_shard_mine(shard, nshards, i))
			mine[n++] = out->v[i];
	}
	run_moves(&(struct moves){load, arg, delta, warm, mine, n},
		  jobs > 0 ? (size_t)jobs : 1);
	for (size_t i = 0, k = 0; i < out->n; i++)
		if (advise_shard_mine(shard, nshards, i))
			out->v[i] = mine[k++];
	if (!from)
		model_plan_warm_free(warm);
}

void advise_sensitivity_rank(struct advise_sensitivity *r)
{
	qsort(r->v, r->n, sizeof(*r->v), by_swing);
}

void advise_sensitivity(const struct model_scenario *s, double delta,
			int jobs, struct model_plan_warm *from,
			advise_load_fn load, void *arg,
			struct advise_sensitivity *out)
{
	advise_sensitivity_part(s, delta, jobs, from, load, arg, 0, 0, out);
	advise_sensitivity_rank(out);
}

void advise_sensitivity_shard(const struct advise_sensitivity *r, long shard,
			      long nshards, struct util_buf *b)
{
	util_buf_puts(b, "delta");
	advise_shard_real(b, r->delta);
	util_buf_puts(b, "\nbase");
	advise_shard_real(b, r->base);
	util_buf_printf(b, "\nparameters\t%zu\n", r->n);
	for (size_t i = 0; i < r->n; i++) {
		if (!advise_shard_mine(shard, nshards, i))
			continue;
		util_buf_printf(b, "param\t%zu", i);
		advise_shard_real(b, r->v[i].cost[0]);
		advise_shard_real(b, r->v[i].cost[1]);
		util_buf_printf(b, "\t%s\n", r->v[i].name);
	}
	util_buf_puts(b, "end\n");
}

/* The first three lines of a shard's body: the same in every shard
 * (against v[0]'s), the delta and base cost into out, the parameters'
 * count checked against s's. */
static int merge_head(const struct model_scenario *s,
		      const struct advise_shard *v, size_t i,
		      struct advise_sensitivity *out, struct util_err *err)
{
	static const char *const keys[] = {"delta", "base", "parameters"};
	const struct advise_shard *sh = &v[i];
	long np;
	int rc = 0;

	for (size_t k = 0; k < 3 && !rc; k++) {
		const struct advise_shard_line *l = &sh->body[k];

		if (k >= sh->nbody || strcmp(l->f[0], keys[k]))
			return advise_shard_error(err, sh, k < sh->nbody ? l : NULL,
						  0, "expected '%s' here",
						  keys[k]);
		rc = advise_shard_fields(err, sh, l, 2);
		if (!rc && strcmp(l->f[1], v[0].body[k].f[1]))
			rc = advise_shard_error(err, sh, l, 1, "%s %.10g, and "
						"%.10g in '%s': shards of "
						"other runs", keys[k],
						strtod(l->f[1], NULL),
						strtod(v[0].body[k].f[1], NULL),
						v[0].file);
	}
	if (!rc)
		rc = advise_shard_get_real(err, sh, &sh->body[0], 1, &out->delta);
	if (!rc)
		rc = advise_shard_get_real(err, sh, &sh->body[1], 1, &out->base);
	if (!rc)
		rc = advise_shard_get_long(err, sh, &sh->body[2], 1, 0,
					   ADVISE_MAX_PARAMS, &np);
	if (!rc && i == 0) /* the list the shards numbered */
		out->n = isnan(out->base) ? 0 : params(s, out->v);
	if (!rc && (size_t)np != out->n)
		rc = advise_shard_error(err, sh, &sh->body[2], 1, "%ld parameters, "
					"the scenario has %zu", np, out->n);
	return rc;
}

/* One "param K LOW HIGH NAME" line of shard sh into out->v[K]. */
static int merge_param(const struct advise_shard *sh,
		       const struct advise_shard_line *l, bool *seen,
		       struct advise_sensitivity *out, struct util_err *err)
{
	long k;
	int rc = strcmp(l->f[0], "param")
			 ? advise_shard_error(err, sh, l, 0, "expected 'param' or "
					      "'end' here")
			 : advise_shard_fields(err, sh, l, 5);

	if (!rc)
		rc = advise_shard_get_long(err, sh, l, 1, 0, (long)out->n - 1, &k);
	if (rc)
		return rc;
	if (!advise_shard_mine(sh->shard, sh->nshards, (size_t)k))
		return advise_shard_error(err, sh, l, 1, "parameter %ld is not "
					  "shard %ld/%ld's", k, sh->shard,
					  sh->nshards);
	if (seen[k])
		return advise_shard_error(err, sh, l, 1, "parameter %ld is given "
					  "twice", k);
	if (strcmp(l->f[4], out->v[k].name))
		return advise_shard_error(err, sh, l, 4, "parameter %ld is '%.60s' "
					  "here, '%s' in the scenario", k,
					  l->f[4], out->v[k].name);
	seen[k] = true;
	rc = advise_shard_get_real(err, sh, l, 2, &out->v[k].cost[0]);
	return rc ? rc : advise_shard_get_real(err, sh, l, 3, &out->v[k].cost[1]);
}

int advise_sensitivity_merge(const struct model_scenario *s,
			     const struct advise_shard *v, size_t n,
			     struct advise_sensitivity *out,
			     struct util_err *err)
{
	bool seen[ADVISE_MAX_PARAMS] = {false};
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n && !rc; i++) {
		rc = merge_head(s, v, i, out, err);
		for (size_t k = 3; !rc && k < v[i].nbody; k++)
			rc = merge_param(&v[i], &v[i].body[k], seen, out,
					 err);
	}
	for (size_t k = 0; !rc && k < out->n; k++)
		if (!seen[k])
			rc = util_err_set(err, UTIL_E_INPUT, "parameter %zu "
					  "('%s') is in no shard: is a shard "
					  "cut short?", k, out->v[k].name);
	if (!rc)
		advise_sensitivity_rank(out);
	return rc;
}
