#include "quant/quantize.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "base/error.h"
#include "quant/packing.h"

namespace glassbox {
namespace {

// A value as it reads back after storing it in `t`.
float round_to(DType t, float v) {
  switch (t) {
    case DType::BF16: return bf16_to_f32(f32_to_bf16(v));
    case DType::F16: return f16_to_f32(f32_to_f16(v));
    default: return v;
  }
}

void store(DType t, float v, unsigned char* dst) {
  if (t == DType::F32) { std::memcpy(dst, &v, 4); return; }
  const uint16_t h = t == DType::BF16 ? f32_to_bf16(v) : f32_to_f16(v);
  std::memcpy(dst, &h, 2);
}

struct Affine { float scale, bias; };

Affine group_affine(const float* w, int group_size, int bits, DType t) {
  const float n_bins = float((1 << bits) - 1);
  const auto [lo, hi] = std::minmax_element(w, w + group_size);
  const float w_min = *lo, w_max = *hi;
  const bool min_is_edge = std::fabs(w_min) > std::fabs(w_max);
  float scale = std::max((w_max - w_min) / n_bins, 1e-7f);
  if (!min_is_edge) scale = -scale;
  const float edge = min_is_edge ? w_min : w_max;
  const float q0 = std::nearbyint(edge / scale);
  Affine a{scale, 0.0f};
  if (q0 != 0) a = {edge / q0, edge};
  return {round_to(t, a.scale), round_to(t, a.bias)};
}

}  // namespace

QuantizedMatrix quantize(const float* w, int64_t rows, int64_t cols, int bits, int group_size, DType scale_dtype) {
  if (group_size <= 0 || cols % group_size != 0 || (cols * bits) % 32 != 0)
    fail("quantize: " + std::to_string(cols) + " columns do not split into groups of " + std::to_string(group_size));
  const int64_t groups = cols / group_size;
  const size_t row_bytes = size_t(cols * bits / 8), sbytes = dtype_size(scale_dtype);
  QuantizedMatrix q;
  q.codes.assign(size_t(rows) * row_bytes, 0);
  q.scales.resize(size_t(rows * groups) * sbytes);
  q.biases.resize(size_t(rows * groups) * sbytes);
  const uint32_t max_code = (1u << bits) - 1;
#pragma omp parallel for schedule(static) if (rows * cols > (1 << 20))
  for (int64_t r = 0; r < rows; ++r) {
    std::vector<uint32_t> codes(static_cast<size_t>(cols));
    for (int64_t g = 0; g < groups; ++g) {
      const float* x = w + r * cols + g * group_size;
      const Affine a = group_affine(x, group_size, bits, scale_dtype);
      for (int i = 0; i < group_size; ++i) {
        const float c = std::nearbyint((x[i] - a.bias) / a.scale);
        codes[size_t(g * group_size + i)] = uint32_t(std::clamp(c, 0.0f, float(max_code)));
      }
      store(scale_dtype, a.scale, q.scales.data() + size_t(r * groups + g) * sbytes);
      store(scale_dtype, a.bias, q.biases.data() + size_t(r * groups + g) * sbytes);
    }
    pack_codes(codes.data(), bits, cols, q.codes.data() + size_t(r) * row_bytes);
  }
  return q;
}

}  // namespace glassbox
