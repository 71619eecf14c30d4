// logit_drift: KL(p || q) and top-1 agreement, checked against values worked out by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "base/error.h"
#include "quant/drift.h"

namespace glassbox {
namespace {

TEST(Drift, IdenticalLogitsDoNotDrift) {
  const std::vector<float> a = {1, 2, 3, 0, -1, 5};
  const Drift d = logit_drift(a, a, 3);
  EXPECT_EQ(d.positions, 2);
  EXPECT_EQ(d.mean_kl, 0.0);
  EXPECT_EQ(d.top1_agreement, 1.0);
}

TEST(Drift, MatchesHandComputedKl) {
  // Position 0: p = (1/2, 1/2), q = (e/(1+e), 1/(1+e)) with the top token changed (a tie goes to the first);
  // position 1: the same distribution shifted by a constant, which softmax ignores.
  const std::vector<float> p = {0, 0, 3, 1}, q = {1, 0, 13, 11};
  const double q0 = std::exp(1.0) / (1 + std::exp(1.0));
  const double kl0 = 0.5 * std::log(0.5 / q0) + 0.5 * std::log(0.5 / (1 - q0));
  const Drift d = logit_drift(p, q, 2);
  EXPECT_NEAR(d.mean_kl, kl0 / 2, 1e-7);  // double arithmetic throughout; 1e-7 covers the float inputs' exp
  EXPECT_EQ(d.top1_agreement, 1.0);
  const std::vector<float> swapped = {0, 1, 3, 1};
  EXPECT_EQ(logit_drift(p, swapped, 2).top1_agreement, 0.5);
}

TEST(Drift, RejectsMismatchedShapes) {
  const std::vector<float> a = {1, 2, 3, 4}, b = {1, 2, 3};
  EXPECT_THROW(logit_drift(a, b, 2), Error);
  EXPECT_THROW(logit_drift(b, b, 2), Error);
}

}  // namespace
}  // namespace glassbox
