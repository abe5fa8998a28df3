/* sacct output from any bytes, imported into a scenario over the
 * embedded catalog (the reader, the TRES parser, the type tables, the
 * aggregation and the writer, --waits-as-venue included). */
#include "../../acct/acct.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acct_import_opts o = {.cat = fuzz_catalog(),
				     .accelerator = "L4",
				     .since = ACCT_UNKNOWN,
				     .until = ACCT_UNKNOWN,
				     .waits_venue = "narval",
				     .name = "fuzz"};
	struct acct_import im;
	struct util_diags d;
	struct util_err err;
	struct util_buf b;

	o.group_by = size ? (enum acct_group_by)(data[0] % 3) : ACCT_BY_ACCOUNT;
	acct_import_init(&im, &o);
	util_diags_init(&d);
	util_buf_init(&b);
	if (!acct_import_sacct(&im, fuzz_file(data, size, "sacct.txt"),
			       1 << 20, &d, &err))
		acct_import_scenario(&im, &b, &err);
	util_buf_release(&b);
	util_diags_release(&d);
	acct_import_release(&im);
	return 0;
}
