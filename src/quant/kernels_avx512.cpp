// AVX-512 kernels. This file alone is compiled with AVX-512 enabled (see CMakeLists.txt), and its table is
// handed out only after the CPU has been asked, so the same binary still runs on older machines.
#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "quant/kernels.h"

namespace glassbox {
namespace {

// The x values one kernel step multiplies with.
struct XStep { __m512 a, b; };

inline XStep load_x16(const float* x, int64_t i) { return {_mm512_loadu_ps(x + i), _mm512_setzero_ps()}; }

// A row reader widens 16 stored weights at column i to f32 (load16), and multiply-adds one step of
// kStep weights with x (fma). Quantized readers also pick up their group's scale and bias (begin_group).
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

struct Q8Row : QuantRow {
  static constexpr int kStep = 16;
  using QuantRow::QuantRow;
  static XStep load_x(const float* x, int64_t i) { return load_x16(x, i); }
  __m512 load16(int64_t i) const {
    return affine(_mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i))));
  }
  __m512 fma(int64_t i, const XStep& x, __m512 acc) const { return _mm512_fmadd_ps(load16(i), x.a, acc); }
};

// 4-bit codes: byte k holds code 2k in its low nibble and code 2k+1 in its high nibble. The matvec step takes
// 32 codes at once as a vector of low nibbles (even columns) and one of high nibbles (odd columns), and
// splits x into even and odd columns to match; that split is shared by every row of the block.
struct Q4Row : QuantRow {
  static constexpr int kStep = 32;
  using QuantRow::QuantRow;
  static XStep load_x(const float* x, int64_t i) {
    const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
    const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
    const __m512 lo = _mm512_loadu_ps(x + i), hi = _mm512_loadu_ps(x + i + 16);
    return {_mm512_permutex2var_ps(lo, even, hi), _mm512_permutex2var_ps(lo, odd, hi)};
  }
  __m512 fma(int64_t i, const XStep& x, __m512 acc) const {
    const __m512i bytes = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i / 2)));
    const __m512i nibble = _mm512_set1_epi32(0xF);
    acc = _mm512_fmadd_ps(affine(_mm512_and_si512(bytes, nibble)), x.a, acc);
    return _mm512_fmadd_ps(affine(_mm512_srli_epi32(bytes, 4)), x.b, acc);
  }
  // In column order, for dequantize_rows: lane j takes byte j/2 shifted by 4 * (j % 2).
  __m512 load16(int64_t i) const {
    const __m512i bytes = _mm512_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p + i / 2)));
    const __m512i spread = _mm512_permutexvar_epi32(
        _mm512_set_epi32(7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0), bytes);
    const __m512i shifts = _mm512_set_epi32(4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0);
    return affine(_mm512_and_si512(_mm512_srlv_epi32(spread, shifts), _mm512_set1_epi32(0xF)));
  }
};

// Blocks of rows ahead that dot_rows prefetches: the hardware prefetcher stops at 4 KiB page boundaries,
// and a block of rows is only a few KiB.
constexpr int64_t kPrefetchBlocks = 4;

// R rows at once: each x step is loaded once for R rows, and R independent accumulators hide FMA latency.
// While it works it prefetches the rows kPrefetchBlocks blocks ahead, at the pace it consumes its own.
template <class Row, int R>
void dot_rows(const WeightRef& w, const float* x, int64_t r, float* y) {
  Row rows[R];
  __m512 acc[R];
  for (int j = 0; j < R; ++j) rows[j] = Row(w, r + j), acc[j] = _mm512_setzero_ps();
  const char* ahead = reinterpret_cast<const char*>(w.data) + size_t(r + kPrefetchBlocks * R) * w.row_bytes();
  const size_t ahead_end = size_t(std::max<int64_t>(0, w.rows - r - kPrefetchBlocks * R)) * w.row_bytes();  // inside W only
  const size_t per_step = size_t(R) * w.row_bytes() * Row::kStep / size_t(w.cols);
  size_t fetched = 0;
  const int64_t span = Row::kGrouped ? w.group_size : w.cols;
  for (int64_t g0 = 0, g = 0; g0 < w.cols; g0 += span, ++g) {
    for (int j = 0; j < R; ++j) rows[j].begin_group(g);
    for (int64_t i = g0; i < g0 + span; i += Row::kStep) {
      for (size_t b = 0; b < per_step; b += 64)
        if (fetched + b < ahead_end) _mm_prefetch(ahead + fetched + b, _MM_HINT_T0);
      fetched += per_step;
      const XStep xs = Row::load_x(x, i);
      for (int j = 0; j < R; ++j) acc[j] = rows[j].fma(i, xs, acc[j]);
    }
  }
  for (int j = 0; j < R; ++j) y[j] = _mm512_reduce_add_ps(acc[j]);
}

template <class Row>
void matvec_rows(const WeightRef& w, const float* x, int64_t r0, int64_t r1, float* y) {
  int64_t r = r0;
  for (; r + 4 <= r1; r += 4) dot_rows<Row, 4>(w, x, r, y + (r - r0));
  for (; r < r1; ++r) dot_rows<Row, 1>(w, x, r, y + (r - r0));
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
      return w.bits == 4 ? matvec_rows<Q4Row>(w, x, r0, r1, y) : matvec_rows<Q8Row>(w, x, r0, r1, y);
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
