#pragma once
// Sizes that come from files (config.json, safetensors headers) multiply without wrapping around: a product
// that does not fit is an Error naming what was being computed, never a small number that passes the checks.
#include <cstdint>
#include <string>

#include "base/error.h"

namespace glassbox {

// a * b for non-negative a and b; `what` names the quantity ("num_attention_heads x head_dim").
inline int64_t checked_mul(int64_t a, int64_t b, const char* what) {
  int64_t r;
  if (a < 0 || b < 0 || __builtin_mul_overflow(a, b, &r))
    fail(std::string(what) + ": " + std::to_string(a) + " x " + std::to_string(b) + " is too large");
  return r;
}

}  // namespace glassbox
