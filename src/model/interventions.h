#pragma once
// The classic interventions as hooks: head ablation, activation patching and steering. The CLI flags
// (--ablate, --patch, --steer; session/interventions.h), the lessons and the analyses all build them here,
// so they do the same thing everywhere. Each adds to a Hooks; several combine in the order added.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "model/capture.h"

namespace glassbox {

struct HeadRef {
  int64_t layer = 0, head = 0;
  friend bool operator==(const HeadRef&, const HeadRef&) = default;
};

enum class AblateMode {
  zero,  // the head's slice of z is set to 0
  mean,  // ... to its mean over the positions of the prompt (the first forward call of a sequence, at
         // position 0); later decode steps reuse that mean
};

// Ablates each head in `heads` through its slice of z.L, the o_proj input ([T, heads*head_dim]).
void add_head_ablation(Hooks& hooks, const ModelConfig& config, const std::vector<HeadRef>& heads, AblateMode mode);

// Activation patching: replaces the activation at `site` by `source`, the same site captured on another
// prompt. Row r of a view (absolute position p) takes the source's row p, at every position the source has,
// or only at `position` when it is >= 0. Positions past the source's end (decode steps) are left alone.
// Attention patterns take head by head the source's [heads, T, S] slices.
void add_patch(Hooks& hooks, Site site, std::shared_ptr<const CapturedTensor> source, int64_t position = -1);

// Steering: adds scale * vector to every row of the activation at `site`. The vector has the site's width
// (hidden for the residual stream); attention patterns cannot be steered.
void add_steering(Hooks& hooks, Site site, std::vector<float> vector, float scale);

// A steering vector from two prompts: the activation at `site` on `positive` minus that on `negative`, at
// their last positions, or each averaged over its positions when `mean`.
std::vector<float> steering_vector(const Model& model, Site site, std::span<const int32_t> positive,
                                   std::span<const int32_t> negative, bool mean);

}  // namespace glassbox
