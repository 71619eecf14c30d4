// AVX2 kernels (with FMA and F16C, which every AVX2 CPU since Haswell and Zen has). This file alone is
// compiled for them (see CMakeLists.txt), and its table is handed out only after the CPU has been asked.
#include <immintrin.h>

#include <cstring>

#include "quant/kernels.h"

namespace glassbox {
namespace {

// 8 floats per register.
struct Isa {
  using F = __m256;
  static constexpr int kLanes = 8;
  static F zero() { return _mm256_setzero_ps(); }
  static F set1(float v) { return _mm256_set1_ps(v); }
  static F load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, F v) { _mm256_storeu_ps(p, v); }
  static F fma(F a, F b, F c) { return _mm256_fmadd_ps(a, b, c); }
  static F add(F a, F b) { return _mm256_add_ps(a, b); }
  static float reduce(F v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
  }
  static float f16_scalar(uint16_t h) { return _cvtsh_ss(h); }
  static __m128i load128(const unsigned char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
  static __m128i load64(const unsigned char* p) { return _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)); }
  static F load_f16(const unsigned char* p) { return _mm256_cvtph_ps(load128(p)); }
  // bf16 is the top half of an f32: widen to 32 bits and shift into place.
  static F load_bf16(const unsigned char* p) { return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(load128(p)), 16)); }
  static F load_u8(const unsigned char* p) { return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(load64(p))); }
  // 4-bit codes: byte k holds code 2k in its low nibble and code 2k+1 in its high nibble. In column order,
  // lane j takes byte j/2 shifted by 4 * (j % 2).
  static F load_q4_columns(const unsigned char* p) {
    int32_t four;
    std::memcpy(&four, p, 4);
    const __m256i bytes = _mm256_cvtepu8_epi32(_mm_cvtsi32_si128(four));
    const __m256i spread = _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3));
    const __m256i shifts = _mm256_setr_epi32(0, 4, 0, 4, 0, 4, 0, 4);
    return _mm256_cvtepi32_ps(_mm256_and_si256(_mm256_srlv_epi32(spread, shifts), _mm256_set1_epi32(0xF)));
  }
  static void load_q4_even_odd(const unsigned char* p, F& lo, F& hi) {
    const __m256i bytes = _mm256_cvtepu8_epi32(load64(p));
    lo = _mm256_cvtepi32_ps(_mm256_and_si256(bytes, _mm256_set1_epi32(0xF)));
    hi = _mm256_cvtepi32_ps(_mm256_srli_epi32(bytes, 4));
  }
  // shuffle_ps picks within 128-bit halves (x0 x2 x8 x10 | x4 x6 x12 x14); permute4x64 puts the pairs in order.
  static void load_x_even_odd(const float* x, F& even, F& odd) {
    const __m256 lo = _mm256_loadu_ps(x), hi = _mm256_loadu_ps(x + 8);
    auto in_order = [](__m256 v) { return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(v), _MM_SHUFFLE(3, 1, 2, 0))); };
    even = in_order(_mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(2, 0, 2, 0)));
    odd = in_order(_mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(3, 1, 3, 1)));
  }
};

#include "quant/kernels_vector.h"

// ---- Exact decode of 4-bit rows: one AND, one convert and one FMA per 8 codes ----
// Byte m of a row holds columns 2m (low nibble) and 2m + 1, so in a 32-byte step, 32-bit lane j holds columns
// 8j .. 8j + 7, column 8j + k in bits 4k .. 4k + 3. Masking those bits in every lane gives code * 2^4k, which
// vcvtdq2ps turns into a float exactly (4 significant bits); x, rearranged once per call so that vector k holds
// columns 8j + k times 2^-4k, meets it. Each product is then code * x exactly, as in the f32 formula, unless
// |x| < 2^-102, where x * 2^-4k loses bits to subnormals (an error below 2^-121 per product). Widening the
// codes a byte at a time (quant_dot_rows) costs a zero-extension and a shift or mask more per 8 codes; this
// reads a 14336x4096 matrix at 19.8 against 16.5 GB/s on 2 cores (mostly from L3), 9.0 against 8.4 GB/s on
// one core from L2. Decode on AVX2 is bound by this arithmetic, not by memory: it scales with the cores. 8-bit
// rows gain nothing from this layout: a zero-extending load already widens them in one step.
constexpr int64_t kLaneStep = 64;  // columns per 32-byte step

