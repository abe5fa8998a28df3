/* The advise layer: queueing formulas against hand-computed cases, the
 * utilisation ceiling of a pool, target checks in words, and the closed
 * loop on every shipped scenario (docs/targets.md). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../advise/advise.h"
#include "../../advise/advise_int.h"
#include "test_model.h"

/* Erlang C by hand: M/M/1 waits with probability rho; M/M/2 at a = 1,
 * C = (a^2/2 / (1 - a/2)) / (1 + a + a^2/2 / (1 - a/2)) = 1/3. */
/* Why a column is ruled out: one family's reason for a family column;
 * for a strategy or the mix, every allowed family's reason on one line
 * (the families the scenario does not allow left out). */
static void test_ruled_out(void **state)
{
	static const char why[] =
		"no venue can run 'lora':\n"
		"  cloud: cloud venues are outside CA, where 'lora' must stay "
		"(residency)\n"
		"  onprem: not allowed (venues.allow)\n"
		"  gpuaas: gpuaas venues are outside CA\n";
	static const struct {
		int f;
		const char *want;
	} cases[] = {
		{PRICING_GPUAAS, "'lora': gpuaas venues are outside CA"},
		{-1, "no venue can run 'lora': cloud: cloud venues are outside "
		     "CA, where 'lora' must stay (residency); gpuaas: gpuaas "
		     "venues are outside CA"},
	};

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(cases); i++) {
		char *got = advise_ruled_out(why, cases[i].f);

		assert_string_equal(got, cases[i].want);
		free(got);
	}
	{
		char *got = advise_ruled_out("the budget is too small\nmore",
					     -1);

		assert_string_equal(got, "the budget is too small");
		free(got);
	}
}

static void test_erlang_c(void **state)
{
	(void)state;
	assert_near(model_erlang_c(1, 0.5), 0.5, 1e-12);
	assert_near(model_erlang_c(2, 1), 1.0 / 3, 1e-12);
	/* c = 3, a = 2: (8/6 x 3) / (1 + 2 + 2 + 4) = 4/9 */
	assert_near(model_erlang_c(3, 2), 4.0 / 9, 1e-12);
	assert_near(model_erlang_c(2, 2), 1, 0); /* unstable */
}

/* The cameras: 15 requests/s per site, 53.7 ms of deterministic
 * service, 60 ms p99: slack 6.3 ms. By hand, C(c) e^{-2 (c mu - l) t}:
 * c = 1: 0.770, c = 2: 0.175, c = 3: 0.0316, c = 4: 0.0046 <= 1%. */
static void test_servers_for(void **state)
{
	double s = 0.0537, t = 0.0063;

	(void)state;
	assert_near(model_wait_above(1, 15, s, 0, t), 0.7696, 1e-3);
	assert_near(model_wait_above(3, 15, s, 0, t), 0.03164, 1e-3);
	assert_int_equal(model_servers_for(15, s, 0, t, 0.01), 4);
	/* exponential service, M/M/1 at rho 0.5: P(W > t) = 0.5 e^{-0.5 t},
	 * so 1% needs t >= 2 ln 50 = 7.82: c = 1 for t = 8, 2 for t = 7 */
	assert_int_equal(model_servers_for(0.5, 1, 1, 8, 0.01), 1);
	assert_int_equal(model_servers_for(0.5, 1, 1, 7, 0.01), 2);
	assert_int_equal(model_servers_for(0, 1, 1, 3, 0.01), 1);
	assert_int_equal(model_servers_for(1, 1, 1, -1, 0.01), 0);
}

static const char pool_text[] =
	"scenario: t\nhorizon: 1y\nperiod: month\n"
	"venues:\n  allow: [onprem, cloud]\n"
	"  onprem: {owned: {H100: 4}}\n"
	"performance: {onprem_availability: 1}\n"
	"workloads:\n  - name: r\n    kind: research\n"
	"    max_wait: 1h\n    gpu_hours: 20000 H100\n";

/* 4 owned devices, jobs of a day (CV 0.7: cs2 0.49), max_wait 1 h: the
 * highest load in steps of 5% with P(wait > 1 h) <= 5% in M/G/4. By
 * hand, C(4, 4u) e^{-4 (1 - u) 3600 / (86400 x 0.745)}: u = 0.35 gives
 * 0.0603 x 0.865 = 0.052, u = 0.30 gives 0.0371 x 0.855 = 0.032: the
 * pool takes 30% of its 35,040 hours, the cloud the rest. */
