#pragma once
// Element types that appear in safetensors files, and the scalar conversions compute needs.
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace glassbox {

enum class DType { F32, F16, BF16, I64, I32, U32, U8 };

size_t dtype_size(DType t);
std::string_view dtype_name(DType t);      // the safetensors spelling: "F32", "BF16", ...
bool parse_dtype(std::string_view name, DType& out);

// Tensors inside a safetensors file need not be aligned, so scalars are read through memcpy.
inline uint16_t load_u16(const void* p) { uint16_t v; std::memcpy(&v, p, 2); return v; }

inline float bf16_to_f32(uint16_t h) { return std::bit_cast<float>(uint32_t(h) << 16); }

// Round to nearest even, as torch does; NaN stays NaN.
inline uint16_t f32_to_bf16(float f) {
  uint32_t u = std::bit_cast<uint32_t>(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) return uint16_t((u >> 16) | 0x40);
  u += 0x7fffu + ((u >> 16) & 1u);
  return uint16_t(u >> 16);
}

float f16_to_f32(uint16_t h);
uint16_t f32_to_f16(float f);

// Converts n elements of a float dtype (F32, F16, BF16) to f32.
void to_f32(DType t, const void* src, float* dst, size_t n);

}  // namespace glassbox
