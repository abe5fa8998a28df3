/* Warm starts (docs/formulation.md, "Warm starts"): the optimal basis of
 * a plan, kept by row and column name, given to the next plan of the
 * same scenario (a closed-loop round, a sensitivity move) so that the
 * simplex starts from it instead of from scratch. Names identify rows and
 * columns across models whose columns differ (the pruning depends on
 * costs): the digits after a name's leading letters (a column's
 * position, a workload's or candidate's index: "x12_...") are left out
 * of its key. */
#include <glpk.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan_int.h"

struct entry {
	char *key;
	int stat;   /* GLP_BS, GLP_NL, ... */
	bool found; /* in the model being warmed */
	size_t pos; /* its row's or column's index - 1 in the model saved */
};

/* Entries by key: open addressing, slot = index + 1 (0: empty); and by
 * position in the model saved, at[pos] = index + 1 (0: a key dropped). */
struct index {
	size_t *slot, *at;
	size_t mask, nat;
};

struct model_plan_warm {
	struct entry *row, *col;
	size_t nrow, ncol;
	struct index row_ix, col_ix;
	bool frozen; /* keeps the basis it has: later plans only read it */
	struct xcol *x; /* the column table kept for the next plan */
	size_t x_alloc;
	long applied; /* plans that started from the basis (for tests) */
};

struct model_plan_warm *model_plan_warm_new(void)
{
	return util_xcalloc(1, sizeof(struct model_plan_warm));
}

static void entries_free(struct entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(e[i].key);
	free(e);
}

void model_plan_warm_free(struct model_plan_warm *w)
{
	if (!w)
		return;
	entries_free(w->row, w->nrow);
	entries_free(w->col, w->ncol);
	free(w->row_ix.slot);
	free(w->col_ix.slot);
	free(w->row_ix.at);
	free(w->col_ix.at);
	free(w->x);
	free(w);
}

void model_plan_warm_freeze(struct model_plan_warm *w)
{
	w->frozen = true;
}

long model_plan_warm_applied(const struct model_plan_warm *w)
{
	return w->applied;
}

/* The name without the digits after its leading letters: "x12_a_b_b3"
 * -> "x_a_b_b3"; "rgu_b3" stays. Into k when it has room for name (a
 * key is never longer), else into a new string. */
static char *key_into(const char *name, char *k, size_t room)
{
	size_t n = strlen(name), i = 0, j;

	if (!k || n + 1 > room)
		k = util_xmalloc(n + 1);
	while (name[i] >= 'a' && name[i] <= 'z')
		i++;
	memcpy(k, name, i);
	for (j = i; name[j] >= '0' && name[j] <= '9'; j++)
		;
	memcpy(k + i, name + j, n - j + 1);
	return k;
}

static char *key_of(const char *name)
{
	return key_into(name, NULL, 0);
}

/* FNV-1a of a key. */
static uint64_t hash_key(const char *k)
{
	uint64_t h = 14695981039346656037u;

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211u;
	return h;
}

/* The index of e[0..n) by key (keys unique: sort_unique) and by
 * position among the npos rows or columns saved. */
static void index_build(struct index *ix, const struct entry *e, size_t n,
			size_t npos)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	free(ix->slot);
	free(ix->at);
	ix->slot = util_xcalloc(cap, sizeof(*ix->slot));
	ix->at = util_xcalloc(npos + 1, sizeof(*ix->at));
	ix->mask = cap - 1;
	ix->nat = npos;
	for (size_t i = 0; i < n; i++) {
		ix->at[e[i].pos] = i + 1;
		size_t h = (size_t)hash_key(e[i].key) & ix->mask;

		while (ix->slot[h])
			h = (h + 1) & ix->mask;
		ix->slot[h] = i + 1;
	}
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key,
		      ((const struct entry *)b)->key);
}

/* Sorted by key; keys that two rows (or columns) share are dropped:
 * they name neither. */
static size_t sort_unique(struct entry *e, size_t n)
{
	size_t out = 0;

	qsort(e, n, sizeof(*e), by_key);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;

		while (j < n && !strcmp(e[j].key, e[i].key))
			j++;
		if (j == i + 1)
			e[out++] = e[i];
		else
			for (size_t k = i; k < j; k++)
				free(e[k].key);
		i = j;
	}
	return out;
}

