/* Shared by the unit tests of model/: the catalog they run against and
 * loading a scenario written in the test. */
#ifndef TESTS_UNIT_TEST_MODEL_H
#define TESTS_UNIT_TEST_MODEL_H

#include <string.h>

#include "../../model/model.h"
#include "test.h"

static struct pricing_catalog catalog;

/* Group setup: the embedded default catalog. */
static inline int setup_default_catalog(void **state)
{
	struct util_diags d;
	int rc;

	(void)state;
	util_diags_init(&d);
	pricing_catalog_init(&catalog);
	rc = pricing_catalog_load_default(&catalog, &d);
	util_diags_release(&d);
	return rc;
}

static inline int teardown_catalog(void **state)
{
	(void)state;
	pricing_catalog_release(&catalog);
	return 0;
}

/* Loads a scenario given as text against `catalog`; prints its problems
 * and fails the test if it does not load. */
static inline void load_scenario(const char *text,
				 struct model_scenario *s)
{
	struct util_diags d;

	util_diags_init(&d);
	if (model_scenario_load_buffer(s, "t.yaml", text, strlen(text),
				       &catalog, &d)) {
		for (size_t i = 0; i < d.n; i++)
			print_error("%d:%d: %s\n", d.v[i].line, d.v[i].col,
				    d.v[i].msg);
		fail_msg("scenario rejected");
	}
	util_diags_release(&d);
}

/* Loads text and estimates its single workload on accel. */
static inline void estimate(const char *text, const char *accel,
			    struct model_scenario *s, struct model_estimate *e)
{
	struct util_err err;

	load_scenario(text, s);
	assert_int_equal(model_estimate(s, NULL, accel, e, &err), 0);
	assert_int_equal(e->nwl, 1);
}

/* The option of the single workload with that many devices. */
static inline const struct model_option *
option(const struct model_estimate *e, int devices)
{
	for (size_t i = 0; i < e->wl[0].nopts; i++)
		if (e->wl[0].opts[i].devices == devices)
			return &e->wl[0].opts[i];
	fail_msg("no option with %d devices", devices);
	return NULL;
}

#endif
