/* Files built in memory before anything is written: a target's output is
 * written whole or not at all. */
#include <stdio.h>
#include <string.h>

#include "emit_int.h"

void emit_files_init(struct emit_files *f)
{
	memset(f, 0, sizeof(*f));
}

void emit_files_release(struct emit_files *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].text);
	}
	free(f->v);
	util_buf_release(&f->notes);
	emit_files_init(f);
}

void emit_files_add(struct emit_files *f, const char *name,
		    struct util_buf *text)
{
	UTIL_GROW(f->v, f->n + 1, f->alloc);
	f->v[f->n].name = util_xstrdup(name);
	f->v[f->n].text = util_buf_detach(text);
	f->n++;
}

void emit_unique_name(const struct emit_files *f, const char *ext,
		      char name[64])
{
	char base[64], file[80];

	snprintf(base, sizeof(base), "%s", name);
	for (int k = 2;; k++) {
		bool taken = false;

		snprintf(file, sizeof(file), "%s%s", name, ext);
		for (size_t i = 0; i < f->n && !taken; i++)
			taken = !strcmp(f->v[i].name, file);
		if (!taken)
			return;
		snprintf(name, 64, "%.*s-%d", 60 - (k > 9) - (k > 99),
			 base, k);
	}
}
