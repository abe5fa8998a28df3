/* compare's words: why an option is ruled out, how far a family scales,
 * who maintains it, and the verdict over the columns (docs/compare.md). */
#include <stdio.h>
#include <string.h>

#include "advise_int.h"

/* Maintenance in words, per family: seed 000, "Maintenance" row. */
const char *const advise_maintenance[ADVISE_COLUMNS] = {
	[PRICING_CLOUD] = "none: the provider's",
	[PRICING_CLOUD_SPOT] = "none: the provider's",
	[PRICING_GPUAAS] = "none: the provider's",
	[PRICING_ONPREM] = "high: yours",
	[PRICING_ACADEMIC] = "none: the centre's",
	[PRICING_DECENTRALIZED] = "none: the network's",
	[PRICING_EDGE] = "low: boards to look after",
	[PRICING_NFAMILIES] = "variable: the mix's",
};

/* The line of a plan's explanation that concerns family f, or its first
 * line: "no venue can run 'w':\n  cloud: <why>\n ..." */
char *advise_ruled_out(const char *why, int f)
{
	const char *wl = strstr(why, "'"), *line, *end;
	char key[40];

	if (f >= 0 && wl && !strncmp(why, "no venue can run", 16)) {
		snprintf(key, sizeof(key), "\n  %s: ", pricing_family_names[f]);
		line = strstr(why, key);
		if (line) {
			const char *wend = strchr(wl + 1, '\'');

			line += strlen(key);
			end = strchr(line, '\n');
			return util_xasprintf("%.*s: %.*s", (int)(wend - wl + 1),
					      wl, (int)(end ? end - line
							    : (long)strlen(line)),
					      line);
		}
	}
	end = strchr(why, '\n');
	return util_xstrndup(why, end ? (size_t)(end - why) : strlen(why));
}

/* How far a family scales, and how fast, in words. */
void advise_scalability(const struct model_scenario *s, int f,
			const struct model_plan *p, char *buf, size_t n)
{
	const struct model_venues *v = &s->venues;
	long owned = 0, buyable = 0;

	switch (f) {
	case PRICING_ONPREM:
		for (size_t i = 0; i < v->nowned; i++)
			owned += (long)v->owned[i].amount;
		for (size_t i = 0; i < v->nbuy; i++)
			buyable += v->buy[i].max;
		snprintf(buf, n, "%ld owned + up to %ld to buy, weeks of lead "
			 "time", owned, buyable);
		break;
	case PRICING_ACADEMIC:
		snprintf(buf, n, "%.4g RGU-years allocated; queue waits",
			 v->rgu_years);
		break;
	case PRICING_EDGE:
		snprintf(buf, n, "a board per site, bought");
		break;
	case PRICING_DECENTRALIZED:
		snprintf(buf, n, "market supply%s; minutes",
			 v->market_max_gpus ? ", capped" : "");
		break;
	case PRICING_NFAMILIES:
		snprintf(buf, n, "the sum of its parts (%zu venues used)",
			 p->nassign);
		break;
	default:
		snprintf(buf, n, "on demand, in minutes");
	}
}

/* The cheapest feasible column, and what the cheapest single family
 * gives up against the hybrid plan. */
void advise_verdict(struct advise_compare *cmp)
{
	const struct advise_column *h = &cmp->col[PRICING_NFAMILIES];
	int best = -1, single = -1;

	for (int i = 0; i < ADVISE_COLUMNS; i++) {
		const struct advise_column *c = &cmp->col[i];

		if (!c->feasible)
			continue;
		if (best < 0 || c->total_cost < cmp->col[best].total_cost - 0.005)
			best = i;
		if (i < PRICING_NFAMILIES &&
		    (single < 0 ||
		     c->total_cost < cmp->col[single].total_cost - 0.005))
			single = i;
	}
	cmp->cheapest = best;
	if (best < 0) {
		cmp->verdict = util_xstrdup("no option can serve these "
					    "workloads: see why each is ruled "
					    "out");
		return;
	}
	if (single < 0 || !h->feasible)
		cmp->verdict = util_xasprintf(
			"cheapest: %s at %.2f %s; no single venue family "
			"serves every workload", cmp->col[best].name,
			cmp->col[best].total_cost, cmp->s->currency);
	else
		cmp->verdict = util_xasprintf(
			"cheapest: %s at %.2f %s; the cheapest single family, "
			"%s, costs %.2f (%+.0f%%) and keeps everything in one "
			"place", cmp->col[best].name, cmp->col[best].total_cost,
			cmp->s->currency, cmp->col[single].name,
			cmp->col[single].total_cost,
			h->total_cost > 0 ? (cmp->col[single].total_cost /
						     h->total_cost -
					     1) * 100
					  : 0);
}

