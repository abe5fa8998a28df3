/* Shard files (docs/sweep.md): the part of a sensitivity or a strategy
 * comparison one shard computed, written as tab-separated lines under a
 * header (format version, kind, the scenario and its digest, the shard),
 * and read back as untrusted input: every line checked, problems placed
 * at file:line:col. Numbers are C99 hexadecimal floats, so a merge gets
 * the bits the shard computed. */
#define _DEFAULT_SOURCE /* strsep */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/ydoc.h" /* UTIL_INPUT_MAX */
#include "advise.h"

#define MAGIC "gpuplan-shard"

bool advise_shard_mine(long shard, long nshards, size_t k)
{
	return nshards <= 0 || (long)(k % (size_t)nshards) == shard - 1;
}

/* FNV-1a, 64 bits: a change of any byte changes it (not a defence
 * against a forger: a shard is checked field by field besides). */
static uint64_t fnv(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

int advise_shard_digest(const char *scenario, const char *catalog,
			const char *opts, uint64_t *out, struct util_err *err)
{
	const char *files[2] = {scenario, catalog};
	uint64_t h = 0xcbf29ce484222325ULL;

	for (int i = 0; i < 2; i++) {
		char *buf;
		size_t len;
		int rc;

		if (!files[i])
			continue;
		rc = util_read_file(files[i], UTIL_INPUT_MAX, &buf, &len, err);
		if (rc)
			return rc;
		h = fnv(h, buf, len + 1); /* its NUL ends it */
		free(buf);
	}
	*out = fnv(h, opts, strlen(opts));
	return 0;
}

void advise_shard_head(struct util_buf *b, const char *kind,
		       const char *scenario, uint64_t digest, long shard,
		       long nshards)
{
	util_buf_printf(b, "%s\t%d\t%s\nscenario\t%s\ndigest\t%016" PRIx64
			"\nshard\t%ld\t%ld\n", MAGIC, ADVISE_SHARD_VERSION,
			kind, scenario, digest, shard, nshards);
}

void advise_shard_real(struct util_buf *b, double x)
{
	if (isnan(x))
		util_buf_puts(b, "\tnan");
	else
		util_buf_printf(b, "\t%a", x);
}

int advise_shard_error(struct util_err *err,
			const struct advise_shard *sh,
		       const struct advise_shard_line *l, size_t k,
		       const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!l)
		return util_err_set(err, UTIL_E_INPUT, "%s: %s", sh->file,
				    msg);
	return util_err_set(err, UTIL_E_INPUT, "%s:%d:%d: %s", sh->file,
			    l->line, k < l->n ? l->col[k] : l->col[l->n - 1],
			    msg);
}

int advise_shard_fields(struct util_err *err,
			const struct advise_shard *sh,
			const struct advise_shard_line *l, size_t n)
{
	if (l->n == n && !l->more)
		return 0;
	if (l->more)
		return advise_shard_error(err, sh, l, l->n - 1, "'%s' has more "
					  "than %d fields, expected %zu",
					  l->f[0], ADVISE_SHARD_MAX_FIELDS, n);
	return advise_shard_error(err, sh, l, l->n < n ? l->n - 1 : n,
				  "'%s' has %zu fields, expected %zu", l->f[0],
				  l->n, n);
}

int advise_shard_get_real(struct util_err *err,
			const struct advise_shard *sh,
			  const struct advise_shard_line *l, size_t k,
			  double *x)
{
	char *end;

	if (!strcmp(l->f[k], "nan")) {
		*x = NAN;
		return 0;
	}
	errno = 0;
	*x = strtod(l->f[k], &end);
	if (!*l->f[k] || *end || errno || !isfinite(*x))
		return advise_shard_error(err, sh, l, k, "'%.40s' is not a number "
					  "as a shard writes it", l->f[k]);
	return 0;
}

int advise_shard_get_long(struct util_err *err,
			const struct advise_shard *sh,
			  const struct advise_shard_line *l, size_t k, long min,
			  long max, long *x)
{
	if (util_parse_long(l->f[k], min, max, x))
		return advise_shard_error(err, sh, l, k, "'%.40s' is not a whole "
					  "number from %ld to %ld", l->f[k],
					  min, max);
	return 0;
}

/* The text is UTF-8 without control characters but tabs and line ends. */
static int text_ok(struct advise_shard *sh, const char *buf, size_t len,
		   struct util_err *err)
{
	size_t bad = len;
	int line, col;

	if (util_utf8_valid(buf, len, &bad)) {
		for (bad = 0; bad < len; bad++)
			if (((unsigned char)buf[bad] < 0x20 &&
			     buf[bad] != '\n' && buf[bad] != '\t') ||
			    buf[bad] == 0x7f)
				break;
		if (bad == len)
			return 0;
	}
	util_offset_to_linecol(buf, len, bad, &line, &col);
	return util_err_set(err, UTIL_E_INPUT, "%s:%d:%d: a control "
			    "character or a byte that is not UTF-8 text: not "
			    "a shard written by gpuplan", sh->file, line, col);
}

/* Cuts the text into lines of fields (comments and blank lines left
 * out). */
