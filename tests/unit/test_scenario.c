/* The scenario loader: values and defaults of a good scenario, and the
 * errors (with positions) of bad ones. */
#include <math.h>
#include <string.h>

#include "test_model.h"

static const char good[] =
	"scenario: dept\n"
	"horizon: 3y\n"
	"period: week\n"
	"constraints:\n"
	"  budget: 400k\n"
	"  sovereign: [ft]\n"
	"venues:\n"
	"  allow: [cloud, onprem, academic]\n"
	"  onprem:\n"
	"    owned: {l40s: 8}\n"
	"    buy: {H200: {max: 16, lead_time: 12w}}\n"
	"    electricity: 0.18/kWh\n"
	"    pue: 1.4\n"
	"    link: 30Gb/s\n"
	"  academic: {allocation: 40 RGU-years}\n"
	"workloads:\n"
	"  - name: course\n"
	"    kind: teaching\n"
	"    students: 120\n"
	"    sessions: {per_week: 2, duration: 3h, weeks: 12}\n"
	"    per_student: {gpu_memory: 16GB, compute: 0.25 L40S}\n"
	"    between_sessions: {days: 5, usage: 10%}\n"
	"    start_within: 5min\n"
	"  - name: phd\n"
	"    kind: research\n"
	"    gpu_hours: 20000 A100\n"
	"    dataset: 2TB\n"
	"    deadline: 6w\n"
	"  - name: ft\n"
	"    kind: finetune\n"
	"    model: {params: 8B, method: qlora, seq_len: 4096}\n"
	"    tokens: 50M\n"
	"    runs: 4/month\n"
	"  - name: cams\n"
	"    kind: inference\n"
	"    model: {compute: 8.7GFLOP, params: 11M, precision: int8}\n"
	"    sites: 40\n"
	"    rate: 30/s\n"
	"    latency_p99: 50ms\n"
	"    placement: edge-or-central\n";

static int load(struct model_scenario *s, const char *text,
		struct util_diags *d)
{
	util_diags_init(d);
	return model_scenario_load_buffer(s, "t.yaml", text, strlen(text),
					  &catalog, d);
}

static void test_good(void **state)
{
	struct model_scenario s;
	struct util_diags d;
	const struct model_workload *w;

	(void)state;
	assert_int_equal(load(&s, good, &d), 0);
	assert_int_equal(d.n, 0);
	assert_string_equal(s.name, "dept");
	assert_near(s.horizon, 3 * MODEL_YEAR, 1e-12);
	assert_int_equal(s.period, MODEL_PERIOD_WEEK);
	assert_string_equal(s.currency, "USD");
	assert_near(s.constraints.budget, 400e3, 1e-12);
	assert_true(s.constraints.spend_cap < 0);
	assert_int_equal(s.venues.allow, (1u << PRICING_CLOUD) |
						 (1u << PRICING_ONPREM) |
						 (1u << PRICING_ACADEMIC));
	assert_int_equal(s.venues.nowned, 1);
	assert_string_equal(s.venues.owned[0].accel, "L40S");
	assert_near(s.venues.buy[0].lead_time, 12 * MODEL_WEEK, 1e-12);
	assert_near(s.venues.link, 30e9 / 8, 1e-12);
	assert_near(s.venues.rgu_years, 40, 1e-12);
	assert_int_equal(s.nworkloads, 4);
	w = model_scenario_find(&s, "course");
	assert_non_null(w);
	assert_near(w->teaching.compute.amount, 0.25, 1e-12);
	assert_near(w->teaching.between_usage, 0.10, 1e-12);
	assert_near(w->teaching.start_within, 300, 1e-12);
	w = model_scenario_find(&s, "phd");
	assert_int_equal(w->research.profile, MODEL_PHD); /* default */
	assert_string_equal(w->research.gpu_hours.accel, "A100-40GB");
	assert_near(w->research.gpu_hours.amount, 20000, 1e-12);
	assert_false(w->sovereign);
	w = model_scenario_find(&s, "ft");
	assert_true(w->sovereign);
	assert_int_equal(w->finetune.method, MODEL_QLORA);
	assert_int_equal(w->finetune.precision, PRICING_BF16); /* default */
	assert_near(w->finetune.epochs, 1, 0);
	w = model_scenario_find(&s, "cams");
	assert_int_equal(w->inference.precision, PRICING_INT8);
	assert_near(w->inference.hours_per_day, 24, 0);
	model_scenario_release(&s);
	util_diags_release(&d);
}

struct bad {
	const char *text;
	int line, col;
	const char *msg;
};

#define HEAD "scenario: x\nworkloads:\n"
#define TEACH "  - name: c\n    kind: teaching\n"
#define RES "  - name: r\n    kind: research\n    gpu_hours: 10 H100\n"

