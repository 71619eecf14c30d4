#pragma once
// NaN and infinity in a weight or an activation make every later number meaningless (a probability table of
// "nan", greedy decoding that repeats id 0), so they are found and named instead of printed.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace glassbox {

// Whether every value is finite. Integer max over the exponent bits, which the compiler vectorizes: about
// one cycle per 8 floats, so the forward pass can afford it on every residual-stream update.
inline bool all_finite(const float* x, size_t n) {
  uint32_t worst = 0;
  for (size_t i = 0; i < n; ++i) {
    uint32_t bits;
    std::memcpy(&bits, x + i, 4);
    worst = std::max(worst, bits & 0x7f800000u);
  }
  return worst != 0x7f800000u;
}

// The index of the first non-finite value, or n.
inline size_t first_non_finite(const float* x, size_t n) {
  size_t i = 0;
  while (i < n && all_finite(x + i, 1)) ++i;
  return i;
}

}  // namespace glassbox