void plan_warm_save(struct model_plan_warm *w, glp_prob *lp)
{
	int m = glp_get_num_rows(lp), n = glp_get_num_cols(lp);

	if (w->frozen && (w->nrow || w->ncol))
		return;
	entries_free(w->row, w->nrow);
	entries_free(w->col, w->ncol);
	w->row = util_xcalloc((size_t)m + 1, sizeof(*w->row));
	w->col = util_xcalloc((size_t)n + 1, sizeof(*w->col));
	for (int i = 1; i <= m; i++)
		w->row[i - 1] = (struct entry){key_of(glp_get_row_name(lp, i)),
					       glp_get_row_stat(lp, i), false,
					       (size_t)i - 1};
	for (int j = 1; j <= n; j++)
		w->col[j - 1] = (struct entry){key_of(glp_get_col_name(lp, j)),
					       glp_get_col_stat(lp, j), false,
					       (size_t)j - 1};
	w->nrow = sort_unique(w->row, (size_t)m);
	w->ncol = sort_unique(w->col, (size_t)n);
	index_build(&w->row_ix, w->row, w->nrow, (size_t)m);
	index_build(&w->col_ix, w->col, w->ncol, (size_t)n);
}

/* The entry of name in e (indexed by ix), or NULL. *next: where the
 * entry after the last one found was in the model saved; rows and
 * columns mostly come in the same order, so it is tried first. */
static struct entry *find(struct entry *e, const struct index *ix,
			  const char *name, size_t *next)
{
	char buf[256], *k = key_into(name, buf, sizeof(buf));
	size_t h = (size_t)hash_key(k) & ix->mask;
	struct entry *hit = NULL;

	if (*next < ix->nat && ix->at[*next] &&
	    !strcmp(e[ix->at[*next] - 1].key, k))
		hit = &e[ix->at[*next] - 1];
	for (; !hit && ix->slot[h]; h = (h + 1) & ix->mask)
		if (!strcmp(e[ix->slot[h] - 1].key, k))
			hit = &e[ix->slot[h] - 1];
	if (hit)
		*next = hit->pos + 1;
	if (k != buf)
		free(k);
	return hit;
}

/* A nonbasic status that the bounds of a row or column of type t allow. */
static int nonbasic(int stat, int t)
{
	switch (t) {
	case GLP_FR:
		return GLP_NF;
	case GLP_LO:
		return GLP_NL;
	case GLP_UP:
		return GLP_NU;
	case GLP_FX:
		return GLP_NS;
	default: /* GLP_DB */
		return stat == GLP_NU ? GLP_NU : GLP_NL;
	}
}

/* Whether x column key xk ("x_W_C_bB" or "x_W_C_all") has a 1 in row
 * key rk of its workload: "demand_W_bB" or "due_W_bB" (block B; pass
 * 0), "demand_W" (its whole window; pass 1). */
static bool in_row(const char *xk, const char *rk, int pass)
{
	const char *w = strchr(rk, '_'), *b;
	size_t lw, lx = strlen(xk);

	if (!w)
		return false;
	w++;
	b = strrchr(w, '_');
	if (b && b[1] == 'b' && b[2] >= '0' && b[2] <= '9') { /* a block */
		lw = (size_t)(b - w);
		return pass == 0 && lx > strlen(b) &&
		       !strcmp(xk + lx - strlen(b), b) &&
		       !strncmp(xk + 2, w, lw) && xk[2 + lw] == '_';
	}
	lw = strlen(w);
	return pass == 1 && !strncmp(rk, "demand_", 7) &&
	       !strncmp(xk + 2, w, lw) && xk[2 + lw] == '_';
}

/* Whether x column key xk ("x_W_C_bB") is in capacity row key rk of its
 * candidate and block ("limit_C_bB", "peak_C_bB", "hours_C_bB"). */
static bool in_cap(const char *xk, const char *rk)
{
	const char *c = strchr(rk, '_');
	size_t lx = strlen(xk), lc;

	if (!c || (strncmp(rk, "limit_", 6) && strncmp(rk, "peak_", 5) &&
		   strncmp(rk, "hours_", 6)))
		return false;
	lc = strlen(c); /* "_C_bB" */
	return lx > lc && !strcmp(xk + lx - lc, c);
}

/* Basic x columns of the basis that lp no longer has (the pruning kept
 * another: a price moved): the slack of a row of theirs enters instead
 * (their workload's demand or due row of the block, else its demand
 * over its window, else their candidate's capacity in the block), so
 * that the basis stays square and most likely
 * regular. */