// The top nibble (k = 7) is shifted down rather than masked, since code * 2^28 overflows an int32; its x
// stays unscaled.
__m256 lane_codes(__m256i lanes, int k) {
  return _mm256_cvtepi32_ps(k == 7 ? _mm256_srli_epi32(lanes, 28) : _mm256_and_si256(lanes, _mm256_set1_epi32(0xF << (4 * k))));
}

// Column 8j + k of each step goes to position 8k + j, times 2^-4k (k < 7).
void arrange_x_for_lanes(const float* x, int64_t cols, float* out) {
  for (int64_t c = 0; c < cols; c += kLaneStep)
    for (int k = 0; k < 8; ++k)
      for (int j = 0; j < 8; ++j) out[c + 8 * k + j] = x[c + 8 * j + k] * (k == 7 ? 1.0f : 1.0f / float(1 << (4 * k)));
}

// A group spans whole steps, or (groups of 32) half a step.
bool lane_layout_fits(const WeightRef& w) {
  return w.format == WeightFormat::Quantized && w.bits == 4 && w.cols % kLaneStep == 0 &&
         (w.group_size % kLaneStep == 0 || 2 * w.group_size == kLaneStep);
}

// R rows from row r; `scales` and `biases` hold their f32 values, [R, groups] each. One partial sum per row:
// four rows keep four FMA chains in flight and all of it in registers, which measured faster than more chains
// with spills. The partial sums take a scale once per span: a group, or a step whose two halves' groups differ.
constexpr int kLaneRows = 4;
template <int R>
[[gnu::noinline]] void lane_dot_rows(const WeightRef& w, const float* xs, const float* xsum, const float* scales, const float* biases,
                   int64_t r, float* y) {
  const int64_t groups = w.cols / w.group_size, span = w.group_size < kLaneStep ? kLaneStep : w.group_size;
  const unsigned char* p[R];
  __m256 acc[R];
  for (int j = 0; j < R; ++j) p[j] = w.data + size_t(r + j) * w.row_bytes(), acc[j] = _mm256_setzero_ps();
  Prefetcher prefetch(w, r, R, int(kLaneStep));
  for (int64_t c0 = 0, g = 0; c0 < w.cols; c0 += span, g += span / w.group_size) {
    __m256 part[R];
    for (int j = 0; j < R; ++j) part[j] = _mm256_setzero_ps();
    for (int64_t c = c0; c < c0 + span; c += kLaneStep) {
      prefetch.step();
      __m256i lanes[R];
      for (int j = 0; j < R; ++j) lanes[j] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p[j] + c / 2));
      for (int k = 0; k < 8; ++k) {
        const __m256 xk = _mm256_loadu_ps(xs + c + 8 * k);
        for (int j = 0; j < R; ++j) part[j] = _mm256_fmadd_ps(lane_codes(lanes[j], k), xk, part[j]);
      }
    }
    for (int j = 0; j < R; ++j) {
      const float* s = scales + j * groups + g;
      const __m256 scale = span > w.group_size ? _mm256_set_m128(_mm_set1_ps(s[1]), _mm_set1_ps(s[0])) : _mm256_set1_ps(s[0]);
      acc[j] = _mm256_fmadd_ps(part[j], scale, acc[j]);
    }
  }
  for (int j = 0; j < R; ++j) y[j] = Isa::reduce(acc[j]) + dot(biases + j * groups, xsum, groups);
}

void lane_matvec(const WeightRef& w, const float* x, int64_t r0, int64_t r1, float* y) {
  const int64_t groups = w.cols / w.group_size;
  float* xs = kernel_scratch(size_t(w.cols + (2 * kLaneRows + 1) * groups));
  float* xsum = xs + w.cols;
  float* scales = xsum + groups;
  float* biases = scales + kLaneRows * groups;
  arrange_x_for_lanes(x, w.cols, xs);
  group_sums(w, x, xsum);
  for_row_blocks<kLaneRows>(w, r0, r1, scales, biases, [&](auto rows, int64_t r) {
    lane_dot_rows<decltype(rows)::kCount>(w, xs, xsum, scales, biases, r, y + (r - r0));
  });
}

