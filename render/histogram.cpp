#include "render/histogram.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "render/axes.h"
#include "render/figure.h"
#include "render/numbers.h"

namespace glassbox::render {
namespace {

const Rgb kBarColor = Rgb::hex(0x4c78a8);

std::string with_stats(const Histogram& h) {
  double sum = 0, sq = 0;
  for (double v : h.values) sum += v;
  const double n = double(h.values.size()), mean = sum / n;
  for (double v : h.values) sq += (v - mean) * (v - mean);
  const std::string stats = "n = " + std::to_string(h.values.size()) + ", mean " + format_number(mean) + ", std " +
                            format_number(std::sqrt(sq / n));
  return h.subtitle.empty() ? stats : h.subtitle + " · " + stats;
}

}  // namespace

void save(const Histogram& h, const std::filesystem::path& path, const Provenance& provenance) {
  if (h.values.empty()) fail("histogram: no values");
  if (h.bins < 1 || h.bins > 10000) fail("histogram: bins must be between 1 and 10000");
  if (h.width_px < 300 || h.height_px < 200) fail("histogram: size must be at least 300x200");
  for (std::size_t i = 0; i < h.values.size(); ++i)
    if (!std::isfinite(h.values[i]))
      fail("histogram: value " + std::to_string(i) + " is " + (std::isnan(h.values[i]) ? "NaN" : "Inf"));
  double lo = *std::min_element(h.values.begin(), h.values.end());
  double hi = *std::max_element(h.values.begin(), h.values.end());
  if (hi == lo) pad_range(lo, hi, false);  // all equal: one bin of unit width around them
  std::vector<double> counts(std::size_t(h.bins), 0);
  const double width = (hi - lo) / h.bins;
  for (double v : h.values) counts[std::min(std::size_t((v - lo) / width), counts.size() - 1)] += 1;
  const double max_count = *std::max_element(counts.begin(), counts.end());

  AxisSpec x{lo, hi, false, h.x_label, false, {}};
  AxisSpec y{h.log_y ? 1.0 : 0.0, max_count, h.log_y, h.y_label, !h.log_y, {}};
  if (h.log_y) {
    pad_range(y.lo, y.hi, true);
    y.lo = 0.8;  // count 1 must still show as a bar above the axis
  } else {
    y.hi *= 1.05;  // headroom above the tallest bar
  }
  const std::string subtitle = with_stats(h);
  const double top = style::kMargin + title_block_height(h.title, subtitle);
  const Rect area{style::kMargin, top, h.width_px - 2 * style::kMargin, h.height_px - top - style::kMargin};
  const Axes axes(area, x, y);
  save_figure(path, {h.width_px, h.height_px}, h.title, provenance, [&](Canvas& canvas) {
    draw_title_block(canvas, style::kMargin, style::kMargin, h.width_px - 2 * style::kMargin, h.title, subtitle);
    axes.draw(canvas);
    for (std::size_t b = 0; b < counts.size(); ++b) {
      if (counts[b] == 0) continue;
      const double x0 = axes.px(lo + width * double(b)), x1 = axes.px(lo + width * double(b + 1));
      const double y0 = axes.py(counts[b]), base = axes.plot().bottom();
      // A 1 px white gap separates neighbouring bars unless bars are thinner than 3 px.
      const double gap = x1 - x0 >= 3 ? 1 : 0;
      canvas.fill_rect({x0, y0, x1 - x0 - gap, base - y0}, kBarColor);
    }
  });
}

}  // namespace glassbox::render