static const struct bad bads[] = {
	{"", 1, 1, "empty document"},
	{"- a\n", 1, 1, "must be a mapping"},
	{"scenario: x\n", 1, 1, "missing required key 'workloads'"},
	{"scenario: x\nworkloads: []\n", 2, 12, "'workloads' is empty"},
	{"scenaro: x\nworkloads: []\n", 1, 1,
	 "unknown key 'scenaro' in the scenario (did you mean 'scenario'?)"},
	{HEAD "  - name: a\n    kind: teching\n", 4, 11,
	 "unknown kind 'teching' in workload 'a' (did you mean 'teaching'?)"},
	{HEAD "  - name: a b\n    kind: research\n    gpu_hours: 1 H100\n", 3,
	 11, "workload name 'a b' must start"},
	{HEAD TEACH "    students: 10\n    sessions: {per_week: 2, duration: "
		    "16GB, weeks: 3}\n    per_student: {gpu_memory: 1GB}\n",
	 6, 39, "expected a duration"},
	{HEAD "  - name: r\n    kind: research\n    gpu_hours: 100 H10\n", 5,
	 16, "unknown accelerator 'H10' (did you mean 'H100'?)"},
	{HEAD "  - name: r\n    kind: research\n    students: 3\n"
	      "    gpu_hours: 1 H100\n",
	 5, 5, "'students' applies to teaching workloads"},
	{HEAD "  - name: r\n    kind: research\n    gpu_hours: 1 H100\n"
	      "    jobs: {count: 2, hours: 3 H100}\n",
	 6, 11, "either 'gpu_hours' or 'jobs'"},
	{HEAD "  - name: r\n    kind: research\n    gpu_hours: 1 H100\n"
	      "  - name: r\n    kind: research\n    gpu_hours: 1 H100\n",
	 6, 11, "duplicate workload name 'r' (first at line 3)"},
	{"scenario: x\nconstraints: {sovereign: [rr]}\nworkloads:\n"
	 "  - name: r\n    kind: research\n    gpu_hours: 1 H100\n",
	 2, 27, "names workload 'rr', which does not exist (did you mean 'r'?)"},
	{"scenario: x\nscenario: y\nworkloads: []\n", 2, 1,
	 "duplicate key 'scenario' in the scenario (first at line 1)"},
	{"scenario: x\nhorizon: 40y\nworkloads: []\n", 2, 10,
	 "longer than 30 years"},
	{"scenario: x\ncurrency: JPY\nworkloads: []\n", 2, 11,
	 "no exchange rate from the catalog's 'USD' to 'JPY'"},
	{"scenario: x\ncurrency: usdd\nworkloads: []\n", 2, 11,
	 "unknown currency 'usdd': an ISO 4217 code (did you mean 'USD'?)"},
	{"scenario: x\ncurrency: CAD\nfx: {USD: 0}\nworkloads: []\n", 3, 11,
	 "the rate of 'USD' in 'fx' must be above 0, got 0"},
	{"scenario: x\ncurrency: CAD\nfx: {USD: -1.4}\nworkloads: []\n", 3,
	 11, "the rate of 'USD' in 'fx' must be above 0, got -1.4"},
	{"scenario: x\nvenues: {allow: [clod]}\nworkloads: []\n", 2, 18,
	 "unknown venue family 'clod' in 'venues.allow' (did you mean "
	 "'cloud'?)"},
	{"scenario: x\nvenues: {academic: {allocation: 40}}\nworkloads: []\n",
	 2, 33, "e.g. '40 RGU-years'"},
	{"scenario: x\nvenues:\n  onprem:\n    buy: {H200: {min: 5, max: 4}}\n"
	 "workloads: []\n",
	 4, 23, "'venues.onprem.buy.H200.min' (5) is more than its max (4)"},
	{"scenario: x\nworkloads: []\nstrategies:\n  - name: a\n  - name: a\n",
	 5, 5, "duplicate strategy name 'a' (first at line 4)"},
	{"scenario: x\nworkloads: []\nstrategies:\n  - {name: a, set: [x]}\n",
	 4, 21, "'set' item is PATH=VALUE"},
	{"scenario: x\nentities:\n  - name: risk\nworkloads:\n"
	 "  - {name: r, kind: research, gpu_hours: 1 H100, entity: rsk}\n",
	 5, 58, "workload 'r': entity 'rsk' is not declared in 'entities' "
	 "(did you mean 'risk'?)"},
	{"scenario: x\nentities:\n  - name: risk\nworkloads:\n"
	 "  - {name: r, kind: research, gpu_hours: 1 H100}\n",
	 5, 5, "workload 'r' names no 'entity'"},
	{"scenario: x\nworkloads:\n"
	 "  - {name: r, kind: research, gpu_hours: 1 H100, entity: a}\n",
	 3, 58, "entity 'a' is not declared (the scenario has no 'entities'"},
	{"scenario: x\nentities:\n  - name: a\n  - name: a\n"
	 "workloads: []\n",
	 4, 11, "duplicate entity name 'a' (first at line 3)"},
	{"scenario: x\nentities:\n  - name: 'a/b'\nworkloads: []\n", 3, 11,
	 "entity name 'a/b' must start with a letter or digit"},
	{"scenario: x\nentities:\n  - {name: a, budget: 10k EUR}\n"
	 "workloads: []\n",
	 3, 23, "'budget' in entity 'a' is in EUR, but the scenario's "
	 "currency is USD"},
	{"scenario: x\nentities:\n  - {name: a, weight: 0}\n"
	 "workloads: []\n",
	 3, 23, "weight"},
	{"scenario: x\nentities:\n  - {name: a, flavors: [H2000]}\n"
	 "workloads: []\n",
	 3, 25, "unknown accelerator 'H2000'"},
	{"scenario: x\nentities:\n  - {name: a, quota: 1}\nworkloads: []\n",
	 3, 15, "unknown key 'quota' in entity 'a'"},
	{"scenario: x\nentities: {a: 1}\nworkloads: []\n", 2, 11,
	 "'entities' must be a list"},
	/* demand over time (issue 25) */
	{HEAD RES "    monthly: [1, 2, 3]\n", 6, 14,
	 "'monthly' in workload 'r' must be a list of 12 weights"},
	/* one weight per month of a horizon longer than a year: only
	 * as many as it has months */
	{"scenario: x\nhorizon: 13mo\nworkloads:\n" RES
	 "    monthly: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n", 7, 14,
	 "(e.g. [1, 1, 2, ...]), or of 13, one for each month of the "
	 "horizon, got 14"},
	{HEAD RES "    monthly: busy\n", 6, 14,
	 "must be a list of 12 weights, one per month from the start of the "
	 "horizon (e.g. [1, 1, 2, ...]), got 'busy'"},
	{HEAD RES "    monthly: [1, 1, 1, 1, 1, -2, 1, 1, 1, 1, 1, 1]\n", 6,
	 30, "month 6 of 'monthly' in workload 'r': expected a weight"},
	{HEAD RES "    monthly: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1h]\n", 6,
	 48, "month 12 of 'monthly' in workload 'r'"},
	{HEAD RES "    monthly: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n", 6,
	 14, "every weight is 0"},
	{HEAD RES "    growth: 5%\n", 6, 13,
	 "'growth' in workload 'r': expected a rate per month or per year, "
	 "e.g. '5%/month'"},
	{HEAD RES "    growth: 5%/week\n", 6, 13,
	 "unknown period 'week' (expected '/month' or '/year')"},
	{HEAD RES "    growth: lots/month\n", 6, 13, "'growth' in workload 'r'"},
	{HEAD RES "    growth: -100%/month\n", 6, 13, "must be above -100%"},
	{HEAD RES "    flexible: 3GB\n", 6, 15, "expected a duration"},
	{HEAD TEACH "    students: 10\n    monthly: [1]\n", 6, 5,
	 "'monthly' applies to research workloads"},
	{HEAD "  - name: r\n    kind: research\n    profile: applied\n"
	      "    compute_per_item: 1GFLOP\n    stream: 10/s\n"
	      "    growth: 1%/month\n", 3, 5, "not a 'stream'"},
	{"scenario: x\nvenues:\n  onprem:\n    buy: {H200: {max: 12, unit: 8}}\n"
	 "workloads: []\n",
	 4, 23, "(12) is not a whole number of units of 8 devices (a server): "
		"make it 8 or 16"},
	{HEAD "  - {name: r, kind: research, gpu_hours: 1 H100, "
	      "residency: [CA, UK]}\n",
	 3, 66, "'UK' is not an ISO 3166-1 alpha-2 country code (such as CA, "
		"FR or US, or EU for its member states) (did you mean 'GB'?)"},
	{HEAD "  - {name: r, kind: research, gpu_hours: 1 H100, "
	      "residency: []}\n",
	 3, 61, "'residency' of workload 'r' is empty"},
	{"scenario: x\nconstraints: {residency: {rr: FR}}\nworkloads:\n"
	 "  - {name: r, kind: research, gpu_hours: 1 H100}\n",
	 2, 27, "'constraints.residency' names workload 'rr', which does not "
		"exist (did you mean 'r'?)"},
	{"scenario: x\ncountry: EU\nworkloads: []\n", 2, 10,
	 "'country': 'EU' is not an ISO 3166-1 alpha-2 country code"},
	{"scenario: x\ncatalog: {offers: [{id: o, family: cloud, provider: p, "
	 "country: XX, accelerator: H100, price_hour: 1, source: t, "
	 "as_of: 2026-01-01}]}\nworkloads: []\n",
	 2, 65, "'country' of offer 'o' must be an ISO 3166-1 alpha-2 code"},
	{HEAD TEACH "    students: 9\n    sessions: {per_week: 1, duration: 1h, "
		    "weeks: 10}\n    per_student: {gpu_memory: 1GB}\n"
		    "    every: 4w\n",
	 8, 12, "'every' of workload 'c' is shorter than its 10 weeks"},
	{HEAD TEACH "    students: 9\n    sessions: {per_week: 1, duration: 1h, "
		    "weeks: 10}\n    per_student: {gpu_memory: 1GB}\n"
		    "    every: year\n    starts: [Jan, Sept]\n",
	 9, 19, "'Sept' is not a month (Jan to Dec) (did you mean 'Sep'?)"},
	{HEAD TEACH "    students: 9\n    sessions: {per_week: 1, duration: 1h, "
		    "weeks: 10}\n    per_student: {gpu_memory: 1GB}\n"
		    "    every: 20w\n    starts: [Jan]\n",
	 9, 13, "'starts' of workload 'c' names months"},
	{"scenario: x\nhorizon: 6mo\nworkloads:\n" TEACH
	 "    students: 9\n    sessions: {per_week: 1, duration: 1h, "
	 "weeks: 10}\n    per_student: {gpu_memory: 1GB}\n"
	 "    every: year\n",
	 4, 5, "no occurrence of recurring workload 'c' fits in the horizon"},
	{HEAD "  - {name: r, kind: research, gpu_hours: 1 H100 per year, "
	      "deadline: 6mo}\n",
	 3, 69, "a yearly rate ends each year's work with its year"},
	/* the shape of research jobs (issue 19) */
	{HEAD RES "    job_sizes: {1: 0.5, 0: 0.5}\n", 6, 25,
	 "'job_sizes' in workload 'r': '0' is not a number of GPUs per job"},
	{HEAD RES "    job_sizes: {1: 0.5, 2x: 0.5}\n", 6, 25,
	 "'2x' is not a number of GPUs per job"},
	{HEAD RES "    job_sizes: {1: 0.5, 2: -1}\n", 6, 28,
	 "a share of 'job_sizes' in workload 'r': expected a weight"},
	{HEAD RES "    job_sizes: {1: 0, 2: 0}\n", 6, 16, "every share is 0"},
	{HEAD RES "    job_sizes: {1: 1e308, 2: 1e308}\n", 6, 16,
	 "the weights add up past what a number holds"},
	{HEAD RES "    job_lengths: {p50: 1h, p90: 300h}\n", 6, 33,
	 "is more than 100 times its 'p50' without a 'max'"},
	{HEAD RES "    job_sizes: {1: 1, 01: 1}\n", 6, 23,
	 "'job_sizes' in workload 'r': 1 GPUs given twice"},
	{HEAD RES "    job_sizes: [1, 2]\n", 6, 16, "workload 'r'"},
	{HEAD RES "    job_lengths: {p90: 3h}\n", 6, 18, "p50"},
	{HEAD RES "    job_lengths: {p50: 3}\n", 6, 24,
	 "'p50' in 'job_lengths' of workload 'r': expected a duration"},
	{HEAD RES "    job_lengths: {p50: 3h, p90: 1h}\n", 6, 33,
	 "'p90' in 'job_lengths' of workload 'r' is below its 'p50'"},
	{HEAD RES "    job_lengths: {p50: 3h, p90: 5h, max: 4h}\n", 6, 42,
	 "is below its 'p90'"},
	{HEAD RES "    job_lengths: {p50: 3h, p95: 5h}\n", 6, 28,
	 "unknown key 'p95'"},
	{HEAD RES "    length_cv: 1\n    job_lengths: {p50: 3h}\n", 7, 18,
	 "give 'job_lengths' or 'length_cv', not both"},
	{HEAD RES "    weekly: [1, 2, 3]\n", 6, 13,
	 "'weekly' in workload 'r' must be a list of 168 weights, got 3"},
	{HEAD RES "    weekly: {mon: [1, 2]}\n", 6, 19,
	 "'mon' in 'weekly' of workload 'r' must be a list of 24 weights, "
	 "got 2"},
	{HEAD RES "    weekly: {mon: [0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, "
		  "0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}\n",
	 6, 47, "hour 9 of 'mon' in 'weekly' of workload 'r': expected a "
	 "weight"},
	{HEAD RES "    weekly: {monday: [1]}\n", 6, 14,
	 "unknown key 'monday'"},
	{HEAD RES "    weekly: {sun: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "
		  "0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}\n",
	 6, 13, "'weekly' in workload 'r': every weight is 0"},
	{HEAD RES "    weekly: busy\n", 6, 13,
	 "'weekly' in workload 'r' must be a list of 168 weights"},
	{HEAD RES "    submission: burst\n    weekly: {mon: [1, 1, 1, 1, 1, 1, "
		  "1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}\n",
	 7, 13, "it cannot go with 'submission: burst'"},
	{HEAD RES "    arrays: {share: 1.5, tasks: 10}\n", 6, 21,
	 "'share' in 'arrays' of workload 'r' must be between 0 and 1"},
	{HEAD RES "    arrays: {share: 0.5, tasks: 1}\n", 6, 33,
	 "'tasks' in 'arrays' of workload 'r' must be between 2 and 1000000"},
	{HEAD RES "    arrays: {share: 0.5}\n", 6, 13, "tasks"},
	{HEAD TEACH "    students: 10\n    weekly: [1]\n", 6, 5,
	 "'weekly' applies to research workloads"},
	{"a: [\n", 2, 1, "YAML syntax error"},
	{"scenario: x\nvenues:\n  onprem:\n    hosting: {kind: colo}\n"
	 "workloads: []\n",
	 4, 21, "(did you mean 'colocation'?)"},
	{"scenario: x\nvenues:\n  onprem:\n    hosting: {kind: colocation, "
	 "fee: 450/month}\nworkloads: []\n",
	 4, 38, "expected money per time per kW"},
	{"scenario: x\nvenues:\n  onprem:\n    hosting: {kind: on-site, "
	 "fee: 450/month per kW}\nworkloads: []\n",
	 4, 35, "a colocation fee, but kind is on-site"},
	{"scenario: x\nvenues:\n  onprem:\n    hosting: {kind: colocation, "
	 "fee: -4/month per kW}\nworkloads: []\n",
	 4, 38, "'fee' in"},
	{"a: 1\n---\nb: 2\n", 2, 1, "several YAML documents"},
	{"a: \xff\n", 1, 4, "invalid UTF-8"},
	{"a: *x\n", 1, 4, "YAML syntax error"},
};

