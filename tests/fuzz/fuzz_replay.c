/* A cluster trace (simulate --replay) from any bytes, replayed with EASY
 * backfilling on 8 devices and first come first served on 2: the reader,
 * the malformed-row count and the O(log n) queue. */
#include "../../sim/sim.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size, "trace.csv");
	struct sim_replay *r = util_xmalloc(sizeof(*r)); /* big */

	for (int backfill = 0; backfill < 2; backfill++) {
		struct sim_replay_opts o = {.path = path,
					    .devices = backfill ? 8 : 2,
					    .backfill = backfill};
		struct util_diags d;

		util_diags_init(&d);
		sim_replay_run(&o, r, &d);
		util_diags_release(&d);
	}
	free(r);
	return 0;
}
