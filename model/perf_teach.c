/* Teaching: how many students one device serves, and the device-hours of
 * the sessions and of the lighter use between them. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "perf_int.h"

/* The days of light use after a session, on average over a week's
 * sessions: between_days, or until the next session where that comes
 * sooner (sessions on weekdays: the gap over a weekend is the longest,
 * model_session_at). */
static double mean_between(const struct model_teaching *t)
{
	struct model_scenario s = {0}; /* time 0 a Monday: the gaps of
					* any week */
	struct model_workload w = {.kind = MODEL_TEACHING};
	long p = lround(t->per_week);
	double sum = 0;

	if (p < 1 || fabs(t->per_week - (double)p) > 1e-9)
		return fmax(fmin(t->between_days, 7.0 / t->per_week -
						       t->duration / MODEL_DAY),
			    0);
	w.teaching = *t;
	for (long k = 0; k < p; k++) {
		double gap = (model_session_at(&s, &w, k + 1) -
			      model_session_at(&s, &w, k) - t->duration) /
			     MODEL_DAY;

		sum += fmax(fmin(t->between_days, gap), 0);
	}
	return sum / (double)p;
}

/* The MIG profile packing the most students that each get a student mem bytes and flops FLOP/s.
 * Returns students per device (0: none fits) and names the profile. */
static double mig_slice(const struct pricing_accel *a, double mem,
			double flops, double peak, char *name, size_t size)
{
	double best = 0;
	unsigned best_g = 8;

	for (size_t i = 0; i < a->nmig; i++) {
		unsigned g, m;
		double per;

		if (sscanf(a->mig[i], "%ug.%ugb", &g, &m) != 2 || !g)
			continue;
		if (m * GB < mem || g / 7.0 * peak < flops)
			continue;
		/* seven compute slices, and the memory slices it takes */
		per = fmin(floor(7.0 / g), floor(a->memory_gb / m));
		if (per > best || (per == best && g < best_g)) {
			best_g = g;
			best = per;
			snprintf(name, size, "%s", a->mig[i]);
		}
	}
	return best;
}

/* Students per device when they share it by time-slicing: memory is
 * split, compute is shared. */
static double timeslice(const struct perf_ctx *c, const struct pricing_accel *a,
			double mem, double flops, double peak, char *name,
			size_t size)
{
	double room = a->memory_gb * GB -
		      model_const(c->s, MODEL_K_OVERHEAD_GB) * GB;
	double per = floor(room / mem);

	if (flops > 0)
		per = fmin(per, floor(peak / flops));
	if (a->cls == PRICING_EDGE_CLASS) /* a board per student */
		per = fmin(per, 1);
	snprintf(name, size, per >= 1 ? "1/%.0f" : "-", per);
	return per < 1 ? 0 : per;
}

void perf_teaching(const struct perf_ctx *c, struct model_option *o)
{
	const struct model_teaching *t = &c->w->teaching;
	const struct pricing_accel *ref =
		t->compute.accel ? pricing_catalog_find_accel(&c->s->catalog,
							      t->compute.accel)
				 : NULL;
	double flops = ref ? t->compute.amount * perf_peak(ref, PRICING_BF16)
			   : 0;
	double peak = perf_peak(o->accel, PRICING_BF16), per, week_share;
	double sessions_per_period, between_days, between_dh;

	if (ref && flops <= 0) {
		o->limit = MODEL_LIMIT_NONE;
		perf_note(o, "the share 'compute: %g %s' has no rate in the "
			  "catalog", t->compute.amount, ref->name);
		return;
	}
	per = o->accel->nmig
		      ? mig_slice(o->accel, t->gpu_memory, flops, peak,
				  o->slice, sizeof(o->slice))
		      : timeslice(c, o->accel, t->gpu_memory, flops, peak,
				  o->slice, sizeof(o->slice));
	o->students_per_device = per;
	o->mem.total = o->mem.activations = t->gpu_memory;
	o->fits = per >= 1;
	o->limit = o->fits ? MODEL_LIMIT_SLICE : MODEL_LIMIT_MEMORY;
	if (!o->fits) {
		bool mem_ok = o->accel->memory_gb * GB -
				      model_const(c->s, MODEL_K_OVERHEAD_GB) *
					      GB >=
			      t->gpu_memory;

		o->limit = mem_ok ? MODEL_LIMIT_COMPUTE : MODEL_LIMIT_MEMORY;
		perf_note(o, "no share of %s gives a student %.3g GB and "
			  "%.3g TFLOPS", o->accel->name, t->gpu_memory / GB,
			  flops / 1e12);
		return;
	}
	o->devices = (int)ceil((double)t->students / per);
	o->hours = t->duration / MODEL_HOUR;
	/* light use after a session lasts until the next one at most */
	between_days = mean_between(t);
	between_dh = t->between_usage * o->devices * fmax(between_days, 0) *
		     24;
	week_share = c->period_s / MODEL_WEEK;
	sessions_per_period = t->per_week * week_share;
	o->device_hours = sessions_per_period *
			  (o->devices * o->hours + between_dh);
	o->energy_kwh = perf_energy(c->s, o->accel, o->device_hours, 1);
	perf_note(o, "%.0f student%s per device (%s)", per,
		  per == 1 ? "" : "s", o->slice);
}

double model_session_at(const struct model_scenario *s,
			const struct model_workload *w, long k)
{
	const struct model_teaching *t = &w->teaching;
	long p = lround(t->per_week), week, j, rounds, day, round, found = -1;
	/* the first day whose 9:00 is in the course's first window */
	double d0 = ceil((w->start - MODEL_SESSION_START) / MODEL_DAY - 1e-9);

	/* the weekdays (0..4, in the window's order) of 1 to 5 sessions a
	 * week: the gaps as even as whole days make them */
	static const int spread[5][5] = {
	    {0}, {0, 2}, {0, 2, 4}, {0, 1, 3, 4}, {0, 1, 2, 3, 4}};

	rounds = p > 0 ? (p + 4) / 5 : 1;
	if (p < 1 || fabs(t->per_week - (double)p) > 1e-9 ||
	    MODEL_SESSION_START + (double)rounds * t->duration >
		MODEL_DAY + 1e-6) /* evenly over the window */
		return d0 * MODEL_DAY + MODEL_SESSION_START +
		       (double)k * MODEL_WEEK / t->per_week;
	week = k / p;
	j = k % p;
	/* the slot's weekday (0..4 in the window's order of weekdays) and
	 * its round of the day, in the order of time */
	if (p <= 5) {
		day = spread[p - 1][j];
		round = 0;
	} else {
		for (day = 0;; day++) {
			long on_day = p / 5 + (day < p % 5);

			if (j < on_day)
				break;
			j -= on_day;
		}
		round = j;
	}
	for (long d = 0, n = 0; d < 7; d++) {
		long dow = ((long)d0 + d + s->weekday0) % 7;

		if (dow < 5 && n++ == day) {
			found = d;
			break;
		}
	}
	return (d0 + (double)(7 * week + found)) * MODEL_DAY +
	       MODEL_SESSION_START + (double)round * t->duration;
}

double model_course_end(const struct model_scenario *s,
			const struct model_workload *w)
{
	long n = lround(w->teaching.per_week * (double)w->teaching.weeks);

	return n < 1 ? w->start
		     : model_session_at(s, w, n - 1) + w->teaching.duration;
}
