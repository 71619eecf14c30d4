#pragma once
// MLX's packing of quantized weights: the codes of one row form a little-endian bit stream, `bits` bits per
// value, stored in uint32 words; value i of a group g is scale[g] * code + bias[g].
#include <cstdint>

namespace glassbox {

// Reads `cols` codes from the row's bit stream and writes scale * code + bias per group.
void dequantize_codes(const unsigned char* codes, int bits, int group_size, int64_t cols, const float* scales,
                      const float* biases, float* out);

// Writes `n` codes (each below 2^bits) as a little-endian bit stream; `out` holds n * bits / 8 zeroed bytes.
void pack_codes(const uint32_t* codes, int bits, int64_t n, unsigned char* out);

// Reads code i of a row's bit stream.
inline uint32_t read_code(const unsigned char* codes, int bits, int64_t i) {
  const uint64_t bit = uint64_t(i) * uint64_t(bits);
  uint64_t window = 0;
  const unsigned bytes = (unsigned(bit % 8) + unsigned(bits) + 7) / 8;
  for (unsigned b = 0; b < bytes; ++b) window |= uint64_t(codes[bit / 8 + b]) << (8 * b);
  return uint32_t(window >> (bit % 8)) & ((1u << bits) - 1u);
}

}  // namespace glassbox
