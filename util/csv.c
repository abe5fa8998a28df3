/* CSV rows (RFC 4180): quoted fields, doubled quotes, newlines inside
 * quotes, CRLF or LF. */
#include <string.h>

#include "util.h"

void util_csv_row_release(struct util_csv_row *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->field[i]);
	r->n = 0;
}

int util_csv_next(const char *s, size_t len, size_t *pos, int *line,
		  struct util_csv_row *r, struct util_err *err)
{
	struct util_buf f;
	size_t i = *pos;
	bool quoted = false;

	if (i >= len)
		return 0;
	r->n = 0;
	r->line = *line;
	util_buf_init(&f);
	for (;;) {
		char c = i < len ? s[i] : '\n';

		if (quoted) {
			if (i >= len) {
				util_buf_release(&f);
				util_csv_row_release(r);
				return util_err_set(err, UTIL_E_INPUT,
						    "line %d: unterminated "
						    "quoted field", r->line);
			}
			if (c == '"' && i + 1 < len && s[i + 1] == '"') {
				util_buf_add(&f, "\"", 1);
				i += 2;
				continue;
			}
			if (c == '"')
				quoted = false;
			else
				util_buf_add(&f, &c, 1);
			*line += c == '\n';
			i++;
			continue;
		}
		if (c == '"' && f.len == 0) {
			quoted = true;
			i++;
			continue;
		}
		if (c == ',' || c == '\n') {
			if (r->n == UTIL_CSV_MAX_FIELDS) {
				util_buf_release(&f);
				util_csv_row_release(r);
				return util_err_set(err, UTIL_E_INPUT,
						    "line %d: more than %d "
						    "fields", r->line,
						    UTIL_CSV_MAX_FIELDS);
			}
			r->field[r->n++] = util_buf_detach(&f);
			i++;
			if (c == '\n') {
				(*line)++;
				break;
			}
			continue;
		}
		if (c != '\r')
			util_buf_add(&f, &c, 1);
		i++;
	}
	*pos = i;
	return 1;
}

