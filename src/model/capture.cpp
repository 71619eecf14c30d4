#include "model/capture.h"

#include "base/error.h"

namespace glassbox {

void Capture::record(const std::string& name, std::vector<int64_t> shape, const float* data) {
  if (!wants(name)) return;
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  tensors_[name] = CapturedTensor{std::move(shape), std::vector<float>(data, data + n)};
}

const CapturedTensor& Capture::get(const std::string& name) const {
  auto it = tensors_.find(name);
  if (it == tensors_.end()) fail("activation '" + name + "' was not captured");
  return it->second;
}

std::string activation_name(const char* base, int64_t layer) { return std::string(base) + "." + std::to_string(layer); }

std::vector<std::string> activation_names(int64_t n_layers) {
  std::vector<std::string> names{"embed"};
  for (int64_t l = 0; l < n_layers; ++l)
    for (const char* base : {"q", "k", "v", "attn_probs", "attn_out", "mlp_out", "resid_post"})
      names.push_back(activation_name(base, l));
  names.push_back("final_norm");
  names.push_back("logits");
  return names;
}

}  // namespace glassbox
