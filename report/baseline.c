/* A comparison read back from `compare --format json`, and the
 * pull-request comment on what changed since a base (issue 18): the
 * base is untrusted input, checked field by field. */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../util/ydoc.h"
#include "format.h"

#define MAX_NAME 200
#define MAX_OPTIONS 64
#define MAX_TARGETS 256

void report_md_text(struct util_buf *out, const char *s)
{
	for (; s && *s; s++) {
		size_t k = util_utf8_format_len(s);

		if (k) { /* shown as a space, as the C0 controls */
			util_buf_puts(out, " ");
			s += k - 1;
		} else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			util_buf_puts(out, " ");
		else if (strchr("\\`*_~<>[]|&@#", *s))
			util_buf_printf(out, "\\%c", *s);
		else
			util_buf_add(out, s, 1);
	}
}

/* The document being read: its file, its text when there is one (for
 * the line and column of a message, util_json_locate), and the path of
 * the value being read. */
struct bdoc {
	const char *file, *text;
	size_t len;
	const char *path[4];
	size_t npath;
	char idx[2][24];
};

/* "file:line:col: where.'key': msg" into err, at the value of key (key
 * NULL: at the value being read). UTIL_E_INPUT. */
static int fail(const struct bdoc *b, const char *key, struct util_err *err,
		const char *fmt, ...) UTIL_PRINTF(4, 5);
static int fail(const struct bdoc *b, const char *key, struct util_err *err,
		const char *fmt, ...)
{
	const char *path[5];
	char msg[400];
	int line = 0, col = 0;
	va_list ap;

	memcpy(path, b->path, b->npath * sizeof(*path));
	path[b->npath] = key;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!b->text)
		return util_err_set(err, UTIL_E_INPUT, "%s: %s", b->file, msg);
	util_json_locate(b->text, b->len, path, b->npath + (key != NULL),
			 &line, &col);
	return util_err_set(err, UTIL_E_INPUT, "%s:%d:%d: %s", b->file, line,
			    col, msg);
}

/* A string field of o at where (a path for messages) into *out. An
 * optional one may be absent or null (as 'cheapest' was written when no
 * option met every target by gpuplan 0.1.0: bases stored then load). */
static int str_field(const json_t *o, const char *key, bool need,
		     const struct bdoc *b, const char *where, char **out,
		     struct util_err *err)
{
	const json_t *v = json_object_get(o, key);

	if ((!v || json_is_null(v)) && !need)
		return 0;
	if (!json_is_string(v))
		return fail(b, v ? key : NULL, err, "%s%s'%s': a string was "
			    "expected (is the file the output of 'gpuplan "
			    "compare --format json'?)", where,
			    *where ? "." : "", key);
	if (strlen(json_string_value(v)) > MAX_NAME)
		return fail(b, key, err, "%s%s'%s': longer than %d bytes",
			    where, *where ? "." : "", key, MAX_NAME);
	*out = util_xstrdup(json_string_value(v));
	return 0;
}

static int read_target(const json_t *o, struct bdoc *b, const char *where,
		       struct report_target *t, struct util_err *err)
{
	const json_t *met = json_object_get(o, "met");
	int rc;

	if (!json_is_object(o))
		return fail(b, NULL, err, "%s: an object was expected", where);
	rc = str_field(o, "workload", true, b, where, &t->workload, err);
	if (!rc)
		rc = str_field(o, "target", true, b, where, &t->target, err);
	if (!rc && !json_is_boolean(met))
		rc = fail(b, met ? "met" : NULL, err, "%s.'met': true or false "
			  "was expected", where);
	if (!rc)
		t->met = json_is_true(met);
	return rc;
}

static int read_targets(const json_t *ts, struct bdoc *b, const char *where,
			struct report_option *opt, struct util_err *err)
{
	int rc = 0;

