#include "render/axes.h"

#include <algorithm>
#include <cmath>

#include "render/figure.h"
#include "render/numbers.h"
#include "render/text.h"

namespace glassbox::render {
namespace {

constexpr double kTickLength = 4, kTickGap = 4, kTitleGap = 8;

// One tick per `spacing` px at most: denser ticks crowd their labels.
std::vector<double> ticks_for(const AxisSpec& a, double pixels, double spacing) {
  return a.log ? log_ticks(a.lo, a.hi) : nice_ticks(a.lo, a.hi, std::clamp(int(pixels / spacing), 2, 10), a.integers);
}

}  // namespace

void pad_range(double& lo, double& hi, bool log) {
  if (log) {
    if (hi <= lo) hi = lo * 10;
    const double f = std::pow(hi / lo, 0.05);
    lo /= f;
    hi *= f;
    return;
  }
  if (hi <= lo) {
    lo -= 0.5;
    hi += 0.5;
    return;
  }
  const double pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
}

Axes::Axes(const Rect& area, AxisSpec x, AxisSpec y) : x_(std::move(x)), y_(std::move(y)), area_(area) {
  y_.ticks = ticks_for(y_, area.h, 60);
  double y_label_w = 0;
  for (double t : y_.ticks) y_label_w = std::max(y_label_w, text_width(format_number(t), style::kLabelSize));
  const double left = y_label_w + kTickLength + kTickGap + (y_.title.empty() ? 0 : style::kAxisTitleSize + kTitleGap);
  const double bottom = kTickLength + kTickGap + style::kLabelSize +
                        (x_.title.empty() ? 0 : kTitleGap + style::kAxisTitleSize);
  plot_ = {std::round(area.x + left), area.y, std::round(area.w - left), std::round(area.h - bottom)};
  x_.ticks = ticks_for(x_, plot_.w, 90);
}

double Axes::px(double x) const {
  const double t = x_.log ? std::log10(x / x_.lo) / std::log10(x_.hi / x_.lo) : (x - x_.lo) / (x_.hi - x_.lo);
  return plot_.x + t * plot_.w;
}

double Axes::py(double y) const {
  const double t = y_.log ? std::log10(y / y_.lo) / std::log10(y_.hi / y_.lo) : (y - y_.lo) / (y_.hi - y_.lo);
  return plot_.bottom() - t * plot_.h;
}

void Axes::draw(Canvas& canvas) const {
  const TextStyle tick_style{.size = style::kLabelSize, .color = style::kInk};
  for (double t : y_.ticks) {
    const double y = py(t);
    canvas.line({plot_.x, y}, {plot_.right(), y}, style::kGrid, 1);
    canvas.line({plot_.x - kTickLength, y}, {plot_.x, y}, style::kFrame, 1);
    TextStyle s = tick_style;
    s.anchor = Anchor::End;
    canvas.text({plot_.x - kTickLength - kTickGap, y}, format_number(t), s);
  }
  for (double t : x_.ticks) {
    const double x = px(t);
    canvas.line({x, plot_.y}, {x, plot_.bottom()}, style::kGrid, 1);
    canvas.line({x, plot_.bottom()}, {x, plot_.bottom() + kTickLength}, style::kFrame, 1);
    TextStyle s = tick_style;
    s.anchor = Anchor::Middle;
    canvas.text({x, plot_.bottom() + kTickLength + kTickGap + style::kLabelSize / 2}, format_number(t), s);
  }
  canvas.stroke_rect(plot_, style::kFrame, 1);
  const TextStyle title{.size = style::kAxisTitleSize, .color = style::kMuted, .anchor = Anchor::Middle};
  if (!x_.title.empty())
    canvas.text({plot_.center().x, area_.bottom() - style::kAxisTitleSize / 2}, fit_text(x_.title, plot_.w, title.size),
                title);
  if (!y_.title.empty()) {
    TextStyle s = title;
    s.angle = -90;
    canvas.text({area_.x + style::kAxisTitleSize / 2, plot_.center().y}, fit_text(y_.title, plot_.h, s.size), s);
  }
}

}  // namespace glassbox::render
