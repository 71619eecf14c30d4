#pragma once
// A matrix as coloured cells with token labels on both axes, a colorbar, and masked cells (such as the
// future positions of a causal attention map) in a distinct grey.
//
//   render::Heatmap h;
//   h.matrix = render::Matrix(n, n, std::move(weights));
//   h.row_labels = h.col_labels = tokens;
//   h.mask = render::causal_mask(n);
//   h.title = "Layer 3, head 5: attention weights";
//   render::save(h, "out/attention.png", provenance);
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "render/canvas.h"
#include "render/colormap.h"
#include "render/figure.h"
#include "render/matrix.h"
#include "render/provenance.h"

namespace glassbox::render {

struct Heatmap {
  Matrix matrix;
  std::vector<std::string> row_labels;  // empty, or one per row
  std::vector<std::string> col_labels;  // empty, or one per column; drawn rotated below the map
  std::string title, subtitle;
  std::string x_label, y_label;         // axis titles, e.g. "key token" and "query token"
  std::string colorbar_label;
  std::vector<bool> mask;               // empty, or rows*cols row-major; true = masked (value ignored)
  Colormap colormap = Colormap::Viridis;
  ScaleKind scale = ScaleKind::Linear;
  std::optional<double> vmin, vmax;     // colour limits; default: the data's range
  bool labels_are_tokens = true;        // show whitespace and raw bytes in labels visibly
  bool show_values = false;             // print each value in its cell (cells of 38 px or more)
  // Empty, or rows*cols texts printed in the cells instead of values (a logit-lens grid names the predicted
  // token in each cell while the colour shows its probability). Cells then widen to fit the longest text,
  // up to max_cell_width_px; a text that does not fit ends in "…". Tokens are made visible as labels are.
  std::vector<std::string> cell_labels;
  int max_cell_width_px = 96;
  int cell_px = 0;                      // side of a cell (its height with cell_labels); 0 picks one
};

// True above the diagonal: the positions a causal model's query cannot see.
std::vector<bool> causal_mask(int n);

// Where things land on the canvas; for tests and for callers that annotate a figure.
struct HeatmapGeometry {
  Size canvas;
  Rect plot;  // the cells
  int cell_px = 0;       // a cell's height
  int cell_width_px = 0; // its width: cell_px unless cell_labels widened it
  Rect cell(int row, int col) const {
    return {plot.x + col * cell_width_px, plot.y + row * cell_px, double(cell_width_px), double(cell_px)};
  }
};
HeatmapGeometry heatmap_geometry(const Heatmap& heatmap);

// Fails on an empty matrix, NaN or Inf in an unmasked cell, or label, cell label and mask sizes that do not
// match.
void save(const Heatmap& heatmap, const std::filesystem::path& path, const Provenance& provenance = {});

}  // namespace glassbox::render
