/* One quoting function per kind of text gpuplan writes for another
 * program (docs/security.md): a YAML double-quoted scalar, a shell word,
 * a gnuplot string, a comment. Every string that comes from an input file
 * goes through one of them, so that it stays one value of its kind
 * whatever it holds. */
#include <stdarg.h>
#include <string.h>

#include "emit.h"

/* UTF-8 of U+0085, U+2028, U+2029: line breaks to YAML 1.1 (libyaml). */
static size_t yaml_break(const unsigned char *s)
{
	if (s[0] == 0xc2 && s[1] == 0x85)
		return 2;
	if (s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9))
		return 3;
	return 0;
}

void emit_yaml_str(struct util_buf *b, const char *s)
{
	util_buf_puts(b, "\"");
	for (const unsigned char *p = (const unsigned char *)s; p && *p;) {
		size_t brk = yaml_break(p);

		if (brk) {
			util_buf_puts(b, brk == 2 ? "\\N" : p[2] == 0xa8
							    ? "\\L" : "\\P");
			p += brk;
			continue;
		}
		if (*p == '"' || *p == '\\')
			util_buf_printf(b, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			util_buf_printf(b, "\\x%02x", *p);
		else
			util_buf_add(b, (const char *)p, 1);
		p++;
	}
	util_buf_puts(b, "\"");
}

void emit_shell_word(struct util_buf *b, const char *s)
{
	util_buf_puts(b, "'");
	for (; s && *s; s++)
		if (*s == '\'')
			util_buf_puts(b, "'\\''");
		else
			util_buf_add(b, s, 1);
	util_buf_puts(b, "'");
}

void emit_comment(struct util_buf *b, const char *lead, const char *fmt,
		  ...)
{
	struct util_buf t;
	va_list ap;

	util_buf_init(&t);
	va_start(ap, fmt);
	util_buf_vprintf(&t, fmt, ap);
	va_end(ap);
	util_buf_puts(b, lead);
	for (const char *p = util_buf_str(&t); *p; p++)
		util_buf_add(b, (unsigned char)*p >= 0x20 &&
				(unsigned char)*p < 0x7f ? p : "?", 1);
	util_buf_puts(b, "\n");
	util_buf_release(&t);
}

bool emit_word_ok(const char *s)
{
	return s && *s &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789._-") == strlen(s);
}
