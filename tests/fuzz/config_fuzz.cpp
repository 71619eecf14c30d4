// Fuzzes config.json. Whatever glassbox accepts must be usable: sizes within int32, heads that divide,
// and rotary frequencies that are finite and positive (a zero or negative theta or llama3 factor used to
// turn every activation into NaN).
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/error.h"
#include "model/config.h"
#include "model/rope.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace glassbox;
  ModelConfig c;
  try {
    c = parse_config(std::string_view(reinterpret_cast<const char*>(data), size), "config.json");
  } catch (const Error&) {
    return 0;
  }
  for (int64_t v : {c.hidden, c.intermediate, c.n_layers, c.n_heads, c.n_kv_heads, c.head_dim, c.vocab, c.max_positions})
    if (v <= 0 || v > INT32_MAX) std::abort();
  if (c.n_heads % c.n_kv_heads != 0 || c.head_dim % 2 != 0) std::abort();
  if (!(c.rms_eps >= 0) || !std::isfinite(c.rms_eps)) std::abort();
  for (int64_t id : c.eos_ids)
    if (id < 0 || id >= c.vocab) std::abort();
  // Only small heads: a real head_dim is checked against the weights before a Rope is built.
  if (c.head_dim <= 1024) {
    const Rope rope(c.rope, c.head_dim);
    float x[1024];
    for (int64_t i = 0; i < c.head_dim; ++i) x[i] = 1.0f;
    rope.apply(x, 1, c.max_positions - 1);
    for (int64_t i = 0; i < c.head_dim; ++i)
      if (!std::isfinite(x[i])) std::abort();
  }
  return 0;
}
