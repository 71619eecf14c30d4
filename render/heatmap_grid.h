#pragma once
// Small multiples: one heatmap per (layer, head), all on one shared colour scale, with row and column
// labels and a single colorbar.
//
//   render::HeatmapGrid g;
//   g.grid_rows = layers; g.grid_cols = heads;
//   for (...) g.panels.push_back(render::Matrix(n, n, weights_of(layer, head)));
//   g.row_labels = {"layer 0", ...}; g.col_labels = {"head 0", ...};
//   g.mask = render::causal_mask(n);
//   g.title = "Attention patterns of every head";
//   render::save(g, "out/heads.png", provenance);
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "render/colormap.h"
#include "render/matrix.h"
#include "render/provenance.h"

namespace glassbox::render {

struct HeatmapGrid {
  std::vector<Matrix> panels;  // grid_rows * grid_cols, row-major; all the same shape
  int grid_rows = 0, grid_cols = 0;
  std::vector<std::string> row_labels, col_labels;  // empty, or one per grid row / column
  std::string title, subtitle, colorbar_label;
  std::vector<bool> mask;  // empty, or one panel's rows*cols, applied to every panel
  Colormap colormap = Colormap::Viridis;
  ScaleKind scale = ScaleKind::Linear;
  std::optional<double> vmin, vmax;
  int panel_px = 0;  // width of a panel; 0 picks one so the grid is about 1000 px wide
};

// Fails on a grid size that does not match the panels, panels of different shapes, or any heatmap
// error (empty, NaN, Inf) in a panel.
void save(const HeatmapGrid& grid, const std::filesystem::path& path, const Provenance& provenance = {});

}  // namespace glassbox::render
