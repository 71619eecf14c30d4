#pragma once
// Head ablation, each head in turn: how much does the objective (the loss on the prompt, or a logit
// difference) change when one head's output is removed? One forward pass per head, through the same
// ablation hook as --ablate (model/interventions.h).
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "analysis/objective.h"
#include "model/interventions.h"

namespace glassbox {

struct AblationSweep {
  int64_t layers = 0, heads = 0;
  double baseline = 0;         // the objective without ablation
  std::vector<double> change;  // [layers, heads]: objective with that head ablated minus the baseline

  double at(int64_t layer, int64_t head) const { return change[size_t(layer * heads + head)]; }
};

// `progress` (may be empty) hears after each forward pass how many of the layers x heads are done.
AblationSweep ablation_sweep(const Model& model, std::span<const int32_t> ids, const Objective& objective,
                             AblateMode mode, const std::function<void(int64_t done, int64_t total)>& progress = {});

}  // namespace glassbox
