/* A sweep's --set PATH=VALUE from any text, applied to a scenario with
 * named workloads, nested maps and an alias. */
#include <string.h>

#include "fuzz.h"

static const char scenario[] =
	"scenario: fuzz\nhorizon: 16w\nperiod: week\nvenues:\n"
	"  allow: [gpuaas, cloud]\n  onprem:\n    owned: {L40S: 2}\n"
	"workloads:\n"
	"  - name: a.b\n    kind: teaching\n    students: 10\n"
	"    sessions: &s {per_week: 2, duration: 3h, weeks: 12}\n"
	"    per_student: {gpu_memory: 16GB, compute: 0.25 L40S}\n"
	"  - name: a\n    kind: teaching\n    students: 10\n"
	"    sessions: *s\n"
	"    per_student: {gpu_memory: 16GB, compute: 0.25 L40S}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[512], *eq;
	struct model_set set;
	struct model_scenario s;
	struct util_diags d;
	struct util_err err;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	eq = strchr(text, '=');
	if (!eq || eq == text || !eq[1])
		return 0;
	*eq = '\0';
	set.path = text;
	set.value = eq + 1;
	util_diags_init(&d);
	model_scenario_load_set(&s, "fuzz.yaml", scenario, sizeof(scenario) - 1,
				fuzz_catalog(), &set, 1, &d, &err);
	model_scenario_release(&s);
	util_diags_release(&d);
	return 0;
}
