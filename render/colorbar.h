#pragma once
// The vertical colour key beside a heatmap: gradient, ticks with values, a label along its side and,
// when cells are masked, a swatch of the mask colour.
#include <string>

#include "render/canvas.h"
#include "render/colormap.h"

namespace glassbox::render {

struct Colorbar {
  ColorScale scale;
  std::string label;
  bool show_mask_swatch = false;

  static constexpr double kGap = 18;       // between the plot and the bar
  static constexpr double kBarWidth = 14;

  // Horizontal space from the plot's right edge to the end of the tick and side labels.
  double total_width() const;
  // `bar` is the gradient's rectangle; labels go to its right, the swatch below it.
  void draw(Canvas& canvas, const Rect& bar) const;
};

}  // namespace glassbox::render
