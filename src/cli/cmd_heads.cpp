// glassbox heads: the head census. Per attention head, how much of its attention goes to the previous
// token, to the first token and, on a prompt that repeats, to the earlier copy of the current token
// (duplicate) and to the token after it (induction): TransformerLens' head detector.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "analysis/figures.h"
#include "analysis/head_census.h"
#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "session/capture_options.h"
#include "session/options.h"

namespace glassbox::cli {
namespace {

constexpr size_t kStrongest = 8;  // heads listed per score in the text output

nlohmann::json score_json(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

}  // namespace

int run_heads(int argc, char** argv) {
  auto options = make_options("heads", "Head census: previous-token, first-token, duplicate and induction scores of every head.");
  add_model_option(options);
  add_repeat_prompt_options(options);
  options.add_options()("json", "print JSON: {\"heads\": [{\"layer\", \"head\", \"previous_token\", ...}]}");
  add_figure_options(options, "heads");
  const auto args = parse_options(options, argc, argv);
  if (!args) return 0;

  const ModelFolder folder = open_model_folder(model_dir(*args));
  const Model& model = folder.model;
  const RepeatPrompt prompt = read_repeat_prompt(folder, *args);
  const FigureOutput figures = read_figure_output(*args, "heads", argc, argv, model.config().dir, prompt.description);
  const int64_t T = int64_t(prompt.ids.size());
  check_forward_fits(model, T, 0, "heads");
  const std::vector<HeadScores> census = head_census(model, prompt.ids, prompt.period);
  const int64_t layers = model.config().n_layers, heads = model.config().n_heads;

  if (args->count("json")) {
    nlohmann::json list = nlohmann::json::array();
    for (const HeadScores& h : census)
      list.push_back({{"layer", h.layer}, {"head", h.head}, {"previous_token", h.previous_token},
                      {"first_token", h.first_token}, {"duplicate", score_json(h.duplicate)},
                      {"induction", score_json(h.induction)}});
    std::printf("%s\n", nlohmann::json{{"heads", list}}.dump().c_str());
  } else {
    std::printf("head census of %lld layers x %lld heads on %lld tokens: %s%s\n", (long long)layers, (long long)heads,
                (long long)T, prompt.description.c_str(),
                prompt.period ? (", period " + std::to_string(prompt.period)).c_str() : " (no --period: no duplicate or induction scores)");
    std::printf("a score is the mean attention weight on the pattern's position; 1 = the head does only that\n");
  }
  for (HeadScore score : kHeadScores) {
    if (!head_score(census[0], score) || args->count("json")) continue;
    std::vector<const HeadScores*> order;
    for (const HeadScores& h : census) order.push_back(&h);
    std::stable_sort(order.begin(), order.end(), [&](auto* a, auto* b) { return *head_score(*a, score) > *head_score(*b, score); });
    std::printf("%s%-15s", score == HeadScore::previous_token ? "\n" : "", head_score_name(score));
    for (size_t i = 0; i < std::min(kStrongest, order.size()); ++i)
      std::printf("  L%lldH%lld %.2f", (long long)order[i]->layer, (long long)order[i]->head, *head_score(*order[i], score));
    std::printf("\n");
  }
  if (!args->count("json")) std::printf("\n");
  for (HeadScore score : kHeadScores) {
    if (!head_score(census[0], score)) continue;
    render::Heatmap figure = head_score_heatmap(census, score, layers, heads);
    figure.subtitle += " (" + prompt.description + ")";
    figures.write(figure, head_score_name(score));
  }
  return 0;
}

}  // namespace glassbox::cli
