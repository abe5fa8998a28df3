/* A scenario from any bytes: loaded against the embedded catalog; when it
 * loads, estimated too. Never a crash, a leak or a hang. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model_scenario s;
	struct model_estimate e;
	struct util_diags d;
	struct util_err err;

	util_diags_init(&d);
	if (!model_scenario_load_buffer(&s, "fuzz.yaml", (const char *)data,
					size, fuzz_catalog(), &d) &&
	    s.nworkloads <= 8 && !model_estimate(&s, NULL, NULL, &e, &err))
		model_estimate_release(&e);
	model_scenario_release(&s);
	util_diags_release(&d);
	return 0;
}
