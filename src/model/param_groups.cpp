#include "model/param_groups.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "base/error.h"
#include "model/tensor_names.h"

namespace glassbox {
namespace {

// "model.layers.3.self_attn.q_proj.weight" -> {3, "q_proj.weight"}; norms drop their ".weight".
ParamGroup classify(const std::string& name) {
  ParamGroup g;
  std::string rest = name;
  if (name.starts_with(hf::kLayersPrefix)) {
    const size_t prefix = std::string(hf::kLayersPrefix).size(), dot = name.find('.', prefix);
    g.layer = std::stoll(name.substr(prefix, dot - prefix));
    rest = name.substr(dot + 1);
    for (const char* prefix : {"self_attn.", "mlp."})
      if (rest.rfind(prefix, 0) == 0) rest = rest.substr(std::string(prefix).size());
  }
  if (rest == std::string(hf::kEmbedding) + ".weight") rest = "embedding";
  else if (rest == hf::kFinalNorm) rest = "final_norm";
  else if (rest == std::string(hf::kLmHead) + ".weight") rest = "lm_head";
  else if (rest.ends_with("norm.weight")) rest = rest.substr(0, rest.size() - 7);
  g.name = rest;
  return g;
}

}  // namespace

int64_t logical_params(const ModelConfig& config, const TensorStore& store, const std::string& name) {
  const TensorView& t = store.get(name);
  if (name.ends_with(".scales") || name.ends_with(".biases")) {
    const std::string module = name.substr(0, name.size() - 7);
    if (store.find(module + ".weight") && store.get(module + ".weight").dtype == DType::U32) return 0;
  }
  if (t.dtype == DType::U32 && name.ends_with(".weight")) {
    const int bits = config.quant.for_module(name.substr(0, name.size() - 7)).bits;
    if (bits <= 0) fail(name + ": packed uint32 weight but config.json has no quantization for it");
    return t.numel() * 32 / bits;
  }
  return t.numel();
}

ParamReport count_parameters(const ModelConfig& config, const TensorStore& store) {
  ParamReport r;
  r.tied_lm_head = config.tie_embeddings || !store.find(std::string(hf::kLmHead) + ".weight");
  std::map<std::pair<int64_t, std::string>, int64_t> counts;
  for (const std::string& name : store.names()) {
    const int64_t n = logical_params(config, store, name);
    if (n == 0) continue;
    ParamGroup g = classify(name);
    if (g.name.ends_with(".scales") || g.name.ends_with(".biases")) continue;
    counts[{g.layer, g.name}] += n;
  }
  // Order: embedding, then each layer in the order data flows through it, final norm, lm head.
  static const std::vector<std::string> flow = {
      "input_layernorm", "q_proj.weight", "q_proj.bias", "k_proj.weight", "k_proj.bias", "v_proj.weight",
      "v_proj.bias", "q_norm", "k_norm", "o_proj.weight", "post_attention_layernorm", "gate_proj.weight",
      "up_proj.weight", "down_proj.weight", "final_norm", "lm_head"};
  auto rank = [](const std::pair<int64_t, std::string>& k) {
    const auto at = std::find(flow.begin(), flow.end(), k.second);
    const int64_t layer = k.second == "embedding" ? -2 : k.first >= 0 ? k.first : int64_t(1) << 40;
    return std::make_tuple(layer, at - flow.begin(), k.second);
  };
  std::vector<std::pair<std::pair<int64_t, std::string>, int64_t>> ordered(counts.begin(), counts.end());
  std::stable_sort(ordered.begin(), ordered.end(), [&](const auto& a, const auto& b) { return rank(a.first) < rank(b.first); });
  for (const auto& [key, n] : ordered) {
    r.groups.push_back({key.second, key.first, n});
    r.total += n;
  }
  return r;
}

int64_t ParamReport::per_layer(int64_t layer) const {
  int64_t n = 0;
  for (const auto& g : groups) if (g.layer == layer) n += g.count;
  return n;
}

int64_t ParamReport::group_total(const std::string& name) const {
  int64_t n = 0;
  for (const auto& g : groups) if (g.name == name) n += g.count;
  return n;
}

}  // namespace glassbox
