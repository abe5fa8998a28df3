/* Recurring work (docs/scenario.md#recurring-work): a course given every
 * semester, research at a yearly rate. A recurring workload is written
 * once and expanded here into one workload per occurrence over the
 * horizon, so that the planner and the simulator see ordinary work. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scenario_int.h"

static const char *const month_names[12] = {
	"jan", "feb", "mar", "apr", "may", "jun",
	"jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const month_shown[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const month_full[12] = {
	"january", "february", "march",	    "april",   "may",	   "june",
	"july",	   "august",   "september", "october", "november", "december"};

/* "Sep" or "September", any case: 0..11, or -1. */
static int month_index(const char *s)
{
	for (int m = 0; s && m < 12; m++)
		if (!strcasecmp(s, month_names[m]) ||
		    !strcasecmp(s, month_full[m]))
			return m;
	return -1;
}

static int load_starts(struct sload *l, struct util_ymap *m,
		       struct model_recur *r)
{
	const yaml_node_t *seq = util_ymap_get(m, "starts");
	char **v = NULL;
	size_t n = 0;
	int rc = util_ymap_strv(m, "starts", &v, &n);

	if (rc < 0 || !seq)
		return rc < 0 ? UTIL_E_INPUT : 0;
	rc = 0;
	if (!n)
		rc = util_ymap_err(m, seq, "'starts' of %s is empty: give the "
				   "months its occurrences start in, e.g. "
				   "[Sep, Jan]", m->ctx);
	r->months = 0;
	for (size_t i = 0; i < n; i++) {
		int k = month_index(v[i]);
		const char *near = util_nearest(v[i], month_shown, 12);

		if (k < 0)
			rc = util_yerr(l->y, l->d, util_yseq_item(l->y, seq, i),
				       "'starts' of %s: '%s' is not a month "
				       "(Jan to Dec)%s%s%s", m->ctx, v[i],
				       near ? " (did you mean '" : "",
				       near ? near : "", near ? "'?)" : "");
		else
			r->months |= 1u << k;
	}
	util_strv_free(v, n);
	return rc ? UTIL_E_INPUT : 0;
}

int model_recur_load_teaching(struct sload *l, struct util_ymap *m,
			      struct model_workload *w)
{
	struct model_recur *r = &w->recur;
	const yaml_node_t *every = util_ymap_get(m, "every");
	static const char *const words[] = {"semester", "year"};
	const char *text = util_yscalar(every);
	const char *near = text ? util_nearest(text, words, 2) : NULL;
	int rc = 0;

	r->every = MODEL_UNSET;
	if (text && !strcasecmp(text, "semester"))
		r->months = 1u << 0 | 1u << 8; /* January and September */
	else if (text && !strcasecmp(text, "year"))
		r->months = 1u << 8;
	else if (text && !strpbrk(text, "0123456789"))
		rc = util_ymap_err(m, every, "'every' of %s must be "
				   "'semester', 'year' or a duration such as "
				   "26w, got '%s'%s%s%s", m->ctx, text,
				   near ? " (did you mean '" : "",
				   near ? near : "", near ? "'?)" : "");
	else if (every)
		rc = sl_qty(m, "every", 0, MODEL_DIM_DURATION,
			    MODEL_UNITS_POSITIVE, &r->every) < 0;
	if (!rc && r->every >= 0 && r->every < w->teaching.weeks * MODEL_WEEK)
		rc = util_ymap_err(m, every, "'every' of %s is shorter than "
				   "its %ld weeks of sessions: occurrences "
				   "would overlap", m->ctx, w->teaching.weeks);
	if (util_ymap_get(m, "starts") && r->every >= 0)
		return util_ymap_err(m, util_ymap_get(m, "starts"),
				     "'starts' of %s names months: it goes "
				     "with 'every: semester' or 'every: "
				     "year', not a duration", m->ctx);
	if (!rc && util_ymap_get(m, "starts"))
		rc = load_starts(l, m, r);
	return rc ? UTIL_E_INPUT : 0;
}

/* When an occurrence of w starting at t ends: a course's last session
 * (model_course_end), research at once (any part of a year). */
static double occurrence_end(const struct model_scenario *s,
			     const struct model_workload *w, double t)
{
	struct model_workload x = *w;

	if (w->kind != MODEL_TEACHING)
		return t + 1;
	x.start = t;
	return model_course_end(s, &x);
}

/* The start of each occurrence of w, at most max, into t, and its month
 * of the horizon (0: the one time 0 falls in) and calendar month
 * (0: January) into month and cal; returns how many. Time 0 is the
 * scenario's start_date, or 1 January without one; an occurrence starts
 * at the beginning of its calendar month, so with start_date 2027-05-15
 * the May of the first year (half gone) is left out. */
