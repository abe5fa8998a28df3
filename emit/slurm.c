/* Slurm sbatch scripts for the plan's academic and on-prem batch work,
 * following the Alliance conventions (research/ecosystem.md §1a):
 * --gpus-per-node=type:N, --time=D-HH:MM:SS, --account=def-..., the
 * cluster's bundle of cores and memory per GPU, arrays with a throttle
 * for sweeps, checkpointed chunks past the walltime, one MIG slice per
 * student. Also slurm-pool.conf: nodes for a test controller. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "emit_int.h"

#define SIGNAL_S 300 /* checkpoint warning before the time limit */
#define MAX_ARRAY 1000 /* tasks in an array (Slurm's MaxArraySize - 1) */
/* D-HH:MM:SS, rounded up to the minute. */
static void slurm_time(double hours, char *out, size_t n)
{
	long min = (long)ceil(hours * 60 - 1e-9);

	if (min < 1)
		min = 1;
	snprintf(out, n, "%ld-%02ld:%02ld:00", min / 1440, min / 60 % 24,
		 min % 60);
}

/* GPUs per node: an Alliance GPU node has 4, an on-prem HGX server 8
 * (research/ecosystem.md section 1a). */
static int node_gpus(const struct emit_job *j)
{
	return strcmp(j->cluster, "onprem") ? 4 : 8;
}

/* The nodes a job spans, and its GPUs on each. */
static int job_nodes(const struct emit_job *j)
{
	return (j->gpus + node_gpus(j) - 1) / node_gpus(j);
}

static int per_node(const struct emit_job *j)
{
	return (j->gpus + job_nodes(j) - 1) / job_nodes(j);
}

/* A job's cores or memory per node: its GPUs' bundles, or a slice's
 * sevenths. */
static double node_share(const struct emit_job *j, double per_gpu)
{
	return j->slice ? emit_job_share(j, per_gpu) : per_gpu * per_node(j);
}

static void directives(const struct emit_job *j, const char *account,
		       struct util_buf *b)
{
	char t[32];
	double run = fmin(j->hours, j->walltime);

	slurm_time(run, t, sizeof(t));
	util_buf_printf(b, "#SBATCH --job-name=%s\n", j->a->w->name);
	if (account)
		util_buf_printf(b, "#SBATCH --account=%s\n", account);
	if (!strcmp(j->cluster, "onprem"))
		util_buf_puts(b, "#SBATCH --partition=gpu\n");
	util_buf_printf(b, "#SBATCH --nodes=%d\n", job_nodes(j));
	if (job_nodes(j) > 1)
		util_buf_puts(b, "#SBATCH --ntasks-per-node=1\n");
	if (j->slice)
		util_buf_printf(b, "#SBATCH --gpus=%s%s:1\n", j->mig, j->slice);
	else
		util_buf_printf(b, "#SBATCH --gpus-per-node=%s:%d\n", j->type,
				per_node(j));
	util_buf_printf(b, "#SBATCH --cpus-per-task=%.0f\n",
			node_share(j, j->cpus));
	util_buf_printf(b, "#SBATCH --mem=%.0fG\n", node_share(j, j->mem));
	util_buf_printf(b, "#SBATCH --time=%s\n", t);
	if (j->count > 1)
		util_buf_printf(b, "#SBATCH --array=0-%ld%%%ld\n", j->count - 1,
				j->throttle);
	util_buf_printf(b, "#SBATCH --output=%%x-%s.out\n",
			j->count > 1 ? "%A_%a" : "%j");
	if (j->hours > j->walltime)
		util_buf_printf(b, "#SBATCH --signal=B:USR1@%d\n"
				"#SBATCH --requeue\n", SIGNAL_S);
}

