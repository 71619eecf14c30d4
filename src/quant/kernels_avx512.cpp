// AVX-512 kernels. This file alone is compiled with AVX-512 enabled (see CMakeLists.txt), and its table is
// handed out only after the CPU has been asked, so the same binary still runs on older machines.
#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "quant/kernels.h"

namespace glassbox {
namespace {

// The x values one kernel step multiplies with.
struct XStep { __m512 a, b; };

inline XStep load_x16(const float* x, int64_t i) { return {_mm512_loadu_ps(x + i), _mm512_setzero_ps()}; }

// A row reader widens 16 stored weights at column i to f32 (load16); float readers also multiply-add one
// step of 16 weights with x (fma). Quantized readers pick up their group's scale and bias (begin_group).
struct FloatRow {
  static constexpr bool kGrouped = false;
  static constexpr int kStep = 16;
  static XStep load_x(const float* x, int64_t i) { return load_x16(x, i); }
  void begin_group(int64_t) {}
};

struct F32Row : FloatRow {
  const float* p = nullptr;
  F32Row() = default;
  F32Row(const WeightRef& w, int64_t r) : p(reinterpret_cast<const float*>(w.data + size_t(r) * w.row_bytes())) {}
  __m512 load16(int64_t i) const { return _mm512_loadu_ps(p + i); }
  __m512 fma(int64_t i, const XStep& x, __m512 acc) const { return _mm512_fmadd_ps(load16(i), x.a, acc); }
};

struct F16Row : FloatRow {
  const unsigned char* p = nullptr;
  F16Row() = default;
  F16Row(const WeightRef& w, int64_t r) : p(w.data + size_t(r) * w.row_bytes()) {}
  __m512 load16(int64_t i) const { return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 2 * i))); }
  __m512 fma(int64_t i, const XStep& x, __m512 acc) const { return _mm512_fmadd_ps(load16(i), x.a, acc); }
};

struct BF16Row : FloatRow {
  const unsigned char* p = nullptr;
  BF16Row() = default;
  BF16Row(const WeightRef& w, int64_t r) : p(w.data + size_t(r) * w.row_bytes()) {}
  // bf16 is the top half of an f32: widen to 32 bits and shift into place.
  __m512 load16(int64_t i) const {
    const __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 2 * i));
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
  }
  __m512 fma(int64_t i, const XStep& x, __m512 acc) const { return _mm512_fmadd_ps(load16(i), x.a, acc); }
};

struct QuantRow {
  static constexpr bool kGrouped = true;
  const unsigned char* p = nullptr;
  const unsigned char *scales = nullptr, *biases = nullptr;  // this row's
  DType dtype = DType::F32;
  __m512 scale = _mm512_setzero_ps(), bias = _mm512_setzero_ps();
  QuantRow() = default;
  QuantRow(const WeightRef& w, int64_t r)
      : p(w.data + size_t(r) * w.row_bytes()),
        scales(w.scales + size_t(r * (w.cols / w.group_size)) * dtype_size(w.scale_dtype)),
        biases(w.biases + size_t(r * (w.cols / w.group_size)) * dtype_size(w.scale_dtype)),
        dtype(w.scale_dtype) {}
  // Inline scalar conversions: this runs once per group and row, often enough that a call would show.
  float scalar(const unsigned char* base, int64_t g) const {
    switch (dtype) {
      case DType::BF16: return bf16_to_f32(load_u16(base + 2 * g));
      case DType::F16: return _cvtsh_ss(load_u16(base + 2 * g));
      default: { float f; std::memcpy(&f, base + 4 * g, 4); return f; }
    }
  }
  void begin_group(int64_t g) { scale = _mm512_set1_ps(scalar(scales, g)); bias = _mm512_set1_ps(scalar(biases, g)); }
  __m512 affine(__m512i codes) const { return _mm512_fmadd_ps(_mm512_cvtepi32_ps(codes), scale, bias); }
};

// Quantized readers for dequantize_rows (prefill panels); the matvec has its own loop (quant_dot_rows).
struct Q8Row : QuantRow {
  using QuantRow::QuantRow;
  __m512 load16(int64_t i) const {
    return affine(_mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i))));
  }
};

// 4-bit codes: byte k holds code 2k in its low nibble and code 2k+1 in its high nibble.
struct Q4Row : QuantRow {
  using QuantRow::QuantRow;
  // In column order: lane j takes byte j/2 shifted by 4 * (j % 2).
  __m512 load16(int64_t i) const {
    const __m512i bytes = _mm512_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p + i / 2)));
    const __m512i spread = _mm512_permutexvar_epi32(
        _mm512_set_epi32(7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0), bytes);
    const __m512i shifts = _mm512_set_epi32(4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0);
    return affine(_mm512_and_si512(_mm512_srlv_epi32(spread, shifts), _mm512_set1_epi32(0xF)));
  }
};

// How far ahead of its rows a matvec prefetches: the hardware prefetcher stops at 4 KiB page boundaries, so
// without help every new page starts with a full memory latency. Measured best at about 16 KiB.
constexpr size_t kPrefetchBytes = 16 * 1024;

