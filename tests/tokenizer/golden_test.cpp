// Every text of fixtures/tokenizer/corpus.jsonl against Hugging Face tokenizers' output: ids, token pieces,
// byte offsets, decoded text, and ids with the post-processor's special tokens.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "tokenizers.h"

namespace glassbox {
namespace {

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, MatchesHuggingFaceTokenizers) {
  const Tokenizer& tok = test::shared_tokenizer(GetParam());
  std::ifstream in(test::shared_path("fixtures/tokenizer/golden/" + GetParam() + ".jsonl"));
  ASSERT_TRUE(in);
  std::string line;
  int cases = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto g = nlohmann::json::parse(line);
    const std::string text = g["text"];
    SCOPED_TRACE("text: " + nlohmann::json(text).dump());
    const auto info = tok.inspect(text);
    std::vector<int32_t> ids;
    std::vector<std::string> pieces;
    std::vector<std::vector<size_t>> offsets;
    for (const TokenInfo& t : info) {
      ids.push_back(t.id);
      pieces.push_back(t.piece);
      offsets.push_back({t.begin, t.end});
    }
    EXPECT_EQ(ids, g["ids"].get<std::vector<int32_t>>());
    EXPECT_EQ(tok.encode(text), ids);
    EXPECT_EQ(pieces, g["tokens"].get<std::vector<std::string>>());
    EXPECT_EQ(offsets, g["byte_offsets"].get<std::vector<std::vector<size_t>>>());
    EXPECT_EQ(tok.decode(ids), g["decoded"].get<std::string>());
    EXPECT_EQ(tok.encode(text, true), g["ids_with_special"].get<std::vector<int32_t>>());
    ++cases;
  }
  EXPECT_EQ(cases, 49);
}

INSTANTIATE_TEST_SUITE_P(Tokenizers, Golden, ::testing::Values("smollm2", "qwen3", "llama3", "stories260K"));

}  // namespace
}  // namespace glassbox
