#include "render/text.h"

#include <gtest/gtest.h>

namespace glassbox::render {
namespace {

TEST(RenderText, SanitizeKeepsValidTextAndReplacesTheRest) {
  EXPECT_EQ(sanitize_utf8("café 🙂"), "café 🙂");
  EXPECT_EQ(sanitize_utf8("a\xC0\x80z"), "a\uFFFD\uFFFDz");  // an overlong NUL is two bad bytes
  EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), "\uFFFD\uFFFD\uFFFD");  // a UTF-16 surrogate is not UTF-8
  EXPECT_EQ(sanitize_utf8("a\nb\x7f"), "ab");
  EXPECT_EQ(sanitize_utf8("a\nb", true), "a\nb");
  EXPECT_EQ(sanitize_utf8("\xF0\x9F\x99"), "\uFFFD");  // a truncated four-byte sequence is one maximal subpart
}

TEST(RenderText, WidthsGrowWithTextAndSize) {
  const double w = text_width("attention", 12);
  EXPECT_GT(w, 30);
  EXPECT_LT(w, 90);  // DejaVu Sans averages about 0.6 em per lowercase letter: ~65 px
  EXPECT_NEAR(text_width("attention", 24), 2 * w, 0.5);  // unhinted metrics scale linearly; 0.5 px rounding
  EXPECT_GT(text_width("attention", 12, true), w);
  EXPECT_GT(text_width("你好🙂", 12), 0);  // drawn by a fallback font or as boxes, never a failure
  EXPECT_GT(text_width("\xFF", 12), 0);
}

TEST(RenderText, FitTextCutsWithAnEllipsis) {
  EXPECT_EQ(fit_text("short", 200, 12), "short");
  const std::string cut = fit_text("a rather long label that cannot fit", 80, 12);
  EXPECT_EQ(cut.substr(cut.size() - 3), "…");
  EXPECT_LE(text_width(cut, 12), 80);
  const std::string cjk = fit_text("你好世界你好世界", 30, 12);
  EXPECT_EQ(sanitize_utf8(cjk), cjk);  // cut between characters, never inside one
  EXPECT_EQ(cjk.substr(cjk.size() - 3), "…");
  EXPECT_EQ(fit_text("label", 1, 12), "…");  // nothing fits: the ellipsis alone
}

}  // namespace
}  // namespace glassbox::render