static void body(const struct emit_job *j, struct util_buf *b)
{
	util_buf_puts(b, "set -euo pipefail\n"
			 "# the command to run comes with the submission:\n"
			 "#   sbatch THIS_FILE python train.py ...\n"
			 "if [ $# -eq 0 ]; then\n"
			 "\techo \"usage: sbatch $0 COMMAND...\" >&2\n"
			 "\texit 2\n"
			 "fi\n");
	if (j->hours <= j->walltime) {
		util_buf_puts(b, "srun \"$@\"\n");
		return;
	}
	util_buf_printf(b, "# %.0f h of work in chunks of the %.0f h walltime: "
			"%d s before the limit\n# the command gets SIGUSR1, "
			"saves a checkpoint and exits; the job goes back\n"
			"# in the queue and the command resumes from its "
			"checkpoint.\n"
			"srun \"$@\" &\n"
			"step=$!\n"
			"requeue() {\n"
			"\techo \"gpuplan: time limit near: checkpoint, then "
			"requeue $SLURM_JOB_ID\" >&2\n"
			"\tkill -USR1 \"$step\" 2>/dev/null || true\n"
			"\twait \"$step\" || true\n"
			"\tscontrol requeue \"$SLURM_JOB_ID\"\n"
			"\texit 0\n"
			"}\n"
			"trap requeue USR1\n"
			"wait \"$step\"\n",
			j->hours, j->walltime, SIGNAL_S);
}

/* Slurm's default MaxArraySize is 1001 (indices 0 to 1000): a longer
 * array becomes fewer, longer jobs, each doing k of the work units. */
static void fit_array(struct emit_job *j)
{
	long k = (j->count + MAX_ARRAY - 1) / MAX_ARRAY;

	if (k <= 1)
		return;
	j->count = (j->count + k - 1) / k;
	j->hours *= (double)k;
	j->throttle = j->throttle > j->count ? j->count : j->throttle;
}

/* An account goes on a #SBATCH line: letters, digits, '_' and '-'. */
static bool safe_account(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_-", *s))
			return false;
	return true;
}

/* What goes on #SBATCH lines and in slurm.conf unquoted: the loaders
 * check each of these names; this is the last line of defence. */
static int check_words(const struct emit_job *jobs, size_t n,
		       struct util_err *err)
{
	for (size_t i = 0; i < n; i++) {
		const struct emit_job *j = &jobs[i];
		const char *v[] = {j->a->w->name, j->type, j->cluster,
				   j->slice ? j->mig : NULL, j->slice};

		for (size_t k = 0; k < UTIL_ARRAY_SIZE(v); k++)
			if (v[k] && !emit_word_ok(v[k]))
				return util_err_set(err, UTIL_E_INPUT,
						    "a name of '%s' cannot go "
						    "on an #SBATCH line: "
						    "letters, digits, '.', '_' "
						    "and '-' only",
						    j->a->w->name);
	}
	return 0;
}

static void script(const struct model_scenario *s, const struct emit_job *j,
		   struct emit_files *out)
{
	struct util_buf b;
	char name[200];

	util_buf_init(&b);
	util_buf_puts(&b, "#!/bin/bash\n");
	emit_comment(&b, "# ", "gpuplan: '%s' (%s) on %s, %s, %.1f%% of its "
		     "work, %.1f device-hours",
		     j->a->w->name, model_kind_names[j->a->w->kind],
		     j->a->venue, j->cluster, j->a->share * 100,
		     j->a->device_hours);
	directives(j, j->a->family == PRICING_ACADEMIC
			      ? (s->venues.account ? s->venues.account
						   : "def-CHANGEME")
			      : NULL,
		   &b);
	body(j, &b);
	snprintf(name, sizeof(name), "%s/%s-%s.sbatch", j->cluster,
		 j->a->w->name, j->type);
	emit_files_add(out, name, &b);
}

/* One NodeName line per GPU type (and per MIG profile) that the jobs of
 * cluster ask for, enough nodes for their throttled peak, and the
 * partition with the cluster's walltime. */
