/* An output directory written whole or not at all: the files go into a
 * temporary sibling, which then takes the place of the old directory.
 * The directory's marker lists what gpuplan wrote there: a directory that
 * holds anything else is refused, so no one's files are deleted. */
#define _GNU_SOURCE /* renameat2 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

/* For nftw: the marker's text and the first file it does not list. */
static const char *listed;
static size_t root_len;
static char *stranger;

static int check_one(const char *path, const struct stat *st, int flag,
		     struct FTW *ftw)
{
	const char *rel = path + root_len + 1;
	const char *p = listed;
	size_t n = strlen(rel);

	(void)st;
	(void)ftw;
	if (flag == FTW_D || flag == FTW_DP || strlen(path) <= root_len ||
	    !strcmp(rel, MARKER))
		return 0;
	while (p && (p = strstr(p, rel)))
		if ((p == listed || p[-1] == '\n') && p[n] == '\n')
			return 0;
		else
			p++;
	stranger = util_xstrdup(rel);
	return 1;
}

/* 1 when dir is empty, or holds only what gpuplan wrote there (its
 * marker lists every file); 0 when it holds something else (*what names
 * it); -1 when it is not a directory. */
static int ours(const char *dir, char **what)
{
	struct util_err err;
	struct dirent *e;
	char *m, *text = NULL;
	size_t len;
	DIR *d = opendir(dir);
	int n = 0;

	*what = NULL;
	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	if (!n)
		return 1;
	m = util_xasprintf("%s/%s", dir, MARKER);
	if (util_read_file(m, 1 << 20, &text, &len, &err)) {
		free(m);
		*what = util_xasprintf("no %s in it", MARKER);
		return 0;
	}
	free(m);
	listed = text;
	root_len = strlen(dir);
	stranger = NULL;
	nftw(dir, check_one, 16, FTW_PHYS);
	free(text);
	if (!stranger)
		return 1;
	*what = util_xasprintf("'%s' was not written by gpuplan", stranger);
	free(stranger);
	stranger = NULL;
	return 0;
}

/* Writes text at dir/name, making the directories of name; name is
 * relative and never climbs out of dir. */
static int put(const char *dir, const char *name, const char *text,
	       struct util_err *err)
{
	char *path;
	int rc = 0;

	if (name[0] == '/' || !strncmp(name, "../", 3) ||
	    strstr(name, "/../") || !strcmp(name, ".."))
		return util_err_set(err, UTIL_E_INTERNAL, "refusing to write "
				    "'%s' outside the output directory", name);
	path = util_xasprintf("%s/%s", dir, name);
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

/* Puts tmp in dir's place: an atomic exchange when the file system has
 * it, then the old tree (now at tmp) is removed. */
static int swap_in(const char *tmp, const char *dir, bool exists,
		   struct util_err *err)
{
	char *old;

	if (!exists) {
		if (rename(tmp, dir))
			return util_err_set(err, UTIL_E_IO, "cannot create "
					    "'%s': %s", dir, strerror(errno));
		return 0;
	}
	if (!renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE)) {
		remove_tree(tmp); /* the old tree */
		return 0;
	}
	if (errno != EINVAL && errno != ENOSYS)
		return util_err_set(err, UTIL_E_IO, "cannot replace '%s': %s",
				    dir, strerror(errno));
	old = util_xasprintf("%s.old.XXXXXX", dir); /* no exchange here */
	if (!mkdtemp(old) || rename(dir, old)) {
		rmdir(old);
		free(old);
		return util_err_set(err, UTIL_E_IO, "cannot replace '%s': %s",
				    dir, strerror(errno));
	}
	if (rename(tmp, dir)) {
		int e = errno;

		if (rename(old, dir)) /* keep the old one somewhere */
			util_err_set(err, UTIL_E_IO, "cannot replace '%s' (%s); "
				     "its old content is in '%s'", dir,
				     strerror(e), old);
		else
			util_err_set(err, UTIL_E_IO, "cannot replace '%s': %s",
				     dir, strerror(e));
		free(old);
		return UTIL_E_IO;
	}
	remove_tree(old);
	free(old);
	return 0;
}

int cli_write_dir(const char *dir, const struct emit_files *f,
		  const char *what)
{
	struct util_err err = {0};
	struct util_buf marker;
	char *tmp = util_xasprintf("%s.tmp.XXXXXX", dir), *why = NULL;
	bool exists = access(dir, F_OK) == 0;
	int mine = exists ? ours(dir, &why) : 1, rc = 0;

	if (mine <= 0) {
		if (mine < 0)
			cli_error("'%s' exists and is not a directory: give "
				  "another --out", dir);
		else
			cli_error("'%s' holds files gpuplan did not write (%s): "
				  "give another --out, or empty it", dir, why);
		free(why);
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
	util_buf_init(&marker);
	util_buf_puts(&marker, what);
	for (size_t i = 0; i < f->n && !rc; i++) {
		rc = put(tmp, f->v[i].name, f->v[i].text, &err);
		util_buf_printf(&marker, "%s\n", f->v[i].name);
	}
	if (!rc)
		rc = put(tmp, MARKER, util_buf_str(&marker), &err);
	if (!rc)
		rc = swap_in(tmp, dir, exists, &err);
	if (rc) {
		remove_tree(tmp);
		cli_error("%s; '%s' is unchanged", err.msg, dir);
		rc = CLI_EXIT_CANTCREAT;
	}
	util_buf_release(&marker);
	free(tmp);
	return rc;
}
