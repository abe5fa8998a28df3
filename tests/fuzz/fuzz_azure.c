/* An Azure Retail Prices page from any bytes: the offers it yields, then
 * written as catalog YAML and loaded back (what the cache does). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pricing_catalog out;
	struct pricing_azure a = {.url = "https://prices.example/api",
				  .fetched_at = "2026-01-01T00:00:00Z"};
	struct util_err err;

	pricing_catalog_init(&out);
	out.currency = util_xstrdup("USD");
	if (!pricing_azure_page(fuzz_catalog(), &out, (const char *)data, size,
				&a, &err) &&
	    out.noffers)
		fuzz_load_back(&out, "azure.yaml"); /* what the cache does */
	free(a.next);
	pricing_catalog_release(&out);
	return 0;
}
