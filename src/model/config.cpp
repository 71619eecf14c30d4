#include "model/config.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/error.h"
#include "base/input_file.h"
#include "core/json_file.h"

namespace glassbox {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// Real config.json files are a few KB.
constexpr uint64_t kMaxConfigBytes = 16 << 20;

struct Family {
  const char* architecture;
  bool qkv_bias;
  bool qk_norm;
};

constexpr Family kFamilies[] = {
    {"LlamaForCausalLM", false, false},
    {"MistralForCausalLM", false, false},
    {"Qwen2ForCausalLM", true, false},
    {"Qwen3ForCausalLM", false, true},
};

// Sizes and ids are int32 in the forward pass and the tokenizer; keeping every integer field within int32
// also keeps the product of any two of them (num_attention_heads x head_dim) within int64.
constexpr int64_t kMaxInteger = std::numeric_limits<int32_t>::max();

// Typed access to config.json fields with errors that name the file and the field.
class Fields {
 public:
  Fields(const json& j, std::string file) : j_(j), file_(std::move(file)) {}

  bool has(const char* key) const { return j_.contains(key) && !j_[key].is_null(); }

  // A positive integer no larger than kMaxInteger.
  int64_t integer(const json& obj, const char* key) const {
    const json& v = obj[key];
    if (!v.is_number_integer()) fail(file_ + ": field " + key + " must be an integer, got " + json_excerpt(v));
    if (v.is_number_unsigned() ? v.get<uint64_t>() > uint64_t(kMaxInteger) : v.get<int64_t>() > kMaxInteger)
      fail(file_ + ": field " + key + " is too large (" + json_excerpt(v) + ")");
    if (v.get<int64_t>() <= 0) fail(file_ + ": field " + key + " must be positive, got " + json_excerpt(v));
    return v.get<int64_t>();
  }
  int64_t integer(const char* key) const {
    if (!has(key)) fail(file_ + ": missing field " + key);
    return integer(j_, key);
  }
  int64_t integer(const char* key, int64_t fallback) const { return has(key) ? integer(key) : fallback; }

  // A finite number (1e999 parses as infinity).
  double number(const json& obj, const char* key, double fallback) const {
    if (!obj.contains(key) || obj[key].is_null()) return fallback;
    if (!obj[key].is_number() || !std::isfinite(obj[key].get<double>()))
      fail(file_ + ": field " + key + " must be a finite number, got " + json_excerpt(obj[key]));
    return obj[key].get<double>();
  }
  double number(const char* key, double fallback) const { return number(j_, key, fallback); }

  bool boolean(const char* key, bool fallback) const {
    if (!has(key)) return fallback;
    if (!j_[key].is_boolean()) fail(file_ + ": field " + key + " must be true or false, got " + json_excerpt(j_[key]));
    return j_[key].get<bool>();
  }

  std::string string(const json& obj, const char* key, const std::string& fallback) const {
    if (!obj.contains(key) || obj[key].is_null()) return fallback;
    if (!obj[key].is_string()) fail(file_ + ": field " + key + " must be a string, got " + json_excerpt(obj[key]));
    return obj[key].get<std::string>();
  }
  std::string string(const char* key, const std::string& fallback) const { return string(j_, key, fallback); }

  // Fails naming `key` unless `ok`.
  void require(bool ok, const char* key, const std::string& rule, double value) const {
    if (ok) return;
    std::ostringstream v;
    v << value;
    fail(file_ + ": field " + key + " must be " + rule + ", got " + v.str());
  }

  const json& raw() const { return j_; }
  const std::string& file() const { return file_; }