static void test_pool_ceiling(void **state)
{
	struct model_plan_opts po = {.family = -1};
	struct model_scenario s;
	struct model_plan p;
	struct util_err err;
	double pool = 0;

	(void)state;
	load_scenario(pool_text, &s);
	assert_int_equal(model_plan(&s, &po, &p, &err), 0);
	assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
	for (size_t i = 0; i < p.nassign; i++)
		if (p.assign[i].family == PRICING_ONPREM)
			pool += p.assign[i].device_hours;
	assert_near(pool, 0.30 * 4 * 8760, 1e-6);
	model_plan_release(&p);
	model_scenario_release(&s);
}

static const char cams_text[] =
	"scenario: t\nhorizon: 1y\nperiod: month\n"
	"workloads:\n  - name: cameras\n    kind: inference\n"
	"    model: {compute: 8.7GFLOP, params: 11M, precision: fp16}\n"
	"    sites: 12\n    rate: 15/s\n    latency_p99: 60ms\n";

/* A miss in words, from figures set by hand. */
static void test_check_text(void **state)
{
	struct sim_workload_result wl = {0};
	struct sim_result r = {.wl = &wl, .nwl = 1};
	struct advise_checks c;
	struct model_scenario s;
	char line[300];

	(void)state;
	load_scenario(cams_text, &s);
	wl.w = &s.workloads[0];
	wl.latency_ms.p99.mean = 618;
	wl.slo_miss.mean = 0.78;
	advise_check_targets(&r, &c);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.missed, 1);
	advise_check_text(&s, &c.v[0], line, sizeof(line));
	assert_string_equal(line, "cameras: p99 618 ms > 60 ms, 78% of "
				  "requests late");
	advise_checks_release(&c);
	/* 1% of requests late is within the tolerance */
	wl.slo_miss.mean = 0.01;
	advise_check_targets(&r, &c);
	assert_int_equal(c.missed, 0);
	advise_checks_release(&c);
	model_scenario_release(&s);
}

static const char thesis_text[] =
	"scenario: t\nhorizon: 1y\nperiod: month\n"
	"workloads:\n  - name: thesis\n    kind: research\n"
	"    gpu_hours: 2000 H100\n    deadline: 100d\n";

/* A deadline judged on 20 replications, none late, whose completion
 * times (mean 90 d, sd 8 d) give a 10.6% chance of missing 100 d: missed
 * by the estimate, which the text says; with sd 4 d (0.6%) it is met.
 * By hand: P(N(90, 8) > 100) = P(Z > 1.25) = 0.1056; ci95 of 20
 * replications = 2.093 x sd / sqrt(20). */
static void test_deadline_estimate(void **state)
{
	struct sim_workload_result wl = {.has_deadline = true};
	struct sim_result r = {.wl = &wl, .nwl = 1, .replications = 20};
	struct advise_checks c;
	struct model_scenario s;
	char line[300];

	(void)state;
	load_scenario(thesis_text, &s);
	wl.w = &s.workloads[0];
	wl.completion_h.mean = 90 * 24;
	wl.completion_h.ci95 = 2.093 * 8 * 24 / sqrt(20);
	advise_check_targets(&r, &c);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.missed, 1);
	assert_near(c.v[0].share, 0.1056, 5e-4);
	assert_near(c.v[0].counted, 0, 0);
	advise_check_text(&s, &c.v[0], line, sizeof(line));
	assert_string_equal(line, "thesis: deadline missed in an estimated "
				  "10.6% of runs (allowed 5%; late in 0% of the "
				  "runs simulated)");
	advise_checks_release(&c);
	wl.completion_h.ci95 /= 2;
	advise_check_targets(&r, &c);
	assert_int_equal(c.missed, 0);
	advise_checks_release(&c);
	/* a late replication counted is never judged below its count */
	wl.deadline_miss.mean = 0.10;
	advise_check_targets(&r, &c);
	assert_int_equal(c.missed, 1);
	assert_near(c.v[0].share, 0.10, 1e-12);
	advise_check_text(&s, &c.v[0], line, sizeof(line));
	assert_string_equal(line, "thesis: deadline missed in 10% of runs "
				  "(allowed 5%)");
	advise_checks_release(&c);
	model_scenario_release(&s);
}

