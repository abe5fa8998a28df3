/* LD_PRELOAD shim for the allocation-failure test (tests/fault/run.sh):
 * the Nth call to malloc, calloc or realloc (GPUPLAN_FAIL_ALLOC=N)
 * returns NULL, once; every other call goes to the C library. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long count, fail_at;
static int ready;
static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);

/* dlsym may itself call calloc before real_calloc is known */
static char early[4096];
static size_t early_used;

static void init(void)
{
	const char *n = getenv("GPUPLAN_FAIL_ALLOC");

	ready = -1;
	real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
	real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	fail_at = n ? strtoul(n, NULL, 10) : 0;
	ready = 1;
}

static int fail_now(void)
{
	return ++count == fail_at;
}

/* GPUPLAN_COUNT_ALLOC=FILE: how many allocations the run made, at exit */
__attribute__((destructor)) static void report(void)
{
	const char *f = getenv("GPUPLAN_COUNT_ALLOC");
	FILE *out;

	if (!f)
		return;
	out = fopen(f, "w");
	if (out) {
		fprintf(out, "%lu\n", count);
		fclose(out);
	}
}

void *malloc(size_t n)
{
	if (ready == 0)
		init();
	return fail_now() ? NULL : real_malloc(n);
}

void *calloc(size_t m, size_t n)
{
	if (ready == -1) { /* inside dlsym: a zeroed static block */
		void *p = early + early_used;

		early_used += (m * n + 15) & ~(size_t)15;
		return early_used <= sizeof(early) ? p : NULL;
	}
	if (ready == 0)
		init();
	return fail_now() ? NULL : real_calloc(m, n);
}

void *realloc(void *p, size_t n)
{
	if (ready == 0)
		init();
	return fail_now() ? NULL : real_realloc(p, n);
}

void free(void *p)
{
	static void (*real_free)(void *);

	if ((char *)p >= early && (char *)p < early + sizeof(early))
		return;
	if (!real_free)
		real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	real_free(p);
}
