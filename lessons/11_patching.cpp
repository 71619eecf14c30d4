// Lesson 11: activation patching. Two prompts differ in one word, and so do the model's answers. Run the
// corrupt prompt, but copy one activation from the clean run: if the clean answer comes back, that
// activation carried the difference. Done for every layer and position, it maps where a fact travels.
#include <algorithm>
#include <cstdio>

#include "analysis/figures.h"
#include "analysis/objective.h"
#include "analysis/patch_sweep.h"
#include "base/columns.h"
#include "base/error.h"
#include "lesson.h"
#include "model/capture.h"

using namespace glassbox;

namespace {

int patching_lesson(int argc, char** argv) {
  auto l = lesson::start(argc, argv, "11_patching", "Activation patching: which layer and position carry a fact.",
                         [](cxxopts::Options& o) {
                           o.add_options()
                               ("clean", "the prompt with the fact", cxxopts::value<std::string>()->default_value(
                                   "And God said, Let there be peace: and there was"))
                               ("corrupt", "the same prompt with one word changed", cxxopts::value<std::string>()->default_value(
                                   "And God said, Let there be blood: and there was"));
                         });
  if (!l) return 0;
  const ModelFolder folder = lesson::open_model(*l);
  const Model& model = folder.model;
  const Tokenizer& tokenizer = *folder.tokenizer;
  const ModelConfig& c = model.config();
  const std::string clean_text = l->args["clean"].as<std::string>(), corrupt_text = l->args["corrupt"].as<std::string>();
  const std::vector<int32_t> clean = lesson::encode(tokenizer, clean_text), corrupt = lesson::encode(tokenizer, corrupt_text);

  lesson::section("1. Two prompts, one word apart");
  if (clean.size() != corrupt.size())
    fail("--clean has " + std::to_string(clean.size()) + " tokens and --corrupt " + std::to_string(corrupt.size()) +
         "; patching position by position needs the same number");
  const int64_t T = int64_t(clean.size());
  int64_t word = 0;  // the first position where the prompts differ
  while (word < T && clean[size_t(word)] == corrupt[size_t(word)]) ++word;
  if (word == T) fail("--clean and --corrupt are the same tokens");
  const std::vector<std::string> clean_labels = lesson::token_labels(tokenizer, clean);
  for (int64_t t = 0; t < T; ++t)
    std::printf("%3lld  %s %s%s\n", (long long)t, pad_columns(clean_labels[size_t(t)], 12).c_str(),
                tokenizer.display(corrupt[size_t(t)]).c_str(), clean[size_t(t)] != corrupt[size_t(t)] ? "   <- differs" : "");
  // The fact to track: the model should repeat the word it was given. Its first token in each prompt are
  // the two answers, and the logit difference between them says which one the model prefers.
  const int32_t target = clean[size_t(word)], wrong = corrupt[size_t(word)];
  const Objective difference{target, wrong, 1};
  const double clean_ld = measure(model, clean, difference), corrupt_ld = measure(model, corrupt, difference);
  std::printf("\nlogit(%s) - logit(%s) at the last position: clean %+.3f, corrupt %+.3f\n", tokenizer.display(target).c_str(),
              tokenizer.display(wrong).c_str(), clean_ld, corrupt_ld);

  lesson::section("2. One patch by hand");
  // Record the clean residual stream entering a middle layer, then run the corrupt prompt with a hook that
  // overwrites that activation at the changed word's position: the --patch NAME@POS flag.
  const Site site{SiteKind::resid_pre, c.n_layers / 2};
  const auto source = std::make_shared<const CapturedTensor>(run_with_cache(model, clean, {site}).get(site));
  for (int64_t position : {word, T - 1}) {
    Hooks hooks;
    add_patch(hooks, site, source, position);
    const double patched = measure(model, corrupt, difference, &hooks);
    std::printf("patch %s@%lld: logit difference %+.3f, restored %.2f of the way from corrupt to clean\n",
                site_name(site).c_str(), (long long)position, patched, (patched - corrupt_ld) / (clean_ld - corrupt_ld));
  }

  lesson::section("3. Every layer and position: where the fact travels");
  // resid_pre.L at position p holds everything the model knows there before layer L. Where patching it
  // restores the answer, the fact is there at that depth.
  const std::vector<std::string> clean_texts = lesson::token_texts(tokenizer, clean), corrupt_texts = lesson::token_texts(tokenizer, corrupt);
  const PatchSweep resid = patch_sweep(model, clean, corrupt, SiteKind::resid_pre, target, wrong);
  lesson::save(*l, patch_heatmap(resid, clean_texts, corrupt_texts, tokenizer.token_bytes(target), tokenizer.token_bytes(wrong)),
               "resid_pre", clean_text);
  std::printf("%5s  %-14s %s\n", "layer", "at the word", "at the last position");
  for (int64_t layer = 0; layer < c.n_layers; ++layer)
    std::printf("%5lld  %-14.2f %.2f\n", (long long)layer, resid.at(layer, word), resid.at(layer, T - 1));

  lesson::section("4. Which part moves it: attention or MLP");
  // The branches each layer adds to the residual stream. Patching attn_out.L at the last position restores
  // what layer L's attention brought there from other positions; mlp_out.L what its MLP computed in place.
  const PatchSweep attn = patch_sweep(model, clean, corrupt, SiteKind::attn_out, target, wrong);
  const PatchSweep mlp = patch_sweep(model, clean, corrupt, SiteKind::mlp_out, target, wrong);
  lesson::save(*l, patch_heatmap(attn, clean_texts, corrupt_texts, tokenizer.token_bytes(target), tokenizer.token_bytes(wrong)),
               "attn_out", clean_text);
  std::printf("%5s  %-22s %s\n", "layer", "attn_out at last pos.", "mlp_out at last pos.");
  int64_t mover = 0;
  for (int64_t layer = 0; layer < c.n_layers; ++layer) {
    std::printf("%5lld  %-22.2f %.2f\n", (long long)layer, attn.at(layer, T - 1), mlp.at(layer, T - 1));
    if (attn.at(layer, T - 1) > attn.at(mover, T - 1)) mover = layer;
  }
  std::printf("\nthe attention of layer %lld moves the most of the answer to the last position\n", (long long)mover);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return lesson::run(argc, argv, patching_lesson); }