void matvec_avx2(const WeightRef& w, const float* x, int64_t r0, int64_t r1, float* y) {
  if (lane_layout_fits(w)) return lane_matvec(w, x, r0, r1, y);
  matvec(w, x, r0, r1, y);
}

// ---- Fast mode: int8 activations times 4- or 8-bit codes, 32 multiply-adds per vpmaddubsw ----
// vpmaddubsw multiplies unsigned bytes by signed bytes and adds neighbours into int16 with saturation, so
// every pair of products must stay within +-32767:
// - 4-bit codes (0..15) meet activations (-127..127) directly: a pair is at most 2 * 15 * 127.
// - 8-bit codes are stored as code - 128 (-128..127); their magnitudes (at most 128, unsigned) meet the
//   activations carrying the codes' signs (-127..127): a pair is at most 2 * 128 * 127. The 128 taken off
//   every code returns through Int8Rows::code_sums.

// One block of 32 codes of a row, in x's layout: 4-bit as nibbles (evens, then odds), 8-bit as code - 128.
template <int Bits>
__m256i block_codes(const unsigned char* packed_row, int64_t b) {
  if constexpr (Bits == 4) {
    const __m128i packed = Isa::load128(packed_row + b * kInt8Block / 2);
    return _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(packed, 4), packed), _mm256_set1_epi8(0x0F));
  } else {
    const __m256i codes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(packed_row + b * kInt8Block));
    return _mm256_xor_si256(codes, _mm256_set1_epi8(char(0x80)));
  }
}

// Rows r..r+rows-1 of W as one byte per code, block by block in x's layout.
template <int Bits>
void unpack_codes(const WeightRef& w, int64_t r, int rows, uint8_t* out) {
  Prefetcher prefetch(w, r, rows, int(kInt8Block));  // paced by the first row: it fetches ahead for all of them
  // Locals, not w's members: the byte stores below may alias anything, which would reload them every step.
  const int64_t cols = w.cols;
  const size_t row_bytes = w.row_bytes();
  const unsigned char* data = w.data;
  for (int j = 0; j < rows; ++j, out += cols) {
    const unsigned char* src = data + size_t(r + j) * row_bytes;
    for (int64_t i = 0; i < cols; i += kInt8Block) {
      if (j == 0) prefetch.step();
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), block_codes<Bits>(src, i / kInt8Block));
    }
  }
}

// The codes of R rows, block by block: from rows unpacked once into a tile (several rows of x reuse them),
// or straight from the checkpoint (one row of x: decode).
struct TileCodes {
  const uint8_t* tile;
  int64_t cols;
  __m256i operator()(int j, int64_t b) const {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tile + j * cols + b * kInt8Block));
  }
};
template <int Bits>
struct PackedCodes {
  const unsigned char* first_row;
  size_t row_bytes;
  __m256i operator()(int j, int64_t b) const { return block_codes<Bits>(first_row + j * row_bytes, b); }
};

// R rows of W (their codes from `codes`, their scales and biases as f32, [R, groups] each) times every row of x.
template <int Bits, int R, class Codes>
[[gnu::noinline]] void int8_rows(const WeightRef& w, const Codes& codes, const float* scales, const float* biases, const Int8Rows& x,
               float* y, int64_t ldy, Prefetcher* prefetch) {
  const int64_t groups = w.cols / w.group_size, per_group = w.group_size / kInt8Block, blocks = w.cols / kInt8Block;
  const __m256i ones = _mm256_set1_epi16(1);
  for (int64_t t = 0; t < x.n; ++t) {
    const int8_t* a = x.codes + t * x.cols;
    const float* d = x.scales + t * blocks;
    __m256 acc[R];
    for (int j = 0; j < R; ++j) acc[j] = _mm256_setzero_ps();
    for (int64_t g = 0; g < groups; ++g) {
      __m256 part[R];
      for (int j = 0; j < R; ++j) part[j] = _mm256_setzero_ps();
      for (int64_t b = g * per_group; b < (g + 1) * per_group; ++b) {
        if (prefetch) prefetch->step();
        const __m256i xa = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + b * kInt8Block));
        const __m256 scale = _mm256_set1_ps(d[b]);
        for (int j = 0; j < R; ++j) {
          const __m256i wv = codes(j, b);
          const __m256i pairs = Bits == 4 ? _mm256_maddubs_epi16(wv, xa)
                                          : _mm256_maddubs_epi16(_mm256_abs_epi8(wv), _mm256_sign_epi8(xa, wv));
          part[j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_madd_epi16(pairs, ones)), scale, part[j]);
        }
      }
      for (int j = 0; j < R; ++j) acc[j] = _mm256_fmadd_ps(part[j], _mm256_set1_ps(scales[j * groups + g]), acc[j]);
    }
    for (int j = 0; j < R; ++j) {
      float rest = dot(biases + j * groups, x.sums + t * groups, groups);
      if (Bits == 8) rest += 128.0f * dot(scales + j * groups, x.code_sums + t * groups, groups);
      y[t * ldy + j] = Isa::reduce(acc[j]) + rest;
    }
  }
}

