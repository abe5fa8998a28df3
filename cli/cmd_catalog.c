/* gpuplan catalog accelerators|offers|summary|import. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../emit/emit.h"
#include "cli.h"

struct catalog_opts {
	enum cli_format format;
	int family; /* -1: all */
	const char *accel, *provider, *from, *as_of;
};

/* json_object_set_new steals the reference to the value. */
static void set_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(v));
}

static void set_num(json_t *o, const char *k, double v)
{
	if (v >= 0)
		json_object_set_new(o, k, emit_json_real(v));
}

static json_t *strv_json(char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *numv_json(const double *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, emit_json_real(v[i]));
	return a;
}

static json_t *accel_json(const struct pricing_accel *a)
{
	json_t *o = json_object(), *tf = json_object();

	set_str(o, "name", a->name);
	json_object_set_new(o, "aliases", strv_json(a->aliases, a->naliases));
	set_str(o, "vendor", a->vendor);
	set_str(o, "class", pricing_class_names[a->cls]);
	set_num(o, "memory_gb", a->memory_gb);
	set_num(o, "bandwidth_gbs", a->bandwidth_gbs);
	set_num(o, "tdp_w", a->tdp_w);
	for (int p = 0; p < PRICING_NPRECISIONS; p++)
		set_num(tf, pricing_precision_names[p], a->tflops[p]);
	json_object_set_new(o, "tflops", tf);
	json_object_set_new(o, "mig", strv_json(a->mig, a->nmig));
	if (a->interconnect) {
		json_t *ic = json_object();

		set_str(ic, "kind", a->interconnect);
		set_num(ic, "bandwidth_gbs", a->interconnect_gbs);
		json_object_set_new(o, "interconnect", ic);
	}
	if (a->npower_modes)
		json_object_set_new(o, "power_modes_w",
				    numv_json(a->power_modes_w,
					      a->npower_modes));
	set_num(o, "rgu", a->rgu);
	set_str(o, "source", a->source);
	set_str(o, "as_of", a->as_of);
	return o;
}

static json_t *offer_json(const struct pricing_offer *of)
{
	json_t *o = json_object();

	set_str(o, "id", of->id);
	set_str(o, "family", pricing_family_names[of->family]);
	set_str(o, "provider", of->provider);
	set_str(o, "region", of->region);
	set_str(o, "instance", of->instance);
	set_str(o, "accelerator", of->accel);
	json_object_set_new(o, "count", json_integer(of->count));
	json_object_set_new(o, "sovereign", json_boolean(of->sovereign));
	if (of->estimate)
		json_object_set_new(o, "estimate", json_true());
	for (int t = 0; t < PRICING_NTERMS; t++)
		set_num(o, pricing_term_names[t], of->term[t]);
	set_str(o, "cluster", of->cluster);
	if (of->queue_p50_h >= 0) {
		json_t *q = json_object();

		set_num(q, "p50_h", of->queue_p50_h);
		set_num(q, "p90_h", of->queue_p90_h);
		json_object_set_new(o, "queue_wait", q);
	}
	if (of->npower_modes)
		json_object_set_new(o, "power_modes_w",
				    numv_json(of->power_modes_w,
					      of->npower_modes));
	if (of->slurm_gpu_type) {
		json_t *sl = json_object();

		set_str(sl, "gpu_type", of->slurm_gpu_type);
		set_str(sl, "mig_prefix", of->slurm_mig_prefix);
		if (of->nslurm_mig_profiles) {
			json_t *mp = json_array();

			for (size_t i = 0; i < of->nslurm_mig_profiles; i++)
				json_array_append_new(
					mp, json_string(of->slurm_mig_profiles[i]));
			json_object_set_new(sl, "mig_profiles", mp);
		}
		set_num(sl, "cpus_per_gpu", of->slurm_cpus_per_gpu);
		set_num(sl, "mem_gb_per_gpu", of->slurm_mem_gb_per_gpu);
		json_object_set_new(o, "slurm", sl);
	}
	set_str(o, "source", of->source);
	set_str(o, "as_of", of->as_of);
	return o;
}

/* Prints a listing as {"key": arr} in JSON, or as the table t; releases
 * both (json_pack's "o" steals arr). */
static int emit_listing(struct cli_table *t, json_t *arr, const char *key,
			enum cli_format format)
{
	struct util_buf b;
	int rc;

