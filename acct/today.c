/* What is paid today (docs/import.md): the GPU spend of a cloud bill, from
 * the bill itself (FOCUS or CUR CSV, acct/focus.c) or from the baseline
 * file `gpuplan import focus` wrote, reduced to the months it covers and
 * their totals, for compare's "today" column. */
#include <ctype.h>
#include <string.h>

#include "../util/ydoc.h"
#include "acct.h"

/* The months from a to b (YYYY-MM), both counted; 0 when either is not a
 * month or b is before a. */
static int month_span(const char *a, const char *b)
{
	int ya, ma, yb, mb, n;

	/* exactly YYYY-MM: months are ordered as text (add_month) */
	for (int i = 0; i < 7; i++)
		if (!a[i] || !b[i] ||
		    (i == 4 ? a[i] != '-' || b[i] != '-'
			    : !isdigit((unsigned char)a[i]) ||
				      !isdigit((unsigned char)b[i])))
			return 0;
	if (sscanf(a, "%4d-%2d%n", &ya, &ma, &n) != 2 || a[n] ||
	    sscanf(b, "%4d-%2d%n", &yb, &mb, &n) != 2 || b[n] || ma < 1 ||
	    ma > 12 || mb < 1 || mb > 12)
		return 0;
	n = (yb - ya) * 12 + (mb - ma) + 1;
	return n > 0 ? n : 0;
}

static void add_month(struct acct_today *t, const char *month)
{
	if (!t->first[0] || strcmp(month, t->first) < 0)
		snprintf(t->first, sizeof(t->first), "%s", month);
	if (!t->last[0] || strcmp(month, t->last) > 0)
		snprintf(t->last, sizeof(t->last), "%s", month);
}

static void copy_text(char *dst, size_t n, const char *src)
{
	size_t k = 0;

	/* one line of printable text: the name is printed back */
	for (const char *p = src; *p && k + 1 < n; p++)
		dst[k++] = (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;
	dst[k] = 0;
}

static int from_bill(struct acct_today *t, const struct pricing_catalog *cat,
		     const char *path, struct util_diags *d,
		     struct util_err *err)
{
	struct acct_baseline b = {.cat = cat};
	int rc = acct_focus_read(&b, path, d, err);

	if (!rc) {
		snprintf(t->currency, sizeof(t->currency), "%s",
			 b.currency[0] ? b.currency : "USD");
		t->billed = b.billed;
		t->effective = b.effective;
		for (size_t i = 0; i < b.n; i++) {
			add_month(t, b.v[i].month);
			t->device_hours += b.v[i].hours * (double)b.v[i].devices;
		}
	}
	acct_baseline_release(&b);
	return rc;
}

static const char *const top_keys[] = {"baseline", "currency", "billed",
				       "effective", "spend"};
static const char *const spend_keys[] = {
	"month", "provider", "region", "instance", "offer", "accelerator",
	"devices", "pricing", "billed", "effective", "list", "quantity",
	"lines"};

static int from_yaml(struct acct_today *t, const char *path,
		     struct util_diags *d, struct util_err *err)
{
	struct util_ydoc y;
	struct util_ymap top, e;
	const yaml_node_t *spend;
	const char *cur = NULL, *src = NULL;
	int rc = util_ydoc_load_file(&y, path, d);

	if (rc) {
		util_ydoc_release(&y);
		util_err_set(err, rc, "%s: cannot be read as a baseline",
			     t->path);
		return rc;
	}
	rc = util_ymap_open(&top, &y, d, util_ydoc_root(&y), "the baseline",
			    top_keys, sizeof(top_keys) / sizeof(*top_keys));
	rc |= util_ymap_str(&top, "currency", UTIL_Y_REQUIRED, &cur) < 0;
	rc |= util_ymap_str(&top, "baseline", 0, &src) < 0;
	rc |= util_ymap_num(&top, "billed", UTIL_Y_REQUIRED, 0, 1e15,
			    &t->billed) < 0;
	rc |= util_ymap_num(&top, "effective", UTIL_Y_REQUIRED, 0, 1e15,
			    &t->effective) < 0;
	spend = util_ymap_get(&top, "spend");
	if (!spend || spend->type != YAML_SEQUENCE_NODE ||
	    !util_yseq_len(spend))
		rc |= util_yerr(&y, d, spend ? spend : util_ydoc_root(&y),
				"'spend' must be a list of months (what "
				"'gpuplan import focus' writes)") != 0;
	for (size_t i = 0; !rc && i < util_yseq_len(spend); i++) {
		const char *month = NULL;
		long dev = 0;
		double q = 0;

		rc |= util_ymap_open(&e, &y, d, util_yseq_item(&y, spend, i),
				     "a spend line", spend_keys,
				     sizeof(spend_keys) / sizeof(*spend_keys));
		rc |= util_ymap_str(&e, "month", UTIL_Y_REQUIRED, &month) < 0;
		rc |= util_ymap_long(&e, "devices", 0, 1, 1000000, &dev) < 0;
		rc |= util_ymap_num(&e, "quantity", 0, 0, 1e12, &q) < 0;
		if (!rc && !month_span(month, month))
			rc |= util_yerr(&y, d, util_ymap_get(&e, "month"),
					"'month' is YYYY-MM, got '%s'",
					month) != 0;
		if (!rc) {
			add_month(t, month);
			t->device_hours += q * (double)dev;
		}
	}
	if (!rc) {
		copy_text(t->currency, sizeof(t->currency), cur);
		if (src)
			copy_text(t->source, sizeof(t->source), src);
	}
	util_ydoc_release(&y);
	if (rc)
		util_err_set(err, UTIL_E_INPUT, "%s: not a baseline file "
			     "('gpuplan import focus BILL.csv --out FILE' "
			     "writes one)", t->path);
	return rc ? UTIL_E_INPUT : 0;
}

static bool is_yaml(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml"));
}

int acct_today_read(struct acct_today *t, const struct pricing_catalog *cat,
		    const char *path, struct util_diags *d,
		    struct util_err *err)
{
	int rc;

	memset(t, 0, sizeof(*t));
	copy_text(t->path, sizeof(t->path), path);
	copy_text(t->source, sizeof(t->source), path);
	rc = is_yaml(path) ? from_yaml(t, path, d, err)
			   : from_bill(t, cat, path, d, err);
	if (!rc) {
		t->months = month_span(t->first, t->last);
		if (!t->months) {
			util_err_set(err, UTIL_E_INPUT, "%s: no month of "
				     "GPU spend", t->path);
			return UTIL_E_INPUT;
		}
	}
	return rc;
}
