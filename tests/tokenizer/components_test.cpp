// tokenizer.json components on small hand-written files: what the real tokenizers do not exercise.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "base/error.h"
#include "support/temp_dir.h"
#include "tokenizer/tokenizer.h"

namespace glassbox {
namespace {

using nlohmann::json;

// A character-level BPE over a small alphabet (each character its own token, no merges unless given).
json char_model(const std::string& alphabet, json merges = json::array()) {
  json vocab = json::object();
  int id = 0;
  for (size_t i = 0; i < alphabet.size();) {
    const size_t n = (static_cast<unsigned char>(alphabet[i]) < 0x80) ? 1 : (static_cast<unsigned char>(alphabet[i]) < 0xE0 ? 2 : 3);
    vocab[alphabet.substr(i, n)] = id++;
    i += n;
  }
  for (const auto& m : merges) {
    const std::string s = m;
    const std::string merged = s.substr(0, s.find(' ')) + s.substr(s.find(' ') + 1);
    if (!vocab.contains(merged)) vocab[merged] = id++;
  }
  return {{"type", "BPE"}, {"vocab", vocab}, {"merges", merges}};
}

Tokenizer load(json file) {
  static int n = 0;
  static test::TempDir dir;
  const auto sub = dir / std::to_string(n++);
  std::filesystem::create_directories(sub);
  for (const char* key : {"normalizer", "pre_tokenizer", "post_processor", "decoder"})
    if (!file.contains(key)) file[key] = nullptr;
  if (!file.contains("added_tokens")) file["added_tokens"] = json::array();
  std::ofstream(sub / "tokenizer.json") << file.dump();
  return Tokenizer::load(sub);
}

std::vector<std::string> pieces(const Tokenizer& t, const std::string& text) {
  std::vector<std::string> out;
  for (const auto& i : t.inspect(text)) out.push_back(i.piece);
  return out;
}

using Pieces = std::vector<std::string>;

TEST(Components, UnsupportedComponentIsAnErrorNamingIt) {
  const auto message = [](json file) {
    try {
      load(std::move(file));
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message({{"model", {{"type", "Unigram"}, {"vocab", json::array()}}}}).find("'Unigram'"), std::string::npos);
  EXPECT_NE(message({{"model", char_model("ab")}, {"normalizer", {{"type", "BertNormalizer"}}}}).find("'BertNormalizer'"),
            std::string::npos);
  EXPECT_NE(message({{"model", char_model("ab")}, {"pre_tokenizer", {{"type", "Whitespace"}}}}).find("'Whitespace'"),
            std::string::npos);
  EXPECT_NE(message({{"model", char_model("ab")}, {"decoder", {{"type", "WordPiece"}}}}).find("'WordPiece'"),
            std::string::npos);
  EXPECT_NE(message({{"model", char_model("ab")}, {"post_processor", {{"type", "BertProcessing"}}}}).find("'BertProcessing'"),
            std::string::npos);
  EXPECT_NE(message({{"model", char_model("ab", {"a c"})}}).find("merges[0]"), std::string::npos);
}

TEST(Components, MergesAsPairsAndPriorityOrder) {
  // "a b" has rank 0 and wins over "b c" in "abc"; [x, y] pairs are the same as "x y" strings.
  const Tokenizer t = load({{"model", char_model("abc", {"b c", "a b"})}});
  EXPECT_EQ(pieces(t, "abc"), (Pieces{"a", "bc"}));
  json pairs = char_model("abc", {"b c", "a b"});
  pairs["merges"] = json::array({json::array({"b", "c"}), json::array({"a", "b"})});
  EXPECT_EQ(pieces(load({{"model", pairs}}), "abc"), (Pieces{"a", "bc"}));
  EXPECT_EQ(pieces(t, "aaa"), (Pieces{"a", "a", "a"}));
}

TEST(Components, SplitBehaviors) {
  const auto split = [](const std::string& behavior, bool invert) {
    return pieces(load({{"model", char_model("ab-")},
                        {"pre_tokenizer",
                         {{"type", "Split"}, {"pattern", {{"String", "-"}}}, {"behavior", behavior}, {"invert", invert}}}}),
                  "a--b");
  };
  EXPECT_EQ(split("Removed", false), (Pieces{"a", "b"}));
  EXPECT_EQ(split("Isolated", false), (Pieces{"a", "-", "-", "b"}));
  EXPECT_EQ(split("Removed", true), (Pieces{"-", "-"}));
  // With merges "a -" etc. absent, pieces show the split through the tokens; the spans show grouping.
  const Tokenizer t = load({{"model", char_model("ab-", {"a -", "- -", "- b"})},
                            {"pre_tokenizer", {{"type", "Split"}, {"pattern", {{"String", "-"}}},
                                               {"behavior", "MergedWithPrevious"}}}});
  EXPECT_EQ(pieces(t, "a-b"), (Pieces{"a-", "b"}));
  const Tokenizer next = load({{"model", char_model("ab-", {"a -", "- -", "- b"})},
                               {"pre_tokenizer", {{"type", "Split"}, {"pattern", {{"String", "-"}}},
                                                  {"behavior", "MergedWithNext"}}}});
  EXPECT_EQ(pieces(next, "a-b"), (Pieces{"a", "-b"}));
  const Tokenizer contiguous = load({{"model", char_model("ab-", {"- -"})},
                                     {"pre_tokenizer", {{"type", "Split"}, {"pattern", {{"Regex", "-"}}},
                                                        {"behavior", "Contiguous"}}}});
  EXPECT_EQ(pieces(contiguous, "a--b"), (Pieces{"a", "--", "b"}));
}

TEST(Components, DigitsAndByteLevelWithoutRegex) {
  const Tokenizer digits = load({{"model", char_model("a12", {"1 2"})},
                                 {"pre_tokenizer", {{"type", "Digits"}, {"individual_digits", false}}}});
  EXPECT_EQ(pieces(digits, "a12"), (Pieces{"a", "12"}));
  const Tokenizer single = load({{"model", char_model("a12", {"1 2"})},
                                 {"pre_tokenizer", {{"type", "Digits"}, {"individual_digits", true}}}});
  EXPECT_EQ(pieces(single, "a12"), (Pieces{"a", "1", "2"}));
  // add_prefix_space puts a space ("Ġ") before the text.
  const Tokenizer bl = load({{"model", char_model("aĠ")},
                             {"pre_tokenizer", {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"use_regex", false}}},
                             {"decoder", {{"type", "ByteLevel"}}}});
  EXPECT_EQ(pieces(bl, "aa"), (Pieces{"Ġ", "a", "a"}));
  EXPECT_EQ(bl.decode(bl.encode("a a")), " a a");
}

TEST(Components, MetaspaceRoundTrip) {
  const Tokenizer t = load({{"model", char_model("▁ab", {"▁ a"})},
                            {"pre_tokenizer", {{"type", "Metaspace"}, {"replacement", "▁"}, {"prepend_scheme", "always"}, {"split", true}}},
                            {"decoder", {{"type", "Metaspace"}, {"replacement", "▁"}, {"prepend_scheme", "always"}, {"split", true}}}});
  EXPECT_EQ(pieces(t, "a b"), (Pieces{"▁a", "▁", "b"}));
  EXPECT_EQ(t.decode(t.encode("a b")), "a b");
  const auto info = t.inspect("a b");
  EXPECT_EQ(info[0].begin, 0u);  // the prepended ▁ takes the span of the first character
  EXPECT_EQ(info[1].begin, 1u);
}

TEST(Components, NormalizersKeepSpans) {
  const Tokenizer t = load({{"model", char_model("fiab")},
                            {"normalizer", {{"type", "Sequence"}, {"normalizers", {{{"type", "NFKC"}}, {{"type", "Lowercase"}}}}}}});
  const auto info = t.inspect("\xEF\xAC\x81" "AB");  // "ﬁ" is NFKC "fi"; both letters come from bytes 0..3
  ASSERT_EQ(info.size(), 4u);
  EXPECT_EQ(info[0].piece, "f");
  EXPECT_EQ(info[1].piece, "i");
  EXPECT_EQ(info[1].end, 3u);
  EXPECT_EQ(info[2].piece, "a");
  EXPECT_EQ(info[2].begin, 3u);
}

TEST(Components, AddedTokenFlags) {
  json model = char_model("ab <x>");
  model["vocab"]["<x>"] = 10;
  const auto with = [&](json flags) {
    json token = {{"id", 10}, {"content", "<x>"}, {"special", true}, {"normalized", false},
                  {"lstrip", false}, {"rstrip", false}, {"single_word", false}};
    token.update(flags);
    return load({{"model", model}, {"added_tokens", {token}}});
  };
  EXPECT_EQ(pieces(with(json::object()), "a <x> b"), (Pieces{"a", " ", "<x>", " ", "b"}));
  EXPECT_EQ(pieces(with({{"lstrip", true}}), "a <x> b"), (Pieces{"a", "<x>", " ", "b"}));
  EXPECT_EQ(pieces(with({{"rstrip", true}}), "a <x> b"), (Pieces{"a", " ", "<x>", "b"}));
  const auto lstrip = with({{"lstrip", true}}).inspect("a <x> b");
  EXPECT_EQ(lstrip[1].begin, 1u);  // the stripped space belongs to the added token
  EXPECT_EQ(pieces(with({{"single_word", true}}), "a<x>b"), (Pieces{"a", "<", "x", ">", "b"}));
  EXPECT_EQ(pieces(with({{"single_word", true}}), "a <x> b"), (Pieces{"a", " ", "<x>", " ", "b"}));
}

}  // namespace
}  // namespace glassbox
