#pragma once
#include <cstdint>
#include <vector>

namespace glassbox {

// RMSNorm over each of `rows` rows of `width` values, as transformers computes it in float32 (the mean of
// squares accumulated in double). `out` may be `x`.
void rms_norm(const float* x, const std::vector<float>& weight, double eps, int64_t rows, int64_t width, float* out);

}  // namespace glassbox
