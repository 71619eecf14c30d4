#pragma once
// Keys (after RoPE) and values of every past position, per layer, so decoding one token costs one row of
// attention instead of recomputing the whole prefix. The cache grows with the sequence (doubling, so a
// generation copies each key at most about twice), up to the length it was made for: a long --max-tokens
// costs nothing until the tokens are generated.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace glassbox {

class KVCache {
 public:
  KVCache(int64_t n_layers, int64_t max_length, int64_t kv_width)
      : max_length_(max_length), width_(kv_width), keys_(size_t(n_layers)), values_(size_t(n_layers)) {}

  int64_t length() const { return length_; }
  int64_t capacity() const { return max_length_; }  // the most positions it may ever hold
  // Makes room for `length` positions; an Error when that is beyond capacity() or memory runs out.
  // Pointers from keys()/values() are valid until the next reserve().
  void reserve(int64_t length);
  float* keys(int64_t layer, int64_t position) { return keys_[size_t(layer)].data() + position * width_; }
  float* values(int64_t layer, int64_t position) { return values_[size_t(layer)].data() + position * width_; }
  void advance(int64_t n) { length_ += n; }
  void clear() { length_ = 0; }
  size_t bytes() const { return 2 * keys_.size() * size_t(allocated_ * width_) * sizeof(float); }  // held now

 private:
  int64_t max_length_, width_, length_ = 0, allocated_ = 0;
  std::vector<std::vector<float>> keys_, values_;
};

}  // namespace glassbox
