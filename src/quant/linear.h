#pragma once
// A weight matrix W [rows = out features, cols = in features] kept in its stored precision (f32, f16, bf16,
// or MLX-style group-wise affine quantized codes) straight from the mmap'ed checkpoint, never copied to f32.
// Compute converts on the fly: y = x W^T with f32 activations.
#include <cstdint>
#include <span>
#include <string>

#include "model/config.h"
#include "core/safetensors.h"
#include "quant/kernels.h"

namespace glassbox {

class Linear {
 public:
  Linear() = default;

  // Reads "<module>.weight" (plus "<module>.scales" and "<module>.biases" when `quant.bits` > 0) and checks
  // their shapes against [rows, cols]; errors name the tensor and both shapes. The Linear points into the
  // store's memory map, so `store` must outlive it.
  static Linear load(const TensorStore& store, const std::string& module, int64_t rows, int64_t cols,
                     const QuantSpec& quant);

  // A Linear over weights someone else owns (tests, in-memory models); `w` must outlive it.
  static Linear wrap(const WeightRef& w) {
    Linear l;
    l.w_ = w;
    return l;
  }

  int64_t rows() const { return w_.rows; }
  int64_t cols() const { return w_.cols; }
  WeightFormat format() const { return w_.format; }
  std::string format_name() const;  // "f32", "bf16", "q4/g64", ...
  size_t stored_bytes() const;      // weight bytes plus scales and biases

  // y[n, rows] = x[n, cols] * W^T, all row-major f32, on every OpenMP thread, with `kernels`
  // (active_kernels() unless a test compares tables), in the compute mode set (compute_mode.h).
  void matmul(const float* x, int64_t n, float* y) const { matmul(x, n, y, active_kernels()); }
  void matmul(const float* x, int64_t n, float* y, const Kernels& kernels) const {
    const Linear* self = this;
    matmul_each({&self, 1}, x, n, {&y, 1}, kernels);
  }
  // ys[i] = x * W_i^T for matrices that read the same x (q, k and v; gate and up): decode streams them all in
  // one parallel region, and the fast mode rounds x to int8 once for all of them.
  static void matmul_each(std::span<const Linear* const> linears, const float* x, int64_t n, std::span<float* const> ys) {
    matmul_each(linears, x, n, ys, active_kernels());
  }
  static void matmul_each(std::span<const Linear* const> linears, const float* x, int64_t n, std::span<float* const> ys,
                          const Kernels& kernels);

  // Row r of W in f32 (an embedding lookup when W is the embedding table).
  void dequantize_row(int64_t r, float* out) const;

  const WeightRef& weights() const { return w_; }

  // Whether the fast compute mode changes how this matrix multiplies with `kernels`: 4- and 8-bit weights
  // whose groups are whole blocks of 32, and a table with int8 kernels.
  bool has_int8_path(const Kernels& kernels) const;

 private:
  void prefill_int8(const Int8Rows& x, float* y, const Kernels& kernels) const;  // fast mode, several rows of x
  void matmul_f32(const float* x, int64_t n, float* y, const Kernels& kernels) const;  // f32 compute, n > 1

  WeightRef w_;
};

}  // namespace glassbox
