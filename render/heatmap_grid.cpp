#include "render/heatmap_grid.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "render/cells.h"
#include "render/colorbar.h"
#include "render/figure.h"
#include "render/text.h"

namespace glassbox::render {
namespace {

constexpr double kGap = 6, kLabelGap = 8, kColLabelHeight = 20, kMaxRowLabel = 140, kMinWidth = 520;

struct Layout {
  Size canvas;
  Rect grid;  // all panels
  double panel_w = 0, panel_h = 0;
  Colorbar colorbar;
  std::vector<std::string> rows, cols;
  double col_label_size = style::kLabelSize;

  Rect panel(int r, int c) const {
    return {grid.x + c * (panel_w + kGap), grid.y + r * (panel_h + kGap), panel_w, panel_h};
  }
};

Layout layout(const HeatmapGrid& g) {
  if (g.grid_rows < 1 || g.grid_cols < 1) fail("heatmap grid: grid_rows and grid_cols must be at least 1");
  if (g.panels.size() != std::size_t(g.grid_rows) * std::size_t(g.grid_cols))
    fail("heatmap grid: " + std::to_string(g.panels.size()) + " panels for a " + std::to_string(g.grid_rows) + "x" +
         std::to_string(g.grid_cols) + " grid");
  check_label_count(g.row_labels, g.grid_rows, "heatmap grid row_labels");
  check_label_count(g.col_labels, g.grid_cols, "heatmap grid col_labels");
  ValueRange range;
  for (int r = 0; r < g.grid_rows; ++r) {
    for (int c = 0; c < g.grid_cols; ++c) {
      const Matrix& m = g.panels[std::size_t(r * g.grid_cols + c)];
      const std::string what = "heatmap grid panel (" + std::to_string(r) + ", " + std::to_string(c) + ")";
      range.merge(checked_range(m, g.mask, what));
      if (m.rows != g.panels[0].rows || m.cols != g.panels[0].cols)
        fail(what + ": shape differs from panel (0, 0)");
    }
  }
  Layout l;
  l.colorbar.scale = fit_scale(g.colormap, g.scale, range, g.vmin, g.vmax, "heatmap grid");
  l.colorbar.label = g.colorbar_label;
  l.colorbar.show_mask_swatch = std::find(g.mask.begin(), g.mask.end(), true) != g.mask.end();
  const Matrix& first = g.panels[0];
  const double aspect = double(first.rows) / first.cols;
  // About 1000 px across and 1100 px down, but never panels too small to show a pattern.
  const double auto_w = std::min(1000.0 / g.grid_cols, 1100.0 / (g.grid_rows * aspect));
  l.panel_w = g.panel_px > 0 ? g.panel_px : std::clamp(std::floor(auto_w - kGap), 40.0, 160.0);
  l.panel_h = std::max(1.0, std::round(l.panel_w * aspect));

  double row_w = 0;
  for (const auto& s : g.row_labels) {
    l.rows.push_back(fit_text(s, kMaxRowLabel, style::kLabelSize));
    row_w = std::max(row_w, text_width(l.rows.back(), style::kLabelSize));
  }
  // Column labels shrink (not below 9 px) to fit narrow panels before they are cut.
  double col_w = 0;
  for (const auto& s : g.col_labels) col_w = std::max(col_w, text_width(s, style::kLabelSize));
  if (col_w > l.panel_w) l.col_label_size = std::max(9.0, style::kLabelSize * l.panel_w / col_w);
  for (const auto& s : g.col_labels) l.cols.push_back(fit_text(s, l.panel_w, l.col_label_size));

  const double top = style::kMargin + title_block_height(g.title, g.subtitle) + (l.cols.empty() ? 0 : kColLabelHeight);
  const double left = style::kMargin + (l.rows.empty() ? 0 : row_w + kLabelGap);
  l.grid = {std::round(left), std::round(top), g.grid_cols * (l.panel_w + kGap) - kGap,
            g.grid_rows * (l.panel_h + kGap) - kGap};
  double width = l.grid.right() + l.colorbar.total_width() + style::kMargin;
  if (width < kMinWidth) {
    l.grid.x += std::round((kMinWidth - width) / 2);
    width = kMinWidth;
  }
  const double swatch = l.colorbar.show_mask_swatch ? 12 + Colorbar::kBarWidth : 0;
  l.canvas = {int(std::ceil(width)), int(std::ceil(l.grid.bottom() + swatch + style::kMargin))};
  return l;
}

void draw(const HeatmapGrid& g, const Layout& l, Canvas& canvas) {
  draw_title_block(canvas, style::kMargin, style::kMargin, l.canvas.width - 2 * style::kMargin, g.title, g.subtitle);
  for (int r = 0; r < g.grid_rows; ++r) {
    for (int c = 0; c < g.grid_cols; ++c) {
      const Rect p = l.panel(r, c);
      draw_cells(canvas, g.panels[std::size_t(r * g.grid_cols + c)], g.mask, l.colorbar.scale, p);
      canvas.stroke_rect(p, style::kFrame, 0.6);
    }
  }
  for (std::size_t r = 0; r < l.rows.size(); ++r)
    canvas.text({l.grid.x - kLabelGap, l.panel(int(r), 0).center().y}, l.rows[r],
                {.size = style::kLabelSize, .anchor = Anchor::End});
  for (std::size_t c = 0; c < l.cols.size(); ++c)
    canvas.text({l.panel(0, int(c)).center().x, l.grid.y - kColLabelHeight / 2}, l.cols[c],
                {.size = l.col_label_size, .anchor = Anchor::Middle});
  l.colorbar.draw(canvas, {l.grid.right() + Colorbar::kGap, l.grid.y, Colorbar::kBarWidth, l.grid.h});
}

}  // namespace

void save(const HeatmapGrid& grid, const std::filesystem::path& path, const Provenance& provenance) {
  const Layout l = layout(grid);
  save_figure(path, l.canvas, grid.title, provenance, [&](Canvas& canvas) { draw(grid, l, canvas); });
}

}  // namespace glassbox::render
