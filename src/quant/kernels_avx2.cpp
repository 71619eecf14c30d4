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

constexpr Kernels kAvx2{"avx2", matvec, dequantize_rows};

}  // namespace

const Kernels* avx2_kernels() {
  __builtin_cpu_init();  // may run from a static initializer, before libgcc has asked the CPU
  static const bool ok = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
  return ok ? &kAvx2 : nullptr;
}

}  // namespace glassbox
