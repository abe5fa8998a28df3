/* The report of a comparison (report/): quoting for HTML and gnuplot,
 * hostile scenario text kept inert in HTML and markdown, every section
 * present or saying why not, the break-even against a hand computation,
 * and the same page twice for the same input (docs/report.md). */
#include <stdio.h>
#include <string.h>

#include "../../report/format.h"
#include "../../report/report.h"
#include "test_model.h"

/* Each quoting function keeps any text one value of its kind. */
static void test_quoting(void **state)
{
	static const struct {
		void (*fn)(struct util_buf *, const char *);
		const char *in, *want;
	} cases[] = {
		{report_html_str, "H100", "H100"},
		{report_html_str, "<script>alert(1)</script>",
		 "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{report_html_str, "a & \"b\" 'c'", "a &amp; &quot;b&quot; &#39;c&#39;"},
		{report_html_str, "x\x01y\tz\n", "x\xef\xbf\xbdy\tz\n"},
		{report_html_str, "caf\xc3\xa9", "caf\xc3\xa9"},
		/* U+202E (right-to-left override), U+2028, U+0085, U+2066 */
		{report_html_str, "a\xe2\x80\xae""802 USD\xe2\x80\xa8z\xc2\x85"
		 "\xe2\x81\xa6q",
		 "a\xef\xbf\xbd""802 USD\xef\xbf\xbdz\xef\xbf\xbd\xef\xbf\xbdq"},
		{report_md_text, "a\xe2\x80\xae""802 USD\xe2\x80\xa8z\xc2\x85"
		 "\xe2\x81\xa6q\xe2\x80\x94",
		 "a 802 USD z  q\xe2\x80\x94"},
		{report_gnuplot_str, "it's\nset output", "'it''s set output'"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct util_buf b;

		util_buf_init(&b);
		cases[i].fn(&b, cases[i].in);
		assert_string_equal(util_buf_str(&b), cases[i].want);
		util_buf_release(&b);
	}
}

/* Buying 16 H200 or renting them in the cloud for 3 years, with a
 * hostile name and description; the work may wait for the purchase's
 * lead time (a deadline: without one each month's share is due in its
 * month, and the first months have no H200 yet). */
static const char be_text[] =
	"scenario: \"<script>alert(1)</script>\"\n"
	"description: \"a | b & <i>c</i> @team\"\n"
	"horizon: 3y\nperiod: month\n"
	"venues:\n  allow: [onprem, cloud]\n"
	"  onprem: {buy: {H200: {max: 16}}}\n"
	"workloads:\n  - name: r\n    kind: research\n    max_wait: 1d\n"
	"    deadline: 3y\n    gpu_hours: 60000 H200\n";

struct fixture {
	struct model_scenario s;
	struct advise_loop_opts o;
	struct advise_compare c;
	struct advise_sensitivity sens;
	struct report r;
};

static int load_be(void *arg, struct model_scenario *s)
{
	(void)arg;
	load_scenario(be_text, s);
	return 0;
}

static void run(struct fixture *f)
{
	struct util_err err;

	load_scenario(be_text, &f->s);
	advise_loop_defaults(&f->o);
	f->o.sim.replications = 4;
	f->o.sim.jobs = 2;
	assert_int_equal(advise_compare(&f->s, &f->o, &f->c, &err), 0);
	advise_sensitivity(&f->s, 0.2, 1, NULL, load_be, NULL, &f->sens);
	report_init(&f->r, &f->c, &f->o, &f->sens, "my scenario.yaml");
}

static void done(struct fixture *f)
{
	report_release(&f->r);
	advise_compare_release(&f->c);
	model_scenario_release(&f->s);
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (s = strstr(s, what); s; s = strstr(s + 1, what))
		n++;
	return n;
}

/* Every section, each figure inlined without its XML prolog or said
 * missing with its reason, the hostile texts escaped. */
static void test_html(void **state)
{
	static const char *const sections[] = {
		"Verdict", "Options", "Cost over time", "Cost breakdown",
		"Waits and latencies against the targets", "Owned pools",
		"Sensitivity", "Ruled out, and why", "Assumptions", "Deploy"};
	const char *svg[REPORT_NFIGS] = {
		"<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg id=\"a\"></svg>\n",
		NULL, "<svg id=\"c\"></svg>\n", "<svg id=\"d\"></svg>\n"};
	const char *why[REPORT_NFIGS] = {NULL, "gnuplot < 5", NULL, NULL};
	struct fixture f;
	struct util_buf b, again;
	const char *h;

	(void)state;
	run(&f);
	util_buf_init(&b);
	util_buf_init(&again);
	report_html(&f.r, svg, why, &b);
	report_html(&f.r, svg, why, &again);
	h = util_buf_str(&b);
	assert_string_equal(h, util_buf_str(&again));
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(sections); i++) {
		char want[96];

		snprintf(want, sizeof(want), "<h2>%s</h2>", sections[i]);
		assert_non_null(strstr(h, want));
	}
	assert_non_null(strstr(h, "<h2>Sensitivity</h2>\n<p>What moves"));
	assert_non_null(strstr(h, "<figure>\n<svg id=\"d\"></svg>"));
	assert_null(strstr(h, "<?xml"));
	assert_null(strstr(h, "DOCTYPE svg"));
	assert_non_null(strstr(h, "<figure>\n<svg id=\"a\"></svg>"));
	assert_non_null(strstr(h, "Not drawn: gnuplot &lt; 5."));
	/* no inference workload: the latency figure is not there, and the
	 * page says why */
	assert_null(strstr(h, "<svg id=\"c\">"));
	assert_non_null(strstr(h, "Not drawn: the scenario has no inference "
				  "workload"));
	assert_null(strstr(h, "<script"));
	assert_null(strstr(h, "<i>"));
	assert_int_equal(count(h, "&lt;script&gt;alert(1)&lt;/script&gt;"), 2);
	assert_non_null(strstr(h, "<p>a | b &amp; &lt;i&gt;c&lt;/i&gt; @team</p>"));
	assert_non_null(strstr(h, "default-src 'none'"));
	assert_non_null(strstr(h, "name=\"viewport\""));
	assert_non_null(strstr(h, "@media print"));
	/* the path is one shell word in the commands */
	assert_non_null(strstr(h, "gpuplan emit &#39;my scenario.yaml&#39; "
				  "--plan plan.json --to json"));
	util_buf_release(&again);
	util_buf_release(&b);
	done(&f);
}

