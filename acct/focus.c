/* A cloud bill's GPU lines as a baseline (docs/import.md): a FOCUS 1.x
 * export or an AWS CUR 2.0 file, columns found by header name; a line is
 * kept when its service is compute or AI and an instance type of the
 * catalog's offers appears in it; spend summed by month and by provider,
 * region, instance and pricing. */
#include <ctype.h>
#include <strings.h>

#include "acct.h"

#define FOCUS_MAX ((size_t)1 << 30)

enum fcol {
	F_START, F_BILLED, F_EFFECTIVE, F_LIST, F_PROVIDER, F_REGION,
	F_PRICING, F_QUANTITY, F_SERVICE, F_CURRENCY, F_USAGE_TYPE,
	F_TEXT1, F_TEXT2, F_TEXT3, F_TEXT4, NFCOLS
};

/* Each column's names: FOCUS 1.x first, then AWS CUR 2.0. */
static const char *const names[NFCOLS][4] = {
	[F_START] = {"ChargePeriodStart", "line_item_usage_start_date"},
	[F_BILLED] = {"BilledCost", "line_item_unblended_cost"},
	[F_EFFECTIVE] = {"EffectiveCost", "line_item_net_unblended_cost"},
	[F_LIST] = {"ListCost", "pricing_public_on_demand_cost"},
	[F_PROVIDER] = {"ProviderName", "bill_billing_entity"},
	[F_REGION] = {"RegionId", "product_region_code", "product_region"},
	[F_PRICING] = {"PricingCategory", "line_item_line_item_type"},
	[F_QUANTITY] = {"ConsumedQuantity", "line_item_usage_amount"},
	[F_SERVICE] = {"ServiceCategory", "product_product_family"},
	[F_CURRENCY] = {"BillingCurrency", "line_item_currency_code"},
	[F_USAGE_TYPE] = {"line_item_usage_type"},
	[F_TEXT1] = {"x_InstanceType", "product_instance_type"},
	[F_TEXT2] = {"SkuPriceDetails", "line_item_line_item_description"},
	[F_TEXT3] = {"ChargeDescription"},
	[F_TEXT4] = {"ResourceType", "SkuId"},
};

static int find_col(const struct util_csv_row *h, const char *const *n)
{
	for (size_t k = 0; k < 4 && n[k]; k++)
		for (size_t i = 0; i < h->n; i++)
			if (!strcasecmp(h->field[i], n[k]))
				return (int)i;
	return -1;
}

static const char *cell(const struct util_csv_row *r, const int *col,
			enum fcol c)
{
	return col[c] >= 0 && (size_t)col[c] < r->n ? r->field[col[c]] : "";
}

/* word appears in s with no letter, digit or '.' on either side */
static bool has_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = s; (p = strstr(p, word)); p++) {
		bool left = p == s || !(isalnum((unsigned char)p[-1]) ||
					p[-1] == '.' || p[-1] == '-');
		bool right = !(isalnum((unsigned char)p[n]) || p[n] == '.' ||
			       p[n] == '-');

		if (left && right)
			return true;
	}
	return false;
}

/* The catalog's cloud offer whose instance type the line names. */
static const struct pricing_offer *
line_offer(const struct pricing_catalog *c, const struct util_csv_row *r,
	   const int *col)
{
	for (int t = F_USAGE_TYPE; t <= F_TEXT4; t++) {
		const char *s = cell(r, col, (enum fcol)t);

		if (!*s)
			continue;
		for (size_t i = 0; i < c->noffers; i++) {
			const struct pricing_offer *o = &c->offers[i];

			if (o->instance && o->family <= PRICING_CLOUD_SPOT &&
			    has_word(s, o->instance))
				return o;
		}
	}
	return NULL;
}

static const char *pricing_of(const struct util_csv_row *r, const int *col)
{
	const char *p = cell(r, col, F_PRICING);
	const char *u = cell(r, col, F_USAGE_TYPE);

	if (!strcasecmp(p, "Dynamic") || strstr(u, "SpotUsage"))
		return "spot";
	if (!strcasecmp(p, "Committed") || strstr(p, "SavingsPlan") ||
	    !strcasecmp(p, "DiscountedUsage"))
		return "committed";
	if (!strcasecmp(p, "Standard") || strstr(u, "BoxUsage"))
		return "on-demand";
	return "other";
}

