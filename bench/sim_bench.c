/* Kernel throughput: an M/M/8 queue at 80% load with 10 million
 * customers (two events each). Prints events per second. */
#include <stdio.h>
#include <time.h>

#include "../sim/sim.h"

int main(int argc, char **argv)
{
	struct sim_mgc q = {.lambda = 6.4, .service = 1,
			    .dist = SIM_EXPONENTIAL, .servers = 8,
			    .customers = 10000000, .seed = 1};
	struct sim_mgc_result *r = util_xmalloc(sizeof(*r));
	struct timespec t0, t1;
	double s;
	long n;

	if (argc > 1 && !util_parse_long(argv[1], 1, 1000000000, &n))
		q.customers = (uint64_t)n;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sim_mgc_run(&q, r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%llu events in %.3f s: %.1f million events/s (mean wait "
	       "%.4f)\n", (unsigned long long)r->events, s,
	       (double)r->events / s / 1e6, r->mean_wait);
	free(r);
	return 0;
}