 private:
  const json& j_;
  std::string file_;
};

QuantSpec parse_quant_spec(const json& j, const std::string& file, const QuantSpec& fallback) {
  QuantSpec s = fallback;
  if (j.contains("bits")) {
    if (!j["bits"].is_number_integer() || (j["bits"] != 4 && j["bits"] != 8 && j["bits"] != 2 && j["bits"] != 3 && j["bits"] != 6))
      fail(file + ": field quantization.bits must be 2, 3, 4, 6 or 8, got " + json_excerpt(j["bits"]));
    s.bits = j["bits"].get<int>();
  }
  if (j.contains("group_size")) {
    const json& g = j["group_size"];
    if (!g.is_number_integer() || g.get<int64_t>() <= 0 || g.get<int64_t>() > (1 << 20))
      fail(file + ": field quantization.group_size must be a positive integer, got " + json_excerpt(g));
    s.group_size = g.get<int>();
  }
  return s;
}

QuantConfig parse_quantization(const json& q, const std::string& file) {
  QuantConfig out;
  if (!q.is_object()) fail(file + ": field quantization must be an object");
  out.defaults = parse_quant_spec(q, file, {});
  if (q.contains("mode") && q["mode"] != "affine")
    fail(file + ": field quantization.mode " + json_excerpt(q["mode"]) + " is not supported (supported: affine)");
  for (auto it = q.begin(); it != q.end(); ++it) {
    if (it.key() == "bits" || it.key() == "group_size" || it.key() == "mode") continue;
    if (it->is_boolean() && !it->get<bool>()) out.overrides[it.key()] = QuantSpec{0, out.defaults.group_size};
    else if (it->is_object()) out.overrides[it.key()] = parse_quant_spec(*it, file, out.defaults);
  }
  return out;
}

RopeConfig parse_rope(const Fields& f) {
  RopeConfig r;
  // transformers 5 nests everything under rope_parameters; published checkpoints use rope_theta + rope_scaling.
  const json* params = nullptr;
  if (f.has("rope_parameters")) params = &f.raw()["rope_parameters"];
  else if (f.has("rope_scaling")) params = &f.raw()["rope_scaling"];
  r.theta = f.number("rope_theta", r.theta);
  if (params) {
    if (!params->is_object()) fail(f.file() + ": field rope_scaling must be an object or null");
    const json& p = *params;
    r.theta = f.number(p, "rope_theta", r.theta);
    const std::string type = f.string(p, "rope_type", f.string(p, "type", "default"));
    if (type != "default" && type != "llama3")
      fail(f.file() + ": field rope_type '" + type + "' is not supported (supported: default, llama3)");
    r.type = type == "llama3" ? RopeType::Llama3 : RopeType::Default;
    r.factor = f.number(p, "factor", r.factor);
    r.low_freq_factor = f.number(p, "low_freq_factor", r.low_freq_factor);
    r.high_freq_factor = f.number(p, "high_freq_factor", r.high_freq_factor);
    if (p.contains("original_max_position_embeddings") && !p["original_max_position_embeddings"].is_null())
      r.original_max_position = f.integer(p, "original_max_position_embeddings");
  }
  // Values that make every rotation angle infinite, NaN or meaningless (theta 1 gives every pair the same
  // frequency); transformers validates llama3's the same way.
  f.require(r.theta > 1, "rope_theta", "a number > 1", r.theta);
  if (r.type == RopeType::Llama3) {
    f.require(r.factor >= 1, "factor", "a number >= 1 (rope_scaling)", r.factor);
    f.require(r.low_freq_factor > 0, "low_freq_factor", "a number > 0 (rope_scaling)", r.low_freq_factor);
    f.require(r.high_freq_factor > r.low_freq_factor, "high_freq_factor",
              "greater than low_freq_factor (rope_scaling)", r.high_freq_factor);
  }
  return r;
}

// eos_token_id / bos_token_id: one id or a list; each must be a token of the vocabulary.
std::vector<int64_t> parse_ids(const Fields& f, const char* key, int64_t vocab) {
  std::vector<int64_t> ids;
  if (!f.has(key)) return ids;
  const json& v = f.raw()[key];
  const auto add = [&](const json& x) {
    if (!x.is_number_integer() || x.get<int64_t>() < 0 || (x.is_number_unsigned() && x.get<uint64_t>() > uint64_t(kMaxInteger)) ||
        x.get<int64_t>() >= vocab)
      fail(f.file() + ": field " + key + ": " + json_excerpt(x) + " is not a token id of the vocabulary (vocab_size " +
           std::to_string(vocab) + ")");
    ids.push_back(x.get<int64_t>());
  };
  if (v.is_array()) {
    for (const json& x : v) add(x);
  } else {
    add(v);
  }
  return ids;
}

}  // namespace

