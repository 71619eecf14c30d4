// glassbox dump: one forward pass, its named activations written to safetensors under the fixture names,
// so any tool that reads safetensors (numpy, torch) can compare them with Hugging Face's. The intervention
// flags apply to the pass, so dump also shows what an ablation, a patch or a steer did to each activation.
#include <algorithm>
#include <cstdio>

#include "base/error.h"
#include "cli/commands.h"
#include "core/safetensors.h"
#include "generate/generate.h"
#include "session/capture_options.h"
#include "session/interventions.h"
#include "session/options.h"
#include "session/prompt.h"

namespace glassbox::cli {

int run_dump(int argc, char** argv) {
  auto options = make_options("dump", "Write named activations of one forward pass to a safetensors file.");
  add_model_option(options);
  add_prompt_options(options);
  add_capture_options(options);
  add_intervention_options(options);
  options.add_options()
      ("greedy", "also write greedy_ids: N greedy tokens after the prompt", cxxopts::value<std::string>()->default_value("0"))
      ("out", "output .safetensors file", cxxopts::value<std::string>());
  const auto args = parse_options(options, argc, argv);
  if (!args) return 0;
  if (!args->count("out")) fail("--out: no output file given");

  const ModelFolder folder = open_model_folder(model_dir(*args));
  const Model& model = folder.model;
  const Prompt prompt = resolve_prompt(folder, *args);
  const CaptureRequest request = read_capture_request(model, *args);
  const int greedy = flag<int>(*args, "greedy");
  if (greedy < 0) fail("--greedy must be >= 0");

  // Writing turns one recorded tensor at a time into the file's bytes: the largest is the extra room.
  const int64_t T = int64_t(prompt.ids.size());
  const int64_t heads = request.heads.empty() ? model.config().n_heads : int64_t(request.heads.size());
  int64_t largest = 0;
  for (const Site& site : request.sites) largest = std::max(largest, capture_bytes({site}, heads, model.config(), T, T));
  check_capture_fits(model, request, T, largest, "dump");
  const Hooks interventions = intervention_hooks(model, prompt, *args);
  const Hooks* hooks = interventions.empty() ? nullptr : &interventions;
  Capture capture = run_with_cache(model, prompt.ids, request.sites, hooks, request.heads);

  std::vector<OwnedTensor> tensors;
  for (auto& [name, t] : capture.take()) {
    tensors.push_back(OwnedTensor::f32(name, t.shape, t.values.data()));
    std::vector<float>().swap(t.values);
  }
  tensors.push_back(OwnedTensor::i64("input_ids", std::vector<int64_t>(prompt.ids.begin(), prompt.ids.end())));
  if (greedy > 0) {
    GenerationSettings settings;
    settings.max_tokens = greedy;
    settings.hooks = hooks;
    const GenerationResult r = generate(model, prompt.ids, settings);
    tensors.push_back(OwnedTensor::i64("greedy_ids", std::vector<int64_t>(r.ids.begin(), r.ids.end())));
  }
  std::map<std::string, std::string> metadata{{"model", model.config().dir.string()}};
  if (!request.heads.empty()) {
    std::string heads;
    for (int64_t h : request.heads) heads += (heads.empty() ? "" : ",") + std::to_string(h);
    metadata["attention_heads"] = heads;  // the query heads attn_scores/attn_probs hold, in order
  }
  const std::string out = args->operator[]("out").as<std::string>();
  write_safetensors(out, tensors, metadata);
  std::printf("wrote %zu tensors to %s\n", tensors.size(), out.c_str());
  return 0;
}

}  // namespace glassbox::cli
