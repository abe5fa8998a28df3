/* What the libFuzzer harnesses share (tests/fuzz/, docs/security.md):
 * the embedded catalog loaded once, and a scratch file for the readers
 * that take a path. */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../model/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The embedded catalog, loaded on first use and kept. */
static inline const struct pricing_catalog *fuzz_catalog(void)
{
	static struct pricing_catalog c;
	static int loaded;
	struct util_diags d;

	if (!loaded) {
		pricing_catalog_init(&c);
		util_diags_init(&d);
		if (pricing_catalog_load_default(&c, &d))
			abort();
		util_diags_release(&d);
		loaded = 1;
	}
	return &c;
}

/* The scenario text (len bytes) loaded over the embedded catalog on
 * first use and kept: a harness has one. */
static inline const struct model_scenario *fuzz_scenario(const char *text,
							 size_t len)
{
	static struct model_scenario s;
	static int loaded;
	struct util_diags d;

	if (!loaded) {
		util_diags_init(&d);
		if (model_scenario_load_buffer(&s, "fuzz.yaml", text, len,
					       fuzz_catalog(), &d))
			abort();
		util_diags_release(&d);
		loaded = 1;
	}
	return &s;
}

/* data written to a scratch file (same path each time); its path. */
static inline const char *fuzz_file(const uint8_t *data, size_t size,
				    const char *name)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/gpuplan-fuzz-%ld-%s", (long)getpid(),
		 name);
	f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	return path;
}

/* What gpuplan writes of out's offers must load back over the catalog:
 * aborts otherwise. */
static inline void fuzz_load_back(const struct pricing_catalog *out,
				  const char *name)
{
	struct pricing_catalog back;
	struct util_diags d;
	struct util_buf b;

	util_buf_init(&b);
	pricing_write_offers_yaml(out, 0, &b);
	pricing_catalog_copy(&back, fuzz_catalog());
	util_diags_init(&d);
	if (pricing_catalog_load_buffer(&back, name, b.s, b.len, &d)) {
		fprintf(stderr, "does not load back: %s:%d:%d: %s\n%s",
			d.v[0].file, d.v[0].line, d.v[0].col, d.v[0].msg, b.s);
		abort();
	}
	util_diags_release(&d);
	pricing_catalog_release(&back);
	util_buf_release(&b);
}

/* A GPU market answer (pricing/vast.c, runpod.c, lambda.c) from any
 * bytes: the offers convert gives, then written as catalog YAML and
 * loaded back over the catalog (what the cache does). */
typedef int (*fuzz_market_fn)(const struct pricing_catalog *base,
			      struct pricing_catalog *out, const char *body,
			      size_t len, struct pricing_market *m,
			      struct util_err *err);
static inline void fuzz_market(fuzz_market_fn convert, const uint8_t *data,
			       size_t size)
{
	struct pricing_catalog out;
	struct pricing_market m = {.url = "https://market.example/api",
				   .fetched_at = "2026-01-01T00:00:00Z"};
	struct util_err err;

	pricing_catalog_init(&out);
	out.currency = util_xstrdup("USD");
	if (!convert(fuzz_catalog(), &out, (const char *)data, size, &m, &err) &&
	    out.noffers)
		fuzz_load_back(&out, "market.yaml");
	pricing_catalog_release(&out);
}

#endif
