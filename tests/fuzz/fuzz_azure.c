/* An Azure Retail Prices page from any bytes: the offers it yields, then
 * written as catalog YAML and loaded back (what the cache does). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pricing_catalog out;
	struct pricing_azure a = {.url = "https://prices.example/api",
				  .fetched_at = "2026-01-01T00:00:00Z"};
	struct util_err err;
	struct util_buf b;

	pricing_catalog_init(&out);
	out.currency = util_xstrdup("USD");
	util_buf_init(&b);
	if (!pricing_azure_page(fuzz_catalog(), &out, (const char *)data, size,
				&a, &err) &&
	    out.noffers) {
		struct pricing_catalog back;
		struct util_diags d;

		pricing_write_offers_yaml(&out, 0, &b);
		pricing_catalog_copy(&back, fuzz_catalog());
		util_diags_init(&d);
		/* what gpuplan writes must load back */
		if (pricing_catalog_load_buffer(&back, "azure.yaml", b.s, b.len,
						&d)) {
			fprintf(stderr, "does not load back: %s:%d:%d: %s\n%s",
				d.v[0].file, d.v[0].line, d.v[0].col, d.v[0].msg,
				b.s);
			abort();
		}
		util_diags_release(&d);
		pricing_catalog_release(&back);
	}
	free(a.next);
	util_buf_release(&b);
	pricing_catalog_release(&out);
	return 0;
}