static void test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		const struct bad *b = &bads[i];
		struct model_scenario s;
		struct util_diags d;
		bool found = false;

		assert_int_equal(load(&s, b->text, &d), UTIL_E_INPUT);
		for (size_t k = 0; k < d.n; k++)
			if (strstr(d.v[k].msg, b->msg) &&
			    d.v[k].line == b->line && d.v[k].col == b->col)
				found = true;
		if (!found) {
			for (size_t k = 0; k < d.n; k++)
				print_error("  got %d:%d: %s\n", d.v[k].line,
					    d.v[k].col, d.v[k].msg);
			fail_msg("case %zu: no '%s' at %d:%d", i, b->msg,
				 b->line, b->col);
		}
		model_scenario_release(&s);
		util_diags_release(&d);
	}
}

/* All the errors of a file, not only the first. */
static void test_all_errors(void **state)
{
	static const char text[] =
		"scenario: x\nhorizon: 3 parsecs\nperiod: fortnight\n"
		"workloads:\n"
		"  - name: a\n    kind: research\n    gpu_hours: 1 H10\n"
		"  - name: b\n    kind: finetune\n    model: {params: -8B, "
		"method: lora, seq_len: 4096}\n    tokens: 50GB\n"
		"    runs: 4/month\n";
	struct model_scenario s;
	struct util_diags d;

	(void)state;
	assert_int_equal(load(&s, text, &d), UTIL_E_INPUT);
	assert_int_equal(d.nerrors, 5);
	model_scenario_release(&s);
	util_diags_release(&d);
}