/* Buying pays I up front, then its upkeep and energy as the work falls;
 * renting pays as the work falls. Buying has cost no more from the first
 * month whose running totals, summed by hand from each plan's money per
 * month, say so; those months add up to compare's own figures (initial
 * cost and recurring cost per month). The work ends early on the pool
 * (the closed loop's finish_early), so its months are not all alike and
 * I / (M_r - M_b) is only near the answer. */
static double sum_to(const struct model_plan *p, double *cash, size_t t)
{
	double sum = 0;

	model_plan_period_costs(p, cash);
	for (size_t k = 0; k <= t; k++)
		sum += cash[k];
	return sum;
}

static void test_break_even(void **state)
{
	struct fixture f;
	const struct advise_column *buy, *rent;
	double months = 0, *cash;
	size_t n;
	char want[64];

	(void)state;
	run(&f);
	buy = &f.c.col[PRICING_ONPREM];
	rent = &f.c.col[PRICING_CLOUD];
	assert_true(buy->feasible && rent->feasible);
	assert_true(rent->monthly_cost > buy->monthly_cost);
	n = buy->r.plan.nperiods;
	assert_int_equal(rent->r.plan.nperiods, n);
	cash = util_xcalloc(n, sizeof(*cash));
	assert_near(sum_to(&buy->r.plan, cash, n - 1),
		    buy->initial_cost + buy->monthly_cost * (double)n, 1e-6);
	assert_near(sum_to(&rent->r.plan, cash, n - 1),
		    rent->monthly_cost * (double)n, 1e-6);
	for (size_t t = 0; t < n && months == 0; t++)
		if (sum_to(&buy->r.plan, cash, t) <=
		    sum_to(&rent->r.plan, cash, t))
			months = (double)(t + 1);
	free(cash);
	assert_true(months >= ceil(buy->initial_cost / (rent->monthly_cost -
							buy->monthly_cost)));
	snprintf(want, sizeof(want), "break-even in month %.0f:", months);
	assert_non_null(strstr(f.r.break_even, want));
	assert_near(f.r.fig[REPORT_FIG_COST_TIME].p.mark_x, months, 0);
	/* one line per option with a plan: cloud, onprem, hybrid */
	assert_int_equal(f.r.fig[REPORT_FIG_COST_TIME].p.nseries, 3);
	assert_int_equal(f.r.fig[REPORT_FIG_BREAKDOWN].p.ncategories, 3);
	/* the tornado: onprem prices, cloud prices, r's size, largest first,
	 * around the plan's own cost */
	assert_int_equal(f.r.fig[REPORT_FIG_TORNADO].p.ncategories, f.sens.n);
	assert_true(f.sens.n >= 2);
	assert_near(f.r.fig[REPORT_FIG_TORNADO].p.mark_x, f.sens.base, 0);
	assert_true(advise_swing(&f.sens.v[0]) >= advise_swing(&f.sens.v[1]));
	assert_true(f.sens.v[0].cost[0] < f.sens.base &&
		    f.sens.base < f.sens.v[0].cost[1]);
	/* no inference workload: no latency figure, and the reason */
	assert_non_null(f.r.fig[REPORT_FIG_LATENCY].missing);
	done(&f);
}

