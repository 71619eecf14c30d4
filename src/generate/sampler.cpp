#include "generate/sampler.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "base/error.h"

namespace glassbox {

void validate(const SamplerSettings& s) {
  // from_chars reads "nan" and "inf"; an infinite temperature or penalty would sample as if the logits were not there.
  if (!(s.temperature >= 0) || !std::isfinite(s.temperature)) fail("--temp must be a finite number >= 0");
  if (s.top_k < 0) fail("--top-k must be >= 0");
  if (!(s.top_p > 0 && s.top_p <= 1)) fail("--top-p must be in (0, 1]");
  if (!(s.min_p >= 0 && s.min_p < 1)) fail("--min-p must be in [0, 1)");
  if (!(s.repetition_penalty > 0) || !std::isfinite(s.repetition_penalty))
    fail("--repetition-penalty must be a finite number > 0");
}

std::vector<double> softmax(std::span<const float> logits, double temperature) {
  std::vector<double> p(logits.size());
  const double max_logit = *std::max_element(logits.begin(), logits.end());
  double sum = 0;
  for (size_t i = 0; i < logits.size(); ++i) sum += (p[i] = std::exp((double(logits[i]) - max_logit) / temperature));
  for (double& x : p) x /= sum;
  return p;
}

double entropy(const std::vector<double>& p) {
  double h = 0;
  for (double x : p)
    if (x > 0) h -= x * std::log(x);
  return h;
}

std::vector<int32_t> top_indices(const std::vector<double>& p, size_t k) {
  std::vector<int32_t> order(p.size());
  std::iota(order.begin(), order.end(), 0);
  k = std::min(k, order.size());
  std::partial_sort(order.begin(), order.begin() + long(k), order.end(),
                    [&](int32_t a, int32_t b) { return p[size_t(a)] > p[size_t(b)]; });
  order.resize(k);
  return order;
}

Sampler::Sampler(const SamplerSettings& settings) : settings_(settings), rng_(settings.seed) { validate(settings); }

int32_t Sampler::next(std::span<const float> logits, std::span<const int32_t> history) {
  scratch_.assign(logits.begin(), logits.end());
  if (settings_.repetition_penalty != 1.0f) {
    const size_t window = std::min(history.size(), size_t(settings_.repetition_window));
    for (int32_t id : history.last(window)) {
      if (id < 0 || size_t(id) >= scratch_.size()) continue;  // not a token of this vocabulary
      float& l = scratch_[size_t(id)];
      l = l < 0 ? l * settings_.repetition_penalty : l / settings_.repetition_penalty;
    }
  }
  if (settings_.temperature == 0.0f)
    return int32_t(std::max_element(scratch_.begin(), scratch_.end()) - scratch_.begin());

  const std::vector<double> p = softmax(scratch_, settings_.temperature);
  std::vector<int32_t> order(p.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return p[size_t(a)] > p[size_t(b)]; });
  size_t keep = order.size();
  if (settings_.top_k > 0) keep = std::min(keep, size_t(settings_.top_k));
  if (settings_.top_p < 1.0f) {
    double cumulative = 0;
    for (size_t i = 0; i < keep; ++i)
      if ((cumulative += p[size_t(order[i])]) >= settings_.top_p) { keep = i + 1; break; }
  }
  if (settings_.min_p > 0.0f) {
    const double floor = settings_.min_p * p[size_t(order[0])];
    while (keep > 1 && p[size_t(order[keep - 1])] < floor) --keep;
  }
  double total = 0;
  for (size_t i = 0; i < keep; ++i) total += p[size_t(order[i])];
  double u = std::uniform_real_distribution<double>(0.0, total)(rng_);
  for (size_t i = 0; i < keep; ++i)
    if ((u -= p[size_t(order[i])]) <= 0) return order[i];
  return order[keep - 1];
}

}  // namespace glassbox
