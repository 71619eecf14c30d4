// `glassbox bench --json` carries llama-bench's fields and ours.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run.h"
#include "support/shared.h"

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

}  // namespace
}  // namespace glassbox
