#include "render/heatmap.h"

#include <algorithm>
#include <cmath>

#include "base/visible_text.h"
#include "render/cells.h"
#include "render/colorbar.h"
#include "render/text.h"

namespace glassbox::render {
namespace {

constexpr double kTargetPlot = 560;    // side of the cell area when cell_px is 0
constexpr double kMaxLabelWidth = 150;  // longer labels end in "…"
constexpr double kLabelGap = 6;         // between the cells and their labels
constexpr double kMinLabelPitch = 16;   // labels closer than this skip rows/columns
// Column labels at 45 degrees lie pitch * sin(45) apart; a font of 0.6 x pitch leaves a line's gap.
constexpr double kFontPerPitch = 0.6;
constexpr double kAxisTitleGap = 8;     // between the row labels and the y-axis title
constexpr double kMinWidth = 520;       // room for a title even on a tiny map
constexpr double kSin45 = 0.70710678;

struct Layout {
  HeatmapGeometry geometry;
  Colorbar colorbar;
  int stride = 1;  // every stride-th row and column is labelled
  double label_size = style::kLabelSize;
  double row_label_width = 0;
  std::vector<std::string> rows, cols;  // what is printed; "" where skipped
};

std::vector<std::string> display_labels(const std::vector<std::string>& labels, const Layout& l, bool tokens) {
  std::vector<std::string> out(labels.size());
  for (std::size_t i = 0; i < labels.size(); i += std::size_t(l.stride))
    out[i] = fit_text(tokens ? visible_token(labels[i]) : labels[i], kMaxLabelWidth, l.label_size);
  return out;
}

double widest(const std::vector<std::string>& labels, double size) {
  double w = 0;
  for (const auto& s : labels) w = std::max(w, text_width(s, size));
  return w;
}

Layout layout(const Heatmap& h) {
  const ValueRange range = checked_range(h.matrix, h.mask, "heatmap");
  check_label_count(h.row_labels, h.matrix.rows, "heatmap row_labels");
  check_label_count(h.col_labels, h.matrix.cols, "heatmap col_labels");
  Layout l;
  l.colorbar.scale = fit_scale(h.colormap, h.scale, range, h.vmin, h.vmax, "heatmap");
  l.colorbar.label = h.colorbar_label;
  l.colorbar.show_mask_swatch = std::find(h.mask.begin(), h.mask.end(), true) != h.mask.end();

  const int n = std::max(h.matrix.rows, h.matrix.cols);
  const int cell = h.cell_px > 0 ? h.cell_px : std::clamp(int(kTargetPlot / n), 2, 44);
  l.stride = std::max(1, int(std::ceil(kMinLabelPitch / cell)));
  l.label_size = std::min(style::kLabelSize, cell * l.stride * kFontPerPitch);
  l.rows = display_labels(h.row_labels, l, h.labels_are_tokens);
  l.cols = display_labels(h.col_labels, l, h.labels_are_tokens);
  const double col_w = widest(l.cols, l.label_size);
  l.row_label_width = widest(l.rows, l.label_size);
  const double row_w = l.row_label_width;

  // Column labels hang down-left at 45 degrees from their column's centre.
  const double col_drop = l.cols.empty() ? 0 : kLabelGap + (col_w + l.label_size) * kSin45;
  const double col_overhang = l.cols.empty() ? 0 : col_w * kSin45 + l.label_size - cell / 2.0;
  const double y_title = h.y_label.empty() ? 0 : style::kAxisTitleSize + kAxisTitleGap;
  const double x_title = h.x_label.empty() ? 0 : style::kAxisTitleSize + 10;

  double left = style::kMargin + y_title + (l.rows.empty() ? 0 : row_w + kLabelGap);
  left = std::max(left, style::kMargin + col_overhang);
  const double top = style::kMargin + title_block_height(h.title, h.subtitle);
  Rect plot{std::round(left), std::round(top), double(cell * h.matrix.cols), double(cell * h.matrix.rows)};
  const double swatch = l.colorbar.show_mask_swatch ? 12 + Colorbar::kBarWidth : 0;
  double width = plot.right() + l.colorbar.total_width() + style::kMargin;
  const double title_w = std::max(text_width(h.title, style::kTitleSize, true),
                                  text_width(h.subtitle, style::kSubtitleSize)) + 2 * style::kMargin;
  const double wanted = std::max(kMinWidth, std::min(title_w, 900.0));
  if (width < wanted) {  // centre a narrow map under its title
    const double shift = std::round((wanted - width) / 2);
    plot.x += shift;
    width = wanted;
  }
  const double height = plot.bottom() + std::max(col_drop + x_title, swatch) + style::kMargin;
  l.geometry = {{int(std::ceil(width)), int(std::ceil(height))}, plot, cell};
  return l;
}

void draw(const Heatmap& h, const Layout& l, Canvas& canvas) {
  const HeatmapGeometry& g = l.geometry;
  const Rect& plot = g.plot;
  draw_title_block(canvas, style::kMargin, style::kMargin, g.canvas.width - 2 * style::kMargin, h.title,
                   h.subtitle);
  draw_cells(canvas, h.matrix, h.mask, l.colorbar.scale, plot);
  if (h.show_values && g.cell_px >= kMinValueCellWidth)
    draw_cell_values(canvas, h.matrix, h.mask, l.colorbar.scale, plot);
  canvas.stroke_rect(plot, style::kFrame, 0.8);
  const TextStyle row_style{.size = l.label_size, .anchor = Anchor::End};
  for (std::size_t r = 0; r < l.rows.size(); ++r)
    if (!l.rows[r].empty()) canvas.text({plot.x - kLabelGap, g.cell(int(r), 0).center().y}, l.rows[r], row_style);
  const TextStyle col_style{.size = l.label_size, .anchor = Anchor::End, .angle = -45};
  for (std::size_t c = 0; c < l.cols.size(); ++c)
    if (!l.cols[c].empty())
      canvas.text({g.cell(0, int(c)).center().x, plot.bottom() + kLabelGap}, l.cols[c], col_style);
  const TextStyle axis_style{.size = style::kAxisTitleSize, .color = style::kMuted, .anchor = Anchor::Middle};
  if (!h.y_label.empty()) {
    TextStyle s = axis_style;
    s.angle = -90;
    const double labels = l.rows.empty() ? 0 : l.row_label_width + kLabelGap;
    canvas.text({plot.x - labels - kAxisTitleGap - style::kAxisTitleSize / 2, plot.center().y},
                fit_text(h.y_label, plot.h, s.size), s);
  }
  if (!h.x_label.empty())
    canvas.text({plot.center().x, g.canvas.height - style::kMargin - style::kAxisTitleSize / 2},
                fit_text(h.x_label, std::max(plot.w, 200.0), axis_style.size), axis_style);
  l.colorbar.draw(canvas, {plot.right() + Colorbar::kGap, plot.y, Colorbar::kBarWidth, plot.h});
}

}  // namespace

std::vector<bool> causal_mask(int n) {
  std::vector<bool> mask(std::size_t(std::max(n, 0)) * std::size_t(std::max(n, 0)), false);
  for (int r = 0; r < n; ++r)
    for (int c = r + 1; c < n; ++c) mask[std::size_t(r) * std::size_t(n) + std::size_t(c)] = true;
  return mask;
}

HeatmapGeometry heatmap_geometry(const Heatmap& heatmap) { return layout(heatmap).geometry; }

void save(const Heatmap& heatmap, const std::filesystem::path& path, const Provenance& provenance) {
  const Layout l = layout(heatmap);
  save_figure(path, l.geometry.canvas, heatmap.title, provenance,
              [&](Canvas& canvas) { draw(heatmap, l, canvas); });
}

}  // namespace glassbox::render
