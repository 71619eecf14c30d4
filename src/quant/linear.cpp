#include "quant/linear.h"

#include <omp.h>

#include <Eigen/Core>
#include <algorithm>
#include <optional>
#include <vector>

#include "base/error.h"
#include "quant/compute_mode.h"
#include "quant/int8_activations.h"

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
  WeightRef& r = l.w_;
  r.rows = rows;
  r.cols = cols;
  const TensorView& w = store.get(module + ".weight");
  r.data = w.data;
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
    r.format = WeightFormat::Quantized;
    r.scales = s.data;
    r.biases = b.data;
    r.scale_dtype = s.dtype;
    r.bits = quant.bits;
    r.group_size = quant.group_size;
    return l;
  }
  expect_shape(w, {rows, cols}, why);
  switch (w.dtype) {
    case DType::F32: r.format = WeightFormat::F32; break;
    case DType::F16: r.format = WeightFormat::F16; break;
    case DType::BF16: r.format = WeightFormat::BF16; break;
    default: fail("tensor '" + w.name + "' has dtype " + std::string(dtype_name(w.dtype)) + "; expected F32, F16 or BF16");
  }
  return l;
}

std::string Linear::format_name() const {
  switch (w_.format) {
    case WeightFormat::F32: return "f32";
    case WeightFormat::F16: return "f16";
    case WeightFormat::BF16: return "bf16";
    case WeightFormat::Quantized: return "q" + std::to_string(w_.bits) + "/g" + std::to_string(w_.group_size);
  }
  return "?";
}

size_t Linear::stored_bytes() const {
  size_t bytes = w_.row_bytes() * size_t(w_.rows);
  if (w_.format == WeightFormat::Quantized)
    bytes += 2 * size_t(w_.rows) * size_t(w_.cols / w_.group_size) * dtype_size(w_.scale_dtype);
  return bytes;
}

void Linear::dequantize_row(int64_t r, float* out) const { active_kernels().dequantize_rows(w_, r, r + 1, out); }

namespace {
// Below this many multiply-adds a product is not worth waking the other threads for.
constexpr int64_t kParallelWork = 1 << 15;
// Prefill dequantizes a panel of weight rows to f32 per thread and multiplies it with all of x. Eigen packs x
// again for every panel, so panels must be wide enough to amortize that: at 256 KiB (16 rows of a 4096-wide
// matrix) the packing took a fifth of prefill (llama3.2-1b 4-bit pp512: 44 t/s, against 57 at 4 MiB; more
// gained nothing). 4 MiB per thread, in L3.
constexpr int64_t kPanelBytes = 4 * 1024 * 1024;
constexpr int64_t kBlockRows = 16;  // thread shares and prefill panels are multiples of this many rows
// Up to this many rows of x (batched decoding) read the weights once with matmul_rows; more (prefill) go to
// the panel GEMM, whose dequantized panels and packing pay off only over many rows.
constexpr int64_t kSmallBatch = 16;

// The calling OpenMP thread's contiguous share [r0, r1) of `rows` rows.
std::pair<int64_t, int64_t> thread_share(int64_t rows) {
  const int64_t t = omp_get_thread_num(), threads = omp_get_num_threads();
  const int64_t r0 = rows * t / threads / kBlockRows * kBlockRows;
  return {r0, t + 1 == threads ? rows : rows * (t + 1) / threads / kBlockRows * kBlockRows};
}
}  // namespace

bool Linear::has_int8_path(const Kernels& kernels) const {
  return kernels.matmul_int8 && w_.format == WeightFormat::Quantized && (w_.bits == 4 || w_.bits == 8) &&
         w_.group_size % kInt8Block == 0;
}

