/* The catalog: the embedded default, lookups, extension, validation, and
 * the SkyPilot CSV import on the real files in tests/data/prices. */
#include <string.h>
#include <unistd.h>

#include "../../pricing/pricing.h"
#include "test.h"

#define PRICES "tests/data/prices/"

static void load_default(struct pricing_catalog *c)
{
	struct util_diags d;

	util_diags_init(&d);
	pricing_catalog_init(c);
	assert_int_equal(pricing_catalog_load_default(c, &d), 0);
	for (size_t i = 0; i < d.n; i++)
		print_error("%d: %s\n", d.v[i].line, d.v[i].msg);
	assert_int_equal(d.n, 0); /* not even a warning */
	util_diags_release(&d);
}

static void test_default(void **state)
{
	static const char *const required[] = {
		"H200", "H100", "A100-40GB", "A100-80GB", "L40S", "L4", "T4",
		"A10G", "RTX4090", "Jetson-Nano", "Jetson-Xavier-NX",
		"Jetson-Orin-Nano", "Jetson-Orin-NX", "Jetson-AGX-Orin"};
	struct pricing_catalog c;
	unsigned families = 0;
	size_t non_nvidia_edge = 0;

	(void)state;
	load_default(&c);
	for (size_t i = 0; i < sizeof(required) / sizeof(*required); i++) {
		const struct pricing_accel *a =
			pricing_catalog_find_accel(&c, required[i]);

		assert_non_null(a);
		assert_string_equal(a->name, required[i]);
	}
	for (size_t i = 0; i < c.naccels; i++) {
		assert_true(c.accels[i].source && *c.accels[i].source);
		assert_true(c.accels[i].as_of && *c.accels[i].as_of);
		non_nvidia_edge += c.accels[i].cls == PRICING_EDGE_CLASS &&
				   strcmp(c.accels[i].vendor, "NVIDIA");
	}
	assert_true(non_nvidia_edge >= 2);
	for (size_t i = 0; i < c.noffers; i++) {
		assert_true(c.offers[i].source && *c.offers[i].source);
		assert_true(c.offers[i].as_of && *c.offers[i].as_of);
		families |= 1u << c.offers[i].family;
	}
	assert_int_equal(families, PRICING_ALL_FAMILIES);
	assert_non_null(pricing_catalog_find_offer(&c, "alliance-fir-h100"));
	pricing_catalog_release(&c);
}

/* The Canadian and European regions of the hyperscalers (issue 26):
 * every offer of AWS, Azure or GCP has a country and a source, each of
 * those regions is in its country, a CA-resident workload has a cloud
 * offer in Canada from each of the three, and an offer is marked
 * `estimate: true` exactly when its source starts with ESTIMATE. */
