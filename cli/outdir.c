/* An output directory written whole or not at all: the files go into a
 * temporary sibling, which then takes the place of the old directory. */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../emit/emit.h"
#include "cli.h"

#define MARKER ".gpuplan-emit"

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_tree(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* 1 when dir is empty or was written by gpuplan, 0 when it holds
 * something else, -1 when it is not a directory. */
static int ours(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int rc = 1;

	if (!d)
		return -1;
	while (rc == 1 && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			rc = 0;
	closedir(d);
	if (rc == 0) {
		char *m = util_xasprintf("%s/%s", dir, MARKER);

		rc = access(m, F_OK) == 0;
		free(m);
	}
	return rc;
}

/* Writes text at dir/name, making the directories of name. */
static int put(const char *dir, const char *name, const char *text,
	       struct util_err *err)
{
	char *path = util_xasprintf("%s/%s", dir, name);
	int rc = 0;

	for (char *p = path + strlen(dir) + 1; *p && !rc; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			rc = util_err_set(err, UTIL_E_IO, "cannot create '%s': %s",
					  path, strerror(errno));
		*p = '/';
	}
	if (!rc)
		rc = util_write_atomic(path, text, strlen(text), err);
	free(path);
	return rc;
}

int cli_write_dir(const char *dir, const struct emit_files *f,
		  const char *what)
{
	struct util_err err = {0};
	char *tmp = util_xasprintf("%s.tmp.XXXXXX", dir);
	char *old = NULL;
	int mine = access(dir, F_OK) ? 2 : ours(dir), rc = 0;

	if (mine == -1) {
		cli_error("'%s' exists and is not a directory: give another "
			  "--out", dir);
		free(tmp);
		return CLI_EXIT_CANTCREAT;
	}
	if (mine == 0) {
		cli_error("'%s' holds files gpuplan did not write (no %s in "
			  "it): give another --out, or empty it", dir, MARKER);
		free(tmp);
		return CLI_EXIT_CANTCREAT;
	}
	if (!mkdtemp(tmp) || chmod(tmp, 0755)) {
		cli_error("cannot create a directory next to '%s': %s", dir,
			  strerror(errno));
		rmdir(tmp);
		free(tmp);
		return CLI_EXIT_CANTCREAT;
	}
	for (size_t i = 0; i < f->n && !rc; i++)
		rc = put(tmp, f->v[i].name, f->v[i].text, &err);
	if (!rc)
		rc = put(tmp, MARKER, what, &err);
	if (!rc && mine == 1) {
		old = util_xasprintf("%s.old.XXXXXX", dir);
		if (!mkdtemp(old) || rename(dir, old))
			rc = util_err_set(&err, UTIL_E_IO, "cannot replace "
					  "'%s': %s", dir, strerror(errno));
	}
	if (!rc && rename(tmp, dir)) {
		rc = util_err_set(&err, UTIL_E_IO, "cannot replace '%s': %s",
				  dir, strerror(errno));
		if (old)
			rename(old, dir); /* put the old one back */
	}
	if (old)
		remove_tree(old);
	if (rc) {
		remove_tree(tmp);
		cli_error("%s; '%s' is unchanged", err.msg, dir);
		rc = CLI_EXIT_CANTCREAT;
	}
	free(old);
	free(tmp);
	return rc;
}
