// `glassbox bench --json` carries llama-bench's fields and ours; bench -b and generate --batch decode several
// sequences together.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run.h"
#include "support/shared.h"
#include "support/temp_dir.h"

namespace glassbox {
namespace {

TEST(BenchCli, JsonHasLlamaBenchFields) {
  const std::string model = test::shared_path("fixtures/tiny/tiny-llama").string();
  const test::RunResult r = test::glassbox({"bench", "--model", model, "-p", "8", "-n", "4", "-r", "3", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = nlohmann::json::parse(r.out);
  ASSERT_EQ(out.size(), 2u);  // pp8 and tg4
  for (const auto& row : out) {
    for (const char* field : {"model_size", "model_n_params", "n_threads", "n_prompt", "n_gen", "avg_ts", "stddev_ts",
                              "samples_ts", "load_ms", "peak_rss_bytes"})
      EXPECT_TRUE(row.contains(field)) << field;
    EXPECT_EQ(row["samples_ts"].size(), 3u);
    EXPECT_GT(row["avg_ts"].get<double>(), 0.0);
    EXPECT_GT(row["peak_rss_bytes"].get<double>(), 0.0);
    EXPECT_EQ(row["synthetic"], false);
  }
  EXPECT_EQ(out[0]["n_prompt"], 8);
  EXPECT_EQ(out[0]["n_gen"], 0);
  EXPECT_EQ(out[1]["n_prompt"], 0);
  EXPECT_EQ(out[1]["n_gen"], 4);
}

TEST(BenchCli, BatchSizesGiveOneTgRowEach) {
  const std::string model = test::shared_path("fixtures/tiny/tiny-llama").string();
  const test::RunResult r = test::glassbox({"bench", "--model", model, "-p", "0", "-n", "4", "-r", "1", "-b", "1,3", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = nlohmann::json::parse(r.out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0]["n_seqs"], 1);
  EXPECT_EQ(out[1]["n_seqs"], 3);
  EXPECT_EQ(out[1]["test"], "tg4");
  // Three caches of 4 positions against one.
  EXPECT_EQ(out[1]["kv_cache_bytes"].get<int64_t>(), 3 * out[0]["kv_cache_bytes"].get<int64_t>());
  for (const char* bad : {"0", "1,,2", "x", "300"}) {
    const test::RunResult e = test::glassbox({"bench", "--model", model, "-n", "4", "-b", bad});
    EXPECT_NE(e.exit_code, 0) << bad;
    EXPECT_NE(e.err.find("-b:"), std::string::npos) << e.err;
  }
}

TEST(BenchCli, FastModeReportsItsDriftFromExact) {
  test::TempDir tmp;
  const std::string src = test::shared_path("fixtures/tiny/tiny-llama").string(), q4 = (tmp / "q4").string();
  ASSERT_EQ(test::glassbox({"convert", "--model", src, "--out", q4, "--q-bits", "4", "--q-group-size", "32"}).exit_code, 0);
  const test::RunResult r = test::glassbox({"bench", "--model", q4, "-p", "16", "-n", "2", "-r", "1", "--fast", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto out = nlohmann::json::parse(r.out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0]["compute_mode"], "fast");
  EXPECT_EQ(out[0]["fast_drift"]["positions"], 16);
  // Rounding activations to int8 moves the distribution a little, never not at all on random weights.
  EXPECT_GT(out[0]["fast_drift"]["mean_kl"].get<double>(), 0.0);
  EXPECT_LT(out[0]["fast_drift"]["mean_kl"].get<double>(), 0.1);
  const test::RunResult exact = test::glassbox({"bench", "--model", q4, "-p", "16", "-n", "2", "-r", "1", "--json"});
  EXPECT_EQ(nlohmann::json::parse(exact.out)[0]["compute_mode"], "exact");
  EXPECT_FALSE(nlohmann::json::parse(exact.out)[0].contains("fast_drift"));
}

TEST(GenerateCli, GreedyBatchRepeatsTheSingleSequence) {
  const std::string model = test::shared_path("fixtures/tiny/tiny-qwen3").string();
  const std::vector<std::string> common = {"generate", "--model", model, "--prompt-ids", "5,9,200,31", "--max-tokens", "12", "--json"};
  const test::RunResult one = test::glassbox(common);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  std::vector<std::string> batched = common;
  batched.insert(batched.end(), {"--batch", "3"});
  const test::RunResult three = test::glassbox(batched);
  ASSERT_EQ(three.exit_code, 0) << three.err;
  const auto single = nlohmann::json::parse(one.out), batch = nlohmann::json::parse(three.out);
  ASSERT_EQ(batch["n_seqs"], 3);
  ASSERT_EQ(batch["sequences"].size(), 3u);
  for (const auto& seq : batch["sequences"]) EXPECT_EQ(seq["ids"], single["ids"]);
  EXPECT_GT(batch["generation_tps"].get<double>(), 0.0);
}

}  // namespace
}  // namespace glassbox
