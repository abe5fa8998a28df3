/* Slurm sbatch scripts for the plan's academic and on-prem batch work,
 * following the Alliance conventions (research/ecosystem.md §1a):
 * --gpus-per-node=type:N, --time=D-HH:MM:SS, --account=def-..., the
 * cluster's bundle of cores and memory per GPU, arrays with a throttle
 * for sweeps, checkpointed chunks past the walltime, one MIG slice per
 * student. Also slurm-pool.conf: nodes for a test controller. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit_int.h"

#define SIGNAL_S 300 /* checkpoint warning before the time limit */
#define MARGIN 0.10	/* --time: the estimate plus 10%, */
#define MARGIN_MIN_H (10 / 60.0) /* at least 10 minutes more */
#define RDZV_PORT 29500 /* torchrun's rendezvous on the first node */
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

/* A job's --time: its estimated hours and a margin (a teaching session
 * has its quarter hour already), at most the walltime. */
static double run_hours(const struct emit_job *j)
{
	double h = j->hours;

	if (j->a->w->kind != MODEL_TEACHING)
		h += fmax(h * MARGIN, MARGIN_MIN_H);
	return fmin(h, j->walltime);
}

static void directives(const struct emit_job *j, const char *account,
		       struct util_buf *b)
{
	char t[32];

	slurm_time(run_hours(j), t, sizeof(t));
	util_buf_printf(b, "#SBATCH --job-name=%s\n", j->a->w->name);
	if (account)
		util_buf_printf(b, "#SBATCH --account=%s\n", account);
	else if (strcmp(j->cluster, "onprem"))
		util_buf_puts(b, "# gpuplan: no Slurm account: give "
			      "venues.academic.account (def-<pi>) and emit "
			      "again; 'gpuplan apply' refuses this script\n");
	if (j->wanted && j->slice)
		emit_comment(b, "# ", "gpuplan: %s configures no %s MIG "
			     "profile: the nearest larger, %s", j->cluster,
			     j->wanted, j->slice);
	else if (j->wanted)
		emit_comment(b, "# ", "gpuplan: %s configures no MIG profile "
			     "holding %s: a whole GPU per student", j->cluster,
			     j->wanted);
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
	if (j->hours > j->walltime) /* a requeued job keeps its log */
		util_buf_printf(b, "#SBATCH --signal=B:USR1@%d\n"
				"#SBATCH --requeue\n"
				"#SBATCH --open-mode=append\n", SIGNAL_S);
}

static void body(const struct emit_job *j, struct util_buf *b)
{
	const char *run = "srun \"$@\"";
	char *multi = NULL;

	util_buf_puts(b, "set -euo pipefail\n"
			 "# the command to run comes with the submission:\n");
	if (job_nodes(j) > 1)
		util_buf_puts(b, "#   sbatch THIS_FILE train.py ... (the script "
			      "torchrun runs on every node)\n");
	else
		util_buf_puts(b, "#   sbatch THIS_FILE python train.py ...\n");
	util_buf_puts(b, "if [ $# -eq 0 ]; then\n"
			 "\techo \"usage: sbatch $0 COMMAND...\" >&2\n"
			 "\texit 2\n"
			 "fi\n");
	if (j->count > 1) {
		util_buf_printf(b, "# the work units of this task: %ld of the "
				"%ld, from START to END\n",
				j->per_task, j->units);
		util_buf_printf(b, "GPUPLAN_CHUNK_START=$((SLURM_ARRAY_TASK_ID "
				"* %ld))\n", j->per_task);
		util_buf_printf(b, "GPUPLAN_CHUNK_END=$((GPUPLAN_CHUNK_START + "
				"%ld))\n"
				"if [ \"$GPUPLAN_CHUNK_END\" -gt %ld ]; then\n"
				"\tGPUPLAN_CHUNK_END=%ld\n"
				"fi\n"
				"export GPUPLAN_CHUNK_START GPUPLAN_CHUNK_END\n",
				j->per_task - 1, j->units - 1, j->units - 1);
	}
	if (job_nodes(j) > 1) {
		/* one task per node; torchrun starts a process per GPU and
		 * meets the others at the first node */
		util_buf_printf(b, "# %d nodes of %d GPUs: torchrun on each, "
				"meeting at the first node\n"
				"head=$(scontrol show hostnames "
				"\"$SLURM_JOB_NODELIST\" | head -n 1)\n",
				job_nodes(j), per_node(j));
		multi = util_xasprintf(
			"srun torchrun --nnodes=\"$SLURM_NNODES\" "
			"--nproc-per-node=%d --rdzv-id=\"$SLURM_JOB_ID\" "
			"--rdzv-backend=c10d --rdzv-endpoint=\"$head:%d\" \"$@\"",
			per_node(j), RDZV_PORT);
		run = multi;
	}
	if (j->hours <= j->walltime) {
		util_buf_printf(b, "%s\n", run);
		free(multi);
		return;
	}
	util_buf_printf(b, "# %.0f h of work in chunks of the %.0f h walltime: "
			"%d s before the limit\n# the command gets SIGUSR1, "
			"saves a checkpoint and exits; the job goes back\n"
			"# in the queue and the command resumes from its "
			"checkpoint.\n"
			"%s &\n"
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
			j->hours, j->walltime, SIGNAL_S, run);
	free(multi);
}

