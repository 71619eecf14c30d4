// The analyses against transformers: the head census, the logit lens, the loss and logit differences the
// sweeps measure, and a patch-sweep cell, each against tests/model/references (torch hooks, see
// training/make_hook_references.py) or the parity references of the model folders (plain logits).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "analysis/ablation_sweep.h"
#include "analysis/head_census.h"
#include "analysis/lens.h"
#include "analysis/objective.h"
#include "analysis/patch_sweep.h"
#include "base/error.h"
#include "core/safetensors.h"
#include "support/files.h"
#include "support/reference_models.h"
#include "support/shared.h"

namespace glassbox {
namespace {

// 1e-4 of max(1, max|ref|), as the parity tests: both sides compute in f32 with different summation orders
// and exp implementations (~1e-6 relative), amplified through the layers to ~1e-5. A census score of the
// wrong offset or a lens of the wrong layer is off by 1e-2 or more.
constexpr double kTolerance = 1e-4;

using Case = test::ReferenceModel;

class Analyses : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    model_ = std::make_unique<Model>(Model::load(GetParam().model));
    ref_ = std::make_unique<SafetensorsFile>(std::filesystem::path(GLASSBOX_SOURCE_DIR "/tests/model/references") /
                                             (GetParam().name + ".safetensors"));
  }
  std::vector<float> floats(const std::string& name) const { return ref_->tensors().at(name).to_f32(); }
  std::vector<int32_t> ids(const std::string& name) const { return test::token_ids(ref_->tensors().at(name)); }
  static void expect_close(double got, double want, double scale, const std::string& what) {
    EXPECT_LE(std::fabs(got - want) / std::max(1.0, scale), kTolerance) << what << ": " << got << " vs " << want;
  }
  // logit[a] - logit[b] in the last row of a [T, vocab] reference.
  double last_row_difference(const std::vector<float>& logits, int32_t a, int32_t b) const {
    const size_t row = logits.size() - size_t(model_->config().vocab);
    return double(logits[row + size_t(a)]) - double(logits[row + size_t(b)]);
  }

  std::unique_ptr<Model> model_;
  std::unique_ptr<SafetensorsFile> ref_;
};

TEST_P(Analyses, HeadCensusMatchesTorch) {
  const std::vector<int32_t> census_ids = ids("census_ids");
  const int64_t period = ids("census_period")[0];
  const std::vector<HeadScores> got = head_census(*model_, census_ids, period);
  const std::vector<float> want = floats("census");  // [layers, heads, 4]
  ASSERT_EQ(got.size() * 4, want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    const HeadScores& h = got[i];
    EXPECT_EQ(h.layer * model_->config().n_heads + h.head, int64_t(i));
    const std::string where = "L" + std::to_string(h.layer) + "H" + std::to_string(h.head);
    expect_close(h.previous_token, want[4 * i], 1, where + " previous_token");
    expect_close(h.first_token, want[4 * i + 1], 1, where + " first_token");
    ASSERT_TRUE(h.duplicate && h.induction);
    expect_close(*h.duplicate, want[4 * i + 2], 1, where + " duplicate");
    expect_close(*h.induction, want[4 * i + 3], 1, where + " induction");
  }
  // Without a period only the first two scores exist, and they do not depend on it.
  const std::vector<HeadScores> plain = head_census(*model_, census_ids);
  EXPECT_FALSE(plain[0].duplicate || plain[0].induction);
  EXPECT_EQ(plain.back().previous_token, got.back().previous_token);
}

TEST_P(Analyses, LensTopTokensAndTargetMatchTorch) {
  const std::vector<int32_t> prompt = ids("input_ids");
  const int64_t V = model_->config().vocab, T = int64_t(prompt.size());
  const int32_t target = prompt.back();  // any token: the rank and probability of one that is rarely on top
  const LensGrid grid = logit_lens(*model_, prompt, target);
  for (int64_t l = 0; l < grid.layers; ++l) {
    const std::vector<float> lens = floats("lens." + std::to_string(l));
    for (int64_t t = 0; t < T; ++t) {
      const float* row = lens.data() + t * V;
      const int64_t best = std::max_element(row, row + V) - row;
      double total = 0;
      for (int64_t i = 0; i < V; ++i) total += std::exp(double(row[i]) - double(row[best]));
      const size_t cell = grid.at(l, t);
      const std::string where = "lens." + std::to_string(l) + " position " + std::to_string(t);
      // A near tie at the top could flip with 1e-6 noise; then both tokens have the same probability.
      if (grid.top_id[cell] != best) {
        EXPECT_NEAR(row[grid.top_id[cell]], row[best], 1e-4) << where;
      }
      expect_close(grid.top_prob[cell], 1.0 / total, 1, where + " top probability");
      expect_close(grid.target_prob[cell], std::exp(double(row[target]) - double(row[best])) / total, 1, where + " target");
      const int64_t rank = 1 + std::count_if(row, row + V, [&](float x) { return x > row[target]; });
      EXPECT_NEAR(double(grid.target_rank[cell]), double(rank), 1.0) << where;  // a tie may land either side
    }
  }
}

