/* util: the bottom layer every module builds on: status codes and error
 * messages, allocation wrappers that abort on out-of-memory, growable
 * buffers, diagnostics lists for input files, file I/O with size limits
 * and atomic writes, and small string helpers. Knows nothing above it. */
#ifndef UTIL_UTIL_H
#define UTIL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* after the system headers, so their declarations are untouched */
#include "banned.h"

#define UTIL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define UTIL_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Status codes returned by library functions: 0 or negative. cli/ maps
 * them onto exit codes (docs/exit-codes.md). */
enum util_status {
	UTIL_OK = 0,
	UTIL_E_INPUT = -1,	 /* bad input data (scenario, catalog) */
	UTIL_E_NOINPUT = -2,	 /* an input file is missing or unreadable */
	UTIL_E_USAGE = -3,	 /* bad command line */
	UTIL_E_IO = -4,		 /* an output could not be written */
	UTIL_E_UNAVAILABLE = -5, /* a service was unavailable */
	UTIL_E_INTERNAL = -6,	 /* a bug or an internal failure */
	UTIL_E_INFEASIBLE = -7,	 /* no plan meets the constraints */
};

/* A single error: the status and a message without the "gpuplan: " prefix
 * and without a trailing newline. */
struct util_err {
	int code;
	char msg[1024];
};

/* Fills err (if not NULL) with code and the formatted message; returns
 * code, so `return util_err_set(err, UTIL_E_INPUT, "...")` is one line. */
int util_err_set(struct util_err *err, int code, const char *fmt, ...)
	UTIL_PRINTF(3, 4);

/* Assertion that stays on in release builds: prints file:line and aborts.
 * Only for programmer errors, never for bad input. */
