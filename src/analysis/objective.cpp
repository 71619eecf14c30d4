#include "analysis/objective.h"

#include <cmath>

#include "base/error.h"

namespace glassbox {

void check_objective(const Objective& o, int64_t n_tokens, const ModelConfig& config) {
  if ((o.target >= 0) != (o.wrong >= 0)) fail("a logit difference needs both a target and a wrong token");
  for (int32_t id : {o.target, o.wrong})
    if (id >= config.vocab) fail("token id " + std::to_string(id) + " is outside the vocabulary of " + std::to_string(config.vocab));
  if (o.logit_difference() && o.target == o.wrong) fail("the target and the wrong token are the same token");
  if (!o.logit_difference() && (o.loss_from < 1 || o.loss_from >= n_tokens))
    fail("the loss needs a token to predict: the prompt has " + std::to_string(n_tokens) +
         " tokens and the loss starts at token " + std::to_string(o.loss_from));
}

double measure(const Model& model, std::span<const int32_t> ids, const Objective& o, const Hooks* hooks) {
  const int64_t T = int64_t(ids.size());
  check_objective(o, T, model.config());
  KVCache cache = model.new_cache(T);
  if (o.logit_difference()) {
    const std::vector<float> logits = model.forward(ids, cache, hooks);
    return double(logits[size_t(o.target)]) - double(logits[size_t(o.wrong)]);
  }
  Hooks with_loss = hooks ? *hooks : Hooks();
  double sum = 0;
  // Row r of the logits (position p) predicts token p + 1; after any hooks at `logits` already there.
  with_loss.add({SiteKind::logits, -1}, [&](Activation& a) {
    for (int64_t r = 0; r < a.rows; ++r) {
      const int64_t next = a.position + r + 1;
      if (next < o.loss_from || next >= T) continue;
      const float* row = a.row(r);
      double max = row[0], total = 0;
      for (int64_t i = 1; i < a.cols; ++i) max = std::max(max, double(row[i]));
      for (int64_t i = 0; i < a.cols; ++i) total += std::exp(double(row[i]) - max);
      sum += max + std::log(total) - double(row[ids[size_t(next)]]);
    }
  });
  model.forward(ids, cache, &with_loss);
  return sum / double(T - o.loss_from);
}

}  // namespace glassbox
