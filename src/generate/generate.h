#pragma once
// The generation loop: prefill the prompt once, then decode one token at a time from the KV cache,
// timing both phases the way mlx-lm reports them.
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "generate/sampler.h"
#include "model/model.h"

namespace glassbox {

struct GenerationSettings {
  int max_tokens = 100;
  SamplerSettings sampler;
  std::vector<int32_t> stop_ids;  // generation ends after emitting one of these
  const Hooks* hooks = nullptr;   // interventions applied to the prompt and every generated token
};

struct GenerationResult {
  std::vector<int32_t> ids;          // generated tokens only
  int64_t prompt_tokens = 0;
  double prompt_seconds = 0;         // prefill and the first sampled token
  double generation_seconds = 0;     // every later token
  double peak_memory_gb = 0;

  double prompt_tps() const { return prompt_seconds > 0 ? double(prompt_tokens) / prompt_seconds : 0; }
  double generation_tps() const;
};

// Calls on_token for each generated token as soon as it is sampled. Generation stops at a stop id,
// at max_tokens, or when the model's context is full.
GenerationResult generate(const Model& model, std::span<const int32_t> prompt, const GenerationSettings& settings,
                          const std::function<void(int32_t)>& on_token = {});

// N sequences decoded together (Model::decode_batch: one read of the weights per step for all of them).
// Each prompt is prefilled alone (one that repeats the one before reuses its cache, so N continuations of one
// prompt prefill it once). Sequence i samples with seed settings.sampler.seed + i, so at a temperature above
// 0 copies of one prompt differ; each sequence stops on its own and leaves the batch.
struct BatchResult {
  std::vector<std::vector<int32_t>> ids;  // generated tokens of each sequence
  std::vector<double> first_token_s;      // per sequence, seconds from the start to its first token
  std::vector<double> finish_s;           // and to its last
  int64_t prompt_tokens = 0;              // tokens prefilled
  double prompt_seconds = 0;              // the prefills and each sequence's first token
  double generation_seconds = 0;          // every later step
  double peak_memory_gb = 0;

  int64_t generated() const;      // tokens of all sequences after their first
  double prompt_tps() const { return prompt_seconds > 0 ? double(prompt_tokens) / prompt_seconds : 0; }
  double generation_tps() const { return generation_seconds > 0 ? double(generated()) / generation_seconds : 0; }
};

BatchResult generate_batch(const Model& model, std::span<const std::vector<int32_t>> prompts,
                           const GenerationSettings& settings);

}  // namespace glassbox
