/* compare's words: why an option is ruled out, how far a family scales,
 * who maintains it, and the verdict over the columns (docs/compare.md). */
#include <math.h>
#include <stdlib.h>
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
	[PRICING_INHOUSE] = "none: the pool team's",
	[PRICING_NFAMILIES] = "variable: the mix's",
};

/* For every family (f < 0: a strategy or the mix), the reasons of a
 * plan's explanation "no venue can run 'w':\n  cloud: <why>\n ...",
 * on one line, without the families the scenario does not allow:
 * "no venue can run 'w': cloud: <why>; gpuaas: <why>". NULL if why is
 * not of that form. */
static char *all_families(const char *why)
{
	const char *line = strchr(why, '\n');
	struct util_buf b;
	char *out;
	int n = 0;

	if (strncmp(why, "no venue can run", 16) || !line)
		return NULL;
	util_buf_init(&b);
	util_buf_add(&b, why, (size_t)(line - why));
	while (line && !strncmp(line, "\n  ", 3)) {
		const char *end = strchr(line + 1, '\n');
		char *one = end ? util_xstrndup(line + 3,
						(size_t)(end - line - 3))
				: util_xstrdup(line + 3);

		if (!strstr(one, ": not allowed (venues.allow)"))
			util_buf_printf(&b, "%s %s", n++ ? ";" : "", one);
		free(one);
		line = end;
	}
	out = util_buf_detach(&b);
	util_buf_release(&b);
	return out;
}

/* The line of why that concerns family f, or its first line. */
static char *family_line(const char *why, int f)
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

/* The line of a plan's explanation that concerns family f, or for a
 * strategy or the mix (f < 0) every allowed family's reason, or its
 * first line: "no venue can run 'w':\n  cloud: <why>\n ..." */
char *advise_ruled_out(const char *why, int f)
{
	char *all = f < 0 ? all_families(why) : NULL;

	return all ? all : family_line(why, f);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct venues of p's assignments (a workload's each), sorted
 * by name and counted (compared each with those before it, a crafted
 * merged plan of 50,000 venues took about 8 s here). */
static size_t distinct_venues(const struct model_plan *p)
{
	const char **name = util_xcalloc(p->nassign + 1, sizeof(*name));
	size_t used = 0;

	for (size_t i = 0; i < p->nassign; i++)
		name[i] = p->assign[i].venue;
	qsort(name, p->nassign, sizeof(*name), cmp_name);
	for (size_t i = 0; i < p->nassign; i++)
		used += i == 0 || strcmp(name[i - 1], name[i]);
	free(name);
	return used;
}

/* How far a family scales, and how fast, in words. */
void advise_scalability(const struct model_scenario *s, int f,
			const struct model_plan *p, char *buf, size_t n)
{
	const struct model_venues *v = &s->venues;
	long owned = 0, buyable = 0;

	switch (f) {
	case PRICING_ONPREM:
		for (size_t i = 0; i < v->nowned; i++) {
			struct model_owned_cost c;

			model_owned_cost(s, i, &c); /* in service at the start */
			if (c.end_of_life > 0)
				owned += (long)v->owned[i].amount;
		}
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
	case PRICING_NFAMILIES: {
		size_t used = distinct_venues(p);

		snprintf(buf, n, "the sum of its parts (%zu venue%s used)",
			 used, used == 1 ? "" : "s");
		break;
	}
	default:
		snprintf(buf, n, "on demand, in minutes");
	}
}

const char *const advise_status_names[3] = {
	"ruled out", "meets all targets", "misses targets"};

/* The cheapest column with status st (any feasible one: -1), or -1;
 * families only when single. */
static int cheapest(const struct advise_compare *cmp, int st, bool single)
{
	int best = -1;

	for (int i = 0; i < (single ? PRICING_NFAMILIES : cmp->ncol); i++) {
		const struct advise_column *c = &cmp->col[i];

		if (!c->feasible || (st >= 0 && (int)c->status != st))
			continue;
		if (best < 0 || c->total_cost < cmp->col[best].total_cost - 0.005)
			best = i;
	}
	return best;
}

