#pragma once
// Line chart of one or more series with ticks, grid lines and a legend beside the plot.
//
//   render::LineChart c;
//   c.series.push_back({"layer norm", {}, norms});   // x empty: 0, 1, 2, ...
//   c.x_label = "layer"; c.y_label = "hidden-state norm";
//   c.title = "Residual stream norm by layer";
//   render::save(c, "out/norms.svg", provenance);
#include <filesystem>
#include <string>
#include <vector>

#include "render/provenance.h"

namespace glassbox::render {

struct Series {
  std::string name;
  std::vector<double> x;  // empty: 0, 1, 2, ...; otherwise one per y
  std::vector<double> y;
};

struct LineChart {
  std::vector<Series> series;
  std::string title, subtitle, x_label, y_label;
  bool log_y = false;
  bool y_from_zero = false;  // start the y axis at 0, for sizes whose whole magnitude matters (memory)
  bool markers = false;  // a dot at every point, for a few points that each mean something (one per layer)
  int width_px = 800, height_px = 500;
};

// Fails on no series, an empty series, x and y of different lengths, non-finite values, a value <= 0 on a
// log axis, or a log axis asked to start at zero.
void save(const LineChart& chart, const std::filesystem::path& path, const Provenance& provenance = {});

}  // namespace glassbox::render
