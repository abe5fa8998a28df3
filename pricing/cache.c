/* The price cache: one file per source under $XDG_CACHE_HOME/gpuplan
 * (~/.cache/gpuplan without it), each a YAML document
 *   snapshot: {source, url, fetched_at, etag, offers}
 *   catalog: <a catalog document>
 * written whole (temporary file, fsync, rename) or not at all. */
#define _GNU_SOURCE /* strptime, timegm */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <pwd.h>
#include <unistd.h>

#include "../util/ydoc.h"
#include "pricing_int.h"

const char *const pricing_source_names[PRICING_NSOURCES] = {
	"azure", "skypilot", "vast", "runpod", "lambda", "url"};

char *pricing_cache_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
	const struct passwd *pw;

	if (x && *x == '/')
		return util_xasprintf("%s/gpuplan", x);
	if (!h || *h != '/') { /* never a folder relative to where one is */
		pw = getpwuid(getuid());
		h = pw && pw->pw_dir && *pw->pw_dir == '/' ? pw->pw_dir : "/tmp";
	}
	return util_xasprintf("%s/.cache/gpuplan", h);
}

char *pricing_cache_file(const char *dir, enum pricing_source s)
{
	return util_xasprintf("%s/%s.yaml", dir, pricing_source_names[s]);
}

/* mkdir -p */
static int make_dir(const char *dir, struct util_err *err)
{
	char *p = util_xstrdup(dir);
	int rc = 0;

	for (char *q = p + 1; *q && !rc; q++) {
		if (*q != '/')
			continue;
		*q = '\0';
		if (mkdir(p, 0755) && errno != EEXIST)
			rc = -1;
		*q = '/';
	}
	if (!rc && mkdir(p, 0755) && errno != EEXIST)
		rc = -1;
	if (rc)
		rc = util_err_set(err, UTIL_E_IO, "cannot create the cache "
				  "directory '%s': %s", dir, strerror(errno));
	free(p);
	return rc;
}


