/* ydoc: YAML documents loaded safely (size, depth, alias expansion and
 * UTF-8 checked before libyaml's document API builds the tree), and a
 * cursor for reading mappings with typed getters that record every problem
 * as a diagnostic with file:line:col. Used by the scenario loader (model/)
 * and the catalog loader (pricing/). */
#ifndef UTIL_YDOC_H
#define UTIL_YDOC_H

#include <yaml.h>

#include "util.h"

#define UTIL_INPUT_MAX ((size_t)16 << 20) /* 16 MiB per input file */
#define UTIL_YAML_MAX_DEPTH 64		  /* nesting of lists and maps */
#define UTIL_YAML_MAX_NODES 2000000	  /* nodes, aliases expanded: 20,000
					   * offers with every key (catalog) */
#define UTIL_YAML_MAX_ANCHORS 10000
#define UTIL_YAML_MAX_KEYS 2000 /* per mapping: checks are quadratic */

struct util_ydoc {
	yaml_document_t doc;
	char *file; /* owned: the name used in messages */
	bool loaded;
};

/* Loads one YAML document from buf[0..len). Every problem becomes a
 * diagnostic in d (file:line:col, 1-based). Returns 0 or UTIL_E_INPUT.
 * Release y with util_ydoc_release whatever the result. */
int util_ydoc_load(struct util_ydoc *y, const char *file, const char *buf,
		   size_t len, struct util_diags *d);
/* Reads path (at most UTIL_INPUT_MAX bytes) and loads it. Returns 0,
 * UTIL_E_INPUT, or UTIL_E_NOINPUT when the file cannot be read; the
 * problem is recorded in d either way. */
int util_ydoc_load_file(struct util_ydoc *y, const char *path,
			struct util_diags *d);
void util_ydoc_release(struct util_ydoc *y);

/* The root node (never NULL after a successful load). */
yaml_node_t *util_ydoc_root(const struct util_ydoc *y);
/* The node at a libyaml index, as found in sequence items and pairs. */
yaml_node_t *util_ydoc_node(const struct util_ydoc *y, int index);

int util_yline(const yaml_node_t *n);
int util_ycol(const yaml_node_t *n);
/* The text of a scalar, or NULL for a list or mapping. */
const char *util_yscalar(const yaml_node_t *n);
/* True for a plain empty scalar, "~" or "null": YAML's null. */
bool util_ynull(const yaml_node_t *n);
/* "a list", "a mapping", "nothing", or the quoted scalar: for messages. */
const char *util_ydescribe(const yaml_node_t *n, char *buf, size_t size);

/* Records an error (or warning) at node n. Returns UTIL_E_INPUT (0). */
int util_yerr(struct util_ydoc *y, struct util_diags *d, const yaml_node_t *n,
	      const char *fmt, ...) UTIL_PRINTF(4, 5);
int util_ywarn(struct util_ydoc *y, struct util_diags *d,
	       const yaml_node_t *n, const char *fmt, ...) UTIL_PRINTF(4, 5);

/* Number of items of a sequence, and item i. */
size_t util_yseq_len(const yaml_node_t *seq);
yaml_node_t *util_yseq_item(const struct util_ydoc *y, const yaml_node_t *seq,
			    size_t i);

/* A mapping being read. ctx names it in messages ("offer 'x'"); it is
 * copied. node is NULL when what was opened is absent or not a mapping:
 * the getters then take every key as absent, and fail on required ones
 * without a message of their own (the opener reports the mapping). */
struct util_ymap {
	struct util_ydoc *y;
	struct util_diags *d;
	const yaml_node_t *node;
	char ctx[160];
};

enum { UTIL_Y_REQUIRED = 1 };

/* Opens node as a mapping named ctx. Checks that keys are scalars, that
 * none repeats, and (when keys is not NULL) that each is one of keys[],
 * with a "did you mean" hint. Returns 0 or UTIL_E_INPUT. */
int util_ymap_open(struct util_ymap *m, struct util_ydoc *y,
		   struct util_diags *d, const yaml_node_t *node,
		   const char *ctx, const char *const *keys, size_t nkeys);
size_t util_ymap_len(const struct util_ymap *m);
/* Key and value of pair i. */
const yaml_node_t *util_ymap_key(const struct util_ymap *m, size_t i);
const yaml_node_t *util_ymap_value(const struct util_ymap *m, size_t i);
/* The value of key, or NULL when absent. */
const yaml_node_t *util_ymap_get(const struct util_ymap *m, const char *key);

/* Typed getters: return 1 when the key is present and valid (out set), 0
 * when absent and not required (out untouched), UTIL_E_INPUT otherwise,
 * with a diagnostic recorded. */
int util_ymap_str(struct util_ymap *m, const char *key, int flags,
		  const char **out);
int util_ymap_num(struct util_ymap *m, const char *key, int flags, double min,
		  double max, double *out);
int util_ymap_long(struct util_ymap *m, const char *key, int flags, long min,
		   long max, long *out);
int util_ymap_bool(struct util_ymap *m, const char *key, int flags,
		   bool *out);
/* A list of strings at key into a new array *v of *n strings (caller
 * frees each and the array). Items that are not strings are reported and
 * stored as "". Returns 1, 0 when absent, UTIL_E_INPUT. */
int util_ymap_strv(struct util_ymap *m, const char *key, char ***v,
		   size_t *n);
/* Records "missing required key" for m; returns UTIL_E_INPUT. */
int util_ymap_missing(struct util_ymap *m, const char *key);
/* Records an error about the value of key (at the value's position; at
 * NULL, a key left out: at the mapping's). */
int util_ymap_err(struct util_ymap *m, const yaml_node_t *at,
		  const char *fmt, ...) UTIL_PRINTF(3, 4);

#endif
