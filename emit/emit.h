/* emit: what gpuplan writes for allocators: the plan as JSON and for
 * Slurm, Kubernetes, Kueue and SkyPilot (gnuplot scripts are report/'s).
 * Builds text; writing files and running programs is the caller's. Knows
 * model/. */
#ifndef EMIT_EMIT_H
#define EMIT_EMIT_H

#include "../model/model.h"
#include "../util/util.h"

/* ---- quoting (emit/quote.c): every string from an input file that
 * gpuplan writes for another program goes through one of these. */

/* s as a YAML double-quoted scalar, "..." with '"', '\\', control
 * characters and YAML's other line breaks (U+0085, U+2028, U+2029)
 * escaped: one scalar whatever s holds. NULL: "". */
void emit_yaml_str(struct util_buf *b, const char *s);
/* s as one POSIX shell word: single-quoted, '\'' for a quote. */
void emit_shell_word(struct util_buf *b, const char *s);
/* One comment line: lead ("# "), the printf-formatted text with every
 * byte outside printable ASCII made '?' (a newline cannot end the
 * comment), then a newline. */
void emit_comment(struct util_buf *b, const char *lead, const char *fmt,
		  ...) UTIL_PRINTF(3, 4);
/* True if s is a non-empty word of letters, digits, '.', '_' and '-':
 * what may go on an #SBATCH line or in slurm.conf, which have no
 * quoting gpuplan can rely on. */
bool emit_word_ok(const char *s);

/* ---- the plan for other programs (emit/plan_json.c, emit/slurm.c, ...) */

#define EMIT_PLAN_SCHEMA "gpuplan.plan/v1"

/* The plan as a gpuplan.plan/v1 document (docs/plan.schema.json); the
 * caller owns the reference (json_decref). */
struct json_t;
struct json_t *emit_plan_json(const struct model_scenario *s,
			      const struct model_plan *p);

/* Where the prices in use came from: the catalog's layers, later ones
 * winning ("embedded catalog", "azure prices fetched 2026-11-21T...",
 * catalog files), as a JSON array, or as a "prices: a + b" line (with
 * markdown, the names escaped as markdown text: a file name may hold
 * markup). */
struct pricing_catalog;
struct json_t *emit_prices_json(const struct pricing_catalog *c);
void emit_prices_line(const struct pricing_catalog *c, const char *oldest,
		      bool markdown, struct util_buf *b);
/* The older of sofar (a YYYY-MM-DD date or NULL) and the oldest `as_of`
 * of the offers plan p rents or buys; NULL when neither has one. The
 * string belongs to p's catalog. emit_prices_line adds it to its line
 * ("oldest price used: as_of ...") when oldest is not NULL. */
const char *emit_oldest_as_of(const struct model_plan *p, const char *sofar);
/* Appends "estimated prices used: ID, ID (gpuplan catalog offers ...)\n"
 * for the offers of p's assignments and purchases
 * marked `estimate: true` (three named at most, then how many more);
 * nothing when there are none. who, when given, names the plan
 * ("the verdict's option, hybrid,"). */
void emit_estimates_line(const struct model_plan *p, const char *who,
			 struct util_buf *b);
/* Adds every offer p uses (runs and purchases) to st, to check their
 * prices' age (pricing_staleness_check). */
void emit_plan_prices(const struct model_plan *p, struct pricing_staleness *st);
/* "embedded catalog" for the embedded catalog's origin, else origin. */
const char *emit_price_layer(const char *origin);

/* A JSON number for v, which must be finite: jansson has no NaN, and a
 * NULL value would drop its key silently, so a non-finite number
 * reaching an output is a bug (asserted; docs/security.md). */
struct json_t *emit_json_real(double v);

/* Appends root as JSON text (sorted keys, indented, 10 significant
 * digits, a final newline) to b and drops the reference. Returns 0, or -1
 * when jansson cannot format it. */
int emit_json_text(struct json_t *root, struct util_buf *b);

/* Files made in memory, written by the caller in one go. */
struct emit_file {
	char *name; /* relative: "fir/phd-vision.sbatch" */
	char *text;
};
struct emit_files {
	struct emit_file *v;
	size_t n, alloc;
	/* what the target leaves out of the plan, one line each, for the
	 * CLI to say on stderr ("" when nothing) */
	struct util_buf notes;
};
void emit_files_init(struct emit_files *f);
void emit_files_release(struct emit_files *f);
/* Adds a file; text is taken (b is left empty). */
void emit_files_add(struct emit_files *f, const char *name,
		    struct util_buf *text);

enum emit_target {
	EMIT_JSON,
	EMIT_SLURM,
	EMIT_KUBERNETES,
	EMIT_KUEUE,
	EMIT_SKYPILOT,
	EMIT_NTARGETS
};
extern const char *const emit_target_names[EMIT_NTARGETS];

/* What a user may choose about the files. */
struct emit_opts {
	const char *kueue_api; /* "v1beta2" (NULL: the default) or "v1beta1" */
	/* the image of the CronJobs that scale services to their daily
	 * hours (NULL: registry.k8s.io/kubectl, docs/emit.md) */
	const char *kubectl_image;
};

/* The files of target t for plan p of scenario s (docs/emit.md). Returns
 * 0, or UTIL_E_INPUT when a value cannot be made safe for the target (an
 * account with a space, say), with err saying which. */
int emit_plan(const struct model_scenario *s, const struct model_plan *p,
	      enum emit_target t, struct emit_files *out,
	      struct util_err *err);
/* The same with options o (NULL: the defaults). */
int emit_plan_opts(const struct model_scenario *s, const struct model_plan *p,
		   enum emit_target t, const struct emit_opts *o,
		   struct emit_files *out, struct util_err *err);

#endif