static bool gpu_service(const struct util_csv_row *r, const int *col)
{
	const char *s = cell(r, col, F_SERVICE);

	return col[F_SERVICE] < 0 || !*s || strstr(s, "Compute") ||
	       !strcasecmp(s, "AI and Machine Learning");
}

static void copy_name(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", *src ? src : "-");
	for (char *p = dst; *p; p++)
		if (!isprint((unsigned char)*p) || *p == '"' || *p == '\\')
			*p = '?';
}

static struct acct_spend *spend(struct acct_baseline *b,
				const struct acct_spend *k)
{
	for (size_t i = 0; i < b->n; i++) {
		struct acct_spend *e = &b->v[i];

		if (!strcmp(e->month, k->month) &&
		    !strcmp(e->provider, k->provider) &&
		    !strcmp(e->region, k->region) &&
		    !strcmp(e->instance, k->instance) &&
		    !strcmp(e->pricing, k->pricing))
			return e;
	}
	if (b->n >= ACCT_MAX_SPEND)
		return NULL;
	UTIL_GROW(b->v, b->n + 1, b->alloc);
	b->v[b->n] = *k;
	return &b->v[b->n++];
}

/* A number of a bill's cell: empty is 0. */
static int money(const char *s, double *v)
{
	*v = 0;
	return *s ? util_parse_double(s, v) : 0;
}

/* Where field idx of the row whose text starts at raw (n bytes on)
 * begins: its line after the row's first (a quoted field may hold line
 * breaks) and its 1-based column. */
static void field_at(const char *raw, size_t n, int idx, int *dline,
		     int *col)
{
	bool quoted = false;
	int f = 0;

	*dline = 0;
	*col = 1;
	for (size_t i = 0; i < n && f < idx; i++) {
		if (raw[i] == '"') {
			quoted = !quoted;
		} else if (raw[i] == ',' && !quoted) {
			f++;
		} else if (raw[i] == '\n') {
			if (!quoted)
				break;
			++*dline;
			*col = 0;
		}
		++*col;
	}
}

/* The cell of column c of r, malformed: a warning at it naming the
 * column of the file's header and what it holds. */
static void bad_cell(const char *path,
		     const struct util_csv_row *r, const char *raw,
		     size_t n, const int *col, char hdr[][64], enum fcol c,
		     struct util_diags *d)
{
	char v[48];
	int dline, at;

	field_at(raw, n, col[c], &dline, &at);
	copy_name(v, sizeof(v), cell(r, col, c));
	util_diag_add(d, UTIL_WARNING, path, r->line + dline, at,
		      "%s: expected %s, got '%s': line skipped", hdr[c],
		      c == F_START ? "a date (YYYY-MM-DD...)"
				   : "a number (an empty cell counts as 0)",
		      v);
}

static void add_line(struct acct_baseline *b, const char *path,
		     const struct util_csv_row *r, const char *raw, size_t n,
		     const int *col, char hdr[][64], struct util_diags *d)
{
	static const enum fcol nums[] = {F_BILLED, F_EFFECTIVE, F_LIST,
					 F_QUANTITY};
	const struct pricing_offer *o;
	struct acct_spend k = {0}, *e;
	const char *start = cell(r, col, F_START);
	double v[4];

	if (!gpu_service(r, col) || !(o = line_offer(b->cat, r, col))) {
		b->skipped_other++;
		return;
	}
	for (size_t i = 0; i < 4; i++)
		if (money(cell(r, col, nums[i]), &v[i])) {
			b->skipped_malformed++;
			bad_cell(path, r, raw, n, col, hdr, nums[i], d);
			return;
		}
	if (strlen(start) < 7 || !isdigit((unsigned char)start[0]) ||
	    start[4] != '-') {
		b->skipped_malformed++;
		bad_cell(path, r, raw, n, col, hdr, F_START, d);
		return;
	}
	memcpy(k.month, start, 7);
	copy_name(k.provider, sizeof(k.provider), cell(r, col, F_PROVIDER));
	copy_name(k.region, sizeof(k.region), cell(r, col, F_REGION));
	copy_name(k.instance, sizeof(k.instance), o->instance);
	copy_name(k.pricing, sizeof(k.pricing), pricing_of(r, col));
	k.accel = o->accel;
	k.offer = o->id;
	k.devices = o->count;
	if (!(e = spend(b, &k))) {
		b->skipped_other++;
		return;
	}
	e->billed += v[0];
	e->effective += col[F_EFFECTIVE] >= 0 ? v[1] : v[0];
	e->list += v[2];
	e->hours += v[3];
	e->lines++;
	b->kept++;
	b->billed += v[0];
	b->effective += col[F_EFFECTIVE] >= 0 ? v[1] : v[0];
}