/* A billion-laughs file is refused by counting, not by expanding. */
static void test_alias_bomb(void **state)
{
	struct util_buf b;
	struct model_scenario s;
	struct util_diags d;

	(void)state;
	util_buf_init(&b);
	util_buf_puts(&b, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
	for (int i = 1; i < 12; i++)
		util_buf_printf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, "
				"*a%d, *a%d, *a%d, *a%d, *a%d]\n",
				i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
				i - 1, i - 1, i - 1, i - 1);
	assert_int_equal(load(&s, b.s, &d), UTIL_E_INPUT);
	assert_non_null(strstr(d.v[0].msg, "once aliases are expanded"));
	model_scenario_release(&s);
	util_diags_release(&d);
	util_buf_release(&b);
}

static void test_deep_nesting(void **state)
{
	struct util_buf b;
	struct model_scenario s;
	struct util_diags d;

	(void)state;
	util_buf_init(&b);
	for (int i = 0; i < 100000; i++)
		util_buf_puts(&b, "[");
	assert_int_equal(load(&s, b.s, &d), UTIL_E_INPUT);
	assert_non_null(strstr(d.v[0].msg, "nesting deeper than 64"));
	model_scenario_release(&s);
	util_diags_release(&d);
	util_buf_release(&b);
}

/* A scenario in CAD on the embedded catalog (USD): every price is the
 * catalog's times the rate, from fx: or, without it, the embedded table;
 * "cad" is read as CAD. */