// ---- Fast prefill: rows repacked so that one vpmaddubsw meets 4 codes of each of 8 rows ----
// Prefill meets every weight row with many rows of x. Rows are repacked 16 at a time into a tile whose steps
// hold 4 consecutive codes (in x's layout) of each row: two 32-byte registers of 8 rows, one row per 32-bit
// lane. Four codes of a row of x, broadcast to every lane, meet a register in one vpmaddubsw, and the 8 lanes
// of the sums are 8 rows' dot products: no horizontal sums, one store writes 8 outputs, each register loaded
// serves 3 rows of x and each broadcast 16 weight rows. 4-bit pairs (at most 2 * 15 * 127) add up in int16
// over a whole block (8 steps: 30480 < 32767), so a block costs one vpmaddwd per row of x instead of one per
// step. On one core, 2048x2048 times 512 rows of x: 4-bit 76, 8-bit 52 G multiply-adds/s, against 40 and 31
// with rows unpacked 4 at a time (int8_rows below); tiles of 8 rows times 4 rows of x gave 74 and 49. On 2
// threads, --fast pp512: llama3.2-1b 4-bit 72 -> 133 t/s, qwen2.5-0.5b 8-bit 124 -> 227.
constexpr int kTileParts = 2;                // registers of 8 rows per step
constexpr int kTileRows = 8 * kTileParts;
constexpr int kTileStep = 32 * kTileParts;  // bytes per step: 4 codes of each row
// Rows of x per pass over a tile: their 6 sums and 6 accumulators fill the registers.
constexpr int kTileRowsOfX = 3;

// v[k] lane j = v[j] lane k (8x8 int32).
void transpose_8x8(__m256i v[8]) {
  __m256i a[8], b[8];
  for (int i = 0; i < 8; i += 2) a[i] = _mm256_unpacklo_epi32(v[i], v[i + 1]), a[i + 1] = _mm256_unpackhi_epi32(v[i], v[i + 1]);
  for (int i = 0; i < 8; i += 4) {
    b[i] = _mm256_unpacklo_epi64(a[i], a[i + 2]);
    b[i + 1] = _mm256_unpackhi_epi64(a[i], a[i + 2]);
    b[i + 2] = _mm256_unpacklo_epi64(a[i + 1], a[i + 3]);
    b[i + 3] = _mm256_unpackhi_epi64(a[i + 1], a[i + 3]);
  }
  for (int k = 0; k < 4; ++k) {
    v[k] = _mm256_permute2x128_si256(b[k], b[k + 4], 0x20);
    v[k + 4] = _mm256_permute2x128_si256(b[k], b[k + 4], 0x31);
  }
}

// Rows r..r+15 into the tile (blocks of 8 steps), their scales and biases as f32 [groups, 16].
template <int Bits>
void repack_tile(const WeightRef& w, int64_t r, uint8_t* tile, float* scales, float* biases) {
  const int64_t groups = w.cols / w.group_size;
  for (int64_t b = 0; b < w.cols / kInt8Block; ++b)
    for (int part = 0; part < kTileParts; ++part) {
      __m256i v[8];
      for (int j = 0; j < 8; ++j) v[j] = block_codes<Bits>(w.data + size_t(r + 8 * part + j) * w.row_bytes(), b);
      transpose_8x8(v);
      for (int k = 0; k < 8; ++k) _mm256_storeu_si256(reinterpret_cast<__m256i*>(tile + (b * 8 + k) * kTileStep + 32 * part), v[k]);
    }
  const size_t first = size_t(r * groups);
  for (int j = 0; j < kTileRows; ++j)
    for (int64_t g = 0; g < groups; ++g) {
      scales[g * kTileRows + j] = stored_scalar(w.scale_dtype, w.scales, first + size_t(j * groups + g));
      biases[g * kTileRows + j] = stored_scalar(w.scale_dtype, w.biases, first + size_t(j * groups + g));
    }
}

