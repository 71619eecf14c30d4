#pragma once
// Keys (after RoPE) and values of every past position, per layer, so decoding one token costs one row of
// attention instead of recomputing the whole prefix.
#include <cstdint>
#include <vector>

namespace glassbox {

class KVCache {
 public:
  KVCache(int64_t n_layers, int64_t capacity, int64_t kv_width)
      : capacity_(capacity), width_(kv_width),
        keys_(size_t(n_layers), std::vector<float>(size_t(capacity * kv_width))),
        values_(size_t(n_layers), std::vector<float>(size_t(capacity * kv_width))) {}

  int64_t length() const { return length_; }
  int64_t capacity() const { return capacity_; }
  float* keys(int64_t layer, int64_t position) { return keys_[size_t(layer)].data() + position * width_; }
  float* values(int64_t layer, int64_t position) { return values_[size_t(layer)].data() + position * width_; }
  void advance(int64_t n) { length_ += n; }
  void clear() { length_ = 0; }
  size_t bytes() const { return 2 * keys_.size() * size_t(capacity_ * width_) * sizeof(float); }

 private:
  int64_t capacity_, width_, length_ = 0;
  std::vector<std::vector<float>> keys_, values_;
};

}  // namespace glassbox
