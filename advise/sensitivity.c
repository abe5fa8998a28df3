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
			advise_scale_workload(&s.workloads[q->workload], m);
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
		q[n].family = -1;
		q[n].workload = i;
		snprintf(q[n].name, sizeof(q[n].name), "%.60s %s",
			 s->workloads[i].name, size_of(&s->workloads[i]));
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

void advise_sensitivity(const struct model_scenario *s, double delta,
			int jobs, struct model_plan_warm *from,
			advise_load_fn load, void *arg,
			struct advise_sensitivity *out)
{
	/* every move starts from the base plan's basis (docs/formulation.md,
	 * Warm starts): the same start whatever the order of the moves */
	struct model_plan_warm *warm = from ? from : model_plan_warm_new();

	memset(out, 0, sizeof(*out));
	out->delta = delta;
	out->base = advise_plan_cost(s, warm);
	model_plan_warm_freeze(warm);
	out->n = isnan(out->base) ? 0 : params(s, out->v);
	run_moves(&(struct moves){load, arg, delta, warm, out->v, out->n},
		  jobs > 0 ? (size_t)jobs : 1);
	if (!from)
		model_plan_warm_free(warm);
	qsort(out->v, out->n, sizeof(*out->v), by_swing);
}
