/* gpuplan completion bash|zsh|fish: a completion script made from the
 * command table: commands, their options (read from their usage text),
 * the values of --format, --family, --accelerator, --to, --source,
 * --kind, --rule, and file names for the rest. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../emit/emit.h"
#include "../report/report.h"
#include "cli.h"

static const char *const globals =
	"--catalog --catalog-replace --fx --max-price-age --offline --width "
	"--quiet --verbose --help "
	"--version";

/* The options a command's usage text names, space-separated. */
static void options(const struct cli_command *c, struct util_buf *b)
{
	for (const char *p = c->usage; (p = strstr(p, "--"));) {
		size_t n = 2;
		char word[64];
		bool seen;

		while (islower((unsigned char)p[n]) || p[n] == '-')
			n++;
		if (n <= 3 || n >= sizeof(word)) {
			p += n;
			continue;
		}
		snprintf(word, sizeof(word), "%.*s", (int)n, p);
		p += n;
		/* once each, as a whole word */
		seen = false;
		for (const char *q = util_buf_str(b); (q = strstr(q, word));
		     q += n)
			seen |= (q == util_buf_str(b) || q[-1] == ' ') &&
				(!q[n] || q[n] == ' ');
		if (!seen)
			util_buf_printf(b, "%s%s", b->len ? " " : "", word);
	}
}

static void words(struct util_buf *b, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		util_buf_printf(b, "%s%s", i ? " " : "", v[i]);
}

/* Values of the options that take one of a list. */
struct values {
	struct util_buf family, accel, target, kind;
};

static void values_init(struct values *v, const struct pricing_catalog *c)
{
	util_buf_init(&v->family);
	util_buf_init(&v->accel);
	util_buf_init(&v->target);
	util_buf_init(&v->kind);
	words(&v->family, pricing_family_names, PRICING_NFAMILIES);
	for (size_t i = 0; i < c->naccels; i++)
		util_buf_printf(&v->accel, "%s%s", i ? " " : "",
				c->accels[i].name);
	words(&v->target, emit_target_names, EMIT_NTARGETS);
	words(&v->kind, report_plot_names, REPORT_TORNADO); /* not tornado */
}

static void values_release(struct values *v)
{
	util_buf_release(&v->family);
	util_buf_release(&v->accel);
	util_buf_release(&v->target);
	util_buf_release(&v->kind);
}

static const char *subcommands(const char *name)
{
	if (!strcmp(name, "catalog"))
		return "accelerators offers summary import";
	if (!strcmp(name, "prices"))
		return "fetch status";
	if (!strcmp(name, "sweep") || !strcmp(name, "sensitivity") ||
	    !strcmp(name, "compare"))
		return "merge";
	if (!strcmp(name, "import"))
		return "sacct focus";
	if (!strcmp(name, "help"))
		return "COMMANDS";
	return "";
}

static void bash(const struct values *v, struct util_buf *b)
{
	util_buf_puts(b, "# bash completion for gpuplan (gpuplan completion "
			 "bash)\n_gpuplan()\n{\n"
			 "\tlocal cur=${COMP_WORDS[COMP_CWORD]} "
			 "prev=${COMP_WORDS[COMP_CWORD-1]} cmd= i\n"
			 "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
			 "\t\tcase ${COMP_WORDS[i]} in\n"
			 "\t\t--catalog) ((i++)) ;;\n"
			 "\t\t-*) ;;\n"
			 "\t\t*) cmd=${COMP_WORDS[i]}; break ;;\n"
			 "\t\tesac\n\tdone\n\tcase $prev in\n");
	util_buf_printf(b, "\t--format) COMPREPLY=($(compgen -W 'table csv "
			"json markdown focus html' -- \"$cur\")); return ;;\n"
			"\t--family) COMPREPLY=($(compgen -W '%s' -- \"$cur\")); "
			"return ;;\n"
			"\t--accelerator) COMPREPLY=($(compgen -W '%s' -- "
			"\"$cur\")); return ;;\n"
			"\t--to) COMPREPLY=($(compgen -W '%s' -- \"$cur\")); "
			"return ;;\n"
			"\t--kind) COMPREPLY=($(compgen -W '%s' -- \"$cur\")); "
			"return ;;\n"
			"\t--source) COMPREPLY=($(compgen -W 'azure skypilot "
			"vast runpod lambda url' -- \"$cur\")); return ;;\n"
			"\t--objective) COMPREPLY=($(compgen -W 'cost time' -- "
			"\"$cur\")); return ;;\n"
			"\t--policy) COMPREPLY=($(compgen -W 'fifo backfill' -- "
			"\"$cur\")); return ;;\n"
			"\t--rule) COMPREPLY=($(compgen -W 'device-hours "
			"reference-speed' -- \"$cur\")); return ;;\n"
			"\tesac\n\tif [ -z \"$cmd\" ]; then\n"
			"\t\tCOMPREPLY=($(compgen -W '",
			util_buf_str(&v->family), util_buf_str(&v->accel),
			util_buf_str(&v->target), util_buf_str(&v->kind));
	for (const struct cli_command *c = cli_commands; c->name; c++)
		util_buf_printf(b, "%s%s", c == cli_commands ? "" : " ",
				c->name);
	util_buf_printf(b, " %s' -- \"$cur\"))\n\t\treturn\n\tfi\n"
			"\tlocal opts subs\n\tcase $cmd in\n",
			globals);
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		struct util_buf o;
		const char *subs = subcommands(c->name);

		util_buf_init(&o);
		options(c, &o);
		util_buf_printf(b, "\t%s) opts='%s' subs='", c->name,
				util_buf_str(&o));
		if (!strcmp(subs, "COMMANDS"))
			for (const struct cli_command *k = cli_commands; k->name;
			     k++)
				util_buf_printf(b, "%s%s",
						k == cli_commands ? "" : " ",
						k->name);
		else
			util_buf_puts(b, subs);
		util_buf_puts(b, "' ;;\n");
		util_buf_release(&o);
	}
	util_buf_puts(b, "\tesac\n\tif [[ $cur == -* ]]; then\n"
			 "\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
			 "\telif [ -n \"$subs\" ] && [ \"$prev\" = \"$cmd\" ]; "
			 "then\n"
			 "\t\tCOMPREPLY=($(compgen -W \"$subs\" -- \"$cur\"))\n"
			 "\telse\n\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
			 "\tfi\n}\ncomplete -o filenames -F _gpuplan gpuplan\n");
}