int acct_focus_read(struct acct_baseline *b, const char *path,
		    struct util_diags *d, struct util_err *err)
{
	struct util_csv_row h, r;
	int col[NFCOLS], line = 1, rc;
	char hdr[NFCOLS][64];
	size_t len, pos = 0, at;
	char *buf;

	rc = util_read_file(path, FOCUS_MAX, &buf, &len, err);
	if (rc)
		return rc;
	rc = util_csv_next(buf, len, &pos, &line, &h, err);
	if (rc != 1) {
		free(buf);
		return rc ? rc : util_err_set(err, UTIL_E_INPUT,
					      "%s: empty file", path);
	}
	for (int c = 0; c < NFCOLS; c++) {
		col[c] = find_col(&h, names[c]);
		copy_name(hdr[c], sizeof(hdr[c]),
			  col[c] >= 0 ? h.field[col[c]] : names[c][0]);
	}
	if (col[F_CURRENCY] >= 0)
		b->currency_col = true;
	util_csv_row_release(&h);
	if (col[F_START] < 0 || col[F_BILLED] < 0) {
		free(buf);
		return util_err_set(err, UTIL_E_INPUT,
				    "%s:1:1: neither a FOCUS export "
				    "(ChargePeriodStart, BilledCost) nor an AWS "
				    "CUR 2.0 file (line_item_usage_start_date, "
				    "line_item_unblended_cost)",
				    path);
	}
	while ((at = pos, rc = util_csv_next(buf, len, &pos, &line, &r,
					      err)) == 1) {
		b->lines++;
		if (b->currency_col && !b->currency[0] &&
		    *cell(&r, col, F_CURRENCY))
			copy_name(b->currency, sizeof(b->currency),
				  cell(&r, col, F_CURRENCY));
		add_line(b, path, &r, buf + at, pos - at, col, hdr, d);
		util_csv_row_release(&r);
	}
	free(buf);
	if (rc < 0)
		return rc;
	if (!b->kept)
		return util_err_set(err, UTIL_E_INPUT,
				    "%s: no GPU line: %llu lines, none of a "
				    "compute or AI service naming an instance "
				    "type of the catalog's cloud offers",
				    path, (unsigned long long)b->lines);
	return 0;
}

static int cmp_spend(const void *x, const void *y)
{
	const struct acct_spend *a = x, *b = y;
	int c = strcmp(a->month, b->month);

	if (!c)
		c = strcmp(a->provider, b->provider);
	if (!c)
		c = strcmp(a->region, b->region);
	if (!c)
		c = strcmp(a->instance, b->instance);
	return c ? c : strcmp(a->pricing, b->pricing);
}

void acct_baseline_yaml(struct acct_baseline *b, const char *source,
			struct util_buf *out)
{
	char src[256];

	copy_name(src, sizeof(src), source);
	qsort(b->v, b->n, sizeof(*b->v), cmp_spend);
	util_buf_printf(out,
			"# Written by gpuplan import focus (docs/import.md): "
			"the GPU lines of a cloud bill,\n# what is paid "
			"today. %llu of %llu lines kept.\n"
			"baseline: \"%s\"\ncurrency: %s\n"
			"billed: %.2f\neffective: %.2f\nspend:\n",
			(unsigned long long)b->kept,
			(unsigned long long)b->lines, src,
			b->currency[0] ? b->currency : "USD", b->billed,
			b->effective);
	for (size_t i = 0; i < b->n; i++) {
		const struct acct_spend *e = &b->v[i];

		util_buf_printf(out,
				"  - {month: \"%s\", provider: \"%s\", region: "
				"\"%s\", instance: \"%s\", offer: \"%s\", "
				"accelerator: \"%s\", devices: %ld, pricing: "
				"%s, billed: %.2f, effective: %.2f, list: "
				"%.2f, quantity: %.10g, lines: %llu}\n",
				e->month, e->provider, e->region, e->instance,
				e->offer, e->accel, e->devices, e->pricing,
				e->billed, e->effective, e->list, e->hours,
				(unsigned long long)e->lines);
	}
}

void acct_baseline_release(struct acct_baseline *b)
{
	free(b->v);
}