static int replace_lost(const struct model_plan_warm *w, glp_prob *lp,
			int basic)
{
	int m = glp_get_num_rows(lp), *cand = util_xcalloc((size_t)m + 1,
							   sizeof(int));
	char **key = util_xcalloc((size_t)m + 1, sizeof(char *));
	int nc = 0;

	for (int i = 1; i <= m; i++) { /* nonbasic demand and due rows */
		const char *nm = glp_get_row_name(lp, i);

		if (glp_get_row_stat(lp, i) != GLP_BS &&
		    (!strncmp(nm, "demand", 6) || !strncmp(nm, "due", 3) ||
		     !strncmp(nm, "limit", 5) || !strncmp(nm, "peak", 4) ||
		     !strncmp(nm, "hours", 5))) {
			cand[nc] = i;
			key[nc++] = key_of(nm);
		}
	}
	for (size_t k = 0; k < w->ncol && basic < m; k++) {
		const struct entry *e = &w->col[k];
		bool hit = false;

		if (e->found || e->stat != GLP_BS || strncmp(e->key, "x_", 2))
			continue;
		for (int pass = 0; pass < 3 && !hit; pass++)
			for (int c = 0; c < nc && !hit; c++) {
				if (glp_get_row_stat(lp, cand[c]) == GLP_BS ||
				    !(pass < 2 ? in_row(e->key, key[c], pass)
					       : in_cap(e->key, key[c])))
					continue;
				glp_set_row_stat(lp, cand[c], GLP_BS);
				basic++;
				hit = true;
			}
	}
	for (int c = 0; c < nc; c++)
		free(key[c]);
	free(key);
	free(cand);
	return basic;
}

/* lp's basis as it is: rows' statuses, then columns'. */
static int *statuses(glp_prob *lp)
{
	int m = glp_get_num_rows(lp), n = glp_get_num_cols(lp);
	int *v = util_xcalloc((size_t)m + (size_t)n + 1, sizeof(int));

	for (int i = 1; i <= m; i++)
		v[i - 1] = glp_get_row_stat(lp, i);
	for (int j = 1; j <= n; j++)
		v[m + j - 1] = glp_get_col_stat(lp, j);
	return v;
}

/* Puts back the basis statuses() saved, and frees it. */
static void restore(glp_prob *lp, int *v)
{
	int m = glp_get_num_rows(lp), n = glp_get_num_cols(lp);

	for (int i = 1; i <= m; i++)
		glp_set_row_stat(lp, i, v[i - 1]);
	for (int j = 1; j <= n; j++)
		glp_set_col_stat(lp, j, v[m + j - 1]);
	free(v);
}

bool plan_warm_apply(struct model_plan_warm *w, glp_prob *lp)
{
	int m = glp_get_num_rows(lp), n = glp_get_num_cols(lp), basic = 0;
	int *saved;
	size_t next = 0;

	if (!w->nrow && !w->ncol)
		return false;
	saved = statuses(lp);
	for (size_t k = 0; k < w->ncol; k++)
		w->col[k].found = false;
	for (int i = 1; i <= m; i++) {
		const struct entry *e =
			find(w->row, &w->row_ix, glp_get_row_name(lp, i), &next);
		/* a new row: its slack is basic */
		int st = !e || e->stat == GLP_BS
				 ? GLP_BS
				 : nonbasic(e->stat, glp_get_row_type(lp, i));

		glp_set_row_stat(lp, i, st);
		basic += st == GLP_BS;
	}
	next = 0;
	for (int j = 1; j <= n; j++) {
		struct entry *e =
			find(w->col, &w->col_ix, glp_get_col_name(lp, j), &next);
		/* a new column: nonbasic at a bound */
		int st = e && e->stat == GLP_BS
				 ? GLP_BS
				 : nonbasic(e ? e->stat : GLP_NL,
					    glp_get_col_type(lp, j));

		if (e)
			e->found = true;
		glp_set_col_stat(lp, j, st);
		basic += st == GLP_BS;
	}
	if (basic < m)
		basic = replace_lost(w, lp, basic);
	/* as many basic variables as rows: the slacks of nonbasic rows
	 * enter, or basic columns leave, last ones first */
	for (int i = m; i >= 1 && basic < m; i--)
		if (glp_get_row_stat(lp, i) != GLP_BS) {
			glp_set_row_stat(lp, i, GLP_BS);
			basic++;
		}
	for (int j = n; j >= 1 && basic > m; j--)
		if (glp_get_col_stat(lp, j) == GLP_BS) {
			glp_set_col_stat(lp, j,
					 nonbasic(GLP_NL, glp_get_col_type(lp, j)));
			basic--;
		}
	if (glp_warm_up(lp)) { /* singular or ill-conditioned: start cold */
		restore(lp, saved);
		return false;
	}
	free(saved);
	w->applied++;
	return true;
}

void plan_warm_take_cols(struct model_plan_warm *w, struct xcol **x,
			 size_t *alloc)
{
	*x = w->x;
	*alloc = w->x_alloc;
	w->x = NULL;
	w->x_alloc = 0;
}

bool plan_warm_keep_cols(struct model_plan_warm *w, struct xcol *x,
			 size_t alloc)
{
	if (!w->frozen)
		return false;
	free(w->x);
	w->x = x;
	w->x_alloc = alloc;
	return true;
}
