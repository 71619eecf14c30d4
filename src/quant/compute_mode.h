#pragma once
// How Linear multiplies. Exact, the default, computes in f32 from the stored weights: what every inspection
// command and parity test uses, equal to transformers up to f32 rounding. Fast rounds the activations to
// int8 per block of 32 (as llama.cpp's Q8_0) and multiplies them with 4- and 8-bit weights in integers:
// faster, and off from exact by the drift that bench --json and lesson 08 measure. Weights in float dtypes
// compute exactly in both modes.
namespace glassbox {

enum class ComputeMode { Exact, Fast };

ComputeMode compute_mode();
// Process-wide, like torch.set_float32_matmul_precision: set it before computing, not during.
void set_compute_mode(ComputeMode mode);

// Sets a mode for the lifetime of the scope, then restores the previous one.
class ComputeModeScope {
 public:
  explicit ComputeModeScope(ComputeMode mode) : previous_(compute_mode()) { set_compute_mode(mode); }
  ~ComputeModeScope() { set_compute_mode(previous_); }
  ComputeModeScope(const ComputeModeScope&) = delete;
  ComputeModeScope& operator=(const ComputeModeScope&) = delete;

 private:
  ComputeMode previous_;
};

}  // namespace glassbox
