#include "render/colorbar.h"

#include <algorithm>

#include "render/figure.h"
#include "render/numbers.h"
#include "render/text.h"

namespace glassbox::render {
namespace {

constexpr double kTickLength = 4, kTickLabelGap = 3, kSideLabelGap = 10;

double max_tick_label_width(const ColorScale& scale) {
  double w = 0;
  for (double t : scale.ticks()) w = std::max(w, text_width(format_number(t), style::kLabelSize));
  return w;
}

}  // namespace

double Colorbar::total_width() const {
  double w = kGap + kBarWidth + kTickLength + kTickLabelGap + max_tick_label_width(scale);
  if (!label.empty()) w += kSideLabelGap + style::kAxisTitleSize;
  if (show_mask_swatch) w = std::max(w, kGap + kBarWidth + 6 + text_width("masked", style::kLabelSize));
  return w;
}

void Colorbar::draw(Canvas& canvas, const Rect& bar) const {
  std::vector<Rgb> stops;
  constexpr int kStops = 33;  // enough that the piecewise-linear gradient follows each colormap's curve
  for (int i = 0; i < kStops; ++i) stops.push_back(sample(scale.map, double(i) / (kStops - 1)));
  canvas.vertical_gradient(bar, stops);
  canvas.stroke_rect(bar, style::kFrame, 0.8);
  const double tick_x = bar.right();
  // A tick label needs about 40 px of bar; short bars get fewer ticks rather than overlapping labels.
  for (double t : scale.ticks(std::clamp(int(bar.h / 50), 2, 6))) {
    const double y = bar.bottom() - scale.position(t) * bar.h;
    canvas.line({tick_x, y}, {tick_x + kTickLength, y}, style::kFrame, 1);
    canvas.text({tick_x + kTickLength + kTickLabelGap, y}, format_number(t), {.size = style::kLabelSize});
  }
  if (!label.empty()) {
    const double x = tick_x + kTickLength + kTickLabelGap + max_tick_label_width(scale) + kSideLabelGap +
                     style::kAxisTitleSize / 2;
    canvas.text({x, bar.y + bar.h / 2}, fit_text(label, bar.h, style::kAxisTitleSize),
                {.size = style::kAxisTitleSize, .anchor = Anchor::Middle, .angle = 90});
  }
  if (show_mask_swatch) {
    const Rect swatch{bar.x, bar.bottom() + 12, kBarWidth, kBarWidth};
    canvas.fill_rect(swatch, style::kMaskColor);
    canvas.stroke_rect(swatch, style::kFrame, 0.8);
    canvas.text({swatch.right() + 6, swatch.y + swatch.h / 2}, "masked",
                {.size = style::kLabelSize, .color = style::kMuted});
  }
}

}  // namespace glassbox::render