const QuantSpec& QuantConfig::for_module(const std::string& module) const {
  auto it = overrides.find(module);
  return it == overrides.end() ? defaults : it->second;
}

const std::vector<std::string>& supported_architectures() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const Family& f : kFamilies) v.push_back(f.architecture);
    return v;
  }();
  return names;
}

ModelConfig parse_config(std::string_view text, const std::string& file) {
  const json j = parse_json(text, file);
  if (!j.is_object()) fail(file + ": not a JSON object");
  const Fields f(j, file);

  ModelConfig c;
  if (!f.has("architectures") || !j["architectures"].is_array() || j["architectures"].empty() ||
      !j["architectures"][0].is_string())
    fail(file + ": missing field architectures");
  c.architecture = j["architectures"][0].get<std::string>();
  const Family* family = nullptr;
  for (const Family& fam : kFamilies)
    if (c.architecture == fam.architecture) family = &fam;
  if (!family) {
    std::string list;
    for (const auto& a : supported_architectures()) list += (list.empty() ? "" : ", ") + a;
    fail(file + ": architecture " + c.architecture + " is not supported (supported: " + list + ")");
  }
  c.model_type = f.string("model_type", "");
  c.hidden = f.integer("hidden_size");
  c.intermediate = f.integer("intermediate_size");
  c.n_layers = f.integer("num_hidden_layers");
  c.n_heads = f.integer("num_attention_heads");
  c.n_kv_heads = f.integer("num_key_value_heads", c.n_heads);
  if (!f.has("head_dim") && c.hidden % c.n_heads != 0)
    fail(file + ": field hidden_size (" + std::to_string(c.hidden) + ") must be a multiple of num_attention_heads (" +
         std::to_string(c.n_heads) + ") when head_dim is not given");
  c.head_dim = f.integer("head_dim", c.hidden / c.n_heads);
  c.vocab = f.integer("vocab_size");
  c.max_positions = f.integer("max_position_embeddings");
  c.rms_eps = f.number("rms_norm_eps", c.rms_eps);
  f.require(c.rms_eps >= 0 && c.rms_eps < 1, "rms_norm_eps", "in [0, 1)", c.rms_eps);
  c.rope = parse_rope(f);
  c.tie_embeddings = f.boolean("tie_word_embeddings", false);
  c.qkv_bias = f.boolean("attention_bias", family->qkv_bias);
  c.qk_norm = family->qk_norm;
  // Qwen2 configs carry a sliding_window that only applies when use_sliding_window is true.
  if (f.has("sliding_window") && f.boolean("use_sliding_window", c.model_type != "qwen2" && c.model_type != "qwen3"))
    c.sliding_window = f.integer("sliding_window");
  c.eos_ids = parse_ids(f, "eos_token_id", c.vocab);
  const std::vector<int64_t> bos = parse_ids(f, "bos_token_id", c.vocab);
  c.bos_id = bos.empty() ? -1 : bos.front();
  if (f.has("quantization")) c.quant = parse_quantization(j["quantization"], file);

  if (c.n_heads % c.n_kv_heads != 0)
    fail(file + ": field num_attention_heads (" + std::to_string(c.n_heads) +
         ") must be a multiple of num_key_value_heads (" + std::to_string(c.n_kv_heads) + ")");
  if (c.head_dim % 2 != 0) fail(file + ": field head_dim must be even for rotary embeddings");
  const std::string act = f.string("hidden_act", "silu");
  if (act != "silu") fail(file + ": field hidden_act '" + act + "' is not supported (supported: silu)");
  return c;
}

ModelConfig load_config(const fs::path& dir) {
  const fs::path path = dir / "config.json";
  if (!input_exists(path)) fail(path.string() + ": cannot open (is " + dir.string() + " a Hugging Face model directory?)");
  ModelConfig c = parse_config(read_input_file(file_in_folder(dir, "config.json", path.string()), kMaxConfigBytes),
                               path.string());
  c.dir = dir;
  return c;
}

}  // namespace glassbox