static void test_regions(void **state)
{
	static const struct {
		const char *region, *country;
	} where[] = {{"ca-central-1", "CA"},  {"eu-west-3", "FR"},
		     {"eu-central-1", "DE"},  {"europe-west4", "NL"},
		     {"us-east-1", "US"},     {"eu-north-1", "SE"},
		     {"canadacentral", "CA"}, {"francecentral", "FR"},
		     {"northamerica-northeast1", "CA"}};
	size_t seen[sizeof(where) / sizeof(*where)] = {0};
	struct pricing_catalog c;
	size_t ca_h100 = 0, estimates = 0, ca_by[3] = {0};
	const char *const prov[] = {"aws", "azure", "gcp"};

	(void)state;
	load_default(&c);
	for (size_t i = 0; i < c.noffers; i++) {
		const struct pricing_offer *o = &c.offers[i];

		assert_int_equal(o->estimate,
				 !strncmp(o->source, "ESTIMATE", 8));
		if (strcmp(o->provider, "aws") && strcmp(o->provider, "gcp") &&
		    strcmp(o->provider, "azure"))
			continue;
		assert_non_null(o->country);
		assert_int_equal(strlen(o->country), 2);
		assert_true(o->source && strlen(o->source) > 40);
		for (size_t k = 0; k < sizeof(where) / sizeof(*where); k++)
			if (!strcmp(o->region, where[k].region)) {
				assert_string_equal(o->country,
						    where[k].country);
				seen[k]++;
			}
		ca_h100 += !strcmp(o->country, "CA") &&
			   o->family == PRICING_CLOUD &&
			   !strcmp(o->accel, "H100");
		for (size_t k = 0; k < 3; k++)
			ca_by[k] += !strcmp(o->country, "CA") &&
				    !strcmp(o->provider, prov[k]);
		estimates += o->estimate && o->family == PRICING_CLOUD;
	}
	for (size_t k = 0; k < sizeof(where) / sizeof(*where); k++)
		assert_true(seen[k] > 0);
	assert_int_equal(seen[0], 7); /* ca-central-1: 7 instance types */
	assert_int_equal(seen[8], 2); /* Montreal: L4 and T4 only */
	for (size_t k = 0; k < 3; k++)
		assert_true(ca_by[k] > 0);
	assert_int_equal(ca_h100, 1);
	/* a3 in europe-west4, two GCP in Montreal, four Azure */
	assert_int_equal(estimates, 7);
	pricing_catalog_release(&c);
}

static void test_lookup(void **state)
{
	struct pricing_catalog c;

	(void)state;
	load_default(&c);
	assert_string_equal(pricing_catalog_find_accel(&c, "h100")->name,
			    "H100");
	assert_string_equal(pricing_catalog_find_accel(&c, "A100")->name,
			    "A100-40GB");
	assert_null(pricing_catalog_find_accel(&c, "H1000"));
	assert_string_equal(pricing_catalog_suggest_accel(&c, "H20"), "H200");
	assert_string_equal(pricing_catalog_suggest_accel(&c, "l40"), "L40S");
	assert_null(pricing_catalog_suggest_accel(&c, "toaster"));
	pricing_catalog_release(&c);
}

static int extend(struct pricing_catalog *c, const char *text,
		  struct util_diags *d)
{
	util_diags_init(d);
	return pricing_catalog_load_buffer(c, "c.yaml", text, strlen(text), d);
}

#define OFFER(extra)                                                           \
	"offers:\n  - id: my-l40s\n    family: cloud\n    provider: acme\n"    \
	"    accelerator: L40S\n    price_hour: 1.5\n    source: test\n"      \
	"    as_of: 2026-01-01\n" extra

static void test_extend(void **state)
{
	struct pricing_catalog c;
	struct util_diags d;
	size_t n;

	(void)state;
	load_default(&c);
	n = c.noffers;
	assert_int_equal(extend(&c, OFFER(""), &d), 0);
	assert_int_equal(c.noffers, n + 1);
	util_diags_release(&d);
	/* the same id replaces */
	assert_int_equal(extend(&c, OFFER("    count: 2\n"), &d), 0);
	assert_int_equal(c.noffers, n + 1);
	assert_int_equal(pricing_catalog_find_offer(&c, "my-l40s")->count, 2);
	assert_false(pricing_catalog_find_offer(&c, "my-l40s")->estimate);
	util_diags_release(&d);
	/* a user's own estimate is marked, and written back as one */
	assert_int_equal(extend(&c, OFFER("    estimate: true\n"), &d), 0);
	assert_true(pricing_catalog_find_offer(&c, "my-l40s")->estimate);
	util_diags_release(&d);
	{
		struct util_buf b;

		util_buf_init(&b);
		pricing_write_offers_yaml(&c, c.noffers - 1, &b);
		assert_non_null(strstr(util_buf_str(&b), "estimate: true\n"));
		util_buf_release(&b);
	}
	{
		/* a control character from a provider's answer is written
		 * as '?': the loader refuses control characters, and a
		 * cache written here must load again; so is a byte that is
		 * not UTF-8 */
		struct pricing_offer *o = &c.offers[c.noffers - 1];
		struct pricing_catalog back;
		struct util_buf b;

		free(o->source);
		o->source = util_xstrdup("price \x1b]0;x\x07 page \xc2\x9b"
					 "\t\xc3\xa9\n\xff\xe2\x82");
		util_buf_init(&b);
		pricing_write_offers_yaml(&c, c.noffers - 1, &b);
		/* UTF-8 kept, tab and line end escaped, a stray byte and a
		 * cut character '?' */
		assert_non_null(strstr(util_buf_str(&b),
				       "source: \"price ?]0;x? page ?\\t"
				       "\xc3\xa9\\n???\"\n"));
		load_default(&back);
		assert_int_equal(extend(&back, util_buf_str(&b), &d), 0);
		util_diags_release(&d);
		util_buf_release(&b);
		pricing_catalog_release(&back);
	}
	assert_int_equal(extend(&c, OFFER("    estimate: maybe\n"), &d),
			 UTIL_E_INPUT);
	util_diags_release(&d);
	pricing_catalog_release(&c);
}

