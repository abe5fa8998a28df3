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

#endif
