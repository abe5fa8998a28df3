/* A shard file (sensitivity merge, compare merge) from any bytes, read
 * and merged against a small scenario: the header, a sensitivity's body
 * and a comparison's strategies (plans, simulations, checks). */
#include <string.h>

#include "../../advise/advise.h"
#include "fuzz.h"

static const char scenario[] =
	"scenario: fuzz\nhorizon: 12w\nperiod: week\n"
	"venues: {allow: [cloud, gpuaas, onprem], onprem: {owned: {L40S: 2}}}\n"
	"workloads:\n"
	"  - name: w\n    kind: research\n    gpu_hours: 100 A100\n"
	"  - name: api\n    kind: inference\n"
	"    model: {compute: 8.7GFLOP, params: 11M, precision: int8}\n"
	"    rate: 5/s\n    latency_p99: 100ms\n";

static void sensitivity(const struct model_scenario *s,
			const struct advise_shard *sh)
{
	struct advise_sensitivity r;
	struct util_err err;

	advise_sensitivity_merge(s, sh, 1, &r, &err);
}

/* Up to 4 strategies, all the scenario as it is, named s0, s1, ... */
static void compare(const struct model_scenario *s,
		    const struct advise_shard *sh)
{
	static const char *const names[] = {"s0", "s1", "s2", "s3"};
	const struct model_scenario *ss[4] = {s, s, s, s};
	struct advise_loop_opts o;
	struct advise_compare_head h;
	struct advise_compare r;
	struct util_err err;

	advise_loop_defaults(&o);
	o.sim.replications = 2; /* whatever the shard says: a fuzzer's pace */
	o.rounds = 1;
	if (!advise_compare_shard_head(sh, &h, &err) && h.ncol <= 4) {
		advise_compare_merge(s, ss, names, (size_t)h.ncol, &o, sh, 1,
				     &r, &err);
		advise_compare_release(&r);
	}
	advise_compare_head_release(&h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kinds[] = {"sensitivity", "compare"};
	const struct model_scenario *s =
		fuzz_scenario(scenario, sizeof(scenario) - 1);

	for (int k = 0; k < 2; k++) {
		struct advise_shard sh;
		struct util_err err;

		if (!advise_shard_read(fuzz_file(data, size, "x.shard"),
				       kinds[k], &sh, &err)) {
			if (k)
				compare(s, &sh);
			else
				sensitivity(s, &sh);
		}
		advise_shard_release(&sh);
	}
	return 0;
}
