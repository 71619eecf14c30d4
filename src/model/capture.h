#pragma once
// Named activations recorded during a forward pass, under the names the Hugging Face fixtures use:
// embed, q.L, k.L, v.L, attn_probs.L, attn_out.L, mlp_out.L, resid_post.L, final_norm, logits.
// The forward pass takes a Capture* that is null unless someone asked, so an unused capture costs one
// pointer test per site and no copies.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace glassbox {

struct CapturedTensor {
  std::vector<int64_t> shape;
  std::vector<float> values;  // row-major

  float at(int64_t i, int64_t j) const { return values[size_t(i * shape.back() + j)]; }
};

class Capture {
 public:
  // Records only `names`; an empty list records every activation.
  explicit Capture(std::set<std::string> names = {}) : wanted_(std::move(names)) {}

  bool wants(const std::string& name) const { return wanted_.empty() || wanted_.count(name) > 0; }
  void record(const std::string& name, std::vector<int64_t> shape, const float* data);
  const CapturedTensor& get(const std::string& name) const;  // throws when it was not recorded
  bool has(const std::string& name) const { return tensors_.count(name) > 0; }
  const std::map<std::string, CapturedTensor>& tensors() const { return tensors_; }

 private:
  std::set<std::string> wanted_;
  std::map<std::string, CapturedTensor> tensors_;
};

// The name of a per-layer activation: activation_name("q", 3) == "q.3".
std::string activation_name(const char* base, int64_t layer);

// Every name a model with `n_layers` layers can record, in forward order.
std::vector<std::string> activation_names(int64_t n_layers);

}  // namespace glassbox