	if (format == CLI_JSON) {
		cli_table_release(t);
		return cli_emit_json(json_pack("{s:o}", key, arr));
	}
	json_decref(arr);
	util_buf_init(&b);
	cli_table_render(t, format, &b);
	rc = cli_write_stdout(&b);
	util_buf_release(&b);
	cli_table_release(t);
	return rc;
}

static void fmt_num(char *buf, size_t n, double x)
{
	if (x < 0)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.4g", x);
}

static void fmt_money(char *buf, size_t n, double x, const char *suffix)
{
	snprintf(buf, n, x >= 1 || x == 0 ? "%.2f%s" : "%.3f%s", x, suffix);
}

/* The offer's main price, in words: "2.99/h", "49.99/month", ... */
static void offer_price(const struct pricing_offer *o, char *buf, size_t n)
{
	const double *t = o->term;

	if (t[PRICING_PRICE_HOUR] >= 0)
		fmt_money(buf, n, t[PRICING_PRICE_HOUR], "/h");
	else if (t[PRICING_SUBSCRIPTION_MONTH] >= 0)
		fmt_money(buf, n, t[PRICING_SUBSCRIPTION_MONTH], "/month");
	else if (t[PRICING_CAPEX] >= 0)
		fmt_money(buf, n, t[PRICING_CAPEX], " capex");
	else if (t[PRICING_UNIT_PRICE] >= 0)
		fmt_money(buf, n, t[PRICING_UNIT_PRICE], " each");
	else if (t[PRICING_RGU] >= 0)
		snprintf(buf, n, "%.4g RGU", t[PRICING_RGU]);
	else
		snprintf(buf, n, "-");
}

static bool offer_selected(const struct pricing_offer *o,
			   const struct catalog_opts *opt)
{
	if (opt->family >= 0 && (int)o->family != opt->family)
		return false;
	if (opt->accel && strcmp(o->accel, opt->accel))
		return false;
	if (opt->provider && strcasecmp(o->provider, opt->provider))
		return false;
	return true;
}

static int list_offers(const struct pricing_catalog *c,
		       const struct catalog_opts *opt)
{
	static const char *const head[] = {"id", "family", "provider",
					   "region", "accelerator", "count",
					   "price", "as_of"};
	static const bool right[] = {0, 0, 0, 0, 0, 1, 1, 0};
	struct cli_table t;
	json_t *arr = json_array();

	cli_table_init(&t, 8, head, right);
	for (size_t i = 0; i < c->noffers; i++) {
		const struct pricing_offer *o = &c->offers[i];
		char count[16], price[32];

		if (!offer_selected(o, opt))
			continue;
		json_array_append_new(arr, offer_json(o));
		snprintf(count, sizeof(count), "%ld", o->count);
		offer_price(o, price, sizeof(price));
		cli_table_row(&t, (const char *const[]){
					  o->id, pricing_family_names[o->family],
					  o->provider, o->region, o->accel,
					  count, price, o->as_of});
	}
	return emit_listing(&t, arr, "offers", opt->format);
}

static int list_accels(const struct pricing_catalog *c,
		       const struct catalog_opts *opt)
{
	static const char *const head[] = {
		"name", "vendor", "class", "memory_gb", "bandwidth_gbs",
		"bf16_tflops", "int8_tops", "tdp_w", "mig", "rgu"};
	static const bool right[] = {0, 0, 0, 1, 1, 1, 1, 1, 1, 1};
	struct cli_table t;
	json_t *arr = json_array();

	cli_table_init(&t, 10, head, right);
	for (size_t i = 0; i < c->naccels; i++) {
		const struct pricing_accel *a = &c->accels[i];
		char v[6][32], mig[16];
		double bf16 = a->tflops[PRICING_BF16] >= 0
				      ? a->tflops[PRICING_BF16]
				      : a->tflops[PRICING_FP16];

		json_array_append_new(arr, accel_json(a));
		fmt_num(v[0], 32, a->memory_gb);
		fmt_num(v[1], 32, a->bandwidth_gbs);
		fmt_num(v[2], 32, bf16);
		fmt_num(v[3], 32, a->tflops[PRICING_INT8]);
		fmt_num(v[4], 32, a->tdp_w);
		fmt_num(v[5], 32, a->rgu);
		snprintf(mig, sizeof(mig), "%zu", a->nmig);
		cli_table_row(&t, (const char *const[]){
					  a->name, a->vendor,
					  pricing_class_names[a->cls], v[0],
					  v[1], v[2], v[3], v[4],
					  a->nmig ? mig : "-", v[5]});
	}
	return emit_listing(&t, arr, "accelerators", opt->format);
}

