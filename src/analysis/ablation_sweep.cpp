#include "analysis/ablation_sweep.h"

namespace glassbox {

AblationSweep ablation_sweep(const Model& model, std::span<const int32_t> ids, const Objective& objective,
                             AblateMode mode, const std::function<void(int64_t, int64_t)>& progress) {
  const ModelConfig& c = model.config();
  AblationSweep s{c.n_layers, c.n_heads, measure(model, ids, objective), {}};
  for (int64_t l = 0; l < c.n_layers; ++l) {
    for (int64_t h = 0; h < c.n_heads; ++h) {
      Hooks hooks;
      add_head_ablation(hooks, c, {{l, h}}, mode);
      s.change.push_back(measure(model, ids, objective, &hooks) - s.baseline);
      if (progress) progress(int64_t(s.change.size()), c.n_layers * c.n_heads);
    }
  }
  return s;
}

}  // namespace glassbox
