#include "model/capture.h"

#include <algorithm>

#include "base/error.h"

namespace glassbox {

Capture::Capture(std::vector<Site> sites, std::vector<int64_t> heads) : sites_(std::move(sites)), heads_(std::move(heads)) {
  std::sort(heads_.begin(), heads_.end());  // the order the forward pass delivers them
  heads_.erase(std::unique(heads_.begin(), heads_.end()), heads_.end());
}

void Capture::attach(Hooks& hooks) {
  for (const Site& site : sites_)
    hooks.add(site, [this, name = site_name(site)](Activation& a) { record(name, a); });
}

void Capture::record(const std::string& name, const Activation& a) {
  const float* begin = a.data;
  const float* end = a.data + a.rows * a.cols;
  CapturedTensor& t = tensors_[name];
  if (a.head < 0) {
    t.shape = {a.rows, a.cols};
    t.values.assign(begin, end);
    return;
  }
  // An attention pattern arrives one head at a time: the first kept head starts a new [heads, T, S].
  const auto kept = std::find(heads_.begin(), heads_.end(), a.head);
  if (!heads_.empty() && kept == heads_.end()) return;
  if (t.shape.size() != 3 || (heads_.empty() ? a.head == 0 : kept == heads_.begin())) {
    t.shape = {0, a.rows, a.cols};
    t.values.clear();
    t.values.reserve(size_t((heads_.empty() ? 1 : heads_.size()) * a.rows * a.cols));
  }
  t.values.insert(t.values.end(), begin, end);
  ++t.shape[0];
}

const CapturedTensor& Capture::get(const std::string& name) const {
  auto it = tensors_.find(name);
  if (it == tensors_.end()) fail("activation '" + name + "' was not captured");
  return it->second;
}

int64_t capture_bytes(const std::vector<Site>& sites, int64_t n_heads_kept, const ModelConfig& config, int64_t T,
                      int64_t S) {
  int64_t bytes = 0;
  for (const Site& site : sites) {
    std::vector<int64_t> shape = site_shape(site, config, T, S);
    if (is_attention_pattern(site.kind)) shape[0] = n_heads_kept;
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    bytes += n * int64_t(sizeof(float));
  }
  return bytes;
}

Capture run_with_cache(const Model& model, std::span<const int32_t> tokens, std::vector<Site> sites,
                       const Hooks* hooks, std::vector<int64_t> heads) {
  Capture capture(std::move(sites), std::move(heads));
  Hooks all = hooks ? *hooks : Hooks();
  capture.attach(all);
  KVCache cache = model.new_cache(int64_t(tokens.size()));
  model.forward(tokens, cache, &all);
  return capture;
}

}  // namespace glassbox
