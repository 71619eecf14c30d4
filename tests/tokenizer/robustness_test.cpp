// Input that is not UTF-8 is encoded as if each invalid sequence were U+FFFD, with spans on the original
// bytes; nothing crashes on random bytes.
#include <gtest/gtest.h>

#include <random>

#include "core/error.h"
#include "tokenizer/utf8.h"
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

TEST(Robustness, DecodeRejectsUnknownIds) {
  const Tokenizer& tok = test::shared_tokenizer("stories260K");
  EXPECT_THROW(tok.decode({5, 100000}), Error);
  EXPECT_THROW(tok.decode({-3}), Error);
}

}  // namespace
}  // namespace glassbox
