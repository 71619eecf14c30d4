#pragma once
// Group-wise affine quantization as MLX computes it (mx.quantize, mode "affine"), so a checkpoint glassbox
// writes is one mlx-lm would write and vice versa. Per group of `group_size` values along a row:
//   edge  = whichever of min and max has the larger magnitude (the ends may not both be representable;
//           MLX keeps the larger one exact),
//   scale = (max - min) / (2^bits - 1), at least 1e-7, negated when edge is the max,
//   q0    = round(edge / scale); if q0 != 0 then scale = edge / q0 and bias = edge, else bias = 0,
//   code  = clamp(round((w - bias) / scale), 0, 2^bits - 1), and a weight reads back as scale * code + bias.
// Snapping scale to edge / q0 makes 0.0 exactly representable (code -q0 reads back as 0). The price: the range
// can end short of the far extreme by up to one step, so a value there may be off by up to |scale|, while
// every value inside the range is within |scale| / 2.
// Differences from MLX: MLX computes in the model's dtype (bf16 for a bf16 model); we compute in f32, round
// scale and bias to `scale_dtype` first, and pick codes against the rounded values, so that what is stored
// is the best code for what is read back.
#include <cstdint>
#include <vector>

#include "core/dtype.h"

namespace glassbox {

struct QuantizedMatrix {
  std::vector<unsigned char> codes;  // [rows, cols * bits / 32] uint32 words, little-endian
  std::vector<unsigned char> scales, biases;  // [rows, cols / group_size] of scale_dtype
};

// W [rows, cols] row-major f32; cols must be a multiple of group_size and cols * bits of 32.
QuantizedMatrix quantize(const float* w, int64_t rows, int64_t cols, int bits, int group_size, DType scale_dtype);

}  // namespace glassbox
