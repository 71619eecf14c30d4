#pragma once
// The logit lens: what each layer would predict if the model stopped there. The hook at lens.L sees
// lm_head(final_norm(resid_post.L)) [T, vocab] one layer at a time and keeps only what is shown: the top
// token and its probability per position, and a chosen target token's probability and rank. So memory stays
// at one layer's [T, vocab] however deep the model.
#include <cstdint>
#include <span>
#include <vector>

#include "model/model.h"

namespace glassbox {

struct LensGrid {
  int64_t layers = 0, positions = 0;
  // [layers, positions], row-major: at layer L and position t, the next token the lens ranks first and its
  // probability (softmax of lens.L's row t).
  std::vector<int32_t> top_id;
  std::vector<float> top_prob;
  // With a target token: its probability and rank (1 = the lens' first choice) at each layer and position.
  int32_t target = -1;
  std::vector<float> target_prob;
  std::vector<int64_t> target_rank;

  size_t at(int64_t layer, int64_t position) const { return size_t(layer * positions + position); }
};

// One forward pass of `ids` from an empty KV cache with `hooks` (may be null: a plain run) plus the lens hooks.
// `target` < 0: no target.
LensGrid logit_lens(const Model& model, std::span<const int32_t> ids, int32_t target = -1, const Hooks* hooks = nullptr);

}  // namespace glassbox
