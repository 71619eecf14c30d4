#pragma once
#include <cstddef>

namespace glassbox {

// The process's peak resident set size (getrusage), the figure mlx-lm reports as "Peak memory".
size_t peak_rss_bytes();

}  // namespace glassbox