static size_t occurrences(const struct model_scenario *s,
			  struct model_workload *w, double *t, int *month,
			  int *cal, size_t max)
{
	double c0 = s->start_month >= 0 ? floor(s->start_month) : 0;
	double into = s->start_month >= 0 ? s->start_month - c0 : 0;
	size_t n = 0;

	if (w->recur.per_year) {
		for (double x = w->start; x < s->horizon - 1 && n < max;
		     x += MODEL_YEAR)
			month[n] = cal[n] = -1, t[n++] = x;
		return n;
	}
	if (w->recur.every >= 0) {
		double x = w->start;

		for (; occurrence_end(s, w, x) <= s->horizon + 1 && n < max;
		     x += w->recur.every)
			month[n] = cal[n] = -1, t[n++] = x;
		if (n && n < max && x < s->horizon - 1)
			w->recur.cut_month = -1, w->recur.cut_n = (int)n + 1;
		return n;
	}
	for (int k = 0; k < 12 * 31 && n < max; k++) {
		double x = (k - into) * MODEL_MONTH;
		int c = (int)fmod(c0 + k, 12);

		if (!(w->recur.months & 1u << c) || x < 0 ||
		    x < w->start - 1)
			continue;
		if (occurrence_end(s, w, x) > s->horizon + 1) {
			if (n && x < s->horizon - 1) /* starts, cannot end */
				w->recur.cut_month = k, w->recur.cut_cal = c,
				w->recur.cut_n = (int)n + 1;
			break;
		}
		month[n] = k;
		cal[n] = c;
		t[n++] = x;
	}
	return n;
}

/* Makes w occurrence i (from 0) of its series, starting at t. */
static void make_occurrence(struct model_workload *w, const char *series,
			    size_t i, double t, int month, int cal,
			    double horizon)
{
	free(w->name);
	w->series = util_xstrdup(series);
	w->occurrence = (int)i + 1;
	if (w->recur.per_year)
		w->name = util_xasprintf("%s.y%zu", series, i + 1);
	else if (month >= 0)
		w->name = util_xasprintf("%s.%s-y%d", series,
					 month_names[cal], month / 12 + 1);
	else
		w->name = util_xasprintf("%s.%zu", series, i + 1);
	w->start = t;
	if (w->recur.per_year) {
		double end = fmin(t + MODEL_YEAR, horizon);

		w->deadline = end;
		w->research.gpu_hours.amount *= (end - t) / MODEL_YEAR;
	}
}

int model_recur_expand(struct sload *l, const yaml_node_t *node,
		       size_t *alloc)
{
	struct model_scenario *s = l->s;
	size_t first = s->nworkloads - 1,
	       room = first < MODEL_MAX_WORKLOADS ? MODEL_MAX_WORKLOADS - first
						  : 0;
	struct model_workload *w = &s->workloads[first];
	/* one more than room: a series that does not fit is told so */
	double *t = util_xcalloc(room + 1, sizeof(*t));
	int *month = util_xcalloc(room + 1, sizeof(*month));
	int *cal = util_xcalloc(room + 1, sizeof(*cal));
	char *series = util_xstrdup(w->name);
	size_t n = occurrences(s, w, t, month, cal, room + 1);
	int rc = 0;

	if (n > room)
		rc = util_yerr(l->y, l->d, node, "recurring workload '%s' "
			       "makes more occurrences than fit: a scenario "
			       "has at most %d workloads, occurrences "
			       "counted (docs/security.md)", series,
			       MODEL_MAX_WORKLOADS);
	else if (!n)
		rc = util_yerr(l->y, l->d, node, "no occurrence of recurring "
			       "workload '%s' fits in the horizon (each needs "
			       "%ld weeks of sessions from its start; months "
			       "count from start_date, or January at time 0 "
			       "without one)", series,
			       w->teaching.weeks);
	l->expanding = series;
	for (size_t i = 0; !rc && i < n; i++) {
		if (i) {
			UTIL_GROW(s->workloads, s->nworkloads + 1, *alloc);
			w = &s->workloads[s->nworkloads++];
			memset(w, 0, sizeof(*w));
			rc = model_load_one_workload(l, node, w);
		}
		make_occurrence(w, series, i, t[i], month[i], cal[i],
				s->horizon);
		if (!rc && model_scenario_find(s, w->name) != w)
			rc = util_yerr(l->y, l->d, node, "occurrence '%s' of "
				       "'%s' has the name of another workload",
				       w->name, series);
	}
	l->expanding = NULL;
	free(series);
	free(month);
	free(cal);
	free(t);
	return rc ? UTIL_E_INPUT : 0;
}

bool model_workload_named(const struct model_workload *w, const char *name)
{
	return !strcmp(w->name, name) || (w->series && !strcmp(w->series, name));
}

size_t model_recur_report(const struct model_scenario *s,
			  struct util_buf *out)
{
	size_t series = 0;

	for (size_t i = 0; i < s->nworkloads; i++) {
		const struct model_workload *w = &s->workloads[i];
		size_t n = 0, len = w->series ? strlen(w->series) : 0;

		if (w->occurrence != 1)
			continue;
		while (i + n < s->nworkloads && s->workloads[i + n].series &&
		       !strcmp(s->workloads[i + n].series, w->series))
			n++;
		util_buf_printf(out, "%s%s %zu (", series++ ? "; " : "",
				w->series, n);
		for (size_t k = 0; k < n; k++)
			util_buf_printf(out, "%s%s", k ? ", " : "",
					s->workloads[i + k].name + len + 1);
		if (w->recur.cut_n > 0 && w->recur.cut_month >= 0)
			util_buf_printf(out, "; %s-y%d left out: its sessions "
					"would end after the horizon",
					month_names[w->recur.cut_cal],
					w->recur.cut_month / 12 + 1);
		else if (w->recur.cut_n > 0)
			util_buf_printf(out, "; %d left out: its sessions "
					"would end after the horizon",
					w->recur.cut_n);
		util_buf_puts(out, ")");
	}
	return series;
}
