#include "render/vector_strip.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "base/visible_text.h"
#include "render/cells.h"
#include "render/colorbar.h"
#include "render/figure.h"
#include "render/numbers.h"
#include "render/text.h"

namespace glassbox::render {
namespace {

constexpr double kRowHeight = 26, kRowGap = 6, kLabelGap = 8, kMaxLabel = 160;
constexpr double kMaxCell = 52;        // wider cells waste space
constexpr double kMinColorbar = 120;   // a colorbar shorter than this has no room for its ticks
constexpr double kTickLength = 4;

struct Layout {
  Size canvas;
  Rect cells;  // all rows, including the gaps between them
  double cell_w = 0;
  Colorbar colorbar;
  std::vector<std::string> labels;
  std::vector<double> ticks;

  Rect row(int r) const { return {cells.x, cells.y + r * (kRowHeight + kRowGap), cells.w, kRowHeight}; }
};

Layout layout(const VectorStrip& v) {
  const ValueRange range = checked_range(v.vectors, {}, "vector strip");
  check_label_count(v.labels, v.vectors.rows, "vector strip labels");
  Layout l;
  l.colorbar.scale = fit_scale(v.colormap, ScaleKind::Linear, range, v.vmin, v.vmax, "vector strip");
  l.colorbar.label = v.colorbar_label;
  double label_w = 0;
  for (const auto& s : v.labels) {
    l.labels.push_back(fit_text(v.labels_are_tokens ? visible_token(s) : s, kMaxLabel, style::kLabelSize));
    label_w = std::max(label_w, text_width(l.labels.back(), style::kLabelSize));
  }
  const double left = std::round(style::kMargin + (l.labels.empty() ? 0 : label_w + kLabelGap));
  const double top = style::kMargin + title_block_height(v.title, v.subtitle);
  const double room = v.width_px - left - l.colorbar.total_width() - style::kMargin;
  if (room < 100) fail("vector strip: width_px " + std::to_string(v.width_px) + " leaves no room for the cells");
  l.cell_w = std::min(kMaxCell, room / v.vectors.cols);
  if (l.cell_w >= 1) l.cell_w = std::floor(l.cell_w);  // whole pixels keep every cell the same width
  const double rows_h = v.vectors.rows * (kRowHeight + kRowGap) - kRowGap;
  l.cells = {left, std::round(top), l.cell_w * v.vectors.cols, rows_h};
  l.ticks = nice_ticks(0, v.vectors.cols - 1, std::clamp(int(l.cells.w / 80), 2, 8), true);
  const double bottom = std::max(l.cells.bottom() + kTickLength + 4 + style::kLabelSize +
                                     (v.x_label.empty() ? 0 : 8 + style::kAxisTitleSize),
                                 l.cells.y + std::max(rows_h, kMinColorbar));
  l.canvas = {v.width_px, int(std::ceil(bottom + style::kMargin))};
  return l;
}

void draw(const VectorStrip& v, const Layout& l, Canvas& canvas) {
  draw_title_block(canvas, style::kMargin, style::kMargin, l.canvas.width - 2 * style::kMargin, v.title, v.subtitle);
  const bool values = l.cell_w >= kMinValueCellWidth;
  for (int r = 0; r < v.vectors.rows; ++r) {
    const Rect row = l.row(r);
    const Matrix one(1, v.vectors.cols,
                     std::vector<float>(v.vectors.values.begin() + std::ptrdiff_t(r) * v.vectors.cols,
                                        v.vectors.values.begin() + std::ptrdiff_t(r + 1) * v.vectors.cols));
    draw_cells(canvas, one, {}, l.colorbar.scale, row);
    canvas.stroke_rect(row, style::kFrame, 0.6);
    if (!l.labels.empty())
      canvas.text({row.x - kLabelGap, row.center().y}, l.labels[std::size_t(r)],
                  {.size = style::kLabelSize, .anchor = Anchor::End});
    if (values) draw_cell_values(canvas, one, {}, l.colorbar.scale, row);
  }
  const double axis_y = l.cells.bottom();
  for (double t : l.ticks) {
    const double x = l.cells.x + (t + 0.5) * l.cell_w;
    canvas.line({x, axis_y}, {x, axis_y + kTickLength}, style::kFrame, 1);
    canvas.text({x, axis_y + kTickLength + 4 + style::kLabelSize / 2}, format_number(t),
                {.size = style::kLabelSize, .anchor = Anchor::Middle});
  }
  if (!v.x_label.empty())
    canvas.text({l.cells.center().x, axis_y + kTickLength + 4 + style::kLabelSize + 8 + style::kAxisTitleSize / 2},
                v.x_label, {.size = style::kAxisTitleSize, .color = style::kMuted, .anchor = Anchor::Middle});
  l.colorbar.draw(canvas, {l.cells.right() + Colorbar::kGap, l.cells.y, Colorbar::kBarWidth,
                           std::max(l.cells.h, kMinColorbar)});
}

}  // namespace

void save(const VectorStrip& strip, const std::filesystem::path& path, const Provenance& provenance) {
  const Layout l = layout(strip);
  save_figure(path, l.canvas, strip.title, provenance, [&](Canvas& canvas) { draw(strip, l, canvas); });
}

}  // namespace glassbox::render
