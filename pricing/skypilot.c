/* Importing SkyPilot catalog CSVs (skypilot-org/skypilot-catalog) into our
 * offers. Columns are found by header name: their order differs per
 * cloud. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "pricing_int.h"

#define CSV_MAX ((size_t)64 << 20)
#define IMPORT_PRICE_MAX 1e5 /* price_hour's bound in the catalog */
enum col {
	COL_INSTANCE,
	COL_ACCEL,
	COL_COUNT,
	COL_PRICE,
	COL_SPOT,
	COL_REGION,
	NCOLS
};
static const char *const col_names[NCOLS] = {
	"InstanceType", "AcceleratorName", "AcceleratorCount",
	"Price", "SpotPrice", "Region"};
static const bool col_required[NCOLS] = {true, true, true, true, false,
					 false};

static int map_header(const struct util_csv_row *h, int idx[NCOLS],
		      const char *path, struct util_diags *d)
{
	int rc = 0;

	for (int c = 0; c < NCOLS; c++) {
		idx[c] = -1;
		for (size_t i = 0; i < h->n; i++)
			if (!strcmp(h->field[i], col_names[c]))
				idx[c] = (int)i;
		if (idx[c] < 0 && col_required[c])
			rc = util_diag_add(d, UTIL_ERROR, path, 1, 1,
					   "missing column '%s' (a SkyPilot "
					   "catalog CSV has InstanceType, "
					   "AcceleratorName, AcceleratorCount, "
					   "Price)", col_names[c]);
	}
	return rc;
}

static const char *cell(const struct util_csv_row *r, const int idx[NCOLS],
			enum col c)
{
	if (idx[c] < 0 || (size_t)idx[c] >= r->n)
		return "";
	return r->field[idx[c]];
}

struct importer {
	struct pricing_catalog *c;
	struct pricing_import *opt;
	struct util_diags *d;
	const char *path, *base;
	char as_of[16];
	enum pricing_family family;
	double hazard, reliability;
	size_t first;
	struct pricing_id_index ids; /* of c's offers */
};

/* "<provider>-<instance>[-<region>][-spot]", with every run of characters
 * an id may not hold turned into one '-'. Unique in the catalog. */
static char *make_id(struct importer *im, const char *instance,
		     const char *region, bool spot)
{
	char *raw = util_xasprintf("%s-%s-%s", im->opt->provider, instance,
				   region);
	struct util_buf b;
	char *base, *id;

	util_buf_init(&b);
	for (const char *p = raw; *p; p++) {
		bool ok = isalnum((unsigned char)*p) || strchr("._", *p);

		if (ok)
			util_buf_add(&b, p, 1);
		else if (b.len && b.s[b.len - 1] != '-')
			util_buf_add(&b, "-", 1);
	}
	while (b.len && b.s[b.len - 1] == '-')
		b.s[--b.len] = '\0';
	if (spot)
		util_buf_puts(&b, "-spot");
	free(raw);
	base = util_buf_detach(&b);
	id = util_xstrdup(base);
	for (int k = 2; *pricing_id_slot(&im->ids, im->c->offers, id); k++) {
		free(id);
		id = util_xasprintf("%s-%d", base, k);
	}
	free(base);
	return id;
}

static void add(struct importer *im, const struct util_csv_row *r,
		const int idx[NCOLS], const struct pricing_accel *a, long count,
		double price, bool spot)
{
	struct pricing_offer o;

	memset(&o, 0, sizeof(o));
	for (int t = 0; t < PRICING_NTERMS; t++)
		o.term[t] = PRICING_UNSET;
	o.queue_p50_h = o.queue_p90_h = PRICING_UNSET;
	o.family = spot ? PRICING_CLOUD_SPOT : im->family;
	o.id = make_id(im, cell(r, idx, COL_INSTANCE), cell(r, idx, COL_REGION),
		       spot);
	o.provider = util_xstrdup(im->opt->provider);
	if (*cell(r, idx, COL_REGION))
		o.region = util_xstrdup(cell(r, idx, COL_REGION));
	o.instance = util_xstrdup(cell(r, idx, COL_INSTANCE));
	o.accel = util_xstrdup(a->name);
	o.count = count;
	o.term[PRICING_PRICE_HOUR] = price;
	if (spot)
		o.term[PRICING_PREEMPTION_PER_HOUR] = im->hazard;
	if (o.family == PRICING_DECENTRALIZED)
		o.term[PRICING_RELIABILITY] = im->reliability;
	o.source = util_xasprintf("SkyPilot catalog CSV %s, line %d%s",
				  im->base, r->line,
				  spot ? " (SpotPrice)" : " (Price)");
	o.as_of = util_xstrdup(im->as_of);
	o.origin = util_xasprintf("%s:%d", im->path, r->line);
	/* its id is new (make_id): appended, and indexed */
	UTIL_GROW(im->c->offers, im->c->noffers + 1, im->c->offers_alloc);
	im->c->offers[im->c->noffers++] = o;
	*pricing_id_slot(&im->ids, im->c->offers, o.id) = im->c->noffers;
	im->opt->offers++;
}

