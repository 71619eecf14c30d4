#include "model/rope.h"

#include <cmath>
#include <numbers>

namespace glassbox {

// inv_freq stays float32 whatever the checkpoint's dtype: transformers keeps the buffer in float32 for every
// load dtype, and mlx-lm and llama.cpp compute the frequencies in float32 too.
Rope::Rope(const RopeConfig& c, int64_t head_dim) : head_dim_(head_dim) {
  const int64_t half = head_dim / 2;
  for (int64_t i = 0; i < half; ++i) {
    // transformers computes inv_freq in float32; rounding through float keeps our angles identical.
    inv_freq_.push_back(float(1.0 / std::pow(c.theta, double(2 * i) / double(head_dim))));
  }
  if (c.type == RopeType::Llama3) {
    // Llama 3.1: keep high frequencies, divide low ones by `factor`, blend smoothly in between.
    const double low_wavelen = double(c.original_max_position) / c.low_freq_factor;
    const double high_wavelen = double(c.original_max_position) / c.high_freq_factor;
    for (double& f : inv_freq_) {
      const double wavelen = 2.0 * std::numbers::pi / f;
      if (wavelen > low_wavelen) {
        f = float(f / c.factor);
      } else if (wavelen >= high_wavelen) {
        const double smooth = (double(c.original_max_position) / wavelen - c.low_freq_factor) /
                              (c.high_freq_factor - c.low_freq_factor);
        f = float((1.0 - smooth) * f / c.factor + smooth * f);
      }
    }
  }
}

void Rope::apply(float* heads, int64_t n_heads, int64_t position) const {
  const int64_t half = head_dim_ / 2;
  for (int64_t i = 0; i < half; ++i) {
    // transformers forms the angle as float32(position) * float32(inv_freq) before cos/sin.
    const float angle = float(position) * float(inv_freq_[size_t(i)]);
    const float c = std::cos(angle), s = std::sin(angle);
    for (int64_t h = 0; h < n_heads; ++h) {
      float* x = heads + h * head_dim_;
      const float a = x[i], b = x[i + half];
      x[i] = a * c - b * s;
      x[i + half] = b * c + a * s;
    }
  }
}

}  // namespace glassbox
