// Input that is not UTF-8 is encoded as if each invalid sequence were U+FFFD, with spans on the original
// bytes; nothing crashes on random bytes.
#include <gtest/gtest.h>

#include <random>

#include "base/error.h"
#include "base/utf8.h"
#include "tokenizers.h"

namespace glassbox {
namespace {

TEST(InvalidUtf8, EncodedAsReplacementCharacterWithOriginalSpans) {
  for (const char* name : {"qwen3", "llama3", "smollm2", "stories260K"}) {
    SCOPED_TRACE(name);
    const Tokenizer& tok = test::shared_tokenizer(name);
    const std::string bad = std::string("ab\xFF") + "cd\xE4\xBD";  // a stray byte and a truncated character
    EXPECT_EQ(tok.encode(bad), tok.encode("ab\uFFFDcd\uFFFD"));
    const auto info = tok.inspect(bad);
    ASSERT_FALSE(info.empty());
    EXPECT_EQ(info.back().end, bad.size());
    EXPECT_EQ(tok.decode(tok.encode(bad)), "ab\uFFFDcd\uFFFD");
  }
}

TEST(InvalidUtf8, MaximalSubpartsLikePython) {
  EXPECT_EQ(utf8::to_valid_lossy("\xF0\x9F\x98"), "\uFFFD");          // one truncated 4-byte character
  EXPECT_EQ(utf8::to_valid_lossy("\xC0\xAF"), "\uFFFD\uFFFD");        // overlong: two invalid bytes
  EXPECT_EQ(utf8::to_valid_lossy("\xED\xA0\x80"), "\uFFFD\uFFFD\uFFFD");  // surrogate
  EXPECT_EQ(utf8::to_valid_lossy("ok\xE2\x82\xAC"), "ok\u20AC");
}

TEST(Robustness, TenMegabytesOfRandomBytes) {
  std::mt19937 rng(1234);
  std::string bytes(10 * 1000 * 1000, '\0');
  for (char& c : bytes) c = static_cast<char>(rng() & 0xFF);
  for (const char* name : {"qwen3", "stories260K"}) {
    SCOPED_TRACE(name);
    const Tokenizer& tok = test::shared_tokenizer(name);
    const auto ids = tok.encode(bytes, true);
    EXPECT_GT(ids.size(), 1000000u);
    const std::string text = tok.decode(ids);
    EXPECT_TRUE(utf8::is_valid(text));
  }
}

// Random valid UTF-8 from a mix of scripts, whitespace, digits, combining marks and emoji.
std::string random_text(std::mt19937& rng, size_t chars) {
  static const std::vector<std::pair<char32_t, char32_t>> ranges = {
      {0x20, 0x7E}, {0x09, 0x0D}, {0xA0, 0x17F}, {0x300, 0x36F}, {0x391, 0x3C9}, {0x410, 0x44F}, {0x5D0, 0x5EA},
      {0x900, 0x97F}, {0x3040, 0x30FF}, {0x4E00, 0x4FFF}, {0xAC00, 0xAD00}, {0x1100, 0x1175}, {0x2000, 0x206F},
      {0xFF00, 0xFF5E}, {0x1F300, 0x1F6FF}, {0x30, 0x39}};
  std::string out;
  for (size_t i = 0; i < chars; ++i) {
    const auto& [lo, hi] = ranges[rng() % ranges.size()];
    utf8::append(out, lo + static_cast<char32_t>(rng() % (hi - lo + 1)));
  }
  return out;
}

TEST(Robustness, DecodeOfEncodeGivesTheTextBack) {
  std::mt19937 rng(99);
  for (const char* name : {"llama3", "smollm2", "stories260K"}) {
    SCOPED_TRACE(name);
    const Tokenizer& tok = test::shared_tokenizer(name);
    for (int i = 0; i < 200; ++i) {
      const std::string text = random_text(rng, 1 + rng() % 60);
      EXPECT_EQ(tok.decode(tok.encode(text)), text);
    }
  }
}

TEST(Robustness, DecodeRejectsUnknownIds) {
  const Tokenizer& tok = test::shared_tokenizer("stories260K");
  EXPECT_THROW(tok.decode({5, 100000}), Error);
  EXPECT_THROW(tok.decode({-3}), Error);
}

}  // namespace
}  // namespace glassbox
