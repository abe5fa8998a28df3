/* The one clock for elapsed time: time limits, progress bars. */
#include <time.h>

#include "util.h"

double util_now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
