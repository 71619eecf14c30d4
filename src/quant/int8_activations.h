#pragma once
// The fast compute mode's activations: rows of f32 rounded to int8 per block of 32 values, in the layout
// the int8 kernels read (kernels.h, Int8Rows).
#include <cstdint>
#include <vector>

#include "quant/kernels.h"

namespace glassbox {

// Position of column i's code within its block of 32 for weights of `bits` bits (4-bit codes unpack as the
// block's even columns, then its odd ones).
inline int64_t int8_position(int64_t i, int bits) {
  if (bits != 4) return i;
  const int64_t j = i % kInt8Block;
  return i - j + (j % 2) * (kInt8Block / 2) + j / 2;
}

class Int8Activations {
 public:
  // x: [n, cols] row-major; cols must be a multiple of group_size, itself a multiple of 32.
  Int8Activations(const float* x, int64_t n, int64_t cols, int bits, int group_size);
  Int8Activations(const Int8Activations&) = delete;
  Int8Activations& operator=(const Int8Activations&) = delete;
  const Int8Rows& rows() const { return rows_; }

 private:
  std::vector<int8_t> codes_;
  std::vector<float> scales_, sums_, code_sums_;
  Int8Rows rows_;
};

}  // namespace glassbox
