#pragma once
// Vectors (embedding rows, hidden states) as rows of coloured cells, stacked with a label each, on one
// shared scale; the numbers themselves are printed in the cells when they are wide enough.
//
//   render::VectorStrip v;
//   v.vectors = render::Matrix(tokens.size(), dim, embeddings);
//   v.labels = tokens;
//   v.title = "Input embeddings of the prompt's tokens";
//   render::save(v, "out/embeddings.png", provenance);
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "render/colormap.h"
#include "render/matrix.h"
#include "render/provenance.h"

namespace glassbox::render {

struct VectorStrip {
  Matrix vectors;                    // one vector per row
  std::vector<std::string> labels;   // empty, or one per row
  std::string title, subtitle, colorbar_label;
  std::string x_label = "dimension";
  Colormap colormap = Colormap::Diverging;
  std::optional<double> vmin, vmax;
  bool labels_are_tokens = true;     // show whitespace and raw bytes in labels visibly
  int width_px = 900;                // many dimensions share a pixel column when they do not fit
};

// Fails on an empty matrix, NaN or Inf, or a label count that does not match.
void save(const VectorStrip& strip, const std::filesystem::path& path, const Provenance& provenance = {});

}  // namespace glassbox::render