static void loop_opts(struct advise_loop_opts *o, int reps)
{
	advise_loop_defaults(o);
	o->sim.replications = reps;
	o->sim.jobs = 2;
}

/* compare's hybrid column and the loop `simulate` runs agree to the
 * digit for the same seed and replications. */
static void test_compare_is_simulate(void **state)
{
	struct advise_loop_opts o;
	struct advise_compare c;
	struct advise_result r;
	struct model_scenario s;
	struct util_err err;

	(void)state;
	load_scenario(cams_text, &s);
	loop_opts(&o, 20);
	assert_int_equal(advise_compare(&s, &o, &c, &err), 0);
	assert_int_equal(advise_loop(&s, &o, &r, &err), 0);
	assert_int_equal(c.col[PRICING_NFAMILIES].r.rounds, r.rounds);
	assert_true(c.col[PRICING_NFAMILIES].r.sim.nwl == 1);
	assert_memory_equal(&c.col[PRICING_NFAMILIES].r.sim.wl[0].latency_ms,
			    &r.sim.wl[0].latency_ms, sizeof(struct sim_dist));
	assert_memory_equal(&c.col[PRICING_NFAMILIES].r.sim.wl[0].slo_miss,
			    &r.sim.wl[0].slo_miss, sizeof(struct sim_stat));
	advise_result_release(&r);
	advise_compare_release(&c);
	model_scenario_release(&s);
}

/* A chat service with TTFT and TPOT targets whose engines the throughput
 * count alone left full, missing both (tests/cli/plan-llm-serving). */
static const char chat_text[] =
	"scenario: chat\nhorizon: 1mo\nperiod: month\n"
	"venues: {allow: [cloud]}\n"
	"workloads:\n  - name: chat\n    kind: inference\n"
	"    model: {preset: llama-3.1-8b, precision: fp8, "
	"prompt_tokens: {mean: 1000, p99: 4000}, "
	"output_tokens: {mean: 250, p99: 800}}\n"
	"    rate: 20/s\n    ttft_p99: 1s\n    tpot_p99: 40ms\n";

/* TTFT and TPOT are checked on the shares of requests over them, 1%
 * allowed, and said in words with the p99. */
static void test_check_tokens(void **state)
{
	struct sim_workload_result wl = {0};
	struct sim_result r = {.wl = &wl, .nwl = 1};
	struct advise_checks c;
	struct model_scenario s;
	char line[300];

	(void)state;
	load_scenario(chat_text, &s);
	wl.w = &s.workloads[0];
	wl.has_tokens = true;
	wl.ttft_ms.p99.mean = 2370;
	wl.ttft_miss.mean = 0.131;
	wl.tpot_ms.p99.mean = 39;
	wl.tpot_miss.mean = 0.005;
	advise_check_targets(&r, &c);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.missed, 1);
	assert_int_equal(c.v[0].kind, ADVISE_TTFT);
	assert_false(c.v[0].met);
	assert_true(c.v[1].met);
	advise_check_text(&s, &c.v[0], line, sizeof(line));
	assert_string_equal(line, "chat: p99 time to first token 2.37 s > "
				  "1 s, 13.1% of requests over");
	advise_check_text(&s, &c.v[1], line, sizeof(line));
	assert_string_equal(line, "chat: p99 time per output token 39 ms <= "
				  "40 ms, 0.5% of requests over");
	advise_checks_release(&c);
	/* without a simulation of tokens (a plan with no engine), no check */
	wl.has_tokens = false;
	advise_check_targets(&r, &c);
	assert_int_equal(c.n, 0);
	advise_checks_release(&c);
	model_scenario_release(&s);
}

/* Engines are sized for the queue as well as the throughput: at 20
 * requests/s the 3 L40S of the bare throughput count kept nearly every
 * sequence slot busy and missed TTFT and TPOT (the loop then doubled
 * them to 6); Erlang C over the slots asks for 4, which meet both in the
 * first round (docs/perf-model.md, "Engines for a request rate"). When
 * the simulation still misses (the latency of 6,000-token prompts, whose
 * prefills slow the steps of the requests decoding beside them more than
 * the mean step says), the loop sizes for 1.25x the rate
 * (docs/targets.md). */