TEST_P(Analyses, LossAndLogitDifferenceMatchTorchLogits) {
  // The model folder's parity reference holds transformers' plain logits for its input_ids.
  const SafetensorsFile parity(GetParam().model / "reference.safetensors");
  const std::vector<int32_t> prompt = test::token_ids(parity.tensors().at("input_ids"));
  const std::vector<float> logits = parity.tensors().at("logits").to_f32();
  const int64_t V = model_->config().vocab, T = int64_t(prompt.size());
  for (int64_t from : {int64_t(1), T / 2}) {
    double sum = 0, scale = 1;
    for (int64_t k = from; k < T; ++k) {
      const float* row = logits.data() + (k - 1) * V;
      const double max = *std::max_element(row, row + V);
      double total = 0;
      for (int64_t i = 0; i < V; ++i) total += std::exp(double(row[i]) - max);
      sum += max + std::log(total) - double(row[prompt[size_t(k)]]);
      scale = std::max(scale, std::fabs(max));
    }
    expect_close(measure(*model_, prompt, {-1, -1, from}), sum / double(T - from), scale, "loss from " + std::to_string(from));
  }
  // The logit difference under the reference's two-head ablation, through the same hooks as the sweep.
  const std::vector<int32_t> input = ids("input_ids"), pairs = ids("ablate_heads");
  const std::vector<float> ablated = floats("ablate.zero");
  const Objective difference{input.back(), input.front(), 1};
  Hooks hooks;
  add_head_ablation(hooks, model_->config(), {{pairs[0], pairs[1]}, {pairs[2], pairs[3]}}, AblateMode::zero);
  const double scale = *std::max_element(ablated.begin(), ablated.end(), [](float a, float b) { return std::fabs(a) < std::fabs(b); });
  expect_close(measure(*model_, input, difference, &hooks), last_row_difference(ablated, difference.target, difference.wrong),
               std::fabs(scale), "ablated logit difference");
}

TEST_P(Analyses, PatchSweepCellMatchesTorch) {
  // The reference patches resid_post.L at position p from source_ids into input_ids: the sweep with clean =
  // source and corrupt = input holds that run in cell (L, p).
  const std::vector<int32_t> clean = ids("source_ids"), corrupt = ids("input_ids"), at = ids("patch_resid_post");
  KVCache cache = model_->new_cache(int64_t(clean.size()));
  const std::vector<float> clean_logits = model_->forward(clean, cache);
  const int32_t target = int32_t(std::max_element(clean_logits.begin(), clean_logits.end()) - clean_logits.begin());
  const int32_t wrong = target == corrupt.back() ? corrupt.front() : corrupt.back();
  const PatchSweep sweep = patch_sweep(*model_, clean, corrupt, SiteKind::resid_post, target, wrong);
  const std::vector<float> patched = floats("patch.resid_post");
  // The cell's logit difference, back from its normalized form; compared at the scale of the logits.
  const double got = sweep.corrupt + sweep.at(at[0], at[1]) * (sweep.clean - sweep.corrupt);
  const float scale = *std::max_element(patched.begin(), patched.end(), [](float a, float b) { return std::fabs(a) < std::fabs(b); });
  expect_close(got, last_row_difference(patched, target, wrong), std::fabs(scale), "the reference's (layer, position)");
  // Patching the last layer's output at the last position hands the clean logits over whole.
  EXPECT_NEAR(sweep.at(sweep.layers - 1, sweep.positions - 1), 1.0, 1e-9);
  // Earlier positions of the last layer feed nothing after them: nothing restored.
  EXPECT_NEAR(sweep.at(sweep.layers - 1, 0), 0.0, 1e-9);
}

TEST_P(Analyses, AblationSweepCellsAreSingleHeadAblations) {
  const std::vector<int32_t> prompt = ids("input_ids");
  const Objective loss{-1, -1, 1};
  const AblationSweep sweep = ablation_sweep(*model_, prompt, loss, AblateMode::zero);
  ASSERT_EQ(int64_t(sweep.change.size()), model_->config().n_layers * model_->config().n_heads);
  EXPECT_EQ(sweep.baseline, measure(*model_, prompt, loss));
  const HeadRef last{model_->config().n_layers - 1, model_->config().n_heads - 1};
  Hooks hooks;
  add_head_ablation(hooks, model_->config(), {last}, AblateMode::zero);
  EXPECT_EQ(sweep.at(last.layer, last.head), measure(*model_, prompt, loss, &hooks) - sweep.baseline);
  EXPECT_TRUE(std::any_of(sweep.change.begin(), sweep.change.end(), [](double d) { return std::fabs(d) > 1e-4; }));
}

INSTANTIATE_TEST_SUITE_P(Torch, Analyses, ::testing::ValuesIn(test::reference_models()), [](const auto& info) {
  std::string n = info.param.name;
  std::replace(n.begin(), n.end(), '-', '_');
  return n;
});

TEST(RepeatedRandomTokens, SameSeedSamePromptWithPeriodAndNoAvoidedIds) {
  const std::vector<int32_t> a = repeated_random_tokens(1, 50, 7, 40, {0, 1, 2, 3});
  EXPECT_EQ(a, repeated_random_tokens(1, 50, 7, 40, {0, 1, 2, 3}));
  EXPECT_NE(a, repeated_random_tokens(1, 50, 8, 40, {0, 1, 2, 3}));
  ASSERT_EQ(a.size(), 101u);
  EXPECT_EQ(a[0], 1);
  for (size_t t = 1; t < a.size(); ++t) EXPECT_GE(a[t], 4) << t;
  for (size_t t = 51; t < a.size(); ++t) EXPECT_EQ(a[t], a[t - 50]) << t;
  EXPECT_EQ(repeated_random_tokens(-1, 3, 7, 40, {}).size(), 6u);  // no BOS
}

TEST(PatchSweepInput, DifferentTokenCountsAreRefusedSayingSo) {
  const Model model = Model::load(test::shared_path("fixtures/tiny/tiny-qwen3"));
  try {
    patch_sweep(model, std::vector<int32_t>{1, 2, 3}, std::vector<int32_t>{1, 2}, SiteKind::resid_pre, 5, 6);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("the same number of tokens"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace glassbox
