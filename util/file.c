/* Reading inputs with a size limit, writing outputs atomically. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static int read_fd(int fd, const char *path, size_t max, struct util_buf *b,
		   struct util_err *err)
{
	char chunk[65536];

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return util_err_set(err, UTIL_E_NOINPUT,
					    "cannot read '%s': %s", path,
					    strerror(errno));
		if (n == 0)
			return 0;
		if (b->len + (size_t)n > max)
			return util_err_set(err, UTIL_E_INPUT,
					    "'%s' is larger than the limit of "
					    "%zu MiB",
					    path, max >> 20);
		util_buf_add(b, chunk, (size_t)n);
	}
}

int util_read_file(const char *path, size_t max, char **data, size_t *len,
		   struct util_err *err)
{
	struct util_buf b;
	struct stat st;
	int fd, rc;

	if (!strcmp(path, "-")) {
		fd = STDIN_FILENO;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return util_err_set(err, UTIL_E_NOINPUT,
					    "cannot open '%s': %s", path,
					    strerror(errno));
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = util_err_set(err, UTIL_E_INPUT,
				  "'%s' is a directory, not a file", path);
		goto done;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uintmax_t)st.st_size > max) {
		rc = util_err_set(err, UTIL_E_INPUT,
				  "'%s' is larger than the limit of %zu MiB",
				  path, max >> 20);
		goto done;
	}
	util_buf_init(&b);
	util_buf_add(&b, "", 0);
	rc = read_fd(fd, path, max, &b, err);
	if (rc) {
		util_buf_release(&b);
		goto done;
	}
	*len = b.len;
	*data = util_buf_detach(&b);
done:
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int util_write_atomic(const char *path, const void *data, size_t len,
		      struct util_err *err)
{
	char *tmp = util_xasprintf("%s.tmp.XXXXXX", path);
	int fd = mkstemp(tmp), rc = 0;

	if (fd < 0) {
		rc = util_err_set(err, UTIL_E_IO, "cannot create '%s': %s",
				  tmp, strerror(errno));
		goto out;
	}
	if (write_all(fd, data, len) || fsync(fd) ||
	    fchmod(fd, 0644)) {
		rc = util_err_set(err, UTIL_E_IO, "cannot write '%s': %s",
				  path, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) || rename(tmp, path)) {
		rc = util_err_set(err, UTIL_E_IO, "cannot write '%s': %s",
				  path, strerror(errno));
		unlink(tmp);
	}
out:
	free(tmp);
	return rc;
}
