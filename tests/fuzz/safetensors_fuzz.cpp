// Fuzzes the safetensors parser with whole files: header length, JSON header, offsets, shapes, dtypes.
// Whatever it accepts must describe tensors that lie inside the file, so every byte of every tensor is read
// (ASan reports a read outside the input) and float tensors are converted.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

#include "base/error.h"
#include "core/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::map<std::string, glassbox::TensorView> tensors;
  std::map<std::string, std::string> metadata;
  try {
    glassbox::SafetensorsFile::parse(data, size, "fuzz.safetensors", tensors, metadata);
  } catch (const glassbox::Error&) {
    return 0;
  }
  unsigned sum = 0;
  for (const auto& [name, t] : tensors) {
    if (uint64_t(t.numel()) * glassbox::dtype_size(t.dtype) != t.nbytes) std::abort();
    for (size_t i = 0; i < t.nbytes; ++i) sum += t.data[i];
    if (t.nbytes <= (1 << 16) && (t.dtype == glassbox::DType::F32 || t.dtype == glassbox::DType::F16 ||
                                  t.dtype == glassbox::DType::BF16))
      sum += unsigned(t.to_f32().size());
  }
  return sum == 0xFFFFFFFFu;  // keeps the reads from being optimized away; always 0 in practice
}