// Prefetches the weights kPrefetchBytes ahead of a block of `rows_in_block` rows starting at row r, at the
// pace the block consumes its own: call step() once per step of `step_cols` columns.
class Prefetcher {
 public:
  Prefetcher(const WeightRef& w, int64_t r, int rows_in_block, int step_cols)
      : per_step_(size_t(rows_in_block) * w.row_bytes() * size_t(step_cols) / size_t(w.cols)) {
    const size_t start = size_t(r) * w.row_bytes() + kPrefetchBytes, end = size_t(w.rows) * w.row_bytes();
    ahead_ = reinterpret_cast<const char*>(w.data) + start;
    left_ = end > start ? end - start : 0;  // never past the end of W
  }
  void step() {
    for (size_t b = 0; b < per_step_; b += 64)
      if (fetched_ + b < left_) _mm_prefetch(ahead_ + fetched_ + b, _MM_HINT_T0);
    fetched_ += per_step_;
  }

 private:
  size_t per_step_, fetched_ = 0, left_;
  const char* ahead_;
};

// R rows at once: each x step is loaded once for R rows, and R independent accumulators hide FMA latency.
template <class Row, int R>
void dot_rows(const WeightRef& w, const float* x, int64_t r, float* y) {
  Row rows[R];
  __m512 acc[R];
  for (int j = 0; j < R; ++j) rows[j] = Row(w, r + j), acc[j] = _mm512_setzero_ps();
  Prefetcher prefetch(w, r, R, Row::kStep);
  for (int64_t i = 0; i < w.cols; i += Row::kStep) {
    prefetch.step();
    const XStep xs = Row::load_x(x, i);
    for (int j = 0; j < R; ++j) acc[j] = rows[j].fma(i, xs, acc[j]);
  }
  for (int j = 0; j < R; ++j) y[j] = _mm512_reduce_add_ps(acc[j]);
}

template <class Row>
void matvec_rows(const WeightRef& w, const float* x, int64_t r0, int64_t r1, float* y) {
  int64_t r = r0;
  for (; r + 4 <= r1; r += 4) dot_rows<Row, 4>(w, x, r, y + (r - r0));
  for (; r < r1; ++r) dot_rows<Row, 1>(w, x, r, y + (r - r0));
}

// n values of a float dtype to f32.
void widen(DType t, const unsigned char* src, int64_t n, float* dst) {
  if (t == DType::F32) { std::memcpy(dst, src, size_t(n) * 4); return; }
  for (int64_t i = 0; i < n; i += 16) {
    const __mmask16 m = n - i >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << (n - i)) - 1);
    const __m256i h = _mm256_maskz_loadu_epi16(m, src + 2 * i);
    const __m512 f = t == DType::F16 ? _mm512_cvtph_ps(h) : _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
    _mm512_mask_storeu_ps(dst + i, m, f);
  }
}

// x[i, i + 32) split into even and odd columns, to meet 4-bit codes as low and high nibbles; the split is
// shared by every row of a block.
XStep load_x_even_odd(const float* x, int64_t i) {
  const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
  const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
  const __m512 lo = _mm512_loadu_ps(x + i), hi = _mm512_loadu_ps(x + i + 16);
  return {_mm512_permutex2var_ps(lo, even, hi), _mm512_permutex2var_ps(lo, odd, hi)};
}

// Quantized rows, with the affine map taken out of the inner loop: a row's dot product is
//   sum_g scale_g * (sum_{i in g} code_i x_i) + sum_g bias_g * (sum_{i in g} x_i),
// so the inner loop only widens codes and multiply-adds; scales apply once per group and the biases meet
// the per-group sums of x (xsum) once per row. `scales` and `biases` hold the block's rows as f32,
// [R, groups] each.
template <int Bits, int R>
void quant_dot_rows(const WeightRef& w, const float* x, const float* xsum, const float* scales, const float* biases,
                    int64_t r, float* y) {
  constexpr int kStep = Bits == 4 ? 32 : 16;
  const int64_t groups = w.cols / w.group_size;
  const unsigned char* p[R];
  __m512 acc[R];
  for (int j = 0; j < R; ++j) p[j] = w.data + size_t(r + j) * w.row_bytes(), acc[j] = _mm512_setzero_ps();
  Prefetcher prefetch(w, r, R, kStep);
  const __m512i nibble = _mm512_set1_epi32(0xF);
  for (int64_t g = 0; g < groups; ++g) {
    __m512 part[R];
    for (int j = 0; j < R; ++j) part[j] = _mm512_setzero_ps();
    for (int64_t i = g * w.group_size; i < (g + 1) * w.group_size; i += kStep) {
      prefetch.step();
      if constexpr (Bits == 8) {
        const __m512 xv = _mm512_loadu_ps(x + i);
        for (int j = 0; j < R; ++j) {
          const __m512i c = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p[j] + i)));
          part[j] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(c), xv, part[j]);
        }
      } else {
        const XStep xs = load_x_even_odd(x, i);
        for (int j = 0; j < R; ++j) {
          const __m512i bytes = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p[j] + i / 2)));
          part[j] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_and_si512(bytes, nibble)), xs.a, part[j]);
          part[j] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_srli_epi32(bytes, 4)), xs.b, part[j]);
        }
      }
    }
    for (int j = 0; j < R; ++j) acc[j] = _mm512_fmadd_ps(part[j], _mm512_set1_ps(scales[j * groups + g]), acc[j]);
  }
  for (int j = 0; j < R; ++j) {
    float bias_sum = 0;
    for (int64_t g = 0; g < groups; ++g) bias_sum += biases[j * groups + g] * xsum[g];
    y[j] = _mm512_reduce_add_ps(acc[j]) + bias_sum;
  }
}