int advise_closest(const struct advise_compare *cmp)
{
	int best = -1;

	for (int i = 0; i < cmp->ncol; i++) {
		const struct advise_column *c = &cmp->col[i], *b;

		if (!c->feasible)
			continue;
		b = best >= 0 ? &cmp->col[best] : NULL;
		if (!b || c->r.checks.missed < b->r.checks.missed ||
		    (c->r.checks.missed == b->r.checks.missed &&
		     c->total_cost < b->total_cost - 0.005))
			best = i;
	}
	return best;
}

void advise_column_misses(const struct model_scenario *s,
			  const struct advise_column *c, size_t max,
			  struct util_buf *b)
{
	char line[300];
	size_t n = 0;

	for (size_t i = 0; i < c->r.checks.n && n < max; i++) {
		if (c->r.checks.v[i].met)
			continue;
		advise_check_text(s, &c->r.checks.v[i], line, sizeof(line));
		util_buf_printf(b, "%s%s", n++ ? "; " : "", line);
	}
}

/* The token targets an LLM workload sets, "ttft_p99 of 1 s and
 * tpot_p99 of 1 ms", into buf. */
static void token_targets(const struct model_inference *in, char *buf,
			  size_t n)
{
	const char *key[] = {"ttft_p99", "tpot_p99", "latency_p99"};
	double v[] = {in->ttft_p99, in->tpot_p99, in->latency_p99};
	size_t len = 0, k = 0;
	char d[32];

	buf[0] = '\0';
	for (size_t i = 0; i < 3; i++)
		k += v[i] > 0;
	for (size_t i = 0, j = 0; i < 3 && len < n; i++) {
		if (!(v[i] > 0))
			continue;
		j++;
		len += (size_t)snprintf(buf + len, n - len, "%s%s of %s",
					j == 1 ? "" : j == k ? " and " : ", ",
					key[i],
					util_fmt_duration(d, sizeof(d), v[i]));
	}
}

/* The best figure of each token target in, as "a token every 26.5 ms on
 * H100", and of its last token when it has none but latency_p99. */
static void token_bests(const struct model_inference *in,
			const struct advise_fastest *f, char *buf, size_t n)
{
	const char *what[] = {"the first token in", "a token every",
			      "the last token in"};
	double v[] = {in->ttft_p99, in->tpot_p99, in->latency_p99};
	double ms[] = {f->ttft_ms, f->tpot_ms, f->last_ms};
	const char *acc[] = {f->ttft_accel, f->tpot_accel, f->last_accel};
	size_t len = 0;
	char d[32];

	buf[0] = '\0';
	for (size_t i = 0; i < 3 && len < n; i++) {
		if (!(v[i] > 0) || !acc[i])
			continue;
		len += (size_t)snprintf(
			buf + len, n - len, "%s%s %s on %s", len ? ", " : "",
			what[i], util_fmt_duration(d, sizeof(d), ms[i] / 1000),
			acc[i]);
	}
}

void advise_unreachable(const struct model_scenario *s, const char *sep,
			struct util_buf *b)
{
	struct advise_fastest f;
	char lim[32], got[32], keys[160], best[256];

	for (size_t w = 0; w < s->nworkloads; w++) {
		const struct model_inference *in = &s->workloads[w].inference;

		if (!advise_latency_unreachable(s, w, &f))
			continue;
		if (in->latency_p99 > 0 && !(in->ttft_p99 > 0) &&
		    !(in->tpot_p99 > 0) && !in->output_tokens)
			util_buf_printf(b, "%s'%s' cannot be served within its "
					"latency_p99 of %s by any device, even "
					"unloaded (the fastest, %s, takes %s)",
					sep, s->workloads[w].name,
					util_fmt_duration(lim, sizeof(lim),
							  in->latency_p99),
					f.latency_accel,
					util_fmt_duration(got, sizeof(got),
							  f.latency_ms / 1000));
		else { /* an LLM: one sequence alone misses a target */
			token_targets(in, keys, sizeof(keys));
			token_bests(in, &f, best, sizeof(best));
			util_buf_printf(b, "%s'%s' cannot meet its %s on any "
					"device, even with one sequence (the "
					"best: %s)", sep, s->workloads[w].name,
					keys, best);
		}
	}
}