struct bad {
	const char *text;
	int line;
	const char *msg;
};

static const struct bad bads[] = {
	{OFFER("    capex: 5\n"), 9, "'capex' does not apply to a cloud offer"},
	{"offers:\n  - id: x\n    family: cloud\n    provider: a\n"
	 "    accelerator: L40\n    price_hour: 1\n    source: s\n"
	 "    as_of: 2026-01-01\n",
	 5, "unknown accelerator 'L40' in offer 'x' (did you mean 'L40S'?)"},
	{"offers:\n  - id: x\n    family: clud\n", 3,
	 "unknown venue family 'clud' in offer 'x' (did you mean 'cloud'?)"},
	{OFFER("") "  - {id: my-l40s, family: cloud, provider: a, "
		   "accelerator: L4, price_hour: 1, source: s, "
		   "as_of: 2026-01-01}\n", 9,
	 "duplicate offer id 'my-l40s'"},
	{"offers:\n  - id: x\n    family: cloud\n    provider: a\n"
	 "    accelerator: L4\n    price_hour: -1\n    source: s\n"
	 "    as_of: 2026-01-01\n",
	 6, "'price_hour' in offer 'x' must be between 0 and"},
	{"offers:\n  - id: x\n    family: cloud\n    provider: a\n"
	 "    accelerator: L4\n    source: s\n    as_of: 2026-13-01\n",
	 2, "missing required key 'price_hour' in offer 'x'"},
	{"accelerators:\n  - name: X1\n    aliases: [h100]\n    vendor: v\n"
	 "    class: edge\n    memory_gb: 1\n    bandwidth_gbs: 1\n"
	 "    tdp_w: 1\n    tflops: {fp16: 1}\n    source: s\n"
	 "    as_of: 2026-01-01\n",
	 2, "accelerator name 'h100' is already used by 'H100'"},
	{"currency: EUR\n", 1, "catalog currency 'EUR' differs from 'USD'"},
};

static void test_bad(void **state)
{
	struct pricing_catalog c;

	(void)state;
	load_default(&c);
	for (size_t i = 0; i < sizeof(bads) / sizeof(*bads); i++) {
		struct util_diags d;
		size_t n = c.noffers;
		bool found = false;

		assert_int_equal(extend(&c, bads[i].text, &d), UTIL_E_INPUT);
		assert_int_equal(c.noffers, n); /* unchanged on error */
		for (size_t k = 0; k < d.n; k++)
			found |= d.v[k].line == bads[i].line &&
				 strstr(d.v[k].msg, bads[i].msg) != NULL;
		if (!found) {
			for (size_t k = 0; k < d.n; k++)
				print_error("  got %d: %s\n", d.v[k].line,
					    d.v[k].msg);
			fail_msg("case %zu: no '%s' at line %d", i,
				 bads[i].msg, bads[i].line);
		}
		util_diags_release(&d);
	}
	pricing_catalog_release(&c);
}

