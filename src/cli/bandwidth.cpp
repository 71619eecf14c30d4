#include "cli/bandwidth.h"

#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <chrono>
#include <cstring>
#include <vector>

namespace glassbox::cli {

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

Bandwidth measure_bandwidth() {
  // Integer words, because an integer sum vectorizes where a float sum (order-sensitive) would not.
  constexpr size_t kWords = size_t(64) << 20;  // 512 MiB
  std::vector<uint64_t> src(kWords, 1), dst(kWords, 0);
  Bandwidth best;
  volatile uint64_t sink = 0;
  for (int rep = 0; rep < 3; ++rep) {  // the best of three, as STREAM reports
    auto t0 = std::chrono::steady_clock::now();
    uint64_t sum = 0;
    // Prefetching 16 KiB ahead, as the matvec kernels do: the hardware prefetcher stops at page boundaries.
#pragma omp parallel for reduction(+ : sum) schedule(static)
    for (size_t line = 0; line < kWords / 8; ++line) {
      __builtin_prefetch(src.data() + 8 * line + 2048);
      for (size_t i = 8 * line; i < 8 * line + 8; ++i) sum += src[i];
    }
    sink = sink + sum;
    best.read_gbs = std::max(best.read_gbs, double(kWords * 8) / seconds_since(t0) / 1e9);

    t0 = std::chrono::steady_clock::now();
#pragma omp parallel
    {
      const size_t threads = size_t(omp_get_num_threads()), me = size_t(omp_get_thread_num());
      const size_t begin = kWords * me / threads, end = kWords * (me + 1) / threads;
      std::memcpy(dst.data() + begin, src.data() + begin, (end - begin) * 8);
    }
    best.copy_gbs = std::max(best.copy_gbs, double(kWords * 8) / seconds_since(t0) / 1e9);
  }
  return best;
}

}  // namespace glassbox::cli
