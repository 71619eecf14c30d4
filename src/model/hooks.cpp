#include "model/hooks.h"

#include "base/error.h"

namespace glassbox {

static_assert(kSiteKinds <= 32, "Hooks keeps one bit per kind in a uint32_t");

void Hooks::add(Site site, Hook hook) {
  if (is_per_layer(site.kind) != (site.layer >= 0))
    fail("hook at '" + site_name(site) + "': " + (site.layer >= 0 ? "this activation has no layer" : "needs a layer"));
  const size_t slot = size_t(site.layer + 1);
  if (kinds_by_layer_.size() <= slot) kinds_by_layer_.resize(slot + 1, 0);
  kinds_by_layer_[slot] |= 1u << unsigned(site.kind);
  hooks_[site].push_back(std::move(hook));
}

void Hooks::run(Activation& activation) const {
  const auto it = hooks_.find(activation.site);
  if (it == hooks_.end()) return;
  for (const Hook& hook : it->second) hook(activation);
}

}  // namespace glassbox