static void test_spot_warning(void **state)
{
	struct pricing_catalog c;
	struct util_diags d;

	(void)state;
	load_default(&c);
	assert_int_equal(
		extend(&c,
		       "offers:\n  - {id: od, family: cloud, provider: a, "
		       "instance: i, accelerator: L4, price_hour: 1, "
		       "source: s, as_of: 2026-01-01}\n"
		       "  - {id: sp, family: cloud-spot, provider: a, "
		       "instance: i, accelerator: L4, price_hour: 2, "
		       "preemption_per_hour: 0.01, source: s, "
		       "as_of: 2026-01-01}\n",
		       &d),
		0);
	assert_int_equal(d.nerrors, 0);
	assert_int_equal(d.nwarnings, 1);
	assert_non_null(strstr(d.v[0].msg, "more than on-demand 'od'"));
	util_diags_release(&d);
	pricing_catalog_release(&c);
}

static void import(const char *file, size_t *offers, struct util_diags *d,
		   struct pricing_catalog *c)
{
	struct pricing_import im = {.family = -1};
	size_t before;

	load_default(c);
	before = c->noffers;
	util_diags_init(d);
	assert_int_equal(pricing_import_skypilot(c, file, &im, d), 0);
	*offers = im.offers;
	assert_int_equal(c->noffers, before + im.offers);
}

static void test_import(void **state)
{
	static const char *const files[] = {
		PRICES "lambda_v7_vms.csv", PRICES "vast_v7_vms.csv",
		PRICES "paperspace_v6_vms.csv",
		PRICES "runpod_v7_vms_unique_configs_PARTIAL.csv"};
	bool runpod_warned = false;

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		struct pricing_catalog c;
		struct util_diags d;
		size_t offers;

		import(files[i], &offers, &d, &c);
		assert_true(offers >= 4);
		assert_int_equal(d.nerrors, 0);
		if (i == 3)
			for (size_t k = 0; k < d.n; k++)
				runpod_warned |= strstr(d.v[k].msg,
							"above on-demand") !=
						 NULL;
		if (i == 1) /* Vast is a market: no spot offers */
			for (size_t k = c.noffers - offers; k < c.noffers; k++)
				assert_int_equal(c.offers[k].family,
						 PRICING_DECENTRALIZED);
		util_diags_release(&d);
		pricing_catalog_release(&c);
	}
	assert_true(runpod_warned);
}

static void test_import_bad(void **state)
{
	static const char csv[] = "Name,Price\nx,1\n";
	char path[] = "/tmp/gpuplan-csv-XXXXXX";
	int fd = mkstemp(path);
	struct pricing_catalog c;
	struct pricing_import im = {.family = -1};
	struct util_diags d;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, csv, sizeof(csv) - 1), sizeof(csv) - 1);
	close(fd);
	load_default(&c);
	util_diags_init(&d);
	assert_int_equal(pricing_import_skypilot(&c, path, &im, &d),
			 UTIL_E_INPUT);
	assert_non_null(strstr(d.v[0].msg, "missing column 'InstanceType'"));
	unlink(path);
	util_diags_release(&d);
	pricing_catalog_release(&c);
}

