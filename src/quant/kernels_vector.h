#pragma once
// The vector kernels, written once over a vector width: kernels_avx512.cpp and kernels_avx2.cpp each define
// `struct Isa` (one register of kLanes floats and the few operations below need) and include this file
// inside their anonymous namespace, so every template here is compiled once per instruction set, in a
// translation unit built for it, and no symbol of one set can stand in for another's at link time.
// For the same reason nothing here instantiates a standard-library template: scratch memory comes from
// kernel_scratch(), which lives in a file compiled for any CPU.
//
// Isa provides: F (a register of kLanes floats), kLanes, zero, set1, load, store, fma, add, reduce;
// load_f16 / load_bf16 (kLanes stored halves at p), load_u8 (kLanes bytes as integers, to float),
// load_q4_columns (kLanes 4-bit codes in column order from kLanes / 2 bytes), load_q4_even_odd (2 kLanes
// codes from kLanes bytes: low nibbles, high nibbles) and load_x_even_odd (2 kLanes x values split into even
// and odd columns, to meet the nibbles).

// A row reader widens kLanes stored weights at column i to f32 (load); quantized readers first pick up their
// group's scale and bias (begin_group).
struct FloatRow {
  static constexpr bool kGrouped = false;
  void begin_group(int64_t) {}
};

struct F32Row : FloatRow {
  const float* p = nullptr;
  F32Row() = default;
  F32Row(const WeightRef& w, int64_t r) : p(reinterpret_cast<const float*>(w.data + size_t(r) * w.row_bytes())) {}
  Isa::F load(int64_t i) const { return Isa::load(p + i); }
};

struct F16Row : FloatRow {
  const unsigned char* p = nullptr;
  F16Row() = default;
  F16Row(const WeightRef& w, int64_t r) : p(w.data + size_t(r) * w.row_bytes()) {}
  Isa::F load(int64_t i) const { return Isa::load_f16(p + 2 * i); }
};

struct BF16Row : FloatRow {
  const unsigned char* p = nullptr;
  BF16Row() = default;
  BF16Row(const WeightRef& w, int64_t r) : p(w.data + size_t(r) * w.row_bytes()) {}
  Isa::F load(int64_t i) const { return Isa::load_bf16(p + 2 * i); }
};

// One scale or bias as f32; inline, since it runs once per group and row, often enough that a call would show.
inline float stored_scalar(DType t, const unsigned char* base, int64_t i) {
  switch (t) {
    case DType::BF16: return bf16_to_f32(load_u16(base + 2 * i));
    case DType::F16: return Isa::f16_scalar(load_u16(base + 2 * i));
    default: { float f; std::memcpy(&f, base + 4 * i, 4); return f; }
  }
}

