#pragma once
// Memory bandwidth as decode sees it: the weights stream from DRAM once per token, so read bandwidth over
// weight bytes per token is the speed no decoder can beat on this machine.

namespace glassbox::cli {

struct Bandwidth {
  double read_gbs = 0;  // GB/s summing a buffer far larger than the caches, on every OpenMP thread
  double copy_gbs = 0;  // GB/s of bytes copied (each read once and written once)
};

// Takes about a second; allocates 2 x 512 MiB, so bench runs it in a child process to keep its peak RSS clean.
Bandwidth measure_bandwidth();

}  // namespace glassbox::cli
