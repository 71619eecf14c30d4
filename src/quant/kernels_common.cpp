#include "quant/kernels.h"

#include <cstdlib>
#include <cstring>
#include <string>

#include "base/error.h"

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

std::vector<const Kernels*> runnable_vector_kernels() {
  std::vector<const Kernels*> tables;
  for (const Kernels* k : {avx512_kernels(), avx2_kernels()})
    if (k) tables.push_back(k);
  return tables;
}

const Kernels& active_kernels() {
  static const Kernels& chosen = []() -> const Kernels& {
    const std::vector<const Kernels*> tables = runnable_vector_kernels();
    const char* force = std::getenv("GLASSBOX_KERNELS");
    if (!force || !*force) return tables.empty() ? portable_kernels() : *tables.front();
    std::string names = portable_kernels().name;
    if (names == force) return portable_kernels();
    for (const Kernels* k : tables) {
      if (std::strcmp(k->name, force) == 0) return *k;
      names += std::string(", ") + k->name;
    }
    fail(std::string("GLASSBOX_KERNELS: '") + force + "' is not a kernel table this CPU runs (" + names + ")");
  }();
  return chosen;
}

float* kernel_scratch(size_t floats) {
  thread_local std::vector<float> scratch;
  if (scratch.size() < floats) scratch.resize(floats);
  return scratch.data();
}

}  // namespace glassbox
