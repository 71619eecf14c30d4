#include "quant/int8_activations.h"

#include <algorithm>
#include <cmath>

namespace glassbox {

Int8Activations::Int8Activations(const float* x, int64_t n, int64_t cols, int bits, int group_size)
    : codes_(size_t(n * cols)), scales_(size_t(n * cols / kInt8Block)),
      sums_(size_t(n * cols / group_size)), code_sums_(sums_.size()) {
  const int64_t blocks = cols / kInt8Block, groups = cols / group_size, per_group = group_size / kInt8Block;
#pragma omp parallel for schedule(static) if (n * cols > (1 << 16))
  for (int64_t t = 0; t < n; ++t) {
    for (int64_t b = 0; b < blocks; ++b) {
      const float* v = x + t * cols + b * kInt8Block;
      float largest = 0;
      for (int64_t i = 0; i < kInt8Block; ++i) largest = std::max(largest, std::fabs(v[i]));
      const float scale = largest / 127.0f, inverse = largest > 0 ? 127.0f / largest : 0.0f;
      int32_t code_sum = 0;
      for (int64_t i = 0; i < kInt8Block; ++i) {
        const int8_t c = int8_t(std::clamp(std::nearbyint(v[i] * inverse), -127.0f, 127.0f));
        codes_[size_t(t * cols + int8_position(b * kInt8Block + i, bits))] = c;
        code_sum += c;
      }
      scales_[size_t(t * blocks + b)] = scale;
      code_sums_[size_t(t * groups + b / per_group)] += scale * float(code_sum);
    }
    for (int64_t g = 0; g < groups; ++g) {
      float sum = 0;
      for (int64_t i = g * group_size; i < (g + 1) * group_size; ++i) sum += x[t * cols + i];
      sums_[size_t(t * groups + g)] = sum;
    }
  }
  rows_ = {n, cols, group_size, codes_.data(), scales_.data(), sums_.data(), code_sums_.data()};
}

}  // namespace glassbox
