// The intervention flags end to end: dump/topk/generate with --ablate, --patch, --steer and `glassbox
// steer-vector` give what transformers gives (tests/model/references, see training/make_hook_references.py),
// and every bad use is one line naming the flag.
#include <gtest/gtest.h>

#include <cmath>

#include "core/safetensors.h"
#include "support/files.h"
#include "support/run.h"
#include "support/shared.h"

namespace glassbox {
namespace {
namespace fs = std::filesystem;

// 1e-4 of scale, as the parity tests: f32 on both sides, different summation orders.
constexpr double kTolerance = 1e-4;

fs::path references_dir() { return GLASSBOX_SOURCE_DIR "/tests/model/references"; }

class Flags : public ::testing::Test {
 protected:
  Flags() : ref_(references_dir() / "tiny-qwen3.safetensors") {}

  std::string model() const { return test::shared_path("fixtures/tiny/tiny-qwen3").string(); }
  std::string ids(const std::string& name) const {
    std::string text;
    for (int32_t id : test::token_ids(ref_.tensors().at(name))) text += (text.empty() ? "" : ",") + std::to_string(id);
    return text;
  }
  int64_t integer(const std::string& name, size_t i = 0) const { return test::token_ids(ref_.tensors().at(name))[i]; }
  std::string steer_file() const { return (references_dir() / "tiny-qwen3.steer.safetensors").string(); }

