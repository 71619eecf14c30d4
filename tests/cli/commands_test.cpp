// The glassbox command end to end, against the Hugging Face references in ../shared.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/safetensors.h"
#include "support/run.h"
#include "support/shared.h"

namespace glassbox {
namespace {
using nlohmann::json;

json read_json(const std::filesystem::path& p) {
  std::ifstream f(p);
  return json::parse(f);
}

std::string join_ids(const json& ids) {
  std::string s;
  for (const auto& id : ids) s += (s.empty() ? "" : ",") + std::to_string(id.get<int64_t>());
  return s;
}

std::string stories() { return test::shared_path("models/stories260K").string(); }

TEST(Generate, GreedyReproducesTransformersOnStories260K) {
  const json ref = read_json(test::shared_path("models/stories260K/reference.json"));
  const auto r = test::glassbox({"generate", "--model", stories(), "--prompt-ids", join_ids(ref["input_ids"]),
                                 "--max-tokens", std::to_string(ref["greedy_ids"].size()), "--temp", "0", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json out = json::parse(r.out);
  EXPECT_EQ(out["ids"], ref["greedy_ids"]);
  for (const char* key : {"text", "prompt_tps", "generation_tps", "peak_memory_gb"}) EXPECT_TRUE(out.contains(key)) << key;
}

TEST(Generate, PrintsMlxLmStatisticsLines) {
  const auto r = test::glassbox({"generate", "--model", stories(), "--prompt-ids", "1,403,407", "--max-tokens", "8"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Prompt: 3 tokens, "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Generation: 8 tokens, "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Peak memory: "), std::string::npos) << r.out;
}

TEST(Generate, SameSeedSameTokensDifferentSeedDifferentTokens) {
  auto sample = [&](const std::string& seed) {
    const auto r = test::glassbox({"generate", "--model", stories(), "--prompt-ids", "1,403", "--max-tokens", "40",
                                   "--temp", "1.0", "--top-p", "0.95", "--top-k", "40", "--min-p", "0.01",
                                   "--repetition-penalty", "1.1", "--seed", seed, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out)["ids"];
  };
  EXPECT_EQ(sample("7"), sample("7"));
  EXPECT_NE(sample("7"), sample("8"));
}

TEST(Topk, TableMatchesReferenceLogits) {
  const json ref = read_json(test::shared_path("models/stories260K/reference.json"));
  const auto r = test::glassbox({"topk", "--model", stories(), "--prompt-ids", join_ids(ref["input_ids"]), "--k", "5", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json out = json::parse(r.out);
  ASSERT_EQ(out["top"].size(), 5u);
  EXPECT_EQ(out["position"], ref["input_ids"].size() - 1);
  EXPECT_EQ(out["top"][0]["id"], ref["greedy_ids"][0]);  // the greedy token is the most likely one
  const SafetensorsFile tensors(test::shared_path("models/stories260K/reference.safetensors"));
  const std::vector<float> logits = tensors.tensors().at("logits").to_f32();
  const size_t last = (ref["input_ids"].size() - 1) * 512;
  double prev = 1;
  for (const auto& row : out["top"]) {
    // 1e-4: the parity tolerance of the logits themselves (see parity_test.cpp).
    EXPECT_NEAR(row["logit"].get<double>(), logits[last + row["id"].get<size_t>()], 1e-4);
    EXPECT_LE(row["prob"].get<double>(), prev);
    prev = row["prob"].get<double>();
  }
  EXPECT_GT(out["entropy"].get<double>(), 0);
}

TEST(Params, TotalsEqualTheFixtureSummary) {
  const json summary = read_json(test::shared_path("fixtures/tiny/SUMMARY.json"));
  for (const auto& [name, info] : summary["models"].items()) {
    const auto dir = test::shared_path("fixtures/tiny/" + name);
    const auto r = test::glassbox({"params", "--model", dir.string(), "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json out = json::parse(r.out);
    EXPECT_EQ(out["total"], info["params"]) << name;
    int64_t tensor_sum = 0;
    const TensorStore store = TensorStore::open_dir(dir);
    for (const auto& t : store.names()) tensor_sum += store.get(t).numel();
    EXPECT_EQ(out["total"].get<int64_t>(), tensor_sum) << name;
  }
}

TEST(Dump, WritesFixtureNamesShapesAndGreedyIds) {
  test::TempDir tmp;
  const auto dir = test::shared_path("fixtures/tiny/tiny-qwen2");
  const SafetensorsFile ref(dir / "reference.safetensors");
  std::vector<int64_t> ids(size_t(ref.tensors().at("input_ids").numel()));
  std::memcpy(ids.data(), ref.tensors().at("input_ids").data, ids.size() * 8);
  const auto r = test::glassbox({"dump", "--model", dir.string(), "--prompt-ids", join_ids(json(ids)), "--greedy", "24",
                                 "--out", (tmp / "acts.safetensors").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const SafetensorsFile got(tmp / "acts.safetensors");
  for (const auto& [name, view] : ref.tensors()) {
    ASSERT_TRUE(got.tensors().count(name)) << name;
    EXPECT_EQ(got.tensors().at(name).shape, view.shape) << name;
  }
  const auto& g = got.tensors().at("greedy_ids");
  EXPECT_EQ(std::memcmp(g.data, ref.tensors().at("greedy_ids").data, g.nbytes), 0);
}

TEST(Dump, NamesSelectActivations) {
  test::TempDir tmp;
  const auto r = test::glassbox({"dump", "--model", stories(), "--prompt-ids", "1,403,407", "--names", "q.0,logits",
                                 "--out", (tmp / "a.safetensors").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const SafetensorsFile got(tmp / "a.safetensors");
  EXPECT_EQ(got.tensors().size(), 3u);  // q.0, logits, input_ids
  EXPECT_EQ(got.tensors().at("q.0").shape, (std::vector<int64_t>{3, 64}));
}

TEST(Cli, EveryCommandHasHelp) {
  for (const char* command : {"generate", "topk", "params", "dump", "template"}) {
    const auto r = test::glassbox({command, "--help"});
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_NE(r.out.find(std::string("glassbox ") + command), std::string::npos) << command;
  }
}

}  // namespace
}  // namespace glassbox
