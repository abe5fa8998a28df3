/* The performance model's constants: every default the estimates use,
 * each with its source (docs/perf-model.md). A scenario overrides any of
 * them by name under `performance:`. */
#include "model.h"

const struct model_const_info model_consts[MODEL_NCONSTS] = {
	[MODEL_K_MFU] = {
		"mfu", 0.40, 1e-9, 1, "fraction of dense peak",
		"training model-FLOPs utilisation: Llama 3 report (Dubey et "
		"al. 2024, Table 4) measured 38-43% BF16 MFU on H100"},
	[MODEL_K_INFER_EFF] = {
		"inference_efficiency", 0.35, 1e-9, 1, "fraction of dense peak",
		"batched inference: MLPerf Inference v3.1 ResNet-50 offline "
		"results imply ~37% of the dense INT8 peak on H100 and on "
		"Jetson AGX Orin (8.2 GFLOP per image; figures recalled)"},
	[MODEL_K_BW_EFF] = {
		"bandwidth_efficiency", 0.80, 1e-9, 1, "fraction of peak bandwidth",
		"achievable share of the memory bandwidth a datasheet gives "
		"(stream-type kernels reach 80-90% on HBM GPUs; assumption)"},
	[MODEL_K_SCALE_NVLINK] = {
		"scaling_nvlink", 0.95, 0.5, 1, "efficiency per doubling",
		"throughput per device kept at each doubling of devices "
		"joined by NVLink/NVSwitch (assumption; Megatron-LM reports "
		"near-linear data-parallel scaling inside a node)"},
	[MODEL_K_SCALE_PCIE] = {
		"scaling_pcie", 0.85, 0.5, 1, "efficiency per doubling",
		"the same over PCIe, where gradients cross the host bridge "
		"(assumption)"},
	[MODEL_K_ADAM_BYTES] = {
		"full_bytes_per_param", 16, 4, 64, "bytes per parameter",
		"full fine-tuning with Adam in mixed precision: 2 (weights) + "
		"2 (gradients) + 12 (fp32 master weights, momentum, "
		"variance); ZeRO, Rajbhandari et al. 2020, section 3.1"},
	[MODEL_K_LORA_BYTES] = {
		"lora_bytes_per_param", 2, 1e-9, 8, "bytes per parameter",
		"LoRA keeps the frozen base in 16-bit weights: 2 bytes per "
		"parameter (Hu et al. 2021; DESIGN §6)"},
	[MODEL_K_QLORA_BYTES] = {
		"qlora_bytes_per_param", 0.55, 1e-9, 8, "bytes per parameter",
		"QLoRA stores the base in 4-bit NF4 with double-quantised "
		"constants, ~0.52 bytes per parameter (Dettmers et al. 2023, "
		"section 3); DESIGN §6 gives 0.5-0.6"},
	[MODEL_K_ADAPTER_SHARE] = {
		"adapter_share", 0.01, 1e-9, 1, "adapter parameters / base",
		"LoRA adapters hold 0.1-1% of the base parameters (Hu et al. "
		"2021, Table 4); 1% is the upper end, trained with Adam at 16 "
		"bytes each"},
	[MODEL_K_OVERHEAD_GB] = {
		"runtime_overhead_gb", 1.0, 1e-9, 1000, "GB per device",
		"CUDA context, framework workspace and allocator "
		"fragmentation (assumption: PyTorch's CUDA context alone is "
		"0.3-0.5 GB)"},
	[MODEL_K_ASPECT] = {
		"aspect_ratio", 128, 1, 10000, "hidden size / layers",
		"shape of a dense transformer when only its size is given: "
		"Llama 2 7B and 13B have d/L = 4096/32 = 5120/40 = 128 "
		"(Touvron et al. 2023, Table 1); N = 12 L d^2"},
	[MODEL_K_POWER_UTIL] = {
		"power_utilisation", 0.80, 1e-9, 1.5, "average power / TDP",
		"average board power while busy, as a share of TDP "
		"(assumption; training jobs run near but below the limit)"},
	[MODEL_K_INFER_OVERHEAD_MS] = {
		"inference_overhead_ms", 0.27, 1e-9, 100000, "ms per request",
		"fixed per-request cost on a datacenter or workstation device "
		"(host code, kernel launches): MLPerf Inference v3.1 closed, "
		"NVIDIA L4x1_TRT ResNet-50: SingleStream p90 0.349 ms minus "
		"the per-image time of its Offline run (1 / 12,882 per s = "
		"0.078 ms); workstation cards have no single-stream result "
		"and take the same figure"},
	[MODEL_K_INFER_OVERHEAD_EDGE_MS] = {
		"inference_overhead_edge_ms", 0.48, 1e-9, 100000,
		"ms per request",
		"fixed per-request cost on an edge board: MLPerf Inference "
		"v3.1 closed, NVIDIA Orin_TRT (Jetson AGX Orin) ResNet-50: "
		"SingleStream p90 0.640 ms minus the per-image time of its "
		"Offline run (1 / 6,424 per s = 0.156 ms)"},
	[MODEL_K_RTT_MS] = {
		"remote_rtt_ms", 30, 1e-9, 100000, "ms",
		"network round trip to a remote data centre on the same "
		"continent (assumption)"},
	[MODEL_K_UPLINK_MBPS] = {
		"uplink_mbps", 100, 1e-9, 1000000, "Mb/s per site",
		"upload bandwidth of a site sending requests to a remote "
		"venue (assumption: a business fibre line)"},
	[MODEL_K_MAX_BATCH] = {
		"max_batch", 64, 1, 65536, "requests",
		"largest batch the server forms to raise throughput "
		"(assumption; MLPerf offline runs use larger ones)"},
	[MODEL_K_KV_SHARE] = {
		"kv_share", 0.25, 1e-9, 1, "KV heads / attention heads",
		"grouped-query attention keeps fewer key/value heads: Llama 3 "
		"8B and 70B have 8 of 32 and 8 of 64 (Dubey et al. 2024, "
		"Table 3)"},
	[MODEL_K_PROVISION_CLOUD_MIN] = {
		"provision_cloud_min", 3, 0, 1440, "minutes",
		"time from request to a usable cloud GPU instance when the "
		"offer gives none (assumption: boot and image pull take a few "
		"minutes on the big clouds)"},
	[MODEL_K_PROVISION_GPUAAS_MIN] = {
		"provision_gpuaas_min", 2, 0, 1440, "minutes",
		"the same for GPU-as-a-service (assumption: prebuilt images)"},
	[MODEL_K_PROVISION_MARKET_MIN] = {
		"provision_market_min", 10, 0, 1440, "minutes",
		"the same on a decentralized market host (assumption: the "
		"image is pulled over the host's own link)"},
	[MODEL_K_CHECKPOINT_H] = {
		"checkpoint_interval_h", 1, 0.01, 168, "hours",
		"time between checkpoints of spot and market jobs when the "
		"scenario gives none (assumption; a preemption loses half of "
		"it on average)"},
	[MODEL_K_RESTART_MIN] = {
		"restart_min", 10, 0, 1440, "minutes",
		"time to get a preempted job running again: a new instance, "
		"reload of the checkpoint (assumption)"},
	[MODEL_K_ONPREM_AVAILABILITY] = {
		"onprem_availability", 0.95, 0.1, 1, "share of hours",
		"hours an owned device can work: maintenance, failures, "
		"drains (assumption)"},
	[MODEL_K_ACADEMIC_BURST] = {
		"academic_burst", 2.0, 1, 100, "x the fair share",
		"how far above its fair share (allocation / RGU per device) an "
		"academic account runs at once: the Alliance lets a group use "
		"idle resources beyond its target and lowers its priority as "
		"its recent usage grows ('Allocations and compute scheduling'), "
		"but publishes no factor (assumption, docs/academic.md)"},
	[MODEL_K_MAX_CLOUD] = {
		"max_devices_cloud", 64, 1, 1e6, "devices at once",
		"GPUs one on-demand cloud offer gives an account at once in "
		"one region when the catalog says nothing (max_devices): "
		"eight 8-GPU instances; providers grant GPU quotas per "
		"region on request and do not publish capacity (assumption)"},
	[MODEL_K_MAX_SPOT] = {
		"max_devices_spot", 16, 1, 1e6, "devices at once",
		"the same on spot, lower than on demand: spot capacity is "
		"what the region has spare (assumption)"},
	[MODEL_K_MAX_GPUAAS] = {
		"max_devices_gpuaas", 64, 1, 1e6, "devices at once",
		"GPUs one GPU-as-a-service offer gives at once: eight 8-GPU "
		"nodes on demand; larger clusters are reserved ahead "
		"(assumption)"},
	[MODEL_K_MAX_MARKET] = {
		"max_devices_market", 16, 1, 1e6, "devices at once",
		"GPUs of one marketplace listing's kind rentable at once: a "
		"listing is one host; a few similar hosts (assumption)"},
	[MODEL_K_PREFILL_EFF] = {
		"prefill_efficiency", 0.55, 1e-9, 1, "fraction of dense peak",
		"matrix products of LLM serving (prefill, and decode at large "
		"batches): Microsoft's ND GB200 v6 benchmark sustained 2,744 "
		"FP8 TFLOPS in GEMM of 5,000 dense, 55% (Azure HPC blog, "
		"2025)"},
	[MODEL_K_KV_MEM_FRAC] = {
		"kv_cache_memory_fraction", 0.90, 0.05, 1,
		"share of free memory",
		"memory left after weights that the engine gives the KV "
		"cache: TensorRT-LLM's kv_cache_free_gpu_mem_fraction "
		"default 0.90 (its performance overview), vLLM's "
		"gpu_memory_utilization 0.9"},
	[MODEL_K_MAX_SEQS] = {
		"max_sequences", 1024, 1, 65536, "sequences per engine",
		"sequences an engine keeps in flight: NVIDIA's MLPerf "
		"Inference v4.0 Llama 2 70B configurations use batches of "
		"806 (H200) and 896 (H100 TP2), up to 2048"},
	[MODEL_K_ALLREDUCE_NVLINK_US] = {
		"allreduce_latency_nvlink_us", 23, 0, 10000, "microseconds",
		"fixed cost of one tensor-parallel all-reduce over NVLink: "
		"nccl-tests all_reduce_perf on 4 x H100 SXM, 8-byte to "
		"128-KB messages take 23.2-26.3 us (waynehacking8/"
		"nccl-collectives-bench results/quiet/all_reduce.txt, NCCL "
		"2.29)"},
	[MODEL_K_ALLREDUCE_PCIE_US] = {
		"allreduce_latency_pcie_us", 40, 0, 10000, "microseconds",
		"the same over PCIe: all_reduce_perf on 8 x RTX 4090 (Ada, "
		"PCIe 4.0, as the L40S), 8-byte messages 37-42 us (NVIDIA/nccl "
		"issue 1530)"},
};
