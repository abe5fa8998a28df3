/* A RunPod GraphQL gpuTypes answer from any bytes: the offers it
 * yields must load back as a catalog (tests/fuzz/fuzz.h). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_market(pricing_runpod_offers, data, size);
	return 0;
}