static void test_fx(void **state)
{
	static const struct {
		const char *head;
		double rate;
	} cases[] = {
		{"currency: cad\nfx: {usd: 1.5}\n", 1.5},
		{"currency: CAD\n", -1},
		{"currency: USD\n", 1},
	};

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(cases); i++) {
		char *text = util_xasprintf("scenario: x\n%sworkloads:\n"
					    "  - {name: r, kind: research, "
					    "gpu_hours: 1 H100}\n",
					    cases[i].head);
		double rate = cases[i].rate > 0
				      ? cases[i].rate
				      : model_fx_default("USD", "CAD");
		struct model_scenario s;
		struct util_diags d;

		assert_int_equal(load(&s, text, &d), 0);
		assert_true(i == 2 || (rate > 1.2 && rate < 1.6));
		assert_string_equal(s.currency, i < 2 ? "CAD" : "USD");
		assert_string_equal(s.catalog.currency, s.currency);
		for (size_t k = 0; k < catalog.noffers; k++) {
			double p = catalog.offers[k].term[PRICING_PRICE_HOUR];
			double c = catalog.offers[k].term[PRICING_CAPEX];

			assert_near(s.catalog.offers[k].term[PRICING_PRICE_HOUR],
				    p >= 0 ? p * rate : p, 1e-9 * fabs(p));
			assert_near(s.catalog.offers[k].term[PRICING_CAPEX],
				    c >= 0 ? c * rate : c, 1e-9 * fabs(c));
		}
		model_scenario_release(&s);
		util_diags_release(&d);
		free(text);
	}
}