  // Runs dump --names logits with `extra` flags and compares its logits with the reference tensor `want`.
  void expect_logits(std::vector<std::string> extra, const std::string& want) {
    test::TempDir tmp;
    std::vector<std::string> args{"dump", "--model", model(), "--prompt-ids", ids("input_ids"), "--names", "logits",
                                  "--out", (tmp / "a.safetensors").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = test::glassbox(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const SafetensorsFile got(tmp / "a.safetensors");
    expect_close(got.tensors().at("logits").to_f32(), ref_.tensors().at(want).to_f32(), want);
  }
  static void expect_close(const std::vector<float>& got, const std::vector<float>& want, const std::string& what) {
    ASSERT_EQ(got.size(), want.size()) << what;
    double scale = 1, diff = 0;
    for (size_t i = 0; i < want.size(); ++i) {
      scale = std::max(scale, double(std::fabs(want[i])));
      diff = std::max(diff, double(std::fabs(want[i] - got[i])));
    }
    EXPECT_LE(diff / scale, kTolerance) << what;
  }
  // A failing run: non-zero exit, one line on stderr that contains `needle`.
  static void expect_error(const test::RunResult& r, const std::string& needle) {
    EXPECT_GT(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }

  SafetensorsFile ref_;
};

TEST_F(Flags, AblateZeroAndMean) {
  const std::string heads = std::to_string(integer("ablate_heads", 0)) + "." + std::to_string(integer("ablate_heads", 1)) +
                            "," + std::to_string(integer("ablate_heads", 2)) + "." + std::to_string(integer("ablate_heads", 3));
  expect_logits({"--ablate", heads}, "ablate.zero");
  expect_logits({"--ablate", heads, "--ablate-mode", "mean"}, "ablate.mean");
}

TEST_F(Flags, PatchOnePositionAndEveryPosition) {
  expect_logits({"--patch", "resid_post." + std::to_string(integer("patch_resid_post", 0)) + "@" +
                                std::to_string(integer("patch_resid_post", 1)),
                 "--patch-from-ids", ids("source_ids")},
                "patch.resid_post");
  expect_logits({"--patch", "attn_out." + std::to_string(integer("patch_attn_out")), "--patch-from-ids", ids("source_ids")},
                "patch.attn_out");
}

TEST_F(Flags, Steer) {
  const float scale = ref_.tensors().at("steer_scale").to_f32()[0];
  expect_logits({"--steer", "resid_post." + std::to_string(integer("steer_layer")) + "=" + steer_file() + ":" + std::to_string(scale)},
                "steer");
}

TEST_F(Flags, SteerVectorCommand) {
  test::TempDir tmp;
  const std::string site = "resid_post." + std::to_string(integer("steer_layer"));
  for (bool mean : {false, true}) {
    std::vector<std::string> args{"steer-vector", "--model", model(), "--positive-ids", ids("input_ids"), "--negative-ids",
                                  ids("source_ids"), "--site", site, "--out", (tmp / "v.safetensors").string()};
    if (mean) args.push_back("--mean");
    const auto r = test::glassbox(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const SafetensorsFile got(tmp / "v.safetensors");
    const std::vector<float> want = mean ? ref_.tensors().at("steer_vector_mean").to_f32()
                                         : SafetensorsFile(steer_file()).tensors().at("vector").to_f32();
    expect_close(got.tensors().at("vector").to_f32(), want, mean ? "--mean" : "last position");
    EXPECT_EQ(got.metadata().at("site"), site);
  }
}

TEST_F(Flags, TopkAndGenerateTakeTheSameFlags) {
  const std::string prompt = ids("input_ids");
  const auto plain = test::glassbox({"topk", "--model", model(), "--prompt-ids", prompt, "--json"});
  const auto ablated = test::glassbox({"topk", "--model", model(), "--prompt-ids", prompt, "--json", "--ablate", "2.0,2.1,2.2,2.3"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  ASSERT_EQ(ablated.exit_code, 0) << ablated.err;
  EXPECT_NE(plain.out, ablated.out);
  const std::string steer = "resid_post." + std::to_string(integer("steer_layer")) + "=" + steer_file() + ":4";
  const auto g0 = test::glassbox({"generate", "--model", model(), "--prompt-ids", prompt, "--max-tokens", "8", "--json"});
  const auto g1 = test::glassbox({"generate", "--model", model(), "--prompt-ids", prompt, "--max-tokens", "8", "--json", "--steer", steer});
  ASSERT_EQ(g1.exit_code, 0) << g1.err;
  EXPECT_NE(g0.out.substr(0, g0.out.find("\"prompt_tps\"")), g1.out.substr(0, g1.out.find("\"prompt_tps\"")));
}

TEST_F(Flags, BadUsesAreOneLineNamingTheFlag) {
  const std::string prompt = ids("input_ids");
  test::TempDir tmp;
  const std::string out = (tmp / "a.safetensors").string();
  auto dump = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"dump", "--model", model(), "--prompt-ids", prompt, "--out", out};
    args.insert(args.end(), extra.begin(), extra.end());
    return test::glassbox(args);
  };
  expect_error(dump({"--ablate", "9.0"}), "--ablate: head 9.0 is outside the model");
  expect_error(dump({"--ablate", "1"}), "--ablate: expected LAYER.HEAD");
  expect_error(dump({"--ablate", "1.0", "--ablate-mode", "max"}), "--ablate-mode: 'max'");
  expect_error(dump({"--ablate-mode", "mean"}), "--ablate-mode:");
  expect_error(dump({"--patch", "resid_post.1"}), "--patch: give the source prompt");
  expect_error(dump({"--patch-from-ids", "1,2"}), "--patch-from-ids: give what to patch");
  expect_error(dump({"--patch", "resid_post.1", "--patch-from-ids", "1,2"}), "--patch-from-ids: the source has 2 tokens");
  expect_error(dump({"--patch", "resid_post.1@5", "--patch-from-ids", "1,2"}), "--patch: position 5 is outside");
  expect_error(dump({"--patch", "resid_post.1@x", "--patch-from-ids", "1,2"}), "--patch: 'resid_post.1@x'");
  expect_error(dump({"--patch", "resid_post.9", "--patch-from-ids", prompt}), "--patch: unknown activation 'resid_post.9'");
  expect_error(dump({"--steer", "resid_post.1"}), "--steer: 'resid_post.1': expected NAME=FILE[:SCALE]");
  expect_error(dump({"--steer", "resid_post.1=" + (tmp / "missing.safetensors").string()}), "--steer: ");
  expect_error(dump({"--steer", "attn_probs.1=" + steer_file()}), "--steer: attn_probs.1 cannot be steered");
  expect_error(dump({"--steer", "mlp_hidden.1=" + steer_file()}), "but mlp_hidden.1 is");
  expect_error(dump({"--names", "logits", "--heads", "0"}), "--heads: only narrows attn_scores and attn_probs");
  expect_error(dump({"--names", "attn_probs", "--layers", "3"}), "--layers: 3 is outside 0..2");
  expect_error(dump({"--names", "attn_probs", "--heads", "1-0"}), "--heads: expected");
  expect_error(test::run("/usr/bin/env", {"GLASSBOX_MEMORY_LIMIT=64K", GLASSBOX_BIN, "dump", "--model", model(), "--prompt-ids",
                                          prompt, "--out", out}),
               "narrow it with --names, --layers or --heads");
  EXPECT_FALSE(fs::exists(out));
  expect_error(test::glassbox({"steer-vector", "--model", model(), "--positive-ids", "1,2", "--site", "resid_post.0", "--out", out}),
               "--negative: give exactly one of --negative or --negative-ids");
  expect_error(test::glassbox({"steer-vector", "--model", model(), "--positive-ids", "1", "--negative-ids", "2", "--site",
                               "attn_scores.0", "--out", out}),
               "--site: attn_scores.0 cannot be steered");
}

}  // namespace
}  // namespace glassbox