/* A fetch time, YYYY-MM-DDTHH:MM:SSZ, into *t: false when it is not one. */
static bool fetched_time(const char *at, time_t *t)
{
	struct tm tm = {0};
	const char *end = at ? strptime(at, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;

	if (!end || *end)
		return false;
	*t = timegm(&tm);
	return true;
}

static int read_snapshot(struct util_ydoc *y, struct util_diags *d,
			 const yaml_node_t **catalog,
			 struct pricing_snapshot *sn);

/* The cache text must load back over base before it replaces anything. */
static int check_text(const struct util_buf *b, const char *path,
		      const struct pricing_catalog *base, struct util_err *err)
{
	struct pricing_catalog c;
	struct pricing_snapshot sn = {0};
	struct util_ydoc y;
	struct util_diags d;
	const yaml_node_t *cat = NULL;
	int rc;

	util_diags_init(&d);
	pricing_catalog_copy(&c, base);
	rc = util_ydoc_load(&y, path, b->s, b->len, &d);
	if (!rc)
		rc = read_snapshot(&y, &d, &cat, &sn);
	if (!rc)
		rc = pricing_catalog_load_node(&c, &y, cat, &d);
	util_diags_sort(&d);
	if (rc)
		util_err_set(err, UTIL_E_UNAVAILABLE, "the prices would not load "
			     "back from the cache (%d:%d: %s)",
			     d.n ? d.v[0].line : 0, d.n ? d.v[0].col : 0,
			     d.n ? d.v[0].msg : "?");
	util_ydoc_release(&y);
	pricing_snapshot_release(&sn);
	pricing_catalog_release(&c);
	util_diags_release(&d);
	return rc ? UTIL_E_UNAVAILABLE : 0;
}

int pricing_cache_write(const char *dir, const struct pricing_snapshot *sn,
			const char *catalog, const struct pricing_catalog *base,
			struct util_err *err)
{
	struct util_buf b;
	char *path;
	int rc = make_dir(dir, err);

	if (rc)
		return rc;
	util_buf_init(&b);
	util_buf_puts(&b, "# gpuplan's price cache, written by 'gpuplan prices "
			  "fetch': do not edit\nsnapshot:\n  source: ");
	util_buf_puts(&b, pricing_source_names[sn->source]);
	util_buf_puts(&b, "\n  url: ");
	pricing_put_yaml_string(&b, sn->url);
	util_buf_puts(&b, "\n  fetched_at: ");
	pricing_put_yaml_string(&b, sn->fetched_at);
	if (sn->etag) {
		util_buf_puts(&b, "\n  etag: ");
		pricing_put_yaml_string(&b, sn->etag);
	}
	if (sn->query) {
		util_buf_puts(&b, "\n  query: ");
		pricing_put_yaml_string(&b, sn->query);
	}
	util_buf_printf(&b, "\n  offers: %zu\ncatalog:\n", sn->offers);
	for (const char *p = catalog; *p;) { /* the document, indented */
		size_t n = strcspn(p, "\n");

		if (n)
			util_buf_puts(&b, "  ");
		util_buf_add(&b, p, n);
		util_buf_puts(&b, "\n");
		p += n + (p[n] == '\n');
	}
	path = pricing_cache_file(dir, sn->source);
	rc = check_text(&b, path, base, err);
	if (!rc)
		rc = util_write_atomic(path, b.s, b.len, err);
	free(path);
	util_buf_release(&b);
	return rc;
}

void pricing_snapshot_release(struct pricing_snapshot *sn)
{
	free(sn->url);
	free(sn->fetched_at);
	free(sn->etag);
	free(sn->query);
	memset(sn, 0, sizeof(*sn));
}

static int read_snapshot(struct util_ydoc *y, struct util_diags *d,
			 const yaml_node_t **catalog,
			 struct pricing_snapshot *sn)
{
	static const char *const top_keys[] = {"snapshot", "catalog"};
	static const char *const keys[] = {"source", "url", "fetched_at",
					   "etag", "query", "offers"};
	struct util_ymap top, m;
	const char *src = NULL, *url = NULL, *at = NULL, *etag = NULL;
	const char *query = NULL;
	long offers = 0;
	time_t t;
	int rc = util_ymap_open(&top, y, d, util_ydoc_root(y), "the cache",
				top_keys, 2);

	rc |= util_ymap_open(&m, y, d, util_ymap_get(&top, "snapshot"),
			     "the cache's snapshot", keys, 6);
	rc |= util_ymap_str(&m, "source", UTIL_Y_REQUIRED, &src) != 1;
	rc |= util_ymap_str(&m, "url", UTIL_Y_REQUIRED, &url) != 1;
	rc |= util_ymap_str(&m, "fetched_at", UTIL_Y_REQUIRED, &at) != 1;
	rc |= util_ymap_str(&m, "etag", 0, &etag) < 0;
	rc |= util_ymap_str(&m, "query", 0, &query) < 0;
	rc |= util_ymap_long(&m, "offers", 0, 0, 10000000, &offers) < 0;
	*catalog = util_ymap_get(&top, "catalog");
	if (rc || !*catalog)
		return UTIL_E_INPUT;
	if (!fetched_time(at, &t)) /* a date every reader can age */
		return UTIL_E_INPUT;
	sn->source = PRICING_NSOURCES;
	for (int i = 0; i < PRICING_NSOURCES; i++)
		if (!strcmp(src, pricing_source_names[i]))
			sn->source = (enum pricing_source)i;
	if (sn->source == PRICING_NSOURCES)
		return UTIL_E_INPUT;
	sn->url = util_xstrdup(url);
	sn->fetched_at = util_xstrdup(at);
	sn->etag = etag ? util_xstrdup(etag) : NULL;
	sn->query = query ? util_xstrdup(query) : NULL;
	sn->offers = (size_t)offers;
	return 0;
}

double pricing_snapshot_age(const struct pricing_snapshot *sn, time_t now)
{
	time_t t;

	return fetched_time(sn->fetched_at, &t) ? difftime(now, t) : -1;
}

enum pricing_cache_use pricing_snapshot_use(const struct pricing_snapshot *sn,
					    time_t now)
{
	double age = pricing_snapshot_age(sn, now);

	if (age < -PRICING_CACHE_SKEW_S)
		return PRICING_CACHE_FUTURE;
	return age > PRICING_CACHE_MAX_AGE_S ? PRICING_CACHE_STALE
					     : PRICING_CACHE_IN_USE;
}

/* A market's snapshot is all of its offers now: the provider's offers
 * of earlier layers (the embedded catalog's, older and per other
 * regions) are dropped, so that no stale price stays in use beside it. */
static void drop_older(struct pricing_catalog *c, const char *provider,
		       const char *path)
{
	size_t k = 0, n = strlen(path);

	for (size_t i = 0; i < c->noffers; i++) {
		struct pricing_offer *o = &c->offers[i];
		bool mine = o->origin && !strncmp(o->origin, path, n) &&
			    o->origin[n] == ':';

		if (!mine && o->provider && !strcmp(o->provider, provider))
			pricing_offer_release(o);
		else
			c->offers[k++] = *o;
	}
	c->noffers = k;
}

int pricing_cache_read(const char *path, struct pricing_catalog *c,
		       struct pricing_snapshot *sn, struct util_diags *d)
{
	struct util_ydoc y;
	const yaml_node_t *cat = NULL;
	int rc = util_ydoc_load_file(&y, path, d);

	memset(sn, 0, sizeof(*sn));
	if (!rc)
		rc = read_snapshot(&y, d, &cat, sn);
	if (!rc && c) {
		rc = pricing_catalog_load_node(c, &y, cat, d);
		if (!rc && sn->source >= PRICING_VAST &&
		    sn->source <= PRICING_LAMBDA)
			drop_older(c, pricing_source_names[sn->source], path);
		if (!rc) { /* name the snapshot, not the file, in reports */
			free(c->origins[c->norigins - 1]);
			c->origins[c->norigins - 1] = util_xasprintf(
				"%s prices fetched %s",
				pricing_source_names[sn->source],
				sn->fetched_at);
		}
	}
	util_ydoc_release(&y);
	return rc;
}
