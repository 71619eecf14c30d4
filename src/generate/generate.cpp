#include "generate/generate.h"

#include <algorithm>
#include <chrono>
#include <optional>

#include "base/error.h"
#include "core/memory.h"

namespace glassbox {

double GenerationResult::generation_tps() const {
  // Like mlx-lm: the first token belongs to the prompt phase, the rest to generation.
  return generation_seconds > 0 && ids.size() > 1 ? double(ids.size() - 1) / generation_seconds : 0;
}

namespace {
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Checks the prompt and returns how many tokens may be generated after it.
int64_t token_budget(const Model& model, std::span<const int32_t> prompt, const GenerationSettings& settings) {
  const int64_t context = model.config().max_positions;
  if (prompt.empty()) fail("the prompt is empty");
  if (int64_t(prompt.size()) > context)
    fail("prompt of " + std::to_string(prompt.size()) + " tokens is longer than the model's context (max_position_embeddings = " +
         std::to_string(context) + ")");
  model.check_ids(prompt, "prompt");
  return std::min<int64_t>(settings.max_tokens, context - int64_t(prompt.size()) + 1);
}

bool is_stop(const GenerationSettings& settings, int32_t id) {
  return std::find(settings.stop_ids.begin(), settings.stop_ids.end(), id) != settings.stop_ids.end();
}
}  // namespace

GenerationResult generate(const Model& model, std::span<const int32_t> prompt, const GenerationSettings& settings,
                          const std::function<void(int32_t)>& on_token) {
  const int64_t budget = token_budget(model, prompt, settings);

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
    if (is_stop(settings, next)) break;
    if (i + 1 == budget || cache.length() >= cache.capacity()) break;
    logits = model.forward(std::span<const int32_t>(&history.back(), 1), cache, settings.hooks);
  }
  result.generation_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.peak_memory_gb = double(peak_rss_bytes()) / 1e9;
  return result;
}

int64_t BatchResult::generated() const {
  int64_t n = 0;
  for (const auto& seq : ids) n += std::max<int64_t>(0, int64_t(seq.size()) - 1);
  return n;
}

BatchResult generate_batch(const Model& model, std::span<const std::vector<int32_t>> prompts,
                           const GenerationSettings& settings) {
  const size_t n = prompts.size();
  if (n == 0) fail("--batch must be at least 1");
  std::vector<int64_t> budget(n);
  for (size_t i = 0; i < n; ++i) budget[i] = token_budget(model, prompts[i], settings);
  BatchResult result;
  result.ids.resize(n);
  result.first_token_s.resize(n);
  result.finish_s.resize(n);
  std::vector<Sampler> samplers;
  std::vector<std::vector<int32_t>> history;
  for (size_t i = 0; i < n; ++i) {
    SamplerSettings s = settings.sampler;
    s.seed += uint64_t(i);
    samplers.emplace_back(s);
    history.emplace_back(prompts[i]);
  }

  // Each prompt is prefilled alone; one that repeats the one before (generate --batch) reuses its cache.
  const auto start = Clock::now();
  std::vector<KVCache> caches;  // of the sequences still running
  std::vector<size_t> running;  // their indices
  std::vector<int32_t> step;    // their latest tokens
  std::optional<KVCache> prefilled;
  std::vector<float> first;
  auto finish = [&](size_t i) { result.finish_s[i] = since(start); };
  for (size_t i = 0; i < n; ++i) {
    if (i == 0 || prompts[i] != prompts[i - 1]) {
      prefilled.emplace(model.new_cache(int64_t(prompts[i].size()) + budget[i]));
      first = model.forward(prompts[i], *prefilled);
      result.prompt_tokens += int64_t(prompts[i].size());
    }
    const int32_t id = samplers[i].next(first, history[i]);
    result.ids[i].push_back(id);
    history[i].push_back(id);
    result.first_token_s[i] = since(start);
    if (is_stop(settings, id) || budget[i] == 1) {
      finish(i);
      continue;
    }
    caches.push_back(*prefilled);
    running.push_back(i);
    step.push_back(id);
  }
  result.prompt_seconds = since(start);
  const auto decode_start = Clock::now();
  const int64_t vocab = model.config().vocab;
  for (int64_t t = 1; !running.empty(); ++t) {
    const std::vector<float> logits = model.decode_batch(step, caches);
    size_t kept = 0;
    for (size_t j = 0; j < running.size(); ++j) {
      const size_t i = running[j];
      const int32_t id = samplers[i].next(std::span<const float>(logits.data() + j * size_t(vocab), size_t(vocab)), history[i]);
      result.ids[i].push_back(id);
      history[i].push_back(id);
      if (is_stop(settings, id) || t + 1 == budget[i]) {
        finish(i);
        continue;
      }
      if (kept != j) caches[kept] = std::move(caches[j]);
      running[kept] = i, step[kept] = id, ++kept;
    }
    caches.erase(caches.begin() + std::ptrdiff_t(kept), caches.end());
    running.resize(kept);
    step.resize(kept);
  }
  result.generation_seconds = since(decode_start);
  result.peak_memory_gb = double(peak_rss_bytes()) / 1e9;
  return result;
}

}  // namespace glassbox
