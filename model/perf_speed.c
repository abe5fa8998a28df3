/* Relative speed by workload class (docs/perf-model.md, Speed by class):
 * how fast an accelerator does one class of work next to an H100, from
 * MLPerf per-GPU results. Dense peak FLOPS is the fallback for an
 * accelerator the table lacks, and the caller says so. */
#include <string.h>

#include "perf_int.h"

const char *const model_class_names[MODEL_NCLASSES] = {
	"vision-train", "llm-train", "llm-serve", "cnn-infer"};

/* Speed per device, H100 SXM = 1. */
static const struct speed {
	const char *accel;
	enum model_class cls;
	double speed;
} speeds[] = {
	/* MLPerf Training v4.0 closed, NVIDIA, llama2_70b_lora (25.2 M tokens
	 * at sequence 8192): eos_ngc24.04_nemo, 8 H100, 2.155 samples/s
	 * (run 1,629 s); h200_ngc24.04_nemo, 8 H200, 2.477 samples/s (run
	 * 1,411 s); l40s_n16_ngc24.04_nemo, 64 L40S, 2.719 samples/s:
	 * per device 0.2694, 0.3096 and 0.0425 samples/s */
	{"H100", MODEL_CLASS_LLM_TRAIN, 1.0},
	{"H200", MODEL_CLASS_LLM_TRAIN, 1.149},
	{"L40S", MODEL_CLASS_LLM_TRAIN, 0.158},
	/* MLPerf Training v4.0 ResNet-50, per-GPU H100:L40S 3.8 (as reported
	 * by the audit of gpuplan issue 16; not re-read here) */
	{"H100", MODEL_CLASS_VISION_TRAIN, 1.0},
	{"L40S", MODEL_CLASS_VISION_TRAIN, 0.263},
	/* MLPerf Inference v3.1 closed, NVIDIA, ResNet-50 Offline per
	 * device: DGX-H100_H100-SXM-80GBx1_TRT 88,526 samples/s, L4x1_TRT
	 * 12,882, Orin_TRT (Jetson AGX Orin) 6,424 */
	{"H100", MODEL_CLASS_CNN_INFER, 1.0},
	{"L4", MODEL_CLASS_CNN_INFER, 0.1455},
	{"Jetson-AGX-Orin", MODEL_CLASS_CNN_INFER, 0.0726},
};

static double lookup(const char *accel, enum model_class cls)
{
	for (size_t i = 0; i < sizeof(speeds) / sizeof(speeds[0]); i++)
		if (speeds[i].cls == cls && !strcmp(speeds[i].accel, accel))
			return speeds[i].speed;
	return -1;
}

double perf_class_ratio(const struct pricing_catalog *cat,
			const struct pricing_accel *a,
			const struct pricing_accel *ref, enum model_class cls,
			enum pricing_precision p, bool *fallback)
{
	double sa = lookup(a->name, cls), sr = lookup(ref->name, cls);

	(void)cat;
	*fallback = sa < 0 || sr < 0;
	if (!*fallback)
		return sa / sr;
	return perf_peak(a, p) / perf_peak(ref, p);
}

double model_class_speed(const char *accel, enum model_class cls)
{
	return lookup(accel, cls);
}
