#include "core/memory.h"

#include <sys/resource.h>

namespace glassbox {

size_t peak_rss_bytes() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return size_t(usage.ru_maxrss) * 1024;  // Linux reports kilobytes
}

}  // namespace glassbox
