#pragma once
// Cartesian axes for the line chart and the histogram: data-to-pixel mapping, light grid lines, tick
// labels and axis titles.
#include <string>
#include <vector>

#include "render/canvas.h"

namespace glassbox::render {

struct AxisSpec {
  double lo = 0, hi = 1;
  bool log = false;
  std::string title;
  bool integers = false;      // ticks only at whole numbers (layers, positions)
  std::vector<double> ticks;  // filled by the constructor of Axes
};

class Axes {
 public:
  // Lays the axes out inside `area` (the space left after titles and legends): tick labels and axis
  // titles take their room from it and the rest becomes the plot.
  Axes(const Rect& area, AxisSpec x, AxisSpec y);

  double px(double x) const;
  double py(double y) const;
  const Rect& plot() const { return plot_; }

  void draw(Canvas& canvas) const;

 private:
  AxisSpec x_, y_;
  Rect area_, plot_;
};

// The [lo, hi] of data padded by 5% of its span each side (a factor on a log axis), so the extreme
// points do not sit on the frame; a zero span becomes a unit one.
void pad_range(double& lo, double& hi, bool log);

}  // namespace glassbox::render