/* Lowest price per device of a family's offers of accelerator a. */
static double cheapest(const struct pricing_catalog *c, const char *accel,
		       enum pricing_family fam, enum pricing_term term)
{
	double best = PRICING_UNSET;

	for (size_t i = 0; i < c->noffers; i++) {
		const struct pricing_offer *o = &c->offers[i];
		double per;

		if (o->family != fam || strcmp(o->accel, accel) ||
		    o->term[term] < 0)
			continue;
		per = o->term[term] / (double)o->count;
		if (best < 0 || per < best)
			best = per;
	}
	return best;
}

static int summary(const struct pricing_catalog *c,
		   const struct catalog_opts *opt)
{
	static const char *const head[] = {
		"accelerator", "memory_gb", "bf16_tflops", "cloud/h",
		"spot/h", "gpuaas/h", "market/h", "buy", "academic_rgu"};
	static const bool right[] = {0, 1, 1, 1, 1, 1, 1, 1, 1};
	static const struct {
		enum pricing_family fam;
		enum pricing_term term;
	} cols[] = {{PRICING_CLOUD, PRICING_PRICE_HOUR},
		    {PRICING_CLOUD_SPOT, PRICING_PRICE_HOUR},
		    {PRICING_GPUAAS, PRICING_PRICE_HOUR},
		    {PRICING_DECENTRALIZED, PRICING_PRICE_HOUR},
		    {PRICING_ONPREM, PRICING_CAPEX},
		    {PRICING_ACADEMIC, PRICING_RGU}};
	struct cli_table t;
	struct util_buf b;
	int rc;

	cli_table_init(&t, 9, head, right);
	for (size_t i = 0; i < c->naccels; i++) {
		const struct pricing_accel *a = &c->accels[i];
		char v[8][32];

		fmt_num(v[0], 32, a->memory_gb);
		fmt_num(v[1], 32, a->tflops[PRICING_BF16] >= 0
					  ? a->tflops[PRICING_BF16]
					  : a->tflops[PRICING_FP16]);
		for (size_t k = 0; k < UTIL_ARRAY_SIZE(cols); k++) {
			double x = cheapest(c, a->name, cols[k].fam,
					    cols[k].term);

			if (cols[k].fam == PRICING_ONPREM && x < 0)
				x = cheapest(c, a->name, PRICING_EDGE,
					     PRICING_UNIT_PRICE);
			if (x < 0)
				snprintf(v[2 + k], 32, "-");
			else if (cols[k].fam == PRICING_ACADEMIC)
				fmt_num(v[2 + k], 32, x);
			else
				fmt_money(v[2 + k], 32, x, "");
		}
		cli_table_row(&t, (const char *const[]){a->name, v[0], v[1],
							v[2], v[3], v[4], v[5],
							v[6], v[7]});
	}
	util_buf_init(&b);
	if (opt->format == CLI_TABLE)
		util_buf_printf(&b, "Catalog '%s' (%s): %zu accelerators, "
				"%zu offers; lowest price per device\n\n",
				c->name ? c->name : "?",
				c->currency ? c->currency : "USD", c->naccels,
				c->noffers);
	cli_table_render(&t, opt->format, &b);
	rc = cli_write_stdout(&b);
	util_buf_release(&b);
	cli_table_release(&t);
	return rc;
}

static int import(struct pricing_catalog *c, const struct catalog_opts *opt,
		  const struct cli_ctx *ctx, int argc, char **argv)
{
	struct pricing_import im = {.provider = opt->provider,
				    .family = opt->family,
				    .as_of = opt->as_of};
	struct util_diags d;
	struct util_buf b;
	size_t first = c->noffers;
	int rc;

	if (!opt->from || strcmp(opt->from, "skypilot"))
		return cli_usage_error("catalog", "import needs '--from "
				       "skypilot' (the only format so far)");
	if (argc != 1)
		return cli_usage_error("catalog", "import takes one CSV file");
	if (opt->as_of && !pricing_valid_date(opt->as_of))
		return cli_usage_error("catalog", "'--as-of' must be a date "
				       "YYYY-MM-DD, got '%s'", opt->as_of);
	util_diags_init(&d);
	rc = pricing_import_skypilot(c, argv[0], &im, &d);
	cli_print_diags(ctx, &d);
	util_diags_release(&d);
	if (rc)
		return cli_exit_code(rc);
	util_buf_init(&b);
	util_buf_printf(&b, "# imported by gpuplan catalog import --from "
			"skypilot from %s\n# %zu rows: %zu offers, %zu rows "
			"without a GPU, %zu with an accelerator gpuplan does "
			"not know\n",
			argv[0], im.rows, im.offers, im.skipped_no_gpu,
			im.skipped_unknown);
	pricing_write_offers_yaml(c, first, &b);
	rc = cli_write_stdout(&b);
	util_buf_release(&b);
	if (!ctx->quiet)
		fprintf(stderr, "gpuplan: %zu offers from %zu rows of '%s'\n",
			im.offers, im.rows, argv[0]);
	return rc;
}

