#include <gtest/gtest.h>

#include "base/error.h"
#include "render/colormap.h"
#include "render/numbers.h"

namespace glassbox::render {
namespace {

TEST(RenderNumbers, NiceTicksAreRoundAndInsideTheRange) {
  EXPECT_EQ(nice_ticks(0, 1, 5), (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1.0}));
  EXPECT_EQ(nice_ticks(-3, 7, 5), (std::vector<double>{-2, 0, 2, 4, 6}));
  EXPECT_EQ(nice_ticks(0, 15, 8, true), (std::vector<double>{0, 2, 4, 6, 8, 10, 12, 14}));
  EXPECT_EQ(nice_ticks(0, 3, 10, true), (std::vector<double>{0, 1, 2, 3}));  // never below 1 for indices
  EXPECT_EQ(nice_ticks(2, 2, 5), (std::vector<double>{2}));
}

TEST(RenderNumbers, LogTicksAreDecades) {
  EXPECT_EQ(log_ticks(1e-4, 1), (std::vector<double>{1e-4, 1e-3, 1e-2, 1e-1, 1}));
  EXPECT_EQ(log_ticks(0.15, 0.9), (std::vector<double>{0.2, 0.5}));  // within one decade: 2x and 5x
  EXPECT_TRUE(log_ticks(0, 1).empty());
}

TEST(RenderNumbers, Formats) {
  EXPECT_EQ(format_number(0), "0");
  EXPECT_EQ(format_number(0.25), "0.25");
  EXPECT_EQ(format_number(1e-5), "1e-5");
  EXPECT_EQ(format_number(-2.5e-7), "-2.5e-7");
  EXPECT_EQ(format_number(1200), "1200");
  EXPECT_EQ(format_number(1800), "1800");
  EXPECT_EQ(format_number(-12345), "-12300");
  EXPECT_EQ(format_number(999.7), "1000");  // rounds up into the thousands
  EXPECT_EQ(format_number(99960), "1e5");
  EXPECT_EQ(format_number(123456), "1.23e5");
  EXPECT_EQ(format_count(950), "950");
  EXPECT_EQ(format_count(1234), "1.23K");
  EXPECT_EQ(format_count(999999), "1.00M");  // rounding carries into the next unit
  EXPECT_EQ(format_count(494032768), "494M");
  EXPECT_EQ(format_count(7241732096), "7.24B");
  EXPECT_EQ(format_percent(0.612), "61.2%");
  EXPECT_EQ(format_percent(0.0004), "0.04%");
  EXPECT_EQ(format_percent(1e-7), "<0.01%");
}

TEST(RenderColormap, EndsAndScales) {
  EXPECT_EQ(sample(Colormap::Viridis, 1).g, Rgb::hex(0xfde725).g);
  EXPECT_EQ(sample(Colormap::Magma, 0).b, Rgb::hex(0x000004).b);
  EXPECT_EQ(sample(Colormap::Viridis, 7).r, sample(Colormap::Viridis, 1).r);  // clamped
  ValueRange r;
  for (double v : {-0.5, 0.25, 2.0}) r.add(v);
  const ColorScale diverging = fit_scale(Colormap::Diverging, ScaleKind::Linear, r, {}, {}, "t");
  EXPECT_EQ(diverging.lo, -2.0);  // symmetric about zero
  EXPECT_EQ(diverging.position(0), 0.5);
  const ColorScale log = fit_scale(Colormap::Viridis, ScaleKind::Log, r, {}, {}, "t");
  EXPECT_EQ(log.lo, 0.25);  // the smallest positive value
  EXPECT_EQ(log.position(-1), 0.0);
  EXPECT_DOUBLE_EQ(log.position(1.0), 2.0 / 3.0);  // log10 range [-0.602, 0.301]: 1 lies 2/3 up
  ValueRange negative;
  negative.add(-1);
  EXPECT_THROW(fit_scale(Colormap::Viridis, ScaleKind::Log, negative, {}, {}, "t"), Error);
}

}  // namespace
}  // namespace glassbox::render
