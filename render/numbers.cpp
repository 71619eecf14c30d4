#include "render/numbers.h"

#include <cmath>
#include <cstdio>

namespace glassbox::render {

std::vector<double> nice_ticks(double lo, double hi, int target, bool integers) {
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return {lo};
  const double raw = std::max((hi - lo) / std::max(1, target), integers ? 1.0 : 0.0);
  if (!(raw > 0) || !std::isfinite(raw)) return {lo, hi};  // a span too small or too large to divide
  int exponent = int(std::floor(std::log10(raw)));
  double mantissa = 10;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (integers && m == 2.5) continue;
    if (m * std::pow(10.0, exponent) >= raw * (1 - 1e-9)) {
      mantissa = m;
      break;
    }
  }
  // Tick k is k * mantissa * 10^exponent. Dividing by an exact power of ten for negative exponents
  // gives the double nearest the decimal value (0.6, not 0.6000000000000001).
  const double scale = std::pow(10.0, std::abs(exponent));
  const auto tick = [&](double k) { return exponent < 0 ? k * mantissa / scale : k * mantissa * scale; };
  const double step = tick(1);
  std::vector<double> ticks;
  // A tolerance of a millionth of a step keeps ticks that land on the limits despite rounding.
  const double eps = step * 1e-6;
  // The cap stops a loop whose k no longer changes tick(k) (lo far larger than the step).
  for (double k = std::ceil((lo - eps) / step); tick(k) <= hi + eps && ticks.size() < 100; ++k)
    ticks.push_back(k == 0 ? 0.0 : tick(k));
  return ticks;
}

std::vector<double> log_ticks(double lo, double hi) {
  std::vector<double> ticks;
  if (!(lo > 0) || !(hi >= lo)) return ticks;
  const int first = int(std::floor(std::log10(lo))), last = int(std::ceil(std::log10(hi)));
  const bool few_decades = last - first <= 2;
  for (int e = first; e <= last; ++e) {
    for (double m : {1.0, 2.0, 5.0}) {
      if (m != 1.0 && !few_decades) continue;
      const double t = m * std::pow(10.0, e);
      // Relative tolerance: decades computed through pow must still count as inside the range.
      if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push_back(t);
    }
  }
  return ticks;
}

std::string format_number(double v) {
  if (v == 0) return "0";
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  const double a = std::abs(v);
  if (a >= 999.5 && a < 99950) {  // what rounds to 1000..99900; %.3g would write 1800 as "1.8e+03"
    const double step = a < 1e4 ? 10 : 100;  // three significant digits
    std::snprintf(buf, sizeof buf, "%.0f", std::round(v / step) * step);
    return buf;
  }
  if (a >= 1e-3 && a < 999.5) {
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.2e", v);  // "1.50e-05"
  std::string s = buf;
  const auto e = s.find('e');
  std::string mantissa = s.substr(0, e), exponent = s.substr(e + 1);
  while (mantissa.find('.') != std::string::npos && (mantissa.back() == '0' || mantissa.back() == '.')) {
    const bool dot = mantissa.back() == '.';
    mantissa.pop_back();
    if (dot) break;
  }
  std::string sign;
  if (exponent[0] == '-' || exponent[0] == '+') {
    if (exponent[0] == '-') sign = "-";
    exponent.erase(0, 1);
  }
  while (exponent.size() > 1 && exponent[0] == '0') exponent.erase(0, 1);
  return mantissa + "e" + sign + exponent;
}

std::string format_count(double v) {
  static constexpr struct {
    double scale;
    const char* unit;
  } kUnits[] = {{1e9, "B"}, {1e6, "M"}, {1e3, "K"}};
  for (const auto& u : kUnits) {
    // 999.96K must print as "1.00M", not "1000K": round to three digits before choosing the unit.
    const double scaled = std::abs(v) / u.scale;
    if (scaled >= 0.9995) {
      char buf[32];
      const double x = v / u.scale;
      const double ax = std::abs(x);
      std::snprintf(buf, sizeof buf, ax < 9.995 ? "%.2f%s" : ax < 99.95 ? "%.1f%s" : "%.0f%s", x, u.unit);
      return buf;
    }
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

std::string format_percent(double fraction) {
  const double p = fraction * 100;
  if (p != 0 && std::abs(p) < 0.005) return p > 0 ? "<0.01%" : ">-0.01%";
  char buf[32];
  std::snprintf(buf, sizeof buf, std::abs(p) < 0.095 ? "%.2f%%" : "%.1f%%", p);
  return buf;
}

}  // namespace glassbox::render
