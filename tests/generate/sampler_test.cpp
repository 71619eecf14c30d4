#include "generate/sampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "base/error.h"

namespace glassbox {
namespace {

// Draws many tokens and counts them: filters show up as tokens that are never drawn.
std::map<int32_t, int> histogram(SamplerSettings s, const std::vector<float>& logits, int draws = 4000) {
  Sampler sampler(s);
  std::map<int32_t, int> counts;
  for (int i = 0; i < draws; ++i) ++counts[sampler.next(logits, {})];
  return counts;
}

// p = softmax of these logits = {0.5, 0.25, 0.125, 0.0625, 0.0625}
const std::vector<float> kLogits = {std::log(8.0f), std::log(4.0f), std::log(2.0f), 0.0f, 0.0f};

TEST(Sampler, TemperatureZeroIsArgmax) {
  Sampler s({});
  EXPECT_EQ(s.next(std::vector<float>{0.1f, 3.0f, -1.0f}, {}), 1);
}

TEST(Sampler, TopKKeepsOnlyTheKMostLikely) {
  SamplerSettings s;
  s.temperature = 1;
  s.top_k = 2;
  const auto h = histogram(s, kLogits);
  EXPECT_EQ(h.size(), 2u);
  EXPECT_TRUE(h.count(0) && h.count(1));
}

TEST(Sampler, TopPKeepsTheSmallestSetReachingP) {
  SamplerSettings s;
  s.temperature = 1;
  s.top_p = 0.7f;  // 0.5 < 0.7 <= 0.5 + 0.25: tokens 0 and 1
  EXPECT_EQ(histogram(s, kLogits).size(), 2u);
}

TEST(Sampler, MinPDropsTokensBelowAFractionOfTheTop) {
  SamplerSettings s;
  s.temperature = 1;
  s.min_p = 0.2f;  // floor 0.1: drops the two 0.0625 tokens
  const auto h = histogram(s, kLogits);
  EXPECT_EQ(h.size(), 3u);
  EXPECT_FALSE(h.count(3) || h.count(4));
}

TEST(Sampler, FrequenciesFollowTheDistribution) {
  SamplerSettings s;
  s.temperature = 1;
  const auto h = histogram(s, kLogits, 20000);
  // 20000 draws of p = 0.5: standard deviation ~0.0035, so 0.02 is over 5 sigma.
  EXPECT_NEAR(h.at(0) / 20000.0, 0.5, 0.02);
  EXPECT_NEAR(h.at(1) / 20000.0, 0.25, 0.02);
}

TEST(Sampler, RepetitionPenaltyDemotesRecentTokens) {
  SamplerSettings s;
  s.repetition_penalty = 4.0f;
  Sampler sampler(s);
  const std::vector<float> logits = {2.0f, 1.5f, -1.0f};
  EXPECT_EQ(sampler.next(logits, std::vector<int32_t>{2, 1}), 0);    // token 0 unseen: stays on top
  EXPECT_EQ(sampler.next(logits, std::vector<int32_t>{-1, 99}), 0);  // ids outside the vocabulary are ignored
  EXPECT_EQ(sampler.next(logits, std::vector<int32_t>{0}), 1);       // 2.0 / 4 = 0.5 < 1.5
  s.repetition_window = 1;
  Sampler windowed(s);
  EXPECT_EQ(windowed.next(logits, std::vector<int32_t>{0, 2}), 0);   // token 0 is outside the window
}

TEST(Sampler, SameSeedSameSequence) {
  SamplerSettings s;
  s.temperature = 1.5f;
  s.seed = 42;
  Sampler a(s), b(s);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next(kLogits, {}), b.next(kLogits, {}));
}

TEST(Sampler, RejectsOutOfRangeSettingsNamingTheFlag) {
  SamplerSettings s;
  s.top_p = 0;
  EXPECT_THROW({ Sampler x(s); }, Error);
  s = {};
  s.temperature = -1;
  try {
    Sampler x(s);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--temp"), std::string::npos);
  }
}

TEST(Softmax, EntropyAndTopIndices) {
  const std::vector<double> p = softmax(kLogits);
  // 1e-6: the logits are log(8), log(4), log(2) rounded to float32 (relative error ~6e-8).
  EXPECT_NEAR(p[0], 0.5, 1e-6);
  EXPECT_NEAR(entropy(p) / std::log(2.0), 1.875, 1e-6);  // 0.5*1 + 0.25*2 + 0.125*3 + 2*0.0625*4 bits
  EXPECT_EQ(top_indices(p, 3), (std::vector<int32_t>{0, 1, 2}));
  const std::vector<double> hot = softmax(kLogits, 2.0);  // higher temperature flattens
  EXPECT_GT(entropy(hot), entropy(p));
}

}  // namespace
}  // namespace glassbox
