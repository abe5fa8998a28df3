/* What the sweep command's files share (cli/cmd_sweep.c,
 * cli/sweep_grid.c). */
#ifndef CLI_SWEEP_H
#define CLI_SWEEP_H

#include "cli.h"

struct sweep_dim {
	const char *arg; /* the --set argument, for messages */
	char *path;
	char **values;
	size_t nvalues, alloc;
};
struct sweep_grid {
	struct sweep_dim *dims;
	size_t ndims, alloc;
};

/* Adds the dimension of one --set argument. Returns 0 or a usage error
 * (printed). */
int sweep_add_set(struct sweep_grid *g, const char *arg);
/* The number of points (a usage error past a million). */
int sweep_grid_size(const struct sweep_grid *g, size_t *n);
/* The overrides of point index (1..size) into set[0..ndims). */
void sweep_point(const struct sweep_grid *g, size_t index,
		 struct model_set *set);
void sweep_grid_release(struct sweep_grid *g);

#endif