static void test_loop_tokens(void **state)
{
	static const char rag_text[] =
		"scenario: rag\nhorizon: 1mo\nperiod: month\n"
		"venues: {allow: [cloud]}\n"
		"workloads:\n  - name: rag\n    kind: inference\n"
		"    model: {preset: llama-2-70b, precision: fp16, "
		"prompt_tokens: 6000, output_tokens: 200}\n"
		"    rate: 1/s\n    latency_p99: 30s\n";
	struct advise_loop_opts o;
	struct advise_result r;
	struct model_scenario s;
	struct util_err err;

	(void)state;
	load_scenario(chat_text, &s);
	loop_opts(&o, 4);
	o.rounds = 1;
	assert_int_equal(advise_loop(&s, &o, &r, &err), 0);
	assert_int_equal(r.plan.nassign, 1);
	assert_int_equal(r.plan.assign[0].devices, 4);
	assert_int_equal(r.checks.missed, 0);
	assert_false(r.exhausted);
	assert_true(r.sim.wl[0].ttft_ms.p99.mean < 1000);
	assert_true(r.sim.wl[0].tpot_ms.p99.mean < 40);
	advise_result_release(&r);
	model_scenario_release(&s);

	load_scenario(rag_text, &s);
	o.rounds = 1;
	assert_int_equal(advise_loop(&s, &o, &r, &err), 0);
	assert_int_equal(r.plan.assign[0].devices, 8);
	assert_int_equal(r.checks.missed, 1);
	assert_true(r.exhausted);
	advise_result_release(&r);
	o.rounds = 5;
	assert_int_equal(advise_loop(&s, &o, &r, &err), 0);
	assert_int_equal(r.rounds, 2);
	assert_int_equal(r.checks.missed, 0);
	assert_non_null(strstr(r.tightened, "rag: sized for 1.25x"));
	advise_result_release(&r);
	model_scenario_release(&s);
}

/* The share of p's work on academic clusters. */
static double academic_share(const struct model_plan *p)
{
	double a = 0;

	for (size_t i = 0; i < p->nassign; i++)
		if (p->assign[i].family == PRICING_ACADEMIC)
			a += p->assign[i].share;
	return a;
}

/* A PhD's jobs on the Alliance (queue p50 2 h, p90 24 h: a p95 of about
 * two days, whatever our load) miss a one-day p95 wait; 4 owned A100
 * sit idle beside them. The loop caps the academic share (half of it a
 * round) until the wait is met, instead of only asking for room on the
 * allocation, which cannot shorten the centre's queue. */
static void test_loop_queue(void **state)
{
	static const char text[] =
		"scenario: q\nhorizon: 1y\nperiod: month\n"
		"venues:\n  allow: [onprem, academic]\n"
		"  onprem: {owned: {A100-80GB: 4}}\n"
		"  academic: {allocation: 10 RGU-years}\n"
		"workloads:\n  - name: phd\n    kind: research\n"
		"    profile: phd\n    gpu_hours: 12000 A100-80GB\n";
	struct advise_loop_opts o;
	struct advise_result r;
	struct model_scenario s;
	struct util_err err;
	double academic;

	(void)state;
	load_scenario(text, &s);
	loop_opts(&o, 4);
	o.rounds = 1;
	assert_int_equal(advise_loop(&s, &o, &r, &err), 0);
	assert_int_equal(r.checks.missed, 1);
	assert_int_equal(r.checks.v[0].kind, ADVISE_MAX_WAIT);
	advise_result_release(&r);
	o.rounds = 5;
	assert_int_equal(advise_loop(&s, &o, &r, &err), 0);
	assert_int_equal(r.checks.missed, 0);
	academic = academic_share(&r.plan);
	assert_true(academic > 0 && academic <= 0.5 + 1e-9);
	assert_non_null(strstr(r.tightened, "phd: at most"));
	advise_result_release(&r);
	model_scenario_release(&s);
}

/* Three PhD students alike on the allocation and the owned pool: when
 * one misses its wait, the room it asks on the allocation marks the
 * others as tightened for the round, but each that misses its own wait
 * still gets its cap on the academic share. Without that, the third
 * waited rounds for its cap while the others took theirs, and missed
 * its wait after the 5 rounds (issue 26's case written with three
 * students: three strategies of four missed, rent-only was chosen). */
