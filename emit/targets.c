/* The deployment targets of `gpuplan emit` (docs/emit.md). */
#include <jansson.h>

#include "emit_int.h"

const char *const emit_target_names[EMIT_NTARGETS] = {
	"json", "slurm", "kubernetes", "kueue", "skypilot",
};

int emit_json_text(struct json_t *root, struct util_buf *b)
{
	char *s = json_dumps(root, JSON_SORT_KEYS | JSON_INDENT(2) |
					   JSON_REAL_PRECISION(10));

	json_decref(root);
	if (!s)
		return -1;
	util_buf_puts(b, s);
	util_buf_puts(b, "\n");
	free(s);
	return 0;
}

static int emit_json(const struct model_scenario *s,
		     const struct model_plan *p, struct emit_files *out,
		     struct util_err *err)
{
	struct util_buf b;

	util_buf_init(&b);
	if (emit_json_text(emit_plan_json(s, p), &b)) {
		util_buf_release(&b);
		return util_err_set(err, UTIL_E_INTERNAL,
				    "cannot format the plan as JSON");
	}
	emit_files_add(out, "plan.json", &b);
	return 0;
}

int emit_plan(const struct model_scenario *s, const struct model_plan *p,
	      enum emit_target t, struct emit_files *out, struct util_err *err)
{
	return emit_plan_opts(s, p, t, NULL, out, err);
}

int emit_plan_opts(const struct model_scenario *s, const struct model_plan *p,
		   enum emit_target t, const struct emit_opts *o,
		   struct emit_files *out, struct util_err *err)
{
	static const struct emit_opts defaults = {0};

	if (!o)
		o = &defaults;
	switch (t) {
	case EMIT_JSON:
		return emit_json(s, p, out, err);
	case EMIT_SLURM:
		return emit_slurm(s, p, out, err);
	case EMIT_KUBERNETES:
		return emit_kubernetes(s, p, o, out, err);
	case EMIT_KUEUE:
		return emit_kueue(s, p, o, out, err);
	case EMIT_SKYPILOT:
		return emit_skypilot(s, p, out, err);
	default:
		return util_err_set(err, UTIL_E_INTERNAL, "no target %d",
				    (int)t);
	}
}
