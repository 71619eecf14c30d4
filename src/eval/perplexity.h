#pragma once
// Perplexity over sliding windows, token-weighted, the way Hugging Face's perplexity guide computes it:
//   - windows start at 0, S, 2S, ... and cover tokens [begin, min(begin + N, n));
//   - each window scores the tokens the previous window did not score (the first window: tokens 1..end-1),
//     and never its own first token, which it has no context to predict;
//   - the last window is the first one that reaches the end.
// nll is the mean negative log-probability (natural log) of the scored tokens, ppl = exp(nll), and
// ppl_se = ppl * sd / sqrt(count), with sd the sample standard deviation of the per-token values.
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "model/model.h"

namespace glassbox {

struct Window {
  int64_t begin = 0, end = 0;  // tokens [begin, end) are the model's input
  int64_t first_scored = 0;    // tokens [first_scored, end) are scored
};

// The windows over n tokens with context N and stride S (1 <= S <= N, n >= 2).
std::vector<Window> plan_windows(int64_t n, int64_t context, int64_t stride);

// -log p(ids[t] | ids[begin..t)) for t in [first, ids.size()), from one forward pass of all of `ids`
// (positions 0.. of a fresh KV cache, as each window starts).
std::vector<double> token_nlls(const Model& model, std::span<const int32_t> ids, int64_t first);

struct PerplexityResult {
  int64_t tokens = 0;            // scored tokens
  int64_t windows = 0;
  int64_t forwarded_tokens = 0;  // tokens run through the model (overlapping windows count each time)
  double nll = 0, ppl = 0, ppl_se = 0;
  double seconds = 0, peak_memory_gb = 0;
  double tokens_per_sec() const { return seconds > 0 ? double(forwarded_tokens) / seconds : 0; }
};

// `on_window(done, total)` is called after each window, for progress bars.
PerplexityResult perplexity(const Model& model, std::span<const int32_t> ids, int64_t context, int64_t stride,
                            const std::function<void(int64_t, int64_t)>& on_window = {});

}  // namespace glassbox
