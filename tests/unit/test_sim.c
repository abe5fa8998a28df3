/* The simulator's pieces against what is known on paper: queueing
 * formulas, distributions, the kernel's ordering. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../sim/sim.h"
#include "test.h"

/* 99% two-sided Student t for 9 degrees of freedom (10 replications). */
#define T99_9 3.250
#define REPS 10

static double erlang_c_wait(double lambda, double mu, int c)
{
	double a = lambda / mu, rho = a / c, term = 1, sum = 0, pw;

	for (int k = 0; k < c; k++) {
		sum += term;
		term *= a / (k + 1);
	}
	/* term is now a^c / c! */
	pw = term / (1 - rho) / (sum + term / (1 - rho));
	return pw / (c * mu - lambda);
}

/* Mean wait over REPS replications, and the half-width of its 99% CI. */
static void replicate(struct sim_mgc *q, double *mean, double *half)
{
	struct sim_mgc_result *r = util_xmalloc(sizeof(*r));
	double w[REPS], sum = 0, var = 0;

	for (int i = 0; i < REPS; i++) {
		q->stream = (uint64_t)i;
		sim_mgc_run(q, r);
		w[i] = r->mean_wait;
		sum += w[i];
	}
	*mean = sum / REPS;
	for (int i = 0; i < REPS; i++)
		var += (w[i] - *mean) * (w[i] - *mean);
	*half = T99_9 * sqrt(var / (REPS - 1) / REPS);
	free(r);
}

static void test_erlang_c(void **state)
{
	static const struct {
		int c;
		double rho;
	} cases[] = {{1, 0.5}, {2, 0.8}, {4, 0.9}, {8, 0.5}, {8, 0.95}};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct sim_mgc q = {.service = 1, .dist = SIM_EXPONENTIAL,
				    .servers = cases[i].c,
				    .customers = 200000, .seed = 42};
		double mean, half, want;

		q.lambda = cases[i].rho * cases[i].c;
		want = erlang_c_wait(q.lambda, 1, cases[i].c);
		replicate(&q, &mean, &half);
		print_message("M/M/%d rho %.2f: simulated %.4f +- %.4f, "
			      "Erlang C %.4f\n", cases[i].c, cases[i].rho,
			      mean, half, want);
		assert_true(fabs(mean - want) <= half);
	}
}

/* M/D/1: Wq = rho / (2 mu (1 - rho)) (Pollaczek-Khinchine, cv = 0). */
static void test_pollaczek_khinchine(void **state)
{
	static const double rhos[] = {0.5, 0.8, 0.9};

	(void)state;
	for (size_t i = 0; i < sizeof(rhos) / sizeof(*rhos); i++) {
		struct sim_mgc q = {.lambda = rhos[i], .service = 1,
				    .dist = SIM_DETERMINISTIC, .servers = 1,
				    .customers = 200000, .seed = 7};
		double mean, half, want = rhos[i] / (2 * (1 - rhos[i]));

		replicate(&q, &mean, &half);
		print_message("M/D/1 rho %.2f: simulated %.4f +- %.4f, P-K "
			      "%.4f\n", rhos[i], mean, half, want);
		assert_true(fabs(mean - want) <= half);
	}
}

/* Exponential samples: the histogram's quantiles within 1% of
 * -ln(1 - q), and the sample mean near 1. */
static void test_hist_and_rng(void **state)
{
	static const double qs[] = {0.5, 0.9, 0.95, 0.99};
	struct sim_hist *h = util_xmalloc(sizeof(*h));
	struct sim_rng r, r2;

	(void)state;
	sim_hist_init(h);
	sim_rng_seed(&r, 1, 0);
	for (int i = 0; i < 1000000; i++)
		sim_hist_add(h, sim_exponential(&r, 1));
	for (size_t i = 0; i < sizeof(qs) / sizeof(*qs); i++) {
		double want = -log(1 - qs[i]);

		assert_near(sim_hist_quantile(h, qs[i]), want, 0.02);
	}
	assert_near(sim_hist_mean(h), 1, 0.005);
	/* the same seed and stream give the same numbers; another stream
	 * gives others */
	sim_rng_seed(&r, 9, 3);
	sim_rng_seed(&r2, 9, 3);
	for (int i = 0; i < 100; i++)
		assert_true(sim_rng_next(&r) == sim_rng_next(&r2));
	sim_rng_seed(&r2, 9, 4);
	assert_false(sim_rng_next(&r) == sim_rng_next(&r2));
	free(h);
}

