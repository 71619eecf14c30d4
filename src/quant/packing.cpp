#include "quant/packing.h"

namespace glassbox {

void dequantize_codes(const unsigned char* codes, int bits, int group_size, int64_t cols, const float* scales,
                      const float* biases, float* out) {
  for (int64_t i = 0; i < cols; ++i) {
    const int64_t g = i / group_size;
    out[i] = scales[g] * float(read_code(codes, bits, i)) + biases[g];
  }
}

}  // namespace glassbox
