#pragma once
// Recording activations is one kind of hook: a Capture adds a hook per site it wants, each copying the
// activation under its site name (the names of the Hugging Face fixtures: embed, q.0, attn_probs.0, ...).
// It holds only the sites asked for (and of attention patterns only the heads asked for), so its size is
// known before the forward pass: capture_bytes() says how much a request needs.
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "model/hooks.h"
#include "model/model.h"

namespace glassbox {

struct CapturedTensor {
  std::vector<int64_t> shape;
  std::vector<float> values;  // row-major

  float at(int64_t i, int64_t j) const { return values[size_t(i * shape.back() + j)]; }
};

class Capture {
 public:
  // Records `sites`; of attn_scores/attn_probs only the query heads in `heads` (empty: all), stacked in
  // ascending order into [heads kept, T, S].
  explicit Capture(std::vector<Site> sites, std::vector<int64_t> heads = {});

  // Adds the recording hooks to `hooks`, after those already there, so the capture sees what earlier hooks
  // made of each activation. The Capture must stay where it is while `hooks` is in use. A later forward
  // pass with the same hooks (a decode step) replaces what the previous one recorded.
  void attach(Hooks& hooks);

  bool has(const std::string& name) const { return tensors_.count(name) > 0; }
  const CapturedTensor& get(const std::string& name) const;  // an Error when it was not recorded
  const CapturedTensor& get(Site site) const { return get(site_name(site)); }
  const std::map<std::string, CapturedTensor>& tensors() const { return tensors_; }
  // Hands the recorded tensors over, leaving the capture empty (so a caller can free them one by one).
  std::map<std::string, CapturedTensor> take() { return std::move(tensors_); }
  const std::vector<Site>& sites() const { return sites_; }
  const std::vector<int64_t>& heads() const { return heads_; }

 private:
  void record(const std::string& name, const Activation& a);

  std::vector<Site> sites_;
  std::vector<int64_t> heads_;
  std::map<std::string, CapturedTensor> tensors_;
};

// Bytes a Capture of `sites` (attention patterns limited to `n_heads_kept` heads) holds after a forward
// pass of T tokens seeing S positions.
int64_t capture_bytes(const std::vector<Site>& sites, int64_t n_heads_kept, const ModelConfig& config, int64_t T,
                      int64_t S);

// TransformerLens' run_with_cache: one forward pass of `tokens` from an empty KV cache with `hooks` (may be
// null), recording `sites` as they are after those hooks.
Capture run_with_cache(const Model& model, std::span<const int32_t> tokens, std::vector<Site> sites,
                       const Hooks* hooks = nullptr, std::vector<int64_t> heads = {});

}  // namespace glassbox
