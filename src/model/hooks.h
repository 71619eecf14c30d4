#pragma once
// Hooks: functions the forward pass calls at chosen sites with a mutable view of the activation there, as
// TransformerLens' run_with_hooks does. A hook may read the activation (Capture records it), or change it
// in place (ablation, patching, steering), and the rest of the pass computes from the changed values.
//
//   Hooks hooks;
//   hooks.add({SiteKind::z, 5}, [](Activation& a) {             // zero head 2 of layer 5
//     for (int64_t r = 0; r < a.rows; ++r) std::fill_n(a.row(r) + 2 * head_dim, head_dim, 0.0f);
//   });
//   model.forward(ids, cache, &hooks);
//
// Every view is a row-major matrix [rows, cols] whose row r is the token at absolute position
// `position + r`: position is the KV cache's length before the call, so one hook serves a whole prompt
// and each later decode step alike. attn_scores and attn_probs ([heads, T, S]) are passed one query head
// at a time, as [T, S] with `head` set, so only one head's scores are ever materialized.
// With no hooks (a null Hooks*) the forward pass does nothing extra: one pointer test per site.
#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "model/site.h"

namespace glassbox {

struct Activation {
  Site site;
  float* data = nullptr;  // row-major [rows, cols]; the hook may change these values
  int64_t rows = 0, cols = 0;
  int64_t position = 0;   // absolute position of row 0
  int64_t head = -1;      // attn_scores/attn_probs: the query head this view holds; -1 elsewhere

  float* row(int64_t r) const { return data + r * cols; }
};

using Hook = std::function<void(Activation&)>;

class Hooks {
 public:
  // Several hooks at one site run in the order they were added.
  void add(Site site, Hook hook);

  // Whether any hook sits at (kind, layer); the forward pass tests this before building a view.
  bool active(SiteKind kind, int64_t layer) const {
    const size_t slot = size_t(layer + 1);
    return slot < kinds_by_layer_.size() && (kinds_by_layer_[slot] >> unsigned(kind) & 1u);
  }
  void run(Activation& activation) const;
  bool empty() const { return hooks_.empty(); }
  const std::map<Site, std::vector<Hook>>& all() const { return hooks_; }

 private:
  std::vector<uint32_t> kinds_by_layer_;  // [layer + 1]: one bit per SiteKind with a hook
  std::map<Site, std::vector<Hook>> hooks_;
};

}  // namespace glassbox
