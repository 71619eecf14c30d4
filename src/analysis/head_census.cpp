#include "analysis/head_census.h"

#include <algorithm>

#include "base/error.h"

namespace glassbox {
namespace {

// splitmix64: a small, well-mixed generator whose stream is the same on every platform and library (the
// standard distributions are not), so `--random N --seed S` names one prompt everywhere.
uint64_t next_random(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace

std::vector<HeadScores> head_census(const Model& model, std::span<const int32_t> ids, int64_t period) {
  const ModelConfig& c = model.config();
  const int64_t T = int64_t(ids.size()), N = period;
  if (T < 2) fail("heads: the prompt needs at least 2 tokens, it has " + std::to_string(T));
  if (N < 0) fail("heads: the period must be positive");
  if (N > 0 && T < N + 2)
    fail("heads: a period of " + std::to_string(N) + " needs a prompt of at least " + std::to_string(N + 2) +
         " tokens (two copies), it has " + std::to_string(T));

  std::vector<HeadScores> scores;
  for (int64_t l = 0; l < c.n_layers; ++l)
    for (int64_t h = 0; h < c.n_heads; ++h) scores.push_back({l, h, 0, 0, std::nullopt, std::nullopt});

  Hooks hooks;
  for (int64_t l = 0; l < c.n_layers; ++l) {
    hooks.add({SiteKind::attn_probs, l}, [&, l](Activation& a) {  // a: one head's [T, T] (fresh cache)
      auto mean = [&](int64_t from, auto column) {
        double sum = 0;
        for (int64_t t = from; t < T; ++t) sum += a.row(t)[column(t)];
        return sum / double(T - from);
      };
      HeadScores& s = scores[size_t(l * c.n_heads + a.head)];
      s.previous_token = mean(1, [](int64_t t) { return t - 1; });
      s.first_token = mean(1, [](int64_t) { return int64_t(0); });
      if (N == 0) return;
      s.duplicate = mean(N + 1, [N](int64_t t) { return t - N; });
      s.induction = mean(N + 1, [N](int64_t t) { return t - N + 1; });
    });
  }
  KVCache cache = model.new_cache(T);
  model.forward(ids, cache, &hooks);
  return scores;
}

std::vector<int32_t> repeated_random_tokens(int32_t first, int64_t n, uint64_t seed, int64_t vocab,
                                            const std::vector<int32_t>& avoid) {
  if (n < 1) fail("--random: needs at least 1 token");
  if (int64_t(avoid.size()) >= vocab) fail("--random: the vocabulary has no ordinary tokens to draw");
  std::vector<int32_t> half;
  uint64_t state = seed;
  while (int64_t(half.size()) < n) {
    const int32_t id = int32_t(next_random(state) % uint64_t(vocab));
    if (std::find(avoid.begin(), avoid.end(), id) == avoid.end()) half.push_back(id);
  }
  std::vector<int32_t> ids;
  if (first >= 0) ids.push_back(first);
  ids.insert(ids.end(), half.begin(), half.end());
  ids.insert(ids.end(), half.begin(), half.end());
  return ids;
}

}  // namespace glassbox
