#include "model/synthetic.h"

#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "base/error.h"
#include "model/tensor_names.h"

namespace glassbox {
namespace fs = std::filesystem;

const std::vector<SyntheticShape>& synthetic_shapes() {
  // name, architecture, model_type, hidden, intermediate, layers, heads, kv_heads, head_dim, vocab,
  // max_position_embeddings, rope_theta, rms_norm_eps, tied, qkv_bias, qk_norm, llama3 rope: the values of
  // each model's published config.json (Mistral: v0.3, whose vocabulary is 32768 and has no sliding window).
  static const std::vector<SyntheticShape> shapes = {
      {"smollm2-135m", "LlamaForCausalLM", "llama", 576, 1536, 30, 9, 3, 64, 49152, 8192, 100000, 1e-5, true, false, false, false},
      {"qwen2.5-0.5b", "Qwen2ForCausalLM", "qwen2", 896, 4864, 24, 14, 2, 64, 151936, 32768, 1000000, 1e-6, true, true, false, false},
      {"llama3.2-1b", "LlamaForCausalLM", "llama", 2048, 8192, 16, 32, 8, 64, 128256, 131072, 500000, 1e-5, true, false, false, true},
      {"llama3.2-3b", "LlamaForCausalLM", "llama", 3072, 8192, 28, 24, 8, 128, 128256, 131072, 500000, 1e-5, true, false, false, true},
      {"qwen2-7b", "Qwen2ForCausalLM", "qwen2", 3584, 18944, 28, 28, 4, 128, 152064, 131072, 1000000, 1e-6, false, true, false, false},
      {"mistral-7b", "MistralForCausalLM", "mistral", 4096, 14336, 32, 32, 8, 128, 32768, 32768, 1000000, 1e-5, false, false, false, false},
      {"qwen3-8b", "Qwen3ForCausalLM", "qwen3", 4096, 12288, 36, 32, 8, 128, 151936, 40960, 1000000, 1e-6, false, false, true, false},
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

// One tensor of the checkpoint and how its random values are drawn: uniform in +-scale around offset.
struct SyntheticTensor {
  std::string name;
  std::vector<int64_t> shape;
  float scale, offset = 0.0f;
};

// Weights uniform in +-1/sqrt(width) keep activations of order one through the layers; norms are ones.
std::vector<SyntheticTensor> tensors_of(const SyntheticShape& s) {
  const float in_scale = 1.0f / std::sqrt(float(s.hidden)), mid_scale = 1.0f / std::sqrt(float(s.intermediate));
  const int64_t q_width = s.heads * s.head_dim, kv_width = s.kv_heads * s.head_dim;
  std::vector<SyntheticTensor> t = {{std::string(hf::kEmbedding) + ".weight", {s.vocab, s.hidden}, 1.0f}};
  for (int64_t l = 0; l < s.layers; ++l) {
    const std::string p = hf::layer_prefix(l);
    t.push_back({p + hf::kAttnNorm, {s.hidden}, 0.0f, 1.0f});
    t.push_back({p + hf::kMlpNorm, {s.hidden}, 0.0f, 1.0f});
    t.push_back({p + hf::kQ + ".weight", {q_width, s.hidden}, in_scale});
    t.push_back({p + hf::kK + ".weight", {kv_width, s.hidden}, in_scale});
    t.push_back({p + hf::kV + ".weight", {kv_width, s.hidden}, in_scale});
    t.push_back({p + hf::kO + ".weight", {s.hidden, q_width}, 1.0f / std::sqrt(float(q_width))});
    if (s.qkv_bias) {
      t.push_back({p + hf::kQ + ".bias", {q_width}, 0.1f});
      t.push_back({p + hf::kK + ".bias", {kv_width}, 0.1f});
      t.push_back({p + hf::kV + ".bias", {kv_width}, 0.1f});
    }
    if (s.qk_norm) {
      t.push_back({p + hf::kQNorm, {s.head_dim}, 0.0f, 1.0f});
      t.push_back({p + hf::kKNorm, {s.head_dim}, 0.0f, 1.0f});
    }
    t.push_back({p + hf::kGate + ".weight", {s.intermediate, s.hidden}, in_scale});
    t.push_back({p + hf::kUp + ".weight", {s.intermediate, s.hidden}, in_scale});
    t.push_back({p + hf::kDown + ".weight", {s.hidden, s.intermediate}, mid_scale});
  }
  t.push_back({hf::kFinalNorm, {s.hidden}, 0.0f, 1.0f});
  if (!s.tied) t.push_back({std::string(hf::kLmHead) + ".weight", {s.vocab, s.hidden}, in_scale});
  return t;
}

// Stored bytes of the checkpoint `options` makes of `s`, without writing it.
size_t stored_bytes(const SyntheticShape& s, const ConvertOptions& options) {
  CheckpointEncoder encoder(options);
  for (const SyntheticTensor& t : tensors_of(s)) encoder.plan(t.name, t.shape);
  return encoder.stats().bytes;
}

std::string cache_key(const SyntheticShape& s, const ConvertOptions& o) {
  const char* dtype = o.dtype == DType::F32 ? "f32" : o.dtype == DType::F16 ? "f16" : "bf16";
  std::string key = s.name + "-" + dtype;
  if (o.bits > 0) key += "-q" + std::to_string(o.bits) + "g" + std::to_string(o.group_size);
  return key + "-v2";  // bump when the generator's output changes, so stale checkpoints are not reused
}

}  // namespace

int64_t SyntheticShape::parameters() const {
  int64_t n = 0;
  for (const SyntheticTensor& t : tensors_of(*this)) {
    int64_t size = 1;
    for (int64_t d : t.shape) size *= d;
    n += size;
  }
  return n;
}

void write_synthetic_model(const SyntheticShape& s, const ConvertOptions& options, const fs::path& dir) {
  using json = nlohmann::json;
  const char* dtype = options.dtype == DType::F32 ? "float32" : options.dtype == DType::F16 ? "float16" : "bfloat16";
  json config = {{"architectures", {s.architecture}}, {"model_type", s.model_type}, {"hidden_size", s.hidden},
                 {"intermediate_size", s.intermediate}, {"num_hidden_layers", s.layers},
                 {"num_attention_heads", s.heads}, {"num_key_value_heads", s.kv_heads}, {"head_dim", s.head_dim},
                 {"vocab_size", s.vocab}, {"max_position_embeddings", s.max_positions}, {"rms_norm_eps", s.rms_eps},
                 {"rope_theta", s.rope_theta}, {"tie_word_embeddings", s.tied}, {"torch_dtype", dtype},
                 {"glassbox_synthetic", true}};
  if (s.llama3_rope)
    config["rope_scaling"] = {{"rope_type", "llama3"}, {"factor", 32.0}, {"low_freq_factor", 1.0},
                              {"high_freq_factor", 4.0}, {"original_max_position_embeddings", 8192}};

  const std::vector<SyntheticTensor> tensors = tensors_of(s);
  CheckpointEncoder encoder(options);
  for (const SyntheticTensor& t : tensors) encoder.plan(t.name, t.shape);
  if (options.bits > 0) config["quantization"] = json::parse(quantization_json(options, encoder.stats()));
  fs::create_directories(dir);
  write_file_atomically(dir / "config.json", config.dump(2) + "\n");
  encoder.open(dir);
  Random random{0x5eed};
  std::vector<float> values;
  for (const SyntheticTensor& t : tensors) {
    const int64_t rows = t.shape[0], width = t.shape.size() > 1 ? t.shape[1] : 1;
    const int64_t step = CheckpointEncoder::rows_per_block(t.shape);
    for (int64_t r0 = 0; r0 < rows; r0 += step) {
      const int64_t r1 = std::min(rows, r0 + step);
      values.resize(size_t((r1 - r0) * width));
      for (float& v : values) v = t.offset + random.uniform(t.scale);
      encoder.encode(t.name, values.data(), r0, r1);
    }
  }
  encoder.finish();
}

fs::path synthetic_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && *xdg) return fs::path(xdg) / "glassbox" / "synthetic";
  const char* home = std::getenv("HOME");
  if (!home || !*home) fail("--synthetic: neither XDG_CACHE_HOME nor HOME is set, so there is no cache folder");
  return fs::path(home) / ".cache" / "glassbox" / "synthetic";
}

fs::path cached_synthetic_model(const SyntheticShape& shape, const ConvertOptions& options, bool& written) {
  const fs::path root = synthetic_cache_dir(), dir = root / cache_key(shape, options);
  written = false;
  if (fs::is_regular_file(dir / "config.json")) return dir;
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) fail(root.string() + ": cannot create the synthetic model cache: " + ec.message());
  const size_t need = stored_bytes(shape, options), margin = size_t(1) << 30;
  const fs::space_info space = fs::space(root, ec);
  if (!ec && space.available < need + margin)
    fail(root.string() + ": " + shape.name + " needs " + std::to_string(need / (1 << 20)) + " MiB (+1 GiB to spare) but only " +
         std::to_string(space.available / (1 << 20)) + " MiB are free; set XDG_CACHE_HOME to a larger disk");
  try {
    write_directory_atomically(dir, [&](const fs::path& tmp) { write_synthetic_model(shape, options, tmp); });
  } catch (const Error&) {
    if (!fs::is_regular_file(dir / "config.json")) throw;  // else another run wrote it first: use that one
  }
  written = true;
  return dir;
}

}  // namespace glassbox
