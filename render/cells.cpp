#include "render/cells.h"

#include <cmath>
#include <cstdio>

#include "base/error.h"
#include "render/figure.h"

namespace glassbox::render {

ValueRange checked_range(const Matrix& m, const std::vector<bool>& mask, const std::string& what) {
  if (m.empty()) fail(what + ": matrix is empty (" + std::to_string(m.rows) + "x" + std::to_string(m.cols) + ")");
  const std::size_t n = std::size_t(m.rows) * std::size_t(m.cols);
  if (m.values.size() != n)
    fail(what + ": matrix has " + std::to_string(m.values.size()) + " values, expected rows x cols = " +
         std::to_string(n));
  if (!mask.empty() && mask.size() != n)
    fail(what + ": mask has " + std::to_string(mask.size()) + " entries, expected " + std::to_string(n));
  ValueRange range;
  for (int r = 0; r < m.rows; ++r) {
    for (int c = 0; c < m.cols; ++c) {
      const std::size_t i = std::size_t(r) * std::size_t(m.cols) + std::size_t(c);
      if (!mask.empty() && mask[i]) continue;
      const float v = m.values[i];
      if (!std::isfinite(v))
        fail(what + ": value at row " + std::to_string(r) + ", column " + std::to_string(c) + " is " +
             (std::isnan(v) ? "NaN" : "Inf") + " (mask the cell or replace the value)");
      range.add(v);
    }
  }
  return range;
}

void draw_cells(Canvas& canvas, const Matrix& m, const std::vector<bool>& mask, const ColorScale& scale,
                const Rect& area) {
  const double cw = area.w / m.cols, ch = area.h / m.rows;
  const auto color_at = [&](std::size_t i) {
    return !mask.empty() && mask[i] ? style::kMaskColor : scale.color(m.values[i]);
  };
  const auto same = [](Rgb a, Rgb b) { return a.r == b.r && a.g == b.g && a.b == b.b; };
  for (int r = 0; r < m.rows; ++r) {
    const double y0 = std::round(area.y + r * ch), y1 = std::round(area.y + (r + 1) * ch);
    if (y1 <= y0) continue;  // thinner than a pixel: its neighbour covers the spot
    const std::size_t row = std::size_t(r) * std::size_t(m.cols);
    for (int c = 0; c < m.cols;) {
      const Rgb color = color_at(row + std::size_t(c));
      int end = c + 1;
      while (end < m.cols && same(color_at(row + std::size_t(end)), color)) ++end;
      const double x0 = std::round(area.x + c * cw), x1 = std::round(area.x + end * cw);
      if (x1 > x0) canvas.fill_rect({x0, y0, x1 - x0, y1 - y0}, color, true);
      c = end;
    }
  }
}

void draw_cell_values(Canvas& canvas, const Matrix& m, const std::vector<bool>& mask, const ColorScale& scale,
                      const Rect& area) {
  std::vector<std::string> texts;
  for (float v : m.values) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", std::fabs(v) < 0.005f ? 0.0 : double(v));  // never "-0.00"
    texts.push_back(text);
  }
  draw_cell_texts(canvas, m, texts, mask, scale, area, style::kSmallSize);
}

void draw_cell_texts(Canvas& canvas, const Matrix& m, const std::vector<std::string>& texts,
                     const std::vector<bool>& mask, const ColorScale& scale, const Rect& area, double size) {
  const double cw = area.w / m.cols, ch = area.h / m.rows;
  for (int r = 0; r < m.rows; ++r) {
    for (int c = 0; c < m.cols; ++c) {
      const std::size_t i = std::size_t(r) * std::size_t(m.cols) + std::size_t(c);
      if (!mask.empty() && mask[i]) continue;
      // Below this luminance black text loses contrast against the cell.
      constexpr double kDarkCell = 0.45;
      canvas.text({area.x + (c + 0.5) * cw, area.y + (r + 0.5) * ch}, texts[i],
                  {.size = size,
                   .color = scale.color(m.values[i]).luminance() < kDarkCell ? Rgb{1, 1, 1} : style::kInk,
                   .anchor = Anchor::Middle});
    }
  }
}

void check_label_count(const std::vector<std::string>& labels, int count, const std::string& what) {
  if (!labels.empty() && labels.size() != std::size_t(count))
    fail(what + " has " + std::to_string(labels.size()) + " labels, expected " + std::to_string(count));
}

}  // namespace glassbox::render
