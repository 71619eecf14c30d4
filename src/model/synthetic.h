#pragma once
// Random-weight checkpoints with the exact shapes of real models (from their published config.json), so
// speed can be measured without a download. Their config.json says "glassbox_synthetic": true and bench
// labels them "synthetic".
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
  int64_t hidden, intermediate, layers, heads, kv_heads, head_dim, vocab, max_positions;
  double rope_theta, rms_eps;
  bool tied = true;          // tie_word_embeddings
  bool qkv_bias = false;     // Qwen2
  bool qk_norm = false;      // Qwen3
  bool llama3_rope = false;  // Llama 3.x rope_scaling

  int64_t parameters() const;
};

const std::vector<SyntheticShape>& synthetic_shapes();
const SyntheticShape& synthetic_shape(const std::string& name);  // throws naming --synthetic and the choices

// Writes config.json and the safetensors (sharded like mlx-lm above 5 GiB) of random weights (fixed seed)
// into the new directory `dir`, stored as `options` asks (a float dtype, or quantized codes), one block of
// rows at a time: memory stays near 100 MB for any shape.
void write_synthetic_model(const SyntheticShape& shape, const ConvertOptions& options, const std::filesystem::path& dir);

// Where synthetic checkpoints are kept between runs: $XDG_CACHE_HOME/glassbox/synthetic, else
// ~/.cache/glassbox/synthetic.
std::filesystem::path synthetic_cache_dir();

// The cached checkpoint of `shape` stored as `options` asks, written first if it is not there yet (after
// checking that the disk has room; the error says how much is needed). `written` tells which happened.
std::filesystem::path cached_synthetic_model(const SyntheticShape& shape, const ConvertOptions& options, bool& written);

}  // namespace glassbox
