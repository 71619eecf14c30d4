#include "render/tree_chart.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "base/visible_text.h"
#include "render/figure.h"
#include "render/numbers.h"
#include "render/palette.h"
#include "render/text.h"

namespace glassbox::render {
namespace {

constexpr double kRow = 22;            // one leaf per row
constexpr double kChipHeight = 17, kChipPad = 5, kChipRadius = 3, kMaxLabel = 150;
constexpr double kSlant = 56, kValueRun = 46;  // an edge: a slanted part, then a level run holding its value
constexpr double kLegendRow = 22, kSwatch = 22, kSwatchGap = 6, kLegendGap = 18;
constexpr double kPathWidth = 2.5, kPathSpacing = 3;
const Rgb kChip = Rgb::hex(0xeef2f6), kEdge = Rgb::hex(0xb4b4b4);

struct Layout {
  Size canvas;
  std::vector<std::string> text;             // per node, fitted
  std::vector<Rect> chip;                    // per node
  std::vector<std::vector<int>> edge_paths;  // per node: the paths through the edge from its parent
  std::vector<bool> on_path;
  double legend_y = 0;
};

Layout layout(const TreeChart& t) {
  const size_t n = t.nodes.size();
  if (n == 0) fail("tree chart: no nodes");
  if (t.nodes[0].parent != -1) fail("tree chart: node 0 is the root and has no parent");
  std::vector<std::vector<int>> children(n);
  std::vector<int> depth(n, 0);
  for (size_t i = 1; i < n; ++i) {
    const TreeChartNode& node = t.nodes[i];
    if (node.parent < 0 || size_t(node.parent) >= i)
      fail("tree chart: node " + std::to_string(i) + " has parent " + std::to_string(node.parent) + ", not an earlier node");
    if (!std::isfinite(node.edge_value) || node.edge_value < 0 || node.edge_value > 1)
      fail("tree chart: node " + std::to_string(i) + " has edge value " + format_number(node.edge_value) + " (must be in [0, 1])");
    children[size_t(node.parent)].push_back(int(i));
    depth[i] = depth[size_t(node.parent)] + 1;
  }
  Layout l;
  l.edge_paths.resize(n);
  l.on_path.assign(n, false);
  for (size_t p = 0; p < t.paths.size(); ++p) {
    const std::vector<int>& nodes = t.paths[p].nodes;
    if (nodes.empty()) fail("tree chart: path '" + t.paths[p].name + "' is empty");
    for (size_t j = 0; j < nodes.size(); ++j) {
      if (nodes[j] < 0 || size_t(nodes[j]) >= n) fail("tree chart: path '" + t.paths[p].name + "' names node " + std::to_string(nodes[j]));
      if (j > 0 && t.nodes[size_t(nodes[j])].parent != nodes[j - 1])
        fail("tree chart: path '" + t.paths[p].name + "' steps from node " + std::to_string(nodes[j - 1]) + " to node " +
             std::to_string(nodes[j]) + ", which is not its child");
      if (j > 0) l.edge_paths[size_t(nodes[j])].push_back(int(p));
      l.on_path[size_t(nodes[j])] = true;
    }
  }

  // Chip widths and one column per depth, as wide as its widest chip.
  const int max_depth = *std::max_element(depth.begin(), depth.end());
  std::vector<double> column_width(size_t(max_depth + 1), 0);
  l.text.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const bool token = t.labels_are_tokens && i > 0;
    l.text[i] = fit_text(token ? visible_token(t.nodes[i].label) : t.nodes[i].label, kMaxLabel, style::kLabelSize, l.on_path[i]);
    column_width[size_t(depth[i])] = std::max(column_width[size_t(depth[i])],
                                              std::ceil(text_width(l.text[i], style::kLabelSize, true) + 2 * kChipPad));
  }
  std::vector<double> column_x(size_t(max_depth + 1), style::kMargin);
  for (int d = 1; d <= max_depth; ++d)
    column_x[size_t(d)] = column_x[size_t(d - 1)] + column_width[size_t(d - 1)] + kSlant + kValueRun;

