#pragma once
// The head census (TransformerLens' head detector): per attention head, how much of its attention follows
// each of four simple patterns, read off its attention pattern A[T, T] (row t: where position t looks):
//   previous_token = mean over t = 1..T-1 of A[t, t-1]
//   first_token    = mean over t = 1..T-1 of A[t, 0]
// and, when the prompt repeats with period N (token t equals token t-N in the second copy):
//   duplicate      = mean over t = N+1..T-1 of A[t, t-N]     (the earlier copy of the current token)
//   induction      = mean over t = N+1..T-1 of A[t, t-N+1]   (the token that followed it: what comes next)
// A head that does only that job scores 1; attention spread evenly over t positions scores about 1/t.
// The scores are taken in hooks at attn_probs.L, which see one head's [T, T] pattern at a time, so the
// census holds no attention pattern at all, on any model size.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "model/model.h"

namespace glassbox {

struct HeadScores {
  int64_t layer = 0, head = 0;
  double previous_token = 0, first_token = 0;
  std::optional<double> duplicate, induction;  // only with a period
};

// Every head, layer by layer, head by head. `period` 0: no duplicate and induction scores; otherwise the
// prompt needs at least period + 2 tokens.
std::vector<HeadScores> head_census(const Model& model, std::span<const int32_t> ids, int64_t period = 0);

// The census prompt of `--random N`: `first` (a BOS token; none when < 0), then n token ids drawn uniformly
// (with `seed`) from [0, vocab) leaving out the ids in `avoid` (special tokens), then the same n ids again:
// period n.
std::vector<int32_t> repeated_random_tokens(int32_t first, int64_t n, uint64_t seed, int64_t vocab,
                                            const std::vector<int32_t>& avoid);

}  // namespace glassbox
