#include "render/heatmap.h"

#include <gtest/gtest.h>

#include <cmath>

#include "base/error.h"
#include "render/figure.h"
#include "render/heatmap_grid.h"
#include "render/png_file.h"
#include "render/xml_check.h"
#include "support/temp_dir.h"

namespace glassbox::render {
namespace {

// A causal 6x6 map whose largest value is at (4, 1) and smallest at (5, 5).
Heatmap sample_heatmap() {
  Heatmap h;
  const int n = 6;
  h.matrix = Matrix(n, n);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c <= r; ++c) h.matrix.at(r, c) = 0.1f + 0.02f * float(r + c);
  h.matrix.at(4, 1) = 0.9f;
  h.matrix.at(5, 5) = 0.01f;
  h.mask = causal_mask(n);
  for (int c = 0; c < n; ++c) h.matrix.at(0, c + 0) = c == 0 ? 0.2f : NAN;  // masked cells may hold NaN
  h.row_labels = h.col_labels = {"<s>", " The", " cat", "\n", " sat", " down"};
  h.title = "Test heatmap";
  return h;
}

std::uint32_t pixel_at(const test::PngImage& image, Point p) { return image.pixel(int(p.x), int(p.y)); }

// Cairo stores colours in 8 bits per channel; rounding can move a channel by one step.
constexpr int kEightBitRounding = 1;

TEST(RenderHeatmap, CausalMaskIsTheUpperTriangle) {
  const auto m = causal_mask(3);
  EXPECT_EQ(m, (std::vector<bool>{false, true, true, false, false, true, false, false, false}));
}

TEST(RenderHeatmap, PixelsShowTheColormapEndsAndTheMask) {
  test::TempDir dir;
  for (const auto map : {Colormap::Viridis, Colormap::Magma}) {
    for (const auto kind : {ScaleKind::Linear, ScaleKind::Log}) {
      Heatmap h = sample_heatmap();
      h.colormap = map;
      h.scale = kind;
      save(h, dir / "h.png");
      test::PngImage image(dir / "h.png");
      ASSERT_TRUE(image.ok());
      const HeatmapGeometry g = heatmap_geometry(h);
      EXPECT_EQ(image.width(), g.canvas.width);
      EXPECT_EQ(image.height(), g.canvas.height);
      EXPECT_LE(test::channel_distance(pixel_at(image, g.cell(4, 1).center()), test::to_hex(sample(map, 1))),
                kEightBitRounding);
      EXPECT_LE(test::channel_distance(pixel_at(image, g.cell(5, 5).center()), test::to_hex(sample(map, 0))),
                kEightBitRounding);
      EXPECT_LE(test::channel_distance(pixel_at(image, g.cell(1, 4).center()), test::to_hex(style::kMaskColor)),
                kEightBitRounding);
      // A cell's colour fills it to its edges: one pixel inside the corner matches the centre.
      const Rect cell = g.cell(4, 1);
      EXPECT_EQ(pixel_at(image, {cell.x + 1, cell.y + 1}), pixel_at(image, cell.center()));
    }
  }
}

TEST(RenderHeatmap, DivergingMapCentresOnZero) {
  test::TempDir dir;
  Heatmap h;
  h.matrix = Matrix(1, 3, {-2.0f, 0.0f, 1.0f});
  h.colormap = Colormap::Diverging;
  save(h, dir / "d.png");
  test::PngImage image(dir / "d.png");
  const HeatmapGeometry g = heatmap_geometry(h);
  EXPECT_LE(test::channel_distance(pixel_at(image, g.cell(0, 0).center()), test::to_hex(sample(h.colormap, 0))),
            kEightBitRounding);
  EXPECT_LE(test::channel_distance(pixel_at(image, g.cell(0, 1).center()), test::to_hex(sample(h.colormap, 0.5))),
            kEightBitRounding);
  EXPECT_LE(test::channel_distance(pixel_at(image, g.cell(0, 2).center()), test::to_hex(sample(h.colormap, 0.75))),
            kEightBitRounding);
}

TEST(RenderHeatmap, DefaultSizeSuitsATwentyTokenMap) {
  Heatmap h;
  h.matrix = Matrix(20, 20, 0.5f);
  h.row_labels = h.col_labels = std::vector<std::string>(20, " token");
  h.title = "Twenty tokens";
  const HeatmapGeometry g = heatmap_geometry(h);
  EXPECT_EQ(g.cell_px, 28);
  EXPECT_GE(g.canvas.width, 650);
  EXPECT_LE(g.canvas.width, 950);
  EXPECT_GE(g.canvas.height, 650);
  EXPECT_LE(g.canvas.height, 850);
}

TEST(RenderHeatmap, SvgIsWellFormedDeterministicAndHoldsItsLabels) {
  test::TempDir dir;
  Heatmap h = sample_heatmap();
  h.col_labels[5] = " a label far too long to be shown whole under one column";
  save(h, dir / "a.svg");
  save(sample_heatmap(), dir / "b.svg");
  Heatmap again = h;
  save(again, dir / "c.svg");
  const std::string svg = test::read_bytes(dir / "a.svg");
  EXPECT_EQ(test::xml_error(svg), "");
  EXPECT_EQ(svg, test::read_bytes(dir / "c.svg"));  // same input, same bytes
  EXPECT_NE(svg, test::read_bytes(dir / "b.svg"));  // and the test would see a difference
  for (const char* label : {">Test heatmap<", ">&lt;s&gt;<", ">␣The<", ">↵<", ">␣cat<", "…<"})
    EXPECT_NE(svg.find(label), std::string::npos) << label;
  EXPECT_EQ(svg.find("far too long to be shown whole under one column"), std::string::npos);
}

TEST(RenderHeatmap, PngIsDeterministicToo) {
  test::TempDir dir;
  save(sample_heatmap(), dir / "a.png");
  save(sample_heatmap(), dir / "b.png");
  EXPECT_EQ(test::read_bytes(dir / "a.png"), test::read_bytes(dir / "b.png"));
}

TEST(RenderHeatmap, NonLatinEmojiAndInvalidBytesNeverFail) {
  test::TempDir dir;
  Heatmap h;
  h.matrix = Matrix(4, 4, 0.5f);
  h.row_labels = h.col_labels = {"你好", "🙂👍🏽", "\xFF\xFE", "Ωμέγα\x01"};
  h.title = "Ünïcödé 日本語 \xC3";
  for (const char* name : {"u.png", "u.svg"}) EXPECT_NO_THROW(save(h, dir / name));
  EXPECT_EQ(test::xml_error(test::read_bytes(dir / "u.svg")), "");
  EXPECT_TRUE(test::PngImage(dir / "u.png").ok());
}

TEST(RenderHeatmap, BadInputIsAClearError) {
  test::TempDir dir;
  const auto message = [&](const Heatmap& h, const char* file = "x.png") {
    try {
      save(h, dir / file);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  Heatmap empty;
  EXPECT_EQ(message(empty), "heatmap: matrix is empty (0x0)");
  Heatmap nan = sample_heatmap();
  nan.matrix.at(3, 2) = NAN;
  EXPECT_EQ(message(nan), "heatmap: value at row 3, column 2 is NaN (mask the cell or replace the value)");
  Heatmap inf = sample_heatmap();
  inf.matrix.at(2, 0) = -INFINITY;
  EXPECT_EQ(message(inf, "x.svg"), "heatmap: value at row 2, column 0 is Inf (mask the cell or replace the value)");
  Heatmap labels = sample_heatmap();
  labels.row_labels.pop_back();
  EXPECT_EQ(message(labels), "heatmap row_labels has 5 labels, expected 6");
  Heatmap mask = sample_heatmap();
  mask.mask.resize(5);
  EXPECT_EQ(message(mask), "heatmap: mask has 5 entries, expected 36");
  Heatmap values = sample_heatmap();
  values.matrix.values.pop_back();
  EXPECT_EQ(message(values), "heatmap: matrix has 35 values, expected rows x cols = 36");
  EXPECT_NE(message(sample_heatmap(), "x.jpg").find("must end in .png or .svg"), std::string::npos);
  Heatmap log = sample_heatmap();
  log.scale = ScaleKind::Log;
  log.matrix.values.assign(36, 0.0f);
  EXPECT_EQ(message(log), "heatmap: log colour scale needs positive values");
  EXPECT_FALSE(std::filesystem::exists(dir / "x.png"));  // nothing half-written
}

TEST(RenderHeatmapGrid, SharedScaleAndErrors) {
  test::TempDir dir;
  HeatmapGrid g;
  g.grid_rows = 2;
  g.grid_cols = 3;
  for (int i = 0; i < 6; ++i) g.panels.push_back(Matrix(4, 4, float(i)));
  g.row_labels = {"layer 0", "layer 1"};
  g.col_labels = {"head 0", "head 1", "head 2"};
  g.title = "Grid";
  save(g, dir / "g.svg");
  const std::string svg = test::read_bytes(dir / "g.svg");
  EXPECT_EQ(test::xml_error(svg), "");
  for (const char* label : {">layer 1<", ">head 2<", ">Grid<"}) EXPECT_NE(svg.find(label), std::string::npos);
  // One scale over all panels: the first panel (all 0) is the bottom colour, the last (all 5) the top.
  EXPECT_NE(svg.find("#440154"), std::string::npos);
  EXPECT_NE(svg.find("#fde725"), std::string::npos);
  g.panels[4] = Matrix(3, 4, 1.0f);
  EXPECT_THROW(save(g, dir / "g.png"), Error);
  g.panels.pop_back();
  EXPECT_THROW(save(g, dir / "g.png"), Error);
  g.panels.push_back(Matrix());
  EXPECT_THROW(save(g, dir / "g.png"), Error);
}

}  // namespace
}  // namespace glassbox::render