static void pool(const struct model_scenario *s, const char *cluster,
		 const struct emit_job *jobs, size_t n, struct emit_files *out)
{
	struct util_buf b;
	char name[200], t[32];
	double walltime = 0;

	util_buf_init(&b);
	emit_comment(&b, "# ", "gpuplan: the nodes the plan's jobs on %s "
		     "need, for a test slurmctld", cluster);
	util_buf_puts(&b, "# (sbatch --test-only); not the cluster's real "
		      "configuration.\n");
	for (size_t i = 0; i < n; i++) {
		const struct emit_job *j = &jobs[i];
		bool seen = false;
		long peak = 0, nodes = 1;
		int g = node_gpus(j);

		if (strcmp(j->cluster, cluster))
			continue;
		walltime = j->walltime;
		for (size_t k = 0; k < i && !seen; k++)
			seen = !strcmp(jobs[k].cluster, cluster) &&
			       !strcmp(jobs[k].type, j->type) &&
			       (jobs[k].slice ? j->slice &&
						!strcmp(jobs[k].slice, j->slice)
					      : !j->slice);
		if (seen)
			continue;
		for (size_t k = i; k < n; k++)
			if (!strcmp(jobs[k].cluster, cluster) &&
			    !strcmp(jobs[k].type, j->type))
			{
				peak += jobs[k].throttle * jobs[k].gpus;
				if (job_nodes(&jobs[k]) > nodes)
					nodes = job_nodes(&jobs[k]);
			}
		if ((peak + g - 1) / g > nodes)
			nodes = (peak + g - 1) / g;
		if (j->slice) {
			int per = emit_mig_per_gpu(s, j->a->accel, j->slice) * g;

			util_buf_printf(&b, "NodeName=%s-%s-mig%d-[001-%03ld] "
					"NodeAddr=127.0.0.1 CPUs=%.0f "
					"RealMemory=%.0f Gres=gpu:%s%s:%d "
					"State=CLOUD\n",
					cluster, j->type,
					emit_slice_g(j->slice),
					(j->count + per - 1) / per, j->cpus * g,
					j->mem * g * 1024, j->mig, j->slice, per);
		} else {
			util_buf_printf(&b, "NodeName=%s-%s-[001-%03ld] "
					"NodeAddr=127.0.0.1 CPUs=%.0f "
					"RealMemory=%.0f Gres=gpu:%s:%d "
					"State=CLOUD\n",
					cluster, j->type, nodes,
					j->cpus * g, j->mem * g * 1024, j->type,
					g);
		}
	}
	slurm_time(walltime, t, sizeof(t));
	util_buf_printf(&b, "PartitionName=gpu Nodes=ALL Default=YES "
			"MaxTime=%s State=UP\n", t);
	snprintf(name, sizeof(name), "%s/slurm-pool.conf", cluster);
	emit_files_add(out, name, &b);
}

int emit_slurm(const struct model_scenario *s, const struct model_plan *p,
	       struct emit_files *out, struct util_err *err)
{
	struct model_estimate e;
	struct emit_job *jobs;
	size_t n = 0;
	int rc;

	if (s->venues.account && !safe_account(s->venues.account))
		return util_err_set(err, UTIL_E_INPUT,
				    "account '%s' cannot go on an #SBATCH line: "
				    "letters, digits, '_' and '-' only",
				    s->venues.account);
	rc = model_estimate(s, NULL, NULL, &e, err);
	if (rc)
		return rc;
	jobs = util_xcalloc(p->nassign + 1, sizeof(*jobs));
	for (size_t i = 0; i < p->nassign; i++) {
		const struct model_plan_assignment *a = &p->assign[i];

		if ((a->family == PRICING_ACADEMIC ||
		     a->family == PRICING_ONPREM) &&
		    emit_job_make(s, &e, a, &jobs[n])) {
			if (!jobs[n].mig) /* no MIG types: whole GPUs */
				jobs[n].slice = NULL;
			fit_array(&jobs[n]);
			n++;
		}
	}
	rc = check_words(jobs, n, err);
	for (size_t i = 0; !rc && i < n; i++) {
		bool first = true;

		for (size_t k = 0; k < i && first; k++)
			first = strcmp(jobs[k].cluster, jobs[i].cluster) != 0;
		if (!first)
			continue;
		for (size_t k = i; k < n; k++)
			if (!strcmp(jobs[k].cluster, jobs[i].cluster))
				script(s, &jobs[k], out);
		pool(s, jobs[i].cluster, jobs, n, out);
	}
	free(jobs);
	model_estimate_release(&e);
	if (rc)
		return rc;
	if (!n)
		return util_err_set(err, UTIL_E_INPUT,
				    "the plan puts no batch work on a Slurm "
				    "venue (academic cluster or on-prem pool)");
	return 0;
}
