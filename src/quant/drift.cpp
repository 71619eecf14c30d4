#include "quant/drift.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "base/error.h"

namespace glassbox {
namespace {
// log softmax of one row, in double.
std::vector<double> log_probs(const float* logits, int64_t vocab) {
  const double top = *std::max_element(logits, logits + vocab);
  double sum = 0;
  for (int64_t i = 0; i < vocab; ++i) sum += std::exp(double(logits[i]) - top);
  std::vector<double> out(static_cast<size_t>(vocab));
  for (int64_t i = 0; i < vocab; ++i) out[size_t(i)] = double(logits[i]) - top - std::log(sum);
  return out;
}
}  // namespace

Drift logit_drift(std::span<const float> reference, std::span<const float> other, int64_t vocab) {
  if (vocab <= 0 || reference.size() != other.size() || reference.size() % size_t(vocab) != 0 || reference.empty())
    fail("logit_drift: the two logit arrays must be [positions, vocab] alike");
  Drift d;
  d.positions = int64_t(reference.size()) / vocab;
  for (int64_t t = 0; t < d.positions; ++t) {
    const float* p = reference.data() + t * vocab;
    const float* q = other.data() + t * vocab;
    const std::vector<double> lp = log_probs(p, vocab), lq = log_probs(q, vocab);
    double kl = 0;
    for (int64_t i = 0; i < vocab; ++i) kl += std::exp(lp[size_t(i)]) * (lp[size_t(i)] - lq[size_t(i)]);
    d.mean_kl += std::max(kl, 0.0);  // never below 0 but by rounding, when the two agree to the last bits
    d.top1_agreement += double(std::max_element(p, p + vocab) - p == std::max_element(q, q + vocab) - q);
  }
  d.mean_kl /= double(d.positions);
  d.top1_agreement /= double(d.positions);
  return d;
}

}  // namespace glassbox
