#include "model/synthetic.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "base/error.h"
#include "model/tensor_names.h"

namespace glassbox {

const std::vector<SyntheticShape>& synthetic_shapes() {
  static const std::vector<SyntheticShape> shapes = {
      {"smollm2-135m", "LlamaForCausalLM", "llama", 576, 1536, 30, 9, 3, 64, 49152, false, false},
      {"qwen2.5-0.5b", "Qwen2ForCausalLM", "qwen2", 896, 4864, 24, 14, 2, 64, 151936, true, false},
      {"llama3.2-1b", "LlamaForCausalLM", "llama", 2048, 8192, 16, 32, 8, 64, 128256, false, true},
  };
  return shapes;
}

const SyntheticShape& synthetic_shape(const std::string& name) {
  std::string choices;
  for (const SyntheticShape& s : synthetic_shapes()) {
    if (s.name == name) return s;
    choices += (choices.empty() ? "" : ", ") + s.name;
  }
  fail("--synthetic: unknown model '" + name + "' (choose one of " + choices + ")");
}

namespace {

// splitmix64: fast, and the same stream on every machine.
struct Random {
  uint64_t state;
  float uniform(float scale) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return scale * (float(z >> 40) / float(1 << 24) * 2.0f - 1.0f);
  }
};

}  // namespace

void write_synthetic_model(const SyntheticShape& s, const ConvertOptions& options, const std::filesystem::path& dir) {
  using json = nlohmann::json;
  const char* dtype = options.dtype == DType::F32 ? "float32" : options.dtype == DType::F16 ? "float16" : "bfloat16";
  json config = {{"architectures", {s.architecture}}, {"model_type", s.model_type}, {"hidden_size", s.hidden},
                 {"intermediate_size", s.intermediate}, {"num_hidden_layers", s.layers},
                 {"num_attention_heads", s.heads}, {"num_key_value_heads", s.kv_heads}, {"head_dim", s.head_dim},
                 {"vocab_size", s.vocab}, {"max_position_embeddings", 8192}, {"rms_norm_eps", 1e-5},
                 {"rope_theta", s.llama3_rope ? 500000.0 : 10000.0}, {"tie_word_embeddings", true},
                 {"torch_dtype", dtype}, {"glassbox_synthetic", true}};
  if (s.llama3_rope)
    config["rope_scaling"] = {{"rope_type", "llama3"}, {"factor", 32.0}, {"low_freq_factor", 1.0},
                              {"high_freq_factor", 4.0}, {"original_max_position_embeddings", 8192}};

  // Weights uniform in +-1/sqrt(width) keep activations of order one through the layers; norms are ones.
  std::vector<OwnedTensor> tensors;
  ConvertStats stats;
  Random random{0x5eed};
  std::vector<float> values;
  auto add = [&](const std::string& name, std::vector<int64_t> shape, float scale, float offset = 0.0f) {
    values.resize(size_t(shape[0] * (shape.size() > 1 ? shape[1] : 1)));
    for (float& v : values) v = offset + random.uniform(scale);
    encode_tensor(name, shape, values.data(), options, tensors, stats);
  };
  const float in_scale = 1.0f / std::sqrt(float(s.hidden)), mid_scale = 1.0f / std::sqrt(float(s.intermediate));
  const int64_t q_width = s.heads * s.head_dim, kv_width = s.kv_heads * s.head_dim;
  add(std::string(hf::kEmbedding) + ".weight", {s.vocab, s.hidden}, 1.0f);
  for (int64_t l = 0; l < s.layers; ++l) {
    const std::string p = hf::layer_prefix(l);
    add(p + hf::kAttnNorm, {s.hidden}, 0.0f, 1.0f);
    add(p + hf::kMlpNorm, {s.hidden}, 0.0f, 1.0f);
    add(p + hf::kQ + ".weight", {q_width, s.hidden}, in_scale);
    add(p + hf::kK + ".weight", {kv_width, s.hidden}, in_scale);
    add(p + hf::kV + ".weight", {kv_width, s.hidden}, in_scale);
    add(p + hf::kO + ".weight", {s.hidden, q_width}, 1.0f / std::sqrt(float(q_width)));
    if (s.qkv_bias) {
      add(p + hf::kQ + ".bias", {q_width}, 0.1f);
      add(p + hf::kK + ".bias", {kv_width}, 0.1f);
      add(p + hf::kV + ".bias", {kv_width}, 0.1f);
    }
    add(p + hf::kGate + ".weight", {s.intermediate, s.hidden}, in_scale);
    add(p + hf::kUp + ".weight", {s.intermediate, s.hidden}, in_scale);
    add(p + hf::kDown + ".weight", {s.hidden, s.intermediate}, mid_scale);
  }
  add(hf::kFinalNorm, {s.hidden}, 0.0f, 1.0f);
  if (options.bits > 0) config["quantization"] = json::parse(quantization_json(options, stats));

  std::filesystem::create_directories(dir);
  write_file_atomically(dir / "config.json", config.dump(2) + "\n");
  write_safetensors(dir / "model.safetensors", tensors, {{"format", "mlx"}});
}

}  // namespace glassbox
