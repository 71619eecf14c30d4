// Every figure type end to end: the demo writes each in PNG and SVG; each PNG decodes at its stated
// size, each SVG is well-formed XML holding its labels and its provenance; bad input is a clear error.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "base/error.h"
#include "render/bar_chart.h"
#include "render/demo.h"
#include "render/histogram.h"
#include "render/line_chart.h"
#include "render/param_chart.h"
#include "render/png_file.h"
#include "render/token_strip.h"
#include "render/tree_chart.h"
#include "render/vector_strip.h"
#include "render/xml_check.h"
#include "support/temp_dir.h"

namespace glassbox::render {
namespace {

struct Expected {
  int width;                        // 0: depends on the content
  std::vector<std::string> labels;  // as they appear in the SVG
};

const std::map<std::string, Expected> kFigures = {
    {"heatmap", {0, {"Attention weights, layer 3 head 5", "amused", "␣quick", "key token", "attention weight"}}},
    {"heatmap_log", {0, {"log scale", "0.01", "masked"}}},
    {"heatmap_values", {0, {"with values", "␣jumps", "1.00"}}},
    {"heatmap_signed", {0, {"Difference between two heads", "weight difference"}}},
    {"heatmap_grid", {0, {"layer 3", "head 5", "Attention patterns"}}},
    {"token_strip", {900, {"␣quick", "↵", "⇥", "&lt;E4 BD&gt;", "你好", "∅", "1777"}}},
    {"topk", {800, {"␣Paris", "61.2%", "Next-token probabilities"}}},
    {"params", {800, {"embed_tokens", "136M", "total 494M parameters", "(63.5%)"}}},
    {"line_chart", {800, {"residual norm", "MLP output", "layer", "L2 norm"}}},
    {"histogram", {800, {"activation", "count", "n = 5000"}}},
    {"vector_strip", {900, {"␣fox", "dimension", "value"}}},
    {"tree", {0, {"The cat", "␣sat", "greedy", "most likely", "40.0%", "93.0%"}}},
};

TEST(RenderFigures, DemoWritesEveryFigureInBothFormats) {
  test::TempDir dir;
  Provenance p;
  p.model = "synthetic";
  p.prompt = "The <quick> & \"brown\" fox";
  p.command_line = "glassbox render-demo --out x";
  const auto written = write_demo_figures(dir.path(), p);
  EXPECT_EQ(written.size(), 2 * kFigures.size());
  for (const auto& [name, expected] : kFigures) {
    SCOPED_TRACE(name);
    test::PngImage png(dir / (name + ".png"));
    ASSERT_TRUE(png.ok());
    if (expected.width) {
      EXPECT_EQ(png.width(), expected.width);
    }
    EXPECT_GE(png.width(), 400);
    EXPECT_LE(png.width(), 1400);
    EXPECT_GE(png.height(), 150);
    EXPECT_LE(png.height(), 1000);
    const std::string svg = test::read_bytes(dir / (name + ".svg"));
    ASSERT_EQ(test::xml_error(svg), "");
    EXPECT_NE(svg.find("width=\"" + std::to_string(png.width()) + "\" height=\"" + std::to_string(png.height()) + "\""),
              std::string::npos);  // both formats have the same size
    for (const auto& label : expected.labels) EXPECT_NE(svg.find(label), std::string::npos) << label;
    // Provenance sits in <metadata> right after the <svg> tag.
    const std::size_t svg_tag = svg.find("<svg"), metadata = svg.find("<metadata>");
    EXPECT_EQ(svg.find('<', svg.find('>', svg_tag)), metadata);
    EXPECT_NE(svg.find("<entry key=\"Prompt\">The &lt;quick&gt; &amp; &quot;brown&quot; fox</entry>"),
              std::string::npos);
    EXPECT_NE(svg.find("<entry key=\"Command line\">glassbox render-demo --out x</entry>"), std::string::npos);
    bool model = false;
    for (const auto& c : test::png_chunks(test::read_bytes(dir / (name + ".png"))))
      model = model || (c.type == "tEXt" && c.data == std::string("Model\0synthetic", 15));
    EXPECT_TRUE(model);
  }
  // A second run gives the same SVG bytes.
  test::TempDir again;
  write_demo_figures(again.path(), p);
  for (const auto& [name, expected] : kFigures)
    EXPECT_EQ(test::read_bytes(dir / (name + ".svg")), test::read_bytes(again / (name + ".svg"))) << name;
}

TEST(RenderFigures, TokenStripWrapsOntoLines) {
  test::TempDir dir;
  TokenStrip one, many;
  one.tokens = {{" word", 1}};
  many.tokens = std::vector<StripToken>(60, {" word", 1});
  save(one, dir / "one.png");
  save(many, dir / "many.png");
  EXPECT_EQ(test::PngImage(dir / "many.png").width(), 900);
  // 60 chips of ~60 px on 852 px lines: five lines or more, each 26 + 23 + 14 px.
  EXPECT_GE(test::PngImage(dir / "many.png").height() - test::PngImage(dir / "one.png").height(), 4 * 60);
}

template <typename Figure>
std::string error_of(const Figure& f) {
  test::TempDir dir;
  try {
    save(f, dir / "f.svg");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(RenderFigures, BadInputIsAClearError) {
  EXPECT_EQ(error_of(TokenStrip{}), "token strip: no tokens");

  BarChart bars;
  EXPECT_EQ(error_of(bars), "bar chart: no bars");
  bars.labels = {"a", "b"};
  bars.values = {0.5, -0.1};
  EXPECT_EQ(error_of(bars), "bar chart: value 1 is -0.1 (values must be finite and >= 0)");
  bars.values = {0.5, NAN};
  EXPECT_EQ(error_of(bars), "bar chart: value 1 is nan (values must be finite and >= 0)");
  bars.values = {0.5};
  EXPECT_EQ(error_of(bars), "bar chart: 2 labels for 1 values");

  EXPECT_EQ(error_of(ParamChart{}), "parameter chart: no groups");

  LineChart lines;
  EXPECT_EQ(error_of(lines), "line chart: no series");
  lines.series = {{"s", {0, 1}, {1, 2, 3}}};
  EXPECT_EQ(error_of(lines), "line chart series 's': 2 x values for 3 y values");
  lines.series = {{"s", {}, {1, INFINITY}}};
  EXPECT_EQ(error_of(lines), "line chart series 's': point 1 is not finite");
  lines.series = {{"s", {}, {1, 0}}};
  lines.log_y = true;
  EXPECT_EQ(error_of(lines), "line chart series 's': point 1 is <= 0 on a log y axis");
  lines.series = {{"s", {}, {1, 2}}};
  lines.y_from_zero = true;
  EXPECT_EQ(error_of(lines), "line chart: a log y axis cannot start at zero");

  Histogram hist;
  EXPECT_EQ(error_of(hist), "histogram: no values");
  hist.values = {1, NAN};
  EXPECT_EQ(error_of(hist), "histogram: value 1 is NaN");

  VectorStrip vectors;
  EXPECT_EQ(error_of(vectors), "vector strip: matrix is empty (0x0)");
  vectors.vectors = Matrix(1, 2, {1.0f, INFINITY});
  EXPECT_EQ(error_of(vectors), "vector strip: value at row 0, column 1 is Inf (mask the cell or replace the value)");

  TreeChart tree;
  EXPECT_EQ(error_of(tree), "tree chart: no nodes");
  tree.nodes = {{-1, "root", 0}, {2, "a", 0.5}, {0, "b", 0.5}};
  EXPECT_EQ(error_of(tree), "tree chart: node 1 has parent 2, not an earlier node");
  tree.nodes = {{-1, "root", 0}, {0, "a", 1.5}};
  EXPECT_EQ(error_of(tree), "tree chart: node 1 has edge value 1.5 (must be in [0, 1])");
  tree.nodes = {{-1, "root", 0}, {0, "a", 0.5}, {0, "b", 0.5}};
  tree.paths = {{"greedy", {0, 1, 2}}};
  EXPECT_EQ(error_of(tree), "tree chart: path 'greedy' steps from node 1 to node 2, which is not its child");
  tree.paths = {};
  for (int i = 0; i < kMaxTreeLeaves; ++i) tree.nodes.push_back({0, "x", 0.001});
  EXPECT_EQ(error_of(tree), "tree chart: more than 1200 leaves are too many to draw");
}

TEST(RenderFigures, TreeGrowsOneRowPerLeafAndMarksSharedEdgesOncePerPath) {
  test::TempDir dir;
  TreeChart tree;
  tree.nodes = {{-1, "prompt", 0}};
  for (int i = 0; i < 30; ++i) tree.nodes.push_back({0, " leaf" + std::to_string(i), 0.03});
  tree.paths = {{"greedy", {0, 1}}, {"beam", {0, 1}}};
  save(tree, dir / "t.png");
  save(tree, dir / "t.svg");
  // 30 rows of 22 px, the legend and the margins.
  EXPECT_GE(test::PngImage(dir / "t.png").height(), 30 * 22);
  const std::string svg = test::read_bytes(dir / "t.svg");
  EXPECT_NE(svg.find("␣leaf29"), std::string::npos);
  // The shared edge is stroked once in each path's colour (series colours 0 and 1), side by side.
  const auto strokes = [&](const std::string& colour) {
    int n = 0;
    for (size_t at = 0; (at = svg.find("<polyline", at)) != std::string::npos; ++at)
      n += svg.compare(svg.find("stroke=\"", at) + 8, colour.size(), colour) == 0;
    return n;
  };
  EXPECT_EQ(strokes("#1f77b4"), 1);
  EXPECT_EQ(strokes("#ff7f0e"), 1);
}

TEST(RenderFigures, LineChartAxisStartsAtZeroWhenAsked) {
  test::TempDir dir;
  LineChart memory;
  memory.series = {{"peak", {1, 2, 4}, {46.0, 50.0, 57.0}}};
  save(memory, dir / "auto.svg");
  memory.y_from_zero = true;
  save(memory, dir / "zero.svg");
  // Tick labels are SVG text: the fitted axis starts near the data (no "0" tick), the other at 0.
  const auto has_zero_tick = [](const std::string& svg) { return svg.find(">0</text>") != std::string::npos; };
  EXPECT_FALSE(has_zero_tick(test::read_bytes(dir / "auto.svg")));
  EXPECT_TRUE(has_zero_tick(test::read_bytes(dir / "zero.svg")));
}

TEST(RenderFigures, EdgeCasesStillDraw) {
  test::TempDir dir;
  LineChart single;
  single.series = {{"", {}, {3.0}}};  // one point, no legend
  EXPECT_NO_THROW(save(single, dir / "l.png"));
  Histogram constant;
  constant.values = std::vector<double>(10, 2.0);
  constant.log_y = true;
  EXPECT_NO_THROW(save(constant, dir / "h.png"));
  VectorStrip wide;
  wide.vectors = Matrix(2, 4096, 0.25f);  // more dimensions than pixels
  EXPECT_NO_THROW(save(wide, dir / "v.png"));
  BarChart zeros;
  zeros.labels = {"a"};
  zeros.values = {0};
  EXPECT_NO_THROW(save(zeros, dir / "b.svg"));
}

}  // namespace
}  // namespace glassbox::render