static void none_meets(const struct advise_compare *cmp, struct util_buf *b)
{
	const struct advise_column *c = &cmp->col[advise_closest(cmp)];
	char m[64];

	util_buf_printf(b, "no option meets every target; the closest, %s "
			"at %s, misses: ", c->name,
			util_fmt_money(m, sizeof(m), c->total_cost,
				       cmp->s->currency, false));
	advise_column_misses(cmp->s, c, 3, b);
	if (c->r.tightened)
		util_buf_printf(b, " (after %d round%s that tightened %s)",
				c->r.rounds, c->r.rounds == 1 ? "" : "s",
				c->r.tightened);
	if (cmp->need)
		util_buf_printf(b, "; %s", cmp->need);
	else if (c->r.exhausted)
		util_buf_printf(b, "; %s", advise_stop_exhausted);
	if (c->r.cornered)
		util_buf_printf(b, "; %s", advise_result_stop(&c->r));
	advise_unreachable(cmp->s, "; ", b);
}

/* Strategies: the next cheapest that meets every target, and how much
 * more it costs. */
static void runner_up(const struct advise_compare *cmp, int best,
		      struct util_buf *b)
{
	const struct advise_column *c = &cmp->col[best];
	char m[64], d[64];
	int next = -1;

	for (int i = 0; i < cmp->ncol; i++)
		if (i != best && cmp->col[i].status == ADVISE_MEETS &&
		    (next < 0 ||
		     cmp->col[i].total_cost < cmp->col[next].total_cost - 0.005))
			next = i;
	if (next < 0)
		return;
	if (cmp->col[next].total_cost - c->total_cost < 0.005) {
		/* "(0.00)" read as a figure missing */
		util_buf_printf(b, "; %s costs the same, %s",
				cmp->col[next].name,
				util_fmt_money(m, sizeof(m),
					       cmp->col[next].total_cost,
					       cmp->s->currency, false));
		return;
	}
	util_buf_printf(b, "; the next, %s, costs %s (%s)",
			cmp->col[next].name,
			util_fmt_money(m, sizeof(m), cmp->col[next].total_cost,
				       cmp->s->currency, false),
			util_fmt_money(d, sizeof(d),
				       cmp->col[next].total_cost - c->total_cost,
				       NULL, true));
}

static void meets(const struct advise_compare *cmp, int best,
		  struct util_buf *b)
{
	const struct advise_column *c = &cmp->col[best];
	bool hybrid = !cmp->by_strategy && best == PRICING_NFAMILIES;
	int single = hybrid ? cheapest(cmp, ADVISE_MEETS, true) : -1;
	const char *cur = cmp->s->currency;
	char m[64];

	util_buf_printf(b, "%s at %s meets every target", c->name,
			util_fmt_money(m, sizeof(m), c->total_cost, cur,
				       false));
	if (hybrid && single >= 0 && c->total_cost > 0)
		util_buf_printf(b, "; the cheapest single family that does, "
				"%s, costs %s (%+.0f%%) and keeps everything "
				"in one place", cmp->col[single].name,
				util_fmt_money(m, sizeof(m),
					       cmp->col[single].total_cost, cur,
					       false),
				(cmp->col[single].total_cost / c->total_cost -
				 1) * 100);
	else if (hybrid && single >= 0)
		util_buf_printf(b, "; the cheapest single family that does, "
				"%s, costs %s and keeps everything in one "
				"place", cmp->col[single].name,
				util_fmt_money(m, sizeof(m),
					       cmp->col[single].total_cost, cur,
					       false));
	else if (hybrid)
		util_buf_puts(b, "; no single venue family meets them all");
	if (cmp->by_strategy)
		runner_up(cmp, best, b);
	for (int i = 0; i < cmp->ncol; i++) {
		const struct advise_column *k = &cmp->col[i];

		if (k->status != ADVISE_MISSES ||
		    k->total_cost >= c->total_cost - 0.005)
			continue;
		util_buf_printf(b, "; cheaper, %s at %s misses: ", k->name,
				util_fmt_money(m, sizeof(m), k->total_cost, cur,
					       false));
		advise_column_misses(cmp->s, k, 1, b);
	}
}

void advise_verdict(struct advise_compare *cmp)
{
	struct util_buf b;
	int best = cheapest(cmp, ADVISE_MEETS, false);

	util_buf_init(&b);
	cmp->cheapest = best;
	if (cheapest(cmp, -1, false) < 0)
		util_buf_puts(&b, "no option can serve these workloads: see "
			      "why each is ruled out");
	else if (best < 0)
		none_meets(cmp, &b);
	else
		meets(cmp, best, &b);
	cmp->verdict = util_buf_detach(&b);
}
