// Lesson 09: the logit lens. Every layer adds to one residual stream, and only the last one is read out by
// the final norm and the unembedding. Reading out an earlier layer the same way shows what the model
// "thinks so far": the prediction forming layer by layer.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analysis/figures.h"
#include "analysis/lens.h"
#include "base/columns.h"
#include "lesson.h"
#include "model/capture.h"

using namespace glassbox;

namespace {

int logit_lens_lesson(int argc, char** argv) {
  auto l = lesson::start(argc, argv, "09_logit_lens", "What each layer would predict: the logit lens.",
                         lesson::prompt_flag("the text to look at", "In the beginning God created the heaven and the"));
  if (!l) return 0;
  const ModelFolder folder = lesson::open_model(*l);
  const Model& model = folder.model;
  const Tokenizer& tokenizer = *folder.tokenizer;
  const ModelConfig& c = model.config();
  const std::string prompt = l->args["prompt"].as<std::string>();
  const std::vector<int32_t> ids = lesson::encode(tokenizer, prompt);
  const std::vector<std::string> labels = lesson::token_labels(tokenizer, ids);
  const int64_t T = int64_t(ids.size()), last = c.n_layers - 1, middle = c.n_layers / 2;

  lesson::section("1. Reading out a middle layer by hand");
  // lens.L is a derived activation: lm_head(final_norm(resid_post.L)). Recording resid_post.L and applying
  // the model's own final norm and unembedding to it gives the same numbers.
  const Capture capture = run_with_cache(model, ids, {{SiteKind::resid_post, middle}, {SiteKind::lens, middle},
                                                      {SiteKind::lens, last}, {SiteKind::logits, -1}});
  const CapturedTensor& resid = capture.get(Site{SiteKind::resid_post, middle});
  const CapturedTensor& lens = capture.get(Site{SiteKind::lens, middle});
  std::vector<float> by_hand(size_t(T * c.vocab));
  model.unembed(resid.values.data(), T, by_hand.data());
  auto max_difference = [](const std::vector<float>& a, const std::vector<float>& b) {
    double d = 0;
    for (size_t i = 0; i < a.size(); ++i) d = std::max(d, double(std::fabs(a[i] - b[i])));
    return d;
  };
  std::printf("resid_post.%lld [%lld, %lld] -> final norm -> lm_head -> [%lld, %lld]\n", (long long)middle,
              (long long)T, (long long)c.hidden, (long long)T, (long long)c.vocab);
  std::printf("max |by hand - lens.%lld| = %.3g\n", (long long)middle, max_difference(by_hand, lens.values));
  std::printf("max |lens.%lld - logits| = %.3g  (the last layer's lens is the model's output)\n", (long long)last,
              max_difference(capture.get(Site{SiteKind::lens, last}).values, capture.get("logits").values));

  lesson::section("2. What every layer predicts at every position");
  // The target is the model's real next token after the prompt; section 3 follows it through the layers.
  const std::vector<float>& logits = capture.get("logits").values;
  const auto final_row = logits.begin() + (T - 1) * c.vocab;
  const int32_t target = int32_t(std::max_element(final_row, final_row + c.vocab) - final_row);
  // One forward pass; a hook reads each layer's [T, vocab] lens and keeps only its top token per position.
  const LensGrid grid = logit_lens(model, ids, target);
  constexpr int kColumn = 10;
  auto print_row = [](std::string line) { std::printf("%s\n", line.erase(line.find_last_not_of(' ') + 1).c_str()); };
  std::string header = pad_columns("input", kColumn + 2);
  for (int64_t layer = 0; layer < c.n_layers; ++layer) header += pad_columns("L" + std::to_string(layer), kColumn);
  print_row(header);
  for (int64_t t = 0; t < T; ++t) {
    std::string row = pad_columns(labels[size_t(t)], kColumn + 2);
    for (int64_t layer = 0; layer < c.n_layers; ++layer) row += pad_columns(tokenizer.display(grid.top_id[grid.at(layer, t)]), kColumn);
    print_row(row);
  }
  auto text = [&](int32_t id) { return tokenizer.token_bytes(id); };
  render::Heatmap map = lens_heatmap(grid, lesson::token_texts(tokenizer, ids), text);
  lesson::save(*l, map, "lens_grid", prompt);
  int64_t agree = 0;  // positions where a layer already has the final answer
  for (int64_t layer = 0; layer < c.n_layers; ++layer)
    for (int64_t t = 0; t < T; ++t) agree += grid.top_id[grid.at(layer, t)] == grid.top_id[grid.at(last, t)];
  std::printf("cells that already show the output's top token: %lld of %lld\n", (long long)agree, (long long)(T * c.n_layers));

  lesson::section("3. One prediction forming, layer by layer");
  std::printf("after the whole prompt the model predicts %s; its probability and rank under each layer's lens:\n\n",
              tokenizer.display(target).c_str());
  std::printf("%5s  %s %9s %8s   %s\n", "layer", pad_columns("top token", 14).c_str(), "top prob", "rank", "prob of the answer");
  for (int64_t layer = 0; layer < c.n_layers; ++layer) {
    const size_t cell = grid.at(layer, T - 1);
    std::printf("%5lld  %s %9.4f %8lld   %.4f\n", (long long)layer, pad_columns(tokenizer.display(grid.top_id[cell]), 14).c_str(),
                grid.top_prob[cell], (long long)grid.target_rank[cell], grid.target_prob[cell]);
  }
  const std::string last_token = tokenizer.token_bytes(ids.back());
  lesson::save(*l, lens_target_chart(grid, T - 1, LensMeasure::probability, text(target), last_token), "answer_probability", prompt);
  lesson::save(*l, lens_target_chart(grid, T - 1, LensMeasure::rank, text(target), last_token), "answer_rank", prompt);
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return lesson::run(argc, argv, logit_lens_lesson); }
