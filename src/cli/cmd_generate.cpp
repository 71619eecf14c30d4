// glassbox generate: stream a continuation and report speed like mlx-lm's generate.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "session/interventions.h"
#include "session/options.h"
#include "session/prompt.h"
#include "session/sampling_options.h"
#include "generate/generate.h"
#include "quant/compute_mode.h"

namespace glassbox::cli {
namespace {

int print_batch(const Prompt& prompt, const BatchResult& r, bool json) {
  if (json) {
    nlohmann::json seqs = nlohmann::json::array();
    for (const auto& ids : r.ids) seqs.push_back({{"ids", ids}, {"text", prompt.decode(ids)}});
    nlohmann::json out = {{"sequences", seqs}, {"n_seqs", r.ids.size()}, {"prompt_tps", r.prompt_tps()},
                          {"generation_tps", r.generation_tps()}, {"peak_memory_gb", r.peak_memory_gb}};
    std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  for (size_t i = 0; i < r.ids.size(); ++i)
    std::printf("========== sequence %zu of %zu\n%s\n", i + 1, r.ids.size(), prompt.decode(r.ids[i]).c_str());
  std::printf("==========\n");
  std::printf("Prompt: %lld tokens, %.3f tokens-per-sec\n", (long long)r.prompt_tokens, r.prompt_tps());
  std::printf("Generation: %zu sequences, %lld tokens after their first, %.3f tokens-per-sec (all sequences)\n",
              r.ids.size(), (long long)r.generated(), r.generation_tps());
  std::printf("Peak memory: %.3f GB\n", r.peak_memory_gb);
  return 0;
}

}  // namespace

int run_generate(int argc, char** argv) {
  auto options = make_options("generate", "Stream a continuation of a prompt, with tokens/sec and peak memory.");
  add_model_option(options);
  add_prompt_options(options);
  add_intervention_options(options);
  options.add_options()
      ("max-tokens", "tokens to generate", cxxopts::value<std::string>()->default_value("100"))
      ("batch", "N continuations of the prompt decoded together, one read of the weights per step for all N "
                "(sequence i samples with seed + i); printed when all are done", cxxopts::value<std::string>()->default_value("1"))
      ("fast", "fast compute mode: int8 activations with 4/8-bit weights (see docs/quantization.md)")
      ("json", "print one JSON object instead of streaming text");
  add_sampling_options(options);
  const auto args = parse_options(options, argc, argv);
  if (!args) return 0;

  if (args->count("fast")) set_compute_mode(ComputeMode::Fast);
  const ModelFolder folder = open_model_folder(model_dir(*args));
  const Model& model = folder.model;
  const Prompt prompt = resolve_prompt(folder, *args);
  GenerationSettings settings;
  settings.max_tokens = flag<int>(*args, "max-tokens");
  if (settings.max_tokens < 1) fail("--max-tokens must be at least 1");
  try {
    model.new_cache(int64_t(prompt.ids.size()) + settings.max_tokens);  // refuses, up front, what cannot fit
  } catch (const Error& e) {
    fail("--max-tokens " + std::to_string(settings.max_tokens) + ": " + e.what());
  }
  settings.sampler = sampling_settings(*args);
  settings.stop_ids = folder.stop_ids;
  const Hooks hooks = intervention_hooks(model, prompt, *args);
  if (!hooks.empty()) settings.hooks = &hooks;
  const bool json = args->count("json") > 0;
  const int64_t batch = flag<int64_t>(*args, "batch");
  if (batch < 1 || batch > 256) fail("--batch: must be from 1 to 256");
  // The batched step (Model::decode_batch) has no hook points; one sequence at a time has them all.
  if (batch > 1 && !hooks.empty()) fail("--batch: interventions (--ablate, --patch, --steer) need --batch 1");
  if (batch > 1) {
    const std::vector<std::vector<int32_t>> prompts(size_t(batch), prompt.ids);
    return print_batch(prompt, generate_batch(model, prompts, settings), json);
  }

  TextStream stream(prompt);
  if (!json) std::printf("==========\n");
  const GenerationResult r = generate(model, prompt.ids, settings, [&](int32_t id) {
    if (json) return;
    std::fputs(stream.push(id).c_str(), stdout);
    std::fflush(stdout);
  });
  if (json) {
    nlohmann::json out = {{"ids", r.ids}, {"text", prompt.decode(r.ids)}, {"prompt_tps", r.prompt_tps()},
                          {"generation_tps", r.generation_tps()}, {"peak_memory_gb", r.peak_memory_gb}};
    std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  std::printf("%s\n==========\n", stream.flush().c_str());
  std::printf("Prompt: %lld tokens, %.3f tokens-per-sec\n", (long long)r.prompt_tokens, r.prompt_tps());
  std::printf("Generation: %zu tokens, %.3f tokens-per-sec\n", r.ids.size(), r.generation_tps());
  std::printf("Peak memory: %.3f GB\n", r.peak_memory_gb);
  return 0;
}

}  // namespace glassbox::cli
