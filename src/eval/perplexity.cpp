#include "eval/perplexity.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "base/error.h"
#include "core/memory.h"
#include "eval/stats.h"

namespace glassbox {

std::vector<Window> plan_windows(int64_t n, int64_t context, int64_t stride) {
  if (n < 2) fail("perplexity needs at least 2 tokens, the text has " + std::to_string(n));
  if (context < 2) fail("--context must be at least 2");
  if (stride < 1 || stride > context) fail("--stride must be between 1 and --context (" + std::to_string(context) + ")");
  std::vector<Window> windows;
  int64_t scored_end = 1;  // token 0 has nothing before it and is never scored
  for (int64_t begin = 0;; begin += stride) {
    const int64_t end = std::min(begin + context, n);
    const int64_t first = std::max(scored_end, begin + 1);
    if (first < end) windows.push_back({begin, end, first});
    scored_end = std::max(scored_end, end);
    if (end == n) return windows;
  }
}

std::vector<double> token_nlls(const Model& model, std::span<const int32_t> ids, int64_t first) {
  const int64_t n = int64_t(ids.size()), vocab = model.config().vocab;
  KVCache cache = model.new_cache(n);
  const std::vector<float> logits = model.forward(ids, cache, nullptr, /*all_logits=*/true);
  std::vector<double> nlls;
  for (int64_t t = std::max<int64_t>(first, 1); t < n; ++t) {
    // Row t - 1 predicts token t: -log softmax, in double, by log-sum-exp about the row's maximum.
    const float* row = logits.data() + (t - 1) * vocab;
    const double max = *std::max_element(row, row + vocab);
    double sum = 0;
    for (int64_t v = 0; v < vocab; ++v) sum += std::exp(double(row[v]) - max);
    nlls.push_back(max + std::log(sum) - double(row[ids[size_t(t)]]));
  }
  return nlls;
}

PerplexityResult perplexity(const Model& model, std::span<const int32_t> ids, int64_t context, int64_t stride,
                            const std::function<void(int64_t, int64_t)>& on_window) {
  model.check_ids(ids, "text");
  const std::vector<Window> windows = plan_windows(int64_t(ids.size()), context, stride);
  const auto start = std::chrono::steady_clock::now();
  PerplexityResult r;
  std::vector<double> nlls;
  for (const Window& w : windows) {
    const std::vector<double> scored =
        token_nlls(model, ids.subspan(size_t(w.begin), size_t(w.end - w.begin)), w.first_scored - w.begin);
    nlls.insert(nlls.end(), scored.begin(), scored.end());
    r.forwarded_tokens += w.end - w.begin;
    ++r.windows;
    if (on_window) on_window(r.windows, int64_t(windows.size()));
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.tokens = int64_t(nlls.size());
  r.nll = mean(nlls);
  r.ppl = std::exp(r.nll);
  r.ppl_se = r.ppl * sample_sd(nlls) / std::sqrt(double(r.tokens));
  r.peak_memory_gb = double(peak_rss_bytes()) / 1e9;
  return r;
}

}  // namespace glassbox