#define UTIL_BUG_ON(cond)                                                      \
	do {                                                                   \
		if (cond)                                                      \
			util_bug(__FILE__, __LINE__, #cond);                   \
	} while (0)
_Noreturn void util_bug(const char *file, int line, const char *what);

/* Allocation wrappers: never return NULL; on out-of-memory they print
 * "gpuplan: out of memory" and abort. Results are freed with free(). */
void *util_xmalloc(size_t n);
void *util_xcalloc(size_t nmemb, size_t size);
/* "gpuplan: out of memory" on stderr, then abort(): what every failed
 * allocation comes to (docs/security.md). */
_Noreturn void util_oom(void);
void *util_xrealloc(void *p, size_t n);
void *util_xreallocarray(void *p, size_t nmemb, size_t size);
char *util_xstrdup(const char *s);
char *util_xstrndup(const char *s, size_t n);
/* Frees the n strings of v and v itself (NULL is fine). */
void util_strv_free(char **v, size_t n);
/* printf into a new string; caller frees. */
char *util_xasprintf(const char *fmt, ...) UTIL_PRINTF(1, 2);

/* Grows array `x` (of `alloc` elements) to hold at least `nr` elements,
 * by 3/2 steps, with overflow checks (git's ALLOC_GROW). */
#define UTIL_GROW(x, nr, alloc)                                                \
	do {                                                                   \
		if ((size_t)(nr) > (alloc)) {                                  \
			(alloc) = util_grow_size((alloc), (nr));               \
			(x) = util_xreallocarray((x), (alloc), sizeof(*(x)));  \
		}                                                              \
	} while (0)
size_t util_grow_size(size_t alloc, size_t need);

/* A growable NUL-terminated string. util_buf_init allocates nothing. */
struct util_buf {
	char *s;
	size_t len, alloc;
};
void util_buf_init(struct util_buf *b);
void util_buf_release(struct util_buf *b);
void util_buf_add(struct util_buf *b, const char *data, size_t len);
void util_buf_puts(struct util_buf *b, const char *s);
void util_buf_printf(struct util_buf *b, const char *fmt, ...)
	UTIL_PRINTF(2, 3);
void util_buf_vprintf(struct util_buf *b, const char *fmt, va_list ap)
	UTIL_PRINTF(2, 0);
/* Returns the string (never NULL; "" if empty) and resets b; caller frees. */
char *util_buf_detach(struct util_buf *b);
/* The contents, "" if empty; owned by b. */
const char *util_buf_str(const struct util_buf *b);

/* Diagnostics about an input file, kept in the order they were found. */
enum util_severity { UTIL_WARNING, UTIL_ERROR };
struct util_diag {
	enum util_severity severity;
	char *file; /* owned */
	int line, col; /* 1-based; 0 when unknown */
	char *msg; /* owned */
	size_t seq;
};
struct util_diags {
	struct util_diag *v;
	size_t n, alloc;
	size_t nerrors, nwarnings, dropped;
};
#define UTIL_DIAGS_MAX 200 /* past this many, diagnostics are counted only */
#define UTIL_DIAG_MSG_MAX 480 /* longer messages are cut */
void util_diags_init(struct util_diags *d);
void util_diags_release(struct util_diags *d);
/* Records a diagnostic. Returns UTIL_E_INPUT for an error, 0 for a
 * warning. file may be NULL; line/col are 1-based, 0 for none. */
int util_diag_add(struct util_diags *d, enum util_severity sev,
		  const char *file, int line, int col, const char *fmt, ...)
	UTIL_PRINTF(6, 7);
int util_diag_vadd(struct util_diags *d, enum util_severity sev,
		   const char *file, int line, int col, const char *fmt,
		   va_list ap) UTIL_PRINTF(6, 0);
/* Sorts by file, line, column, then order of discovery. */
void util_diags_sort(struct util_diags *d);
/* Formats one diagnostic as "file:line:col: [warning: ]msg" into b. */
void util_diag_format(const struct util_diag *dg, struct util_buf *b);

/* Nearest candidate to word by case-insensitive edit distance, or NULL
 * when none is close enough to be a likely typo. Returns a pointer into
 * cands. */
const char *util_nearest(const char *word, const char *const *cands,
			 size_t n);
/* Case-insensitive edit distance (Damerau: a swap costs 1). */
size_t util_edit_distance(const char *a, const char *b);

/* True if s[0..len) is valid UTF-8 (no overlongs, no surrogates, no code
 * point above U+10FFFF). On failure *bad is the offset of the first bad
 * byte. */
bool util_utf8_valid(const char *s, size_t len, size_t *bad);
/* The 1-based line and column (util_offset_to_linecol) in the JSON text
 * s[0..len) of the value at path: npath object keys or array indices
 * (decimal strings: "assignments", "2", "devices"), for messages about a
 * value jansson read (it keeps no positions). False when the text has no
 * such value: the position is then that of the deepest value found. */
bool util_json_locate(const char *s, size_t len, const char *const *path,
		      size_t npath, int *line, int *col);
/* 1-based line and column (in characters) of byte offset off in s. */
void util_offset_to_linecol(const char *s, size_t len, size_t off, int *line,
			    int *col);

/* Reads a whole file (path "-" is stdin) into a NUL-terminated buffer of
 * at most max bytes. Caller frees *data. Errors: UTIL_E_NOINPUT (missing
 * or unreadable), UTIL_E_INPUT (larger than max, or a directory). */
int util_read_file(const char *path, size_t max, char **data, size_t *len,
		   struct util_err *err);
/* Writes data to path atomically: a temporary file in the same directory,
 * fsync, rename. Never leaves a partial file at path. UTIL_E_IO on error. */
/* Seconds on a monotonic clock (util/clock.c): for elapsed time only. */
double util_now_s(void);

int util_write_atomic(const char *path, const void *data, size_t len,
		      struct util_err *err);

/* CSV (util/csv.c). A row of at most UTIL_CSV_MAX_FIELDS fields, each
 * owned by the row. */
#define UTIL_CSV_MAX_FIELDS 64
struct util_csv_row {
	char *field[UTIL_CSV_MAX_FIELDS];
	size_t n;
	int line; /* where the row starts, 1-based */
};
/* Reads the RFC 4180 row of s[0..len) at *pos (advanced), counting lines
 * in *line. Returns 1 for a row (release it), 0 at the end, UTIL_E_INPUT
 * for a malformed row (message in err). */
int util_csv_next(const char *s, size_t len, size_t *pos, int *line,
		  struct util_csv_row *r, struct util_err *err);
void util_csv_row_release(struct util_csv_row *r);

/* Strict number parsing for text from outside: the whole of s must be a
 * finite decimal number (no hex, no nan/inf, no trailing junk). */
int util_parse_double(const char *s, double *out);
/* Same for a base-10 integer in [min, max]. */
int util_parse_long(const char *s, long min, long max, long *out);

/* Names from input files (catalog entries, offer ids, providers): 1 to
 * UTIL_IDENT_MAX letters, digits, '.', '_' and '-', beginning with a
 * letter or digit. Such a name is safe as a shell word, a YAML plain
 * scalar's text, a file name part and a Slurm directive value. */
#define UTIL_IDENT_MAX 128
bool util_ident_ok(const char *s);
/* Descriptive text from input files (regions, instance types): 1 to
 * UTIL_LABEL_MAX letters, digits, spaces and "._+(),/:-", not beginning
 * or ending with a space: no quote, no newline, no '#', '$' or '\'. */
#define UTIL_LABEL_MAX 200
bool util_label_ok(const char *s);
/* s made safe to show in a message or on a terminal: "\n", "\\",
 * "\xNN" for other control characters, "\u00NN" for C1 controls
 * (U+0080 to U+009F); other UTF-8 as it is; cut with "..." to fit
 * out[n]. */
void util_escape(const char *s, char *out, size_t n);
/* Whether s prints as it reads, on one line: no control character (tab
 * and line end included, U+007F) and nothing util_utf8_format_len
 * finds (C1 controls, line separators, bidirectional formatting). */
bool util_one_line(const char *s);
/* The length in bytes of the UTF-8 character at s when it is a C1
 * control (U+0080 to U+009F), a line or paragraph separator (U+2028,
 * U+2029) or a bidirectional formatting character (U+061C, U+200E,
 * U+200F, U+202A to U+202E, U+2066 to U+2069: they reorder the text
 * around them on display, "802 USD" shown as "DSU 208"); else 0. */
size_t util_utf8_format_len(const char *s);

/* Index of s among names[0..n), ignoring case, or -1. */
int util_strcase_index(const char *s, const char *const *names, size_t n);

/* Country codes (util/country.c). True when code is an officially
 * assigned ISO 3166-1 alpha-2 code, in any case ("ca", "FR"). */
bool util_country_ok(const char *code);
/* The ISO code for a spelling people use instead ("UK": "GB", "EL":
 * "GR", "Canada": "CA"), or NULL. */
const char *util_country_hint(const char *code);
/* The member states of the European Union, upper case. */
#define UTIL_EU_NMEMBERS 27
extern const char *const util_eu_members[UTIL_EU_NMEMBERS];
/* True when code (any case) is a member state of the EU. */
bool util_country_eu(const char *code);

/* |v| rounded to a whole number with a comma every three digits (a
 * minus sign when negative); from 1e18 on, "%.3g" (1e+20). Returns
 * buf. */
char *util_fmt_grouped(char *buf, size_t n, double v);
/* A duration of s seconds in the unit that reads best ("250 ms",
 * "45 s", "18 min", "24 h", "3.5 days"). Returns buf. */
char *util_fmt_duration(char *buf, size_t n, double s);
/* A measured time of ms milliseconds as estimate's tables print it:
 * tenths of a millisecond below a second ("256.5 ms"), from a second
 * up as util_fmt_duration. Returns buf. */
char *util_fmt_ms(char *buf, size_t n, double ms);
/* Money with its currency: whole units with separators from 100 up
 * ("22,594 USD"), cents below ("7.50 USD"). plus puts "+" before a
 * positive amount (changes). */
char *util_fmt_money(char *buf, size_t n, double v, const char *currency,
		       bool plus);

#endif
