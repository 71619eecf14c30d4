#include "quant/linear.h"

#include <Eigen/Core>
#include <algorithm>
#include <vector>

#include "core/error.h"
#include "quant/packing.h"

namespace glassbox {

namespace {
void expect_shape(const TensorView& t, std::initializer_list<int64_t> want, const std::string& what) {
  const std::vector<int64_t> w(want);
  if (t.shape != w) {
    std::string ws = "[";
    for (size_t i = 0; i < w.size(); ++i) ws += (i ? ", " : "") + std::to_string(w[i]);
    fail("tensor '" + t.name + "' has shape " + t.shape_string() + " but " + what + " needs " + ws + "]");
  }
}
}  // namespace

Linear Linear::load(const TensorStore& store, const std::string& module, int64_t rows, int64_t cols,
                    const QuantSpec& quant) {
  Linear l;
  l.rows_ = rows;
  l.cols_ = cols;
  const TensorView& w = store.get(module + ".weight");
  l.weight_ = w.data;
  const std::string why = "config.json";
  if (quant.bits > 0 && w.dtype == DType::U32) {
    if (cols % quant.group_size != 0 || (cols * quant.bits) % 32 != 0)
      fail("tensor '" + w.name + "': " + std::to_string(cols) + " columns do not split into groups of " +
           std::to_string(quant.group_size));
    expect_shape(w, {rows, cols * quant.bits / 32}, why + " (" + std::to_string(quant.bits) + "-bit)");
    const TensorView& s = store.get(module + ".scales");
    const TensorView& b = store.get(module + ".biases");
    expect_shape(s, {rows, cols / quant.group_size}, why);
    expect_shape(b, {rows, cols / quant.group_size}, why);
    if (s.dtype != b.dtype || (s.dtype != DType::F32 && s.dtype != DType::F16 && s.dtype != DType::BF16))
      fail("tensor '" + s.name + "': scales and biases must share one float dtype");
    l.format_ = WeightFormat::Quantized;
    l.scales_ = s.data;
    l.biases_ = b.data;
    l.scale_dtype_ = s.dtype;
    l.bits_ = quant.bits;
    l.group_size_ = quant.group_size;
    return l;
  }
  expect_shape(w, {rows, cols}, why);
  switch (w.dtype) {
    case DType::F32: l.format_ = WeightFormat::F32; break;
    case DType::F16: l.format_ = WeightFormat::F16; break;
    case DType::BF16: l.format_ = WeightFormat::BF16; break;
    default: fail("tensor '" + w.name + "' has dtype " + std::string(dtype_name(w.dtype)) + "; expected F32, F16 or BF16");
  }
  return l;
}

std::string Linear::format_name() const {
  switch (format_) {
    case WeightFormat::F32: return "f32";
    case WeightFormat::F16: return "f16";
    case WeightFormat::BF16: return "bf16";
    case WeightFormat::Quantized: return "q" + std::to_string(bits_) + "/g" + std::to_string(group_size_);
  }
  return "?";
}

size_t Linear::stored_bytes() const {
  const size_t n = size_t(rows_) * size_t(cols_);
  switch (format_) {
    case WeightFormat::F32: return n * 4;
    case WeightFormat::F16: case WeightFormat::BF16: return n * 2;
    case WeightFormat::Quantized:
      return n * size_t(bits_) / 8 + 2 * size_t(rows_) * size_t(cols_ / group_size_) * dtype_size(scale_dtype_);
  }
  return 0;
}

void Linear::dequantize_row(int64_t r, float* out) const {
  switch (format_) {
    case WeightFormat::F32: to_f32(DType::F32, weight_ + size_t(r * cols_) * 4, out, size_t(cols_)); return;
    case WeightFormat::F16: to_f32(DType::F16, weight_ + size_t(r * cols_) * 2, out, size_t(cols_)); return;
    case WeightFormat::BF16: to_f32(DType::BF16, weight_ + size_t(r * cols_) * 2, out, size_t(cols_)); return;
    case WeightFormat::Quantized: {
      const int64_t groups = cols_ / group_size_;
      const size_t sbytes = dtype_size(scale_dtype_);
      std::vector<float> scales(static_cast<size_t>(groups)), biases(static_cast<size_t>(groups));
      to_f32(scale_dtype_, scales_ + size_t(r * groups) * sbytes, scales.data(), scales.size());
      to_f32(scale_dtype_, biases_ + size_t(r * groups) * sbytes, biases.data(), biases.size());
      const unsigned char* codes = weight_ + size_t(r) * size_t(cols_ * bits_ / 8);
      dequantize_codes(codes, bits_, group_size_, cols_, scales.data(), biases.data(), out);
      return;
    }
  }
}

void Linear::matmul(const float* x, int64_t n, float* y) const {
  using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::Map<const RowMajor> X(x, n, cols_);
  Eigen::Map<RowMajor> Y(y, n, rows_);
  if (format_ == WeightFormat::F32) {
    Eigen::Map<const RowMajor, Eigen::Unaligned> W(reinterpret_cast<const float*>(weight_), rows_, cols_);
    Y.noalias() = X * W.transpose();
    return;
  }
  // Other precisions: dequantize a block of rows at a time into a scratch buffer that stays in cache.
  constexpr int64_t kBlock = 64;
  RowMajor block(std::min(kBlock, rows_), cols_);
  for (int64_t r0 = 0; r0 < rows_; r0 += kBlock) {
    const int64_t nr = std::min(kBlock, rows_ - r0);
    for (int64_t r = 0; r < nr; ++r) dequantize_row(r0 + r, block.row(r).data());
    Y.middleCols(r0, nr).noalias() = X * block.topRows(nr).transpose();
  }
}

}  // namespace glassbox