/* Residency rules: EU is its 27 member states, a workload's own rule
 * wins over constraints' rule for all, a map names workloads; the
 * embedded catalog's regions carry their countries. */
static void test_residency(void **state)
{
	static const char text[] =
		"scenario: x\ncountry: ca\n"
		"constraints: {residency: eu}\n"
		"workloads:\n"
		"  - {name: a, kind: research, gpu_hours: 1 H100}\n"
		"  - {name: b, kind: research, gpu_hours: 1 H100, "
		"residency: [ca, US, CA]}\n";
	struct model_scenario s;
	struct util_diags d;
	const struct pricing_offer *o;

	(void)state;
	assert_int_equal(load(&s, text, &d), 0);
	assert_string_equal(s.country, "CA");
	assert_int_equal(s.workloads[0].residency.ncountries, 27);
	assert_string_equal(s.workloads[0].residency.text, "EU");
	assert_true(model_residency_allows(&s.workloads[0].residency, "fr"));
	assert_false(model_residency_allows(&s.workloads[0].residency, "CA"));
	assert_false(model_residency_allows(&s.workloads[0].residency, NULL));
	assert_int_equal(s.workloads[1].residency.ncountries, 2);
	assert_string_equal(s.workloads[1].residency.text, "CA, US, CA");
	o = pricing_catalog_find_offer(&s.catalog, "alliance-narval-a100");
	assert_non_null(o);
	assert_string_equal(model_venue_country(&s, o), "CA");
	o = pricing_catalog_find_offer(&s.catalog,
				       "aws-p5en.48xlarge-eu-north-1");
	assert_non_null(o);
	assert_string_equal(model_venue_country(&s, o), "SE");
	assert_true(util_country_eu("se") && !util_country_eu("GB"));
	model_scenario_release(&s);
	util_diags_release(&d);
}

/* Recurring work: a course every semester from January at time 0
 * expands into one workload per occurrence that fits (the September of
 * the second year does not: 14 weeks from month 20 end after 22 months),
 * a duration repeats from the workload's start, a yearly rate is cut
 * into years (the last one partial), and constraints name the series. */
static void test_recurring(void **state)
{
	static const char text[] =
		"scenario: x\nhorizon: 22mo\n"
		"constraints: {sovereign: [c], residency: {t: CA}}\n"
		"workloads:\n"
		"  - name: c\n    kind: teaching\n    students: 10\n"
		"    sessions: {per_week: 1, duration: 2h, weeks: 14}\n"
		"    per_student: {gpu_memory: 8GB}\n"
		"    every: semester\n"
		"  - name: d\n    kind: teaching\n    students: 10\n"
		"    sessions: {per_week: 1, duration: 2h, weeks: 4}\n"
		"    per_student: {gpu_memory: 8GB}\n"
		"    start: 1mo\n    every: 26w\n"
		"  - {name: t, kind: research, gpu_hours: 1200 H100/year}\n";
	static const struct {
		const char *name;
		double start_months, deadline_months, hours;
	} want[] = {
		{"c.jan-y1", 0, -1, 0}, {"c.sep-y1", 8, -1, 0},
		{"c.jan-y2", 12, -1, 0}, {"d.1", 1, -1, 0},
		{"d.2", -1, -1, 0}, {"d.3", -1, -1, 0},
		{"d.4", -1, -1, 0}, {"t.y1", 0, 12, 1200},
		{"t.y2", 12, 22, 1000},
	};
	struct model_scenario s;
	struct util_diags d;

	(void)state;
	assert_int_equal(load(&s, text, &d), 0);
	assert_int_equal(s.nworkloads, UTIL_ARRAY_SIZE(want));
	for (size_t i = 0; i < s.nworkloads; i++) {
		const struct model_workload *w = &s.workloads[i];

		assert_string_equal(w->name, want[i].name);
		assert_int_equal(w->occurrence, (int)(i < 3	? i + 1
						      : i < 7 ? i - 2
							      : i - 6));
		if (want[i].start_months >= 0)
			assert_near(w->start,
				    want[i].start_months * MODEL_MONTH, 1e-6);
		if (want[i].deadline_months >= 0)
			assert_near(w->deadline,
				    want[i].deadline_months * MODEL_MONTH,
				    1e-6);
		if (want[i].hours > 0)
			assert_near(w->research.gpu_hours.amount,
				    want[i].hours, 1e-6);
		assert_true(w->sovereign == (w->name[0] == 'c'));
		assert_int_equal(w->residency.ncountries,
				 w->name[0] == 't' ? 1 : 0);
	}
	/* d: every 26 weeks from month 1, while 4 weeks still fit */
	assert_near(s.workloads[4].start, MODEL_MONTH + 26 * MODEL_WEEK, 1e-6);
	assert_non_null(model_scenario_find(&s, "d.4"));
	assert_true(model_workload_named(&s.workloads[8], "t"));
	model_scenario_release(&s);
	util_diags_release(&d);
}

