/* gpuplan apply DIR --to slurm [--dry-run] [-- COMMAND...]: submits the
 * scripts `gpuplan emit --to slurm` wrote, with the real sbatch. Every
 * script passes `sbatch --test-only` first, so that a rejection submits
 * nothing. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

extern char **environ;

static char **found; /* the scripts, for nftw */
static size_t nfound, afound;
static const char *suffix = ".sbatch"; /* of the files collected */

static int collect(const char *path, const struct stat *st, int flag,
		   struct FTW *ftw)
{
	size_t n = strlen(path), k = strlen(suffix);

	(void)st;
	(void)ftw;
	if (flag == FTW_F && n > k && !strcmp(path + n - k, suffix)) {
		UTIL_GROW(found, nfound + 1, afound);
		found[nfound++] = util_xstrdup(path);
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	const char *bx = strrchr(x, '/'), *by = strrchr(y, '/');
	int kx = bx && !strncmp(bx, "/kueue", 6),
	    ky = by && !strncmp(by, "/kueue", 6);

	if (kx != ky) /* the queues before the workloads queued in them */
		return ky - kx;
	return strcmp(x, y);
}

/* Runs argv, its stdout and stderr together in out. Returns the exit
 * status, or -1 when it could not start (errno set). */
static int run(char **argv, struct util_buf *out)
{
	posix_spawn_file_actions_t fa;
	int fds[2], status = 0, e;
	char chunk[4096];
	pid_t pid;
	ssize_t n;

	if (pipe(fds))
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDERR_FILENO);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	e = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (e) {
		close(fds[0]);
		errno = e;
		return -1;
	}
	while ((n = read(fds[0], chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		util_buf_add(out, chunk, (size_t)n);
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && !out->len) {
		errno = ENOENT;
		return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* sbatch's message on one line, without the "sbatch: [error: ]" heads. */
static void tidy(struct util_buf *b, struct util_buf *line)
{
	const char *p = util_buf_str(b);

	while (*p) {
		size_t n = strcspn(p, "\n");

		if (!strncmp(p, "sbatch: ", 8)) {
			p += 8;
			n -= 8;
		}
		if (!strncmp(p, "error: ", 7)) {
			p += 7;
			n -= 7;
		}
		if (n) {
			if (line->len)
				util_buf_puts(line, "; ");
			util_buf_add(line, p, n);
		}
		p += n;
		p += *p == '\n';
	}
}

/* PROG ARGS... FILE MORE...: the exit status (-1: not started), its
 * output on one line in msg. */
static int tool(const char *prog, const char *const *args, size_t nargs,
		const char *file, char **more, size_t nmore,
		struct util_buf *msg)
{
	char **argv = util_xcalloc(nargs + nmore + 3, sizeof(*argv));
	struct util_buf out;
	size_t k = 0;
	int rc;

	argv[k++] = (char *)prog;
	for (size_t i = 0; i < nargs; i++)
		argv[k++] = (char *)args[i];
	argv[k++] = (char *)file;
	for (size_t i = 0; i < nmore; i++)
		argv[k++] = more[i];
	util_buf_init(&out);
	rc = run(argv, &out);
	tidy(&out, msg);
	util_buf_release(&out);
	free(argv);
	return rc;
}

/* sbatch MODE SCRIPT COMMAND... */
static int sbatch(const char *mode, const char *script, char **cmd,
		  size_t ncmd, struct util_buf *msg)
{
	return tool("sbatch", &mode, 1, script, cmd, ncmd, msg);
}

/* The scripts of one cluster only: emit writes a directory per cluster,
 * and each is submitted on its own cluster. */
static int one_cluster(const char *dir)
{
	const char *a = found[0];
	size_t la = (size_t)(strrchr(a, '/') - a);

	for (size_t i = 1; i < nfound; i++) {
		const char *b = found[i];
		size_t lb = (size_t)(strrchr(b, '/') - b);

		if (la == lb && !strncmp(a, b, la))
			continue;
		cli_error("'%s' holds scripts for several clusters ('%.*s' "
			  "and '%.*s'): apply each cluster's directory on that "
			  "cluster", dir, (int)la, a, (int)lb, b);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

static int parse(int argc, char **argv, bool *dry, bool *k8s)
{
	bool to = false;
	static const struct option longopts[] = {
		{"to", required_argument, NULL, 't'},
		{"dry-run", no_argument, NULL, 'n'},
		{NULL, 0, NULL, 0}};
	int ch;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (ch) {
		case 't':
			*k8s = !strcmp(optarg, "kubernetes") ||
			       !strcmp(optarg, "kueue");
			if (strcmp(optarg, "slurm") && !*k8s)
				return cli_usage_error(
					"apply", "only '--to slurm' can be "
					"applied, got '%s' (apply Kubernetes "
					"files with 'kubectl apply -f DIR', "
					"SkyPilot tasks with 'sky launch')",
					optarg);
			to = true;
			break;
		case 'n':
			*dry = true;
			break;
		case ':':
			return cli_usage_error("apply", "option '%s' needs a "
					       "value", argv[optind - 1]);
		default:
			return cli_usage_error("apply", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (!to)
		return cli_usage_error("apply", "say where with --to slurm");
	if (*k8s && !*dry)
		return cli_usage_error("apply", "Kubernetes files are checked "
				       "with --dry-run (kubectl --dry-run="
				       "client); apply them with 'kubectl "
				       "apply -f DIR'");
	if (optind >= argc)
		return cli_usage_error("apply", "give the directory that "
				       "'gpuplan emit --to slurm' wrote");
	if (!*dry && !*k8s && optind + 1 >= argc)
		return cli_usage_error("apply", "give the command the jobs "
				       "run after '--': gpuplan apply DIR --to "
				       "slurm -- python train.py");
	return 0;
}

/* sbatch's words when no controller answers. */
static bool unreachable(const char *msg)
{
	static const char *const says[] = {
		"Unable to contact slurm controller",
		"Could not establish a configuration source",
		"Unable to establish controller machine",
		"Zero Bytes were transmitted or received",
		"slurm_persist_conn_open",
		"Unable to process configuration file",
	};

	for (size_t i = 0; i < UTIL_ARRAY_SIZE(says); i++)
		if (strstr(msg, says[i]))
			return true;
	return false;
}

/* A script for an academic cluster names the account its jobs are
 * billed to: emit writes none, and a marker, when the scenario gives
 * none; an old placeholder is refused as well. */
static int accounts(void)
{
	int rc = 0;

	for (size_t i = 0; i < nfound; i++) {
		char *text = NULL;
		size_t len;
		struct util_err err;

		if (util_read_file(found[i], 1 << 20, &text, &len, &err)) {
			cli_error("%s", err.msg);
			return CLI_EXIT_NOINPUT;
		}
		if (strstr(text, "\n# gpuplan: no Slurm account") ||
		    strstr(text, "--account=def-CHANGEME")) {
			cli_error("'%s' names no Slurm account: give "
				  "venues.academic.account (def-<pi>) in the "
				  "scenario and emit again", found[i]);
			rc = CLI_EXIT_DATAERR;
		}
		free(text);
	}
	return rc;
}

/* Checks every script with --test-only: 0, CLI_EXIT_REJECTED after
 * reporting every rejection, or CLI_EXIT_UNAVAILABLE. */
static int check(char **cmd, size_t ncmd, bool report)
{
	int rc = 0;

	for (size_t i = 0; i < nfound; i++) {
		struct util_buf msg;
		int st;

		util_buf_init(&msg);
		st = sbatch("--test-only", found[i], cmd, ncmd, &msg);
		if (st < 0) {
			cli_error("cannot run sbatch: %s (install it with "
				  "apt-get install slurm-client)",
				  strerror(errno));
			util_buf_release(&msg);
			return CLI_EXIT_UNAVAILABLE;
		}
		if (st && unreachable(util_buf_str(&msg))) {
			cli_error("no Slurm controller answers: %s (is "
				  "slurmctld up, and SLURM_CONF right?)",
				  util_buf_str(&msg));
			util_buf_release(&msg);
			return CLI_EXIT_UNAVAILABLE;
		}
		if (st) {
			cli_error("slurm rejected '%s': %s", found[i],
				  util_buf_str(&msg));
			rc = CLI_EXIT_REJECTED;
		} else if (report) {
			printf("%s: accepted: %s\n", found[i],
			       util_buf_str(&msg));
		}
		util_buf_release(&msg);
	}
	return rc;
}

/* kubectl's words when no cluster answers: the files can still be
 * parsed, offline. */
static bool no_cluster(const char *msg)
{
	return strstr(msg, "connection refused") ||
	       strstr(msg, "couldn't get current server API group list") ||
	       strstr(msg, "failed to download openapi") ||
	       strstr(msg, "no such host") || strstr(msg, "i/o timeout");
}

/* kubectl ARGS... FILE */
static int kubectl(const char *const *args, size_t nargs, const char *file,
		   struct util_buf *msg)
{
	return tool("kubectl", args, nargs, file, NULL, 0, msg);
}

/* apply --to kubernetes --dry-run: every file through the real client,
 * `kubectl apply --dry-run=client` (kueue*.yaml first); with no cluster
 * to ask, kubectl can still parse them (`kubectl label --local`). */
static int check_k8s(void)
{
	static const char *const dry[] = {"apply", "--dry-run=client",
					  "-o", "name", "-f"};
	static const char *const local[] = {
		"label", "--local", "--dry-run=client", "-o", "name",
		"gpuplan.dev/checked=true", "-f"};
	int rc = 0;

	for (size_t i = 0; i < nfound; i++) {
		struct util_buf msg;
		const char *how = "accepted";
		int st;

		util_buf_init(&msg);
		st = kubectl(dry, UTIL_ARRAY_SIZE(dry), found[i], &msg);
		if (st > 0 && no_cluster(util_buf_str(&msg))) {
			util_buf_release(&msg);
			util_buf_init(&msg);
			how = "parsed (no cluster to check against)";
			st = kubectl(local, UTIL_ARRAY_SIZE(local), found[i],
				     &msg);
		}
		if (st < 0) {
			cli_error("cannot run kubectl: %s (install it with "
				  "apt-get install kubernetes-client)",
				  strerror(errno));
			util_buf_release(&msg);
			return CLI_EXIT_UNAVAILABLE;
		}
		if (st) {
			cli_error("kubectl rejected '%s': %s", found[i],
				  util_buf_str(&msg));
			rc = CLI_EXIT_REJECTED;
		} else {
			printf("%s: %s: %s\n", found[i], how,
			       util_buf_str(&msg));
		}
		util_buf_release(&msg);
	}
	return rc;
}

static int submit(char **cmd, size_t ncmd)
{
	for (size_t i = 0; i < nfound; i++) {
		struct util_buf msg;
		int st;

		util_buf_init(&msg);
		st = sbatch("--parsable", found[i], cmd, ncmd, &msg);
		if (st) {
			cli_error("slurm rejected '%s' (%zu of %zu submitted "
				  "before it): %s", found[i], i, nfound,
				  util_buf_str(&msg));
			util_buf_release(&msg);
			return CLI_EXIT_REJECTED;
		}
		printf("%s: submitted: job %s\n", found[i], util_buf_str(&msg));
		util_buf_release(&msg);
	}
	return 0;
}

int cmd_apply(int argc, char **argv, struct cli_ctx *ctx)
{
	bool dry = false, k8s = false;
	int rc = parse(argc, argv, &dry, &k8s);
	char **cmd;
	size_t ncmd;

	(void)ctx;
	if (rc)
		return rc;
	cmd = argv + optind + 1;
	ncmd = (size_t)(argc - optind - 1);
	suffix = k8s ? ".yaml" : ".sbatch";
	if (nftw(argv[optind], collect, 16, FTW_PHYS)) {
		cli_error("cannot read '%s': %s", argv[optind],
			  strerror(errno));
		return CLI_EXIT_NOINPUT;
	}
	if (!nfound) {
		cli_error("no %s in '%s': write them with "
			  "'gpuplan emit SCENARIO --to %s --out %s'",
			  k8s ? ".yaml file" : ".sbatch script", argv[optind],
			  k8s ? "kubernetes" : "slurm", argv[optind]);
		return CLI_EXIT_NOINPUT;
	}
	qsort(found, nfound, sizeof(*found), by_name);
	if (k8s) {
		rc = check_k8s();
		goto done;
	}
	rc = one_cluster(argv[optind]);
	if (!rc)
		rc = accounts();
	if (!rc)
		rc = check(cmd, ncmd, dry);
	if (!rc && !dry)
		rc = submit(cmd, ncmd);
	else if ((rc == CLI_EXIT_REJECTED || rc == CLI_EXIT_DATAERR) && !dry)
		cli_error("nothing was submitted");
done:
	if (fflush(stdout) && !rc)
		rc = CLI_EXIT_CANTCREAT;
	util_strv_free(found, nfound);
	found = NULL;
	nfound = afound = 0;
	return rc;
}
