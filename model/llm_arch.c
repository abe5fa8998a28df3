/* Named open models for LLM serving: the shape each one's published
 * configuration gives (Hugging Face config.json of the named repository:
 * num_hidden_layers, hidden_size, num_attention_heads,
 * num_key_value_heads, vocab_size, and the context window
 * max_position_embeddings, n_positions for GPT-J) and its parameter count
 * from its model card or paper. docs/perf-model.md lists them. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "model.h"

#define HF(repo) "Hugging Face " repo " config.json"

const struct model_llm_preset model_llm_presets[] = {
	{"llama-2-7b", 6.74e9, 6.74e9, 32, 4096, 32, 32, 32000, 4096,
	 HF("meta-llama/Llama-2-7b-hf") "; 6.7B, Touvron et al. 2023, "
	 "Table 1"},
	{"llama-2-13b", 13.0e9, 13.0e9, 40, 5120, 40, 40, 32000, 4096,
	 HF("meta-llama/Llama-2-13b-hf") "; Touvron et al. 2023"},
	{"llama-2-70b", 69.0e9, 69.0e9, 80, 8192, 64, 8, 32000, 4096,
	 HF("meta-llama/Llama-2-70b-hf") "; grouped-query attention, "
	 "Touvron et al. 2023, section 2.2"},
	{"llama-3-8b", 8.03e9, 8.03e9, 32, 4096, 32, 8, 128256, 8192,
	 HF("meta-llama/Meta-Llama-3-8B")},
	{"llama-3.1-8b", 8.03e9, 8.03e9, 32, 4096, 32, 8, 128256, 131072,
	 HF("meta-llama/Llama-3.1-8B") "; Dubey et al. 2024, Table 3"},
	{"llama-3.2-1b", 1.24e9, 1.24e9, 16, 2048, 32, 8, 128256, 131072,
	 HF("meta-llama/Llama-3.2-1B")},
	{"llama-3.2-3b", 3.21e9, 3.21e9, 28, 3072, 24, 8, 128256, 131072,
	 HF("meta-llama/Llama-3.2-3B")},
	{"llama-3-70b", 70.6e9, 70.6e9, 80, 8192, 64, 8, 128256, 8192,
	 HF("meta-llama/Meta-Llama-3-70B")},
	{"llama-3.1-70b", 70.6e9, 70.6e9, 80, 8192, 64, 8, 128256, 131072,
	 HF("meta-llama/Llama-3.1-70B") "; Dubey et al. 2024, Table 3"},
	{"llama-3.3-70b", 70.6e9, 70.6e9, 80, 8192, 64, 8, 128256, 131072,
	 HF("meta-llama/Llama-3.3-70B-Instruct")},
	{"llama-3.1-405b", 405.9e9, 405.9e9, 126, 16384, 128, 8, 128256, 131072,
	 HF("meta-llama/Llama-3.1-405B") "; Dubey et al. 2024, Table 3"},
	{"mistral-7b", 7.24e9, 7.24e9, 32, 4096, 32, 8, 32000, 32768,
	 HF("mistralai/Mistral-7B-v0.1") "; Jiang et al. 2023, Table 1 "
	 "(attention over a sliding window of 4,096 tokens)"},
	{"mixtral-8x7b", 46.7e9, 12.9e9, 32, 4096, 32, 8, 32000, 32768,
	 HF("mistralai/Mixtral-8x7B-v0.1") "; 46.7B total, 12.9B active "
	 "per token, Jiang et al. 2024, section 2"},
	{"mixtral-8x22b", 141e9, 39e9, 56, 6144, 48, 8, 32768, 65536,
	 HF("mistralai/Mixtral-8x22B-v0.1") "; 141B total, 39B active, "
	 "Mistral AI release note (April 2024)"},
	{"gpt-j-6b", 6.05e9, 6.05e9, 28, 4096, 16, 16, 50400, 2048,
	 HF("EleutherAI/gpt-j-6b") " (n_layer, n_embd, n_head; no "
	 "grouped-query attention)"},
	{"qwen2.5-7b", 7.61e9, 7.61e9, 28, 3584, 28, 4, 152064, 131072,
	 HF("Qwen/Qwen2.5-7B") "; Qwen2.5 technical report 2024, Table 1"},
	{"qwen2.5-14b", 14.7e9, 14.7e9, 48, 5120, 40, 8, 152064, 131072,
	 HF("Qwen/Qwen2.5-14B")},
	{"qwen2.5-32b", 32.5e9, 32.5e9, 64, 5120, 40, 8, 152064, 131072,
	 HF("Qwen/Qwen2.5-32B")},
	{"qwen2.5-72b", 72.7e9, 72.7e9, 80, 8192, 64, 8, 152064, 131072,
	 HF("Qwen/Qwen2.5-72B")},
};
const size_t model_llm_npresets = UTIL_ARRAY_SIZE(model_llm_presets);

const struct model_llm_preset *model_llm_preset(const char *name)
{
	for (size_t i = 0; i < model_llm_npresets; i++)
		if (!strcasecmp(name, model_llm_presets[i].name))
			return &model_llm_presets[i];
	return NULL;
}

/* Drops one variant suffix from the end of s (lower case): a release
 * ("-v0.3") or a variant that keeps the base model's shape. */
