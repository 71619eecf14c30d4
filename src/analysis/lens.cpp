#include "analysis/lens.h"

#include <cmath>

#include "base/error.h"

namespace glassbox {

LensGrid logit_lens(const Model& model, std::span<const int32_t> ids, int32_t target, const Hooks* hooks) {
  const ModelConfig& c = model.config();
  if (target >= c.vocab) fail("lens: target token " + std::to_string(target) + " is outside the vocabulary");
  LensGrid g;
  g.layers = c.n_layers;
  g.positions = int64_t(ids.size());
  g.target = target;
  const size_t cells = size_t(g.layers * g.positions);
  g.top_id.assign(cells, -1);
  g.top_prob.assign(cells, 0.0f);
  if (target >= 0) {
    g.target_prob.assign(cells, 0.0f);
    g.target_rank.assign(cells, 0);
  }

  Hooks with_lens = hooks ? *hooks : Hooks();
  for (int64_t l = 0; l < c.n_layers; ++l) {
    with_lens.add({SiteKind::lens, l}, [&g, l, target](Activation& a) {
      for (int64_t r = 0; r < a.rows; ++r) {
        const float* row = a.row(r);
        int64_t best = 0;
        for (int64_t i = 1; i < a.cols; ++i)
          if (row[i] > row[best]) best = i;
        double total = 0;  // softmax denominator, shifted by the largest logit
        for (int64_t i = 0; i < a.cols; ++i) total += std::exp(double(row[i]) - double(row[best]));
        const size_t cell = g.at(l, a.position + r);
        g.top_id[cell] = int32_t(best);
        g.top_prob[cell] = float(1.0 / total);
        if (target < 0) continue;
        g.target_prob[cell] = float(std::exp(double(row[target]) - double(row[best])) / total);
        int64_t above = 0;
        for (int64_t i = 0; i < a.cols; ++i) above += row[i] > row[target];
        g.target_rank[cell] = above + 1;
      }
    });
  }
  KVCache cache = model.new_cache(g.positions);
  model.forward(ids, cache, &with_lens);
  return g;
}

}  // namespace glassbox
