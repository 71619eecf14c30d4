#include "model/kv_cache.h"

#include <algorithm>
#include <new>
#include <string>

#include "base/error.h"

namespace glassbox {

void KVCache::reserve(int64_t length) {
  if (length <= allocated_) return;
  if (length > max_length_)
    fail("sequence of " + std::to_string(length) + " tokens exceeds the KV cache (" + std::to_string(max_length_) + ")");
  const int64_t grown = std::min(max_length_, std::max({length, 2 * allocated_, int64_t(64)}));
  try {
    for (auto* layers : {&keys_, &values_})
      for (std::vector<float>& layer : *layers) layer.resize(size_t(grown * width_));
  } catch (const std::bad_alloc&) {
    fail("KV cache: out of memory growing to " + std::to_string(grown) + " positions (" +
         std::to_string(2 * keys_.size() * size_t(grown * width_) * sizeof(float) >> 20) + " MiB)");
  }
  allocated_ = grown;
}

}  // namespace glassbox
