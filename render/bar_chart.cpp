#include "render/bar_chart.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "base/visible_text.h"
#include "render/figure.h"
#include "render/numbers.h"
#include "render/text.h"

namespace glassbox::render {
namespace {

constexpr double kRowHeight = 28, kBarHeight = 19;
constexpr double kMaxLabelWidth = 220, kLabelGap = 8, kValueGap = 6;
const Rgb kBarColor = Rgb::hex(0x9bbad6);
const Rgb kHighlightColor = Rgb::hex(0xe8743b);

struct Row {
  std::string label, value;
  double fraction = 0;  // bar length relative to the longest
};

struct Layout {
  Size canvas;
  Rect bars;  // where the bars may extend
  double label_width = 0;
  std::vector<Row> rows;
};

std::string value_text(const BarChart& c, double v, double total) {
  std::string s = c.format == ValueFormat::Probability ? format_percent(v)
                  : c.format == ValueFormat::Count     ? format_count(v)
                                                       : format_number(v);
  if (c.show_share && total > 0) s += "  (" + format_percent(v / total) + ")";
  return s;
}

Layout layout(const BarChart& c) {
  if (c.values.empty()) fail("bar chart: no bars");
  if (c.labels.size() != c.values.size())
    fail("bar chart: " + std::to_string(c.labels.size()) + " labels for " + std::to_string(c.values.size()) +
         " values");
  if (c.highlight < -1 || c.highlight >= int(c.values.size()))
    fail("bar chart: highlight " + std::to_string(c.highlight) + " is not a bar index");
  double total = 0, max = 0;
  for (std::size_t i = 0; i < c.values.size(); ++i) {
    const double v = c.values[i];
    if (!std::isfinite(v) || v < 0)
      fail("bar chart: value " + std::to_string(i) + " is " + format_number(v) + " (values must be finite and >= 0)");
    total += v;
    max = std::max(max, v);
  }
  Layout l;
  double value_width = 0;
  for (std::size_t i = 0; i < c.values.size(); ++i) {
    const bool bold = int(i) == c.highlight;
    Row row;
    row.label = fit_text(c.labels_are_tokens ? visible_token(c.labels[i]) : c.labels[i], kMaxLabelWidth,
                         style::kLabelSize, bold);
    row.value = value_text(c, c.values[i], total);
    row.fraction = max > 0 ? c.values[i] / max : 0;
    l.label_width = std::max(l.label_width, text_width(row.label, style::kLabelSize, bold));
    value_width = std::max(value_width, text_width(row.value, style::kLabelSize, bold));
    l.rows.push_back(std::move(row));
  }
  const double top = style::kMargin + title_block_height(c.title, c.subtitle);
  const double x = std::round(style::kMargin + l.label_width + kLabelGap);
  const double w = c.width_px - x - kValueGap - value_width - style::kMargin;
  if (w < 80) fail("bar chart: width_px " + std::to_string(c.width_px) + " leaves no room for the bars");
  l.bars = {x, top, w, kRowHeight * double(c.values.size())};
  l.canvas = {c.width_px, int(std::ceil(l.bars.bottom() + style::kMargin))};
  return l;
}

void draw(const BarChart& c, const Layout& l, Canvas& canvas) {
  draw_title_block(canvas, style::kMargin, style::kMargin, l.canvas.width - 2 * style::kMargin, c.title, c.subtitle);
  for (std::size_t i = 0; i < l.rows.size(); ++i) {
    const Row& row = l.rows[i];
    const bool hi = int(i) == c.highlight;
    const double mid = l.bars.y + kRowHeight * (double(i) + 0.5);
    const double len = std::max(row.fraction * l.bars.w, row.fraction > 0 ? 1.0 : 0.0);
    if (len > 0) canvas.fill_rect({l.bars.x, mid - kBarHeight / 2, len, kBarHeight}, hi ? kHighlightColor : kBarColor);
    const TextStyle text{.size = style::kLabelSize, .bold = hi};
    TextStyle label = text;
    label.anchor = Anchor::End;
    canvas.text({l.bars.x - kLabelGap, mid}, row.label, label);
    canvas.text({l.bars.x + len + kValueGap, mid}, row.value, text);
  }
  canvas.line({l.bars.x, l.bars.y}, {l.bars.x, l.bars.bottom()}, style::kFrame, 1);
}

}  // namespace

void save(const BarChart& chart, const std::filesystem::path& path, const Provenance& provenance) {
  const Layout l = layout(chart);
  save_figure(path, l.canvas, chart.title, provenance, [&](Canvas& canvas) { draw(chart, l, canvas); });
}

}  // namespace glassbox::render
