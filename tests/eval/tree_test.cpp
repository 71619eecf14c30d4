// glassbox tree: its probabilities are topk's, its greedy path is generate's, and the paths it marks are
// what each decoder would pick.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "support/run.h"
#include "support/shared.h"

namespace glassbox {
namespace {
using nlohmann::json;

std::string stories() { return test::shared_path("models/stories260K").string(); }

std::string join(const std::vector<int64_t>& ids) {
  std::string s;
  for (int64_t id : ids) s += (s.empty() ? "" : ",") + std::to_string(id);
  return s;
}

json tree(const test::TempDir& dir, const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"tree", "--model", stories(), "--prompt-ids", "1,403,407,261",
                                   "--figure", (dir / "tree.svg").string(), "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = test::glassbox(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

TEST(Tree, ProbabilitiesEqualTopk) {
  test::TempDir dir;
  const json t = tree(dir, {"--depth", "3", "--k", "3"});
  ASSERT_EQ(t["nodes"].size(), 3u + 9u + 27u);
  EXPECT_TRUE(std::filesystem::exists(dir / "tree.svg"));
  // Every node above the leaves: its children are topk's table after the prompt and the node's path.
  for (size_t i = 0; i <= t["nodes"].size(); ++i) {
    std::vector<int64_t> ids = {1, 403, 407, 261};
    std::vector<json> children;
    if (i > 0) {
      const json& node = t["nodes"][i - 1];
      if (node["depth"] == 3) continue;
      std::vector<int64_t> path;
      for (json n = node;; n = t["nodes"][n["parent"].get<size_t>() - 1]) {
        path.insert(path.begin(), n["id"].get<int64_t>());
        if (n["parent"] == 0) break;
      }
      ids.insert(ids.end(), path.begin(), path.end());
    }
    for (const json& n : t["nodes"])
      if (n["parent"] == i) children.push_back(n);
    ASSERT_EQ(children.size(), 3u);
    const auto r = test::glassbox({"topk", "--model", stories(), "--prompt-ids", join(ids), "--k", "3", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json top = json::parse(r.out)["top"];
    for (size_t c = 0; c < 3; ++c) {
      EXPECT_EQ(children[c]["id"], top[c]["id"]) << "node " << i;
      if (i == 0) {
        EXPECT_EQ(children[c]["prob"], top[c]["prob"]);  // the same forward pass of the same prompt
      } else {
        // topk runs the whole sequence in one forward pass, the tree one cached decoding step per node: the
        // matrix products run with one row instead of many, summing in another order, and the float32 roundings
        // of five layers move a probability by up to ~2e-6 (measured); 1e-5 leaves room and still catches a
        // wrong token, position or cache entry, which moves it by far more.
        EXPECT_NEAR(children[c]["prob"].get<double>(), top[c]["prob"].get<double>(), 1e-5) << "node " << i;
      }
    }
  }
}

TEST(Tree, MarkedPathsAreWhatEachDecoderPicks) {
  test::TempDir dir;
  const json t = tree(dir, {"--depth", "4", "--k", "3", "--beam", "2"});
  // Greedy is generate's greedy continuation.
  const auto g = test::glassbox({"generate", "--model", stories(), "--prompt-ids", "1,403,407,261", "--max-tokens", "4",
                                 "--temp", "0", "--json"});
  ASSERT_EQ(g.exit_code, 0) << g.err;
  EXPECT_EQ(t["greedy"]["ids"], json::parse(g.out)["ids"]);
  // The sequences are ranked by total log-probability, and the most likely is the first of them.
  const json& seqs = t["sequences"];
  ASSERT_EQ(seqs.size(), 81u);
  for (size_t i = 1; i < seqs.size(); ++i) EXPECT_GE(seqs[i - 1]["logprob"].get<double>(), seqs[i]["logprob"].get<double>());
  EXPECT_EQ(t["most_likely"], seqs[0]);
  EXPECT_GE(t["most_likely"]["logprob"].get<double>(), t["greedy"]["logprob"].get<double>());
  EXPECT_GE(t["most_likely"]["logprob"].get<double>(), t["beam_search"]["logprob"].get<double>());
  // A sequence's log-probability is the sum of its edges' log-probabilities.
  for (const json& seq : {t["greedy"], t["beam_search"], t["most_likely"]}) {
    double sum = 0;
    size_t parent = 0;
    for (const json& id : seq["ids"])
      for (size_t i = 0; i < t["nodes"].size(); ++i)
        if (t["nodes"][i]["parent"] == parent && t["nodes"][i]["id"] == id) {
          sum += std::log(t["nodes"][i]["prob"].get<double>());
          parent = i + 1;  // "index" of nodes[i]: the root is 0
          break;
        }
    EXPECT_NEAR(sum, seq["logprob"].get<double>(), 1e-12);  // the same terms, added in the same order
  }
  // Beam search of width 1 is greedy decoding.
  const json one = tree(dir, {"--depth", "4", "--k", "3", "--beam", "1"});
  EXPECT_EQ(one["beam_search"], one["greedy"]);
}

TEST(Tree, NodeBoundIsAClearError) {
  test::TempDir dir;
  const auto r = test::glassbox({"tree", "--model", stories(), "--prompt-ids", "1,403", "--depth", "12", "--k", "5",
                                 "--figure", (dir / "t.png").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "error: --max-nodes: a tree of depth 12 with 5 children per node has more than 1000 nodes; "
                   "lower --depth or --k, or raise --max-nodes\n");
  EXPECT_FALSE(std::filesystem::exists(dir / "t.png"));
  const auto beam = test::glassbox({"tree", "--model", stories(), "--prompt-ids", "1,403", "--k", "2", "--beam", "3"});
  EXPECT_EQ(beam.err, "error: --beam must be between 1 and --k (2)\n");
  const auto draw = test::glassbox({"tree", "--model", stories(), "--prompt-ids", "1,403", "--k", "40", "--depth", "2",
                                    "--max-nodes", "5000"});
  EXPECT_EQ(draw.err, "error: --depth 2 --k 40: more than 1200 leaves are too many to draw\n");
}

}  // namespace
}  // namespace glassbox
