#include "core/openmp_tuning.h"

#include <unistd.h>

#include <cstdlib>

namespace glassbox {

void tune_openmp_waiting(char** argv) {
  if (std::getenv("GOMP_SPINCOUNT") || std::getenv("OMP_WAIT_POLICY")) return;
  setenv("GOMP_SPINCOUNT", "20000", 1);
  execv("/proc/self/exe", argv);  // returns only on failure; then run on with the defaults
}

}  // namespace glassbox
