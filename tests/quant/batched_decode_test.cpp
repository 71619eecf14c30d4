// Batched decoding: N sequences of different lengths advanced together by Model::decode_batch give, row by
// row, the logits and KV caches that forward() gives each sequence alone; in every family, and inside a
// sliding window.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "model/model.h"
#include "quant/convert.h"
#include "support/shared.h"
#include "support/temp_dir.h"

namespace glassbox {
namespace {

// Three sequences: prompts of 5, 1 and 9 tokens, then three steps decoded together.
void expect_batch_matches_alone(const Model& m) {
  const std::vector<std::vector<int32_t>> prompts = {{3, 17, 250, 4, 99}, {42}, {7, 7, 7, 300, 1, 2, 511, 8, 64}};
  const int64_t vocab = m.config().vocab, steps = 3;
  std::vector<KVCache> batch, alone;
  std::vector<int32_t> next;
  for (const auto& p : prompts) {
    batch.push_back(m.new_cache(int64_t(p.size()) + steps));
    const std::vector<float> logits = m.forward(p, batch.back());
    next.push_back(int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin()));
  }
  alone = batch;
  for (int64_t s = 0; s < steps; ++s) {
    const std::vector<float> together = m.decode_batch(next, batch);
    ASSERT_EQ(together.size(), prompts.size() * size_t(vocab));
    for (size_t i = 0; i < prompts.size(); ++i) {
      const std::vector<float> single = m.forward({&next[i], 1}, alone[i]);
      float largest = 0;
      for (float v : single) largest = std::max(largest, std::fabs(v));
      for (int64_t j = 0; j < vocab; ++j)
        // The same sums in other orders (GEMM over N rows vs the one-row matvec, Eigen's dot vs the block
        // softmax): f32 rounding through 3 layers, far below 1e-4 of the largest logit.
        ASSERT_NEAR(together[i * size_t(vocab) + size_t(j)], single[size_t(j)], 1e-4f * largest) << "seq " << i << " logit " << j;
      ASSERT_EQ(batch[i].length(), alone[i].length());
      next[i] = int32_t(std::max_element(single.begin(), single.end()) - single.begin());
    }
  }
}

class BatchedDecode : public ::testing::TestWithParam<std::string> {};

TEST_P(BatchedDecode, RowsMatchForwardAlone) {
  expect_batch_matches_alone(Model::load(test::shared_path("fixtures/tiny/" + GetParam())));
}

INSTANTIATE_TEST_SUITE_P(Families, BatchedDecode,
                         ::testing::Values("tiny-llama", "tiny-llama3-rope", "tiny-qwen2", "tiny-qwen3", "tiny-mistral",
                                           "tiny-llama-bf16"));

TEST(BatchedDecode, QuantizedWeights) {
  test::TempDir tmp;
  ConvertOptions o;
  o.bits = 4, o.group_size = 32;
  convert_model(test::shared_path("fixtures/tiny/tiny-qwen3"), tmp / "q4", o, [](size_t, size_t) {});
  expect_batch_matches_alone(Model::load(tmp / "q4"));
}

TEST(BatchedDecode, SlidingWindow) {
  // tiny-mistral with a window of 4 keys, shorter than the prompts, so the window cuts in.
  test::TempDir tmp;
  const auto src = test::shared_path("fixtures/tiny/tiny-mistral");
  std::filesystem::create_directories(tmp / "m");
  for (const char* f : {"model.safetensors", "generation_config.json"}) std::filesystem::copy_file(src / f, tmp / "m" / f);
  nlohmann::json config = nlohmann::json::parse(std::ifstream(src / "config.json"));
  config["sliding_window"] = 4;
  std::ofstream(tmp / "m" / "config.json") << config.dump();
  const Model m = Model::load(tmp / "m");
  ASSERT_EQ(m.config().sliding_window, 4);
  expect_batch_matches_alone(m);
}

TEST(BatchedDecode, RejectsMismatchedCachesAndFullCaches) {
  const Model m = Model::load(test::shared_path("fixtures/tiny/tiny-llama"));
  std::vector<KVCache> caches(2, m.new_cache(1));
  const std::vector<int32_t> one = {5};
  EXPECT_THROW(m.decode_batch(one, caches), Error);
  const std::vector<int32_t> two = {5, 6};
  m.decode_batch(two, caches);
  EXPECT_THROW(m.decode_batch(two, caches), Error);  // each cache holds one position, now used
  const std::vector<int32_t> outside = {5, 512};
  std::vector<KVCache> fresh(2, m.new_cache(1));
  EXPECT_THROW(m.decode_batch(outside, fresh), Error);
}

}  // namespace
}  // namespace glassbox
