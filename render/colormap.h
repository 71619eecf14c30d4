#pragma once
// Perceptual colormaps and the mapping from data values to colours (linear or logarithmic).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace glassbox::render {

struct Rgb {
  double r = 0, g = 0, b = 0;  // 0..1
  static constexpr Rgb hex(std::uint32_t v) {
    return {double((v >> 16) & 0xff) / 255.0, double((v >> 8) & 0xff) / 255.0, double(v & 0xff) / 255.0};
  }
  double luminance() const { return 0.2126 * r + 0.7152 * g + 0.0722 * b; }
};

enum class Colormap {
  Viridis,    // dark blue to yellow: non-negative values such as attention weights
  Magma,      // black to pale yellow: an alternative with a darker low end
  Diverging,  // blue - white - red, centred on zero: signed values
};

enum class ScaleKind { Linear, Log };

// The colour at position t in [0, 1] (clamped). sample(m, 1) is the map's top colour.
Rgb sample(Colormap map, double t);

// Maps values in [lo, hi] onto a colormap. Values outside are clamped; on a log scale values <= 0 take
// the bottom colour.
struct ColorScale {
  Colormap map = Colormap::Viridis;
  ScaleKind kind = ScaleKind::Linear;
  double lo = 0, hi = 1;

  double position(double v) const;  // 0..1
  Rgb color(double v) const { return sample(map, position(v)); }
  std::vector<double> ticks(int target = 6) const;  // about `target` on a linear scale
};

// Data statistics over the values that are drawn (masked cells excluded).
struct ValueRange {
  double min = 0, max = 0;
  double min_positive = 0;  // 0 when no value is positive
  double max_abs = 0;
  void add(double v);
  void merge(const ValueRange& other);
  bool seen = false;
};

// A scale for `range`: explicit limits win; a diverging map is symmetric about zero; a log scale starts
// at the smallest positive value. `what` names the figure in error messages.
ColorScale fit_scale(Colormap map, ScaleKind kind, const ValueRange& range, std::optional<double> vmin,
                     std::optional<double> vmax, const std::string& what);

}  // namespace glassbox::render
