// glassbox patch-sweep: activation patching. The clean prompt gives the answer (--target), the corrupt one,
// differing in a word or two, does not. Patch one layer's activation at one position from the clean run
// into the corrupt run, for every (layer, position), and see where the answer comes back: which layer and
// position carry the fact.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "analysis/figures.h"
#include "analysis/patch_sweep.h"
#include "base/columns.h"
#include "base/error.h"
#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "session/capture_options.h"
#include "session/options.h"

namespace glassbox::cli {

int run_patch_sweep(int argc, char** argv) {
  auto options = make_options("patch-sweep", "Patch each (layer, position) from a clean run into a corrupt one: where does the answer come back?");
  add_model_option(options);
  options.add_options()
      ("clean", "the prompt that gives the answer (plain text)", cxxopts::value<std::string>())
      ("clean-ids", "--clean as token ids", cxxopts::value<std::string>())
      ("corrupt", "the same prompt with the fact changed; the same number of tokens", cxxopts::value<std::string>())
      ("corrupt-ids", "--corrupt as token ids", cxxopts::value<std::string>())
      ("site", "what to patch: resid_pre, resid_post, attn_out or mlp_out", cxxopts::value<std::string>()->default_value("resid_pre"))
      ("json", "print JSON");
  add_token_option(options, "target", "the clean answer");
  add_token_option(options, "wrong", "the competing answer (default: the corrupt prompt's prediction)");
  add_figure_options(options, "patch-sweep");
  const auto args = parse_options(options, argc, argv);
  if (!args) return 0;

  const ModelFolder folder = open_model_folder(model_dir(*args));
  const Model& model = folder.model;
  const std::vector<int32_t> clean = read_text_or_ids(folder, *args, "clean");
  const std::vector<int32_t> corrupt = read_text_or_ids(folder, *args, "corrupt");
  if (clean.size() != corrupt.size())
    fail("--clean has " + std::to_string(clean.size()) + " tokens and --corrupt " + std::to_string(corrupt.size()) +
         "; patching position by position needs the same number of tokens (swap a word for one of as many tokens)");
  const std::string site_name = (*args)["site"].as<std::string>();
  const SiteKind kind = parse_kind(site_name, "--site");
  if (kind != SiteKind::resid_pre && kind != SiteKind::resid_post && kind != SiteKind::attn_out && kind != SiteKind::mlp_out)
    fail("--site: '" + site_name + "' is not resid_pre, resid_post, attn_out or mlp_out");
  const int32_t target = read_token(folder, *args, "target");
  if (target < 0) fail("--target: give the clean answer, e.g. --target \" Paris\"");
  int32_t wrong = read_token(folder, *args, "wrong");
  const int64_t T = int64_t(clean.size());
  check_forward_fits(model, T, T * model.config().hidden * int64_t(sizeof(float)), "patch-sweep");
  if (wrong < 0) {  // what the corrupt prompt predicts instead (its runner-up when that is the target)
    KVCache cache = model.new_cache(T);
    std::vector<float> logits = model.forward(corrupt, cache);
    logits[size_t(target)] = -INFINITY;
    wrong = int32_t(std::max_element(logits.begin(), logits.end()) - logits.begin());
  }
  if (wrong == target) fail("--wrong: the same token as --target");
  const std::string clean_text = args->count("clean") ? (*args)["clean"].as<std::string>() : "--clean-ids";
  const FigureOutput figures = read_figure_output(*args, "patch-sweep", argc, argv, model.config().dir, clean_text);

  const PatchSweep sweep = patch_sweep(model, clean, corrupt, kind, target, wrong, [](int64_t done, int64_t total) {
    show_progress("patched", done, total);
  });
  std::vector<std::string> clean_tokens, corrupt_tokens;
  for (int64_t t = 0; t < T; ++t) {
    clean_tokens.push_back(token_bytes(folder, clean[size_t(t)]));
    corrupt_tokens.push_back(token_bytes(folder, corrupt[size_t(t)]));
  }

  if (args->count("json")) {
    nlohmann::json tokens = nlohmann::json::array(), restored = nlohmann::json::array();
    for (int64_t t = 0; t < T; ++t) tokens.push_back({{"position", t}, {"clean", clean[size_t(t)]}, {"corrupt", corrupt[size_t(t)]}});
    for (int64_t l = 0; l < sweep.layers; ++l) {
      nlohmann::json row = nlohmann::json::array();
      for (int64_t t = 0; t < T; ++t) row.push_back(sweep.at(l, t));
      restored.push_back(row);
    }
    const nlohmann::json out = {{"site", site_name}, {"target_id", target}, {"wrong_id", wrong},
                                {"clean_logit_difference", sweep.clean}, {"corrupt_logit_difference", sweep.corrupt},
                                {"tokens", tokens}, {"restored", restored}};
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf("logit difference '%s' - '%s' at the last position: clean %.4f, corrupt %.4f\n",
                token_display(folder, target).c_str(), token_display(folder, wrong).c_str(), sweep.clean, sweep.corrupt);
    std::printf("share restored by patching %s.L at one position (1 = the clean answer, 0 = no change):\n\n", site_name.c_str());
    constexpr int kColumn = 8;
    std::printf("%-8s", "");
    for (int64_t t = 0; t < T; ++t) std::printf(" %s", pad_columns(token_display(folder, clean[size_t(t)]), kColumn).c_str());
    std::printf("\n");
    for (int64_t l = 0; l < sweep.layers; ++l) {
      std::printf("%-8s", ("layer " + std::to_string(l)).c_str());
      for (int64_t t = 0; t < T; ++t) std::printf(" %8.3f", sweep.at(l, t));
      std::printf("\n");
    }
    std::printf("\n");
  }
  figures.write(patch_heatmap(sweep, clean_tokens, corrupt_tokens, token_bytes(folder, target), token_bytes(folder, wrong)),
                "patch_sweep_" + site_name);
  return 0;
}

}  // namespace glassbox::cli
