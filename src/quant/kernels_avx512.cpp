// AVX-512 kernels. This file alone is compiled with AVX-512 enabled (see CMakeLists.txt), and its table is
// handed out only after the CPU has been asked, so the same binary still runs on older machines.
#include <immintrin.h>

#include <cstring>

#include "quant/kernels.h"

namespace glassbox {
namespace {

// 16 floats per register.
struct Isa {
  using F = __m512;
  static constexpr int kLanes = 16;
  static F zero() { return _mm512_setzero_ps(); }
  static F set1(float v) { return _mm512_set1_ps(v); }
  static F load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, F v) { _mm512_storeu_ps(p, v); }
  static F fma(F a, F b, F c) { return _mm512_fmadd_ps(a, b, c); }
  static F add(F a, F b) { return _mm512_add_ps(a, b); }
  static float reduce(F v) { return _mm512_reduce_add_ps(v); }
  static float f16_scalar(uint16_t h) { return _cvtsh_ss(h); }
  static __m256i load256(const unsigned char* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
  static __m128i load128(const unsigned char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
  static F load_f16(const unsigned char* p) { return _mm512_cvtph_ps(load256(p)); }
  // bf16 is the top half of an f32: widen to 32 bits and shift into place.
  static F load_bf16(const unsigned char* p) { return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(load256(p)), 16)); }
  static F load_u8(const unsigned char* p) { return _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(load128(p))); }
  // 4-bit codes: byte k holds code 2k in its low nibble and code 2k+1 in its high nibble. In column order,
  // lane j takes byte j/2 shifted by 4 * (j % 2).
  static F load_q4_columns(const unsigned char* p) {
    const __m512i bytes = _mm512_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
    const __m512i spread = _mm512_permutexvar_epi32(
        _mm512_set_epi32(7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0), bytes);
    const __m512i shifts = _mm512_set_epi32(4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0);
    return _mm512_cvtepi32_ps(_mm512_and_si512(_mm512_srlv_epi32(spread, shifts), _mm512_set1_epi32(0xF)));
  }
  static void load_q4_even_odd(const unsigned char* p, F& lo, F& hi) {
    const __m512i bytes = _mm512_cvtepu8_epi32(load128(p));
    lo = _mm512_cvtepi32_ps(_mm512_and_si512(bytes, _mm512_set1_epi32(0xF)));
    hi = _mm512_cvtepi32_ps(_mm512_srli_epi32(bytes, 4));
  }
  static void load_x_even_odd(const float* x, F& even, F& odd) {
    const __m512i e = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
    const __m512 lo = _mm512_loadu_ps(x), hi = _mm512_loadu_ps(x + 16);
    even = _mm512_permutex2var_ps(lo, e, hi);
    odd = _mm512_permutex2var_ps(lo, _mm512_add_epi32(e, _mm512_set1_epi32(1)), hi);
  }
};

#include "quant/kernels_vector.h"

}  // namespace

const Kernels* avx512_kernels() {
  __builtin_cpu_init();  // may run from a static initializer, before libgcc has asked the CPU
  static const bool ok = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                         __builtin_cpu_supports("avx512vl") && cpu_has_f16c() &&
                         __builtin_cpu_supports("fma");
  // The fast mode's int8 products are AVX2's (every AVX-512 CPU runs them).
  static const Kernels table{"avx512", matvec, dequantize_rows, matmul_rows, ok && avx2_kernels() ? avx2_kernels()->matmul_int8 : nullptr};
  return ok ? &table : nullptr;
}

}  // namespace glassbox
