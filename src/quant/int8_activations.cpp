#include "quant/int8_activations.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace glassbox {

namespace {
// The largest |v[i]| of a block. Non-negative floats order like their bit patterns, so the maximum is taken
// over integers, which the compiler vectorizes (a float maximum it may not reorder); a NaN, whose pattern
// is above infinity's, comes out as the maximum.
float largest_magnitude(const float* v) {
  uint32_t largest = 0;
  for (int64_t i = 0; i < kInt8Block; ++i) {
    uint32_t bits;
    std::memcpy(&bits, v + i, 4);
    largest = std::max(largest, bits & 0x7fffffffu);
  }
  float f;
  std::memcpy(&f, &largest, 4);
  return f;
}

// sum of v[0, n) in 8 interleaved partial sums: one running sum would wait on the adder's latency per value.
float sum(const float* v, int64_t n) {
  float part[8] = {};
  for (int64_t i = 0; i < n; ++i) part[i % 8] += v[i];
  return ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
}
}  // namespace

Int8Activations::Int8Activations(const float* x, int64_t n, int64_t cols, int bits, int group_size)
    : codes_(size_t(n * cols)), scales_(size_t(n * cols / kInt8Block)),
      sums_(size_t(n * cols / group_size)), code_sums_(sums_.size()) {
  const int64_t blocks = cols / kInt8Block, groups = cols / group_size, per_group = group_size / kInt8Block;
#pragma omp parallel for schedule(static) if (n * cols > (1 << 16))
  for (int64_t t = 0; t < n; ++t) {
    for (int64_t b = 0; b < blocks; ++b) {
      const float* v = x + t * cols + b * kInt8Block;
      const float largest = largest_magnitude(v);
      const float scale = largest / 127.0f, inverse = largest > 0 ? 127.0f / largest : 0.0f;
      int8_t block[kInt8Block];
      for (int64_t i = 0; i < kInt8Block; ++i) block[i] = int8_t(std::clamp(std::nearbyint(v[i] * inverse), -127.0f, 127.0f));
      int32_t code_sum = 0;
      for (int64_t i = 0; i < kInt8Block; ++i) code_sum += block[i];
      int8_t* out = codes_.data() + t * cols + b * kInt8Block;
      for (int64_t i = 0; i < kInt8Block; ++i) out[int8_position(i, bits)] = block[i];
      scales_[size_t(t * blocks + b)] = scale;
      code_sums_[size_t(t * groups + b / per_group)] += scale * float(code_sum);
    }
    for (int64_t g = 0; g < groups; ++g) sums_[size_t(t * groups + g)] = sum(x + t * cols + g * group_size, group_size);
  }
  rows_ = {n, cols, group_size, codes_.data(), scales_.data(), sums_.data(), code_sums_.data()};
}

}  // namespace glassbox
