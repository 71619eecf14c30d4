// Token inspection, display forms, the CLI's table and JSON, and streaming decode.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tokenizer/token_table.h"
#include "base/utf8.h"
#include "tokenizers.h"

namespace glassbox {
namespace {

TEST(Inspect, ByteLevelTokensWithSpansAndPartialCharacters) {
  const Tokenizer& tok = test::shared_tokenizer("llama3");
  // From the golden: "ﬁ" (3 bytes) is split into "ï" + "¬ģ", each covering the whole character.
  const auto info = tok.inspect("\xEF\xAC\x81 x");
  ASSERT_GE(info.size(), 2u);
  EXPECT_EQ(info[0].piece, "ï");
  EXPECT_EQ(info[0].bytes, "\xEF");
  EXPECT_TRUE(info[0].partial_utf8);
  EXPECT_EQ(info[0].display, "<EF>");
  EXPECT_EQ(info[0].begin, 0u);
  EXPECT_EQ(info[0].end, 3u);
  EXPECT_TRUE(info[1].partial_utf8);
  EXPECT_EQ(info.back().bytes, " x");
  EXPECT_EQ(info.back().display, "\u2423x");
  EXPECT_FALSE(info.back().partial_utf8);
  EXPECT_FALSE(info.back().special);
}

TEST(Inspect, SpecialTokensAndBos) {
  const Tokenizer& stories = test::shared_tokenizer("stories260K");
  const auto info = stories.inspect("Hello", true);
  ASSERT_EQ(info.size(), 4u);
  EXPECT_EQ(info[0].piece, "<s>");
  EXPECT_TRUE(info[0].special);
  EXPECT_EQ(info[0].begin, 0u);
  EXPECT_EQ(info[0].end, 0u);
  EXPECT_EQ(info[1].piece, "\u2581He");
  EXPECT_EQ(info[1].bytes, " He");

  const Tokenizer& qwen = test::shared_tokenizer("qwen3");
  const auto q = qwen.inspect("a<|im_end|>\n");
  ASSERT_EQ(q.size(), 3u);
  EXPECT_TRUE(q[1].special);
  EXPECT_EQ(q[1].display, "<|im_end|>");
  EXPECT_EQ(q[1].begin, 1u);
  EXPECT_EQ(q[1].end, 11u);
  EXPECT_EQ(q[2].display, "\u21B5");
}

TEST(Inspect, VocabularyLookups) {
  const Tokenizer& qwen = test::shared_tokenizer("qwen3");
  EXPECT_EQ(qwen.vocab_size(), 151669);
  EXPECT_EQ(qwen.piece_to_id("<|im_start|>"), 151644);
  EXPECT_EQ(qwen.id_to_piece(151644), "<|im_start|>");
  EXPECT_EQ(qwen.piece_to_id("\u0120the"), 279);
  EXPECT_EQ(qwen.id_to_piece(279), "\u0120the");
  EXPECT_FALSE(qwen.piece_to_id("not a token at all"));
  EXPECT_EQ(qwen.id_to_piece(-1), "");
  EXPECT_TRUE(qwen.is_special(151645));
  EXPECT_FALSE(qwen.is_special(151667));  // <think> is an added token that is not special
  EXPECT_EQ(qwen.eos_ids(), (std::vector<int32_t>{151645, 151643}));
  const Tokenizer& stories = test::shared_tokenizer("stories260K");
  EXPECT_EQ(stories.vocab_size(), 512);
  EXPECT_EQ(stories.eos_ids(), std::vector<int32_t>{2});
  EXPECT_EQ(stories.bos_id(), 1);
  EXPECT_EQ(stories.token_bytes(*stories.piece_to_id("<0x0A>")), "\n");
  EXPECT_FALSE(stories.has_chat_template());
}

TEST(Format, JsonHasIdsTokensOffsetsAndSpecialFlags) {
  const Tokenizer& stories = test::shared_tokenizer("stories260K");
  const auto j = nlohmann::json::parse(format_token_json(stories.inspect("Hello", true)));
  EXPECT_EQ(j["ids"], nlohmann::json({1, 346, 306, 414}));
  EXPECT_EQ(j["tokens"], nlohmann::json({"<s>", "\u2581He", "ll", "o"}));
  EXPECT_EQ(j["byte_offsets"], nlohmann::json({{0, 0}, {0, 2}, {2, 4}, {4, 5}}));
  EXPECT_EQ(j["special"], nlohmann::json({true, false, false, false}));
}

TEST(Format, TableHasOneLinePerTokenWithFlags) {
  const Tokenizer& llama = test::shared_tokenizer("llama3");
  const std::string table = format_token_table(llama.inspect("\xEF\xAC\x81"));
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 3);  // header and two tokens
  EXPECT_NE(table.find("0..3"), std::string::npos) << table;
  EXPECT_NE(table.find("partial"), std::string::npos) << table;
  EXPECT_NE(table.find("EF"), std::string::npos) << table;
}

TEST(StreamDecoder, NeverReturnsHalfACharacter) {
  const Tokenizer& llama = test::shared_tokenizer("llama3");
  const std::string text = "A \xEF\xAC\x81 ligature, 你好 and 👍🏽 done.";
  StreamDecoder stream(llama);
  std::string out;
  for (int32_t id : llama.encode(text)) {
    const std::string piece = stream.push(id);
    EXPECT_TRUE(utf8::is_valid(piece)) << "id " << id;
    out += piece;
  }
  out += stream.flush();
  EXPECT_EQ(out, text);
}

TEST(StreamDecoder, KeepsTheSpaceAfterAPromptWithSentencePieceDecoders) {
  const Tokenizer& stories = test::shared_tokenizer("stories260K");
  const auto prompt = stories.encode("Once upon", true);
  const auto more = stories.encode("Once upon a time");
  StreamDecoder stream(stories, prompt);
  std::string out;
  for (size_t i = prompt.size() - 1; i < more.size(); ++i) out += stream.push(more[i]);
  out += stream.flush();
  EXPECT_EQ(out, " a time");
}

}  // namespace
}  // namespace glassbox
