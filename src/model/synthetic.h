#pragma once
// Random-weight checkpoints with the exact shapes of real models, so speed can be measured without a
// download. Their config.json says "glassbox_synthetic": true and bench labels them "synthetic".
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "quant/convert.h"

namespace glassbox {

struct SyntheticShape {
  std::string name;          // "smollm2-135m", ...
  std::string architecture;  // config.json "architectures"
  std::string model_type;
  int64_t hidden, intermediate, layers, heads, kv_heads, head_dim, vocab;
  bool qkv_bias = false;
  bool llama3_rope = false;
};

const std::vector<SyntheticShape>& synthetic_shapes();
const SyntheticShape& synthetic_shape(const std::string& name);  // throws naming --synthetic and the choices

// Writes config.json and model.safetensors of random weights (fixed seed) into the new directory `dir`,
// stored as `options` asks (a float dtype, or quantized codes).
void write_synthetic_model(const SyntheticShape& shape, const ConvertOptions& options, const std::filesystem::path& dir);

}  // namespace glassbox
