// The one rule for showing a token's bytes, used by tables and figures alike.
#include "base/visible_text.h"

#include <gtest/gtest.h>

namespace glassbox {
namespace {

TEST(VisibleToken, WhitespaceAsGlyphs) {
  EXPECT_EQ(visible_token(" the"), "␣the");
  EXPECT_EQ(visible_token("a\nb\tc\r"), "a↵b⇥c␍");
}

TEST(VisibleToken, PartialCharactersAndControlsAsHexGroups) {
  EXPECT_EQ(visible_token("\xE4\xBD"), "<E4 BD>");  // first two bytes of a three-byte character
  EXPECT_EQ(visible_token("x\x01y"), "x<01>y");
  EXPECT_EQ(visible_token(std::string("\x01\x7F", 2)), "<01 7F>");
  EXPECT_EQ(visible_token("\xFF\xFE ok"), "<FF FE>␣ok");
}

TEST(VisibleToken, InvisibleCharactersByCodePoint) {
  EXPECT_EQ(visible_token("\u200B\u00A0"), "<U+200B><U+00A0>");
}

TEST(VisibleToken, EverythingElseAsItIs) {
  EXPECT_EQ(visible_token("你好"), "你好");
  EXPECT_EQ(visible_token(""), "∅");
}

}  // namespace
}  // namespace glassbox
