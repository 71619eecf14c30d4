#pragma once
// What a sweep measures on one forward pass: the next-token loss over part of the prompt, or the logit
// difference between two tokens at the last position (TransformerLens' usual metrics).
#include <cstdint>
#include <span>

#include "model/model.h"

namespace glassbox {

struct Objective {
  int32_t target = -1, wrong = -1;  // both set: logit[target] - logit[wrong] at the last position
  int64_t loss_from = 1;             // otherwise the mean of -log p(ids[k] | ids[0..k-1]) over k in [loss_from, T)

  bool logit_difference() const { return target >= 0 && wrong >= 0; }
};

// One forward pass of `ids` from an empty KV cache with `hooks` (may be null), measured by `objective`.
// The loss reads each row of the logits inside a hook, so no [T, vocab] copy is kept.
double measure(const Model& model, std::span<const int32_t> ids, const Objective& objective, const Hooks* hooks = nullptr);

// Fails, naming what is wrong, when `objective` does not fit a prompt of `n_tokens` tokens or the model.
void check_objective(const Objective& objective, int64_t n_tokens, const ModelConfig& config);

}  // namespace glassbox
