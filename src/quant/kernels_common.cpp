#include "quant/kernels.h"

#include <cstdlib>
#include <cstring>

namespace glassbox {

namespace {
float scalar_at(DType t, const unsigned char* base, int64_t i) {
  switch (t) {
    case DType::F16: return f16_to_f32(load_u16(base + 2 * i));
    case DType::BF16: return bf16_to_f32(load_u16(base + 2 * i));
    default: { float f; std::memcpy(&f, base + 4 * i, 4); return f; }
  }
}
}  // namespace

float WeightRef::scale(int64_t r, int64_t g) const { return scalar_at(scale_dtype, scales, r * (cols / group_size) + g); }
float WeightRef::bias(int64_t r, int64_t g) const { return scalar_at(scale_dtype, biases, r * (cols / group_size) + g); }

const Kernels& active_kernels() {
  static const Kernels& chosen = [] () -> const Kernels& {
    const char* force = std::getenv("GLASSBOX_KERNELS");
    if (force && std::strcmp(force, "portable") == 0) return portable_kernels();
    if (const Kernels* k = avx512_kernels()) return *k;
    return portable_kernels();
  }();
  return chosen;
}

}  // namespace glassbox