static void test_queue_cap_pool_mates(void **state)
{
	static const char text[] =
		"scenario: q3\nhorizon: 1y\nperiod: month\n"
		"venues:\n  allow: [onprem, academic]\n"
		"  onprem: {owned: {A100-80GB: 4}}\n"
		"  academic: {allocation: 10 RGU-years}\n"
		"workloads:\n"
		"  - {name: phd1, kind: research, gpu_hours: 4000 A100-80GB}\n"
		"  - {name: phd2, kind: research, gpu_hours: 4000 A100-80GB}\n"
		"  - {name: phd3, kind: research, gpu_hours: 4000 A100-80GB}\n";
	struct advise_loop_opts o;
	struct advise_result r;
	struct model_scenario s;
	struct util_err err;

	(void)state;
	load_scenario(text, &s);
	loop_opts(&o, 20);
	assert_int_equal(advise_loop(&s, &o, &r, &err), 0);
	assert_non_null(r.tightened);
	for (size_t i = 0; i < r.checks.n; i++)
		if (!r.checks.v[i].met)
			fail_msg("%s missed its target after %d rounds: %s",
				 s.workloads[r.checks.v[i].w].name, r.rounds,
				 r.tightened);
	advise_result_release(&r);
	model_scenario_release(&s);
}

/* The same PhD with the Alliance alone: capping its academic share
 * leaves no plan, so the loop drops the cap and says so in its notes
 * (not as missing capacity), and the plan it keeps has all the work on
 * the allocation. */
static void test_loop_queue_dropped(void **state)
{
	static const char text[] =
		"scenario: q\nhorizon: 1y\nperiod: month\n"
		"venues:\n  allow: [academic]\n"
		"  academic: {allocation: 10 RGU-years}\n"
		"workloads:\n  - name: phd\n    kind: research\n"
		"    profile: phd\n    gpu_hours: 12000 A100-80GB\n";
	struct advise_loop_opts o;
	struct advise_result r;
	struct model_scenario s;
	struct util_err err;
	double academic;

	(void)state;
	load_scenario(text, &s);
	loop_opts(&o, 4);
	o.rounds = 3;
	assert_int_equal(advise_loop(&s, &o, &r, &err), 0);
	assert_true(r.plan.status == MODEL_PLAN_OPTIMAL ||
		    r.plan.status == MODEL_PLAN_FEASIBLE);
	academic = academic_share(&r.plan);
	assert_near(academic, 1, 1e-6);
	assert_non_null(r.tightened);
	assert_non_null(strstr(r.tightened, "phd: no cap on the share of "
					    "work on academic clusters "
					    "(capping it for their queue "
					    "waits left no plan"));
	assert_null(strstr(r.tightened, "phd: at most"));
	assert_false(r.cornered); /* the verdict does not blame capacity */
	advise_result_release(&r);
	model_scenario_release(&s);
}

/* The cap on academic queues counts periodic work as the plan's share
 * does (each block by its length): a fine-tune every month whose blocks
 * are 1, 10 and 1 months long keeps at most half its work on the free
 * allocation, not half its blocks (87.5% of the work, found in review). */
static void test_queue_share_periodic(void **state)
{
	static const char text[] =
		"scenario: t\nhorizon: 1y\nperiod: month\n"
		"catalog:\n  offers:\n"
		"    - {id: ac-h100, family: academic, provider: a, cluster: c1,\n"
		"       accelerator: H100, rgu: 1, walltime_h: 168,\n"
		"       queue_wait: {p50_h: 1, p90_h: 2}, source: t,\n"
		"       as_of: 2026-01-01}\n"
		"    - {id: c-h100, family: cloud, provider: p, accelerator: "
		"H100,\n       price_hour: 1, source: t, as_of: 2026-01-01}\n"
		"venues: {allow: [cloud, academic], academic: {allocation: 1000 "
		"RGU-year}}\n"
		"workloads:\n  - name: tune\n    kind: finetune\n"
		"    model: {params: 7B, method: lora, precision: bf16, "
		"seq_len: 4096}\n    tokens: 50M\n    runs: 2/month\n";
	const double cap[] = {0.5};
	struct model_plan_opts opt = {.family = -1, .queue_share = cap};
	struct model_scenario s;
	struct model_plan p;
	struct util_err err;
	double academic;

	(void)state;
	load_scenario(text, &s);
	assert_int_equal(model_plan(&s, &opt, &p, &err), 0);
	assert_int_equal(p.status, MODEL_PLAN_OPTIMAL);
	academic = academic_share(&p);
	assert_near(academic, 0.5, 1e-6); /* free: the cap binds */
	model_plan_release(&p);
	model_scenario_release(&s);
}

