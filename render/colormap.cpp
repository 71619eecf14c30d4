#include "render/colormap.h"

#include <algorithm>
#include <cmath>
#include <span>

#include "base/error.h"
#include "render/numbers.h"

namespace glassbox::render {
namespace {

// Evenly spaced anchor colours of each map; colours between anchors are interpolated linearly.
constexpr std::uint32_t kViridis[] = {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e,
                                      0x1f9e89, 0x35b779, 0x6ece58, 0xb5de2b, 0xfde725};
constexpr std::uint32_t kMagma[] = {0x000004, 0x180f3d, 0x440f76, 0x721f81, 0x9e2f7f,
                                    0xcd4071, 0xf1605d, 0xfd9668, 0xfeca8d, 0xfcfdbf};
constexpr std::uint32_t kDiverging[] = {0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7,
                                        0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b};

std::span<const std::uint32_t> anchors(Colormap map) {
  switch (map) {
    case Colormap::Viridis: return kViridis;
    case Colormap::Magma: return kMagma;
    case Colormap::Diverging: return kDiverging;
  }
  return kViridis;
}

}  // namespace

Rgb sample(Colormap map, double t) {
  const auto a = anchors(map);
  if (!(t > 0)) t = 0;  // NaN lands at the bottom too
  if (t > 1) t = 1;
  const double pos = t * double(a.size() - 1);
  const std::size_t i = std::min(std::size_t(pos), a.size() - 2);
  const double f = pos - double(i);
  const Rgb c0 = Rgb::hex(a[i]), c1 = Rgb::hex(a[i + 1]);
  return {c0.r + (c1.r - c0.r) * f, c0.g + (c1.g - c0.g) * f, c0.b + (c1.b - c0.b) * f};
}

double ColorScale::position(double v) const {
  double t;
  if (kind == ScaleKind::Log) {
    if (!(v > 0)) return 0;
    t = (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
  } else {
    t = (v - lo) / (hi - lo);
  }
  return std::clamp(t, 0.0, 1.0);
}

std::vector<double> ColorScale::ticks(int target) const {
  return kind == ScaleKind::Log ? log_ticks(lo, hi) : nice_ticks(lo, hi, target);
}

void ValueRange::add(double v) {
  if (!seen) {
    min = max = v;
    seen = true;
  }
  min = std::min(min, v);
  max = std::max(max, v);
  max_abs = std::max(max_abs, std::abs(v));
  if (v > 0 && (min_positive == 0 || v < min_positive)) min_positive = v;
}

void ValueRange::merge(const ValueRange& other) {
  if (!other.seen) return;
  add(other.min);
  add(other.max);
  if (other.min_positive > 0 && (min_positive == 0 || other.min_positive < min_positive))
    min_positive = other.min_positive;
}

ColorScale fit_scale(Colormap map, ScaleKind kind, const ValueRange& range, std::optional<double> vmin,
                     std::optional<double> vmax, const std::string& what) {
  for (const auto& limit : {vmin, vmax})
    if (limit && !std::isfinite(*limit)) fail(what + ": vmin/vmax must be finite");
  ColorScale s{map, kind, range.min, range.max};
  if (kind == ScaleKind::Log) {
    if (range.min_positive <= 0 && !vmin) fail(what + ": log colour scale needs positive values");
    s.lo = vmin.value_or(range.min_positive);
    s.hi = vmax.value_or(std::max(range.max, s.lo));
    if (s.lo <= 0) fail(what + ": log colour scale needs vmin > 0");
    if (s.hi <= s.lo) s.hi = s.lo * 10;  // a constant map still gets a readable decade
    return s;
  }
  if (map == Colormap::Diverging && !vmin && !vmax) {
    const double m = range.max_abs > 0 ? range.max_abs : 1;
    s.lo = -m;
    s.hi = m;
    return s;
  }
  s.lo = vmin.value_or(range.min);
  s.hi = vmax.value_or(range.max);
  if (s.hi < s.lo) fail(what + ": vmin is greater than vmax");
  if (s.hi == s.lo) {  // a constant map draws in the middle colour rather than dividing by zero
    s.lo -= 0.5;
    s.hi += 0.5;
  }
  return s;
}

}  // namespace glassbox::render