// The tile's rows times rows t0..t0+NY-1 of x: y[t * ldy + j] for row j of the tile.
template <int Bits, int NY>
[[gnu::noinline]] void tile_times_x(const WeightRef& w, const uint8_t* tile, const float* scales, const float* biases, const Int8Rows& x,
                  int64_t t0, float* y, int64_t ldy) {
  constexpr int P = kTileParts;
  const int64_t groups = w.cols / w.group_size, per_group = w.group_size / kInt8Block, blocks = w.cols / kInt8Block;
  const __m256i ones = _mm256_set1_epi16(1);
  const int8_t* a[NY];
  __m256 acc[NY][P];
  for (int t = 0; t < NY; ++t) {
    a[t] = x.codes + (t0 + t) * x.cols;
    for (int p = 0; p < P; ++p) acc[t][p] = _mm256_setzero_ps();
  }
  for (int64_t g = 0; g < groups; ++g) {
    const float* group_scales = scales + g * kTileRows;
    const float* group_biases = biases + g * kTileRows;
    for (int64_t b = g * per_group; b < (g + 1) * per_group; ++b) {
      __m256i sum[NY][P];
      for (int t = 0; t < NY; ++t)
        for (int p = 0; p < P; ++p) sum[t][p] = _mm256_setzero_si256();
      const uint8_t* steps = tile + b * 8 * kTileStep;
      // Not unrolled: unrolled, GCC issued all 32 vpmaddubsw of a block first and spilled their results (one
      // core, 2048x2048 times 512 rows of x, 4-bit: 56 against 69 G multiply-adds/s).
#pragma GCC unroll 1
      for (int k = 0; k < 8; ++k) {
        __m256i wv[P], magnitude[P];
        for (int p = 0; p < P; ++p) {
          wv[p] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(steps + k * kTileStep + 32 * p));
          magnitude[p] = Bits == 8 ? _mm256_abs_epi8(wv[p]) : wv[p];
        }
        for (int t = 0; t < NY; ++t) {
          int32_t four;
          std::memcpy(&four, a[t] + b * kInt8Block + 4 * k, 4);
          const __m256i xb = _mm256_set1_epi32(four);
          for (int p = 0; p < P; ++p) {
            if constexpr (Bits == 4) sum[t][p] = _mm256_add_epi16(sum[t][p], _mm256_maddubs_epi16(wv[p], xb));
            else sum[t][p] = _mm256_add_epi32(sum[t][p], _mm256_madd_epi16(_mm256_maddubs_epi16(magnitude[p], _mm256_sign_epi8(xb, wv[p])), ones));
          }
        }
      }
      for (int t = 0; t < NY; ++t) {
        const __m256 xs = _mm256_set1_ps(x.scales[(t0 + t) * blocks + b]);
        for (int p = 0; p < P; ++p) {
          const __m256i dots = Bits == 4 ? _mm256_madd_epi16(sum[t][p], ones) : sum[t][p];
          const __m256 scale = _mm256_mul_ps(_mm256_loadu_ps(group_scales + 8 * p), xs);
          acc[t][p] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dots), scale, acc[t][p]);
        }
      }
    }
    for (int t = 0; t < NY; ++t)
      for (int p = 0; p < P; ++p) {
        acc[t][p] = _mm256_fmadd_ps(_mm256_loadu_ps(group_biases + 8 * p), _mm256_set1_ps(x.sums[(t0 + t) * groups + g]), acc[t][p]);
        if (Bits == 8) acc[t][p] = _mm256_fmadd_ps(_mm256_loadu_ps(group_scales + 8 * p), _mm256_set1_ps(128.0f * x.code_sums[(t0 + t) * groups + g]), acc[t][p]);
      }
  }
  for (int t = 0; t < NY; ++t)
    for (int p = 0; p < P; ++p) _mm256_storeu_ps(y + (t0 + t) * ldy + 8 * p, acc[t][p]);
}