/* Recurring months count from start_date: with 2027-05, September is
 * month 4 of the horizon (the fifth), January month 8; years of the
 * horizon name them (sep-y1 is September 2027, jan-y1 January 2028).
 * The 14 weeks of the January of 2029 (month 20) end at about 23.2
 * months, within 24. A start on the 15th leaves out the month it falls
 * in: its beginning is before time 0. */
#define SEMESTERS_FROM(date)                                                   \
	"scenario: x\nhorizon: 2y\nstart_date: " date "\n"                     \
	"workloads:\n"                                                         \
	"  - name: c\n    kind: teaching\n    students: 10\n"                  \
	"    sessions: {per_week: 1, duration: 2h, weeks: 14}\n"              \
	"    per_student: {gpu_memory: 8GB}\n"                                 \
	"    every: semester\n    starts: [Sep, Jan]\n"

static void test_recurring_start_date(void **state)
{
	static const struct {
		const char *name;
		double start_months;
	} want[] = {{"c.sep-y1", 4}, {"c.jan-y1", 8}, {"c.sep-y2", 16},
		    {"c.jan-y2", 20}};
	struct model_scenario s;
	struct util_diags d;

	(void)state;
	assert_int_equal(load(&s, SEMESTERS_FROM("2027-05"), &d), 0);
	assert_int_equal(s.nworkloads, UTIL_ARRAY_SIZE(want));
	for (size_t i = 0; i < s.nworkloads; i++) {
		assert_string_equal(s.workloads[i].name, want[i].name);
		assert_near(s.workloads[i].start,
			    want[i].start_months * MODEL_MONTH, 1e-6);
	}
	model_scenario_release(&s);
	util_diags_release(&d);

	/* September 2027 began half a month before time 0: left out; the
	 * January after is 4 months after 1 September, 14 days fewer */
	assert_int_equal(load(&s, SEMESTERS_FROM("2027-09-15"), &d), 0);
	assert_string_equal(s.workloads[0].name, "c.jan-y1");
	assert_near(s.workloads[0].start, (4 - 14 / 30.4167) * MODEL_MONTH,
		    1e-6);
	model_scenario_release(&s);
	util_diags_release(&d);
}

/* The shape of research jobs (issue 19): sizes as shares sorted by
 * GPUs, lengths in seconds (max unbounded when not given), the spread of
 * the lengths as the planner's length_cv, and the two forms of weekly. */
static void test_job_shape(void **state)
{
	static const char text[] =
		"scenario: x\nworkloads:\n"
		"  - name: a\n    kind: research\n"
		"    jobs: {count: 10, gpus: 1, hours: 4 H100}\n"
		"    job_sizes: {8: 1, 1: 6, 2: 3, 4: 0}\n"
		"    job_lengths: {p50: 3h, p90: 19h, max: 3d}\n"
		"    arrays: {share: 0.4, tasks: 12.5}\n"
		"    weekly: {mon: [0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, "
		"0, 0, 0, 0, 0, 0, 0, 0, 0], sun: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "
		"0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]}\n"
		"  - name: b\n    kind: research\n    gpu_hours: 10 H100\n"
		"    job_lengths: {p50: 2h}\n"
		"    weekly: ["
		"1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
		"1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
		"1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
		"1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
		"1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
		"1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
		"1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
		"1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
		"1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
		"1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
		"1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
		"1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
		"1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
		"1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
		"  - name: c\n    kind: research\n    gpu_hours: 10 H100\n";
	const struct model_job_shape *a, *b, *c;
	double mu = log(3.0), sg = log(19.0 / 3) / 1.2815515655446004;
	struct model_scenario s;
	struct util_diags d;

	(void)state;
	assert_int_equal(load(&s, text, &d), 0);
	a = &s.workloads[0].research.shape;
	b = &s.workloads[1].research.shape;
	c = &s.workloads[2].research.shape;
	/* the zero share is dropped; 6, 3, 1 of 10 in order of GPUs */
	assert_int_equal(a->nsizes, 3);
	assert_int_equal(a->size_gpus[0], 1);
	assert_int_equal(a->size_gpus[2], 8);
	assert_near(a->size_share[0], 0.6, 1e-12);
	assert_near(a->size_share[1], 0.3, 1e-12);
	assert_near(model_job_mean_gpus(a), 0.6 + 0.6 + 0.8, 1e-12);
	assert_near(a->p50, 3 * 3600, 1e-9);
	assert_near(a->p90, 19 * 3600, 1e-9);
	assert_near(a->max, 72 * 3600, 1e-9);
	assert_near(a->array_share, 0.4, 1e-12);
	assert_near(a->array_tasks, 12.5, 1e-12);
	/* Monday 09h and Sunday 23h; the other days weigh 0 */
	assert_true(a->weekly_set);
	assert_near(a->weekly[9], 2, 0);
	assert_near(a->weekly[167], 1, 0);
	assert_near(a->weekly[33], 0, 0);
	/* uncapped, the lognormal's mean is p50 e^(s^2/2) = 8.464 h; the
	 * cap at 72 h takes 0.893 h off it (Python's statistics.NormalDist
	 * gives 7.5716 h for the capped mean) */
	assert_near(exp(mu + sg * sg / 2), 8.464266, 1e-6);
	assert_near(model_job_length_mean(a) / 3600, 7.571621, 1e-6);
	assert_near(s.workloads[0].research.length_cv,
		    model_job_length_cv(a), 1e-12);
	/* p50 alone: every job as long, no spread; the 168-list form */
	assert_near(b->p90, b->p50, 0);
	assert_true(isinf(b->max));
	assert_near(model_job_length_mean(b), 7200, 1e-9);
	assert_near(s.workloads[1].research.length_cv, 0, 0);
	assert_true(b->weekly_set);
	assert_int_equal(b->nsizes, 0);
	/* without the keys: nothing set, the default spread */
	assert_int_equal(c->nsizes, 0);
	assert_near(c->array_share, 0, 0);
	assert_false(c->p50 > 0);
	assert_false(c->weekly_set);
	assert_near(s.workloads[2].research.length_cv,
		    MODEL_DEFAULT_LENGTH_CV, 0);
	model_scenario_release(&s);
	util_diags_release(&d);
}