/* Latency under the bare service time of every device: a plan exists,
 * no option meets the target, the verdict names the workload. */
static void test_unreachable(void **state)
{
	static const char text[] =
		"scenario: t\nhorizon: 1y\nperiod: month\n"
		"workloads:\n  - name: cameras\n    kind: inference\n"
		"    model: {compute: 8.7GFLOP, params: 11M, precision: fp16}\n"
		"    sites: 2\n    rate: 15/s\n    latency_p99: 0.01ms\n";
	struct advise_loop_opts o;
	struct advise_compare c;
	struct model_scenario s;
	struct util_err err;

	(void)state;
	load_scenario(text, &s);
	loop_opts(&o, 4);
	o.rounds = 2;
	assert_int_equal(advise_compare(&s, &o, &c, &err), 0);
	assert_int_equal(c.cheapest, -1);
	assert_int_equal(c.col[PRICING_NFAMILIES].status, ADVISE_MISSES);
	assert_non_null(strstr(c.verdict, "no option meets every target"));
	assert_non_null(strstr(c.verdict, "cameras: p99"));
	advise_compare_release(&c);
	model_scenario_release(&s);
}

static const char *const shipped[] = {
	"applied-research", "bank-gpuaas",  "edge-cameras",
	"llm-finetune",	    "master-projects", "phd-research",
	"startup",	    "teaching-lab", "university-department",
	"department-montreal"};

/* The verdict's option of one shipped scenario, simulated again with 40
 * replications and another seed, meets every target. */
static void check_shipped(const char *name)
{
	struct advise_loop_opts o;
	struct advise_compare c;
	struct advise_checks k;
	struct sim_result r;
	struct model_scenario s;
	struct util_diags d;
	struct util_err err;
	char path[200], line[300];

	snprintf(path, sizeof(path), "scenarios/%s.yaml", name);
	util_diags_init(&d);
	assert_int_equal(model_scenario_load(&s, path, &catalog, &d), 0);
	util_diags_release(&d);
	loop_opts(&o, 20);
	assert_int_equal(advise_compare(&s, &o, &c, &err), 0);
	if (c.cheapest < 0)
		fail_msg("%s: %s", name, c.verdict);
	o.sim.replications = 40;
	o.sim.seed = 2;
	assert_int_equal(sim_simulate(&s, &c.col[c.cheapest].r.plan, &o.sim,
				      &r, &err),
			 0);
	advise_check_targets(&r, &k);
	for (size_t i = 0; i < k.n; i++) {
		advise_check_text(&s, &k.v[i], line, sizeof(line));
		print_message("%s, %s: %s%s\n", name, c.col[c.cheapest].name,
			      k.v[i].met ? "" : "MISSED ", line);
	}
	assert_int_equal(k.missed, 0);
	advise_checks_release(&k);
	sim_result_release(&r);
	advise_compare_release(&c);
	model_scenario_release(&s);
}

static void test_shipped_scenarios(void **state)
{
	(void)state;
	if (getenv("VALGRIND")) /* minutes under valgrind: the CLI cases
				 * cover the same code */
		skip();
	for (size_t i = 0; i < sizeof(shipped) / sizeof(*shipped); i++)
		check_shipped(shipped[i]);
}

/* Two strategies over one scenario: the owned pool as written, and the
 * cloud alone (venues.allow=[cloud], a list value). The owned devices'
 * upkeep is paid in both, so the one that uses them is the cheaper; the
 * verdict names it and then the next. */
/* Four H100 owned, 2000 H100-hours of research; strategies load it with
 * overrides (load_with). */
static const char own_text[] =
	"scenario: t\nhorizon: 1y\nperiod: month\n"
	"venues:\n  allow: [onprem, cloud]\n"
	"  onprem: {owned: {H100: 4}}\n"
	"workloads:\n  - name: r\n    kind: research\n"
	"    max_wait: none\n    gpu_hours: 2000 H100\n";