// Rows per quantized block: 8 ran faster with the matrix in cache but slower streaming from memory.
constexpr int kQuantBlock = 4;

template <int Bits>
void quant_matvec(const WeightRef& w, const float* x, int64_t r0, int64_t r1, float* y) {
  const int64_t groups = w.cols / w.group_size;
  const size_t sbytes = dtype_size(w.scale_dtype);
  std::vector<float> xsum(static_cast<size_t>(groups)), scales(size_t(kQuantBlock * groups)), biases(size_t(kQuantBlock * groups));
  for (int64_t g = 0; g < groups; ++g) {
    __m512 sum = _mm512_setzero_ps();
    for (int64_t i = g * w.group_size; i < (g + 1) * w.group_size; i += 16) sum = _mm512_add_ps(sum, _mm512_loadu_ps(x + i));
    xsum[size_t(g)] = _mm512_reduce_add_ps(sum);
  }
  for (int64_t r = r0; r < r1;) {
    const int64_t n = r + kQuantBlock <= r1 ? kQuantBlock : 1;
    widen(w.scale_dtype, w.scales + size_t(r * groups) * sbytes, n * groups, scales.data());
    widen(w.scale_dtype, w.biases + size_t(r * groups) * sbytes, n * groups, biases.data());
    if (n == kQuantBlock) quant_dot_rows<Bits, kQuantBlock>(w, x, xsum.data(), scales.data(), biases.data(), r, y + (r - r0));
    else quant_dot_rows<Bits, 1>(w, x, xsum.data(), scales.data(), biases.data(), r, y + (r - r0));
    r += n;
  }
}

template <class Row>
void dequantize_with(const WeightRef& w, int64_t r0, int64_t r1, float* out) {
  const int64_t span = Row::kGrouped ? w.group_size : w.cols;
  for (int64_t r = r0; r < r1; ++r, out += w.cols) {
    Row row(w, r);
    for (int64_t g0 = 0, g = 0; g0 < w.cols; g0 += span, ++g) {
      row.begin_group(g);
      for (int64_t i = g0; i < g0 + span; i += 16) _mm512_storeu_ps(out + i, row.load16(i));
    }
  }
}

// Shapes the vector loops cover: whole steps per row and per group; anything else goes to the portable loops.
bool vectorizable(const WeightRef& w) {
  if (w.format != WeightFormat::Quantized) return w.cols % 16 == 0;
  return (w.bits == 4 && w.group_size % 32 == 0) || (w.bits == 8 && w.group_size % 16 == 0);
}

void matvec(const WeightRef& w, const float* x, int64_t r0, int64_t r1, float* y) {
  if (!vectorizable(w)) return portable_kernels().matvec(w, x, r0, r1, y);
  switch (w.format) {
    case WeightFormat::F32: return matvec_rows<F32Row>(w, x, r0, r1, y);
    case WeightFormat::F16: return matvec_rows<F16Row>(w, x, r0, r1, y);
    case WeightFormat::BF16: return matvec_rows<BF16Row>(w, x, r0, r1, y);
    case WeightFormat::Quantized:
      return w.bits == 4 ? quant_matvec<4>(w, x, r0, r1, y) : quant_matvec<8>(w, x, r0, r1, y);
  }
}

void dequantize_rows(const WeightRef& w, int64_t r0, int64_t r1, float* out) {
  if (!vectorizable(w)) return portable_kernels().dequantize_rows(w, r0, r1, out);
  switch (w.format) {
    case WeightFormat::F32: return dequantize_with<F32Row>(w, r0, r1, out);
    case WeightFormat::F16: return dequantize_with<F16Row>(w, r0, r1, out);
    case WeightFormat::BF16: return dequantize_with<BF16Row>(w, r0, r1, out);
    case WeightFormat::Quantized:
      return w.bits == 4 ? dequantize_with<Q4Row>(w, r0, r1, out) : dequantize_with<Q8Row>(w, r0, r1, out);
  }
}

constexpr Kernels kAvx512{"avx512", matvec, dequantize_rows};

}  // namespace

const Kernels* avx512_kernels() {
  static const bool ok = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                         __builtin_cpu_supports("avx512vl");
  return ok ? &kAvx512 : nullptr;
}

}  // namespace glassbox
