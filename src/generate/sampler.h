#pragma once
// Turns logits into the next token the way mlx-lm and llama.cpp do: repetition penalty on recent tokens,
// then greedy at temperature 0, else top-k, top-p and min-p filtering of the tempered distribution and a
// draw from a seeded generator, so the same seed and settings always give the same tokens.
#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace glassbox {

struct SamplerSettings {
  float temperature = 0.0f;        // 0: greedy
  int top_k = 0;                   // 0: off
  float top_p = 1.0f;              // 1: off
  float min_p = 0.0f;              // 0: off
  float repetition_penalty = 1.0f; // 1: off
  int repetition_window = 20;      // how many recent tokens the penalty looks at (mlx-lm's default)
  uint64_t seed = 0;
};

// Checks ranges; throws an Error naming the flag (--temp, --top-k, ...) that is out of range.
void validate(const SamplerSettings& s);

// Softmax of logits / temperature (temperature > 0), computed stably in double.
std::vector<double> softmax(std::span<const float> logits, double temperature = 1.0);

// Entropy of a distribution in nats (divide by ln 2 for bits).
double entropy(const std::vector<double>& p);

// Indices of the k largest probabilities, largest first.
std::vector<int32_t> top_indices(const std::vector<double>& p, size_t k);

class Sampler {
 public:
  explicit Sampler(const SamplerSettings& settings);

  // `history` is every token so far (prompt and generated); only its tail feeds the repetition penalty.
  int32_t next(std::span<const float> logits, std::span<const int32_t> history);

 private:
  SamplerSettings settings_;
  std::mt19937_64 rng_;
  std::vector<float> scratch_;
};

}  // namespace glassbox