	if (!json_is_array(ts) || json_array_size(ts) > MAX_TARGETS)
		return fail(b, "targets", err, "%s.'targets': an array of at "
			    "most %d was expected", where, MAX_TARGETS);
	opt->targets = util_xcalloc(json_array_size(ts) + 1,
				    sizeof(*opt->targets));
	b->path[b->npath++] = "targets";
	b->path[b->npath++] = b->idx[1];
	for (size_t k = 0; !rc && k < json_array_size(ts); k++) {
		char at[96];

		snprintf(b->idx[1], sizeof(b->idx[1]), "%zu", k);
		snprintf(at, sizeof(at), "%s.targets[%zu]", where, k);
		rc = read_target(json_array_get(ts, k), b, at,
				 &opt->targets[opt->ntargets++], err);
	}
	b->npath -= 2;
	return rc;
}

static int read_option(const json_t *o, struct bdoc *b, size_t i,
		       struct report_option *opt, struct util_err *err)
{
	const json_t *total = json_object_get(o, "total_cost");
	const json_t *ts = json_object_get(o, "targets");
	char where[64];
	int rc;

	snprintf(where, sizeof(where), "columns[%zu]", i);
	if (!json_is_object(o))
		return fail(b, NULL, err, "%s: an object was expected", where);
	rc = str_field(o, "name", true, b, where, &opt->name, err);
	if (!rc)
		rc = str_field(o, "status", true, b, where, &opt->status, err);
	if (!rc && total && (!json_is_number(total) ||
			     !isfinite(json_number_value(total)) ||
			     fabs(json_number_value(total)) > 1e15))
		rc = fail(b, "total_cost", err, "%s.'total_cost': a finite "
			  "number was expected", where);
	if (!rc && total) {
		opt->has_total = true;
		opt->total = json_number_value(total);
	}
	if (rc || !ts)
		return rc;
	return read_targets(ts, b, where, opt, err);
}

static int from_json(const json_t *root, struct bdoc *b,
		     struct report_compare_doc *out, struct util_err *err)
{
	const json_t *cols = json_object_get(root, "columns");
	int rc;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(root))
		return fail(b, NULL, err, "not a comparison: a JSON object was "
			    "expected (the output of 'gpuplan compare "
			    "--format json')");
	if (!cols && json_object_get(root, "assignments"))
		return fail(b, NULL, err, "a plan, not a comparison (the "
			    "output of 'gpuplan plan --format json'): give "
			    "the output of 'gpuplan compare --format json'");
	rc = str_field(root, "scenario", true, b, "", &out->scenario, err);
	if (!rc)
		rc = str_field(root, "currency", true, b, "", &out->currency,
			       err);
	if (!rc)
		rc = str_field(root, "cheapest", false, b, "", &out->cheapest,
			       err);
	if (!rc && (!json_is_array(cols) || !json_array_size(cols) ||
		    json_array_size(cols) > MAX_OPTIONS))
		rc = fail(b, cols ? "columns" : NULL, err, "'columns': an "
			  "array of 1 to %d options was expected",
			  MAX_OPTIONS);
	if (rc)
		return rc;
	out->opt = util_xcalloc(json_array_size(cols), sizeof(*out->opt));
	b->path[0] = "columns";
	b->path[1] = b->idx[0];
	b->npath = 2;
	for (size_t i = 0; !rc && i < json_array_size(cols); i++) {
		snprintf(b->idx[0], sizeof(b->idx[0]), "%zu", i);
		rc = read_option(json_array_get(cols, i), b, i,
				 &out->opt[out->nopt++], err);
	}
	return rc;
}

int report_compare_doc_from_json(const json_t *root, const char *file,
				 struct report_compare_doc *out,
				 struct util_err *err)
{
	struct bdoc b = {.file = file};

	return from_json(root, &b, out, err);
}

