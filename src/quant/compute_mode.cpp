#include "quant/compute_mode.h"

#include <atomic>

namespace glassbox {
namespace {
std::atomic<ComputeMode> mode{ComputeMode::Exact};
}  // namespace

ComputeMode compute_mode() { return mode.load(std::memory_order_relaxed); }
void set_compute_mode(ComputeMode m) { mode.store(m, std::memory_order_relaxed); }

}  // namespace glassbox
