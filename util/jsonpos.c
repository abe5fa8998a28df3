/* Where a value is in a JSON text: jansson keeps no positions, so a
 * message about a value read back (a plan, docs/plan.schema.json) finds
 * its line and column here, by walking the text along the value's path. */
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct jscan {
	const char *s;
	size_t len, i;
};

static void blank(struct jscan *j)
{
	while (j->i < j->len && (j->s[j->i] == ' ' || j->s[j->i] == '\t' ||
				 j->s[j->i] == '\r' || j->s[j->i] == '\n'))
		j->i++;
}

/* Past the string at j->i (its opening quote); false if unterminated. */
static bool skip_string(struct jscan *j)
{
	for (j->i++; j->i < j->len; j->i++) {
		if (j->s[j->i] == '\\')
			j->i++;
		else if (j->s[j->i] == '"')
			return ++j->i, true;
	}
	return false;
}

/* Past the value at j->i, however deep (no recursion). */
static bool skip_value(struct jscan *j)
{
	size_t depth = 0;

	do {
		char c;

		blank(j);
		if (j->i >= j->len)
			return false;
		c = j->s[j->i];
		if (c == '"') {
			if (!skip_string(j))
				return false;
		} else if (c == '{' || c == '[') {
			depth++;
			j->i++;
		} else if (c == '}' || c == ']') {
			if (!depth)
				return false;
			depth--;
			j->i++;
		} else if (c == ',' || c == ':') {
			if (!depth)
				return false;
			j->i++;
		} else {
			/* memchr, not strchr: a NUL in the text is part of a
			 * token (strchr finds it in the set and never moves). */
			do
				j->i++;
			while (j->i < j->len &&
			       !memchr(",:}] \t\r\n", j->s[j->i], 8));
		}
	} while (depth);
	return true;
}

/* Past blanks and then the character c; false if c is not there. */
static bool expect(struct jscan *j, char c)
{
	blank(j);
	return j->i < j->len && j->s[j->i++] == c;
}

/* Into the member key of the object at j->i: j->i at its value. */
static bool member(struct jscan *j, const char *key)
{
	size_t n = strlen(key);

	for (j->i++;;) {
		size_t at;

		blank(j);
		if (j->i >= j->len || j->s[j->i] != '"')
			return false;
		at = j->i + 1;
		if (!skip_string(j))
			return false;
		if (!expect(j, ':'))
			return false;
		blank(j);
		if (j->i - at >= n + 1 && !memcmp(j->s + at, key, n) &&
		    j->s[at + n] == '"')
			return true;
		if (!skip_value(j) || !expect(j, ','))
			return false;
	}
}

/* Into element k of the array at j->i: j->i at it. */
static bool element(struct jscan *j, size_t k)
{
	for (j->i++;; k--) {
		blank(j);
		if (j->i >= j->len || j->s[j->i] == ']')
			return false;
		if (!k)
			return true;
		if (!skip_value(j) || !expect(j, ','))
			return false;
	}
}

bool util_json_locate(const char *s, size_t len, const char *const *path,
		      size_t npath, int *line, int *col)
{
	struct jscan j = {s, len, 0};
	size_t found;
	bool ok = true;

	blank(&j);
	found = j.i;
	for (size_t k = 0; ok && k < npath; k++) {
		struct jscan at = j;
		char *end;
		unsigned long idx = strtoul(path[k], &end, 10);

		if (j.i < len && s[j.i] == '{')
			ok = member(&j, path[k]);
		else if (j.i < len && s[j.i] == '[' && *path[k] && !*end)
			ok = element(&j, idx);
		else
			ok = false;
		if (!ok)
			j = at; /* the deepest value found */
		found = j.i;
	}
	util_offset_to_linecol(s, len, found < len ? found : len, line, col);
	return ok;
}
