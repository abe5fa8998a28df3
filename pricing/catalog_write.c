/* Writing offers back out in the catalog format (docs/catalog.md). */
#include <stdio.h>
#include <string.h>

#include "pricing_int.h"

/* The bytes of the UTF-8 character at s when it is whole and valid, 0
 * otherwise (a stray or cut byte). */
static size_t utf8_char(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	size_t bad;

	if (strnlen(s, n) < n || !util_utf8_valid(s, n, &bad))
		return 0;
	return n;
}

void pricing_put_yaml_string(struct util_buf *b, const char *s)
{
	util_buf_puts(b, "\"");
	while (s && *s) {
		unsigned char c = (unsigned char)*s;
		size_t n = c < 0x80 ? 1 : utf8_char(s);

		if (c == '"' || c == '\\')
			util_buf_printf(b, "\\%c", c);
		else if (c == '\t' || c == '\n')
			util_buf_puts(b, c == '\t' ? "\\t" : "\\n");
		else if (c < 0x20 || c == 0x7f || !n ||
			 (c == 0xc2 && (unsigned char)s[1] <= 0x9f))
			util_buf_puts(b, "?"); /* control, C1, not UTF-8 */
		else
			util_buf_add(b, s, n);
		s += n ? n : 1;
	}
	util_buf_puts(b, "\"");
}

static void put_field(struct util_buf *b, const char *key, const char *val)
{
	if (!val)
		return;
	util_buf_printf(b, "    %s: ", key);
	pricing_put_yaml_string(b, val);
	util_buf_puts(b, "\n");
}

/* queue_wait, slurm and kubernetes, when the offer has them */
static void put_tables(struct util_buf *b, const struct pricing_offer *o)
{
	/* a fetched cloud offer leaves them 0, not PRICING_UNSET */
	if (o->family == PRICING_ACADEMIC && o->queue_p50_h >= 0 &&
	    o->queue_p90_h >= 0)
		util_buf_printf(b, "    queue_wait: {p50_h: %.10g, p90_h: %.10g}\n",
				o->queue_p50_h, o->queue_p90_h);
	if (o->slurm_gpu_type) {
		util_buf_puts(b, "    slurm:\n");
		util_buf_puts(b, "  ");
		put_field(b, "gpu_type", o->slurm_gpu_type);
		if (o->slurm_mig_prefix)
			util_buf_puts(b, "  ");
		put_field(b, "mig_prefix", o->slurm_mig_prefix);
		if (o->slurm_cpus_per_gpu >= 0)
			util_buf_printf(b, "      cpus_per_gpu: %.10g\n",
					o->slurm_cpus_per_gpu);
		if (o->slurm_mem_gb_per_gpu >= 0)
			util_buf_printf(b, "      mem_gb_per_gpu: %.10g\n",
					o->slurm_mem_gb_per_gpu);
	}
	if (o->k8s_gpu_product) {
		util_buf_puts(b, "    kubernetes:\n  ");
		put_field(b, "gpu_product", o->k8s_gpu_product);
	}
}

void pricing_write_offers_yaml(const struct pricing_catalog *c, size_t first,
			       struct util_buf *out)
{
	util_buf_printf(out, "currency: %s\noffers:\n",
			c->currency ? c->currency : "USD");
	for (size_t i = first; i < c->noffers; i++) {
		const struct pricing_offer *o = &c->offers[i];

		util_buf_puts(out, "  - id: ");
		pricing_put_yaml_string(out, o->id);
		util_buf_printf(out, "\n    family: %s\n",
				pricing_family_names[o->family]);
		put_field(out, "provider", o->provider);
		put_field(out, "region", o->region);
		put_field(out, "country", o->country);
		put_field(out, "instance", o->instance);
		put_field(out, "cluster", o->cluster);
		put_field(out, "accelerator", o->accel);
		util_buf_printf(out, "    count: %ld\n", o->count);
		if (o->estimate)
			util_buf_puts(out, "    estimate: true\n");
		for (int t = 0; t < PRICING_NTERMS; t++)
			if (o->term[t] >= 0)
				util_buf_printf(out, "    %s: %.10g\n",
						pricing_term_names[t],
						o->term[t]);
		put_tables(out, o);
		put_field(out, "source", o->source);
		put_field(out, "as_of", o->as_of);
	}
}
