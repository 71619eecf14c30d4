// glassbox dump: one forward pass, its named activations written to safetensors under the fixture names,
// so any tool that reads safetensors (numpy, torch) can compare them with Hugging Face's.
#include <algorithm>
#include <cstdio>
#include <set>
#include <sstream>

#include "cli/commands.h"
#include "session/options.h"
#include "session/prompt.h"
#include "base/error.h"
#include "core/safetensors.h"
#include "generate/generate.h"

namespace glassbox::cli {

int run_dump(int argc, char** argv) {
  auto options = make_options("dump", "Write named activations of one forward pass to a safetensors file.");
  add_model_option(options);
  add_prompt_options(options);
  options.add_options()
      ("names", "comma-separated activations (default: all), e.g. embed,q.0,attn_probs.0,logits", cxxopts::value<std::string>())
      ("greedy", "also write greedy_ids: N greedy tokens after the prompt", cxxopts::value<std::string>()->default_value("0"))
      ("out", "output .safetensors file", cxxopts::value<std::string>());
  const auto args = parse_options(options, argc, argv);
  if (!args) return 0;
  if (!args->count("out")) fail("--out: no output file given");

  const ModelFolder folder = open_model_folder(model_dir(*args));
  const Model& model = folder.model;
  const Prompt prompt = resolve_prompt(folder, *args);
  const std::vector<std::string> known = activation_names(model.config().n_layers);
  std::set<std::string> names;
  if (args->count("names")) {
    std::stringstream list(args->operator[]("names").as<std::string>());
    for (std::string name; std::getline(list, name, ',');) {
      if (std::find(known.begin(), known.end(), name) == known.end())
        fail("--names: unknown activation '" + name + "' (known: embed, q.L, k.L, v.L, attn_probs.L, attn_out.L, "
             "mlp_out.L, resid_post.L, final_norm, logits with L in 0.." + std::to_string(model.config().n_layers - 1) + ")");
      names.insert(name);
    }
  }
  const int greedy = flag<int>(*args, "greedy");
  if (greedy < 0) fail("--greedy must be >= 0");

  Capture capture(names);
  KVCache cache = model.new_cache(int64_t(prompt.ids.size()));
  model.forward(prompt.ids, cache, &capture);

  std::vector<OwnedTensor> tensors;
  for (const auto& [name, t] : capture.tensors()) tensors.push_back(OwnedTensor::f32(name, t.shape, t.values.data()));
  tensors.push_back(OwnedTensor::i64("input_ids", std::vector<int64_t>(prompt.ids.begin(), prompt.ids.end())));
  if (greedy > 0) {
    GenerationSettings settings;
    settings.max_tokens = greedy;
    const GenerationResult r = generate(model, prompt.ids, settings);
    tensors.push_back(OwnedTensor::i64("greedy_ids", std::vector<int64_t>(r.ids.begin(), r.ids.end())));
  }
  const std::string out = args->operator[]("out").as<std::string>();
  write_safetensors(out, tensors, {{"model", model.config().dir.string()}});
  std::printf("wrote %zu tensors to %s\n", tensors.size(), out.c_str());
  return 0;
}

}  // namespace glassbox::cli
