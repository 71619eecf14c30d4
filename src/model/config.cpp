#include "model/config.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "base/error.h"

namespace glassbox {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

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

// Typed access to config.json fields with errors that name the file and the field.
class Fields {
 public:
  Fields(const json& j, std::string file) : j_(j), file_(std::move(file)) {}

  bool has(const char* key) const { return j_.contains(key) && !j_[key].is_null(); }

  int64_t integer(const char* key) const {
    if (!has(key)) fail(file_ + ": missing field " + key);
    const json& v = j_[key];
    if (!v.is_number_integer()) fail(file_ + ": field " + key + " must be an integer, got " + v.dump());
    if (v.get<int64_t>() <= 0) fail(file_ + ": field " + key + " must be positive, got " + v.dump());
    return v.get<int64_t>();
  }
  int64_t integer(const char* key, int64_t fallback) const { return has(key) ? integer(key) : fallback; }

  double number(const json& obj, const char* key, double fallback) const {
    if (!obj.contains(key) || obj[key].is_null()) return fallback;
    if (!obj[key].is_number()) fail(file_ + ": field " + key + " must be a number, got " + obj[key].dump());
    return obj[key].get<double>();
  }
  double number(const char* key, double fallback) const { return number(j_, key, fallback); }

  bool boolean(const char* key, bool fallback) const {
    if (!has(key)) return fallback;
    if (!j_[key].is_boolean()) fail(file_ + ": field " + key + " must be true or false, got " + j_[key].dump());
    return j_[key].get<bool>();
  }

  std::string string(const char* key, const std::string& fallback) const {
    if (!has(key)) return fallback;
    if (!j_[key].is_string()) fail(file_ + ": field " + key + " must be a string, got " + j_[key].dump());
    return j_[key].get<std::string>();
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
      fail(file + ": field quantization.bits must be 2, 3, 4, 6 or 8, got " + j["bits"].dump());
    s.bits = j["bits"].get<int>();
  }
  if (j.contains("group_size")) {
    if (!j["group_size"].is_number_integer() || j["group_size"].get<int>() <= 0)
      fail(file + ": field quantization.group_size must be a positive integer, got " + j["group_size"].dump());
    s.group_size = j["group_size"].get<int>();
  }
  return s;
}

QuantConfig parse_quantization(const json& q, const std::string& file) {
  QuantConfig out;
  if (!q.is_object()) fail(file + ": field quantization must be an object");
  out.defaults = parse_quant_spec(q, file, {});
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
  if (!params) return r;
  if (!params->is_object()) fail(f.file() + ": field rope_scaling must be an object or null");
  r.theta = f.number(*params, "rope_theta", r.theta);
  const json& p = *params;
  const std::string type = p.contains("rope_type") ? p["rope_type"].get<std::string>()
                           : p.contains("type")    ? p["type"].get<std::string>()
                                                   : "default";
  if (type != "default" && type != "llama3")
    fail(f.file() + ": field rope_type '" + type + "' is not supported (supported: default, llama3)");
  r.type = type == "llama3" ? RopeType::Llama3 : RopeType::Default;
  r.factor = f.number(p, "factor", r.factor);
  r.low_freq_factor = f.number(p, "low_freq_factor", r.low_freq_factor);
  r.high_freq_factor = f.number(p, "high_freq_factor", r.high_freq_factor);
  r.original_max_position = int64_t(f.number(p, "original_max_position_embeddings", double(r.original_max_position)));
  return r;
}

std::vector<int64_t> parse_ids(const json& v) {
  std::vector<int64_t> ids;
  if (v.is_number_integer()) ids.push_back(v.get<int64_t>());
  if (v.is_array())
    for (const json& x : v)
      if (x.is_number_integer()) ids.push_back(x.get<int64_t>());
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

ModelConfig load_config(const fs::path& dir) {
  const fs::path path = dir / "config.json";
  const std::string file = path.string();
  std::ifstream in(path);
  if (!in) fail(file + ": cannot open (is " + dir.string() + " a Hugging Face model directory?)");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::exception&) {
    fail(file + ": not valid JSON");
  }
  if (!j.is_object()) fail(file + ": not a JSON object");
  const Fields f(j, file);

  ModelConfig c;
  c.dir = dir;
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
  c.head_dim = f.integer("head_dim", c.hidden / c.n_heads);
  c.vocab = f.integer("vocab_size");
  c.max_positions = f.integer("max_position_embeddings");
  c.rms_eps = f.number("rms_norm_eps", c.rms_eps);
  c.rope = parse_rope(f);
  c.tie_embeddings = f.boolean("tie_word_embeddings", false);
  c.qkv_bias = f.boolean("attention_bias", family->qkv_bias);
  c.qk_norm = family->qk_norm;
  // Qwen2 configs carry a sliding_window that only applies when use_sliding_window is true.
  if (f.has("sliding_window") && f.boolean("use_sliding_window", c.model_type != "qwen2" && c.model_type != "qwen3"))
    c.sliding_window = f.integer("sliding_window");
  c.eos_ids = f.has("eos_token_id") ? parse_ids(j["eos_token_id"]) : std::vector<int64_t>{};
  c.bos_id = f.has("bos_token_id") && j["bos_token_id"].is_number_integer() ? j["bos_token_id"].get<int64_t>() : -1;
  if (f.has("quantization")) c.quant = parse_quantization(j["quantization"], file);

  if (c.n_heads % c.n_kv_heads != 0)
    fail(file + ": field num_attention_heads (" + std::to_string(c.n_heads) +
         ") must be a multiple of num_key_value_heads (" + std::to_string(c.n_kv_heads) + ")");
  if (c.head_dim % 2 != 0) fail(file + ": field head_dim must be even for rotary embeddings");
  if (j.value("hidden_act", std::string("silu")) != "silu")
    fail(file + ": field hidden_act '" + j["hidden_act"].dump() + "' is not supported (supported: silu)");
  return c;
}

}  // namespace glassbox