/* Markdown: the same report, the inputs' text unable to become markup,
 * break a table or mention anyone. */
static void test_markdown(void **state)
{
	struct fixture f;
	struct util_buf b;
	const char *m;

	(void)state;
	run(&f);
	util_buf_init(&b);
	report_markdown(&f.r, &b);
	m = util_buf_str(&b);
	assert_true(!strncmp(m, "# &lt;script&gt;alert(1)&lt;/script&gt;: ",
			     40));
	assert_non_null(strstr(m, "\na \\| b &amp; &lt;i&gt;c&lt;/i&gt; \\@team\n"));
	assert_non_null(strstr(m, "## Verdict\n\n**onprem at "));
	assert_non_null(strstr(m, "| option | status | upfront |"));
	assert_non_null(strstr(m, "```sh\ngpuplan plan 'my scenario.yaml' "
				  "--family onprem --format json > plan.json\n"));
	assert_null(strstr(m, "<script"));
	util_buf_release(&b);
	done(&f);
}

/* The purchases of the owned pools: the cash paid at the order (the
 * devices at the catalog's full price, as the cost-over-time figure
 * counts it) beside the capex net of residual value the total counts;
 * they differ, since the H200 outlive the 3-year horizon. */
static void test_purchase_cash(void **state)
{
	struct fixture f;
	struct util_buf b;
	const struct model_plan *p;
	const struct model_plan_purchase *k;
	char want[160];

	(void)state;
	run(&f);
	p = &f.c.col[f.r.chosen].r.plan;
	assert_true(p->nbuy >= 1);
	k = &p->buy[0];
	assert_true(k->offer->term[PRICING_CAPEX] > 0);
	assert_near(model_plan_purchase_cash(p, 0),
		    (double)k->count * k->offer->term[PRICING_CAPEX], 1e-6);
	assert_true(k->capex < model_plan_purchase_cash(p, 0) - 1);
	util_buf_init(&b);
	report_markdown(&f.r, &b);
	assert_non_null(strstr(util_buf_str(&b),
			       "| bought | offer | devices | paid at the order "
			       "| in the total (net of residual value) |"));
	/* at the embedded catalog's 38,750 USD per H200 (ESTIMATE): the
	 * full price, in thousands and units */
	assert_near(k->offer->term[PRICING_CAPEX], 38750, 1e-9);
	snprintf(want, sizeof(want), "| H200 | %s | %ld | %ld,%03ld USD | ",
		 k->offer->id, k->count, k->count * 38750 / 1000,
		 k->count * 38750 % 1000);
	assert_non_null(strstr(util_buf_str(&b), want));
	util_buf_release(&b);
	done(&f);
}

/* A plan that costs nothing (an academic allocation carries it all)
 * has no percentage change: the sensitivity table says "-", not
 * "-nan%" (phd-research's report before the closed loop). */