static void warn(struct importer *im, int line, const char *fmt, ...)
	UTIL_PRINTF(3, 4);
static void warn(struct importer *im, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	util_diag_vadd(im->d, UTIL_WARNING, im->path, line, 1, fmt, ap);
	va_end(ap);
}

static void import_row(struct importer *im, const struct util_csv_row *r,
		       const int idx[NCOLS])
{
	const char *name = cell(r, idx, COL_ACCEL);
	const struct pricing_accel *a;
	double count, price, spot = 0;

	im->opt->rows++;
	if (!*name || util_parse_double(cell(r, idx, COL_COUNT), &count) ||
	    count < 1 || count != floor(count) || count > 4096) {
		im->opt->skipped_no_gpu++;
		return;
	}
	a = pricing_catalog_find_accel(im->c, name);
	if (!a) {
		im->opt->skipped_unknown++;
		return;
	}
	/* the catalog's bound on price_hour: what is written must load */
	if (util_parse_double(cell(r, idx, COL_PRICE), &price) || price <= 0 ||
	    price > IMPORT_PRICE_MAX) {
		warn(im, r->line, "no usable price '%s' for '%s' (above 0, at "
		     "most %g): row skipped", cell(r, idx, COL_PRICE),
		     cell(r, idx, COL_INSTANCE), IMPORT_PRICE_MAX);
		return;
	}
	if (!util_label_ok(cell(r, idx, COL_INSTANCE)) ||
	    (*cell(r, idx, COL_REGION) &&
	     !util_label_ok(cell(r, idx, COL_REGION))) ||
	    strlen(im->opt->provider) + strlen(cell(r, idx, COL_INSTANCE)) +
			    strlen(cell(r, idx, COL_REGION)) + 16 >
		    UTIL_IDENT_MAX) {
		warn(im, r->line, "an instance type or region a catalog cannot "
		     "hold (letters, digits, spaces and \"._+(),/:-\"): row "
		     "skipped");
		return;
	}
	add(im, r, idx, a, (long)count, price, false);
	if (im->family == PRICING_DECENTRALIZED || !*cell(r, idx, COL_SPOT) ||
	    util_parse_double(cell(r, idx, COL_SPOT), &spot) || spot <= 0)
		return;
	if (spot > price) {
		warn(im, r->line, "spot price %.4g above on-demand %.4g for "
		     "'%s': spot offer not imported", spot, price,
		     cell(r, idx, COL_INSTANCE));
		return;
	}
	add(im, r, idx, a, (long)count, spot, true);
}

static char *provider_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strcspn(base, "_.");
	return util_xstrndup(base, n ? n : strlen(base));
}

static enum pricing_family family_for(const char *provider)
{
	static const char *const clouds[] = {"aws", "azure", "gcp", "oci",
					     "ibm"};
	static const char *const markets[] = {"vast", "golem", "fluidstack"};

	if (util_strcase_index(provider, clouds, UTIL_ARRAY_SIZE(clouds)) >= 0)
		return PRICING_CLOUD;
	if (util_strcase_index(provider, markets, UTIL_ARRAY_SIZE(markets)) >=
	    0)
		return PRICING_DECENTRALIZED;
	return PRICING_GPUAAS;
}