void Linear::matmul_each(std::span<const Linear* const> linears, const float* x, int64_t n, std::span<float* const> ys,
                         const Kernels& kernels) {
  const WeightRef& first = linears.front()->w_;
  bool alike = true;  // one rounding of x to int8 serves them all, and all of them take the same path
  for (const Linear* l : linears)
    alike = alike && l->w_.cols == first.cols && l->w_.format == first.format && l->w_.bits == first.bits &&
            l->w_.group_size == first.group_size;
  if (!alike) {
    for (size_t i = 0; i < linears.size(); ++i) matmul_each(linears.subspan(i, 1), x, n, ys.subspan(i, 1), kernels);
    return;
  }
  const bool int8 = compute_mode() == ComputeMode::Fast && linears.front()->has_int8_path(kernels);
  if (n > 1 && !int8) {
    for (size_t i = 0; i < linears.size(); ++i) linears[i]->matmul_f32(x, n, ys[i], kernels);
    return;
  }
  std::optional<Int8Activations> rounded;
  if (int8) rounded.emplace(x, n, first.cols, first.bits, first.group_size);
  if (n > 1) {
    for (size_t i = 0; i < linears.size(); ++i) linears[i]->prefill_int8(rounded->rows(), ys[i], kernels);
    return;
  }
  // Decode: each thread streams its own contiguous share of every matrix's rows, all in one parallel region.
  int64_t work = 0;
  for (const Linear* l : linears) work += l->w_.rows * l->w_.cols;
#pragma omp parallel if (work >= kParallelWork)
  for (size_t i = 0; i < linears.size(); ++i) {
    const WeightRef& w = linears[i]->w_;
    const auto [r0, r1] = thread_share(w.rows);
    if (r1 > r0 && int8) kernels.matmul_int8(w, rounded->rows(), r0, r1, ys[i] + r0, w.rows);
    else if (r1 > r0) kernels.matvec(w, x, r0, r1, ys[i] + r0);
  }
}

void Linear::prefill_int8(const Int8Rows& a, float* y, const Kernels& kernels) const {
  const int64_t rows = w_.rows, n = a.n;
  // A panel of weight rows is repacked once per chunk of activation rows. 256 rows (for a 2048-wide matrix,
  // 512 KiB of codes: L2) ran a 2048x2048 4-bit product 5% faster than 64 on 2 threads; more gained nothing.
  constexpr int64_t kChunk = 256;
  const int64_t panels = (rows + kBlockRows - 1) / kBlockRows;
#pragma omp parallel for schedule(static) if (n * rows * w_.cols >= kParallelWork)
  for (int64_t p = 0; p < panels; ++p) {
    const int64_t r0 = p * kBlockRows, r1 = std::min(rows, r0 + kBlockRows);
    for (int64_t c = 0; c < n; c += kChunk)
      kernels.matmul_int8(w_, a.slice(c, std::min(kChunk, n - c)), r0, r1, y + c * rows + r0, rows);
  }
}

void Linear::matmul_f32(const float* x, int64_t n, float* y, const Kernels& kernels) const {
  using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const int64_t rows = w_.rows, cols = w_.cols;
  const bool parallel = n * rows * cols >= kParallelWork;
  if (n <= kSmallBatch) {  // batched decoding: the weights stream once for all rows, each thread its own share
#pragma omp parallel if (parallel)
    {
      const auto [r0, r1] = thread_share(rows);
      if (r1 > r0) kernels.matmul_rows(w_, x, n, r0, r1, y + r0, rows);
    }
    return;
  }
  Eigen::Map<const RowMajor> X(x, n, cols);
  Eigen::Map<RowMajor> Y(y, n, rows);
  if (w_.format == WeightFormat::F32) {  // already f32: Eigen's GEMM threads itself
    Eigen::Map<const RowMajor, Eigen::Unaligned> W(reinterpret_cast<const float*>(w_.data), rows, cols);
    Y.noalias() = X * W.transpose();
    return;
  }
  // As many panels as fit kPanelBytes, rounded up to a multiple of the threads so that each thread gets an
  // equal share (896x4864: 5 panels of 208 rows left one thread a third idle, 44 against 57 G multiply-adds/s).
  const int64_t widest = std::clamp<int64_t>(kPanelBytes / (cols * 4) / kBlockRows * kBlockRows, kBlockRows, 256);
  const int64_t threads = parallel ? omp_get_max_threads() : 1;
  const int64_t even_panels = ((rows + widest - 1) / widest + threads - 1) / threads * threads;
  const int64_t panel = ((rows + even_panels - 1) / even_panels + 3) / 4 * 4;
  const int64_t panels = (rows + panel - 1) / panel;
#pragma omp parallel if (parallel)
  {
    RowMajor block(std::min(panel, rows), cols);
#pragma omp for schedule(static)
    for (int64_t p = 0; p < panels; ++p) {
      const int64_t r0 = p * panel, nr = std::min(panel, rows - r0);
      kernels.dequantize_rows(w_, r0, r0 + nr, block.data());
      Y.middleCols(r0, nr).noalias() = X * block.topRows(nr).transpose();
    }
  }
}

}  // namespace glassbox
