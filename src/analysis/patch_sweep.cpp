#include "analysis/patch_sweep.h"

#include <cmath>

#include "analysis/objective.h"
#include "base/error.h"

namespace glassbox {

PatchSweep patch_sweep(const Model& model, std::span<const int32_t> clean, std::span<const int32_t> corrupt,
                       SiteKind kind, int32_t target, int32_t wrong,
                       const std::function<void(int64_t, int64_t)>& progress) {
  const ModelConfig& c = model.config();
  const int64_t T = int64_t(clean.size());
  if (int64_t(corrupt.size()) != T)
    fail("patch-sweep: the clean prompt has " + std::to_string(T) + " tokens and the corrupt one " +
         std::to_string(corrupt.size()) + "; patching position by position needs the same number of tokens");
  if (!is_per_layer(kind) || is_attention_pattern(kind) || kind == SiteKind::lens)
    fail(std::string("patch-sweep: cannot sweep ") + kind_name(kind) + "; use a [T, width] activation such as resid_pre");
  const Objective difference{target, wrong, 1};
  PatchSweep s{kind, c.n_layers, T, measure(model, clean, difference), measure(model, corrupt, difference), {}};
  // Relative to the size of the logits, a gap this small is rounding: there is nothing to restore.
  if (std::fabs(s.clean - s.corrupt) < 1e-4 * std::max(1.0, std::fabs(s.clean)))
    fail("patch-sweep: the clean and corrupt prompts give the same logit difference (" + std::to_string(s.clean) +
         "), so there is nothing to restore; choose a corrupt prompt that changes the answer");

  for (int64_t l = 0; l < c.n_layers; ++l) {
    const Site site{kind, l};
    const auto source = std::make_shared<const CapturedTensor>(run_with_cache(model, clean, {site}).get(site));
    for (int64_t p = 0; p < T; ++p) {
      Hooks hooks;
      add_patch(hooks, site, source, p);
      s.restored.push_back((measure(model, corrupt, difference, &hooks) - s.corrupt) / (s.clean - s.corrupt));
      if (progress) progress(int64_t(s.restored.size()), c.n_layers * T);
    }
  }
  return s;
}

}  // namespace glassbox