static void file_date(const char *path, char out[16])
{
	struct stat st;
	struct tm tm;
	time_t t = 0;

	if (stat(path, &st) == 0)
		t = st.st_mtime;
	gmtime_r(&t, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

static int import_rows(struct importer *im, const char *buf, size_t len)
{
	struct util_csv_row h, r;
	struct util_err err;
	/* a spreadsheet's UTF-8 byte-order mark is not part of the header */
	size_t pos = len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3) ? 3 : 0;
	int line = 1, idx[NCOLS], rc;

	rc = util_csv_next(buf, len, &pos, &line, &h, &err);
	if (rc <= 0)
		return util_diag_add(im->d, UTIL_ERROR, im->path, 1, 1, "%s",
				     rc ? err.msg : "empty file: no header");
	rc = map_header(&h, idx, im->path, im->d);
	util_csv_row_release(&h);
	while (!rc) {
		int got = util_csv_next(buf, len, &pos, &line, &r, &err);

		if (got < 0)
			return util_diag_add(im->d, UTIL_ERROR, im->path, 0, 0,
					     "%s", err.msg);
		if (!got)
			break;
		if (r.n > 1 || (r.n == 1 && *r.field[0]))
			import_row(im, &r, idx);
		util_csv_row_release(&r);
	}
	return rc;
}

int pricing_import_skypilot(struct pricing_catalog *c, const char *path,
			    struct pricing_import *opt, struct util_diags *d)
{
	struct importer im = {.c = c, .opt = opt, .d = d, .path = path};
	struct util_err err;
	char *buf = NULL, *prov = NULL;
	size_t len, bad;
	int rc;

	rc = util_read_file(path, CSV_MAX, &buf, &len, &err);
	if (rc) {
		util_diag_add(d, UTIL_ERROR, NULL, 0, 0, "%s", err.msg);
		return rc;
	}
	if (!util_utf8_valid(buf, len, &bad) || memchr(buf, '\0', len)) {
		rc = util_diag_add(d, UTIL_ERROR, path, 0, 0,
				   "not a text CSV file (invalid UTF-8 or NUL "
				   "byte)");
		goto out;
	}
	im.base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (!opt->provider)
		opt->provider = prov = provider_from_path(path);
	im.family = opt->family >= 0 ? (enum pricing_family)opt->family
				     : family_for(opt->provider);
	im.hazard = pricing_median_term(c, PRICING_CLOUD_SPOT,
					PRICING_PREEMPTION_PER_HOUR);
	im.reliability = pricing_median_term(c, PRICING_DECENTRALIZED,
					     PRICING_RELIABILITY);
	if (im.hazard < 0 || im.reliability < 0) {
		rc = util_diag_add(d, UTIL_ERROR, NULL, 0, 0,
				   "the catalog in use has no cloud-spot or "
				   "decentralized offer to take default "
				   "hazards from");
		goto out;
	}
	if (opt->as_of)
		snprintf(im.as_of, sizeof(im.as_of), "%s", opt->as_of);
	else
		file_date(path, im.as_of);
	if (!util_ident_ok(opt->provider)) {
		rc = util_diag_add(d, UTIL_ERROR, NULL, 0, 0, "provider '%s' "
				   "may hold only letters, digits, '.', '_' "
				   "and '-' (give --provider)", opt->provider);
		goto out;
	}
	{
		size_t rows = 1; /* two offers a row at most */

		for (size_t i = 0; i < len; i++)
			rows += buf[i] == '\n';
		pricing_id_index_init(&im.ids, c->offers, c->noffers,
				      2 * rows);
	}
	rc = import_rows(&im, buf, len);
	if (!rc && opt->offers > PRICING_MAX_OFFERS)
		rc = util_diag_add(d, UTIL_ERROR, path, 0, 0, "%zu offers: at "
				   "most %d in one catalog file (split the "
				   "CSV)", opt->offers, PRICING_MAX_OFFERS);
out:
	if (prov)
		opt->provider = NULL;
	free(im.ids.slot);
	free(prov);
	free(buf);
	return rc;
}

bool pricing_skypilot_launches(const char *provider)
{
	static const char *const clouds[] = {"aws",    "gcp",  "azure",
					     "lambda", "runpod", "vast",
					     "paperspace"};

	for (size_t i = 0; provider && i < sizeof(clouds) / sizeof(*clouds);
	     i++)
		if (!strcasecmp(provider, clouds[i]))
			return true;
	return false;
}
