#pragma once
// Writing a checkpoint in another precision, the way `mlx_lm.convert -q` does: every 2-D ".weight" tensor
// (Linear layers, the embedding, an untied LM head) whose input dimension splits into groups is quantized;
// the rest is cast to the chosen float dtype.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/safetensors.h"

namespace glassbox {

struct ConvertOptions {
  int bits = 0;         // 0: no quantization, only the dtype cast
  int group_size = 64;
  DType dtype = DType::BF16;  // unquantized tensors, scales and biases
};

// What one conversion produced; bits_per_weight is mlx-lm's figure: every stored byte (scales, biases and
// norms included) over the logical parameter count.
struct ConvertStats {
  std::vector<std::string> unquantized;  // 2-D weights left in float because their width does not split into groups
  size_t bytes = 0;
  int64_t params = 0;
  double bits_per_weight() const { return params ? double(bytes) * 8.0 / double(params) : 0.0; }
};

// Appends the stored form of one f32 tensor (the weight, or its codes + scales + biases) to `out`.
void encode_tensor(const std::string& name, const std::vector<int64_t>& shape, const float* values,
                   const ConvertOptions& options, std::vector<OwnedTensor>& out, ConvertStats& stats);

// Converts the checkpoint in `in` into the new directory `out` (which must not exist): model.safetensors,
// config.json with its "quantization" entry, and every other file (tokenizer, generation config) copied.
// The directory appears whole or not at all. `progress(done, total)` is called after every tensor.
ConvertStats convert_model(const std::filesystem::path& in, const std::filesystem::path& out,
                           const ConvertOptions& options, const std::function<void(size_t, size_t)>& progress);

// The "quantization" object of config.json for `options` and `stats`, as mlx-lm writes it.
std::string quantization_json(const ConvertOptions& options, const ConvertStats& stats);

}  // namespace glassbox