static void cut(struct advise_shard *sh)
{
	size_t alloc = 0;
	int lineno = 0;

	for (char *p = sh->text, *line; (line = strsep(&p, "\n"));) {
		struct advise_shard_line *l;

		lineno++;
		if (!*line || *line == '#')
			continue;
		UTIL_GROW(sh->lines, sh->nlines + 1, alloc);
		l = &sh->lines[sh->nlines++];
		memset(l, 0, sizeof(*l));
		l->line = lineno;
		for (char *q = line, *f; (f = strsep(&q, "\t"));) {
			if (l->n == ADVISE_SHARD_MAX_FIELDS) {
				l->more = true;
				break;
			}
			l->col[l->n] = (int)(f - line) + 1;
			l->f[l->n++] = f;
		}
	}
}

/* The header's four lines, checked. */
static int head(struct advise_shard *sh, const char *kind,
		struct util_err *err)
{
	static const char *const keys[] = {MAGIC, "scenario", "digest",
					   "shard"};
	static const size_t nf[] = {3, 2, 2, 3};
	const struct advise_shard_line *l = sh->lines;
	long v;
	char *end;
	int rc = 0;

	for (size_t i = 0; i < 4; i++) {
		if (i >= sh->nlines) /* after the last line */
			return util_err_set(err, UTIL_E_INPUT, "%s:%d:1: "
					    "expected '%s' here: cut short?",
					    sh->file, sh->nlines
						? sh->lines[sh->nlines - 1].line + 1
						: 1, keys[i]);
		if (strcmp(sh->lines[i].f[0], keys[i]))
			return advise_shard_error(err, sh, &l[i], 0,
						  "expected '%s' %s", keys[i],
						  i ? "here" : "first: not a "
						  "shard written by gpuplan");
		rc = advise_shard_fields(err, sh, &l[i], nf[i]);
		if (rc)
			return rc;
	}
	rc = advise_shard_get_long(err, sh, &l[0], 1, 1, 1000, &v);
	if (!rc && v != ADVISE_SHARD_VERSION)
		rc = advise_shard_error(err, sh, &l[0], 1, "format version %ld; this "
					"gpuplan reads version %d: merge with "
					"the gpuplan that wrote the shards", v,
					ADVISE_SHARD_VERSION);
	if (!rc && strcmp(l[0].f[2], kind))
		rc = advise_shard_error(err, sh, &l[0], 2, "a shard of '%.40s', not "
					"of %s", l[0].f[2], kind);
	sh->scenario = l[1].f[1];
	errno = 0;
	sh->digest = strtoull(l[2].f[1], &end, 16);
	if (!rc && (strlen(l[2].f[1]) != 16 || *end || errno))
		rc = advise_shard_error(err, sh, &l[2], 1, "the digest is 16 "
					"hexadecimal digits");
	if (!rc)
		rc = advise_shard_get_long(err, sh, &l[3], 2, 1, ADVISE_SHARDS_MAX,
					   &sh->nshards);
	if (!rc)
		rc = advise_shard_get_long(err, sh, &l[3], 1, 1, sh->nshards,
					   &sh->shard);
	return rc;
}

int advise_shard_read(const char *file, const char *kind,
		      struct advise_shard *sh, struct util_err *err)
{
	size_t len;
	int rc;

	memset(sh, 0, sizeof(*sh));
	sh->file = file;
	rc = util_read_file(file, UTIL_INPUT_MAX, &sh->text, &len, err);
	if (!rc)
		rc = text_ok(sh, sh->text, len, err);
	if (rc)
		return rc;
	if (!len || sh->text[len - 1] != '\n')
		return advise_shard_error(err, sh, NULL, 0, "it does not end with a "
					  "line end: cut short?");
	cut(sh);
	rc = head(sh, kind, err);
	if (!rc && (sh->nlines < 5 || strcmp(sh->lines[sh->nlines - 1].f[0],
					     "end")))
		rc = advise_shard_error(err, sh, &sh->lines[sh->nlines - 1], 0,
					"the last line is not 'end': cut "
					"short?");
	if (!rc)
		rc = advise_shard_fields(err, sh, &sh->lines[sh->nlines - 1], 1);
	sh->body = rc ? NULL : sh->lines + 4;
	sh->nbody = rc ? 0 : sh->nlines - 5;
	return rc;
}

void advise_shard_release(struct advise_shard *sh)
{
	free(sh->lines);
	free(sh->text);
	memset(sh, 0, sizeof(*sh));
}

int advise_shard_set(const struct advise_shard *v, size_t n,
		     uint64_t digest, struct util_err *err)
{
	unsigned char *seen;
	int rc = 0;

	if (!n)
		return util_err_set(err, UTIL_E_USAGE, "give the shard files");
	seen = util_xcalloc((size_t)v[0].nshards + 1, 1);
	for (size_t i = 0; i < n && !rc; i++) {
		const struct advise_shard *sh = &v[i];

		if (sh->digest != digest)
			rc = advise_shard_error(err, sh, &sh->lines[2], 1,
						"not the digest of the scenario "
						"as it is now: another "
						"scenario, one changed since, "
						"or another --catalog, --fx or "
						"--catalog-replace");
		else if (sh->nshards != v[0].nshards)
			rc = advise_shard_error(err, sh, &sh->lines[3], 2,
						"one of %ld shards, and '%s' of "
						"%ld", sh->nshards, v[0].file,
						v[0].nshards);
		else if (seen[sh->shard]++)
			rc = advise_shard_error(err, sh, &sh->lines[3], 1,
						"shard %ld/%ld is given twice",
						sh->shard, sh->nshards);
	}
	for (long s = 1; !rc && s <= v[0].nshards; s++)
		if (!seen[s])
			rc = util_err_set(err, UTIL_E_INPUT, "shard %ld/%ld is "
					  "missing", s, v[0].nshards);
	free(seen);
	return rc;
}
