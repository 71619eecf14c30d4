#pragma once
// config.json of a Hugging Face checkpoint, reduced to the flags that make one forward pass serve every
// supported family: Llama (incl. Llama-3 rope scaling), Qwen2 (q/k/v bias), Qwen3 (q/k norm), Mistral.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace glassbox {

enum class RopeType { Default, Llama3 };  // Llama3: the frequency scaling of Llama 3.1+

struct RopeConfig {
  double theta = 10000.0;
  RopeType type = RopeType::Default;
  double factor = 1.0;
  double low_freq_factor = 1.0;
  double high_freq_factor = 4.0;
  int64_t original_max_position = 8192;
};

// mlx-community checkpoints: "quantization": {"group_size": G, "bits": B, "<module path>": {...} or false}.
struct QuantSpec {
  int bits = 0;  // 0: not quantized
  int group_size = 64;
};

struct QuantConfig {
  QuantSpec defaults;
  std::map<std::string, QuantSpec> overrides;  // module path (without ".weight") -> spec
  const QuantSpec& for_module(const std::string& module) const;
};

struct ModelConfig {
  std::filesystem::path dir;
  std::string architecture;  // e.g. "Qwen3ForCausalLM"
  std::string model_type;    // e.g. "qwen3"
  int64_t hidden = 0;
  int64_t intermediate = 0;
  int64_t n_layers = 0;
  int64_t n_heads = 0;
  int64_t n_kv_heads = 0;
  int64_t head_dim = 0;
  int64_t vocab = 0;
  int64_t max_positions = 0;
  double rms_eps = 1e-6;
  RopeConfig rope;
  bool tie_embeddings = false;
  bool qkv_bias = false;  // Qwen2
  bool qk_norm = false;   // Qwen3
  int64_t sliding_window = 0;  // Mistral-style local attention span; 0: attend to the whole prefix
  std::vector<int64_t> eos_ids;
  int64_t bos_id = -1;
  QuantConfig quant;
};

// The architectures glassbox runs, as named in config.json's "architectures".
const std::vector<std::string>& supported_architectures();

// Reads and validates <dir>/config.json; every error names the file and the field.
ModelConfig load_config(const std::filesystem::path& dir);

// Validates the text of a config.json; errors start with `file`. (load_config reads the file; the fuzzer
// calls this directly.)
ModelConfig parse_config(std::string_view text, const std::string& file);

}  // namespace glassbox
