/* Allocation wrappers, growable buffers and error helpers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

_Noreturn void util_oom(void)
{
	fputs("gpuplan: out of memory\n", stderr);
	abort();
}

_Noreturn void util_bug(const char *file, int line, const char *what)
{
	fprintf(stderr, "gpuplan: BUG: %s:%d: %s\n", file, line, what);
	abort();
}

int util_err_set(struct util_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void *util_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		util_oom();
	return p;
}

void *util_xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		util_oom();
	return p;
}

void *util_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		util_oom();
	return q;
}

void *util_xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		util_oom();
	return util_xrealloc(p, nmemb * size);
}

char *util_xstrdup(const char *s)
{
	return util_xstrndup(s, strlen(s));
}

char *util_xstrndup(const char *s, size_t n)
{
	char *p;
	size_t len = strnlen(s, n);

	p = util_xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *util_xasprintf(const char *fmt, ...)
{
	struct util_buf b;
	va_list ap;

	util_buf_init(&b);
	va_start(ap, fmt);
	util_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return util_buf_detach(&b);
}

size_t util_grow_size(size_t alloc, size_t need)
{
	size_t n = alloc;

	if (n > SIZE_MAX / 3 * 2 - 16)
		util_oom();
	n = (n + 16) * 3 / 2;
	return n < need ? need : n;
}

void util_buf_init(struct util_buf *b)
{
	b->s = NULL;
	b->len = 0;
	b->alloc = 0;
}

void util_buf_release(struct util_buf *b)
{
	free(b->s);
	util_buf_init(b);
}

void util_buf_add(struct util_buf *b, const char *data, size_t len)
{
	if (len > SIZE_MAX - b->len - 1)
		util_oom();
	UTIL_GROW(b->s, b->len + len + 1, b->alloc);
	memcpy(b->s + b->len, data, len);
	b->len += len;
	b->s[b->len] = '\0';
}

void util_buf_puts(struct util_buf *b, const char *s)
{
	util_buf_add(b, s, strlen(s));
}

void util_buf_vprintf(struct util_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	UTIL_BUG_ON(n < 0);
	UTIL_GROW(b->s, b->len + (size_t)n + 1, b->alloc);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void util_buf_printf(struct util_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	util_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *util_buf_detach(struct util_buf *b)
{
	char *s = b->s ? b->s : util_xstrdup("");

	util_buf_init(b);
	return s;
}

const char *util_buf_str(const struct util_buf *b)
{
	return b->s ? b->s : "";
}

void util_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
