#include "generate/generate.h"

#include <algorithm>
#include <chrono>

#include "base/error.h"
#include "core/memory.h"

namespace glassbox {

double GenerationResult::generation_tps() const {
  // Like mlx-lm: the first token belongs to the prompt phase, the rest to generation.
  return generation_seconds > 0 && ids.size() > 1 ? double(ids.size() - 1) / generation_seconds : 0;
}

GenerationResult generate(const Model& model, std::span<const int32_t> prompt, const GenerationSettings& settings,
                          const std::function<void(int32_t)>& on_token) {
  using Clock = std::chrono::steady_clock;
  const int64_t context = model.config().max_positions;
  if (prompt.empty()) fail("the prompt is empty");
  if (int64_t(prompt.size()) > context)
    fail("prompt of " + std::to_string(prompt.size()) + " tokens is longer than the model's context (max_position_embeddings = " +
         std::to_string(context) + ")");
  model.check_ids(prompt, "prompt");
  const int64_t budget = std::min<int64_t>(settings.max_tokens, context - int64_t(prompt.size()) + 1);

  GenerationResult result;
  result.prompt_tokens = int64_t(prompt.size());
  Sampler sampler(settings.sampler);
  std::vector<int32_t> history(prompt.begin(), prompt.end());
  KVCache cache = model.new_cache(int64_t(prompt.size()) + budget);

  auto start = Clock::now();
  std::vector<float> logits = model.forward(prompt, cache, settings.hooks);
  for (int64_t i = 0; i < budget; ++i) {
    const int32_t next = sampler.next(logits, history);
    const auto now = Clock::now();
    if (i == 0) result.prompt_seconds = std::chrono::duration<double>(now - start).count(), start = now;
    result.ids.push_back(next);
    history.push_back(next);
    if (on_token) on_token(next);
    if (std::find(settings.stop_ids.begin(), settings.stop_ids.end(), next) != settings.stop_ids.end()) break;
    if (i + 1 == budget || cache.length() >= cache.capacity()) break;
    logits = model.forward(std::span<const int32_t>(&history.back(), 1), cache, settings.hooks);
  }
  result.generation_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.peak_memory_gb = double(peak_rss_bytes()) / 1e9;
  return result;
}

}  // namespace glassbox
