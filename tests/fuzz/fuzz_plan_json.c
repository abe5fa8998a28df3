/* A plan JSON (simulate --plan) from any bytes, read against a shipped
 * scenario, and a plan read written back as emit --to json does (which
 * takes finite figures only). */
#include <jansson.h>

#include "../../emit/emit.h"
#include "fuzz.h"

static const char scenario[] =
	"scenario: fuzz\nhorizon: 12w\nperiod: week\nworkloads:\n"
	"  - name: w\n    kind: research\n    gpu_hours: 100 A100\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct model_scenario *s =
		fuzz_scenario(scenario, sizeof(scenario) - 1);
	struct model_plan p = {0};
	struct util_diags d;

	util_diags_init(&d);
	if (!model_plan_read(s, fuzz_file(data, size, "plan.json"), &p, &d))
		json_decref(emit_plan_json(s, &p));
	model_plan_release(&p);
	util_diags_release(&d);
	return 0;
}
