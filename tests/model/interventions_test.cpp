// The logit lens and the interventions against transformers with torch hooks
// (training/make_hook_references.py wrote tests/model/references/<model>.safetensors; its docstring says
// what each tensor is).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/safetensors.h"
#include "model/interventions.h"
#include "session/interventions.h"
#include "support/files.h"
#include "support/reference_models.h"
#include "support/shared.h"

namespace glassbox {
namespace {

// 1e-4 of max(1, max|ref|), as the parity tests and for the same reason: both sides compute in f32, and
// summation order and exp/rsqrt implementations differ by ~1e-6 relative, amplified through the layers
// (and here through an intervention) to ~1e-5. A wrong head slice, position or layer moves logits by 1e-2+.
constexpr double kTolerance = 1e-4;

using Case = test::ReferenceModel;

std::filesystem::path references_dir() { return GLASSBOX_SOURCE_DIR "/tests/model/references"; }

class References : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    model_ = std::make_unique<Model>(Model::load(GetParam().model));
    ref_ = std::make_unique<SafetensorsFile>(references_dir() / (GetParam().name + ".safetensors"));
    ids_ = test::token_ids(tensor("input_ids"));
    source_ = test::token_ids(tensor("source_ids"));
  }
  const TensorView& tensor(const std::string& name) const { return ref_->tensors().at(name); }
  std::vector<int64_t> ints(const std::string& name) const {
    const std::vector<int32_t> v = test::token_ids(tensor(name));
    return {v.begin(), v.end()};
  }
  std::vector<float> logits(const Hooks& hooks) const {
    KVCache cache = model_->new_cache(int64_t(ids_.size()));
    return model_->forward(ids_, cache, &hooks, /*all_logits=*/true);
  }
  void expect_matches(const std::vector<float>& got, const std::string& name) const {
    expect_close(got, tensor(name).to_f32(), name);
  }
  void expect_close(const std::vector<float>& got, const std::vector<float>& want, const std::string& name) const {
    ASSERT_EQ(got.size(), want.size()) << name;
    double scale = 1, diff = 0;
    for (size_t i = 0; i < want.size(); ++i) {
      scale = std::max(scale, double(std::fabs(want[i])));
      diff = std::max(diff, double(std::fabs(want[i] - got[i])));
    }
    EXPECT_LE(diff / scale, kTolerance) << name;
    std::printf("%s %s: scaled difference %.3g\n", GetParam().name.c_str(), name.c_str(), diff / scale);
  }
  // How far the intervention moved the logits from the plain run: a reference that equals the plain logits
  // would not test anything.
  void expect_changed(const std::string& name) const {
    const std::vector<float> plain = logits(Hooks()), want = tensor(name).to_f32();
    double diff = 0;
    for (size_t i = 0; i < want.size(); ++i) diff = std::max(diff, double(std::fabs(want[i] - plain[i])));
    EXPECT_GT(diff, 1e-2) << name << " does not differ from the plain logits";
  }

  std::unique_ptr<Model> model_;
  std::unique_ptr<SafetensorsFile> ref_;
  std::vector<int32_t> ids_, source_;
};

TEST_P(References, LogitLensOfEveryLayer) {
  std::vector<Site> sites;
  for (int64_t l = 0; l < model_->config().n_layers; ++l) sites.push_back({SiteKind::lens, l});
  const Capture capture = run_with_cache(*model_, ids_, sites);
  for (const Site& site : sites) expect_matches(capture.get(site).values, site_name(site));
}

TEST_P(References, HeadAblation) {
  const std::vector<int64_t> pairs = ints("ablate_heads");
  const std::vector<HeadRef> heads{{pairs[0], pairs[1]}, {pairs[2], pairs[3]}};
  for (const auto& [mode, name] : {std::pair{AblateMode::zero, "ablate.zero"}, std::pair{AblateMode::mean, "ablate.mean"}}) {
    Hooks hooks;
    add_head_ablation(hooks, model_->config(), heads, mode);
    expect_matches(logits(hooks), name);
    expect_changed(name);
  }
}

TEST_P(References, PatchResidPostAtOnePosition) {
  const std::vector<int64_t> at = ints("patch_resid_post");  // layer, position
  const Site site{SiteKind::resid_post, at[0]};
  Hooks hooks;
  add_patch(hooks, site, std::make_shared<CapturedTensor>(run_with_cache(*model_, source_, {site}).get(site)), at[1]);
  expect_matches(logits(hooks), "patch.resid_post");
  expect_changed("patch.resid_post");
}

TEST_P(References, PatchAttnOutAtEveryPosition) {
  const Site site{SiteKind::attn_out, ints("patch_attn_out")[0]};
  Hooks hooks;
  add_patch(hooks, site, std::make_shared<CapturedTensor>(run_with_cache(*model_, source_, {site}).get(site)));
  expect_matches(logits(hooks), "patch.attn_out");
  expect_changed("patch.attn_out");
}

TEST_P(References, SteeringVectorAndSteering) {
  const Site site{SiteKind::resid_post, ints("steer_layer")[0]};
  const std::filesystem::path file = references_dir() / (GetParam().name + ".steer.safetensors");
  const std::vector<float> vector = read_steering_vector(file, "--steer");
  expect_close(steering_vector(*model_, site, ids_, source_, /*mean=*/false), vector, file.filename());
  expect_matches(steering_vector(*model_, site, ids_, source_, /*mean=*/true), "steer_vector_mean");
  Hooks hooks;
  add_steering(hooks, site, vector, tensor("steer_scale").to_f32()[0]);
  expect_matches(logits(hooks), "steer");
  expect_changed("steer");
}

TEST_P(References, CensusScoresFromAttentionPatterns) {
  // The scores as the issue defines them, from glassbox's attention patterns on the repeated sequence.
  const std::vector<int32_t> ids = test::token_ids(tensor("census_ids"));
  const int64_t N = ints("census_period")[0], T = int64_t(ids.size());
  const ModelConfig& c = model_->config();
  std::vector<Site> sites;
  for (int64_t l = 0; l < c.n_layers; ++l) sites.push_back({SiteKind::attn_probs, l});
  const Capture capture = run_with_cache(*model_, ids, sites);
  std::vector<float> scores;
  for (int64_t l = 0; l < c.n_layers; ++l) {
    const CapturedTensor& A = capture.get(sites[size_t(l)]);
    for (int64_t h = 0; h < c.n_heads; ++h) {
      auto mean = [&](int64_t from, int64_t offset, bool to_first) {
        double sum = 0;
        for (int64_t t = from; t < T; ++t) sum += A.at(h * T + t, to_first ? 0 : t - offset);
        return float(sum / double(T - from));
      };
      for (float s : {mean(1, 1, false), mean(1, 0, true), mean(N + 1, N, false), mean(N + 1, N - 1, false)})
        scores.push_back(s);
    }
  }
  expect_matches(scores, "census");
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string n = info.param.name;
  std::replace(n.begin(), n.end(), '-', '_');
  return n;
}

INSTANTIATE_TEST_SUITE_P(Torch, References, ::testing::ValuesIn(test::reference_models()), case_name);

}  // namespace
}  // namespace glassbox