/* own_text with the n overrides of set into out. */
static void load_with(const struct model_set *set, size_t n,
		      struct model_scenario *out)
{
	struct util_diags d;
	struct util_err err;

	util_diags_init(&d);
	assert_int_equal(model_scenario_load_set(out, "t.yaml", own_text,
						 strlen(own_text), &catalog,
						 set, n, &d, &err),
			 0);
	util_diags_release(&d);
}

/* compare --by strategy prints the committed costs once when every
 * strategy pays the same (keep, buy, rent-only of issue 26: the owned
 * A100's upkeep), and not when one sells the owned devices. */
static void test_committed_alike(void **state)
{
	static const struct model_set sets[] = {
		{"venues.allow", "[cloud]"},
		{"venues.onprem.owned.H100", "0"},
	};
	struct model_scenario base, ss[2];
	struct advise_compare c;

	(void)state;
	load_scenario(own_text, &base);
	for (int i = 0; i < 2; i++)
		load_with(&sets[i], 1, &ss[i]);
	memset(&c, 0, sizeof(c));
	c.s = &base;
	c.by_strategy = true;
	c.ncol = 2;
	c.col[0].s = &base;
	c.col[1].s = &ss[0]; /* rent only: the H100 still owned */
	assert_true(advise_committed_alike(&c));
	c.col[1].s = &ss[1]; /* the H100 sold */
	assert_false(advise_committed_alike(&c));
	for (int i = 0; i < 2; i++)
		model_scenario_release(&ss[i]);
	model_scenario_release(&base);
}

static void test_strategies(void **state)
{
	static const struct model_set cloud = {"venues.allow", "[cloud]"};
	const char *names[] = {"own", "cloud-only"};
	struct model_scenario base, ss[2];
	const struct model_scenario *sp[] = {&ss[0], &ss[1]};
	struct advise_loop_opts o;
	struct advise_compare c;
	struct util_err err;

	(void)state;
	load_scenario(own_text, &base);
	for (int i = 0; i < 2; i++)
		load_with(&cloud, (size_t)i, &ss[i]);
	assert_int_equal(ss[1].venues.allow, 1u << PRICING_CLOUD);
	loop_opts(&o, 5);
	assert_int_equal(advise_compare_strategies(&base, sp, names, 2, &o, &c,
						   &err),
			 0);
	assert_true(c.by_strategy);
	assert_int_equal(c.ncol, 2);
	assert_string_equal(c.col[1].name, "cloud-only");
	assert_int_equal(c.col[0].status, ADVISE_MEETS);
	assert_int_equal(c.col[1].status, ADVISE_MEETS);
	for (size_t i = 0; i < c.col[1].r.plan.nassign; i++)
		assert_int_equal(c.col[1].r.plan.assign[i].family,
				 PRICING_CLOUD);
	assert_int_equal(c.cheapest, 0);
	assert_true(c.col[0].total_cost < c.col[1].total_cost);
	assert_non_null(strstr(c.verdict, "own at "));
	assert_non_null(strstr(c.verdict, "the next, cloud-only, costs"));
	advise_compare_release(&c);
	for (int i = 0; i < 2; i++)
		model_scenario_release(&ss[i]);
	model_scenario_release(&base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ruled_out),
		cmocka_unit_test(test_erlang_c),
		cmocka_unit_test(test_servers_for),
		cmocka_unit_test(test_pool_ceiling),
		cmocka_unit_test(test_check_text),
		cmocka_unit_test(test_deadline_estimate),
		cmocka_unit_test(test_compare_is_simulate),
		cmocka_unit_test(test_check_tokens),
		cmocka_unit_test(test_loop_tokens),
		cmocka_unit_test(test_loop_queue),
		cmocka_unit_test(test_loop_queue_dropped),
		cmocka_unit_test(test_queue_share_periodic),
		cmocka_unit_test(test_queue_cap_pool_mates),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_committed_alike),
		cmocka_unit_test(test_strategies),
		cmocka_unit_test(test_shipped_scenarios),
	};

	return cmocka_run_group_tests(tests, setup_default_catalog,
				      teardown_catalog);
}
