#pragma once
// A weight matrix W [rows = out features, cols = in features] kept in its stored precision (f32, f16, bf16,
// or MLX-style group-wise affine quantized codes) straight from the mmap'ed checkpoint, never copied to f32.
// Compute converts on the fly: y = x W^T with f32 activations.
#include <cstdint>
#include <string>

#include "core/config.h"
#include "core/safetensors.h"

namespace glassbox {

enum class WeightFormat { F32, F16, BF16, Quantized };

class Linear {
 public:
  Linear() = default;

  // Reads "<module>.weight" (plus "<module>.scales" and "<module>.biases" when `quant.bits` > 0) and checks
  // their shapes against [rows, cols]; errors name the tensor and both shapes.
  static Linear load(const TensorStore& store, const std::string& module, int64_t rows, int64_t cols,
                     const QuantSpec& quant);

  int64_t rows() const { return rows_; }
  int64_t cols() const { return cols_; }
  WeightFormat format() const { return format_; }
  int bits() const { return bits_; }
  int group_size() const { return group_size_; }
  std::string format_name() const;  // "f32", "bf16", "q4/g64", ...
  size_t stored_bytes() const;      // weight bytes plus scales and biases

  // y[n, rows] = x[n, cols] * W^T, all row-major f32.
  void matmul(const float* x, int64_t n, float* y) const;

  // Row r of W in f32 (an embedding lookup when W is the embedding table).
  void dequantize_row(int64_t r, float* out) const;

  // Raw access for kernels.
  const unsigned char* weight_data() const { return weight_; }
  const unsigned char* scales_data() const { return scales_; }
  const unsigned char* biases_data() const { return biases_; }
  DType scale_dtype() const { return scale_dtype_; }

 private:
  int64_t rows_ = 0, cols_ = 0;
  WeightFormat format_ = WeightFormat::F32;
  const unsigned char* weight_ = nullptr;
  const unsigned char* scales_ = nullptr;
  const unsigned char* biases_ = nullptr;
  DType scale_dtype_ = DType::F32;
  int bits_ = 0, group_size_ = 0;
};

}  // namespace glassbox