static void fish(const struct values *v, struct util_buf *b)
{
	util_buf_puts(b, "# fish completion for gpuplan (gpuplan completion "
			 "fish)\ncomplete -c gpuplan -f\n");
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		struct util_buf o;

		util_buf_printf(b, "complete -c gpuplan -n __fish_use_subcommand "
				"-a %s -d '", c->name);
		for (const char *s = c->summary; *s; s++)
			util_buf_puts(b, *s == '\'' ? "\\'" : (char[]){*s, 0});
		util_buf_puts(b, "'\n");
		util_buf_init(&o);
		options(c, &o);
		for (const char *p = util_buf_str(&o); *p;) {
			size_t n = strcspn(p, " ");

			util_buf_printf(b, "complete -c gpuplan -n "
					"'__fish_seen_subcommand_from %s' -l "
					"%.*s -r -F\n",
					c->name, (int)n - 2, p + 2);
			p += n + (p[n] == ' ');
		}
		util_buf_release(&o);
	}
	util_buf_printf(b, "complete -c gpuplan -l format -x -a 'table csv "
			"json markdown focus html'\n"
			"complete -c gpuplan -l family -x -a '%s'\n"
			"complete -c gpuplan -l accelerator -x -a '%s'\n"
			"complete -c gpuplan -l to -x -a '%s'\n"
			"complete -c gpuplan -l kind -x -a '%s'\n"
			"complete -c gpuplan -l source -x -a 'azure skypilot "
			"vast runpod lambda url'\n"
			"complete -c gpuplan -l rule -x -a 'device-hours "
			"reference-speed'\n",
			util_buf_str(&v->family), util_buf_str(&v->accel),
			util_buf_str(&v->target), util_buf_str(&v->kind));
}

int cmd_completion(int argc, char **argv, struct cli_ctx *ctx)
{
	struct pricing_catalog c;
	struct values v;
	struct util_buf b;
	int rc;

	if (argc != 2 || (strcmp(argv[1], "bash") && strcmp(argv[1], "zsh") &&
			  strcmp(argv[1], "fish")))
		return cli_usage_error("completion", "say which shell: bash, "
				       "zsh or fish");
	rc = cli_load_catalog(ctx, &c);
	if (rc) {
		pricing_catalog_release(&c);
		return rc;
	}
	values_init(&v, &c);
	util_buf_init(&b);
	if (!strcmp(argv[1], "fish")) {
		fish(&v, &b);
	} else {
		if (!strcmp(argv[1], "zsh")) /* zsh runs bash completions */
			util_buf_puts(&b, "#compdef gpuplan\nautoload -U +X "
					  "bashcompinit && bashcompinit\n");
		bash(&v, &b);
	}
	rc = cli_write_stdout(&b);
	util_buf_release(&b);
	values_release(&v);
	pricing_catalog_release(&c);
	return rc;
}
