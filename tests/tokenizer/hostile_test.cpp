// Hostile tokenizer.json files (issue 13): each is refused at load with an error naming the file and the field,
// or encodes within bounded memory; none crashes, hangs or allocates gigabytes.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "tokenizer/tokenizer.h"

namespace glassbox {
namespace {

using nlohmann::json;

json base() {
  return {{"model", {{"type", "BPE"}, {"vocab", {{"a", 0}, {"b", 1}, {"ab", 2}, {" ", 3}}}, {"merges", {"a b"}}}}};
}

std::string load_error(const json& j) {
  try {
    Tokenizer::parse(j.dump(), "tokenizer.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::string encode_error(const json& j, const std::string& text) {
  try {
    Tokenizer::parse(j.dump(), "tokenizer.json").encode(text);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(HostileTokenizer, HugeVocabularyIdsAreRefusedNotAllocated) {
  // An id of 2^31 - 1 used to size a table of two billion strings.
  for (const json& id : {json(2147483647), json(100000000), json(4294967301ull)}) {
    json j = base();
    j["model"]["vocab"]["b"] = id;
    EXPECT_EQ(load_error(j), "tokenizer.json model.vocab[\"b\"]: expected an integer from 0 to 2097151, got " + id.dump());
  }
}

TEST(HostileTokenizer, SpecialTokenIdsMustBeTokens) {
  json j = base();
  j["post_processor"] = {{"type", "TemplateProcessing"},
                         {"single", {{{"SpecialToken", {{"id", "<s>"}}}}, {{"Sequence", {{"id", "A"}}}}}},
                         {"special_tokens", {{"<s>", {{"ids", {7}}}}}}};
  EXPECT_EQ(load_error(j), "tokenizer.json post_processor: special token id 7 is not in the vocabulary");
  j["post_processor"]["special_tokens"]["<s>"]["ids"] = {-1};
  EXPECT_EQ(load_error(j),
            "tokenizer.json post_processor.special_tokens.<s>.ids[0]: expected an integer from 0 to 2097151, got -1");
}

TEST(HostileTokenizer, AnEmptyMetaspaceReplacementIsRefused) {
  // Decoding replaced "" by " " forever: an endless loop that filled memory.
  json j = base();
  j["decoder"] = {{"type", "Metaspace"}, {"replacement", ""}};
  EXPECT_EQ(load_error(j), "tokenizer.json decoder.replacement: expected one character");
}

TEST(HostileTokenizer, ReplacementsAreShort) {
  json j = base();
  j["normalizer"] = {{"type", "Replace"}, {"pattern", {{"String", "a"}}}, {"content", std::string(65, 'x')}};
  EXPECT_EQ(load_error(j), "tokenizer.json normalizer.content: longer than 64 bytes");
}

TEST(HostileTokenizer, NormalizersCannotCompoundTheirGrowth) {
  // Each step multiplies the text by 64; ten of them would make a 10-byte prompt 10^19 bytes.
  json j = base();
  json steps = json::array();
  for (int i = 0; i < 10; ++i)
    steps.push_back({{"type", "Replace"}, {"pattern", {{"String", "a"}}}, {"content", std::string(64, 'a')}});
  j["normalizer"] = {{"type", "Sequence"}, {"normalizers", steps}};
  EXPECT_EQ(encode_error(j, "aaaaaaaaaa"), "tokenizer.json normalizer: the normalizers grow the text more than 32-fold");
}

TEST(HostileTokenizer, DeepNestingIsRefusedBeforeParsing) {
  std::string text = std::string(100000, '[') + std::string(100000, ']');
  try {
    Tokenizer::parse(text, "tokenizer.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "tokenizer.json: not valid JSON for glassbox (nested deeper than 64 levels)");
  }
}

TEST(HostileTokenizer, WrongJsonTypesNameTheField) {
  json j = base();
  j["decoder"] = {{"type", "Strip"}, {"content", " "}, {"start", "one"}, {"stop", 0}};
  EXPECT_EQ(load_error(j), "tokenizer.json decoder.start: expected an integer from 0 to 1048576, got \"one\"");
  j = base();
  j["normalizer"] = {{"type", "Sequence"}, {"normalizers", {{"type", "NFC"}}}};  // an object, not a list
  EXPECT_EQ(load_error(j), "tokenizer.json normalizer.normalizers: expected a list");
}

}  // namespace
}  // namespace glassbox
