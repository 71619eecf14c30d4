#pragma once
// How far one model's (or compute mode's) next-token predictions move from a reference's on the same
// tokens: the mean KL divergence KL(p_reference || p_other) in nats, and how often the top token agrees.
#include <cstdint>
#include <span>

namespace glassbox {

struct Drift {
  double mean_kl = 0, top1_agreement = 0;
  int64_t positions = 0;
};

// Two [positions, vocab] row-major logit arrays.
Drift logit_drift(std::span<const float> reference, std::span<const float> other, int64_t vocab);

}  // namespace glassbox
