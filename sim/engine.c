/* The event kernel: small events ordered by time, then by insertion,
 * and a handler per kind. Only sim_run advances time. Events scheduled
 * before the first sim_run (a plan's jobs and students, known in
 * advance) are sorted once into a list read in order; events scheduled
 * while it runs go to a binary heap; each step takes the earlier of the
 * two heads. (time, insertion) orders events totally, so the order is
 * the one a single heap gives, and the heap stays as small as what is
 * under way. */
#include <stdlib.h>
#include <string.h>

#include "sim.h"

struct event {
	double t;
	uint64_t seq;
	uint32_t kind, ent, gen;
};

struct sim_engine {
	struct event *heap;
	size_t n, alloc;
	struct event *pend; /* scheduled before the run, sorted by then */
	size_t npend, pend_alloc, pend_head;
	bool started;
	double now;
	uint64_t seq, processed;
	const sim_handler *handlers;
	size_t nkinds;
	void *ctx;
	sim_tracer tracer;
	void *tracer_arg;
};

struct sim_engine *sim_engine_new(void *ctx, const sim_handler *handlers,
				  size_t nkinds)
{
	struct sim_engine *e = util_xcalloc(1, sizeof(*e));

	e->ctx = ctx;
	e->handlers = handlers;
	e->nkinds = nkinds;
	return e;
}

void sim_engine_free(struct sim_engine *e)
{
	if (!e)
		return;
	free(e->heap);
	free(e->pend);
	free(e);
}

void sim_engine_trace(struct sim_engine *e, sim_tracer fn, void *arg)
{
	e->tracer = fn;
	e->tracer_arg = arg;
}

static bool before(const struct event *a, const struct event *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

void sim_schedule(struct sim_engine *e, double at, uint32_t kind,
		  uint32_t ent, uint32_t gen)
{
	size_t i;

	UTIL_BUG_ON(at < e->now || kind >= e->nkinds || !(at == at));
	if (!e->started) {
		UTIL_GROW(e->pend, e->npend + 1, e->pend_alloc);
		e->pend[e->npend++] = (struct event){at, e->seq++, kind, ent,
						     gen};
		return;
	}
	UTIL_GROW(e->heap, e->n + 1, e->alloc);
	i = e->n++;
	e->heap[i] = (struct event){at, e->seq++, kind, ent, gen};
	while (i > 0) { /* sift up */
		size_t parent = (i - 1) / 2;
		struct event tmp;

		if (!before(&e->heap[i], &e->heap[parent]))
			break;
		tmp = e->heap[i];
		e->heap[i] = e->heap[parent];
		e->heap[parent] = tmp;
		i = parent;
	}
}

static struct event pop(struct sim_engine *e)
{
	struct event top = e->heap[0], last = e->heap[--e->n];
	size_t i = 0;

	for (;;) { /* sift the last event down from the root */
		size_t l = 2 * i + 1, r = l + 1, m = l;

		if (l >= e->n)
			break;
		if (r < e->n && before(&e->heap[r], &e->heap[l]))
			m = r;
		if (!before(&e->heap[m], &last))
			break;
		e->heap[i] = e->heap[m];
		i = m;
	}
	if (e->n)
		e->heap[i] = last;
	return top;
}

double sim_now(const struct sim_engine *e)
{
	return e->now;
}

void *sim_ctx(const struct sim_engine *e)
{
	return e->ctx;
}

/* Sorts v[0..n) by time, then insertion: runs of 16 by insertion, then
 * merged pairwise (qsort's calls through a pointer cost twice as much
 * on the millions of jobs and students of a large plan). */
#define RUN 16

static void insertion_sort(struct event *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct event x = v[i];
		size_t j = i;

		for (; j > 0 && before(&x, &v[j - 1]); j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static void merge(const struct event *a, size_t na, const struct event *b,
		  size_t nb, struct event *out)
{
	size_t i = 0, j = 0, k = 0;

	while (i < na && j < nb)
		out[k++] = before(&b[j], &a[i]) ? b[j++] : a[i++];
	while (i < na)
		out[k++] = a[i++];
	while (j < nb)
		out[k++] = b[j++];
}

static void sort_events(struct event *v, size_t n)
{
	struct event *tmp, *src = v, *dst, *swap;

	for (size_t i = 0; i < n; i += RUN)
		insertion_sort(v + i, n - i < RUN ? n - i : RUN);
	if (n <= RUN)
		return;
	tmp = util_xmalloc(n * sizeof(*tmp));
	dst = tmp;
	for (size_t width = RUN; width < n; width *= 2) {
		for (size_t i = 0; i < n; i += 2 * width) {
			size_t na = n - i < width ? n - i : width;
			size_t nb = n - i - na < width ? n - i - na : width;

			merge(src + i, na, src + i + na, nb, dst + i);
		}
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
	free(tmp);
}

/* The next event up to until, from the sorted list or the heap. */
static bool next(struct sim_engine *e, double until, struct event *ev)
{
	const struct event *p =
		e->pend_head < e->npend ? &e->pend[e->pend_head] : NULL;

	if (e->n && (!p || before(&e->heap[0], p))) {
		if (e->heap[0].t > until)
			return false;
		*ev = pop(e);
		return true;
	}
	if (!p || p->t > until)
		return false;
	*ev = *p;
	e->pend_head++;
	return true;
}

uint64_t sim_run(struct sim_engine *e, double until)
{
	uint64_t start = e->processed;
	struct event ev;

	if (!e->started) {
		e->started = true;
		sort_events(e->pend, e->npend);
	}
	while (next(e, until, &ev)) {
		UTIL_BUG_ON(ev.t < e->now); /* never back in time */
		e->now = ev.t;
		e->processed++;
		if (e->tracer)
			e->tracer(e->tracer_arg, ev.t, ev.kind, ev.ent);
		e->handlers[ev.kind](e, ev.ent, ev.gen);
	}
	if (until > e->now && until < 1e300)
		e->now = until;
	return e->processed - start;
}
