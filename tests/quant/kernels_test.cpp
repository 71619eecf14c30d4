// Every vector table this CPU runs computes what the portable loops compute, up to f32 rounding, for every
// format; and Linear::matmul's decode (matvec) and prefill (panel GEMM) paths agree with each table.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>
#include <string>
#include <tuple>

#include "core/dtype.h"
#include "quant/compute_mode.h"
#include "quant/int8_activations.h"
#include "quant/kernels.h"
#include "quant/linear.h"
#include "quant/quantize.h"

namespace glassbox {
namespace {

// A random matrix stored in one format, with its exact f32 values (the stored values read back).
struct Stored {
  std::vector<unsigned char> data;
  QuantizedMatrix q;
  WeightRef ref;
  std::vector<float> exact;
};

struct Case {
  WeightFormat format;
  int bits, group;
  DType scale_dtype;
  std::string name() const {
    switch (format) {
      case WeightFormat::F32: return "f32";
      case WeightFormat::F16: return "f16";
      case WeightFormat::BF16: return "bf16";
      default: return "q" + std::to_string(bits) + "g" + std::to_string(group) + std::string(dtype_name(scale_dtype));
    }
  }
};

Stored make(const Case& c, int64_t rows, int64_t cols, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::vector<float> w(size_t(rows * cols));
  for (float& v : w) v = uniform(rng);
  Stored s;
  s.ref.format = c.format;
  s.ref.rows = rows, s.ref.cols = cols;
  if (c.format == WeightFormat::Quantized) {
    s.q = quantize(w.data(), rows, cols, c.bits, c.group, c.scale_dtype);
    s.ref.bits = c.bits, s.ref.group_size = c.group, s.ref.scale_dtype = c.scale_dtype;
    s.ref.data = s.q.codes.data(), s.ref.scales = s.q.scales.data(), s.ref.biases = s.q.biases.data();
  } else {
    const size_t width = c.format == WeightFormat::F32 ? 4 : 2;
    s.data.resize(w.size() * width);
    for (size_t i = 0; i < w.size(); ++i) {
      if (c.format == WeightFormat::F32) std::memcpy(s.data.data() + 4 * i, &w[i], 4);
      const uint16_t h = c.format == WeightFormat::BF16 ? f32_to_bf16(w[i]) : f32_to_f16(w[i]);
      if (width == 2) std::memcpy(s.data.data() + 2 * i, &h, 2);
    }
    s.ref.data = s.data.data();
  }
  s.exact.resize(w.size());
  portable_kernels().dequantize_rows(s.ref, 0, rows, s.exact.data());
  return s;
}

class Kernel : public ::testing::TestWithParam<std::tuple<const Kernels*, Case>> {
 protected:
  const Kernels& table() const { return *std::get<0>(GetParam()); }
  const Case& format() const { return std::get<1>(GetParam()); }
};

TEST_P(Kernel, DequantizeMatchesPortable) {
  const Stored s = make(format(), 37, 256, 1);
  std::vector<float> got(s.exact.size());
  table().dequantize_rows(s.ref, 0, 37, got.data());
  for (size_t i = 0; i < got.size(); ++i)
    // 1e-6 relative: the vector code computes scale * code + bias as one fused multiply-add.
    ASSERT_NEAR(got[i], s.exact[i], 1e-6f * std::max(1.0f, std::fabs(s.exact[i]))) << i;
}

TEST_P(Kernel, MatvecMatchesPortableAndF32) {
  const int64_t rows = 37, cols = 256;  // 37: blocks of 4 rows and a remainder
  const Stored s = make(format(), rows, cols, 2);
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::vector<float> x(static_cast<size_t>(cols)), fast(static_cast<size_t>(rows)), slow(static_cast<size_t>(rows));
  for (float& v : x) v = uniform(rng);
  table().matvec(s.ref, x.data(), 0, rows, fast.data());
  portable_kernels().matvec(s.ref, x.data(), 0, rows, slow.data());
  for (int64_t r = 0; r < rows; ++r) {
    double want = 0, magnitude = 0;
    for (int64_t i = 0; i < cols; ++i) {
      want += double(s.exact[size_t(r * cols + i)]) * double(x[size_t(i)]);
      magnitude += std::fabs(double(s.exact[size_t(r * cols + i)]) * double(x[size_t(i)]));
    }
    // f32 sums of 256 products in different orders: each within ~cols * 2^-24 of sum |w x|; 1e-5 leaves margin.
    EXPECT_NEAR(fast[size_t(r)], want, 1e-5 * magnitude) << r;
    EXPECT_NEAR(slow[size_t(r)], want, 1e-5 * magnitude) << r;
  }
}

TEST_P(Kernel, MatmulRowsMatchesPortable) {
  const int64_t rows = 37, cols = 512;  // 37: blocks of 4 rows and a remainder; 512: two column chunks
  const Stored s = make(format(), rows, cols, 10);
  for (const int64_t n : {2, 7}) {
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    std::vector<float> x(size_t(n * cols)), got(size_t(n * rows)), want(size_t(n * rows));
    for (float& v : x) v = uniform(rng);
    table().matmul_rows(s.ref, x.data(), n, 0, rows, got.data(), rows);
    portable_kernels().matmul_rows(s.ref, x.data(), n, 0, rows, want.data(), rows);
    for (int64_t t = 0; t < n; ++t)
      for (int64_t r = 0; r < rows; ++r) {
        double magnitude = 0;
        for (int64_t i = 0; i < cols; ++i) magnitude += std::fabs(double(s.exact[size_t(r * cols + i)]) * x[size_t(t * cols + i)]);
        // The same sum in two orders: f32 rounding only (as above).
        ASSERT_NEAR(got[size_t(t * rows + r)], want[size_t(t * rows + r)], 1e-5 * magnitude) << n << "," << t << "," << r;
      }
  }
}

TEST_P(Kernel, LinearDecodeAndPrefillAgree) {
  // 5 rows of x take the small-batch path, 40 the panel GEMM; 300 x 512 is large enough for the threads.
  const int64_t rows = 300, cols = 512;
  const Stored s = make(format(), rows, cols, 4);
  for (const int64_t n : {5, 40}) {
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    std::vector<float> x(static_cast<size_t>(n * cols));
    for (float& v : x) v = uniform(rng);
    const Linear linear = Linear::wrap(s.ref);
    std::vector<float> batched(static_cast<size_t>(n * rows)), single(static_cast<size_t>(rows));
    linear.matmul(x.data(), n, batched.data(), table());
    for (int64_t t = 0; t < n; ++t) {
      linear.matmul(x.data() + t * cols, 1, single.data(), table());
      for (int64_t r = 0; r < rows; ++r) {
        double magnitude = 0;
        for (int64_t i = 0; i < cols; ++i) magnitude += std::fabs(double(s.exact[size_t(r * cols + i)]) * x[size_t(t * cols + i)]);
        // The same sum in two summation orders (Eigen's blocked GEMM vs the matvec kernel): f32 rounding only.
        ASSERT_NEAR(batched[size_t(t * rows + r)], single[size_t(r)], 1e-5 * magnitude) << n << ":" << t << "," << r;
      }
    }
  }
}

TEST_P(Kernel, MatmulEachComputesWhatOneMatrixAtATimeDoes) {
  // q, k and v (gate and up) go through one call that shares the parallel region and the int8 rounding of x;
  // it must give the very numbers of one call per matrix, in both modes, and when the matrices differ in
  // format (each then takes its own path). 37 and 64 rows: thread shares that end mid-block.
  const int64_t cols = 512;
  const Case other = format().format == WeightFormat::Quantized ? Case{WeightFormat::F32, 0, 0, DType::F32}
                                                                : Case{WeightFormat::Quantized, 4, 64, DType::BF16};
  const Stored a = make(format(), 37, cols, 11), b = make(format(), 64, cols, 12), c = make(other, 21, cols, 13);
  const Linear la = Linear::wrap(a.ref), lb = Linear::wrap(b.ref), lc = Linear::wrap(c.ref);
  std::mt19937 rng(14);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  for (const ComputeMode mode : {ComputeMode::Exact, ComputeMode::Fast}) {
    const ComputeModeScope scope(mode);
    for (const int64_t n : {1, 5, 20}) {  // decode, batched decoding, prefill
      std::vector<float> x(size_t(n * cols));
      for (float& v : x) v = uniform(rng);
      std::vector<float> ya(size_t(n * 37)), yb(size_t(n * 64)), yc(size_t(n * 21));
      std::vector<float> want_a(ya.size()), want_b(yb.size()), want_c(yc.size());
      Linear::matmul_each(std::array{&la, &lb, &lc}, x.data(), n, std::array{ya.data(), yb.data(), yc.data()}, table());
      la.matmul(x.data(), n, want_a.data(), table());
      lb.matmul(x.data(), n, want_b.data(), table());
      lc.matmul(x.data(), n, want_c.data(), table());
      EXPECT_EQ(ya, want_a) << n;
      EXPECT_EQ(yb, want_b) << n;
      EXPECT_EQ(yc, want_c) << n;
    }
  }
}

// The fast mode: int8 activations (Int8Activations) times 4/8-bit codes.
class Int8Kernel : public Kernel {
 protected:
  // x[n, cols] with some large and some tiny blocks, so the per-block scales differ.
  static std::vector<float> activations(int64_t n, int64_t cols, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    std::vector<float> x(size_t(n * cols));
    for (size_t i = 0; i < x.size(); ++i) x[i] = uniform(rng) * ((i / 32) % 3 == 0 ? 8.0f : 0.05f);
    return x;
  }
};

TEST_P(Int8Kernel, MatchesPortableAndStaysNearExact) {
  const int64_t rows = 37, cols = 512;
  const Stored s = make(format(), rows, cols, 6);
  ASSERT_NE(table().matmul_int8, nullptr) << table().name << " has no int8 kernels";
  // 1 row of x: decode's row kernels; 5 and 7: prefill's tiles of 16 weight rows (37 leaves 5 rows to the row
  // kernels) with every count of x rows left after the passes of 3.
  for (const int64_t n : {1, 5, 7}) {
    const std::vector<float> x = activations(n, cols, 7);
    const Int8Activations a(x.data(), n, cols, format().bits, format().group);
    std::vector<float> got(size_t(n * rows)), want(size_t(n * rows));
    table().matmul_int8(s.ref, a.rows(), 0, rows, got.data(), rows);
    portable_kernels().matmul_int8(s.ref, a.rows(), 0, rows, want.data(), rows);
    for (int64_t t = 0; t < n; ++t)
      for (int64_t r = 0; r < rows; ++r) {
        double exact = 0, magnitude = 0, rounding = 0;
        for (int64_t i = 0; i < cols; ++i) {
          const double w = s.exact[size_t(r * cols + i)], v = x[size_t(t * cols + i)];
          float block_max = 0;
          for (int64_t j = i / 32 * 32; j < i / 32 * 32 + 32; ++j) block_max = std::max(block_max, std::fabs(x[size_t(t * cols + j)]));
          exact += w * v, magnitude += std::fabs(w * v);
          rounding += std::fabs(w) * block_max / 254.0;  // each activation moves by at most half a step, max/127
        }
        const size_t at = size_t(t * rows + r);
        // The integer dot products are exact in every table: only the f32 sums of the per-block terms differ.
        ASSERT_NEAR(got[at], want[at], 1e-5 * magnitude) << t << "," << r;
        // Fast vs exact: the activations' rounding bounds the difference (plus f32 rounding).
        ASSERT_NEAR(got[at], exact, rounding + 1e-5 * magnitude) << t << "," << r;
      }
  }
}

TEST_P(Int8Kernel, ExtremeCodesAndActivationsDoNotSaturate) {
  // Alternating extremes make every code 0 or 2^bits - 1 and every activation +-127: the largest pairs the
  // byte multiply-add meets. The integer sums must still be exact, in decode's row kernels (one row of x)
  // and in prefill's tiles (several), where 4-bit products add up in int16 over a whole block.
  const int64_t rows = 16, cols = 256;  // one tile of prefill
  std::vector<float> w(size_t(rows * cols));
  for (size_t i = 0; i < w.size(); ++i) w[i] = (i / 2 + i / 7) % 2 ? 1.0f : -1.0f;
  const QuantizedMatrix q = quantize(w.data(), rows, cols, format().bits, format().group, format().scale_dtype);
  WeightRef ref;
  ref.format = WeightFormat::Quantized, ref.rows = rows, ref.cols = cols;
  ref.bits = format().bits, ref.group_size = format().group, ref.scale_dtype = format().scale_dtype;
  ref.data = q.codes.data(), ref.scales = q.scales.data(), ref.biases = q.biases.data();
  for (const int64_t n : {1, 4}) {
    std::vector<float> x(size_t(n * cols));
    for (size_t i = 0; i < x.size(); ++i) x[i] = (i % cols) % 3 ? -1.0f : 1.0f;
    const Int8Activations a(x.data(), n, cols, format().bits, format().group);
    std::vector<float> got(size_t(n * rows)), want(size_t(n * rows));
    table().matmul_int8(ref, a.rows(), 0, rows, got.data(), rows);
    portable_kernels().matmul_int8(ref, a.rows(), 0, rows, want.data(), rows);
    for (int64_t i = 0; i < n * rows; ++i) ASSERT_NEAR(got[size_t(i)], want[size_t(i)], 1e-4f * cols) << n << ": " << i;  // f32 order only
  }
}

TEST_P(Int8Kernel, LinearUsesThemOnlyInFastMode) {
  const int64_t rows = 300, cols = 512, n = 5;
  const Stored s = make(format(), rows, cols, 8);
  const std::vector<float> x = activations(n, cols, 9);
  const Linear linear = Linear::wrap(s.ref);
  std::vector<float> exact(size_t(n * rows)), fast(size_t(n * rows)), fast_single(static_cast<size_t>(rows)), want(size_t(n * rows));
  linear.matmul(x.data(), n, exact.data(), table());
  {
    const ComputeModeScope mode(ComputeMode::Fast);
    linear.matmul(x.data(), n, fast.data(), table());
    linear.matmul(x.data(), 1, fast_single.data(), table());
  }
  const Int8Activations a(x.data(), n, cols, format().bits, format().group);
  portable_kernels().matmul_int8(s.ref, a.rows(), 0, rows, want.data(), rows);
  bool differs = false;
  for (int64_t i = 0; i < n * rows; ++i) {
    ASSERT_NEAR(fast[size_t(i)], want[size_t(i)], 1e-4f * (1 + std::fabs(want[size_t(i)]))) << i;  // f32 order only
    differs = differs || fast[size_t(i)] != exact[size_t(i)];
  }
  for (int64_t r = 0; r < rows; ++r) ASSERT_NEAR(fast_single[size_t(r)], want[size_t(r)], 1e-4f * (1 + std::fabs(want[size_t(r)])));
  EXPECT_TRUE(differs) << "fast mode computed exactly: the int8 path was not taken";
  EXPECT_EQ(compute_mode(), ComputeMode::Exact);
}

// A CPU without vector tables (not x86-64) leaves the suite empty; KernelDispatch below fails where that
// must not happen.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Kernel);
INSTANTIATE_TEST_SUITE_P(
    Tables, Kernel,
    ::testing::Combine(
        ::testing::ValuesIn(runnable_vector_kernels()),
        ::testing::Values(Case{WeightFormat::F32, 0, 0, DType::F32}, Case{WeightFormat::F16, 0, 0, DType::F32},
                          Case{WeightFormat::BF16, 0, 0, DType::F32}, Case{WeightFormat::Quantized, 4, 32, DType::BF16},
                          Case{WeightFormat::Quantized, 4, 64, DType::BF16}, Case{WeightFormat::Quantized, 4, 128, DType::F16},
                          Case{WeightFormat::Quantized, 8, 32, DType::F32}, Case{WeightFormat::Quantized, 8, 64, DType::BF16},
                          Case{WeightFormat::Quantized, 8, 128, DType::F16})),
    [](const ::testing::TestParamInfo<std::tuple<const Kernels*, Case>>& info) {
      return std::string(std::get<0>(info.param)->name) + "_" + std::get<1>(info.param).name();
    });

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Int8Kernel);
INSTANTIATE_TEST_SUITE_P(
    Tables, Int8Kernel,
    ::testing::Combine(
        ::testing::ValuesIn(runnable_vector_kernels()),
        ::testing::Values(Case{WeightFormat::Quantized, 4, 32, DType::BF16}, Case{WeightFormat::Quantized, 4, 64, DType::BF16},
                          Case{WeightFormat::Quantized, 4, 128, DType::F16}, Case{WeightFormat::Quantized, 8, 32, DType::F32},
                          Case{WeightFormat::Quantized, 8, 64, DType::BF16}, Case{WeightFormat::Quantized, 8, 128, DType::F16})),
    [](const ::testing::TestParamInfo<std::tuple<const Kernels*, Case>>& info) {
      return std::string(std::get<0>(info.param)->name) + "_" + std::get<1>(info.param).name();
    });

TEST(KernelDispatch, X86WithAvx2RunsAVectorTable) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (avx2) {
    ASSERT_NE(avx2_kernels(), nullptr) << "this CPU has AVX2 + FMA but gets no AVX2 table";
    EXPECT_FALSE(runnable_vector_kernels().empty());
  }
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")) {
    EXPECT_NE(avx512_kernels(), nullptr) << "this CPU has AVX-512 but gets no AVX-512 table";
  }
#endif
}

TEST(KernelDispatch, ActiveIsTheFastestRunnableTable) {
  const std::vector<const Kernels*> tables = runnable_vector_kernels();
  EXPECT_EQ(&active_kernels(), tables.empty() ? &portable_kernels() : tables.front());
}

}  // namespace
}  // namespace glassbox