template <int Bits>
struct QuantRow {
  static constexpr bool kGrouped = true;
  const unsigned char* p = nullptr;
  const unsigned char *scales = nullptr, *biases = nullptr;  // this row's
  DType dtype = DType::F32;
  Isa::F scale = Isa::zero(), bias = Isa::zero();
  QuantRow() = default;
  QuantRow(const WeightRef& w, int64_t r)
      : p(w.data + size_t(r) * w.row_bytes()),
        scales(w.scales + size_t(r * (w.cols / w.group_size)) * dtype_size(w.scale_dtype)),
        biases(w.biases + size_t(r * (w.cols / w.group_size)) * dtype_size(w.scale_dtype)),
        dtype(w.scale_dtype) {}
  void begin_group(int64_t g) {
    scale = Isa::set1(stored_scalar(dtype, scales, g));
    bias = Isa::set1(stored_scalar(dtype, biases, g));
  }
  Isa::F load(int64_t i) const {
    const Isa::F codes = Bits == 4 ? Isa::load_q4_columns(p + i / 2) : Isa::load_u8(p + i);
    return Isa::fma(codes, scale, bias);
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

// R float rows at once: each x step is loaded once for R rows, and R independent accumulators hide FMA latency.
template <class Row, int R>
void dot_rows(const WeightRef& w, const float* x, int64_t r, float* y) {
  Row rows[R];
  Isa::F acc[R];
  for (int j = 0; j < R; ++j) rows[j] = Row(w, r + j), acc[j] = Isa::zero();
  Prefetcher prefetch(w, r, R, Isa::kLanes);
  for (int64_t i = 0; i < w.cols; i += Isa::kLanes) {
    prefetch.step();
    const Isa::F xs = Isa::load(x + i);
    for (int j = 0; j < R; ++j) acc[j] = Isa::fma(rows[j].load(i), xs, acc[j]);
  }
  for (int j = 0; j < R; ++j) y[j] = Isa::reduce(acc[j]);
}

template <class Row>
void matvec_rows(const WeightRef& w, const float* x, int64_t r0, int64_t r1, float* y) {
  int64_t r = r0;
  for (; r + 4 <= r1; r += 4) dot_rows<Row, 4>(w, x, r, y + (r - r0));
  for (; r < r1; ++r) dot_rows<Row, 1>(w, x, r, y + (r - r0));
}

// sum_i a[i] * b[i] over n floats: the per-group terms (biases times sums of x) of a row.
inline float dot(const float* a, const float* b, int64_t n) {
  Isa::F acc = Isa::zero();
  int64_t i = 0;
  for (; i + Isa::kLanes <= n; i += Isa::kLanes) acc = Isa::fma(Isa::load(a + i), Isa::load(b + i), acc);
  float sum = Isa::reduce(acc);
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

// n values of a float dtype to f32.
inline void widen(DType t, const unsigned char* src, int64_t n, float* dst) {
  if (t == DType::F32) { std::memcpy(dst, src, size_t(n) * 4); return; }
  int64_t i = 0;
  for (; i + Isa::kLanes <= n; i += Isa::kLanes)
    Isa::store(dst + i, t == DType::F16 ? Isa::load_f16(src + 2 * i) : Isa::load_bf16(src + 2 * i));
  for (; i < n; ++i) dst[i] = stored_scalar(t, src, i);
}

// Quantized rows, with the affine map taken out of the inner loop: a row's dot product is
//   sum_g scale_g * (sum_{i in g} code_i x_i) + sum_g bias_g * (sum_{i in g} x_i),
// so the inner loop only widens codes and multiply-adds; scales apply once per group and the biases meet
// the per-group sums of x (xsum) once per row. `scales` and `biases` hold the block's rows as f32,
// [R, groups] each.
template <int Bits, int R>
[[gnu::noinline]] void quant_dot_rows(const WeightRef& w, const float* x, const float* xsum, const float* scales, const float* biases,
                    int64_t r, float* y) {
  constexpr int kStep = Bits == 4 ? 2 * Isa::kLanes : Isa::kLanes;
  const int64_t groups = w.cols / w.group_size;
  const unsigned char* p[R];
  Isa::F acc[R];
  for (int j = 0; j < R; ++j) p[j] = w.data + size_t(r + j) * w.row_bytes(), acc[j] = Isa::zero();
  Prefetcher prefetch(w, r, R, kStep);
  for (int64_t g = 0; g < groups; ++g) {
    Isa::F part[R];
    for (int j = 0; j < R; ++j) part[j] = Isa::zero();
    for (int64_t i = g * w.group_size; i < (g + 1) * w.group_size; i += kStep) {
      prefetch.step();
      if constexpr (Bits == 8) {
        const Isa::F xv = Isa::load(x + i);
        for (int j = 0; j < R; ++j) part[j] = Isa::fma(Isa::load_u8(p[j] + i), xv, part[j]);
      } else {
        Isa::F x_even, x_odd;
        Isa::load_x_even_odd(x + i, x_even, x_odd);
        for (int j = 0; j < R; ++j) {
          Isa::F lo, hi;
          Isa::load_q4_even_odd(p[j] + i / 2, lo, hi);
          part[j] = Isa::fma(hi, x_odd, Isa::fma(lo, x_even, part[j]));
        }
      }
    }
    for (int j = 0; j < R; ++j) acc[j] = Isa::fma(part[j], Isa::set1(scales[j * groups + g]), acc[j]);
  }
  for (int j = 0; j < R; ++j) {
    y[j] = Isa::reduce(acc[j]) + dot(biases + j * groups, xsum, groups);
  }
}

// Rows per quantized block: 8 ran faster with the matrix in cache but slower streaming from memory.
constexpr int kQuantBlock = 4;

// x's sum over each weight group, for the bias terms: a quantized row's is sum_g bias_g * xsum[g].
inline void group_sums(const WeightRef& w, const float* x, float* xsum) {
  for (int64_t g = 0; g < w.cols / w.group_size; ++g) {
    Isa::F sum = Isa::zero();
    for (int64_t i = g * w.group_size; i < (g + 1) * w.group_size; i += Isa::kLanes) sum = Isa::add(sum, Isa::load(x + i));
    xsum[g] = Isa::reduce(sum);
  }
}

// A row count known at compile time, handed to for_row_blocks' callback.
template <int R>
struct Rows {
  static constexpr int kCount = R;
};

// Quantized rows [r0, r1) in blocks of R rows, then one by one for the rest: widens each block's scales and
// biases to f32 into `scales` and `biases` ([R, groups] each), then calls block(Rows<R or 1>{}, first row).
// The row kernels the blocks call are [[gnu::noinline]]: inlined into this walk, GCC allocated their registers
// worse (the 8-bit matvec read 12.8 instead of 14.4 GB/s from L2).
template <int R, class Block>
void for_row_blocks(const WeightRef& w, int64_t r0, int64_t r1, float* scales, float* biases, const Block& block) {
  const int64_t groups = w.cols / w.group_size;
  const size_t sbytes = dtype_size(w.scale_dtype);
  for (int64_t r = r0; r < r1;) {
    const int64_t n = r + R <= r1 ? R : 1;
    widen(w.scale_dtype, w.scales + size_t(r * groups) * sbytes, n * groups, scales);
    widen(w.scale_dtype, w.biases + size_t(r * groups) * sbytes, n * groups, biases);
    if (n == R) block(Rows<R>{}, r);
    else block(Rows<1>{}, r);
    r += n;
  }
}

template <int Bits>
void quant_matvec(const WeightRef& w, const float* x, int64_t r0, int64_t r1, float* y) {
  const int64_t groups = w.cols / w.group_size;
  float* xsum = kernel_scratch(size_t((2 * kQuantBlock + 1) * groups));
  float* scales = xsum + groups;
  float* biases = scales + kQuantBlock * groups;
  group_sums(w, x, xsum);
  for_row_blocks<kQuantBlock>(w, r0, r1, scales, biases, [&](auto rows, int64_t r) {
    quant_dot_rows<Bits, decltype(rows)::kCount>(w, x, xsum, scales, biases, r, y + (r - r0));
  });
}

// Columns [c0, c1) of one row in f32 into out[0, c1 - c0); c0 and c1 lie on group boundaries.
template <class Row>
void widen_columns(Row& row, const WeightRef& w, int64_t c0, int64_t c1, float* out) {
  const int64_t span = Row::kGrouped ? w.group_size : c1 - c0;
  for (int64_t g0 = c0; g0 < c1; g0 += span) {
    if constexpr (Row::kGrouped) row.begin_group(g0 / w.group_size);
    for (int64_t i = g0; i < g0 + span; i += Isa::kLanes) Isa::store(out + (i - c0), row.load(i));
  }
}

template <class Row>
void dequantize_with(const WeightRef& w, int64_t r0, int64_t r1, float* out) {
  for (int64_t r = r0; r < r1; ++r, out += w.cols) {
    Row row(w, r);
    widen_columns(row, w, 0, w.cols, out);
  }
}

// Small batches (a few rows of x, as batched decoding has): R weight rows are widened to f32 a chunk of
// columns at a time into a buffer that stays in L1, and every row of x multiplies the chunk before the next
// one is read, so the weights stream from memory once and are widened once, whatever n. `acc` holds the
// n * R running sums, kLanes floats each.
constexpr int64_t kChunkCols = 256;  // a multiple of every group size

template <class Row, int R>
void rows_times_batch(const WeightRef& w, const float* x, int64_t n, int64_t r, float* y, int64_t ldy, float* chunk,
                      float* acc) {
  Row rows[R];
  for (int j = 0; j < R; ++j) rows[j] = Row(w, r + j);
  for (int64_t k = 0; k < n * R; ++k) Isa::store(acc + k * Isa::kLanes, Isa::zero());
  Prefetcher prefetch(w, r, R, int(kChunkCols));
  for (int64_t c0 = 0; c0 < w.cols; c0 += kChunkCols) {
    const int64_t c1 = c0 + kChunkCols < w.cols ? c0 + kChunkCols : w.cols;
    prefetch.step();
    for (int j = 0; j < R; ++j) widen_columns(rows[j], w, c0, c1, chunk + j * kChunkCols);
    for (int64_t t = 0; t < n; ++t) {
      const float* xt = x + t * w.cols;
      Isa::F a[R];
      for (int j = 0; j < R; ++j) a[j] = Isa::load(acc + (t * R + j) * Isa::kLanes);
      for (int64_t i = c0; i < c1; i += Isa::kLanes) {
        const Isa::F xv = Isa::load(xt + i);
        for (int j = 0; j < R; ++j) a[j] = Isa::fma(Isa::load(chunk + j * kChunkCols + (i - c0)), xv, a[j]);
      }
      for (int j = 0; j < R; ++j) Isa::store(acc + (t * R + j) * Isa::kLanes, a[j]);
    }
  }
  for (int64_t t = 0; t < n; ++t)
    for (int j = 0; j < R; ++j) y[t * ldy + j] = Isa::reduce(Isa::load(acc + (t * R + j) * Isa::kLanes));
}

// The same for quantized rows, with the affine map taken out as in quant_dot_rows: the chunk holds raw
// codes (4-bit ones as each step's even columns, then its odd ones, to meet x split the same way in `xs`),
// scales apply per group to the partial sums, and the biases meet the per-group sums of x at the end.
template <int Bits, int R>
[[gnu::noinline]] void quant_rows_times_batch(const WeightRef& w, const float* xs, int64_t ldx, const float* xsum, int64_t n, int64_t r,
                            const float* scales, const float* biases, float* y, int64_t ldy, float* chunk, float* acc) {
  constexpr int kStep = Bits == 4 ? 2 * Isa::kLanes : Isa::kLanes;
  const int64_t groups = w.cols / w.group_size;
  for (int64_t k = 0; k < n * R; ++k) Isa::store(acc + k * Isa::kLanes, Isa::zero());
  Prefetcher prefetch(w, r, R, int(kChunkCols));
  for (int64_t c0 = 0; c0 < w.cols; c0 += kChunkCols) {
    const int64_t c1 = c0 + kChunkCols < w.cols ? c0 + kChunkCols : w.cols;
    prefetch.step();
    for (int j = 0; j < R; ++j) {
      const unsigned char* p = w.data + size_t(r + j) * w.row_bytes();
      float* out = chunk + j * kChunkCols - c0;
      for (int64_t i = c0; i < c1; i += kStep) {
        if constexpr (Bits == 4) {
          Isa::F lo, hi;
          Isa::load_q4_even_odd(p + i / 2, lo, hi);
          Isa::store(out + i, lo);
          Isa::store(out + i + Isa::kLanes, hi);
        } else {
          Isa::store(out + i, Isa::load_u8(p + i));
        }
      }
    }
    for (int64_t t = 0; t < n; ++t) {
      const float* xt = xs + t * ldx;
      Isa::F a[R];
      for (int j = 0; j < R; ++j) a[j] = Isa::load(acc + (t * R + j) * Isa::kLanes);
      for (int64_t g0 = c0; g0 < c1; g0 += w.group_size) {
        Isa::F part[R];
        for (int j = 0; j < R; ++j) part[j] = Isa::zero();
        for (int64_t i = g0; i < g0 + w.group_size; i += Isa::kLanes) {
          const Isa::F xv = Isa::load(xt + i);
          for (int j = 0; j < R; ++j) part[j] = Isa::fma(Isa::load(chunk + j * kChunkCols + (i - c0)), xv, part[j]);
        }
        for (int j = 0; j < R; ++j) a[j] = Isa::fma(part[j], Isa::set1(scales[j * groups + g0 / w.group_size]), a[j]);
      }
      for (int j = 0; j < R; ++j) Isa::store(acc + (t * R + j) * Isa::kLanes, a[j]);
    }
  }
  for (int64_t t = 0; t < n; ++t)
    for (int j = 0; j < R; ++j)
      y[t * ldy + j] = Isa::reduce(Isa::load(acc + (t * R + j) * Isa::kLanes)) + dot(biases + j * groups, xsum + t * groups, groups);
}

template <int Bits>
void quant_batch(const WeightRef& w, const float* x, int64_t n, int64_t r0, int64_t r1, float* y, int64_t ldy) {
  constexpr int R = kQuantBlock;
  const int64_t groups = w.cols / w.group_size;
  // x's rows are copied (4-bit: split into even and odd columns) at a stride one cache line longer than a
  // row, so that rows a multiple of 4 KiB long do not all land in the same L1 sets.
  const int64_t ldx = w.cols + 16;
  float* xs = kernel_scratch(size_t(n * ldx + n * groups + 2 * R * groups + R * kChunkCols + n * R * Isa::kLanes));
  float* xsum = xs + n * ldx;
  float* scales = xsum + n * groups;
  float* biases = scales + R * groups;
  float* chunk = biases + R * groups;
  float* acc = chunk + R * kChunkCols;
  for (int64_t t = 0; t < n; ++t) {
    const float* xt = x + t * w.cols;
    for (int64_t i = 0; Bits == 4 && i < w.cols; i += 2 * Isa::kLanes) {
      Isa::F even, odd;
      Isa::load_x_even_odd(xt + i, even, odd);
      Isa::store(xs + t * ldx + i, even);
      Isa::store(xs + t * ldx + i + Isa::kLanes, odd);
    }
    for (int64_t i = 0; Bits == 8 && i < w.cols; i += Isa::kLanes) Isa::store(xs + t * ldx + i, Isa::load(xt + i));
    group_sums(w, xt, xsum + t * groups);
  }
  for_row_blocks<R>(w, r0, r1, scales, biases, [&](auto rows, int64_t r) {
    quant_rows_times_batch<Bits, decltype(rows)::kCount>(w, xs, ldx, xsum, n, r, scales, biases, y + (r - r0), ldy, chunk, acc);
  });
}

template <class Row>
void batch_with(const WeightRef& w, const float* x, int64_t n, int64_t r0, int64_t r1, float* y, int64_t ldy) {
  constexpr int R = 4;
  float* chunk = kernel_scratch(size_t(R * kChunkCols + n * R * Isa::kLanes));
  float* acc = chunk + R * kChunkCols;
  int64_t r = r0;
  for (; r + R <= r1; r += R) rows_times_batch<Row, R>(w, x, n, r, y + (r - r0), ldy, chunk, acc);
  for (; r < r1; ++r) rows_times_batch<Row, 1>(w, x, n, r, y + (r - r0), ldy, chunk, acc);
}

// Shapes the vector loops cover: whole steps per row and per group; anything else goes to the portable loops.
inline bool vectorizable(const WeightRef& w) {
  if (w.format != WeightFormat::Quantized) return w.cols % Isa::kLanes == 0;
  return (w.bits == 4 && w.group_size % (2 * Isa::kLanes) == 0) || (w.bits == 8 && w.group_size % Isa::kLanes == 0);
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

void matmul_rows(const WeightRef& w, const float* x, int64_t n, int64_t r0, int64_t r1, float* y, int64_t ldy) {
  if (!vectorizable(w)) return portable_kernels().matmul_rows(w, x, n, r0, r1, y, ldy);
  switch (w.format) {
    case WeightFormat::F32: return batch_with<F32Row>(w, x, n, r0, r1, y, ldy);
    case WeightFormat::F16: return batch_with<F16Row>(w, x, n, r0, r1, y, ldy);
    case WeightFormat::BF16: return batch_with<BF16Row>(w, x, n, r0, r1, y, ldy);
    case WeightFormat::Quantized:
      return w.bits == 4 ? quant_batch<4>(w, x, n, r0, r1, y, ldy) : quant_batch<8>(w, x, n, r0, r1, y, ldy);
  }
}

void dequantize_rows(const WeightRef& w, int64_t r0, int64_t r1, float* out) {
  if (!vectorizable(w)) return portable_kernels().dequantize_rows(w, r0, r1, out);
  switch (w.format) {
    case WeightFormat::F32: return dequantize_with<F32Row>(w, r0, r1, out);
    case WeightFormat::F16: return dequantize_with<F16Row>(w, r0, r1, out);
    case WeightFormat::BF16: return dequantize_with<BF16Row>(w, r0, r1, out);
    case WeightFormat::Quantized:
      return w.bits == 4 ? dequantize_with<QuantRow<4>>(w, r0, r1, out) : dequantize_with<QuantRow<8>>(w, r0, r1, out);
  }
}
