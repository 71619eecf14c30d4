#include "eval/stats.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"

namespace glassbox {

double mean(const std::vector<double>& x) {
  if (x.empty()) fail("mean of no values");
  double sum = 0;
  for (double v : x) sum += v;
  return sum / double(x.size());
}

double sample_sd(const std::vector<double>& x) {
  if (x.size() < 2) return 0;
  const double m = mean(x);
  double sum = 0;
  for (double v : x) sum += (v - m) * (v - m);
  return std::sqrt(sum / double(x.size() - 1));
}

double percentile(std::vector<double> x, double q) {
  if (x.empty()) fail("percentile of no values");
  std::sort(x.begin(), x.end());
  const double rank = q * double(x.size() - 1);
  const size_t lo = size_t(std::floor(rank)), hi = std::min(lo + 1, x.size() - 1);
  return x[lo] + (rank - double(lo)) * (x[hi] - x[lo]);
}

}  // namespace glassbox