int report_compare_doc_load(const char *path, struct report_compare_doc *out,
			    struct util_err *err)
{
	struct bdoc b = {.file = path};
	json_error_t je;
	json_t *root;
	char *buf = NULL;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = util_read_file(path, UTIL_INPUT_MAX, &buf, &len, err);
	if (rc)
		return rc;
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		free(buf);
		return util_err_set(err, UTIL_E_INPUT, "%s:%d:%d: not a "
				    "comparison: %s", path, je.line < 1 ? 1
				    : je.line, je.column < 1 ? 1 : je.column,
				    je.text);
	}
	b.text = buf;
	b.len = len;
	rc = from_json(root, &b, out, err);
	free(buf);
	json_decref(root);
	return rc;
}

void report_compare_doc_release(struct report_compare_doc *d)
{
	for (size_t i = 0; i < d->nopt; i++) {
		for (size_t k = 0; k < d->opt[i].ntargets; k++) {
			free(d->opt[i].targets[k].workload);
			free(d->opt[i].targets[k].target);
		}
		free(d->opt[i].targets);
		free(d->opt[i].name);
		free(d->opt[i].status);
	}
	free(d->opt);
	free(d->scenario);
	free(d->currency);
	free(d->cheapest);
	memset(d, 0, sizeof(*d));
}

static const struct report_option *find(const struct report_compare_doc *d,
					const char *name)
{
	for (size_t i = 0; name && i < d->nopt; i++)
		if (!strcmp(d->opt[i].name, name))
			return &d->opt[i];
	return NULL;
}

/* "+9,316 USD (+20.9%)", "0", or "-" without two totals. */
static void change(char *buf, size_t n, const struct report_option *a,
		   const struct report_option *b, const char *currency)
{
	char m[64];

	if (!a || !b || !a->has_total || !b->has_total) {
		snprintf(buf, n, "-");
		return;
	}
	util_fmt_money(m, sizeof(m), b->total - a->total, currency, true);
	if (fabs(b->total - a->total) < 0.005)
		snprintf(buf, n, "0");
	else if (fabs(a->total) < 0.005)
		snprintf(buf, n, "%s", m);
	else
		snprintf(buf, n, "%s (%+.1f%%)", m,
			 (b->total - a->total) / fabs(a->total) * 100);
}

/* Targets whose state changed, in options present in both: counts of
 * newly met and newly missed, and their lines when list is set. */
static void target_changes(const struct report_compare_doc *base,
			   const struct report_compare_doc *now,
			   size_t *met, size_t *missed, struct util_buf *list)
{
	*met = *missed = 0;
	for (size_t i = 0; i < now->nopt; i++) {
		const struct report_option *o = &now->opt[i];
		const struct report_option *b = find(base, o->name);

		for (size_t k = 0; b && k < o->ntargets; k++)
			for (size_t j = 0; j < b->ntargets; j++) {
				const struct report_target *x = &o->targets[k];
				const struct report_target *y = &b->targets[j];

				if (strcmp(x->workload, y->workload) ||
				    strcmp(x->target, y->target) ||
				    x->met == y->met)
					continue;
				*(x->met ? met : missed) += 1;
				if (!list)
					break;
				util_buf_puts(list, "- ");
				report_md_text(list, o->name);
				util_buf_puts(list, ": ");
				report_md_text(list, x->workload);
				util_buf_puts(list, " ");
				report_md_text(list, x->target);
				util_buf_puts(list, x->met ? ": newly met\n"
							   : ": newly missed\n");
				break;
			}
	}
}

