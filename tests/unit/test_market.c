/* The GPU market sources (pricing/market.c, vast.c, runpod.c, lambda.c):
 * provider GPU names onto the catalog's accelerators, quantiles, text
 * from outside, and each converter on small answers of its shape. */
#include <string.h>

#include "../../pricing/pricing_int.h"
#include "test.h"

static struct pricing_catalog cat;

static int setup(void **state)
{
	struct util_diags d;

	(void)state;
	util_diags_init(&d);
	pricing_catalog_init(&cat);
	if (pricing_catalog_load_default(&cat, &d))
		return -1;
	util_diags_release(&d);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pricing_catalog_release(&cat);
	return 0;
}

static void test_accel(void **state)
{
	static const struct {
		const char *name;
		double mem_gb;
		const char *want; /* NULL: not one of ours */
	} cases[] = {
	    {"H100 SXM", 80, "H100"},
	    {"H100 PCIE", 80, "H100-PCIe"},
	    {"H100 PCIe", 0, "H100-PCIe"},
	    {"H100 NVL", 94, NULL},  /* another card: more memory */
	    {"H200 NVL", 141, NULL}, /* NVL is not a form-factor word */
	    {"H200 SXM", 141, "H200"},
	    {"A100 SXM4", 80, "A100-80GB"},
	    {"A100 SXM4", 40, "A100-40GB"},
	    {"A100 PCIE", 40, "A100-40GB"},
	    {"A100 SXM", 80, "A100-80GB"},
	    {"A100", 80, "A100-80GB"},
	    {"RTX 4090", 24, "RTX4090"},
	    {"RTX_4090", 0, "RTX4090"},
	    {"Tesla T4", 15, "T4"},
	    {"L40S", 48, "L40S"},
	    {"RTX A6000", 48, NULL},
	    {"RTX 3090", 24, NULL},
	    {"", 0, NULL},
	    {"   ", 0, NULL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct pricing_accel *a =
		    pricing_market_accel(&cat, cases[i].name, cases[i].mem_gb);

		if (!cases[i].want) {
			if (a)
				fail_msg("'%s': got %s", cases[i].name,
					 a->name);
			continue;
		}
		if (!a)
			fail_msg("'%s': none, wanted %s", cases[i].name,
				 cases[i].want);
		assert_string_equal(a->name, cases[i].want);
	}
}

static void test_quantile(void **state)
{
	double v[] = {4, 1, 3, 2}, one[] = {7};

	(void)state;
	assert_near(pricing_quantile(v, 4, 0.5), 2.5, 1e-12);
	assert_near(pricing_quantile(v, 4, 0.25), 1.75, 1e-12);
	assert_near(pricing_quantile(v, 4, 1), 4, 1e-12);
	assert_near(pricing_quantile(one, 1, 0.25), 7, 1e-12);
	assert_near(pricing_quantile(NULL, 0, 0.5), PRICING_UNSET, 0);
}

static void test_text(void **state)
{
	char *s = pricing_market_text("a\nb\x1b[31m\xc3\xa9", 40), *id;

	(void)state;
	assert_string_equal(s, "a?b?[31m??");
	free(s);
	s = pricing_market_text("abcdef", 3);
	assert_string_equal(s, "abc...");
	free(s);
	id = pricing_market_id("vast-%s-%s", "RTX 4090", "CA");
	assert_string_equal(id, "vast-RTX-4090-CA");
	free(id);
	id = pricing_market_id("%s", "\n/");
	assert_string_equal(id, "x");
	free(id);
}

typedef int (*convert_fn)(const struct pricing_catalog *,
			  struct pricing_catalog *, const char *, size_t,
			  struct pricing_market *, struct util_err *);

/* body converted by fn into out (released by the caller). */
static int convert(convert_fn fn, const char *body, struct pricing_catalog *out,
		   struct pricing_market *m, struct util_err *err)
{
	pricing_catalog_init(out);
	out->currency = util_xstrdup("USD");
	m->url = "https://market.test/api";
	m->fetched_at = "2026-12-01T10:00:00Z";
	return fn(&cat, out, body, strlen(body), m, err);
}

static void test_vast(void **state)
{
	static const char body[] =
	    "{\"offers\": ["
	    "{\"gpu_name\": \"RTX 4090\", \"num_gpus\": 2, \"gpu_ram\": 24564,"
	    " \"dph_total\": 0.8, \"reliability2\": 0.99,"
	    " \"geolocation\": \"Quebec, CA\", \"rentable\": true},"
	    "{\"gpu_name\": \"RTX 4090\", \"num_gpus\": 1, \"gpu_ram\": 24564,"
	    " \"dph_total\": 0.3, \"reliability2\": 0.95,"
	    " \"geolocation\": \"Ontario, ca\", \"rentable\": true},"
	    "{\"gpu_name\": \"RTX 4090\", \"num_gpus\": 1, \"dph_total\": 0.5,"
	    " \"reliability2\": 0.97, \"geolocation\": \"Quebec, CA\"},"
	    "{\"gpu_name\": \"RTX 4090\", \"num_gpus\": 1, \"dph_total\": 0.1,"
	    " \"geolocation\": \"Quebec, CA\", \"rentable\": false},"
	    "{\"gpu_name\": \"RTX 3090\", \"num_gpus\": 1, \"dph_total\": 0.2},"
	    "{\"gpu_name\": \"RTX 4090\", \"num_gpus\": 1, \"dph_total\": "
	    "null},"
	    "{\"gpu_name\": \"RTX 4090\", \"num_gpus\": 0.5, \"dph_total\": 1},"
	    /* no provider's price (the fuzzer's: a subnormal the catalog
	     * could not read back) */
	    "{\"gpu_name\": \"RTX 4090\", \"num_gpus\": 1,"
	    " \"dph_total\": 1e-320, \"geolocation\": \"Quebec, CA\"}"
	    "]}";
	struct pricing_catalog out;
	struct pricing_market m = {0};
	struct util_err err;

	(void)state;
	assert_int_equal(convert(pricing_vast_offers, body, &out, &m, &err), 0);
	assert_int_equal(out.noffers, 1);
	assert_string_equal(out.offers[0].id, "vast-RTX4090-CA");
	assert_int_equal(out.offers[0].family, PRICING_DECENTRALIZED);
	/* per GPU-hour 0.4, 0.3, 0.5: median 0.4; reliability median 0.97 */
	assert_near(out.offers[0].term[PRICING_PRICE_HOUR], 0.4, 1e-12);
	assert_near(out.offers[0].term[PRICING_RELIABILITY], 0.97, 1e-12);
	assert_non_null(strstr(out.offers[0].source, "3 offers seen (4 GPUs)"));
	assert_non_null(strstr(out.offers[0].source, "25th percentile 0.35"));
	assert_string_equal(out.offers[0].as_of, "2026-12-01");
	assert_int_equal(m.items, 8);
	assert_int_equal(m.skipped_unknown, 1);
	assert_int_equal(m.skipped_price, 3); /* null, half a GPU, 1e-320 */
	assert_string_equal(m.unknown, "'RTX 3090'");
	pricing_catalog_release(&out);
	memset(&m, 0, sizeof(m));
	assert_int_equal(
	    convert(pricing_vast_offers,
		    "{\"success\": false, \"msg\": \"bad\\u001b\"}", &out, &m,
		    &err),
	    UTIL_E_UNAVAILABLE);
	assert_string_equal(err.msg, "https://market.test/api: Vast.ai "
				     "answered with an error: 'bad?'");
	pricing_catalog_release(&out);
	/* hosts that always failed (reliability2 0): the offer takes the
	 * catalog's floor, 0.01, so that the cache loads again (the
	 * fuzzer's finding) */
	memset(&m, 0, sizeof(m));
	assert_int_equal(
	    convert(pricing_vast_offers,
		    "{\"offers\": [{\"gpu_name\": \"H200\", \"num_gpus\": 1,"
		    " \"dph_total\": 2, \"reliability2\": 0}]}",
		    &out, &m, &err),
	    0);
	assert_int_equal(out.noffers, 1);
	assert_near(out.offers[0].term[PRICING_RELIABILITY], 0.01, 1e-12);
	pricing_catalog_release(&out);
}

static void test_runpod(void **state)
{
	static const char body[] =
	    "{\"data\": {\"gpuTypes\": ["
	    "{\"displayName\": \"H100 SXM\", \"memoryInGb\": 80,"
	    " \"securePrice\": 2.69, \"communityPrice\": null,"
	    " \"secureSpotPrice\": 1.5, \"communitySpotPrice\": 0},"
	    "{\"displayName\": \"L4\", \"memoryInGb\": 24, \"securePrice\": 0}"
	    "]}}";
	struct pricing_catalog out;
	struct pricing_market m = {0};
	struct util_err err;
	const struct pricing_offer *o;

	(void)state;
	assert_int_equal(convert(pricing_runpod_offers, body, &out, &m, &err),
			 0);
	assert_int_equal(out.noffers, 4); /* 1 and 8 GPUs each */
	o = pricing_catalog_find_offer(&out, "runpod-8x_H100-SXM_SECURE");
	assert_non_null(o);
	assert_int_equal(o->count, 8);
	assert_near(o->term[PRICING_PRICE_HOUR], 8 * 2.69, 1e-12);
	o = pricing_catalog_find_offer(&out, "runpod-1x_H100-SXM_SECURE");
	assert_non_null(o);
	assert_int_equal(o->family, PRICING_GPUAAS);
	assert_near(o->term[PRICING_PRICE_HOUR], 2.69, 1e-12);
	o = pricing_catalog_find_offer(&out, "runpod-1x_H100-SXM_SECURE-spot");
	assert_non_null(o);
	assert_int_equal(o->family, PRICING_CLOUD_SPOT);
	assert_true(o->term[PRICING_PREEMPTION_PER_HOUR] > 0);
	assert_int_equal(m.skipped_price, 1);
	pricing_catalog_release(&out);
	assert_int_equal(convert(pricing_runpod_offers,
				 "{\"data\": null, \"errors\": [{\"message\": "
				 "\"no\"}]}",
				 &out, &m, &err),
			 UTIL_E_UNAVAILABLE);
	assert_non_null(strstr(err.msg, "RunPod answered with an error: 'no'"));
	pricing_catalog_release(&out);
}

static void test_lambda(void **state)
{
	static const char body[] =
	    "{\"data\": {\"gpu_8x_h100_sxm5\": {\"instance_type\": {"
	    "\"gpu_description\": \"H100 (80 GB SXM5)\","
	    "\"price_cents_per_hour\": 2392, \"specs\": {\"gpus\": 8}},"
	    "\"regions_with_capacity_available\": [{\"name\": \"us-west-1\"},"
	    "{\"name\": \"Bad Region\"}]},"
	    "\"gpu_1x_a10\": {\"instance_type\": {"
	    "\"gpu_description\": \"A10 (24 GB PCIe)\","
	    "\"price_cents_per_hour\": 75, \"specs\": {\"gpus\": 1}}}}}";
	struct pricing_catalog out;
	struct pricing_market m = {0};
	struct util_err err;
	const struct pricing_offer *o;

	(void)state;
	assert_int_equal(convert(pricing_lambda_offers, body, &out, &m, &err),
			 0);
	/* us-west-1 with capacity, us-east-1 and europe-central-1 from the
	 * embedded catalog */
	assert_int_equal(out.noffers, 3);
	o = pricing_catalog_find_offer(&out,
				       "lambda-gpu_8x_h100_sxm5-us-west-1");
	assert_non_null(o);
	assert_int_equal(o->count, 8);
	assert_string_equal(o->accel, "H100");
	assert_near(o->term[PRICING_PRICE_HOUR], 23.92, 1e-12);
	assert_non_null(pricing_catalog_find_offer(
	    &out, "lambda-gpu_8x_h100_sxm5-us-east-1"));
	assert_int_equal(m.skipped_unknown, 1);
	pricing_catalog_release(&out);
	assert_int_equal(
	    convert(pricing_lambda_offers,
		    "{\"error\": {\"code\": \"global/invalid-api-key\","
		    " \"message\": \"API key was invalid\"}}",
		    &out, &m, &err),
	    UTIL_E_UNAVAILABLE);
	assert_non_null(strstr(
	    err.msg, "Lambda answered with an error: 'API key was invalid'"));
	pricing_catalog_release(&out);
	assert_int_equal(convert(pricing_lambda_offers, "[1]", &out, &m, &err),
			 UTIL_E_UNAVAILABLE);
	assert_non_null(strstr(err.msg, "not a JSON object"));
	pricing_catalog_release(&out);
}

static void test_age(void **state)
{
	static const char extra[] =
		"offers:\n"
		"  - id: old-gpuaas\n    family: gpuaas\n    provider: x\n"
		"    accelerator: H100\n    price_hour: 2\n"
		"    source: test\n    as_of: \"2026-08-01\"\n"
		"  - id: new-gpuaas\n    family: gpuaas\n    provider: x\n"
		"    accelerator: H100\n    price_hour: 2\n"
		"    source: test\n    as_of: \"2026-11-30\"\n";
	time_t dec1 = 1796083200; /* 2026-12-01T00:00:00Z */
	struct pricing_layer_age a[2];
	struct pricing_catalog c;
	struct util_diags d;

	(void)state;
	assert_near(pricing_max_price_age_days(PRICING_GPUAAS, 0), 90, 0);
	assert_near(pricing_max_price_age_days(PRICING_DECENTRALIZED, 0), 90, 0);
	assert_near(pricing_max_price_age_days(PRICING_CLOUD_SPOT, 0), 90, 0);
	assert_near(pricing_max_price_age_days(PRICING_CLOUD, 0), 365, 0);
	assert_near(pricing_max_price_age_days(PRICING_CLOUD, 30), 30, 0);
	assert_near(pricing_as_of_age_days("2026-11-21", dec1), 10, 1e-12);
	/* whole days: at 23:59 a date is as old as at 00:00, and a price
	 * 90 days old is not past a limit of 90 (it was, at 90.99 days,
	 * while the warning said "90 days old, limit 90") */
	assert_near(pricing_as_of_age_days("2026-11-21", dec1 + 86340), 10,
		    0);
	{
		struct pricing_offer o = {.family = PRICING_GPUAAS,
					  .as_of = (char *)"2026-09-02"};

		assert_false(pricing_offer_too_old(&o, dec1 + 86340, 0));
		o.as_of = (char *)"2026-09-01";
		assert_true(pricing_offer_too_old(&o, dec1, 0));
	}
	assert_near(pricing_as_of_age_days("2026-11-21x", dec1), -1, 0);
	/* a date ahead of UTC is today's, not "not a date" */
	assert_near(pricing_as_of_age_days("2026-12-02", dec1), 0, 0);
	assert_near(pricing_as_of_age_days(NULL, dec1), -1, 0);
	pricing_catalog_copy(&c, &cat);
	util_diags_init(&d);
	assert_int_equal(pricing_catalog_load_buffer(&c, "extra.yaml", extra,
						     strlen(extra), &d),
			 0);
	util_diags_release(&d);
	assert_int_equal(c.norigins, 2);
	pricing_layer_ages(&c, NULL, dec1, 0, a);
	assert_int_equal(a[0].offers, cat.noffers);
	assert_int_equal(a[1].offers, 2);
	assert_int_equal(a[1].too_old, 1); /* 122 days > 90 */
	assert_string_equal(a[1].oldest, "2026-08-01");
	assert_near(a[1].oldest_days, 122, 1e-12);
	pricing_layer_ages(&c, NULL, dec1, 200, a);
	assert_int_equal(a[1].too_old, 0);
	{
		/* the offers a report used, some more than once: each
		 * counted once, the stalest by its own family's limit */
		const struct pricing_offer *old = &c.offers[c.noffers - 2];
		const struct pricing_offer *young = &c.offers[c.noffers - 1];
		const struct pricing_offer *w = young;
		struct pricing_staleness st = {0};

		pricing_staleness_add(&st, old);
		pricing_staleness_add(&st, young);
		pricing_staleness_add(&st, old);
		pricing_staleness_add(&st, NULL);
		assert_int_equal(pricing_staleness_check(&st, dec1, 0, &w), 1);
		assert_ptr_equal(w, old);
		/* one limit for all: 100 days keeps the 122-day price old */
		assert_int_equal(pricing_staleness_check(&st, dec1, 100, &w), 1);
		assert_int_equal(pricing_staleness_check(&st, dec1, 200, &w), 0);
		assert_null(w);
		/* 0.5 days: both past it */
		assert_int_equal(pricing_staleness_check(&st, dec1, 0.5, &w), 2);
		assert_ptr_equal(w, old);
		pricing_staleness_release(&st);
		assert_null(st.v);
	}
	pricing_catalog_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_accel),  cmocka_unit_test(test_quantile),
	    cmocka_unit_test(test_text),   cmocka_unit_test(test_vast),
	    cmocka_unit_test(test_runpod), cmocka_unit_test(test_lambda), cmocka_unit_test(test_age),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
