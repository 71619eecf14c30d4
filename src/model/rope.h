#pragma once
// Rotary position embeddings in Hugging Face's layout: dimension i of a head pairs with i + head_dim/2
// (rotate_half), not with its neighbour as in the original paper and llama2.c.
#include <cstdint>
#include <vector>

#include "model/config.h"

namespace glassbox {

class Rope {
 public:
  Rope(const RopeConfig& config, int64_t head_dim);

  // Rotates `n_heads` heads of one token's vector (head after head) to `position`.
  void apply(float* heads, int64_t n_heads, int64_t position) const;

 private:
  int64_t head_dim_;
  std::vector<double> inv_freq_;
};

}  // namespace glassbox
