/* A quantity from any text, in every dimension. */
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[256];
	double v;
	struct util_err err;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (int dim = 0; dim <= MODEL_DIM_FLOP; dim++)
		for (unsigned flags = 0; flags < 4; flags++)
			model_units_parse(text, (enum model_dim)dim, flags, &v,
					  &err);
	return 0;
}
