/* A cloud bill (FOCUS or AWS CUR 2.0 CSV) from any bytes, read into a
 * baseline over the embedded catalog and written out. */
#include "../../acct/acct.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acct_baseline b = {.cat = fuzz_catalog()};
	struct util_diags d;
	struct util_err err;
	struct util_buf out;

	util_diags_init(&d);
	util_buf_init(&out);
	if (!acct_focus_read(&b, fuzz_file(data, size, "bill.csv"), &d, &err))
		acct_baseline_yaml(&b, "bill.csv", &out);
	util_buf_release(&out);
	util_diags_release(&d);
	acct_baseline_release(&b);
	return 0;
}