static void test_sensitivity_free(void **state)
{
	struct fixture f;
	struct util_buf b;
	const char *m;

	(void)state;
	run(&f);
	report_release(&f.r);
	f.sens.base = 0;
	for (size_t i = 0; i < f.sens.n; i++)
		f.sens.v[i].cost[0] = f.sens.v[i].cost[1] = 0;
	assert_true(f.sens.n > 0);
	report_init(&f.r, &f.c, &f.o, &f.sens, "my scenario.yaml");
	util_buf_init(&b);
	report_markdown(&f.r, &b);
	m = util_buf_str(&b);
	assert_null(strstr(m, "nan%"));
	assert_non_null(strstr(m, "| 0.00 USD | - | 0.00 USD | - |"));
	util_buf_release(&b);
	done(&f);
}

/* The report of text's comparison in f, with reps replications and no
 * sensitivity. */
static void compare_text(struct fixture *f, const char *text, int reps)
{
	struct util_err err;

	load_scenario(text, &f->s);
	advise_loop_defaults(&f->o);
	f->o.sim.replications = reps;
	assert_int_equal(advise_compare(&f->s, &f->o, &f->c, &err), 0);
	report_init(&f->r, &f->c, &f->o, NULL, "t.yaml");
}

/* 40 Orin Nanos at 249 USD with a five-year life, against a central
 * GPU-as-a-service L4, over two years: the boards' cash (9,960 at once)
 * never falls below the rent, yet their total is lower, since they keep
 * three fifths of their value, 5,976 USD; the break-even says both. */
static void test_break_even_residual(void **state)
{
	static const char text[] =
		"scenario: t\nhorizon: 2y\nperiod: month\n"
		"venues:\n  allow: [edge, gpuaas]\n"
		"workloads:\n  - name: cams\n    kind: inference\n"
		"    model: {compute: 8.7GFLOP, params: 11M, precision: int8}\n"
		"    sites: 40\n    rate: 30/s\n    latency_p99: 50ms\n"
		"    placement: edge-or-central\n";
	struct fixture f;

	(void)state;
	compare_text(&f, text, 2);
	assert_near(f.c.col[PRICING_EDGE].initial_cost, 40 * 249, 1e-6);
	assert_true(f.c.col[PRICING_EDGE].total_cost <
		    f.c.col[PRICING_GPUAAS].total_cost);
	assert_non_null(strstr(f.r.break_even, "no break-even within the "
					       "horizon: buying (edge)"));
	assert_non_null(strstr(f.r.break_even, "buying costs less over the "
					       "horizon"));
	assert_non_null(strstr(f.r.break_even, "5,976 USD of residual "
					       "value"));
	done(&f);
}

/* An inference workload's CDF and its p99 target, a vertical line at
 * the target in ms (a series, so that the axis reaches it). */
static void test_latency_target(void **state)
{
	static const char text[] =
		"scenario: t\nhorizon: 1y\nperiod: month\n"
		"venues:\n  allow: [cloud]\n"
		"workloads:\n  - name: cams\n    kind: inference\n"
		"    model: {compute: 8.7GFLOP, params: 11M, precision: int8}\n"
		"    sites: 2\n    rate: 15/s\n    latency_p99: 50ms\n";
	struct fixture f;
	const struct report_fig *g;

	(void)state;
	compare_text(&f, text, 4);
	g = &f.r.fig[REPORT_FIG_LATENCY];
	assert_null(g->missing);
	assert_int_equal(g->p.nseries, 2);
	assert_string_equal(g->p.series[0].title, "cams");
	assert_string_equal(g->p.series[1].title, "p99 target, 50 ms");
	assert_near(g->p.series[1].x[0], 50, 1e-12);
	assert_near(g->p.series[1].x[1], 50, 1e-12);
	assert_string_equal(f.r.fig[REPORT_FIG_TORNADO].missing,
			    "the sensitivity was not computed");
	/* the CDF climbs from its first quantile to its last */
	assert_true(g->p.series[0].y[0] < g->p.series[0].y[198]);
	done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_break_even),
		cmocka_unit_test(test_purchase_cash),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_sensitivity_free),
		cmocka_unit_test(test_latency_target),
		cmocka_unit_test(test_break_even_residual),
	};

	return cmocka_run_group_tests(tests, setup_default_catalog,
				      teardown_catalog);
}
