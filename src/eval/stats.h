#pragma once
// Summary statistics of a sample, as numpy computes them, for tables of many measurements.
#include <vector>

namespace glassbox {

double mean(const std::vector<double>& x);
// Sample standard deviation (n - 1 in the denominator); 0 for fewer than two values.
double sample_sd(const std::vector<double>& x);
// The q-quantile (0 <= q <= 1) with linear interpolation between order statistics (numpy's default):
// percentile(x, 0.5) is the median, percentile(x, 0.95) the p95.
double percentile(std::vector<double> x, double q);

}  // namespace glassbox