static bool drop_variant(char *s)
{
	static const char *const suffix[] = {
		"-instruct", "-chat", "-hf",   "-base", "-it",	"-fp8",
		"-awq",	     "-gptq", "-int4", "-int8", "-w4a16", "-w8a8",
	};
	size_t n = strlen(s), k;
	char *dash = strrchr(s, '-');

	if (dash && dash[1] == 'v' && isdigit((unsigned char)dash[2]) &&
	    strspn(dash + 2, "0123456789.") == strlen(dash + 2)) {
		*dash = '\0';
		return true;
	}
	for (size_t i = 0; i < UTIL_ARRAY_SIZE(suffix); i++) {
		k = strlen(suffix[i]);
		if (n > k && !strcmp(s + n - k, suffix[i])) {
			s[n - k] = '\0';
			return true;
		}
	}
	return false;
}

/* The size in a model's name, the last dash-separated token of digits,
 * dots and 'x' ending in 'b' ("1.5b", "8x7b"), copied lower case into
 * out; "" when the name has none. */
static void name_size(const char *name, char *out, size_t n)
{
	const char *t = name;

	*out = '\0';
	while (t && *t) {
		size_t len = strcspn(t, "-/_");

		if (len > 1 && isdigit((unsigned char)*t) &&
		    tolower((unsigned char)t[len - 1]) == 'b' &&
		    strspn(t, "0123456789.xX") == len - 1)
			snprintf(out, n, "%.*s", (int)len, t);
		t = t[len] ? t + len + 1 : NULL;
	}
	for (char *c = out; *c; c++)
		*c = (char)tolower((unsigned char)*c);
}

/* near, unless it names another size than name does: a 14B model is no
 * spelling of a 1.5B one, and sizing with it would be wrong tenfold */
static const char *same_size(const char *name, const char *near)
{
	char a[32], b[32];

	if (!near)
		return NULL;
	name_size(name, a, sizeof(a));
	name_size(near, b, sizeof(b));
	return *a && strcmp(a, b) ? NULL : near;
}

const char *model_llm_preset_near(const char *name)
{
	const char *names[64], *base = strrchr(name, '/'), *near;
	const struct model_llm_preset *p;
	char buf[128];
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", base ? base + 1 : name);
	for (char *c = buf; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	while (drop_variant(buf))
		;
	p = model_llm_preset(strncmp(buf, "meta-", 5) ? buf : buf + 5);
	if (p)
		return p->name;
	while (n < model_llm_npresets && n < UTIL_ARRAY_SIZE(names)) {
		names[n] = model_llm_presets[n].name;
		n++;
	}
	near = util_nearest(buf, names, n);
	return same_size(buf, near ? near : util_nearest(name, names, n));
}

double model_llm_kv_bytes(const struct model_llm_arch *a, double kv_bytes)
{
	/* keys and values, in every layer, for each KV head of
	 * hidden / heads values */
	return 2 * a->layers * a->kv_heads * (a->hidden / a->heads) *
	       kv_bytes;
}