static void summary(const struct report_compare_doc *base,
		    const struct report_compare_doc *now, struct util_buf *out)
{
	const struct report_option *a = find(base, base->cheapest);
	const struct report_option *b = find(now, now->cheapest);
	char m[64], c[96];
	size_t met, missed;

	util_buf_puts(out, "**gpuplan** ");
	report_md_text(out, now->scenario);
	util_buf_puts(out, ": ");
	if (b && b->has_total) {
		util_fmt_money(m, sizeof(m), b->total, now->currency, false);
		util_buf_puts(out, "recommended ");
		report_md_text(out, b->name);
		util_buf_printf(out, " at %s", m);
		if (a && a->has_total) {
			change(c, sizeof(c), a, b, now->currency);
			util_buf_printf(out, ", %s", !strcmp(c, "0")
							   ? "no change"
							   : c);
			util_buf_puts(out, " against the base's ");
			report_md_text(out, a->name);
			util_fmt_money(m, sizeof(m), a->total,
					 now->currency, false);
			util_buf_printf(out, " at %s", m);
		} else {
			util_buf_puts(out, " (on the base, no option met "
				      "every target)");
		}
	} else {
		util_buf_puts(out, "no option meets every target");
		if (a) {
			util_buf_puts(out, " (on the base: ");
			report_md_text(out, a->name);
			util_buf_puts(out, ")");
		}
	}
	target_changes(base, now, &met, &missed, NULL);
	if (met || missed)
		util_buf_printf(out, "; targets newly missed: %zu, newly met: "
				"%zu", missed, met);
	util_buf_puts(out, "\n\n");
}

static void option_row(const struct report_option *a,
		       const struct report_option *b, const char *currency,
		       struct util_buf *out)
{
	const struct report_option *o = b ? b : a;
	char ma[64] = "-", mb[64] = "-", c[96];

	if (a && a->has_total)
		util_fmt_money(ma, sizeof(ma), a->total, currency, false);
	if (b && b->has_total)
		util_fmt_money(mb, sizeof(mb), b->total, currency, false);
	change(c, sizeof(c), a, b, currency);
	util_buf_puts(out, "| ");
	report_md_text(out, o->name);
	util_buf_puts(out, " | ");
	if (a && b && strcmp(a->status, b->status)) {
		report_md_text(out, a->status);
		util_buf_puts(out, " → ");
	}
	report_md_text(out, b ? b->status : "removed");
	util_buf_printf(out, " | %s | %s | %s |\n", ma, mb,
			!a ? "new" : !b ? "removed" : c);
}

int report_baseline_markdown(const struct report_compare_doc *base,
			     const struct report_compare_doc *now,
			     const char *details, struct util_buf *out,
			     struct util_err *err)
{
	struct util_buf list;
	size_t met, missed;

	if (strcmp(base->currency, now->currency))
		return util_err_set(err, UTIL_E_INPUT, "the base is in %s and "
				    "this comparison in %s: compare in one "
				    "currency", base->currency, now->currency);
	summary(base, now, out);
	if (strcmp(base->scenario, now->scenario)) {
		/* renamed in the change, or the wrong file given: say so */
		util_buf_puts(out, "The base is of scenario '");
		report_md_text(out, base->scenario);
		util_buf_puts(out, "', this comparison of '");
		report_md_text(out, now->scenario);
		util_buf_puts(out, "'.\n\n");
	}
	util_buf_puts(out, "| option | status | total cost, base | total "
		      "cost, now | change |\n|---|---|---:|---:|---:|\n");
	for (size_t i = 0; i < now->nopt; i++)
		option_row(find(base, now->opt[i].name), &now->opt[i],
			   now->currency, out);
	for (size_t i = 0; i < base->nopt; i++)
		if (!find(now, base->opt[i].name))
			option_row(&base->opt[i], NULL, now->currency, out);
	util_buf_init(&list);
	target_changes(base, now, &met, &missed, &list);
	if (list.len) {
		util_buf_puts(out, "\nTargets that changed:\n\n");
		util_buf_puts(out, util_buf_str(&list));
	}
	util_buf_release(&list);
	util_buf_puts(out, "\n<details><summary>The whole comparison"
		      "</summary>\n\n");
	util_buf_puts(out, details ? details : "");
	util_buf_puts(out, "\n</details>\n");
	return 0;
}
