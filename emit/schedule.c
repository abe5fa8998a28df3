/* An inference Deployment's daily hours (issue 25): when the plan counts
 * fewer than 24 hours a day of a service, two CronJobs scale its
 * Deployment up at the start of its window (the workload's daily_start)
 * and to 0 at its end with `kubectl scale`, under a ServiceAccount whose
 * Role may only read and scale that Deployment in its namespace
 * (docs/emit.md). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "emit_int.h"

/* Kubernetes' own kubectl image, published from v1.28 on (the
 * kubernetes/release project); the version of the schemas the tests
 * validate against. --kubectl-image replaces it. */
#define KUBECTL_IMAGE "registry.k8s.io/kubectl:v1.32.2"
/* A CronJob's name: at most 52 characters (the controller appends 11 to
 * its Jobs' names), so a Deployment's 63 are cut and hashed. */
#define CRON_NAME_MAX 52
#define JOB_TTL_S 86400
#define START_DEADLINE_S 3600 /* a missed start is still made an hour on */

/* base, cut so that base + suffix fits max characters: a long base keeps
 * its first characters and an FNV-1a hash of the whole, so that two
 * long names stay apart. */
static void short_name(const char *base, const char *suffix, size_t max,
		       char out[64])
{
	size_t room = max - strlen(suffix), n = strlen(base);
	uint32_t h = 2166136261u;
	char tag[8];

	if (n > room) {
		for (const char *p = base; *p; p++)
			h = (h ^ (unsigned char)*p) * 16777619u;
		snprintf(tag, sizeof(tag), "-%06x", (unsigned)(h & 0xffffff));
		n = room - strlen(tag);
		/* a cut ending on '-' gives "--", which a label allows */
		memcpy(out, base, n);
		memcpy(out + n, tag, strlen(tag));
		n += strlen(tag);
	} else
		memcpy(out, base, n);
	memcpy(out + n, suffix, strlen(suffix) + 1);
}

/* metadata with the name, the namespace and gpuplan's labels. */
static void meta(const char *name, const char *ns, const char *app,
		 struct util_buf *b)
{
	util_buf_puts(b, "metadata:\n  name: ");
	emit_yaml_str(b, name);
	util_buf_puts(b, "\n  namespace: ");
	emit_yaml_str(b, ns);
	util_buf_puts(b, "\n  labels:\n    app.kubernetes.io/name: ");
	emit_yaml_str(b, app);
	util_buf_puts(b, "\n    app.kubernetes.io/managed-by: gpuplan\n");
}

static void rbac(const char *sa, const char *deploy, const char *ns,
		 struct util_buf *b)
{
	util_buf_puts(b, "apiVersion: v1\nkind: ServiceAccount\n");
	meta(sa, ns, deploy, b);
	util_buf_puts(b, "---\napiVersion: rbac.authorization.k8s.io/v1\n"
		      "kind: Role\n");
	meta(sa, ns, deploy, b);
	util_buf_puts(b, "rules:\n- apiGroups: [\"apps\"]\n"
		      "  resources: [\"deployments\", \"deployments/scale\"]\n"
		      "  resourceNames: [");
	emit_yaml_str(b, deploy);
	util_buf_puts(b, "]\n  verbs: [\"get\", \"patch\", \"update\"]\n"
		      "---\napiVersion: rbac.authorization.k8s.io/v1\n"
		      "kind: RoleBinding\n");
	meta(sa, ns, deploy, b);
	util_buf_puts(b, "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n"
		      "  kind: Role\n  name: ");
	emit_yaml_str(b, sa);
	util_buf_puts(b, "\nsubjects:\n- kind: ServiceAccount\n  name: ");
	emit_yaml_str(b, sa);
	util_buf_puts(b, "\n  namespace: ");
	emit_yaml_str(b, ns);
	util_buf_puts(b, "\n");
}

/* The CronJob that sets deploy's replicas at minute `at` of each day. */
static void cron(const char *name, const char *sa, const char *deploy,
		 const char *ns, const char *image, int at, long replicas,
		 struct util_buf *b)
{
	char arg[96];

	util_buf_puts(b, "---\napiVersion: batch/v1\nkind: CronJob\n");
	meta(name, ns, deploy, b);
	util_buf_printf(b, "spec:\n  schedule: \"%d %d * * *\"\n"
			"  concurrencyPolicy: Replace\n"
			"  startingDeadlineSeconds: %d\n"
			"  successfulJobsHistoryLimit: 1\n"
			"  failedJobsHistoryLimit: 3\n"
			"  jobTemplate:\n    spec:\n      backoffLimit: 3\n"
			"      ttlSecondsAfterFinished: %d\n"
			"      template:\n        spec:\n"
			"          serviceAccountName: ",
			at % 60, at / 60, START_DEADLINE_S, JOB_TTL_S);
	emit_yaml_str(b, sa);
	util_buf_puts(b, "\n          restartPolicy: OnFailure\n"
		      "          containers:\n          - name: scale\n"
		      "            image: ");
	emit_yaml_str(b, image);
	util_buf_puts(b, "\n            command: [\"kubectl\", \"scale\", ");
	snprintf(arg, sizeof(arg), "deployment/%s", deploy);
	emit_yaml_str(b, arg);
	util_buf_puts(b, ", ");
	snprintf(arg, sizeof(arg), "--namespace=%s", ns);
	emit_yaml_str(b, arg);
	util_buf_printf(b, ", \"--replicas=%ld\"]\n"
			"            resources:\n              requests:\n"
			"                cpu: 10m\n                memory: 32Mi\n"
			"              limits:\n                memory: 128Mi\n",
			replicas);
}

bool emit_schedule_window(const struct model_workload *w, int *up,
			  int *down)
{
	double h = w->inference.hours_per_day;
	long minutes = lround(h * 60);

	if (w->kind != MODEL_INFERENCE || minutes < 1 || minutes > 1439)
		return false;
	*up = w->inference.daily_start;
	*down = (int)((*up + minutes) % 1440);
	return true;
}

void emit_schedule(const struct emit_k8s *k, const struct model_workload *w,
		   const char *deploy, const char *ns, long replicas,
		   struct emit_files *out)
{
	const char *image = k->opts && k->opts->kubectl_image
				    ? k->opts->kubectl_image
				    : KUBECTL_IMAGE;
	char sa[64], up_name[64], down_name[64], file[80];
	struct util_buf b;
	int up, down;

	if (!emit_schedule_window(w, &up, &down))
		return;
	short_name(deploy, "-scaler", 63, sa);
	short_name(deploy, "-up", CRON_NAME_MAX, up_name);
	short_name(deploy, "-down", CRON_NAME_MAX, down_name);
	util_buf_init(&b);
	emit_comment(&b, "# ", "gpuplan: '%s' runs %g hours a day in the "
		     "plan: %s scales to %ld replica%s at %02d:%02d and to 0 at "
		     "%02d:%02d (the cluster's time zone; docs/emit.md)",
		     w->name, w->inference.hours_per_day, deploy, replicas,
		     replicas == 1 ? "" : "s", up / 60, up % 60, down / 60, down % 60);
	rbac(sa, deploy, ns, &b);
	cron(up_name, sa, deploy, ns, image, up, replicas, &b);
	cron(down_name, sa, deploy, ns, image, down, 0, &b);
	/* '.' cannot be in a Deployment's name: no clash with NAME.yaml */
	snprintf(file, sizeof(file), "%s.schedule.yaml", deploy);
	emit_files_add(out, file, &b);
}
