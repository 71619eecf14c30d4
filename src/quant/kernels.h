#pragma once
// The inner loops of Linear, in one table per instruction set. Decode multiplies one activation row by the
// weights, so it is bound by how fast the weights stream from memory: the matvec kernels read each weight
// once, widen it to f32 in registers and FMA. Prefill multiplies many rows and is bound by arithmetic: it
// dequantizes a panel of weight rows to f32 (dequantize_rows) and hands the panel to a blocked GEMM.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/dtype.h"

namespace glassbox {

enum class WeightFormat { F32, F16, BF16, Quantized };

// One weight matrix as the kernels see it: read-only data straight from the mmap'ed checkpoint.
struct WeightRef {
  WeightFormat format = WeightFormat::F32;
  int64_t rows = 0, cols = 0;
  int bits = 0, group_size = 0;          // Quantized only
  const unsigned char* data = nullptr;   // row r starts at data + r * row_bytes()
  const unsigned char* scales = nullptr; // [rows, cols / group_size] of scale_dtype
  const unsigned char* biases = nullptr;
  DType scale_dtype = DType::F32;

  size_t row_bytes() const {
    return format == WeightFormat::Quantized ? size_t(cols) * size_t(bits) / 8
                                             : size_t(cols) * (format == WeightFormat::F32 ? 4 : 2);
  }
  float scale(int64_t r, int64_t g) const;
  float bias(int64_t r, int64_t g) const;
};

// Rows of activations rounded to int8 for the fast compute mode (see compute_mode.h): per block of 32
// values, x ~ scale * code with codes in [-127, 127] (llama.cpp's Q8_0). Within each block the codes are
// stored in the order the weights' codes unpack to: for 4-bit weights the 16 even columns, then the 16 odd
// ones; for 8-bit weights in column order.
struct Int8Rows {
  int64_t n = 0, cols = 0;
  int group_size = 0;            // of the weights they meet
  const int8_t* codes = nullptr;  // [n, cols]
  const float* scales = nullptr;  // [n, cols / 32]
  const float* sums = nullptr;    // [n, cols / group_size]: sum of x over each weight group
  const float* code_sums = nullptr;  // [n, cols / group_size]: sum of scale * code over each weight group

  Int8Rows slice(int64_t first, int64_t count) const {  // rows [first, first + count)
    const int64_t blocks = cols / 32, groups = cols / group_size;
    return {count, cols, group_size, codes + first * cols, scales + first * blocks, sums + first * groups,
            code_sums + first * groups};
  }
};
constexpr int64_t kInt8Block = 32;

struct Kernels {
  const char* name;
  // y[r - r0] = dot(row r of W, x) for r in [r0, r1).
  void (*matvec)(const WeightRef& w, const float* x, int64_t r0, int64_t r1, float* y);
  // out[(r - r0) * cols + i] = W[r, i] in f32 for r in [r0, r1).
  void (*dequantize_rows)(const WeightRef& w, int64_t r0, int64_t r1, float* out);
  // A few rows of x (batched decoding): y[t * ldy + (r - r0)] = dot(row r of W, row t of x[n, cols]) for r in
  // [r0, r1), reading each weight once for all n rows.
  void (*matmul_rows)(const WeightRef& w, const float* x, int64_t n, int64_t r0, int64_t r1, float* y, int64_t ldy);
  // Fast mode, 4- and 8-bit weights whose groups are whole blocks of 32 (null where a table has none):
  // y[t * ldy + (r - r0)] = sum_g scale_g * sum_{blocks k of g} x.scales[k] * (codes of row r . x.codes)_k
  //                         + sum_g bias_g * x.sums[g]      for every row t of x and r in [r0, r1).
  // The integer dot products are exact, so tables differ from each other only in f32 summation order.
  void (*matmul_int8)(const WeightRef& w, const Int8Rows& x, int64_t r0, int64_t r1, float* y, int64_t ldy);
};

// Scalar C++ that any compiler and CPU runs; the reference the vector kernels are tested against.
const Kernels& portable_kernels();
// AVX-512 (F, BW, VL) with FMA and F16C; null when this CPU lacks the instructions.
const Kernels* avx512_kernels();

// Whether the CPU converts f16 in hardware (cpuid, since clang 14 has no "f16c" for __builtin_cpu_supports).
bool cpu_has_f16c();
// AVX2 with FMA and F16C; null when this CPU lacks the instructions.
const Kernels* avx2_kernels();
// The vector tables this CPU runs, fastest first (empty on CPUs with none). In every table, quantized widths
// other than 4 and 8 bits and rows that do not split into whole vector steps go to the portable loops.
std::vector<const Kernels*> runnable_vector_kernels();
// The fastest table this CPU runs, chosen once at first use; GLASSBOX_KERNELS=portable (or the name of
// another runnable table) forces that one.
const Kernels& active_kernels();

// This thread's scratch buffer of at least `floats` floats, for the vector kernels, which are compiled for
// their instruction set and so must not instantiate standard containers (see kernels_vector.h).
float* kernel_scratch(size_t floats);

}  // namespace glassbox