// The last x.n - t0 (at most NY) rows of x.
template <int Bits, int NY>
void tile_times_rest(const WeightRef& w, const uint8_t* tile, const float* scales, const float* biases, const Int8Rows& x,
                     int64_t t0, float* y, int64_t ldy) {
  if constexpr (NY > 1)
    if (x.n - t0 < NY) return tile_times_rest<Bits, NY - 1>(w, tile, scales, biases, x, t0, y, ldy);
  tile_times_x<Bits, NY>(w, tile, scales, biases, x, t0, y, ldy);
}

// Rows [r0, r0 + kTileRows * tiles) times every row of x, a tile at a time.
template <int Bits>
void tiles_times_x(const WeightRef& w, const Int8Rows& x, int64_t r0, int64_t tiles, float* y, int64_t ldy) {
  const int64_t groups = w.cols / w.group_size;
  float* scales = kernel_scratch(size_t(2 * kTileRows * groups + kTileRows * w.cols / 4));
  float* biases = scales + kTileRows * groups;
  uint8_t* tile = reinterpret_cast<uint8_t*>(biases + kTileRows * groups);
  for (int64_t i = 0; i < tiles; ++i) {
    repack_tile<Bits>(w, r0 + i * kTileRows, tile, scales, biases);
    float* out = y + i * kTileRows;
    int64_t t = 0;
    for (; t + kTileRowsOfX <= x.n; t += kTileRowsOfX) tile_times_x<Bits, kTileRowsOfX>(w, tile, scales, biases, x, t, out, ldy);
    if (t < x.n) tile_times_rest<Bits, kTileRowsOfX - 1>(w, tile, scales, biases, x, t, out, ldy);
  }
}

template <int Bits>
void int8_matmul(const WeightRef& w, const Int8Rows& x, int64_t r0, int64_t r1, float* y, int64_t ldy) {
  if (x.n > 1) {  // whole tiles first; the rows left over go through the row kernels below
    const int64_t tiles = (r1 - r0) / kTileRows;
    tiles_times_x<Bits>(w, x, r0, tiles, y, ldy);
    y += tiles * kTileRows;
    r0 += tiles * kTileRows;
  }
  const int64_t groups = w.cols / w.group_size;
  float* scales = kernel_scratch(size_t(2 * kQuantBlock * groups + kQuantBlock * w.cols / 4 + 1));
  float* biases = scales + kQuantBlock * groups;
  uint8_t* tile = reinterpret_cast<uint8_t*>(biases + kQuantBlock * groups);
  for_row_blocks<kQuantBlock>(w, r0, r1, scales, biases, [&](auto rows, int64_t r) {
    constexpr int n = decltype(rows)::kCount;
    if (x.n == 1) {  // decode: each code is used once, so it is unpacked in registers where it is used
      // Prefetched ahead step by step, at the pace the rows are read: one burst per row block measured slower.
      Prefetcher prefetch(w, r, n, int(kInt8Block));
      const PackedCodes<Bits> packed{w.data + size_t(r) * w.row_bytes(), w.row_bytes()};
      int8_rows<Bits, n>(w, packed, scales, biases, x, y + (r - r0), ldy, &prefetch);
    } else {
      unpack_codes<Bits>(w, r, n, tile);
      int8_rows<Bits, n>(w, TileCodes{tile, w.cols}, scales, biases, x, y + (r - r0), ldy, nullptr);
    }
  });
}

void matmul_int8(const WeightRef& w, const Int8Rows& x, int64_t r0, int64_t r1, float* y, int64_t ldy) {
  if (w.bits == 4) int8_matmul<4>(w, x, r0, r1, y, ldy);
  else int8_matmul<8>(w, x, r0, r1, y, ldy);
}

constexpr Kernels kAvx2{"avx2", matvec_avx2, dequantize_rows, matmul_rows, matmul_int8};

}  // namespace

const Kernels* avx2_kernels() {
  __builtin_cpu_init();  // may run from a static initializer, before libgcc has asked the CPU
  static const bool ok = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && cpu_has_f16c();
  return ok ? &kAvx2 : nullptr;
}

}  // namespace glassbox