  // Leaves take rows in depth-first order; a parent sits midway between its first and last child.
  l.legend_y = style::kMargin + title_block_height(t.title, t.subtitle);
  const double top = l.legend_y + (t.paths.empty() ? 0 : kLegendRow + kLegendGap / 2);
  std::vector<double> y(n, 0);
  int leaves = 0;
  const auto place = [&](auto&& self, int node) -> void {
    const std::vector<int>& c = children[size_t(node)];
    if (c.empty()) {
      if (++leaves > kMaxTreeLeaves)
        fail("tree chart: more than " + std::to_string(kMaxTreeLeaves) + " leaves are too many to draw");
      y[size_t(node)] = top + kRow * (leaves - 0.5);
      return;
    }
    for (int child : c) self(self, child);
    y[size_t(node)] = (y[size_t(c.front())] + y[size_t(c.back())]) / 2;
  };
  place(place, 0);
  l.chip.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const double w = std::ceil(text_width(l.text[i], style::kLabelSize, l.on_path[i]) + 2 * kChipPad);
    l.chip[i] = {column_x[size_t(depth[i])], y[i] - kChipHeight / 2, w, kChipHeight};
  }
  double width = column_x.back() + column_width.back() + style::kMargin;
  double legend_width = style::kMargin;
  for (const TreeChartPath& p : t.paths) legend_width += kSwatch + kSwatchGap + text_width(p.name, style::kLabelSize) + kLegendGap;
  width = std::max({width, legend_width, 360.0});
  l.canvas = {int(std::ceil(width)), int(std::ceil(top + kRow * leaves + style::kMargin))};
  return l;
}

void draw(const TreeChart& t, const Layout& l, Canvas& canvas) {
  draw_title_block(canvas, style::kMargin, style::kMargin, l.canvas.width - 2 * style::kMargin, t.title, t.subtitle);
  double x = style::kMargin;
  const double ly = l.legend_y + kLegendRow / 2;
  for (size_t p = 0; p < t.paths.size(); ++p) {
    canvas.line({x, ly}, {x + kSwatch, ly}, series_color(p), kPathWidth);
    x += kSwatch + kSwatchGap;
    canvas.text({x, ly}, t.paths[p].name, {.size = style::kLabelSize});
    x += text_width(t.paths[p].name, style::kLabelSize) + kLegendGap;
  }
  // Edges first, so chips sit on top of their ends.
  for (size_t i = 1; i < t.nodes.size(); ++i) {
    const Rect& from = l.chip[size_t(t.nodes[i].parent)];
    const Rect& to = l.chip[i];
    const Point a{from.right(), from.center().y}, bend{to.x - kValueRun, to.center().y}, b{to.x, to.center().y};
    const std::vector<int>& paths = l.edge_paths[i];
    if (paths.empty()) canvas.polyline({a, bend, b}, kEdge, 1);
    for (size_t j = 0; j < paths.size(); ++j) {  // parallel strokes when several paths share the edge
      const double dy = (double(j) - double(paths.size() - 1) / 2) * kPathSpacing;
      canvas.polyline({{a.x, a.y + dy}, {bend.x, bend.y + dy}, {b.x, b.y + dy}}, series_color(size_t(paths[j])), kPathWidth);
    }
    canvas.text({to.x - 4, to.center().y - 7}, format_percent(t.nodes[i].edge_value),
                {.size = style::kSmallSize, .color = style::kMuted, .anchor = Anchor::End});
  }
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    canvas.fill_rounded_rect(l.chip[i], kChipRadius, kChip);
    canvas.text({l.chip[i].x + kChipPad, l.chip[i].center().y}, l.text[i], {.size = style::kLabelSize, .bold = l.on_path[i]});
  }
}

}  // namespace

void save(const TreeChart& chart, const std::filesystem::path& path, const Provenance& provenance) {
  const Layout l = layout(chart);
  save_figure(path, l.canvas, chart.title, provenance, [&](Canvas& canvas) { draw(chart, l, canvas); });
}

}  // namespace glassbox::render
