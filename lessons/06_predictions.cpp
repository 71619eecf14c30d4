// Lesson 06: predictions. The last layer's output, multiplied by the LM head, gives one score (logit) per
// vocabulary entry; a softmax turns the scores into the probabilities of the next token.
#include <cmath>
#include <cstdio>

#include "generate/sampler.h"
#include "lesson.h"
#include "model/model.h"
#include "render/bar_chart.h"

using namespace glassbox;

namespace {

std::vector<float> next_token_logits(const Model& model, const std::vector<int32_t>& ids) {
  KVCache cache = model.new_cache(int64_t(ids.size()));
  return model.forward(ids, cache);
}

render::BarChart top_chart(const Tokenizer& tokenizer, const std::vector<double>& p, size_t k, const std::string& title) {
  render::BarChart chart;
  for (int32_t id : top_indices(p, k)) {
    chart.labels.push_back(tokenizer.token_bytes(id));
    chart.values.push_back(p[size_t(id)]);
  }
  chart.highlight = 0;
  chart.title = title;
  return chart;
}

int predictions(int argc, char** argv) {
  auto l = lesson::start(argc, argv, "06_predictions", "Next-token probabilities, entropy and temperature.",
                         lesson::prompt_flag("the text to continue", "Once upon a time, there was a"));
  if (!l) return 0;
  const ModelFolder folder = lesson::open_model(*l);
  const Model& model = folder.model;
  const Tokenizer& tokenizer = *folder.tokenizer;
  const std::string prompt = l->args["prompt"].as<std::string>();

  lesson::section("1. The top-10 next tokens");
  const std::vector<float> logits = next_token_logits(model, lesson::encode(tokenizer, prompt));
  const std::vector<double> p = softmax(logits);
  std::printf("after \"%s\":\n\n%4s  %7s  %-16s  %8s  %8s\n", prompt.c_str(), "rank", "id", "token", "prob", "logit");
  int rank = 0;
  for (int32_t id : top_indices(p, 10))
    std::printf("%4d  %7d  %-16s  %8.4f  %8.3f\n", ++rank, id, tokenizer.display(id).c_str(), p[size_t(id)], logits[size_t(id)]);
  std::printf("\nentropy %.3f bits (0 = certain; log2(vocab) = %.1f bits = uniform)\n", entropy(p) / std::log(2.0),
              std::log2(double(p.size())));
  render::BarChart chart = top_chart(tokenizer, p, 10, "Next token after \"" + prompt + "\"");
  chart.subtitle = "top 10 of " + std::to_string(p.size()) + " tokens; the highlighted one is the greedy choice";
  lesson::save(*l, chart, "top10", prompt);

  lesson::section("2. Confident and uncertain prompts");
  // Entropy measures the spread: low when one continuation dominates, high when many are plausible.
  for (const std::string& text : {std::string("One, two, three, four,"), std::string("The little dog was very"),
                                  std::string("She said"), std::string("1 + 1 =")}) {
    const std::vector<double> q = softmax(next_token_logits(model, lesson::encode(tokenizer, text)));
    const int32_t best = top_indices(q, 1)[0];
    std::printf("%-28s entropy %5.2f bits, top token %-12s %.1f%%\n", ("\"" + text + "\"").c_str(),
                entropy(q) / std::log(2.0), ("\"" + tokenizer.decode({best}) + "\"").c_str(), 100 * q[size_t(best)]);
  }

  lesson::section("3. Temperature reshapes the same distribution");
  // Dividing the logits by T before the softmax: T < 1 sharpens (more predictable text), T > 1
  // flattens (more surprising text). T -> 0 is greedy decoding.
  for (double t : {0.5, 1.0, 2.0}) {
    const std::vector<double> pt = softmax(logits, t);
    std::printf("T = %.1f: entropy %5.2f bits, top-5:", t, entropy(pt) / std::log(2.0));
    for (int32_t id : top_indices(pt, 5)) std::printf(" %s %.1f%%", tokenizer.display(id).c_str(), 100 * pt[size_t(id)]);
    std::printf("\n");
    char stem[32], title[96];
    std::snprintf(stem, sizeof stem, "temperature_%.1f", t);
    std::snprintf(title, sizeof title, "Temperature %.1f: next-token probabilities", t);
    lesson::save(*l, top_chart(tokenizer, pt, 10, title), stem, prompt);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return lesson::run(argc, argv, predictions); }
