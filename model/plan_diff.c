/* What changed between two plans: placements, purchases, costs. */
#include <string.h>

#include "model.h"

static struct model_diff_place *place(struct model_plan_diff *d,
				      const char *w, const char *venue)
{
	for (size_t i = 0; i < d->nplace; i++)
		if (!strcmp(d->place[i].workload, w) &&
		    !strcmp(d->place[i].venue, venue))
			return &d->place[i];
	d->place = util_xreallocarray(d->place, d->nplace + 1,
				      sizeof(*d->place));
	memset(&d->place[d->nplace], 0, sizeof(*d->place));
	d->place[d->nplace].workload = w;
	d->place[d->nplace].venue = venue;
	return &d->place[d->nplace++];
}

static struct model_diff_buy *buy(struct model_plan_diff *d, const char *id)
{
	for (size_t i = 0; i < d->nbuy; i++)
		if (!strcmp(d->buy[i].offer, id))
			return &d->buy[i];
	d->buy = util_xreallocarray(d->buy, d->nbuy + 1, sizeof(*d->buy));
	memset(&d->buy[d->nbuy], 0, sizeof(*d->buy));
	d->buy[d->nbuy].offer = id;
	return &d->buy[d->nbuy++];
}

static void side(struct model_plan_diff *d, const struct model_plan *p,
		 int k)
{
	for (size_t i = 0; i < p->nassign; i++) {
		struct model_diff_place *x =
			place(d, p->assign[i].w->name, p->assign[i].venue);

		x->share[k] = p->assign[i].share;
		x->cost[k] = p->assign[i].cost;
	}
	for (size_t i = 0; i < p->nbuy; i++)
		buy(d, p->buy[i].offer->id)->count[k] = p->buy[i].count;
	for (int c = 0; c < MODEL_NCOSTS; c++)
		d->cost[c][k] = p->cost[c];
	d->total[k] = p->total_cost;
}

void model_plan_diff(const struct model_plan *a, const struct model_plan *b,
		     struct model_plan_diff *d)
{
	memset(d, 0, sizeof(*d));
	side(d, a, 0);
	side(d, b, 1);
}

void model_plan_diff_release(struct model_plan_diff *d)
{
	free(d->place);
	free(d->buy);
	memset(d, 0, sizeof(*d));
}
