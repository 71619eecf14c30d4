// glassbox lens: the logit lens. Each layer's residual stream is read out through the final norm and the
// unembedding as if it were the last layer: what would the model predict at each position if it stopped
// there? Prints the grid and a target token's probability and rank layer by layer; draws both.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "analysis/figures.h"
#include "analysis/lens.h"
#include "base/columns.h"
#include "base/error.h"
#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "session/capture_options.h"
#include "session/options.h"
#include "session/prompt.h"

namespace glassbox::cli {

int run_lens(int argc, char** argv) {
  auto options = make_options("lens", "The logit lens: the next token each layer would predict, at every position.");
  add_model_option(options);
  add_plain_prompt_options(options);
  add_token_option(options, "target", "the token to follow through the layers (default: the model's prediction)");
  options.add_options()
      ("position", "the position whose target is followed (negative counts from the end)", cxxopts::value<std::string>()->default_value("-1"))
      ("measure", "what the line chart shows: probability or rank", cxxopts::value<std::string>()->default_value("probability"))
      ("json", "print JSON");
  add_figure_options(options, "lens");
  const auto args = parse_options(options, argc, argv);
  if (!args) return 0;

  const ModelFolder folder = open_model_folder(model_dir(*args));
  const Model& model = folder.model;
  const PlainPrompt plain = read_plain_prompt(folder, *args);
  const Prompt prompt{plain.ids, folder.tokenizer};  // for showing tokens
  const std::string measure_name = (*args)["measure"].as<std::string>();
  if (measure_name != "probability" && measure_name != "rank")
    fail("--measure: '" + measure_name + "' is not probability or rank");
  const int64_t T = int64_t(prompt.ids.size());
  int64_t position = flag<int64_t>(*args, "position");
  if (position < -T || position >= T)
    fail("--position " + std::to_string(position) + " is outside the prompt of " + std::to_string(T) + " tokens");
  if (position < 0) position += T;
  int32_t target = read_token(folder, *args, "target");
  const FigureOutput figures = read_figure_output(*args, "lens", argc, argv, model.config().dir, plain.text);
  check_forward_fits(model, T, 0, "lens");

  if (target < 0) {  // follow what the model finally predicts there: at which layer does that answer appear?
    KVCache cache = model.new_cache(position + 1);
    const std::vector<float> logits = model.forward(std::span(prompt.ids).first(size_t(position + 1)), cache);
    target = int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin());
  }
  const LensGrid grid = logit_lens(model, prompt.ids, target);
  const int64_t L = grid.layers;
  auto text = [&](int32_t id) { return token_bytes(folder, id); };
  auto save_figures = [&] {
    std::vector<std::string> inputs;
    for (int32_t id : prompt.ids) inputs.push_back(text(id));
    figures.write(lens_heatmap(grid, inputs, text), "lens");
    const LensMeasure measure = measure_name == "rank" ? LensMeasure::rank : LensMeasure::probability;
    figures.write(lens_target_chart(grid, position, measure, text(target), inputs[size_t(position)]), "target");
  };

  if (args->count("json")) {
    nlohmann::json tokens = nlohmann::json::array(), layers = nlohmann::json::array();
    for (int64_t t = 0; t < T; ++t)
      tokens.push_back({{"position", t}, {"id", prompt.ids[size_t(t)]}, {"token", prompt.decode({prompt.ids[size_t(t)]})}});
    nlohmann::json probs = nlohmann::json::array(), ranks = nlohmann::json::array();
    for (int64_t l = 0; l < L; ++l) {
      nlohmann::json top = nlohmann::json::array();
      for (int64_t t = 0; t < T; ++t) {
        const int32_t id = grid.top_id[grid.at(l, t)];
        top.push_back({{"id", id}, {"token", prompt.decode({id})}, {"prob", grid.top_prob[grid.at(l, t)]}});
      }
      layers.push_back({{"layer", l}, {"top", top}});
      probs.push_back(grid.target_prob[grid.at(l, position)]);
      ranks.push_back(grid.target_rank[grid.at(l, position)]);
    }
    const nlohmann::json out = {{"tokens", tokens}, {"layers", layers},
                                {"target", {{"id", target}, {"token", prompt.decode({target})}, {"position", position},
                                            {"prob", probs}, {"rank", ranks}}}};
    std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    save_figures();
    return 0;
  }

  constexpr int kColumn = 11;
  std::printf("\nthe next token each layer would predict (rows: positions; columns: layers, %lld = the output):\n\n",
              (long long)(L - 1));
  auto print_row = [](std::string line) { std::printf("%s\n", line.erase(line.find_last_not_of(' ') + 1).c_str()); };
  std::string header = " pos  " + pad_columns("input", kColumn);
  for (int64_t l = 0; l < L; ++l) header += " " + pad_columns("layer " + std::to_string(l), kColumn);
  print_row(header);
  for (int64_t t = 0; t < T; ++t) {
    char pos[32];
    std::snprintf(pos, sizeof pos, "%4lld  ", (long long)t);
    std::string row = pos + pad_columns(prompt.display(prompt.ids[size_t(t)]), kColumn);
    for (int64_t l = 0; l < L; ++l) row += " " + pad_columns(prompt.display(grid.top_id[grid.at(l, t)]), kColumn);
    print_row(row);
  }
  std::printf("\nat position %lld (%s): target %s (id %d)\n\n", (long long)position,
              prompt.display(prompt.ids[size_t(position)]).c_str(), prompt.display(target).c_str(), target);
  std::printf("%5s  %s %7s  %11s %10s\n", "layer", pad_columns("top token", 16).c_str(), "prob", "target prob", "rank");
  for (int64_t l = 0; l < L; ++l) {
    const size_t cell = grid.at(l, position);
    std::printf("%5lld  %s %7.4f  %11.6f %10lld\n", (long long)l, pad_columns(prompt.display(grid.top_id[cell]), 16).c_str(),
                grid.top_prob[cell], grid.target_prob[cell], (long long)grid.target_rank[cell]);
  }
  std::printf("\n");
  save_figures();
  return 0;
}

}  // namespace glassbox::cli