static int parse_family(const char *s, int *out)
{
	const char *near;

	*out = pricing_family_parse(s);
	if (*out >= 0)
		return 0;
	near = util_nearest(s, pricing_family_names, PRICING_NFAMILIES);
	if (near)
		return cli_usage_error("catalog", "unknown venue family '%s' "
				       "(did you mean '%s'?)", s, near);
	return cli_usage_error("catalog", "unknown venue family '%s' "
			       "(expected cloud, cloud-spot, gpuaas, onprem, "
			       "academic, decentralized, edge or inhouse)", s);
}

static int parse_opts(int argc, char **argv, struct catalog_opts *opt,
		      unsigned formats)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"family", required_argument, NULL, 'F'},
		{"accelerator", required_argument, NULL, 'a'},
		{"provider", required_argument, NULL, 'p'},
		{"from", required_argument, NULL, 'r'},
		{"as-of", required_argument, NULL, 'd'},
		{NULL, 0, NULL, 0}};
	int ch, rc;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			rc = cli_parse_format("catalog", optarg, formats,
					      &opt->format);
			break;
		case 'F':
			rc = parse_family(optarg, &opt->family);
			break;
		case 'a':
			opt->accel = optarg;
			rc = 0;
			break;
		case 'p':
			opt->provider = optarg;
			rc = 0;
			break;
		case 'r':
			opt->from = optarg;
			rc = 0;
			break;
		case 'd':
			opt->as_of = optarg;
			rc = 0;
			break;
		case ':':
			return cli_usage_error("catalog", "option '%s' needs a "
					       "value", argv[optind - 1]);
		default:
			return cli_usage_error("catalog", "unknown option '%s'",
					       argv[optind - 1]);
		}
		if (rc)
			return rc;
	}
	return 0;
}

#define F(x) (1u << (x))

int cmd_catalog(int argc, char **argv, struct cli_ctx *ctx)
{
	static const char *const subs[] = {"accelerators", "offers",
					   "summary", "import"};
	static const unsigned formats[] = {
		F(CLI_TABLE) | F(CLI_JSON) | F(CLI_CSV),
		F(CLI_TABLE) | F(CLI_JSON) | F(CLI_CSV),
		F(CLI_TABLE) | F(CLI_CSV) | F(CLI_MARKDOWN), F(CLI_TABLE)};
	struct catalog_opts opt = {.format = CLI_TABLE, .family = -1};
	struct pricing_catalog c;
	const char *near;
	int sub, rc;

	if (argc < 2)
		return cli_usage_error("catalog", "which listing? accelerators, "
				       "offers, summary or import");
	sub = util_strcase_index(argv[1], subs, 4);
	if (sub < 0) {
		near = util_nearest(argv[1], subs, 4);
		return cli_usage_error("catalog", "unknown subcommand '%s'%s%s%s",
				       argv[1], near ? " (did you mean '" : "",
				       near ? near : "", near ? "'?)" : "");
	}
	rc = parse_opts(argc - 1, argv + 1, &opt, formats[sub]);
	if (rc)
		return rc;
	if (sub != 3 && optind + 1 < argc)
		return cli_usage_error("catalog", "unexpected argument '%s'",
				       argv[optind + 1]);
	rc = cli_load_catalog(ctx, &c);
	if (!rc && opt.accel)
		rc = cli_resolve_accel("catalog", &c, opt.accel, &opt.accel);
	if (!rc) {
		if (sub == 0)
			rc = list_accels(&c, &opt);
		else if (sub == 1)
			rc = list_offers(&c, &opt);
		else if (sub == 2)
			rc = summary(&c, &opt);
		else
			rc = import(&c, &opt, ctx, argc - 1 - optind,
				    argv + 1 + optind);
	}
	pricing_catalog_release(&c);
	return rc;
}
