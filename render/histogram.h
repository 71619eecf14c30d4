#pragma once
// Histogram of values in equal-width bins; the subtitle gains n, mean and standard deviation.
//
//   render::Histogram h;
//   h.values = activations;   // any number of finite values
//   h.x_label = "activation"; h.title = "MLP activations, layer 5";
//   render::save(h, "out/hist.png", provenance);
#include <filesystem>
#include <string>
#include <vector>

#include "render/provenance.h"

namespace glassbox::render {

struct Histogram {
  std::vector<double> values;
  int bins = 40;
  std::string title, subtitle, x_label, y_label = "count";
  bool log_y = false;  // empty bins are left out on a log axis
  int width_px = 800, height_px = 500;
};

// Fails on no values, NaN or Inf, or bins < 1.
void save(const Histogram& histogram, const std::filesystem::path& path, const Provenance& provenance = {});

}  // namespace glassbox::render