/* Gamma and lognormal-by-quantiles: means and medians on paper. */
static void test_distributions(void **state)
{
	struct sim_rng r;
	double g = 0, below = 0;
	int n = 400000;

	(void)state;
	sim_rng_seed(&r, 5, 0);
	for (int i = 0; i < n; i++)
		g += sim_gamma(&r, 2.5, 2);
	assert_near(g / n, 5, 0.01); /* shape x scale */
	g = 0;
	for (int i = 0; i < n; i++)
		g += sim_gamma(&r, 0.5, 1);
	assert_near(g / n, 0.5, 0.02);
	for (int i = 0; i < n; i++)
		below += sim_lognormal_q(&r, 2, 18) <= 18;
	assert_near(below / n, 0.9, 0.01);
}

/* Research jobs drawn from a job shape (issue 19): the shares of the
 * sizes come back within a binomial tolerance over 200,000 draws, no
 * length passes the cap scaled as the mean is, and the mean
 * device-hours of a job (GPUs x length) are mean GPUs x mean_h. */
static void test_job_draw(void **state)
{
	struct model_research r = {.length_cv = 0.7};
	struct model_job_shape *sh = &r.shape;
	double count[9] = {0}, dh = 0, mx = 0, mean_gpus, scale;
	struct sim_rng rng;
	int n = 200000;

	(void)state;
	sh->nsizes = 4;
	sh->size_gpus[0] = 1, sh->size_share[0] = 0.62;
	sh->size_gpus[1] = 2, sh->size_share[1] = 0.21;
	sh->size_gpus[2] = 4, sh->size_share[2] = 0.12;
	sh->size_gpus[3] = 8, sh->size_share[3] = 0.05;
	sh->p50 = 3.1 * 3600, sh->p90 = 19 * 3600, sh->max = 72 * 3600;
	mean_gpus = model_job_mean_gpus(sh);
	assert_near(mean_gpus, 0.62 + 0.42 + 0.48 + 0.4, 1e-12);
	sim_rng_seed(&rng, 11, 0);
	for (int i = 0; i < n; i++) {
		double len;
		int g = sim_job_draw(&rng, &r, 1, 5, &len);

		assert_true(g == 1 || g == 2 || g == 4 || g == 8);
		count[g]++;
		dh += g * len;
		mx = fmax(mx, len);
	}
	/* sd of a share: sqrt(p (1 - p) / n) <= 0.0011; 5 sd */
	assert_true(fabs(count[1] / n - 0.62) < 0.0055);
	assert_true(fabs(count[2] / n - 0.21) < 0.0055);
	assert_true(fabs(count[4] / n - 0.12) < 0.0055);
	assert_true(fabs(count[8] / n - 0.05) < 0.0055);
	/* lengths scaled from a mean of 7.61 h to 5 h: the cap with them */
	scale = 5 / (model_job_length_mean(sh) / 3600);
	assert_true(mx <= 72 * scale * (1 + 1e-12));
	assert_true(mx > 0.99 * 72 * scale); /* 1.3% of the jobs reach it */
	/* the CV of GPUs x length is about 2: the mean within 2% */
	assert_near(dh / n, mean_gpus * 5, 0.02);
	/* without the shape: the devices given, lognormal around mean_h */
	memset(sh, 0, sizeof(*sh));
	dh = 0;
	for (int i = 0; i < n; i++) {
		double len;

		assert_int_equal(sim_job_draw(&rng, &r, 2, 5, &len), 2);
		dh += len;
	}
	assert_near(dh / n, 5, 0.01);
}

/* Arrays (issue 19): with 30% of the jobs tasks of arrays of 7.5 tasks
 * on average, the groups drawn put 30% of the jobs in arrays, of 7 or 8
 * tasks, 7.5 on average. */