/* An Azure page's NextPageLink: a link or null, and https stays https. */
static void test_azure_next(void **state)
{
	static const struct {
		const char *url, *body, *next;
		int rc;
	} cases[] = {
		{"https://p", "{\"Items\": [], \"NextPageLink\": "
			      "\"https://p?2\"}", "https://p?2", 0},
		{"https://p", "{\"Items\": [], \"NextPageLink\": null}", NULL,
		 0},
		{"https://p", "{\"Items\": []}", NULL, 0},
		{"https://p", "{\"Items\": [], \"NextPageLink\": 5}", NULL,
		 UTIL_E_UNAVAILABLE},
		{"https://p", "{\"Items\": [], \"NextPageLink\": "
			      "\"http://p?2\"}", NULL, UTIL_E_UNAVAILABLE},
		{"http://127.0.0.1/p", "{\"Items\": [], \"NextPageLink\": "
				       "\"http://127.0.0.1/p?2\"}",
		 "http://127.0.0.1/p?2", 0},
	};
	struct pricing_catalog base, out;
	struct util_diags d;

	(void)state;
	util_diags_init(&d);
	pricing_catalog_init(&base);
	assert_int_equal(pricing_catalog_load_default(&base, &d), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct pricing_azure a = {.url = cases[i].url,
					  .fetched_at = "2026-12-06T00:00:00Z"};
		struct util_err err;

		pricing_catalog_init(&out);
		assert_int_equal(pricing_azure_page(&base, &out, cases[i].body,
						    strlen(cases[i].body), &a,
						    &err),
				 cases[i].rc);
		if (cases[i].next)
			assert_string_equal(a.next, cases[i].next);
		else
			assert_null(a.next);
		free(a.next);
		pricing_catalog_release(&out);
	}
	pricing_catalog_release(&base);
	util_diags_release(&d);
}

/* One rule for whether cached prices are used, whoever asks (the
 * commands that plan, 'prices status'): up to 30 days old, and up to a
 * day in the future (another machine's clock); the clock is the caller's. */
static void test_cache_use(void **state)
{
	static const struct {
		const char *at;
		enum pricing_cache_use use;
	} cases[] = {
		{"2026-12-07T12:00:00Z", PRICING_CACHE_IN_USE},
		{"2026-11-07T12:00:01Z", PRICING_CACHE_IN_USE},	/* 30 days */
		{"2026-11-07T11:59:59Z", PRICING_CACHE_STALE},	/* and 1 s */
		{"2020-01-01T00:00:00Z", PRICING_CACHE_STALE},
		{"2026-12-07T18:00:00Z", PRICING_CACHE_IN_USE},	/* a skew */
		{"2026-12-08T12:00:01Z", PRICING_CACHE_FUTURE}, /* > 1 day */
		{"2099-01-01T00:00:00Z", PRICING_CACHE_FUTURE},
	};
	const time_t now = 1796644800; /* 2026-12-07T12:00:00Z */

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct pricing_snapshot sn = {.fetched_at = (char *)cases[i].at};

		assert_int_equal(pricing_snapshot_use(&sn, now), cases[i].use);
	}
}

/* A cache whose fetched_at is not a date cannot be aged: unreadable, not
 * used as if it were fresh. */
static void test_cache_undated(void **state)
{
	static const char *const ats[] = {"\"2026-12-07T12:00:00Z\"",
					  "\"yesterday\"", "\"2026-12-07\"",
					  "\"2026-12-07T12:00:00Z trailing\""};
	struct util_diags d;

	(void)state;
	util_diags_init(&d);
	for (size_t i = 0; i < sizeof(ats) / sizeof(*ats); i++) {
		char path[] = "/tmp/gpuplan-cache-XXXXXX";
		int fd = mkstemp(path);
		struct pricing_snapshot sn;
		FILE *f;

		assert_true(fd >= 0);
		f = fdopen(fd, "w");
		assert_non_null(f);
		fprintf(f, "snapshot:\n  source: vast\n  url: \"http://x/\"\n"
			   "  fetched_at: %s\n  offers: 0\ncatalog:\n"
			   "  currency: USD\n  offers: []\n", ats[i]);
		fclose(f);
		assert_int_equal(pricing_cache_read(path, NULL, &sn, &d),
				 i == 0 ? 0 : UTIL_E_INPUT);
		pricing_snapshot_release(&sn);
		unlink(path);
	}
	util_diags_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_regions),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_extend),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_spot_warning),
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_import_bad),
		cmocka_unit_test(test_azure_next),
		cmocka_unit_test(test_cache_use),
		cmocka_unit_test(test_cache_undated),
	};

	return cmocka_run_group_tests_name("catalog", tests, NULL, NULL);
}
