// The analysis commands end to end: heads' JSON has exactly the issue's shape and the torch census values,
// heads names the demo model's induction heads, lens, ablate-sweep and patch-sweep print what the
// references say and write their figures, and every bad use is one line naming the flag.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <nlohmann/json.hpp>

#include "core/safetensors.h"
#include "support/files.h"
#include "support/run.h"
#include "support/shared.h"

namespace glassbox {
namespace {
namespace fs = std::filesystem;

// 1e-4, as the parity tests: f32 on both sides, different summation orders; JSON prints doubles in full.
constexpr double kTolerance = 1e-4;

class Analyses : public ::testing::Test {
 protected:
  Analyses() : ref_(fs::path(GLASSBOX_SOURCE_DIR "/tests/model/references") / "tiny-qwen3.safetensors") {}

  std::string model() const { return test::shared_path("fixtures/tiny/tiny-qwen3").string(); }
  std::string ids(const std::string& name) const {
    std::string text;
    for (int32_t id : test::token_ids(ref_.tensors().at(name))) text += (text.empty() ? "" : ",") + std::to_string(id);
    return text;
  }
  nlohmann::json run_json(std::vector<std::string> args) {
    args.insert(args.end(), {"--json", "--out", out_.path().string()});
    const auto r = test::glassbox(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }
  static void expect_error(const test::RunResult& r, const std::string& needle) {
    EXPECT_GT(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }

  SafetensorsFile ref_;
  test::TempDir out_;
};

TEST_F(Analyses, HeadsJsonHasTheIssueShapeAndTheTorchScores) {
  const nlohmann::json j = run_json({"heads", "--model", model(), "--prompt-ids", ids("census_ids"), "--period",
                                     std::to_string(test::token_ids(ref_.tensors().at("census_period"))[0])});
  ASSERT_EQ(j.size(), 1u);
  const std::vector<float> want = ref_.tensors().at("census").to_f32();
  ASSERT_EQ(j["heads"].size() * 4, want.size());
  const char* keys[] = {"previous_token", "first_token", "duplicate", "induction"};
  for (size_t i = 0; i < j["heads"].size(); ++i) {
    const nlohmann::json& h = j["heads"][i];
    EXPECT_EQ(h.size(), 6u) << h;
    EXPECT_EQ(h["layer"].get<int64_t>() * 4 + h["head"].get<int64_t>(), int64_t(i));  // tiny-qwen3: 4 heads
    for (size_t k = 0; k < 4; ++k) EXPECT_NEAR(h[keys[k]].get<double>(), want[4 * i + k], kTolerance) << h;
  }
  for (const char* score : keys) EXPECT_TRUE(fs::exists(out_ / (std::string(score) + ".png"))) << score;
}

TEST_F(Analyses, HeadsWithoutPeriodHasNullRepeatScores) {
  const nlohmann::json j = run_json({"heads", "--model", model(), "--prompt-ids", ids("input_ids")});
  EXPECT_TRUE(j["heads"][0]["duplicate"].is_null());
  EXPECT_TRUE(j["heads"][0]["induction"].is_null());
  EXPECT_TRUE(j["heads"][0]["previous_token"].is_number());
  EXPECT_FALSE(fs::exists(out_ / "induction.png"));
}

// docs/demo-model.md: layer 5 heads 0-2 are induction heads, layer 4 heads 4 and 0 previous-token heads.
TEST_F(Analyses, HeadsFindsTheDemoModelsInductionAndPreviousTokenHeads) {
  const nlohmann::json j = run_json({"heads", "--model", GLASSBOX_SOURCE_DIR "/models/glassbox-demo", "--random", "64"});
  auto top = [&](const char* score, size_t n) {
    std::vector<nlohmann::json> heads(j["heads"].begin(), j["heads"].end());
    std::sort(heads.begin(), heads.end(), [&](auto& a, auto& b) { return a[score].template get<double>() > b[score].template get<double>(); });
    std::set<std::string> names;
    for (size_t i = 0; i < n; ++i) names.insert("L" + heads[i]["layer"].dump() + "H" + heads[i]["head"].dump());
    return names;
  };
  EXPECT_EQ(top("induction", 3), (std::set<std::string>{"L5H0", "L5H1", "L5H2"}));
  EXPECT_EQ(top("previous_token", 2), (std::set<std::string>{"L4H0", "L4H4"}));
}

TEST_F(Analyses, LensJsonFollowsTheReferenceLens) {
  const nlohmann::json j = run_json({"lens", "--model", model(), "--prompt-ids", ids("input_ids")});
  const int64_t V = 512;  // tiny-qwen3's vocabulary
  const size_t L = j["layers"].size(), T = j["tokens"].size();
  ASSERT_EQ(L, 3u);
  for (size_t l = 0; l < L; ++l) {
    const std::vector<float> lens = ref_.tensors().at("lens." + std::to_string(l)).to_f32();
    for (size_t t = 0; t < T; ++t) {
      const float* row = lens.data() + int64_t(t) * V;
      EXPECT_NEAR(row[j["layers"][l]["top"][t]["id"].get<int32_t>()], *std::max_element(row, row + V), 1e-4) << l << " " << t;
    }
  }
  // Without --target the model's own prediction is followed: at the last layer it is the top token.
  const nlohmann::json& last = j["layers"][L - 1]["top"][T - 1];
  EXPECT_EQ(j["target"]["id"], last["id"]);
  EXPECT_EQ(j["target"]["rank"][L - 1], 1);
  EXPECT_NEAR(j["target"]["prob"][L - 1].get<double>(), last["prob"].get<double>(), 1e-7);
  EXPECT_TRUE(fs::exists(out_ / "lens.png"));
  EXPECT_TRUE(fs::exists(out_ / "target.png"));
}

TEST_F(Analyses, PatchSweepRestoresAllAtTheLastLayerAndPosition) {
  const nlohmann::json j = run_json({"patch-sweep", "--model", model(), "--clean-ids", ids("source_ids"), "--corrupt-ids",
                                     ids("input_ids"), "--target-id", "7", "--site", "resid_post"});
  const nlohmann::json& last_layer = j["restored"].back();
  EXPECT_NEAR(last_layer.back().get<double>(), 1.0, 1e-9);
  EXPECT_NEAR(last_layer.front().get<double>(), 0.0, 1e-9);
  EXPECT_NE(j["wrong_id"], 7);
  EXPECT_TRUE(fs::exists(out_ / "patch_sweep_resid_post.png"));
}

TEST_F(Analyses, AblateSweepCoversEveryHead) {
  const nlohmann::json loss = run_json({"ablate-sweep", "--model", model(), "--prompt-ids", ids("input_ids")});
  EXPECT_EQ(loss["objective"], "loss");
  EXPECT_EQ(loss["heads"].size(), 12u);  // 3 layers x 4 heads
  const nlohmann::json& h = loss["heads"][5];
  EXPECT_NEAR(h["value"].get<double>() - loss["baseline"].get<double>(), h["change"].get<double>(), 1e-9);
  const nlohmann::json diff = run_json({"ablate-sweep", "--model", model(), "--prompt-ids", ids("input_ids"), "--target-id", "5",
                                        "--wrong-id", "6"});
  EXPECT_EQ(diff["objective"], "logit_difference");
  EXPECT_TRUE(fs::exists(out_ / "ablate_sweep.png"));
}

TEST_F(Analyses, BadUsesAreOneLineNamingTheFlag) {
  const std::string stories = test::shared_path("models/stories260K").string();
  expect_error(test::glassbox({"patch-sweep", "--model", model(), "--clean-ids", "1,2,3", "--corrupt-ids", "1,2", "--target-id", "5"}),
               "--clean has 3 tokens and --corrupt 2; patching position by position needs the same number of tokens");
  expect_error(test::glassbox({"patch-sweep", "--model", model(), "--clean-ids", "1,2", "--corrupt-ids", "1,3", "--target-id", "5",
                               "--site", "z"}),
               "--site: 'z' is not resid_pre, resid_post, attn_out or mlp_out");
  expect_error(test::glassbox({"patch-sweep", "--model", model(), "--clean-ids", "1,2", "--corrupt-ids", "1,3"}), "--target: give");
  expect_error(test::glassbox({"patch-sweep", "--model", model(), "--clean-ids", "1,2", "--corrupt-ids", "1,2", "--target-id", "5"}),
               "nothing to restore");
  expect_error(test::glassbox({"lens", "--model", stories, "--prompt", "Once upon", "--target", "hello world"}),
               "--target: 'hello world' is");
  expect_error(test::glassbox({"lens", "--model", model(), "--prompt-ids", "1,2", "--position", "5"}), "--position 5 is outside");
  expect_error(test::glassbox({"lens", "--model", model(), "--prompt-ids", "1,2", "--measure", "logit"}), "--measure: 'logit'");
  expect_error(test::glassbox({"heads", "--model", model(), "--prompt-ids", "1,2,3", "--period", "2"}),
               "a period of 2 needs a prompt of at least 4 tokens");
  expect_error(test::glassbox({"heads", "--model", model(), "--random", "4", "--prompt-ids", "1,2"}), "--random: replaces --prompt");
  expect_error(test::glassbox({"heads", "--model", model(), "--random", "4", "--period", "3"}), "--period: --random 4 sets the period to 4");
  expect_error(test::glassbox({"heads", "--model", model(), "--prompt-ids", "1,2", "--seed", "3"}), "--seed: only with --random");
  expect_error(test::glassbox({"heads", "--model", model(), "--prompt-ids", "1,2", "--format", "gif"}), "--format must be png, svg or both");
  expect_error(test::glassbox({"ablate-sweep", "--model", model(), "--prompt-ids", "1,2", "--target-id", "5"}),
               "--target and --wrong: a logit difference needs both");
  expect_error(test::glassbox({"ablate-sweep", "--model", model(), "--prompt-ids", "1", "--target-id", "5", "--wrong-id", "5"}),
               "--wrong: the same token as --target");
  expect_error(test::run("/usr/bin/env", {"GLASSBOX_MEMORY_LIMIT=1K", GLASSBOX_BIN, "heads", "--model", model(), "--prompt-ids", "1,2"}),
               "heads: a forward pass of 2 tokens needs");
}

}  // namespace
}  // namespace glassbox
