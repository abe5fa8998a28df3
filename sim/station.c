/* A queueing station: c servers, first come first served. Waits and
 * sojourns go to histograms; the queue is a ring buffer, so memory grows
 * with the longest queue, not with the number of customers. */
#include <string.h>

#include "sim.h"

void sim_station_init(struct sim_station *st, int servers,
		      uint32_t depart_kind, uint32_t id)
{
	memset(st, 0, sizeof(*st));
	st->servers = servers;
	st->depart_kind = depart_kind;
	st->id = id;
	st->wait = util_xmalloc(sizeof(*st->wait));
	st->sojourn = util_xmalloc(sizeof(*st->sojourn));
	sim_hist_init(st->wait);
	sim_hist_init(st->sojourn);
}

void sim_station_release(struct sim_station *st)
{
	free(st->q);
	free(st->wait);
	free(st->sojourn);
	st->q = NULL;
	st->wait = st->sojourn = NULL;
}

/* Time-weighted busy servers, for utilisation. */
static void account(struct sim_station *st, double now)
{
	st->busy_area += st->busy * (now - st->last_t);
	st->last_t = now;
}

static void start(struct sim_station *st, struct sim_engine *e,
		  double arrived, double service)
{
	double now = sim_now(e);

	double sojourn = now - arrived + service + st->extra;

	st->busy++;
	sim_hist_add(st->wait, now - arrived);
	sim_hist_add(st->sojourn, sojourn);
	if (st->late_after > 0 && sojourn > st->late_after)
		st->late++;
	sim_schedule(e, now + service, st->depart_kind, st->id, 0);
}

void sim_station_arrive(struct sim_station *st, struct sim_engine *e,
			double service)
{
	double now = sim_now(e);

	account(st, now);
	st->arrived++;
	if (st->busy < st->servers) {
		start(st, e, now, service);
		return;
	}
	if (st->qlen == st->qcap) { /* grow the ring, unwrapped */
		size_t cap = util_grow_size(st->qcap, st->qcap + 1);
		struct sim_waiting *q = util_xcalloc(cap, sizeof(*q));

		for (size_t i = 0; i < st->qlen; i++)
			q[i] = st->q[(st->qhead + i) % st->qcap];
		free(st->q);
		st->q = q;
		st->qhead = 0;
		st->qcap = cap;
	}
	st->q[(st->qhead + st->qlen++) % st->qcap] =
		(struct sim_waiting){now, service};
}

void sim_station_depart(struct sim_station *st, struct sim_engine *e)
{
	struct sim_waiting next;

	account(st, sim_now(e));
	st->busy--;
	st->served++;
	if (!st->qlen)
		return;
	next = st->q[st->qhead];
	st->qhead = (st->qhead + 1) % st->qcap;
	st->qlen--;
	start(st, e, next.arrived, next.service);
}

double sim_station_utilisation(const struct sim_station *st, double until)
{
	double area = st->busy_area + st->busy * (until - st->last_t);

	return until > 0 && st->servers ? area / (until * st->servers) : 0;
}