/* Slurm's default MaxArraySize is 1001 (indices 0 to 1000): a longer
 * array becomes fewer, longer jobs, each doing k of the work units. */
static void fit_array(struct emit_job *j)
{
	long k = (j->count + MAX_ARRAY - 1) / MAX_ARRAY;

	if (k <= 1)
		return;
	j->per_task = k;
	j->count = (j->count + k - 1) / k;
	j->hours *= (double)k;
	j->throttle = j->throttle > j->count ? j->count : j->throttle;
}

/* The memory of a MIG profile, GB: 20 for "3g.20gb". */
static double slice_gb(const char *profile)
{
	const char *dot = strchr(profile, '.');

	return dot ? strtod(dot + 1, NULL) : 0;
}

/* A teaching slice the cluster can give. An academic cluster configures
 * a few MIG profiles (slurm.mig_profiles): the estimate's, else the
 * nearest larger (more slices, then more memory), else a whole GPU; each
 * said in the script. An on-prem pool is configured as the plan says:
 * the estimate's profile, its Slurm type <mig_prefix><profile>, or
 * <gpu_type>_<profile> when the catalog names no prefix. */
static void configured_slice(struct emit_job *j)
{
	const struct pricing_offer *o = j->offer;
	const char *best = NULL;
	int g = emit_slice_g(j->slice);
	double gb = slice_gb(j->slice);

	if (!strcmp(j->cluster, "onprem")) {
		if (!j->mig) {
			snprintf(j->mig_buf, sizeof(j->mig_buf), "%s_",
				 j->type);
			j->mig = j->mig_buf;
		}
		return;
	}
	for (size_t i = 0; o && j->mig && i < o->nslurm_mig_profiles; i++) {
		const char *p = o->slurm_mig_profiles[i];

		if (emit_slice_g(p) < g || slice_gb(p) < gb)
			continue;
		if (!best || emit_slice_g(p) < emit_slice_g(best) ||
		    (emit_slice_g(p) == emit_slice_g(best) &&
		     slice_gb(p) < slice_gb(best)))
			best = p;
	}
	if (!best || strcmp(best, j->slice))
		j->wanted = j->slice;
	j->slice = best;
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
	directives(j, j->a->family == PRICING_ACADEMIC ? s->venues.account
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
/* On-prem, the pool's nodes of j's type: the devices owned and bought,
 * whole or sliced as the Kueue quotas split them, so that a job the pool
 * cannot hold is rejected. *gpus the devices per node; 0: not known. */
static long onprem_nodes(const struct emit_k8s *k, const struct emit_job *j,
			 int *gpus)
{
	const char *profile;
	double sliced, n = emit_pool_devices(k, j->a->accel, &sliced,
					     &profile);
	double dev = j->slice ? sliced : n - sliced;
	long nodes = (long)ceil(dev / node_gpus(j));

	*gpus = 0;
	if (n <= 0 || nodes < 1)
		return n > 0 ? 0 : -1; /* 0: none of this kind; -1: unknown */
	*gpus = (int)ceil(dev / (double)nodes);
	return nodes;
}

static void pool(const struct emit_k8s *pk, const char *cluster,
		 const struct emit_job *jobs, size_t n, struct emit_files *out)
{
	const struct model_scenario *s = pk->s;
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
		if (!strcmp(cluster, "onprem")) {
			int dev;
			long on = onprem_nodes(pk, j, &dev);

			if (on == 0) {
				emit_comment(&b, "# ", "no %s%s device in the "
					     "pool for the jobs asking one",
					     j->type, j->slice ? " MIG" : "");
				continue;
			}
			if (on > 0) {
				nodes = on;
				g = dev;
			}
		}
		if (j->slice) {
			int per = emit_mig_per_gpu(s, j->a->accel, j->slice) * g;
			long mig_nodes = strcmp(cluster, "onprem")
						 ? (j->count + per - 1) / per
						 : nodes;

			util_buf_printf(&b, "NodeName=%s-%s-mig%d-[001-%03ld] "
					"NodeAddr=127.0.0.1 CPUs=%.0f "
					"RealMemory=%.0f Gres=gpu:%s%s:%d "
					"State=CLOUD\n",
					cluster, j->type,
					emit_slice_g(j->slice),
					mig_nodes, j->cpus * g,
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
	struct emit_k8s pk = {.s = s, .p = p, .e = &e};
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
	emit_k8s_pool(&pk);
	jobs = util_xcalloc(p->nassign + 1, sizeof(*jobs));
	for (size_t i = 0; i < p->nassign; i++) {
		const struct model_plan_assignment *a = &p->assign[i];

		if ((a->family == PRICING_ACADEMIC ||
		     a->family == PRICING_ONPREM) &&
		    emit_job_make(s, &e, a, &jobs[n])) {
			if (jobs[n].slice)
				configured_slice(&jobs[n]);
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
		pool(&pk, jobs[i].cluster, jobs, n, out);
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
