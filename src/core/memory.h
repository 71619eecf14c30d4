#pragma once
#include <cstddef>

namespace glassbox {

// The process's peak resident set size (getrusage), the figure mlx-lm reports as "Peak memory".
size_t peak_rss_bytes();

// This machine's physical memory, the most any allocation could ever get.
size_t physical_memory_bytes();

}  // namespace glassbox