static void test_array_draw(void **state)
{
	struct model_job_shape sh = {.array_share = 0.3, .array_tasks = 7.5};
	double jobs = 0, in_arrays = 0, arrays = 0;
	struct sim_rng rng;

	(void)state;
	sim_rng_seed(&rng, 5, 0);
	while (jobs < 300000) {
		long k = sim_array_draw(&rng, &sh);

		assert_true(k == 1 || k == 7 || k == 8);
		jobs += (double)k;
		in_arrays += k > 1 ? (double)k : 0;
		arrays += k > 1;
	}
	assert_near(in_arrays / jobs, 0.3, 0.02);
	assert_near(in_arrays / arrays, 7.5, 0.01);
	sh.array_share = 0;
	assert_int_equal(sim_array_draw(&rng, &sh), 1);
}

/* Times by hour of the week: with all the weight on Monday 09h, every
 * time is on a Monday between 09:00 and 10:00, spread evenly within it;
 * an interval without weight has no time. */
static void test_weekly_time(void **state)
{
	double w[168] = {0}, quarter[4] = {0};
	struct sim_weekly wk;
	struct sim_rng rng;
	double week = 168 * 3600.0;

	(void)state;
	w[9] = 1;
	sim_weekly_init(&wk, w, 0);
	sim_rng_seed(&rng, 3, 0);
	for (int i = 0; i < 40000; i++) {
		double t = sim_weekly_time(&wk, 0.5 * week, 10.25 * week,
					   sim_uniform(&rng));
		double in_week = fmod(t, week);

		assert_true(t >= 0.5 * week && t < 10.25 * week);
		assert_true(in_week >= 9 * 3600 && in_week < 10 * 3600);
		quarter[(int)((in_week - 9 * 3600) / 900)]++;
	}
	for (int q = 0; q < 4; q++) /* 10,000 each, sd 87 */
		assert_true(fabs(quarter[q] - 10000) < 450);
	/* Tuesday to Sunday of one week: no weight */
	assert_true(sim_weekly_time(&wk, 24 * 3600, week, 0.5) < 0);
	/* weights 1 and 3 on two hours: a quarter of the times in the first */
	w[9] = 1;
	w[30] = 3;
	sim_weekly_init(&wk, w, 0);
	assert_true(sim_weekly_time(&wk, 0, week, 0.2) < 10 * 3600);
	assert_true(sim_weekly_time(&wk, 0, week, 0.3) >= 30 * 3600);
	assert_near(sim_weekly_time(&wk, 0, week, 0.125), 9.5 * 3600, 1e-9);
	/* time 0 a Wednesday (start_date 2027-09-01): Monday 09h is 5 days
	 * and 9 hours in */
	w[30] = 0;
	sim_weekly_init(&wk, w, 2);
	assert_near(sim_weekly_time(&wk, 0, week, 0.5), (5 * 24 + 9.5) * 3600,
		    1e-9);
}

static int order[8], norder;

static void record(struct sim_engine *e, uint32_t ent, uint32_t gen)
{
	(void)e;
	(void)gen;
	order[norder++] = (int)ent;
}

/* Events run by time, and in insertion order at equal times. */
static void test_engine_order(void **state)
{
	static const sim_handler handlers[1] = {record};
	struct sim_engine *e = sim_engine_new(NULL, handlers, 1);

	(void)state;
	norder = 0;
	sim_schedule(e, 2, 0, 0, 0);
	sim_schedule(e, 1, 0, 1, 0);
	sim_schedule(e, 2, 0, 2, 0);
	sim_schedule(e, 1, 0, 3, 0);
	sim_schedule(e, 5, 0, 4, 0);
	assert_int_equal(sim_run(e, 3), 4);
	assert_near(sim_now(e), 3, 0);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 3);
	assert_int_equal(order[2], 0);
	assert_int_equal(order[3], 2);
	assert_int_equal(sim_run(e, INFINITY), 1);
	sim_engine_free(e);
}

static void record_and_add(struct sim_engine *e, uint32_t ent, uint32_t gen)
{
	record(e, ent, gen);
	sim_schedule(e, 4, 0, 3, 0);
	sim_schedule(e, 2, 0, 4, 0);
}

/* Events scheduled before the run (a sorted list) and while it runs (a
 * heap) still run by time, then in insertion order: an event added at
 * t = 4 during the run comes after the one scheduled at 4 before it. */