/* Whole sessions by default: a course that does not say one_venue keeps
 * its sessions on one venue when the scenario has at most
 * MODEL_WHOLE_COURSES courses, each occurrence of a recurring one
 * counted; above, it may split; a course that says it is kept as said. */
static void test_whole_by_default(void **state)
{
	static const struct {
		int every_w;	 /* 0: not recurring */
		const char *key; /* of the recurring course */
		size_t courses;
		bool lab, series; /* one_venue of each */
		size_t split_default; /* model_courses_split_by_default */
	} cases[] = {
		{0, "", 2, true, true, 0},
		/* 1 + 23 occurrences (every 2 weeks in 46 weeks) */
		{2, "", 24, true, true, 0},
		/* 1 + 26 (every 2 weeks in 52 weeks): above, both may split */
		{2, "", 27, false, false, 27},
		{2, "    one_venue: true\n", 27, false, true, 1},
		{2, "    one_venue: false\n", 24, true, false, 0},
	};

	(void)state;
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(cases); i++) {
		char *text = util_xasprintf(
			"scenario: t\nhorizon: %dw\nperiod: week\n"
			"workloads:\n"
			"  - {name: lab, kind: teaching, students: 10, "
			"sessions: {per_week: 1, duration: 2h, weeks: 2}, "
			"per_student: {gpu_memory: 8GB}}\n"
			"  - name: tut\n    kind: teaching\n    students: 2\n"
			"    sessions: {per_week: 1, duration: 1h, weeks: 1}\n"
			"    per_student: {gpu_memory: 8GB}\n"
			"%s%s",
			cases[i].courses > 24 ? 52 : 46,
			cases[i].every_w ? "    every: 2w\n" : "",
			cases[i].key);
		struct model_scenario s;
		struct util_diags d;

		if (load(&s, text, &d))
			fail_msg("%s", d.n ? d.v[0].msg : "?");
		assert_int_equal(s.courses, cases[i].courses);
		assert_int_equal(s.nworkloads, cases[i].courses);
		assert_int_equal(s.workloads[0].teaching.one_venue,
				 cases[i].lab);
		assert_int_equal(model_courses_split_by_default(&s),
				 cases[i].split_default);
		for (size_t w = 1; w < s.nworkloads; w++)
			assert_int_equal(s.workloads[w].teaching.one_venue,
					 cases[i].series);
		model_scenario_release(&s);
		util_diags_release(&d);
		free(text);
	}
}

/* The mean of a capped lognormal against a sum over its quantiles. */
static void test_job_length_mean(void **state)
{
	struct model_job_shape sh = {.p50 = 3, .p90 = 19, .max = 30};
	double sg = log(19.0 / 3) / 1.2815515655446004, sum = 0, sum2 = 0;
	int n = 200000;

	(void)state;
	/* midpoint quantiles of the lognormal, by bisection on erfc */
	for (int i = 0; i < n; i++) {
		double p = (i + 0.5) / n, lo = -10, hi = 10, x;

		while (hi - lo > 1e-10) {
			double mid = (lo + hi) / 2;

			if (0.5 * erfc(-mid / sqrt(2)) < p)
				lo = mid;
			else
				hi = mid;
		}
		x = fmin(3 * exp(sg * lo), 30);
		sum += x;
		sum2 += x * x;
	}
	assert_near(model_job_length_mean(&sh), sum / n, 1e-4);
	assert_near(model_job_length_cv(&sh),
		    sqrt(sum2 / n - sum * sum / n / n) / (sum / n), 1e-3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_job_shape),
		cmocka_unit_test(test_job_length_mean),
		cmocka_unit_test(test_fx),
		cmocka_unit_test(test_residency),
		cmocka_unit_test(test_recurring),
		cmocka_unit_test(test_recurring_start_date),
		cmocka_unit_test(test_whole_by_default),
		cmocka_unit_test(test_all_errors),
		cmocka_unit_test(test_alias_bomb),
		cmocka_unit_test(test_deep_nesting),
	};

	return cmocka_run_group_tests_name("scenario", tests,
					   setup_default_catalog, teardown_catalog);
}
