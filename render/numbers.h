#pragma once
// Axis ticks and the short number formats printed on figures.
#include <cstdint>
#include <string>
#include <vector>

namespace glassbox::render {

// Round ticks (1, 2, 2.5, 5 x 10^k) inside [lo, hi], about `target` of them; with `integers` only whole
// numbers (steps 1, 2, 5 x 10^k, at least 1), for indices such as layers and dimensions.
std::vector<double> nice_ticks(double lo, double hi, int target = 5, bool integers = false);
// Decades inside [lo, hi] (lo > 0); with fewer than two decades, 2x and 5x multiples join in.
std::vector<double> log_ticks(double lo, double hi);

// At most three significant digits, no trailing zeros, short exponents: "0.25", "1e-5", "1200".
std::string format_number(double v);
// Counts in K/M/B units with three significant digits: "950", "1.23K", "494M", "7.24B".
std::string format_count(double v);
// A fraction as a percentage: 0.532 -> "53.2%", 0.0004 -> "0.04%", 1e-7 -> "<0.01%".
std::string format_percent(double fraction);

}  // namespace glassbox::render
