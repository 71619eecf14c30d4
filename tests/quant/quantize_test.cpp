// Quantization follows MLX's affine rules, and what reads back is within half a step of what went in.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "quant/kernels.h"
#include "quant/quantize.h"

namespace glassbox {
namespace {

struct Readback {
  std::vector<float> values, scales, biases;
};

Readback read_back(const QuantizedMatrix& q, int64_t rows, int64_t cols, int bits, int group, DType t) {
  WeightRef w;
  w.format = WeightFormat::Quantized;
  w.rows = rows, w.cols = cols, w.bits = bits, w.group_size = group;
  w.data = q.codes.data(), w.scales = q.scales.data(), w.biases = q.biases.data(), w.scale_dtype = t;
  Readback r;
  r.values.resize(size_t(rows * cols));
  portable_kernels().dequantize_rows(w, 0, rows, r.values.data());
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t g = 0; g < cols / group; ++g) r.scales.push_back(w.scale(i, g)), r.biases.push_back(w.bias(i, g));
  return r;
}

TEST(Quantize, HandWorkedGroupFollowsMlx) {
  // min -1 has the larger magnitude, so it is the exact edge: scale = 1.5 / 15 = 0.1, q0 = round(-1 / 0.1) = -10,
  // scale = -1 / -10 = 0.1, bias = -1. 0.5 is code 15; 0 is code 10 and reads back as exactly 0.
  std::vector<float> w(32, 0.0f);
  w[0] = -1.0f, w[1] = 0.5f, w[2] = 0.25f;
  const QuantizedMatrix q = quantize(w.data(), 1, 32, 4, 32, DType::F32);
  const Readback r = read_back(q, 1, 32, 4, 32, DType::F32);
  EXPECT_FLOAT_EQ(r.scales[0], 0.1f);
  EXPECT_FLOAT_EQ(r.biases[0], -1.0f);
  EXPECT_EQ(r.values[0], -1.0f);
  EXPECT_NEAR(r.values[1], 0.5f, 1e-6);
  EXPECT_NEAR(r.values[3], 0.0f, 1e-7);  // zero is representable: code 10 (up to f32 rounding of 0.1 * 10)
  // 0.25 = -1 + 12.5 * 0.1: rounds to a neighbour, within half a step.
  EXPECT_NEAR(r.values[2], 0.25f, 0.05f + 1e-6);
}

TEST(Quantize, MaxAsEdgeGivesANegativeScale) {
  std::vector<float> w(32, 0.0f);
  w[0] = 2.0f, w[1] = -0.5f;
  const QuantizedMatrix q = quantize(w.data(), 1, 32, 4, 32, DType::F32);
  const Readback r = read_back(q, 1, 32, 4, 32, DType::F32);
  EXPECT_LT(r.scales[0], 0.0f);
  EXPECT_EQ(r.biases[0], 2.0f);
  EXPECT_EQ(r.values[0], 2.0f);
}

class ErrorBound : public ::testing::TestWithParam<std::tuple<int, int, DType>> {};

TEST_P(ErrorBound, EveryValueWithinHalfAStepInsideTheRange) {
  const auto [bits, group, dtype] = GetParam();
  const int64_t rows = 64, cols = 256;
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.0f, 0.05f);
  std::vector<float> w(size_t(rows * cols));
  for (float& v : w) v = normal(rng);
  w[5] = 0.9f;  // an outlier, as real weights have
  const QuantizedMatrix q = quantize(w.data(), rows, cols, bits, group, dtype);
  const Readback r = read_back(q, rows, cols, bits, group, dtype);
  const float top = float((1 << bits) - 1);
  for (int64_t i = 0; i < rows * cols; ++i) {
    const size_t g = size_t(i / group);
    const float s = std::fabs(r.scales[g]);
    const float lo = std::min(r.biases[g], r.biases[g] + r.scales[g] * top);
    const float hi = std::max(r.biases[g], r.biases[g] + r.scales[g] * top);
    const float err = std::fabs(w[size_t(i)] - r.values[size_t(i)]);
    // 1e-5 * s: the f32 arithmetic of (w - bias) / scale and of scale * code + bias.
    if (w[size_t(i)] >= lo && w[size_t(i)] <= hi) {
      ASSERT_LE(err, s / 2 + 1e-5f * s) << i;
    }
    // Outside the range (MLX's snapped scale ends it short of the far extreme): at most one step with f32
    // scales. Storing scale and bias in bf16/f16 rounds each by half an ulp u (2^-9, 2^-11); with
    // |bias| <= top * |scale| that moves the far end by up to 2 * top * u steps. The bound allows twice that.
    const float u = dtype == DType::BF16 ? 1.0f / 512 : 1.0f / 2048;
    const float far = dtype == DType::F32 ? 1.0f : 1.0f + 4 * top * u;
    ASSERT_LE(err, s * far + 1e-5f * s) << i;
  }
}

INSTANTIATE_TEST_SUITE_P(BitsGroupsDtypes, ErrorBound,
                         ::testing::Combine(::testing::Values(4, 8), ::testing::Values(32, 64, 128),
                                            ::testing::Values(DType::F32, DType::BF16, DType::F16)));

TEST(Quantize, GroupThatDoesNotSplitIsAnError) {
  std::vector<float> w(96, 0.0f);
  EXPECT_THROW(quantize(w.data(), 1, 96, 4, 64, DType::F32), std::exception);
}

}  // namespace
}  // namespace glassbox
