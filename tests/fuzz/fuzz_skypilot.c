/* A SkyPilot catalog CSV from any bytes, imported over the embedded
 * catalog. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pricing_catalog c;
	struct pricing_import im = {.family = -1, .as_of = "2026-01-01"};
	struct util_diags d;

	pricing_catalog_copy(&c, fuzz_catalog());
	util_diags_init(&d);
	pricing_import_skypilot(&c, fuzz_file(data, size, "lambda_vms.csv"),
				&im, &d);
	util_diags_release(&d);
	pricing_catalog_release(&c);
	return 0;
}
