// Lesson 10: what attention heads do. A census scores every head against simple patterns (look at the
// previous token, at the first token, at what followed the last time this token appeared); ablating the heads
// it names then shows that the model really relies on them.
#include <algorithm>
#include <cstdio>

#include "analysis/ablation_sweep.h"
#include "analysis/figures.h"
#include "analysis/head_census.h"
#include "lesson.h"
#include "model/capture.h"

using namespace glassbox;

namespace {

std::string head_name(HeadRef h) { return "L" + std::to_string(h.layer) + "H" + std::to_string(h.head); }

// The n heads with the highest `score`, best first.
std::vector<HeadRef> strongest(const std::vector<HeadScores>& census, HeadScore score, size_t n) {
  std::vector<HeadScores> sorted = census;
  std::stable_sort(sorted.begin(), sorted.end(), [&](auto& a, auto& b) { return *head_score(a, score) > *head_score(b, score); });
  std::vector<HeadRef> heads;
  for (size_t i = 0; i < std::min(n, sorted.size()); ++i) heads.push_back({sorted[i].layer, sorted[i].head});
  return heads;
}

int heads_lesson(int argc, char** argv) {
  auto l = lesson::start(argc, argv, "10_heads", "Head census, an induction head's pattern, and ablating it.",
                         [](cxxopts::Options& o) {
                           o.add_options()("n", "random tokens per copy", cxxopts::value<std::string>()->default_value("48"));
                         });
  if (!l) return 0;
  const ModelFolder folder = lesson::open_model(*l);
  const Model& model = folder.model;
  const ModelConfig& c = model.config();
  const int64_t N = flag<int64_t>(l->args, "n");

  lesson::section("1. A prompt only copying can predict");
  // Random tokens mean nothing, so the first copy is unpredictable; the second copy is predictable for a
  // model that looks back: find the earlier copy of the current token and predict what came after it.
  std::vector<int32_t> special;
  for (int32_t id = 0; id < int32_t(c.vocab); ++id)
    if (folder.tokenizer->is_special(id)) special.push_back(id);
  const int32_t bos = folder.tokenizer->bos_id().value_or(int32_t(c.bos_id));
  const std::vector<int32_t> ids = repeated_random_tokens(bos, N, /*seed=*/0, c.vocab, special);
  const int64_t T = int64_t(ids.size()), start = T - 2 * N;  // start: the first random token (after BOS, if any)
  std::printf("%lld tokens: %s%lld random ones, then the same %lld again\nfirst copy:  %s ...\nsecond copy: %s ...\n",
              (long long)T, start ? "BOS, " : "", (long long)N, (long long)N,
              folder.tokenizer->decode(std::vector<int32_t>(ids.begin() + start, ids.begin() + start + 8)).c_str(),
              folder.tokenizer->decode(std::vector<int32_t>(ids.begin() + start + N, ids.begin() + start + N + 8)).c_str());

  lesson::section("2. The census");
  // Per head, mean attention on one position of its pattern A[t, s], over the rows t where it applies:
  // previous_token A[t, t-1], first_token A[t, 0], duplicate A[t, t-N], induction A[t, t-N+1].
  const std::vector<HeadScores> census = head_census(model, ids, N);
  for (HeadScore score : kHeadScores) {
    std::printf("%-15s", head_score_name(score));
    for (HeadRef h : strongest(census, score, 5))
      std::printf("  %s %.2f", head_name(h).c_str(), *head_score(census[size_t(h.layer * c.n_heads + h.head)], score));
    std::printf("\n");
  }
  for (HeadScore score : {HeadScore::previous_token, HeadScore::induction})
    lesson::save(*l, head_score_heatmap(census, score, c.n_layers, c.n_heads), std::string(head_score_name(score)) + "_scores");
  const std::vector<HeadRef> induction = strongest(census, HeadScore::induction, 3);

  lesson::section("3. What an induction head looks at");
  const HeadRef best = induction[0];
  const Site site{SiteKind::attn_probs, best.layer};
  const CapturedTensor pattern = run_with_cache(model, ids, {site}, nullptr, {best.head}).get(site);  // [1, T, T]
  render::Heatmap map;
  map.matrix = render::Matrix(int(T), int(T), pattern.values);
  map.mask = render::causal_mask(int(T));
  for (int64_t i = 0; i < T; ++i) map.row_labels.push_back(std::to_string(i));
  map.col_labels = map.row_labels;
  map.labels_are_tokens = false;
  map.x_label = "key position (attended to)";
  map.y_label = "query position";
  map.colorbar_label = "attention weight";
  map.title = head_name(best) + ": the stripe is the token after the earlier copy";
  map.subtitle = "in the second copy, position t looks at t-" + std::to_string(N - 1) + ", the token that followed its twin";
  lesson::save(*l, map, "induction_pattern");
  const int64_t t = T - 1;
  std::printf("%s at the last position (%lld) puts %.2f of its attention on position %lld (= t-N+1)\n",
              head_name(best).c_str(), (long long)t, pattern.at(t, t - N + 1), (long long)(t - N + 1));

  lesson::section("4. Ablation: remove the heads, watch the loss");
  // The loss (cross-entropy, nats/token) on the second copy, with heads' outputs zeroed (--ablate).
  const Objective first_copy{-1, -1, start + 1}, second_copy{-1, -1, start + N + 1};
  const std::vector<int32_t> first_half(ids.begin(), ids.begin() + start + N);
  auto loss = [&](const std::vector<HeadRef>& heads) {
    Hooks hooks;
    add_head_ablation(hooks, c, heads, AblateMode::zero);
    return measure(model, ids, second_copy, &hooks);
  };
  const double before = loss({});
  std::printf("first copy, nothing to copy from:        %.3f\n", measure(model, first_half, first_copy));
  std::printf("second copy, every head in place:        %.3f\n", before);
  std::vector<HeadRef> ablated;
  for (HeadRef h : induction) {
    ablated.push_back(h);
    std::string names;
    for (HeadRef a : ablated) names += (names.empty() ? "" : "+") + head_name(a);
    const double after = loss(ablated);
    std::printf("second copy, %-27s %.3f  (%+.3f)\n", (names + " ablated:").c_str(), after, after - before);
  }
  // A head the census does not name, for comparison: the last layer's weakest induction score.
  HeadRef control{c.n_layers - 1, 0};
  for (int64_t h = 1; h < c.n_heads; ++h)
    if (*census[size_t(control.layer * c.n_heads + h)].induction < *census[size_t(control.layer * c.n_heads + control.head)].induction)
      control.head = h;
  const double after_control = loss({control});
  std::printf("control, %-31s %.3f  (%+.3f)\n", (head_name(control) + " ablated:").c_str(), after_control, after_control - before);

  lesson::section("5. Every head in turn");
  const AblationSweep sweep = ablation_sweep(model, ids, second_copy, AblateMode::zero);
  lesson::save(*l, ablation_heatmap(sweep, "loss on the second copy"), "ablation_sweep");
  std::vector<HeadRef> order;
  for (int64_t layer = 0; layer < c.n_layers; ++layer)
    for (int64_t h = 0; h < c.n_heads; ++h) order.push_back({layer, h});
  std::sort(order.begin(), order.end(), [&](HeadRef a, HeadRef b) { return sweep.at(a.layer, a.head) > sweep.at(b.layer, b.head); });
  std::printf("heads whose ablation raises the loss most:");
  for (size_t i = 0; i < std::min<size_t>(6, order.size()); ++i)
    std::printf("  %s %+.2f", head_name(order[i]).c_str(), sweep.at(order[i].layer, order[i].head));
  std::printf("\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return lesson::run(argc, argv, heads_lesson); }
