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
#include "model/capture.h"

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

  const Model model = Model::load(model_dir(*args));
  const Prompt prompt = resolve_prompt(model, *args);
  std::vector<Site> sites;
  if (args->count("names")) {
    std::stringstream list(args->operator[]("names").as<std::string>());
    for (std::string name; std::getline(list, name, ',');)
      sites.push_back(parse_site(name, model.config().n_layers, "--names"));
  } else {
    sites = all_sites(model.config().n_layers);
  }
  const int greedy = flag<int>(*args, "greedy");
  if (greedy < 0) fail("--greedy must be >= 0");

  const Capture capture = run_with_cache(model, prompt.ids, sites);

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
