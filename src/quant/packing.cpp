#include "quant/packing.h"

namespace glassbox {

void dequantize_codes(const unsigned char* codes, int bits, int group_size, int64_t cols, const float* scales,
                      const float* biases, float* out) {
  for (int64_t i = 0; i < cols; ++i) {
    const int64_t g = i / group_size;
    out[i] = scales[g] * float(read_code(codes, bits, i)) + biases[g];
  }
}

void pack_codes(const uint32_t* codes, int bits, int64_t n, unsigned char* out) {
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t bit = uint64_t(i) * uint64_t(bits);
    const uint64_t shifted = uint64_t(codes[i]) << (bit % 8);
    for (unsigned b = 0; b * 8 < bit % 8 + unsigned(bits); ++b) out[bit / 8 + b] |= uint8_t(shifted >> (8 * b));
  }
}

}  // namespace glassbox
