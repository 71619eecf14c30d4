#include "model/rms_norm.h"

#include <cmath>

namespace glassbox {

void rms_norm(const float* x, const std::vector<float>& weight, double eps, int64_t rows, int64_t width, float* out) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * width;
    double sum = 0;
    for (int64_t i = 0; i < width; ++i) sum += double(xr[i]) * double(xr[i]);
    const float inv = float(1.0 / std::sqrt(sum / double(width) + eps));
    for (int64_t i = 0; i < width; ++i) out[r * width + i] = weight[size_t(i)] * (xr[i] * inv);
  }
}

}  // namespace glassbox
