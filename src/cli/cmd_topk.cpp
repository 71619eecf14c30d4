// glassbox topk: the next-token distribution at one position, as a table or JSON.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "session/options.h"
#include "session/prompt.h"
#include "generate/sampler.h"
#include "model/model.h"

namespace glassbox::cli {

int run_topk(int argc, char** argv) {
  auto options = make_options("topk", "The most likely next tokens after a prompt, with probabilities and entropy.");
  add_model_option(options);
  add_prompt_options(options);
  options.add_options()
      ("k", "how many tokens to list", cxxopts::value<std::string>()->default_value("10"))
      ("position", "which prompt position predicts (negative counts from the end)", cxxopts::value<std::string>()->default_value("-1"))
      ("json", "print JSON");
  const auto args = parse_options(options, argc, argv);
  if (!args) return 0;

  const ModelFolder folder = open_model_folder(model_dir(*args));
  const Model& model = folder.model;
  const Prompt prompt = resolve_prompt(folder, *args);
  const int k = flag<int>(*args, "k");
  if (k < 1) fail("--k must be at least 1");
  const int64_t n = int64_t(prompt.ids.size());
  int64_t position = flag<int>(*args, "position");
  if (position < -n || position >= n)
    fail("--position " + std::to_string(position) + " is outside the prompt of " + std::to_string(n) + " tokens");
  if (position < 0) position += n;

  // Only the prefix up to `position` matters for its prediction (attention is causal).
  KVCache cache = model.new_cache(position + 1);
  const std::vector<float> logits = model.forward(std::span(prompt.ids).first(size_t(position + 1)), cache);
  const std::vector<double> p = softmax(logits);
  const double h = entropy(p);
  const std::vector<int32_t> order = top_indices(p, size_t(k));
  const size_t shown = order.size();

  if (args->count("json")) {
    nlohmann::json top = nlohmann::json::array();
    for (size_t r = 0; r < shown; ++r) {
      const int32_t id = order[r];
      top.push_back({{"rank", r + 1}, {"id", id}, {"token", prompt.decode({id})}, {"prob", p[size_t(id)]},
                     {"logit", logits[size_t(id)]}});
    }
    nlohmann::json out = {{"position", position}, {"entropy", h}, {"top", top}};
    std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  std::printf("next token after position %lld (entropy %.3f nats = %.3f bits)\n\n", (long long)position, h, h / std::log(2.0));
  std::printf("%4s  %7s  %-20s  %9s  %9s\n", "rank", "id", "token", "prob", "logit");
  for (size_t r = 0; r < shown; ++r) {
    const int32_t id = order[r];
    std::printf("%4zu  %7d  %-20s  %9.5f  %9.4f\n", r + 1, id, prompt.display(id).c_str(), p[size_t(id)],
                logits[size_t(id)]);
  }
  return 0;
}

}  // namespace glassbox::cli
