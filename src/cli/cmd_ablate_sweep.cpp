// glassbox ablate-sweep: removes each attention head in turn (its slice of z, as --ablate does) and reports
// how much the loss on the prompt, or a logit difference between two tokens, changes: which heads matter.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "analysis/ablation_sweep.h"
#include "analysis/figures.h"
#include "base/error.h"
#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "session/capture_options.h"
#include "session/options.h"

namespace glassbox::cli {

int run_ablate_sweep(int argc, char** argv) {
  auto options = make_options("ablate-sweep", "Ablate each head in turn: the change of the loss or of a logit difference.");
  add_model_option(options);
  add_repeat_prompt_options(options);
  add_token_option(options, "target", "with --wrong: measure logit[target] - logit[wrong] at the last position instead of the loss");
  add_token_option(options, "wrong", "the competing token of --target");
  options.add_options()
      ("ablate-mode", "zero (default) or mean: replace the head's slice by its mean over positions", cxxopts::value<std::string>()->default_value("zero"))
      ("json", "print JSON");
  add_figure_options(options, "ablate-sweep");
  const auto args = parse_options(options, argc, argv);
  if (!args) return 0;

  const ModelFolder folder = open_model_folder(model_dir(*args));
  const Model& model = folder.model;
  const RepeatPrompt prompt = read_repeat_prompt(folder, *args);
  Objective objective;
  objective.target = read_token(folder, *args, "target");
  objective.wrong = read_token(folder, *args, "wrong");
  if ((objective.target >= 0) != (objective.wrong >= 0)) fail("--target and --wrong: a logit difference needs both");
  if (objective.logit_difference() && objective.target == objective.wrong) fail("--wrong: the same token as --target");
  // With a period, the loss is that of the repeated part: the tokens an induction head can predict.
  objective.loss_from = prompt.period ? prompt.period + 1 : 1;
  const std::string mode_name = (*args)["ablate-mode"].as<std::string>();
  if (mode_name != "zero" && mode_name != "mean") fail("--ablate-mode: '" + mode_name + "' is not zero or mean");
  const AblateMode mode = mode_name == "mean" ? AblateMode::mean : AblateMode::zero;
  const int64_t T = int64_t(prompt.ids.size());
  check_objective(objective, T, model.config());
  const FigureOutput figures = read_figure_output(*args, "ablate-sweep", argc, argv, model.config().dir, prompt.description);
  check_forward_fits(model, T, 0, "ablate-sweep");

  const AblationSweep sweep = ablation_sweep(model, prompt.ids, objective, mode, [](int64_t done, int64_t total) {
    show_progress("ablated heads", done, total);
  });
  const std::string what = objective.logit_difference()
                               ? "logit difference '" + token_display(folder, objective.target) + "' - '" +
                                     token_display(folder, objective.wrong) + "'"
                               : prompt.period ? "loss on the repeated tokens" : "loss on the prompt";

  if (args->count("json")) {
    nlohmann::json heads = nlohmann::json::array();
    for (int64_t l = 0; l < sweep.layers; ++l)
      for (int64_t h = 0; h < sweep.heads; ++h)
        heads.push_back({{"layer", l}, {"head", h}, {"value", sweep.baseline + sweep.at(l, h)}, {"change", sweep.at(l, h)}});
    nlohmann::json out = {{"objective", objective.logit_difference() ? "logit_difference" : "loss"},
                          {"ablate_mode", mode_name}, {"baseline", sweep.baseline}, {"heads", heads}};
    if (objective.logit_difference()) out["target_id"] = objective.target, out["wrong_id"] = objective.wrong;
    else out["loss_from"] = objective.loss_from;
    std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    std::printf("%s with every head in place: %.4f%s\n", what.c_str(), sweep.baseline, objective.logit_difference() ? "" : " nats/token");
    // A head matters when removing it hurts: the loss rises, or the logit difference falls.
    const double sign = objective.logit_difference() ? -1 : 1;
    std::vector<std::pair<int64_t, int64_t>> order;
    for (int64_t l = 0; l < sweep.layers; ++l)
      for (int64_t h = 0; h < sweep.heads; ++h) order.push_back({l, h});
    std::sort(order.begin(), order.end(), [&](auto a, auto b) {
      return sign * sweep.at(a.first, a.second) > sign * sweep.at(b.first, b.second);
    });
    std::printf("\nheads whose %s ablation hurts most:\n", mode_name.c_str());
    for (size_t i = 0; i < std::min<size_t>(8, order.size()); ++i) {
      const auto [l, h] = order[i];
      std::printf("  L%lldH%lld  %+.4f  (%.4f)\n", (long long)l, (long long)h, sweep.at(l, h), sweep.baseline + sweep.at(l, h));
    }
  }
  render::Heatmap figure = ablation_heatmap(sweep, what);
  figures.write(figure, "ablate_sweep");
  return 0;
}

}  // namespace glassbox::cli
