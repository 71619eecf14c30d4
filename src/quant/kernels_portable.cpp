// Plain C++ loops: correct on any CPU, and the reference the vector kernels are tested against.
#include <vector>

#include "quant/int8_activations.h"
#include "quant/kernels.h"
#include "quant/packing.h"

namespace glassbox {
namespace {

void dequantize_rows(const WeightRef& w, int64_t r0, int64_t r1, float* out) {
  const int64_t groups = w.group_size ? w.cols / w.group_size : 0;
  std::vector<float> scales(static_cast<size_t>(groups)), biases(static_cast<size_t>(groups));
  for (int64_t r = r0; r < r1; ++r, out += w.cols) {
    const unsigned char* row = w.data + size_t(r) * w.row_bytes();
    switch (w.format) {
      case WeightFormat::F32: to_f32(DType::F32, row, out, size_t(w.cols)); break;
      case WeightFormat::F16: to_f32(DType::F16, row, out, size_t(w.cols)); break;
      case WeightFormat::BF16: to_f32(DType::BF16, row, out, size_t(w.cols)); break;
      case WeightFormat::Quantized:
        for (int64_t g = 0; g < groups; ++g) scales[size_t(g)] = w.scale(r, g), biases[size_t(g)] = w.bias(r, g);
        dequantize_codes(row, w.bits, w.group_size, w.cols, scales.data(), biases.data(), out);
        break;
    }
  }
}

void matvec(const WeightRef& w, const float* x, int64_t r0, int64_t r1, float* y) {
  std::vector<float> row(size_t(w.cols));
  for (int64_t r = r0; r < r1; ++r) {
    dequantize_rows(w, r, r + 1, row.data());
    float sum = 0;
    for (int64_t i = 0; i < w.cols; ++i) sum += row[size_t(i)] * x[i];
    y[r - r0] = sum;
  }
}

// The fast mode's arithmetic, written plainly: exact integer dot products per block, then the scales.
void matmul_int8(const WeightRef& w, const Int8Rows& x, int64_t r0, int64_t r1, float* y, int64_t ldy) {
  const int64_t groups = w.cols / w.group_size, per_group = w.group_size / kInt8Block, blocks = w.cols / kInt8Block;
  for (int64_t r = r0; r < r1; ++r) {
    const unsigned char* row = w.data + size_t(r) * w.row_bytes();
    for (int64_t t = 0; t < x.n; ++t) {
      const int8_t* a = x.codes + t * x.cols;
      float sum = 0;
      for (int64_t g = 0; g < groups; ++g) {
        float part = 0;
        for (int64_t b = g * per_group; b < (g + 1) * per_group; ++b) {
          int32_t dot = 0;
          for (int64_t i = b * kInt8Block; i < (b + 1) * kInt8Block; ++i)
            dot += int32_t(read_code(row, w.bits, i)) * a[int8_position(i, w.bits)];
          part += x.scales[t * blocks + b] * float(dot);
        }
        sum += w.scale(r, g) * part + w.bias(r, g) * x.sums[t * groups + g];
      }
      y[t * ldy + (r - r0)] = sum;
    }
  }
}

void matmul_rows(const WeightRef& w, const float* x, int64_t n, int64_t r0, int64_t r1, float* y, int64_t ldy) {
  std::vector<float> row(size_t(w.cols));
  for (int64_t r = r0; r < r1; ++r) {
    dequantize_rows(w, r, r + 1, row.data());
    for (int64_t t = 0; t < n; ++t) {
      float sum = 0;
      for (int64_t i = 0; i < w.cols; ++i) sum += row[size_t(i)] * x[t * w.cols + i];
      y[t * ldy + (r - r0)] = sum;
    }
  }
}

constexpr Kernels kPortable{"portable", matvec, dequantize_rows, matmul_rows, matmul_int8};

}  // namespace

const Kernels& portable_kernels() { return kPortable; }

}  // namespace glassbox
