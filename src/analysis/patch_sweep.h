#pragma once
// Activation patching, each (layer, position) in turn: run the corrupt prompt, but take the activation at
// one site and position from the clean run, and see how much of the clean answer comes back. The answer is
// the logit difference LD = logit[target] - logit[wrong] at the last position; the figure is
//   restored = (LD(patched) - LD(corrupt)) / (LD(clean) - LD(corrupt))
// so 0 = the patch changed nothing, 1 = the patch alone restores the clean answer. Built on add_patch
// (model/interventions.h), the hook behind --patch NAME@POS.
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "model/interventions.h"

namespace glassbox {

struct PatchSweep {
  SiteKind kind = SiteKind::resid_pre;
  int64_t layers = 0, positions = 0;
  double clean = 0, corrupt = 0;  // LD of the two plain runs
  std::vector<double> restored;   // [layers, positions]

  double at(int64_t layer, int64_t position) const { return restored[size_t(layer * positions + position)]; }
};

// `clean` and `corrupt` must have the same number of tokens, and LD must differ between them. `kind` is
// a [T, width] site (resid_pre, resid_post, attn_out, mlp_out, ...). The clean activations are recorded one
// layer at a time, so at most one layer's [T, width] is held.
PatchSweep patch_sweep(const Model& model, std::span<const int32_t> clean, std::span<const int32_t> corrupt,
                       SiteKind kind, int32_t target, int32_t wrong,
                       const std::function<void(int64_t done, int64_t total)>& progress = {});

}  // namespace glassbox