static void test_engine_merge(void **state)
{
	static const sim_handler handlers[2] = {record, record_and_add};
	struct sim_engine *e = sim_engine_new(NULL, handlers, 2);

	(void)state;
	norder = 0;
	sim_schedule(e, 4, 0, 2, 0);
	sim_schedule(e, 1, 1, 1, 0);
	sim_schedule(e, 4, 0, 5, 0);
	assert_int_equal(sim_run(e, INFINITY), 5);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 4);
	assert_int_equal(order[2], 2);
	assert_int_equal(order[3], 5);
	assert_int_equal(order[4], 3);
	sim_engine_free(e);
}

/* The histogram's bucket from its tables is the bucket of its
 * definition (a log) for every double: around each boundary, 64 doubles
 * either side (the log's rounding moves a boundary by a few), and for a
 * million values spread over the range. */
static void test_hist_bucket(void **state)
{
	struct sim_rng r;
	int bad = 0;

	(void)state;
	for (int i = 1; i < SIM_HIST_BUCKETS && bad < 5; i++) {
		double x = 1e-9 * pow(1.02, i);

		for (int k = 0; k < 64; k++)
			x = nextafter(x, 0);
		for (int k = 0; k < 129; k++, x = nextafter(x, INFINITY))
			if (sim_hist_bucket(x) != sim_hist_bucket_exact(x)) {
				print_error("bucket %d: %.17g -> %d, want %d\n",
					    i, x, sim_hist_bucket(x),
					    sim_hist_bucket_exact(x));
				bad++;
			}
	}
	sim_rng_seed(&r, 5, 0);
	for (int i = 0; i < 1000000 && !bad; i++) {
		double x = 1e-9 * exp(sim_uniform(&r) * 50);

		bad += sim_hist_bucket(x) != sim_hist_bucket_exact(x);
	}
	assert_int_equal(bad, 0);
	assert_int_equal(sim_hist_bucket(1e-9), 0);
	assert_int_equal(sim_hist_bucket(1e300), SIM_HIST_BUCKETS - 1);
}

/* Three jobs on three devices: A takes two for 10 s from 0, B wants two
 * from 1 s, C one for 1 s from 2 s. First come first served, C waits
 * behind B (8 s); with backfilling it runs at once, ending before B's
 * reservation. */
static void test_replay(void **state)
{
	static const char csv[] = "job,submit_time_s,duration_s,num_gpu,wait_s\n"
				  "A,0,10,2,0\nB,1,10,2,5\nC,2,1,1,7\n"
				  "cpu,3,5,0,0\n";
	char path[] = "/tmp/gpuplan-trace-XXXXXX";
	struct sim_replay *r = util_xmalloc(sizeof(*r));
	struct sim_replay_opts o = {.path = path, .devices = 3};
	struct util_diags d;
	struct util_err err;

	(void)state;
	assert_true(mkstemp(path) >= 0);
	assert_int_equal(util_write_atomic(path, csv, sizeof(csv) - 1, &err),
			 0);
	util_diags_init(&d);
	assert_int_equal(sim_replay_run(&o, r, &d), 0);
	assert_int_equal(r->jobs, 3);
	assert_int_equal(r->skipped_cpu, 1);
	assert_near(sim_hist_mean(&r->wait), 17.0 / 3, 1e-9);
	assert_near(sim_hist_mean(&r->recorded), 4, 1e-9);
	o.backfill = true;
	assert_int_equal(sim_replay_run(&o, r, &d), 0);
	assert_near(sim_hist_mean(&r->wait), 9.0 / 3, 1e-9);
	assert_near(r->makespan_s, 20, 1e-9);
	util_diags_release(&d);
	unlink(path);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_erlang_c),
		cmocka_unit_test(test_pollaczek_khinchine),
		cmocka_unit_test(test_hist_and_rng),
		cmocka_unit_test(test_distributions),
		cmocka_unit_test(test_job_draw),
		cmocka_unit_test(test_weekly_time),
		cmocka_unit_test(test_array_draw),
		cmocka_unit_test(test_engine_order),
		cmocka_unit_test(test_engine_merge),
		cmocka_unit_test(test_hist_bucket),
		cmocka_unit_test(test_replay),
	};

	return cmocka_run_group_tests_name("sim", tests, NULL, NULL);
}
