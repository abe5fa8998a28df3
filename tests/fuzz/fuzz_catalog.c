/* A catalog (YAML or JSON) from any bytes, loaded over a copy of the
 * embedded one, then written back as YAML. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pricing_catalog c;
	struct util_diags d;
	struct util_buf b;

	pricing_catalog_copy(&c, fuzz_catalog());
	util_diags_init(&d);
	util_buf_init(&b);
	if (!pricing_catalog_load_buffer(&c, "fuzz.yaml", (const char *)data,
					 size, &d))
		pricing_write_offers_yaml(&c, 0, &b);
	util_buf_release(&b);
	util_diags_release(&d);
	pricing_catalog_release(&c);
	return 0;
}
