#include "render/line_chart.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "base/error.h"
#include "render/axes.h"
#include "render/figure.h"
#include "render/numbers.h"
#include "render/palette.h"
#include "render/text.h"

namespace glassbox::render {
namespace {

constexpr double kLegendGap = 16, kSwatch = 22, kSwatchGap = 6, kLegendRow = 20, kMaxLegendText = 180;

double x_at(const Series& s, std::size_t i) { return s.x.empty() ? double(i) : s.x[i]; }

void check(const LineChart& c) {
  if (c.series.empty()) fail("line chart: no series");
  for (const Series& s : c.series) {
    const std::string what = "line chart series '" + s.name + "'";
    if (s.y.empty()) fail(what + ": no points");
    if (!s.x.empty() && s.x.size() != s.y.size())
      fail(what + ": " + std::to_string(s.x.size()) + " x values for " + std::to_string(s.y.size()) + " y values");
    for (std::size_t i = 0; i < s.y.size(); ++i) {
      if (!std::isfinite(s.y[i]) || !std::isfinite(x_at(s, i)))
        fail(what + ": point " + std::to_string(i) + " is not finite");
      if (c.log_y && s.y[i] <= 0) fail(what + ": point " + std::to_string(i) + " is <= 0 on a log y axis");
    }
  }
  if (c.log_y && c.y_from_zero) fail("line chart: a log y axis cannot start at zero");
  if (c.width_px < 300 || c.height_px < 200) fail("line chart: size must be at least 300x200");
}

}  // namespace

void save(const LineChart& c, const std::filesystem::path& path, const Provenance& provenance) {
  check(c);
  AxisSpec x{std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest(), false, c.x_label, true, {}};
  AxisSpec y{std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest(), c.log_y, c.y_label, false, {}};
  std::vector<std::string> names;
  double legend_w = 0;
  for (const Series& s : c.series) {
    for (std::size_t i = 0; i < s.y.size(); ++i) {
      x.lo = std::min(x.lo, x_at(s, i)), x.hi = std::max(x.hi, x_at(s, i));
      x.integers = x.integers && x_at(s, i) == std::round(x_at(s, i));
      y.lo = std::min(y.lo, s.y[i]), y.hi = std::max(y.hi, s.y[i]);
    }
    names.push_back(fit_text(s.name, kMaxLegendText, style::kLabelSize));
    legend_w = std::max(legend_w, text_width(names.back(), style::kLabelSize));
  }
  if (x.hi == x.lo) pad_range(x.lo, x.hi, false);  // one point: give the x axis a width
  const bool from_zero = c.y_from_zero && y.lo >= 0;  // negative values keep the axis that shows them
  if (from_zero) y.lo = 0;
  pad_range(y.lo, y.hi, c.log_y);
  if (from_zero) y.lo = 0;
  const bool legend = legend_w > 0;
  const double legend_block = legend ? kLegendGap + kSwatch + kSwatchGap + legend_w : 0;
  const double top = style::kMargin + title_block_height(c.title, c.subtitle);
  const Rect area{style::kMargin, top, c.width_px - 2 * style::kMargin - legend_block,
                  c.height_px - top - style::kMargin};
  const Axes axes(area, x, y);
  save_figure(path, {c.width_px, c.height_px}, c.title, provenance, [&](Canvas& canvas) {
    draw_title_block(canvas, style::kMargin, style::kMargin, c.width_px - 2 * style::kMargin, c.title, c.subtitle);
    axes.draw(canvas);
    for (std::size_t k = 0; k < c.series.size(); ++k) {
      const Series& s = c.series[k];
      std::vector<Point> points;
      for (std::size_t i = 0; i < s.y.size(); ++i) points.push_back({axes.px(x_at(s, i)), axes.py(s.y[i])});
      canvas.polyline(points, series_color(k), 2);
      if (points.size() == 1 || c.markers)  // a lone point has no line: mark it
        for (const Point& p : points) canvas.fill_rect({p.x - 3, p.y - 3, 6, 6}, series_color(k));
    }
    if (!legend) return;
    const double lx = axes.plot().right() + kLegendGap;
    for (std::size_t k = 0; k < names.size(); ++k) {
      const double ly = axes.plot().y + kLegendRow * (double(k) + 0.5);
      canvas.line({lx, ly}, {lx + kSwatch, ly}, series_color(k), 2.5);
      canvas.text({lx + kSwatch + kSwatchGap, ly}, names[k], {.size = style::kLabelSize});
    }
  });
}

}  // namespace glassbox::render
